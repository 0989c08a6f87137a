#pragma once

// Small text helpers shared by the parsers.

#include <cstddef>
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

/// ASCII case-insensitive equality, as Postfix's strcasecmp() on names and keywords.
[[nodiscard]] constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
        const char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
        if (x != y) {
            return false;
        }
    }
    return true;
}

}  // namespace mailtls::detail
