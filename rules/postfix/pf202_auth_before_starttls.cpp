#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class auth_before_starttls final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF202",
            .name = "auth-before-starttls",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "SASL AUTH is allowed before STARTTLS",
            .rationale =
                "With opportunistic TLS ('smtpd_tls_security_level = may') smtpd offers AUTH "
                "before the client has issued STARTTLS unless 'smtpd_tls_auth_only = yes'. A "
                "client that does not insist on TLS, or an attacker who strips STARTTLS from "
                "the EHLO reply, then sends the password in cleartext. postconf(5) "
                "(smtpd_tls_auth_only) and TLS_README recommend 'smtpd_tls_auth_only = yes'.",
            .fix_hint = "set 'smtpd_tls_auth_only = yes' (in main.cf, or with -o on the "
                        "service), or require TLS there with 'smtpd_tls_security_level=encrypt'",
            .versions = "all",
            .bad_example = {{"main.cf", "smtpd_sasl_auth_enable = yes\n"
                                        "smtpd_tls_security_level = may\n"
                                        "smtpd_tls_cert_file = /etc/ssl/mail.pem\n"}},
            .good_example = {{"main.cf", "smtpd_sasl_auth_enable = yes\n"
                                         "smtpd_tls_security_level = may\n"
                                         "smtpd_tls_auth_only = yes\n"
                                         "smtpd_tls_cert_file = /etc/ssl/mail.pem\n"}},
            .references = {"https://www.postfix.org/postconf.5.html#smtpd_tls_auth_only",
                           "https://www.postfix.org/TLS_README.html#server_tls_auth"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix_model == nullptr) {
            return;
        }
        const auto& model = *context.postfix_model;
        std::vector<detail::service_problem> problems;
        for (const auto& service : model.smtpd_services()) {
            if (!model.sasl_enabled(service) ||
                model.tls_in_effect(service) != model::tls_mode::opportunistic) {
                continue;
            }
            const auto auth_only = model.in_service(service, "smtpd_tls_auth_only");
            if (model::is_yes(auth_only.value)) {
                continue;
            }
            const auto tls = model.tls_cause(service);
            if (!context.postfix->main_cf && (tls.origin != model::value_origin::master_cf ||
                                              auth_only.origin != model::value_origin::master_cf)) {
                continue;  // without main.cf, main.cf may well set smtpd_tls_auth_only
            }
            const auto sasl = model.in_service(service, "smtpd_sasl_auth_enable");
            // Point at the line that says 'no' when there is one, else at what enabled SASL.
            const auto& cause = auth_only.where.file != nullptr ? auth_only : sasl;
            std::vector<note> notes;
            if (auto n = detail::setting_note(tls, "makes TLS only opportunistic")) {
                notes.push_back(std::move(*n));
            }
            problems.push_back(
                {&service, cause.where,
                 "SASL authentication is offered before STARTTLS: TLS is only opportunistic "
                 "and 'smtpd_tls_auth_only' is not 'yes', so clients may send passwords in "
                 "cleartext",
                 std::move(notes)});
        }
        detail::report_service_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf202_auth_before_starttls, mailtls::auth_before_starttls)
