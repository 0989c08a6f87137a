#pragma once

// Helpers that Postfix rules share.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "mailtls/ast/postfix_main.hpp"
#include "mailtls/ast/postfix_value.hpp"
#include "mailtls/instance.hpp"
#include "mailtls/rule.hpp"
#include "model/postfix_knowledge.hpp"
#include "model/postfix_model.hpp"

namespace mailtls::detail {

/// The range of the physical line that holds `offset`, without its line ending or trailing
/// whitespace, from `offset` on.
[[nodiscard]] byte_range rest_of_line(const source_file& source, std::uint32_t offset) noexcept;

/// The whole logical line of a parameter, with its line ending, for a deleting edit.
[[nodiscard]] byte_range logical_line_with_newline(const source_file& source,
                                                   const ast::main_cf_parameter& param) noexcept;

/// A problem one rule found in one smtpd service, at the place that causes it.
struct service_problem {
    const model::smtpd_service* service = nullptr;
    location where;  ///< the main.cf line or `-o` that causes it, or the service's definition
    std::string message;
    std::vector<note> notes;
};

/// One problem per place: problems of several services caused by one main.cf line become one,
/// with a note naming each service (a rule reports one finding per code and range). Problems
/// without a place (a built-in default) go to each service's definition; when master.cf is
/// only assumed, the model's note says so.
[[nodiscard]] std::vector<service_problem> merge_by_place(std::vector<service_problem> problems,
                                                          const model::postfix_model& model);

/// Merges `problems` by place (merge_by_place) and reports each as a finding of `r`.
void report_service_problems(const rule& r, std::vector<service_problem> problems,
                             const model::postfix_model& model, diagnostic_sink& out);

/// A problem one rule found in the SMTP client's settings as one service running smtp(8)
/// sees them (`entry` null: main.cf and the defaults), at the place that causes it.
struct client_problem {
    const ast::master_cf_entry* entry = nullptr;
    location where;  ///< the main.cf line or `-o` that causes it; file null for a default
    std::string message;
    std::vector<note> notes;
};

/// Where the SMTP client runs: each master.cf service whose command is `smtp`, or one null
/// entry (main.cf and the defaults) when master.cf is not given or has no such service.
[[nodiscard]] std::vector<const ast::master_cf_entry*> smtp_client_contexts(
    const model::postfix_model& model);

/// The value in effect for the SMTP client in one of smtp_client_contexts().
[[nodiscard]] model::setting client_setting(const model::postfix_model& model,
                                            const ast::master_cf_entry* entry,
                                            std::string_view name);

/// Reports client problems one per place, as report_service_problems does: a problem of
/// several services caused by one main.cf line is one finding with a note per service. A
/// problem without a place (a default) goes to the start of main.cf, where it is changed, so
/// that one default makes one finding however many client services master.cf has.
void report_client_problems(const rule& r, std::vector<client_problem> problems,
                            const model::postfix_model& model, diagnostic_sink& out);

/// "in main.cf", "by '-o ...' in master.cf", "by default" for a setting's origin.
[[nodiscard]] std::string origin_phrase(const model::setting& s);

/// A note at the line that set `s`: "'name = value' in main.cf <what>"; nothing for a
/// default, which has no line.
[[nodiscard]] std::optional<note> setting_note(const model::setting& s, std::string_view what);

// --- parameters as written: main.cf lines and master.cf `-o` overrides -------------------

/// A place that sets a parameter: a main.cf line or a usable master.cf `-o` override. It
/// points at the AST's record rather than copying its fields: a large main.cf has 100,000
/// sites, kept for the whole lint (48 bytes each, 104 with the name, its range and the value
/// copied and a pointer for each kind of record).
class parameter_site {
public:
    const source_file* file = nullptr;
    const ast::master_cf_entry* entry = nullptr;  ///< set for an `-o`
    /// model::find_parameter(name()), looked up once for every rule.
    const model::parameter_info* info = nullptr;
    /// For a value of many physical pieces (continuation lines): the value offset at which
    /// each piece ends, so that source_range() maps an offset in log time, not by walking
    /// the pieces (a value of 10,000 lines with a '$name' on each was quadratic). Null for
    /// values of a few pieces.
    const std::vector<std::uint32_t>* piece_ends = nullptr;
    /// The expressions of the value (parse_postfix_value without literal text, references
    /// numbered by their main.cf parameter) when it holds a '$'; null otherwise: it is then
    /// literal text only. Parsed once per instance for every rule.
    const ast::parsed_value* parsed = nullptr;

