#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "model/postfix_knowledge.hpp"
#include "model/suggest.hpp"

namespace model = mailtls::model;
using mailtls::version;
using model::availability;

namespace {

version v(const char* text) {
    const auto parsed = version::parse(text);
    REQUIRE(parsed);
    return *parsed;
}

version level(const char* text) {
    const auto parsed = model::parse_compatibility_level(text);
    REQUIRE(parsed);
    return *parsed;
}

const model::parameter_info& param(const char* name) {
    const auto* info = model::find_parameter(name);
    INFO(name);
    REQUIRE(info != nullptr);
    return *info;
}

std::string default_at(const char* name, const char* target, const char* compat = "0") {
    const auto d = model::default_value(name, v(target), level(compat));
    return d ? std::string(*d) : std::string("<none>");
}

}  // namespace

TEST_CASE("the embedded parameter data loads and is indexed by name") {
    const auto all = model::all_parameters();
    CHECK(all.size() == 958);
    CHECK(std::is_sorted(all.begin(), all.end(),
                         [](const auto& a, const auto& b) { return a.name < b.name; }));
    CHECK(model::find_parameter("smtpd_tls_security_level") != nullptr);
    CHECK(model::find_parameter("SMTPD_TLS_SECURITY_LEVEL") == nullptr);
    CHECK(model::find_parameter("") == nullptr);
    CHECK(model::find_parameter("smtpd_tls_wrapermode") == nullptr);
}

TEST_CASE("releases: newest patch of each series, resolution and the default target") {
    CHECK(model::newest_patch(v("3.11")) == version{3, 11, 6});
    CHECK(model::newest_patch(v("3.10.2")) == version{3, 10, 13});
    CHECK_FALSE(model::newest_patch(v("1.1")));
    CHECK_FALSE(model::newest_patch(v("3.12")));
    CHECK(model::resolve(v("3.11")) == version{3, 11, 6});
    CHECK(model::resolve(v("3.7.2")) == version{3, 7, 2});
    CHECK(model::resolve(v("3.12")) == version{3, 12, 0});
    CHECK(model::default_target() == version{3, 11, -1});
    const auto series = model::releases();
    REQUIRE(series.size() == 24);
    CHECK(series.front().series == version{2, 0, -1});
    CHECK(series.back().series == version{3, 11, -1});
}

TEST_CASE("compatibility levels compare by number, component by component") {
    CHECK(level("3.10") > level("3.9"));
    CHECK(level("2") < level("3.6"));
    CHECK(level("1") == level("1.0"));
    CHECK(level("0") < level("1"));
    for (const char* bad : {"", "x", "3.", ".6", "3.6.1.1", "-1", "3,6"}) {
        INFO(bad);
        CHECK_FALSE(model::parse_compatibility_level(bad));
    }
    CHECK(model::default_compatibility_level() == level("0"));
}

