#include <algorithm>
#include <string>
#include <unordered_set>

#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

/// How deep restriction classes may name other classes here (smtpd has no limit; a class
/// that names itself would not end there either).
constexpr int k_max_class_depth = 16;

/// has_required() of smtpd_check.c: whether a restriction list holds one of `required`,
/// directly or in a restriction class it names, before a `permit` ends the scan. The word
/// after `warn_if_reject` does not count; names are compared exactly, as smtpd does.
struct relay_check {
    const model::postfix_model& model;
    const model::smtpd_service& service;
    std::vector<std::string_view> required;
    std::unordered_set<std::string> classes;

    [[nodiscard]] bool has_required(std::string_view list, int depth) const {
        const auto items = model::split_list(list);
        for (std::size_t i = 0; i < items.size(); ++i) {
            const auto word = items[i].text;
            if (word == "warn_if_reject" && i + 1 < items.size()) {
                ++i;
                continue;
            }
            if (word == "permit") {
                return false;
            }
            if (std::find(required.begin(), required.end(), word) != required.end()) {
                return true;
            }
            if (depth < k_max_class_depth && classes.contains(std::string(word)) &&
                has_required(model.in_service(service, word).value, depth + 1)) {
                return true;
            }
        }
        return false;
    }
};

/// `text` with each run of blanks (a continuation line's line break and indent) as one space.
std::string folded(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (!blank || (!out.empty() && out.back() != ' ')) {
            out += blank ? ' ' : c;
        }
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

/// "'name = value' in main.cf", "an empty 'name' by '-o' in master.cf", "'name' (empty by
/// default)".
std::string describe(const model::setting& s) {
    if (s.origin == model::value_origin::built_in) {
        return model::trim_blanks(s.value).empty()
                   ? "'" + std::string(s.name) + "' (empty by default)"
                   : "'" + std::string(s.name) + " = " + folded(s.value) + "' (the default)";
    }
    if (model::trim_blanks(s.value).empty()) {
        return "an empty '" + std::string(s.name) + "' " + detail::origin_phrase(s);
    }
    return "'" + std::string(s.name) + " = " + folded(s.value) + "' " + detail::origin_phrase(s);
}

class no_relay_protection final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF205",
            .name = "no-relay-protection",
            .dialect = dialect::postfix,
            .default_severity = severity::error,
            .summary = "No restriction keeps smtpd from relaying: smtpd refuses to start",
            .rationale =
                "So that a mistake cannot make an open relay, smtpd insists that "
                "'smtpd_relay_restrictions' or 'smtpd_recipient_restrictions' holds "
                "'reject_unauth_destination', 'defer_unauth_destination', 'reject', 'defer' or "
                "'defer_if_permit' (directly or in a restriction class, before any 'permit'); "
                "otherwise it exits at startup with 'specify at least one working instance "
                "of' those (smtpd_check.c), and the service accepts no mail. From Postfix 3.3 "
                "the default 'smtpd_relay_restrictions' is empty below compatibility_level 1, "
                "and 'smtpd_recipient_restrictions' is empty by default since 2.10: a 3.x "
                "main.cf without compatibility_level and without restrictions stops smtpd. "
                "master.cf '-o' can set either list per service.",
            .fix_hint = "set 'compatibility_level' to the installed release (which restores "
                        "'smtpd_relay_restrictions = permit_mynetworks, "
                        "permit_sasl_authenticated, defer_unauth_destination'), or add "
                        "'reject_unauth_destination' to 'smtpd_relay_restrictions'",
            .versions = "all; the default relay restrictions depend on compatibility_level "
                        "from 3.3",
            .bad_example = {{"main.cf", "myhostname = mx.example.org\n"}},
            .good_example = {{"main.cf", "compatibility_level = 3.6\n"
                                         "myhostname = mx.example.org\n"}},
            .references = {"https://www.postfix.org/postconf.5.html#smtpd_relay_restrictions",
                           "https://www.postfix.org/COMPATIBILITY_README.html",
                           "https://www.postfix.org/SMTPD_ACCESS_README.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        // Without main.cf its values are unknown, not the defaults: judge nothing.
        if (context.postfix_model == nullptr || !context.postfix->main_cf) {
            return;
        }
        const auto& model = *context.postfix_model;
        std::vector<std::string_view> required{"reject_unauth_destination",
                                               "defer_unauth_destination", "reject", "defer",
                                               "defer_if_permit"};
        if (model.target() < version{3, 9, 0}) {
            required.push_back("check_relay_domains");  // removed in 3.9
        }
        const bool relay_known = model::is_known_at("smtpd_relay_restrictions", model.target());
        const auto level = model.global("compatibility_level");
        std::vector<detail::service_problem> problems;
        for (const auto& service : model.smtpd_services()) {
            relay_check check{model, service, required, {}};
            // the setting must outlive the list elements, which view its value
            const auto classes = model.in_service(service, "smtpd_restriction_classes");
            for (const auto& item : model::split_list(classes.value)) {
                check.classes.emplace(item.text);
            }
            const auto recipient = model.in_service(service, "smtpd_recipient_restrictions");
            std::optional<model::setting> relay;
            if (relay_known) {
                relay = model.in_service(service, "smtpd_relay_restrictions");
            }
            if (check.has_required(recipient.value, 0) ||
                (relay && check.has_required(relay->value, 0))) {
                continue;
            }
            std::vector<note> notes;
            location where;
            const model::setting* relay_setting = relay ? &*relay : nullptr;
            for (const auto* s : {relay_setting, &recipient}) {
                if (s == nullptr || s->origin == model::value_origin::built_in) {
                    continue;
                }
                if (where.file == nullptr) {
                    where = s->where;
                } else {
                    notes.push_back({describe(*s) + " has none either", s->where});
                }
            }
            std::string lists = describe(recipient);
            if (relay) {
                auto relay_text = describe(*relay);
                if (relay->origin == model::value_origin::built_in &&
                    model::trim_blanks(relay->value).empty()) {
                    relay_text = "'smtpd_relay_restrictions' (empty by default below "
                                 "compatibility_level 1, and the level is " +
                                 std::string(level.origin == model::value_origin::built_in
                                                 ? std::string_view("0")
                                                 : model::trim_blanks(level.value)) +
                                 ")";
                    if (level.origin == model::value_origin::main_cf) {
                        if (where.file == nullptr) {
                            where = level.where;
                        } else {
                            notes.push_back({"compatibility_level is set here", level.where});
                        }
                    }
                }
                lists = relay_text + " and " + lists;
            }
            problems.push_back(
                {&service, where,
                 lists + (relay ? " hold" : " holds") + " none of 'reject_unauth_destination', "
                         "'defer_unauth_destination', 'reject', 'defer': smtpd exits at startup "
                         "('specify at least one working instance of ...') and the service "
                         "accepts no mail",
                 std::move(notes)});
        }
        detail::report_service_problems(*this, std::move(problems), model, out);
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf205_no_relay_protection, mailtls::no_relay_protection)
