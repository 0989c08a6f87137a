// Dovecot hints: what to write at the target release, in words (the version knowledge's
// notes are data, not messages).

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "mailtls/linter.hpp"

using namespace mailtls;

namespace {

std::string hint_of(const lint_result& result, std::string_view code) {
    for (const auto& d : result.diagnostics) {
        if (d.code == code) {
            return d.hint;
        }
    }
    return "(no " + std::string(code) + ")";
}

lint_result lint_dovecot(std::string text, std::string_view target) {
    lint_options options;
    options.dovecot_version = version::parse(target);
    return linter(options).lint_text(std::move(text), config_type::dovecot, "dovecot.conf");
}

}  // namespace

TEST_CASE("Dovecot hints name what the target writes, in words, without raw data") {
    // 2.3 converts 'ssl_disable': the hint says 'ssl', and the inversion in words
    const auto v23 = lint_dovecot("ssl_disable = yes\n", "2.3");
    CHECK(hint_of(v23, "DV003") == "write 'ssl' instead (inverted: 'ssl_disable = yes' is "
                                   "'ssl = no')");
    CHECK(hint_of(v23, "DV101").find("ssl_disable") == std::string::npos);
    CHECK(hint_of(v23, "DV101").starts_with("replace it with 'ssl = required'"));
    // 1.1 only knows 'ssl_disable'
    CHECK(hint_of(lint_dovecot("ssl_disable = yes\n", "1.1"), "DV101")
              .starts_with("set 'ssl_disable = no'"));
    // a note that only repeats the replacement is not shown
    const auto v24 = lint_dovecot("dovecot_config_version = 2.4.0\ndovecot_storage_version = "
                                  "2.4.0\nssl_cert = </etc/ssl/certs/mail.pem\n",
                                  "2.4");
    CHECK(hint_of(v24, "DV003") ==
          "write 'ssl_server_cert_file' instead (the setting Dovecot 2.4 knows)");
}
