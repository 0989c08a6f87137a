#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "lint/postfix.hpp"
#include "mailtls/parse.hpp"
#include "mailtls/rule.hpp"
#include "model/postfix_knowledge.hpp"

namespace mailtls {

namespace {

/// Notes on where referenced parameters are set, at most.
constexpr std::size_t k_max_notes = 3;

/// Longer unexpanded values are not quoted in messages.
constexpr std::size_t k_max_quoted = 60;

constexpr bool is_separator(char c) noexcept {
    return c == ',' || c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/// The value without a '#...' token and what follows it (PF002 reports those), and without
/// the blanks before it.
std::string_view without_comment(std::string_view value) noexcept {
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '#' && (i == 0 || is_separator(value[i - 1]))) {
            value = value.substr(0, i);
            break;
        }
    }
    while (!value.empty() && is_separator(value.back()) && value.back() != ',') {
        value.remove_suffix(1);
    }
    return value;
}

/// `type:name` as a table is written: a type that starts with a letter, then a colon.
bool looks_like_table(std::string_view item) noexcept {
    const auto colon = item.find(':');
    if (colon == std::string_view::npos || colon == 0 ||
        std::isalpha(static_cast<unsigned char>(item[0])) == 0) {
        return false;
    }
    return std::all_of(item.begin(), item.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
    });
}

/// validate(), less what the data cannot judge:
/// - in a table list, only the items written `type:name`: several "maps" parameters are
///   match lists that also take domain names and /file patterns (virtual_alias_domains,
///   virtual_mailbox_domains), and proxy_read_maps' default expands to such lists;
/// - negative integers: some parameters take them (postscreen_dnsbl_allowlist_threshold) and
///   the data has no minimums.
std::optional<model::value_error> judge(const model::parameter_info& info, std::string_view value,
                                        version target) {
    if (info.type == model::value_type::lookup_tables) {
        for (const auto& item : model::split_list(value)) {
            if (!looks_like_table(item.text)) {
                continue;
            }
            if (auto error = model::validate(info, item.text, target)) {
                error->offset += item.offset;
                return error;
            }
        }
        return std::nullopt;
    }
    if (info.type == model::value_type::integer && value.size() > 1 && value[0] == '-' &&
        std::all_of(value.begin() + 1, value.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
        return std::nullopt;
    }
    return model::validate(info, value, target);
}

std::string_view consequence(model::value_type type) noexcept {
    switch (type) {
        case model::value_type::protocol_list:
            return "Postfix rejects the whole list and TLS stops working";
        case model::value_type::lookup_tables:
            return "Postfix cannot open the table and the daemons that use it stop";
        default:
            return "the daemons that read it stop with a fatal error";
    }
}

class invalid_value final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF010",
            .name = "invalid-value",
            .dialect = dialect::postfix,
            .default_severity = severity::error,
            .summary = "A value that is not valid for the parameter's type",
            .rationale =
                "postconf does not check values (postfix.md §1.5: 'smtpd_tls_security_level = "
                "bogus' passes 'postconf -n'); the daemons do, when they start or when a "
                "session first needs the setting, and then stop. smtpd exits with \"Invalid TLS "
                "level\" for an unknown security level (smtpd.c), every program with \"bad "
                "boolean configuration\" for a boolean other than yes or no (mail_conf_bool.c), "
                "and likewise for numbers, time units and enumerations; an unknown TLS protocol "
                "name makes the whole list invalid and disables TLS (tls_misc.c). The value is "
                "judged after '$name' expansion, as the daemon sees it, against the types and "
                "values of postconf(5) for the target release.",
            .fix_hint = "use one of the values the message lists (postconf(5) documents each "
                        "parameter)",
            .versions = "all",
            .bad_example = {{"main.cf", "smtpd_tls_security_level = required\n"}},
            .good_example = {{"main.cf", "smtpd_tls_security_level = encrypt\n"}},
            .references = {"https://www.postfix.org/postconf.5.html",
                           "https://www.postfix.org/postconf.5.html#smtpd_tls_security_level"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix == nullptr || context.postfix_model == nullptr) {
            return;
        }
        const auto& model = *context.postfix_model;
        const auto target = model.target();
        for (const auto& site : detail::parameter_sites(context)) {
            const auto* info = site.info;
            if (info == nullptr || !model::is_known_at(*info, target) ||
                !detail::in_effect(site, model)) {
                continue;
            }
            const auto raw = without_comment(site.value());
            if (raw.size() < site.value().size() && raw.empty()) {
                continue;  // the whole value is a '#' token: PF002's finding
            }
            std::string expanded;
            const bool expands = raw.find('$') != std::string_view::npos;
            if (expands) {
                auto result = expand_postfix_value(raw, [&](std::string_view name) {
                    return detail::lookup_for_site(site, model, name);
                });
                if (!result.errors.empty() || !result.undefined.empty()) {
                    continue;  // PF009 or the value grammar has something to say first
                }
                expanded = std::move(result.text);
            }
            const std::string_view value = expands ? std::string_view(expanded) : raw;
            const auto error = judge(*info, value, target);
            if (!error || reported_by_pf008(*info, value, target)) {
                continue;
            }
            const auto quoted_name = "'" + std::string(site.name()) + "'";
            std::string message = error->message;
            if (message.find(quoted_name) == std::string::npos) {
                message += " in " + quoted_name;
            }
            if (expands) {
                message += raw.size() <= k_max_quoted ? " (from '" + std::string(raw) + "')"
                                                      : std::string(" (after '$name' expansion)");
            }
            message += ": " + std::string(consequence(info->type));
            byte_range range;
            if (expands) {
                range = site.source_range({0, static_cast<std::uint32_t>(raw.size())});
            } else if (error->length == 0) {
                range = site.name_range();  // an empty value: point at the name
            } else {
                range = site.source_range({error->offset, error->offset + error->length});
            }
            auto d = make_diagnostic(*site.file, range, std::move(message));
            if (expands) {
                d.notes = reference_notes(*context.postfix, site, model, raw);
            }
            out.report(std::move(d));
        }
    }

private:
    /// Where the parameters that the value refers to are set (main.cf or the same service's
    /// '-o'), so that the reader finds the text that expanded to the bad value.
    static std::vector<note> reference_notes(const postfix_instance& instance,
                                             const detail::parameter_site& site,
                                             const model::postfix_model& model,
                                             std::string_view raw) {
        std::vector<note> notes;
        detail::for_each_reference(parse_postfix_value(raw).parts, [&](const ast::value_part& part) {
            if (part.kind != ast::value_part_kind::reference || notes.size() >= k_max_notes) {
                return;
            }
            const auto text = "'" + std::string(part.name()) + "' is set here";
            if (site.entry != nullptr) {
                if (const auto* o = site.entry->find_override(part.name())) {
                    notes.push_back({text, {site.file, o->range}});
                    return;
                }
            }
            if (const auto* p = model.main_parameter(part.name())) {
                notes.push_back({text, {instance.main_cf->source.get(), p->range}});
            }
        });
        return notes;
    }

    /// '>=TLSv1.2' before 3.6 is PF008's: syntax the target does not have yet.
    static bool reported_by_pf008(const model::parameter_info& info, std::string_view value,
                                  version target) {
        return info.type == model::value_type::protocol_list &&
               model::analyze_protocol_list(value).has_bounds &&
               !model::feature_available("protocol_bounds", target);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf010_invalid_value, mailtls::invalid_value)
