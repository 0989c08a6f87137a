#include <algorithm>
#include <string>

#include "mailtls/parse.hpp"
#include "parse/dovecot.hpp"
#include "parse/limits.hpp"
#include "parse/dovecot_grammar.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace ast {

std::string_view to_string(dovecot_syntax s) noexcept {
    switch (s) {
        case dovecot_syntax::v1: return "1.x";
        case dovecot_syntax::v2: return "2.0-2.3";
        case dovecot_syntax::v24: return "2.4";
    }
    return "unknown";
}

dovecot_syntax dovecot_syntax_of(version v) noexcept {
    if (v.major < 2) {
        return dovecot_syntax::v1;
    }
    if (v.major == 2 && v.minor < 4) {
        return dovecot_syntax::v2;
    }
    return dovecot_syntax::v24;
}

dovecot_parse_options dovecot_parse_options::for_version(version v) noexcept {
    dovecot_parse_options options;
    options.syntax = dovecot_syntax_of(v);
    options.line_continuation = !(v.major == 1 && v.minor == 0);
    options.include_globs = !(v.major == 1 && (v.minor < 2 || (v.minor == 2 && v.patch >= 0 &&
                                                                v.patch < 2)));
    return options;
}

}  // namespace ast

namespace {

namespace g = grammar::dovecot;
namespace p = tao::pegtl;
using ast::dovecot_syntax;

/// Sections nested deeper than this are reported and their contents skipped. Real files nest
/// four or five levels; the limit keeps hostile input from growing the section stack.
constexpr std::uint32_t k_max_section_depth = 100;

constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

/// A piece of a logical line: `size` bytes at `text_begin` in the joined text come from
/// `source_begin` in the file.
struct piece {
    std::uint32_t text_begin;
    std::uint32_t source_begin;
    std::uint32_t size;
};

/// Where something happened on a physical line, recorded by the line grammar's actions.
struct line_events {
    std::vector<std::uint32_t> comments;           ///< offsets of `#` that start a comment
    std::vector<std::uint32_t> unclosed_quotes;    ///< offsets of quotes never closed
    bool last_region_closed = false;
};

struct builder {
    builder(const source_file& s, ast::dovecot_parse_options o, ast::dovecot_file& f,
            ast::dovecot_storage& st)
        : source(s), options(o), out(f), storage(st) {}

    const source_file& source;
    ast::dovecot_parse_options options;
    /// Read every logical line with the statement grammar, without the shortcut for
    /// `key = value` (detail::parse_dovecot_by_grammar()).
    bool by_grammar = false;
    ast::dovecot_file& out;
    /// What the settings' views borrow besides the source, and the values' extents.
    ast::dovecot_storage& storage;
    line_events events;

    // the logical line: `line` is what the statement grammar reads, a slice of the source when
    // the logical line is one physical line (the common case), else `text`, the physical
    // lines joined
    std::string_view line;
    std::string text;
    std::vector<piece> pieces;
    std::vector<std::uint32_t> ambiguous;  ///< ambiguous-comment events of the logical line
    std::vector<std::pair<std::uint32_t, std::uint32_t>> kept;  ///< (quote, '#') pairs
    std::uint32_t line_end = 0;  ///< end of the last physical line's content

    // the statement being matched (offsets into `line`)
    std::uint32_t key_begin = 0, key_end = 0;
    std::string_view key;     ///< in `line`, or in `key_storage` when it was quoted
    std::string key_storage;
    std::uint32_t value_begin = 0, value_end = 0;
    bool has_name = false;
    std::uint32_t name_begin = 0, name_end = 0;
    std::string_view name;    ///< in `line`, or in `name_storage` when it was quoted
    std::string name_storage;
    bool include_try = false;
    std::uint32_t path_begin = 0, path_end = 0;

    // sections
    std::vector<std::uint32_t> open;  ///< stack of open section indices (root first)
    std::uint32_t skipped_depth = 0;  ///< sections opened beyond the depth limit
    bool depth_reported = false;

    /// The children of each open section so far, by depth: a section's list goes to the
    /// storage's array when it closes (growing one vector per section as its entries came
    /// was most of the parser's allocations). The lists are reused.
    std::vector<std::vector<ast::dovecot_section::entry>> children;
    /// Each closed section and where its list starts in the storage: the views are made
    /// once the array no longer grows.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> children_starts;

    [[nodiscard]] std::uint32_t current() const noexcept { return open.back(); }

    void add_child(ast::dovecot_section::entry_kind kind, std::uint32_t index) {
        ast::dovecot_section::entry child{};
        child.kind = kind;
        child.index = index;  // fewer than k_max_lines: parse_dovecot() checks the file
        children[open.size() - 1].push_back(child);
    }

    void open_section(std::uint32_t index) {
        open.push_back(index);
        if (children.size() < open.size()) {
            children.emplace_back();
        }
    }

    void close_section() {
        auto& list = children[open.size() - 1];
        children_starts.emplace_back(current(),
                                     static_cast<std::uint32_t>(storage.children.size()));
        storage.children.insert(storage.children.end(), list.begin(), list.end());
        list.clear();
        open.pop_back();
    }

