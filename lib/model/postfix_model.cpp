#include "model/postfix_model.hpp"

#include <algorithm>
#include <unordered_set>

#include "arena_hash.hpp"
#include "mailtls/parse.hpp"
#include "model/postfix_knowledge.hpp"
#include "parse/text.hpp"

namespace mailtls::model {

namespace {

std::string_view trim(std::string_view s) noexcept {
    const auto begin = s.find_first_not_of(" \t\r\n\v\f");
    if (begin == std::string_view::npos) {
        return {};
    }
    const auto end = s.find_last_not_of(" \t\r\n\v\f");
    return s.substr(begin, end - begin + 1);
}

/// The role a port (number or services(5) name) implies.
service_role role_of_port(std::string_view port) noexcept {
    if (port == "25" || port == "smtp") {
        return service_role::mx;
    }
    if (port == "587" || port == "submission") {
        return service_role::submission;
    }
    if (port == "465" || port == "smtps" || port == "submissions") {
        return service_role::implicit_tls;
    }
    return service_role::other;
}

bool runs(const ast::master_cf_entry& entry, std::string_view program) noexcept {
    return entry.command.text == program;
}

}  // namespace

std::string_view to_string(service_role role) noexcept {
    switch (role) {
        case service_role::mx: return "mx";
        case service_role::submission: return "submission";
        case service_role::implicit_tls: return "implicit-tls";
        case service_role::other: return "other";
    }
    return "other";
}

std::optional<service_role> parse_service_role(std::string_view text) noexcept {
    for (const auto role : {service_role::mx, service_role::submission, service_role::implicit_tls,
                            service_role::other}) {
        if (to_string(role) == text) {
            return role;
        }
    }
    return std::nullopt;
}

std::string_view to_string(tls_mode mode) noexcept {
    switch (mode) {
        case tls_mode::off: return "off";
        case tls_mode::opportunistic: return "opportunistic";
        case tls_mode::required: return "required";
        case tls_mode::implicit: return "implicit";
    }
    return "off";
}

std::string_view trim_blanks(std::string_view value) noexcept { return trim(value); }

bool is_yes(std::string_view value) noexcept {
    value = trim(value);
    return detail::iequals(value, "yes");
}

postfix_model::postfix_model(const postfix_instance& instance, version target,
                             const std::map<std::string, std::string, std::less<>>& roles)
    : instance_(instance), target_(model::resolve(target)), compatibility_level_(default_compatibility_level()) {
    if (instance.main_cf) {
        const auto& params = instance.main_cf->ast.parameters;
        main_index_ = detail::name_table(static_cast<std::uint32_t>(params.size()));
        // in file order: the last of a name wins, as in Postfix
        main_index_.assign_all(static_cast<std::uint32_t>(params.size()),
                               [&](std::uint32_t i) { return std::string_view(params[i].name); });
    }
    if (const auto level = global("compatibility_level"); level.is_set) {
        if (const auto parsed = parse_compatibility_level(trim(level.value))) {
            compatibility_level_ = *parsed;
        }
    }

    auto role_for = [&](const ast::master_cf_entry& entry) {
        for (const auto key : {std::string_view(entry.service.text), entry.port}) {
            if (const auto it = roles.find(key); !key.empty() && it != roles.end()) {
                if (const auto role = parse_service_role(it->second)) {
                    return *role;
                }
            }
        }
        return role_of_port(entry.port);
    };

    if (!instance.master_cf) {
        master_cf_assumed_ = true;
        services_.push_back({"smtp/inet", service_role::mx, nullptr, {}, nullptr});
        return;
    }
    const auto& master = *instance.master_cf;
    // master(8) uses the last entry of a service name and type and ignores the earlier ones:
    // walk back from the end, keeping the first of each name and type met
    const auto& all = master.ast.entries;
    std::unordered_set<detail::view_pair, detail::view_pair_hash> seen;  // name and type
    seen.reserve(all.size());
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        if (seen.emplace(it->service.text, it->type_word.text).second) {
            entries_.push_back(&*it);
        }
    }
    std::reverse(entries_.begin(), entries_.end());
    // postscreen on the MX port hands clients to the pass service named by its
    // `smtpd_service_name` (by default `smtpd pass ... smtpd`).
    const ast::master_cf_entry* postscreen = nullptr;
    for (const auto* entry : entries_) {
        if (entry->type == ast::master_service_type::inet && runs(*entry, "postscreen") &&
            role_for(*entry) == service_role::mx) {
            postscreen = entry;
        }
    }
    const auto handoff = postscreen != nullptr
                             ? std::string(trim(raw_value(postscreen, "smtpd_service_name")
                                                    .value_or("smtpd")))
                             : std::string();
    for (const auto* entry : entries_) {
        if (!runs(*entry, "smtpd")) {
            continue;
        }
        smtpd_service service;
        service.label = entry->service.text + "/" + entry->type_word.text;
        service.entry = entry;
        service.where = {master.source.get(), entry->service.range};
        if (entry->type == ast::master_service_type::inet) {
            service.role = role_for(*entry);
        } else if (entry->type == ast::master_service_type::pass && postscreen != nullptr &&
                   entry->service.text == handoff) {
            service.role = service_role::mx;
            service.postscreen = postscreen;
        }
        services_.push_back(std::move(service));
    }
}

