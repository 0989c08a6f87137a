#include "report/sanitize.hpp"

#include "mailtls/report.hpp"

#include <algorithm>
#include <cstdint>

namespace mailtls::detail {

namespace {

/// Length of the valid UTF-8 sequence at `i`, or 0 when the byte does not start one.
std::size_t utf8_length(std::string_view s, std::size_t i, std::uint32_t& code_point) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    if (b0 < 0x80) {
        code_point = b0;
        return 1;
    }
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2;
        code_point = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        code_point = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        code_point = b0 & 0x07u;
    } else {
        return 0;
    }
    if (i + n > s.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0u) != 0x80u) {
            return 0;
        }
        code_point = (code_point << 6) | (b & 0x3Fu);
    }
    const bool overlong = (n == 3 && code_point < 0x800) || (n == 4 && code_point < 0x10000);
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (overlong || surrogate || code_point > 0x10FFFF) {
        return 0;
    }
    return n;
}

}  // namespace

}  // namespace mailtls::detail

namespace mailtls {

std::string terminal_safe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t cp = 0;
        const auto n = detail::utf8_length(text, i, cp);
        if (n == 0) {
            out += '?';
            ++i;
            continue;
        }
        const bool control = (cp < 0x20 && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
        // Bidirectional formatting characters reorder what follows them on the line, so a
        // config could make the printed text read otherwise than the bytes ("Trojan Source").
        const bool bidi = cp == 0x061C || cp == 0x200E || cp == 0x200F ||
                          (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
        if (control || bidi) {
            out += '?';
        } else {
            out.append(text.substr(i, n));
        }
        i += n;
    }
    return out;
}

}  // namespace mailtls

namespace mailtls::detail {

std::string valid_utf8(std::string_view text) {
    if (std::all_of(text.begin(), text.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        return std::string(text);  // ASCII, as nearly every message and path is
    }
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t cp = 0;
        const auto n = detail::utf8_length(text, i, cp);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::uint32_t code_point_count(std::string_view text) {
    std::uint32_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        std::uint32_t cp = 0;
        const auto n = detail::utf8_length(text, i, cp);
        i += n == 0 ? 1 : n;
    }
    return count;
}

}  // namespace mailtls::detail