    /// Maps an offset into `line` to a byte offset in the source.
    [[nodiscard]] std::uint32_t map(std::uint32_t at) const noexcept {
        for (const auto& pc : pieces) {
            if (at < pc.text_begin + pc.size) {
                return pc.source_begin + (at - std::min(at, pc.text_begin));
            }
            if (at == pc.text_begin + pc.size && &pc == &pieces.back()) {
                return pc.source_begin + pc.size;
            }
        }
        return pieces.empty() ? line_end : pieces.back().source_begin + pieces.back().size;
    }

    /// Maps the range [begin, end) of `line` to the source: first to last byte.
    [[nodiscard]] byte_range map_range(std::uint32_t begin, std::uint32_t end) const noexcept {
        if (pieces.size() == 1) {
            // one physical line (nearly every line): what map() gives, without its loop
            const auto& pc = pieces.front();
            const auto at = [&](std::uint32_t i) { return pc.source_begin + std::min(i, pc.size); };
            return begin >= end ? byte_range{at(begin), at(begin)}
                                : byte_range{at(begin), at(end - 1) + 1};
        }
        if (begin >= end) {
            const auto at = map(begin);
            return {at, at};
        }
        return {map(begin), map(end - 1) + 1};
    }

    /// Adds the pieces of the source that [begin, end) of `line` covers, one per line, to
    /// the storage, for the setting being built.
    void add_pieces(std::uint32_t begin, std::uint32_t end) {
        for (const auto& pc : pieces) {
            const auto b = std::max(begin, pc.text_begin);
            const auto e = std::min(end, pc.text_begin + pc.size);
            if (b < e) {
                storage.pieces.push_back({pc.source_begin + (b - pc.text_begin),
                                          pc.source_begin + (e - pc.text_begin)});
            }
        }
    }

    /// `s` as a setting keeps it: itself when it is a slice of the source, else a copy in
    /// the storage (`line` is a reused buffer when the logical line was joined).
    [[nodiscard]] std::string_view keep(std::string_view s) {
        const auto text = source.text();
        const std::less<const char*> before;
        if (s.empty() || (!before(s.data(), text.data()) &&
                          !before(text.data() + text.size(), s.data() + s.size()))) {
            return s;
        }
        return storage.texts.emplace_back(s);
    }
    [[nodiscard]] std::string_view keep(std::string s) {
        return storage.texts.emplace_back(std::move(s));
    }

    [[nodiscard]] byte_range statement_range() const noexcept {
        return map_range(0, static_cast<std::uint32_t>(line.size()));
    }

    void error(std::string message, byte_range range, std::string hint = {}) {
        out.errors.push_back({std::move(message), range, std::move(hint)});
    }
};

std::uint32_t offset_in(const auto& in_begin, const char* base) {
    return static_cast<std::uint32_t>(in_begin - base);
}

/// Backslash-unescapes like the daemon's str_unescape(): `\x` becomes `x`.
std::string unescape(std::string_view s) {
    std::string result;
    result.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            ++i;
        }
        result += s[i];
    }
    return result;
}

// --- layer 2 actions: one logical line ---------------------------------------------------

template <typename Rule>
struct statement_action : p::nothing<Rule> {};

/// The key is [begin, end) of the logical line, as written.
void bare_key_at(builder& b, std::uint32_t begin, std::uint32_t end) {
    b.key_begin = begin;
    b.key_end = end;
    b.key = b.line.substr(begin, end - begin);
    b.has_name = false;
}

template <>
struct statement_action<g::bare_key> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        const auto begin = offset_in(in.begin(), b.line.data());
        bare_key_at(b, begin, begin + static_cast<std::uint32_t>(in.size()));
    }
};

template <>
struct statement_action<g::quoted_key> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        b.key_begin = offset_in(in.begin(), b.line.data());
        b.key_end = b.key_begin + static_cast<std::uint32_t>(in.size());
        b.key_storage = unescape(in.string_view().substr(1, in.size() - 2));
        b.key = b.key_storage;
        b.has_name = false;
    }
};

template <>
struct statement_action<g::value> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        b.value_begin = offset_in(in.begin(), b.line.data());
        b.value_end = b.value_begin + static_cast<std::uint32_t>(in.size());
    }
};

/// Adds the references in `raw` (of the setting being built) to the storage.
void add_references(builder& b, std::string_view raw, std::uint32_t raw_begin) {
    using kind = ast::dovecot_reference::kind_type;
    std::size_t i = 0;
    bool first = true;
    while (i < raw.size()) {
        while (i < raw.size() && is_blank(raw[i])) {
            ++i;
        }
        const auto begin = i;
        while (i < raw.size() && !is_blank(raw[i])) {
            ++i;
        }
        const auto token = raw.substr(begin, i - begin);
        if (token.size() > 1 && token[0] == '$') {
            ast::dovecot_reference ref;
            std::string_view name = token.substr(1);
            if (name.starts_with("ENV:")) {
                ref.kind = kind::environment;
                name.remove_prefix(4);
            } else if (b.options.syntax == dovecot_syntax::v24) {
                if (name.starts_with("SET:")) {
                    ref.kind = kind::setting;
                    name.remove_prefix(4);
                } else {
                    ref.kind = kind::literal;
                }
            }
            ref.name = std::string(name);
            ref.range = b.map_range(raw_begin + static_cast<std::uint32_t>(begin),
                                    raw_begin + static_cast<std::uint32_t>(i));
            ref.starts_value = first;
            b.storage.references.push_back(std::move(ref));
        }
        first = false;
    }
}

