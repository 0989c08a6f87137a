// Hostile input (docs/security.md): every odd byte sequence, size and file type has a defined
// outcome, a finding or an I/O error naming the path, never a crash, a hang or a read that
// does not end; the limits give their own diagnostics; and what is printed is safe.

#include <catch2/catch.hpp>

#include <unistd.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "mailtls/linter.hpp"
#include "mailtls/parse.hpp"
#include "mailtls/report.hpp"
#include "output_checks.hpp"
#include "scratch_dir.hpp"

using namespace mailtls;
using mailtls::test::check_output;
using mailtls::test::scratch_dir;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> codes(const lint_result& result) {
    std::vector<std::string> out;
    for (const auto& d : result.diagnostics) {
        out.push_back(d.code);
    }
    return out;
}

bool has_code(const lint_result& result, std::string_view code) {
    return std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                       [&](const diagnostic& d) { return d.code == code; });
}

const diagnostic* find_code(const lint_result& result, std::string_view code) {
    for (const auto& d : result.diagnostics) {
        if (d.code == code) {
            return &d;
        }
    }
    return nullptr;
}

/// Lints text with every rule, or with the rules `select` names.
lint_result lint(std::string text, config_type type, std::string path = "x",
                 std::vector<std::string> select = {}) {
    lint_options options;
    options.select = std::move(select);
    auto result = linter(options).lint_text(std::move(text), type, std::move(path));
    check_output(result);
    return result;
}

/// Only the syntax error rules.
const std::vector<std::string> k_syntax = {"PF001", "DV001"};

constexpr config_type k_types[] = {config_type::postfix_main, config_type::postfix_master,
                                   config_type::dovecot};

std::string repeat(std::string_view piece, std::size_t count) {
    std::string out;
    out.reserve(piece.size() * count);
    for (std::size_t i = 0; i < count; ++i) {
        out += piece;
    }
    return out;
}

}  // namespace

TEST_CASE("hostile bytes: NUL bytes are part of the text, reported where they break a line") {
    const auto main_cf = lint(std::string("smtpd_tls_wrappermode = yes\n\0\0 = x\nab\0c\n", 38),
                              config_type::postfix_main);
    CHECK(has_code(main_cf, "PF101"));
    CHECK(has_code(main_cf, "PF001"));  // `ab\0c` has no '='
    const auto master = lint(std::string("smtp inet n - y - - smtpd\0\n\0\n", 29),
                             config_type::postfix_master);
    CHECK(has_code(master, "PF001"));
    const auto dovecot = lint(std::string("ssl = yes\n\0{\n", 13), config_type::dovecot);
    CHECK(has_code(dovecot, "DV001"));
}

TEST_CASE("hostile bytes: invalid UTF-8 is kept as bytes and printed as '?' or U+FFFD") {
    for (const auto type : k_types) {
        INFO(to_string(type));
        const auto result = lint("\xff\xfe\xc0\xaf = \xed\xa0\x80\n\xf8\x88\x80\x80\x80 {\n", type);
        CHECK(!result.diagnostics.empty());
    }
    const auto result = lint("\xff bad line\n", config_type::postfix_main, "dir/\xff.cf");
    std::ostringstream json;
    render_json(result, json);
    const auto doc = nlohmann::json::parse(json.str());
    CHECK(doc["findings"][0]["file"] == "dir/\xEF\xBF\xBD.cf");
}

TEST_CASE("hostile bytes: a UTF-8 BOM is not part of the first name, and positions skip it") {
    const source_file source("main.cf", "\xEF\xBB\xBFsmtpd_tls_wrappermode = yes\n");
    CHECK(source.has_bom());
    CHECK(source.text() == "smtpd_tls_wrappermode = yes\n");
    const auto ast = parse_postfix_main(source);
    REQUIRE(ast.parameters.size() == 1);
    CHECK(ast.parameters[0].name == "smtpd_tls_wrappermode");
    CHECK(ast.errors.empty());

    const auto result = lint("\xEF\xBB\xBFsmtpd_tls_wrappermode = yes\n", config_type::postfix_main,
                             "main.cf", {"PF001", "PF101"});
    REQUIRE(codes(result) == std::vector<std::string>{"PF101"});
    const auto where = flatten(result.diagnostics[0].where);
    CHECK(where.line == 1);
    CHECK(where.column == 1);  // as an editor shows it: the BOM takes no column

    const source_file conf("dovecot.conf", "\xEF\xBB\xBFssl = required\n");
    const auto dovecot = parse_dovecot(conf);
    REQUIRE(dovecot.settings.size() == 1);
    CHECK(dovecot.key(dovecot.settings[0]) == "ssl");
    CHECK(dovecot.errors.empty());

    // only at the very start: elsewhere it is ordinary text
    CHECK_FALSE(source_file("x", "a\xEF\xBB\xBF").has_bom());
    CHECK(source_file("x", "\xEF\xBB\xBF").text().empty());
}

