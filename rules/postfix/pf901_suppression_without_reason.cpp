#include "lint/suppressions.hpp"

namespace mailtls {

namespace {

/// Reports suppressions without a reason in Postfix files (main.cf, master.cf).
class pf_suppression_without_reason final : public detail::suppression_rule {
public:
    pf_suppression_without_reason() noexcept : suppression_rule(kind_type::without_reason) {}

    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF901",
            .name = "suppression-without-reason",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "An inline suppression in a Postfix file gives no reason",
            .rationale = k_without_reason_rationale,
            .fix_hint = k_without_reason_hint,
            .versions = "all",
            .bad_example = {{"main.cf",
                              "# mailtls-lint: disable=PF002\n"
                              "smtpd_tls_security_level = may # opportunistic TLS\n"}},
            .good_example = {{"main.cf",
                               "# mailtls-lint: disable=PF002 -- checked by hand on the relay\n"
                               "smtpd_tls_security_level = may # opportunistic TLS\n"}},
            .references = {"docs/configuration.md, section 'Inline suppressions'"},
        };
        return meta;
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf901_suppression_without_reason, mailtls::pf_suppression_without_reason)
