#include "lint/postfix.hpp"
#include "mailtls/parse.hpp"
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
            .summary = "A main.cf line or master.cf entry Postfix cannot read",
            .rationale =
                "Postfix reads main.cf as 'name = value' logical lines. A logical line without "
                "'=' or without a name is fatal: every Postfix program that reads main.cf stops "
                "with \"missing '=' after attribute name\" (split_nameval.c, dict_load_fp() in "
                "dict.c), so no mail moves until it is fixed. In master.cf, an entry with fewer "
                "than 8 fields, an unknown type, a private/unprivileged/chroot field other than "
                "y, n or -, or a wakeup time or process limit that is not a number or - makes "
                "master(8) and postconf stop (pcf_check_master_entry() in postconf_master.c, "
                "master_ent.c); an unclosed '{' makes postconf warn \"missing '}'\" and the "
                "daemon read the rest of the line as one argument. A '$' expression that does "
                "not close ('${name', '$(name') or nests deeper than Postfix expands is not "
                "expanded as written (mac_expand.c).",
            .fix_hint = "write the main.cf line as 'name = value' and the master.cf entry as "
                        "8 fields and the command's arguments, or start the line with '#' to "
                        "make it a comment",
            .versions = "all",
            .bad_example = {{"main.cf", "myhostname mail.example.com\n"}},
            .good_example = {{"main.cf", "myhostname = mail.example.com\n"}},
            .references = {"https://www.postfix.org/postconf.5.html",
                           "https://www.postfix.org/master.5.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix == nullptr) {
            return;
        }
        if (const auto& main_cf = context.postfix->main_cf) {
            for (const auto& error : main_cf->ast.errors) {
                out.report(make_diagnostic(*main_cf->source, error.range, error.message));
            }
        }
        if (const auto& master_cf = context.postfix->master_cf) {
            for (const auto& error : master_cf->ast.errors) {
                out.report(make_diagnostic(*master_cf->source, error.range, error.message));
            }
        }
        // '$' expressions in values (main.cf and -o): an unclosed '${', nesting past the
        // parser's limit, ... Postfix warns and leaves the text unexpanded, or stops.
        for (const auto& site : detail::parameter_sites(context)) {
            if (site.parsed == nullptr) {
                continue;
            }
            for (const auto& error : site.parsed->errors) {
                out.report(make_diagnostic(*site.file, site.source_range(error.range),
                                           "in the value of '" + std::string(site.name()) +
                                               "': " + error.message));
            }
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf001_syntax_error, mailtls::syntax_error)
