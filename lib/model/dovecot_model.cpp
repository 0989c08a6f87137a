#include "model/dovecot_model.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>

#include "arena_hash.hpp"
#include "huge_pages.hpp"
#include "model/dovecot_knowledge.hpp"
#include "name_table.hpp"
#include "parse/text.hpp"

namespace mailtls::model {

namespace dv = dovecot;

namespace {

/// A listener the daemon defines by itself, for the releases `from`..`to` (inclusive; `to`
/// empty: still present). 2.x facts from the `*-login-settings.c` listener tables, checked
/// against `doveconf -a` of 2.3.19 (submission-login has only `submission` there; its
/// `submissions` 465 listener is built in from 2.4.0); 1.x: the `protocols` words.
struct built_in_listener {
    std::string_view service;
    std::string_view name;
    std::string_view protocol;
    std::string_view port;
    bool ssl = false;
    version from;
    std::optional<version> to;
};

const std::array<built_in_listener, 7> k_built_in_listeners{{
    {"imap-login", "imap", "imap", "143", false, {2, 0, 0}, std::nullopt},
    {"imap-login", "imaps", "imap", "993", true, {2, 0, 0}, std::nullopt},
    {"pop3-login", "pop3", "pop3", "110", false, {2, 0, 0}, std::nullopt},
    {"pop3-login", "pop3s", "pop3", "995", true, {2, 0, 0}, std::nullopt},
    {"submission-login", "submission", "submission", "587", false, {2, 3, 0}, std::nullopt},
    {"submission-login", "submissions", "submission", "465", true, {2, 4, 0}, std::nullopt},
    {"managesieve-login", "sieve", "sieve", "4190", false, {2, 0, 0}, std::nullopt},
}};

/// 1.x: each word of `protocols` opens one listener (listener.c).
struct v1_protocol_listener {
    std::string_view word;
    std::string_view protocol;
    std::string_view port;
    bool ssl = false;
};

constexpr std::array<v1_protocol_listener, 4> k_v1_listeners{{
    {"imap", "imap", "143", false},
    {"imaps", "imap", "993", true},
    {"pop3", "pop3", "110", false},
    {"pop3s", "pop3", "995", true},
}};

/// The protocol a 2.x login or protocol service serves, from its name.
std::string_view protocol_of_service(std::string_view service) noexcept {
    for (const auto& l : k_built_in_listeners) {
        if (l.service == service) {
            return l.protocol;
        }
    }
    return {};
}

bool in_release(const version& target, const version& from, const std::optional<version>& to) {
    const version t{target.major, target.minor, target.patch < 0 ? 999 : target.patch};
    return t >= from && (!to || t <= *to);
}

}  // namespace

std::string_view to_string(listener_tls tls) noexcept {
    switch (tls) {
        case listener_tls::plain: return "plain";
        case listener_tls::starttls: return "STARTTLS";
        case listener_tls::implicit: return "implicit TLS";
    }
    return "plain";
}

bool dovecot_true(std::string_view value) noexcept {
    return detail::iequals(value, "yes") || detail::iequals(value, "y") || value == "1";
}

std::vector<std::string_view> dovecot_words(std::string_view value) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < value.size()) {
        while (i < value.size() && (detail::is_space(value[i]) || value[i] == ',' ||
                                    value[i] == '\n')) {
            ++i;
        }
        const auto begin = i;
        while (i < value.size() && !detail::is_space(value[i]) && value[i] != ',' &&
               value[i] != '\n') {
            ++i;
        }
        if (i > begin) {
            words.push_back(value.substr(begin, i - begin));
        }
    }
    return words;
}

std::string written(const dovecot_occurrence& o) {
    return "'" + std::string(o.written_key()) + " = " + std::string(o.value()) + "'";
}

