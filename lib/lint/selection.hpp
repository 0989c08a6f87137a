#pragma once

// Which rules apply to which file, and at what severity: the top-level `select`, `ignore` and
// `severities` of lint_options, refined per path by its `overrides`.

#include <string_view>

#include "mailtls/diagnostic.hpp"
#include "mailtls/linter.hpp"

namespace mailtls::detail {

/// Whether `path` matches a glob: `*` and `?` match within one path component, `**` matches
/// any number of components (`a/**/b` also matches `a/b`), `[abc]`, `[a-z]` and `[!a]` match
/// one character of a set. A pattern without a '/' matches the last component of any path.
/// Runs in O(pattern × path) time without recursion.
[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view path);

/// Whether `override` applies to the file at `path` (as given to the linter).
[[nodiscard]] bool override_applies(const lint_override& override, std::string_view path);

/// Whether the rule `code` reports on the file at `path`: selected at the top level, not
/// ignored, and selected and not ignored by every override that applies to the path.
[[nodiscard]] bool rule_selected(const lint_options& options, std::string_view code,
                                 std::string_view path);

/// The severity of `d` after the top-level severity overrides and then those of the
/// overrides that apply to its file, in order.
[[nodiscard]] severity effective_severity(const lint_options& options, const diagnostic& d);

/// Throws usage_error when an override's code or prefix matches no rule, an override has no
/// glob, or a Postfix role is not one of "submission", "mx", "implicit-tls" and "other".
void check_overrides_and_roles(const lint_options& options);

/// Whether `code` starts with one of `patterns`.
[[nodiscard]] bool matches_any(std::string_view code, const std::vector<std::string>& patterns);

}  // namespace mailtls::detail
