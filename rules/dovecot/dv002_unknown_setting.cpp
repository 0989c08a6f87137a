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

namespace dv = model::dovecot;

/// The section whose own settings the keys of `site` are, when the target reads them as such
/// and the knowledge lists them all: 1.x and 2.0-2.3 read a key inside `service { }`,
/// `inet_listener { }`, `passdb { }`, `auth default { }` ... as a setting of that section only
/// (config-parser.c: "Unknown setting: service { ssl"). Empty otherwise (at the top level, in
/// filters, and in 2.4, where a key inside a section falls back to the global setting).
std::string_view closed_section(const detail::dovecot_site& site, const version& target) {
    if (target.major > 2 || (target.major == 2 && target.minor >= 4)) {
        return {};
    }
    for (auto it = site.keywords.rbegin(); it != site.keywords.rend(); ++it) {
        const auto* s = dv::section_at(*it, target);
        if (s == nullptr) {
            return {};
        }
        if (s->content == dv::section_content::filter) {
            continue;
        }
        return s->content == dv::section_content::scoped ? *it : std::string_view{};
    }
    return {};
}

/// The last keyword of a section path written with a trailing '/' (`service/` -> `service`).
std::string_view last_keyword(std::string_view path) {
    path.remove_suffix(1);
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

/// A one-name suggestion as a fix, when the key is written as the daemon reads it.
void add_rename_fix(diagnostic& d, const detail::dovecot_site& site,
                    const std::vector<std::string>& suggestions) {
    const auto& setting = *site.setting;
    if (suggestions.size() == 1 && site.file->slice(setting.key_range) == setting.key) {
        mailtls::fix f;
        f.description = "rename it to '" + suggestions.front() + "'";
        f.kind = applicability::unsafe;  // the setting starts to take effect
        f.edits.push_back({{site.file, setting.key_range}, suggestions.front()});
        d.fix = std::move(f);
    }
}

/// Reports a key that is not a setting of the section around it at the target.
void report_in_section(const rule& self, const detail::dovecot_site& site,
                       std::string_view section, const version& target, diagnostic_sink& out) {
    const auto& setting = *site.setting;
    const std::string_view name = site.name;
    const auto prefix = name.substr(0, name.size() - setting.key.size());  // `service/`
    std::string message = "'" + setting.key + "' is not a setting of '" +
                          std::string(section) + "' sections: Dovecot " + target.to_string() +
                          " refuses it and does not start";
    // a setting of another scope: say where the target reads it, the sections around this
    // one (or the top level) first, then the sections inside it
    std::string hint;
    auto outer = prefix;
    while (!outer.empty()) {
        outer.remove_suffix(1);  // the '/'
        const auto slash = outer.rfind('/');
        const auto parent = slash == std::string_view::npos ? std::string_view{}
                                                            : outer.substr(0, slash + 1);
        if (dv::setting_at(std::string(parent) + setting.key, target) != nullptr) {
            hint = "move it out of the '" + std::string(section) + "' section" +
                   (parent.empty() ? " (it is a global setting)"
                                   : " into the '" + std::string(last_keyword(parent)) +
                                         "' section around it");
            break;
        }
        outer = parent;
    }
    for (const auto known : dv::setting_names()) {
        if (known.size() > prefix.size() + setting.key.size() + 1 && known.starts_with(prefix) &&
            known.ends_with(setting.key) &&
            known[known.size() - setting.key.size() - 1] == '/' &&
            dv::setting_at(known, target) != nullptr) {
            const auto child = known.substr(prefix.size(),
                                            known.size() - setting.key.size() - 1 - prefix.size());
            if (child.find('/') != std::string_view::npos) {
                continue;
            }
            hint += hint.empty() ? "move it" : ", or";
            hint += " inside one of its '" + std::string(child) + " { }' blocks";
            break;
        }
    }
    if (hint.empty() && dv::section_allowed_in(setting.key, section, target)) {
        // 1.0 test releases wrote `userdb = passwd` inside `auth default { }`
        hint = "'" + setting.key + "' is a section here: write it as '" + setting.key +
               " NAME {', its settings, and '}'";
    }
    std::vector<std::string> suggestions;
    if (hint.empty()) {
        for (const auto s : dv::suggest_settings(name, target)) {
            if (s.starts_with(prefix) && s.find('/', prefix.size()) == std::string_view::npos &&
                dv::setting_at(s, target) != nullptr) {
                suggestions.emplace_back(s.substr(prefix.size()));
            }
        }
        for (std::size_t i = 0; i < suggestions.size(); ++i) {
            message += i == 0                        ? " (did you mean '"
                       : i + 1 == suggestions.size() ? " or '"
                                                     : ", '";
            message += suggestions[i] + "'";
        }
        if (!suggestions.empty()) {
            message += "?)";
        }
        hint = suggestions.empty() ? "correct the name, or remove the line"
                                   : "correct the name (see the suggestion), or remove the line";
    }
    auto d = self.make_diagnostic(*site.file, setting.key_range, std::move(message));
    d.hint = std::move(hint);
    add_rename_fix(d, site, suggestions);
    out.report(std::move(d));
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
                "Inside a section of 1.x and 2.0-2.3 ('service', 'inet_listener', 'passdb', "
                "'auth default', ...) a key is that section's setting only, and the knowledge "
                "lists them all: any other key ('ssl' or 'sll' in 'service { }') is reported "
                "(doveconf: \"Unknown setting: service { ssl\"). "
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
            if (!site.judged || setting.key.empty()) {
                continue;
            }
            const auto section = closed_section(site, target);
            if (!section.empty()) {
                if (!model::dovecot::is_known_setting(site.name)) {
                    report_in_section(*this, site, section, target, out);
                }
                continue;
            }
            if (site.known_anywhere) {
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
            add_rename_fix(d, site, suggestions);
            out.report(std::move(d));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv002_unknown_setting, mailtls::unknown_setting)
