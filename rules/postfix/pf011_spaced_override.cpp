#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"
#include "model/postfix_knowledge.hpp"

namespace mailtls {

namespace {

/// An `-o` written with blanks around its '=': the words that belong to it.
struct spaced {
    std::size_t option_word = 0;  ///< index in `arguments` of the `-o`
    std::size_t last_word = 0;    ///< index of the last word of the value
    std::string name;
    std::vector<std::string> value_words;  ///< the value, split where the blanks are
    bool blank_after_equals_only = false;  ///< `-o name= value`
};

bool is_name(std::string_view text) noexcept {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
    });
}

/// Reads `-o name = value`, `-o name =value` and `-o name= value` at `arguments[i]`. The words
/// are read as written, not as the AST classifies them: after the first broken `-o` the daemon
/// takes every word as an operand, but each later one is broken just the same.
std::optional<spaced> read_spaced(const ast::master_cf_entry& entry, std::size_t i) {
    const auto& args = entry.arguments;
    if (args[i].word.text != "-o" || i + 2 >= args.size()) {
        return std::nullopt;
    }
    const auto& value_word = args[i + 1].word.text;
    const auto& next = args[i + 2].word.text;
    spaced s;
    s.option_word = i;
    auto at = i + 2;
    if (is_name(value_word) && next.starts_with('=')) {
        s.name = value_word;
        if (next.size() > 1) {
            s.value_words.push_back(next.substr(1));
        }
        ++at;
    } else if (value_word.size() > 1 && value_word.back() == '=' &&
               is_name(std::string_view(value_word).substr(0, value_word.size() - 1)) &&
               !next.starts_with('-') && next.find('=') == std::string::npos) {
        s.name = value_word.substr(0, value_word.size() - 1);
        s.blank_after_equals_only = true;
    } else {
        return std::nullopt;
    }
    s.last_word = at - 1;
    // The value runs up to the next option word (or the end of the entry).
    for (; at < args.size() && !args[at].word.text.starts_with('-'); ++at) {
        s.value_words.push_back(args[at].word.text);
        s.last_word = at;
    }
    return s;
}

std::string join(const std::vector<std::string>& words, std::string_view separator) {
    std::string out;
    for (const auto& w : words) {
        out += (out.empty() ? "" : std::string(separator)) + w;
    }
    return out;
}

class spaced_override final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF011",
            .name = "spaced-override",
            .dialect = dialect::postfix,
            .default_severity = severity::error,
            .summary = "A master.cf '-o' with blanks around '=' or inside its value, and no "
                       "braces",
            .rationale =
                "master(8) splits a master.cf entry into words at blanks, so '-o "
                "smtpd_tls_security_level = encrypt' gives the daemon '-o "
                "smtpd_tls_security_level', then '=' and 'encrypt' as separate arguments. The "
                "daemon stops at startup with 'invalid \"-o smtpd_tls_security_level\" option "
                "value: missing '=' after attribute name' (multi_server.c, single_server.c), "
                "and the service is down; postconf -P silently leaves the setting out "
                "(postfix.md §2.3). master(5): no blanks are allowed in '-o name=value'; "
                "Postfix 3.0 and later accept them inside braces, '-o { name = value }'. "
                "A blank inside the value ('-o smtpd_recipient_restrictions=permit_sasl_"
                "authenticated, reject') cuts it the same way: 'reject' reaches the daemon as "
                "an unexpected command-line argument and it stops at startup.",
            .fix_hint = "write '-o name=value' without blanks, or '-o { name = value }' on "
                        "Postfix 3.0 and later",
            .versions = "all",
            .bad_example = {{"master.cf", "submission inet n - y - - smtpd\n"
                                          "  -o smtpd_tls_security_level = encrypt\n"}},
            .good_example = {{"master.cf", "submission inet n - y - - smtpd\n"
                                           "  -o smtpd_tls_security_level=encrypt\n"}},
            .references = {"https://www.postfix.org/master.5.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix == nullptr || !context.postfix->master_cf) {
            return;
        }
        const auto& source = *context.postfix->master_cf->source;
        const auto target = context.postfix_model != nullptr ? context.postfix_model->target()
                                                             : context.postfix_version;
        for (const auto& entry : context.postfix->master_cf->ast.entries) {
            for (std::size_t i = 0; i < entry.arguments.size(); ++i) {
                const auto s = read_spaced(entry, i);
                if (!s) {
                    continue;
                }
                const auto written = "-o " + join(words(entry, i + 1, s->last_word), " ");
                std::string message =
                    s->blank_after_equals_only
                        ? "'" + written + "' has a blank after '=': the daemon sets '" + s->name +
                              "' to an empty value and stops at the unexpected argument '" +
                              s->value_words.front() + "'"
                        : "'" + written + "' has blanks around '=': the daemon reads '-o " +
                              s->name + "' and stops with \"missing '=' after attribute name\"";
                const byte_range range{entry.arguments[i].word.range.begin,
                                       entry.arguments[s->last_word].word.range.end};
                auto d = make_diagnostic(source, range, std::move(message));
                if (auto f = make_fix(source, entry, *s, target)) {
                    d.fix = std::move(*f);
                }
                out.report(std::move(d));
                i = s->last_word;
            }
            check_cut_values(source, entry, target, out);
        }
    }

