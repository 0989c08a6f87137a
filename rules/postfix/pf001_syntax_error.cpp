#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class syntax_error final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF001",
            .name = "syntax-error",
            .dialect = dialect::postfix,
            .default_severity = severity::error,
            .summary = "A line Postfix cannot read",
            .rationale =
                "Postfix reads main.cf as 'name = value' logical lines. A logical line without "
                "'=' or without a name is fatal: every Postfix program that reads main.cf stops "
                "with \"missing '=' after attribute name\" (split_nameval.c, dict_load_fp() in "
                "dict.c), so no mail moves until it is fixed.",
            .fix_hint = "write the line as 'name = value', or start it with '#' to make it a "
                        "comment",
            .versions = "all",
            .bad_example = {{"main.cf", "myhostname mail.example.com\n"}},
            .good_example = {{"main.cf", "myhostname = mail.example.com\n"}},
            .references = {"https://www.postfix.org/postconf.5.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix == nullptr || !context.postfix->main_cf) {
            return;
        }
        const auto& [source, ast] = *context.postfix->main_cf;
        for (const auto& error : ast.errors) {
            out.report(make_diagnostic(*source, error.range, error.message));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf001_syntax_error, mailtls::syntax_error)