location word_place(const dovecot_occurrence& o, std::string_view word,
                    std::string_view separators) {
    const auto& source = *o.file()->source;
    const auto range = o.setting->value.range;
    const auto text = source.slice(range);
    auto delimiter = [&](char c) {
        return detail::is_space(c) || c == ',' || c == '\n' || c == '"' || c == '\'' ||
               separators.find(c) != std::string_view::npos;
    };
    for (std::size_t at = 0; at + word.size() <= text.size(); ++at) {
        if ((at == 0 || delimiter(text[at - 1])) &&
            (at + word.size() == text.size() || delimiter(text[at + word.size()])) &&
            detail::iequals(text.substr(at, word.size()), word)) {
            const auto begin = range.begin + static_cast<std::uint32_t>(at);
            return {&source, {begin, begin + static_cast<std::uint32_t>(word.size())}};
        }
    }
    return o.value_place();
}

location dovecot_occurrence::key_place() const noexcept {
    return {file()->source.get(), setting->key_range};
}

location dovecot_occurrence::value_place() const noexcept {
    return {file()->source.get(), setting->value.range};
}

std::string_view dovecot_occurrence::value() const noexcept {
    return file()->ast.text(*setting);
}

location dovecot_listener::place() const noexcept {
    if (section != nullptr) {
        return {file->source.get(), section->header_range};
    }
    if (opened_by != nullptr) {
        return opened_by->value_place();
    }
    return {};
}

bool dovecot_listener::implicit_tls() const noexcept {
    return ssl.is_set && dovecot_true(ssl.value);
}

dovecot_model::dovecot_model(const dovecot_instance& instance, version target)
    : instance_(instance), target_(target) {
    const auto blocks = index_settings();
    index_names();
    compute_ssl();
    compute_protocols();
    compute_listeners(blocks);
}

namespace {

/// A key written in sections of one shape (see index_settings).
struct shaped_key {
    std::uint32_t shape = 0;
    std::string_view key;
    bool operator==(const shaped_key&) const = default;
};

/// Not noexcept on purpose (see detail::view_pair_hash).
struct shaped_key_hash {
    std::size_t operator()(const shaped_key& k) const {
        return std::hash<std::string_view>{}(k.key) * 31 + k.shape;
    }
};

}  // namespace

