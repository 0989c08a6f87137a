#include <utility>
#include <vector>

#include "mailtls/rule.hpp"
#include "model/dovecot_knowledge.hpp"
#include "model/dovecot_model.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace {

class plaintext_mechanism_without_tls final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV202",
            .name = "plaintext-mechanism-without-tls",
            .dialect = dialect::dovecot,
            .default_severity = severity::error,
            .summary = "PLAIN or LOGIN offered while TLS is off",
            .rationale =
                "PLAIN and LOGIN send the password itself, only base64-encoded. With TLS off "
                "('ssl = no', 1.0/1.1 'ssl_disable = yes') there is no encrypted channel to "
                "send it in: when cleartext authentication is allowed every password can be "
                "read on the path, and when it is not (the default) no client can log in with "
                "these mechanisms at all (1.2 warns 'There is no way to login to this "
                "server'; 2.x says nothing, dovecot.md section 2.2).",
            .fix_hint = "enable TLS ('ssl = required' with a certificate); keep 'plain login' in "
                        "'auth_mechanisms' (1.x: 'mechanisms' in 'auth default')",
            .versions = "all",
            .bad_example = {{"dovecot.conf", "ssl = no\nauth_mechanisms = plain login\n"}},
            .good_example = {{"dovecot.conf", "ssl = required\n"
                                              "ssl_cert = </etc/ssl/certs/mail.pem\n"
                                              "ssl_key = </etc/ssl/private/mail.key\n"
                                              "auth_mechanisms = plain login\n"}},
            .references = {"RFC 4616 section 6", "https://doc.dovecot.org/main/core/config/ssl.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot_model == nullptr || context.dovecot_model->tls_enabled()) {
            return;
        }
        const auto& model = *context.dovecot_model;
        const bool cleartext_allowed = allowed(model);
        const auto* ssl = model.ssl_setting().set_by;
        // 2.x `auth_mechanisms`; 1.x `mechanisms` in `auth default { }` (or `auth_mechanisms`);
        // 2.4 also the boollist block `auth_mechanisms { login = yes }`, whose keys are the
        // mechanisms
        std::vector<std::pair<const model::dovecot_occurrence*, std::string_view>> offered;
        for (const std::string_view name : {"auth_mechanisms", "auth/mechanisms"}) {
            for (const auto* o : model.occurrences(name)) {
                for (const auto word : model::dovecot_words(o->value())) {
                    offered.emplace_back(o, word);
                }
            }
        }
        for (const auto& o : model.all_occurrences()) {
            if (o.scope->section_type() == "auth_mechanisms" && model::dovecot_true(o.value())) {
                offered.emplace_back(&o, o.written_key());
            }
        }
        for (const auto& [o, word] : offered) {
            if (!detail::iequals(word, "plain") && !detail::iequals(word, "login")) {
                continue;
            }
            const bool block = o->scope->section_type() == "auth_mechanisms";
            const auto place = block ? o->key_place() : model::word_place(*o, word);
            auto d = make_diagnostic(
                *place.file, place.range,
                "'" + std::string(word) + "' in '" +
                    (block ? std::string("auth_mechanisms") : std::string(o->written_key())) +
                    "' sends the password itself while TLS is off: " +
                    (cleartext_allowed ? "anyone on the path reads it"
                                       : "cleartext authentication is refused, so no client "
                                         "can use it"));
            if (!cleartext_allowed) {
                d.level = severity::warning;
            }
            if (ssl != nullptr) {
                d.notes.push_back({"TLS is turned off here", ssl->key_place()});
            }
            d.hint = "enable TLS: 'ssl = required' with " + model.certificate_example();
            if (ssl != nullptr && ssl->name() == "ssl_disable" &&
                model::dovecot::setting_at("ssl_disable", model.target()) != nullptr) {
                d.hint = "enable TLS: 'ssl_disable = no' with " + model.certificate_example();
            }
            out.report(std::move(d));
        }
    }

private:
    static bool allowed(const model::dovecot_model& model) {
        if (model.accepts("auth_allow_cleartext")) {
            return model::dovecot_true(model.global("auth_allow_cleartext").value);
        }
        const auto v = model.global("disable_plaintext_auth");
        return v.is_set && !model::dovecot_true(v.value);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv202_plaintext_mechanism_without_tls,
                      mailtls::plaintext_mechanism_without_tls)
