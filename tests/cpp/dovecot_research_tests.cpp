// The Dovecot data covers every setting of ../shared/research/dovecot-settings.tsv.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/dovecot_knowledge.hpp"

namespace dv = mailtls::model::dovecot;

namespace {

// `service/{unix,fifo}_listener/mode` is two names.
std::vector<std::string> expand_braces(const std::string& name) {
    const auto open = name.find('{');
    const auto close = name.find('}', open);
    if (open == std::string::npos || close == std::string::npos) {
        return {name};
    }
    std::vector<std::string> out;
    std::stringstream alternatives(name.substr(open + 1, close - open - 1));
    for (std::string alt; std::getline(alternatives, alt, ',');) {
        for (auto& rest : expand_braces(name.substr(close + 1))) {
            out.push_back(name.substr(0, open) + alt + rest);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("the Dovecot data covers every setting of the research list") {
    const auto path = std::filesystem::path(MAILTLS_SOURCE_DIR).parent_path() / "shared" /
                      "research" / "dovecot-settings.tsv";
    std::ifstream in(path);
    REQUIRE(in);
    std::string line;
    std::getline(in, line);  // the header
    std::size_t names = 0;
    for (; std::getline(in, line);) {
        const auto tab = line.find('\t');
        const auto name = line.substr(0, tab);
        const auto first = line.substr(tab + 1, line.find('\t', tab + 1) - tab - 1);
        const auto first_version = mailtls::version::parse(first.size() > 0 && std::count(first.begin(), first.end(), '.') > 2
                                                               ? first.substr(0, first.rfind('.'))
                                                               : first);
        REQUIRE(first_version);
        for (const auto& n : expand_braces(name)) {
            ++names;
            INFO(n << " from " << first);
            // a setting, or a section keyword (service, passdb, ssl_server, ...)
            const bool setting = dv::is_known_setting(n);
            const bool section = dv::section_status(n, *first_version).known;
            CHECK((setting || section));
            if (setting) {
                CHECK(dv::setting_status(n, *first_version).state == dv::availability::valid);
            } else {
                CHECK(dv::section_at(n, *first_version) != nullptr);
            }
        }
    }
    CHECK(names > 880);
}
