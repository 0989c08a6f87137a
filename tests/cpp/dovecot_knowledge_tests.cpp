#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "model/dovecot_knowledge.hpp"
#include "model/suggest.hpp"

namespace dv = mailtls::model::dovecot;
using dv::availability;
using mailtls::version;

namespace {

version v(const char* text) {
    return *version::parse(text);
}

const char* state_name(availability a) {
    switch (a) {
    case availability::valid:
        return "valid";
    case availability::converted:
        return "converted";
    case availability::fatal:
        return "fatal";
    }
    return "?";
}

}  // namespace

TEST_CASE("the embedded Dovecot data parses without problems") {
    CHECK(dv::data_errors().empty());
    for (const auto& e : dv::data_errors()) {
        INFO(e);
    }
    CHECK(dv::setting_names().size() > 800);
}

TEST_CASE("the data parser reports malformed rows with their line") {
    CHECK(dv::check_data("release\t2.3\t2.3.21.1\nsetting\tx\t2.0.0\t-\tbool\tno\n").empty());
    const auto errors = dv::check_data(
        "release\t2.3\t2.3.21.1\n"
        "# comment\n"
        "setting\tx\t2.0.0\t-\tbogus\tno\n"
        "setting\ty\t2.0\n"
        "outside\tz\t2.4.0\t-\tmaybe\t\t\n"
        "section\ts\t2.0.0\t-\t.\tsometimes\tscoped\n"
        "setting\tw\t2.x\t-\tbool\tno\n"
        "frobnicate\n");
    REQUIRE(errors.size() == 6);
    CHECK(errors[0].starts_with("line 3:"));
    CHECK(errors[1].starts_with("line 4:"));
    CHECK(errors[2].starts_with("line 5:"));
    CHECK(errors[3].starts_with("line 6:"));
    CHECK(errors[4].starts_with("line 7:"));
    CHECK(errors[5].starts_with("line 8:"));
    CHECK(dv::check_data("") == std::vector<std::string>{"no release rows"});
    CHECK(dv::check_data("release\t2.3\t2.3.21.1\nsetting\tx\t2.0.0\t2.3.21.1\tbool\tno\n"
                         "outside\tx\t2.3.0\t-\tfatal\t\t\n") ==
          std::vector<std::string>{"outside row of 'x' overlaps a release that knows it"});
    // the rows of a setting need not be next to each other
    CHECK(dv::check_data("release\t2.3\t2.3.21.1\nsetting\tx\t2.0.0\t2.3.21.1\tbool\tno\n"
                         "setting\tw\t2.0.0\t-\tbool\tno\n"
                         "setting\tx\t1.0.0\t1.2\tbool\tno\n"
                         "outside\tx\t2.3.0\t-\tfatal\t\t\n") ==
          std::vector<std::string>{"outside row of 'x' overlaps a release that knows it"});
}

TEST_CASE("a release bound is two to four numbers that fit an int") {
    const auto errors_with_from = [](std::string from) {
        return dv::check_data("release\t2.3\t2.3.21.1\nsetting\tx\t" + from + "\t-\tbool\tno\n");
    };
    for (const auto* good : {"2.3", "2.3.21", "2.3.21.1", "0.0", "2147483647.1"}) {
        INFO(good);
        CHECK(errors_with_from(good).empty());
    }
    for (const auto* bad : {"2", "2.", ".3", "2..3", "2.3.4.5.6", "2.-3", "2.+3", " 2.3", "2.3 ",
                            "2.3a", "2147483648.1", "99999999999.0", ""}) {
        INFO(bad);
        CHECK(errors_with_from(bad).size() == 1);
    }
}