TEST_CASE("availability of a parameter by target version") {
    struct row {
        const char* name;
        const char* target;
        availability expected;
    };
    const row rows[] = {
        {"smtpd_tls_security_level", "2.2", availability::not_yet},
        {"smtpd_tls_security_level", "2.2.12", availability::not_yet},
        {"smtpd_tls_security_level", "2.3.0", availability::available},
        {"smtpd_tls_security_level", "3.11", availability::available},
        {"smtpd_tls_chain_files", "3.3", availability::not_yet},
        {"smtpd_tls_chain_files", "3.4.0", availability::available},
        {"tls_ffdhe_auto_groups", "3.7", availability::not_yet},
        {"tls_ffdhe_auto_groups", "3.8", availability::available},
        {"smtpd_use_tls", "2.1", availability::not_yet},
        {"smtpd_use_tls", "3.8", availability::available},
        {"smtpd_use_tls", "3.9.0", availability::deprecated},
        {"virtual_maps", "3.10", availability::available},
        {"virtual_maps", "3.11", availability::deprecated},
        {"smtpd_tls_eecdh_grade", "3.5", availability::available},
        {"smtpd_tls_eecdh_grade", "3.6", availability::deprecated},
        {"smtp_skip_4xx_greeting", "2.0", availability::available},
        {"smtp_skip_4xx_greeting", "2.1", availability::removed},
        {"smtpd_sasl_application_name", "2.0", availability::not_yet},
        {"smtpd_sasl_application_name", "2.2", availability::available},
        {"smtpd_sasl_application_name", "2.3", availability::removed},
        {"smtpd_tls_cipherlist", "2.2", availability::available},
        {"smtpd_tls_cipherlist", "2.3", availability::deprecated},
        {"smtpd_tls_dcert_file", "3.11", availability::deprecated},  // obsolete, no release named
        // backports: X.Y.Z or later within each listed series, every release of later series
        {"tls_config_file", "3.4", availability::not_yet},
        {"tls_config_file", "3.5.19", availability::not_yet},
        {"tls_config_file", "3.5.20", availability::available},
        {"tls_config_file", "3.5", availability::available},  // the newest 3.5 patch
        {"tls_config_file", "3.8.0", availability::not_yet},
        {"tls_config_file", "3.8.1", availability::available},
        {"tls_config_file", "3.9.0", availability::available},
        {"tls_append_default_CA", "2.4.14", availability::not_yet},
        {"tls_append_default_CA", "2.4.15", availability::available},
        {"tls_append_default_CA", "2.7.1", availability::not_yet},
        {"tls_append_default_CA", "2.8.0", availability::available},
        // development-snapshot parameters are unknown to the newest stable release
        {"postscreen_tls_protocols", "3.11", availability::not_yet},
        {"tls_trust_server_ccerts", "3.11", availability::not_yet},
    };
    for (const auto& r : rows) {
        INFO(r.name << " at " << r.target);
        CHECK(model::availability_at(param(r.name), v(r.target)) == r.expected);
    }
    CHECK(model::is_known_at("smtpd_use_tls", v("3.11")));
    CHECK_FALSE(model::is_known_at("smtpd_tls_chain_files", v("3.3")));
    CHECK_FALSE(model::is_known_at("no_such_parameter", v("3.11")));
}

TEST_CASE("deprecated parameters name their replacement") {
    CHECK(param("smtpd_use_tls").replacement == "smtpd_tls_security_level");
    CHECK(param("smtpd_enforce_tls").replacement == "smtpd_tls_security_level");
    CHECK(param("smtp_use_tls").replacement == "smtp_tls_security_level");
    CHECK(param("smtp_tls_per_site").replacement == "smtp_tls_policy_maps");
    CHECK(param("lmtp_enforce_tls").replacement == "lmtp_tls_security_level");
    CHECK(param("virtual_maps").replacement == "virtual_alias_maps");
    CHECK(param("smtpd_sasl_application_name").replacement == "smtpd_sasl_path");
    CHECK(param("smtpd_tls_dh1024_param_file").replacement.empty());  // leave at default
    CHECK(param("smtpd_tls_dh1024_param_file").deprecated == version{3, 9, 0});
    CHECK(param("smtpd_tls_security_level").replacement.empty());
    CHECK_FALSE(param("smtpd_tls_security_level").deprecated);
}

