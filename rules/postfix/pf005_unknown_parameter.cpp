#include <algorithm>
#include <string>

#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"
#include "model/postfix_knowledge.hpp"

namespace mailtls {

namespace {

class unknown_parameter final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF005",
            .name = "unknown-parameter",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "A parameter name Postfix does not know, usually a typo",
            .rationale =
                "Postfix accepts any name in main.cf and in a master.cf '-o', and ignores the "
                "ones it does not know: a misspelled 'smtpd_tls_securty_level = encrypt' leaves "
                "the real setting at its default without an error. postconf (2.9 and later) "
                "warns \"unused parameter\" for a name that is not built in, not derived from a "
                "master.cf service (such as 'relay_destination_concurrency_limit'), and not "
                "used as a user-defined parameter: referenced as '$name', listed in "
                "smtpd_restriction_classes, or named in a restriction list "
                "(postconf_unused.c, postconf_user.c, postconf(1)). This rule follows the same "
                "logic and suggests the nearest known names.",
            .fix_hint = "correct the name (see the suggestion), or remove the line",
            .versions = "all",
            .bad_example = {{"main.cf", "smtpd_tls_securty_level = encrypt\n"}},
            .good_example = {{"main.cf", "smtpd_tls_security_level = may\n"
                                         "mua_client_restrictions = permit_sasl_authenticated, "
                                         "reject\n"
                                         "smtpd_client_restrictions = $mua_client_restrictions\n"}},
            .references = {"https://www.postfix.org/postconf.1.html",
                           "https://www.postfix.org/postconf.5.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix == nullptr || context.postfix_model == nullptr) {
            return;
        }
        const auto& instance = *context.postfix;
        const auto target = context.postfix_model->target();
        const auto& sites = detail::parameter_sites(context);
        const auto services = detail::master_services(instance, target);
        const auto unknown = [&](const detail::parameter_site& site) {
            return site.info == nullptr &&
                   !model::match_service_parameter(site.name(), services, target);
        };
        // Each site is tested once: up to the first unknown one, then from there on, the
        // referenced names before the service-derived ones (in a large file most unknown
        // names are user-defined, and a main.cf line is found by its index).
        const auto first = std::find_if(sites.begin(), sites.end(), unknown);
        if (first == sites.end()) {
            return;  // most files: no need to collect the user-defined names
        }
        const auto& referenced = detail::referenced_parameter_names(context);
        for (auto it = first; it != sites.end(); ++it) {
            const auto& site = *it;
            if (site.info != nullptr || referenced.contains(site) ||
                (it != first && !unknown(site))) {
                continue;
            }
            std::string message = "'" + std::string(site.name()) + "' is not a Postfix parameter: ";
            message += site.in_master_cf() ? "the daemon ignores this '-o'" : "Postfix ignores it";
            const auto suggestions = model::suggest_parameters(site.name(), target);
            for (std::size_t i = 0; i < suggestions.size(); ++i) {
                message += i == 0 ? " (did you mean '" : i + 1 == suggestions.size() ? " or '" : ", '";
                message += std::string(suggestions[i]) + "'";
            }
            if (!suggestions.empty()) {
                message += "?)";
            }
            auto d = make_diagnostic(*site.file, site.name_range(), std::move(message));
            if (suggestions.size() == 1) {
                mailtls::fix f;
                f.description = "rename it to '" + std::string(suggestions.front()) + "'";
                f.kind = applicability::unsafe;  // the setting starts to take effect
                f.edits.push_back({{site.file, site.name_range()}, std::string(suggestions.front())});
                d.fix = std::move(f);
            }
            out.report(std::move(d));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf005_unknown_parameter, mailtls::unknown_parameter)