    /// No place: main.cf's view of values (or a service's, with `entry` set) for lookups.
    parameter_site() = default;
    /// A main.cf line of `source`.
    parameter_site(const source_file& source, const ast::main_cf_parameter& parameter) noexcept
        : file(&source), record_(&parameter) {}
    /// A usable `-o` of `service` in the master.cf `source`.
    parameter_site(const source_file& source, const ast::master_cf_entry& service,
                   const ast::master_cf_override& option) noexcept
        : file(&source), entry(&service), record_(&option) {}

    /// The main.cf line, or null for an `-o`.
    [[nodiscard]] const ast::main_cf_parameter* main_parameter() const noexcept {
        return entry == nullptr ? static_cast<const ast::main_cf_parameter*>(record_) : nullptr;
    }
    /// The `-o`, or null for a main.cf line.
    [[nodiscard]] const ast::master_cf_override* override_option() const noexcept {
        return entry != nullptr ? static_cast<const ast::master_cf_override*>(record_) : nullptr;
    }
    [[nodiscard]] std::string_view name() const noexcept {
        return in_master_cf() ? override_option()->name : main_parameter()->name;
    }
    [[nodiscard]] byte_range name_range() const noexcept {
        return in_master_cf() ? override_option()->name_range : main_parameter()->name_range;
    }
    /// As Postfix reads it, borrowed from the AST.
    [[nodiscard]] std::string_view value() const noexcept {
        return in_master_cf() ? std::string_view(override_option()->value)
                              : main_parameter()->value;
    }
    [[nodiscard]] bool in_master_cf() const noexcept { return entry != nullptr; }
    /// The whole main.cf logical line, or the `-o` with its value.
    [[nodiscard]] byte_range range() const noexcept;
    /// Maps a range of offsets into `value` to the source.
    [[nodiscard]] byte_range source_range(byte_range in_value) const noexcept;
    /// `name = value` (main.cf) or `-o name=value` (master.cf), for messages.
    [[nodiscard]] std::string written() const;
    /// "in main.cf" or "in the master.cf service 'submission/inet'", for messages.
    [[nodiscard]] std::string place() const;

private:
    const void* record_ = nullptr;  ///< the main_cf_parameter, or the `-o` of `entry`
};

/// The setting a main.cf line or `-o` makes, with its value expanded as the service it
/// applies to sees it (for a main.cf line: as main.cf and the defaults see it).
[[nodiscard]] model::setting setting_at(const parameter_site& site,
                                        const model::postfix_model& model);

/// "A", "A and B", "A, B and C".
[[nodiscard]] std::string join_words(const std::vector<std::string>& words);

/// Every main.cf parameter in file order, then every usable `-o` of every master.cf entry.
/// Built once per instance and shared by every rule; needs
/// `context.postfix` and `context.postfix_model`.
[[nodiscard]] const std::vector<parameter_site>& parameter_sites(const lint_context& context);

/// True when Postfix uses `site`: the last main.cf line of its name, or the last usable `-o`
/// of its name on its service.
[[nodiscard]] bool in_effect(const parameter_site& site, const model::postfix_model& model);

/// The unexpanded value of `name` as a value set at `site` sees it: the `-o` of the same
/// service, else main.cf, else the built-in default of the model's target.
[[nodiscard]] std::optional<std::string_view> lookup_for_site(const parameter_site& site,
                                                              const model::postfix_model& model,
                                                              std::string_view name);

/// As deep as parse_postfix_value() nests expressions (mac_expand()'s limit).
inline constexpr std::size_t k_max_reference_depth = 100;

/// lookup_for_site() with the parse the sites index keeps of a main.cf value, for a
/// postfix_value_expander. Needs `context.postfix` and `context.postfix_model`.
[[nodiscard]] std::optional<ast::parameter_value> value_for_site(const lint_context& context,
                                                                 const parameter_site& site,
                                                                 std::string_view name);

/// What value_for_site() gives, for a main.cf line, the name of the main.cf parameter at
/// `index` (the number references are given): for the expander of main.cf's own view, whose
/// numbered references then need no lookup by name.
[[nodiscard]] ast::parameter_value main_cf_value(const lint_context& context, std::uint32_t index);

/// Calls `visit` for every part of `parts` that names a parameter (`$name`, `${name}`,
/// `$(name)`, and the name a conditional tests), including those inside the operands of
/// expressions. The parser bounds the nesting; this walk stops at the same depth.
template <typename Visit>
void for_each_reference(const std::vector<ast::value_part>& parts, const Visit& visit,
                        std::size_t depth = 0) {
    if (depth > k_max_reference_depth) {
        return;
    }
    for (const auto& part : parts) {
        if (part.kind == ast::value_part_kind::reference ||
            part.kind == ast::value_part_kind::conditional) {
            visit(part);
        }
        part.for_each_operand([&](const ast::value_operand& operand) {
            for_each_reference(operand.parts, visit, depth + 1);
        });
    }
}

/// A set of parameter names that keeps the names main.cf sets as one bit per parameter
/// (references come numbered by their main.cf parameter, value_part::id), and the others
/// as views. Refers to the model it is built for, which keeps it (postfix_index).
class referenced_names {
public:
    referenced_names(const model::postfix_model& model, std::size_t main_parameters)
        : model_(&model), main_(main_parameters),
          one_line_per_name_(model.main_parameter_names() == main_parameters) {}

