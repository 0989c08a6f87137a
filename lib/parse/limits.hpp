#pragma once

// The limit every parser checks before it reads a file: the length of a physical line
// (`k_max_line_length`, docs/security.md). A file with a longer line is not parsed at all, so
// no grammar, rule or renderer ever works on such a line.

#include <optional>
#include <string>

#include "mailtls/ast/postfix_main.hpp"
#include "mailtls/source.hpp"

namespace mailtls::detail {

/// A syntax error at the start of the first physical line longer than `k_max_line_length`,
/// or nothing when every line is within it.
[[nodiscard]] inline std::optional<ast::syntax_error> line_length_error(const source_file& source) {
    if (source.longest_line() <= k_max_line_length) {
        return std::nullopt;
    }
    for (std::uint32_t line = 1; line <= source.line_count(); ++line) {
        const auto range = source.line_range(line);
        if (range.size() > k_max_line_length) {
            return ast::syntax_error{
                "line " + std::to_string(line) + " is " + std::to_string(range.size()) +
                    " bytes long, more than the limit of " + std::to_string(k_max_line_length) +
                    " bytes: the file is not checked",
                {range.begin, range.begin}};
        }
    }
    return std::nullopt;  // only a '\r' took the line past the limit
}

}  // namespace mailtls::detail
