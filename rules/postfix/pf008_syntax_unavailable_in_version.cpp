#include <string>
#include <vector>

#include "lint/postfix.hpp"
#include "mailtls/parse.hpp"
#include "mailtls/rule.hpp"
#include "model/postfix_knowledge.hpp"

namespace mailtls {

namespace {

/// As deep as parse_postfix_value() nests expressions.
constexpr std::size_t k_max_depth = 100;

/// One use of syntax the target does not have: the feature's name in the data, the range of
/// the text that uses it, and what the older release does with it.
struct feature_use {
    std::string_view feature;
    byte_range range;
    std::string what;
    std::string consequence;
};

class syntax_unavailable_in_version final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF008",
            .name = "syntax-unavailable-in-version",
            .dialect = dialect::postfix,
            .default_severity = severity::error,
            .summary = "Configuration syntax that the target Postfix release does not have",
            .rationale =
                "Several forms came with specific releases, and older ones read them "
                "differently without postconf noticing. '>=TLSv1.2' protocol bounds came with "
                "3.6: before, the whole list is invalid and smtpd logs \"Invalid TLS protocol "
                "list ... disabling TLS support\" (tls_misc.c). '{ }' groups in master.cf "
                "arguments and '-o { name = value }' came with 3.0 (RELEASE_NOTES-3.0): older "
                "releases split them at the blanks and the daemon refuses the options. The "
                "'${name?{text}:{text}}' and '${{a} == {b} ? ...}' expressions came with 3.0, "
                "'<level' comparisons with 3.6, '${name?text}' with 2.2 (postconf(5), "
                "parameter expansion); '{ }' list groups with 3.0; the master.cf types 'pass' "
                "(2.5) and 'unix-dgram' (3.4) are refused by older master(8) (master(5)).",
            .fix_hint = "write it in the syntax of the target release (for example "
                        "'!SSLv2, !SSLv3, !TLSv1, !TLSv1.1' instead of '>=TLSv1.2', and "
                        "'-o name=value' with commas instead of blanks), or raise "
                        "--postfix-version to the release that runs",
            .versions = "releases before the one each form came with: 2.2 ('${name?text}'), "
                        "2.5 ('pass'), 3.0 ('{ }' groups, '${name?{text}}', comparisons), "
                        "3.4 ('unix-dgram'), 3.6 ('>=TLSv1.2', '<level'), 3.11 "
                        "('${name{text}}')",
            .bad_example = {{".mailtls-lint.toml", "[versions]\npostfix = \"3.5\"\n"},
                            {"main.cf", "smtpd_tls_mandatory_protocols = >=TLSv1.2\n"}},
            .good_example = {{".mailtls-lint.toml", "[versions]\npostfix = \"3.5\"\n"},
                             {"main.cf", "smtpd_tls_mandatory_protocols = !SSLv2, !SSLv3, "
                                         "!TLSv1, !TLSv1.1\n"}},
            .references = {"https://www.postfix.org/postconf.5.html",
                           "https://www.postfix.org/master.5.html",
                           "https://www.postfix.org/postconf.5.html#smtpd_tls_protocols"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix == nullptr || context.postfix_model == nullptr) {
            return;
        }
        const auto target = context.postfix_model->target();
        const auto target_text = context.postfix_version.to_string();
        std::vector<std::pair<const source_file*, feature_use>> uses;
        for (const auto& site : detail::parameter_sites(context)) {
            for (auto& use : value_uses(site)) {
                uses.emplace_back(site.file, std::move(use));
            }
        }
        if (const auto& master_cf = context.postfix->master_cf) {
            for (auto& use : master_uses(master_cf->ast)) {
                uses.emplace_back(master_cf->source.get(), std::move(use));
            }
        }
        for (const auto& [file, use] : uses) {
            const auto& since = model::feature_introduced(use.feature);
            if (since.contains(target)) {
                continue;
            }
            out.report(make_diagnostic(*file, use.range,
                                       use.what + " needs " + detail::describe_releases(since) +
                                           ": Postfix " + target_text + " " + use.consequence));
        }
    }

private:
    static std::vector<feature_use> value_uses(const detail::parameter_site& site) {
        std::vector<feature_use> uses;
        const auto* info = site.info;
        if (site.parsed != nullptr) {
            expression_uses(site, site.parsed->parts, 0, uses);
        }
        if (info == nullptr) {
            return uses;
        }
        const auto quoted_name = "'" + std::string(site.name()) + "'";
        if (info->type == model::value_type::protocol_list) {
            for (const auto& item : model::split_list(site.value(), ", \t\r\n:")) {
                if (item.text.find('$') == std::string_view::npos &&
                    (item.text.starts_with(">=") || item.text.starts_with("<="))) {
                    uses.push_back({"protocol_bounds",
                                    site.source_range({item.offset, item.offset + static_cast<std::uint32_t>(item.text.size())}),
                                    "'" + std::string(item.text) + "' in " + quoted_name,
                                    "rejects the whole protocol list and TLS stops working"});
                }
            }
        }
        const bool is_list = info->type == model::value_type::list ||
                             info->type == model::value_type::lookup_tables ||
                             info->type == model::value_type::restrictions ||
                             info->type == model::value_type::set;
        if (is_list) {
            for (const auto& element : split_postfix_list(site.value())) {
                if (element.braced) {
                    uses.push_back({"list_braces", site.source_range(element.range),
                                    "the '{ }' group in " + quoted_name,
                                    "splits it at blanks and keeps the braces"});
                }
            }
        }
        return uses;
    }

