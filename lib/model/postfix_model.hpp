#pragma once

// The effective Postfix configuration: for each master.cf service that runs smtpd, the value of
// any parameter in effect there and the place that set it, and the role the service plays.
//
// A value in effect is the first of: the service's `-o name=value` (the last one wins), the
// main.cf parameter (the last one wins), the built-in default of the target release at the
// effective compatibility_level. `$name` references expand against the same chain, as smtpd
// sees them. When only main.cf is given, the model assumes the stock master.cf, whose only
// smtpd service is `smtp inet ... smtpd` (port 25), and says so (`master_cf_assumed()`).
//
// "TLS in effect" means one thing everywhere (`tls_in_effect`): implicit when
// smtpd_tls_wrappermode is yes; required when smtpd_tls_security_level is `encrypt` (or,
// when the level is empty, smtpd_enforce_tls = yes); opportunistic when it is `may` (or
// smtpd_use_tls = yes); off otherwise. Rules share these predicates from here.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/diagnostic.hpp"
#include "mailtls/instance.hpp"
#include "model/derived.hpp"
#include "name_table.hpp"

namespace mailtls::model {

enum class service_role : std::uint8_t { mx, submission, implicit_tls, other };

/// "mx", "submission", "implicit-tls", "other".
[[nodiscard]] std::string_view to_string(service_role role) noexcept;
[[nodiscard]] std::optional<service_role> parse_service_role(std::string_view text) noexcept;

enum class tls_mode : std::uint8_t { off, opportunistic, required, implicit };

[[nodiscard]] std::string_view to_string(tls_mode mode) noexcept;

enum class value_origin : std::uint8_t { built_in, main_cf, master_cf };

/// A parameter's value in effect somewhere, and where it came from.
struct setting {
    std::string_view name;
    bool is_set = false;  ///< false when nothing sets it and the default is unknown
    std::string raw;       ///< as written (or the built-in default), before `$name` expansion
    std::string value;     ///< after `$name` expansion
    value_origin origin = value_origin::built_in;
    /// The main.cf parameter or the `-o` override that set it (file null for a default).
    location where;
    const ast::main_cf_parameter* main_parameter = nullptr;
    const ast::master_cf_override* override_option = nullptr;
};

/// A master.cf service that runs smtpd.
struct smtpd_service {
    /// `service/type` as postconf names it, e.g. `submission/inet`.
    std::string label;
    service_role role = service_role::other;
    /// The master.cf entry; null for the assumed stock `smtp/inet` service.
    const ast::master_cf_entry* entry = nullptr;
    /// Where the service is defined (its name in master.cf); file null when assumed.
    location where;
    /// For the `smtpd pass` service behind postscreen: the `smtp inet ... postscreen` entry.
    const ast::master_cf_entry* postscreen = nullptr;
};

class postfix_model {
public:
    /// `roles` maps a master.cf service name as written ("10587", "127.0.0.1:10587") to a
    /// role name (see parse_service_role); other services get the role their port implies.
    postfix_model(const postfix_instance& instance, version target,
                  const std::map<std::string, std::string, std::less<>>& roles = {});

    [[nodiscard]] version target() const noexcept { return target_; }
    [[nodiscard]] const postfix_instance& instance() const noexcept { return instance_; }
    [[nodiscard]] version compatibility_level() const noexcept { return compatibility_level_; }
    /// True when no master.cf was given and the stock one is assumed.
    [[nodiscard]] bool master_cf_assumed() const noexcept { return master_cf_assumed_; }
    [[nodiscard]] std::span<const smtpd_service> smtpd_services() const noexcept {
        return services_;
    }

    /// The main.cf parameter in effect for `name` (the last one), or null.
    [[nodiscard]] const ast::main_cf_parameter* main_parameter(std::string_view name) const;
    /// The index in main.cf's parameters of main_parameter(name); `detail::name_table::none`
    /// when main.cf does not set it.
    [[nodiscard]] std::uint32_t main_parameter_index(std::string_view name) const;
    /// main_parameter_index() of each of `names` into `indexes` (as many), faster than one
    /// at a time for many names (detail::name_table::find_all()).
    void main_parameter_indexes(std::span<const std::string_view> names,
                                std::span<std::uint32_t> indexes) const;
    /// How many names main.cf sets: fewer than its lines when a name is set twice.
    [[nodiscard]] std::size_t main_parameter_names() const noexcept { return main_index_.size(); }

