#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mailtls::detail {

/// How many characters `text` holds: a valid UTF-8 sequence is one, and so is each byte
/// that does not start one (as `valid_utf8` turns it into one U+FFFD).
[[nodiscard]] std::uint32_t code_point_count(std::string_view text);

/// The same text as valid UTF-8 for JSON and SARIF: invalid bytes become U+FFFD.
[[nodiscard]] std::string valid_utf8(std::string_view text);

}  // namespace mailtls::detail