/// What fill_value() works out besides the value's range, quote and file flag.
struct value_text {
    std::string_view text;  ///< in the source or the storage (keep())
    byte_range file_path;   ///< empty unless the value is a file value
};

/// Fills `value` (a new one) with its range, quote and file flag, adds its references to the
/// storage, and gives its text and file path (config_parse_line() in 2.x,
/// settings.c in 1.x).
value_text fill_value(builder& b, ast::dovecot_value& value) {
    const std::string_view raw =
        b.line.substr(b.value_begin, b.value_end - b.value_begin);
    value.range = b.map_range(b.value_begin, b.value_end);
    const bool v1 = b.options.syntax == dovecot_syntax::v1;
    if (!v1 && raw.starts_with('<')) {
        // a file value; 2.1+ skip blanks after '<'
        std::uint32_t at = b.value_begin + 1;
        while (at < b.value_end && is_blank(b.line[at])) {
            ++at;
        }
        value.file = true;
        return {b.keep(b.line.substr(at, b.value_end - at)), b.map_range(at, b.value_end)};
    }
    const bool quoted_start = raw.starts_with('"') || raw.starts_with('\'');
    if (!v1 && !quoted_start && raw.find('$') != std::string_view::npos) {
        // the daemon expands references and does not unquote such a value
        add_references(b, raw, b.value_begin);
        return {b.keep(raw), {}};
    }
    if (quoted_start && raw.back() == raw.front()) {
        value.quote = raw.front();
        return {b.keep(unescape(raw.size() >= 2 ? raw.substr(1, raw.size() - 2)
                                                : std::string_view{})),
                {}};
    }
    return {b.keep(raw), {}};
}

/// Fills `setting` (a new one, its key range set) with the value as the daemon reads it;
/// what only some settings have (a computed key or text, several pieces, references, a file
/// path) goes to an extent in the storage.
void make_value(builder& b, ast::dovecot_setting& setting, std::string_view key) {
    auto& pieces = b.storage.pieces;
    auto& references = b.storage.references;
    const auto pieces_begin = static_cast<std::uint32_t>(pieces.size());
    const auto references_begin = static_cast<std::uint32_t>(references.size());
    const auto value = fill_value(b, setting.value);
    // on one physical line, the value's one piece is its range (none when it is empty)
    const bool one_line = b.pieces.size() <= 1;
    if (!one_line) {
        b.add_pieces(b.value_begin, b.value_end);
    }
    const auto references_end = static_cast<std::uint32_t>(references.size());
    const auto piece_count = static_cast<std::uint32_t>(pieces.size()) - pieces_begin;
    const auto& range = setting.value.range;
    const bool one_piece = one_line || (piece_count == 0 ? range.empty()
                                                         : piece_count == 1 &&
                                                               pieces.back() == range);
    // the source's bytes at a range, as the file reads a key or text without an extent
    const auto text = b.source.text();
    const auto as_written = [&](std::string_view s, byte_range r) {
        return s.data() == text.data() + r.begin && s.size() == r.size();
    };
    const bool own_key = !as_written(key, setting.key_range);
    const bool own_text = !as_written(value.text, range);
    if (one_piece && references_end == references_begin && !own_key && !own_text &&
        !setting.value.file) {
        pieces.resize(pieces_begin);  // the range is the value's piece
        return;
    }
    const auto pieces_end = static_cast<std::uint32_t>(pieces.size());
    setting.extent = static_cast<std::uint32_t>(b.storage.extents.size());
    auto& e = b.storage.extents.emplace_back();
    e.key = own_key ? key : std::string_view{};
    e.text = own_text ? value.text : std::string_view{};
    e.pieces_begin = pieces_begin;
    e.pieces_end = pieces_end;
    e.references_begin = references_begin;
    e.references_end = references_end;
    e.file_path_range = value.file_path;
    e.own_key = own_key;
    e.own_text = own_text;
}

/// Adds the setting whose key and value the statement has found (unless it is inside a
/// section that is skipped).
void add_setting(builder& b) {
    if (b.skipped_depth > 0) {
        return;
    }
    const auto index = static_cast<std::uint32_t>(b.out.settings.size());
    auto& setting = b.out.settings.emplace_back();
    setting.key_range = b.map_range(b.key_begin, b.key_end);
    make_value(b, setting, b.keep(b.key));
    setting.section = b.current();
    b.add_child(ast::dovecot_section::entry_kind::setting, index);
}

template <dovecot_syntax Syntax>
struct statement_action<g::setting<Syntax>> {
    template <typename Input>
    static void apply(const Input&, builder& b) {
        add_setting(b);
    }
};

template <>
struct statement_action<g::include_try_keyword> {
    static void apply0(builder& b) { b.include_try = true; }
};

template <>
struct statement_action<g::include_keyword> {
    static void apply0(builder& b) { b.include_try = false; }
};

template <>
struct statement_action<g::include_path> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        b.path_begin = offset_in(in.begin(), b.line.data());
        b.path_end = b.path_begin + static_cast<std::uint32_t>(in.size());
    }
};

