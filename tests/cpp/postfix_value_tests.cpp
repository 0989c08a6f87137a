#include <catch2/catch.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include <map>
#include <random>

#include "mailtls/parse.hpp"
#include "parse/postfix_value.hpp"
#include "parse/postfix_value_grammar.hpp"
#include "random_text.hpp"

using namespace mailtls;
using kind = ast::value_part_kind;

namespace {

/// A compact picture of parts: L"text" $$ R(name) C(name?..:..) X(op) F(name).
std::string describe(const std::vector<ast::value_part>& parts);

std::string describe_operand(const std::optional<ast::value_operand>& o) {
    if (!o) {
        return "-";
    }
    return (o->braced ? "{" : "") + describe(o->parts) + (o->braced ? "}" : "");
}

std::string describe(const std::vector<ast::value_part>& parts) {
    std::string out;
    for (const auto& p : parts) {
        switch (p.kind) {
            case kind::literal: out += "L\"" + std::string(p.text()) + "\""; break;
            case kind::dollar: out += "$$"; break;
            case kind::reference: out += "R(" + std::string(p.name()) + ")"; break;
            case kind::conditional:
                out += "C(" + std::string(p.name()) + "?" + describe_operand(p.when_true()) + ":" +
                       describe_operand(p.when_false()) + ")";
                break;
            case kind::comparison:
                out += "X(" + describe_operand(p.left()) + (p.level_comparison ? " level " : " ") +
                       std::to_string(static_cast<int>(p.op)) + " " +
                       describe_operand(p.right()) + "?" + describe_operand(p.when_true()) + ":" +
                       describe_operand(p.when_false()) + ")";
                break;
            case kind::function_call:
                out += "F(" + std::string(p.name()) + describe_operand(p.when_true()) + ")";
                break;
        }
    }
    return out;
}

}  // namespace

TEST_CASE("the value grammar has no infinite loops") {
    CHECK(tao::pegtl::analyze<grammar::postfix_value::value>() == 0);
}

TEST_CASE("values split into parts") {
    const std::vector<std::pair<std::string, std::string>> table = {
        {"mail.example.com", "L\"mail.example.com\""},
        {"$myhostname", "R(myhostname)"},
        {"${myhostname}.x", "R(myhostname)L\".x\""},
        {"$(myhostname)", "R(myhostname)"},
        {"a$$b", "L\"a\"$$L\"b\""},
        {"$a-b", "R(a)L\"-b\""},
        {"${a?yes}", "C(a?L\"yes\":-)"},
        {"${a:no}", "C(a?-:L\"no\")"},
        {"${a?{yes $a}:{no}}", "C(a?{L\"yes \"R(a)}:{L\"no\"})"},
        {"${a?{x}:y}", "C(a?{L\"x\"}:L\"y\")"},
        {"${a??foo:{b}ar}", "C(a?L\"?foo:{b}ar\":-)"},
        {"${a?${b?c}}", "C(a?C(b?L\"c\":-):-)"},
        {"${{$compatibility_level} <level {3.6} ? {old} : {new}}",
         "X({R(compatibility_level)} level 2 {L\"3.6\"}?{L\"old\"}:{L\"new\"})"},
        {"${{abc} == {abc} ? {eq}}", "X({L\"abc\"} 0 {L\"abc\"}?{L\"eq\"}:-)"},
        {"${{1} != {2}}", "X({L\"1\"} 1 {L\"2\"}?-:-)"},
        {"${domain_to_ascii{$mydomain}}", "F(domain_to_ascii{R(mydomain)})"},
    };
    for (const auto& [input, expected] : table) {
        INFO(input);
        const auto v = parse_postfix_value(input);
        CHECK(v.errors.empty());
        CHECK(describe(v.parts) == expected);
    }
}

TEST_CASE("part ranges point into the value") {
    const std::string value = "x ${a?{yes $b}} $c";
    const auto v = parse_postfix_value(value);
    REQUIRE(v.parts.size() == 4);
    CHECK(v.parts[1].text() == "${a?{yes $b}}");
    CHECK(v.parts[1].name_range == byte_range{4, 5});
    const auto& branch = *v.parts[1].when_true();
    CHECK(branch.range == byte_range{7, 13});
    CHECK(branch.parts[1].range == byte_range{11, 13});
    CHECK(v.parts[3].name() == "c");
}

