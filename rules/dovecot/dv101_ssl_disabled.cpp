#include "mailtls/rule.hpp"
#include "model/dovecot_knowledge.hpp"
#include "model/dovecot_model.hpp"

namespace mailtls {

namespace {

class ssl_disabled final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV101",
            .name = "ssl-disabled",
            .dialect = dialect::dovecot,
            .default_severity = severity::warning,
            .summary = "TLS is turned off",
            .rationale =
                "With 'ssl = no' (1.2 and later) or 'ssl_disable = yes' (1.0 and 1.1) Dovecot "
                "offers neither STARTTLS nor implicit TLS: every IMAP, POP3 and submission "
                "session, passwords included, crosses the network in the clear, and the "
                "listeners with 'ssl = yes' (993, 995) are silently not opened "
                "(core@2.3.21:src/master/service.c; core@1.2.rc1:src/master/listener.c). RFC "
                "8314 asks mail access to use TLS; the Dovecot SSL documentation recommends "
                "'ssl = required'.",
            .fix_hint = "set 'ssl = required' (or 'ssl = yes') with a certificate; on 1.0 and "
                        "1.1 set 'ssl_disable = no'",
            .versions = "all ('ssl_disable' on 1.0-1.1, 'ssl' from 1.2)",
            .bad_example = {{"dovecot.conf", "protocols = imap\nssl = no\n"}},
            .good_example = {{"dovecot.conf",
                              "protocols = imap\nssl = required\n"
                              "ssl_cert = </etc/ssl/certs/mail.pem\n"
                              "ssl_key = </etc/ssl/private/mail.key\n"}},
            .references = {"https://doc.dovecot.org/2.3/configuration_manual/"
                           "dovecot_ssl_configuration/",
                           "https://doc.dovecot.org/main/core/config/ssl.html", "RFC 8314"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot_model == nullptr) {
            return;
        }
        const auto& model = *context.dovecot_model;
        // The global line that decides, and every filter that turns TLS off for some
        // connections (`local 10.0.0.1 { ssl = no }`).
        for (const std::string_view name : {"ssl", "ssl_disable"}) {
            if (!model.accepts(name)) {
                continue;
            }
            const auto effective = model.global(name);
            const bool inverted = name == "ssl_disable";
            for (const auto* o : model.occurrences(name)) {
                if (!o->scope->filtered && !o->scope->scoped && o != effective.set_by) {
                    continue;  // overridden by a later line (DV004)
                }
                const bool off = inverted ? model::dovecot_true(o->value()) : o->value() == "no";
                if (!off) {
                    continue;
                }
                std::string message = model::written(*o) + " turns TLS off";
                message += o->scope->filtered || o->scope->scoped
                               ? " for the connections this section matches"
                               : ": IMAP and POP3 sessions and their passwords travel "
                                 "unencrypted";
                auto d = make_diagnostic(*o->file()->source, o->setting->range(), message);
                // 1.0/1.1 know only 'ssl_disable'; 2.0-2.3 convert it to 'ssl': name that
                if (inverted && model::dovecot::setting_at("ssl_disable", model.target())) {
                    d.hint = "set 'ssl_disable = no' with " + model.certificate_example();
                } else {
                    d.hint = inverted ? "replace it with 'ssl = required' (or 'ssl = yes') and "
                                        "set " + model.certificate_example()
                                      : "set 'ssl = required' (or 'ssl = yes') with " +
                                            model.certificate_example();
                }
                out.report(std::move(d));
            }
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv101_ssl_disabled, mailtls::ssl_disabled)
