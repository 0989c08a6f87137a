#include <algorithm>
#include <string>

#include "mailtls/ast/postfix_master.hpp"
#include "mailtls/parse.hpp"
#include "parse/limits.hpp"
#include "parse/postfix_master_grammar.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace {

namespace g = grammar::postfix_master;
namespace p = tao::pegtl;

constexpr std::size_t k_min_fields = 8;

/// What the actions collect for the entry being matched: the byte ranges of its words.
struct builder {
    const source_file& source;
    ast::master_cf& out;
    std::vector<byte_range> words;
};

std::uint32_t offset_of(const char* at, const source_file& source) {
    return static_cast<std::uint32_t>(at - source.text().data());
}

template <typename Rule>
struct action : p::nothing<Rule> {};

template <>
struct action<g::first_word> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        const auto begin = offset_of(in.begin(), b.source);
        b.words.clear();
        b.words.push_back({begin, begin + static_cast<std::uint32_t>(in.size())});
    }
};

template <>
struct action<g::next_word> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        const auto begin = offset_of(in.begin(), b.source);
        b.words.push_back({begin, begin + static_cast<std::uint32_t>(in.size())});
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

/// True when `rule` matches all of `text`.
template <typename Rule>
bool matches(std::string_view text) {
    p::memory_input<p::tracking_mode::lazy> in(text.data(), text.size(), "");
    return p::parse<Rule>(in);
}

/// The pieces of `pieces` that cover [begin, end) of the text they make up.
std::vector<byte_range> sub_pieces(const std::vector<byte_range>& pieces, std::size_t begin,
                                   std::size_t end) {
    std::vector<byte_range> out;
    std::size_t at = 0;
    for (const auto& piece : pieces) {
        const std::size_t piece_end = at + piece.size();
        const std::size_t b = std::max(begin, at);
        const std::size_t e = std::min(end, piece_end);
        if (b < e) {
            out.push_back({piece.begin + static_cast<std::uint32_t>(b - at),
                           piece.begin + static_cast<std::uint32_t>(e - at)});
        }
        at = piece_end;
    }
    if (out.empty()) {
        const auto where = detail::piece_offset(pieces, begin);
        out.push_back({where, where});
    }
    return out;
}

ast::master_cf_word make_word(const source_file& source, byte_range range) {
    const std::string_view text = source.text();
    // An unclosed group runs to the end of the line, trailing blanks included.
    while (range.end > range.begin && detail::is_space(text[range.end - 1])) {
        --range.end;
    }
    ast::master_cf_word word;
    word.range = range;
    word.pieces = detail::logical_pieces(text, range.begin, range.end);
    for (const auto& piece : word.pieces) {
        word.text += source.slice(piece);
    }
    return word;
}

constexpr bool is_postfix_space(char c) noexcept { return c == '\n' || detail::is_space(c); }

/// What Postfix's extpar() makes of a word that starts with '{': the content between the
/// outer braces without its leading and trailing blanks, as offsets into the word's text.
struct extracted {
    std::size_t begin = 0;
    std::size_t end = 0;
};

extracted extract_group(ast::master_cf& out, const ast::master_cf_word& word) {
    const std::string_view text = word.text;
    std::size_t level = 0;
    std::size_t close = std::string_view::npos;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{') {
            ++level;
        } else if (text[i] == '}' && --level == 0) {
            close = i;
            break;
        }
    }
    extracted e{1, text.size()};
    if (close == std::string_view::npos) {
        out.errors.push_back(
            {"missing '}' after '{': Postfix reads the rest of the entry as one argument",
             word.range});
    } else {
        e.end = close;
        if (close + 1 < text.size()) {
            out.errors.push_back(
                {"text after '}' is ignored: '" + std::string(text.substr(close + 1)) + "'",
                 word.source_range(close + 1, text.size())});
        }
    }
    while (e.begin < e.end && is_postfix_space(text[e.begin])) {
        ++e.begin;
    }
    while (e.end > e.begin && is_postfix_space(text[e.end - 1])) {
        --e.end;
    }
    return e;
}

/// Splits text[begin, end) of the value word as split_nameval() does, filling the override.
void split_override(const source_file& source, const ast::master_cf_word& word,
                    std::size_t begin, std::size_t end, ast::master_cf_override& o) {
    const std::string_view text = word.text;
    auto np = begin;
    while (np < end && is_postfix_space(text[np])) {
        ++np;
    }
    if (np == end || text[np] == '=') {
        o.problem = "missing attribute name";
        return;
    }
    auto ep = np;
    while (ep < end && !is_postfix_space(text[ep]) && text[ep] != '=') {
        ++ep;
    }
    auto cp = ep;
    while (cp < end && is_postfix_space(text[cp])) {
        ++cp;
    }
    if (cp == end || text[cp] != '=') {
        o.problem = "missing '=' after attribute name";
    }
    o.name_range = word.source_range(np, ep);
    o.name = source.slice(o.name_range);
    if (!o.problem.empty()) {
        return;
    }
    auto vp = cp + 1;
    while (vp < end && is_postfix_space(text[vp])) {
        ++vp;
    }
    auto ve = end;
    while (ve > vp && is_postfix_space(text[ve - 1])) {
        --ve;
    }
    o.value = std::string(text.substr(vp, ve - vp));
    o.value_pieces = sub_pieces(word.pieces, vp, ve);
    o.value_range = {o.value_pieces.front().begin, o.value_pieces.back().end};
}

