#include <catch2/catch.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "mailtls/parse.hpp"
#include "parse/postfix_master_grammar.hpp"

using namespace mailtls;

namespace {

struct parsed {
    source_file source;
    ast::master_cf ast;
    explicit parsed(std::string text)
        : source("master.cf", std::move(text)), ast(parse_postfix_master(source)) {}
};

}  // namespace

TEST_CASE("the master.cf grammar has no infinite loops") {
    namespace g = grammar::postfix_master;
    CHECK(tao::pegtl::analyze<g::file>() == 0);
    CHECK(tao::pegtl::analyze<g::type_field>() == 0);
    CHECK(tao::pegtl::analyze<g::flag_field>() == 0);
    CHECK(tao::pegtl::analyze<g::wakeup_field>() == 0);
    CHECK(tao::pegtl::analyze<g::process_limit_field>() == 0);
    CHECK(tao::pegtl::analyze<g::inet_endpoint>() == 0);
}

TEST_CASE("master.cf fields and their ranges") {
    const parsed p("# c\nsmtp inet n - y 60? 100 smtpd\r\n");
    REQUIRE(p.ast.errors.empty());
    REQUIRE(p.ast.entries.size() == 1);
    const auto& e = p.ast.entries[0];
    CHECK(e.type == ast::master_service_type::inet);
    CHECK(e.private_flag.value == 'n');
    CHECK(e.unprivileged_flag.value == '-');
    CHECK(e.chroot_flag.value == 'y');
    CHECK(p.source.slice(e.wakeup.range) == "60?");
    CHECK(p.source.slice(e.process_limit.range) == "100");
    CHECK(p.source.slice(e.command.range) == "smtpd");
    CHECK(p.source.position_of(e.command.range.begin) == position{2, 25});
    CHECK(e.arguments.empty());
    CHECK(p.ast.comments.size() == 1);
}

TEST_CASE("inet service names") {
    // service -> host, port
    const std::vector<std::tuple<std::string, std::string, std::string>> table = {
        {"smtp", "", "smtp"},
        {"587", "", "587"},
        {"127.0.0.1:10025", "127.0.0.1", "10025"},
        {"[::1]:10026", "::1", "10026"},
        {"[2001:db8::1]:smtp", "2001:db8::1", "smtp"},
        {"::1:smtp", "::1", "smtp"},
    };
    for (const auto& [service, host, port] : table) {
        INFO(service);
        const parsed p(service + " inet n - n - - smtpd\n");
        REQUIRE(p.ast.entries.size() == 1);
        const auto& e = p.ast.entries[0];
        CHECK(e.host == host);
        CHECK(e.port == port);
        if (!host.empty()) {
            CHECK(p.source.slice(e.host_range) == host);
        }
        CHECK(p.source.slice(e.port_range) == port);
    }
}

TEST_CASE("master.cf -o overrides in every form") {
    // arguments -> form, name, value, (usable)
    struct row {
        std::string args;
        ast::master_cf_override_form form;
        std::string name, value, problem;
    };
    using f = ast::master_cf_override_form;
    const std::vector<row> table = {
        {"-o a=b", f::separate, "a", "b", ""},
        {"-oa=b", f::joined, "a", "b", ""},
        {"-o { a = x,  y }", f::braced, "a", "x,  y", ""},
        {"-o {a=}", f::braced, "a", "", ""},
        {"-o{a=b}", f::joined, "a", "b", ""},
        {"-vo a=b", f::separate, "a", "b", ""},
        {"-o a = b", f::separate, "a", "", "missing '=' after attribute name"},
        {"-o {}", f::braced, "", "", "missing attribute name"},
        {"-o {=x}", f::braced, "", "", "missing attribute name"},
        {"-o", f::separate, "", "", "missing value after '-o'"},
        {"-o\n  # comment\n  { a = 1,\n    2 }", f::braced, "a", "1,    2", ""},
    };
    for (const auto& r : table) {
        INFO(r.args);
        const parsed p("s inet n - n - - smtpd " + r.args + "\n");
        REQUIRE(p.ast.entries.size() == 1);
        const auto& e = p.ast.entries[0];
        REQUIRE(e.overrides.size() == 1);
        const auto& o = e.overrides[0];
        CHECK(o.form == r.form);
        CHECK(o.problem == r.problem);
        CHECK(o.name == r.name);
        CHECK(o.value == r.value);
        if (o.usable()) {
            CHECK(p.source.slice(o.name_range) == r.name);
            std::string joined;
            for (const auto& piece : o.value_pieces) {
                joined += p.source.slice(piece);
            }
            CHECK(joined == r.value);
            CHECK(e.find_override(r.name) == &o);
        }
    }
}

