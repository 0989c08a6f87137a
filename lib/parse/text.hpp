#pragma once

// Small text helpers shared by the parsers.

#include <string_view>

namespace mailtls::detail {

/// Postfix's ISSPACE less the newline.
[[nodiscard]] constexpr bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/// A line that holds only whitespace, or whitespace and a `#` comment.
[[nodiscard]] constexpr bool is_skippable_line(std::string_view line) noexcept {
    for (const char c : line) {
        if (c == '#') {
            return true;
        }
        if (!is_space(c)) {
            return false;
        }
    }
    return true;
}

}  // namespace mailtls::detail