std::vector<dovecot_model::listener_block> dovecot_model::index_settings() {
    // What depends on the sections around a setting is worked out once per run of settings
    // in the same sections (a section's body), and the data name once per key in sections of
    // one shape: the section types, and the `protocol lda` filters around (the model reads
    // the innermost `protocol`, lib/lint's site index any of them, so both are part of it).
    std::unordered_map<std::string, std::uint32_t> shape_ids;  // index into shapes_
    std::vector<std::optional<dv::section_scoping>> scopings;  // by shape, once needed
    detail::arena_hash_map<shaped_key, const dovecot_key*, shaped_key_hash> keys;
    const dovecot_section_scope* scope = nullptr;
    std::uint32_t shape = 0;
    std::string shape_text;
    // The keys of the last run of each shape, in order: the bodies of a large file's sections
    // repeat their keys in the same order, so a key is mostly found without a lookup.
    std::vector<std::vector<const dovecot_key*>> order_of_shape;
    std::size_t position = 0;  // of the setting in its run
    std::size_t settings = 0;  // what the walk visits, but for files read twice
    for (const auto& file : instance_.files) {
        settings += file.ast.settings.size();
    }
    occurrences_.reserve(settings);
    std::vector<listener_block> blocks;
    // The key `text` in the current shape, made and resolved when it is new.
    const auto lookup_key = [&](std::string_view text) -> const dovecot_key* {
        auto [it, inserted] = keys.try_emplace(shaped_key{shape, text}, nullptr);
        if (!inserted) {
            return it->second;
        }
        auto& k = keys_.emplace_back();
        k.id = static_cast<std::uint32_t>(keys_.size() - 1);
        k.keywords = shapes_[shape];
        k.key = text;
        if (!k.keywords.empty()) {
            auto& scoping = scopings[shape];
            if (!scoping) {
                scoping = dv::scoping_of(k.keywords, target_);
            }
            auto resolved = dv::resolve_in_scoping(*scoping, k.key);
            if (scope->protocol() == "lda") {
                if (auto lda = dv::resolve_in_lda(k.key, target_); !lda.empty()) {
                    resolved = std::move(lda);
                }
            }
            // in the arena: a string per key would be 32 bytes, and a heap block when long
            auto* chars = static_cast<char*>(arena_.arena->allocate(resolved.size(), 1));
            std::copy(resolved.begin(), resolved.end(), chars);
            k.resolved = {chars, resolved.size()};
        }
        it->second = &k;
        return &k;
    };
    // The key of the setting at `position` in the current run.
    const auto find_key = [&](std::string_view text) -> const dovecot_key* {
        auto& order = order_of_shape[shape];
        const auto at = position++;
        if (at < order.size() && order[at]->key == text) {
            return order[at];  // the same (shape, text): the same key
        }
        const auto* key = lookup_key(text);
        if (at < order.size()) {
            order[at] = key;
        } else {
            order.push_back(key);
        }
        return key;
    };
    const auto visit_setting = [&](const dovecot_setting_ref& ref) {
        if (scope == nullptr || scope->file != ref.file ||
            !same_sections(scope->sections, ref.sections)) {
            auto& s = scopes_.emplace_back();
            s.file = ref.file;
            s.id = static_cast<std::uint32_t>(scopes_.size() - 1);
            auto* sections = static_cast<const ast::dovecot_section**>(arena_.arena->allocate(
                ref.sections.size() * sizeof(const ast::dovecot_section*),
                alignof(const ast::dovecot_section*)));
            s.sections = {sections, ref.sections.size()};
            shape_text.clear();
            for (std::uint32_t at = 0; at < ref.sections.size(); ++at) {
                const auto& section = *ref.sections[at].section;
                *sections++ = &section;
                shape_text.append(section.type).push_back('/');
                if (section.kind == ast::dovecot_section_kind::filter) {
                    s.filtered = true;
                    if (section.type == "protocol") {
                        s.protocol_at = at;
                        s.in_lda = s.in_lda || section.name == "lda";
                    }
                    continue;
                }
                s.section_type_at = at;
                s.scoped = s.scoped || section.has_name;
                if (section.type == "service") {
                    s.service_at = at;
                } else if (section.type == "inet_listener") {
                    s.listener_at = at;
                }
            }
            shape_text.push_back(s.protocol() == "lda" ? '1' : '0');
            shape_text.push_back(s.in_lda ? '1' : '0');
            const auto [it, inserted] =
                shape_ids.try_emplace(shape_text, static_cast<std::uint32_t>(shapes_.size()));
            if (inserted) {
                auto& keywords = shapes_.emplace_back();
                keywords.reserve(s.sections.size());
                for (const auto* section : s.sections) {
                    keywords.push_back(section->type);
                }
                scopings.emplace_back();
                order_of_shape.emplace_back();
            }
            shape = it->second;
            scope = &s;
            position = 0;
        }
        occurrences_.push_back({ref.setting, scope, find_key(ref.file->ast.key(*ref.setting))});
    };
    // The listener blocks, through includes (also an include inside `service { }`).
    const auto visit_section = [&](const dovecot_section_ref& ref) {
        if (ref.section->type != "inet_listener") {
            return;
        }
        for (auto it = ref.outer.rbegin(); it != ref.outer.rend(); ++it) {
            if (it->section->type == "service") {
                blocks.push_back({ref.file, ref.section, it->section->name});
                return;
            }
        }
    };
    walk_dovecot(instance_, visit_setting, visit_section);
    return blocks;
}

