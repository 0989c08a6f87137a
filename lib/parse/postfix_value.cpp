#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <deque>
#include <memory>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "arena_hash.hpp"
#include "huge_pages.hpp"
#include "mailtls/ast/postfix_value.hpp"
#include "mailtls/parse.hpp"
#include "parse/postfix_value.hpp"
#include "parse/postfix_value_grammar.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace {

namespace g = grammar::postfix_value;
namespace p = tao::pegtl;

/// Postfix's "unreasonable macro call nesting" limit (mac_expand.c).
constexpr std::size_t k_max_parse_depth = 100;

/// mac_expand()'s whitespace around `{text}` operands.
constexpr bool is_expr_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
using g::is_name_char;

std::uint32_t to_u32(std::size_t n) { return static_cast<std::uint32_t>(n); }

class value_parser {
public:
    /// `fast`: read plain parts without the grammar first (plain_parts()).
    value_parser(std::string_view value, ast::parsed_value& out,
                 const ast::value_parse_options& options, bool fast)
        : value_(value), out_(out), options_(options), fast_(fast) {}

    [[nodiscard]] bool literals() const noexcept { return out_.literals; }

    /// Gives a part that names a parameter its id (value_parse_options::number_parameter).
    void number(ast::value_part& part) const {
        if (options_.number_parameter) {
            part.id = options_.number_parameter(part.name());
        }
    }

    /// Parses value_[begin, end) into parts; `depth` counts the enclosing expressions.
    std::vector<ast::value_part> parse(std::size_t begin, std::size_t end, std::size_t depth);

    struct state {
        value_parser& parser;
        std::vector<ast::value_part>& parts;
        std::size_t depth;
        bool stopped = false;
    };

    void error(std::string message, std::size_t begin, std::size_t end) {
        out_.errors.push_back({std::move(message), {to_u32(begin), to_u32(end)}});
    }

    ast::value_part make_part(ast::value_part_kind kind, std::size_t begin,
                              std::size_t end) const {
        ast::value_part part(value_);
        part.kind = kind;
        part.range = {to_u32(begin), to_u32(end)};
        return part;
    }

    std::size_t offset(const char* at) const { return static_cast<std::size_t>(at - value_.data()); }

    /// Reads the inside of `${...}` (value_[begin, end)) as mac_expand() does. Returns false
    /// when Postfix would stop parsing the value.
    bool expression(ast::value_part& part, std::size_t begin, std::size_t end, std::size_t depth);

private:
    /// A fast path past the grammar for the parts nearly every value is made of: literal
    /// text, `$name`, and `${name}` / `$(name)` holding only a name (a list of a thousand
    /// references is a thousand of them). It adds the parts of value_[at, end) that are
    /// those, exactly as the grammar and its actions would, and returns where it stopped:
    /// at the first '$' that starts anything else (`$$`, an expression with more than a
    /// name in it, a '$' without a name, an expression not closed), from which the grammar
    /// reads the rest; `end` when it read everything. It never reports an error.
    std::size_t plain_parts(std::vector<ast::value_part>& parts, std::size_t at,
                            std::size_t end) const {
        while (at < end) {
            if (value_[at] != '$') {
                // The text between two references is mostly a blank or ", ": a few bytes
                // are looked at here, before the cost of a call to memchr().
                auto stop = at + 1;
                while (stop < end && stop < at + 4 && value_[stop] != '$') {
                    ++stop;
                }
                if (stop == at + 4 && stop < end && value_[stop] != '$') {
                    const void* dollar = std::memchr(value_.data() + stop, '$', end - stop);
                    stop = dollar ? offset(static_cast<const char*>(dollar)) : end;
                }
                if (literals()) {
                    parts.push_back(make_part(ast::value_part_kind::literal, at, stop));
                }
                at = stop;
                continue;
            }
            if (at + 1 == end) {
                return at;
            }
            const char open = value_[at + 1];
            const auto bare = is_name_char(open);
            if (!bare && open != '{' && open != '(') {
                return at;
            }
            const auto name_begin = bare ? at + 1 : at + 2;
            const auto name_end = offset(grammar::skip_run<is_name_char>(
                value_.data() + name_begin, value_.data() + end));
            auto part_end = name_end;
            if (!bare) {
                if (name_end == name_begin || name_end == end ||
                    value_[name_end] != (open == '{' ? '}' : ')')) {
                    return at;
                }
                part_end = name_end + 1;
            }
            auto part = make_part(ast::value_part_kind::reference, at, part_end);
            part.style = bare ? ast::reference_style::bare
                              : open == '{' ? ast::reference_style::braces
                                            : ast::reference_style::parentheses;
            part.name_range = {to_u32(name_begin), to_u32(name_end)};
            number(part);
            parts.push_back(std::move(part));
            at = part_end;
        }
        return at;
    }

