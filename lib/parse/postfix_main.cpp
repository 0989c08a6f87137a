#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "huge_pages.hpp"
#include "mailtls/parse.hpp"
#include "parse/limits.hpp"
#include "parse/postfix_main.hpp"
#include "parse/postfix_main_grammar.hpp"
#include "parse/text.hpp"
#include "two_threads.hpp"

namespace mailtls {

namespace {

namespace g = grammar::postfix_main;
namespace p = tao::pegtl;

/// What the actions build while the input is matched. `pending` holds the parts of the
/// logical line being tried; it is committed when the whole line has matched.
struct builder {
    const source_file& source;
    ast::main_cf& out;
    ast::value_storage& storage;
    /// Each committed parameter's pieces, in `storage.pieces`.
    detail::piece_runs runs;
    ast::main_cf_parameter pending;
    /// The pieces of `pending`'s value; added to `runs` when the line commits.
    std::vector<byte_range> pending_pieces;
    std::uint32_t equals_at = 0;
    bool has_equals = false;
};

std::uint32_t offset_of(const auto& in_or_pos, const source_file& source) {
    return static_cast<std::uint32_t>(in_or_pos - source.text().data());
}

template <typename Rule>
struct action : p::nothing<Rule> {};

template <>
struct action<g::name> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        const auto begin = offset_of(in.begin(), b.source);
        b.pending = {};
        b.pending_pieces.clear();
        b.pending.name = in.string_view();
        b.pending.name_range = {begin, begin + static_cast<std::uint32_t>(in.size())};
        b.has_equals = false;
    }
};

template <>
struct action<g::equals> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        b.has_equals = true;
        b.equals_at = offset_of(in.begin(), b.source);
    }
};

/// Splits the matched value into its physical pieces: continuation lines keep their leading
/// whitespace, blank and comment lines inside are dropped, line endings and trailing
/// whitespace are not part of the value. A value on one line is a view of the source; one
/// joined from several is kept in `storage`.
void set_value(builder& b, std::uint32_t begin, std::uint32_t end) {
    const std::string_view text = b.source.text();
    auto& param = b.pending;
    auto& pieces = b.pending_pieces;
    if (begin == end) {
        param.value = text.substr(begin, 0);
        param.value_range = {begin, begin};
        return;
    }
    std::uint32_t line_begin = begin;
    while (line_begin < end) {
        auto line_end = static_cast<std::uint32_t>(
            std::min<std::size_t>(text.find('\n', line_begin), end));
        const std::string_view line = text.substr(line_begin, line_end - line_begin);
        if (line_begin == begin || !detail::is_skippable_line(line)) {
            // CRLF is a line ending: the '\r' is not part of the value.
            const bool crlf = line_end < text.size() && text[line_end] == '\n' &&
                              line_end > line_begin && text[line_end - 1] == '\r';
            pieces.push_back({line_begin, crlf ? line_end - 1 : line_end});
        }
        line_begin = line_end + 1;
    }
    // Trim trailing whitespace across pieces (the last lines may hold only a '\r').
    while (!pieces.empty()) {
        auto& last = pieces.back();
        while (last.end > last.begin && detail::is_space(text[last.end - 1])) {
            --last.end;
        }
        if (!last.empty() || pieces.size() == 1) {
            break;
        }
        pieces.pop_back();
    }
    param.value_range = {pieces.front().begin, pieces.back().end};
    if (pieces.size() == 1) {
        param.value = b.source.slice(pieces.front());
        return;
    }
    std::size_t size = 0;
    for (const auto& piece : pieces) {
        size += piece.size();
    }
    auto& joined = b.storage.texts.emplace_back();
    joined.reserve(size);
    for (const auto& piece : pieces) {
        joined += b.source.slice(piece);
    }
    param.value = joined;
}

template <>
struct action<g::value> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        const auto begin = offset_of(in.begin(), b.source);
        set_value(b, begin, begin + static_cast<std::uint32_t>(in.size()));
    }
};

template <>
struct action<g::parameter> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        const auto begin = offset_of(in.begin(), b.source);
        b.pending.range = {begin, b.pending.value_range.end};
        b.runs.start();
        for (const auto piece : b.pending_pieces) {
            b.runs.add(piece);
        }
        b.out.parameters.push_back(b.pending);
        b.pending = {};
    }
};