void dovecot_model::index_names() {
    // Each name's occurrences, in order, are one run of by_name_occurrences_: the keys are
    // grouped by name (the occurrences of a key share its name), the groups counted, then
    // filled. Pointers into the occurrences are taken once the vector no longer grows.
    std::size_t size = 16;
    while (size < 2 * keys_.size()) {
        size *= 2;
    }
    name_slots_.assign(size, 0);
    std::vector<std::uint32_t> group_of_key(keys_.size());
    names_.reserve(keys_.size());  // at most a name per key
    for (const auto& key : keys_) {
        auto& slot = name_slots_[name_slot(key.name())];
        if (slot == 0) {
            names_.push_back({key.name(), 0, 0});
            slot = static_cast<std::uint32_t>(names_.size());
        }
        group_of_key[key.id] = slot - 1;
    }
    names_.shrink_to_fit();  // it lives as long as the model
    for (const auto& o : occurrences_) {
        ++names_[group_of_key[o.key->id]].size;
    }
    std::uint32_t at = 0;
    for (auto& n : names_) {
        n.begin = at;
        at += n.size;
    }
    by_name_occurrences_.resize(occurrences_.size());
    std::vector<std::uint32_t> next(names_.size());
    for (std::size_t g = 0; g < names_.size(); ++g) {
        next[g] = names_[g].begin;
    }
    for (const auto& o : occurrences_) {
        by_name_occurrences_[next[group_of_key[o.key->id]]++] = &o;
    }
}

std::size_t dovecot_model::name_slot(std::string_view name) const noexcept {
    const auto mask = name_slots_.size() - 1;
    auto at = std::hash<std::string_view>{}(name) & mask;
    while (name_slots_[at] != 0 && names_[name_slots_[at] - 1].name != name) {
        at = (at + 1) & mask;
    }
    return at;
}

std::span<const dovecot_occurrence* const> dovecot_model::occurrences(
    std::string_view name) const {
    if (name_slots_.empty()) {
        return {};
    }
    const auto slot = name_slots_[name_slot(name)];
    if (slot == 0) {
        return {};
    }
    const auto& n = names_[slot - 1];
    return {by_name_occurrences_.data() + n.begin, n.size};
}

bool dovecot_model::accepts(std::string_view name) const {
    return dv::setting_status(name, target_).state != dv::availability::fatal;
}

std::string_view dovecot_model::first_accepted(
    std::initializer_list<std::string_view> candidates) const {
    for (const auto name : candidates) {
        if (dv::setting_at(name, target_) != nullptr) {
            return name;
        }
    }
    for (const auto name : candidates) {
        if (accepts(name)) {
            return name;
        }
    }
    return {};
}

dovecot_setting_value dovecot_model::global(std::string_view name) const {
    dovecot_setting_value v;
    v.name = name;
    const auto list = occurrences(name);
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
        if (!(*it)->scope->filtered && !(*it)->scope->scoped) {
            v.is_set = true;
            v.value = std::string((*it)->value());
            v.set_by = *it;
            return v;
        }
    }
    if (const auto d = dv::default_value(name, target_)) {
        v.is_set = true;
        v.value = std::string(*d);
    }
    return v;
}

dovecot_setting_value dovecot_model::in_protocol(std::string_view protocol,
                                                 std::string_view name) const {
    const auto list = occurrences(name);
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
        if ((*it)->scope->protocol() == protocol && !(*it)->scope->scoped) {
            dovecot_setting_value v;
            v.name = name;
            v.is_set = true;
            v.value = std::string((*it)->value());
            v.set_by = *it;
            return v;
        }
    }
    return global(name);
}

dovecot_model::certificate_names dovecot_model::certificate_settings() const {
    return {first_accepted({"ssl_server_cert_file", "ssl_cert", "ssl_cert_file"}),
            first_accepted({"ssl_server_key_file", "ssl_key", "ssl_key_file"})};
}

std::string dovecot_model::certificate_example() const {
    const auto names = certificate_settings();
    const auto* period = dv::setting_at(names.cert, target_);
    // 2.0–2.3 PEM settings read a file with `<`; FILE (2.4) and 1.x path settings take a path
    const std::string_view lt = period != nullptr && period->type == dv::value_type::pem ? "<" : "";
    return "'" + std::string(names.cert) + " = " + std::string(lt) +
           "/etc/ssl/certs/mail.pem' and '" + std::string(names.key) + " = " + std::string(lt) +
           "/etc/ssl/private/mail.key'";
}

location dovecot_model::top_place() const noexcept {
    if (instance_.files.empty()) {
        return {};
    }
    return {instance_.files[0].source.get(), {0, 0}};
}