TEST_CASE("value syntax errors stop where Postfix stops") {
    // input -> error message start, error range text, parts kept before it
    const std::vector<std::tuple<std::string, std::string, std::string, std::size_t>> table = {
        {"a $", "'$' without a parameter name", "$", 1},
        {"a $.b", "'$' without a parameter name", "$", 1},
        {"a ${b", "parameter expression is not closed", "${b", 1},
        {"${}", "'$' without a parameter name", "${}", 0},
        {"${a.b-c}", "invalid character '.'", ".", 0},
        {"${a?{x} y}", "':' expected", "y", 0},
        {"${{a} = {b}}", "'==', '!='", "=", 0},
        {"${{a} == b}", "'{' expected", "b", 0},
        {"${{a} == {b} junk}", "'?' or ':' expected", "junk", 0},
        {"${a?{x}:{y} z}", "unexpected text", "z", 0},
        {"${a?{x}", "parameter expression is not closed", "${a?{x}", 0},
        {"${a?{x}}$b ${", "parameter expression is not closed", "${", 3},
    };
    for (const auto& [input, message, text, kept] : table) {
        INFO(input);
        const auto v = parse_postfix_value(input);
        REQUIRE(v.errors.size() == 1);
        CHECK(v.errors[0].message.starts_with(message));
        CHECK(std::string_view(input).substr(v.errors[0].range.begin,
                                             v.errors[0].range.size()) == text);
        CHECK(v.parts.size() == kept);
    }
}

TEST_CASE("deeply nested expressions are bounded") {
    std::string value;
    for (int i = 0; i < 50000; ++i) {
        value += "${a?";
    }
    value += "x" + std::string(50000, '}');
    const auto v = parse_postfix_value(value);
    REQUIRE(v.errors.size() == 1);
    CHECK(v.errors[0].message.find("nested deeper than 100") != std::string::npos);
}

TEST_CASE("lists, groups and lookup tables") {
    const auto list = split_postfix_list(
        "permit_mynetworks,  reject_unauth_destination\n  hash:/etc/postfix/access, "
        "{ inline:{ a=b, c=d } }, [::1]:25, smtp:[relay]:587");
    REQUIRE(list.size() == 6);
    CHECK(list[0].text == "permit_mynetworks");
    CHECK(list[1].text == "reject_unauth_destination");
    CHECK(list[2].is_table());
    CHECK(list[2].table_type == "hash");
    CHECK(list[2].table_name == "/etc/postfix/access");
    CHECK(list[3].braced);
    CHECK(list[3].content == "inline:{ a=b, c=d }");
    CHECK(list[3].table_type == "inline");
    CHECK(list[3].table_name == "{ a=b, c=d }");
    CHECK_FALSE(list[4].is_table());
    CHECK_FALSE(list[5].is_table());  // "smtp" is a transport, not a table type
    CHECK(split_postfix_list(" , ,").empty());
}

TEST_CASE("expansion as postconf -x does it") {
    const std::map<std::string, std::string, std::less<>> params = {
        {"myhostname", "mx.example.com"},
        {"mydomain", "example.com"},
        {"origin", "$myhostname"},
        {"empty", ""},
        {"compatibility_level", "3.6"},
        {"a", "$b"},
        {"b", "${c?x}"},
        {"c", "$a"},
        {"self", "x $self"},
    };
    const ast::parameter_lookup lookup =
        [&](std::string_view name) -> std::optional<std::string_view> {
        const auto it = params.find(name);
        return it == params.end() ? std::nullopt : std::optional<std::string_view>(it->second);
    };
    const std::vector<std::pair<std::string, std::string>> table = {
        {"$origin/x", "mx.example.com/x"},
        {"${empty?yes}${empty:no}", "no"},
        {"${mydomain?{yes $mydomain}:{no}}", "yes example.com"},
        {"${{$compatibility_level} <level {3.10} ? {old} : {new}}", "old"},
        {"${{$compatibility_level} >=level {3.6} ? {new} : {old}}", "new"},
        {"${{10} > {9} ? {num}}", "num"},
        {"${{abc} == {abc}}", "true"},
        {"a$$b", "a$b"},
    };
    for (const auto& [input, expected] : table) {
        INFO(input);
        const auto r = expand_postfix_value(input, lookup);
        CHECK(r.errors.empty());
        CHECK(r.text == expected);
    }
    const auto undefined = expand_postfix_value("$nothing here", lookup);
    CHECK(undefined.text == " here");
    CHECK(undefined.undefined == std::vector<std::string>{"nothing"});

    const auto cycle = expand_postfix_value("z $a", lookup);
    REQUIRE(cycle.errors.size() == 1);
    CHECK(cycle.errors[0].message == "'$a' refers to itself: $a -> $b -> $c -> $a");
    CHECK(cycle.errors[0].range == byte_range{2, 4});
    CHECK(expand_postfix_value("$self", lookup).errors.size() == 1);
}

