#include <algorithm>
#include <string>
#include <unordered_map>

#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace {

class duplicate_parameter final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF004",
            .name = "duplicate-parameter",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "A parameter set twice, the same '-o' twice on a service, or a master.cf "
                       "service defined twice",
            .rationale =
                "Postfix remembers only the last definition of a main.cf parameter (postconf(5): "
                "\"only the last instance is remembered\"); from 2.11 it logs \"overriding "
                "earlier entry\" when the values differ (dict_load_fp() in dict.c). An earlier "
                "line that someone edits has no effect, which hides mistakes: the TLS level or "
                "certificate an administrator changed is not the one in use. The same holds for "
                "two '-o' options of one name on a master.cf service (the daemon keeps the "
                "last), and for two master.cf entries with the same service name and type: "
                "master(8) logs \"duplicate master.cf entry\" and uses the last entry "
                "(master_conf.c).",
            .fix_hint = "keep one definition: delete the earlier one, or merge the two",
            .versions = "all (Postfix warns about differing main.cf values from 2.11)",
            .bad_example = {{"main.cf", "smtpd_tls_security_level = encrypt\n"
                                        "myhostname = mail.example.com\n"
                                        "smtpd_tls_security_level = may\n"}},
            .good_example = {{"main.cf", "myhostname = mail.example.com\n"
                                         "smtpd_tls_security_level = may\n"}},
            .references = {"https://www.postfix.org/postconf.5.html",
                           "https://www.postfix.org/master.5.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix == nullptr) {
            return;
        }
        const auto& main_cf = context.postfix->main_cf;
        // The model has indexed main.cf by name already: as many names as lines, no twice.
        if (main_cf && (context.postfix_model == nullptr ||
                        context.postfix_model->main_parameter_names() <
                            main_cf->ast.parameters.size())) {
            check_main(*main_cf->source, main_cf->ast, out);
        }
        if (const auto& master_cf = context.postfix->master_cf) {
            check_master(*master_cf->source, master_cf->ast, out);
        }
    }

private:
    void check_main(const source_file& source, const ast::main_cf& ast,
                    diagnostic_sink& out) const {
        std::unordered_map<std::string_view, const ast::main_cf_parameter*> seen;
        seen.reserve(ast.parameters.size());
        for (const auto& param : ast.parameters) {
            auto [it, inserted] = seen.try_emplace(param.name, &param);
            if (inserted) {
                continue;
            }
            const auto& earlier = *it->second;
            it->second = &param;
            const bool same = earlier.value == param.value;
            auto d = make_diagnostic(
                source, param.name_range,
                same ? "'" + std::string(param.name) + "' is set again to the same value: the "
                           "earlier line has no effect"
                     : "'" + std::string(param.name) + "' is set again: Postfix uses '" +
                           std::string(param.value) + "' and ignores the earlier '" +
                           std::string(earlier.value) + "'");
            if (same) {
                d.level = severity::info;
            }
            d.notes.push_back({"the earlier setting, which Postfix ignores",
                               {&source, earlier.range}});
            mailtls::fix f;
            f.description = "delete the earlier setting";
            f.kind = applicability::safe;  // Postfix ignores it already
            f.edits.push_back(
                {{&source, detail::logical_line_with_newline(source, earlier)}, ""});
            d.fix = std::move(f);
            out.report(std::move(d));
        }
    }

    void check_master(const source_file& source, const ast::master_cf& ast,
                      diagnostic_sink& out) const {
        std::unordered_map<std::string, const ast::master_cf_entry*> services;
        for (const auto& entry : ast.entries) {
            check_overrides(source, entry, out);
            const auto key = entry.service.text + "/" + entry.type_word.text;
            auto [it, inserted] = services.try_emplace(key, &entry);
            if (inserted) {
                continue;
            }
            const auto& earlier = *it->second;
            it->second = &entry;
            auto d = make_diagnostic(
                source, {entry.service.range.begin, entry.type_word.range.end},
                "'" + key + "' is defined twice in master.cf: master(8) uses this entry and "
                            "ignores the earlier one");
            d.notes.push_back({"the earlier entry, which master(8) ignores",
                               {&source, {earlier.service.range.begin,
                                          earlier.type_word.range.end}}});
            out.report(std::move(d));
        }
    }

    void check_overrides(const source_file& source, const ast::master_cf_entry& entry,
                         diagnostic_sink& out) const {
        std::unordered_map<std::string_view, const ast::master_cf_override*> seen;
        for (const auto& o : entry.overrides) {
            if (!o.usable()) {
                continue;
            }
            auto [it, inserted] = seen.try_emplace(o.name, &o);
            if (inserted) {
                continue;
            }
            const auto& earlier = *it->second;
            it->second = &o;
            const auto label = entry.service.text + "/" + entry.type_word.text;
            const bool same = earlier.value == o.value;
            auto d = make_diagnostic(
                source, o.name_range,
                same ? "'-o " + std::string(o.name) + "' is given twice on '" + label +
                           "' with the same value: the earlier one has no effect"
                     : "'-o " + std::string(o.name) + "' is given twice on '" + label +
                           "': the daemon uses '" + o.value + "' and ignores the earlier '" +
                           earlier.value + "'");
            if (same) {
                d.level = severity::info;
            }
            d.notes.push_back({"the earlier option, which the daemon ignores",
                               {&source, earlier.range}});
            mailtls::fix f;
            f.description = "delete the earlier option";
            f.kind = applicability::safe;  // the daemon ignores it already
            f.edits.push_back({{&source, removal_range(source, entry, earlier)}, ""});
            d.fix = std::move(f);
            out.report(std::move(d));
        }
    }

    /// The override with the blanks (and the line break) before it, so that neither an empty
    /// continuation line nor a double blank is left; just the override when a comment line
    /// comes between it and the word before it.
    static byte_range removal_range(const source_file& source, const ast::master_cf_entry& entry,
                                    const ast::master_cf_override& o) {
        const auto previous_end = o.option_index == 0
                                      ? entry.command.range.end
                                      : entry.arguments[o.option_index - 1].word.range.end;
        const auto between = source.slice({previous_end, o.range.begin});
        const bool blank = std::all_of(between.begin(), between.end(), [](char c) {
            return detail::is_space(c) || c == '\n';
        });
        return {blank ? previous_end : o.range.begin, o.range.end};
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf004_duplicate_parameter, mailtls::duplicate_parameter)
