#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lint/dovecot.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

/// Whether `value` builds on the setting's earlier value (`mail_plugins = $mail_plugins
/// quota`, 2.4 `$SET:mail_plugins`): then the later line extends it, it does not replace it.
bool extends_itself(const ast::dovecot_file& file, const ast::dovecot_setting& setting) {
    const auto references = file.references(setting);
    return std::any_of(references.begin(), references.end(),
                       [&](const ast::dovecot_reference& r) {
                           return r.kind == ast::dovecot_reference::kind_type::setting &&
                                  r.name == file.key(setting);
                       });
}

/// Where the last setting of each (scope, key) is, by the sites' indexes: an open-addressing
/// table of site numbers plus one (0: empty), at most half full, so four bytes a slot (a
/// large file has 50,000 settings). Equal keys in one scope are one model key (the scope
/// names the section types the key is resolved by), so a (scope, key) compares by two
/// numbers.
class last_setting_table {
public:
    explicit last_setting_table(const detail::dovecot_site_range& sites) : sites_(sites) {
        std::size_t size = 16;
        while (size < 2 * sites.size()) {
            size *= 2;
        }
        slots_.assign(size, 0);
    }

    /// The slot of the (scope, key) of the site at `i`: the number plus one of the last site
    /// with it, or 0 when it is new (then the caller stores `i + 1`).
    std::uint32_t& slot(std::size_t i) {
        const auto site = sites_[i];
        const auto mask = slots_.size() - 1;
        auto at = hash(site) & mask;
        while (slots_[at] != 0) {
            const auto other = sites_[slots_[at] - 1];
            if (other.scope == site.scope && other.occurrence->key == site.occurrence->key) {
                break;
            }
            at = (at + 1) & mask;
        }
        return slots_[at];
    }

private:
    static std::size_t hash(const detail::dovecot_site& site) noexcept {
        const std::uint64_t h =
            (std::uint64_t{site.scope} << 32 | site.occurrence->key->id) * 0x9E3779B97F4A7C15ULL;
        return static_cast<std::size_t>(h >> 32);
    }

    detail::dovecot_site_range sites_;
    std::vector<std::uint32_t> slots_;
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
        last_setting_table last(sites);
        for (std::size_t i = 0; i < sites.size(); ++i) {
            auto& slot = last.slot(i);
            const auto before = slot;
            slot = static_cast<std::uint32_t>(i + 1);
            if (before == 0) {
                continue;
            }
            const auto site = sites[i];
            const auto& setting = site.setting();
            const auto& earlier = *sites[before - 1].occurrence;
            if (earlier.setting == &setting ||
                extends_itself(site.occurrence->file()->ast, setting)) {
                continue;  // a file read twice by includes; or a value that extends itself
            }
            const bool same = earlier.value() == site.text();
            const auto key = "'" + std::string(site.key()) + "'";
            auto d = make_diagnostic(
                *site.file(), setting.key_range,
                same ? key + " is set again to the same value: the earlier line has no effect"
                     : key + " is set again: Dovecot uses '" + std::string(site.text()) +
                           "' and ignores the earlier '" +
                           std::string(earlier.value()) + "'");
            if (same) {
                d.level = severity::info;
            }
            d.notes.push_back({"the earlier setting, which Dovecot ignores",
                               {earlier.file()->source.get(), earlier.setting->range()}});
            d.hint = "keep one definition: delete the earlier one, or merge the two";
            out.report(std::move(d));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv004_duplicate_setting, mailtls::duplicate_setting)
