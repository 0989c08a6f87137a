// The library from several threads at once: 8 threads lint the same texts and directories,
// through one shared linter and through linters of their own, and must each get exactly the
// single-threaded result; and linting never writes to a linted file. Its own executable, so
// that the ThreadSanitizer tree (scripts/test-hardening) builds only the library and this.
// Catch2 v2 assertions are not thread-safe: the threads only record, the main thread checks.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "mailtls/linter.hpp"
#include "mailtls/parse.hpp"
#include "mailtls/report.hpp"
#include "parse/postfix_main.hpp"
#include "two_threads.hpp"

using namespace mailtls;
namespace fs = std::filesystem;

namespace {

constexpr int k_threads = 8;
constexpr int k_rounds = 4;

const fs::path k_examples = fs::path(MAILTLS_SOURCE_DIR) / "examples";

std::string read_whole(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string as_json(const lint_result& result) {
    std::ostringstream out;
    render_json(result, out);
    return out.str();
}

/// One unit of work: lint it and render the result.
struct job {
    std::string text;  ///< lint_text input, or empty for `paths`
    config_type type = config_type::postfix_main;
    std::vector<std::string> paths;

    [[nodiscard]] std::string run(const linter& lint) const {
        return as_json(paths.empty() ? lint.lint_text(text, type, "t") : lint.lint_paths(paths));
    }
};

std::vector<job> jobs() {
    std::vector<job> out;
    out.push_back({read_whole(k_examples / "implicit-tls" / "main.cf"), config_type::postfix_main, {}});
    out.push_back({read_whole(k_examples / "implicit-tls" / "master.cf"), config_type::postfix_master, {}});
    out.push_back({read_whole(k_examples / "implicit-tls" / "dovecot.conf"), config_type::dovecot, {}});
    out.push_back({"smtpd_tls_wrappermode = yes\nsmtpd_tls_security_level = encrypt # x\n"
                   "a = ${b?${c:$d}}\nb = $a\n",
                   config_type::postfix_main, {}});
    out.push_back({"ssl = required\nprotocol imap {\n  ssl_cert = <x\n", config_type::dovecot, {}});
    out.push_back({"", config_type::postfix_main,
                   {(k_examples / "implicit-tls").string(), (k_examples / "starttls").string()}});
    return out;
}

/// Lints `text` once, then from 4 threads at once: whether each thread got that first result.
/// `expected` is set to it.
bool four_threads_agree(const std::string& text, config_type type, std::string& expected) {
    const linter shared;
    expected = as_json(shared.lint_text(text, type, "t"));
    std::array<int, 4> mismatches{};
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < mismatches.size(); ++t) {
        threads.emplace_back([&, t] {
            mismatches[t] = as_json(shared.lint_text(text, type, "t")) != expected ? 1 : 0;
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    return mismatches == std::array<int, 4>{};
}

}  // namespace

TEST_CASE("8 threads lint at once and each gets the single-threaded result") {
    const auto work = jobs();
    const linter shared;
    std::vector<std::string> expected;
    for (const auto& j : work) {
        expected.push_back(j.run(shared));
    }

    std::array<int, k_threads> mismatches{};
    std::array<int, k_threads> done{};
    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t) {
        threads.emplace_back([&, t] {
            const linter own;  // half the rounds through a linter of its own
            for (int round = 0; round < k_rounds; ++round) {
                const linter& lint = round % 2 == 0 ? shared : own;
                // start at a different job in each thread, so they overlap differently
                for (std::size_t k = 0; k < work.size(); ++k) {
                    const auto i = (k + static_cast<std::size_t>(t)) % work.size();
                    mismatches[t] += work[i].run(lint) != expected[i] ? 1 : 0;
                    ++done[t];
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    for (int t = 0; t < k_threads; ++t) {
        INFO("thread " << t);
        CHECK(done[t] == k_rounds * static_cast<int>(work.size()));
        CHECK(mismatches[t] == 0);
    }
}

TEST_CASE("linting never writes to a linted file") {
    // a folder of this process's own: other test runs may be at work in the same /tmp
    const auto dir = fs::temp_directory_path() /
                     ("mailtls-thread-tests-" + std::to_string(::getpid()) + "-" +
                      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy(k_examples / "implicit-tls", dir, fs::copy_options::recursive);
    std::vector<std::pair<fs::path, std::string>> before;
    std::vector<fs::file_time_type> times;
    for (const auto& entry : fs::directory_iterator(dir)) {
        before.emplace_back(entry.path(), read_whole(entry.path()));
        times.push_back(fs::last_write_time(entry.path()));
    }
    REQUIRE(before.size() == 3);

    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t) {
        threads.emplace_back([&] {
            const auto result = linter().lint_paths({dir.string()});
            std::ostringstream out;
            render_text(result, out);
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    for (std::size_t i = 0; i < before.size(); ++i) {
        INFO(before[i].first);
        CHECK(read_whole(before[i].first) == before[i].second);
        CHECK(fs::last_write_time(before[i].first) == times[i]);
    }
    CHECK(static_cast<std::size_t>(std::distance(fs::directory_iterator(dir),
                                                 fs::directory_iterator())) == before.size());
    fs::remove_all(dir);
}

TEST_CASE("threads lint a main.cf large enough to be indexed on two threads") {
    // Over 2 MiB: the file is parsed, the site index made (lib/lint/postfix.cpp) and the
    // rules run on two threads each, here while other lints do the same; references across
    // the chunks of both threads, and one value that names every parameter.
    std::string text;
    std::string all = "all =";
    for (int i = 0; i < 48000; ++i) {
        const auto name = "p_" + std::to_string(i);
        text += name + " = " + (i % 3 == 0 ? "${p_" + std::to_string(i / 2) + "}, $undefined_" +
                                                 std::to_string(i % 7)
                                           : "value of " + name + " # not a comment") +
                "\n";
        all += " $" + name;
    }
    text += all + "\n";
    REQUIRE(text.size() > detail::k_parallel_rules_bytes);
    std::string expected;
    CHECK(four_threads_agree(text, config_type::postfix_main, expected));
    CHECK(expected.find("undefined_3") != std::string::npos);
}

TEST_CASE("threads lint a dovecot.conf large enough for its rules to run on two threads") {
    // Over 2 MiB: the rules of the instance run on two threads (lib/lint/linter.cpp), and
    // the first to ask builds the site index while the other waits for it; here while other
    // lints do the same. Unknown and repeated settings in nested sections give every thread
    // findings to keep.
    std::string text = "ssl = required\nprotocols = imaps\n";
    for (int i = 0; i < 12000; ++i) {
        const auto n = std::to_string(i);
        text += "service svc_" + n + " {\n  inet_listener l_" + n + " {\n    port = " +
                std::to_string(1000 + i % 9000) + "\n    ssl = yes\n  }\n  process_limit = " +
                n + "\n  process_limit = 1\n  unknown_" + std::to_string(i % 11) +
                " = x\n}\nplugin {\n  setting_" + n + " = value of " + n + "\n}\n";
    }
    REQUIRE(text.size() > detail::k_parallel_rules_bytes);
    std::string expected;
    CHECK(four_threads_agree(text, config_type::dovecot, expected));
    CHECK(expected.find("DV004") != std::string::npos);
    CHECK(expected.find("unknown_3") != std::string::npos);
}

TEST_CASE("threads parse a main.cf large enough to be read on two threads") {
    // Over 1 MiB: parse_postfix_main() reads the file in two parts, the second on a thread of
    // its own (lib/parse/postfix_main.cpp), here while other threads do the same; each must
    // get what the parse on one thread gives, joined values and pieces included.
    std::string text;
    for (int i = 0; text.size() <= detail::k_parallel_bytes * 2; ++i) {
        const auto name = "p_" + std::to_string(i);
        text += i % 5 == 0   ? name + " = first\n  # c\n  second " + name + "\n"
                : i % 11 == 0 ? name + " without equals\n"
                              : name + " = value of " + name + "\n";
    }
    const source_file source("main.cf", text);
    const auto expected = detail::parse_postfix_main(source, std::size_t(-1));
    const auto same = [&](const ast::main_cf& got) {
        if (got.parameters.size() != expected.parameters.size() ||
            got.orphan_lines.size() != expected.orphan_lines.size() ||
            got.errors.size() != expected.errors.size() ||
            got.comments.size() != expected.comments.size()) {
            return false;
        }
        for (std::size_t i = 0; i < got.parameters.size(); ++i) {
            const auto& a = got.parameters[i];
            const auto& b = expected.parameters[i];
            if (a.name != b.name || a.name_range != b.name_range || a.value != b.value ||
                a.value_range != b.value_range || a.range != b.range ||
                !std::equal(a.value_pieces.begin(), a.value_pieces.end(),
                            b.value_pieces.begin(), b.value_pieces.end())) {
                return false;
            }
        }
        for (std::size_t i = 0; i < got.errors.size(); ++i) {
            if (got.errors[i].message != expected.errors[i].message ||
                got.errors[i].range != expected.errors[i].range) {
                return false;
            }
        }
        return got.orphan_lines == expected.orphan_lines;
    };
    std::array<int, 4> mismatches{};
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < mismatches.size(); ++t) {
        threads.emplace_back([&, t] { mismatches[t] = same(parse_postfix_main(source)) ? 0 : 1; });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(mismatches == std::array<int, 4>{});
    CHECK(expected.errors.size() > 1000);
}
