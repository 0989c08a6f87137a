#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace mailtls {

/// A release number such as 3.7, 2.3.19 or 2.3.19.1. A missing patch level is -1 ("any
/// patch of X.Y"); `build` is the fourth number of a Dovecot patch-of-patch release
/// (2.3.19.1, 2.3.21.1), -1 when there is none. The version knowledge judges X.Y.Z.W as its
/// X.Y.Z (it dates settings by X.Y.Z); to_string() prints the release as it was given.
struct version {
    int major = 0;
    int minor = 0;
    int patch = -1;
    int build = -1;

    /// Parses `X.Y` or `X.Y.Z`; returns nothing for anything else (Postfix numbers its
    /// releases so).
    [[nodiscard]] static std::optional<version> parse(std::string_view text);
    /// Parses `X.Y`, `X.Y.Z` or `X.Y.Z.W`, as Dovecot numbers its releases (`dovecot
    /// --version` on Debian 12 prints 2.3.19.1); returns nothing for anything else.
    [[nodiscard]] static std::optional<version> parse_dovecot(std::string_view text);
    [[nodiscard]] std::string to_string() const;

    friend constexpr auto operator<=>(const version&, const version&) noexcept = default;
};

}  // namespace mailtls
