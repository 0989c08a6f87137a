#pragma once

#include "mailtls/ast/postfix_main.hpp"
#include "mailtls/source.hpp"

namespace mailtls {

/// Parses main.cf text. Never throws for bad input: syntax errors are in the result.
[[nodiscard]] ast::main_cf parse_postfix_main(const source_file& source);

}  // namespace mailtls