TEST_CASE("TLS protocol defaults by release, including the 2015 backports and 3.6") {
    struct row {
        const char* name;
        const char* target;
        const char* expected;
    };
    const row rows[] = {
        {"smtpd_tls_mandatory_protocols", "2.3", "SSLv3, TLSv1"},
        {"smtpd_tls_mandatory_protocols", "2.6.14", "SSLv3, TLSv1"},
        {"smtpd_tls_mandatory_protocols", "2.6.15", "!SSLv2"},
        {"smtpd_tls_mandatory_protocols", "2.7.8", "SSLv3, TLSv1"},
        {"smtpd_tls_mandatory_protocols", "2.7.9", "!SSLv2"},
        {"smtpd_tls_mandatory_protocols", "2.8.9", "SSLv3, TLSv1"},
        {"smtpd_tls_mandatory_protocols", "2.8.10", "!SSLv2"},
        {"smtpd_tls_mandatory_protocols", "2.9.1", "SSLv3, TLSv1"},
        {"smtpd_tls_mandatory_protocols", "2.9.2", "!SSLv2"},
        {"smtpd_tls_mandatory_protocols", "2.9.13", "!SSLv2"},
        {"smtpd_tls_mandatory_protocols", "2.9.14", "!SSLv2, !SSLv3"},
        {"smtpd_tls_mandatory_protocols", "2.10.7", "!SSLv2"},
        {"smtpd_tls_mandatory_protocols", "2.10.8", "!SSLv2, !SSLv3"},
        {"smtpd_tls_mandatory_protocols", "2.11.5", "!SSLv2"},
        {"smtpd_tls_mandatory_protocols", "2.11.6", "!SSLv2, !SSLv3"},
        {"smtpd_tls_mandatory_protocols", "3.0.1", "!SSLv2"},
        {"smtpd_tls_mandatory_protocols", "3.0.2", "!SSLv2, !SSLv3"},
        {"smtpd_tls_mandatory_protocols", "3.5", "!SSLv2, !SSLv3"},
        {"smtpd_tls_mandatory_protocols", "3.6.0", ">=TLSv1"},
        {"smtpd_tls_mandatory_protocols", "3.11", ">=TLSv1"},
        {"smtpd_tls_protocols", "2.9.13", ""},
        {"smtpd_tls_protocols", "2.9.14", "!SSLv2, !SSLv3"},
        {"smtpd_tls_protocols", "3.6", ">=TLSv1"},
        {"smtp_tls_protocols", "2.6", "!SSLv2"},
        {"smtp_tls_protocols", "3.0.2", "!SSLv2, !SSLv3"},
        {"smtp_tls_mandatory_protocols", "2.5", "SSLv3, TLSv1"},
        {"smtp_tls_mandatory_protocols", "3.5", "!SSLv2, !SSLv3"},
        {"smtp_tls_mandatory_protocols", "3.6", ">=TLSv1"},
        {"smtpd_tls_ciphers", "2.10.7", "export"},
        {"smtpd_tls_ciphers", "2.10.8", "medium"},
        {"smtpd_tls_ciphers", "3.0.1", "export"},
        {"smtpd_tls_ciphers", "3.0.2", "medium"},
        {"smtpd_tls_eecdh_grade", "2.7", "none"},
        {"smtpd_tls_eecdh_grade", "2.8", "strong"},
        {"smtpd_tls_eecdh_grade", "3.5", "strong"},
        {"smtpd_tls_eecdh_grade", "3.6", "auto"},
        {"smtp_tls_security_level", "3.10", ""},
        {"smtpd_recipient_restrictions", "2.9", "permit_mynetworks, reject_unauth_destination"},
        {"smtpd_recipient_restrictions", "2.10", ""},
        {"milter_default_action", "3.10", "tempfail"},
        {"milter_default_action", "3.11", "shutdown"},
        {"tls_high_cipherlist", "3.0", "ALL:!EXPORT:!LOW:!MEDIUM:+RC4:@STRENGTH"},
        {"tls_high_cipherlist", "3.3", "HIGH:@STRENGTH"},
        {"tls_high_cipherlist", "3.7", "aNULL:-aNULL:HIGH:@STRENGTH"},
    };
    for (const auto& r : rows) {
        INFO(r.name << " at " << r.target);
        CHECK(default_at(r.name, r.target, "3.11") == r.expected);
    }
}

TEST_CASE("defaults that follow compatibility_level") {
    struct row {
        const char* name;
        const char* target;
        const char* compat;
        const char* expected;
    };
    const char* relay = "permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination";
    const row rows[] = {
        {"smtp_tls_security_level", "3.11", "3.10", ""},
        {"smtp_tls_security_level", "3.11", "3.11", "may"},
        {"smtp_tls_security_level", "3.10", "3.11", ""},
        {"smtpd_relay_restrictions", "3.11", "0", ""},
        {"smtpd_relay_restrictions", "3.11", "1", relay},
        {"smtpd_relay_restrictions", "3.3", "0", ""},
        {"smtpd_relay_restrictions", "3.2", "0", relay},
        {"smtpd_relay_restrictions", "2.10", "0", relay},
        {"append_dot_mydomain", "2.11", "3.6", "yes"},
        {"append_dot_mydomain", "3.0", "0", "yes"},
        {"append_dot_mydomain", "3.0", "1", "no"},
        {"smtputf8_enable", "3.7", "0", "no"},
        {"smtputf8_enable", "3.7", "1", "yes"},
        {"mynetworks_style", "2.11", "2", "subnet"},
        {"mynetworks_style", "3.7", "1", "subnet"},
        {"mynetworks_style", "3.7", "2", "host"},
        {"relay_domains", "3.7", "1", "$mydestination"},
        {"relay_domains", "3.7", "2", ""},
        {"smtpd_tls_fingerprint_digest", "3.5", "3.6", "md5"},
        {"smtpd_tls_fingerprint_digest", "3.6", "3.5", "md5"},
        {"smtpd_tls_fingerprint_digest", "3.6", "3.6", "sha256"},
        {"smtpd_tls_fingerprint_digest", "3.11", "3.10", "sha256"},  // "3.10" > "3.6"
        {"respectful_logging", "3.6", "2", "no"},
        {"respectful_logging", "3.6", "3.6", "yes"},
        {"compatibility_level", "3.11", "0", "0"},
        {"smtpd_tls_security_level", "3.11", "0", ""},
        {"smtpd_tls_wrappermode", "3.11", "0", "no"},
        {"smtpd_tls_key_file", "3.11", "0", "$smtpd_tls_cert_file"},
        {"myhostname", "3.11", "0", "<none>"},  // depends on the host
        {"no_such_parameter", "3.11", "0", "<none>"},
    };
    for (const auto& r : rows) {
        INFO(r.name << " at " << r.target << " level " << r.compat);
        CHECK(default_at(r.name, r.target, r.compat) == r.expected);
    }
    CHECK_FALSE(param("myhostname").default_known);
}

