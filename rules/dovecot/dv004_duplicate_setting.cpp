#include <algorithm>
#include <functional>
#include <string>
#include <string_view>

#include "arena_hash.hpp"
#include "lint/dovecot.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

/// Whether `value` builds on the setting's earlier value (`mail_plugins = $mail_plugins
/// quota`, 2.4 `$SET:mail_plugins`): then the later line extends it, it does not replace it.
bool extends_itself(const ast::dovecot_setting& setting) {
    return std::any_of(setting.value.references.begin(), setting.value.references.end(),
                       [&](const ast::dovecot_reference& r) {
                           return r.kind == ast::dovecot_reference::kind_type::setting &&
                                  r.name == setting.key;
                       });
}

/// A key in a scope of the site index, the scope told by its address and the key by the
/// first setting that has it (a pointer, not a view: 50,000 of these for a large file).
struct scoped_key {
    const char* scope = nullptr;
    const ast::dovecot_setting* setting = nullptr;
    bool operator==(const scoped_key& other) const {
        return scope == other.scope && setting->key == other.setting->key;
    }
};

/// Not noexcept on purpose (see detail::view_pair_hash).
struct scoped_key_hash {
    std::size_t operator()(const scoped_key& k) const {
        return std::hash<std::string_view>{}(k.setting->key) * 31 +
               std::hash<const char*>{}(k.scope);
    }
};

class duplicate_setting final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV004",
            .name = "duplicate-setting",
            .dialect = dialect::dovecot,
            .default_severity = severity::warning,
            .summary = "A setting set twice in one scope: the later value wins silently",
            .rationale =
                "When a setting appears twice in the same scope (the root, one filter such as "
                "'protocol imap { }', or one named section), Dovecot keeps the last value and "
                "says nothing (dovecot.md §1.2, \"Setting a value twice: the last value wins\"; "
                "settings.c in 1.x, config-parser.c in 2.x and 2.4). With conf.d/ split over "
                "many files the earlier line, often the one an administrator edits, has no "
                "effect: the TLS setting that was changed is not the one in use. Includes are "
                "followed, so a setting in dovecot.conf that conf.d/10-ssl.conf sets again is "
                "reported at the later one, with a note at the earlier one. A value that builds "
                "on the earlier one ('mail_plugins = $mail_plugins quota') is not a duplicate.",
            .fix_hint = "keep one definition: delete the earlier one, or merge the two",
            .versions = "all",
            .bad_example = {{"dovecot.conf", "ssl = required\nprotocols = imap\nssl = yes\n"}},
            .good_example = {{"dovecot.conf", "ssl = required\nprotocols = imap\n"
                                              "protocol imap {\n"
                                              "  mail_plugins = $mail_plugins imap_quota\n"
                                              "}\n"}},
            .references = {"https://doc.dovecot.org/2.3/configuration_manual/config_file/"
                           "config_file_syntax/"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot == nullptr || context.dovecot_model == nullptr) {
            return;
        }
        const auto sites = detail::dovecot_sites(*context.dovecot_model);
        // (scope, key) -> the last setting that set it; equal scopes are the same bytes
        detail::arena_hash_map<scoped_key, const model::dovecot_occurrence*, scoped_key_hash>
            seen;
        seen.reserve(sites.size());
        for (const auto& site : sites) {
            const auto& setting = site.setting();
            auto [it, inserted] =
                seen.try_emplace(scoped_key{site.scope.data(), &setting}, site.occurrence);
            if (inserted) {
                continue;
            }
            const auto& earlier = *it->second;
            it->second = site.occurrence;
            if (earlier.setting == &setting || extends_itself(setting)) {
                continue;  // a file read twice by includes; or a value that extends itself
            }
            const bool same = earlier.setting->value.text == setting.value.text;
            const auto key = "'" + std::string(setting.key) + "'";
            auto d = make_diagnostic(
                *site.file(), setting.key_range,
                same ? key + " is set again to the same value: the earlier line has no effect"
                     : key + " is set again: Dovecot uses '" + std::string(setting.value.text) +
                           "' and ignores the earlier '" +
                           std::string(earlier.setting->value.text) + "'");
            if (same) {
                d.level = severity::info;
            }
            d.notes.push_back({"the earlier setting, which Dovecot ignores",
                               {earlier.file->source.get(), earlier.setting->range}});
            d.hint = "keep one definition: delete the earlier one, or merge the two";
            out.report(std::move(d));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv004_duplicate_setting, mailtls::duplicate_setting)