TEST_CASE("setting availability on both sides of each version boundary") {
    struct row {
        const char* name;
        const char* target;
        availability expected;
        const char* replacement;
    };
    const std::vector<row> table{
        // ssl arrived in 1.2; 1.0/1.1 only have ssl_disable
        {"ssl", "1.1", availability::fatal, "ssl_disable"},
        {"ssl", "1.2", availability::valid, ""},
        {"ssl", "2.4", availability::valid, ""},
        // ssl_disable: 1.0-1.1, refused by 1.2, converted by 2.0-2.3, refused by 2.4
        {"ssl_disable", "1.0", availability::valid, ""},
        {"ssl_disable", "1.1", availability::valid, ""},
        {"ssl_disable", "1.2", availability::fatal, "ssl"},
        {"ssl_disable", "2.0", availability::converted, "ssl"},
        {"ssl_disable", "2.3.21", availability::converted, "ssl"},
        {"ssl_disable", "2.4.0", availability::fatal, "ssl"},
        // ssl_cert_file: 1.x, converted to ssl_cert = <file by 2.0-2.3, refused by 2.4
        {"ssl_cert_file", "1.2", availability::valid, ""},
        {"ssl_cert_file", "2.0.0", availability::converted, "ssl_cert"},
        {"ssl_cert_file", "2.3", availability::converted, "ssl_cert"},
        {"ssl_cert_file", "2.4", availability::fatal, "ssl_server_cert_file"},
        // ssl_cert: 2.0-2.3
        {"ssl_cert", "1.2", availability::fatal, "ssl_cert_file"},
        {"ssl_cert", "2.0.0", availability::valid, ""},
        {"ssl_cert", "2.3.21", availability::valid, ""},
        {"ssl_cert", "2.4.0", availability::fatal, "ssl_server_cert_file"},
        {"ssl_server_cert_file", "2.3", availability::fatal, "ssl_cert"},
        {"ssl_server_cert_file", "2.4", availability::valid, ""},
        // ssl_min_protocol from 2.3.0; ssl_protocols 2.1-2.2, converted by 2.3
        {"ssl_min_protocol", "2.0", availability::fatal, ""},
        {"ssl_min_protocol", "2.2.36", availability::fatal, "ssl_protocols"},
        {"ssl_min_protocol", "2.3.0", availability::valid, ""},
        {"ssl_protocols", "2.0", availability::fatal, ""},
        {"ssl_protocols", "2.1.0", availability::valid, ""},
        {"ssl_protocols", "2.2", availability::valid, ""},
        {"ssl_protocols", "2.3.0", availability::converted, "ssl_min_protocol"},
        {"ssl_protocols", "2.4", availability::fatal, "ssl_min_protocol"},
        // disable_plaintext_auth until 2.3, auth_allow_cleartext from 2.4
        {"disable_plaintext_auth", "1.0", availability::valid, ""},
        {"disable_plaintext_auth", "2.3.21", availability::valid, ""},
        {"disable_plaintext_auth", "2.4.0", availability::fatal, "auth_allow_cleartext"},
        {"auth_allow_cleartext", "2.3", availability::fatal, "disable_plaintext_auth"},
        {"auth_allow_cleartext", "2.4.0", availability::valid, ""},
        // verbose_ssl and auth_debug went to log_debug in 2.4
        {"verbose_ssl", "2.3", availability::valid, ""},
        {"verbose_ssl", "2.4", availability::fatal, "log_debug"},
        // a 4th-level bound: mail_cache_compress_* ended at 2.3.10.1, converted afterwards
        {"mail_cache_compress_min_size", "2.3.10", availability::valid, ""},
        {"mail_cache_compress_min_size", "2.3.11", availability::converted,
         "mail_cache_purge_min_size"},  // 2.3.11 is 2.3.11.x: the rename came in 2.3.11.2
        {"mail_cache_compress_min_size", "2.4", availability::fatal, "mail_cache_purge_min_size"},
        // 1.x names that 2.3 converts, and 1.x names that it refuses
        {"login_user", "2.3", availability::converted, "service/user"},
        {"login_user", "2.4", availability::fatal, "service_user"},
        {"umask", "1.1", availability::valid, ""},
        {"umask", "1.2", availability::fatal, ""},
        {"umask", "2.3", availability::fatal, ""},
        // 1.x reads a root auth_X as the auth section's X
        {"auth_mechanisms", "1.2", availability::valid, ""},
        {"auth_mechanisms", "2.0", availability::valid, ""},
        {"auth_user", "1.2", availability::valid, ""},
        {"auth_user", "2.3", availability::converted, "service/user"},
        {"auth/mechanisms", "2.3", availability::converted, "auth_mechanisms"},
        {"auth/ntlm_use_winbind", "2.3", availability::fatal, ""},
        // service settings: 2.x section paths, 2.4 names
        {"service/inet_listener/ssl", "2.3", availability::valid, ""},
        {"inet_listener_ssl", "2.3", availability::fatal, ""},
        {"inet_listener_ssl", "2.4", availability::valid, ""},
        {"dovecot_config_version", "2.3", availability::fatal, ""},
        {"dovecot_config_version", "2.4", availability::valid, ""},
    };
    for (const auto& r : table) {
        INFO(r.name << " at " << r.target);
        const auto s = dv::setting_status(r.name, v(r.target));
        CHECK(s.known);
        CHECK(std::string(state_name(s.state)) == state_name(r.expected));
        CHECK(s.replacement == r.replacement);
        CHECK((s.period != nullptr) == (r.expected == availability::valid));
    }
    const auto typo = dv::setting_status("ssl_certt", v("2.3"));
    CHECK_FALSE(typo.known);
    CHECK(typo.state == availability::fatal);
    CHECK_FALSE(dv::is_known_setting("ssl_certt"));
    CHECK(dv::is_known_setting("auth_chroot"));  // 1.x root form of auth/chroot
}

