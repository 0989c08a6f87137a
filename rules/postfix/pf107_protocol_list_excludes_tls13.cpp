#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class protocol_list_excludes_tls13 final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF107",
            .name = "protocol-list-excludes-tls13",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "An include-form protocol list leaves out TLSv1.3",
            .rationale =
                "A protocol list that names protocols without '!' or '>=' (such as 'TLSv1.2' "
                "or 'TLSv1, TLSv1.1, TLSv1.2') includes only those: tls_proto_mask_lims() then "
                "excludes every other protocol Postfix knows, TLSv1.3 included, so the newest "
                "protocol is silently turned off. postconf(5) supports the include form "
                "but recommends against it. Postfix knows TLSv1.3 from 3.4 (and "
                "3.3.2, 3.2.7, 3.1.10, 3.0.14); older releases cannot exclude it this way.",
            .fix_hint = "write a lower bound instead: '>=TLSv1.2' (Postfix 3.6 and later), or "
                        "exclusions: '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1'",
            .versions = ">= 3.4 (3.3.2, 3.2.7, 3.1.10, 3.0.14)",
            .bad_example = {{"main.cf", "smtpd_tls_mandatory_protocols = TLSv1.2\n"}},
            .good_example = {{"main.cf", "smtpd_tls_mandatory_protocols = >=TLSv1.2\n"}},
            .references = {"https://www.postfix.org/postconf.5.html#smtpd_tls_protocols",
                           "https://www.postfix.org/TLS_README.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix_model == nullptr) {
            return;
        }
        const auto& model = *context.postfix_model;
        if (!model::feature_available("protocol_tlsv1_3", model.target())) {
            return;  // the release does not know TLSv1.3, so it cannot exclude it
        }
        for (const auto& site : detail::parameter_sites(context)) {
            const auto* info = site.info;
            if (info == nullptr || info->type != model::value_type::protocol_list ||
                !detail::in_effect(site, model)) {
                continue;
            }
            const auto s = detail::setting_at(site, model);
            if (s.value.find('$') != std::string::npos) {
                continue;
            }
            const auto analysis = model::analyze_protocol_list(s.value);
            if (analysis.error || !analysis.has_include ||
                analysis.enabled.contains(model::tls_protocol::tlsv1_3)) {
                continue;
            }
            out.report(make_diagnostic(
                *site.file, site.range(),
                "'" + std::string(site.name()) + " = " + s.value + "' " + site.place() +
                    " names the protocols to include, which excludes every other one: TLSv1.3 "
                    "is turned off"));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf107_protocol_list_excludes_tls13, mailtls::protocol_list_excludes_tls13)