template <>
struct statement_action<g::include> {
    template <typename Input>
    static void apply(const Input&, builder& b) {
        if (b.skipped_depth > 0) {
            return;
        }
        ast::dovecot_include include;
        include.try_only = b.include_try;
        std::string_view path =
            b.line.substr(b.path_begin, b.path_end - b.path_begin);
        include.pattern_range = b.map_range(b.path_begin, b.path_end);
        if (path.size() >= 2 && (path.front() == '"' || path.front() == '\'') &&
            path.back() == path.front()) {
            include.pattern = unescape(path.substr(1, path.size() - 2));
        } else {
            include.pattern = std::string(path);
        }
        include.range = b.statement_range();
        include.section = b.current();
        const auto index = static_cast<std::uint32_t>(b.out.includes.size());
        b.out.includes.push_back(std::move(include));
        b.add_child(ast::dovecot_section::entry_kind::include, index);
    }
};

/// Closes the open section at the `}` at `at` of the logical line.
void end_section(builder& b, std::uint32_t at) {
    const auto range = b.map_range(at, at + 1);
    if (b.skipped_depth > 0) {
        --b.skipped_depth;
        return;
    }
    if (b.open.size() == 1) {
        b.error("unexpected '}': no section is open", range,
                "remove the '}', or add the section header it is meant to close above it");
        return;
    }
    b.out.sections[b.current()].close_range = range;
    b.close_section();
}

template <>
struct statement_action<g::section_end> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        end_section(b, offset_in(in.begin(), b.line.data()));
    }
};

template <>
struct statement_action<g::quoted_name> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        b.has_name = true;
        b.name_begin = offset_in(in.begin(), b.line.data());
        b.name_end = b.name_begin + static_cast<std::uint32_t>(in.size());
        b.name_storage = unescape(in.string_view().substr(1, in.size() - 2));
        b.name = b.name_storage;
    }
};

/// The section's name is [begin, end) of the logical line, as written.
void bare_name_at(builder& b, std::uint32_t begin, std::uint32_t end) {
    b.has_name = true;
    b.name_begin = begin;
    b.name_end = end;
    b.name = b.line.substr(begin, end - begin);
}

template <>
struct statement_action<g::bare_name> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        const auto begin = offset_in(in.begin(), b.line.data());
        bare_name_at(b, begin, begin + static_cast<std::uint32_t>(in.size()));
    }
};

template <>
struct statement_action<g::section_name<dovecot_syntax::v1>>
    : statement_action<g::bare_name> {};

bool is_filter(dovecot_syntax syntax, std::string_view type) {
    if (syntax == dovecot_syntax::v1) {
        return type == "protocol";
    }
    return type == "protocol" || type == "local" || type == "remote" || type == "local_name";
}

/// The rank of a 2.4 filter in the order filters must nest: local > local_name > remote >
/// protocol (a filter may only be inside filters of a lower rank).
int filter_rank(std::string_view type) {
    if (type == "local") {
        return 0;
    }
    if (type == "local_name") {
        return 1;
    }
    if (type == "remote") {
        return 2;
    }
    return 3;  // protocol
}

/// Why the syntax does not allow a section header here, and what to write instead.
struct header_problem {
    std::string message;  ///< empty when the header is fine
    std::string hint;
};

