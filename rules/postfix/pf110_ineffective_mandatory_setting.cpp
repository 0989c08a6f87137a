#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

/// The settings smtpd reads only where TLS is required (smtpd.c picks the mandatory protocols,
/// ciphers and exclusions when it enforces TLS; postfix.md §3.1).
constexpr std::string_view k_mandatory[] = {"smtpd_tls_mandatory_protocols",
                                            "smtpd_tls_mandatory_ciphers",
                                            "smtpd_tls_mandatory_exclude_ciphers"};

bool enforces(model::tls_mode mode) noexcept {
    return mode == model::tls_mode::required || mode == model::tls_mode::implicit;
}

class ineffective_mandatory_setting final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF110",
            .name = "ineffective-mandatory-setting",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "A mandatory TLS setting where no service requires TLS",
            .rationale =
                "smtpd uses 'smtpd_tls_mandatory_protocols', 'smtpd_tls_mandatory_ciphers' "
                "and 'smtpd_tls_mandatory_exclude_ciphers' only where TLS is required "
                "('smtpd_tls_security_level = encrypt' or wrapper mode); with opportunistic "
                "TLS it uses 'smtpd_tls_protocols' and 'smtpd_tls_ciphers' (postconf(5), "
                "smtpd.c). A mandatory setting where no service requires TLS changes nothing, "
                "and the administrator who wrote it usually meant to restrict the protocols "
                "or ciphers in use.",
            .fix_hint = "set the opportunistic parameter ('smtpd_tls_protocols', "
                        "'smtpd_tls_ciphers') if that was the intent, or apply the mandatory "
                        "one on the service that requires TLS",
            .versions = "all",
            .bad_example = {{"main.cf", "smtpd_tls_security_level = may\n"
                                        "smtpd_tls_mandatory_protocols = >=TLSv1.2\n"}},
            .good_example = {{"main.cf", "smtpd_tls_security_level = may\n"
                                         "smtpd_tls_mandatory_protocols = >=TLSv1.2\n"},
                             {"master.cf", "smtp inet n - y - - smtpd\n"
                                           "submission inet n - y - - smtpd\n"
                                           "  -o smtpd_tls_security_level=encrypt\n"}},
            .references = {"https://www.postfix.org/postconf.5.html#smtpd_tls_mandatory_protocols",
                           "https://www.postfix.org/postconf.5.html#smtpd_tls_mandatory_ciphers",
                           "https://www.postfix.org/TLS_README.html#server_cipher"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        // Without main.cf its values are unknown, not the defaults: judge nothing.
        if (context.postfix_model == nullptr || !context.postfix->main_cf) {
            return;
        }
        const auto& model = *context.postfix_model;
        const auto services = model.smtpd_services();
        std::vector<model::tls_mode> modes;
        modes.reserve(services.size());
        for (const auto& service : services) {
            modes.push_back(model.tls_in_effect(service));
        }
        for (const auto name : k_mandatory) {
            // main.cf: in use where a service that requires TLS does not override it.
            if (const auto* param = model.main_parameter(name)) {
                bool used = false;
                bool any_enforcing = false;
                for (std::size_t i = 0; i < services.size() && !used; ++i) {
                    if (enforces(modes[i])) {
                        any_enforcing = true;
                        used = model.in_service(services[i], name).origin ==
                               model::value_origin::main_cf;
                    }
                }
                if (!used) {
                    const auto& source = *context.postfix->main_cf->source;
                    auto d = make_diagnostic(
                        source, param->range,
                        "'" + std::string(name) + " = " + std::string(param->value) + "' in main.cf has no "
                        "effect: smtpd uses it only where TLS is required, and " +
                            (any_enforcing ? "every service that requires TLS overrides it"
                                           : "no smtpd service requires TLS"));
                    if (const auto assumed = model.assumption_note()) {
                        d.notes.push_back(*assumed);
                    }
                    out.report(std::move(d));
                }
            }
            // master.cf: an `-o` on a service that does not require TLS.
            for (std::size_t i = 0; i < services.size(); ++i) {
                const auto& service = services[i];
                if (service.entry == nullptr || enforces(modes[i])) {
                    continue;
                }
                if (const auto* o = service.entry->find_override(name)) {
                    const auto s = model.of_override(*service.entry, *o);
                    const auto cause = model.tls_cause(service);
                    auto d = make_diagnostic(
                        *s.where.file, s.where.range,
                        "'" + std::string(name) + " = " + s.value + "' by '-o' in master.cf "
                        "has no effect on the " +
                            std::string(model::to_string(service.role)) + " service '" +
                            service.label + "': smtpd uses it only where TLS is required, and "
                            "TLS is " + std::string(model::to_string(modes[i])) + " there");
                    if (cause.where.file != nullptr && cause.origin == model::value_origin::main_cf) {
                        d.notes.push_back({"'" + std::string(cause.name) + " = " + cause.value +
                                               "' in main.cf " +
                                               (modes[i] == model::tls_mode::off
                                                    ? "leaves TLS off there"
                                                    : "makes TLS opportunistic there"),
                                           cause.where});
                    }
                    out.report(std::move(d));
                }
            }
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf110_ineffective_mandatory_setting, mailtls::ineffective_mandatory_setting)
