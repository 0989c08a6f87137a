#pragma once

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/diagnostic.hpp"
#include "mailtls/source.hpp"
#include "mailtls/version.hpp"

namespace mailtls {

enum class config_type { postfix_main, postfix_master, dovecot };

[[nodiscard]] std::string_view to_string(config_type t) noexcept;
[[nodiscard]] std::optional<config_type> parse_config_type(std::string_view text) noexcept;

/// The newest releases the version knowledge describes; used when no target is given.
[[nodiscard]] version default_postfix_version() noexcept;
[[nodiscard]] version default_dovecot_version() noexcept;

struct lint_options {
    std::optional<version> postfix_version;  ///< default_postfix_version() when empty
    std::optional<version> dovecot_version;  ///< default_dovecot_version() when empty
    /// Codes or code prefixes ("PF1", "DV"); empty selects every rule.
    std::vector<std::string> select;
    std::vector<std::string> ignore;
    /// Severity overrides by exact code.
    std::map<std::string, severity, std::less<>> severities;
};

/// A file that could not be read: reported, and the other files are still linted.
struct io_error {
    std::string path;
    std::string message;
};

/// Raised for a programming or usage error such as an unknown rule code in options.
class usage_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct lint_result {
    std::vector<std::shared_ptr<const source_file>> sources;  ///< keeps diagnostics' files alive
    std::vector<diagnostic> diagnostics;  ///< sorted by path, line, column, code
    std::vector<io_error> errors;
    version postfix_version;  ///< the targets this run assumed
    version dovecot_version;
};

class linter {
public:
    explicit linter(lint_options options = {});

    /// Lints one file's text, of a type the caller names. `path` is only used in reports.
    [[nodiscard]] lint_result lint_text(std::string text, config_type type,
                                        std::string path = "-") const;

    /// Lints files and directories. A directory stands for the configuration files in it;
    /// main.cf and master.cf in one directory are one Postfix instance. `type` forces the
    /// type of every file argument (for names such as Ansible's temporary `source`).
    [[nodiscard]] lint_result lint_paths(const std::vector<std::string>& paths,
                                         std::optional<config_type> type = std::nullopt) const;

    [[nodiscard]] const lint_options& options() const noexcept { return options_; }

private:
    lint_options options_;
};

/// Guesses a file's type from its name; nothing when the name says nothing.
[[nodiscard]] std::optional<config_type> config_type_from_name(std::string_view path) noexcept;

}  // namespace mailtls
