#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace {

class verify_without_trust_anchors final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF114",
            .name = "verify-without-trust-anchors",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "Outbound certificate verification without trust anchors",
            .rationale =
                "The 'verify' and 'secure' levels of 'smtp_tls_security_level' accept a server "
                "only when its certificate chains to a trusted CA. The SMTP client loads CA "
                "certificates from 'smtp_tls_CAfile' and 'smtp_tls_CApath'; when both are "
                "empty it loads none (tls_certkey.c calls OpenSSL's default verify paths only "
                "when one of them is set, postfix.md §3.2), so no certificate verifies and "
                "mail to every destination is deferred.",
            .fix_hint = "set 'smtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt' (or "
                        "'smtp_tls_CApath = /etc/ssl/certs')",
            .versions = "all",
            .bad_example = {{"main.cf", "relayhost = [smtp.example.net]:587\n"
                                        "smtp_tls_security_level = secure\n"}},
            .good_example = {{"main.cf", "relayhost = [smtp.example.net]:587\n"
                                         "smtp_tls_security_level = secure\n"
                                         "smtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt\n"}},
            .references = {"https://www.postfix.org/postconf.5.html#smtp_tls_CAfile",
                           "https://www.postfix.org/TLS_README.html#client_tls_secure"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        // Without main.cf its values are unknown, not the defaults: judge nothing.
        if (context.postfix_model == nullptr || !context.postfix->main_cf) {
            return;
        }
        const auto& model = *context.postfix_model;
        std::vector<detail::client_problem> problems;
        for (const auto* entry : detail::smtp_client_contexts(model)) {
            const auto tls = model.client_tls_in_effect(entry);
            if (!detail::iequals(tls.level, "verify") && !detail::iequals(tls.level, "secure")) {
                continue;
            }
            const auto ca_file = detail::client_setting(model, entry, "smtp_tls_CAfile");
            const auto ca_path = detail::client_setting(model, entry, "smtp_tls_CApath");
            if (!model::trim_blanks(ca_file.value).empty() ||
                !model::trim_blanks(ca_path.value).empty()) {
                continue;
            }
            std::vector<note> notes;
            for (const auto* s : {&ca_file, &ca_path}) {
                if (s->origin != model::value_origin::built_in) {
                    notes.push_back({"'" + std::string(s->name) + "' is set empty " +
                                         detail::origin_phrase(*s) + " here",
                                     s->where});
                }
            }
            problems.push_back(
                {entry, tls.cause.where,
                 "'smtp_tls_security_level = " + tls.level + "' " +
                     detail::origin_phrase(tls.cause) +
                     " verifies server certificates, but neither 'smtp_tls_CAfile' nor "
                     "'smtp_tls_CApath' is set: no CA is trusted, so no certificate verifies "
                     "and outbound mail is deferred",
                 std::move(notes)});
        }
        detail::report_client_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf114_verify_without_trust_anchors, mailtls::verify_without_trust_anchors)
