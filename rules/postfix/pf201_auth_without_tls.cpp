#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class auth_without_tls final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF201",
            .name = "auth-without-tls",
            .dialect = dialect::postfix,
            .default_severity = severity::error,
            .summary = "SASL authentication is offered on a service without TLS",
            .rationale =
                "With 'smtpd_sasl_auth_enable = yes' and no TLS in effect on a service, "
                "clients send their user names and passwords (PLAIN and LOGIN are the common "
                "mechanisms) over an unencrypted connection, readable by anyone on the path. "
                "Postfix's SASL_README and TLS_README pair SASL with TLS and "
                "'smtpd_tls_auth_only = yes'; RFC 8314 asks for TLS on submission.",
            .fix_hint = "enable TLS on the service ('-o smtpd_tls_security_level=encrypt' on "
                        "submission, or '-o smtpd_tls_wrappermode=yes' on port 465) or disable "
                        "SASL there",
            .versions = "all",
            .bad_example = {{"main.cf", "smtpd_sasl_auth_enable = yes\n"
                                        "smtpd_tls_security_level = none\n"}},
            .good_example = {{"main.cf", "smtpd_sasl_auth_enable = yes\n"
                                         "smtpd_tls_security_level = may\n"
                                         "smtpd_tls_auth_only = yes\n"
                                         "smtpd_tls_cert_file = /etc/ssl/mail.pem\n"}},
            .references = {"https://www.postfix.org/SASL_README.html",
                           "https://www.postfix.org/TLS_README.html", "RFC 8314 section 3"},
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
                model.tls_in_effect(service) != model::tls_mode::off) {
                continue;
            }
            const auto tls = model.tls_cause(service);
            if (!context.postfix->main_cf && tls.origin != model::value_origin::master_cf) {
                continue;  // without main.cf, TLS may well be on there
            }
            const auto sasl = model.in_service(service, "smtpd_sasl_auth_enable");
            std::vector<note> notes;
            if (auto n = detail::setting_note(tls, "leaves TLS off here")) {
                notes.push_back(std::move(*n));
            }
            problems.push_back(
                {&service, sasl.where,
                 "'smtpd_sasl_auth_enable = " + sasl.value + "' " + detail::origin_phrase(sasl) +
                     " offers SASL authentication where no TLS is in effect: passwords travel "
                     "in cleartext",
                 std::move(notes)});
        }
        detail::report_service_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf201_auth_without_tls, mailtls::auth_without_tls)