/// Why the syntax does not allow this section header here; an empty message when it does.
header_problem check_header(const builder& b, const ast::dovecot_section& section) {
    const auto syntax = b.options.syntax;
    const auto& parent = b.out.sections[b.current()];
    const std::string_view type = section.type;
    // built only for a message: most headers are fine
    const auto header = [&] {
        return "'" + std::string(type) +
               (section.has_name ? " " + std::string(section.name) : std::string()) +
               " {'";
    };
    if (syntax == dovecot_syntax::v1) {
        // master-settings.c parse_section(): a fixed set of sections
        if (parent.kind == ast::dovecot_section_kind::root) {
            if (type == "protocol") {
                static constexpr std::string_view k_protocols[] = {"imap", "pop3", "lda",
                                                                   "managesieve"};
                if (std::find(std::begin(k_protocols), std::end(k_protocols), section.name) ==
                    std::end(k_protocols)) {
                    return {header() + ": Dovecot 1.x knows the protocols imap, pop3, lda and "
                                     "managesieve only",
                            "write 'protocol imap {', 'protocol pop3 {', 'protocol lda {' or "
                            "'protocol managesieve {'"};
                }
                return {};
            }
            if (type == "namespace") {
                if (section.name != "private" && section.name != "shared" &&
                    section.name != "public") {
                    return {header() + ": a Dovecot 1.x namespace is private, shared or public",
                            "write 'namespace private {', 'namespace shared {' or 'namespace "
                            "public {': in 1.x the word after 'namespace' is its type"};
                }
                return {};
            }
            if (type == "auth" || type == "server") {
                if (section.has_name) {
                    return {};
                }
                return {header() + ": '" + std::string(type) + "' needs a name",
                        "name it: '" + std::string(type) + " default {'"};
            }
            if (type == "dict" || type == "plugin") {
                return {};
            }
            return {header() + ": Dovecot 1.x has no such section",
                    "correct the section type, or give the release the file is written for with "
                    "--dovecot-version"};
        }
        if (parent.type == "auth" && type != "passdb" && type != "userdb" && type != "socket") {
            return {header() + ": a Dovecot 1.x 'auth' section holds 'passdb', 'userdb' and "
                             "'socket' sections only",
                    "move the '" + std::string(type) + "' section out of 'auth " +
                        std::string(parent.name) + " {' to the top level"};
        }
        if (parent.type == "socket" && type != "master" && type != "client") {
            return {header() + ": a Dovecot 1.x 'socket' section holds 'master' and 'client' "
                             "sections only",
                    "write 'master {' or 'client {' inside 'socket " + std::string(parent.name) +
                        " {'"};
        }
        if (type == "protocol") {
            return {header() + ": Dovecot 1.x allows 'protocol' sections at the top level only",
                    "move the 'protocol " + std::string(section.name) +
                        " {' section out of the section around it, to the top level"};
        }
        return {};
    }
    if (is_filter(syntax, type)) {
        if (!section.has_name) {
            return {header() + ": the filter '" + std::string(type) + "' needs a name",
                    "write what it matches after '" + std::string(type) + "': " +
                        (type == "protocol"     ? "'protocol imap {'"
                         : type == "local_name" ? "'local_name mail.example.com {'"
                                                : "'" + std::string(type) + " 192.0.2.0/24 {'")};
        }
        for (auto index = b.current(); index != 0; index = b.out.sections[index].parent) {
            const auto& outer = b.out.sections[index];
            if (outer.kind != ast::dovecot_section_kind::filter) {
                return {header() + ": filters are only allowed at the top level or inside "
                                 "other filters",
                        "move the '" + std::string(type) + "' filter out of '" +
                            std::string(outer.type) +
                            (outer.has_name ? " " + std::string(outer.name) : "") +
                            " {' to the top level, and put a copy of that section inside the "
                            "filter if it should apply only there"};
            }
            if (syntax == dovecot_syntax::v24 ? filter_rank(outer.type) >= filter_rank(type)
                                              : (outer.type == type ||
                                                 (type != "protocol" &&
                                                  outer.type == "protocol") ||
                                                 (type == "local" &&
                                                  outer.type != "local"))) {
                return {header() + ": '" + std::string(type) + "' must not be inside '" +
                            std::string(outer.type) + "'" +
                            (syntax == dovecot_syntax::v24
                                 ? " (filters nest in the order local, local_name, remote, "
                                   "protocol)"
                                 : ""),
                        outer.type == type
                            ? "write the two '" + std::string(type) +
                                  "' filters one after the other, not one inside the other"
                            : "swap the filters: put '" + std::string(outer.type) +
                                  "' inside '" + std::string(type) + "', or move '" +
                                  std::string(type) + "' to the top level"};
            }
        }
        return {};
    }
    if (syntax == dovecot_syntax::v24) {
        if (type == "plugin") {
            return {header() + ": Dovecot 2.4 has no 'plugin' section; plugin settings are "
                             "global settings",
                    "move the settings out of 'plugin {' to the top level (or into the filter "
                    "around it) and remove the 'plugin {' line and its '}'"};
        }
        if (type == "auth" && section.has_name) {
            return {header() + ": Dovecot 2.4 has no 'auth' sections; auth settings are global "
                             "settings",
                    "write the settings as global 'auth_...' settings, and its 'passdb' and "
                    "'userdb' sections at the top level"};
        }
        static constexpr std::string_view k_named_lists[] = {
            "passdb", "userdb", "namespace", "mailbox", "service", "inet_listener",
            "unix_listener", "fifo_listener"};
        if (!section.has_name && std::find(std::begin(k_named_lists), std::end(k_named_lists),
                                           type) != std::end(k_named_lists)) {
            return {header() + ": a '" + std::string(type) +
                        "' section needs a name in Dovecot 2.4",
                    "name it: '" + std::string(type) + " NAME {' (" +
                        (type == "passdb" || type == "userdb" ? "the driver, e.g. '" +
                                                                    std::string(type) + " pam {'"
                         : type == "service"                  ? "e.g. 'service imap-login {'"
                         : type == "inet_listener"            ? "e.g. 'inet_listener imaps {'"
                         : type == "namespace"                ? "e.g. 'namespace inbox {'"
                         : type == "mailbox"                  ? "e.g. 'mailbox Sent {'"
                                                              : "its path, e.g. '" +
                                                                    std::string(type) +
                                                                    " auth-userdb {'") +
                        ")"};
        }
    }
    return {};
}

