#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

#include "mailtls/linter.hpp"
#include "mailtls/report.hpp"

using namespace mailtls;

namespace {

/// A linter with only the rules these renderer tests are written for, so that new rules do
/// not change their expected output.
linter foundation_linter() {
    lint_options options;
    options.select = {"PF001", "PF002", "PF101"};
    return linter(std::move(options));
}

}  // namespace

TEST_CASE("text output: location, source line, caret and summary") {
    const auto result = foundation_linter().lint_text(
        "smtpd_tls_security_level = encrypt # This setting requires STARTTLS\n",
        config_type::postfix_main, "main.cf");
    std::ostringstream out;
    render_text(result, out);
    CHECK(out.str() ==
          "main.cf:1:36: error: '# This setting requires STARTTLS' is not a comment: Postfix "
          "reads it as part of the value of 'smtpd_tls_security_level', which makes the value "
          "invalid: the daemons that read it stop with a fatal error [PF002]\n"
          "    1 | smtpd_tls_security_level = encrypt # This setting requires STARTTLS\n"
          "      |                                    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
          "  help: move the comment to a line of its own above the setting\n"
          "1 error in 1 file\n");
}

TEST_CASE("text output neutralises terminal escapes from the config") {
    const auto result = linter().lint_text("smtpd_tls_wrappermode = yes\nx\x1b]0;pwned\x07 y\n",
                                           config_type::postfix_main, "main\x1b[2J.cf");
    std::ostringstream out;
    render_text(result, out, {.color = false});
    CHECK(out.str().find('\x1b') == std::string::npos);
    CHECK(out.str().find('\x07') == std::string::npos);
    CHECK(terminal_safe("a\tb\xff\xc2\x9b c\xc3\xa9") == "a\tb?? c\xc3\xa9");
}

TEST_CASE("JSON output keeps its contract and stays valid whatever the bytes") {
    const auto result = foundation_linter().lint_text("smtpd_tls_wrappermode = yes\n\xff\xfe bad \x01\n",
                                           config_type::postfix_main, "dir/main\xff.cf");
    std::ostringstream out;
    render_json(result, out);
    const auto doc = nlohmann::json::parse(out.str());
    CHECK(doc["tool"]["name"] == "mailtls-lint");
    CHECK(doc["targets"]["postfix"] == "3.11");
    CHECK(doc["targets"]["dovecot"] == "2.3.21");
    REQUIRE(doc["findings"].size() == 2);
    const auto& f = doc["findings"][0];
    for (const char* key : {"code", "name", "severity", "message", "file", "line", "column",
                            "end_line", "end_column", "notes", "fix", "hint"}) {
        INFO(key);
        CHECK(f.contains(key));
    }
    CHECK(f["code"] == "PF101");
    CHECK(f["line"] == 1);
    CHECK(f["column"] == 1);
    CHECK(f["end_line"] == 1);
    CHECK(f["end_column"] == 28);
    CHECK(doc["findings"][1]["code"] == "PF001");
    CHECK(doc["findings"][1]["line"] == 2);
}

TEST_CASE("exit status: 2 for unreadable input, 1 for findings at the fail level") {
    const auto clean =
        foundation_linter().lint_text("smtpd_tls_security_level = may\n", config_type::postfix_main);
    CHECK(exit_status(clean) == 0);
    const auto warn = foundation_linter().lint_text("a = b # c\n", config_type::postfix_main);
    CHECK(exit_status(warn) == 1);
    CHECK(exit_status(warn, severity::error) == 0);
    const auto missing = linter().lint_paths({"/nonexistent/main.cf"});
    CHECK(exit_status(missing) == 2);
    REQUIRE(missing.errors.size() == 1);
    CHECK(missing.errors[0].path == "/nonexistent/main.cf");
}

TEST_CASE("text output underlines every line of a range that spans lines") {
    lint_options options;
    options.select = {"PF101"};
    const auto result = linter(options).lint_text(
        "smtpd_tls_wrappermode =\n    yes\nmyhostname = a\n", config_type::postfix_main,
        "main.cf");
    std::ostringstream out;
    render_text(result, out);
    const auto text = out.str();
    CHECK(text.find("    1 | smtpd_tls_wrappermode =\n"
                    "      | ^~~~~~~~~~~~~~~~~~~~~~~\n"
                    "    2 |     yes\n"
                    "      |     ~~~\n"
                    "  help: ") != std::string::npos);
    CHECK(text.find("    3 |") == std::string::npos);
}