void dovecot_model::compute_ssl() {
    // `ssl` (1.2+) decides; 1.0/1.1 know only `ssl_disable`, and 2.0–2.3 convert a written
    // `ssl_disable` into `ssl` (inverted) when no `ssl` line says otherwise.
    const bool knows_ssl = dv::setting_at("ssl", target_) != nullptr;
    auto ssl = knows_ssl ? global("ssl") : dovecot_setting_value{};
    auto disable = global("ssl_disable");
    if (!disable.is_set && !knows_ssl) {
        disable.is_set = true;  // 1.0/1.1 whose data lacks a default: TLS on
        disable.value = "no";
    }
    const bool use_disable =
        !knows_ssl || (ssl.is_default() && disable.set_by != nullptr && accepts("ssl_disable"));
    if (use_disable) {
        ssl_ = disable;
        ssl_.name = "ssl_disable";
        ssl_mode_ = dovecot_true(disable.value) ? dovecot_ssl_mode::no : dovecot_ssl_mode::yes;
        return;
    }
    ssl_ = ssl;
    ssl_.name = "ssl";
    ssl_mode_ = ssl.value == "no"         ? dovecot_ssl_mode::no
                : ssl.value == "required" ? dovecot_ssl_mode::required
                                          : dovecot_ssl_mode::yes;
}

void dovecot_model::compute_protocols() {
    const auto value = global("protocols");
    const bool v2 = target_.major == 2 && target_.minor < 4;
    auto add = [&](std::string_view word) {
        std::string p(word);
        if (v2 && (p == "imaps" || p == "pop3s")) {
            p.pop_back();  // converted by old-set-parser.c
        }
        if (std::find(protocols_.begin(), protocols_.end(), p) == protocols_.end()) {
            protocols_.push_back(std::move(p));
        }
    };
    for (const auto word : dovecot_words(value.value)) {
        if (word != "none") {
            add(word);
        }
    }
    // 2.4 boollist block: `protocols { imap = yes }` adds, `= no` removes.
    for (const auto& o : occurrences_) {
        if (o.scope->section_type() != "protocols" || o.scope->filtered) {
            continue;
        }
        if (dovecot_true(o.value())) {
            add(o.written_key());
        } else {
            std::erase(protocols_, o.written_key());
        }
    }
}

