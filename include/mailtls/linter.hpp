#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/diagnostic.hpp"
#include "mailtls/show.hpp"
#include "mailtls/source.hpp"
#include "mailtls/version.hpp"

namespace mailtls {

enum class config_type { postfix_main, postfix_master, dovecot };

/// The files linter::lint_paths() reads from a directory it is given, with their types.
struct instance_file {
    std::string_view name;
    config_type type;
};
inline constexpr std::array<instance_file, 3> k_instance_files{{
    {"main.cf", config_type::postfix_main},
    {"master.cf", config_type::postfix_master},
    {"dovecot.conf", config_type::dovecot},
}};

[[nodiscard]] std::string_view to_string(config_type t) noexcept;
[[nodiscard]] std::optional<config_type> parse_config_type(std::string_view text) noexcept;

/// The newest releases the version knowledge describes; used when no target is given.
[[nodiscard]] version default_postfix_version() noexcept;
[[nodiscard]] version default_dovecot_version() noexcept;

/// Settings for the files whose path matches some globs: `[[overrides]]` in the configuration
/// file (docs/configuration.md). An override only narrows what runs: a rule reports on a
/// matching file when the top-level selection *and* the override select it.
struct lint_override {
    /// Globs matched against a file's path relative to `base`: `*` and `?` within one path
    /// component, `**` across components, `[a-z]` sets; a glob without '/' matches the file
    /// name in any directory.
    std::vector<std::string> paths;
    std::string base;  ///< the directory globs are relative to; empty for the working directory
    std::vector<std::string> select;  ///< codes or prefixes; empty does not narrow
    std::vector<std::string> ignore;
    std::map<std::string, severity, std::less<>> severities;  ///< win over the top-level ones
};

/// The default of `lint_options::max_file_size`: 64 MiB.
inline constexpr std::uintmax_t k_default_max_file_size = std::uintmax_t{64} << 20;

struct lint_options {
    std::optional<version> postfix_version;  ///< default_postfix_version() when empty
    std::optional<version> dovecot_version;  ///< default_dovecot_version() when empty
    /// Codes or code prefixes ("PF1", "DV"); empty selects every rule.
    std::vector<std::string> select;
    std::vector<std::string> ignore;
    /// Severity overrides by exact code.
    std::map<std::string, severity, std::less<>> severities;
    /// Per-path refinements, applied in order after the settings above.
    std::vector<lint_override> overrides;
    /// What a Postfix smtpd service is for, by its master.cf service name as written in the
    /// first field (a port such as "10587", `host:port`, or a name such as "submission"):
    /// "submission", "mx", "implicit-tls" or "other" (`[postfix.roles]` in the configuration
    /// file). For the effective model: a service not listed has the role its name and `-o`
    /// options imply.
    std::map<std::string, std::string, std::less<>> postfix_roles;
    /// Files larger than this many bytes are not read: each is an I/O error (`--max-file-size`).
    std::uintmax_t max_file_size = k_default_max_file_size;
    /// False: what a lint builds for its instances (their ASTs and models) is not freed when
    /// it returns but left to the end of the process, reachable (leak checkers do not report
    /// it). For a program that exits right after one lint, as the command does: freeing the
    /// nodes of a large file one by one is time spent for nothing (3-4 ms of the 50 ms lint
    /// of a 7.6 MB main.cf). A program that lints again and again must leave it true.
    bool free_memory = true;
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

/// A target version the version knowledge has no data for (Postfix 4.0, Dovecot 2.5).
class unknown_version_error : public usage_error {
public:
    using usage_error::usage_error;
};

/// A note on a file rather than on one finding: how the Dovecot target of an instance was
/// chosen (inferred from a line, or the default), or that a file was linted alone as a
/// fragment. Said once per instance, on its first finding; when no finding that the run
/// keeps can carry it, it is a note of its own (lint_result::notes), so that a clean run
/// says it too.
struct general_note {
    std::string message;
    location where;        ///< the file it is about; its range only when `located`
    bool located = false;  ///< false: about the whole file (no line or column)
};

struct lint_result {
    std::vector<std::shared_ptr<const source_file>> sources;  ///< keeps diagnostics' files alive
    std::vector<diagnostic> diagnostics;  ///< sorted by path, line, column, code
    std::vector<io_error> errors;
    version postfix_version;  ///< the targets this run assumed
    version dovecot_version;  ///< given, or inferred from the first Dovecot instance
    /// The notes no finding carries (general_note), sorted by path and place.
    std::vector<general_note> notes;
};

/// What `show` found: each instance as the daemons see it, and the files it could not read.
struct show_result {
    std::vector<shown_postfix> postfix;
    std::vector<shown_dovecot> dovecot;
    std::vector<io_error> errors;
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

    /// The configuration that files and directories make, as the daemons see it (after
    /// continuations, comments, includes and master.cf overrides), grouped into instances
    /// as lint_paths groups them.
    [[nodiscard]] show_result show_paths(const std::vector<std::string>& paths,
                                         std::optional<config_type> type = std::nullopt) const;
    /// The same for one file's text.
    [[nodiscard]] show_result show_text(std::string text, config_type type,
                                        std::string path = "-") const;

    [[nodiscard]] const lint_options& options() const noexcept { return options_; }

private:
    lint_options options_;
};

/// Guesses a file's type from its name; nothing when the name says nothing.
[[nodiscard]] std::optional<config_type> config_type_from_name(std::string_view path) noexcept;

/// Guesses a file's type from its text, for names that say nothing: `{` sections, `}` lines,
/// `!include` or a `<file` value make it Dovecot; service lines of eight fields with a
/// master.cf service type (`inet`, `unix`, `unix-dgram`, `fifo`, `pass`) make it master.cf;
/// `name = value` lines and nothing else make it main.cf. Nothing when the text is empty,
/// holds only comments, or mixes the signs of two types.
[[nodiscard]] std::optional<config_type> config_type_from_content(std::string_view text) noexcept;

}  // namespace mailtls
