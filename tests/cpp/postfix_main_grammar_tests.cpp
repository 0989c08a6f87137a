#include <catch2/catch.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include <random>
#include <string>
#include <vector>

#include "mailtls/parse.hpp"
#include "parse/postfix_main.hpp"
#include "parse/postfix_main_grammar.hpp"
#include "random_text.hpp"
#include "two_threads.hpp"

using namespace mailtls;

namespace {

struct parsed {
    source_file source;
    ast::main_cf ast;
    explicit parsed(std::string text) : source("main.cf", std::move(text)), ast(parse_postfix_main(source)) {}
};

}  // namespace

TEST_CASE("the main.cf grammar has no infinite loops") {
    CHECK(tao::pegtl::analyze<grammar::postfix_main::file>() == 0);
    CHECK(tao::pegtl::analyze<grammar::postfix_main::file_by_grammar>() == 0);
}

namespace {

std::string dump(const source_file& source, const ast::main_cf& tree) {
    const auto range = [](byte_range r) {
        return std::to_string(r.begin) + "-" + std::to_string(r.end);
    };
    std::string out;
    for (const auto& p : tree.parameters) {
        out += "P " + std::string(p.name) + " " + range(p.name_range) + " [" +
               std::string(p.value) + "] " + range(p.value_range) + " " + range(p.range) + " " +
               (p.value.empty() || p.value.data() == source.text().data() + p.value_range.begin
                    ? "view"
                    : "joined");
        for (const auto piece : p.value_pieces) {
            out += " " + range(piece);
        }
        out += "\n";
    }
    for (const auto& c : tree.comments) {
        out += "C [" + std::string(c.text) + "] " + range(c.range) + "\n";
    }
    for (const auto r : tree.orphan_lines) {
        out += "O " + range(r) + "\n";
    }
    for (const auto& e : tree.errors) {
        out += "E " + e.message + " " + range(e.range) + "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("the shortcut for one-line parameters reads what the grammar reads") {
    // Random files of the bytes and words that tell a one-line parameter from the rest.
    const std::vector<std::string> pieces = {
        "a", "b_1", "x.y", "=", " = ", " ", "\t", "\r", "\v", "\n", "\n", "\r\n", "#", "# c",
        "$a", "value", ",", "\n  ", "\n\t", "\n#\n", "\n\n", "\xc3"};
    std::mt19937 random(11);
    std::vector<std::string> files = {"", "a = b", "a = b\n", "a =\n", "a = b \r\n  c\n",
                                      "a = b\n#\n  c\nd = e", "#a = b\n", " a = b\n"};
    for (int i = 0; i < 20000; ++i) {
        files.push_back(test::random_text(random, pieces, 24));
    }
    for (const auto& text : files) {
        INFO(text);
        const source_file source("main.cf", text);
        REQUIRE(dump(source, parse_postfix_main(source)) ==
                dump(source, detail::parse_postfix_main_by_grammar(source)));
    }
}

TEST_CASE("a copy of a parsed main.cf keeps its values when the original is gone") {
    // Values joined from continuation lines and every value's pieces are held by the
    // main_cf (main_cf::storage), not by the source: a copy must keep them alive.
    const source_file source("main.cf", "a = one\nb = two\n  three\n  four\nc =\n");
    ast::main_cf copy;
    {
        const auto original = parse_postfix_main(source);
        copy = original;
    }
    REQUIRE(copy.parameters.size() == 3);
    CHECK(copy.parameters[0].value == "one");
    CHECK(copy.parameters[1].value == "two  three  four");
    REQUIRE(copy.parameters[1].value_pieces.size() == 3);
    CHECK(source.slice(copy.parameters[1].value_pieces[2]) == "  four");
    CHECK(copy.parameters[2].value.empty());
    CHECK(copy.parameters[2].value_pieces.empty());
    // a value on one line views the source itself, a joined one does not
    CHECK(copy.parameters[0].value.data() == source.text().data() + 4);
    CHECK(copy.parameters[1].source_offset(5) == copy.parameters[1].value_pieces[1].begin + 2);
}

TEST_CASE("main.cf values as Postfix reads them") {
    // input -> name, value (postconf -n prints the same value, blanks folded)
    const std::vector<std::tuple<std::string, std::string, std::string>> table = {
        {"myhostname = mail.example.com\n", "myhostname", "mail.example.com"},
        {"myhostname=mail.example.com", "myhostname", "mail.example.com"},
        {"a\t=\t x y \t\n", "a", "x y"},
        {"relayhost =\n", "relayhost", ""},
        {"relayhost = \n", "relayhost", ""},
        {"a = 1\r\n", "a", "1"},
        {"a = may # trailing\n", "a", "may # trailing"},
        {"a = x \\\n  b\n", "a", "x \\  b"},
        {"a = 1\n  2\n", "a", "1  2"},
        {"a = 1\n# comment\n  2\n", "a", "1  2"},
        {"a = 1\n\n  2\n", "a", "1  2"},
        {"a = 1\n   \n #c\n\t2\n", "a", "1\t2"},
        {"a = 1\r\n  2\r\n", "a", "1  2"},
        {"a\n  = b\n", "a", "b"},
        {"a = \"quoted # x\"\n", "a", "\"quoted # x\""},
        {"a.b-c = 1\n", "a.b-c", "1"},
        {"a = b = c\n", "a", "b = c"},
    };
    for (const auto& [input, name, value] : table) {
        INFO(input);
        const parsed p(input);
        REQUIRE(p.ast.errors.empty());
        REQUIRE(p.ast.parameters.size() == 1);
        const auto& param = p.ast.parameters[0];
        CHECK(param.name == name);
        CHECK(param.value == value);
        CHECK(p.source.slice(param.name_range) == name);
        // the pieces map back onto the source
        std::string joined;
        for (const auto& piece : param.value_pieces) {
            joined += p.source.slice(piece);
        }
        CHECK(joined == value);
    }
}

TEST_CASE("comment and blank lines, continuations and their ranges") {
    const parsed p("# header\n\nmyhostname = mx.example.com\n  # not the end\nmydomain = example.com\n"
                   "mynetworks = 127.0.0.0/8\n    [::1]/128\n");
    REQUIRE(p.ast.parameters.size() == 3);
    CHECK(p.ast.comments.size() == 2);
    const auto& third = p.ast.parameters[2];
    CHECK(third.value == "127.0.0.0/8    [::1]/128");
    CHECK(p.source.position_of(third.value_range.begin) == position{6, 14});
    CHECK(p.source.position_of(third.value_range.end) == position{7, 14});
    CHECK(p.source.position_of(third.source_offset(15)) == position{7, 5});
}

TEST_CASE("a line without '=' is an error, and parsing goes on") {
    const parsed p("myhostname mail.example.com\nmydomain = example.com\n= value\nlonely\n"
                   "other = 1\n");
    CHECK(p.ast.parameters.size() == 2);
    REQUIRE(p.ast.errors.size() == 3);
    CHECK(p.ast.errors[0].message == "missing '=' after parameter name 'myhostname'");
    CHECK(p.source.position_of(p.ast.errors[0].range.begin) == position{1, 12});
    CHECK(p.ast.errors[1].message == "missing parameter name before '='");
    CHECK(p.source.position_of(p.ast.errors[1].range.begin) == position{3, 1});
    CHECK(p.ast.errors[2].message == "missing '=' after parameter name 'lonely'");
    CHECK(p.source.slice(p.ast.errors[2].range) == "lonely");
}

TEST_CASE("an indented first line has nothing to continue") {
    const parsed p("  myhostname = x\n   more\nmydomain = y\n");
    CHECK(p.ast.parameters.size() == 1);
    REQUIRE(p.ast.orphan_lines.size() == 1);
    CHECK(p.source.slice(p.ast.orphan_lines[0]) == "  myhostname = x\n   more");
    CHECK(p.ast.errors.empty());
}

TEST_CASE("odd inputs parse without errors or loops") {
    for (const char* input : {"", "\n", "#", "   ", "\r\n\r\n", "a =", "a=\n  ", "x = \n#\n",
                              "\t#c\n", "a = $", "{", "=", "==", "a = #"}) {
        INFO(input);
        const parsed p(input);
        for (const auto& param : p.ast.parameters) {
            CHECK(param.range.end <= p.source.text().size());
            CHECK(param.value_range.begin <= param.value_range.end);
        }
    }
}

namespace {

/// The parse in two parts (any file with a line to split at, whatever its size) against the
/// parse in one.
std::string split_dump(const source_file& source) {
    return dump(source, detail::parse_postfix_main(source, 0));
}
std::string whole_dump(const source_file& source) {
    return dump(source, detail::parse_postfix_main(source, std::size_t(-1)));
}

}  // namespace

TEST_CASE("a main.cf read in two parts reads as it does in one") {
    SECTION("random small files, split wherever they can be") {
        const std::vector<std::string> pieces = {
            "a", "b_1", "x.y", "=", " = ", " ", "\t", "\r", "\v", "\n", "\n", "\r\n", "#",
            "# c", "$a", "value", ",", "\n  ", "\n\t", "\n#\n", "\n\n", "\xc3", "\nn = v\n"};
        std::mt19937 random(23);
        for (int i = 0; i < 20000; ++i) {
            std::string text;
            const auto n = random() % 32;
            for (std::uint32_t j = 0; j < n; ++j) {
                text += pieces[random() % pieces.size()];
            }
            INFO(text);
            const source_file source("main.cf", text);
            REQUIRE(split_dump(source) == whole_dump(source));
        }
    }
    SECTION("files built around the split point") {
        // The split is at the first line after the middle that starts a logical line: what
        // comes before the middle (a continuation, comment and blank lines, CRLF, a bad line,
        // an orphan line) must end in the first part, and the joined values and pieces of
        // the second must survive the join.
        const auto around_middle = [](const std::string& before, const std::string& after) {
            std::string filler;
            for (int i = 0; filler.size() < 5000; ++i) {
                filler += "p_" + std::to_string(i) + " = value " + std::to_string(i) + "\n";
            }
            return filler + before + after + filler;
        };
        const std::vector<std::string> files = {
            around_middle("a = one\n  two\n", "b = three\n"),
            around_middle("a = one\n# comment\n\n  two\n\n# c\n", "b = x\n  y\n\n  z\n"),
            around_middle("a = one\r\n  two\r\n\r\n", "b = 1\r\n  2\r\n"),
            around_middle("a = one\n \n\t\n", "= value\nlonely\n  more\nc = d\n"),
            around_middle("bad line\n  continued\n", "  orphan\n  more\nx = y\n"),
            around_middle("", "#a = b\n  c\n\n"),
            around_middle("a = no line ending at the end", ""),
            // only name-starting lines at the very beginning: no line to split at
            [] {
                std::string text = "a = b\n";
                for (int i = 0; i < 3000; ++i) {
                    text += i % 2 == 0 ? "  c\n" : "# c\n\n";
                }
                return text;
            }(),
            [] {
                std::string one = "huge =";  // one parameter of many continuation lines
                for (int i = 0; i < 2000; ++i) {
                    one += "\n  word_" + std::to_string(i) + (i % 7 == 0 ? "\n# c\n" : "");
                }
                return one + "\n";
            }(),
            [] {
                std::string crlf;  // CRLF throughout, continuations on every third line
                for (int i = 0; i < 3000; ++i) {
                    crlf += "n" + std::to_string(i) + " = v\r\n" + (i % 3 == 0 ? "  w\r\n" : "");
                }
                return crlf;
            }(),
        };
        for (const auto& text : files) {
            INFO(text.substr(0, 200));
            const source_file source("main.cf", text);
            REQUIRE(split_dump(source) == whole_dump(source));
        }
    }
    SECTION("a generated main.cf over the size that splits it") {
        std::string text = "# generated\n";
        std::mt19937 random(5);
        for (int i = 0; text.size() <= detail::k_parallel_bytes + 4096; ++i) {
            const auto name = "param_" + std::to_string(i);
            switch (random() % 8) {
            case 0:
                text += name + " = first\n  second, $" + name + "\n";
                break;
            case 1:
                text += "# about " + name + "\n\n";
                break;
            case 2:
                text += name + " value without equals\n";
                break;
            case 3:
                text += "  orphan " + name + "\n";
                break;
            default:
                text += name + " = ${other_" + std::to_string(i / 2) + "} " + name + "\n";
            }
        }
        const source_file source("main.cf", text);
        const auto whole = whole_dump(source);
        CHECK(dump(source, parse_postfix_main(source)) == whole);
        CHECK(split_dump(source) == whole);
        CHECK(whole.find("joined") != std::string::npos);
        CHECK(whole.find("\nE ") != std::string::npos);
        CHECK(whole.find("\nO ") != std::string::npos);
    }
}