TEST_CASE("expansion limits are reported, not overflowed") {
    std::map<std::string, std::string, std::less<>> params;
    for (int i = 0; i < 5000; ++i) {
        params["p" + std::to_string(i)] = "$p" + std::to_string(i + 1);
    }
    params["w0"] = "$w1$w1$w1$w1";
    for (int i = 1; i < 40; ++i) {
        params["w" + std::to_string(i)] =
            "$w" + std::to_string(i + 1) + "$w" + std::to_string(i + 1);
    }
    params["big"] = std::string(1000, 'x');
    params["big2"] = "$big$big$big$big$big$big$big$big$big$big";
    const ast::parameter_lookup lookup =
        [&](std::string_view name) -> std::optional<std::string_view> {
        const auto it = params.find(name);
        return it == params.end() ? std::nullopt : std::optional<std::string_view>(it->second);
    };
    const auto deep = expand_postfix_value("$p0", lookup);
    REQUIRE(deep.errors.size() == 1);
    CHECK(deep.errors[0].message.find("nested deeper than 100") != std::string::npos);

    const auto wide = expand_postfix_value("$w0", lookup);
    REQUIRE(wide.errors.size() == 1);
    CHECK(wide.errors[0].message.find("more than 100000 steps") != std::string::npos);

    ast::expansion_limits small;
    small.max_output = 5000;
    const auto big = expand_postfix_value("$big2", lookup, small);
    REQUIRE(big.errors.size() == 1);
    CHECK(big.errors[0].message.find("longer than 5000 bytes") != std::string::npos);
    CHECK(big.text.size() <= 5000);
}

TEST_CASE("a value of literal text expands to itself in one step, as a parsed one does") {
    // The expander takes a value without '$' as it is (no parse): a reference to it is a
    // step for the reference, one for resolving it and one for its text; an empty value has
    // no text to count. The limits fall exactly where expanding the parsed value puts them.
    std::map<std::string, std::string, std::less<>> params = {
        {"a", "x y"}, {"e", ""}, {"b", "$a-$e"}, {"long", std::string(40, 'z')}};
    const ast::parameter_lookup lookup =
        [&](std::string_view name) -> std::optional<std::string_view> {
        const auto it = params.find(name);
        return it == params.end() ? std::nullopt : std::optional<std::string_view>(it->second);
    };
    const auto with_steps = [&](std::string_view value, std::size_t steps) {
        return expand_postfix_value(value, lookup, {.max_steps = steps});
    };
    CHECK(with_steps("$a$a$a", 9).text == "x yx yx y");
    CHECK(with_steps("$a$a$a", 9).errors.empty());
    CHECK(with_steps("$a$a$a", 8).errors.size() == 1);
    CHECK(with_steps("$e$e$e", 6).errors.empty());
    CHECK(with_steps("$e$e$e", 5).errors.size() == 1);
    // $b: its reference and resolving it, then its three parts, two of them references
    CHECK(with_steps("$b", 2 + 3 + 2 + 1).text == "x y-");
    CHECK(with_steps("$b", 2 + 3 + 2 + 1).errors.empty());
    CHECK(with_steps("$b", 2 + 3 + 2).errors.size() == 1);
    // the output limit counts a literal value's bytes; the error points at the reference
    const auto longer = expand_postfix_value("ab $long", lookup, {.max_output = 41});
    REQUIRE(longer.errors.size() == 1);
    CHECK(longer.errors[0].message == "expansion is longer than 41 bytes");
    CHECK(longer.errors[0].range == byte_range{3, 8});
    CHECK(longer.text == "ab ");
    CHECK(expand_postfix_value("a $long", lookup, {.max_output = 42}).errors.empty());
}