    std::size_t skip_space(std::size_t at, std::size_t end) const {
        while (at < end && is_expr_space(value_[at])) {
            ++at;
        }
        return at;
    }

    /// At a '{': the operand up to its balancing '}'; blanks after it are skipped. Nothing when
    /// it is not closed.
    std::optional<ast::value_operand> curly(std::size_t& at, std::size_t end, std::size_t depth) {
        std::size_t level = 0;
        for (std::size_t i = at; i < end; ++i) {
            if (value_[i] == '{') {
                ++level;
            } else if (value_[i] == '}' && --level == 0) {
                ast::value_operand operand;
                operand.braced = true;
                operand.range = {to_u32(at + 1), to_u32(i)};
                operand.parts = parse(at + 1, i, depth + 1);
                at = skip_space(i + 1, end);
                return operand;
            }
        }
        error("unbalanced {} in parameter expression", at, end);
        return std::nullopt;
    }

    /// The operand after '?' or ':': `{text}` (blanks around it allowed), or the rest.
    std::optional<ast::value_operand> branch(std::size_t& at, std::size_t end, std::size_t depth) {
        const auto brace = skip_space(at, end);
        if (brace < end && value_[brace] == '{') {
            at = brace;
            return curly(at, end, depth);
        }
        ast::value_operand operand;
        operand.range = {to_u32(at), to_u32(end)};
        operand.parts = parse(at, end, depth + 1);
        at = end;
        return operand;
    }

    /// `?text`, `:text`, `?{t1}:{t2}` from `at` on; false on a syntax error.
    bool branches(ast::value_part& part, std::size_t at, std::size_t end, std::size_t depth) {
        if (at < end && value_[at] == '?') {
            ++at;
            part.fill_operands().when_true = branch(at, end, depth);
            if (!part.when_true()) {
                return false;
            }
            if (at == end) {
                return true;
            }
            if (value_[at] != ':') {
                error("':' expected in parameter expression", at, end);
                return false;
            }
        }
        if (at < end && value_[at] == ':') {
            ++at;
            part.fill_operands().when_false = branch(at, end, depth);
            if (!part.when_false()) {
                return false;
            }
            if (at != end) {
                error("unexpected text after parameter expression", at, end);
                return false;
            }
            return true;
        }
        if (at != end) {
            error("'?' or ':' expected in parameter expression", at, end);
            return false;
        }
        return true;
    }

    bool comparison(ast::value_part& part, std::size_t at, std::size_t end, std::size_t depth);

    std::string_view value_;
    ast::parsed_value& out_;
    const ast::value_parse_options& options_;
    bool fast_;
};

template <typename Rule>
struct action : p::nothing<Rule> {};

template <>
struct action<g::literal> {
    template <typename Input>
    static void apply(const Input& in, value_parser::state& s) {
        if (s.stopped || !s.parser.literals()) {
            return;
        }
        const auto begin = s.parser.offset(in.begin());
        s.parts.push_back(
            s.parser.make_part(ast::value_part_kind::literal, begin, begin + in.size()));
    }
};

template <>
struct action<g::dollar> {
    template <typename Input>
    static void apply(const Input& in, value_parser::state& s) {
        if (s.stopped) {
            return;
        }
        const auto begin = s.parser.offset(in.begin());
        s.parts.push_back(s.parser.make_part(ast::value_part_kind::dollar, begin, begin + 2));
    }
};

template <>
struct action<g::bare_reference> {
    template <typename Input>
    static void apply(const Input& in, value_parser::state& s) {
        if (s.stopped) {
            return;
        }
        const auto begin = s.parser.offset(in.begin());
        auto part = s.parser.make_part(ast::value_part_kind::reference, begin, begin + in.size());
        part.name_range = {to_u32(begin + 1), part.range.end};
        s.parser.number(part);
        s.parts.push_back(std::move(part));
    }
};

template <typename Rule, ast::reference_style Style>
struct expression_action {
    template <typename Input>
    static void apply(const Input& in, value_parser::state& s) {
        if (s.stopped) {
            return;
        }
        const auto begin = s.parser.offset(in.begin());
        const auto end = begin + in.size();
        auto part = s.parser.make_part(ast::value_part_kind::reference, begin, end);
        part.style = Style;
        if (s.parser.expression(part, begin + 2, end - 1, s.depth)) {
            s.parts.push_back(std::move(part));
        } else {
            s.stopped = true;
        }
    }
};

