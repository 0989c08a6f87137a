#include <charconv>

#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

/// What a TLS log level adds (postconf(5) smtpd_tls_loglevel).
std::string_view what_it_logs(unsigned level) noexcept {
    switch (level) {
        case 2: return "logs every step of every TLS handshake";
        case 3: return "logs a hex and ASCII dump of every TLS negotiation";
        default: break;
    }
    return "logs a hex and ASCII dump of everything sent after STARTTLS, mail included";
}

class debug_tls_loglevel final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF111",
            .name = "debug-tls-loglevel",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "A TLS log level meant for debugging",
            .rationale =
                "postconf(5) on smtpd_tls_loglevel and smtp_tls_loglevel: 1 logs a summary of "
                "each handshake; 2 adds every step of it, 3 a hex/ASCII dump of the "
                "negotiation, 4 a dump of the whole session after STARTTLS. The manual keeps "
                "level 3 for investigating problems and strongly discourages level 4. Left on, these levels flood the mail log, and level 4 writes the content of "
                "the mail into it.",
            .fix_hint = "set the log level to 1 (or 0) once the problem is found",
            .versions = "all",
            .bad_example = {{"main.cf", "smtpd_tls_loglevel = 3\n"}},
            .good_example = {{"main.cf", "smtpd_tls_loglevel = 1\n"}},
            .references = {"https://www.postfix.org/postconf.5.html#smtpd_tls_loglevel",
                           "https://www.postfix.org/postconf.5.html#smtp_tls_loglevel"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix_model == nullptr) {
            return;
        }
        const auto& model = *context.postfix_model;
        for (const auto& site : detail::parameter_sites(context)) {
            // site.info first: it is in the site, the name is in the source (a large main.cf
            // has 100,000 names that no rule needs to read here)
            if (site.info == nullptr || !site.name().ends_with("_tls_loglevel") ||
                !detail::in_effect(site, model)) {
                continue;
            }
            const auto s = detail::setting_at(site, model);
            const auto text = model::trim_blanks(s.value);
            unsigned level = 0;
            // The digits before any suffix (3.12 accepts e.g. "1,trace"); PF010 judges the rest.
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), level);
            if (error != std::errc() || end == text.data() || level < 2) {
                continue;
            }
            out.report(make_diagnostic(*site.file, site.range(),
                                       "'" + std::string(site.name()) + " = " + s.value + "' " +
                                           site.place() + " " + std::string(what_it_logs(level)) +
                                           ": a debugging level that floods the mail log"));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf111_debug_tls_loglevel, mailtls::debug_tls_loglevel)