/// The line g::one_line_parameter matched, committed as `parameter` would commit it: the
/// value is one piece (or none when it is empty), a view of the source.
template <>
struct action<g::one_line_parameter> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        const std::string_view text = b.source.text();
        const auto begin = offset_of(in.begin(), b.source);
        const char* const name_end = grammar::skip_run<g::is_name_char>(in.begin(), in.end());
        const auto name_size = static_cast<std::uint32_t>(name_end - in.begin());
        const char* at = grammar::skip_run<g::is_line_space>(name_end, in.end());
        at = grammar::skip_run<g::is_line_space>(at + 1, in.end());  // '='
        const auto value_begin = offset_of(at, b.source);
        auto value_end = offset_of(in.end(), b.source);
        if (value_end > value_begin && text[value_end - 1] == '\n') {
            --value_end;
        }
        while (value_end > value_begin && detail::is_space(text[value_end - 1])) {
            --value_end;
        }
        auto& param = b.out.parameters.emplace_back();
        param.name = text.substr(begin, name_size);
        param.name_range = {begin, begin + name_size};
        param.value = text.substr(value_begin, value_end - value_begin);
        param.value_range = {value_begin, value_end};
        param.range = {begin, value_end};
        b.runs.start();
        if (value_end != value_begin) {
            b.runs.add(param.value_range);
        }
    }
};

template <>
struct action<g::bad_line> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        const auto begin = offset_of(in.begin(), b.source);
        const std::string_view text = b.source.text();
        const std::uint32_t line_end = static_cast<std::uint32_t>(
            std::min<std::size_t>(text.find('\n', begin), text.size()));
        auto trimmed_end = line_end;
        while (trimmed_end > begin && detail::is_space(text[trimmed_end - 1])) {
            --trimmed_end;
        }
        if (text[begin] == '=') {
            b.out.errors.push_back({"missing parameter name before '='", {begin, begin + 1}});
            return;
        }
        // `name` matched (the line does not start with '='), but no '=' followed it.
        const auto name_end = b.pending.name_range.end;
        auto rest = name_end;
        while (rest < trimmed_end && detail::is_space(text[rest])) {
            ++rest;
        }
        std::string message = "missing '=' after parameter name '" +
                              std::string(text.substr(begin, name_end - begin)) + "'";
        if (rest < trimmed_end) {
            b.out.errors.push_back({std::move(message), {rest, trimmed_end}});
        } else {
            b.out.errors.push_back({std::move(message), {begin, name_end}});
        }
    }
};

template <>
struct action<g::orphan_line> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        const auto begin = offset_of(in.begin(), b.source);
        b.out.orphan_lines.push_back(detail::trim_orphan(
            b.source.text(), begin, begin + static_cast<std::uint32_t>(in.size())));
    }
};

/// The start of a physical line near the middle of `text` that begins a logical line for
/// sure (its first byte is neither whitespace, '#' nor a line ending: no production joins
/// it to the line before), or 0 when there is none from the middle on.
std::uint32_t split_point(std::string_view text) {
    const char* at = text.data() + text.size() / 2;
    const char* const end = text.data() + text.size();
    while (at < end) {
        const auto* newline = static_cast<const char*>(std::memchr(at, '\n', end - at));
        if (newline == nullptr || newline + 1 == end) {
            return 0;
        }
        if (g::starts_logical_line(newline[1])) {
            return static_cast<std::uint32_t>(newline + 1 - text.data());
        }
        at = newline + 1;
    }
    return 0;
}

/// What one part of a split parse builds: the parts of an `ast::main_cf` and the storage
/// its parameters borrow, until the two parts are joined.
struct part {
    ast::main_cf out;
    ast::value_storage storage;
};

/// Parses [begin, end) of `source` (whole logical lines) into `out` and `storage`; the
/// ranges it records are offsets into the whole source. Returns the parameters' piece runs,
/// whose spans are handed out once `storage.pieces` no longer moves.
template <typename File>
std::vector<std::uint32_t> parse_part(const source_file& source, std::uint32_t begin,
                                      std::uint32_t end, std::size_t starts, ast::main_cf& out,
                                      ast::value_storage& storage) {
    out.parameters.reserve(starts);
    detail::advise_huge_pages(out.parameters);
    builder b{source, out, storage, detail::piece_runs(storage.pieces), {}, {}, 0, false};
    b.runs.reserve(starts);
    const char* const text = source.text().data();
    p::memory_input<p::tracking_mode::lazy, p::eol::lf_crlf> in(text + begin, text + end,
                                                                source.path());
    // The grammar accepts every input (a bad line is a bad_line), so this cannot fail.
    p::parse<File, action>(in, b);
    return b.runs.take_starts();
}