/// Opens the section whose header the statement has found (or skips it, past the depth
/// limit or inside a skipped one).
template <dovecot_syntax Syntax>
void begin_section(builder& b) {
    if (b.skipped_depth > 0 || b.open.size() > k_max_section_depth) {
        ++b.skipped_depth;
        if (!b.depth_reported) {
            b.depth_reported = true;
            b.error("sections nested deeper than " + std::to_string(k_max_section_depth) +
                        " levels: the contents of deeper sections are not checked",
                    b.statement_range(),
                    "nest the sections less deeply (each filter or section opens a level)");
        }
        return;
    }
    ast::dovecot_section section;
    const auto type_range = b.map_range(b.key_begin, b.key_end);
    section.type = b.source.slice(type_range);
    section.type_range = type_range;
    section.has_name = b.has_name;
    if (b.has_name) {
        section.name = b.keep(b.name);  // `line` and `name_storage` are reused
        section.name_range = b.map_range(b.name_begin, b.name_end);
    }
    section.header_range = b.statement_range();
    section.parent = b.current();
    section.depth = static_cast<std::uint32_t>(b.open.size());
    section.kind = is_filter(Syntax, section.type)
                       ? ast::dovecot_section_kind::filter
                       : (b.has_name ? ast::dovecot_section_kind::named
                                     : ast::dovecot_section_kind::unnamed);
    if (auto problem = check_header(b, section); !problem.message.empty()) {
        b.error(std::move(problem.message), section.header_range, std::move(problem.hint));
    }
    const auto index = static_cast<std::uint32_t>(b.out.sections.size());
    b.add_child(ast::dovecot_section::entry_kind::section, index);
    b.out.sections.push_back(std::move(section));
    b.open_section(index);
}

template <dovecot_syntax Syntax>
struct statement_action<g::section_begin<Syntax>> {
    template <typename Input>
    static void apply(const Input&, builder& b) {
        begin_section<Syntax>(b);
    }
};

template <>
struct statement_action<g::bad_statement> {
    template <typename Input>
    static void apply(const Input&, builder& b) {
        if (b.skipped_depth > 0) {
            return;
        }
        const std::string_view text = b.line;
        if (text.front() == '=') {
            b.error("missing setting name before '='", b.map_range(0, 1),
                    "write the setting's name before '=': 'key = value'");
            return;
        }
        if (b.key_end == 0) {
            // not even a key: the line starts with a byte no key has
            b.error("expecting a setting ('key = value'), a section header ('type name {') "
                    "or '}'",
                    b.statement_range(), "write the line as 'key = value', or remove it");
            if (text.back() == '{') {
                ++b.skipped_depth;  // skip the block, as for a header the daemon cannot read
            }
            return;
        }
        // `key` matched; what follows it is neither '= value' nor '[name] {'
        const std::string key(b.key);
        auto rest = b.key_end;
        while (rest < text.size() && is_blank(text[rest])) {
            ++rest;
        }
        if (rest == text.size()) {
            b.error("missing '=' after '" + key + "'", b.map_range(b.key_begin, b.key_end),
                    "write it as '" + key + " = value' (an empty value is '" + key +
                        " ='), or remove the line");
            return;
        }
        b.error("expecting '=' after '" + key + "', or '{' at the end of a section header",
                b.map_range(rest, static_cast<std::uint32_t>(text.size())),
                text.back() == '{' ? "write the section header as 'type name {': one word "
                                     "for the name, quoted if it holds blanks (2.x)"
                                   : "write it as '" + key + " = value', each setting on "
                                     "its own line");
        if (text.back() == '{') {
            // a header the daemon cannot read: skip its contents up to its '}', so that one
            // bad line gives one error
            ++b.skipped_depth;
        }
    }
};

/// The common logical lines read without the grammar: `key = value` with a bare key, `}`,
/// and a section header `type {` or `type name {` with a bare type and name. What the
/// statement grammar does with them (`include` refuses them at their first byte, the
/// alternatives that do not match change nothing, the one that does calls the actions
/// above), in one pass. False, with nothing done, for any other line: the grammar reads it
/// then, errors included. (A test holds this to the grammar.)
template <dovecot_syntax Syntax>
bool read_plain_statement(builder& b) {
    const std::string_view line = b.line;  // not empty, no blank at either end
    const char first = line.front();
    if (first == '!' || (Syntax == dovecot_syntax::v24 && first == '"')) {
        return false;  // an include, or a quoted key
    }
    const char* const begin = line.data();
    const char* const end = begin + line.size();
    const auto offset = [&](const char* at) { return static_cast<std::uint32_t>(at - begin); };
    const auto skip_blanks = [&](const char* at) {
        while (at != end && is_blank(*at)) {
            ++at;
        }
        return at;
    };
    const char* const key_end = grammar::skip_run<g::is_key_char>(begin, end);
    if (key_end == begin) {
        return false;
    }
    const char* const at = skip_blanks(key_end);
    if (at != end && *at == '=') {
        bare_key_at(b, 0, offset(key_end));
        b.value_begin = offset(skip_blanks(at + 1));
        b.value_end = offset(end);
        add_setting(b);
        return true;
    }
    if (first == '}') {
        if (line.size() != 1) {
            return false;  // `}` and more: the grammar says what is wrong
        }
        end_section(b, 0);
        return true;
    }
    // a section header: its `{` is the line's last byte
    if (line.back() != '{' || at == end) {
        return false;
    }
    const char* name_end = at;
    if (*at != '{') {
        // a bare name: no quote (but in 1.x, which has no quoted names), no blank
        if (Syntax != dovecot_syntax::v1 && *at == '"') {
            return false;
        }
        while (name_end != end && !is_blank(*name_end)) {
            ++name_end;
        }
        if (skip_blanks(name_end) != end - 1) {
            return false;  // not `{` after the name, or more after it
        }
    } else if (at != end - 1) {
        return false;
    }
    bare_key_at(b, 0, offset(key_end));
    if (name_end != at) {
        bare_name_at(b, offset(at), offset(name_end));
    }
    begin_section<Syntax>(b);
    return true;
}

