#pragma once

// `.mailtls-lint.toml`: the settings a project keeps beside its configurations. Its shape is
// a contract (docs/configuration.md); an unknown key or a wrong type is an error that names
// the file, the line and the key.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mailtls/linter.hpp"

namespace mailtls::cli {

inline constexpr const char* k_config_file_name = ".mailtls-lint.toml";

struct config_file {
    std::string path;
    std::optional<version> postfix_version;
    std::optional<version> dovecot_version;
    std::optional<std::vector<std::string>> select;
    std::optional<std::vector<std::string>> ignore;
    std::optional<severity> fail_level;
    std::map<std::string, severity, std::less<>> severities;
    std::map<std::string, std::string, std::less<>> postfix_roles;
    /// `[[overrides]]`, with `base` set to the file's directory.
    std::vector<lint_override> overrides;
};

/// The nearest `.mailtls-lint.toml` in `start` or a directory above it; nothing when none.
[[nodiscard]] std::optional<std::filesystem::path> find_config_file(
    const std::filesystem::path& start);

/// Reads and checks a configuration file. On a problem, returns nothing and sets `error` to
/// `path:line:column: what is wrong` (the key named in quotes).
[[nodiscard]] std::optional<config_file> load_config_file(const std::string& path,
                                                          std::string& error);

}  // namespace mailtls::cli
