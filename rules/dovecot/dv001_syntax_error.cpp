#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mailtls/rule.hpp"
#include "model/dovecot_knowledge.hpp"

namespace mailtls {

namespace {

namespace dv = model::dovecot;

std::string releases_text(const dv::release_range& r) {
    if (r.to == "-") {
        return std::string(r.from) + " and later";
    }
    return r.from == r.to ? std::string(r.from)
                          : std::string(r.from) + "-" + std::string(r.to);
}

/// What the data says of the section types of an instance at the target, asked once per
/// type (and parent): a large file repeats a few.
class section_facts {
public:
    explicit section_facts(const version& target) : target_(target) {}

    [[nodiscard]] const version& target() const noexcept { return target_; }

    /// dv::section_status(type, target); its name views the first `type` asked about.
    const dv::name_status& status(std::string_view type) {
        auto [it, inserted] = statuses_.try_emplace(type);
        if (inserted) {
            it->second = dv::section_status(type, target_);
        }
        return it->second;
    }

    /// dv::section_allowed_in() of the types of two statuses of this table (`parent` null:
    /// the top level). A type has one status here, so the statuses' addresses tell the pairs
    /// apart without hashing the names.
    bool allowed_in(const dv::name_status& type, const dv::name_status* parent) {
        auto [it, inserted] = allowed_.try_emplace(status_pair{&type, parent}, false);
        if (inserted) {
            it->second = dv::section_allowed_in(
                type.name, parent == nullptr ? std::string_view(".") : parent->name, target_);
        }
        return it->second;
    }

private:
    using status_pair = std::pair<const dv::name_status*, const dv::name_status*>;
    struct status_pair_hash {
        std::size_t operator()(const status_pair& p) const noexcept {
            const std::hash<const void*> hash;
            return hash(p.first) * 31 + hash(p.second);
        }
    };