template <dovecot_syntax Syntax>
void parse_statement(builder& b) {
    // what the key actions set is this statement's only: a key left from an earlier one
    // would view a line that is gone
    b.key = {};
    b.key_begin = b.key_end = 0;
    if (!b.by_grammar && read_plain_statement<Syntax>(b)) {
        return;
    }
    p::memory_input<p::tracking_mode::lazy> in(b.line.data(), b.line.size(), "");
    try {
        p::parse<g::statement<Syntax>, statement_action, g::control>(in, b);
    } catch (const p::parse_error& e) {
        const auto at = static_cast<std::uint32_t>(e.positions().front().byte);
        auto range = b.map_range(at, static_cast<std::uint32_t>(b.line.size()));
        if (range.empty()) {
            range = b.statement_range();
        }
        if (b.skipped_depth == 0) {
            std::string message(e.message());
            auto hint = std::string(g::hint_of(message));
            b.error(std::move(message), range, std::move(hint));
        }
        if (b.line.back() == '{') {
            ++b.skipped_depth;  // its '}' closes nothing the daemon opened: skip to it
        }
    }
}

/// From `at` to the end of its line, trailing blanks excluded.
byte_range trimmed_to_line_end(const source_file& source, std::uint32_t at) {
    auto end = source.line_range(source.position_of(at).line).end;
    const auto text = source.text();
    while (end > at && (is_blank(text[end - 1]) || text[end - 1] == '\r')) {
        --end;
    }
    return {at, end};
}

void finish_logical_line(builder& b) {
    if (!b.line.empty()) {
        const auto settings_before = b.out.settings.size();
        switch (b.options.syntax) {
            case dovecot_syntax::v1: parse_statement<dovecot_syntax::v1>(b); break;
            case dovecot_syntax::v2: parse_statement<dovecot_syntax::v2>(b); break;
            case dovecot_syntax::v24: parse_statement<dovecot_syntax::v24>(b); break;
        }
        if (b.skipped_depth == 0) {
            std::optional<std::uint32_t> setting;
            if (b.out.settings.size() > settings_before) {
                setting = static_cast<std::uint32_t>(settings_before);
            }
            using kind = ast::dovecot_comment_quirk::kind_type;
            for (const auto at : b.ambiguous) {
                b.out.comment_quirks.push_back(
                    {kind::no_blank_before, trimmed_to_line_end(b.source, at), {}, setting});
            }
            for (const auto& [quote, hash] : b.kept) {
                b.out.comment_quirks.push_back({kind::kept_by_quote,
                                                trimmed_to_line_end(b.source, hash),
                                                {quote, quote + 1}, setting});
            }
        }
    }
    b.line = {};
    b.text.clear();
    b.pieces.clear();
    b.ambiguous.clear();
    b.kept.clear();
}

void append_piece(builder& b, std::uint32_t begin, std::uint32_t end) {
    b.pieces.push_back({static_cast<std::uint32_t>(b.text.size()), begin, end - begin});
    b.text += b.source.text().substr(begin, end - begin);
}

// --- layer 1 actions: physical lines -----------------------------------------------------

template <typename Rule>
struct line_action : p::nothing<Rule> {};

template <>
struct line_action<g::comment> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        b.events.comments.push_back(offset_in(in.begin(), b.source.text().data()));
    }
};

template <char Quote>
struct line_action<g::closing_quote<Quote>> {
    static void apply0(builder& b) { b.events.last_region_closed = true; }
};

template <char Quote>
struct quoted_region_action {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        if (!b.events.last_region_closed) {
            b.events.unclosed_quotes.push_back(offset_in(in.begin(), b.source.text().data()));
        }
        b.events.last_region_closed = false;
    }
};
template <>
struct line_action<g::double_quoted> : quoted_region_action<'"'> {};
template <>
struct line_action<g::single_quoted> : quoted_region_action<'\''> {};

