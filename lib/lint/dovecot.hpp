#pragma once

// Helpers that Dovecot rules share: every setting of an instance with the name the version
// knowledge knows it by at the target release, and the scope it is set in.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/instance.hpp"
#include "mailtls/version.hpp"
#include "model/dovecot_knowledge.hpp"
#include "model/dovecot_model.hpp"

namespace mailtls::detail {

/// What the site index works out once per key of the model (model::dovecot_key): the keys
/// written in sections of one shape are judged alike.
struct dovecot_key_facts {
    /// False inside a section whose keys are free-form (`plugin { }`, `dict { }`, a 2.4
    /// boolean or string list such as `protocols { imap = yes }`) or inside a section the
    /// target does not know (DV001 reports that section): such keys are not setting names.
    bool judged = true;
    /// Some release knows the key where it is written (dovecot_known_anywhere); worked out
    /// only when `judged` (false otherwise).
    bool known_anywhere = false;
    /// The data name at the target (`ssl`, `auth/mechanisms`, `service/inet_listener/ssl`,
    /// 2.4 `inet_listener_ssl`); empty when `judged` is false. The model's name of the key,
    /// or one held by the site index.
    std::string_view name;
    /// model::dovecot::setting_status(name, target) when `judged` (null otherwise), looked
    /// up once per distinct name and shared by the keys and the rules.
    const model::dovecot::name_status* status = nullptr;
};

/// A setting of a Dovecot instance, in the order the daemon reads them (walk_dovecot): the
/// model's occurrence, what the site index knows of its key, and its scope.
struct dovecot_site {
    const model::dovecot_occurrence* occurrence = nullptr;
    const dovecot_key_facts* facts = nullptr;  ///< held by the site index
    /// Identifies the scope the setting is set in, for "set twice in one scope": two sites
    /// have the same number when their sections have the same types and names, in order
    /// (a section without a name that is not a filter, 2.x `passdb { }` or one entry of a
    /// list, is a scope of its own). The id of the first model scope
    /// (model::dovecot_section_scope::id) with those sections.
    std::uint32_t scope = 0;

    [[nodiscard]] const source_file* file() const noexcept {
        return occurrence->file()->source.get();
    }
    [[nodiscard]] const ast::dovecot_setting& setting() const noexcept {
        return *occurrence->setting;
    }
    /// The key as written (unquoted).
    [[nodiscard]] std::string_view key() const noexcept { return occurrence->key->key; }
    /// The value the daemon uses (unquoted; for `<path`, the path).
    [[nodiscard]] std::string_view text() const noexcept { return occurrence->value(); }
    /// The section keywords around it, outermost first, across includes (filters included).
    [[nodiscard]] std::span<const std::string_view> keywords() const noexcept {
        return occurrence->key->keywords;
    }
};

/// The sites of a model's instance (dovecot_sites()): each made when it is read, from the
/// model's occurrence and the site index's tables by key and by scope.
class dovecot_site_range {
public:
    class iterator {
    public:
        using value_type = dovecot_site;
        using difference_type = std::ptrdiff_t;

        iterator() = default;
        [[nodiscard]] dovecot_site operator*() const noexcept {
            return {at_, facts_ + at_->key->id, scopes_[at_->scope->id]};
        }
        iterator& operator++() noexcept {
            ++at_;
            return *this;
        }
        iterator operator++(int) noexcept {
            auto before = *this;
            ++at_;
            return before;
        }
        bool operator==(const iterator&) const = default;

    private:
        friend class dovecot_site_range;
        iterator(const model::dovecot_occurrence* at, const dovecot_key_facts* facts,
                 const std::uint32_t* scopes) noexcept
            : at_(at), facts_(facts), scopes_(scopes) {}

        const model::dovecot_occurrence* at_ = nullptr;
        const dovecot_key_facts* facts_ = nullptr;
        const std::uint32_t* scopes_ = nullptr;
    };

    dovecot_site_range(std::span<const model::dovecot_occurrence> occurrences,
                       const dovecot_key_facts* facts, const std::uint32_t* scopes) noexcept
        : occurrences_(occurrences), facts_(facts), scopes_(scopes) {}

    [[nodiscard]] iterator begin() const noexcept {
        return {occurrences_.data(), facts_, scopes_};
    }
    [[nodiscard]] iterator end() const noexcept {
        return {occurrences_.data() + occurrences_.size(), facts_, scopes_};
    }
    [[nodiscard]] std::size_t size() const noexcept { return occurrences_.size(); }
    /// The site at `i` (below size()), as the daemon reads it.
    [[nodiscard]] dovecot_site operator[](std::size_t i) const noexcept {
        return *iterator{occurrences_.data() + i, facts_, scopes_};
    }

private:
    std::span<const model::dovecot_occurrence> occurrences_;
    const dovecot_key_facts* facts_;   ///< by model::dovecot_key::id
    const std::uint32_t* scopes_;      ///< by model::dovecot_section_scope::id
};

/// Every setting of the model's instance, in the daemon's order, judged against the model's
/// target. The index is built on the first call from the model's occurrences, and shared by
/// every rule that asks for the sites afterwards; each key of the model (a file repeats a
/// few section shapes) is judged once (that reads the version data several times). The
/// sites are valid while the model lives.
[[nodiscard]] dovecot_site_range dovecot_sites(const model::dovecot_model& model);

/// Whether some Dovecot release knows the setting `key` written inside `keywords` (as the
/// data name of any release: the 1.x and 2.0-2.3 section path, a 2.4 `section_key` name, or
/// the plain key where filters are the only sections).
[[nodiscard]] bool dovecot_known_anywhere(std::span<const std::string_view> keywords,
                                          std::string_view key);

}  // namespace mailtls::detail
