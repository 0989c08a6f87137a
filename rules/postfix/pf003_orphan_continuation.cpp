#include <string>

#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace {

/// Longer lines are quoted up to here, as readlline() quotes the first 30 characters.
constexpr std::size_t k_max_quoted = 40;

class orphan_continuation final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF003",
            .name = "orphan-continuation",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "An indented line with no line before it to continue is ignored",
            .rationale =
                "In main.cf and master.cf a line that starts with whitespace continues the "
                "logical line before it (comment and blank lines in between do not end that "
                "line). An indented line with nothing before it to continue, typically the "
                "first setting of a file that was pasted with its indentation, is skipped: "
                "readlline() logs \"logical line must not start with whitespace\" and every "
                "Postfix program reads the file as if the line were not there (postconf(5), "
                "readlline.c). The setting silently has no effect.",
            .fix_hint = "remove the whitespace at the start of the line, or delete the line",
            .versions = "all",
            .bad_example = {{"main.cf", "  smtpd_tls_security_level = may\n"
                                        "smtpd_tls_chain_files = /etc/postfix/mail.pem\n"}},
            .good_example = {{"main.cf", "smtpd_tls_security_level = may\n"
                                         "smtpd_tls_chain_files = /etc/postfix/mail.pem\n"}},
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
            for (const auto& line : main_cf->ast.orphan_lines) {
                report(*main_cf->source, line, out);
            }
        }
        if (const auto& master_cf = context.postfix->master_cf) {
            for (const auto& line : master_cf->ast.orphan_lines) {
                report(*master_cf->source, line, out);
            }
        }
    }

private:
    void report(const source_file& source, byte_range line, diagnostic_sink& out) const {
        const auto text = source.text();
        auto begin = line.begin;
        while (begin < line.end && detail::is_space(text[begin])) {
            ++begin;
        }
        if (begin == line.end) {
            return;  // the grammar only records lines with text; nothing to point at otherwise
        }
        const byte_range ignored{begin, line.end};
        auto quoted = std::string(source.slice(detail::rest_of_line(source, begin)));
        if (quoted.size() > k_max_quoted) {
            quoted = quoted.substr(0, k_max_quoted) + "...";
        }
        auto d = make_diagnostic(source, ignored,
                                 "'" + quoted + "' is indented but has no line before it to "
                                 "continue: Postfix ignores it");
        mailtls::fix f;
        f.description = "remove the indentation";
        f.kind = applicability::unsafe;  // Postfix starts reading the line
        f.edits.push_back({{&source, {line.begin, begin}}, ""});
        d.fix = std::move(f);
        out.report(std::move(d));
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf003_orphan_continuation, mailtls::orphan_continuation)
