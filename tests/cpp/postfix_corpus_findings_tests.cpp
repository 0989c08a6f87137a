// The Postfix findings golden: every finding the linter reports over the main.cf and master.cf
// files of ../shared/corpus (outside templates/), in tests/golden/corpus-findings.txt, so that
// any change in what the rules report (a new false positive on a real file, a message, a note
// or a position that moved) shows up in review. MAILTLS_UPDATE_FIXTURES=1 rewrites the file;
// review its diff line by line. (The Dovecot files have their own golden,
// dovecot_corpus_findings_tests.cpp.) Part of mailtls_shared_tests: skipped without ../shared.
//
// The files are linted as a user would lint them: the main.cf and master.cf of one directory
// together, every other file (main.cf.ldap, postfix-main.cf, ...) by itself. The stock files
// under postfix/v<release>/ are linted for that release, everything else for the default
// target.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "mailtls/linter.hpp"
#include "mailtls/report.hpp"

namespace fs = std::filesystem;
using namespace mailtls;

namespace {

/// Files linted together, with the options they need.
struct lint_unit {
    std::vector<fs::path> files;
    std::optional<config_type> type;  ///< forced when the names do not say it
    lint_options options;
    std::string label;  ///< what the golden file's section header says
};

/// The corpus files outside templates/ whose name satisfies `wanted`, sorted.
std::vector<fs::path> corpus_files(const fs::path& corpus,
                                   const std::function<bool(const std::string&)>& wanted) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
        const auto rel = fs::relative(entry.path(), corpus).generic_string();
        if (entry.is_regular_file() && !rel.starts_with("templates/") &&
            wanted(entry.path().filename().string())) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

/// postfix/v2.2.12/conf/main.cf is Postfix 2.2.12's own file: lint it for that release.
std::optional<version> release_of(const std::string& rel) {
    if (!rel.starts_with("postfix/v")) {
        return std::nullopt;
    }
    const auto end = rel.find('/', 9);
    return version::parse(rel.substr(9, end - 9));
}

std::vector<lint_unit> postfix_units(const fs::path& corpus) {
    const auto files = corpus_files(corpus, [](const std::string& name) {
        return name.find("main.cf") != std::string::npos ||
               name.find("master.cf") != std::string::npos;
    });
    std::map<fs::path, lint_unit> by_dir;  // main.cf + master.cf of one directory
    std::vector<lint_unit> alone;
    for (const auto& path : files) {
        const auto name = path.filename().string();
        const auto rel = fs::relative(path, corpus).generic_string();
        lint_unit* unit = nullptr;
        if (name == "main.cf" || name == "master.cf") {
            unit = &by_dir[path.parent_path()];
            unit->label = fs::relative(path.parent_path(), corpus).generic_string() + "/";
        } else {
            unit = &alone.emplace_back();
            unit->type = name.find("master.cf") != std::string::npos ? config_type::postfix_master
                                                                     : config_type::postfix_main;
            unit->label = rel;
        }
        unit->files.push_back(path);
        unit->options.postfix_version = release_of(rel);
    }
    std::vector<lint_unit> units;
    for (auto& [dir, unit] : by_dir) {
        units.push_back(std::move(unit));
    }
    for (auto& unit : alone) {
        units.push_back(std::move(unit));
    }
    std::sort(units.begin(), units.end(),
              [](const lint_unit& a, const lint_unit& b) { return a.files < b.files; });
    return units;
}

std::string relative_to(const std::string& path, const fs::path& corpus) {
    return fs::path(path).lexically_relative(corpus).generic_string();
}

/// One line per finding (`path:line:col: severity: message [CODE]`), its notes below it.
std::string render(const lint_result& result, const fs::path& corpus) {
    std::string out;
    for (const auto& d : result.diagnostics) {
        const auto at = flatten(d.where);
        out += relative_to(at.file, corpus) + ":" + std::to_string(at.line) + ":" +
               std::to_string(at.column) + ": " + std::string(to_string(d.level)) + ": " +
               d.message + " [" + d.code + "]\n";
        for (const auto& n : d.notes) {
            out += "    note: ";
            if (n.where.file != nullptr) {
                const auto nat = flatten(n.where);
                out += relative_to(nat.file, corpus) + ":" + std::to_string(nat.line) + ":" +
                       std::to_string(nat.column) + ": ";
            }
            out += n.message + "\n";
        }
    }
    for (const auto& e : result.errors) {
        out += "io-error: " + relative_to(e.path, corpus) + ": " + e.message + "\n";
    }
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("the findings over the Postfix corpus equal tests/golden/corpus-findings.txt",
          "[corpus][findings]") {
    const auto root = fs::path(MAILTLS_SOURCE_DIR);
    const auto corpus = (root.parent_path() / "shared" / "corpus").lexically_normal();
    const auto golden_path = root / "tests" / "golden" / "corpus-findings.txt";
    REQUIRE(fs::is_directory(corpus));

    std::string actual =
        "# Every finding of mailtls-lint over the Postfix files of ../shared/corpus\n"
        "# (tests/cpp/postfix_corpus_findings_tests.cpp): path:line:col: severity: message [CODE]\n"
        "# Regenerate with MAILTLS_UPDATE_FIXTURES=1 and review the diff line by line.\n";
    std::size_t units = 0, files = 0, findings = 0;
    for (auto& unit : postfix_units(corpus)) {
        std::vector<std::string> paths;
        for (const auto& f : unit.files) {
            paths.push_back(f.string());
        }
        unit.options.select = {"PF"};
        const auto result = linter(unit.options).lint_paths(paths, unit.type);
        actual += "\n## " + unit.label + " (Postfix " + result.postfix_version.to_string() + ")\n";
        actual += render(result, corpus);
        ++units;
        files += unit.files.size();
        findings += result.diagnostics.size();
    }
    WARN("linted " << files << " corpus files in " << units << " units: " << findings
                   << " findings");

    if (std::getenv("MAILTLS_UPDATE_FIXTURES") != nullptr) {
        std::ofstream(golden_path, std::ios::binary) << actual;
    }
    const auto expected = read_all(golden_path);
    if (actual != expected) {
        // Say which lines changed rather than printing two large texts.
        const auto want = lines_of(expected);
        const auto got = lines_of(actual);
        std::multiset<std::string> want_set(want.begin(), want.end());
        std::multiset<std::string> got_set(got.begin(), got.end());
        std::string missing, extra;
        std::size_t shown = 0;
        for (const auto& line : want) {
            if (auto it = got_set.find(line); it != got_set.end()) {
                got_set.erase(it);
            } else if (shown++ < 20) {
                missing += "  - " + line + "\n";
            }
        }
        shown = 0;
        for (const auto& line : got) {
            if (auto it = want_set.find(line); it != want_set.end()) {
                want_set.erase(it);
            } else if (shown++ < 20) {
                extra += "  + " + line + "\n";
            }
        }
        if (missing.empty() && extra.empty()) {
            missing = "  (the same lines in another order)\n";
        }
        FAIL("the corpus findings differ from " << golden_path.string()
                                                << " (MAILTLS_UPDATE_FIXTURES=1 rewrites it)\n"
                                                << "no longer reported:\n" << missing
                                                << "newly reported:\n" << extra);
    }
}
