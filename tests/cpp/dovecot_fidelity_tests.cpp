// Fidelity with the real parser: every Dovecot file of ../shared/corpus (outside templates/)
// parses without a crash, and for each 2.x file that doveconf 2.3 accepts, the settings,
// sections and values the library reads equal what doveconf prints, as stored by
// tests/tools/update-dovecot-oracle-goldens in tests/golden/dovecot-corpus/ (`oracle-dovecot
// --flat`: one `section=name/key = value` line per setting, unnamed sections numbered
// `passdb#1`).
//
// What is compared: every line doveconf prints must be a setting the library read at the same
// section path with the same value. What is not:
// - settings doveconf does not print: `doveconf -n` drops values equal to the default, so a
//   setting the library read but doveconf did not print is not checked;
// - values with `$` references: doveconf expands them (`$mail_plugins quota`), the library
//   keeps the text and records the references;
// - `location` and `prefix` of a namespace: doveconf prints them (empty) for every namespace.
// Sizes and times are compared after doveconf's normalisation of their units (`2G` is printed
// `2 G`, `60d` is printed `60 days`): the number and the start of the unit must agree.
// Excluded files, with the reason:
// - `*.conf.ext` files: not dovecot.conf syntax (SQL/LDAP/dict driver files; doveconf fails);
// - 2.4 files (kind dovecot24): Debian 12 has no 2.4 doveconf, so no oracle;
// - 1.x files (kind dovecot1): doveconf 2.3 converts 1.x names and sections, so its output is
//   not what the file says; they are only parsed;
// - files doveconf rejects (EXIT 1 in the golden): installer placeholders such as
//   `PH_FIRST_VALID_UID`, fragments whose includes or users are missing, driver files named
//   `.conf`; they are only parsed.

#include <catch2/catch.hpp>

#include <filesystem>
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "mailtls/parse.hpp"

namespace fs = std::filesystem;
using namespace mailtls;

namespace {

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const fs::path k_shared = fs::path(MAILTLS_SOURCE_DIR).parent_path() / "shared";
const fs::path k_corpus = k_shared / "corpus";
const fs::path k_goldens = fs::path(MAILTLS_SOURCE_DIR) / "tests" / "golden" / "dovecot-corpus";

struct corpus_file {
    std::string path;  ///< relative to the corpus
    std::string kind;  ///< dovecot1, dovecot2, dovecot24
};

std::vector<corpus_file> dovecot_corpus() {
    std::vector<corpus_file> files;
    std::istringstream tsv(read_all(k_corpus / "SOURCES.tsv"));
    std::string line;
    std::getline(tsv, line);  // header
    while (std::getline(tsv, line)) {
        std::vector<std::string> fields;
        std::istringstream row(line);
        for (std::string field; std::getline(row, field, '\t');) {
            fields.push_back(field);
        }
        if (fields.size() > 6 && fields[6].starts_with("dovecot") &&
            !fields[0].starts_with("templates/")) {
            files.push_back({fields[0], fields[6]});
        }
    }
    // Debian's own dovecot.conf and conf.d (corpus/debian, described in its README.md)
    for (const auto& entry : fs::recursive_directory_iterator(k_corpus / "debian")) {
        const auto rel = fs::relative(entry.path(), k_corpus).string();
        if (entry.is_regular_file() && rel.find("dovecot") != std::string::npos &&
            entry.path().extension() == ".conf") {
            files.push_back({rel, "dovecot2"});
        }
    }
    return files;
}

const file_reader k_reader = [](const std::string& path, std::string& error) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        error = "not a regular file";
        return std::optional<std::string>();
    }
    return std::optional<std::string>(read_all(path));
};

dovecot_instance load(const fs::path& path, ast::dovecot_syntax syntax) {
    auto source = std::make_shared<const source_file>(path.string(), read_all(path));
    return load_dovecot(source, {syntax, true}, k_reader);
}

/// A setting and the file it is in.
using file_setting = std::pair<const ast::dovecot_file*, const ast::dovecot_setting*>;

/// The library's reading in the oracle's flat form: path -> value, the last one winning.
std::map<std::string, file_setting> flatten(const dovecot_instance& instance) {
    std::map<std::string, file_setting> result;
    std::map<const ast::dovecot_section*, std::string> names;
    std::map<std::string, int> counters;
    walk_dovecot(instance, [&](const dovecot_setting_ref& ref) {
        std::string path;
        for (const auto& scope : ref.sections) {
            const auto* section = scope.section;
            auto it = names.find(section);
            if (it == names.end()) {
                std::string name;
                if (section->has_name) {
                    const bool quote = section->name.find(' ') != std::string_view::npos;
                    name = std::string(section->type) + "=" + (quote ? "\"" : "") +
                           std::string(section->name) + (quote ? "\"" : "");
                } else {
                    const auto key = path + std::string(section->type);
                    name = std::string(section->type) + "#" + std::to_string(++counters[key]);
                }
                it = names.emplace(section, name).first;
            }
            path += it->second + "/";
        }
        result[path + std::string(ref.file->ast.key(*ref.setting))] = {&ref.file->ast, ref.setting};
    });
    return result;
}

