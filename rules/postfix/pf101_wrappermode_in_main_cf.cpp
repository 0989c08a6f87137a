#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

class wrappermode_in_main_cf final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF101",
            .name = "wrappermode-in-main-cf",
            .dialect = dialect::postfix,
            .default_severity = severity::error,
            .summary = "'smtpd_tls_wrappermode = yes' in main.cf turns every smtpd into "
                       "implicit TLS",
            .rationale =
                "main.cf sets the default for every smtpd service in master.cf. With "
                "'smtpd_tls_wrappermode = yes' there, the port-25 MX also waits for a TLS "
                "handshake before SMTP, while other mail servers speak plain SMTP and then "
                "STARTTLS: inbound mail stops. Implicit TLS belongs on the 465 "
                "(submissions) service only, as postconf(5) and TLS_README show with "
                "'-o smtpd_tls_wrappermode=yes' in master.cf.",
            .fix_hint = "remove it from main.cf and add '-o smtpd_tls_wrappermode=yes' to the "
                        "submissions (465) service in master.cf",
            .versions = "all",
            .bad_example = {{"main.cf", "smtpd_tls_wrappermode = yes\n"}},
            .good_example = {{"main.cf", "smtpd_tls_security_level = may\n"},
                             {"master.cf",
                              "submissions inet n - n - - smtpd\n"
                              "  -o smtpd_tls_wrappermode=yes\n"}},
            .references = {"https://www.postfix.org/postconf.5.html#smtpd_tls_wrappermode",
                           "https://www.postfix.org/TLS_README.html",
                           "RFC 8314 section 3.3"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix_model == nullptr || !context.postfix->main_cf) {
            return;
        }
        const auto& source = context.postfix->main_cf->source;
        const auto* param = context.postfix_model->main_parameter("smtpd_tls_wrappermode");
        if (param == nullptr || !model::is_yes(param->value)) {
            return;
        }
        auto d = make_diagnostic(*source, param->range,
                                 "'smtpd_tls_wrappermode = " + std::string(param->value) +
                                     "' in main.cf makes every smtpd service, the port-25 MX "
                                     "included, expect implicit TLS: plain SMTP and STARTTLS "
                                     "clients cannot deliver");
        mailtls::fix f;
        f.description = "remove the setting from main.cf";
        f.kind = applicability::unsafe;  // the 465 service needs the -o override in its place
        f.edits.push_back({{source.get(), detail::logical_line_with_newline(*source, *param)}, ""});
        d.fix = std::move(f);
        out.report(std::move(d));
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf101_wrappermode_in_main_cf, mailtls::wrappermode_in_main_cf)
