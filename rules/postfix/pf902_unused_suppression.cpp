#include "lint/suppressions.hpp"

namespace mailtls {

namespace {

/// Reports suppressions that suppress nothing in Postfix files (main.cf, master.cf).
class pf_unused_suppression final : public detail::suppression_rule {
public:
    pf_unused_suppression() noexcept : suppression_rule(kind_type::unused) {}

    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF902",
            .name = "unused-suppression",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "An inline suppression in a Postfix file suppresses nothing",
            .rationale = k_unused_rationale,
            .fix_hint = k_unused_hint,
            .versions = "all",
            .bad_example = {{"main.cf",
                              "# mailtls-lint: disable=PF002 -- comment kept on purpose\n"
                              "smtpd_tls_security_level = may\n"}},
            .good_example = {{"main.cf",
                               "# mailtls-lint: disable=PF002 -- comment kept on purpose\n"
                               "smtpd_tls_security_level = may # opportunistic TLS\n"}},
            .references = {"docs/configuration.md, section 'Inline suppressions'"},
        };
        return meta;
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf902_unused_suppression, mailtls::pf_unused_suppression)
