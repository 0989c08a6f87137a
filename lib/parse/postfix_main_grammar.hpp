#pragma once

// The grammar of Postfix main.cf, as Postfix's readlline() and split_nameval() read it.
//
// How it departs from the daemon: Postfix first joins a logical line and then splits it; this
// grammar does both in one pass over the bytes, so that every name and value keeps its place
// in the file. It also recovers where Postfix stops: a logical line without '=' is recorded
// and parsing goes on with the next one.
//
// The line-level productions (whitespace, comment and blank lines, continuations, orphan
// lines) are shared with master.cf and live in postfix_lines.hpp.

#include <tao/pegtl.hpp>

#include "parse/postfix_lines.hpp"
#include "parse/runs.hpp"

namespace mailtls::grammar::postfix_main {

namespace p = tao::pegtl;

using postfix_lines::comment;
using postfix_lines::continuation;
using postfix_lines::eol;
using postfix_lines::eolf;
using postfix_lines::line_bytes;
using postfix_lines::logical_space;
using postfix_lines::orphan_line;
using postfix_lines::rest_of_line;
using postfix_lines::skip_line;
using postfix_lines::ws;

constexpr bool is_name_char(char c) noexcept {
    return c != ' ' && c != '\t' && c != '\v' && c != '\f' && c != '\r' && c != '\n' && c != '=';
}

struct name : run_of<is_name_char> {};
struct equals : p::one<'='> {};
/// Runs of a line's bytes, then a continuation at each line end that has one (the two
/// alternatives never match the same byte, so taking the runs first only saves tries).
struct value : p::star<p::sor<line_bytes<1>, continuation>> {};

struct parameter
    : p::seq<name, p::star<logical_space>, equals, p::star<logical_space>, value> {};

/// A logical line that is not `name = value`: recorded as a syntax error.
struct bad_line
    : p::seq<line_bytes<1>, p::star<continuation, rest_of_line>> {};

struct entry : p::seq<p::sor<parameter, bad_line>, eolf> {};

struct file : p::seq<p::star<p::sor<skip_line, orphan_line, entry>>, p::eof> {};

}  // namespace mailtls::grammar::postfix_main
