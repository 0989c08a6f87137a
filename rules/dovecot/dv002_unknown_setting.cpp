#include <algorithm>
#include <iterator>
#include <span>
#include <string>
#include <utility>
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

bool is_v24(const version& target) {
    return target.major > 2 || (target.major == 2 && target.minor >= 4);
}

/// The sections whose keys 2.4 reads as their own settings or global ones, and whose own
/// settings the knowledge lists all: `service` and its listeners (`service_process_limit`,
/// `inet_listener_port`, from every release's *-settings.c). Plugins add keys to the other
/// 2.4 sections (`namespace`, `mailbox`, `passdb ldap`), which the knowledge does not cover.
constexpr std::string_view k_closed_in_v24[] = {"service", "inet_listener", "unix_listener",
                                                "fifo_listener"};

/// The section whose own settings the keys of `site` are, when the target reads them as such
/// and the knowledge lists them all: 1.x and 2.0-2.3 read a key inside `service { }`,
/// `inet_listener { }`, `passdb { }`, `auth default { }` ... as a setting of that section only
/// (config-parser.c: "Unknown setting: service { ssl"); 2.4 reads a key inside `service { }`
/// and its listeners as the section's setting (`inet_listener_port`), else as the global one
/// (`ssl`), and refuses anything else ("Unknown setting: X (inet_listener_X not found
/// either.)"). Empty otherwise (at the top level, in filters, in the other 2.4 sections).
std::string_view closed_section(const detail::dovecot_site& site, const version& target) {
    const auto keywords = site.keywords();
    for (auto it = keywords.rbegin(); it != keywords.rend(); ++it) {
        const auto* s = dv::section_at(*it, target);
        if (s == nullptr) {
            return {};
        }
        if (s->content == dv::section_content::filter) {
            continue;
        }
        if (s->content != dv::section_content::scoped) {
            return {};
        }
        if (is_v24(target) && std::find(std::begin(k_closed_in_v24), std::end(k_closed_in_v24),
                                        *it) == std::end(k_closed_in_v24)) {
            return {};
        }
        return *it;
    }
    return {};
}

/// The last keyword of a section path written with a trailing '/' (`service/` -> `service`).
std::string_view last_keyword(std::string_view path) {
    path.remove_suffix(1);
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

/// Appends " (did you mean 'a', 'b' or 'c'?)" to `message`; nothing for no suggestion.
void append_suggestions(std::string& message, const std::vector<std::string>& suggestions) {
    for (std::size_t i = 0; i < suggestions.size(); ++i) {
        message += i == 0                        ? " (did you mean '"
                   : i + 1 == suggestions.size() ? " or '"
                                                 : ", '";
        message += suggestions[i] + "'";
    }
    if (!suggestions.empty()) {
        message += "?)";
    }
}

/// A one-name suggestion as a fix, when the key is written as the daemon reads it.
void add_rename_fix(diagnostic& d, const detail::dovecot_site& site,
                    const std::vector<std::string>& suggestions) {
    const auto& setting = site.setting();
    if (suggestions.size() == 1 && site.file()->slice(setting.key_range) == site.key()) {
        mailtls::fix f;
        f.description = "rename it to '" + suggestions.front() + "'";
        f.kind = applicability::unsafe;  // the setting starts to take effect
        f.edits.push_back({{site.file(), setting.key_range}, suggestions.front()});
        d.fix = std::move(f);
    }
}

/// Reports a key that is not a setting of the section around it at the target.
void report_in_section(const rule& self, const detail::dovecot_site& site,
                       std::string_view section, const version& target, diagnostic_sink& out) {
    const auto& setting = site.setting();
    const std::string_view name = site.facts->name;
    const auto prefix = name.substr(0, name.size() - site.key().size());  // `service/`
    std::string message = "'" + std::string(site.key()) + "' is not a setting of '" +
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
        if (dv::setting_at(std::string(parent) + std::string(site.key()), target) != nullptr) {
            hint = "move it out of the '" + std::string(section) + "' section" +
                   (parent.empty() ? " (it is a global setting)"
                                   : " into the '" + std::string(last_keyword(parent)) +
                                         "' section around it");
            break;
        }
        outer = parent;
    }
    for (const auto known : dv::setting_names()) {
        if (known.size() > prefix.size() + site.key().size() + 1 && known.starts_with(prefix) &&
            known.ends_with(site.key()) &&
            known[known.size() - site.key().size() - 1] == '/' &&
            dv::setting_at(known, target) != nullptr) {
            const auto child = known.substr(prefix.size(),
                                            known.size() - site.key().size() - 1 - prefix.size());
            if (child.find('/') != std::string_view::npos) {
                continue;
            }
            hint += hint.empty() ? "move it" : ", or";
            hint += " inside one of its '" + std::string(child) + " { }' blocks";
            break;
        }
    }
    if (hint.empty() && dv::section_allowed_in(site.key(), section, target)) {
        // 1.0 test releases wrote `userdb = passwd` inside `auth default { }`
        const std::string key(site.key());
        hint = "'" + key + "' is a section here: write it as '" + key +
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
        append_suggestions(message, suggestions);
        hint = suggestions.empty() ? "correct the name, or remove the line"
                                   : "correct the name (see the suggestion), or remove the line";
    }
    auto d = self.make_diagnostic(*site.file(), setting.key_range, std::move(message));
    d.hint = std::move(hint);
    add_rename_fix(d, site, suggestions);
    out.report(std::move(d));
}

