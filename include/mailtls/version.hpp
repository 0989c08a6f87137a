#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace mailtls {

/// A release number such as 3.7 or 2.3.19. A missing patch level is -1 ("any patch of X.Y").
struct version {
    int major = 0;
    int minor = 0;
    int patch = -1;

    /// Parses `X.Y` or `X.Y.Z`; returns nothing for anything else.
    [[nodiscard]] static std::optional<version> parse(std::string_view text);
    [[nodiscard]] std::string to_string() const;

    friend constexpr auto operator<=>(const version&, const version&) noexcept = default;
};

}  // namespace mailtls