TEST_CASE("hostile bytes: CRLF ends a line, a lone CR does not (as the daemons read)") {
    const source_file crlf("main.cf", "myhostname = a\r\n  b\r\nmydomain = c\r\n");
    const auto ast = parse_postfix_main(crlf);
    REQUIRE(ast.parameters.size() == 2);
    CHECK(ast.parameters[0].value == "a  b");
    CHECK(ast.parameters[1].value == "c");
    CHECK(crlf.position_of(static_cast<std::uint32_t>(crlf.text().find("mydomain"))) ==
          position{3, 1});

    const source_file lone_cr("main.cf", "myhostname = a\rmydomain = c\n");
    const auto one = parse_postfix_main(lone_cr);
    REQUIRE(one.parameters.size() == 1);
    CHECK(one.parameters[0].name == "myhostname");

    for (const auto type : k_types) {
        INFO(to_string(type));
        lint("a = b\r\r\n\r\rc\rd\r", type);
    }
    // the CR is printed as '?', never sent to the terminal
    const auto result = lint("x\ry\n", config_type::postfix_main);
    std::ostringstream text;
    render_text(result, text);
    CHECK(text.str().find("x?y") != std::string::npos);
}

TEST_CASE("limits: a line longer than 1 MiB is one syntax error, and the file is not parsed") {
    const std::string long_value(k_max_line_length + 1, 'a');
    const struct {
        config_type type;
        std::string text;
        const char* code;
    } cases[] = {
        {config_type::postfix_main, "smtpd_tls_wrappermode = yes\nx = " + long_value + "\n", "PF001"},
        {config_type::postfix_master, "smtp inet n - y - - smtpd\n  -o x=" + long_value, "PF001"},
        {config_type::dovecot, "ssl = yes\nx = " + long_value + "\n}\n", "DV001"},
    };
    for (const auto& c : cases) {
        INFO(to_string(c.type));
        const auto start = std::chrono::steady_clock::now();
        const auto result = lint(c.text, c.type, "x", k_syntax);
        REQUIRE(codes(result) == std::vector<std::string>{c.code});
        const auto& d = result.diagnostics[0];
        CHECK(d.message.find("line 2 is") != std::string::npos);
        CHECK(d.message.find("more than the limit of 1048576 bytes") != std::string::npos);
        CHECK(flatten(d.where).line == 2);
        CHECK(d.where.range.empty());
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
    }
    // a line of exactly the limit is read (and in linear time)
    const auto start = std::chrono::steady_clock::now();
    const std::string at_limit = "myhostname = " + std::string(k_max_line_length - 13, 'a') + "\n";
    const source_file source("main.cf", at_limit);
    CHECK(source.longest_line() == k_max_line_length);
    const auto ast = parse_postfix_main(source);
    CHECK(ast.errors.empty());
    REQUIRE(ast.parameters.size() == 1);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
}

TEST_CASE("hostile bytes: a file of only '{' or only '$' is a syntax error") {
    const std::vector<std::string> pf001{"PF001"};
    CHECK(codes(lint("{", config_type::postfix_main, "x", k_syntax)) == pf001);
    CHECK(codes(lint("{", config_type::postfix_master, "x", k_syntax)) == pf001);
    CHECK(has_code(lint("{", config_type::dovecot, "x", k_syntax), "DV001"));
    CHECK(codes(lint("$", config_type::postfix_main, "x", k_syntax)) == pf001);
    CHECK(codes(lint("$", config_type::postfix_master, "x", k_syntax)) == pf001);
    CHECK(has_code(lint("$", config_type::dovecot, "x", k_syntax), "DV001"));
    // and with every rule, nothing breaks
    for (const auto type : k_types) {
        lint("{", type);
        lint("$", type);
    }
}

