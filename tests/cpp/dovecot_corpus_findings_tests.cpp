// Every finding over the Dovecot files of ../shared/corpus (kinds dovecot1, dovecot2 and
// dovecot24, outside templates/), kept in tests/golden/dovecot-corpus-findings.txt so that
// any change in behaviour shows up in review. Each file is linted as pre-commit passes it:
// alone, a conf.d fragment through the dovecot.conf that includes it. The target is the
// corpus's kind (dovecot1: 1.2, dovecot24: 2.4, dovecot2: the default). A file whose name
// says nothing (auth-sql.conf.ext, *.inc) is linted as Dovecot syntax.
// MAILTLS_UPDATE_FIXTURES=1 rewrites the golden. Part of mailtls_shared_tests (skipped when
// ../shared is missing).

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "mailtls/linter.hpp"
#include "mailtls/report.hpp"

using namespace mailtls;
namespace fs = std::filesystem;

TEST_CASE("the findings over the Dovecot corpus match the golden file") {
    const auto corpus = fs::path(MAILTLS_SOURCE_DIR).parent_path() / "shared" / "corpus";
    const auto golden =
        fs::path(MAILTLS_SOURCE_DIR) / "tests" / "golden" / "dovecot-corpus-findings.txt";
    std::ifstream index(corpus / "SOURCES.tsv");
    REQUIRE(index);
    std::string line;
    std::getline(index, line);  // the header
    std::string out =
        "# Every finding over the Dovecot files of ../shared/corpus (outside templates/): "
        "path:line:col: severity: message [CODE]\n";
    std::size_t files = 0, findings = 0;
    const auto prefix = corpus.string() + "/";
    while (std::getline(index, line)) {
        std::vector<std::string> fields;
        std::istringstream split(line);
        for (std::string f; std::getline(split, f, '\t');) {
            fields.push_back(f);
        }
        if (fields.size() < 7 || !fields[6].starts_with("dovecot") ||
            fields[0].starts_with("templates/")) {
            continue;
        }
        lint_options options;
        options.select = {"DV"};
        if (fields[6] == "dovecot1") {
            options.dovecot_version = version{1, 2, -1};
        } else if (fields[6] == "dovecot24") {
            options.dovecot_version = version{2, 4, -1};
        }
        const auto path = (corpus / fields[0]).string();
        const auto type = config_type_from_name(path) ? std::nullopt
                                                      : std::optional{config_type::dovecot};
        const auto result = linter(options).lint_paths({path}, type);
        INFO(path);
        REQUIRE(result.errors.empty());
        ++files;
        out += "## " + fields[0] + " (" + fields[6] + ")\n";
        for (const auto& d : result.diagnostics) {
            const auto loc = flatten(d.where);
            auto file = loc.file;
            if (file.starts_with(prefix)) {
                file.erase(0, prefix.size());
            }
            out += file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column) +
                   ": " + std::string(to_string(d.level)) + ": " + d.message + " [" + d.code +
                   "]\n";
            ++findings;
        }
    }
    out += "# " + std::to_string(files) + " files, " + std::to_string(findings) + " findings\n";
    CHECK(files > 200);
    if (std::getenv("MAILTLS_UPDATE_FIXTURES") != nullptr) {
        std::ofstream(golden, std::ios::binary) << out;
        WARN("rewrote " << golden.string());
        return;
    }
    std::ifstream in(golden, std::ios::binary);
    REQUIRE(in);
    std::ostringstream expected;
    expected << in.rdbuf();
    CHECK(expected.str() == out);
}