namespace {

using parameter_map = std::map<std::string, std::string, std::less<>>;

/// Checks that errors() finds what expanding finds, message and place, for every value of
/// `params` (named p0, p1, ...) against `limits`: through the lookup, through a source that
/// numbers some parameters, with and without literal parts. Returns how many values had
/// errors.
std::size_t check_errors_against_expanding(const parameter_map& params,
                                           const ast::expansion_limits& limits) {
    const ast::parameter_lookup lookup = [&](std::string_view n) -> std::optional<std::string_view> {
        const auto it = params.find(n);
        return it == params.end() ? std::nullopt : std::optional<std::string_view>(it->second);
    };
    // A source that numbers the odd-numbered parameters (parameter_value::id): the expander
    // then remembers some parameters by number and the others by name.
    const auto number_of = [&](std::string_view n) {
        if (!params.contains(n)) {
            return ast::parameter_value::no_id;
        }
        const auto number = static_cast<std::uint32_t>(std::stoul(std::string(n.substr(1))));
        return number % 2 == 1 ? number : ast::parameter_value::no_id;
    };
    const ast::parameter_source numbered =
        [&](std::string_view n) -> std::optional<ast::parameter_value> {
        const auto it = params.find(n);
        if (it == params.end()) {
            return std::nullopt;
        }
        return ast::parameter_value{.text = it->second, .id = number_of(n)};
    };
    // ... which finds a numbered reference by its number
    const ast::numbered_parameter_source by_id = [&](std::uint32_t id) {
        return numbered("p" + std::to_string(id));
    };
    postfix_value_expander expander(lookup, limits), without_literals(lookup, limits),
        by_number(numbered, limits, by_id);
    std::size_t with_errors = 0;
    for (const auto& [n, value] : params) {
        const auto expected = expand_postfix_value(value, lookup, limits).errors;
        INFO(n << " = " << value << " (depth " << limits.max_depth << ", output "
               << limits.max_output << ", steps " << limits.max_steps << ")");
        for (const bool literals : {true, false}) {
            const auto parsed = parse_postfix_value(value, {.literals = literals});
            const auto found = (literals ? expander : without_literals).errors(value, parsed);
            // its parts numbered as the source numbers them (value_part::id), so that the
            // expander finds what it remembers by number without asking the source
            const auto numbered_found = by_number.errors(
                value, parse_postfix_value(value, {.literals = literals,
                                                   .number_parameter = number_of}));
            REQUIRE(found.size() == expected.size());
            REQUIRE(numbered_found.size() == expected.size());
            for (std::size_t i = 0; i < found.size(); ++i) {
                CHECK(found[i].message == expected[i].message);
                CHECK(found[i].range == expected[i].range);
                CHECK(numbered_found[i].message == expected[i].message);
                CHECK(numbered_found[i].range == expected[i].range);
            }
        }
        with_errors += expected.empty() ? 0 : 1;
    }
    return with_errors;
}

/// What a writer of random values is given: numbers, and names of a web's parameters.
class web_random {
public:
    explicit web_random(unsigned seed) : random_(seed) {}
    /// A number below `n`.
    int pick(int n) { return static_cast<int>(random_() % static_cast<unsigned>(n)); }
    /// One of p0 to p{count-1}.
    std::string name(int count) { return "p" + std::to_string(pick(count)); }

private:
    std::mt19937 random_;
};

/// The same for `webs` random webs of parameters that `make_value(random, count)` writes
/// (`count` parameters, p0 to p{count-1}), each against small random limits so that every
/// limit is hit somewhere. Returns how many values had errors and how many had none.
template <typename MakeValue>
std::pair<std::size_t, std::size_t> check_random_webs(unsigned seed, int webs, int max_count,
                                                      const MakeValue& make_value) {
    web_random random(seed);
    const auto pick = [&](int n) { return random.pick(n); };
    std::size_t with_errors = 0, values = 0;
    for (int web = 0; web < webs; ++web) {
        const int count = 2 + pick(max_count);
        parameter_map params;
        for (int i = 0; i < count; ++i) {
            params["p" + std::to_string(i)] = make_value(random, count);
        }
        const ast::expansion_limits limits{.max_depth = static_cast<std::size_t>(2 + pick(6)),
                                           .max_output = static_cast<std::size_t>(20 + pick(200)),
                                           .max_steps = static_cast<std::size_t>(10 + pick(80))};
        INFO("web " << web);
        with_errors += check_errors_against_expanding(params, limits);
        values += params.size();
    }
    return {with_errors, values - with_errors};
}

}  // namespace

