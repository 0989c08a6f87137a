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

/// `X.Y`, `X.Y.Z`, and `X.Y.Z.W` when `max_parts` is 4.
std::optional<version> parse_parts(std::string_view text, int max_parts) {
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
        if (!parse_number(text, v.patch)) {
            return std::nullopt;
        }
    }
    if (!text.empty()) {
        if (max_parts < 4 || text.front() != '.') {
            return std::nullopt;
        }
        text.remove_prefix(1);
        if (!parse_number(text, v.build) || !text.empty()) {
            return std::nullopt;
        }
    }
    return v;
}

}  // namespace

std::optional<version> version::parse(std::string_view text) { return parse_parts(text, 3); }

std::optional<version> version::parse_dovecot(std::string_view text) {
    return parse_parts(text, 4);
}

std::string version::to_string() const {
    return build >= 0   ? fmt::format("{}.{}.{}.{}", major, minor, patch, build)
           : patch >= 0 ? fmt::format("{}.{}.{}", major, minor, patch)
                        : fmt::format("{}.{}", major, minor);
}

}  // namespace mailtls
