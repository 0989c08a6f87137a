#pragma once

// The grammar of Dovecot configuration files, 1.x (lib-settings/settings.c) and 2.x
// (config/config-parser.c, config_parse_line()), in two layers as the daemons read them:
//
//   1. `file`: physical lines. Each is scanned for its comment the way the daemon does: a `'`
//      or `"` anywhere opens a quoted region up to the same quote or the end of the line (a
//      backslash inside skips the next byte), and a `#` outside quoted regions starts the
//      comment. So an unmatched quote turns comment stripping off for the rest of the line.
//   2. `statement<Syntax>`: a logical line, that is the physical lines joined at `\`
//      continuations with their comments, indentation and trailing blanks removed (the
//      joining differs per syntax and is done by the actions, see dovecot.cpp). A logical
//      line is `!include[_try] PATH`, `key = value`, `}`, or a section header
//      `type [name] {`, tried in the daemon's order.
//
// One family, three syntaxes (`ast::dovecot_syntax`): the differences are template
// parameters of the statement layer (quoted keys in 2.4, quoted section names in 2.x) and
// choices in the actions (continuation joining, `<file` values, `$` references).
//
// How it departs from the daemons: they stop at the first error; this grammar records it and
// goes on with the next logical line. Sections are tracked on an explicit stack in the
// actions, not by recursive rules, so nesting costs no C stack (and has a depth limit).
// Braces are matched per file: a file that leaves a section open for its includer to close
// (which the 2.x daemon accepts) is reported.
//
// Whitespace is the daemon's IS_WHITE: space and tab. A line ends at LF; a CR before it is
// part of the line ending (the daemon's line reader drops it).

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include "mailtls/ast/dovecot.hpp"
#include "parse/runs.hpp"

namespace mailtls::grammar::dovecot {

namespace p = tao::pegtl;

// --- layer 1: physical lines ---------------------------------------------------------------

struct blank : p::one<' ', '\t'> {};
struct eol : p::sor<p::string<'\r', '\n'>, p::one<'\n'>> {};
/// Any byte of a line but its ending.
struct line_char : p::sor<p::not_one<'\n', '\r'>, p::seq<p::one<'\r'>, p::not_at<p::one<'\n'>>>> {};

template <char Quote>
struct closing_quote : p::one<Quote> {};
/// A quoted region as the comment scan sees it: up to the same quote or the end of the line.
template <char Quote>
struct quoted_region
    : p::seq<p::one<Quote>,
             p::star<p::sor<p::seq<p::one<'\\'>, line_char>,
                            p::seq<p::not_at<p::one<Quote>>, line_char>>>,
             p::opt<closing_quote<Quote>>> {};
struct double_quoted : quoted_region<'"'> {};
struct single_quoted : quoted_region<'\''> {};

struct comment : p::seq<p::one<'#'>, p::star<line_char>> {};
struct plain_char : p::seq<p::not_at<p::one<'#', '"', '\''>>, line_char> {};

/// The bytes that plain_char takes, less '\r': the bulk of every line, taken as one run.
constexpr bool is_plain_char(char c) noexcept {
    return c != '#' && c != '"' && c != '\'' && c != '\n' && c != '\r';
}
struct plain_run : run_of<is_plain_char> {};

struct line_atom : p::sor<plain_run, double_quoted, single_quoted, plain_char> {};

/// One physical line with its ending (or the last line, without one). Spelled so that
/// every alternative consumes input, which lets analyze() prove the grammar free of loops.
/// The first alternative is the common line, without quotes or a comment: it matches what
/// the second would, without trying every atom again at the line's end.
struct physical_line
    : p::sor<p::seq<p::opt<plain_run>, eol>,
             p::seq<p::star<line_atom>, p::opt<comment>, eol>,
             p::seq<p::plus<p::sor<line_atom, comment>>, p::eof>> {};

struct file : p::seq<p::star<physical_line>, p::eof> {};

// --- layer 2: logical lines ----------------------------------------------------------------

/// The key ends at a blank or '=' (so `key=value` works). A logical line is read with lazy
/// position tracking, so the run may take any other byte.
constexpr bool is_key_char(char c) noexcept { return c != ' ' && c != '\t' && c != '='; }
struct bare_key : run_of<is_key_char> {};
struct escaped : p::seq<p::one<'\\'>, p::any> {};
struct quoted_text : p::star<p::sor<escaped, p::not_one<'"', '\\'>>> {};
struct key_close : p::one<'"'> {};
/// 2.4 allows `"key" = value`.
struct quoted_key : p::seq<p::one<'"'>, quoted_text, p::must<key_close>> {};

template <ast::dovecot_syntax Syntax>
struct key : p::seq<bare_key> {};
template <>
struct key<ast::dovecot_syntax::v24> : p::sor<quoted_key, bare_key> {};

struct equals : p::one<'='> {};
/// The rest of the logical line, matched in one step.
struct rest {
    using rule_t = rest;
    using subs_t = p::empty_list;

