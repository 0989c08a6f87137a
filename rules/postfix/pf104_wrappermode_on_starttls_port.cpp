#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class wrappermode_on_starttls_port final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF104",
            .name = "wrappermode-on-starttls-port",
            .dialect = dialect::postfix,
            .default_severity = severity::error,
            .summary = "Implicit TLS on the port-25 or port-587 service",
            .rationale =
                "Ports 25 (SMTP, RFC 5321) and 587 (submission, RFC 6409) start in plaintext "
                "and upgrade with STARTTLS (RFC 3207). With 'smtpd_tls_wrappermode=yes' smtpd "
                "waits for a TLS handshake instead: other mail servers (on 25) and mail clients "
                "set up for STARTTLS (on 587) cannot connect.",
            .fix_hint = "remove 'smtpd_tls_wrappermode' from this service; use it only on the "
                        "port-465 (submissions) service",
            .versions = "all",
            .bad_example = {{"master.cf", "submission inet n - y - - smtpd\n"
                                          "  -o smtpd_tls_wrappermode=yes\n"}},
            .good_example = {{"master.cf", "submission inet n - y - - smtpd\n"
                                           "  -o smtpd_tls_security_level=encrypt\n"
                                           "submissions inet n - y - - smtpd\n"
                                           "  -o smtpd_tls_wrappermode=yes\n"}},
            .references = {"RFC 3207", "RFC 6409", "RFC 8314 section 3.3",
                           "https://www.postfix.org/postconf.5.html#smtpd_tls_wrappermode"},
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
            const bool starttls_port = service.role == model::service_role::mx ||
                                       service.role == model::service_role::submission;
            if (!starttls_port || model.tls_in_effect(service) != model::tls_mode::implicit) {
                continue;
            }
            const auto wrapper = model.in_service(service, "smtpd_tls_wrappermode");
            problems.push_back(
                {&service, wrapper.where,
                 "'smtpd_tls_wrappermode = " + wrapper.value + "' " +
                     detail::origin_phrase(wrapper) +
                     " makes smtpd expect implicit TLS on a port where clients speak plaintext "
                     "and STARTTLS (25 or 587): they cannot deliver or submit mail there",
                 {}});
        }
        detail::report_service_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf104_wrappermode_on_starttls_port, mailtls::wrappermode_on_starttls_port)