/// Reads the value of an `-o` option: text[begin..] of `word`.
void read_override(const source_file& source, ast::master_cf& out,
                   ast::master_cf_argument& value_arg, std::size_t begin,
                   ast::master_cf_override& o) {
    const auto& word = value_arg.word;
    const std::string_view text = word.text;
    if (begin < text.size() && text[begin] == '{') {
        ast::master_cf_word group;
        group.text = std::string(text.substr(begin));
        group.pieces = sub_pieces(word.pieces, begin, text.size());
        group.range = {group.pieces.front().begin, group.pieces.back().end};
        const auto e = extract_group(out, group);
        split_override(source, group, e.begin, e.end, o);
        if (o.form == ast::master_cf_override_form::separate) {
            o.form = ast::master_cf_override_form::braced;
        }
        value_arg.braced = true;
        value_arg.value = o.usable() ? std::string(o.name) + "=" + o.value
                                     : std::string(group.text.substr(e.begin, e.end - e.begin));
        return;
    }
    split_override(source, word, begin, text.size(), o);
    value_arg.value = std::string(text.substr(begin));
}

/// Sorts the words after the command into daemon options, option values and operands, and
/// reads the `-o` overrides (pcf_normalize_daemon_args() in postconf_master.c).
void read_arguments(const source_file& source, ast::master_cf& out, ast::master_cf_entry& e) {
    auto& args = e.arguments;
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        auto& arg = args[i];
        const std::string_view text = arg.word.text;
        if (text.empty() || text[0] != '-' || text == "--") {
            break;
        }
        arg.kind = ast::master_cf_argument_kind::option;
        arg.value = std::string(text);
        const auto o_at = text.find('o', 1);
        if (o_at == std::string_view::npos) {
            continue;  // an option without a value, such as -v or -D
        }
        ast::master_cf_override o;
        o.option_index = i;
        o.option_range = arg.word.source_range(0, o_at + 1);
        if (o_at + 1 < text.size()) {
            o.form = ast::master_cf_override_form::joined;
            o.value_index = i;
            o.range = arg.word.range;
            read_override(source, out, arg, o_at + 1, o);
        } else if (i + 1 < args.size()) {
            auto& value_arg = args[++i];
            value_arg.kind = ast::master_cf_argument_kind::option_value;
            o.value_index = i;
            o.range = {arg.word.range.begin, value_arg.word.range.end};
            read_override(source, out, value_arg, 0, o);
        } else {
            o.value_index = i;
            o.range = arg.word.range;
            o.problem = "missing value after '-o'";
        }
        e.overrides.push_back(std::move(o));
    }
    for (; i < args.size(); ++i) {
        auto& arg = args[i];
        arg.kind = ast::master_cf_argument_kind::operand;
        const std::string_view text = arg.word.text;
        if (!text.empty() && text[0] == '{') {
            const auto x = extract_group(out, arg.word);
            arg.braced = true;
            arg.value = std::string(text.substr(x.begin, x.end - x.begin));
        } else {
            arg.value = std::string(text);
        }
    }
}

template <typename Rule>
struct endpoint_action : p::nothing<Rule> {};

struct endpoint {
    std::size_t host_begin = 0, host_end = 0, port_begin = 0, port_end = 0;
};

/// Each alternative splits the whole name once it has matched (an action on a part could
/// fire inside an alternative that then fails).
template <>
struct endpoint_action<g::bracketed_endpoint> {
    template <typename Input>
    static void apply(const Input& in, endpoint& e) {
        const std::string_view text(in.begin(), in.size());
        const auto close = text.find("]:");
        e = {1, close, close + 2, text.size()};
    }
};

template <>
struct endpoint_action<g::host_port_endpoint> {
    template <typename Input>
    static void apply(const Input& in, endpoint& e) {
        const std::string_view text(in.begin(), in.size());
        const auto colon = text.rfind(':');
        e = {0, colon, colon + 1, text.size()};
    }
};

template <>
struct endpoint_action<g::port_endpoint> {
    template <typename Input>
    static void apply(const Input& in, endpoint& e) {
        e = {0, 0, 0, in.size()};
    }
};

void read_endpoint(const source_file& source, ast::master_cf_entry& e) {
    const auto& word = e.service;
    if (e.type != ast::master_service_type::inet || word.pieces.size() != 1) {
        return;
    }
    endpoint found;
    p::memory_input<p::tracking_mode::lazy> in(word.text.data(), word.text.size(), "");
    if (!p::parse<g::inet_endpoint, endpoint_action>(in, found)) {
        return;
    }
    if (found.host_end > found.host_begin) {
        e.host_range = word.source_range(found.host_begin, found.host_end);
        e.host = source.slice(e.host_range);
    }
    e.port_range = word.source_range(found.port_begin, found.port_end);
    e.port = source.slice(e.port_range);
}

