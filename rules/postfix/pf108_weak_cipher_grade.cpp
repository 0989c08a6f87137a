#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace {

class weak_cipher_grade final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF108",
            .name = "weak-cipher-grade",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "A TLS cipher grade of 'export', 'low' or 'null'",
            .rationale =
                "postconf(5) calls the 'export' and 'low' grades obsolete and advises "
                "against them. 'export' admits the 40- and 56-bit export ciphers (FREAK, Logjam) "
                "and 'low' single-DES ones; from Postfix 3.8 'low' is the same as 'medium', so "
                "there it only misleads. 'null' admits only the NULL ciphers, which "
                "authenticate but do not encrypt: mail crosses the network in the clear. The "
                "default has been 'medium' since the 2015 releases (before: 'export' for "
                "opportunistic TLS).",
            .fix_hint = "use 'medium' (the default), or remove the setting",
            .versions = "all; 'low' equals 'medium' from 3.8",
            .bad_example = {{"main.cf", "smtpd_tls_ciphers = export\n"}},
            .good_example = {{"main.cf", "smtpd_tls_ciphers = medium\n"}},
            .references = {"https://www.postfix.org/postconf.5.html#smtpd_tls_ciphers",
                           "https://www.postfix.org/postconf.5.html#smtpd_tls_mandatory_ciphers",
                           "RFC 7525 section 4"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix_model == nullptr) {
            return;
        }
        const auto& model = *context.postfix_model;
        const bool low_is_medium = model.target() >= version{3, 8, 0};
        for (const auto& site : detail::parameter_sites(context)) {
            const auto* info = site.info;
            if (info == nullptr || info->type != model::value_type::cipher_grade ||
                !site.name().ends_with("_ciphers") || !detail::in_effect(site, model)) {
                continue;
            }
            const auto s = detail::setting_at(site, model);
            const auto grade = model::trim_blanks(s.value);
            std::string what;
            if (detail::iequals(grade, "export")) {
                what = "admits the export ciphers, whose 40- and 56-bit keys are broken";
            } else if (detail::iequals(grade, "low")) {
                what = low_is_medium
                           ? "names an obsolete grade that Postfix 3.8 and later treats as "
                             "'medium': the setting only misleads"
                           : "admits low-grade ciphers such as single DES, which are broken";
            } else if (detail::iequals(grade, "null")) {
                what = "admits only the NULL ciphers, which do not encrypt: mail crosses the "
                       "network in the clear";
            } else {
                continue;
            }
            out.report(make_diagnostic(*site.file, site.range(),
                                       "'" + std::string(site.name()) + " = " + s.value + "' " +
                                           site.place() + " " + what));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf108_weak_cipher_grade, mailtls::weak_cipher_grade)
