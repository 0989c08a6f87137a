#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "lint/selection.hpp"
#include "mailtls/linter.hpp"

using namespace mailtls;

TEST_CASE("globs: '*' and '?' stay in a component, '**' crosses them") {
    struct row {
        const char* pattern;
        const char* path;
        bool match;
    };
    const row rows[] = {
        {"roles/legacy/**", "roles/legacy/main.cf", true},
        {"roles/legacy/**", "roles/legacy/files/postfix/main.cf", true},
        {"roles/legacy/**", "roles/legacy2/main.cf", false},
        {"roles/*/main.cf", "roles/mx/main.cf", true},
        {"roles/*/main.cf", "roles/mx/files/main.cf", false},
        {"roles/**/main.cf", "roles/main.cf", true},
        {"roles/**/main.cf", "roles/a/b/c/main.cf", true},
        {"roles/**/main.cf", "roles/a/b/c/master.cf", false},
        {"**/main.cf", "main.cf", true},
        {"**/main.cf", "x/y/main.cf", true},
        {"**/b", "ab", false},
        {"a/**/b", "a/xb", false},
        {"main.c?", "main.cf", true},
        {"main.c?", "main.c", false},
        {"master.cf", "roles/mx/master.cf", true},  // no '/': the file name anywhere
        {"*.conf", "conf.d/10-ssl.conf", true},
        {"conf.d/[0-9]*.conf", "conf.d/10-ssl.conf", true},
        {"conf.d/[!0-9]*.conf", "conf.d/10-ssl.conf", false},
        {"conf.d/[a-c]x", "conf.d/bx", true},
        {"", "", true},
        {"", "a", false},
    };
    for (const auto& r : rows) {
        INFO(r.pattern << " vs " << r.path);
        CHECK(detail::glob_match(r.pattern, r.path) == r.match);
    }
}

TEST_CASE("a long path against many stars takes no time and no stack") {
    const std::string path(20000, 'a');
    std::string pattern;
    for (int i = 0; i < 500; ++i) {
        pattern += "*a";
    }
    CHECK(detail::glob_match(pattern + "b", path) == false);
    CHECK(detail::glob_match(pattern, path) == true);
}

TEST_CASE("overrides narrow the selection and change severities for their files only") {
    const auto base = std::filesystem::temp_directory_path() /
                      ("mailtls-selection-" + std::to_string(::getpid()));
    lint_options options;
    options.ignore = {"PF1"};
    lint_override legacy;
    legacy.paths = {"legacy/**"};
    legacy.base = base.string();
    legacy.ignore = {"PF002"};
    legacy.severities = {{"PF001", severity::info}};
    lint_override only_syntax;
    only_syntax.paths = {"syntax/*.cf"};
    only_syntax.base = base.string();
    only_syntax.select = {"PF00"};
    options.overrides = {legacy, only_syntax};

    const auto legacy_file = (base / "legacy" / "a" / "main.cf").string();
    const auto other_file = (base / "other" / "main.cf").string();
    const auto syntax_file = (base / "syntax" / "main.cf").string();
    CHECK_FALSE(detail::rule_selected(options, "PF002", legacy_file));
    CHECK(detail::rule_selected(options, "PF002", other_file));
    CHECK_FALSE(detail::rule_selected(options, "PF101", other_file));  // top-level ignore
    CHECK(detail::rule_selected(options, "PF001", syntax_file));
    CHECK_FALSE(detail::rule_selected(options, "PF201", syntax_file));
    // the globs are relative to the base: a 'legacy' folder elsewhere does not match
    CHECK(detail::rule_selected(options, "PF002", "/elsewhere/legacy/main.cf"));

    source_file in_legacy(legacy_file, "x\n"), elsewhere(other_file, "x\n");
    diagnostic d;
    d.code = "PF001";
    d.level = severity::error;
    d.where = {&in_legacy, {0, 1}};
    CHECK(detail::effective_severity(options, d) == severity::info);
    d.where.file = &elsewhere;
    CHECK(detail::effective_severity(options, d) == severity::error);
}

TEST_CASE("overrides and roles are checked when the linter is made") {
    lint_options bad_override;
    bad_override.overrides.push_back({{"x/**"}, "", {"ZZ"}, {}, {}});
    CHECK_THROWS_AS(linter(bad_override), usage_error);
    lint_options no_paths;
    no_paths.overrides.push_back({{}, "", {}, {"PF002"}, {}});
    CHECK_THROWS_AS(linter(no_paths), usage_error);
    lint_options bad_role;
    bad_role.postfix_roles = {{"10587", "submissions"}};
    CHECK_THROWS_AS(linter(bad_role), usage_error);
    lint_options good;
    good.postfix_roles = {{"10587", "submission"}, {"smtp", "mx"}};
    CHECK_NOTHROW(linter(good));
}

TEST_CASE("a file whose name says nothing is recognised by its content") {
    CHECK(config_type_from_content("smtpd_tls_security_level = may\n"
                                   "mynetworks = 127.0.0.0/8\n    [::1]/128\n") ==
          config_type::postfix_main);
    CHECK(config_type_from_content(
              "# comment\nsmtp      inet  n       -       y       -       -       smtpd\n"
              "submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n") ==
          config_type::postfix_master);
    CHECK(config_type_from_content("ssl = required\nservice imap-login {\n"
                                   "  inet_listener imaps {\n    port = 993\n  }\n}\n") ==
          config_type::dovecot);
    CHECK(config_type_from_content("ssl_cert = </etc/ssl/cert.pem\n") == config_type::dovecot);
    CHECK(config_type_from_content("!include conf.d/*.conf\n") == config_type::dovecot);
    CHECK(config_type_from_content("") == std::nullopt);
    CHECK(config_type_from_content("# only a comment\n\n") == std::nullopt);
    CHECK(config_type_from_content("just some words\n") == std::nullopt);
    // the signs of two types at once: refuse to guess
    CHECK(config_type_from_content("a = b\nsmtp inet n - y - - smtpd\n") == std::nullopt);
    CHECK(config_type_from_content("smtp inet n - y - - smtpd\nx {\n}\n") == std::nullopt);
    // a service line needs a master.cf type and flag fields
    CHECK(config_type_from_content("a b c d e f g h\n") == std::nullopt);
}

TEST_CASE("the linter reads a file by its content when the name says nothing") {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("mailtls-sniff-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / "source";
    {
        std::ofstream(path) << "smtpd_tls_wrappermode = yes\n";
    }
    const auto result = linter().lint_paths({path.string()});
    CHECK(result.errors.empty());
    REQUIRE_FALSE(result.diagnostics.empty());
    CHECK(result.diagnostics[0].code == "PF101");
    {
        std::ofstream(path) << "nothing to go by\n";
    }
    const auto unknown = linter().lint_paths({path.string()});
    REQUIRE(unknown.errors.size() == 1);
    CHECK(unknown.errors[0].message.find("--type") != std::string::npos);
    std::filesystem::remove_all(dir);
}
