#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class dovecot_syntax_error final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV001",
            .name = "syntax-error",
            .dialect = dialect::dovecot,
            .default_severity = severity::error,
            .summary = "A line Dovecot cannot read",
            .rationale =
                "Dovecot reads its configuration line by line: 'key = value', a section header "
                "'type [name] {' that ends the line, or '}' alone on its line. Anything else "
                "('Expecting '='', 'Garbage after '{'', 'Unexpected '}'', 'Missing '}'') is "
                "fatal: doveconf and the config process exit with status 89 and Dovecot does "
                "not start (config-parser.c config_parse_line() in 2.x, settings.c in 1.x). "
                "Section headers are version-specific too: 1.x knows a fixed set of sections, "
                "2.x and 2.4 require filters to nest in a given order, and 2.4 requires a name "
                "on list sections and has no 'plugin' or 'auth' sections.",
            .fix_hint = "put each setting, each section header and each '}' on its own line, "
                        "and write settings as 'key = value'",
            .versions = "all",
            .bad_example = {{"dovecot.conf",
                             "service imap-login {\n"
                             "  inet_listener imaps { port = 993 }\n"
                             "}\n"}},
            .good_example = {{"dovecot.conf",
                              "service imap-login {\n"
                              "  inet_listener imaps {\n"
                              "    port = 993\n"
                              "  }\n"
                              "}\n"}},
            .references = {"https://doc.dovecot.org/2.3/configuration_manual/config_file/",
                           "https://doc.dovecot.org/latest/core/settings/syntax.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot == nullptr) {
            return;
        }
        for (const auto& [source, ast] : context.dovecot->files) {
            for (const auto& error : ast.errors) {
                out.report(make_diagnostic(*source, error.range, error.message));
            }
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv001_syntax_error, mailtls::dovecot_syntax_error)
