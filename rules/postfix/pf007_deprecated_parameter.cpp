#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"
#include "model/postfix_knowledge.hpp"

namespace mailtls {

namespace {

/// Deprecated names whose replacement takes the very same value: the replacement's built-in
/// default is `$old` (or an expression of it), so renaming changes nothing but the name
/// (DEPRECATION_README; postfix.md §3.3). Others, such as smtpd_use_tls (a boolean) and
/// smtp_tls_per_site (a table with other values), need their value rewritten.
constexpr std::array k_plain_renames = {
    std::string_view("authorized_verp_clients"),
    std::string_view("fallback_relay"),
    std::string_view("lmtp_per_record_deadline"),
    std::string_view("postscreen_blacklist_action"),
    std::string_view("postscreen_dnsbl_ttl"),
    std::string_view("postscreen_dnsbl_whitelist_threshold"),
    std::string_view("postscreen_whitelist_interfaces"),
    std::string_view("smtp_per_record_deadline"),
    std::string_view("smtpd_client_connection_limit_exceptions"),
    std::string_view("smtpd_per_record_deadline"),
    std::string_view("tlsproxy_client_level"),
    std::string_view("tlsproxy_client_policy"),
    std::string_view("virtual_maps"),
};

class deprecated_parameter final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF007",
            .name = "deprecated-parameter",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "A parameter that is deprecated, obsolete or removed at the target "
                       "release",
            .rationale =
                "Postfix 3.9 and later warn \"support for parameter X will be removed\" for the "
                "legacy TLS switches (smtpd_use_tls, smtpd_enforce_tls, smtp_use_tls, "
                "smtp_enforce_tls, *_tls_per_site) and for settings that no longer do anything "
                "(smtpd_tls_dh1024_param_file, smtpd_tls_eecdh_grade, ignored since 3.6); 3.11 "
                "adds renamed parameters such as virtual_maps and fallback_relay "
                "(postconf_unused.c, DEPRECATION_README). The legacy TLS switches are also "
                "silently ignored as soon as a *_tls_security_level is set, so they mislead "
                "whoever reads the file. Once support is removed, the setting stops working.",
            .fix_hint = "use the replacement named in the message (a level such as "
                        "'smtpd_tls_security_level = may' for the legacy yes/no switches), or "
                        "remove a setting that has none",
            .versions = "deprecations from 2.3 (smtpd_tls_cipherlist) to 3.11",
            .bad_example = {{"main.cf", "smtpd_use_tls = yes\n"}},
            .good_example = {{"main.cf", "smtpd_tls_security_level = may\n"}},
            .references = {"https://www.postfix.org/DEPRECATION_README.html",
                           "https://www.postfix.org/postconf.5.html#smtpd_use_tls"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix == nullptr || context.postfix_model == nullptr) {
            return;
        }
        const auto& model = *context.postfix_model;
        const auto target = model.target();
        const auto& sites = detail::parameter_sites(context);
        for (const auto& site : sites) {
            const auto* info = site.info;
            if (info == nullptr) {
                continue;
            }
            const auto state = model::availability_at(*info, target);
            if (state != model::availability::deprecated &&
                state != model::availability::removed) {
                continue;
            }
            const std::string name(site.name());
            std::string message = "'" + name + "' ";
            if (state == model::availability::removed) {
                message += (info->removed ? "was removed in Postfix " + detail::release_name(*info->removed)
                                          : std::string("was removed")) +
                           ": Postfix " + context.postfix_version.to_string() + " ignores it";
            } else if (info->deprecated) {
                message += "is deprecated since Postfix " + detail::release_name(*info->deprecated) +
                           " and support for it will be removed";
            } else {
                message += "is obsolete and support for it will be removed";
            }
            message += info->replacement.empty()
                           ? "; remove it and leave the default"
                           : "; use '" + std::string(info->replacement) + "' instead";
            auto d = make_diagnostic(*site.file, site.name_range(), std::move(message));
            if (renames_safely(site, *info, model, [&]() -> const auto& {
                    return detail::referenced_parameter_names(context);  // when a fix needs it
                })) {
                mailtls::fix f;
                f.description = "rename it to '" + std::string(info->replacement) + "'";
                f.kind = applicability::safe;
                f.edits.push_back({{site.file, site.name_range()}, std::string(info->replacement)});
                d.fix = std::move(f);
            }
            out.report(std::move(d));
        }
    }

private:
    /// Renaming keeps the configuration's meaning: the replacement takes the same value, the
    /// target knows it, nothing sets it already in the same place, and nothing refers to the
    /// old name.
    template <typename Referenced>
    static bool renames_safely(const detail::parameter_site& site, const model::parameter_info& info,
                               const model::postfix_model& model, const Referenced& referenced) {
        if (std::find(k_plain_renames.begin(), k_plain_renames.end(), info.name) ==
            k_plain_renames.end()) {
            return false;
        }
        const auto* replacement = model::find_parameter(info.replacement);
        if (replacement == nullptr ||
            model::availability_at(*replacement, model.target()) != model::availability::available) {
            return false;
        }
        const bool replacement_unset =
            site.in_master_cf() ? site.entry->find_override(info.replacement) == nullptr
                                : model.main_parameter(info.replacement) == nullptr;
        return replacement_unset && !referenced().contains(info.name);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf007_deprecated_parameter, mailtls::deprecated_parameter)
