#pragma once

// What postfix_value.cpp shows its tests besides the public parse_postfix_value().

#include <string_view>

#include "mailtls/ast/postfix_value.hpp"

namespace mailtls::detail {

/// parse_postfix_value() without its fast path (value_parser::plain_parts()): every part
/// read by the grammar, which stays the definition of the syntax; the two must agree.
[[nodiscard]] ast::parsed_value parse_postfix_value_by_grammar(
    std::string_view value, const ast::value_parse_options& options = {});

}  // namespace mailtls::detail