TEST_CASE("limits: 100,000 nested Dovecot sections are an error, not a stack overflow") {
    for (const auto syntax : {version{1, 2, -1}, version{2, 3, -1}, version{2, 4, -1}}) {
        INFO(syntax.to_string());
        const auto options = ast::dovecot_parse_options::for_version(syntax);
        for (const auto& text : {repeat("a {\n", 100000), repeat("{", 100000),
                                 repeat("service a {\n", 100000) + repeat("}\n", 100000)}) {
            const source_file source("dovecot.conf", text);
            const auto ast = parse_dovecot(source, options);
            REQUIRE_FALSE(ast.errors.empty());
            CHECK(ast.sections.size() <= 101);
        }
    }
    const auto result = lint(repeat("a {\n", 100000), config_type::dovecot);
    const auto* d = find_code(result, "DV001");
    REQUIRE(d != nullptr);
    CHECK(std::any_of(result.diagnostics.begin(), result.diagnostics.end(), [](const auto& e) {
        return e.message.find("nested deeper than 100") != std::string::npos;
    }));
}

TEST_CASE("limits: deeply nested ${a?${b?...}} is bounded when parsed and expanded") {
    constexpr std::size_t k_depth = 100000;
    std::string value;
    for (std::size_t i = 0; i < k_depth; ++i) {
        value += "${p" + std::to_string(i % 7) + "?";
    }
    value += "x" + std::string(k_depth, '}');
    const auto parsed = parse_postfix_value(value);
    CHECK_FALSE(parsed.errors.empty());
    const ast::parameter_lookup lookup = [](std::string_view) -> std::optional<std::string_view> {
        return "y";
    };
    const auto expanded = expand_postfix_value(value, lookup);
    REQUIRE_FALSE(expanded.errors.empty());
    CHECK(expanded.text.size() <= ast::expansion_limits{}.max_output);
    // and through the linter, as a main.cf value
    lint("a = " + value + "\np0 = 1\n", config_type::postfix_main);
    lint("smtp inet n - y - - smtpd -o a=" + value + "\n", config_type::postfix_master);
    lint(repeat("$", 100000) + "\n" + repeat("${", 50000) + "\n", config_type::postfix_main);
}

TEST_CASE("limits: $name expansion stops at its depth and output limits") {
    std::map<std::string, std::string, std::less<>> params;
    // a chain deeper than the limit: p0 = $p1, p1 = $p2, ...
    for (int i = 0; i < 300; ++i) {
        params["p" + std::to_string(i)] = "$p" + std::to_string(i + 1);
    }
    // a value that doubles at each step: d40 is 2^40 bytes when expanded
    params["d0"] = "xxxxxxxx";
    for (int i = 1; i <= 40; ++i) {
        params["d" + std::to_string(i)] = "$d" + std::to_string(i - 1) + "$d" + std::to_string(i - 1);
    }
    params["c1"] = "${c2:$c1}";
    params["c2"] = "";
    const ast::parameter_lookup lookup = [&](std::string_view name) -> std::optional<std::string_view> {
        const auto it = params.find(name);
        return it == params.end() ? std::nullopt : std::optional<std::string_view>(it->second);
    };
    const ast::expansion_limits limits;
    const auto deep = expand_postfix_value("$p0", lookup, limits);
    CHECK_FALSE(deep.errors.empty());
    const auto big = expand_postfix_value("$d40", lookup, limits);
    REQUIRE_FALSE(big.errors.empty());
    CHECK(big.text.size() <= limits.max_output);
    const auto cycle = expand_postfix_value("$c1", lookup, limits);
    CHECK_FALSE(cycle.errors.empty());
    // smaller limits are honoured
    const auto small = expand_postfix_value("$d10", lookup, {.max_depth = 100, .max_output = 100});
    CHECK_FALSE(small.errors.empty());
    CHECK(small.text.size() <= 100);
}

TEST_CASE("I/O: /dev/zero and a FIFO given as files are I/O errors, others linted") {
    scratch_dir dir("hostile-special");
    const auto fifo = (dir.path / "main.cf").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto good = dir.write("ok/main.cf", "smtpd_tls_wrappermode = yes\n");
    lint_options options;
    options.select = {"PF101"};
    const auto result = linter(options).lint_paths(
        {"/dev/zero", fifo, good, dir.path.string() + "/ok/"}, config_type::postfix_main);
    REQUIRE(result.errors.size() == 2);
    CHECK(result.errors[0].path == "/dev/zero");
    CHECK(result.errors[0].message == "not a regular file");
    CHECK(result.errors[1].path == fifo);
    CHECK(result.errors[1].message == "not a regular file");
    CHECK(exit_status(result) == 2);
    CHECK(has_code(result, "PF101"));  // the readable file is still linted
    check_output(result);
}

