#pragma once

// Dovecot version knowledge: which setting names and section keywords each release accepts,
// their types and defaults by version, what the daemon does with a name outside the releases
// that define it (refuses it, or converts it with a warning) and its replacement; the known
// releases; inference of the target release from a file's constructs; value checks per type.
//
// The facts live in lib/model/dovecot_settings.tsv (layout: docs/version-knowledge-dovecot.md),
// embedded at build time and indexed once, on first use (thread-safe, function-local static).
//
// Names are the data's names: a root setting is its own name (`ssl`); a setting inside a
// section of 1.x or 2.0-2.3 is the path of section keywords and the key (`auth/mechanisms`,
// `service/inet_listener/ssl`). `resolve_in_section` turns a key inside sections into such a
// name for a release (2.4 looks up `inet_listener_ssl`, then `ssl`).
//
// Versions are `mailtls::version` (X.Y.Z): a fourth-level build such as 2.3.21.1 counts as
// its X.Y.Z, and a patch of -1 means the newest patch of X.Y that the data knows.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/version.hpp"

namespace mailtls::model::dovecot {

/// What a value of a setting looks like (the TYPE column).
enum class value_type : std::uint8_t {
    boolean,            // yes/no (2.x also y, 1), case-insensitive
    enumeration,        // one of `enum_values`, case-sensitive
    uint,               // a non-negative number
    octal,              // a file mode such as 0600
    size,               // a number with an optional unit: 10M, 1 G
    time,               // a number of seconds with an optional unit: 5 mins
    time_msecs,         // the same, in milliseconds
    port,               // 0-65535
    string,             // free text (may be `<path` in 2.x to read a file)
    path,               // a file or directory path
    file,               // 2.4 FILE setting: a plain path, read by the config process
    pem,                // 2.0-2.3 PEM text, normally given as `<path`
    list,               // space-separated words
    boollist,           // 2.4 boolean list: `name = a b` or `name { a = yes }`
    strlist,            // 2.4 string list: `name { key = value }`
    version,            // x.y.z
    ssl_protocol,       // ssl_min_protocol: ANY, SSLv3, TLSv1 ... TLSv1.3, LATEST
    ssl_protocol_list,  // ssl_protocols: [!]SSLv2 ... TLSv1.2
};

/// A release range, inclusive, as written in the data.
struct release_range {
    std::string_view from;
    std::string_view to;  // "-" means still present in the newest release
    /// `from` and `to` as points on the release line, filled in for the data's own rows
    /// when the data is loaded (`keyed`): lookups compare them for every setting of a file.
    std::array<int, 3> from_key{};
    std::array<int, 3> to_key{};
    bool keyed = false;
};

/// One row of a setting: its type and default on `releases`.
struct setting_period {
    std::string_view name;
    release_range releases;
    value_type type = value_type::string;
    std::string_view type_text;                  // as written: "enum:yes|no|required"
    std::vector<std::string_view> enum_values;   // for value_type::enumeration
    std::string_view default_value;              // the daemon's built-in default (raw C text)
};

/// What the daemon does with a name at a target release.
enum class availability : std::uint8_t {
    valid,      // the release knows the name
    converted,  // the release accepts it with an "Obsolete setting" warning and converts it
    fatal,      // the release refuses it ("Unknown setting", "Unknown section"): no start
};

/// A name at a target release. `replacement` is a name that is valid at the target (the end
/// of the rename chain, e.g. ssl_cert_file -> ssl_cert -> ssl_server_cert_file on 2.4, or the
/// older name below a setting's first release: ssl_cert -> ssl_cert_file on 1.x), or empty.
struct name_status {
    availability state = availability::fatal;
    bool known = false;                        // some release knows the name
    std::string_view name;                     // the data name the answer comes from
    const setting_period* period = nullptr;    // when valid (settings only)
    std::string replacement;
    std::string_view note;                     // the data's words on the rename or conversion
    std::optional<release_range> valid_in;     // the first and last release that know it
};

/// Settings ---------------------------------------------------------------------------------

/// Whether any release knows the setting (1.x `auth_X` at root counts as `auth/X`).
[[nodiscard]] bool is_known_setting(std::string_view name);

/// The setting at `target`: valid (with its period), converted or fatal, and the replacement.
[[nodiscard]] name_status setting_status(std::string_view name, const version& target);

/// The setting's row at `target`, or nullptr when the release does not know it.
[[nodiscard]] const setting_period* setting_at(std::string_view name, const version& target);

/// The built-in default at `target`, or nothing when the release does not know the setting.
[[nodiscard]] std::optional<std::string_view> default_value(std::string_view name,
                                                            const version& target);

/// The data name for `key` written inside the sections `section_keywords` (outermost first;
/// filters such as `protocol imap` may be included, they are skipped): `ssl` in
/// {service, inet_listener} is `service/inet_listener/ssl` on 2.3 and `inet_listener_ssl` on
/// 2.4; `mechanisms` in {auth} is `auth/mechanisms`. When nothing is valid, the name whose
/// status says most (converted, or fatal with a replacement), else the legacy path.
[[nodiscard]] std::string resolve_in_section(std::span<const std::string_view> section_keywords,
                                             std::string_view key, const version& target);

/// What resolve_in_section works out from the section keywords alone, for resolving many keys
/// written in sections of the same types: the keywords that scope a key (filters skipped).
struct section_scoping {
    version target;
    std::vector<std::string_view> keywords;  ///< outermost first
    std::string path;                        ///< the keywords, each followed by `/`
};

[[nodiscard]] section_scoping scoping_of(std::span<const std::string_view> section_keywords,
                                         const version& target);

/// resolve_in_section() of `key` in the sections `scoping` was worked out for.
[[nodiscard]] std::string resolve_in_scoping(const section_scoping& scoping,
                                             std::string_view key);

/// 1.x `protocol lda { }` is read by deliver, which has settings of its own
/// (`postmaster_address`, `sendmail_path`, `auth_socket_path`, ...; data names `lda/KEY`):
/// the data name of `key` written there, or empty when deliver has no such setting (the key
/// is then a root setting, resolved as usual). Always empty on 2.x, where LDA settings are
/// global ones.
[[nodiscard]] std::string resolve_in_lda(std::string_view key, const version& target);

/// Every setting name in the data (sorted, unique).
[[nodiscard]] std::span<const std::string_view> setting_names();

/// Sections ---------------------------------------------------------------------------------

enum class section_naming : std::uint8_t { none, optional, required, group };
enum class section_content : std::uint8_t {
    scoped,  // keys are the section's own settings (`service/...`, 2.4 `service_...`)
    filter,  // keys are root settings that apply only where the filter matches
    free,    // any key (plugin {}, dict {})
};

struct section_period {
    std::string_view keyword;
    release_range releases;
    std::vector<std::string_view> parents;  // "." is the root; "*" anywhere; filters are transparent
    section_naming naming = section_naming::none;
    std::vector<std::string_view> names;    // allowed names when the data lists them (1.x protocol)
    section_content content = section_content::scoped;
};

/// The section keyword at `target`: valid, converted (2.0-2.3 `auth default {}`) or fatal.
[[nodiscard]] name_status section_status(std::string_view keyword, const version& target);

/// The section's row at `target`, or nullptr.
[[nodiscard]] const section_period* section_at(std::string_view keyword, const version& target);

/// Whether `keyword` may open a section directly inside `parent` ("" or "." for the root;
/// filters between them do not count) at `target`.
[[nodiscard]] bool section_allowed_in(std::string_view keyword, std::string_view parent,
                                      const version& target);

/// Section keywords valid at `target` close to `unknown` (a misspelt section type), nearest
/// first, then by name; at most `limit`.
[[nodiscard]] std::vector<std::string_view> suggest_sections(std::string_view unknown,
                                                             const version& target,
                                                             std::size_t limit = 3);

/// Releases ---------------------------------------------------------------------------------

/// The release series the data knows (1.0 ... 2.4), each with its newest patch (patch -1 for
/// 1.x, whose data is one snapshot per series), oldest first.
[[nodiscard]] std::span<const version> known_releases();

/// The newest patch of X.Y the data knows (X.Y.Z is returned as it is); nothing for an
/// unknown series.
[[nodiscard]] std::optional<version> newest_patch(const version& series);

/// The target when neither the command line, nor the file, nor inference says: 2.3.21.
[[nodiscard]] version default_target();

/// Inference --------------------------------------------------------------------------------

/// A construct of a file that can tell its version: a setting name, or a section keyword.
struct construct {
    std::string_view name;        // `ssl_disable`, `auth`
    bool section = false;
    std::string_view written{};   // how the file writes it, for the evidence: "auth default {"
};

struct inferred_version {
    version target;
    std::string evidence;  // "'auth default {' is Dovecot 1.x syntax (1.0-1.2)"
};

/// 2.4 from `dovecot_config_version`; 1.x from constructs that every 2.x release refuses or
/// converts (`auth default {`, `ssl_disable`, `ssl_cert_file`, ...), narrowed to the newest
/// 1.x series that knows them all. Nothing when the constructs do not tell.
[[nodiscard]] std::optional<inferred_version> infer_version(std::span<const construct> constructs);

/// Values -----------------------------------------------------------------------------------

enum class value_effect : std::uint8_t {
    rejected,    // the config parser refuses the value: Dovecot does not start
    at_runtime,  // accepted by the config parser, fails when TLS or the service starts
    converted,   // accepted with an "Obsolete" warning and rewritten
};

struct value_problem {
    value_effect effect = value_effect::rejected;
    std::string message;     // "'ssl = Required' is not a value of 'ssl' (yes, no, required)"
    std::string suggestion;  // the value to write instead, or empty
};

/// Checks `value` (unquoted, as the daemon sees it) against the type of `name` at `target`.
/// Nothing when the value is fine, the release does not know the setting (see
/// setting_status), or it cannot be checked statically (`<file`, `$variable`).
[[nodiscard]] std::optional<value_problem> check_value(std::string_view name, std::string_view value,
                                                       const version& target);

/// Suggestions ------------------------------------------------------------------------------

/// Known setting names close to `unknown` (edit distance within a cutoff that grows with the
/// length), best first, preferring names valid at `target`; at most `limit`.
[[nodiscard]] std::vector<std::string_view> suggest_settings(std::string_view unknown,
                                                             const version& target,
                                                             std::size_t limit = 3);

/// Data -------------------------------------------------------------------------------------

/// Problems found while parsing the embedded data (empty unless the TSV is malformed), as
/// "line N: message". The tests check that it is empty.
[[nodiscard]] std::span<const std::string> data_errors();

/// Parses a TSV text in the data's layout and returns its problems (for tests of the parser).
[[nodiscard]] std::vector<std::string> check_data(std::string_view tsv);

}  // namespace mailtls::model::dovecot
