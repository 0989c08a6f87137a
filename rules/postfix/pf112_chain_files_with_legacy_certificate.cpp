#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

/// The per-algorithm certificate and key parameters that smtpd_tls_chain_files replaces.
constexpr std::string_view k_legacy[] = {
    "smtpd_tls_cert_file",   "smtpd_tls_key_file",  "smtpd_tls_eccert_file",
    "smtpd_tls_eckey_file",  "smtpd_tls_dcert_file", "smtpd_tls_dkey_file"};

class chain_files_with_legacy_certificate final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF112",
            .name = "chain-files-with-legacy-certificate",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "'smtpd_tls_chain_files' is set together with the legacy certificate "
                       "parameters",
            .rationale =
                "From Postfix 3.4, 'smtpd_tls_chain_files' lists the keys and certificate "
                "chains smtpd uses. When it is not empty, smtpd ignores "
                "'smtpd_tls_cert_file', 'smtpd_tls_eccert_file', 'smtpd_tls_dcert_file' and "
                "their key files, and logs a warning that the legacy parameters will be "
                "ignored (postconf(5), postfix.md §3.1). A certificate renewed in the legacy "
                "parameters is then never served.",
            .fix_hint = "keep only 'smtpd_tls_chain_files' (each key before its certificate "
                        "chain) and remove the legacy '*_cert_file' and '*_key_file' settings",
            .versions = ">= 3.4",
            .bad_example = {{"main.cf", "smtpd_tls_security_level = may\n"
                                        "smtpd_tls_chain_files = /etc/ssl/private/mail.pem\n"
                                        "smtpd_tls_cert_file = /etc/ssl/certs/old.pem\n"
                                        "smtpd_tls_key_file = /etc/ssl/private/old.key\n"}},
            .good_example = {{"main.cf", "smtpd_tls_security_level = may\n"
                                         "smtpd_tls_chain_files = /etc/ssl/private/mail.pem\n"}},
            .references = {"https://www.postfix.org/postconf.5.html#smtpd_tls_chain_files",
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
        if (!model::is_known_at("smtpd_tls_chain_files", model.target())) {
            return;  // before 3.4 the chain files are an unknown parameter (PF006)
        }
        std::vector<detail::service_problem> problems;
        for (const auto& service : model.smtpd_services()) {
            if (model.tls_in_effect(service) == model::tls_mode::off) {
                continue;  // smtpd loads no certificate at all
            }
            const auto chain = model.in_service(service, "smtpd_tls_chain_files");
            if (model::trim_blanks(chain.value).empty()) {
                continue;
            }
            std::vector<std::string> names;
            std::vector<note> notes;
            for (const auto name : k_legacy) {
                const auto s = model.in_service(service, name);
                if (s.origin == model::value_origin::built_in ||
                    model::trim_blanks(s.value).empty()) {
                    continue;
                }
                names.push_back("'" + std::string(name) + "'");
                notes.push_back({"'" + std::string(name) + " = " + s.value + "' " +
                                     detail::origin_phrase(s) + " is ignored",
                                 s.where});
            }
            if (names.empty()) {
                continue;
            }
            problems.push_back(
                {&service, chain.where,
                 "'smtpd_tls_chain_files' " + detail::origin_phrase(chain) +
                     " makes smtpd ignore the legacy " + detail::join_words(names) +
                     ": only the chain files are served",
                 std::move(notes)});
        }
        detail::report_service_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf112_chain_files_with_legacy_certificate,
                      mailtls::chain_files_with_legacy_certificate)