TEST_CASE("limits: files larger than max_file_size are I/O errors, others linted") {
    scratch_dir dir("hostile-size");
    const auto big = dir.write("big/main.cf", std::string(2000, '#') + "\n");
    const auto small = dir.write("small/main.cf", "smtpd_tls_wrappermode = yes\n");
    lint_options options;
    CHECK(options.max_file_size == std::uintmax_t{64} << 20);
    options.max_file_size = 1000;
    options.select = {"PF101"};
    const auto result = linter(options).lint_paths({big, small});
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].path == big);
    CHECK(result.errors[0].message == "file of 2001 bytes is larger than the limit of 1000 bytes");
    CHECK(codes(result) == std::vector<std::string>{"PF101"});
    options.max_file_size = 2001;
    CHECK(linter(options).lint_paths({big}).errors.empty());
}

TEST_CASE("includes: symlink loops, FIFOs and unreadable matches behind a glob are findings") {
    scratch_dir dir("hostile-includes");
    dir.write("dovecot.conf", "ssl = yes\n!include conf.d/*.conf\n");
    dir.write("conf.d/10-ok.conf", "ssl_min_protocol = TLSv1.2\n");
    fs::create_symlink("20-loop.conf", dir.path / "conf.d" / "20-loop.conf");
    fs::create_symlink("nowhere", dir.path / "conf.d" / "30-dangling.conf");
    REQUIRE(::mkfifo((dir.path / "conf.d" / "40-fifo.conf").c_str(), 0600) == 0);
    fs::create_directories(dir.path / "conf.d" / "50-dir.conf");
    const auto result = linter().lint_paths({dir.path.string()});
    check_output(result);
    CHECK(result.errors.empty());
    std::size_t unreadable = 0;
    for (const auto& d : result.diagnostics) {
        if (d.code == "DV005") {
            ++unreadable;
        }
    }
    CHECK(unreadable == 4);  // the loop, the dangling link, the FIFO, the directory
}

TEST_CASE("limits: include depth, files per instance and glob matches") {
    scratch_dir dir("hostile-include-limits");
    // a chain of 30 files, each including the next
    dir.write("dovecot.conf", "!include c1.conf\n");
    for (int i = 1; i < 30; ++i) {
        dir.write("c" + std::to_string(i) + ".conf",
                  "!include c" + std::to_string(i + 1) + ".conf\n");
    }
    dir.write("c30.conf", "ssl = yes\n");
    const auto deep = linter().lint_paths({dir.path.string()});
    check_output(deep);
    const auto* d = find_code(deep, "DV006");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("deeper than 20") != std::string::npos);

    // one glob that matches more than 1000 files
    scratch_dir wide("hostile-include-glob");
    wide.write("dovecot.conf", "!include conf.d/*.conf\n");
    for (int i = 0; i < 1001; ++i) {
        wide.write("conf.d/" + std::to_string(i) + ".conf", "");
    }
    const auto many = linter().lint_paths({wide.path.string()});
    check_output(many);
    CHECK(std::any_of(many.diagnostics.begin(), many.diagnostics.end(), [](const auto& e) {
        return e.code == "DV006" && e.message.find("matches 1001") != std::string::npos;
    }));

    // globs under their own limit that read more than 1000 files in all
    scratch_dir wider("hostile-include-files");
    wider.write("dovecot.conf", "!include a/*.conf\n!include b/*.conf\n!include c/*.conf\n");
    for (const auto* sub : {"a/", "b/", "c/"}) {
        for (int i = 0; i < 400; ++i) {
            wider.write(sub + std::to_string(i) + ".conf", "");
        }
    }
    const auto files = linter().lint_paths({wider.path.string()});
    check_output(files);
    CHECK(std::any_of(files.diagnostics.begin(), files.diagnostics.end(), [](const auto& e) {
        return e.code == "DV006" &&
               e.message.find("reads more than 1000 files") != std::string::npos;
    }));
}

TEST_CASE("limits: brace alternatives in an include pattern do not explode") {
    scratch_dir dir("hostile-include-braces");
    dir.write("dovecot.conf", "!include_try " + repeat("{a,b}", 40) + ".conf\nssl = yes\n");
    const auto start = std::chrono::steady_clock::now();
    const auto result = linter().lint_paths({dir.path.string()});
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
    check_output(result);
    CHECK(has_code(result, "DV006"));
}