TEST_CASE("options end at the first operand; groups and '#' words are arguments") {
    const parsed p(
        "dovecot unix - n n - - pipe\n"
        "  flags=DRhu argv=/usr/lib/dovecot/deliver -o x=y {  -a b  } # note\n");
    REQUIRE(p.ast.entries.size() == 1);
    const auto& e = p.ast.entries[0];
    CHECK(e.overrides.empty());
    REQUIRE(e.arguments.size() == 7);
    CHECK(e.arguments[2].kind == ast::master_cf_argument_kind::operand);
    CHECK(e.arguments[4].braced);
    CHECK(e.arguments[4].value == "-a b");
    CHECK(p.source.slice(e.arguments[4].word.range) == "{  -a b  }");
    CHECK(e.arguments[5].word.text == "#");
    CHECK(e.range.end == p.source.text().size() - 1);
}

TEST_CASE("master.cf syntax errors are recorded and parsing goes on") {
    // input -> message prefix, text at the error's range
    const std::vector<std::tuple<std::string, std::string, std::string>> table = {
        {"smtp inet n - y - -\n", "bad field count", "smtp inet n - y - -"},
        {"smtp bogus n - y - - smtpd\n", "invalid type field 'bogus'", "bogus"},
        {"smtp inet x - y - - smtpd\n", "invalid private field 'x'", "x"},
        {"smtp inet n yes y - - smtpd\n", "invalid unprivileged field 'yes'", "yes"},
        {"smtp inet n - Y - - smtpd\n", "invalid chroot field 'Y'", "Y"},
        {"pickup unix n - y abc 1 pickup\n", "invalid wakeup field 'abc'", "abc"},
        {"pickup unix n - y 60 x pickup\n", "invalid process_limit field 'x'", "x"},
        {"smtp inet n - y - - smtpd -o { a = b\n", "missing '}'", "{ a = b"},
        {"smtp inet n - y - - smtpd -o {a=b}x\n", "text after '}'", "x"},
        {"smtp inet n - y - - smtpd {a\n", "missing '}'", "{a"},
    };
    for (const auto& [input, message, text] : table) {
        INFO(input);
        const parsed p(input + "next unix n - n - - next\n");
        REQUIRE(p.ast.errors.size() == 1);
        CHECK(p.ast.errors[0].message.starts_with(message));
        CHECK(p.source.slice(p.ast.errors[0].range) == text);
        CHECK(p.ast.entries.back().command.text == "next");
    }
}

TEST_CASE("accepted odd master.cf fields") {
    for (const char* input : {"a unix - - - - - x\n", "a unix - - - 0? 0 x\n",
                              "a unix - - - ? 1 x\n", "a unix - - - -? 1 x\n",
                              "a fifo n - n 300 1 qmgr\n", "a unix-dgram n - n - 1 postlogd\n",
                              "a pass - - y - - smtpd\n"}) {
        INFO(input);
        const parsed p(input);
        CHECK(p.ast.errors.empty());
        CHECK(p.ast.entries.size() == 1);
    }
}

TEST_CASE("odd master.cf inputs parse without crashes or loops") {
    const std::string deep(100000, '{');
    for (const std::string& input :
         {std::string(), std::string("\n"), std::string("#"), std::string("   x\n"),
          std::string("{"), std::string("}"), std::string("a b c d e f g {\n  }"),
          "a unix - - - - - x " + deep, std::string("  indented\n  more\nx y\n"),
          std::string("a\tunix\t-\t-\t-\t-\t-\tx\t-o\n")}) {
        const parsed p(input);
        for (const auto& e : p.ast.entries) {
            CHECK(e.range.end <= p.source.text().size());
        }
    }
    const parsed orphan("  smtp inet n - y - - smtpd\n    -o a=b\npickup unix n - y 60 1 pickup\n");
    CHECK(orphan.ast.entries.size() == 1);
    REQUIRE(orphan.ast.orphan_lines.size() == 1);
    CHECK(orphan.source.slice(orphan.ast.orphan_lines[0]) ==
          "  smtp inet n - y - - smtpd\n    -o a=b");
}