    version target_;
    std::unordered_map<std::string_view, dv::name_status> statuses_;
    std::unordered_map<status_pair, bool, status_pair_hash> allowed_;
};

/// Why a release refuses a section header, and what to write instead.
struct refusal {
    std::string message;  ///< empty when the release reads the header
    std::string hint;
};

/// Why `target` (2.x) refuses the section header `ref`, or nothing. The parser checks what the
/// syntax alone says (filters, 2.4 names); this checks the section types the release knows:
/// config-parser.c reads an unknown `type {` as an unknown setting ("Unknown setting:
/// serivce", "Unknown section name" in 2.4).
refusal header_problem(const dovecot_section_ref& ref, section_facts& facts) {
    const auto& target = facts.target();
    const auto& section = *ref.section;
    if (section.kind == ast::dovecot_section_kind::filter || target.major < 2) {
        return {};  // 1.x has a fixed set of sections: the parser checks them
    }
    // the innermost section around that is not a filter (null: the top level); inside a
    // section of a type the target does not know, only that one is reported
    const dv::name_status* parent = nullptr;
    for (const auto& scope : ref.outer) {
        const auto& outer = *scope.section;
        if (outer.kind == ast::dovecot_section_kind::filter) {
            continue;
        }
        const auto& outer_status = facts.status(outer.type);
        if (outer_status.state == dv::availability::fatal) {
            return {};  // inside a section reported already
        }
        parent = &outer_status;
    }
    const bool v24 = target.major > 2 || (target.major == 2 && target.minor >= 4);
    const auto type = std::string(section.type);
    // the words of a message, made only for a section that has a problem
    const auto header = [&] {
        return "'" + type + (section.has_name ? " " + std::string(section.name) : std::string()) +
               " {'";
    };
    const auto release = [&] { return "Dovecot " + target.to_string(); };
    const auto& status = facts.status(section.type);
    if (status.state == dv::availability::converted) {
        return {};  // 2.0-2.3 `auth default { }`: converted with a warning
    }
    if (status.state == dv::availability::valid) {
        // 2.4 records nesting loosely; 2.0-2.3 refuse a section outside its parent
        // ("Unknown setting: service { passdb { passdb")
        if (!v24 && !facts.allowed_in(status, parent)) {
            const auto* period = dv::section_at(section.type, target);
            std::string where, hint;
            for (const auto p : period->parents) {
                where += where.empty() ? "" : " or ";
                where += p == "." ? std::string("at the top level")
                                  : "inside '" + std::string(p) + "'";
                hint += hint.empty() ? "move it " : " or ";
                hint += p == "." ? std::string("to the top level")
                                 : "inside a '" + std::string(p) + "' section";
            }
            return {header() + ": " + release() + " allows '" + type + "' sections only " + where,
                    hint};
        }
        return {};
    }
    if (status.known) {
        if (v24 && (type == "plugin" || type == "auth")) {
            return {};  // the parser says why 2.4 has none
        }
        // its replacement at the target, else the releases that have it
        std::string hint;
        if (!status.replacement.empty()) {
            hint = "write it as '" + status.replacement + "' in " + release();
        } else if (status.valid_in) {
            hint = "Dovecot " + releases_text(*status.valid_in) + " has '" + type +
                   "' sections: remove it for " + release() +
                   ", or give the release the file is for with --dovecot-version";
        } else {
            hint = "remove the section, or give the release the file is for with "
                   "--dovecot-version";
        }
        return {header() + ": " + release() + " has no '" + type + "' section" +
                    (status.valid_in ? " (Dovecot " + releases_text(*status.valid_in) + ")" : ""),
                hint};
    }
    if (v24 ? dv::is_known_setting(section.type) : dv::setting_at(section.type, target) != nullptr) {
        if (v24) {
            return {};  // a list setting written as a block: `protocols { imap = yes }`
        }
        return {header() + ": '" + type + "' is a setting, not a section, in " + release() +
                    " (write '" + type + " = ...')",
                "write it as a setting, '" + type + " = VALUE', instead of a section"};
    }
    // As for unknown settings (DV002), only a near miss of a known section type is judged:
    // plugins add sections in 2.4, and the files of dict and SQL drivers ('map {') are often
    // linted as dovecot.conf.
    const auto suggestions = dv::suggest_sections(section.type, target);
    if (suggestions.empty()) {
        return {};
    }
    auto message = header() + ": " + release() + " has no '" + type + "' section";
    for (std::size_t i = 0; i < suggestions.size(); ++i) {
        message += i == 0                        ? " (did you mean '"
                   : i + 1 == suggestions.size() ? " or '"
                                                 : ", '";
        message += std::string(suggestions[i]) + "'";
    }
    return {message + "?)", "correct the section type (see the suggestion)"};
}

class dovecot_syntax_error final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV001",
            .name = "syntax-error",
            .dialect = dialect::dovecot,
            .default_severity = severity::error,
            .summary = "A line Dovecot cannot read",
            .rationale =
                "Dovecot reads its configuration line by line: 'key = value', a section header "
                "'type [name] {' that ends the line, or '}' alone on its line. Anything else "
                "('Expecting '='', 'Garbage after '{'', 'Unexpected '}'', 'Missing '}'') is "
                "fatal: doveconf and the config process exit with status 89 and Dovecot does "
                "not start (config-parser.c config_parse_line() in 2.x, settings.c in 1.x). "
                "Section headers are version-specific too: 1.x knows a fixed set of sections, "
                "2.x and 2.4 require filters to nest in a given order, and 2.4 requires a name "
                "on list sections and has no 'plugin' or 'auth' sections. A section type the "
                "target release does not know ('serivce imap-login {', 2.4's 'ssl_server {' on "
                "2.3) is fatal as well (\"Unknown setting: serivce\" in 2.0-2.3, \"Unknown "
                "section name\" in 2.4), and so is a known one in the wrong place "
                "('inet_listener' outside 'service').",
            .fix_hint = "put each setting, each section header and each '}' on its own line, "
                        "and write settings as 'key = value'",
            .versions = "all",
            .bad_example = {{"dovecot.conf",
                             "service imap-login {\n"
                             "  inet_listener imaps { port = 993 }\n"
                             "}\n"}},
            .good_example = {{"dovecot.conf",
                              "service imap-login {\n"
                              "  inet_listener imaps {\n"
                              "    port = 993\n"
                              "  }\n"
                              "}\n"}},
            .references = {"https://doc.dovecot.org/2.3/configuration_manual/config_file/",
                           "https://doc.dovecot.org/latest/core/settings/syntax.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot == nullptr) {
            return;
        }
        for (const auto& [source, ast] : context.dovecot->files) {
            for (const auto& error : ast.errors) {
                auto d = make_diagnostic(*source, error.range, error.message);
                if (!error.hint.empty()) {
                    d.hint = error.hint;
                }
                out.report(std::move(d));
            }
        }
        section_facts facts(context.dovecot_version);
        walk_dovecot(*context.dovecot, {}, [&](const dovecot_section_ref& ref) {
            auto problem = header_problem(ref, facts);
            if (problem.message.empty()) {
                return;
            }
            auto d = make_diagnostic(*ref.file->source, ref.section->header_range,
                                     std::move(problem.message));
            d.hint = std::move(problem.hint);
            out.report(std::move(d));
        });
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv001_syntax_error, mailtls::dovecot_syntax_error)
