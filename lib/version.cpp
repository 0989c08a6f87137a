#include "mailtls/version.hpp"

#include <fmt/format.h>

#include <charconv>

namespace mailtls {

namespace {

bool parse_number(std::string_view& text, int& out) {
    const auto* first = text.data();
    const auto* last = first + text.size();
    const auto [ptr, ec] = std::from_chars(first, last, out);
    if (ec != std::errc() || ptr == first || out < 0 || (ptr - first > 1 && *first == '0')) {
        return false;
    }
    text.remove_prefix(static_cast<std::size_t>(ptr - first));
    return true;
}

}  // namespace

std::optional<version> version::parse(std::string_view text) {
    version v;
    if (!parse_number(text, v.major) || text.empty() || text.front() != '.') {
        return std::nullopt;
    }
    text.remove_prefix(1);
    if (!parse_number(text, v.minor)) {
        return std::nullopt;
    }
    if (!text.empty()) {
        if (text.front() != '.') {
            return std::nullopt;
        }
        text.remove_prefix(1);
        if (!parse_number(text, v.patch) || !text.empty()) {
            return std::nullopt;
        }
    }
    return v;
}

std::string version::to_string() const {
    return patch >= 0 ? fmt::format("{}.{}.{}", major, minor, patch)
                      : fmt::format("{}.{}", major, minor);
}

}  // namespace mailtls