/// `mine` equals what doveconf printed, or would after doveconf's quoting or its spelling of
/// size and time units (`2G` -> `2 G`, `60d` -> `60 days`).
bool same_value(const std::string& mine, const std::string& theirs) {
    if (mine == theirs || "\"" + mine + "\"" == theirs) {
        return true;
    }
    const auto digits = [](const std::string& s) { return s.find_first_not_of("0123456789"); };
    const auto n = digits(mine);
    if (n == 0 || n == std::string::npos || mine.compare(0, n, theirs, 0, n) != 0 ||
        theirs.size() <= n + 1 || theirs[n] != ' ') {
        return false;
    }
    auto unit = mine.substr(n);
    unit.erase(0, unit.find_first_not_of(' '));
    const auto printed = theirs.substr(n + 1);
    // one is a prefix of the other: `d` and `days`, `MB` and `M`
    const auto length = std::min(unit.size(), printed.size());
    return length > 0 &&
           std::equal(unit.begin(), unit.begin() + static_cast<std::ptrdiff_t>(length),
                      printed.begin(), [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                      });
}

}  // namespace

TEST_CASE("every Dovecot file of the corpus parses without a crash") {
    std::size_t parsed = 0, settings = 0;
    for (const auto& file : dovecot_corpus()) {
        INFO(file.path);
        const auto syntax = file.kind == "dovecot1"    ? ast::dovecot_syntax::v1
                            : file.kind == "dovecot24" ? ast::dovecot_syntax::v24
                                                       : ast::dovecot_syntax::v2;
        const auto instance = load(k_corpus / file.path, syntax);
        REQUIRE_FALSE(instance.files.empty());
        for (const auto& f : instance.files) {
            settings += f.ast.settings.size();
            for (const auto& error : f.ast.errors) {
                // every error points into its file
                CHECK(error.range.end <= f.source->text().size());
            }
        }
        ++parsed;
    }
    std::cout << "dovecot corpus: parsed " << parsed << " files (" << settings
              << " settings)\n";
    CHECK(parsed > 200);
}

TEST_CASE("Dovecot 2.x corpus files read as doveconf 2.3 reads them") {
    std::size_t compared = 0, lines = 0, excluded = 0;
    for (const auto& file : dovecot_corpus()) {
        if (file.kind != "dovecot2" || file.path.ends_with(".conf.ext")) {
            continue;
        }
        INFO(file.path);
        const auto golden = k_goldens / (file.path + ".oracle");
        REQUIRE(fs::exists(golden));
        const auto text = read_all(golden);
        if (text.find("\nEXIT 0\n") == std::string::npos && !text.starts_with("EXIT 0\n")) {
            ++excluded;  // doveconf rejects it: see the header of this file
            continue;
        }
        const auto instance = load(k_corpus / file.path, ast::dovecot_syntax::v2);
        // doveconf accepts the file: the library finds no syntax or include error either
        for (const auto& f : instance.files) {
            INFO(f.source->path());
            CHECK(f.ast.errors.empty());
        }
        CHECK(instance.include_problems.empty());
        const auto ours = flatten(instance);
        std::istringstream oracle(text);
        for (std::string line; std::getline(oracle, line);) {
            if (line.starts_with("EXIT ") || line.starts_with("WARNING ")) {
                continue;
            }
            const auto eq = line.find(" =");
            REQUIRE(eq != std::string::npos);
            const auto path = line.substr(0, eq);
            const auto value = line.size() > eq + 3 ? line.substr(eq + 3) : std::string();
            if (path.ends_with("/location") || path.ends_with("/prefix")) {
                if (path.starts_with("namespace") && value.empty() && !ours.contains(path)) {
                    continue;  // printed for every namespace
                }
            }
            INFO(line);
            const auto it = ours.find(path);
            REQUIRE(it != ours.end());
            const auto& [file, setting] = it->second;
            if (!file->references(*setting).empty()) {
                continue;  // doveconf expands references
            }
            const auto text = std::string(file->text(*setting));
            const auto mine = setting->value.file ? "<" + text : text;
            CHECK(same_value(mine, value));
            ++lines;
        }
        ++compared;
    }
    std::cout << "dovecot corpus: compared " << compared << " files (" << lines
              << " settings) with doveconf 2.3; " << excluded << " rejected by doveconf\n";
    CHECK(compared > 100);
}
