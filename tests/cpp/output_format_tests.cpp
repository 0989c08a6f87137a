#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

#include "mailtls/linter.hpp"
#include "mailtls/registry.hpp"
#include "mailtls/report.hpp"

using namespace mailtls;

namespace {

/// A linter that runs only the rules a test is about, so that new rules do not change it.
linter only(std::vector<std::string> codes) {
    lint_options options;
    options.select = std::move(codes);
    return linter(options);
}

nlohmann::json sarif_of(const lint_result& result) {
    std::ostringstream out;
    render_sarif(result, out);
    return nlohmann::json::parse(out.str());
}

}  // namespace

TEST_CASE("SARIF: rules from the metadata, results with regions, fixes and fingerprints") {
    const auto result = only({"PF002"}).lint_text(
        "postscreen_reject_footer = bye # \xc3\xa9t\xc3\xa9\n", config_type::postfix_main,
        "roles/mx/main.cf");
    const auto doc = sarif_of(result);
    CHECK(doc["version"] == "2.1.0");
    const auto& run = doc["runs"][0];
    const auto& rules = run["tool"]["driver"]["rules"];
    CHECK(rules.size() == registry::global().rules().size());
    const auto& result0 = run["results"][0];
    CHECK(result0["ruleId"] == "PF002");
    const auto& rule = rules[result0["ruleIndex"].get<std::size_t>()];
    CHECK(rule["id"] == "PF002");
    CHECK(rule["name"] == "trailing-comment");
    CHECK(rule["defaultConfiguration"]["level"] == "warning");
    CHECK(rule["helpUri"].get<std::string>().ends_with("/PF002.md"));
    CHECK_FALSE(rule["fullDescription"]["text"].get<std::string>().empty());
    CHECK(run["columnKind"] == "unicodeCodePoints");
    const auto& loc = result0["locations"][0]["physicalLocation"];
    CHECK(loc["artifactLocation"]["uri"] == "roles/mx/main.cf");
    CHECK(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
    const auto& region = loc["region"];
    CHECK(region["startLine"] == 1);
    CHECK(region["startColumn"] == 32);
    // "# été" is 5 code points but 7 bytes: endColumn is exclusive and counts code points
    CHECK(region["endColumn"] == 37);
    CHECK(region["byteOffset"] == 31);
    CHECK(region["byteLength"] == 7);
    CHECK(result0["fixes"][0]["artifactChanges"][0]["replacements"].size() == 2);
}

TEST_CASE("SARIF fingerprints survive lines moving, and tell identical findings apart") {
    const auto fingerprints = [](const std::string& text) {
        std::vector<std::string> out;
        const auto doc =
            sarif_of(only({"PF002"}).lint_text(text, config_type::postfix_main, "main.cf"));
        for (const auto& r : doc["runs"][0]["results"]) {
            out.push_back(r["partialFingerprints"]["mailtlsFingerprint/v1"]);
        }
        return out;
    };
    const auto before = fingerprints("a = b # one\nc = d # two\n");
    const auto after = fingerprints("# new first line\n\nx = y\na = b # one\nc = d # two\n");
    REQUIRE(before.size() == 2);
    CHECK(before == after);
    CHECK(before[0] != before[1]);
    const auto twins = fingerprints("a = b # one\na = b # one\n");
    REQUIRE(twins.size() == 2);
    CHECK(twins[0] != twins[1]);
    CHECK(twins[0].substr(0, 16) == twins[1].substr(0, 16));
}

TEST_CASE("SARIF: unreadable files are tool notifications, absolute paths file URIs") {
    const auto result = linter().lint_paths({"/nonexistent dir/main.cf"});
    const auto doc = sarif_of(result);
    const auto& invocation = doc["runs"][0]["invocations"][0];
    CHECK(invocation["executionSuccessful"] == false);
    const auto& n = invocation["toolExecutionNotifications"][0];
    CHECK(n["level"] == "error");
    CHECK(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
          "file:///nonexistent%20dir/main.cf");
}

TEST_CASE("GitHub workflow commands: levels, positions and escaping") {
    lint_options two_rules;
    two_rules.select = {"PF101", "PF002"};
    const auto result = linter(two_rules).lint_text(
        "smtpd_tls_wrappermode = yes\npostscreen_reject_footer = bye # 100%, ok: yes\n",
        config_type::postfix_main, "a,b:c%.cf");
    std::ostringstream out;
    render_github(result, out);
    std::istringstream lines(out.str());
    std::string pf101, pf002;
    std::getline(lines, pf101);
    std::getline(lines, pf002);
    CHECK(pf101.starts_with("::error file=a%2Cb%3Ac%25.cf,line=1,col=1,endLine=1,endColumn=27,"
                            "title=PF101::'smtpd_tls_wrappermode = yes' in main.cf"));
    CHECK(pf101.find("%0Ahelp: ") != std::string::npos);
    CHECK(pf002.starts_with("::warning file=a%2Cb%3Ac%25.cf,line=2,col=32,endLine=2,"
                            "endColumn=46,title=PF002::'# 100%25, ok: yes' is not a comment"));
    CHECK(out.str().find('\r') == std::string::npos);

    lint_options info;
    info.select = {"PF002"};
    info.severities = {{"PF002", severity::info}};
    std::ostringstream notice;
    render_github(linter(info).lint_text("a = b # c\n", config_type::postfix_main, "main.cf"),
                  notice);
    CHECK(notice.str().starts_with("::notice file=main.cf,line=1,col=7,endLine=1,endColumn=9,"));
}

TEST_CASE("notes no finding carries, in every format") {
    // a clean 2.4 file (its target inferred from line 1) and a clean file that says nothing
    // of its release (the default target: a note on the whole file)
    const auto inferred = only({"DV101"}).lint_text(
        "dovecot_config_version = 2.4.1\nssl = yes\n", config_type::dovecot, "d24.conf");
    const auto assumed =
        only({"DV101"}).lint_text("ssl = yes\n", config_type::dovecot, "d.conf");
    REQUIRE(inferred.notes.size() == 1);
    REQUIRE(assumed.notes.size() == 1);
    CHECK(exit_status(inferred) == 0);

    std::ostringstream text;
    render_text(inferred, text);
    render_text(assumed, text);
    CHECK(text.str() ==
          "d24.conf:1:1: note: Dovecot 2.4 is the target inferred from this line "
          "('dovecot_config_version' is set; give --dovecot-version to choose another)\n"
          "no problems in 1 file\n"
          "d.conf: note: Dovecot 2.3.21 is assumed, the default target: nothing in the "
          "configuration tells the release (give --dovecot-version)\n"
          "no problems in 1 file\n");

    std::ostringstream json_out;
    render_json(inferred, json_out);
    const auto doc = nlohmann::json::parse(json_out.str());
    REQUIRE(doc["notes"].size() == 1);
    CHECK(doc["notes"][0] == nlohmann::json{{"message", inferred.notes[0].message},
                                            {"file", "d24.conf"},
                                            {"line", 1},
                                            {"column", 1},
                                            {"end_line", 1},
                                            {"end_column", 23}});
    CHECK(doc["findings"].empty());
    std::ostringstream whole;
    render_json(assumed, whole);
    const auto whole_doc = nlohmann::json::parse(whole.str());
    CHECK(whole_doc["notes"][0]["file"] == "d.conf");
    CHECK(whole_doc["notes"][0]["line"] == 0);
    CHECK(whole_doc["notes"][0]["column"] == 0);

    const auto sarif = sarif_of(inferred);
    const auto& invocation = sarif["runs"][0]["invocations"][0];
    CHECK(invocation["executionSuccessful"] == true);
    REQUIRE(invocation["toolExecutionNotifications"].size() == 1);
    const auto& n = invocation["toolExecutionNotifications"][0];
    CHECK(n["level"] == "note");
    CHECK(n["message"]["text"] == inferred.notes[0].message);
    const auto& place = n["locations"][0]["physicalLocation"];
    CHECK(place["artifactLocation"]["uri"] == "d24.conf");
    CHECK(place["region"]["startLine"] == 1);
    CHECK_FALSE(sarif_of(assumed)["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]
                    ["locations"][0]["physicalLocation"]
                        .contains("region"));

    std::ostringstream github;
    render_github(inferred, github);
    render_github(assumed, github);
    CHECK(github.str() ==
          "::notice file=d24.conf,line=1,col=1,title=mailtls-lint::Dovecot 2.4 is the target "
          "inferred from this line ('dovecot_config_version' is set; give --dovecot-version to "
          "choose another)\n"
          "::notice file=d.conf,title=mailtls-lint::Dovecot 2.3.21 is assumed, the default "
          "target: nothing in the configuration tells the release (give --dovecot-version)\n");
}

TEST_CASE("rule documentation comes from the metadata, with every field") {
    const auto* pf002 = registry::global().find("PF002");
    REQUIRE(pf002 != nullptr);
    std::ostringstream page;
    render_rule_markdown(pf002->metadata(), page);
    const auto text = page.str();
    CHECK(text.find("# PF002 trailing-comment\n") != std::string::npos);
    CHECK(text.find(pf002->metadata().rationale) != std::string::npos);
    CHECK(text.find("## Example") != std::string::npos);
    CHECK(text.find(pf002->metadata().bad_example[0].second) != std::string::npos);
    CHECK(missing_documentation(pf002->metadata()).empty());
    rule_metadata empty;
    empty.code = "PF999";
    CHECK(missing_documentation(empty) ==
          std::vector<std::string>{"name", "summary", "rationale", "fix_hint", "versions",
                                   "bad_example", "good_example", "references"});
    std::ostringstream index;
    render_rule_index(registry::global().rules(), index);
    CHECK(index.str().find("| [PF002](PF002.md) | trailing-comment | warning | postfix |") !=
          std::string::npos);
}
