#pragma once

// The effective Dovecot configuration of one instance at one target release: where each
// setting is written (indexed once by its data name, see dovecot_knowledge.hpp), the value in
// effect at global scope and per `protocol` filter with the place that set it or the target's
// default, the TLS mode (`ssl`, 1.0/1.1 `ssl_disable`), and the listeners that exist.
//
// Values: a root setting outside every filter sets the global value (the last one wins); a
// setting inside `protocol NAME { }` (and no other filter) overrides it for that protocol.
// Settings inside `local`, `remote` and `local_name` filters apply to some connections only:
// they are indexed (rules see every place) but never make the global value.
//
// Listeners, 2.x: the ones the daemon defines by itself (`imap-login` has `imap` on 143 and
// `imaps` on 993 with `ssl = yes`, ...; see k_built_in_listeners in dovecot_model.cpp, checked
// against `doveconf -a` 2.3.19) plus the `inet_listener` blocks of the files; a block with the
// name of a built-in one modifies it, so a setting it leaves out keeps the built-in value. 1.x
// has no listener blocks: each word of `protocols` (imap, imaps, pop3, pop3s) opens one.
// A listener with `ssl = yes` is implicit TLS; the others offer STARTTLS when the global
// `ssl` is not `no`, else they are plain. With `ssl = no` an implicit-TLS listener is silently
// not opened (service.c `if (set->ssl && ssl_disabled) continue;`; 1.x listener.c).

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arena_hash.hpp"
#include "mailtls/diagnostic.hpp"
#include "mailtls/instance.hpp"
#include "model/derived.hpp"

namespace mailtls::model {

/// The sections around a run of settings (a section's body, across includes) and what they
/// decide for the settings in it. Held by the model, shared by the run's occurrences.
struct dovecot_section_scope {
    /// The file its settings are written in (a section body across includes is a scope per
    /// file).
    const parsed_file<ast::dovecot_file>* file = nullptr;
    /// Its index in the model's scopes, counted from 0: what derives from a scope can be kept
    /// in a table by it.
    std::uint32_t id = 0;
    bool filtered = false;  ///< inside any filter (`protocol`, `local`, `remote`, ...)
    /// Inside a section with a name (`service imap-login`, `inet_listener imaps`,
    /// `auth default`): it applies there only. 2.4 named filters without a name
    /// (`ssl_server { }`) hold global settings.
    bool scoped = false;
    /// Inside any `protocol lda` filter, the innermost or not (1.x deliver's own settings,
    /// dovecot::resolve_in_lda).
    bool in_lda = false;
    /// The sections, outermost first (file roots are not listed); held by the model.
    std::span<const ast::dovecot_section* const> sections;

    /// The name of the innermost `protocol` filter, or empty.
    [[nodiscard]] std::string_view protocol() const noexcept { return name_at(protocol_at); }
    /// The name of the `service` section around it, or empty.
    [[nodiscard]] std::string_view service() const noexcept { return name_at(service_at); }
    /// The name of the `inet_listener` section around it, or empty.
    [[nodiscard]] std::string_view listener() const noexcept { return name_at(listener_at); }
    /// The innermost non-filter section type (`auth`, `service`, `inet_listener`,
    /// `ssl_server`, `protocols`), empty at root.
    [[nodiscard]] std::string_view section_type() const noexcept {
        return section_type_at == k_none ? std::string_view{} : sections[section_type_at]->type;
    }

