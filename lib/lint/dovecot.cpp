#include "lint/dovecot.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <unordered_map>

#include "model/dovecot_knowledge.hpp"
#include "name_table.hpp"

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

struct dovecot_index final : model::derived_data {
    /// By model::dovecot_key::id: what the sites point at (sized once, so they stay put).
    std::vector<dovecot_key_facts> facts;
    /// By model::dovecot_section_scope::id: the scope of the settings in it (dovecot_site).
    std::vector<std::uint32_t> scope_of;
    /// The data names that differ from the model's (sites view them).
    std::deque<std::string> names;
    /// setting_status by data name (node-based: the facts point at the values).
    std::unordered_map<std::string, dv::name_status> statuses;
};

/// Whether a section counts by its name in a scope: a section without a name that is not a
/// filter (2.x `passdb { }`, one entry of a list) counts as itself.
bool named_in_scope(const ast::dovecot_section& s) noexcept {
    return s.has_name || s.kind == ast::dovecot_section_kind::filter;
}

/// A scope as a name in a table (name_table.hpp): scopes are the same name when their
/// sections have the same types and names (a section that counts as itself, by its place).
struct scope_name {
    const model::dovecot_section_scope* scope = nullptr;

    friend bool operator==(scope_name a, scope_name b) noexcept {
        return std::equal(a.scope->sections.begin(), a.scope->sections.end(),
                          b.scope->sections.begin(), b.scope->sections.end(),
                          [](const ast::dovecot_section* x, const ast::dovecot_section* y) {
                              if (x->type != y->type || named_in_scope(*x) != named_in_scope(*y)) {
                                  return false;
                              }
                              return named_in_scope(*x) ? x->name == y->name : x == y;
                          });
    }

    friend std::uint64_t name_hash(scope_name n) noexcept {
        std::uint64_t h = n.scope->sections.size();
        for (const auto* section : n.scope->sections) {
            h = h * 31 + detail::name_hash(section->type);
            h = h * 31 + (named_in_scope(*section)
                              ? detail::name_hash(section->name)
                              : std::hash<const void*>{}(section));
        }
        return detail::mix_hash(h);
    }
};

dovecot_index build_index(const model::dovecot_model& model) {
    const auto target = model.target();
    dovecot_index index;
    const auto occurrences = model.all_occurrences();
    index.facts.resize(model.key_count());
    // Each scope's number: the first scope with the same sections (dovecot_site::scope).
    // A large file has a scope per section body; the table takes them in batches.
    const auto scope_count = static_cast<std::uint32_t>(model.scope_count());
    index.scope_of.resize(scope_count);
    detail::basic_name_table<scope_name>(scope_count)
        .first_of_all(
            scope_count, [&](std::uint32_t id) { return scope_name{&model.scope(id)}; },
            index.scope_of);
    std::vector<bool> done(model.key_count(), false);
    std::unordered_map<std::string_view, bool> holds;  // holds_settings by keyword
    bool have_shape = false;
    std::span<const std::string_view> shape;  // the keywords last judged
    bool shape_judged = true;
    for (const auto& o : occurrences) {
        const auto& key = *o.key;
        auto& f = index.facts[key.id];
        if (!done[key.id]) {
            done[key.id] = true;
            // the keys of one shape of sections view the same keywords, and come in runs
            if (!have_shape || key.keywords.data() != shape.data()) {
                have_shape = true;
                shape = key.keywords;
                shape_judged = std::all_of(shape.begin(), shape.end(), [&](std::string_view k) {
                    auto [h, inserted] = holds.try_emplace(k, false);
                    if (inserted) {
                        h->second = holds_settings(k, target);
                    }
                    return h->second;
                });
            }
            f.judged = shape_judged;
            if (f.judged) {
                // the model reads the innermost `protocol` filter: its name is this one
                // unless an outer `protocol lda` makes the difference
                if (o.scope->in_lda == (o.scope->protocol() == "lda")) {
                    f.name = key.name();
                } else {
                    std::string name;
                    if (o.scope->in_lda) {
                        name = dv::resolve_in_lda(key.key, target);
                    }
                    if (name.empty()) {
                        name = dv::resolve_in_section(key.keywords, key.key, target);
                    }
                    f.name = index.names.emplace_back(std::move(name));
                }
                f.known_anywhere = dovecot_known_anywhere(key.keywords, key.key);
                // the status views the name it is given: give it the map's own key
                auto [status, inserted] = index.statuses.try_emplace(std::string(f.name));
                if (inserted) {
                    status->second = dv::setting_status(status->first, target);
                }
                f.status = &status->second;
            }
        }
    }
    return index;
}

}  // namespace

dovecot_site_range dovecot_sites(const model::dovecot_model& model) {
    const auto& index = model.derived().get<dovecot_index>([&] { return build_index(model); });
    return {model.all_occurrences(), index.facts.data(), index.scope_of.data()};
}

bool dovecot_known_anywhere(std::span<const std::string_view> keywords, std::string_view key) {
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
