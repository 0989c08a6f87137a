#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "lint/postfix.hpp"
#include "mailtls/parse.hpp"
#include "mailtls/rule.hpp"
#include "model/postfix_knowledge.hpp"

namespace mailtls {

namespace {

/// As deep as parse_postfix_value() nests expressions.
constexpr std::size_t k_max_depth = 100;

class undefined_reference final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF009",
            .name = "undefined-reference",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "A '$name' reference to a parameter that is neither set nor built in, "
                       "or that cannot be expanded (a cycle, or past the expansion limits)",
            .rationale =
                "Postfix replaces '$name' with the value of the parameter 'name', and an "
                "undefined name with nothing (postconf(5), parameter expansion). A typo such as "
                "'smtpd_client_restrictions = $mua_client_restriction' therefore silently "
                "empties the setting: here every client is accepted. postconf warns "
                "\"undefined parameter\" (postconf_user.c), the daemons do not. A reference "
                "counts as defined when main.cf or the same service's '-o' sets the name, when "
                "it is a parameter the target release knows, or a name derived from a "
                "master.cf service. The names that '${name?...}' and '${name:...}' test are "
                "not references: they are meant to be empty at times. A reference that "
                "leads back to itself, or nests deeper than 100 levels, makes Postfix stop "
                "with \"unreasonable macro call nesting\" (mac_expand.c); the linter also "
                "stops an expansion past 1 MiB of text or 100,000 steps and says so here.",
            .fix_hint = "correct the name, or define the parameter in main.cf (or with '-o' on "
                        "the service)",
            .versions = "all",
            .bad_example = {{"main.cf",
                             "mua_client_restrictions = permit_sasl_authenticated, reject\n"
                             "smtpd_client_restrictions = $mua_client_restriction\n"}},
            .good_example = {{"main.cf",
                              "mua_client_restrictions = permit_sasl_authenticated, reject\n"
                              "smtpd_client_restrictions = $mua_client_restrictions\n"}},
            .references = {"https://www.postfix.org/postconf.5.html",
                           "https://www.postfix.org/postconf.1.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix == nullptr || context.postfix_model == nullptr) {
            return;
        }
        const auto& instance = *context.postfix;
        const auto& model = *context.postfix_model;
        const auto target = model.target();
        const auto& sites = detail::parameter_sites(context);
        const auto services = detail::master_services(instance, target);
        // A main.cf value may be meant for the services that set the name with '-o'.
        std::unordered_set<std::string_view> override_names;
        for (const auto& site : sites) {
            if (site.in_master_cf()) {
                override_names.insert(site.name());
            }
        }
        // Cycles and expansion limits: main.cf's values as main.cf sees them, an '-o' value
        // as its service does. Each expander keeps what it learns about a parameter for
        // the values that follow.
        postfix_value_expander main_cf_expander(
            ast::parameter_source([&context](std::string_view name) {
                return detail::value_for_site(context, detail::parameter_site{}, name);
            }),
            {}, [&context](std::uint32_t index) {
                return std::optional(detail::main_cf_value(context, index));
            });
        std::unordered_map<const ast::master_cf_entry*, postfix_value_expander> service_expanders;
        const auto expander_for = [&](const detail::parameter_site& site) -> postfix_value_expander& {
            if (!site.in_master_cf()) {
                return main_cf_expander;
            }
            return service_expanders
                .try_emplace(site.entry,
                             ast::parameter_source(
                                 [&context, entry = site.entry](std::string_view name) {
                                     detail::parameter_site service;
                                     service.entry = entry;
                                     return detail::value_for_site(context, service, name);
                                 }))
                .first->second;
        };
        const auto defined = [&](const detail::parameter_site& site, const ast::value_part& part) {
            const auto name = part.name();
            if (part.id != ast::value_part::no_id) {
                return true;  // main.cf sets it: the index numbered it by its parameter
            }
            if (site.in_master_cf() ? site.entry->find_override(name) != nullptr
                                    : override_names.contains(name)) {
                return true;
            }
            return model::is_known_at(name, target) ||
                   model::match_service_parameter(name, services, target).has_value();
        };
        for (const auto& site : sites) {
            if (site.parsed == nullptr) {
                continue;
            }
            std::vector<std::string_view> guarded;
            walk(site.parsed->parts, guarded, 0, [&](const ast::value_part& part) {
                if (!defined(site, part)) {
                    out.report(make_diagnostic(*site.file, site.source_range(part.range),
                                               message(site, part.name(), target,
                                                       context.postfix_version)));
                }
            });
            report_expansion_errors(site, expander_for(site).errors(site.value(), *site.parsed),
                                    out);
        }
    }

private:
    /// Reports the cycles and expansion limits that expanding the value as the service sees
    /// it (its '-o' first, then main.cf, then the target's defaults) ran into. The value's
    /// own syntax errors are PF001's.
    void report_expansion_errors(const detail::parameter_site& site,
                                 const std::vector<ast::syntax_error>& errors,
                                 diagnostic_sink& out) const {
        const auto& own = site.parsed->errors;
        std::vector<byte_range> reported;
        for (const auto& e : errors) {
            const bool syntax = std::any_of(
                own.begin(), own.end(), [&](const ast::syntax_error& p) {
                    return p.range == e.range && p.message == e.message;
                });
            if (syntax || std::find(reported.begin(), reported.end(), e.range) != reported.end()) {
                continue;
            }
            reported.push_back(e.range);
            auto d = make_diagnostic(*site.file, site.source_range(e.range),
                                     "the value of '" + std::string(site.name()) +
                                         "' cannot be expanded: " + e.message);
            if (e.message.find("refers to itself") != std::string::npos ||
                e.message.find("nested deeper") != std::string::npos) {
                d.level = severity::error;  // Postfix stops: unreasonable macro call nesting
                d.message += ": Postfix stops with \"unreasonable macro call nesting\"";
            }
            out.report(std::move(d));
        }
    }