TEST_CASE("master.cf field defaults follow version and compatibility_level") {
    const auto chroot = [](const char* target, const char* compat) {
        const auto d = model::master_field_default("chroot", v(target), level(compat));
        return d ? std::string(*d) : std::string("<none>");
    };
    CHECK(chroot("2.11", "2") == "y");
    CHECK(chroot("3.0", "0") == "y");
    CHECK(chroot("3.0", "1") == "n");
    CHECK(chroot("3.11", "3.6") == "n");
    CHECK(model::master_field_default("process_limit", v("3.11"), level("0")) == "$default_process_limit");
    CHECK_FALSE(model::master_field_default("command", v("3.11"), level("0")));
}

TEST_CASE("types of the TLS and SASL parameters") {
    using t = model::value_type;
    CHECK(param("smtpd_tls_wrappermode").type == t::boolean);
    CHECK(param("smtpd_tls_security_level").type == t::enumeration);
    CHECK(param("smtpd_tls_security_level").empty_allowed);
    CHECK(param("smtpd_tls_protocols").type == t::protocol_list);
    CHECK(param("smtp_tls_mandatory_protocols").type == t::protocol_list);
    CHECK(param("smtpd_tls_mandatory_ciphers").type == t::cipher_grade);
    CHECK(param("smtpd_tls_loglevel").type == t::integer);
    CHECK(param("smtpd_tls_session_cache_timeout").type == t::time);
    CHECK(param("smtpd_tls_session_cache_timeout").time_unit == 's');
    CHECK(param("message_size_limit").type == t::size);
    CHECK(param("smtp_tls_policy_maps").type == t::lookup_tables);
    CHECK(param("smtpd_relay_restrictions").type == t::restrictions);
    CHECK(param("smtpd_sasl_security_options").type == t::set);
    CHECK(param("compatibility_level").type == t::compatibility_level);
    CHECK(param("tlsproxy_tls_protocols").type == t::protocol_list);  // via $smtpd_tls_protocols
}

