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

#include <cstring>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

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

/// The file as the productions above define it.
struct file_by_grammar : p::seq<p::star<p::sor<skip_line, orphan_line, entry>>, p::eof> {};

/// Postfix's whitespace less the newline (`ws`).
constexpr bool is_line_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/// A line that starts with `c` can be neither a continuation nor a skipped line.
constexpr bool starts_logical_line(char c) noexcept {
    return !is_line_space(c) && c != '#' && c != '\n';
}

/// A shortcut past `entry` for the line nearly every line of a large main.cf is: `name =
/// value` on one physical line, with its line ending, where the next line does not continue
/// it (it starts with neither whitespace, '#' nor a line ending, or the file ends there).
/// It matches exactly what `entry` would, in one step instead of a rule match per part;
/// any other line is left to `entry`. (A test holds `file` to `file_by_grammar`.)
struct one_line_parameter {
    using rule_t = one_line_parameter;
    using subs_t = p::empty_list;

    template <typename Input>
    [[nodiscard]] static bool match(Input& in) {
        const char* const begin = in.current();
        const char* const end = in.end();
        const char* at = skip_run<is_name_char>(begin, end);
        if (at == begin || *begin == '#') {
            return false;  // no name, or a comment line
        }
        at = skip_run<is_line_space>(at, end);
        if (at == end || *at != '=') {
            return false;
        }
        const auto* newline = static_cast<const char*>(std::memchr(at, '\n', end - at));
        if (newline == nullptr) {
            in.bump_in_this_line(static_cast<std::size_t>(end - begin));
            return true;
        }
        if (newline + 1 != end && !starts_logical_line(newline[1])) {
            return false;  // maybe a continuation: the grammar decides
        }
        in.bump_in_this_line(static_cast<std::size_t>(newline - begin));
        in.bump_to_next_line();
        return true;
    }
};

struct file
    : p::seq<p::star<p::sor<one_line_parameter, skip_line, orphan_line, entry>>, p::eof> {};

}  // namespace mailtls::grammar::postfix_main

namespace tao::pegtl {
/// For analyze(): the shortcut consumes what it matches.
template <typename Name>
struct analyze_traits<Name, mailtls::grammar::postfix_main::one_line_parameter>
    : analyze_any_traits<> {};
}  // namespace tao::pegtl
