#include <algorithm>

#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

/// What a client sees when smtpd has TLS on but no certificate (postfix.md §3.1: STARTTLS
/// gets a 454 reply; wrapper mode drops the connection).
std::string_view consequence(model::tls_mode mode) noexcept {
    switch (mode) {
        case model::tls_mode::implicit:
            return "the TLS handshake fails and every client is disconnected";
        case model::tls_mode::required:
            return "STARTTLS is answered '454 TLS not available' and, as TLS is required, no "
                   "mail is accepted";
        case model::tls_mode::opportunistic:
        case model::tls_mode::off: break;
    }
    return "STARTTLS is answered '454 TLS not available' and mail arrives in plaintext";
}

class tls_without_certificate final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF105",
            .name = "tls-without-certificate",
            .dialect = dialect::postfix,
            .default_severity = severity::error,
            .summary = "Server TLS is in effect but no certificate is configured",
            .rationale =
                "smtpd needs a certificate and its key to offer TLS: 'smtpd_tls_chain_files' "
                "(Postfix 3.4 and later) or the legacy 'smtpd_tls_cert_file' / "
                "'smtpd_tls_eccert_file' / 'smtpd_tls_dcert_file'. With TLS enabled and all of "
                "them empty, smtpd logs that no server certificate is available and answers "
                "STARTTLS with 454; in wrapper mode the handshake fails (smtpd.c, postconf(5) "
                "smtpd_tls_cert_file). 'smtpd_tls_cert_file = none' runs TLS without a "
                "certificate on purpose: only anonymous cipher suites remain, which TLS 1.3 "
                "does not have and which no client that verifies the server accepts.",
            .fix_hint = "set 'smtpd_tls_chain_files = /etc/ssl/private/mail.key, "
                        "/etc/ssl/certs/mail.pem' (Postfix 3.4 and later; the key comes first) or "
                        "'smtpd_tls_cert_file' and 'smtpd_tls_key_file'",
            .versions = "all; 'smtpd_tls_chain_files' counts from 3.4",
            .bad_example = {{"main.cf", "smtpd_tls_security_level = may\n"}},
            .good_example = {{"main.cf", "smtpd_tls_security_level = may\n"
                                         "smtpd_tls_chain_files =\n"
                                         "    /etc/ssl/private/mail.key,\n"
                                         "    /etc/ssl/certs/mail.pem\n"}},
            .references = {"https://www.postfix.org/postconf.5.html#smtpd_tls_cert_file",
                           "https://www.postfix.org/postconf.5.html#smtpd_tls_chain_files",
                           "https://www.postfix.org/TLS_README.html#server_cert_key"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        // Without main.cf its values are unknown, not the defaults: judge nothing.
        if (context.postfix_model == nullptr || !context.postfix->main_cf) {
            return;
        }
        const auto& model = *context.postfix_model;
        const bool chain_known = model::is_known_at("smtpd_tls_chain_files", model.target());
        std::vector<detail::service_problem> problems;
        for (const auto& service : model.smtpd_services()) {
            const auto mode = model.tls_in_effect(service);
            if (mode == model::tls_mode::off) {
                continue;
            }
            const auto cert = model.in_service(service, "smtpd_tls_cert_file");
            std::vector<model::setting> others{model.in_service(service, "smtpd_tls_eccert_file"),
                                               model.in_service(service, "smtpd_tls_dcert_file")};
            if (chain_known) {
                others.push_back(model.in_service(service, "smtpd_tls_chain_files"));
            }
            const auto empty = [](const model::setting& s) {
                return model::trim_blanks(s.value).empty();
            };
            if (!std::all_of(others.begin(), others.end(), empty)) {
                continue;
            }
            const auto cert_value = model::trim_blanks(cert.value);
            if (cert_value == "none") {
                problems.push_back(
                    {&service, cert.where,
                     "'smtpd_tls_cert_file = none' " + detail::origin_phrase(cert) +
                         " runs TLS without a server certificate: only anonymous cipher "
                         "suites remain, which TLS 1.3 does not have and which clients that "
                         "verify the server refuse",
                     {}});
                continue;
            }
            if (!cert_value.empty()) {
                continue;
            }
            const auto cause = model.tls_cause(service);
            std::vector<note> notes;
            others.push_back(cert);
            for (const auto& s : others) {
                if (s.origin != model::value_origin::built_in) {
                    notes.push_back({"'" + std::string(s.name) + "' is set empty " +
                                         detail::origin_phrase(s) + " here",
                                     s.where});
                }
            }
            problems.push_back(
                {&service, cause.where,
                 "'" + std::string(cause.name) + " = " + cause.value + "' " +
                     detail::origin_phrase(cause) +
                     " turns on TLS but no server certificate is set ('smtpd_tls_cert_file', "
                     "'smtpd_tls_eccert_file'" +
                     (chain_known ? ", 'smtpd_tls_chain_files'" : "") + " are empty): " +
                     std::string(consequence(mode)),
                 std::move(notes)});
        }
        detail::report_service_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf105_tls_without_certificate, mailtls::tls_without_certificate)
