// Fidelity with the real parser: every main.cf and master.cf of ../shared/corpus (outside
// templates/) parses without a crash, and what the library reads equals what postconf reads,
// as stored by tests/tools/update-postfix-oracle-goldens in tests/golden/postfix-corpus/.
//
// main.cf: the `name = value` pairs (the last of a name wins, blanks folded as postconf -n
// prints them). master.cf: postconf -F (8 fields per service, the command with its arguments
// as postconf normalises them) then postconf -P (each service's usable `-o` overrides).

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
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

/// postconf prints a value with each run of blanks as one space and no blanks at the ends.
std::string fold(std::string_view value) {
    std::string out;
    bool blank = false;
    for (const char c : value) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
            blank = true;
            continue;
        }
        if (blank && !out.empty()) {
            out += ' ';
        }
        blank = false;
        out += c;
    }
    return out;
}

std::string main_cf_view(const ast::main_cf& ast) {
    std::map<std::string, std::string> last;
    for (const auto& param : ast.parameters) {
        last[std::string(param.name)] = fold(param.value);
    }
    std::vector<std::string> lines;
    for (const auto& [name, value] : last) {
        lines.push_back(value.empty() ? name + " =" : name + " = " + value);
    }
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const auto& line : lines) {
        out += line + "\n";
    }
    return out;
}

bool has_blank(std::string_view s) { return s.find_first_of(" \t\r\n") != std::string_view::npos; }

/// The command field as postconf -F prints it (pcf_print_master_field()).
std::string command_field(const source_file& source, const ast::master_cf_entry& e) {
    std::string out = e.command.text;
    for (std::size_t i = 0; i < e.arguments.size(); ++i) {
        const auto& arg = e.arguments[i];
        const auto o = std::find_if(e.overrides.begin(), e.overrides.end(),
                                    [&](const auto& x) { return x.option_index == i; });
        if (arg.kind == ast::master_cf_argument_kind::option && o != e.overrides.end()) {
            const auto letters = source.slice(o->option_range);
            if (letters.size() > 2) {  // `-vo`: Postfix splits off `-v`
                out += " " + std::string(letters.substr(0, letters.size() - 1));
            }
            out += " -o";
            if (o->value_index == i && o->form != ast::master_cf_override_form::joined) {
                continue;  // `-o` at the end: no value
            }
            const auto& value = e.arguments[o->value_index].value;
            out += has_blank(value) ? " {" + value + "}" : " " + value;
            i = o->value_index;
            continue;
        }
        if (arg.kind == ast::master_cf_argument_kind::operand && has_blank(arg.value)) {
            out += " {" + arg.value + "}";
        } else {
            out += " " + arg.value;
        }
    }
    return out;
}

std::string master_cf_view(const source_file& source, const ast::master_cf& ast) {
    std::string out;
    for (const auto& e : ast.entries) {
        const auto prefix = e.service.text + "/" + e.type_word.text + "/";
        out += prefix + "service = " + e.service.text + "\n";
        out += prefix + "type = " + e.type_word.text + "\n";
        out += prefix + "private = " + e.private_flag.word.text + "\n";
        out += prefix + "unprivileged = " + e.unprivileged_flag.word.text + "\n";
        out += prefix + "chroot = " + e.chroot_flag.word.text + "\n";
        out += prefix + "wakeup = " + e.wakeup.text + "\n";
        out += prefix + "process_limit = " + e.process_limit.text + "\n";
        out += prefix + "command = " + command_field(source, e) + "\n";
    }
    // postconf keeps one parameter table per service/type name: a later entry with the same
    // name adds to it, and an entry prints it when the table existed when it was read.
    std::map<std::string, std::map<std::string, std::string>> tables;
    std::vector<std::pair<std::string, bool>> prints;
    for (const auto& e : ast.entries) {
        const auto key = e.service.text + "/" + e.type_word.text;
        for (const auto& o : e.overrides) {
            if (o.usable()) {
                tables[key][std::string(o.name)] = fold(o.value);
            }
        }
        prints.emplace_back(key, tables.contains(key));
    }
    for (const auto& [key, print] : prints) {
        if (!print) {
            continue;
        }
        for (const auto& [name, value] : tables[key]) {
            out += key + "/" + name + (value.empty() ? " =" : " = " + value) + "\n";
        }
    }
    return out;
}