TEST_CASE("output safety: escapes, C1 controls and bidi overrides never reach the terminal") {
    const auto result = lint(
        "smtpd_tls_wrappermode = yes\n"
        "\x1b]0;title\x07 x\n"              // OSC: set the window title
        "\x1b[2J\x1b[1;1H y\n"              // CSI: clear the screen, move the cursor
        "\xc2\x9b" "31m z\n"                // C1 CSI as UTF-8
        "\xe2\x80\xae" "evil\xe2\x80\xac w\n",  // RIGHT-TO-LEFT OVERRIDE ... POP
        config_type::postfix_main, "a\x1b[31m.cf");
    std::ostringstream text;
    render_text(result, text, {.color = false});
    const auto out = text.str();
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(out.find('\x07') == std::string::npos);
    CHECK(out.find("\xc2\x9b") == std::string::npos);
    CHECK(out.find("\xe2\x80\xae") == std::string::npos);
    CHECK(out.find("\xe2\x80\xac") == std::string::npos);
    CHECK(terminal_safe("\xe2\x80\xae\xe2\x81\xa6x\xe2\x80\x8f") == "??x?");
    CHECK(terminal_safe("caf\xc3\xa9 \xe2\x80\x94 ok") == "caf\xc3\xa9 \xe2\x80\x94 ok");
}

TEST_CASE("output safety: every finding over the fixtures and examples lies inside its file") {
    const fs::path root = MAILTLS_SOURCE_DIR;
    std::size_t results = 0;
    for (const auto& top : {root / "tests" / "rules", root / "examples"}) {
        for (const auto& entry : fs::recursive_directory_iterator(top)) {
            if (entry.is_directory()) {
                const auto result = linter().lint_paths({entry.path().string()});
                if (result.errors.empty()) {
                    check_output(result);
                    ++results;
                }
            }
        }
    }
    CHECK(results > 10);
}

TEST_CASE("fuzz regressions: every saved input lints and keeps the output contracts") {
    // tests/fuzz/regressions/<target>/: inputs the fuzzers found or that guard a limit. The
    // sanitizer build replays them through the fuzz targets; here every build lints them.
    const fs::path regressions = fs::path(MAILTLS_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
    std::size_t inputs = 0;
    for (const auto& target : fs::directory_iterator(regressions)) {
        const auto name = target.path().filename().string();
        for (const auto& entry : fs::directory_iterator(target.path())) {
            INFO(entry.path());
            std::ifstream in(entry.path(), std::ios::binary);
            const std::string text{std::istreambuf_iterator<char>(in), {}};
            if (name == "fuzz_lint_instance") {
                scratch_dir dir("hostile-regression");
                const char* files[] = {"main.cf", "master.cf", "dovecot.conf",
                                       "conf.d/10-a.conf", "conf.d/20-b.conf"};
                std::size_t begin = 0, i = 0;
                for (; i < std::size(files) && begin <= text.size(); ++i) {
                    auto end = text.find("#@file\n", begin);
                    while (end != std::string::npos && end != 0 && text[end - 1] != '\n') {
                        end = text.find("#@file\n", end + 1);
                    }
                    dir.write(files[i], text.substr(begin, end == std::string::npos
                                                                ? std::string::npos
                                                                : end - begin));
                    begin = end == std::string::npos ? text.size() + 1 : end + 7;
                }
                check_output(linter().lint_paths({dir.path.string()}));
            } else {
                const auto type = name.starts_with("fuzz_dovecot")    ? config_type::dovecot
                                  : name == "fuzz_postfix_master" ? config_type::postfix_master
                                                                  : config_type::postfix_main;
                lint(text, type);
            }
            ++inputs;
        }
    }
    CHECK(inputs > 40);
}

TEST_CASE("limits: expansion work is bounded, not only the references it follows") {
    // `$a` referenced over and over, where a is long (parsed once, not at each reference) or
    // holds many parts that expand to nothing (each part counts as a step)
    const std::string long_a = "${undefined_x?" + std::string(1u << 20, 'z') + "}";
    const std::string many_parts = repeat("${undefined_x?y}", 100000);
    for (const auto* a : {&long_a, &many_parts}) {
        const ast::parameter_lookup lookup =
            [&](std::string_view name) -> std::optional<std::string_view> {
            return name == "a" ? std::optional<std::string_view>(*a) : std::nullopt;
        };
        const auto start = std::chrono::steady_clock::now();
        const auto expanded = expand_postfix_value(repeat("$a", 100000), lookup);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
        CHECK(expanded.text.empty());
    }
    // and through the linter
    const auto start = std::chrono::steady_clock::now();
    lint("smtpd_tls_security_level = " + repeat("$a", 100000) + "\na = " + long_a + "\n",
         config_type::postfix_main);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
}
