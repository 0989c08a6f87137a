#include <string>
#include <utility>
#include <vector>

#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"
#include "model/postfix_knowledge.hpp"

namespace mailtls {

namespace {

class parameter_unavailable_in_version final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF006",
            .name = "parameter-unavailable-in-version",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "A parameter introduced after the target Postfix release",
            .rationale =
                "A Postfix release ignores parameters it does not know yet: on Postfix 3.3, "
                "'smtpd_tls_chain_files' (3.4) loads no certificate, and before 2.3 "
                "'smtpd_tls_security_level' leaves TLS off. postconf only says \"unused "
                "parameter\". The release that introduced each parameter is the one postconf(5) "
                "states (\"This feature is available in Postfix X and later\", including "
                "backports to older patch releases).",
            .fix_hint = "use the older parameter that the target release knows, or upgrade "
                        "Postfix (and say so with --postfix-version)",
            .versions = "all",
            .bad_example = {{".mailtls-lint.toml", "[versions]\npostfix = \"3.3\"\n"},
                            {"main.cf", "smtpd_tls_chain_files = /etc/postfix/key.pem, "
                                        "/etc/postfix/cert.pem\n"}},
            .good_example = {{".mailtls-lint.toml", "[versions]\npostfix = \"3.3\"\n"},
                             {"main.cf", "smtpd_tls_cert_file = /etc/postfix/cert.pem\n"
                                         "smtpd_tls_key_file = /etc/postfix/key.pem\n"}},
            .references = {"https://www.postfix.org/postconf.5.html",
                           "https://www.postfix.org/postconf.1.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix == nullptr || context.postfix_model == nullptr) {
            return;
        }
        const auto target = context.postfix_model->target();
        const auto& sites = detail::parameter_sites(context);
        std::vector<std::pair<const detail::parameter_site*, const model::parameter_info*>> newer;
        for (const auto& site : sites) {
            const auto* info = site.info;
            if (info != nullptr &&
                model::availability_at(*info, target) == model::availability::not_yet) {
                newer.emplace_back(&site, info);
            }
        }
        if (newer.empty()) {
            return;
        }
        const auto& referenced = detail::referenced_parameter_names(context);
        for (const auto& [candidate, info] : newer) {
            const auto& site = *candidate;
            if (referenced.contains(site)) {
                continue;  // a user-defined parameter of the same name
            }
            out.report(make_diagnostic(
                *site.file, site.name_range(),
                "'" + std::string(site.name()) + "' needs " +
                    detail::describe_releases(info->introduced) + ": Postfix " +
                    context.postfix_version.to_string() + " does not know it and ignores " +
                    (site.in_master_cf() ? "this '-o'" : "it")));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf006_parameter_unavailable_in_version,
                      mailtls::parameter_unavailable_in_version)
