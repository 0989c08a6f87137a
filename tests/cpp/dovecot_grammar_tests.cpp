#include <catch2/catch.hpp>

#include <unistd.h>
#include <tao/pegtl/contrib/analyze.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "mailtls/parse.hpp"
#include "parse/dovecot.hpp"
#include "parse/dovecot_grammar.hpp"
#include "random_text.hpp"

using namespace mailtls;
using ast::dovecot_syntax;

namespace {

struct parsed {
    source_file source;
    ast::dovecot_file ast;
    parsed(std::string text, dovecot_syntax syntax, bool continuation = true)
        : source("dovecot.conf", std::move(text)),
          ast(parse_dovecot(source, {syntax, continuation})) {}
};

std::string range_text(byte_range r) {
    return std::to_string(r.begin) + "-" + std::to_string(r.end);
}

/// Everything a parsed Dovecot file holds, one line per node.
std::string dump(const ast::dovecot_file& f) {
    std::string out;
    for (const auto& s : f.settings) {
        out += "S " + range_text(s.key_range) + " [" + std::string(f.key(s)) + "] [" +
               std::string(f.text(s)) + "] " + range_text(s.value.range) + " q" +
               std::to_string(s.value.quote) + (s.value.file ? " file " : " ") +
               range_text(f.file_path_range(s)) + " in " + std::to_string(s.section) +
               (s.extent == ast::dovecot_setting::k_no_extent ? " plain" : " extent");
        for (const auto piece : f.pieces(s)) {
            out += " " + range_text(piece);
        }
        for (const auto& ref : f.references(s)) {
            out += " $" + std::to_string(static_cast<int>(ref.kind)) + ref.name + "@" +
                   range_text(ref.range) + (ref.starts_value ? "^" : "");
        }
        out += "\n";
    }
    for (const auto& s : f.sections) {
        out += "X [" + std::string(s.type) + "] [" + std::string(s.name) + "] " +
               std::to_string(s.has_name) + " " + range_text(s.type_range) + " " +
               range_text(s.name_range) + " " + range_text(s.header_range) + " " +
               range_text(s.close_range) + " " + std::to_string(static_cast<int>(s.kind)) +
               " " + std::to_string(s.parent) + " " + std::to_string(s.depth);
        for (const auto child : s.children) {
            out += " " + std::to_string(static_cast<int>(child.kind)) + ":" +
                   std::to_string(child.index);
        }
        out += "\n";
    }
    for (const auto& i : f.includes) {
        out += "I " + std::to_string(i.try_only) + " [" + i.pattern + "] " +
               range_text(i.pattern_range) + " " + range_text(i.range) + " " +
               std::to_string(i.section) + "\n";
    }
    for (const auto& c : f.comments) {
        out += "C [" + std::string(c.text) + "] " + range_text(c.range) + "\n";
    }
    for (const auto& q : f.comment_quirks) {
        out += "Q " + std::to_string(static_cast<int>(q.kind)) + " " + range_text(q.range) +
               " " + range_text(q.quote) + " " +
               (q.setting ? std::to_string(*q.setting) : std::string("-")) + "\n";
    }
    for (const auto& e : f.errors) {
        out += "E " + e.message + " " + range_text(e.range) + " " + e.hint + "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("the shortcut for plain statements reads what the grammar reads") {
    // Random files of the bytes and words that tell a plain setting, section header or '}'
    // from the other lines.
    const std::vector<std::string> pieces = {
        "a", "b_1", "!include", "!", "=", " = ", " ", "\t", "\r", "\n", "\n", "\\\n", "#",
        "# c", "\"", "'", "$a", "<", "{", "}", "sec {", " name {", " \"n m\" {", "\\", "value",
        "\xc3"};
    std::mt19937 random(12);
    std::vector<std::string> files = {"", "a = b", "a=b\n", "a =\n", "\"a\" = b\n",
                                      "a b {\n c = d\n}\n", "!include x\n", "= b\n"};
    for (int i = 0; i < 20000; ++i) {
        files.push_back(test::random_text(random, pieces, 24));
    }
    for (const auto& text : files) {
        INFO(text);
        const source_file source("dovecot.conf", text);
        for (const auto syntax : {dovecot_syntax::v1, dovecot_syntax::v2, dovecot_syntax::v24}) {
            INFO(ast::to_string(syntax));
            REQUIRE(dump(parse_dovecot(source, {syntax, true})) ==
                    dump(detail::parse_dovecot_by_grammar(source, {syntax, true})));
        }
    }
}

TEST_CASE("the Dovecot grammars have no infinite loops") {
    namespace g = grammar::dovecot;
    CHECK(tao::pegtl::analyze<g::file>() == 0);
    CHECK(tao::pegtl::analyze<g::statement<dovecot_syntax::v1>>() == 0);
    CHECK(tao::pegtl::analyze<g::statement<dovecot_syntax::v2>>() == 0);
    CHECK(tao::pegtl::analyze<g::statement<dovecot_syntax::v24>>() == 0);
}

TEST_CASE("Dovecot values as each syntax reads them") {
    // input, syntax -> key, value (doveconf 2.3 prints the same for the 2.x rows; see
    // ../shared/tools/golden/tricky/dovecot)
    const std::vector<std::tuple<std::string, dovecot_syntax, std::string, std::string>> table = {
        {"ssl = required\n", dovecot_syntax::v2, "ssl", "required"},
        {"ssl=required", dovecot_syntax::v2, "ssl", "required"},
        {"\t\tprotocols = imap lmtp\n", dovecot_syntax::v2, "protocols", "imap lmtp"},
        {"ssl = required\r\n", dovecot_syntax::v2, "ssl", "required"},
        {"a = maildir:~/Maildir # trailing comment\n", dovecot_syntax::v2, "a", "maildir:~/Maildir"},
        {"a = Ready#not a comment?\n", dovecot_syntax::v2, "a", "Ready"},
        {"a = \"maildir:~/Maildir # not a comment\"\n", dovecot_syntax::v2, "a",
         "maildir:~/Maildir # not a comment"},
        {"a = 'single quoted'\n", dovecot_syntax::v2, "a", "single quoted"},
        {"a = \"a\\\"b\"\n", dovecot_syntax::v2, "a", "a\"b"},
        {"a = \"a\" b\n", dovecot_syntax::v2, "a", "\"a\" b"},
        {"a = It's up # note\n", dovecot_syntax::v2, "a", "It's up # note"},
        {"a = plain \\\n  login\n", dovecot_syntax::v2, "a", "plain login"},
        {"a = plain\\\n  login\n", dovecot_syntax::v2, "a", "plain login"},
        {"a = plain \\\n# comment\n\n  login\n", dovecot_syntax::v2, "a", "plain login"},
        {"a = plain \\ # c\n  login\n", dovecot_syntax::v2, "a", "plain login"},
        {"a = plain\\\n  login\n", dovecot_syntax::v1, "a", "plainlogin"},
        {"a = plain \\\n  login\n", dovecot_syntax::v1, "a", "plain login"},
        {"a =\n", dovecot_syntax::v2, "a", ""},
        {"a = \n", dovecot_syntax::v2, "a", ""},
        {"ssl_cert = </etc/ssl/cert.pem\n", dovecot_syntax::v2, "ssl_cert", "/etc/ssl/cert.pem"},
        {"ssl_cert = <  /etc/ssl/cert.pem\n", dovecot_syntax::v2, "ssl_cert", "/etc/ssl/cert.pem"},
        {"ssl_cert_file = </etc/ssl/cert.pem\n", dovecot_syntax::v1, "ssl_cert_file",
         "</etc/ssl/cert.pem"},
        {"a = \"</etc/x\"\n", dovecot_syntax::v2, "a", "</etc/x"},
        {"\"quoted key\" = 1\n", dovecot_syntax::v24, "quoted key", "1"},
        {"a = b = c\n", dovecot_syntax::v2, "a", "b = c"},
    };
    for (const auto& [input, syntax, key, value] : table) {
        INFO(input << " as " << ast::to_string(syntax));
        const parsed p(input, syntax);
        CHECK(p.ast.errors.empty());
        REQUIRE(p.ast.settings.size() == 1);
        const auto& s = p.ast.settings[0];
        CHECK(p.ast.key(s) == key);
        CHECK(p.ast.text(s) == value);
        CHECK(s.section == 0);
    }
}

TEST_CASE("1.0 has no backslash continuation") {
    const parsed p("a = plain \\\nb = 1\n", dovecot_syntax::v1, false);
    REQUIRE(p.ast.settings.size() == 2);
    CHECK(p.ast.text(p.ast.settings[0]) == "plain \\");
}

TEST_CASE("ranges of keys, values, file paths and continuation pieces") {
    const parsed p("  ssl_cert = </etc/c.pem\nauth_mechanisms = plain \\\n    login\n",
                   dovecot_syntax::v2);
    REQUIRE(p.ast.settings.size() == 2);
    const auto& cert = p.ast.settings[0];
    CHECK(p.source.slice(cert.key_range) == "ssl_cert");
    CHECK(p.source.slice(cert.value.range) == "</etc/c.pem");
    CHECK(cert.value.file);
    CHECK(p.source.slice(p.ast.file_path_range(cert)) == "/etc/c.pem");
    const auto& mech = p.ast.settings[1];
    CHECK(p.ast.text(mech) == "plain login");
    const auto pieces = p.ast.pieces(mech);
    REQUIRE(pieces.size() == 2);
    CHECK(p.source.slice(pieces[0]) == "plain");
    CHECK(p.source.slice(pieces[1]) == "login");
    // a value on one line is its range alone
    REQUIRE(p.ast.pieces(cert).size() == 1);
    CHECK(p.ast.pieces(cert)[0] == cert.value.range);
    CHECK(p.source.position_of(mech.value.range.end) == position{3, 10});
}

TEST_CASE("a copy of a parsed Dovecot file keeps its keys and values when the original is gone") {
    // Keys and values the daemon computes (unquoted, unescaped, joined from continuation
    // lines) and every value's pieces are held by the file (dovecot_file::storage).
    const source_file source("dovecot.conf",
                             "\"ssl\" = yes\n"
                             "login_greeting = \"a \\\"b\\\" c\"\n"
                             "auth_mechanisms = plain \\\n    login\n"
                             "service imap {\n  process_limit = 1\n}\n");
    ast::dovecot_file copy;
    {
        const auto original = parse_dovecot(source, {dovecot_syntax::v24, true});
        copy = original;
    }
    CHECK(copy.errors.empty());
    REQUIRE(copy.settings.size() == 4);
    CHECK(copy.key(copy.settings[0]) == "ssl");
    CHECK(copy.text(copy.settings[1]) == "a \"b\" c");
    CHECK(copy.text(copy.settings[2]) == "plain login");
    REQUIRE(copy.pieces(copy.settings[2]).size() == 2);
    CHECK(source.slice(copy.pieces(copy.settings[2])[1]) == "login");
    CHECK(copy.key(copy.settings[3]) == "process_limit");
    CHECK(copy.text(copy.settings[3]) == "1");
    // text read as written views the source itself
    CHECK(copy.text(copy.settings[3]).data() ==
          source.text().data() + copy.settings[3].value.range.begin);
}

TEST_CASE("sections, filters and includes keep their place in the tree") {
    const parsed p("service imap-login {\n  inet_listener imaps {\n    port = 993\n    ssl = yes\n"
                   "  }\n}\nnamespace inbox {\n  mailbox \"Sent Messages\" {\n"
                   "    special_use = \\Sent\n  }\n}\nprotocol imap {\n  !include_try imap.d/*.conf\n"
                   "}\npassdb {\n  driver = pam\n}\n",
                   dovecot_syntax::v2);
    CHECK(p.ast.errors.empty());
    REQUIRE(p.ast.sections.size() == 7);
    const auto& listener = p.ast.sections[2];
    CHECK(listener.type == "inet_listener");
    CHECK(listener.name == "imaps");
    CHECK(p.ast.sections[listener.parent].name == "imap-login");
    CHECK(listener.depth == 2);
    CHECK(p.source.slice(listener.header_range) == "inet_listener imaps {");
    CHECK(p.source.slice(listener.close_range) == "}");
    CHECK(p.ast.settings[0].section == 2);
    const auto& mailbox = p.ast.sections[4];
    CHECK(mailbox.name == "Sent Messages");
    CHECK(p.source.slice(mailbox.name_range) == "\"Sent Messages\"");
    CHECK(p.ast.sections[5].kind == ast::dovecot_section_kind::filter);
    REQUIRE(p.ast.includes.size() == 1);
    CHECK(p.ast.includes[0].try_only);
    CHECK(p.ast.includes[0].pattern == "imap.d/*.conf");
    CHECK(p.ast.includes[0].section == 5);
    CHECK_FALSE(p.ast.sections[6].has_name);
    CHECK(p.ast.sections[6].kind == ast::dovecot_section_kind::unnamed);
}

TEST_CASE("references as each syntax defines them") {
    const parsed v2("mail_plugins = $mail_plugins quota $ENV:X a$b\n", dovecot_syntax::v2);
    REQUIRE(v2.ast.settings.size() == 1);
    const auto refs = v2.ast.references(v2.ast.settings[0]);
    REQUIRE(refs.size() == 2);
    CHECK(refs[0].name == "mail_plugins");
    CHECK(refs[0].starts_value);
    CHECK(v2.source.slice(refs[0].range) == "$mail_plugins");
    CHECK(refs[1].kind == ast::dovecot_reference::kind_type::environment);
    CHECK(refs[1].name == "X");

    const parsed v24("user = $SET:default_internal_user $default_vsz_limit\n", dovecot_syntax::v24);
    const auto refs24 = v24.ast.references(v24.ast.settings[0]);
    REQUIRE(refs24.size() == 2);
    CHECK(refs24[0].kind == ast::dovecot_reference::kind_type::setting);
    CHECK(refs24[0].name == "default_internal_user");
    CHECK(refs24[1].kind == ast::dovecot_reference::kind_type::literal);

    const parsed v1("a = $b\n", dovecot_syntax::v1);
    CHECK(v1.ast.references(v1.ast.settings[0]).empty());
    const parsed quoted("a = \"$b\"\n", dovecot_syntax::v2);
    CHECK(quoted.ast.references(quoted.ast.settings[0]).empty());
}

TEST_CASE("syntax errors have a message and an exact range, and parsing goes on") {
    // input, syntax -> message, the source text of the range
    const std::vector<std::tuple<std::string, dovecot_syntax, std::string, std::string>> table = {
        {"ssl\n", dovecot_syntax::v2, "missing '=' after 'ssl'", "ssl"},
        {"service a b {\n}\n", dovecot_syntax::v2,
         "expecting '=' after 'service', or '{' at the end of a section header", "a b {"},
        {"= x\n", dovecot_syntax::v2, "missing setting name before '='", "="},
        // a continuation from an empty line: no key starts the joined line (and no key of
        // an earlier line may stand in for it)
        {"ssl = yes\n\\\nfoo bar\n", dovecot_syntax::v2,
         "expecting a setting ('key = value'), a section header ('type name {') or '}'",
         "foo bar"},
        {"service x { port = 1 }\n", dovecot_syntax::v2,
         "garbage after '{': a section header must end the line", "port = 1 }"},
        {"service x {\n} x\n}\n", dovecot_syntax::v2, "'}' must be alone on its line", "x"},
        {"ssl = yes\n}\n", dovecot_syntax::v2, "unexpected '}': no section is open", "}"},
        {"protocol imap {\n  a = 1\n", dovecot_syntax::v2,
         "missing '}': the section 'protocol imap' opened here is never closed",
         "protocol imap {"},
        {"mailbox \"Sent {\n}\n", dovecot_syntax::v2, "unterminated '\"' in a section name",
         "mailbox \"Sent {"},
        {"\"key = 1\n", dovecot_syntax::v24, "unterminated '\"' in a setting name", "\"key = 1"},
        {"!include\n", dovecot_syntax::v2, "missing path after the include", "!include"},
        {"protocol imap {\n  protocol pop3 {\n  }\n}\n", dovecot_syntax::v2,
         "'protocol pop3 {': 'protocol' must not be inside 'protocol'", "protocol pop3 {"},
        {"protocol imap {\n  local 10.0.0.1 {\n  }\n}\n", dovecot_syntax::v24,
         "'local 10.0.0.1 {': 'local' must not be inside 'protocol' (filters nest in the order "
         "local, local_name, remote, protocol)",
         "local 10.0.0.1 {"},
        {"passdb {\n  driver = pam\n}\n", dovecot_syntax::v24,
         "'passdb {': a 'passdb' section needs a name in Dovecot 2.4", "passdb {"},
        {"plugin {\n}\n", dovecot_syntax::v24,
         "'plugin {': Dovecot 2.4 has no 'plugin' section; plugin settings are global settings",
         "plugin {"},
        {"service imap {\n  protocol imap {\n  }\n}\n", dovecot_syntax::v2,
         "'protocol imap {': filters are only allowed at the top level or inside other filters",
         "protocol imap {"},
        {"protocol smtp {\n}\n", dovecot_syntax::v1,
         "'protocol smtp {': Dovecot 1.x knows the protocols imap, pop3, lda and managesieve "
         "only",
         "protocol smtp {"},
        {"service imap {\n}\n", dovecot_syntax::v1,
         "'service imap {': Dovecot 1.x has no such section", "service imap {"},
        {"auth default {\n  client {\n  }\n}\n", dovecot_syntax::v1,
         "'client {': a Dovecot 1.x 'auth' section holds 'passdb', 'userdb' and 'socket' "
         "sections only",
         "client {"},
        {"namespace inbox {\n}\n", dovecot_syntax::v1,
         "'namespace inbox {': a Dovecot 1.x namespace is private, shared or public",
         "namespace inbox {"},
    };
    for (const auto& [input, syntax, message, range_text] : table) {
        INFO(input << " as " << ast::to_string(syntax));
        const parsed p(input + "after = 1\n", syntax);
        REQUIRE(p.ast.errors.size() == 1);
        CHECK(p.ast.errors[0].message == message);
        CHECK(p.source.slice(p.ast.errors[0].range) == range_text);
        // the line after the error is read
        CHECK(std::any_of(p.ast.settings.begin(), p.ast.settings.end(),
                          [&](const auto& s) { return p.ast.key(s) == "after"; }));
    }
}

TEST_CASE("sections each syntax accepts") {
    const std::vector<std::pair<std::string, dovecot_syntax>> table = {
        {"auth default {\n  passdb pam {\n  }\n  socket listen {\n    client {\n    }\n  }\n}\n",
         dovecot_syntax::v1},
        {"protocol imap {\n}\nnamespace private {\n}\nplugin {\n}\ndict {\n}\n",
         dovecot_syntax::v1},
        {"local 10.0.0.0/8 {\n  protocol imap {\n  }\n}\nremote 1.2.3.4 {\n  protocol pop3 {\n"
         "  }\n}\nauth default {\n}\npassdb {\n}\n",
         dovecot_syntax::v2},
        {"local 10.0.0.1 {\n  local_name mx {\n    remote 10.0.0.2 {\n      protocol imap {\n"
         "      }\n    }\n  }\n}\nssl_server {\n}\nmail_plugins {\n  quota = yes\n}\n",
         dovecot_syntax::v24},
    };
    for (const auto& [input, syntax] : table) {
        INFO(input << " as " << ast::to_string(syntax));
        const parsed p(input, syntax);
        CHECK(p.ast.errors.empty());
    }
}

TEST_CASE("comment quirks are recorded for DV009") {
    const parsed p("a = x#y\nb = It's up # note\n# full line\nc = d # fine\n", dovecot_syntax::v2);
    REQUIRE(p.ast.comment_quirks.size() == 2);
    using kind = ast::dovecot_comment_quirk::kind_type;
    CHECK(p.ast.comment_quirks[0].kind == kind::no_blank_before);
    CHECK(p.source.slice(p.ast.comment_quirks[0].range) == "#y");
    CHECK(p.ast.comment_quirks[0].setting == 0u);
    CHECK(p.ast.comment_quirks[1].kind == kind::kept_by_quote);
    CHECK(p.source.slice(p.ast.comment_quirks[1].range) == "# note");
    CHECK(p.source.slice(p.ast.comment_quirks[1].quote) == "'");
    CHECK(p.ast.comments.size() == 3);
}

TEST_CASE("deep nesting is an error, not a stack overflow") {
    std::string text;
    for (int i = 0; i < 100000; ++i) {
        text += "s {\n";
    }
    text += "a = 1\n";
    for (int i = 0; i < 100000; ++i) {
        text += "}\n";
    }
    text += "after = 1\n";
    const parsed p(std::move(text), dovecot_syntax::v2);
    REQUIRE(p.ast.errors.size() == 1);
    CHECK(p.ast.errors[0].message.starts_with("sections nested deeper than 100 levels"));
    CHECK(p.ast.sections.size() == 101);
    CHECK(p.ast.settings.size() == 1);  // `after`; the deep `a` is skipped
    CHECK(p.ast.key(p.ast.settings[0]) == "after");
}

TEST_CASE("the include loader follows globs, reports missing files and cycles") {
    namespace fs = std::filesystem;
    const auto dir = fs::temp_directory_path() /
                     ("mailtls-dovecot-include-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "conf.d");
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
    };
    write("dovecot.conf", "protocols = imap\n!include conf.d/*.conf\nservice imap-login {\n"
                          "  !include listener.inc\n}\n!include missing.conf\n"
                          "!include_try missing.conf\n");
    write("conf.d/10-a.conf", "ssl = required\n");
    write("conf.d/20-b.conf", "!include ../dovecot.conf\n");
    write("listener.inc", "inet_listener imaps {\n  port = 993\n}\n");
    const file_reader reader = [](const std::string& path, std::string&) {
        std::ifstream in(path, std::ios::binary);
        return std::optional<std::string>(std::string(std::istreambuf_iterator<char>(in), {}));
    };
    const auto top = std::make_shared<const source_file>((dir / "dovecot.conf").string(),
                                                         [&] {
                                                             std::ifstream in(dir / "dovecot.conf");
                                                             return std::string(
                                                                 std::istreambuf_iterator<char>(in),
                                                                 {});
                                                         }());
    const auto instance = load_dovecot(top, {}, reader);
    REQUIRE(instance.files.size() == 4);
    CHECK(instance.include_targets[0][0] == std::vector<std::uint32_t>{1, 2});
    REQUIRE(instance.include_problems.size() == 2);
    using kind = dovecot_include_problem::kind_type;
    CHECK(instance.include_problems[0].kind == kind::cycle);
    CHECK(instance.include_problems[0].file == 2);
    CHECK(instance.include_problems[1].kind == kind::not_found);
    CHECK(instance.include_problems[1].include == 2);

    // the walk reads the included settings in place, inside the including section
    std::vector<std::string> seen;
    walk_dovecot(instance, [&](const dovecot_setting_ref& ref) {
        std::string path;
        for (const auto& scope : ref.sections) {
            path += std::string(scope.section->type) + "=" + std::string(scope.section->name) + "/";
        }
        seen.push_back(path + std::string(ref.file->ast.key(*ref.setting)) + "=" +
                       std::string(ref.file->ast.text(*ref.setting)));
    });
    CHECK(seen == std::vector<std::string>{"protocols=imap", "ssl=required",
                                           "service=imap-login/inet_listener=imaps/port=993"});
    fs::remove_all(dir);
}