TEST_CASE("validators accept each type's values and reject the rest") {
    struct row {
        const char* name;
        const char* value;
        bool ok;
        const char* target = nullptr;
    };
    const row rows[] = {
        {"smtpd_tls_wrappermode", "yes", true},
        {"smtpd_tls_wrappermode", "No", true},
        {"smtpd_tls_wrappermode", "YES", true},
        {"smtpd_tls_wrappermode", "true", false},  // mail_conf_bool.c: yes or no only
        {"smtpd_tls_wrappermode", "1", false},
        {"smtpd_tls_wrappermode", "", false},
        {"smtpd_tls_loglevel", "0", true},
        {"smtpd_tls_loglevel", "4", true},
        {"smtpd_tls_loglevel", "-1", false},
        {"smtpd_tls_loglevel", "1x", false},
        {"smtpd_tls_loglevel", "999999999", true},
        {"smtpd_tls_loglevel", "9999999999", false},
        {"smtpd_tls_loglevel", "", false},
        {"message_size_limit", "10240000", true},
        {"message_size_limit", "10M", false},
        {"smtpd_tls_session_cache_timeout", "3600s", true},
        {"smtpd_tls_session_cache_timeout", "3600", true},
        {"smtpd_tls_session_cache_timeout", "1h", true},
        {"smtpd_tls_session_cache_timeout", "2w", true},
        {"smtpd_tls_session_cache_timeout", "1H", false},
        {"smtpd_tls_session_cache_timeout", "1y", false},
        {"smtpd_tls_session_cache_timeout", "s", false},
        {"smtpd_tls_session_cache_timeout", "1.5h", false},
        {"smtpd_tls_security_level", "may", true},
        {"smtpd_tls_security_level", "ENCRYPT", true},
        {"smtpd_tls_security_level", "", true},
        {"smtpd_tls_security_level", "bogus", false},
        {"smtpd_tls_security_level", "may # comment", false},
        {"smtp_tls_security_level", "dane", false, "2.10"},
        {"smtp_tls_security_level", "dane", true, "2.11"},
        {"smtp_tls_security_level", "fingerprint", false, "2.4"},
        {"smtp_tls_security_level", "fingerprint", true, "2.5"},
        {"mynetworks_style", "host", true},
        {"mynetworks_style", "", false},
        {"smtpd_tls_ciphers", "medium", true},
        {"smtpd_tls_ciphers", "High", true},
        {"smtpd_tls_ciphers", "export", true},
        {"smtpd_tls_ciphers", "strong", false},
        {"smtpd_tls_ciphers", "", false},
        {"smtpd_tls_protocols", "!SSLv2, !SSLv3", true},
        {"smtpd_tls_protocols", "", true},
        {"smtpd_tls_protocols", ">=TLSv1.2", true, "3.6"},
        {"smtpd_tls_protocols", ">=TLSv1.2", false, "3.5"},
        {"smtpd_tls_protocols", "!SSLv2:!SSLv3:!TLSv1", true, "3.5"},
        {"smtpd_tls_protocols", "!TLSv1.3", false, "3.3.1"},
        {"smtpd_tls_protocols", "!TLSv1.3", true, "3.3.2"},
        {"smtpd_tls_protocols", "TLSv1.4", false},
        {"smtpd_tls_protocols", ">=0x0303", true},
        {"smtpd_tls_protocols", ">=0x03", false},
        {"smtpd_tls_protocols", "> =TLSv1.2", false},
        {"smtpd_sasl_security_options", "noanonymous, noplaintext", true},
        {"smtpd_sasl_security_options", "noanonymous noanon", false},
        {"smtpd_sasl_security_options", "", true},
        {"smtp_tls_policy_maps", "hash:/etc/postfix/tls_policy", true},
        {"smtp_tls_policy_maps", "hash:/etc/a, proxy:mysql:/etc/b", true},
        {"smtp_tls_policy_maps", "hahs:/etc/postfix/tls_policy", false},
        {"smtp_tls_policy_maps", "/etc/postfix/tls_policy", false},
        {"smtp_tls_policy_maps", "lmdb:/etc/x", false, "2.10"},
        {"smtp_tls_policy_maps", "lmdb:/etc/x", true, "2.11"},
        {"smtp_tls_policy_maps", "inline:{ a.example = encrypt, b.example = may }", true, "3.0"},
        {"compatibility_level", "3.6", true},
        {"compatibility_level", "three", false},
        {"smtpd_banner", "$myhostname ESMTP", true},
        {"smtpd_tls_security_level", "$my_level", true},  // not expanded: not judged
    };
    for (const auto& r : rows) {
        INFO(r.name << " = '" << r.value << "'" << (r.target ? " at " : "") << (r.target ? r.target : ""));
        const auto target = r.target ? std::optional<version>(v(r.target)) : std::nullopt;
        const auto error = model::validate(param(r.name), r.value, target);
        if (error) {
            INFO("error: " << error->message);
            CHECK_FALSE(r.ok);
        } else {
            CHECK(r.ok);
        }
    }
}

