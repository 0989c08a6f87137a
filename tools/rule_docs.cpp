// Writes or checks docs/rules/: one page per rule and an index, generated from the rules'
// metadata (render_rule_markdown, render_rule_index). `--write DIR` writes them (the
// mailtls_docs target); `--check DIR` exits 1 when a rule lacks a documentation field or a
// committed page differs from what --write would write (the rule_docs_up_to_date test).

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "mailtls/registry.hpp"
#include "mailtls/report.hpp"

namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> generate() {
    std::map<std::string, std::string> pages;
    const auto rules = mailtls::registry::global().rules();
    for (const auto& r : rules) {
        std::ostringstream page;
        mailtls::render_rule_markdown(r->metadata(), page);
        pages[r->metadata().code + ".md"] = page.str();
    }
    std::ostringstream index;
    mailtls::render_rule_index(rules, index);
    pages["README.md"] = index.str();
    return pages;
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc == 3 ? argv[1] : "";
    if (mode != "--write" && mode != "--check") {
        std::cerr << "usage: " << argv[0] << " --write|--check DIR\n";
        return 2;
    }
    const fs::path dir = argv[2];
    int status = 0;
    for (const auto& r : mailtls::registry::global().rules()) {
        for (const auto& field : mailtls::missing_documentation(r->metadata())) {
            std::cerr << r->metadata().code << ": the documentation field '" << field
                      << "' is empty\n";
            status = 1;
        }
    }
    const auto pages = generate();
    if (mode == "--write") {
        fs::create_directories(dir);
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (entry.path().extension() == ".md" &&
                pages.count(entry.path().filename().string()) == 0) {
                fs::remove(entry.path());  // the page of a rule that is gone
            }
        }
        for (const auto& [name, text] : pages) {
            std::ofstream(dir / name, std::ios::binary) << text;
        }
        return status;
    }
    for (const auto& [name, text] : pages) {
        if (!fs::exists(dir / name)) {
            std::cerr << (dir / name).string() << " is missing: build the mailtls_docs target\n";
            status = 1;
        } else if (read(dir / name) != text) {
            std::cerr << (dir / name).string()
                      << " differs from the rule metadata: build the mailtls_docs target\n";
            status = 1;
        }
    }
    if (fs::is_directory(dir)) {
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (entry.path().extension() == ".md" &&
                pages.count(entry.path().filename().string()) == 0) {
                std::cerr << entry.path().string() << " documents no rule: build the "
                                                      "mailtls_docs target\n";
                status = 1;
            }
        }
    }
    return status;
}
