#pragma once

// Helpers that Dovecot rules share: every setting of an instance with the name the version
// knowledge knows it by at the target release, and the scope it is set in.

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
    /// Identifies the scope the setting is set in, for "set twice in one scope": the path of
    /// `type name` of its sections; a section without a name that is not a filter (2.x
    /// `passdb { }`, one entry of a list) is a scope of its own. Held by the site index,
    /// which keeps each distinct scope once: equal scopes are the same bytes, and compare
    /// by address (`scope.data()`).
    std::string_view scope;

    [[nodiscard]] const source_file* file() const noexcept {
        return occurrence->file->source.get();
    }
    [[nodiscard]] const ast::dovecot_setting& setting() const noexcept {
        return *occurrence->setting;
    }
    /// The section keywords around it, outermost first, across includes (filters included).
    [[nodiscard]] std::span<const std::string_view> keywords() const noexcept {
        return occurrence->key->keywords;
    }
};

/// Every setting of the model's instance, in the daemon's order, judged against the model's
/// target. Built on the first call from the model's occurrences, and shared by every rule
/// that asks for them afterwards; each key of the model (a file repeats a few section
/// shapes) is judged once (that reads the version data several times).
[[nodiscard]] const std::vector<dovecot_site>& dovecot_sites(const model::dovecot_model& model);

/// Whether some Dovecot release knows the setting `key` written inside `keywords` (as the
/// data name of any release: the 1.x and 2.0-2.3 section path, a 2.4 `section_key` name, or
/// the plain key where filters are the only sections).
[[nodiscard]] bool dovecot_known_anywhere(std::span<const std::string_view> keywords,
                                          std::string_view key);

}  // namespace mailtls::detail