bool postfix_model::exists_at_target(std::string_view name) const {
    const auto* info = find_parameter(name);
    return info == nullptr || is_known_at(*info, target_);
}

std::uint32_t postfix_model::main_parameter_index(std::string_view name) const {
    if (!instance_.main_cf) {
        return detail::name_table::none;
    }
    const auto& params = instance_.main_cf->ast.parameters;
    return main_index_.find(name, [&](std::uint32_t i) { return params[i].name; });
}

void postfix_model::main_parameter_indexes(std::span<const std::string_view> names,
                                           std::span<std::uint32_t> indexes) const {
    if (!instance_.main_cf) {
        std::fill(indexes.begin(), indexes.end(), detail::name_table::none);
        return;
    }
    const auto& params = instance_.main_cf->ast.parameters;
    main_index_.find_all(names, indexes, [&](std::uint32_t i) { return params[i].name; });
}

const ast::main_cf_parameter* postfix_model::main_parameter(std::string_view name) const {
    const auto i = main_parameter_index(name);
    return i == detail::name_table::none ? nullptr : &instance_.main_cf->ast.parameters[i];
}

std::optional<std::string_view> postfix_model::raw_value(const ast::master_cf_entry* entry,
                                                         std::string_view name) const {
    if (!exists_at_target(name)) {
        return std::nullopt;
    }
    if (entry != nullptr) {
        if (const auto* o = entry->find_override(name)) {
            return std::string_view(o->value);
        }
    }
    if (const auto* p = main_parameter(name)) {
        return std::string_view(p->value);
    }
    return default_value(name, target_, compatibility_level_);
}

void postfix_model::expand(setting& s, const ast::master_cf_entry* entry) const {
    if (s.raw.find('$') == std::string::npos) {
        s.value = s.raw;
        return;
    }
    const auto expanded = expand_postfix_value(
        s.raw, [&](std::string_view ref) { return raw_value(entry, ref); });
    s.value = expanded.text;
}

setting postfix_model::resolve(const ast::master_cf_entry* entry, std::string_view name) const {
    if (!exists_at_target(name)) {
        // the target release does not know it: Postfix ignores the setting ("unused
        // parameter"), and there is no default
        setting s;
        s.name = name;
        return s;
    }
    if (entry != nullptr) {
        if (const auto* o = entry->find_override(name)) {
            return of_override(*entry, *o);
        }
    }
    setting s;
    s.name = name;
    if (const auto* p = main_parameter(name)) {
        s.is_set = true;
        s.raw = p->value;
        s.origin = value_origin::main_cf;
        s.where = {instance_.main_cf->source.get(), p->range};
        s.main_parameter = p;
    } else if (const auto d = default_value(name, target_, compatibility_level_)) {
        s.is_set = true;
        s.raw = std::string(*d);
        s.origin = value_origin::built_in;
    }
    expand(s, entry);
    return s;
}

setting postfix_model::of_override(const ast::master_cf_entry& entry,
                                   const ast::master_cf_override& override_option) const {
    setting s;
    s.name = override_option.name;
    s.is_set = true;
    s.raw = override_option.value;
    s.origin = value_origin::master_cf;
    s.where = {instance_.master_cf ? instance_.master_cf->source.get() : nullptr,
               override_option.range};
    s.override_option = &override_option;
    expand(s, &entry);
    return s;
}

