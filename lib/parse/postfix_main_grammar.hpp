#pragma once

// The grammar of Postfix main.cf, as Postfix's readlline() and split_nameval() read it.
//
// How it departs from the daemon: Postfix first joins a logical line and then splits it; this
// grammar does both in one pass over the bytes, so that every name and value keeps its place
// in the file. It also recovers where Postfix stops: a logical line without '=' is recorded
// and parsing goes on with the next one.
//
// Whitespace is Postfix's ISSPACE less the newline: space, tab, vertical tab, form feed and
// carriage return (so CRLF endings need no special case). A newline followed by any number of
// blank or comment lines and then an indented line is a continuation: within a logical line it
// is whitespace.

#include <tao/pegtl.hpp>

namespace mailtls::grammar::postfix_main {

namespace p = tao::pegtl;

struct ws : p::one<' ', '\t', '\v', '\f', '\r'> {};
struct eol : p::one<'\n'> {};
struct eolf : p::sor<eol, p::eof> {};
struct rest_of_line : p::star<p::not_one<'\n'>> {};
struct comment : p::seq<p::one<'#'>, rest_of_line> {};

/// A blank line or a comment line: it never ends a logical line. (Spelled so that every
/// alternative consumes input, which lets analyze() prove the grammar free of loops.)
struct skip_line
    : p::sor<p::seq<p::star<ws>, p::opt<comment>, eol>,
             p::seq<p::sor<p::seq<p::plus<ws>, p::opt<comment>>, comment>, p::eof>> {};

/// The end of a physical line that the next non-skipped line continues.
struct continuation
    : p::seq<eol, p::star<skip_line>, p::plus<ws>, p::not_at<p::sor<p::one<'#'>, eolf>>> {};

/// Whitespace inside a logical line.
struct logical_space : p::sor<ws, continuation> {};

struct name : p::plus<p::not_one<' ', '\t', '\v', '\f', '\r', '\n', '='>> {};
struct equals : p::one<'='> {};
struct value : p::star<p::sor<continuation, p::not_one<'\n'>>> {};

struct parameter
    : p::seq<name, p::star<logical_space>, equals, p::star<logical_space>, value> {};

/// A logical line that is not `name = value`: recorded as a syntax error.
struct bad_line
    : p::seq<p::plus<p::not_one<'\n'>>, p::star<continuation, rest_of_line>> {};

struct entry : p::seq<p::sor<parameter, bad_line>, eolf> {};

/// An indented line with nothing to continue, with its own continuation lines.
struct orphan_text : p::seq<rest_of_line, p::star<continuation, rest_of_line>> {};
struct orphan_line
    : p::seq<p::plus<ws>, p::not_at<p::sor<p::one<'#'>, eolf>>, orphan_text, eolf> {};

struct file : p::seq<p::star<p::sor<skip_line, orphan_line, entry>>, p::eof> {};

}  // namespace mailtls::grammar::postfix_main
