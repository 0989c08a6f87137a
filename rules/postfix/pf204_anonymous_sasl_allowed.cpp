#include <algorithm>

#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace {

bool has_noanonymous(std::string_view value) {
    const auto items = model::split_list(value);
    return std::any_of(items.begin(), items.end(), [](const model::list_item& item) {
        return detail::iequals(item.text, "noanonymous");
    });
}

class anonymous_sasl_allowed final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF204",
            .name = "anonymous-sasl-allowed",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "SASL security options without 'noanonymous'",
            .rationale =
                "'smtpd_sasl_security_options' (plaintext sessions) and "
                "'smtpd_sasl_tls_security_options' (TLS sessions, by default the same) default "
                "to 'noanonymous'. A value that leaves it out, such as 'noplaintext' alone, "
                "lets smtpd offer the anonymous mechanisms of the SASL backend: a client then "
                "authenticates without a password, and 'permit_sasl_authenticated' lets it "
                "relay. SASL_README keeps 'noanonymous' in every example.",
            .fix_hint = "keep 'noanonymous' in the list, e.g. 'smtpd_sasl_security_options = "
                        "noanonymous, noplaintext' and 'smtpd_sasl_tls_security_options = "
                        "noanonymous'",
            .versions = "all",
            .bad_example = {{"main.cf", "smtpd_sasl_auth_enable = yes\n"
                                        "smtpd_tls_security_level = encrypt\n"
                                        "smtpd_sasl_security_options = noplaintext\n"}},
            .good_example = {{"main.cf", "smtpd_sasl_auth_enable = yes\n"
                                         "smtpd_tls_security_level = encrypt\n"
                                         "smtpd_sasl_security_options = noanonymous, noplaintext\n"
                                         "smtpd_sasl_tls_security_options = noanonymous\n"}},
            .references = {"https://www.postfix.org/SASL_README.html#smtpd_sasl_security_options",
                           "https://www.postfix.org/postconf.5.html#smtpd_sasl_security_options"},
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
            if (!model.sasl_enabled(service)) {
                continue;
            }
            // Which option lists apply: plaintext sessions can authenticate unless TLS is
            // required or AUTH is offered only after STARTTLS; TLS sessions whenever TLS is on.
            const auto mode = model.tls_in_effect(service);
            const bool plaintext_auth =
                mode == model::tls_mode::off ||
                (mode == model::tls_mode::opportunistic &&
                 !model::is_yes(model.in_service(service, "smtpd_tls_auth_only").value));
            std::vector<model::setting> lists;
            if (plaintext_auth) {
                lists.push_back(model.in_service(service, "smtpd_sasl_security_options"));
            }
            if (mode != model::tls_mode::off) {
                auto tls = model.in_service(service, "smtpd_sasl_tls_security_options");
                if (tls.origin == model::value_origin::built_in) {
                    // Its default is $smtpd_sasl_security_options: the line that sets that.
                    tls = model.in_service(service, "smtpd_sasl_security_options");
                }
                lists.push_back(std::move(tls));
            }
            const model::setting* reported = nullptr;
            for (const auto& s : lists) {
                if (s.origin == model::value_origin::built_in || has_noanonymous(s.value) ||
                    (reported != nullptr && reported->where.range == s.where.range &&
                     reported->where.file == s.where.file)) {
                    continue;
                }
                reported = &s;
                problems.push_back(
                    {&service, s.where,
                     (model::trim_blanks(s.value).empty()
                          ? "an empty '" + std::string(s.name) + "' "
                          : "'" + std::string(s.name) + " = " + s.value + "' ") +
                         detail::origin_phrase(s) +
                         " leaves out 'noanonymous': smtpd may offer anonymous SASL "
                         "mechanisms, with which a client authenticates without a password",
                     {}});
            }
        }
        detail::report_service_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf204_anonymous_sasl_allowed, mailtls::anonymous_sasl_allowed)
