// A Dovecot file given alone that is only a fragment (conf.d/10-ssl.conf, as pre-commit
// passes changed files): linted through the dovecot.conf that includes it, findings kept in
// the fragment only; otherwise linted by itself without the whole-instance rules, saying so
// once. The files are in tests/dovecot-fragments/.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include "mailtls/linter.hpp"

using namespace mailtls;
namespace fs = std::filesystem;

namespace {

const fs::path k_root = fs::path(MAILTLS_SOURCE_DIR) / "tests" / "dovecot-fragments";

std::size_t notes_saying(const lint_result& result, std::string_view words) {
    std::size_t n = 0;
    for (const auto& d : result.diagnostics) {
        n += static_cast<std::size_t>(std::count_if(d.notes.begin(), d.notes.end(), [&](const auto& note) {
            return note.message.find(words) != std::string::npos;
        }));
    }
    return n;
}

}  // namespace

TEST_CASE("a fragment that dovecot.conf includes is linted through it, findings in it only") {
    const auto fragment = (k_root / "with-parent" / "conf.d" / "10-ssl.conf").string();
    lint_options options;
    options.select = {"DV002", "DV004"};
    const auto result = linter(options).lint_paths({fragment});
    REQUIRE(result.errors.empty());
    std::vector<std::string> codes;
    for (const auto& d : result.diagnostics) {
        REQUIRE(d.where.file != nullptr);
        CHECK(fs::path(d.where.file->path()).filename() == "10-ssl.conf");
        codes.push_back(d.code + ":" + std::to_string(d.where.range.begin));
    }
    // 'ssl' again (DV004, its note in dovecot.conf) and the typo 'ssl_kye' (DV002); the
    // typo in dovecot.conf is not reported
    CHECK(codes == std::vector<std::string>{"DV004:0", "DV002:51"});
    const auto& duplicate = result.diagnostics.front();
    REQUIRE_FALSE(duplicate.notes.empty());
    REQUIRE(duplicate.notes.front().where.file != nullptr);
    CHECK(fs::path(duplicate.notes.front().where.file->path()).filename() == "dovecot.conf");
    // the target was not given: said once, not per finding; not a fragment linted alone
    CHECK(notes_saying(result, "is assumed, the default target") == 1);
    CHECK(notes_saying(result, "as a fragment") == 0);
}

TEST_CASE("a fragment no dovecot.conf includes is linted alone, without the instance rules") {
    const auto fragment = (k_root / "alone" / "conf.d" / "10-ssl.conf").string();
    lint_options options;
    options.dovecot_version = version{2, 4, -1};
    const auto result = linter(options).lint_paths({fragment});
    REQUIRE(result.errors.empty());
    CHECK(std::none_of(result.diagnostics.begin(), result.diagnostics.end(),
                       [](const auto& d) { return d.code == "DV007"; }));
    CHECK(std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                      [](const auto& d) { return d.code == "DV002"; }));
    CHECK(notes_saying(result, "as a fragment") == 1);
    CHECK(notes_saying(result, "the default target") == 0);  // the target was given

    // the same text as a whole configuration: DV007 judges it
    const auto whole = linter(options).lint_text("protocols = imap\n", config_type::dovecot,
                                                 "dovecot.conf");
    CHECK(std::any_of(whole.diagnostics.begin(), whole.diagnostics.end(),
                      [](const auto& d) { return d.code == "DV007"; }));
    CHECK(notes_saying(whole, "as a fragment") == 0);
}

TEST_CASE("with no finding to carry them, the notes on an instance are notes of the run") {
    const auto fragment = (k_root / "alone" / "conf.d" / "10-ssl.conf").string();
    lint_options options;
    options.select = {"DV101"};  // nothing in the fragment for it
    const auto alone = linter(options).lint_paths({fragment});
    REQUIRE(alone.errors.empty());
    CHECK(alone.diagnostics.empty());
    // the default target and the fragment, each once, about the whole file
    REQUIRE(alone.notes.size() == 2);
    for (const auto& n : alone.notes) {
        REQUIRE(n.where.file != nullptr);
        CHECK(n.where.file->path() == fragment);
        CHECK_FALSE(n.located);
    }
    CHECK(alone.notes[0].message.find("is assumed, the default target") != std::string::npos);
    CHECK(alone.notes[1].message.find("as a fragment") != std::string::npos);

    // an inferred target names its line
    const auto clean24 = linter().lint_text(
        "dovecot_config_version = 2.4.1\ndovecot_storage_version = 2.4.1\nprotocols = imap\n"
        "ssl_server_cert_file = /etc/ssl/certs/mail.pem\n"
        "ssl_server_key_file = /etc/ssl/private/mail.key\n",
        config_type::dovecot, "dovecot.conf");
    CHECK(clean24.diagnostics.empty());
    REQUIRE(clean24.notes.size() == 1);
    CHECK(clean24.notes[0].located);
    CHECK(clean24.notes[0].where.range == byte_range{0, 22});
    CHECK(clean24.notes[0].message.starts_with("Dovecot 2.4 is the target inferred from this line"));

    // a finding an inline suppression removes does not take the note with it
    const auto suppressed = linter().lint_text(
        "# mailtls-lint: disable=DV101 -- a test server\nssl = no\nprotocols = imap\n",
        config_type::dovecot, "dovecot.conf");
    CHECK(suppressed.diagnostics.empty());
    REQUIRE(suppressed.notes.size() == 1);
    CHECK(suppressed.notes[0].message.find("the default target") != std::string::npos);

    // with a finding, the note is the finding's, said once
    const auto found = linter().lint_text("ssl = no\nprotocols = imap\n", config_type::dovecot,
                                          "dovecot.conf");
    REQUIRE_FALSE(found.diagnostics.empty());
    CHECK(found.notes.empty());
    CHECK(notes_saying(found, "the default target") == 1);

    // a run that selects no Dovecot rule says nothing of Dovecot targets; nor does a given one
    options.select = {"PF"};
    CHECK(linter(options).lint_paths({fragment}).notes.empty());
    lint_options given;
    given.dovecot_version = version{2, 3, 21};
    CHECK(linter(given).lint_text("protocols = imap\n", config_type::dovecot, "dovecot.conf")
              .notes.empty());
}