template <>
struct action<g::brace_expression>
    : expression_action<g::brace_expression, ast::reference_style::braces> {};
template <>
struct action<g::paren_expression>
    : expression_action<g::paren_expression, ast::reference_style::parentheses> {};

template <>
struct action<g::truncated> {
    template <typename Input>
    static void apply(const Input& in, value_parser::state& s) {
        const auto begin = s.parser.offset(in.begin());
        s.parser.error("parameter expression is not closed", begin, begin + in.size());
        s.stopped = true;
    }
};

template <>
struct action<g::empty_name> {
    template <typename Input>
    static void apply(const Input& in, value_parser::state& s) {
        const auto begin = s.parser.offset(in.begin());
        s.parser.error("'$' without a parameter name (write '$$' for a literal '$')", begin,
                       begin + 1);
        s.stopped = true;
    }
};

std::vector<ast::value_part> value_parser::parse(std::size_t begin, std::size_t end,
                                                 std::size_t depth) {
    std::vector<ast::value_part> parts;
    if (depth > k_max_parse_depth) {
        error("parameter expressions nested deeper than " + std::to_string(k_max_parse_depth) +
                  " levels",
              begin, end);
        return parts;
    }
    // A part is literal text or starts at a '$': at most two parts per '$', plus one (one per
    // '$' without the literal text). Reserved so that the vector is not grown and moved.
    const auto dollars = detail::count_of('$', value_.substr(begin, end - begin));
    parts.reserve(literals() ? 2 * dollars + 1 : dollars);
    detail::advise_huge_pages(parts);
    if (fast_) {
        begin = plain_parts(parts, begin, end);
        if (begin == end) {
            return parts;
        }
    }
    state s{*this, parts, depth};
    p::memory_input<p::tracking_mode::lazy> in(value_.data() + begin, end - begin, "");
    // The grammar accepts every input. After an error Postfix ignores the rest of the value,
    // so the actions stop adding parts.
    p::parse<g::value, action>(in, s);
    return parts;
}

/// Relational operators, longest first so that `<=` is not read as `<`.
constexpr std::array<std::pair<std::string_view, ast::comparison_operator>, 6> k_operators{{
    {"==", ast::comparison_operator::equal},
    {"!=", ast::comparison_operator::not_equal},
    {"<=", ast::comparison_operator::less_equal},
    {">=", ast::comparison_operator::greater_equal},
    {"<", ast::comparison_operator::less},
    {">", ast::comparison_operator::greater},
}};

bool value_parser::comparison(ast::value_part& part, std::size_t at, std::size_t end,
                              std::size_t depth) {
    part.kind = ast::value_part_kind::comparison;
    part.fill_operands().left = curly(at, end, depth);
    if (!part.left()) {
        return false;
    }
    const auto op_begin = at;
    while (at < end && std::string_view("<>!=?+-*/~&|%").find(value_[at]) != std::string_view::npos) {
        ++at;
    }
    const auto symbol = value_.substr(op_begin, at - op_begin);
    const auto found = std::find_if(k_operators.begin(), k_operators.end(),
                                    [&](const auto& o) { return o.first == symbol; });
    if (value_.substr(at, end - at).starts_with("level")) {
        part.level_comparison = true;
        at += 5;
    }
    part.fill_operands().op_range = {to_u32(op_begin), to_u32(at)};
    if (found == k_operators.end()) {
        error("'==', '!=', '<', '<=', '>' or '>=' expected in parameter expression", op_begin,
              std::max(at, op_begin + 1 <= end ? op_begin + 1 : op_begin));
        return false;
    }
    part.op = found->second;
    at = skip_space(at, end);
    if (at >= end || value_[at] != '{') {
        error("'{' expected after the operator in parameter expression", at, end);
        return false;
    }
    part.fill_operands().right = curly(at, end, depth);
    if (!part.right()) {
        return false;
    }
    return branches(part, at, end, depth);
}

bool value_parser::expression(ast::value_part& part, std::size_t begin, std::size_t end,
                              std::size_t depth) {
    if (begin == end) {
        error("'$' without a parameter name (write '$$' for a literal '$')", part.range.begin,
              part.range.end);
        return false;
    }
    const auto first = skip_space(begin, end);
    if (first < end && value_[first] == '{') {
        return comparison(part, first, end, depth);
    }
    auto at = begin;
    while (at < end && is_name_char(value_[at])) {
        ++at;
    }
    part.name_range = {to_u32(begin), to_u32(at)};
    if (at == end) {
        number(part);
        return true;  // ${name}
    }
    if (value_[at] == '{' && at > begin) {
        part.kind = ast::value_part_kind::function_call;
        part.fill_operands().when_true = curly(at, end, depth);
        if (!part.when_true()) {
            return false;
        }
        if (at != end) {
            error("unexpected text after parameter expression", at, end);
            return false;
        }
        return true;
    }
    if (value_[at] != '?' && value_[at] != ':') {
        error("invalid character '" + std::string(1, value_[at]) + "' in parameter name", at,
              at + 1);
        return false;
    }
    if (at == begin) {
        error("missing parameter name before '" + std::string(1, value_[at]) + "'", at, at + 1);
        return false;
    }
    part.kind = ast::value_part_kind::conditional;
    number(part);
    return branches(part, at, end, depth);
}