setting postfix_model::global(std::string_view name) const { return resolve(nullptr, name); }

setting postfix_model::in_service(const smtpd_service& service, std::string_view name) const {
    return resolve(service.entry, name);
}

setting postfix_model::in_entry(const ast::master_cf_entry& entry, std::string_view name) const {
    return resolve(&entry, name);
}

std::vector<const ast::master_cf_entry*> postfix_model::entries_running(
    std::string_view program) const {
    std::vector<const ast::master_cf_entry*> found;
    for (const auto* entry : entries_) {
        if (runs(*entry, program)) {
            found.push_back(entry);
        }
    }
    return found;
}

postfix_model::client_tls postfix_model::client_tls_in_effect(
    const ast::master_cf_entry* entry) const {
    client_tls result{"none", resolve(entry, "smtp_tls_security_level")};
    if (const auto level = trim(result.cause.value); !level.empty()) {
        result.level = std::string(level);
        return result;
    }
    if (auto enforce = resolve(entry, "smtp_enforce_tls"); is_yes(enforce.value)) {
        result.level = "encrypt";
        result.cause = std::move(enforce);
    } else if (auto use = resolve(entry, "smtp_use_tls"); is_yes(use.value)) {
        result.level = "may";
        result.cause = std::move(use);
    }
    return result;
}

tls_mode postfix_model::tls_in_effect(const smtpd_service& service) const {
    if (is_yes(in_service(service, "smtpd_tls_wrappermode").value)) {
        return tls_mode::implicit;
    }
    const auto level = in_service(service, "smtpd_tls_security_level");
    const auto text = trim(level.value);
    if (text.empty()) {
        if (is_yes(in_service(service, "smtpd_enforce_tls").value)) {
            return tls_mode::required;
        }
        return is_yes(in_service(service, "smtpd_use_tls").value) ? tls_mode::opportunistic
                                                                   : tls_mode::off;
    }
    // tls_level_lookup() ignores case; smtpd runs the client-only levels verify, secure and
    // fingerprint as encrypt (with a warning) and refuses any other word.
    for (const auto* enforcing : {"encrypt", "verify", "secure", "fingerprint"}) {
        if (detail::iequals(text, enforcing)) {
            return tls_mode::required;
        }
    }
    return detail::iequals(text, "may") ? tls_mode::opportunistic : tls_mode::off;
}

setting postfix_model::tls_cause(const smtpd_service& service) const {
    if (auto wrapper = in_service(service, "smtpd_tls_wrappermode"); is_yes(wrapper.value)) {
        return wrapper;
    }
    auto level = in_service(service, "smtpd_tls_security_level");
    if (!trim(level.value).empty()) {
        return level;
    }
    for (const auto* legacy : {"smtpd_enforce_tls", "smtpd_use_tls"}) {
        if (auto s = in_service(service, legacy); is_yes(s.value)) {
            return s;
        }
    }
    return level;
}

bool postfix_model::sasl_enabled(const smtpd_service& service) const {
    return is_yes(in_service(service, "smtpd_sasl_auth_enable").value);
}

location postfix_model::fallback_place() const noexcept {
    if (instance_.master_cf) {
        return {instance_.master_cf->source.get(), {0, 0}};
    }
    if (instance_.main_cf) {
        return {instance_.main_cf->source.get(), {0, 0}};
    }
    return {};
}

location postfix_model::main_cf_start() const noexcept {
    if (instance_.main_cf) {
        return {instance_.main_cf->source.get(), {0, 0}};
    }
    return fallback_place();
}

location postfix_model::place_of(const ast::master_cf_entry& entry) const noexcept {
    return {instance_.master_cf ? instance_.master_cf->source.get() : nullptr,
            entry.service.range};
}

std::optional<note> postfix_model::assumption_note() const {
    if (!master_cf_assumed_) {
        return std::nullopt;
    }
    return note{"no master.cf was given: assuming the stock master.cf of Postfix " +
                    target_.to_string() +
                    ", whose only smtpd service is 'smtp inet ... smtpd' on port 25",
                {}};
}

}  // namespace mailtls::model