TEST_CASE("the conversion note says what the daemon does") {
    const auto s = dv::setting_status("ssl_disable", v("2.3"));
    CHECK(s.note.find("inverted") != std::string_view::npos);
    REQUIRE(s.valid_in);
    CHECK(s.valid_in->from == "1.0");
    CHECK(s.valid_in->to == "1.1");
}

TEST_CASE("defaults by version") {
    struct row {
        const char* name;
        const char* target;
        const char* expected;
    };
    const std::vector<row> table{
        {"ssl_min_protocol", "2.3.0", "TLSv1"},
        {"ssl_min_protocol", "2.3.14", "TLSv1"},
        {"ssl_min_protocol", "2.3.15", "TLSv1.2"},
        {"ssl_min_protocol", "2.3", "TLSv1.2"},  // newest 2.3 patch
        {"ssl_min_protocol", "2.4", "TLSv1.2"},
        {"ssl", "1.2", "yes"},
        {"ssl", "2.3", "yes"},
        {"protocols", "1.2", "imap imaps"},
        {"protocols", "2.3", "imap pop3 lmtp"},
        {"protocols", "2.4", ""},
        {"ssl_protocols", "2.2.26", "!SSLv2"},
        {"ssl_protocols", "2.2.27", "!SSLv2 !SSLv3"},
        {"ssl_cipher_list", "2.2", "ALL:!LOW:!SSLv2:!EXP:!aNULL"},
        {"disable_plaintext_auth", "2.3", "yes"},
        {"auth_allow_cleartext", "2.4", "no"},
        {"auth_mechanisms", "2.3", "plain"},
        {"auth_mechanisms", "1.2", "plain"},
        {"ssl_cert_file", "1.1", "SSLDIR/certs/dovecot.pem"},
        {"listen", "1.2", "*"},
        {"listen", "2.3", "*, ::"},
        {"auth_cache_negative_ttl", "2.0.5", "0"},
        {"auth_cache_negative_ttl", "2.0.6", "60*60"},
    };
    for (const auto& r : table) {
        INFO(r.name << " at " << r.target);
        const auto d = dv::default_value(r.name, v(r.target));
        REQUIRE(d);
        CHECK(*d == r.expected);
    }
    CHECK_FALSE(dv::default_value("ssl_min_protocol", v("2.2")));
    CHECK_FALSE(dv::default_value("no_such_setting", v("2.3")));
}

TEST_CASE("types of the TLS settings") {
    CHECK(dv::setting_at("ssl", v("2.3"))->type == dv::value_type::enumeration);
    CHECK(dv::setting_at("ssl", v("2.3"))->enum_values ==
          std::vector<std::string_view>{"yes", "no", "required"});
    CHECK(dv::setting_at("ssl_disable", v("1.1"))->type == dv::value_type::boolean);
    CHECK(dv::setting_at("ssl_cert", v("2.3"))->type == dv::value_type::pem);
    CHECK(dv::setting_at("ssl_cert_file", v("1.2"))->type == dv::value_type::path);
    CHECK(dv::setting_at("ssl_server_cert_file", v("2.4"))->type == dv::value_type::file);
    CHECK(dv::setting_at("protocols", v("2.3"))->type == dv::value_type::list);
    CHECK(dv::setting_at("protocols", v("2.4"))->type == dv::value_type::boollist);
    CHECK(dv::setting_at("ssl_server_request_client_cert", v("2.4.1"))->type ==
          dv::value_type::boolean);
    CHECK(dv::setting_at("ssl_server_request_client_cert", v("2.4.2"))->type ==
          dv::value_type::enumeration);
    CHECK(dv::setting_at("auth_cache_ttl", v("2.3"))->type == dv::value_type::time);
    CHECK(dv::setting_at("mail_process_size", v("1.2"))->type == dv::value_type::uint);
}

