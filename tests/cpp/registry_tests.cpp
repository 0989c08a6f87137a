#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "mailtls/linter.hpp"
#include "mailtls/registry.hpp"

using namespace mailtls;

TEST_CASE("the registry holds one rule per file in rules/") {
    CHECK(registry::global().rules().size() == MAILTLS_RULE_COUNT);
    std::size_t files = 0;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::filesystem::path(MAILTLS_SOURCE_DIR) / "rules")) {
        files += entry.path().extension() == ".cpp" ? 1 : 0;
    }
    CHECK(files == MAILTLS_RULE_COUNT);
}

TEST_CASE("every rule has complete, well-formed metadata") {
    const std::regex code_re("(PF|DV)[0-9]{3}");
    const std::regex name_re("[a-z0-9]+(-[a-z0-9]+)*");
    std::set<std::string> codes, names;
    for (const auto& r : registry::global().rules()) {
        const auto& m = r->metadata();
        INFO(m.code);
        CHECK(std::regex_match(m.code, code_re));
        CHECK(std::regex_match(m.name, name_re));
        CHECK(codes.insert(m.code).second);
        // names are unique per dialect: PF001 and DV001 are both 'syntax-error' (issue 4)
        CHECK(names.insert(std::string(to_string(m.dialect)) + "/" + m.name).second);
        CHECK(m.code.starts_with(m.dialect == dialect::postfix ? "PF" : "DV"));
        CHECK_FALSE(m.summary.empty());
        CHECK_FALSE(m.rationale.empty());
        CHECK_FALSE(m.fix_hint.empty());
        CHECK_FALSE(m.versions.empty());
        CHECK_FALSE(m.bad_example.empty());
        CHECK_FALSE(m.good_example.empty());
        CHECK_FALSE(m.references.empty());
        CHECK(registry::global().find(m.code) == r.get());
    }
}

namespace {

std::vector<std::string> codes_for_example(
    const std::vector<std::pair<std::string, std::string>>& files, const std::string& code) {
    // Examples are linted as files of one instance, exactly as a user's would be.
    const auto dir = std::filesystem::temp_directory_path() / ("mailtls-example-" + code);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::vector<std::string> paths;
    lint_options options;
    for (const auto& [name, text] : files) {
        // An example for an older release names its target as a user would, in a
        // `.mailtls-lint.toml` beside the files (`[versions]` `postfix = "3.5"`).
        if (name == ".mailtls-lint.toml") {
            std::smatch m;
            const std::regex version_re(R"re((postfix|dovecot) = "([0-9.]+)")re");
            for (auto it = text.cbegin(); std::regex_search(it, text.cend(), m, version_re);
                 it = m.suffix().first) {
                (m[1] == "postfix" ? options.postfix_version : options.dovecot_version) =
                    version::parse(m[2].str());
            }
            continue;
        }
        const auto path = dir / name;
        std::ofstream(path, std::ios::binary) << text;
        paths.push_back(path.string());
    }
    options.select = {code};
    const auto result = linter(options).lint_paths(paths);
    std::filesystem::remove_all(dir);
    REQUIRE(result.errors.empty());
    std::vector<std::string> codes;
    for (const auto& d : result.diagnostics) {
        codes.push_back(d.code);
    }
    return codes;
}

}  // namespace

TEST_CASE("every rule's bad example fires and its good example stays quiet") {
    for (const auto& r : registry::global().rules()) {
        const auto& m = r->metadata();
        INFO(m.code);
        const auto bad = codes_for_example(m.bad_example, m.code);
        CHECK(std::count(bad.begin(), bad.end(), m.code) > 0);
        CHECK(codes_for_example(m.good_example, m.code).empty());
    }
}

TEST_CASE("select and ignore take codes and prefixes and unknown ones are usage errors") {
    // compatibility_level keeps the rules about 3.11's level-0 defaults (PF115, PF205) quiet.
    const std::string text =
        "compatibility_level = 3.11\nsmtpd_tls_wrappermode = yes # implicit\nbad line\n";
    auto codes = [&](lint_options o) {
        std::set<std::string> out;
        for (const auto& d : linter(std::move(o)).lint_text(text, config_type::postfix_main).diagnostics) {
            out.insert(d.code);
        }
        return out;
    };
    CHECK(codes({}) == std::set<std::string>{"PF001", "PF002"});  // the value is not "yes"
    lint_options pf1;
    pf1.select = {"PF0"};
    pf1.ignore = {"PF001"};
    CHECK(codes(pf1) == std::set<std::string>{"PF002"});
    lint_options unknown;
    unknown.select = {"XX"};
    CHECK_THROWS_AS(linter(unknown), usage_error);
}
