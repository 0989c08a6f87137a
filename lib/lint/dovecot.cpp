#include "lint/dovecot.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <unordered_map>

#include "model/dovecot_knowledge.hpp"

namespace mailtls::detail {

namespace dv = model::dovecot;

namespace {

/// Section keywords that are filters in some release: their keys are root settings.
bool is_filter_keyword(std::string_view keyword) noexcept {
    return keyword == "protocol" || keyword == "local" || keyword == "remote" ||
           keyword == "local_name" || keyword == "server";
}

/// Whether the keys inside a section of `keyword` are setting names at `target`.
bool holds_settings(std::string_view keyword, const version& target) {
    if (const auto* s = dv::section_at(keyword, target)) {
        // a 2.4 group (`group @label name { }`) holds settings, but they apply where the
        // group is used: not judged here
        return s->content != dv::section_content::free &&
               s->naming != dv::section_naming::group;
    }
    // 2.4 list settings written as a block: `protocols { imap = yes }`
    return false;
}

}  // namespace

namespace {

/// What depends only on the section keywords and the key of a setting.
struct resolution {
    std::vector<std::string_view> keywords;
    bool judged = true;
    std::string name;
    bool known_anywhere = false;
    const dv::name_status* status = nullptr;  ///< in dovecot_index::statuses, when judged
};

struct dovecot_index final : model::derived_data {
    std::vector<dovecot_site> sites;
    /// By "keyword/.../key" (node-based: the sites view the keywords and names).
    std::unordered_map<std::string, resolution> resolved;
    /// setting_status by data name (node-based: the sites point at the values).
    std::unordered_map<std::string, dv::name_status> statuses;
    /// The scopes the sites view, one per run of settings in the same sections.
    std::deque<std::string> scopes;
};

dovecot_index build_index(const model::dovecot_model& model) {
    const auto target = model.target();
    dovecot_index index;
    auto& sites = index.sites;
    sites.reserve(model.all_occurrences().size());  // the same walk: as many settings
    auto& resolved = index.resolved;
    std::unordered_map<std::string_view, bool> holds;  // holds_settings by keyword
    std::string path;
    std::vector<std::string_view> keywords;
    // What depends on the sections around a setting only is worked out again when they
    // change: consecutive settings (a section's body) share it, the scope string included.
    std::vector<const ast::dovecot_section*> sections;
    bool first = true;
    std::string_view scope;
    std::size_t prefix_size = 0;  ///< of `path`: the keywords (and `@lda/`)
    bool in_lda = false;
    walk_dovecot(model.instance(), [&](const dovecot_setting_ref& ref) {
        dovecot_site site;
        site.file = ref.file->source.get();
        site.setting = ref.setting;
        if (first || !model::same_sections(sections, ref.sections)) {
            first = false;
            sections.clear();
            keywords.clear();
            path.clear();
            auto& text = index.scopes.emplace_back();
            for (const auto& outer : ref.sections) {
                const auto& section = *outer.section;
                sections.push_back(&section);
                keywords.push_back(section.type);
                path.append(section.type).push_back('/');
                text += section.type;
                if (section.has_name || section.kind == ast::dovecot_section_kind::filter) {
                    text += ' ';
                    text += section.name;
                } else {
                    // one entry of a list (2.x `passdb { }`): a scope of its own
                    text += '@';
                    text += std::to_string(reinterpret_cast<std::uintptr_t>(&section));
                }
                text += '/';
            }
            scope = text;
            // deliver's own settings in a 1.x `protocol lda { }` (dv::resolve_in_lda)
            in_lda = std::any_of(ref.sections.begin(), ref.sections.end(),
                                 [](const dovecot_scope& s) {
                                     return s.section->type == "protocol" &&
                                            s.section->name == "lda";
                                 });
            if (in_lda) {
                path += "@lda/";
            }
            prefix_size = path.size();
        }
        site.scope = scope;
        path.resize(prefix_size);
        path += ref.setting->key;
        auto it = resolved.find(path);
        if (it == resolved.end()) {
            resolution r;
            r.keywords = keywords;
            for (const auto keyword : keywords) {
                auto [h, inserted] = holds.try_emplace(keyword, false);
                if (inserted) {
                    h->second = holds_settings(keyword, target);
                }
                if (!h->second) {
                    r.judged = false;
                    break;
                }
            }
            if (r.judged && in_lda) {
                r.name = dv::resolve_in_lda(ref.setting->key, target);
            }
            if (r.judged && r.name.empty()) {
                r.name = dv::resolve_in_section(keywords, ref.setting->key, target);
            }
            r.known_anywhere = dovecot_known_anywhere(keywords, ref.setting->key);
            if (r.judged) {
                // the status views the name it is given: give it the map's own key
                auto [status, inserted] = index.statuses.try_emplace(r.name);
                if (inserted) {
                    status->second = dv::setting_status(status->first, target);
                }
                r.status = &status->second;
            }
            it = resolved.emplace(path, std::move(r)).first;
        }
        const auto& r = it->second;
        site.keywords = r.keywords;
        site.judged = r.judged;
        site.name = r.name;
        site.known_anywhere = r.known_anywhere;
        site.status = r.status;
        sites.push_back(std::move(site));
    });
    return index;
}

}  // namespace

const std::vector<dovecot_site>& dovecot_sites(const model::dovecot_model& model) {
    return model.derived()
        .get<dovecot_index>([&] { return build_index(model); })
        .sites;
}

bool dovecot_known_anywhere(const std::vector<std::string_view>& keywords, std::string_view key) {
    std::string path;
    std::vector<std::string_view> scoping;
    for (const auto keyword : keywords) {
        if (!is_filter_keyword(keyword)) {
            scoping.push_back(keyword);
            path += std::string(keyword) + "/";
        }
    }
    if (dv::is_known_setting(path + std::string(key))) {
        return true;
    }
    if (scoping.empty()) {
        return false;
    }
    // 2.4 reads `key` inside `type { }` as `type_key`, then as `key`
    for (const auto keyword : scoping) {
        if (dv::is_known_setting(std::string(keyword) + "_" + std::string(key))) {
            return true;
        }
    }
    return dv::is_known_setting(key);
}

}  // namespace mailtls::detail