TEST_CASE("validation errors point at the offending text") {
    const std::string_view value = "!SSLv2, TLSv1.4, TLSv1.2";
    const auto e = model::validate(param("smtpd_tls_protocols"), value);
    REQUIRE(e);
    CHECK(value.substr(e->offset, e->length) == "TLSv1.4");
    CHECK(e->message.starts_with("'TLSv1.4' is not a TLS protocol"));

    const std::string_view maps = "hash:/etc/a hahs:/etc/b";
    const auto m = model::validate(param("transport_maps"), maps);
    REQUIRE(m);
    CHECK(maps.substr(m->offset, m->length) == "hahs");
    CHECK(m->message == "'hahs' is not a lookup table type");

    const auto b = model::validate(param("smtpd_tls_wrappermode"), "on");
    REQUIRE(b);
    CHECK(b->message == "'on' is not a boolean ('yes' or 'no')");
}

TEST_CASE("protocol lists: what they enable and which syntax they use") {
    using model::tls_protocol;
    const auto names = [](model::protocol_set s) {
        std::string out;
        for (std::size_t i = 0; i < model::k_tls_protocol_count; ++i) {
            if (s.contains(static_cast<tls_protocol>(i))) {
                out += (out.empty() ? "" : " ") + std::string(model::to_string(static_cast<tls_protocol>(i)));
            }
        }
        return out;
    };
    struct row {
        const char* list;
        const char* enabled;
        bool include;
        bool exclude;
        bool bounds;
    };
    const row rows[] = {
        {"", "SSLv2 SSLv3 TLSv1 TLSv1.1 TLSv1.2 TLSv1.3", false, false, false},
        {"!SSLv2, !SSLv3", "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3", false, true, false},
        {"!SSLv2:!SSLv3:!TLSv1:!TLSv1.1", "TLSv1.2 TLSv1.3", false, true, false},
        {"TLSv1.2", "TLSv1.2", true, false, false},
        {"TLSv1 TLSv1.1, TLSv1.2", "TLSv1 TLSv1.1 TLSv1.2", true, false, false},
        {"SSLv3, TLSv1", "SSLv3 TLSv1", true, false, false},
        {">=TLSv1", "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3", false, false, true},
        {">=TLSv1.2", "TLSv1.2 TLSv1.3", false, false, true},
        {">=tlsv1.2 <=TLSv1.2", "TLSv1.2", false, false, true},
        {">=0x0303", "TLSv1.2 TLSv1.3", false, false, true},
        {">=TLSv1 !TLSv1.1", "TLSv1 TLSv1.2 TLSv1.3", false, true, true},
    };
    for (const auto& r : rows) {
        INFO(r.list);
        const auto a = model::analyze_protocol_list(r.list);
        CHECK_FALSE(a.error);
        CHECK(names(a.enabled) == r.enabled);
        CHECK(a.has_include == r.include);
        CHECK(a.has_exclude == r.exclude);
        CHECK(a.has_bounds == r.bounds);
    }
    CHECK(model::analyze_protocol_list(">=0x0303").has_hex_bound);
    CHECK_FALSE(model::analyze_protocol_list(">=TLSv1.2").has_hex_bound);
    CHECK(model::analyze_protocol_list("!TLSv1.3").mentions_tlsv1_3);
    CHECK_FALSE(model::analyze_protocol_list("!TLSv1.2").mentions_tlsv1_3);
    CHECK(model::analyze_protocol_list("SSLv4").error);
    CHECK(model::analyze_protocol_list("!").error);
    CHECK(model::analyze_protocol_list(">=").error);
}

TEST_CASE("lists split on commas and whitespace and keep { } groups whole") {
    const auto items = model::split_list("a, b\tc ,{ x y, z } d{e f}");
    REQUIRE(items.size() == 5);
    CHECK(items[0].text == "a");
    CHECK(items[2].text == "c");
    CHECK(items[3].text == "{ x y, z }");
    CHECK(items[3].offset == 8);
    CHECK(items[4].text == "d{e f}");
    CHECK(model::split_list("  ,, ").empty());
    CHECK(model::split_list("{ unclosed a b").size() == 1);
}