// --- lists --------------------------------------------------------------------------------

constexpr bool is_list_separator(char c) noexcept {
    return c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/// Table types postconf -m lists across versions (postfix.md §1.4).
constexpr std::array<std::string_view, 33> k_table_types{
    "btree",  "cdb",      "cidr",     "dbm",    "debug",   "environ", "fail",
    "hash",   "inline",   "internal", "ldap",   "lmdb",    "memcache", "mongodb",
    "mysql",  "netinfo",  "nis",      "nisplus", "pcre",   "pgsql",   "pipemap",
    "proxy",  "randmap",  "regexp",   "sdbm",   "socketmap", "sqlite", "static",
    "tcp",    "texthash", "unionmap", "unix",   "nis+"};

}  // namespace

namespace ast {

bool is_lookup_table_type(std::string_view type) noexcept {
    return std::find(k_table_types.begin(), k_table_types.end(), type) != k_table_types.end();
}

}  // namespace ast

namespace {

ast::parsed_value parse_value(std::string_view value, const ast::value_parse_options& options,
                              bool fast) {
    ast::parsed_value out;
    out.literals = options.literals;
    value_parser parser(value, out, options, fast);
    out.parts = parser.parse(0, value.size(), 0);
    return out;
}

}  // namespace

ast::parsed_value parse_postfix_value(std::string_view value, ast::value_parse_options options) {
    return parse_value(value, options, true);
}

namespace detail {

ast::parsed_value parse_postfix_value_by_grammar(std::string_view value,
                                                 const ast::value_parse_options& options) {
    return parse_value(value, options, false);
}

}  // namespace detail

std::vector<ast::list_element> split_postfix_list(std::string_view value) {
    std::vector<ast::list_element> out;
    std::size_t at = 0;
    while (at < value.size()) {
        while (at < value.size() && is_list_separator(value[at])) {
            ++at;
        }
        if (at == value.size()) {
            break;
        }
        // mystrtokq(): separators inside balanced braces do not split.
        const auto begin = at;
        std::size_t level = 0;
        for (; at < value.size(); ++at) {
            if (value[at] == '{') {
                ++level;
            } else if (level > 0 && value[at] == '}') {
                --level;
            } else if (level == 0 && is_list_separator(value[at])) {
                break;
            }
        }
        ast::list_element e;
        e.text = value.substr(begin, at - begin);
        e.range = {to_u32(begin), to_u32(at)};
        e.content = e.text;
        e.content_range = e.range;
        if (e.text.front() == '{') {
            e.braced = true;
            auto cb = begin + 1;
            auto ce = at;
            if (ce > cb && value[ce - 1] == '}') {
                --ce;
            }
            while (cb < ce && is_expr_space(value[cb])) {
                ++cb;
            }
            while (ce > cb && is_expr_space(value[ce - 1])) {
                --ce;
            }
            e.content = value.substr(cb, ce - cb);
            e.content_range = {to_u32(cb), to_u32(ce)};
        }
        const auto colon = e.content.find(':');
        if (colon != std::string_view::npos && colon > 0 &&
            ast::is_lookup_table_type(e.content.substr(0, colon))) {
            const auto cb = e.content_range.begin;
            e.table_type = e.content.substr(0, colon);
            e.table_type_range = {cb, cb + to_u32(colon)};
            e.table_name = e.content.substr(colon + 1);
            e.table_name_range = {cb + to_u32(colon) + 1, e.content_range.end};
        }
        out.push_back(e);
    }
    return out;
}

// --- expansion ----------------------------------------------------------------------------