TEST_CASE("an expander's errors() finds what expanding finds, bounded or not") {
    // References, conditionals, comparisons and operands, some of them cycles. The shortcut
    // (no expansion when a bound shows nothing to find) must never hide an error.
    const auto make_value = [](web_random& r, int count) {
        const auto name = [&](int n) { return r.name(n); };
        std::string value;
        for (int k = r.pick(4); k >= 0; --k) {
            switch (r.pick(7)) {
                case 0: value += "text "; break;
                case 1: value += "$" + name(count + 2) + " "; break;  // p{count}: undefined
                case 2: value += "${" + name(count) + "?{$" + name(count) + "}:x}"; break;
                case 3: value += "${" + name(count) + ":{$" + name(count) + "}}"; break;
                case 4:
                    value += "${{$" + name(count) + "} == {x} ? {a} : {$" + name(count) + "}}";
                    break;
                case 5: value += "$$"; break;
                default: value += "$(" + name(count) + ")$" + name(count); break;
            }
        }
        return value;
    };
    const auto [with_errors, without] = check_random_webs(7, 300, 12, make_value);
    // both kinds occur, or the test says nothing
    CHECK(with_errors > 100);
    CHECK(without > 100);
}

TEST_CASE("an expander's errors() finds where an exact expansion passes a limit") {
    // Without comparisons every value's cost is exact and errors() walks to the error
    // instead of expanding: through empty and undefined parameters, conditionals either
    // way, unbraced branches and blanks around braces, function calls, values that stop at
    // a syntax error, and longer chains.
    const auto make_value = [](web_random& r, int count) {
        const auto name = [&](int n) { return r.name(n); };
        std::string value;
        if (r.pick(8) == 0) {
            return value;  // empty
        }
        for (int k = r.pick(6); k >= 0; --k) {
            switch (r.pick(13)) {
                case 0: value += "text "; break;
                case 1: value += "ab"; break;
                case 2: value += "$" + name(count + 2); break;  // undefined now and then
                case 3:
                    value += "${" + name(count) + "?{$" + name(count) + "}:{y $" + name(count) +
                             "}}";
                    break;
                case 4:  // a branch to the end
                    value += "${" + name(count) + ":$" + name(count) + " z}";
                    break;
                case 5: value += "${" + name(count) + " ? {x$" + name(count) + "} }"; break;
                case 6: value += "${fn{$" + name(count) + "}}"; break;
                case 7: value += "$$"; break;
                case 8:  // a syntax error
                    value += r.pick(2) == 0 ? "${" + name(count) : std::string("$");
                    break;
                case 12:  // a long literal
                    value += std::string(static_cast<std::size_t>(20 + r.pick(60)), 'l');
                    break;
                default: value += "$(" + name(count) + ") $" + name(count) + ","; break;
            }
        }
        return value;
    };
    const auto [with_errors, without] = check_random_webs(11, 400, 20, make_value);
    CHECK(with_errors > 200);
    CHECK(without > 200);
}

TEST_CASE("an expander's errors() finds what expanding finds at every limit") {
    // One web, every limit from none at all to past what it needs: each step, byte and
    // level at which an expansion can stop, in literal text between references and at the
    // end of a value too.
    const parameter_map params{
        {"p0", "$p1,$p2 ${p3?{t$p1}:{f}}${p4:e},"},
        {"p1", "a$p2"},
        {"p2", "bc"},
        {"p3", ""},
        {"p4", "${p2?$p1 $p5}"},
        {"p5", "${fn{x$p2}} $$ ${p6?y} z"},
        {"p7", "$p0$p0 ${p2:{$p8}}${p2 ? {$p8} }."},
        {"p8", "$p4$p4$p4"},
    };
    std::size_t with_errors = 0, checks = 0;
    for (std::size_t depth = 1; depth <= 6; ++depth) {
        for (std::size_t output = 0; output <= 60; ++output) {
            for (std::size_t steps = 1; steps <= 70; ++steps) {
                with_errors += check_errors_against_expanding(
                    params, {.max_depth = depth, .max_output = output, .max_steps = steps});
                checks += params.size();
            }
        }
    }
    CHECK(with_errors > checks / 2);
    CHECK(with_errors < checks);
}

TEST_CASE("a numbered parse gives every name of a parameter its number, and functions none") {
    const auto number_of = [](std::string_view n) -> std::uint32_t {
        return n == "undefined" ? ast::value_part::no_id : static_cast<std::uint32_t>(n.size());
    };
    const auto parsed = parse_postfix_value("$a ${bb?{$ccc}} $(undefined) ${ffff{$ddddd}}",
                                            {.literals = false, .number_parameter = number_of});
    REQUIRE(parsed.errors.empty());
    REQUIRE(parsed.parts.size() == 4);
    CHECK(parsed.parts[0].id == 1);
    CHECK(parsed.parts[1].id == 2);
    REQUIRE(parsed.parts[1].when_true());
    CHECK(parsed.parts[1].when_true()->parts.at(0).id == 3);
    CHECK(parsed.parts[2].id == ast::value_part::no_id);
    CHECK(parsed.parts[3].kind == ast::value_part_kind::function_call);
    CHECK(parsed.parts[3].id == ast::value_part::no_id);
    CHECK(parsed.parts[3].when_true()->parts.at(0).id == 5);
    CHECK(parse_postfix_value("$a").parts.at(0).id == ast::value_part::no_id);
}