TEST_CASE("service-defined parameter names follow master.cf services and their programs") {
    const model::master_service services[] = {
        {"smtp", "smtpd"},  // the inet listener
        {"smtp", "smtp"},   // the unix client
        {"relay", "smtp"},
        {"submission", "smtpd"},
        {"uucp", "pipe"},
        {"my_lda", "pipe"},
        {"custom", ""},  // program not known
    };
    struct row {
        const char* name;
        const char* service;  // nullptr: not a service-defined name
        const char* suffix = nullptr;
    };
    const row rows[] = {
        {"relay_destination_concurrency_limit", "relay", "destination_concurrency_limit"},
        {"relay_destination_recipient_limit", "relay", "destination_recipient_limit"},
        {"relay_recipient_limit", "relay", "recipient_limit"},
        {"relay_initial_destination_concurrency", "relay", "initial_destination_concurrency"},
        {"uucp_time_limit", "uucp", "time_limit"},
        {"my_lda_destination_rate_delay", "my_lda", "destination_rate_delay"},
        {"custom_time_limit", "custom", "time_limit"},
        {"relay_time_limit", nullptr},  // only pipe and spawn get _time_limit
        {"submission_destination_concurrency_limit", nullptr},  // smtpd is no delivery agent
        {"submission_client_restrictions", nullptr},  // user-defined, valid only when referenced
        {"other_destination_concurrency_limit", nullptr},
        {"relay_destination_concurrency", nullptr},
        {"_destination_concurrency_limit", nullptr},
        {"destination_concurrency_limit", nullptr},
    };
    for (const auto& r : rows) {
        INFO(r.name);
        const auto m = model::match_service_parameter(r.name, services);
        if (r.service == nullptr) {
            CHECK_FALSE(m);
        } else {
            REQUIRE(m);
            CHECK(m->service == r.service);
            CHECK(m->suffix == r.suffix);
            CHECK(model::find_parameter(m->default_parameter) != nullptr);
        }
    }
    // _transport_rate_delay exists from 3.1 (default_transport_rate_delay)
    CHECK_FALSE(model::match_service_parameter("relay_transport_rate_delay", services, v("3.0")));
    CHECK(model::match_service_parameter("relay_transport_rate_delay", services, v("3.1")));
    CHECK_FALSE(model::match_service_parameter("relay_destination_rate_delay", {}, std::nullopt));
}

TEST_CASE("syntax features and lookup table types by release") {
    CHECK_FALSE(model::feature_available("protocol_bounds", v("3.5")));
    CHECK(model::feature_available("protocol_bounds", v("3.6.0")));
    CHECK_FALSE(model::feature_available("master_cf_braces", v("2.11")));
    CHECK(model::feature_available("master_cf_braces", v("3.0")));
    CHECK_FALSE(model::feature_available("protocol_tlsv1_3", v("3.2.6")));
    CHECK(model::feature_available("protocol_tlsv1_3", v("3.2.7")));
    CHECK_FALSE(model::feature_available("protocol_tlsv1_3", v("3.3.1")));
    CHECK(model::feature_available("protocol_tlsv1_3", v("3.4.0")));
    CHECK_FALSE(model::feature_available("master_type_unix_dgram", v("3.3")));
    CHECK_THROWS_AS(model::feature_introduced("no_such_feature"), std::out_of_range);
    REQUIRE(model::find_table_type("lmdb") != nullptr);
    CHECK(model::find_table_type("lmdb")->first() == version{2, 11, 0});
    REQUIRE(model::find_table_type("hash") != nullptr);
    CHECK(model::find_table_type("hash")->always());
    CHECK(model::find_table_type("hahs") == nullptr);
}

TEST_CASE("bounded edit distance: optimal string alignment with a cutoff") {
    using mailtls::detail::bounded_edit_distance;
    CHECK(bounded_edit_distance("abc", "abc", 2) == 0);
    CHECK(bounded_edit_distance("abc", "acb", 2) == 1);  // transposition
    CHECK(bounded_edit_distance("abc", "ab", 2) == 1);
    CHECK(bounded_edit_distance("abc", "xbc", 2) == 1);
    CHECK(bounded_edit_distance("abcd", "badc", 2) == 2);
    CHECK(bounded_edit_distance("abc", "", 2) == 3);  // beyond the cutoff: cutoff + 1
    CHECK(bounded_edit_distance("kitten", "sitting", 2) == 3);
    CHECK(bounded_edit_distance("kitten", "sitting", 3) == 3);
    CHECK(bounded_edit_distance("", "", 2) == 0);
    CHECK(bounded_edit_distance("smtpd_tls_wrapermode", "smtpd_tls_wrappermode", 2) == 1);
}

