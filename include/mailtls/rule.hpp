#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/diagnostic.hpp"
#include "mailtls/instance.hpp"

namespace mailtls {

enum class dialect { postfix, dovecot };

[[nodiscard]] std::string_view to_string(dialect d) noexcept;

/// Everything a user needs to know about a rule; the documentation is generated from it.
struct rule_metadata {
    std::string code;  ///< e.g. "PF101": a stable public contract
    std::string name;  ///< kebab-case, e.g. "wrappermode-in-main-cf"
    mailtls::dialect dialect = dialect::postfix;
    severity default_severity = severity::warning;
    std::string summary;    ///< one line
    std::string rationale;  ///< why it matters, citing its source
    std::string fix_hint;   ///< what to do about it
    std::string versions;   ///< which daemon versions it concerns, e.g. "all" or ">= 3.0"
    /// Example configurations. Each is a set of files (name, text): the bad one makes the
    /// rule fire, the good one keeps it quiet (both are tested).
    std::vector<std::pair<std::string, std::string>> bad_example;
    std::vector<std::pair<std::string, std::string>> good_example;
    std::vector<std::string> references;
};

/// When a rule runs. Most rules inspect the configuration; the few that report on the inline
/// suppressions (`# mailtls-lint: disable=...`) run after every other rule's findings have
/// been matched against them, with `lint_context::suppressions` set.
enum class rule_stage { configuration, suppressions };

/// Collects what a rule reports.
class diagnostic_sink {
public:
    virtual ~diagnostic_sink() = default;
    virtual void report(diagnostic d) = 0;
};

/// A lint rule: stateless, it inspects an instance and reports problems; it never prints.
class rule {
public:
    virtual ~rule() = default;
    [[nodiscard]] virtual const rule_metadata& metadata() const = 0;
    virtual void check(const lint_context& context, diagnostic_sink& out) const = 0;
    [[nodiscard]] virtual rule_stage stage() const noexcept { return rule_stage::configuration; }

    /// A diagnostic pre-filled with this rule's code, name and default severity.
    [[nodiscard]] diagnostic make_diagnostic(const source_file& file, byte_range range,
                                             std::string message) const;
};

}  // namespace mailtls

/// Defines the factory the registry calls for a rule. The file `rules/<dialect>/<id>.cpp`
/// must use `<id>` here (checked at link time): that is all it takes to add a rule.
#define MAILTLS_REGISTER_RULE(id, type)                                \
    namespace mailtls::rules {                                         \
    std::unique_ptr<::mailtls::rule> make_##id() {                     \
        return std::make_unique<type>();                               \
    }                                                                  \
    }