namespace {

/// Everything a parse holds, ranges, styles and numbers included, as text.
std::string dump(const std::vector<ast::value_part>& parts);

std::string dump_range(byte_range r) {
    return "[" + std::to_string(r.begin) + "," + std::to_string(r.end) + ")";
}

std::string dump_operand(const std::optional<ast::value_operand>& o) {
    if (!o) {
        return "-";
    }
    return (o->braced ? "{" : "") + dump_range(o->range) + "<" + dump(o->parts) + ">";
}

std::string dump(const std::vector<ast::value_part>& parts) {
    std::string out;
    for (const auto& p : parts) {
        out += std::to_string(static_cast<int>(p.kind)) + "/" +
               std::to_string(static_cast<int>(p.style)) + "/" +
               std::to_string(static_cast<int>(p.op)) + (p.level_comparison ? "L" : "") + "#" +
               std::to_string(p.id) + dump_range(p.range) + dump_range(p.name_range) + "'" +
               std::string(p.text()) + "' " + dump_operand(p.when_true()) + " " +
               dump_operand(p.when_false()) + " " + dump_operand(p.left()) + " " +
               dump_operand(p.right()) + dump_range(p.op_range()) + "; ";
    }
    return out;
}

std::string dump(const ast::parsed_value& v) {
    std::string out = dump(v.parts) + (v.literals ? "" : " no literals");
    for (const auto& e : v.errors) {
        out += " error " + e.message + dump_range(e.range) + e.hint;
    }
    return out;
}

}  // namespace

TEST_CASE("the value parser's fast path reads what the grammar reads") {
    const auto number_of = [](std::string_view n) -> std::uint32_t {
        return n.empty() ? 0 : static_cast<std::uint32_t>(n.size() * 7 + n.front());
    };
    const std::vector<ast::value_parse_options> options = {
        {}, {.literals = false}, {.literals = true, .number_parameter = number_of},
        {.literals = false, .number_parameter = number_of}};
    std::vector<std::string> values = {
        "", "$", "$$", "$$$", "${", "$(", "${}", "$()", "${a", "$(a", "${a)", "$(a}", "${a}",
        "$(a)", "${a?b}", "${a:b}", "$(a?b)", "${a?{b}:{c}}", "${{a} == {b}}", "${a{b}}",
        "${a}}", "$(a))", "${{a}", "$a.b", "$a-b", "${a.b}", "${a-b}", "$(a.b)", "$ a", "${ a}",
        "${a }", "$(a )", "a $", "a $$ b", "x, $a, ${b} $(c)\n\t$d  ", "$a$b${c}$(d)$$e",
        "$a,\n    continued_10, $b", "text without a dollar", " $a ", "$a ${", "$a ${b",
        "$a $(b", "$a ${b?{$c}} $d", "$a ${b}c}", "${a${b}}", "$(a$(b))", "${a(b)}",
        "$(a{b})", "$(a{)", "${a(}", "$_", "${_}", "$0x", "$a\xff$b", "\xff${a}",
        "$a ${b} ${c} ${", "${a?${b}}", "$a $ $b", "$a $. $b"};
    // Random values made of the pieces the fast path and the grammar tell apart.
    const std::vector<std::string> pieces = {
        "$", "$$", "{", "}", "(", ")", "?", ":", "a", "b_1", "Zz9", ".", "-", " ", ",", "\n",
        "\t", "${", "$(", "${a}", "$(b)", "$c", "==", " <level ", "x", "\xc3"};
    std::mt19937 random(7);
    for (int i = 0; i < 20000; ++i) {
        values.push_back(test::random_text(random, pieces, 14));
    }
    for (const auto& value : values) {
        INFO(value);
        for (const auto& o : options) {
            const auto fast = parse_postfix_value(value, o);
            const auto slow = detail::parse_postfix_value_by_grammar(value, o);
            REQUIRE(dump(fast) == dump(slow));
            for (std::size_t k = 0; k < fast.parts.size(); ++k) {
                REQUIRE(fast.parts[k].text().data() == slow.parts[k].text().data());
            }
        }
    }
}
