#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/postfix.hpp"
#include "model/postfix_knowledge.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

constexpr bool is_list_separator(char c) noexcept {
    return c == ',' || c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/// Offset in `value` of the first comma- or whitespace-separated token that starts with '#'.
std::optional<std::size_t> comment_token(std::string_view value) noexcept {
    // find() skips to each '#' (memchr): most values have none.
    for (auto i = value.find('#'); i != std::string_view::npos; i = value.find('#', i + 1)) {
        if (i == 0 || is_list_separator(value[i - 1])) {
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
            .summary = "A '#' after other text on a line is part of the value or the command, "
                       "not a comment",
            .rationale =
                "Postfix only treats a line as a comment when '#' is its first non-blank "
                "character. After other text, '#' and everything after it belong to the value "
                "(split_nameval.c has no comment handling; Postfix 3.8 RELEASE_NOTES: programs "
                "treat #comment after other text as input). 'smtpd_tls_security_level = encrypt "
                "# comment' makes smtpd stop with \"Invalid TLS level\". master.cf has no "
                "trailing comments either: '#' and the words after it are passed to the command "
                "as arguments (master(5)), and smtpd stops with \"unexpected command-line "
                "argument\" (smtpd.c); postconf prints them without a warning.",
            .fix_hint = "move the comment to a line of its own above the setting",
            .versions = "all (postconf warns from 3.8)",
            .bad_example = {{"main.cf",
                             "smtpd_tls_security_level = may # opportunistic TLS\n"}},
            .good_example = {{"main.cf",
                              "# opportunistic TLS\nsmtpd_tls_security_level = may\n"}},
            .references = {"https://www.postfix.org/postconf.5.html",
                           "https://www.postfix.org/announcements/postfix-3.8.0.html",
                           "https://www.postfix.org/master.5.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix == nullptr) {
            return;
        }
        if (context.postfix->master_cf) {
            check_master(*context.postfix->master_cf, out);
        }
        if (!context.postfix->main_cf) {
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
            if (refused_with_comment(param, *at, context.postfix_version)) {
                // the value alone is fine, with the comment the daemons refuse it
                d.level = severity::error;
                d.message += ", which makes the value invalid: the daemons that read it stop "
                             "with a fatal error";
            }
            d.fix = comment_fix(*source, param.range.begin, param.value_range.begin, range);
            out.report(std::move(d));
        }
    }

    /// master.cf has no comments after text either: a '#' word is passed to the command.
    void check_master(const parsed_file<ast::master_cf>& master_cf, diagnostic_sink& out) const {
        const auto& source = *master_cf.source;
        for (const auto& entry : master_cf.ast.entries) {
            std::vector<const ast::master_cf_word*> words{
                &entry.service,           &entry.type_word,         &entry.private_flag.word,
                &entry.unprivileged_flag.word, &entry.chroot_flag.word, &entry.wakeup,
                &entry.process_limit,     &entry.command};
            for (const auto& arg : entry.arguments) {
                words.push_back(&arg.word);
            }
            std::uint32_t reported_line = 0;
            for (std::size_t i = 1; i < words.size(); ++i) {
                const auto& word = *words[i];
                const auto line = source.position_of(word.range.begin).line;
                if (!word.text.starts_with('#') || line == reported_line) {
                    continue;
                }
                reported_line = line;
                const auto range = detail::rest_of_line(source, word.range.begin);
                const auto text = std::string(source.slice(range));
                auto d = make_diagnostic(
                    source, range,
                    i < 8 ? "'" + text + "' is not a comment: Postfix reads it as fields of the "
                                "master.cf entry '" + entry.service.text + "'"
                          : "'" + text + "' is not a comment: Postfix passes it to '" +
                                entry.command.text + "' as command-line arguments, and its "
                                "daemons stop with \"unexpected command-line argument\"");
                if (i >= 8) {
                    d.level = severity::error;  // the daemon refuses to start
                }
                d.fix = comment_fix(source, entry.range.begin, entry.range.begin, range);
                out.report(std::move(d));
            }
        }
    }

private:
    /// Whether the value up to the comment is valid for the parameter's type while the whole
    /// value, comment included, is not (`encrypt # note` is not a TLS level).
    static bool refused_with_comment(const ast::main_cf_parameter& param, std::size_t comment_at,
                                     version target) {
        const auto* info = model::find_parameter(param.name);
        if (info == nullptr) {
            return false;
        }
        auto before = std::string_view(param.value).substr(0, comment_at);
        while (!before.empty() && is_list_separator(before.back())) {
            before.remove_suffix(1);
        }
        return !model::validate(*info, before, target) && model::validate(*info, param.value, target);
    }

    /// Moves the text from '#' to the end of the line onto its own line above the setting or
    /// entry that starts at `line_begin`; the blanks before '#' go too, down to `floor`.
    static mailtls::fix comment_fix(const source_file& source, std::uint32_t line_begin,
                                    std::uint32_t floor, byte_range comment) {
        auto cut_begin = comment.begin;
        const auto text = source.text();
        while (cut_begin > floor && is_list_separator(text[cut_begin - 1])) {
            --cut_begin;
        }
        mailtls::fix f;
        f.description = "move the comment above the setting";
        f.kind = applicability::unsafe;  // it changes the value Postfix reads
        f.edits.push_back(
            {{&source, {line_begin, line_begin}},
             std::string(source.slice(comment)) + "\n"});
        f.edits.push_back({{&source, {cut_begin, comment.end}}, ""});
        return f;
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf002_trailing_comment, mailtls::trailing_comment)
