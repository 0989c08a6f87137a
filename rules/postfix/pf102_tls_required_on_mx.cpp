#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class tls_required_on_mx final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF102",
            .name = "tls-required-on-mx",
            .dialect = dialect::postfix,
            .default_severity = severity::error,
            .summary = "TLS is required on the port-25 MX",
            .rationale =
                "RFC 3207 section 4: a publicly-referenced SMTP server must not require "
                "STARTTLS to deliver mail locally. Many servers that send mail to you still "
                "cannot do TLS, or fail the handshake; with 'smtpd_tls_security_level = "
                "encrypt' (or 'smtpd_enforce_tls = yes') on the MX, smtpd answers them "
                "'530 Must issue a STARTTLS command first' and their mail bounces. Postfix's "
                "TLS_README says the same: use 'encrypt' only on submission.",
            .fix_hint = "use 'smtpd_tls_security_level = may' for the MX, and require TLS with "
                        "'-o smtpd_tls_security_level=encrypt' on the submission service only",
            .versions = "all",
            .bad_example = {{"main.cf", "smtpd_tls_security_level = encrypt\n"
                                        "smtpd_tls_cert_file = /etc/ssl/mail.pem\n"}},
            .good_example = {{"main.cf", "smtpd_tls_security_level = may\n"},
                             {"master.cf", "smtp inet n - y - - smtpd\n"
                                           "submission inet n - y - - smtpd\n"
                                           "  -o smtpd_tls_security_level=encrypt\n"}},
            .references = {"RFC 3207 section 4",
                           "https://www.postfix.org/TLS_README.html#server_enable",
                           "https://www.postfix.org/postconf.5.html#smtpd_tls_security_level"},
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
            if (service.role != model::service_role::mx ||
                model.tls_in_effect(service) != model::tls_mode::required) {
                continue;
            }
            auto cause = model.in_service(service, "smtpd_tls_security_level");
            if (cause.value.empty()) {
                cause = model.in_service(service, "smtpd_enforce_tls");
            }
            problems.push_back(
                {&service, cause.where,
                 "'" + std::string(cause.name) + " = " + cause.value + "' " +
                     detail::origin_phrase(cause) +
                     " makes the port-25 MX refuse mail from servers that do not use STARTTLS",
                 {}});
        }
        detail::report_service_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf102_tls_required_on_mx, mailtls::tls_required_on_mx)
