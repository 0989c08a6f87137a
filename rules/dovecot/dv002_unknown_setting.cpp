#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "lint/dovecot.hpp"
#include "mailtls/rule.hpp"
#include "model/dovecot_knowledge.hpp"

namespace mailtls {

namespace {

/// Prefixes of settings that plugins and passdb/userdb drivers define (Pigeonhole, quota,
/// mail_log, FTS, SQL, LDAP, OAuth2, ...): the version knowledge covers the core only, so a
/// name under one of them is not judged.
constexpr std::string_view k_plugin_prefixes[] = {
    "sieve",     "managesieve", "imapsieve", "quota",     "mail_log", "fts",
    "push_notification", "sql",   "ldap",      "passwd_file", "oauth2", "lua",
    "mail_crypt", "crypt",     "acl",       "zlib",      "mail_compress", "dict",
    "metric",    "lazy_expunge", "virtual", "welcome",   "notify",   "replication",
    "last_login", "pop3_migration", "trash", "expire",   "antispam", "stats",
    "old_stats", "userdb",     "passdb",    "mail_plugin", "fs_",    "listescape",
};

bool plugin_setting(std::string_view key) {
    return std::any_of(std::begin(k_plugin_prefixes), std::end(k_plugin_prefixes),
                       [&](std::string_view p) { return key.starts_with(p); });
}

class unknown_setting final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV002",
            .name = "unknown-setting",
            .dialect = dialect::dovecot,
            .default_severity = severity::error,
            .summary = "A setting name no Dovecot release knows, usually a typo",
            .rationale =
                "Dovecot refuses a setting name it does not know: 1.x logs \"Unknown setting: "
                "KEY\" and does not start (settings.c, master main.c), 2.0-2.3 and 2.4 stop with "
                "\"Error in configuration file F line N: Unknown setting: KEY\" (config-parser.c; "
                "doveconf exits with status 89). A misspelled 'ssl_cert_fiel' therefore takes "
                "the whole server down at the next restart. This rule reports names that no "
                "release from 1.0 to 2.4 knows (the version knowledge built from every release's "
                "*-settings.c) and suggests the nearest known names; names known to other "
                "releases are DV003's. Only names close to a core setting are reported: the "
                "knowledge covers the core, not plugins (Pigeonhole 'sieve_*', quota, FTS) or "
                "passdb/userdb drivers, so a name far from every core setting is not judged. "
                "Keys of free-form sections ('plugin { }', 'dict { }', 2.4 "
                "list blocks) are not setting names and are not judged.",
            .fix_hint = "correct the name (see the suggestion), or remove the line",
            .versions = "all",
            .bad_example = {{"dovecot.conf", "ssl = yes\nssl_cert = </etc/ssl/certs/mail.pem\n"
                                             "ssl_kye = </etc/ssl/private/mail.key\n"}},
            .good_example = {{"dovecot.conf", "ssl = yes\nssl_cert = </etc/ssl/certs/mail.pem\n"
                                              "ssl_key = </etc/ssl/private/mail.key\n"
                                              "plugin {\n  sieve = file:~/sieve\n}\n"}},
            .references = {"https://doc.dovecot.org/2.3/settings/core/",
                           "https://doc.dovecot.org/latest/core/summaries/settings.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot == nullptr || context.dovecot_model == nullptr) {
            return;
        }
        const auto target = context.dovecot_version;
        for (const auto& site : detail::dovecot_sites(*context.dovecot_model)) {
            const auto& setting = *site.setting;
            if (!site.judged || setting.key.empty() ||
                site.known_anywhere) {
                continue;
            }
            // the suggestions are data names: show them as the file would write them
            const auto prefix_size = site.name.size() >= setting.key.size()
                                         ? site.name.size() - setting.key.size()
                                         : 0;
            const std::string_view prefix = std::string_view(site.name).substr(0, prefix_size);
            std::vector<std::string> suggestions;
            for (const auto s : model::dovecot::suggest_settings(site.name, target)) {
                if (!s.starts_with(prefix)) {
                    continue;
                }
                std::string shown(s.substr(prefix.size()));
                if (shown != setting.key &&
                    std::find(suggestions.begin(), suggestions.end(), shown) == suggestions.end()) {
                    suggestions.push_back(std::move(shown));
                }
            }
            std::string message = "'" + setting.key + "' is not a Dovecot setting: Dovecot " +
                                  target.to_string() + " refuses it and does not start";
            for (std::size_t i = 0; i < suggestions.size(); ++i) {
                message += i == 0                        ? " (did you mean '"
                           : i + 1 == suggestions.size() ? " or '"
                                                         : ", '";
                message += suggestions[i] + "'";
            }
            if (suggestions.empty() || plugin_setting(setting.key)) {
                // a name far from every core setting is most likely a plugin's or a driver's
                // (or a driver's args file linted as dovecot.conf): not judged
                continue;
            }
            message += "?)";
            auto d = make_diagnostic(*site.file, setting.key_range, std::move(message));
            if (suggestions.size() == 1 && site.file->slice(setting.key_range) == setting.key) {
                mailtls::fix f;
                f.description = "rename it to '" + suggestions.front() + "'";
                f.kind = applicability::unsafe;  // the setting starts to take effect
                f.edits.push_back({{site.file, setting.key_range}, suggestions.front()});
                d.fix = std::move(f);
            }
            out.report(std::move(d));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv002_unknown_setting, mailtls::unknown_setting)
