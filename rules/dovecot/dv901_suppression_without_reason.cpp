#include "lint/suppressions.hpp"

namespace mailtls {

namespace {

/// Reports suppressions without a reason in Dovecot files (dovecot.conf and the files it
/// includes).
class dv_suppression_without_reason final : public detail::suppression_rule {
public:
    dv_suppression_without_reason() noexcept : suppression_rule(kind_type::without_reason) {}

    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV901",
            .name = "dovecot-suppression-without-reason",
            .dialect = dialect::dovecot,
            .default_severity = severity::warning,
            .summary = "An inline suppression in a Dovecot file gives no reason",
            .rationale = k_without_reason_rationale,
            .fix_hint = k_without_reason_hint,
            .versions = "all",
            .bad_example = {{"dovecot.conf",
                              "# mailtls-lint: disable=DV009\n"
                              "login_greeting = Mail server#1\n"}},
            .good_example = {{"dovecot.conf",
                               "# mailtls-lint: disable=DV009 -- the greeting really ends in #1\n"
                               "login_greeting = Mail server#1\n"}},
            .references = {"docs/configuration.md, section 'Inline suppressions'"},
        };
        return meta;
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv901_suppression_without_reason, mailtls::dv_suppression_without_reason)
