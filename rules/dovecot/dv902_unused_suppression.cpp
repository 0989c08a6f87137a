#include "lint/suppressions.hpp"

namespace mailtls {

namespace {

/// Reports suppressions that suppress nothing in Dovecot files (dovecot.conf and the files
/// it includes).
class dv_unused_suppression final : public detail::suppression_rule {
public:
    dv_unused_suppression() noexcept : suppression_rule(kind_type::unused) {}

    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV902",
            .name = "dovecot-unused-suppression",
            .dialect = dialect::dovecot,
            .default_severity = severity::warning,
            .summary = "An inline suppression in a Dovecot file suppresses nothing",
            .rationale = k_unused_rationale,
            .fix_hint = k_unused_hint,
            .versions = "all",
            .bad_example = {{"dovecot.conf",
                              "# mailtls-lint: disable=DV009 -- greeting ends in #1\n"
                              "login_greeting = Mail server\n"}},
            .good_example = {{"dovecot.conf",
                               "# mailtls-lint: disable=DV009 -- greeting ends in #1\n"
                               "login_greeting = Mail server#1\n"}},
            .references = {"docs/configuration.md, section 'Inline suppressions'"},
        };
        return meta;
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv902_unused_suppression, mailtls::dv_unused_suppression)
