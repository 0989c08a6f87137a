#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

constexpr bool is_list_separator(char c) noexcept {
    return c == ',' || c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/// Offset in `value` of the first comma- or whitespace-separated token that starts with '#'.
std::optional<std::size_t> comment_token(std::string_view value) noexcept {
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '#' && (i == 0 || is_list_separator(value[i - 1]))) {
            return i;
        }
    }
    return std::nullopt;
}

class trailing_comment final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF002",
            .name = "trailing-comment",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "A '#' after other text on a line is part of the value, not a comment",
            .rationale =
                "Postfix only treats a line as a comment when '#' is its first non-blank "
                "character. After other text, '#' and everything after it belong to the value "
                "(split_nameval.c has no comment handling; Postfix 3.8 RELEASE_NOTES: programs "
                "treat #comment after other text as input). 'smtpd_tls_security_level = encrypt "
                "# comment' makes smtpd stop with \"Invalid TLS level\".",
            .fix_hint = "move the comment to a line of its own above the setting",
            .versions = "all (postconf warns from 3.8)",
            .bad_example = {{"main.cf",
                             "smtpd_tls_security_level = may # opportunistic TLS\n"}},
            .good_example = {{"main.cf",
                              "# opportunistic TLS\nsmtpd_tls_security_level = may\n"}},
            .references = {"https://www.postfix.org/postconf.5.html",
                           "https://www.postfix.org/announcements/postfix-3.8.0.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix == nullptr || !context.postfix->main_cf) {
            return;
        }
        const auto& [source, ast] = *context.postfix->main_cf;
        for (const auto& param : ast.parameters) {
            const auto at = comment_token(param.value);
            if (!at) {
                continue;
            }
            const auto begin = param.source_offset(*at);
            const auto range = detail::rest_of_line(*source, begin);
            auto d = make_diagnostic(
                *source, range,
                "'" + std::string(source->slice(range)) + "' is not a comment: Postfix reads it "
                    "as part of the value of '" + std::string(param.name) + "'");
            d.fix = comment_fix(*source, param, range);
            out.report(std::move(d));
        }
    }

private:
    /// Moves the text from '#' to the end of the line onto its own line above the parameter.
    static mailtls::fix comment_fix(const source_file& source, const ast::main_cf_parameter& param,
                                    byte_range comment) {
        auto cut_begin = comment.begin;
        const auto text = source.text();
        while (cut_begin > param.value_range.begin && is_list_separator(text[cut_begin - 1])) {
            --cut_begin;
        }
        mailtls::fix f;
        f.description = "move the comment above the setting";
        f.kind = applicability::unsafe;  // it changes the value Postfix reads
        f.edits.push_back(
            {{&source, {param.range.begin, param.range.begin}},
             std::string(source.slice(comment)) + "\n"});
        f.edits.push_back({{&source, {cut_begin, comment.end}}, ""});
        return f;
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf002_trailing_comment, mailtls::trailing_comment)
