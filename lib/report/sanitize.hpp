#pragma once

#include <string>
#include <string_view>

namespace mailtls::detail {

/// The same text as valid UTF-8 for JSON and SARIF: invalid bytes become U+FFFD.
[[nodiscard]] std::string valid_utf8(std::string_view text);

}  // namespace mailtls::detail
