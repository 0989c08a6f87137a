#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class ambiguous_comment final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV009",
            .name = "ambiguous-comment",
            .dialect = dialect::dovecot,
            .default_severity = severity::warning,
            .summary = "A '#' that Dovecot reads otherwise than it looks",
            .rationale =
                "Dovecot strips comments with a simple scan: a '#' outside quotes starts a "
                "comment even with no blank before it, so 'password = abc#123' sets 'abc' (2.x "
                "logs \"Ambiguous '#' character in line, treating it as comment\"; 1.x says "
                "nothing). And a ' or \" anywhere on the line opens a quoted region up to the "
                "same quote or the end of the line, so after an unmatched apostrophe a "
                "'# comment' stays in the value: 'login_greeting = It's up # note' greets with "
                "\"It's up # note\" (config-parser.c config_parse_line(), settings.c in 1.x).",
            .fix_hint = "quote the value if the '#' belongs to it; otherwise put the comment on "
                        "a line of its own",
            .versions = "all (2.x warns about '#' without a blank before it)",
            .bad_example = {{"dovecot.conf", "login_greeting = Mail server#1\n"}},
            .good_example = {{"dovecot.conf",
                              "# the first server\nlogin_greeting = \"Mail server#1\"\n"}},
            .references = {"https://doc.dovecot.org/2.3/configuration_manual/config_file/"
                           "config_file_syntax/"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot == nullptr) {
            return;
        }
        using kind = ast::dovecot_comment_quirk::kind_type;
        for (const auto& [source, ast] : context.dovecot->files) {
            for (const auto& quirk : ast.comment_quirks) {
                const std::string text(source->slice(quirk.range));
                const std::string owner =
                    quirk.setting
                        ? "the value of '" +
                              std::string(ast.key(ast.settings[*quirk.setting])) + "'"
                        : "this line";
                if (quirk.kind == kind::no_blank_before) {
                    out.report(make_diagnostic(
                        *source, quirk.range,
                        "'" + text + "' is a comment that cuts " + owner +
                            " short: a '#' starts a comment even without a blank before it"));
                } else {
                    auto d = make_diagnostic(
                        *source, quirk.range,
                        "'" + text + "' is part of " + owner +
                            ", not a comment: an unmatched quote earlier on the line turns "
                            "comment stripping off");
                    d.notes.push_back({"the unmatched quote", {source.get(), quirk.quote}});
                    d.hint = "move the comment to a line of its own, or quote the whole value";
                    out.report(std::move(d));
                }
            }
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv009_ambiguous_comment, mailtls::ambiguous_comment)
