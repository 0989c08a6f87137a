#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class implicit_tls_without_wrappermode final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF103",
            .name = "implicit-tls-without-wrappermode",
            .dialect = dialect::postfix,
            .default_severity = severity::error,
            .summary = "A port-465 service does not use implicit TLS",
            .rationale =
                "Port 465 (submissions, RFC 8314) expects the TLS handshake as soon as the "
                "connection opens. Without 'smtpd_tls_wrappermode=yes' smtpd greets in "
                "plaintext instead, and every mail client configured for SSL/TLS on 465 fails "
                "its handshake. The stock master.cf 'submissions' (before 3.7: 'smtps') entry "
                "sets '-o smtpd_tls_wrappermode=yes'.",
            .fix_hint = "add '-o smtpd_tls_wrappermode=yes' to this service in master.cf",
            .versions = "all",
            .bad_example = {{"master.cf", "submissions inet n - y - - smtpd\n"
                                          "  -o smtpd_sasl_auth_enable=yes\n"}},
            .good_example = {{"master.cf", "submissions inet n - y - - smtpd\n"
                                           "  -o smtpd_tls_wrappermode=yes\n"
                                           "  -o smtpd_sasl_auth_enable=yes\n"}},
            .references = {"RFC 8314 section 3.3",
                           "https://www.postfix.org/postconf.5.html#smtpd_tls_wrappermode",
                           "https://www.postfix.org/TLS_README.html#server_tls_wrapper"},
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
            if (service.role != model::service_role::implicit_tls ||
                model.tls_in_effect(service) == model::tls_mode::implicit) {
                continue;
            }
            const auto wrapper = model.in_service(service, "smtpd_tls_wrappermode");
            std::vector<note> notes;
            if (wrapper.where.file != nullptr) {
                notes.push_back({"'smtpd_tls_wrappermode = " + wrapper.value + "' is set " +
                                     detail::origin_phrase(wrapper) + " here",
                                 wrapper.where});
            }
            problems.push_back({&service, service.where,
                                "the implicit-TLS service '" + service.label +
                                    "' does not set 'smtpd_tls_wrappermode=yes': clients that "
                                    "start with a TLS handshake fail against its plaintext "
                                    "greeting",
                                std::move(notes)});
        }
        detail::report_service_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf103_implicit_tls_without_wrappermode, mailtls::implicit_tls_without_wrappermode)
