#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class sasl_on_mx final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF203",
            .name = "sasl-on-mx",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "SASL authentication is offered on the port-25 MX",
            .rationale =
                "Other mail servers never authenticate when they deliver to your MX on port "
                "25; users submit on 587 or 465 (RFC 6409, RFC 8314). Offering AUTH on port 25 "
                "only gives password-guessing bots a target, and a stolen password can relay "
                "through the MX. The stock master.cf enables SASL per service, with '-o "
                "smtpd_sasl_auth_enable=yes' on submission and submissions, and leaves it off "
                "in main.cf.",
            .fix_hint = "remove 'smtpd_sasl_auth_enable = yes' from main.cf (or the MX's -o) "
                        "and add '-o smtpd_sasl_auth_enable=yes' to the submission and "
                        "submissions services",
            .versions = "all",
            .bad_example = {{"main.cf", "smtpd_sasl_auth_enable = yes\n"}},
            .good_example = {{"master.cf", "smtp inet n - y - - smtpd\n"
                                           "submission inet n - y - - smtpd\n"
                                           "  -o smtpd_tls_security_level=encrypt\n"
                                           "  -o smtpd_sasl_auth_enable=yes\n"}},
            .references = {"https://www.postfix.org/SASL_README.html#server_sasl_enable",
                           "RFC 6409", "RFC 8314 section 3"},
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
            if (service.role != model::service_role::mx || !model.sasl_enabled(service)) {
                continue;
            }
            const auto sasl = model.in_service(service, "smtpd_sasl_auth_enable");
            problems.push_back(
                {&service, sasl.where,
                 "'smtpd_sasl_auth_enable = " + sasl.value + "' " + detail::origin_phrase(sasl) +
                     " offers SASL authentication on the port-25 MX, where no mail server "
                     "authenticates: it only gives password-guessing bots a target",
                 {}});
        }
        detail::report_service_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf203_sasl_on_mx, mailtls::sasl_on_mx)