TEST_CASE("value checks per type and version") {
    struct row {
        const char* name;
        const char* value;
        const char* target;
        bool problem;
        const char* suggestion;
    };
    const std::vector<row> table{
        {"ssl", "yes", "2.3", false, ""},
        {"ssl", "required", "1.2", false, ""},
        {"ssl", "Required", "2.3", true, "required"},
        {"ssl", "REQUIRED", "2.3", true, "required"},
        {"ssl", "maybe", "2.3", true, ""},
        {"ssl", "required", "1.1", false, ""},  // unknown there: setting_status says so
        {"verbose_ssl", "Yes", "2.3", false, ""},
        {"verbose_ssl", "y", "2.3", false, ""},
        {"verbose_ssl", "1", "2.3", false, ""},
        {"verbose_ssl", "y", "1.2", true, "no"},
        {"verbose_ssl", "true", "2.3", true, "yes"},
        {"verbose_ssl", "0", "2.3", true, "no"},
        {"ssl_prefer_server_ciphers", "yes", "2.3", false, ""},
        {"ssl_server_prefer_ciphers", "Server", "2.4", true, "server"},
        {"ssl_min_protocol", "TLSv1.2", "2.3", false, ""},
        {"ssl_min_protocol", "tlsv1.2", "2.3", false, ""},
        {"ssl_min_protocol", "TLSv1.9", "2.3", true, "TLSv1.2"},
        {"ssl_min_protocol", "ANY", "2.3.14", true, "TLSv1.2"},
        {"ssl_min_protocol", "ANY", "2.3.15", false, ""},
        {"ssl_min_protocol", "SSLv3", "2.3", false, ""},
        {"ssl_min_protocol", "SSLv3", "2.4", true, "TLSv1.2"},
        {"ssl_min_protocol", "", "2.4.2", false, ""},
        {"ssl_min_protocol", "", "2.4.3", true, "TLSv1.2"},
        {"ssl_protocols", "!SSLv2 !SSLv3", "2.2", false, ""},
        {"ssl_protocols", "TLSv1.2 TLSv1.3", "2.2", true, ""},
        {"ssl_protocols", "!SSLv4", "2.1", true, ""},
        {"ssl_protocols", "TLSv1.2 TLSv1.3", "2.3", false, ""},
        {"protocols", "imap imaps", "2.3", true, "imap"},
        {"protocols", "imap pop3s", "2.4", true, "pop3"},
        {"protocols", "imap imaps", "1.2", false, ""},
        {"protocols", "imap lmtp", "2.4", false, ""},
        {"default_vsz_limit", "256M", "2.3", false, ""},
        {"default_vsz_limit", "10 kb", "2.3", false, ""},
        {"default_vsz_limit", "10x", "2.3", true, ""},
        {"auth_cache_ttl", "5 mins", "2.3", false, ""},
        {"auth_cache_ttl", "5", "2.3.19", true, "5s"},
        {"auth_cache_ttl", "0", "2.3.19", false, ""},
        {"auth_cache_ttl", "5ms", "2.3", true, ""},
        {"login_proxy_timeout", "500ms", "2.3", false, ""},
        {"service/inet_listener/port", "993", "2.3", false, ""},
        {"service/inet_listener/port", "99300", "2.3", true, ""},
        {"first_valid_uid", "abc", "2.3", true, ""},
        {"service/unix_listener/mode", "0666", "2.3", false, ""},
        {"service/unix_listener/mode", "0686", "2.3", true, ""},
        {"dovecot_config_version", "2.4.0", "2.4", false, ""},
        {"dovecot_config_version", "latest", "2.4", true, ""},
        // values the daemon expands or reads: not checked
        {"ssl", "$ssl_mode", "2.3", false, ""},
        {"verbose_ssl", "<file", "2.3", false, ""},
        {"verbose_ssl", "$SET:other", "2.4", false, ""},
    };
    for (const auto& r : table) {
        INFO(r.name << " = '" << r.value << "' at " << r.target);
        const auto p = dv::check_value(r.name, r.value, v(r.target));
        CHECK(p.has_value() == r.problem);
        if (p) {
            INFO(p->message);
            CHECK(p->suggestion == r.suggestion);
            CHECK_FALSE(p->message.empty());
        }
    }
    const auto imaps = dv::check_value("protocols", "imap imaps", v("2.3"));
    REQUIRE(imaps);
    CHECK(imaps->effect == dv::value_effect::converted);
    const auto imaps24 = dv::check_value("protocols", "imaps", v("2.4"));
    REQUIRE(imaps24);
    CHECK(imaps24->effect == dv::value_effect::rejected);
    const auto casing = dv::check_value("ssl", "Required", v("2.3"));
    CHECK(casing->message == "'ssl = Required' is not valid: the values are case-sensitive, use "
                             "'required'");
    CHECK(dv::check_value("ssl_min_protocol", "TLSv1.9", v("2.3"))->effect ==
          dv::value_effect::at_runtime);
}

