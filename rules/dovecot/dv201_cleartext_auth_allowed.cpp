#include "mailtls/rule.hpp"
#include "model/dovecot_model.hpp"

namespace mailtls {

namespace {

class cleartext_auth_allowed final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV201",
            .name = "cleartext-auth-allowed",
            .dialect = dialect::dovecot,
            .default_severity = severity::warning,
            .summary = "Passwords may be sent without TLS",
            .rationale =
                "'disable_plaintext_auth = yes' (1.x-2.3) and 'auth_allow_cleartext = no' "
                "(2.4) are the defaults: PLAIN and LOGIN are refused until the connection uses "
                "TLS. Turning that off lets a client send its password in the clear before "
                "STARTTLS, where anyone on the path reads it; with TLS off altogether every "
                "login is exposed. The Dovecot SSL documentation calls 'ssl = yes' with "
                "'auth_allow_cleartext = yes' insecure (docs@main:docs/core/config/ssl.md; "
                "dovecot.md section 4).",
            .fix_hint = "remove the setting ('disable_plaintext_auth = yes' on 1.x-2.3, "
                        "'auth_allow_cleartext = no' on 2.4 are the defaults), or set "
                        "'ssl = required'",
            .versions = "all ('disable_plaintext_auth' 1.0-2.3, 'auth_allow_cleartext' 2.4)",
            .bad_example = {{"dovecot.conf", "disable_plaintext_auth = no\n"}},
            .good_example = {{"dovecot.conf", "disable_plaintext_auth = yes\n"}},
            .references = {"https://doc.dovecot.org/main/core/config/ssl.html",
                           "https://doc.dovecot.org/2.3/settings/core/"
                           "#core_setting-disable_plaintext_auth"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot_model == nullptr) {
            return;
        }
        const auto& model = *context.dovecot_model;
        for (const std::string_view name : {"disable_plaintext_auth", "auth_allow_cleartext"}) {
            if (!model.accepts(name)) {
                continue;  // DV003 reports the name itself
            }
            const bool inverted = name == "disable_plaintext_auth";
            const auto effective = model.global(name);
            for (const auto* o : model.occurrences(name)) {
                if (!o->scope->filtered && !o->scope->scoped && o != effective.set_by) {
                    continue;  // overridden by a later line
                }
                if (model::dovecot_true(o->value()) == inverted) {
                    continue;
                }
                // `ssl = required` refuses every login without TLS whatever this says
                const auto ssl = o->scope->protocol().empty() ? model.ssl_setting()
                                                     : model.in_protocol(o->scope->protocol(), "ssl");
                if (ssl.name == "ssl" && ssl.value == "required") {
                    continue;
                }
                const bool tls_off = !model.tls_enabled();
                auto d = make_diagnostic(
                    *o->file()->source, o->setting->range(),
                    model::written(*o) +
                        (tls_off ? " with TLS off: every password crosses the network in the "
                                   "clear"
                                 : " lets clients send passwords in the clear before STARTTLS"));
                if (tls_off) {
                    d.level = severity::error;
                    if (const auto* s = model.ssl_setting().set_by) {
                        d.notes.push_back({"TLS is turned off here", s->key_place()});
                    }
                }
                d.hint = inverted ? "remove it ('disable_plaintext_auth = yes' is the default) "
                                    "or set 'ssl = required'"
                                  : "remove it ('auth_allow_cleartext = no' is the default) or "
                                    "set 'ssl = required'";
                out.report(std::move(d));
            }
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv201_cleartext_auth_allowed, mailtls::cleartext_auth_allowed)
