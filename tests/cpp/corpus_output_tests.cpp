// Output safety over the shared corpus (docs/security.md): every file of ../shared/corpus,
// linted alone as its kind and with the directory it is in, gives findings whose ranges lie
// inside their files, text output without control characters, and JSON and SARIF documents
// that parse back. Part of mailtls_shared_tests (skipped when ../shared is missing).

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "mailtls/linter.hpp"
#include "mailtls/report.hpp"
#include "output_checks.hpp"

using namespace mailtls;
using mailtls::test::check_output;
namespace fs = std::filesystem;

TEST_CASE("every finding over the shared corpus lies inside its file, and output is safe") {
    const auto corpus = fs::path(MAILTLS_SOURCE_DIR).parent_path() / "shared" / "corpus";
    std::ifstream index(corpus / "SOURCES.tsv");
    REQUIRE(index);
    std::string line;
    std::getline(index, line);  // the header
    std::size_t files = 0;
    std::set<fs::path> directories;
    while (std::getline(index, line)) {
        const auto path = corpus / line.substr(0, line.find('\t'));
        // the kind is the 7th column: postfix-main, postfix-master, dovecot*, template
        std::string kind;
        std::istringstream fields(line);
        for (int i = 0; i < 7 && std::getline(fields, kind, '\t'); ++i) {
        }
        const auto type = kind == "postfix-main"     ? config_type::postfix_main
                          : kind == "postfix-master" ? config_type::postfix_master
                          : kind.starts_with("dovecot")
                              ? config_type::dovecot
                              : config_type_from_name(path.string()).value_or(config_type::dovecot);
        const auto result = linter().lint_paths({path.string()}, type);
        REQUIRE(result.errors.empty());
        INFO(path.string());
        check_output(result);
        directories.insert(path.parent_path());
        ++files;
    }
    for (const auto& dir : directories) {
        const auto result = linter().lint_paths({dir.string()});
        INFO(dir.string());
        check_output(result);
    }
    CHECK(files > 300);
}