TEST_CASE("did-you-mean suggestions for unknown parameter names") {
    const auto target = v("3.11");
    const auto s = model::suggest_parameters("smtpd_tls_wrapermode", target);
    REQUIRE_FALSE(s.empty());
    CHECK(s.front() == "smtpd_tls_wrappermode");
    CHECK(model::suggest_parameters("smtpd_tsl_security_level", target).front() ==
          "smtpd_tls_security_level");
    CHECK(model::suggest_parameters("smtp_tls_securitylevel", target).front() ==
          "smtp_tls_security_level");
    CHECK(model::suggest_parameters("completely_unrelated_name", target).empty());
    CHECK(model::suggest_parameters("", target).empty());
    CHECK(model::suggest_parameters(std::string(500, 'a'), target).empty());
    // Only names the target knows.
    CHECK(model::suggest_parameters("smtpd_tls_chain_file", v("3.4")).front() == "smtpd_tls_chain_files");
    CHECK(model::suggest_parameters("smtpd_tls_chain_file", v("3.3")).empty());
    CHECK(model::suggest_parameters("smtpd_tls_security_level", target).size() <= 3);
}

TEST_CASE("a suggestion query costs a bounded amount of work") {
    std::vector<std::string_view> names;
    for (const auto& p : model::all_parameters()) {
        names.push_back(p.name);
    }
    const mailtls::detail::name_suggester suggester(names);
    auto sorted = names;
    std::sort(sorted.begin(), sorted.end());
    std::mt19937 random(12345);  // fixed seed: the same typos every run
    std::size_t worst_computations = 0;
    std::size_t worst_checks = 0;
    std::size_t found = 0;
    constexpr std::size_t k_queries = 3000;
    for (std::size_t q = 0; q < k_queries; ++q) {
        const auto original = names[random() % names.size()];
        std::string typo(original);
        const auto at = random() % typo.size();
        switch (random() % 3) {
            case 0: typo.erase(at, 1); break;
            case 1: typo[at] = static_cast<char>('a' + random() % 26); break;
            default: typo.insert(at, 1, static_cast<char>('a' + random() % 26)); break;
        }
        if (typo == original) {
            typo += "x";  // a substitution by the same letter: make it a real typo
        }
        mailtls::detail::name_suggester::cost cost;
        const auto matches = suggester.suggest(typo, 2, 3, &cost);
        const bool is_name = std::binary_search(sorted.begin(), sorted.end(), std::string_view(typo));
        found += is_name || !matches.empty() ? 1 : 0;
        worst_computations = std::max(worst_computations, cost.distance_computations);
        worst_checks = std::max(worst_checks, cost.histogram_checks);
    }
    INFO("worst distance computations " << worst_computations << ", histogram checks " << worst_checks);
    CHECK(found == k_queries);  // at most two edits away from a name: always found
    // The histogram filter leaves a handful of names for the edit distance, and only names of
    // nearby lengths are looked at.
    CHECK(worst_computations <= 16);
    CHECK(worst_checks < names.size() / 2);
}

// Reads ../shared/research/postfix-params.tsv: run by the ctest entry postfix_knowledge_shared,
// which reports "skipped" when ../shared is missing.
TEST_CASE("the data covers every parameter of the shared research list", "[.shared]") {
    const auto path = std::filesystem::path(MAILTLS_SOURCE_DIR) / ".." / "shared" / "research" /
                      "postfix-params.tsv";
    std::ifstream in(path);
    REQUIRE(in);
    std::string line;
    std::getline(in, line);  // header
    REQUIRE(line.starts_with("name\tintroduced"));
    std::size_t rows = 0;
    while (std::getline(in, line)) {
        if (line.empty()) {
            continue;
        }
        ++rows;
        const auto tab = line.find('\t');
        const auto name = line.substr(0, tab);
        const auto rest = line.substr(tab + 1);
        const auto introduced = rest.substr(0, rest.find('\t'));
        INFO(name);
        const auto* info = model::find_parameter(name);
        REQUIRE(info != nullptr);
        if (!introduced.empty()) {
            // The research's first release statement is one of the releases we say it came in.
            const auto want = v(introduced.c_str());
            const auto& from = info->introduced.from;
            CHECK(std::find(from.begin(), from.end(), model::resolve(version{want.major, want.minor,
                                                                             std::max(want.patch, 0)})) !=
                  from.end());
        }
    }
    CHECK(rows == 958);
    CHECK(model::all_parameters().size() == rows);
}