/// 2.4: reports a key inside `service { }` or a listener that is neither a setting of the
/// sections around it nor a global one. A key that is another section's setting (`port` in
/// `service { }`, 2.4 `inet_listener_port`) is reported with the section it belongs in;
/// otherwise, as at the top level, only a near miss of a setting the section reads: a
/// plugin's global setting is read there too, and the knowledge does not list those.
void report_in_v24_section(const rule& self, const detail::dovecot_site& site,
                           std::string_view section, const version& target,
                           diagnostic_sink& out) {
    const auto& setting = site.setting();
    const auto in = [](std::span<const std::string_view> list, std::string_view keyword) {
        return std::find(list.begin(), list.end(), keyword) != list.end();
    };
    // the prefixes the target tries before the global name, innermost first
    std::vector<std::string_view> scoping;
    const auto keywords = site.keywords();
    for (auto it = keywords.rbegin(); it != keywords.rend(); ++it) {
        if (in(k_closed_in_v24, *it)) {
            scoping.push_back(*it);
        }
    }
    std::string hint;
    for (const auto other : k_closed_in_v24) {
        if (!in(scoping, other) &&
            dv::setting_at(std::string(other).append("_").append(site.key()), target) !=
                nullptr) {
            hint = "move it inside " +
                   (section == "service" ? "one of its '" + std::string(other) + " { }' blocks"
                                         : "a '" + std::string(other) + " { }' block");
            break;
        }
    }
    std::vector<std::string> suggestions;
    if (hint.empty()) {
        if (plugin_setting(site.key())) {
            return;
        }
        for (const auto keyword : scoping) {
            const auto prefix = std::string(keyword) + "_";
            for (const auto s : dv::suggest_settings(prefix + std::string(site.key()), target)) {
                std::string shown(s.substr(std::min(prefix.size(), s.size())));
                if (s.starts_with(prefix) && dv::setting_at(s, target) != nullptr &&
                    std::find(suggestions.begin(), suggestions.end(), shown) ==
                        suggestions.end()) {
                    suggestions.push_back(std::move(shown));
                }
            }
        }
        if (suggestions.empty()) {
            return;  // far from every setting the section reads: a plugin's, most likely
        }
        hint = "correct the name (see the suggestion), or remove the line";
    }
    std::string message = "'" + std::string(site.key()) + "' is not a setting of '" +
                          std::string(section) + "' sections nor a global one: Dovecot " +
                          target.to_string() + " refuses it and does not start";
    append_suggestions(message, suggestions);
    auto d = self.make_diagnostic(*site.file(), setting.key_range, std::move(message));
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
                "(doveconf: \"Unknown setting: service { ssl\"). In 2.4 a key inside "
                "'service' and its listeners is read as the section's setting "
                "('port' in 'inet_listener' is 'inet_listener_port'), else as a global one; "
                "anything else stops it (\"Unknown setting: X (inet_listener_X not found "
                "either.)\"): a key of another section ('port' directly in 'service') and "
                "near misses of the section's settings are reported. "
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
        // What follows from a site's key (its sections and its name) is worked out once per
        // key of the model: a large file repeats a few section shapes.
        struct judgement {
            std::string_view section;  ///< closed_section()
            bool done = false;
            bool known = false;        ///< is_known_setting(name), in a closed section
        };
        std::vector<judgement> by_key(context.dovecot_model->key_count());
        for (const auto& site : detail::dovecot_sites(*context.dovecot_model)) {
            const auto& setting = site.setting();
            if (!site.facts->judged || site.key().empty()) {
                continue;
            }
            auto& judged = by_key[site.occurrence->key->id];
            if (!judged.done) {
                judged.done = true;
                judged.section = closed_section(site, target);
                judged.known = !judged.section.empty() &&
                               model::dovecot::is_known_setting(site.facts->name);
            }
            const auto section = judged.section;
            if (!section.empty()) {
                if (judged.known) {
                    continue;  // valid, or DV003's (a 2.3 name that 2.4 renamed)
                }
                if (is_v24(target)) {
                    report_in_v24_section(*this, site, section, target, out);
                } else {
                    report_in_section(*this, site, section, target, out);
                }
                continue;
            }
            if (site.facts->known_anywhere) {
                continue;
            }
            // the suggestions are data names: show them as the file would write them
            const auto prefix_size = site.facts->name.size() >= site.key().size()
                                         ? site.facts->name.size() - site.key().size()
                                         : 0;
            const std::string_view prefix = site.facts->name.substr(0, prefix_size);
            std::vector<std::string> suggestions;
            for (const auto s : model::dovecot::suggest_settings(site.facts->name, target)) {
                if (!s.starts_with(prefix)) {
                    continue;
                }
                std::string shown(s.substr(prefix.size()));
                if (shown != site.key() &&
                    std::find(suggestions.begin(), suggestions.end(), shown) == suggestions.end()) {
                    suggestions.push_back(std::move(shown));
                }
            }
            if (suggestions.empty() || plugin_setting(site.key())) {
                // a name far from every core setting is most likely a plugin's or a driver's
                // (or a driver's args file linted as dovecot.conf): not judged
                continue;
            }
            std::string message = "'" + std::string(site.key()) +
                                  "' is not a Dovecot setting: Dovecot " +
                                  target.to_string() + " refuses it and does not start";
            append_suggestions(message, suggestions);
            auto d = make_diagnostic(*site.file(), setting.key_range, std::move(message));
            add_rename_fix(d, site, suggestions);
            out.report(std::move(d));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv002_unknown_setting, mailtls::unknown_setting)