    /// Where in `sections` the accessors above find their section (the innermost one of its
    /// kind), k_none when there is none: positions, not four views, keep a scope small (a
    /// large file has a scope per section body).
    static constexpr std::uint32_t k_none = 0xFFFFFFFF;
    std::uint32_t protocol_at = k_none;
    std::uint32_t service_at = k_none;
    std::uint32_t listener_at = k_none;
    std::uint32_t section_type_at = k_none;

private:
    [[nodiscard]] std::string_view name_at(std::uint32_t at) const noexcept {
        return at == k_none ? std::string_view{} : std::string_view(sections[at]->name);
    }
};

/// A key as written inside sections of given types (and given `protocol lda` filters): the
/// model resolves it to its data name once, for every occurrence that shares it (a large file
/// repeats a few section shapes). Held by the model.
struct dovecot_key {
    /// Its index in the model's keys, counted from 0: what derives from a key can be kept in
    /// a table by it.
    std::uint32_t id = 0;
    /// The types of the sections around it, outermost first (filters included).
    std::span<const std::string_view> keywords;
    std::string_view key;       ///< as written (the first occurrence's key)
    std::string_view resolved;  ///< the data name inside sections (`keywords` not empty)

    /// The data name (dovecot::resolve_in_section, or resolve_in_lda in a 1.x
    /// `protocol lda { }`): the key itself outside every section, else `resolved`.
    [[nodiscard]] std::string_view name() const noexcept {
        return keywords.empty() ? key : resolved;
    }
};

/// One place where a setting is written, with the scope the daemon applies it to.
struct dovecot_occurrence {
    const ast::dovecot_setting* setting = nullptr;
    const dovecot_section_scope* scope = nullptr;  ///< never null; held by the model
    const dovecot_key* key = nullptr;              ///< never null; held by the model

    /// The file it is written in (its scope's: one pointer less for each of 50,000 settings).
    [[nodiscard]] const parsed_file<ast::dovecot_file>* file() const noexcept {
        return scope->file;
    }

    /// The data name (dovecot::resolve_in_section): `ssl`, `auth/mechanisms`,
    /// `service/inet_listener/ssl` (2.0–2.3), `inet_listener_ssl`, `ssl_server_cert_file`.
    [[nodiscard]] std::string_view name() const noexcept { return key->name(); }

    /// The key as written (unquoted): `ssl`, `port` (its model key's text, the same).
    [[nodiscard]] std::string_view written_key() const noexcept { return key->key; }
    [[nodiscard]] location key_place() const noexcept;
    [[nodiscard]] location value_place() const noexcept;
    /// The value the daemon uses (unquoted; for `<path`, the path).
    [[nodiscard]] std::string_view value() const noexcept;
};

/// A setting's value in effect somewhere, and where it came from.
struct dovecot_setting_value {
    std::string_view name;     ///< the data name asked for
    bool is_set = false;       ///< false when no line sets it and the target has no default
    std::string value;         ///< as the daemon reads it (for `<path`, the path)
    /// The line that set it; null when the value is the target's default (or built in).
    const dovecot_occurrence* set_by = nullptr;

    [[nodiscard]] bool is_default() const noexcept { return set_by == nullptr; }
};

enum class dovecot_ssl_mode : std::uint8_t { no, yes, required };
enum class listener_tls : std::uint8_t { plain, starttls, implicit };

[[nodiscard]] std::string_view to_string(listener_tls tls) noexcept;

/// An inet listener that exists in the effective configuration.
///
/// Its names view the daemon's built-in listeners or the names of the files' sections.
struct dovecot_listener {
    std::string_view service;   ///< `imap-login`; 1.x: the protocol (`imap`)
    std::string_view name;      ///< `imaps`
    std::string_view protocol;  ///< the protocol it serves (`imap`), empty when unknown
    bool built_in = false;       ///< the daemon defines it without a block
    /// The `inet_listener` block (null for a built-in one no block modifies; 1.x: null).
    const parsed_file<ast::dovecot_file>* file = nullptr;
    const ast::dovecot_section* section = nullptr;
    /// 1.x: the `protocols` line that opens it (null when it is the default).
    const dovecot_occurrence* opened_by = nullptr;
    dovecot_setting_value port;  ///< set_by null: the built-in or default value
    dovecot_setting_value ssl;   ///< `yes`/`no`; set_by null: built-in or default
    bool protocol_enabled = true;  ///< its protocol is in `protocols` (or unknown)
    listener_tls tls = listener_tls::plain;
    /// It accepts connections: a non-zero port, its protocol enabled, and not `ssl = yes`
    /// while the global `ssl = no`.
    bool open = false;