TEST_CASE("releases, newest patches and the default target") {
    const auto releases = dv::known_releases();
    REQUIRE(releases.size() == 8);
    CHECK(releases.front() == version{1, 0, -1});
    CHECK(releases.back() == version{2, 4, 4});
    CHECK(dv::newest_patch(v("2.3")) == version{2, 3, 21});
    CHECK(dv::newest_patch(v("2.2")) == version{2, 2, 36});
    CHECK(dv::newest_patch(v("2.0")) == version{2, 0, 15});
    CHECK(dv::newest_patch(v("1.2")) == version{1, 2, -1});
    CHECK(dv::newest_patch(v("2.3.5")) == version{2, 3, 5});
    CHECK_FALSE(dv::newest_patch(v("3.0")));
    CHECK(dv::default_target() == version{2, 3, 21});
}

TEST_CASE("a four-part release is judged as its X.Y.Z") {
    // Debian 12 ships 2.3.19.1; every name and value is judged as at 2.3.19
    for (const char* text : {"2.3.16", "2.3.19", "2.3.21", "2.4.1"}) {
        const auto base = v(text);
        auto build = base;
        build.build = 1;
        INFO(build.to_string());
        CHECK(dv::newest_patch(build) == build);
        for (const auto name : dv::setting_names()) {
            INFO(name);
            CHECK(dv::setting_at(name, build) == dv::setting_at(name, base));
            CHECK(dv::setting_status(name, build).state == dv::setting_status(name, base).state);
        }
        CHECK(dv::check_value("auth_cache_ttl", "5", build).has_value() ==
              dv::check_value("auth_cache_ttl", "5", base).has_value());
    }
    CHECK_FALSE(dv::newest_patch(*version::parse_dovecot("2.5.0.1")));
}

TEST_CASE("sections by version") {
    CHECK(dv::section_status("auth", v("1.2")).state == availability::valid);
    CHECK(dv::section_status("auth", v("2.3")).state == availability::converted);
    CHECK(dv::section_status("auth", v("2.4")).state == availability::fatal);
    CHECK(dv::section_status("plugin", v("2.3")).state == availability::valid);
    CHECK(dv::section_status("plugin", v("2.4")).state == availability::fatal);
    CHECK(dv::section_status("service", v("1.2")).state == availability::fatal);
    CHECK(dv::section_status("ssl_server", v("2.3")).state == availability::fatal);
    CHECK(dv::section_status("ssl_server", v("2.4")).state == availability::valid);
    CHECK_FALSE(dv::section_status("bogus", v("2.3")).known);

    const auto* proto1 = dv::section_at("protocol", v("1.2"));
    REQUIRE(proto1);
    CHECK(proto1->names == std::vector<std::string_view>{"imap", "pop3", "lda"});
    CHECK(proto1->content == dv::section_content::filter);
    CHECK(dv::section_at("passdb", v("2.3"))->naming == dv::section_naming::optional);
    CHECK(dv::section_at("passdb", v("2.4"))->naming == dv::section_naming::required);
    CHECK(dv::section_at("ssl_server", v("2.4"))->naming == dv::section_naming::none);
    CHECK(dv::section_allowed_in("inet_listener", "service", v("2.3")));
    CHECK_FALSE(dv::section_allowed_in("inet_listener", "", v("2.3")));
    CHECK(dv::section_allowed_in("service", ".", v("2.3")));
    CHECK(dv::section_allowed_in("passdb", "auth", v("1.2")));
    CHECK_FALSE(dv::section_allowed_in("passdb", "auth", v("2.3")));
    CHECK(dv::section_at("metric", v("2.2")) == nullptr);
    CHECK(dv::section_at("metric", v("2.3")) != nullptr);
}

