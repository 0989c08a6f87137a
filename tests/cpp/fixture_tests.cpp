#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "fixtures.hpp"
#include "mailtls/registry.hpp"
#include "mailtls/report.hpp"

namespace fs = std::filesystem;

namespace mailtls::test {

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string summarize(const lint_result& result, const std::string& strip_prefix) {
    const auto place = [&](const location& where) {
        const auto loc = flatten(where);
        auto file = loc.file;
        if (file.starts_with(strip_prefix)) {
            file.erase(0, strip_prefix.size());
        }
        return file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column) + ": ";
    };
    std::string out;
    for (const auto& d : result.diagnostics) {
        out += place(d.where) + std::string(to_string(d.level)) + ": " + d.message + " [" +
               d.code + "]\n";
        for (const auto& n : d.notes) {
            out += "    note: " + (n.where.file != nullptr ? place(n.where) : std::string()) +
                   n.message + "\n";
        }
    }
    for (const auto& e : result.errors) {
        out += "io-error: " + e.path + ": " + e.message + "\n";
    }
    return out;
}

lint_result lint_case(const fs::path& dir, const std::string& code, bool free_memory) {
    lint_options options;
    options.select = {code};
    options.free_memory = free_memory;
    std::istringstream args(fs::exists(dir / "args") ? read_text(dir / "args") : "");
    std::string option, value;
    while (args >> option >> value) {
        if (option == "--postfix-version") {
            options.postfix_version = version::parse(value);
        } else if (option == "--dovecot-version") {
            options.dovecot_version = version::parse(value);
        } else {
            FAIL("unknown option in " << (dir / "args").string() << ": " << option);
        }
    }
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const auto name = entry.path().filename().string();
        // subfolders (a Dovecot conf.d) are read through the includes of the case's files
        if (name != "expected.txt" && name != "args" && !entry.is_directory()) {
            files.push_back(entry.path().string());
        }
    }
    std::sort(files.begin(), files.end());
    return linter(options).lint_paths(files);
}

}  // namespace mailtls::test

TEST_CASE("rule fixtures produce exactly their expected findings") {
    const fs::path root = fs::path(MAILTLS_SOURCE_DIR) / "tests" / "rules";
    const bool update = std::getenv("MAILTLS_UPDATE_FIXTURES") != nullptr;
    std::size_t cases = 0;
    for (const auto& code_dir : fs::directory_iterator(root)) {
        const auto code = code_dir.path().filename().string();
        REQUIRE(mailtls::registry::global().find(code) != nullptr);
        bool fires = false, quiet = false;
        for (const auto& case_dir : fs::directory_iterator(code_dir)) {
            const auto& dir = case_dir.path();
            INFO("fixture " << dir.string());
            const auto result = mailtls::test::lint_case(dir, code);
            const auto actual = mailtls::test::summarize(result, dir.string() + "/");
            if (update) {
                std::ofstream(dir / "expected.txt", std::ios::binary) << actual;
            }
            CHECK(actual == mailtls::test::read_text(dir / "expected.txt"));
            (actual.empty() ? quiet : fires) = true;
            ++cases;
        }
        INFO("rule " << code);
        CHECK(fires);  // every rule has a case that fires...
        CHECK(quiet);  // ...and one that stays quiet
    }
    CHECK(cases > 0);
}

TEST_CASE("a lint that leaves its memory to the end of the process finds the same") {
    // lint_options::free_memory false (the command's setting) keeps each instance's ASTs
    // and models instead of freeing them: every fixture, Postfix and Dovecot, lints alike.
    const fs::path root = fs::path(MAILTLS_SOURCE_DIR) / "tests" / "rules";
    std::size_t cases = 0;
    for (const auto& code_dir : fs::directory_iterator(root)) {
        const auto code = code_dir.path().filename().string();
        for (const auto& case_dir : fs::directory_iterator(code_dir)) {
            const auto& dir = case_dir.path();
            INFO("fixture " << dir.string());
            CHECK(mailtls::test::summarize(mailtls::test::lint_case(dir, code, false), "") ==
                  mailtls::test::summarize(mailtls::test::lint_case(dir, code, true), ""));
            ++cases;
        }
    }
    CHECK(cases > 100);
}