    /// The block's header, else the `protocols` line, else nothing (file null).
    [[nodiscard]] location place() const noexcept;
    [[nodiscard]] bool implicit_tls() const noexcept;  ///< `ssl = yes` in effect
};

class dovecot_model {
public:
    dovecot_model(const dovecot_instance& instance, version target);
    /// Occurrences point at the model's scopes and keys: a model stays where it is built.
    dovecot_model(const dovecot_model&) = delete;
    dovecot_model& operator=(const dovecot_model&) = delete;

    [[nodiscard]] version target() const noexcept { return target_; }
    [[nodiscard]] const dovecot_instance& instance() const noexcept { return instance_; }

    /// A fragment (`conf.d/10-ssl.conf`) linted by itself (`dovecot_instance::fragment`):
    /// rules that need the whole instance (DV103) stay quiet.
    [[nodiscard]] bool is_fragment() const noexcept { return instance_.fragment; }
    /// The model does not hold the whole configuration: a fragment, or includes cut short by
    /// the loader's limits (depth, file count, glob size). Rules about what the whole
    /// configuration lacks (DV007, DV103, DV105 on defaults) do not judge it.
    [[nodiscard]] bool is_partial() const noexcept;

    /// Every place that sets `name` (a data name), in the order the daemon reads them.
    [[nodiscard]] std::span<const dovecot_occurrence* const> occurrences(
        std::string_view name) const;
    /// Every indexed setting, in the order the daemon reads them.
    [[nodiscard]] std::span<const dovecot_occurrence> all_occurrences() const noexcept {
        return occurrences_;
    }
    /// How many distinct keys the occurrences have (dovecot_key::id is below it).
    [[nodiscard]] std::size_t key_count() const noexcept { return keys_.size(); }
    /// How many scopes the occurrences have (dovecot_section_scope::id is below it).
    [[nodiscard]] std::size_t scope_count() const noexcept { return scopes_.size(); }
    /// The scope whose id is `id` (below scope_count()).
    [[nodiscard]] const dovecot_section_scope& scope(std::size_t id) const noexcept {
        return scopes_[id];
    }

    /// The value at global scope: the last setting outside every filter and named section,
    /// else the default.
    [[nodiscard]] dovecot_setting_value global(std::string_view name) const;
    /// The value for one protocol: the last setting in `protocol NAME { }`, else global().
    [[nodiscard]] dovecot_setting_value in_protocol(std::string_view protocol,
                                                    std::string_view name) const;
    /// Whether the target release knows `name` (valid, or converted with a warning).
    [[nodiscard]] bool accepts(std::string_view name) const;

    /// The global TLS mode and the setting that decides it (`ssl`, or 1.0/1.1 `ssl_disable`,
    /// or a converted `ssl_disable` on 2.0–2.3 when no `ssl` line is written).
    [[nodiscard]] dovecot_ssl_mode ssl_mode() const noexcept { return ssl_mode_; }
    [[nodiscard]] const dovecot_setting_value& ssl_setting() const noexcept { return ssl_; }
    [[nodiscard]] bool tls_enabled() const noexcept { return ssl_mode_ != dovecot_ssl_mode::no; }

    /// The protocols `protocols` enables (2.0–2.3 `imaps` counted as `imap`), and the value.
    [[nodiscard]] const std::vector<std::string>& protocols() const noexcept {
        return protocols_;
    }
    [[nodiscard]] std::span<const dovecot_listener> listeners() const noexcept {
        return listeners_;
    }

    /// The first name of `candidates` the target accepts (e.g. the certificate setting:
    /// `ssl_server_cert_file`, `ssl_cert` or `ssl_cert_file`), or empty.
    [[nodiscard]] std::string_view first_accepted(
        std::initializer_list<std::string_view> candidates) const;