namespace {

/// Compatibility levels compare as dotted numbers: 3.10 > 3.9 (postconf(5)).
int compare_levels(std::string_view a, std::string_view b) {
    while (!a.empty() || !b.empty()) {
        auto take = [](std::string_view& s) {
            unsigned long long n = 0;
            std::size_t i = 0;
            for (; i < s.size() && s[i] != '.'; ++i) {
                if (std::isdigit(static_cast<unsigned char>(s[i])) != 0 && n < (1ull << 60)) {
                    n = n * 10 + static_cast<unsigned>(s[i] - '0');
                }
            }
            s.remove_prefix(std::min(s.size(), i + 1));
            return n;
        };
        const auto x = take(a);
        const auto y = take(b);
        if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return 0;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
}

int compare_values(std::string_view a, std::string_view b, bool levels) {
    if (levels) {
        return compare_levels(a, b);
    }
    if (all_digits(a) && all_digits(b)) {
        a.remove_prefix(std::min(a.find_first_not_of('0'), a.size()));
        b.remove_prefix(std::min(b.find_first_not_of('0'), b.size()));
        if (a.size() != b.size()) {
            return a.size() < b.size() ? -1 : 1;
        }
    }
    const int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool holds(ast::comparison_operator op, int c) {
    switch (op) {
        case ast::comparison_operator::equal: return c == 0;
        case ast::comparison_operator::not_equal: return c != 0;
        case ast::comparison_operator::less: return c < 0;
        case ast::comparison_operator::less_equal: return c <= 0;
        case ast::comparison_operator::greater: return c > 0;
        case ast::comparison_operator::greater_equal: return c >= 0;
    }
    return false;
}

class expander {
public:
    expander(const ast::parameter_source& source, const ast::expansion_limits& limits,
             ast::expansion_result& out)
        : source_(source), limits_(limits), out_(out) {}

    /// Appends the expansion of `parts` to `into`. `anchor` is the range in the top-level
    /// value that errors point at when the parts come from another parameter's value.
    void expand(const std::vector<ast::value_part>& parts, std::string& into, std::size_t depth,
                const std::optional<byte_range>& anchor) {
        for (const auto& part : parts) {
            if (stopped_) {
                return;
            }
            const auto where = anchor.value_or(part.range);
            // every part counts, not only references: `$a` a hundred thousand times over
            // a value of a hundred thousand `${undefined?x}` would otherwise never end
            if (!step(where)) {
                return;
            }
            switch (part.kind) {
                case ast::value_part_kind::literal: append(into, part.text(), where); break;
                case ast::value_part_kind::dollar: append(into, "$", where); break;
                case ast::value_part_kind::reference: {
                    std::string value;
                    if (resolve(part.name(), value, depth, where)) {
                        append(into, value, where);
                    }
                    break;
                }
                case ast::value_part_kind::conditional: {
                    std::string value;
                    resolve(part.name(), value, depth, where);
                    operand(value.empty() ? part.when_false() : part.when_true(), into, depth,
                            anchor);
                    break;
                }
                case ast::value_part_kind::comparison: {
                    std::string left, right;
                    operand(part.left(), left, depth, anchor);
                    operand(part.right(), right, depth, anchor);
                    const bool result =
                        holds(part.op, compare_values(left, right, part.level_comparison));
                    if (!part.when_true() && !part.when_false()) {
                        append(into, result ? "true" : "", where);
                    } else {
                        operand(result ? part.when_true() : part.when_false(), into, depth, anchor);
                    }
                    break;
                }
                case ast::value_part_kind::function_call:
                    // Functions transform their argument (e.g. domain_to_ascii); the argument
                    // stands for the result here.
                    operand(part.when_true(), into, depth, anchor);
                    break;
            }
        }
    }

private:
    void fail(std::string message, byte_range where) {
        out_.errors.push_back({std::move(message), where});
        stopped_ = true;
    }

    /// Counts one step of the expansion; false, and the expansion stopped, past the limit.
    bool step(byte_range where) {
        if (++steps_ > limits_.max_steps) {
            fail("expansion needs more than " + std::to_string(limits_.max_steps) + " steps",
                 where);
            return false;
        }
        return true;
    }

    void append(std::string& into, std::string_view text, byte_range where) {
        if (into.size() + text.size() > limits_.max_output) {
            fail("expansion is longer than " + std::to_string(limits_.max_output) + " bytes",
                 where);
            return;
        }
        into += text;
    }

    void operand(const std::optional<ast::value_operand>& o, std::string& into, std::size_t depth,
                 const std::optional<byte_range>& anchor) {
        if (!o) {
            return;
        }
        if (depth + 1 > limits_.max_depth) {
            fail("parameter expressions nested deeper than " +
                     std::to_string(limits_.max_depth) + " levels",
                 anchor.value_or(o->range));
            return;
        }
        expand(o->parts, into, depth + 1, anchor);
    }

    /// Expands the value of parameter `name` into `value`; false when it is undefined or an
    /// error stopped the expansion.
    bool resolve(std::string_view name, std::string& value, std::size_t depth, byte_range where) {
        const auto raw = source_(name);
        if (!raw) {
            if (std::find(out_.undefined.begin(), out_.undefined.end(), name) ==
                out_.undefined.end()) {
                out_.undefined.emplace_back(name);
            }
            return false;
        }
        if (std::find(chain_.begin(), chain_.end(), name) != chain_.end()) {
            std::string path;
            for (const auto n : chain_) {
                path.append("$").append(n).append(" -> ");
            }
            fail("'$" + std::string(name) + "' refers to itself: " + path + "$" +
                     std::string(name),
                 where);
            return false;
        }
        if (depth + 1 > limits_.max_depth) {
            fail("parameter references nested deeper than " + std::to_string(limits_.max_depth) +
                     " levels",
                 where);
            return false;
        }
        if (!step(where)) {
            return false;
        }
        if (raw->text.find('$') == std::string_view::npos) {
            // Literal text only (most values): what parsing and expanding it gives, one step
            // for its one part, without the copy and the parse.
            if (!raw->text.empty() && step(where)) {
                append(value, raw->text, where);
            }
            return !stopped_;
        }
        const auto& parts = parsed(name, raw->text).parts;
        chain_.emplace_back(name);
        expand(parts, value, depth + 1, where);
        chain_.pop_back();
        return !stopped_;
    }

    /// The value of parameter `name`, parsed once per expansion: a value referenced again and
    /// again (`$a$a$a...`) is not parsed again each time.
    const ast::parsed_value& parsed(std::string_view name, std::string_view raw) {
        auto it = parsed_.find(name);
        if (it == parsed_.end()) {
            // the name and the text are copied: the source's views need not outlive the call
            auto& value = cached_.emplace_back(cached_value{std::string(name), std::string(raw), {}});
            value.value = parse_postfix_value(value.text);  // borrows the copy
            it = parsed_.emplace(std::string_view(value.name), &value).first;
        }
        return it->second->value;
    }

    struct cached_value {
        std::string name;
        std::string text;
        ast::parsed_value value;
    };

    const ast::parameter_source& source_;
    const ast::expansion_limits& limits_;
    ast::expansion_result& out_;
    std::deque<cached_value> cached_;  ///< a deque: the table's keys view the names
    std::unordered_map<std::string_view, const cached_value*> parsed_;
    /// The names being expanded, outermost first: views of the values that name them (the
    /// top-level value, or a cached copy), which outlive the expansion.
    std::vector<std::string_view> chain_;
    std::size_t steps_ = 0;
    bool stopped_ = false;
};

/// An upper bound on what expanding a value, or a parameter by reference, costs: the
/// deepest nesting check, the steps and the bytes of text (of every string it builds). A
/// bound counts every branch of every expression, so the expansion itself stays below it.
struct cost {
    std::size_t depth = 0;
    std::size_t steps = 0;
    std::size_t output = 0;
    bool bounded = true;  ///< false on a cycle, or a chain too long to follow
};

void add(std::size_t& to, std::size_t n) noexcept {
    to = to > SIZE_MAX - n ? SIZE_MAX : to + n;
}

/// Bounds the cost of values against one lookup, remembering each parameter's bound.
class cost_bounds {
public:
    cost_bounds(const ast::parameter_source& source,
                const ast::numbered_parameter_source& by_number,
                const ast::expansion_limits& limits)
        : source_(source), by_number_(by_number), limits_(limits) {}

    /// The bound of expanding `parts` at operand nesting `nesting` of a value. Without its
    /// literal parts (`literals` false), each list of parts counts the most literal parts
    /// it can have, one more than the others; their text is the caller's to count.
    cost of_parts(const std::vector<ast::value_part>& parts, std::size_t nesting,
                  std::size_t chain, bool literals = true) {
        cost c;
        if (!literals) {
            add(c.steps, parts.size() + 1);
        }
        for (const auto& part : parts) {
            add(c.steps, 1);
            switch (part.kind) {
                case ast::value_part_kind::literal: add(c.output, part.text().size()); break;
                case ast::value_part_kind::dollar: add(c.output, 1); break;
                case ast::value_part_kind::comparison: add(c.output, 4); break;  // "true"
                case ast::value_part_kind::reference:
                case ast::value_part_kind::conditional: {
                    const auto r = of_name(part.name(), part.id, chain + 1);
                    c.bounded = c.bounded && r.bounded;
                    c.depth = std::max(c.depth, nesting + r.depth);
                    add(c.steps, r.steps);
                    add(c.output, r.output);
                    break;
                }
                case ast::value_part_kind::function_call: break;
            }
            part.for_each_operand([&](const ast::value_operand& o) {
                const auto inner = of_parts(o.parts, nesting + 1, chain, literals);
                c.bounded = c.bounded && inner.bounded;
                c.depth = std::max({c.depth, nesting + 1, inner.depth});
                add(c.steps, inner.steps);
                add(c.output, inner.output);
            });
            if (!c.bounded) {
                break;
            }
        }
        return c;
    }

    [[nodiscard]] bool within_limits(const cost& c) const noexcept {
        return c.bounded && c.depth <= limits_.max_depth && c.steps <= limits_.max_steps &&
               c.output <= limits_.max_output;
    }

private:
    /// What is known about one parameter, in 8 bytes (a main.cf of 100,000 parameters has
    /// as many): its state, and its bound with each figure saturated at the width of its
    /// field. A saturated figure reads back as SIZE_MAX, past any limit, so that the bound
    /// stays an upper bound (a value past it is expanded for real); the fields are wider
    /// than the default limits (nesting 100, 100,000 steps, 1 MiB).
    class entry {
    public:
        enum class state : std::uint8_t { unknown, visiting, bounded, unbounded };

        entry() = default;
        explicit entry(state s) noexcept : state_(static_cast<std::uint64_t>(s)) {}
        explicit entry(const cost& c) noexcept
            : depth_(narrow<k_depth_bits>(c.depth)), steps_(narrow<k_count_bits>(c.steps)),
              output_(narrow<k_count_bits>(c.output)),
              state_(static_cast<std::uint64_t>(c.bounded ? state::bounded : state::unbounded)) {}

        [[nodiscard]] state status() const noexcept { return static_cast<state>(state_); }
        [[nodiscard]] cost bound() const noexcept {
            return {widen<k_depth_bits>(depth_), widen<k_count_bits>(steps_),
                    widen<k_count_bits>(output_), status() == state::bounded};
        }

    private:
        static constexpr int k_depth_bits = 7;
        static constexpr int k_count_bits = 27;

        template <int Bits>
        static constexpr std::uint64_t k_saturated = (std::uint64_t{1} << Bits) - 1;

        template <int Bits>
        static std::uint64_t narrow(std::size_t n) noexcept {
            return n >= k_saturated<Bits> ? k_saturated<Bits> : n;
        }
        template <int Bits>
        static std::size_t widen(std::uint64_t n) noexcept {
            return n == k_saturated<Bits> ? SIZE_MAX : static_cast<std::size_t>(n);
        }

        std::uint64_t depth_ : k_depth_bits = 0;
        std::uint64_t steps_ : k_count_bits = 0;
        std::uint64_t output_ : k_count_bits = 0;
        std::uint64_t state_ : 2 = 0;
    };
    static_assert(sizeof(entry) == 8);

    /// What a parameter whose bound is being or has been worked out costs: unbounded while
    /// it is being worked out (a cycle).
    static cost remembered(const entry& e) noexcept {
        return e.status() == entry::state::visiting ? cost{.bounded = false} : e.bound();
    }

    /// The bound of resolving `$name` (its own check and step included) `chain` references
    /// deep; `part_id` is the id of the part that names it (value_part::id).
    cost of_name(std::string_view name, std::uint32_t part_id, std::size_t chain) {
        // A parameter remembered under the number its part was given (value_part::id, the
        // source's own number for it) is found without asking the source.
        if (const auto* e = by_id_.find(part_id);
            e != nullptr && e->status() != entry::state::unknown) {
            return remembered(*e);
        }
        const auto value = part_id != ast::value_part::no_id && by_number_ ? by_number_(part_id)
                                                                           : source_(name);
        if (!value) {
            return cost{.depth = 1, .steps = 1};  // undefined: checked, expands to nothing
        }
        // Remembered by the source's number for the parameter when it has one, else by name.
        // The entry stays where it is while of_parts() adds others (numbered_entries' blocks,
        // a node-based map).
        entry& e = memo(name, value->id);
        if (e.status() != entry::state::unknown) {
            return remembered(e);
        }
        if (chain > limits_.max_depth + 1) {
            return cost{.bounded = false};  // past the nesting limit anyway
        }
        e = entry(entry::state::visiting);
        cost c;
        const auto raw = value->text;
        if (raw.find('$') == std::string_view::npos) {
            c.steps = 1;
            c.output = raw.size();
        } else {
            std::optional<ast::parsed_value> own;
            const auto* parsed = value->parsed;
            if (parsed == nullptr) {
                parsed = &own.emplace(parse_postfix_value(raw, {.literals = false}));
            }
            c = of_parts(parsed->parts, 0, chain, parsed->literals);
            if (!parsed->literals) {
                add(c.output, raw.size());
            }
        }
        c.depth += 1;  // resolve() checks one level down before expanding
        add(c.steps, 1);
        e = entry(c);
        return c;
    }

    /// The entry of the parameter `name`, numbered `id` by the source.
    entry& memo(std::string_view name, std::uint32_t id) {
        if (id == ast::parameter_value::no_id) {
            if (const auto it = by_name_.find(name); it != by_name_.end()) {
                return it->second;
            }
            auto* key = static_cast<char*>(names_.allocate(name.size(), 1));
            std::copy(name.begin(), name.end(), key);
            return by_name_[std::string_view(key, name.size())];
        }
        return by_id_[id];
    }

    const ast::parameter_source& source_;
    const ast::numbered_parameter_source& by_number_;
    const ast::expansion_limits& limits_;
    /// Entries by number, in blocks: the table grows a block at a time, where a vector of
    /// the 100,000 parameters of a large main.cf would copy itself to twice its size at the
    /// peak of the lint; and an entry stays where it is.
    class numbered_entries {
    public:
        /// The entry of `id`, or null when its block was never made.
        [[nodiscard]] const entry* find(std::uint32_t id) const noexcept {
            const auto block = id / k_block;
            return block < blocks_.size() && blocks_[block] ? &(*blocks_[block])[id % k_block]
                                                            : nullptr;
        }
        entry& operator[](std::uint32_t id) {
            const auto block = id / k_block;
            if (block >= blocks_.size()) {
                blocks_.resize(block + 1);
            }
            if (!blocks_[block]) {
                blocks_[block] = std::make_unique<std::array<entry, k_block>>();
            }
            return (*blocks_[block])[id % k_block];
        }

    private:
        static constexpr std::uint32_t k_block = 1024;
        std::vector<std::unique_ptr<std::array<entry, k_block>>> blocks_;
    };

    numbered_entries by_id_;  ///< parameters the source numbers (parameter_value::id)
    std::pmr::monotonic_buffer_resource names_;  ///< the names by_name_'s keys view
    detail::arena_hash_map<std::string_view, entry> by_name_;
};

}  // namespace

struct postfix_value_expander::state {
    ast::parameter_source source;
    ast::numbered_parameter_source by_number;
    ast::expansion_limits limits;
    std::optional<cost_bounds> bounds;  ///< made on first use; refers to the three above
};

postfix_value_expander::postfix_value_expander(ast::parameter_lookup lookup,
                                               ast::expansion_limits limits)
    : postfix_value_expander(
          [lookup = std::move(lookup)](std::string_view name) -> std::optional<ast::parameter_value> {
              if (const auto text = lookup(name)) {
                  return ast::parameter_value{*text, nullptr};
              }
              return std::nullopt;
          },
          limits) {}

postfix_value_expander::postfix_value_expander(ast::parameter_source source,
                                               ast::expansion_limits limits,
                                               ast::numbered_parameter_source by_number)
    : state_(std::make_unique<state>()) {
    state_->source = std::move(source);
    state_->by_number = std::move(by_number);
    state_->limits = limits;
}

postfix_value_expander::~postfix_value_expander() = default;
postfix_value_expander::postfix_value_expander(postfix_value_expander&&) noexcept = default;
postfix_value_expander& postfix_value_expander::operator=(postfix_value_expander&&) noexcept =
    default;

ast::expansion_result postfix_value_expander::expand(const ast::parsed_value& parsed) const {
    ast::expansion_result out;
    out.errors = parsed.errors;
    expander(state_->source, state_->limits, out).expand(parsed.parts, out.text, 0, std::nullopt);
    return out;
}

std::vector<ast::syntax_error> postfix_value_expander::errors(std::string_view value,
                                                              const ast::parsed_value& parsed) {
    if (!state_->bounds) {
        state_->bounds.emplace(state_->source, state_->by_number, state_->limits);
    }
    auto bound = state_->bounds->of_parts(parsed.parts, 0, 0, parsed.literals);
    if (!parsed.literals) {
        add(bound.output, value.size());  // every literal byte, at most once
    }
    if (state_->bounds->within_limits(bound)) {
        return parsed.errors;
    }
    return parsed.literals ? expand(parsed).errors : expand(parse_postfix_value(value)).errors;
}

ast::expansion_result expand_postfix_value(std::string_view value,
                                           const ast::parameter_lookup& lookup,
                                           const ast::expansion_limits& limits) {
    return postfix_value_expander(lookup, limits).expand(parse_postfix_value(value));
}

}  // namespace mailtls
