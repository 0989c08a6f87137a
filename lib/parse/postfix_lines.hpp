#pragma once

// The logical-line structure that main.cf and master.cf share: both are read by Postfix's
// readllines() (src/util/readlline.c), which joins an indented physical line to the line
// before it, drops blank and comment lines (also inside a logical line) and warns about an
// indented line with nothing before it to continue.
//
// How it departs from the daemon: readllines() copies a logical line into a buffer before
// anything splits it; these productions match the same structure in place, so that every
// part keeps its byte range. A continuation is matched as whitespace inside a logical line.
//
// Whitespace is Postfix's ISSPACE less the newline: space, tab, vertical tab, form feed and
// carriage return (so CRLF endings need no special case).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include "mailtls/ast/postfix_main.hpp"
#include "mailtls/source.hpp"
#include "parse/text.hpp"

namespace mailtls::grammar::postfix_lines {

namespace p = tao::pegtl;

struct ws : p::one<' ', '\t', '\v', '\f', '\r'> {};
struct eol : p::one<'\n'> {};
struct eolf : p::sor<eol, p::eof> {};
/// The bytes of a line up to its newline (or the end of the input), at least `Min` of them;
/// found with memchr, not matched byte by byte (most of a file's bytes are in these runs).
template <std::size_t Min>
struct line_bytes {
    using rule_t = line_bytes;
    using subs_t = p::empty_list;

    template <typename Input>
    [[nodiscard]] static bool match(Input& in) {
        const std::size_t size = in.size(std::size_t(-1));
        // Tried again at the line ending after each run: that answer needs no memchr().
        if (size == 0 || in.peek_char() == '\n') {
            return Min == 0;
        }
        const auto* newline = static_cast<const char*>(std::memchr(in.current(), '\n', size));
        const std::size_t length =
            newline == nullptr ? size : static_cast<std::size_t>(newline - in.current());
        if (length < Min) {
            return false;
        }
        in.bump_in_this_line(length);
        return true;
    }
};

struct rest_of_line : line_bytes<0> {};
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

/// An indented line with nothing to continue, with its own continuation lines: Postfix
/// warns "logical line must not start with whitespace" and skips it.
struct orphan_text : p::seq<rest_of_line, p::star<continuation, rest_of_line>> {};
struct orphan_line
    : p::seq<p::plus<ws>, p::not_at<p::sor<p::one<'#'>, eolf>>, orphan_text, eolf> {};

}  // namespace mailtls::grammar::postfix_lines

namespace tao::pegtl {

template <typename Name>
struct analyze_traits<Name, mailtls::grammar::postfix_lines::line_bytes<0>>
    : analyze_opt_traits<> {};

template <typename Name>
struct analyze_traits<Name, mailtls::grammar::postfix_lines::line_bytes<1>>
    : analyze_any_traits<> {};

}  // namespace tao::pegtl

namespace mailtls::detail {

/// The physical pieces of the logical text between `begin` and `end` (which lie within one
/// logical line): the line ending of each continuation and the blank or comment lines it
/// skips are left out, the continuation line's leading whitespace is kept, and a '\r' before
/// a line ending is dropped. Concatenated, the pieces give the text Postfix sees.
[[nodiscard]] inline std::vector<byte_range> logical_pieces(std::string_view text,
                                                            std::uint32_t begin,
                                                            std::uint32_t end) {
    std::vector<byte_range> pieces;
    std::uint32_t line_begin = begin;
    bool first = true;
    while (line_begin < end || (first && line_begin == end)) {
        const auto line_end =
            static_cast<std::uint32_t>(std::min<std::size_t>(text.find('\n', line_begin), end));
        const std::string_view line = text.substr(line_begin, line_end - line_begin);
        if (first || !is_skippable_line(line)) {
            const bool crlf = line_end < text.size() && text[line_end] == '\n' &&
                              line_end > line_begin && text[line_end - 1] == '\r';
            pieces.push_back({line_begin, crlf ? line_end - 1 : line_end});
        }
        first = false;
        line_begin = line_end + 1;
    }
    return pieces;
}

/// Maps an offset into the text that `pieces` make up back to a byte offset in the source.
[[nodiscard]] inline std::uint32_t piece_offset(const std::vector<byte_range>& pieces,
                                                std::size_t offset) noexcept {
    for (const auto& piece : pieces) {
        if (offset < piece.size()) {
            return piece.begin + static_cast<std::uint32_t>(offset);
        }
        offset -= piece.size();
    }
    return pieces.empty() ? 0 : pieces.back().end;
}

/// The range of an orphan line match without its line ending and trailing whitespace.
[[nodiscard]] inline byte_range trim_orphan(std::string_view text, std::uint32_t begin,
                                            std::uint32_t end) noexcept {
    while (end > begin && (text[end - 1] == '\n' || is_space(text[end - 1]))) {
        --end;
    }
    return {begin, end};
}

/// Every comment line of a file (those inside continuations included), from the `#` on.
[[nodiscard]] inline std::vector<ast::comment> comment_lines(const source_file& source) {
    std::vector<ast::comment> out;
    const std::string_view text = source.text();
    for (std::uint32_t line = 1; line <= source.line_count(); ++line) {
        const auto range = source.line_range(line);
        const auto content = text.substr(range.begin, range.size());
        const auto first = content.find_first_not_of(" \t\v\f\r");
        if (first != std::string_view::npos && content[first] == '#') {
            const auto begin = range.begin + static_cast<std::uint32_t>(first);
            out.push_back({text.substr(begin, range.end - begin), {begin, range.end}});
        }
    }
    return out;
}

}  // namespace mailtls::detail
