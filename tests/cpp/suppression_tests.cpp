#include <catch2/catch.hpp>

#include "lint/suppressions.hpp"
#include "mailtls/linter.hpp"
#include "mailtls/report.hpp"

using namespace mailtls;

namespace {

/// The text an entry covers, for a directive on line 1 whose entry starts on `line`.
std::string entry_text(const source_file& file, dialect style, std::uint32_t line) {
    return std::string(file.slice(detail::entry_range(file, style, file.line_range(line).begin)));
}

/// A linter that runs only the rules a test is about, so that new rules do not change it.
linter only(std::vector<std::string> codes) {
    lint_options options;
    options.select = std::move(codes);
    return linter(options);
}

std::vector<std::string> codes(const lint_result& result) {
    std::vector<std::string> out;
    for (const auto& d : result.diagnostics) {
        out.push_back(d.code + ":" + std::to_string(flatten(d.where).line));
    }
    return out;
}

}  // namespace

TEST_CASE("a Postfix entry is its line and the continuation lines after it") {
    const source_file main_cf("main.cf",
                              "mynetworks = 127.0.0.0/8\n"
                              "    [::1]/128\n"
                              "# a comment in between\n"
                              "\n"
                              "\t10.0.0.0/8\n"
                              "next = x\n"
                              "    y\n");
    CHECK(entry_text(main_cf, dialect::postfix, 1) ==
          "mynetworks = 127.0.0.0/8\n    [::1]/128\n# a comment in between\n\n\t10.0.0.0/8");
    CHECK(entry_text(main_cf, dialect::postfix, 6) == "next = x\n    y");
    const source_file master_cf("master.cf",
                                "submission inet n - y - - smtpd\n"
                                "  -o smtpd_tls_security_level=encrypt\n"
                                "smtps inet n - y - - smtpd\n");
    CHECK(entry_text(master_cf, dialect::postfix, 1) ==
          "submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt");
}

TEST_CASE("a Dovecot entry is its line, or the whole section the line opens") {
    const source_file conf("dovecot.conf",
                           "service imap-login {\n"
                           "  inet_listener imaps { # the TLS port }\n"
                           "    port = \"99}\"\n"
                           "  }\n"
                           "  process_limit = 10\n"
                           "}\n"
                           "ssl = yes\n"
                           "login_greeting = a \\\n"
                           "  b\n"
                           "protocols = imap\n");
    CHECK(entry_text(conf, dialect::dovecot, 1) ==
          "service imap-login {\n  inet_listener imaps { # the TLS port }\n    port = \"99}\"\n"
          "  }\n  process_limit = 10\n}");
    CHECK(entry_text(conf, dialect::dovecot, 2) ==
          "  inet_listener imaps { # the TLS port }\n    port = \"99}\"\n  }");
    CHECK(entry_text(conf, dialect::dovecot, 5) == "  process_limit = 10");
    CHECK(entry_text(conf, dialect::dovecot, 7) == "ssl = yes");
    CHECK(entry_text(conf, dialect::dovecot, 8) == "login_greeting = a \\\n  b");
    // a section never closed runs to the end of the file
    const source_file open("dovecot.conf", "a {\n  b {\n    c = d\n");
    CHECK(entry_text(open, dialect::dovecot, 1) == "a {\n  b {\n    c = d");
}

TEST_CASE("suppression comments: scope, codes with their ranges, and reason") {
    const source_file file("main.cf",
                           "#mailtls-lint: disable=PF002, PF101 -- kept -- on purpose\n"
                           "a = b # c\n"
                           "   # mailtls-lint:   disable-file=PF001\n"
                           "# mailtls-lint: enable=PF001 -- no such thing\n"
                           "# mailtls-lint: disable= -- nothing named\n"
                           "# not mailtls-lint: disable=PF002\n"
                           "# mailtls-lint: disable=PF002--no blank before the dashes\n");
    const auto found = detail::find_suppressions(file, dialect::postfix);
    REQUIRE(found.size() == 5);
    const auto& first = found[0];
    CHECK(first.scope == suppression::scope_type::entry);
    REQUIRE(first.codes.size() == 2);
    CHECK(first.codes[0].code == "PF002");
    CHECK(file.slice(first.codes[0].range) == "PF002");
    CHECK(file.slice(first.codes[1].range) == "PF101");
    CHECK(first.has_reason);
    CHECK(first.reason == "kept -- on purpose");
    CHECK(file.slice(first.target) == "a = b # c");
    CHECK(found[1].scope == suppression::scope_type::file);
    CHECK_FALSE(found[1].has_reason);
    CHECK(file.slice(found[1].range) == "# mailtls-lint:   disable-file=PF001");
    CHECK(found[2].scope == suppression::scope_type::malformed);
    CHECK(file.slice(found[2].directive) == "enable=PF001");
    CHECK(found[3].scope == suppression::scope_type::malformed);
    // without a blank before it, "--" is part of the code list, which then is no code list
    CHECK(found[4].scope == suppression::scope_type::malformed);
    CHECK(found[4].codes.empty());
    CHECK_FALSE(found[4].has_reason);
}

TEST_CASE("suppressions remove exactly the findings they cover, whatever the selection") {
    const std::string text =
        "# mailtls-lint: disable=PF002 -- deliberate\n"
        "smtpd_tls_security_level = may # one\n"
        "mynetworks = 127.0.0.0/8 # two\n";
    const auto all = only({"PF002", "PF9"}).lint_text(text, config_type::postfix_main, "main.cf");
    CHECK(codes(all) == std::vector<std::string>{"PF002:3"});

    // an unused suppression is reported the same when its rule is not selected
    lint_options only_unused;
    only_unused.select = {"PF902"};
    const auto unused = linter(only_unused).lint_text(
        "# mailtls-lint: disable=PF002 -- deliberate\nsmtpd_tls_security_level = may\n",
        config_type::postfix_main, "main.cf");
    CHECK(codes(unused) == std::vector<std::string>{"PF902:1"});
    const auto used = linter(only_unused).lint_text(text, config_type::postfix_main, "main.cf");
    CHECK(codes(used).empty());
}

TEST_CASE("findings about suppressions take severity overrides and the fix deletes the line") {
    lint_options options;
    options.select = {"PF0", "PF9"};
    options.severities = {{"PF902", severity::error}};
    const auto result = linter(options).lint_text(
        "smtpd_tls_auth_only = yes\n# mailtls-lint: disable=PF002 -- stale\n"
        "smtpd_tls_loglevel = 1\n",
        config_type::postfix_main,
        "main.cf");
    REQUIRE(result.diagnostics.size() == 1);
    const auto& d = result.diagnostics[0];
    CHECK(d.code == "PF902");
    CHECK(d.level == severity::error);
    REQUIRE(d.fix);
    CHECK(d.fix->kind == applicability::safe);
    REQUIRE(d.fix->edits.size() == 1);
    CHECK(d.where.file->slice(d.fix->edits[0].where.range) ==
          "# mailtls-lint: disable=PF002 -- stale\n");
}

TEST_CASE("one unused code of several: the fix deletes that code and its comma") {
    const auto result = only({"PF002", "PF9"}).lint_text(
        "# mailtls-lint: disable=PF101, PF002 -- stale\nsmtpd_tls_security_level = may # x\n",
        config_type::postfix_main, "main.cf");
    REQUIRE(codes(result) == std::vector<std::string>{"PF902:1"});
    const auto& fix = *result.diagnostics[0].fix;
    CHECK(result.diagnostics[0].where.file->slice(fix.edits[0].where.range) == "PF101, ");
}
