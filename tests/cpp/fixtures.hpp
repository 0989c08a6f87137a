#pragma once

// Rule fixtures: tests/rules/<CODE>/<case>/ holds the configuration files of one case, an
// optional `args` file (target versions, one `--postfix-version X.Y` style option a line) and
// `expected.txt`, the first line of each finding of that code in text format with paths
// relative to the case folder. MAILTLS_UPDATE_FIXTURES=1 rewrites the expected files.

#include <filesystem>
#include <string>

#include "mailtls/linter.hpp"

namespace mailtls::test {

std::string read_text(const std::filesystem::path& path);

/// One line per finding, `path:line:col: severity: message [CODE]`, then a line per note.
std::string summarize(const lint_result& result, const std::string& strip_prefix);

/// Lints a fixture case folder with only the rule `code` selected.
/// `free_memory`: lint_options::free_memory for the lint.
lint_result lint_case(const std::filesystem::path& dir, const std::string& code,
                      bool free_memory = true);

}  // namespace mailtls::test