    static void expression_uses(const detail::parameter_site& site,
                                const std::vector<ast::value_part>& parts, std::size_t depth,
                                std::vector<feature_use>& uses) {
        if (depth > k_max_depth) {
            return;
        }
        for (const auto& part : parts) {
            if (part.kind == ast::value_part_kind::literal ||
                part.kind == ast::value_part_kind::dollar ||
                part.kind == ast::value_part_kind::reference) {
                continue;  // nothing version-dependent, and nothing inside
            }
            const auto range = site.source_range(part.range);
            const auto what = "'" + std::string(part.text()) + "'";
            switch (part.kind) {
                case ast::value_part_kind::conditional: {
                    const bool braced = (part.when_true() && part.when_true()->braced) ||
                                        (part.when_false() && part.when_false()->braced);
                    uses.push_back(braced ? feature_use{"expansion_braces", range, what,
                                                        "takes the braces as text"}
                                          : feature_use{"expansion_conditional", range, what,
                                                        "does not expand it"});
                    break;
                }
                case ast::value_part_kind::comparison:
                    uses.push_back({part.level_comparison ? "compatibility_level_comparison"
                                                          : "expansion_comparison",
                                    range, what, "does not expand it"});
                    break;
                case ast::value_part_kind::function_call:
                    uses.push_back({"expansion_functions", range, what, "does not expand it"});
                    break;
                default:
                    break;
            }
            part.for_each_operand([&](const ast::value_operand& operand) {
                expression_uses(site, operand.parts, depth + 1, uses);
            });
        }
    }

    static std::vector<feature_use> master_uses(const ast::master_cf& master) {
        std::vector<feature_use> uses;
        for (const auto& entry : master.entries) {
            if (entry.type == ast::master_service_type::pass ||
                entry.type == ast::master_service_type::unix_dgram) {
                const bool pass = entry.type == ast::master_service_type::pass;
                uses.push_back({pass ? "master_type_pass" : "master_type_unix_dgram",
                                entry.type_word.range,
                                "the master.cf service type '" + entry.type_word.text + "'",
                                "does not know it and master(8) refuses to start"});
            }
            for (const auto& arg : entry.arguments) {
                if (arg.braced) {
                    uses.push_back({"master_cf_braces", arg.word.range,
                                    "the '{ }' group '" + arg.word.text + "'",
                                    "splits it at blanks and passes the braces to '" +
                                        entry.command.text + "' as text"});
                }
            }
        }
        return uses;
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf008_syntax_unavailable_in_version, mailtls::syntax_unavailable_in_version)