/// Appends `second`, the parse of the lines after those `out` holds, to `out`, as if one
/// parse had read both: its parameters, with their spans moved into `storage.pieces` and
/// their joined values into `storage.texts`, then its orphan lines and errors.
void join(ast::main_cf& out, ast::value_storage& storage, std::vector<std::uint32_t> starts,
          part& second, std::vector<std::uint32_t> second_starts) {
    const auto first_count = out.parameters.size();
    const auto base = static_cast<std::uint32_t>(storage.pieces.size());
    storage.pieces.insert(storage.pieces.end(), second.storage.pieces.begin(),
                          second.storage.pieces.end());
    for (auto& start : second_starts) {
        start += base;
    }
    starts.insert(starts.end(), second_starts.begin(), second_starts.end());
    out.parameters.insert(out.parameters.end(), second.out.parameters.begin(),
                          second.out.parameters.end());
    detail::piece_runs::finish(storage.pieces, starts,
                               [&](std::size_t i, std::span<const byte_range> pieces) {
                                   out.parameters[i].value_pieces = pieces;
                               });
    // A value of several pieces is joined text (set_value()); the second part's is held by
    // its own storage, which goes away: copy it to the one the main_cf keeps.
    for (auto i = first_count; i < out.parameters.size(); ++i) {
        auto& param = out.parameters[i];
        if (param.value_pieces.size() > 1) {
            param.value = storage.texts.emplace_back(param.value);
        }
    }
    out.orphan_lines.insert(out.orphan_lines.end(), second.out.orphan_lines.begin(),
                            second.out.orphan_lines.end());
    out.errors.insert(out.errors.end(), std::make_move_iterator(second.out.errors.begin()),
                      std::make_move_iterator(second.out.errors.end()));
}

template <typename File>
ast::main_cf parse_main(const source_file& source, std::size_t parallel_bytes) {
    ast::main_cf out;
    if (auto error = detail::line_length_error(source)) {
        out.errors.push_back(std::move(*error));
        return out;
    }
    // A large file is read in two parts, the second on another thread: they split at the
    // start of a line that begins a logical line, so that each part is whole logical lines
    // and reads exactly as it does within the whole file.
    const std::string_view text = source.text();
    const auto split = text.size() > parallel_bytes ? split_point(text) : 0;
    // Room for every line that can start a parameter (it starts with a name character), so
    // that the vectors are not grown, and copied, while a large file is read. The source
    // has found the lines already.
    std::array<std::size_t, 2> starts{};
    std::array<std::size_t, 2> lines{};
    for (std::uint32_t line = 1; line <= source.line_count(); ++line) {
        const auto r = source.line_range(line);
        const auto c = r.empty() ? 0 : static_cast<unsigned char>(text[r.begin]);
        const auto in_part = split != 0 && r.begin >= split ? 1 : 0;
        starts[in_part] += std::isalnum(c) != 0 || c == '_' ? 1 : 0;
        ++lines[in_part];
    }
    auto storage = std::make_shared<ast::value_storage>();
    storage->pieces.reserve(source.line_count());
    const auto size = static_cast<std::uint32_t>(text.size());
    if (split == 0) {
        const auto runs = parse_part<File>(source, 0, size, starts[0], out, *storage);
        detail::piece_runs::finish(storage->pieces, runs,
                                   [&](std::size_t i, std::span<const byte_range> pieces) {
                                       out.parameters[i].value_pieces = pieces;
                                   });
        out.comments = detail::comment_lines(source);
    } else {
        // Three pieces of work for two threads (detail::run_on_two_threads()), taken one at
        // a time: the two parts, and the comment lines, which depend on the text only.
        // Without a second thread, this one does all three.
        part second;
        second.storage.pieces.reserve(lines[1]);
        std::vector<std::uint32_t> runs;
        std::vector<std::uint32_t> second_runs;
        std::vector<ast::comment> comments;
        detail::run_on_two_threads(3, [&](std::size_t work, std::size_t) {
            if (work == 0) {
                runs = parse_part<File>(source, 0, split, starts[0] + starts[1], out, *storage);
            } else if (work == 1) {
                second_runs = parse_part<File>(source, split, size, starts[1], second.out,
                                               second.storage);
            } else {
                comments = detail::comment_lines(source);
            }
        });
        join(out, *storage, std::move(runs), second, std::move(second_runs));
        out.comments = std::move(comments);
    }
    out.storage = std::move(storage);
    return out;
}

}  // namespace

ast::main_cf parse_postfix_main(const source_file& source) {
    return parse_main<g::file>(source, detail::k_parallel_bytes);
}

namespace detail {

ast::main_cf parse_postfix_main_by_grammar(const source_file& source) {
    return parse_main<g::file_by_grammar>(source, k_parallel_bytes);
}

ast::main_cf parse_postfix_main(const source_file& source, std::size_t parallel_bytes) {
    return parse_main<g::file>(source, parallel_bytes);
}

}  // namespace detail

}  // namespace mailtls
