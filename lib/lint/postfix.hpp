#pragma once

// Helpers that Postfix rules share.

#include <string_view>

#include "mailtls/ast/postfix_main.hpp"
#include "mailtls/instance.hpp"

namespace mailtls::detail {

/// The main.cf parameter that is in effect for `name`: the last one (Postfix keeps the last).
[[nodiscard]] const ast::main_cf_parameter* find_parameter(const ast::main_cf& main_cf,
                                                           std::string_view name) noexcept;

/// Postfix's boolean: "yes" or "true" in any case (mail_conf_bool.c).
[[nodiscard]] bool is_yes(std::string_view value) noexcept;

/// The range of the physical line that holds `offset`, without its line ending or trailing
/// whitespace, from `offset` on.
[[nodiscard]] byte_range rest_of_line(const source_file& source, std::uint32_t offset) noexcept;

/// The whole logical line of a parameter, with its line ending, for a deleting edit.
[[nodiscard]] byte_range logical_line_with_newline(const source_file& source,
                                                   const ast::main_cf_parameter& param) noexcept;

}  // namespace mailtls::detail
