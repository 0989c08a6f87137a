#pragma once

// What mailtls-lint knows about Postfix releases: every main.cf parameter with the release that
// introduced, deprecated or removed it, its replacement, its type, and its built-in default by
// release and compatibility_level. The facts live in lib/model/postfix_parameters.tsv (its
// layout is in docs/version-knowledge.md); CMake embeds that file in the library, and it is
// parsed and indexed once, on first use.
//
// Versions: a `version` whose patch is -1 ("3.7") stands for the newest patch release of that
// series that the data knows (`newest_patch`), as `--postfix-version 3.7` does.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/version.hpp"

namespace mailtls::model {

// --- releases ----------------------------------------------------------------------------

/// One X.Y series and the newest patch release of it that the data knows.
struct release {
    version series;  ///< X.Y (patch -1)
    int newest_patch = 0;
};

/// The series the data knows, oldest first (2.0 ... 3.11).
[[nodiscard]] std::span<const release> releases();

/// X.Y.Z for the newest known patch release of `series`' X.Y; nothing for a series the data
/// does not know.
[[nodiscard]] std::optional<version> newest_patch(version series);

/// `v` with a missing patch level replaced by the newest known one (or 0 for an unknown series).
[[nodiscard]] version resolve(version v);

/// The target when neither the command line nor the configuration names one: the newest stable
/// series in the data (3.11), as X.Y.
[[nodiscard]] version default_target();

/// A compatibility_level value ("0", "2", "3.6", "3.10.1"), compared as `<level` does: by
/// number, component by component, missing components being 0.
[[nodiscard]] std::optional<version> parse_compatibility_level(std::string_view text);

/// A set of releases: empty means every release; otherwise the listed X.Y.Z "or later" in each
/// listed series, and every release of a later series (backports, e.g. 3.5.20, 3.6.10, ..., 3.9).
struct release_set {
    std::vector<version> from;

    [[nodiscard]] bool contains(version v) const;
    [[nodiscard]] bool always() const noexcept { return from.empty(); }
    /// The oldest release in the set (nothing when it is every release).
    [[nodiscard]] std::optional<version> first() const;
};

// --- parameters --------------------------------------------------------------------------

enum class value_type : std::uint8_t {
    boolean,              ///< yes / no, any case
    integer,              ///< decimal digits
    size,                 ///< a byte count: decimal digits
    time,                 ///< digits with an optional unit s, m, h, d, w
    enumeration,          ///< one of `values`
    set,                  ///< a list whose items are from `values`
    list,                 ///< comma and/or whitespace separated items
    lookup_tables,        ///< a list of type:name lookup tables
    restrictions,         ///< an smtpd restriction list
    protocol_list,        ///< TLS protocols: SSLv3, !TLSv1, >=TLSv1.2 (3.6+)
    cipher_grade,         ///< high, medium, low, export, null
    compatibility_level,  ///< 0, 1, 2, 3.6, ...
    string,
};

[[nodiscard]] std::string_view to_string(value_type t) noexcept;

/// A value of an enumeration or set, and the release that introduced it (nothing: always).
struct enum_value {
    std::string_view name;
    std::optional<version> since;
};

/// A default that replaces the parameter's plain default for some releases and levels.
struct default_override {
    std::optional<version> from;   ///< first release it applies to (inclusive)
    std::optional<version> until;  ///< first release it no longer applies to
    std::optional<version> below_level;     ///< applies when compatibility_level < this
    std::optional<version> at_least_level;  ///< applies when compatibility_level >= this
    std::string_view value;
};

struct parameter_info {
    std::string_view name;
    value_type type = value_type::string;
    bool empty_allowed = false;  ///< for boolean, integer, size, time, enumeration, level
    char time_unit = 's';        ///< the unit a bare number has (time only)
    std::vector<enum_value> values;  ///< enumeration and set only
    release_set introduced;          ///< empty: predates the data (Postfix 2.0 or older)
    std::optional<version> deprecated;  ///< release that deprecated it (see `obsolete`)
    bool obsolete = false;  ///< documented obsolete in a release the data does not name
    std::optional<version> removed;
    std::string_view replacement;  ///< empty: "leave at default / do not specify"
    std::string_view default_value;  ///< before `$name` expansion; see `default_known`
    bool default_known = true;       ///< false: the default depends on the build or host
    std::vector<default_override> default_overrides;  ///< first match wins
};

/// The parameter called `name` (exact, case-sensitive as in Postfix), or null.
[[nodiscard]] const parameter_info* find_parameter(std::string_view name);

/// Every parameter, sorted by name.
[[nodiscard]] std::span<const parameter_info> all_parameters();

enum class availability : std::uint8_t {
    not_yet,     ///< introduced after the target release
    available,
    deprecated,  ///< known, but deprecated or obsolete at the target
    removed,     ///< removed at or before the target
};

[[nodiscard]] availability availability_at(const parameter_info& info, version target);

/// Whether the target release knows the parameter (available or deprecated).
[[nodiscard]] bool is_known_at(const parameter_info& info, version target);
[[nodiscard]] bool is_known_at(std::string_view name, version target);

/// The built-in default at `target` and `compatibility_level` (before `$name` expansion):
/// nothing for an unknown name, or when the default depends on the build (`default_known`).
[[nodiscard]] std::optional<std::string_view> default_value(const parameter_info& info,
                                                            version target,
                                                            version compatibility_level);
[[nodiscard]] std::optional<std::string_view> default_value(std::string_view name,
                                                            version target,
                                                            version compatibility_level);

/// The default of compatibility_level itself ("0"), parsed.
[[nodiscard]] version default_compatibility_level();

// --- values ------------------------------------------------------------------------------

/// A problem in a value: a message in the house style (lowercase, no final period, naming the
/// offending text in single quotes) and the byte range of that text inside the value.
struct value_error {
    std::string message;
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
};

/// Checks `value` (already `$name`-expanded; values that still hold a `$` are not judged)
/// against the parameter's type. With a target, values that the target does not know yet
/// (`dane` before 2.11, `>=TLSv1.2` before 3.6, a table type) are errors too.
[[nodiscard]] std::optional<value_error> validate(const parameter_info& info,
                                                  std::string_view value,
                                                  std::optional<version> target = std::nullopt);

/// The items of a Postfix list: separated by commas and/or whitespace, `{ ... }` kept whole.
struct list_item {
    std::string_view text;
    std::uint32_t offset = 0;
};
[[nodiscard]] std::vector<list_item> split_list(std::string_view value,
                                                std::string_view separators = ", \t\r\n");

enum class tls_protocol : std::uint8_t { sslv2, sslv3, tlsv1, tlsv1_1, tlsv1_2, tlsv1_3 };
inline constexpr std::size_t k_tls_protocol_count = 6;

[[nodiscard]] std::string_view to_string(tls_protocol p) noexcept;

/// A set of TLS protocols, one bit per `tls_protocol`.
struct protocol_set {
    std::uint8_t bits = 0;