    /// The settings that name the server certificate and key at the target:
    /// `ssl_server_cert_file`/`ssl_server_key_file` (2.4), `ssl_cert`/`ssl_key` (2.0–2.3),
    /// `ssl_cert_file`/`ssl_key_file` (1.x), as the data says.
    struct certificate_names {
        std::string_view cert;
        std::string_view key;
    };
    [[nodiscard]] certificate_names certificate_settings() const;
    /// "'ssl_cert = </path'" style: how the target writes a certificate path (for hints).
    [[nodiscard]] std::string certificate_example() const;

    /// The start of the top file: where to report what no line causes.
    [[nodiscard]] location top_place() const noexcept;

    /// What lib/lint derives from this model once and shares between rules (derived.hpp).
    [[nodiscard]] const derived_slot& derived() const noexcept { return derived_; }

private:
    derived_slot derived_;
    /// An `inet_listener` block and the `service` section around it (the nearest one).
    struct listener_block {
        const parsed_file<ast::dovecot_file>* file = nullptr;
        const ast::dovecot_section* section = nullptr;
        std::string_view service;
    };
    /// Indexes the settings, and gives the listener blocks met in the same walk.
    std::vector<listener_block> index_settings();
    /// Indexes the occurrences by name (for occurrences()), once index_settings() made them.
    void index_names();
    void compute_ssl();
    void compute_protocols();
    void compute_listeners(std::span<const listener_block> blocks);

    const dovecot_instance& instance_;
    version target_;
    std::vector<dovecot_occurrence> occurrences_;
    /// What the occurrences point at (node-based: they stay put as the model grows).
    std::deque<dovecot_section_scope> scopes_;
    std::deque<dovecot_key> keys_;
    std::deque<std::vector<std::string_view>> shapes_;  ///< the keywords the keys view
    detail::arena_owner arena_;  ///< the sections of the scopes, the keys' resolved names
    /// The occurrences of each name, in order: [begin, begin + size) of by_name_occurrences_
    /// (a large file has thousands of names, the keys of a `plugin { }` section, most of
    /// them set once).
    struct name_entry {
        std::string_view name;
        std::uint32_t begin = 0;
        std::uint32_t size = 0;
    };
    std::vector<name_entry> names_;
    /// An open-addressing table of the names, at most half full: the number plus one of a
    /// name in `names_`, 0 when empty (four bytes a slot; a map's node is some sixty).
    std::vector<std::uint32_t> name_slots_;
    /// The slot of `name` in name_slots_: where it is, or the empty one where it would go.
    [[nodiscard]] std::size_t name_slot(std::string_view name) const noexcept;
    std::vector<const dovecot_occurrence*> by_name_occurrences_;
    dovecot_ssl_mode ssl_mode_ = dovecot_ssl_mode::yes;
    dovecot_setting_value ssl_;
    std::vector<std::string> protocols_;
    std::vector<dovecot_listener> listeners_;
};

/// A Dovecot boolean that reads as true: `yes` (2.x also `y` and `1`), in any case.
[[nodiscard]] bool dovecot_true(std::string_view value) noexcept;

/// The words of a space-separated list value.
[[nodiscard]] std::vector<std::string_view> dovecot_words(std::string_view value);

/// `'key = value'` as the daemon reads the setting (for messages).
[[nodiscard]] std::string written(const dovecot_occurrence& o);

/// The place of the first whole `word` (delimited by blanks, commas or `separators`) in the
/// value of `o` as written, case-insensitive; the whole value when it is not found as such.
[[nodiscard]] location word_place(const dovecot_occurrence& o, std::string_view word,
                                  std::string_view separators = "");

/// Whether `sections` (of a setting met in a walk) are the sections in `last`, in order: a
/// walk works out what depends on the sections around a setting again only when they change.
[[nodiscard]] bool same_sections(std::span<const ast::dovecot_section* const> last,
                                 std::span<const dovecot_scope> sections) noexcept;

}  // namespace mailtls::model