    template <typename ParseInput>
    [[nodiscard]] static bool match(ParseInput& in) noexcept {
        in.bump_in_this_line(in.size());
        return true;
    }
};
struct value : rest {};
template <ast::dovecot_syntax Syntax>
struct setting : p::seq<key<Syntax>, p::star<blank>, equals, p::star<blank>, value> {};

/// The words after `!`: a statement that does not start with `!` is refused at its first
/// byte (most statements are settings, and are tried after this).
struct include_try_keyword : TAO_PEGTL_STRING("include_try") {};
struct include_keyword : TAO_PEGTL_STRING("include") {};
struct include_path : p::plus<p::any> {};
struct include
    : p::seq<p::one<'!'>, p::sor<include_try_keyword, include_keyword>,
             p::not_at<p::not_one<' ', '\t', '='>>, p::star<blank>, p::must<include_path>> {};

struct end_of_statement : p::eof {};
/// The blanks after `}` and `{` are skipped first, so that a message points at the garbage.
struct section_end : p::seq<p::one<'}'>, p::star<blank>, p::must<end_of_statement>> {};

struct name_close : p::one<'"'> {};
struct quoted_name : p::seq<p::one<'"'>, quoted_text, p::must<name_close>> {};
struct bare_name : p::seq<p::not_at<p::one<'{', '"'>>, p::plus<p::not_one<' ', '\t'>>> {};
template <ast::dovecot_syntax Syntax>
struct section_name : p::sor<quoted_name, bare_name> {};
/// 1.x has no quoted section names: a quote is part of the name.
template <>
struct section_name<ast::dovecot_syntax::v1> : p::plus<p::not_one<' ', '\t'>> {};

struct open_brace : p::one<'{'> {};
/// What follows `{` must be the end of the line.
struct after_open_brace : p::eof {};
template <ast::dovecot_syntax Syntax>
struct section_type : p::seq<key<Syntax>> {};
template <ast::dovecot_syntax Syntax>
struct section_begin
    : p::seq<section_type<Syntax>, p::star<blank>,
             p::opt<p::seq<p::not_at<open_brace>, section_name<Syntax>, p::star<blank>>>,
             open_brace, p::star<blank>, p::must<after_open_brace>> {};

/// Anything else: recorded as a syntax error by the actions.
struct bad_statement : p::plus<p::any> {};

template <ast::dovecot_syntax Syntax>
struct statement : p::seq<p::sor<include, setting<Syntax>, section_end, section_begin<Syntax>,
                                 bad_statement>,
                          p::eof> {};

/// The messages of the `must<>` points, and what to do about each (DV001's fix hint).
struct errors {
    template <typename Rule>
    static constexpr const char* message = nullptr;
};
struct hints {
    template <typename Rule>
    static constexpr const char* text = nullptr;
};
template <>
inline constexpr const char* errors::message<include_path> = "missing path after the include";
template <>
inline constexpr const char* hints::text<include_path> =
    "name the file or pattern to include, e.g. '!include conf.d/*.conf'";
template <>
inline constexpr const char* errors::message<end_of_statement> =
    "'}' must be alone on its line";
template <>
inline constexpr const char* hints::text<end_of_statement> =
    "put the '}' on a line of its own, and what follows it on the next line";
template <>
inline constexpr const char* errors::message<after_open_brace> =
    "garbage after '{': a section header must end the line";
template <>
inline constexpr const char* hints::text<after_open_brace> =
    "end the section header at '{' and put each setting and the closing '}' on a line of its "
    "own";
template <>
inline constexpr const char* errors::message<key_close> = "unterminated '\"' in a setting name";
template <>
inline constexpr const char* hints::text<key_close> =
    "close the quote after the setting name, or remove it";
template <>
inline constexpr const char* errors::message<name_close> =
    "unterminated '\"' in a section name";
template <>
inline constexpr const char* hints::text<name_close> =
    "close the quote after the section name, or remove it";

/// The hint for a `must<>` error, found by its message; empty for any other message.
template <typename... Rules>
std::string_view hint_among(std::string_view message) {
    std::string_view found;
    ((found.empty() && message == errors::message<Rules> ? found = hints::text<Rules> : found),
     ...);
    return found;
}
inline std::string_view hint_of(std::string_view message) {
    return hint_among<include_path, end_of_statement, after_open_brace, key_close, name_close>(
        message);
}

template <typename Rule>
using control = p::must_if<errors>::control<Rule>;

}  // namespace mailtls::grammar::dovecot

namespace tao::pegtl {
// what analyze() needs to know of the grammar's own rules: rest may match without
// consuming
template <typename Name>
struct analyze_traits<Name, mailtls::grammar::dovecot::rest> : analyze_opt_traits<> {};
}  // namespace tao::pegtl