    [[nodiscard]] bool contains(tls_protocol p) const noexcept {
        return (bits >> static_cast<unsigned>(p) & 1U) != 0;
    }
    void insert(tls_protocol p) noexcept { bits |= static_cast<std::uint8_t>(1U << static_cast<unsigned>(p)); }
    friend bool operator==(protocol_set, protocol_set) = default;
};

/// What a protocol list says, as tls_proto_mask_lims() reads it (Postfix 3.6+): names include
/// (and then every other known protocol is excluded), `!name` excludes, `>=` / `<=` bound by a
/// name or a hex wire version (`0x0303`, `0303`). Separators are whitespace, commas and colons;
/// names are matched in any case.
struct protocol_list_analysis {
    protocol_set enabled;          ///< what the list leaves enabled
    bool has_include = false;      ///< a plain name (which silently excludes TLSv1.3)
    bool has_exclude = false;      ///< a `!name`
    bool has_bounds = false;       ///< `>=` / `<=` (3.6+)
    bool has_hex_bound = false;    ///< a bound given as a hex version (3.6+)
    bool mentions_tlsv1_3 = false; ///< the name TLSv1.3 appears (3.4, 3.3.2, 3.2.7, ...)
    std::optional<value_error> error;  ///< the first unknown token
};

[[nodiscard]] protocol_list_analysis analyze_protocol_list(std::string_view value);

// --- service-defined parameters ----------------------------------------------------------

/// A master.cf service as far as service-defined parameter names go: its name (first field)
/// and its program (the command's first word). An empty program means "not known", and then
/// every suffix is accepted.
struct master_service {
    std::string_view name;
    std::string_view program;
};

/// `<service>_<suffix>` names that postconf derives from master.cf services running a delivery
/// agent (smtp, lmtp, local, virtual, error, pipe) or spawn, e.g.
/// `relay_destination_concurrency_limit`.
struct service_parameter {
    std::string_view service;
    std::string_view suffix;
    std::string_view default_parameter;  ///< the built-in parameter its default comes from
};

[[nodiscard]] std::optional<service_parameter> match_service_parameter(
    std::string_view name, std::span<const master_service> services,
    std::optional<version> target = std::nullopt);

// --- syntax features and lookup tables ---------------------------------------------------

/// The release that brought a piece of configuration syntax, by the feature names of the data
/// (`protocol_bounds`, `master_cf_braces`, `expansion_braces`, `master_type_pass`, ...); an
/// unknown feature name is a programming error and throws std::out_of_range.
[[nodiscard]] const release_set& feature_introduced(std::string_view feature);
[[nodiscard]] bool feature_available(std::string_view feature, version target);

/// The release that introduced a lookup table type (`hash`, `lmdb`, ...): nothing when the
/// type is unknown, an empty set when it predates the data.
[[nodiscard]] const release_set* find_table_type(std::string_view type);

/// The default of a master.cf field (`chroot`, `private`, `unprivileged`, `wakeup`,
/// `process_limit`) for a `-` at the target and compatibility level.
[[nodiscard]] std::optional<std::string_view> master_field_default(std::string_view field,
                                                                   version target,
                                                                   version compatibility_level);

// --- suggestions -------------------------------------------------------------------------

/// Up to three known parameter names close to `name` (Damerau-Levenshtein distance of at most
/// 2), nearest first, limited to names the target knows.
[[nodiscard]] std::vector<std::string_view> suggest_parameters(std::string_view name,
                                                               version target);

}  // namespace mailtls::model

namespace mailtls::detail {

/// The embedded text of lib/model/postfix_parameters.tsv (generated at build time).
[[nodiscard]] std::string_view postfix_parameters_tsv() noexcept;

}  // namespace mailtls::detail
