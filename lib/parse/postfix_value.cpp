#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

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

}  // namespace mailtls
