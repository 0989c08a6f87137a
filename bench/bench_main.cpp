// Microbenchmarks: parsing main.cf, master.cf and dovecot.conf, and a full lint of main.cf and
// dovecot.conf, on generated inputs of 1 KB, 100 KB and 5 MB (the same shapes as
// bench/gen_configs.py). Catch2 prints the time per call; each case also prints its
// throughput in MB/s (bytes of input per second, from the median of Catch2's samples' runs
// timed here again), which is what docs/performance.md compares with the targets.
//
//     mailtls_bench                    # everything
//     mailtls_bench "[parse]"          # one group: [parse], [lint]
//     mailtls_bench --benchmark-samples 20

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "mailtls/linter.hpp"
#include "mailtls/parse.hpp"
#include "mailtls/source.hpp"

namespace {

constexpr std::size_t k_sizes[] = {1'000, 100'000, 5'000'000};

std::string size_name(std::size_t bytes) {
    return bytes >= 1'000'000 ? std::to_string(bytes / 1'000'000) + " MB"
                              : std::to_string(bytes / 1'000) + " KB";
}

/// Appends lines until the text reaches `size` bytes.
template <typename Next>
std::string grow(std::string text, std::size_t size, Next next) {
    for (std::size_t i = 1; text.size() < size; ++i) {
        next(text, i);
    }
    return text;
}

/// As bench/gen_configs.py: every third parameter refers to the one before, and `bench_all`
/// refers to all of them (20 per continuation line), so the file is clean (every user-defined
/// parameter is used), as gen-large-configs' main.cf is.
std::string main_cf(std::size_t size) {
    std::string text =
        "myhostname = mail.example.org\nmydomain = example.org\n"
        "smtpd_tls_cert_file = /etc/ssl/certs/mail.pem\n"
        "smtpd_tls_key_file = /etc/ssl/private/mail.key\n"
        "smtpd_tls_security_level = may\nsmtpd_tls_auth_only = yes\n"
        "smtp_tls_security_level = may\ncompatibility_level = 3.6\n"
        "smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, "
        "reject_unauth_destination\n";
    std::string all = "bench_all =";
    for (std::size_t i = 1; text.size() + all.size() + 1 < size; ++i) {
        const auto n = std::to_string(i);
        text += "bench_param_" + n + " = value-" + n;
        if (i % 3 == 0 && i > 1) {
            text += " $bench_param_" + std::to_string(i - 1);
        }
        text += '\n';
        all += (i > 1 && (i - 1) % 20 == 0 ? "\n    $bench_param_" : " $bench_param_") + n;
        if (i % 10 == 0) {
            text += "    continued-" + n + "\n";
        }
        if (i % 50 == 0) {
            text += "# comment " + n + "\n";
        }
    }
    return text + all + "\n";
}

std::string master_cf(std::size_t size) {
    return grow(
        "smtp inet n - y - - smtpd\npickup unix n - y 60 1 pickup\n"
        "cleanup unix n - y - 0 cleanup\nqmgr unix n - n 300 1 qmgr\n",
        size, [](std::string& t, std::size_t i) {
            t += std::to_string(10000 + i) + " inet n - y - - smtpd\n  -o syslog_name=postfix/bench" +
                 std::to_string(i) +
                 "\n  -o { smtpd_client_restrictions = permit_mynetworks, reject }\n";
        });
}

std::string dovecot_conf(std::size_t size) {
    return grow(
        "protocols = imap\nssl = required\nssl_cert = </etc/ssl/certs/mail.pem\n"
        "ssl_key = </etc/ssl/private/mail.key\nssl_min_protocol = TLSv1.2\n",
        size, [](std::string& t, std::size_t i) {
            const auto n = std::to_string(i);
            t += "service bench" + n + " {\n  process_limit = " + std::to_string(i % 100 + 1) +
                 "\n  inet_listener l" + n + " {\n    port = " +
                 std::to_string(20000 + i % 40000) + "\n  }\n}\nnamespace ns" + n +
                 " {\n  prefix = NS" + n + "/\n  mailbox \"Box " + n +
                 "\" {\n    auto = subscribe\n  }\n}\n";
        });
}

/// Runs `f` a few times and prints the input's bytes per second at the median run.
template <typename F>
void print_throughput(const std::string& what, std::size_t bytes, F&& f) {
    const int runs = bytes >= 1'000'000 ? 5 : bytes >= 100'000 ? 51 : 501;
    std::vector<double> seconds;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        f();
        seconds.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::nth_element(seconds.begin(), seconds.begin() + runs / 2, seconds.end());
    const double median = seconds[static_cast<std::size_t>(runs / 2)];
    std::printf("throughput  %-30s %9.1f MB/s  (%zu bytes, median %.3f ms)\n", what.c_str(),
                static_cast<double>(bytes) / median / 1e6, bytes, median * 1e3);
}

template <typename Parse>
void parse_cases(const char* dialect, std::string (*generate)(std::size_t), Parse parse) {
    for (const auto size : k_sizes) {
        const mailtls::source_file source("bench", generate(size));
        const auto name = std::string("parse ") + dialect + " " + size_name(size);
        BENCHMARK(name.c_str()) { return parse(source); };
        print_throughput(name, source.text().size(), [&] { (void)parse(source); });
    }
}

void lint_cases(const char* dialect, std::string (*generate)(std::size_t),
                mailtls::config_type type) {
    const mailtls::linter linter;
    for (const auto size : k_sizes) {
        const auto text = generate(size);
        const auto name = std::string("lint ") + dialect + " " + size_name(size);
        // lint_text takes its text by value: the copy is part of what a caller pays.
        BENCHMARK(name.c_str()) { return linter.lint_text(text, type, dialect).diagnostics.size(); };
        print_throughput(name, text.size(), [&] { (void)linter.lint_text(text, type, dialect); });
    }
}

}  // namespace

TEST_CASE("parse main.cf", "[parse]") {
    parse_cases("main.cf", main_cf,
                [](const mailtls::source_file& s) { return mailtls::parse_postfix_main(s); });
}

TEST_CASE("parse master.cf", "[parse]") {
    parse_cases("master.cf", master_cf,
                [](const mailtls::source_file& s) { return mailtls::parse_postfix_master(s); });
}

TEST_CASE("parse dovecot.conf", "[parse]") {
    parse_cases("dovecot.conf", dovecot_conf,
                [](const mailtls::source_file& s) { return mailtls::parse_dovecot(s); });
}

TEST_CASE("lint main.cf", "[lint]") {
    lint_cases("main.cf", main_cf, mailtls::config_type::postfix_main);
}

TEST_CASE("lint dovecot.conf", "[lint]") {
    lint_cases("dovecot.conf", dovecot_conf, mailtls::config_type::dovecot);
}