void dovecot_model::compute_listeners(std::span<const listener_block> blocks) {
    const auto enabled = [&](std::string_view protocol) {
        return protocol.empty() ||
               std::find(protocols_.begin(), protocols_.end(), protocol) != protocols_.end();
    };
    const bool ssl_off = ssl_mode_ == dovecot_ssl_mode::no;
    auto finish = [&](dovecot_listener& l) {
        // 1.x listeners exist because `protocols` names them
        l.protocol_enabled = target_.major < 2 || enabled(l.protocol);
        const bool implicit = l.implicit_tls();
        l.tls = implicit ? listener_tls::implicit
                : ssl_off ? listener_tls::plain
                          : listener_tls::starttls;
        l.open = l.port.value != "0" && l.protocol_enabled && !(implicit && ssl_off);
    };

    if (target_.major < 2) {
        const auto value = global("protocols");
        for (const auto word : dovecot_words(value.value)) {
            for (const auto& v1 : k_v1_listeners) {
                if (v1.word != word) {
                    continue;
                }
                dovecot_listener l;
                l.service = v1.protocol;
                l.name = v1.word;
                l.protocol = v1.protocol;
                l.built_in = true;
                l.opened_by = value.set_by;
                l.port = {"port", true, std::string(v1.port), nullptr};
                l.ssl = {"ssl", true, v1.ssl ? "yes" : "no", nullptr};
                listeners_.push_back(std::move(l));
            }
        }
        for (auto& l : listeners_) {
            finish(l);
        }
        return;
    }

    // (service, name) -> index; the names are views of the built-in table or of the files.
    // A large file has a listener per service: it is the model's largest array, written
    // once from start to end (huge_pages.hpp).
    const auto most = k_built_in_listeners.size() + blocks.size();
    listeners_.reserve(most);
    detail::advise_huge_pages(listeners_);
    detail::view_pair_table by_key(static_cast<std::uint32_t>(most));
    const auto key_of = [&](std::uint32_t i) {
        return detail::view_pair{listeners_[i].service, listeners_[i].name};
    };
    auto find = [&](std::string_view service, std::string_view name) -> dovecot_listener* {
        const auto i = by_key.find({service, name}, key_of);
        return i == detail::view_pair_table::none ? nullptr : &listeners_[i];
    };
    const auto add = [&](std::string_view service, std::string_view name) -> dovecot_listener& {
        auto& l = listeners_.emplace_back();  // made in place: thousands in a large file
        l.service = service;
        l.name = name;
        by_key.assign({service, name}, static_cast<std::uint32_t>(listeners_.size() - 1), key_of);
        return l;
    };
    for (const auto& b : k_built_in_listeners) {
        if (!in_release(target_, b.from, b.to)) {
            continue;
        }
        auto& l = add(b.service, b.name);  // the built-in names are distinct
        l.protocol = b.protocol;
        l.built_in = true;
        l.port = {"port", true, std::string(b.port), nullptr};
        l.ssl = {"ssl", true, b.ssl ? "yes" : "no", nullptr};
    }
    const auto port_name = dv::resolve_in_section(
        std::array<std::string_view, 2>{"service", "inet_listener"}, "port", target_);
    const auto ssl_name = dv::resolve_in_section(
        std::array<std::string_view, 2>{"service", "inet_listener"}, "ssl", target_);
    const auto d_port = dv::default_value(port_name, target_);
    const auto d_ssl = dv::default_value(ssl_name, target_);
    // The blocks, in the order the daemon reads them.
    for (const auto& block : blocks) {
        const auto& s = *block.section;
        const auto service = block.service;
        if (service.empty()) {
            continue;
        }
        auto* l = find(service, s.name);
        if (l == nullptr) {
            l = &add(service, s.name);
            l->protocol = protocol_of_service(service);
            l->port = {"port", true, std::string(d_port.value_or("0")), nullptr};
            l->ssl = {"ssl", true, std::string(d_ssl.value_or("no")), nullptr};
        }
        if (l->section == nullptr) {
            l->file = block.file;
            l->section = &s;
        }
    }
    // The settings inside listener blocks (across includes), the last one winning; the
    // settings of one block share a scope, and so its listener.
    const dovecot_section_scope* last = nullptr;
    dovecot_listener* listener = nullptr;
    for (const auto& o : occurrences_) {
        const auto& scope = *o.scope;
        if (scope.listener().empty() || scope.service().empty() ||
            scope.section_type() != "inet_listener" ||
            (o.written_key() != "port" && o.written_key() != "ssl")) {
            continue;
        }
        if (o.scope != last) {
            last = o.scope;
            listener = find(scope.service(), scope.listener());
        }
        if (listener == nullptr) {
            continue;
        }
        if (o.written_key() == "port") {
            listener->port = {"port", true, std::string(o.value()), &o};
        } else if (o.written_key() == "ssl") {
            listener->ssl = {"ssl", true, std::string(o.value()), &o};
        }
    }
    for (auto& l : listeners_) {
        finish(l);
    }
}

bool dovecot_model::is_partial() const noexcept {
    using kind = dovecot_include_problem::kind_type;
    return instance_.fragment ||
           std::any_of(instance_.include_problems.begin(), instance_.include_problems.end(),
                       [](const dovecot_include_problem& p) {
                           return p.kind == kind::too_deep || p.kind == kind::too_many_files ||
                                  p.kind == kind::too_many_matches;
                       });
}

bool same_sections(std::span<const ast::dovecot_section* const> last,
                   std::span<const dovecot_scope> sections) noexcept {
    return std::equal(last.begin(), last.end(), sections.begin(), sections.end(),
                      [](const ast::dovecot_section* a, const dovecot_scope& b) {
                          return a == b.section;
                      });
}

}  // namespace mailtls::model