    /// The value in effect for every service that does not override it: main.cf, else the
    /// built-in default.
    [[nodiscard]] setting global(std::string_view name) const;
    /// The value in effect in one service.
    [[nodiscard]] setting in_service(const smtpd_service& service, std::string_view name) const;
    /// The value in effect in any master.cf service (an SMTP client, for instance).
    [[nodiscard]] setting in_entry(const ast::master_cf_entry& entry, std::string_view name) const;
    /// The setting that one `-o` of `entry` makes, expanded as that service sees it.
    [[nodiscard]] setting of_override(const ast::master_cf_entry& entry,
                                      const ast::master_cf_override& override_option) const;
    /// The master.cf entries whose command is `program` (e.g. "smtp": the SMTP client), in
    /// file order, without the ones a later entry of the same service and type supersedes;
    /// empty when master.cf is assumed.
    [[nodiscard]] std::vector<const ast::master_cf_entry*> entries_running(
        std::string_view program) const;

    /// The SMTP client's TLS level in a service running `smtp` (null: main.cf and defaults),
    /// as smtp(8) reads it: smtp_tls_security_level when not empty, else `encrypt` for
    /// smtp_enforce_tls = yes, `may` for smtp_use_tls = yes, `none` otherwise. `cause` is the
    /// setting that decides (smtp_tls_security_level when nothing else does).
    struct client_tls {
        std::string level;
        setting cause;
    };
    [[nodiscard]] client_tls client_tls_in_effect(const ast::master_cf_entry* entry) const;

    [[nodiscard]] tls_mode tls_in_effect(const smtpd_service& service) const;
    /// The setting that decides tls_in_effect: smtpd_tls_wrappermode when yes, else
    /// smtpd_tls_security_level when not empty, else smtpd_enforce_tls or smtpd_use_tls when
    /// yes, else smtpd_tls_security_level.
    [[nodiscard]] setting tls_cause(const smtpd_service& service) const;
    [[nodiscard]] bool sasl_enabled(const smtpd_service& service) const;

    /// Where to report a problem that no line causes (a built-in default in an assumed
    /// service): the start of master.cf, else of main.cf.
    [[nodiscard]] location fallback_place() const noexcept;
    /// The start of main.cf, else of master.cf: where to report a default of main.cf's own.
    [[nodiscard]] location main_cf_start() const noexcept;
    /// Where a master.cf entry is defined (its service name).
    [[nodiscard]] location place_of(const ast::master_cf_entry& entry) const noexcept;

    /// A note for findings that depend on the assumed stock master.cf (empty otherwise).
    [[nodiscard]] std::optional<note> assumption_note() const;

    /// What lib/lint derives from this model once and shares between rules (derived.hpp).
    [[nodiscard]] const derived_slot& derived() const noexcept { return derived_; }

private:
    derived_slot derived_;
    [[nodiscard]] setting resolve(const ast::master_cf_entry* entry, std::string_view name) const;
    [[nodiscard]] std::optional<std::string_view> raw_value(const ast::master_cf_entry* entry,
                                                            std::string_view name) const;
    void expand(setting& s, const ast::master_cf_entry* entry) const;
    /// False for a parameter the data knows but the target release does not: Postfix ignores
    /// it. User-defined and service-derived names exist.
    [[nodiscard]] bool exists_at_target(std::string_view name) const;

    const postfix_instance& instance_;
    version target_;
    version compatibility_level_;
    bool master_cf_assumed_ = false;
    detail::name_table main_index_;  ///< main.cf's parameters by name: the last of each
    std::vector<const ast::master_cf_entry*> entries_;  ///< master(8)'s: the last of each
    std::vector<smtpd_service> services_;
};

/// A boolean value that Postfix reads as true: "yes" in any case (mail_conf_bool.c; any
/// other word than yes or no is fatal, which PF010 reports).
[[nodiscard]] bool is_yes(std::string_view value) noexcept;

/// `value` without leading and trailing whitespace.
[[nodiscard]] std::string_view trim_blanks(std::string_view value) noexcept;

}  // namespace mailtls::model
