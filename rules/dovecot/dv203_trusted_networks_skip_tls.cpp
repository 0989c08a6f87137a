#include "mailtls/rule.hpp"
#include "model/dovecot_model.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace {

/// 127.0.0.0/8, ::1 and localhost: connections from there never leave the machine.
bool loopback(std::string_view network) {
    return network.starts_with("127.") || network == "::1" || network == "::1/128" ||
           network == "[::1]" || network == "[::1]/128" || detail::iequals(network, "localhost");
}

class trusted_networks_skip_tls final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV203",
            .name = "trusted-networks-skip-tls",
            .dialect = dialect::dovecot,
            .default_severity = severity::info,
            .summary = "'ssl = required' does not cover 'login_trusted_networks' before 2.4",
            .rationale =
                "Up to 2.3 a client in 'login_trusted_networks' counts as secured, so "
                "'ssl = required' lets it authenticate, cleartext passwords included, without "
                "TLS (core@2.3.21:src/login-common/client-common.c). 2.4 changed this: with "
                "'ssl = required' those clients must use TLS too (NEWS v2.4.0; dovecot.md "
                "section 2.2). Usually the trusted networks are proxies, but the traffic from "
                "them is unencrypted and the behaviour changes on upgrade.",
            .fix_hint = "make sure the trusted networks carry no passwords in the clear (a "
                        "proxy on the same host, or TLS to Dovecot), and plan for 2.4 requiring "
                        "TLS from them",
            .versions = "1.2-2.3",
            .bad_example = {{"dovecot.conf", "ssl = required\n"
                                             "login_trusted_networks = 10.0.0.0/8\n"}},
            .good_example = {{"dovecot.conf", "ssl = required\n"
                                              "login_trusted_networks = 127.0.0.1/32 ::1\n"}},
            .references = {"https://doc.dovecot.org/2.3/settings/core/"
                           "#core_setting-login_trusted_networks",
                           "https://doc.dovecot.org/main/core/config/ssl.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot_model == nullptr) {
            return;
        }
        const auto& model = *context.dovecot_model;
        if ((model.target().major == 2 && model.target().minor >= 4) || model.target().major > 2 || model.ssl_mode() != model::dovecot_ssl_mode::required ||
            !model.accepts("login_trusted_networks")) {
            return;
        }
        const auto trusted = model.global("login_trusted_networks");
        if (trusted.set_by == nullptr) {
            return;
        }
        for (const auto word : model::dovecot_words(trusted.value)) {
            if (loopback(word)) {
                continue;
            }
            const auto place = model::word_place(*trusted.set_by, word);
            auto d = make_diagnostic(
                *place.file, place.range,
                "clients from '" + std::string(word) + "' in 'login_trusted_networks' may "
                "authenticate without TLS although 'ssl = required' (Dovecot 2.4 no longer "
                "allows this)");
            if (const auto* ssl = model.ssl_setting().set_by) {
                d.notes.push_back({"TLS is required here", ssl->key_place()});
            }
            d.hint = "make sure the traffic from '" + std::string(word) +
                     "' never carries passwords in the clear";
            out.report(std::move(d));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv203_trusted_networks_skip_tls, mailtls::trusted_networks_skip_tls)