    /// Calls `report` for each plain reference in `parts` and their operands, except those
    /// inside the '?' text of a conditional that tests the same name (`${x?{$x}}` only
    /// expands $x when it is set).
    template <typename Report>
    static void walk(const std::vector<ast::value_part>& parts,
                     std::vector<std::string_view>& guarded, std::size_t depth,
                     const Report& report) {
        if (depth > k_max_depth) {
            return;
        }
        for (const auto& part : parts) {
            if (part.kind == ast::value_part_kind::reference && !part.name().empty() &&
                std::find(guarded.begin(), guarded.end(), part.name()) == guarded.end()) {
                report(part);
            }
            part.for_each_operand([&](const ast::value_operand& operand) {
                const bool guards = part.kind == ast::value_part_kind::conditional &&
                                    &operand == &*part.when_true();
                if (guards) {
                    guarded.push_back(part.name());
                }
                walk(operand.parts, guarded, depth + 1, report);
                if (guards) {
                    guarded.pop_back();
                }
            });
        }
    }

    static std::string message(const detail::parameter_site& site, std::string_view name,
                               version target, version shown_target) {
        std::string m = "'$" + std::string(name) + "' in '" + std::string(site.name()) + "' ";
        if (model::find_parameter(name) != nullptr) {
            m += "refers to a parameter that Postfix " + shown_target.to_string() +
                 " does not know: it expands to nothing";
            return m;
        }
        m += "refers to '" + std::string(name) + "', which is not set " +
             (site.in_master_cf() ? std::string("in main.cf or on this service")
                                  : std::string("anywhere")) +
             ": Postfix expands it to nothing";
        const auto suggestions = model::suggest_parameters(name, target);
        if (!suggestions.empty()) {
            m += " (did you mean '" + std::string(suggestions.front()) + "'?)";
        }
        return m;
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf009_undefined_reference, mailtls::undefined_reference)
