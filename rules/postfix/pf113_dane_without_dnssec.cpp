#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace {

class dane_without_dnssec final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF113",
            .name = "dane-without-dnssec",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "DANE is asked for but DNSSEC lookups are off",
            .rationale =
                "The 'dane' and 'dane-only' levels of 'smtp_tls_security_level' (Postfix 2.11 "
                "and later) authenticate servers with TLSA records, which are only trusted "
                "when they come from DNSSEC-validated answers. The SMTP client asks its "
                "resolver for validation only with 'smtp_dns_support_level = dnssec'; "
                "otherwise DANE is disabled for every destination (TLS_README, DANE section), "
                "and the level silently does not do what it says.",
            .fix_hint = "set 'smtp_dns_support_level = dnssec' and make sure the host uses a "
                        "validating resolver (such as a local unbound)",
            .versions = ">= 2.11",
            .bad_example = {{"main.cf", "smtp_tls_security_level = dane\n"}},
            .good_example = {{"main.cf", "smtp_tls_security_level = dane\n"
                                         "smtp_dns_support_level = dnssec\n"}},
            .references = {"https://www.postfix.org/TLS_README.html#client_tls_dane",
                           "https://www.postfix.org/postconf.5.html#smtp_dns_support_level",
                           "RFC 7672"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        // Without main.cf its values are unknown, not the defaults: judge nothing.
        if (context.postfix_model == nullptr || !context.postfix->main_cf) {
            return;
        }
        const auto& model = *context.postfix_model;
        if (!model::is_known_at("smtp_dns_support_level", model.target())) {
            return;  // no DANE before 2.11: the level itself is invalid there (PF010)
        }
        std::vector<detail::client_problem> problems;
        for (const auto* entry : detail::smtp_client_contexts(model)) {
            const auto tls = model.client_tls_in_effect(entry);
            if (!detail::iequals(tls.level, "dane") && !detail::iequals(tls.level, "dane-only")) {
                continue;
            }
            const auto dns = detail::client_setting(model, entry, "smtp_dns_support_level");
            const auto dns_value = model::trim_blanks(dns.value);
            if (detail::iequals(dns_value, "dnssec")) {
                continue;
            }
            std::vector<note> notes;
            if (dns.origin != model::value_origin::built_in) {
                notes.push_back({"'smtp_dns_support_level = " + dns.value + "' is set " +
                                     detail::origin_phrase(dns) + " here",
                                 dns.where});
            }
            const auto dns_phrase =
                dns_value.empty() ? std::string("empty") : "'" + std::string(dns_value) + "'";
            problems.push_back(
                {entry, tls.cause.where,
                 "'smtp_tls_security_level = " + tls.level + "' " +
                     detail::origin_phrase(tls.cause) +
                     " asks for DANE, but 'smtp_dns_support_level' is " + dns_phrase +
                     ", not 'dnssec': the SMTP client gets no validated TLSA records and DANE "
                     "is disabled for every destination",
                 std::move(notes)});
        }
        detail::report_client_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf113_dane_without_dnssec, mailtls::dane_without_dnssec)
