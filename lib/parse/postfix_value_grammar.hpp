#pragma once

// The grammar of a Postfix parameter value at the level of mac_parse() (src/util/mac_parse.c):
// literal text, `$$`, `$name`, and `${...}` / `$(...)` expressions whose extent is found by
// counting the delimiter that opened them. What is inside an expression (`name?text`,
// `{a} == {b} ? {x} : {y}`, ...) is read by the builder in postfix_value.cpp the way
// mac_expand() reads it, and its operands are parsed again with this grammar.
//
// How it departs from Postfix: mac_parse() stops at the first error and Postfix ignores the
// rest of the value; here the error is recorded with its range and the rest is kept as one
// `bad_tail`. There is no whitespace convention: whitespace is literal text.

#include <cstddef>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include "parse/runs.hpp"

namespace mailtls::grammar::postfix_value {

namespace p = tao::pegtl;

/// The text after an opening delimiter up to and including the one that balances it; only
/// that delimiter pair is counted (as mac_parse() does). It fails, consuming nothing, when the
/// text ends first. The nesting is counted, not recursed into.
template <char Open, char Close>
struct balanced {
    using rule_t = balanced;
    using subs_t = p::empty_list;

    template <typename Input>
    [[nodiscard]] static bool match(Input& in) {
        const char* const begin = in.current();
        const std::size_t size = in.size(std::size_t(-1));
        std::size_t level = 1;
        for (std::size_t i = 0; i < size; ++i) {
            if (begin[i] == Open) {
                ++level;
            } else if (begin[i] == Close && --level == 0) {
                in.bump(i + 1);
                return true;
            }
        }
        return false;
    }
};

constexpr bool is_literal_char(char c) noexcept { return c != '$'; }
constexpr bool is_name_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// Literal text runs to the next '$' (newlines included: the value parser's input tracks
/// positions lazily); a name is ASCII letters, digits and '_'.
struct literal : run_of<is_literal_char> {};
struct dollar : p::seq<p::one<'$'>, p::one<'$'>> {};
struct name : run_of<is_name_char> {};
struct bare_reference : p::seq<p::one<'$'>, name> {};
struct brace_body : balanced<'{', '}'> {};
struct brace_expression : p::seq<p::one<'$'>, p::one<'{'>, brace_body> {};
struct paren_body : balanced<'(', ')'> {};
struct paren_expression : p::seq<p::one<'$'>, p::one<'('>, paren_body> {};

/// A '$' that starts nothing valid: an expression that is never closed ("truncated macro
/// reference"), or a '$' with no name after it ("empty macro name"). Postfix ignores the
/// rest of the value.
struct truncated : p::seq<p::one<'$'>, p::one<'{', '('>, p::star<p::any>> {};
struct empty_name : p::seq<p::one<'$'>, p::star<p::any>> {};
struct bad_tail : p::sor<truncated, empty_name> {};

struct part
    : p::sor<literal, dollar, bare_reference, brace_expression, paren_expression> {};
struct value : p::seq<p::star<part>, p::opt<bad_tail>, p::eof> {};

}  // namespace mailtls::grammar::postfix_value

namespace tao::pegtl {

template <typename Name, char Open, char Close>
struct analyze_traits<Name, mailtls::grammar::postfix_value::balanced<Open, Close>>
    : analyze_any_traits<> {};



}  // namespace tao::pegtl