/// Files postconf refuses, and why: the library must report a syntax error in each.
const std::map<std::string, std::string, std::less<>> k_rejected = {
    {"iredmail/0.9.0/iRedMail/samples/postfix/master.cf",
     "iRedMail installer placeholder PH_AMAVISD_MAX_SERVERS in the process limit field"},
    {"iredmail/1.8.1/samples/postfix/master.cf",
     "iRedMail installer placeholder PH_AMAVISD_MAX_SERVERS in the process limit field"},
};

}  // namespace

TEST_CASE("the library reads every corpus main.cf and master.cf as postconf does",
          "[corpus]") {
    const auto root = fs::path(MAILTLS_SOURCE_DIR);
    const auto corpus = root.parent_path() / "shared" / "corpus";
    const auto goldens = root / "tests" / "golden" / "postfix-corpus";
    REQUIRE(fs::is_directory(corpus));
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
        const auto rel = fs::relative(entry.path(), corpus).generic_string();
        const auto name = entry.path().filename().string();
        if (entry.is_regular_file() && !rel.starts_with("templates/") &&
            (name.find("main.cf") != std::string::npos ||
             name.find("master.cf") != std::string::npos)) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    std::size_t compared = 0;
    std::set<std::string> rejected;
    for (const auto& path : files) {
        const auto rel = fs::relative(path, corpus).generic_string();
        INFO("corpus file " << rel);
        const auto golden_path = goldens / (rel + ".oracle");
        REQUIRE(fs::exists(golden_path));  // else run tests/tools/update-postfix-oracle-goldens
        const auto golden = read_all(golden_path);
        const source_file source(path.string(), read_all(path));
        const bool master = path.filename().string().find("master.cf") != std::string::npos;
        if (golden.starts_with("ERROR ")) {
            rejected.insert(rel);
            CHECK(k_rejected.contains(rel));
            if (master) {
                CHECK_FALSE(parse_postfix_master(source).errors.empty());
            } else {
                CHECK_FALSE(parse_postfix_main(source).errors.empty());
            }
            continue;
        }
        if (master) {
            const auto ast = parse_postfix_master(source);
            CHECK(ast.errors.empty());
            CHECK(master_cf_view(source, ast) == golden);
        } else {
            const auto ast = parse_postfix_main(source);
            CHECK(ast.errors.empty());
            CHECK(main_cf_view(ast) == golden);
        }
        ++compared;
    }
    CHECK(rejected.size() == k_rejected.size());
    WARN("compared " << compared << " corpus files with postconf's view; " << rejected.size()
                     << " that postconf rejects are listed in the test");
    CHECK(compared >= 50);
}

TEST_CASE("the tricky master.cf inputs read as postconf reads them", "[corpus]") {
    const auto shared = fs::path(MAILTLS_SOURCE_DIR).parent_path() / "shared" / "tools";
    std::size_t compared = 0;
    for (const auto& entry : fs::directory_iterator(shared / "tricky" / "postfix-master")) {
        const auto name = entry.path().filename().string();
        INFO("tricky file " << name);
        auto golden = read_all(shared / "golden" / "tricky" / "postfix-master" /
                               (name + ".postconf"));
        // The stored output ends with warnings and the exit status; keep the data lines.
        std::string data;
        std::istringstream lines(golden);
        bool error = false;
        for (std::string line; std::getline(lines, line);) {
            if (line.starts_with("ERROR ")) {
                error = true;
            } else if (!line.starts_with("WARNING ") && !line.starts_with("EXIT ")) {
                data += line + "\n";
            }
        }
        const source_file source(entry.path().string(), read_all(entry.path()));
        const auto ast = parse_postfix_master(source);
        if (error) {
            CHECK_FALSE(ast.errors.empty());
        } else {
            CHECK(master_cf_view(source, ast) == data);
        }
        ++compared;
    }
    CHECK(compared >= 18);
}
