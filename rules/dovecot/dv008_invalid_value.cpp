#include <optional>
#include <string>

#include "arena_hash.hpp"
#include "lint/dovecot.hpp"
#include "mailtls/rule.hpp"
#include "model/dovecot_knowledge.hpp"

namespace mailtls {

namespace {

namespace dv = model::dovecot;

/// The types whose values the knowledge states exactly for every release: booleans, enums
/// and TLS protocol names, and the protocol list. Numbers, sizes and times are left out: the
/// data does not yet tell the units and the 2.4 string forms (`mail_uid = vmail`,
/// `autoexpunge = 60d`) apart from errors.
bool judged_type(dv::value_type type, std::string_view name) {
    switch (type) {
        case dv::value_type::boolean:
        case dv::value_type::enumeration:
        case dv::value_type::ssl_protocol:
        case dv::value_type::ssl_protocol_list:
            return true;
        default:
            return name == "protocols";
    }
}

class invalid_value final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV008",
            .name = "invalid-value",
            .dialect = dialect::dovecot,
            .default_severity = severity::error,
            .summary = "A value outside the setting's type",
            .rationale =
                "Dovecot checks values as it parses them: an enum value outside its list is "
                "\"Invalid value\" and enums are case-sensitive ('ssl = Required' is fatal; "
                "get_enum in settings-parser.c), a boolean other than yes/no (2.x also y and 1) "
                "is \"Invalid boolean value\"; each stops Dovecot (dovecot.md §1.2, doveconf "
                "exits with status 89). TLS protocol "
                "names are checked later, when the login process sets up TLS: an unknown "
                "'ssl_min_protocol', or 'TLSv1.3' in the 2.1-2.2 'ssl_protocols', makes every "
                "TLS connection fail (iostream-openssl-context.c). Values read from a file "
                "('<path') or through a '$' reference are not judged.",
            .fix_hint = "use one of the values the message names (the suggestion where there is "
                        "one)",
            .versions = "all",
            .bad_example = {{"dovecot.conf", "ssl = Required\n"}},
            .good_example = {{"dovecot.conf", "ssl = required\n"}},
            .references = {"https://doc.dovecot.org/2.3/settings/core/#core_setting-ssl",
                           "https://doc.dovecot.org/latest/core/settings/types.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot == nullptr || context.dovecot_model == nullptr) {
            return;
        }
        const auto target = context.dovecot_version;
        // check_value() depends on the name and the value only: a large file repeats a few
        // pairs (`ssl = yes` in every listener)
        detail::arena_hash_map<detail::view_pair, std::optional<dv::value_problem>,
                               detail::view_pair_hash>
            checked;
        for (const auto& site : detail::dovecot_sites(*context.dovecot_model)) {
            const auto& setting = site.setting();
            const auto& file = site.occurrence->file()->ast;
            if (!site.facts->judged || setting.value.file ||
                !file.references(setting).empty()) {
                continue;
            }
            // setting_at(name, target)
            const auto* period = site.facts->status->period;
            if (period == nullptr || !judged_type(period->type, site.facts->name)) {
                continue;
            }
            auto [it, inserted] =
                checked.try_emplace(detail::view_pair{site.facts->name, site.text()});
            if (inserted) {
                it->second = dv::check_value(site.facts->name, site.text(), target);
            }
            auto problem = it->second;
            if (!problem || (site.facts->name == "protocols" && (problem->suggestion == "imap" ||
                                                          problem->suggestion == "pop3"))) {
                continue;  // 'imaps' and 'pop3s' in 'protocols' are DV104's
            }
            std::string message = std::move(problem->message);
            const bool says_effect = message.find("fails") != std::string::npos ||
                                     message.find("converts") != std::string::npos;
            if (!says_effect) {
                switch (problem->effect) {
                    case dv::value_effect::rejected:
                        message += ": Dovecot " + target.to_string() +
                                   " refuses the configuration and does not start";
                        break;
                    case dv::value_effect::at_runtime:
                        message += ": the service fails when it uses the setting";
                        break;
                    case dv::value_effect::converted:
                        message += ": Dovecot converts it with an \"Obsolete\" warning";
                        break;
                }
            }
            const auto range = setting.value.range.empty() ? setting.key_range
                                                           : setting.value.range;
            auto d = make_diagnostic(*site.file(), range, std::move(message));
            if (problem->effect == dv::value_effect::converted) {
                d.level = severity::warning;
            }
            if (!problem->suggestion.empty()) {
                d.hint = "write '" + std::string(site.key()) + " = " + problem->suggestion + "'";
                if (!setting.value.range.empty() && file.pieces(setting).size() <= 1) {
                    mailtls::fix f;
                    f.description = "set it to '" + problem->suggestion + "'";
                    f.kind = applicability::unsafe;  // the daemon's behaviour changes
                    f.edits.push_back({{site.file(), setting.value.range}, problem->suggestion});
                    d.fix = std::move(f);
                }
            }
            out.report(std::move(d));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv008_invalid_value, mailtls::invalid_value)
