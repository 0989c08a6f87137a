#pragma once

// The "errors" array that the JSON of a lint (render_json) and of `show` share: one entry
// per file that could not be read, with its path and the reason.

#include <nlohmann/json.hpp>

#include <vector>

#include "mailtls/linter.hpp"

namespace mailtls::detail {

[[nodiscard]] nlohmann::ordered_json io_errors_json(const std::vector<io_error>& errors);

}  // namespace mailtls::detail