private:
    /// `-o name=a, b`: the blank ends the value, and `b` reaches a daemon that takes no
    /// operands (smtpd, smtp, ...) as an extra argument, which stops it at startup.
    void check_cut_values(const source_file& source, const ast::master_cf_entry& entry,
                          version target, diagnostic_sink& out) const {
        static constexpr std::array k_no_operands = {
            std::string_view("smtpd"),   std::string_view("smtp"),     std::string_view("lmtp"),
            std::string_view("postscreen"), std::string_view("tlsproxy"),
            std::string_view("cleanup"), std::string_view("qmgr"),     std::string_view("pickup")};
        if (std::find(k_no_operands.begin(), k_no_operands.end(), entry.command.text) ==
            k_no_operands.end()) {
            return;
        }
        const auto& args = entry.arguments;
        for (const auto& o : entry.overrides) {
            if (!o.usable() || o.form != ast::master_cf_override_form::separate) {
                continue;
            }
            auto last = o.value_index;
            while (last + 1 < args.size() &&
                   args[last + 1].kind == ast::master_cf_argument_kind::operand &&
                   !args[last + 1].word.text.starts_with('#') &&
                   !args[last + 1].word.text.starts_with('-')) {
                ++last;
            }
            if (last == o.value_index) {
                continue;
            }
            spaced cut;
            cut.option_word = o.option_index;
            cut.last_word = last;
            cut.name = std::string(o.name);
            cut.value_words.push_back(o.value);
            for (auto i = o.value_index + 1; i <= last; ++i) {
                cut.value_words.push_back(args[i].word.text);
            }
            const auto written = "-o " + join(words(entry, o.value_index, last), " ");
            auto d = make_diagnostic(
                source, {args[o.option_index].word.range.begin, args[last].word.range.end},
                "'" + written + "' has a blank in its value: master(8) cuts the value there, "
                    "so '" + std::string(o.name) + "' is '" + o.value + "' and '" +
                    args[o.value_index + 1].word.text + "' reaches " + entry.command.text +
                    " as an unexpected command-line argument, which stops it at startup");
            if (auto f = make_fix(source, entry, cut, target)) {
                d.fix = std::move(*f);
            }
            out.report(std::move(d));
        }
    }

    static std::vector<std::string> words(const ast::master_cf_entry& entry, std::size_t first,
                                          std::size_t last) {
        std::vector<std::string> out;
        for (auto i = first; i <= last; ++i) {
            out.push_back(entry.arguments[i].word.text);
        }
        return out;
    }

    /// `name=value` when the value is one word; `{ name = value }` (3.0) when it has blanks;
    /// before 3.0, a list value with its words joined by commas. Only on one physical line.
    static std::optional<mailtls::fix> make_fix(const source_file& source,
                                                const ast::master_cf_entry& entry,
                                                const spaced& s, version target) {
        const byte_range range{entry.arguments[s.option_word + 1].word.range.begin,
                               entry.arguments[s.last_word].word.range.end};
        if (source.slice(range).find('\n') != std::string_view::npos) {
            return std::nullopt;
        }
        std::string replacement;
        if (s.value_words.size() <= 1) {
            replacement = s.name + "=" + join(s.value_words, "");
        } else if (model::feature_available("master_cf_braces", target)) {
            replacement = "{ " + s.name + " = " + join(s.value_words, " ") + " }";
        } else if (const auto* info = model::find_parameter(s.name);
                   info != nullptr && (info->type == model::value_type::list ||
                                       info->type == model::value_type::restrictions ||
                                       info->type == model::value_type::lookup_tables ||
                                       info->type == model::value_type::set)) {
            std::vector<std::string> items;
            for (auto w : s.value_words) {
                while (!w.empty() && w.back() == ',') {
                    w.pop_back();
                }
                if (!w.empty()) {
                    items.push_back(w);
                }
            }
            replacement = s.name + "=" + join(items, ",");
        } else {
            return std::nullopt;
        }
        mailtls::fix f;
        f.description = "write it as '-o " + replacement + "'";
        f.kind = applicability::safe;  // it says what was meant, and the daemon can start
        f.edits.push_back({{&source, range}, replacement});
        return f;
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf011_spaced_override, mailtls::spaced_override)
