#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class include_cycle final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV006",
            .name = "include-cycle",
            .dialect = dialect::dovecot,
            .default_severity = severity::error,
            .summary = "Includes that loop back, or nest or fan out beyond the limits",
            .rationale =
                "A file that includes itself, directly or through other files, is fatal: the "
                "daemon stops with \"Recursive include file\" (config-parser.c in 2.x; 1.2 "
                "detects it too). mailtls-lint also stops following includes nested more than "
                "20 levels deep, more than 1000 files per configuration or more than 1000 "
                "matches per glob, and reports it here: such a configuration is almost "
                "certainly a mistake, and its remaining files are not checked.",
            .fix_hint = "remove the '!include' that leads back to a file already being read",
            .versions = ">= 1.2",
            .bad_example = {{"dovecot.conf", "protocols = imap\n!include dovecot.conf\n"}},
            .good_example = {{"dovecot.conf", "protocols = imap\n"}},
            .references = {"https://doc.dovecot.org/2.3/configuration_manual/config_file/"
                           "config_file_syntax/#including-config-files"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot == nullptr) {
            return;
        }
        const auto& instance = *context.dovecot;
        using kind = dovecot_include_problem::kind_type;
        for (const auto& problem : instance.include_problems) {
            if (problem.kind == kind::not_found || problem.kind == kind::unreadable) {
                continue;
            }
            const auto& [source, ast] = instance.files[problem.file];
            const auto& include = ast.includes[problem.include];
            auto d = make_diagnostic(*source, include.range, problem.message);
            if (problem.kind != kind::cycle) {
                d.level = severity::warning;  // a limit of this linter, not of Dovecot
                d.hint = "include fewer files, or flatten the include chain";
            }
            out.report(std::move(d));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv006_include_cycle, mailtls::include_cycle)
