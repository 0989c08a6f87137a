#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace {

class outbound_tls_disabled final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF115",
            .name = "outbound-tls-disabled",
            .dialect = dialect::postfix,
            .default_severity = severity::info,
            .summary = "The SMTP client sends outbound mail without TLS",
            .rationale =
                "With 'smtp_tls_security_level' empty or 'none' (and no legacy "
                "'smtp_use_tls' / 'smtp_enforce_tls'), the SMTP client never issues STARTTLS, "
                "so mail to servers that offer TLS still crosses the network in plaintext. "
                "Opportunistic TLS ('may') costs nothing with servers that lack TLS. Empty was "
                "the default before Postfix 3.11; from 3.11 the default is 'may' at "
                "compatibility_level 3.11 or later (postconf(5), postfix.md §3.2), and "
                "TLS_README recommends 'may' for mail to the Internet.",
            .fix_hint = "set 'smtp_tls_security_level = may' (and keep stronger levels for "
                        "chosen destinations in 'smtp_tls_policy_maps'); before Postfix 2.3, "
                        "'smtp_use_tls = yes'",
            .versions = "all; the default is 'may' from 3.11 at compatibility_level >= 3.11",
            .bad_example = {{"main.cf", "compatibility_level = 3.6\n"}},
            .good_example = {{"main.cf", "compatibility_level = 3.6\n"
                                         "smtp_tls_security_level = may\n"}},
            .references = {"https://www.postfix.org/postconf.5.html#smtp_tls_security_level",
                           "https://www.postfix.org/TLS_README.html#client_tls_may"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        // Without main.cf its values are unknown, not the defaults: judge nothing.
        if (context.postfix_model == nullptr || !context.postfix->main_cf) {
            return;
        }
        const auto& model = *context.postfix_model;
        std::vector<detail::client_problem> problems;
        for (const auto* entry : detail::smtp_client_contexts(model)) {
            const auto tls = model.client_tls_in_effect(entry);
            if (!detail::iequals(tls.level, "none")) {
                continue;
            }
            const auto& cause = tls.cause;
            std::string message;
            auto where = cause.where;
            const auto use_tls = model.global("smtp_use_tls");
            if (!cause.is_set && !use_tls.is_set) {
                continue;  // before Postfix 2.2 the SMTP client has no TLS at all
            }
            if (!cause.is_set && !model::is_yes(use_tls.value)) {
                // before 2.3 there is no smtp_tls_security_level: smtp_use_tls decides
                message = "'smtp_use_tls' is 'no' by default and Postfix " +
                          model.target().to_string() +
                          " has no 'smtp_tls_security_level', which";
                where = model.main_cf_start();
            } else if (cause.origin != model::value_origin::built_in) {
                const auto written = model::trim_blanks(cause.value);
                message = (written.empty() ? "an empty 'smtp_tls_security_level' "
                                           : "'smtp_tls_security_level = " + cause.value + "' ") +
                          detail::origin_phrase(cause);
            } else if (model.target() < version{3, 11, 0}) {
                message = "'smtp_tls_security_level' is empty by default before Postfix 3.11, "
                          "which";
            } else {
                // From 3.11 the default is 'may' at compatibility_level 3.11 and later.
                const auto level = model.global("compatibility_level");
                const auto written = model::trim_blanks(level.value);
                message = "'smtp_tls_security_level' is empty by default below "
                          "compatibility_level 3.11 (here " +
                          std::string(written.empty() ? "0" : written) + "), which";
                where = level.where;
            }
            problems.push_back({entry, where,
                                message + " turns off TLS for outbound mail: the SMTP client "
                                          "never uses STARTTLS, even with servers that offer it",
                                {}});
        }
        detail::report_client_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf115_outbound_tls_disabled, mailtls::outbound_tls_disabled)
