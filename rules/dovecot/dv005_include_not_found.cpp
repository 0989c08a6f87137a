#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class include_not_found final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV005",
            .name = "include-not-found",
            .dialect = dialect::dovecot,
            .default_severity = severity::error,
            .summary = "An '!include' that reads nothing stops Dovecot",
            .rationale =
                "'!include PATH' passes PATH to glob(3); when it matches nothing the daemon "
                "stops with \"No matches\", and a match it cannot open gives \"Couldn't open "
                "include file\" (config-parser.c in 2.x; doveconf 2.3 exits with status 89). "
                "'!include_try' ignores both. Relative paths are resolved from the including "
                "file's directory in 2.x and from the working directory in 1.x. Dovecot 1.0 and "
                "1.1 have no includes at all: '!include' arrived in 1.2 (commit 885673616a), "
                "so there it is an unknown setting and fatal.",
            .fix_hint = "fix the path, or use '!include_try' for a file that may be absent",
            .versions = "all ('!include' from 1.2; globs from 1.2.2)",
            .bad_example = {{"dovecot.conf", "protocols = imap\n!include local-missing.conf\n"}},
            .good_example = {{"dovecot.conf",
                              "protocols = imap\n!include_try local-missing.conf\n"}},
            .references = {"https://doc.dovecot.org/2.3/configuration_manual/config_file/"
                           "config_file_syntax/#including-config-files"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot == nullptr) {
            return;
        }
        const auto& instance = *context.dovecot;
        using kind = dovecot_include_problem::kind_type;
        for (const auto& problem : instance.include_problems) {
            if (problem.kind != kind::not_found && problem.kind != kind::unreadable) {
                continue;
            }
            const auto& [source, ast] = instance.files[problem.file];
            const auto& include = ast.includes[problem.include];
            auto d = make_diagnostic(*source, include.pattern_range,
                                     problem.message + ": Dovecot stops at this '!include'");
            d.hint = "fix the path, or write '!include_try' if the file may be absent";
            out.report(std::move(d));
        }
        if (context.dovecot_version.major != 1 || context.dovecot_version.minor >= 2) {
            return;
        }
        for (const auto& [source, ast] : instance.files) {
            for (const auto& include : ast.includes) {
                const std::string directive = include.try_only ? "!include_try" : "!include";
                auto d = make_diagnostic(
                    *source, include.range,
                    "'" + directive + "' is not known to Dovecot " +
                        context.dovecot_version.to_string() +
                        ": includes arrived in 1.2, so this line is an unknown setting");
                d.hint = "copy the included settings into this file, or upgrade to 1.2 or later";
                out.report(std::move(d));
            }
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv005_include_not_found, mailtls::include_not_found)