TEST_CASE("keys inside sections resolve to the data's names per version") {
    const std::vector<std::string_view> listener{"service", "inet_listener"};
    CHECK(dv::resolve_in_section(listener, "ssl", v("2.3")) == "service/inet_listener/ssl");
    CHECK(dv::resolve_in_section(listener, "ssl", v("2.4")) == "inet_listener_ssl");
    CHECK(dv::resolve_in_section(listener, "port", v("2.4")) == "inet_listener_port");
    CHECK(dv::resolve_in_section(listener, "address", v("2.4")) ==
          "service/inet_listener/address");  // fatal there, with a replacement
    CHECK(dv::setting_status("service/inet_listener/address", v("2.4")).replacement == "listen");
    const std::vector<std::string_view> service{"service"};
    CHECK(dv::resolve_in_section(service, "process_limit", v("2.4")) == "service_process_limit");
    const std::vector<std::string_view> ssl_server{"ssl_server"};
    CHECK(dv::resolve_in_section(ssl_server, "cert_file", v("2.4")) == "ssl_server_cert_file");
    const std::vector<std::string_view> auth{"auth"};
    CHECK(dv::resolve_in_section(auth, "mechanisms", v("1.2")) == "auth/mechanisms");
    const std::vector<std::string_view> filter{"protocol"};
    CHECK(dv::resolve_in_section(filter, "ssl", v("2.3")) == "ssl");
    const std::vector<std::string_view> nested{"local", "protocol", "service", "inet_listener"};
    CHECK(dv::resolve_in_section(nested, "ssl", v("2.3")) == "service/inet_listener/ssl");
    CHECK(dv::resolve_in_section({}, "ssl", v("2.3")) == "ssl");
}

TEST_CASE("the target version is inferred from constructs only 1.x or 2.4 knows") {
    using c = dv::construct;
    {
        const std::vector<c> in{{"ssl", false, {}}, {"dovecot_config_version", false, {}}};
        const auto r = dv::infer_version(in);
        REQUIRE(r);
        CHECK(r->target == version{2, 4, 4});
        CHECK(r->evidence.find("dovecot_config_version") != std::string::npos);
    }
    {
        const std::vector<c> in{{"ssl", false, {}}, {"auth", true, "auth default {"}};
        const auto r = dv::infer_version(in);
        REQUIRE(r);
        CHECK(r->target == version{1, 2, -1});
        CHECK(r->evidence == "'auth default {' is a section of Dovecot 1.0-1.2 only");
    }
    {
        const std::vector<c> in{{"ssl_disable", false, {}}, {"ssl_cert_file", false, {}}};
        const auto r = dv::infer_version(in);
        REQUIRE(r);
        CHECK(r->target == version{1, 1, -1});
        CHECK(r->evidence ==
              "'ssl_disable' is a setting of Dovecot 1.0-1.1 only (and 1 more 1.x construct)");
    }
    {
        const std::vector<c> in{{"ssl_cert_file", false, {}}, {"login_trusted_networks", false, {}}};
        const auto r = dv::infer_version(in);
        REQUIRE(r);
        CHECK(r->target == version{1, 2, -1});
    }
    {
        const std::vector<c> in{{"ssl", false, {}}, {"ssl_cert", false, {}}, {"service", true, {}}};
        CHECK_FALSE(dv::infer_version(in));
    }
    CHECK_FALSE(dv::infer_version({}));
}

TEST_CASE("did-you-mean suggestions for unknown setting names") {
    CHECK(dv::suggest_settings("ssl_cert_fiel", v("1.2")).front() == "ssl_cert_file");
    CHECK(dv::suggest_settings("ssl_cerr", v("2.3")).front() == "ssl_cert");
    CHECK(dv::suggest_settings("disable_plaintext_atuh", v("2.3")).front() ==
          "disable_plaintext_auth");
    CHECK(dv::suggest_settings("sll_min_protocol", v("2.3")).front() == "ssl_min_protocol");
    // the names valid at the target come first
    const auto k = dv::suggest_settings("ssl_cert_fil", v("2.4"));
    REQUIRE_FALSE(k.empty());
    CHECK(k.front() == "ssl_cert_file");
    CHECK(dv::suggest_settings("completely_unrelated_words", v("2.3")).empty());
    CHECK(dv::suggest_settings("ssl_cerr", v("2.3"), 0).empty());
    CHECK(dv::suggest_settings(std::string(5000, 'x'), v("2.3")).empty());

    // bounded cost: a query looks at a small share of the vocabulary
    std::vector<std::string_view> names(dv::setting_names().begin(), dv::setting_names().end());
    const mailtls::detail::name_suggester s(names);
    mailtls::detail::name_suggester::cost spent;
    (void)s.suggest("ssl_min_protocl", 2, 3, &spent);
    CHECK(spent.distance_computations < names.size() / 10);
}
