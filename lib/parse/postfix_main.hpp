#pragma once

// What postfix_main.cpp shows its tests besides the public parse_postfix_main().

#include <cstddef>

#include "mailtls/ast/postfix_main.hpp"
#include "mailtls/source.hpp"

namespace mailtls::detail {

/// parse_postfix_main() with the size above which the file is read in two parts on two
/// threads (detail::k_parallel_bytes there), so that tests can split small files, or not
/// split large ones. The result is the same whatever the size.
[[nodiscard]] ast::main_cf parse_postfix_main(const source_file& source,
                                              std::size_t parallel_bytes);

/// parse_postfix_main() without its shortcut for one-line parameters
/// (grammar::postfix_main::one_line_parameter): every line read by the productions that
/// define the syntax; the two must agree.
[[nodiscard]] ast::main_cf parse_postfix_main_by_grammar(const source_file& source);

}  // namespace mailtls::detail