ast::master_service_type service_type(std::string_view text) {
    using t = ast::master_service_type;
    for (const auto type : {t::inet, t::unix_stream, t::unix_dgram, t::fifo, t::pass}) {
        if (ast::to_string(type) == text) {
            return type;
        }
    }
    return t::unknown;
}

void check_field(ast::master_cf& out, const ast::master_cf_word& word, bool valid,
                 std::string_view field, std::string_view expected) {
    if (!valid) {
        out.errors.push_back({"invalid " + std::string(field) + " field '" + word.text +
                                  "': expected " + std::string(expected),
                              word.range});
    }
}

ast::master_cf_flag read_flag(ast::master_cf& out, ast::master_cf_word word,
                              std::string_view field) {
    const bool valid = matches<g::flag_field>(word.text);
    check_field(out, word, valid, field, "y, n or -");
    ast::master_cf_flag flag;
    flag.value = valid ? word.text[0] : '\0';
    flag.word = std::move(word);
    return flag;
}

void finish_entry(builder& b) {
    auto& out = b.out;
    const byte_range range{b.words.front().begin, b.words.back().end};
    if (b.words.size() < k_min_fields) {
        out.errors.push_back(
            {"bad field count: a master.cf entry needs 8 fields (service, type, private, "
             "unprivileged, chroot, wakeup, process limit, command), this one has " +
                 std::to_string(b.words.size()),
             range});
        return;
    }
    std::vector<ast::master_cf_word> words;
    words.reserve(b.words.size());
    for (const auto& r : b.words) {
        words.push_back(make_word(b.source, r));
    }
    ast::master_cf_entry e;
    e.range = {range.begin, words.back().range.end};
    e.service = std::move(words[0]);
    e.type = service_type(words[1].text);
    check_field(out, words[1], e.type != ast::master_service_type::unknown, "type",
                "inet, unix, unix-dgram, fifo or pass");
    e.type_word = std::move(words[1]);
    e.private_flag = read_flag(out, std::move(words[2]), "private");
    e.unprivileged_flag = read_flag(out, std::move(words[3]), "unprivileged");
    e.chroot_flag = read_flag(out, std::move(words[4]), "chroot");
    check_field(out, words[5], matches<g::wakeup_field>(words[5].text), "wakeup",
                "a number of seconds, optionally followed by '?', or -");
    e.wakeup = std::move(words[5]);
    check_field(out, words[6], matches<g::process_limit_field>(words[6].text),
                "process_limit", "a number or -");
    e.process_limit = std::move(words[6]);
    e.command = std::move(words[7]);
    for (std::size_t i = k_min_fields; i < words.size(); ++i) {
        ast::master_cf_argument arg;
        arg.word = std::move(words[i]);
        e.arguments.push_back(std::move(arg));
    }
    read_arguments(b.source, out, e);
    read_endpoint(b.source, e);
    out.entries.push_back(std::move(e));
}

template <>
struct action<g::entry> {
    template <typename Input>
    static void apply(const Input& /*in*/, builder& b) {
        finish_entry(b);
    }
};

}  // namespace

namespace ast {

std::string_view to_string(master_service_type type) noexcept {
    switch (type) {
        case master_service_type::inet: return "inet";
        case master_service_type::unix_stream: return "unix";
        case master_service_type::unix_dgram: return "unix-dgram";
        case master_service_type::fifo: return "fifo";
        case master_service_type::pass: return "pass";
        case master_service_type::unknown: return "unknown";
    }
    return "unknown";
}

std::uint32_t master_cf_word::source_offset(std::size_t text_offset) const noexcept {
    return pieces.empty() ? range.end : detail::piece_offset(pieces, text_offset);
}

byte_range master_cf_word::source_range(std::size_t begin, std::size_t end) const noexcept {
    if (begin >= end) {
        const auto at = source_offset(begin);
        return {at, at};
    }
    return {source_offset(begin), source_offset(end - 1) + 1};
}

std::uint32_t master_cf_override::source_offset(std::size_t value_offset) const noexcept {
    return value_pieces.empty() ? value_range.end
                                : detail::piece_offset(value_pieces, value_offset);
}

const master_cf_override* master_cf_entry::find_override(std::string_view name) const noexcept {
    const auto it = std::find_if(overrides.rbegin(), overrides.rend(), [&](const auto& o) {
        return o.usable() && o.name == name;
    });
    return it == overrides.rend() ? nullptr : &*it;
}

}  // namespace ast

ast::master_cf parse_postfix_master(const source_file& source) {
    ast::master_cf out;
    if (auto error = detail::line_length_error(source)) {
        out.errors.push_back(std::move(*error));
        return out;
    }
    builder b{source, out, {}};
    p::memory_input<p::tracking_mode::lazy, p::eol::lf_crlf> in(source.text().data(),
                                                                source.text().size(),
                                                                source.path());
    // The grammar accepts every input (every logical line is an entry), so this cannot fail.
    p::parse<g::file, action>(in, b);
    out.comments = detail::comment_lines(source);
    return out;
}

}  // namespace mailtls