    [[nodiscard]] bool contains(std::string_view name) const;
    /// contains(site.name()), without a lookup for a main.cf line when main.cf sets no name
    /// twice (each line is then the one its name finds).
    [[nodiscard]] bool contains(const parameter_site& site) const;
    /// Adds `name`, whose index in main.cf's parameters is `main_index`
    /// (postfix_model::main_parameter_index(), `name_table::none` when main.cf does not set
    /// it).
    void insert(std::string_view name, std::uint32_t main_index);
    void insert(std::string_view name) { insert(name, model_->main_parameter_index(name)); }

private:
    const model::postfix_model* model_;
    std::vector<bool> main_;  ///< by index in main.cf's parameters
    std::unordered_set<std::string_view> others_;
    bool one_line_per_name_;
};

/// The names that postconf counts as user-defined parameters (postconf_user.c, postfix.md
/// §1.5): every `$name` in a main.cf or `-o` value (the names conditionals test included),
/// every class listed in smtpd_restriction_classes, and every bare word of a restriction list
/// (a restriction class used as a restriction). Built once per instance, on first use; the
/// views borrow the instance's ASTs.
[[nodiscard]] const referenced_names& referenced_parameter_names(const lint_context& context);

/// The master.cf services as far as service-defined parameter names go (name and program);
/// when master.cf is only assumed, the delivery services of the stock master.cf of `target`.
[[nodiscard]] std::vector<model::master_service> master_services(const postfix_instance& instance,
                                                                 version target);

/// A release as the data names it: "3.9" for 3.9 and 3.9.0, "3.8.4" for a patch release.
[[nodiscard]] std::string release_name(version v);

/// "Postfix 3.4 or later", or with backports "Postfix 3.9 or later, or 3.7.6 or 3.8.1 and
/// later patches of that series".
[[nodiscard]] std::string describe_releases(const model::release_set& releases);

}  // namespace mailtls::detail