template <>
struct line_action<g::physical_line> {
    template <typename Input>
    static void apply(const Input& in, builder& b) {
        const std::string_view text = b.source.text();
        const auto begin = offset_in(in.begin(), text.data());
        auto end = begin + static_cast<std::uint32_t>(in.size());
        if (end > begin && text[end - 1] == '\n') {
            --end;
            if (end > begin && text[end - 1] == '\r') {
                --end;
            }
        }
        // events recorded inside this line (an alternative that failed may have recorded
        // the same ones twice)
        auto in_line = [&](std::uint32_t at) { return at >= begin && at < end; };
        std::optional<std::uint32_t> comment;
        for (const auto at : b.events.comments) {
            if (in_line(at) && (!comment || at < *comment)) {
                comment = at;
            }
        }
        std::optional<std::uint32_t> unclosed;
        for (const auto at : b.events.unclosed_quotes) {
            if (in_line(at) && (!comment || at < *comment)) {
                unclosed = at;
                break;
            }
        }
        b.events.comments.clear();
        b.events.unclosed_quotes.clear();
        b.events.last_region_closed = false;

        auto first = begin;
        while (first < end && is_blank(text[first])) {
            ++first;
        }
        if (comment) {
            b.out.comments.push_back({text.substr(*comment, end - *comment), {*comment, end}});
        }
        if (first == end || text[first] == '#') {
            return;  // blank or comment line: it does not end a continuation either
        }
        auto content_end = comment.value_or(end);
        if (comment && *comment > first && !is_blank(text[*comment - 1])) {
            b.ambiguous.push_back(*comment);
        }
        if (unclosed) {
            // a '#' after a blank inside the unmatched quote: it looks like a comment but is
            // part of the value
            for (auto at = *unclosed + 1; at < end; ++at) {
                if (text[at] == '#' && is_blank(text[at - 1])) {
                    b.kept.emplace_back(*unclosed, at);
                    break;
                }
            }
        }
        while (content_end > first && is_blank(text[content_end - 1])) {
            --content_end;
        }
        b.line_end = end;
        if (b.options.line_continuation && text[content_end - 1] == '\\') {
            auto piece_end = content_end - 1;
            if (b.options.syntax == dovecot_syntax::v1) {
                append_piece(b, first, piece_end);  // 1.x joins the pieces as they are
            } else {
                while (piece_end > first && is_blank(text[piece_end - 1])) {
                    --piece_end;
                }
                append_piece(b, first, piece_end);
                b.text += ' ';  // 2.x joins with exactly one space
            }
            return;
        }
        if (b.pieces.empty()) {
            // one physical line: the statement grammar reads it where it is
            b.pieces.push_back({0, first, content_end - first});
            b.line = text.substr(first, content_end - first);
        } else {
            append_piece(b, first, content_end);
            b.line = b.text;
        }
        finish_logical_line(b);
    }
};

ast::dovecot_file parse_file(const source_file& source, ast::dovecot_parse_options options,
                             bool by_grammar) {
    ast::dovecot_file out;
    out.syntax = options.syntax;
    out.source_text = source.text();
    out.sections.emplace_back();
    out.sections[0].kind = ast::dovecot_section_kind::root;
    if (auto error = detail::line_length_error(source)) {
        error->hint = "lint the Dovecot configuration file itself: no line of one is this long";
        out.errors.push_back(std::move(*error));
        return out;
    }
    if (source.line_count() > ast::dovecot_section::k_max_lines) {
        // a child's index has 30 bits (dovecot_section::entry), and each line has one at most
        out.errors.push_back({"more than " + std::to_string(ast::dovecot_section::k_max_lines) +
                                  " lines: the file is not parsed",
                              {0, 0},
                              "lint the Dovecot configuration file itself: no real one has "
                              "this many lines"});
        return out;
    }
    // Every setting has an '=' and every section a '{': reserving that many (at most one per
    // line) spares the copies of growing the vectors one setting at a time.
    const std::size_t lines = source.line_count();
    out.settings.reserve(std::min(detail::count_of('=', source.text()), lines));
    out.sections.reserve(1 + std::min(detail::count_of('{', source.text()), lines));
    auto storage = std::make_shared<ast::dovecot_storage>();
    builder b(source, options, out, *storage);
    b.by_grammar = by_grammar;
    // every setting and section but the root is a child (an include too)
    storage->children.reserve(out.settings.capacity() + out.sections.capacity() - 1);
    b.children_starts.reserve(out.sections.capacity());
    b.open_section(0);
    p::memory_input<p::tracking_mode::lazy> in(source.text().data(), source.text().size(),
                                               source.path());
    // Every input matches (a bad line is a bad_statement), so this cannot fail.
    p::parse<g::file, line_action>(in, b);
    if (!b.pieces.empty()) {
        // a continuation at the end of the file: the daemon reads what it has
        if (b.text.ends_with(' ')) {
            b.text.pop_back();
        }
        b.line = b.text;
        finish_logical_line(b);
    }
    out.storage = std::move(storage);
    for (auto it = b.open.rbegin(); it != b.open.rend() && *it != 0; ++it) {
        const auto& section = out.sections[*it];
        const auto header = std::string(section.type) +
                            (section.has_name ? " " + std::string(section.name) : std::string());
        out.errors.push_back({"missing '}': the section '" + header +
                                  "' opened here is never closed",
                              section.header_range,
                              "add a '}' line where the section '" + header + "' ends"});
    }
    while (!b.open.empty()) {
        b.close_section();  // the unclosed ones, then the root
    }
    const std::span<const ast::dovecot_section::entry> children = b.storage.children;
    for (std::size_t i = 0; i < b.children_starts.size(); ++i) {
        const auto [section, begin] = b.children_starts[i];
        const auto end = i + 1 < b.children_starts.size() ? b.children_starts[i + 1].second
                                                         : children.size();
        out.sections[section].children = children.subspan(begin, end - begin);
    }
    std::stable_sort(out.errors.begin(), out.errors.end(), [](const auto& x, const auto& y) {
        return x.range.begin < y.range.begin;
    });
    return out;
}

}  // namespace

ast::dovecot_file parse_dovecot(const source_file& source, ast::dovecot_parse_options options) {
    return parse_file(source, options, false);
}

namespace detail {

ast::dovecot_file parse_dovecot_by_grammar(const source_file& source,
                                           ast::dovecot_parse_options options) {
    return parse_file(source, options, true);
}

}  // namespace detail

}  // namespace mailtls
