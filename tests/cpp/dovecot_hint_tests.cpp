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

TEST_CASE("each syntax error of the Dovecot parser has a hint of its own") {
    struct row {
        const char* target;
        const char* text;
        const char* hint;  // of the first DV001 finding
    };
    const row table[] = {
        // the grammar's must<> points
        {"2.3", "service imap-login {\n  inet_listener imaps { port = 993 }\n}\n",
         "end the section header at '{' and put each setting and the closing '}' on a line of "
         "its own"},
        {"2.3", "} ssl = yes\n",
         "put the '}' on a line of its own, and what follows it on the next line"},
        {"2.3", "!include\n",
         "name the file or pattern to include, e.g. '!include conf.d/*.conf'"},
        {"2.4", "\"ssl = yes\n", "close the quote after the setting name, or remove it"},
        {"2.4", "service \"imap {\n}\n", "close the quote after the section name, or remove it"},
        // lines that are neither a setting nor a header, braces that do not match
        {"2.3", "}\n", "remove the '}', or add the section header it is meant to close above it"},
        {"2.3", "service imap-login {\n",
         "add a '}' line where the section 'service imap-login' ends"},
        {"2.3", "= 5\n", "write the setting's name before '=': 'key = value'"},
        {"2.3", "\\\nfoo bar\n", "write the line as 'key = value', or remove it"},
        {"2.3", "ssl\n", "write it as 'ssl = value' (an empty value is 'ssl ='), or remove the line"},
        {"2.3", "ssl yes\n", "write it as 'ssl = value', each setting on its own line"},
        {"2.3", "service imap login {\n}\n",
         "write the section header as 'type name {': one word for the name, quoted if it holds "
         "blanks (2.x)"},
        // section headers the syntax does not allow where they are
        {"2.3", "protocol {\n}\n", "write what it matches after 'protocol': 'protocol imap {'"},
        {"2.3", "service x {\n  protocol imap {\n  }\n}\n",
         "move the 'protocol' filter out of 'service x {' to the top level, and put a copy of "
         "that section inside the filter if it should apply only there"},
        {"2.3", "protocol imap {\n  protocol pop3 {\n  }\n}\n",
         "write the two 'protocol' filters one after the other, not one inside the other"},
        {"2.4", "protocol imap {\n  local 192.0.2.1 {\n  }\n}\n",
         "swap the filters: put 'protocol' inside 'local', or move 'local' to the top level"},
        {"2.4", "plugin {\n}\n",
         "move the settings out of 'plugin {' to the top level (or into the filter around it) "
         "and remove the 'plugin {' line and its '}'"},
        {"2.4", "auth default {\n}\n",
         "write the settings as global 'auth_...' settings, and its 'passdb' and 'userdb' "
         "sections at the top level"},
        {"2.4", "passdb {\n}\n", "name it: 'passdb NAME {' (the driver, e.g. 'passdb pam {')"},
        {"1.2", "protocol smtp {\n}\n",
         "write 'protocol imap {', 'protocol pop3 {', 'protocol lda {' or 'protocol "
         "managesieve {'"},
        {"1.2", "auth {\n}\n", "name it: 'auth default {'"},
        {"1.2", "auth default {\n  socket listen {\n    bar {\n    }\n  }\n}\n",
         "write 'master {' or 'client {' inside 'socket listen {'"},
        {"1.2", "dict {\n  protocol imap {\n  }\n}\n",
         "move the 'protocol imap {' section out of the section around it, to the top level"},
        // section types the release does not know, or not there (DV001's own checks)
        {"2.3", "inet_listener imaps {\n}\n", "move it inside a 'service' section"},
        {"2.3", "serivce imap {\n}\n", "correct the section type (see the suggestion)"},
        {"2.3", "ssl_cert {\n}\n",
         "write it as a setting, 'ssl_cert = VALUE', instead of a section"},
        {"2.3", "ssl_server {\n}\n",
         "Dovecot 2.4.0 and later has 'ssl_server' sections: remove it for Dovecot 2.3, or give "
         "the release the file is for with --dovecot-version"},
    };
    for (const auto& r : table) {
        INFO(r.target << ": " << r.text);
        CHECK(hint_of(lint_dovecot(r.text, r.target), "DV001") == r.hint);
    }
}
