#pragma once

// What dovecot.cpp shows its tests besides the public parse_dovecot().

#include "mailtls/ast/dovecot.hpp"
#include "mailtls/source.hpp"

namespace mailtls::detail {

/// parse_dovecot() without its shortcut for `key = value` lines: every logical line read by
/// the statement grammar, which defines the syntax; the two must agree.
[[nodiscard]] ast::dovecot_file parse_dovecot_by_grammar(const source_file& source,
                                                         ast::dovecot_parse_options options);

}  // namespace mailtls::detail
