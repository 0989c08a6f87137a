#pragma once

// The grammar of Postfix master.cf, as postconf reads it: readllines() joins the logical
// lines (shared with main.cf, see postfix_lines.hpp), argv_splitq() splits each entry into
// words on " \t\r\n" without splitting text between balanced '{' and '}'
// (pcf_parse_master_entry() in src/postconf/postconf_master.c), and pcf_check_master_entry()
// checks the type, the three y/n/- flags, the wakeup time and the process limit.
//
// How it departs from the daemon's parser:
// - It splits words in place over the bytes (a continuation is a separator, or part of a
//   '{ }' group), so that every field and argument keeps its byte range.
// - Postfix stops at the first bad entry (postconf and master(8) exit); this grammar only
//   splits words, and the builder records each bad field with its range and goes on with the
//   next entry. The field productions below (`type_name`, `flag`, `wakeup_time`,
//   `process_limit`, `inet_endpoint`) are matched against a single word by the builder.
// - Vertical tab and form feed start a continuation line (ISSPACE) but do not separate words
//   for argv_splitq(); this grammar treats them as separators everywhere.

#include <cstddef>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include "parse/postfix_lines.hpp"

namespace mailtls::grammar::postfix_master {

namespace p = tao::pegtl;

using postfix_lines::continuation;
using postfix_lines::eolf;
using postfix_lines::orphan_line;
using postfix_lines::skip_line;
using postfix_lines::ws;

/// A `{` and the text up to its balancing `}` (braces nest; mystrtokq() counts them). An
/// unclosed group runs to the end of the logical line. The nesting is counted, not recursed
/// into, so no input can exhaust the stack.
struct group {
    using rule_t = group;
    using subs_t = p::type_list<continuation>;

    template <p::apply_mode A, p::rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename Input, typename... States>
    [[nodiscard]] static bool match(Input& in, States&&... st) {
        if (in.empty() || in.peek_char() != '{') {
            return false;
        }
        in.bump(1);
        std::size_t level = 1;
        while (!in.empty() && level > 0) {
            const char c = in.peek_char();
            if (c == '\n') {
                // Only a continuation keeps the group open; else the logical line ends here.
                if (!p::match<continuation, p::apply_mode::nothing, p::rewind_mode::required,
                              Action, Control>(
                        in, st...)) {
                    break;
                }
                continue;
            }
            if (c == '{') {
                ++level;
            } else if (c == '}') {
                --level;
            }
            in.bump(1);
        }
        return true;
    }
};

/// A word character outside a group: anything but the separators and '{'. A '}' with no
/// open group is an ordinary character, as for mystrtokq().
struct word_char : p::not_one<' ', '\t', '\v', '\f', '\r', '\n', '{'> {};
struct word : p::plus<p::sor<group, word_char>> {};

/// Whitespace between the words of one entry.
struct separator : p::plus<p::sor<ws, continuation>> {};

/// The first word of an entry (the service name) and the words after it.
struct first_word : word {};
struct next_word : word {};

struct entry
    : p::seq<first_word, p::star<separator, next_word>, p::opt<separator>, eolf> {};

struct file : p::seq<p::star<p::sor<skip_line, orphan_line, entry>>, p::eof> {};

// --- the syntax of single fields, matched against one word ---------------------------------

struct type_name
    : p::sor<TAO_PEGTL_STRING("unix-dgram"), TAO_PEGTL_STRING("unix"),
             TAO_PEGTL_STRING("inet"), TAO_PEGTL_STRING("fifo"), TAO_PEGTL_STRING("pass")> {};
struct type_field : p::seq<type_name, p::eof> {};

/// private, unprivileged, chroot: a single y, n or - (`-` is the built-in default).
struct flag : p::one<'y', 'n', '-'> {};
struct flag_field : p::seq<flag, p::eof> {};

/// A wakeup time in seconds; '?' after it means no wakeup before the service is first used.
struct wakeup_seconds : p::star<p::digit> {};
struct wakeup_no_first : p::one<'?'> {};
struct wakeup_field
    : p::sor<p::seq<p::one<'-'>, p::opt<wakeup_no_first>, p::eof>,
             p::seq<wakeup_seconds, p::opt<wakeup_no_first>, p::eof>> {};

struct process_limit_field
    : p::sor<p::seq<p::one<'-'>, p::eof>, p::seq<p::star<p::digit>, p::eof>> {};

/// An inet service name: `[host]:port` (brackets for IPv6), `host:port` (split at the last
/// ':'), or `port` alone (every address in inet_interfaces). Host and port may be names or
/// numbers; the daemon resolves them.
struct port : p::plus<p::not_one<':'>> {};
struct bracketed_host : p::plus<p::not_one<']'>> {};
struct host : p::plus<p::not_at<p::one<':'>, port, p::eof>, p::any> {};
struct bracketed_endpoint
    : p::seq<p::one<'['>, bracketed_host, p::one<']'>, p::one<':'>, port, p::eof> {};
struct host_port_endpoint : p::seq<host, p::one<':'>, port, p::eof> {};
struct port_endpoint : p::seq<port, p::eof> {};
struct inet_endpoint : p::sor<bracketed_endpoint, host_port_endpoint, port_endpoint> {};

}  // namespace mailtls::grammar::postfix_master

namespace tao::pegtl {

template <typename Name>
struct analyze_traits<Name, mailtls::grammar::postfix_master::group>
    : analyze_any_traits<mailtls::grammar::postfix_master::continuation> {};

}  // namespace tao::pegtl
