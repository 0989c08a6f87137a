#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class submission_tls_not_required final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF109",
            .name = "submission-tls-not-required",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "The submission service authenticates users without requiring TLS",
            .rationale =
                "Port 587 carries users' passwords and mail. RFC 8314 asks that mail "
                "submission use TLS, and the stock master.cf's 'submission' entry sets '-o "
                "smtpd_tls_security_level=encrypt' next to '-o smtpd_sasl_auth_enable=yes'. "
                "With opportunistic TLS ('may') a client that does not ask for STARTTLS, or "
                "an attacker who strips it from the EHLO reply, keeps the session in "
                "plaintext; with no TLS at all every session is.",
            .fix_hint = "add '-o smtpd_tls_security_level=encrypt' to the submission service "
                        "in master.cf",
            .versions = "all",
            .bad_example = {{"main.cf", "smtpd_tls_security_level = may\n"
                                        "smtpd_tls_chain_files = /etc/ssl/private/mail.pem\n"},
                            {"master.cf", "smtp inet n - y - - smtpd\n"
                                          "submission inet n - y - - smtpd\n"
                                          "  -o smtpd_sasl_auth_enable=yes\n"}},
            .good_example = {{"main.cf", "smtpd_tls_security_level = may\n"
                                         "smtpd_tls_chain_files = /etc/ssl/private/mail.pem\n"},
                             {"master.cf", "smtp inet n - y - - smtpd\n"
                                           "submission inet n - y - - smtpd\n"
                                           "  -o smtpd_tls_security_level=encrypt\n"
                                           "  -o smtpd_sasl_auth_enable=yes\n"}},
            .references = {"RFC 8314 section 3", "RFC 6409",
                           "https://www.postfix.org/TLS_README.html#server_enable",
                           "https://www.postfix.org/postconf.5.html#smtpd_tls_security_level"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        // Without main.cf its values are unknown, not the defaults: judge nothing.
        if (context.postfix_model == nullptr || !context.postfix->main_cf) {
            return;
        }
        const auto& model = *context.postfix_model;
        std::vector<detail::service_problem> problems;
        for (const auto& service : model.smtpd_services()) {
            if (service.role != model::service_role::submission || !model.sasl_enabled(service)) {
                continue;
            }
            const auto mode = model.tls_in_effect(service);
            if (mode == model::tls_mode::required || mode == model::tls_mode::implicit) {
                continue;
            }
            const auto cause = model.tls_cause(service);
            const auto sasl = model.in_service(service, "smtpd_sasl_auth_enable");
            std::vector<note> notes;
            if (auto n = detail::setting_note(sasl, "enables SASL here")) {
                notes.push_back(std::move(*n));
            }
            const auto what =
                mode == model::tls_mode::off ? "leaves TLS off" : "makes TLS only opportunistic";
            const auto written = model::trim_blanks(cause.value).empty()
                                     ? "'" + std::string(cause.name) + "', empty " +
                                           detail::origin_phrase(cause) + ","
                                     : "'" + std::string(cause.name) + " = " + cause.value +
                                           "' " + detail::origin_phrase(cause);
            // with smtpd_tls_auth_only, passwords wait for STARTTLS, but the mail itself and
            // the client's choice to skip TLS remain
            const bool auth_only = model::is_yes(model.in_service(service, "smtpd_tls_auth_only").value);
            problems.push_back(
                {&service, cause.where,
                 written + " " + what +
                     " on the submission service, which offers SASL authentication: " +
                     (auth_only && mode == model::tls_mode::opportunistic
                          ? std::string("clients may submit mail without TLS (RFC 8314 asks "
                                        "for TLS there)")
                          : std::string("passwords can cross the network in plaintext")),
                 std::move(notes)});
        }
        detail::report_service_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf109_submission_tls_not_required, mailtls::submission_tls_not_required)
