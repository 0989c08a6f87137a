#include "mailtls/rule.hpp"
#include "model/dovecot_knowledge.hpp"
#include "model/dovecot_model.hpp"

namespace mailtls {

namespace {

namespace dv = model::dovecot;

class tls_without_certificate final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV103",
            .name = "tls-without-certificate",
            .dialect = dialect::dovecot,
            .default_severity = severity::error,
            .summary = "TLS is enabled but no certificate or key is configured",
            .rationale =
                "'ssl' defaults to 'yes' from 1.2 on, so TLS is on unless 'ssl = no'. Dovecot "
                "2.0-2.3 then refuse to start: 'ssl enabled, but ssl_cert not set' "
                "(core@2.3.21:src/lib-master/master-service-ssl-settings.c). 2.4 starts, and "
                "every TLS handshake fails with 'Can't load SSL certificate "
                "(ssl_server_cert_file setting): The certificate is empty' "
                "(core@2.4.4:src/lib-ssl-iostream/iostream-openssl-context.c). 1.x has "
                "built-in paths, so only an emptied 'ssl_cert_file' or 'ssl_key_file' "
                "matters there. Only a whole instance can tell: a fragment linted alone is "
                "skipped.",
            .fix_hint = "set the certificate and key for the target version ('ssl_cert = <...' "
                        "and 'ssl_key = <...' on 2.0-2.3, 'ssl_server_cert_file' and "
                        "'ssl_server_key_file' on 2.4), or 'ssl = no' where TLS is not wanted",
            .versions = "all",
            .bad_example = {{"dovecot.conf", "protocols = imap\nssl = required\n"}},
            .good_example = {{"dovecot.conf", "protocols = imap\nssl = required\n"
                                              "ssl_cert = </etc/ssl/certs/mail.pem\n"
                                              "ssl_key = </etc/ssl/private/mail.key\n"}},
            .references = {"https://doc.dovecot.org/2.3/configuration_manual/"
                           "dovecot_ssl_configuration/",
                           "https://doc.dovecot.org/main/core/config/ssl.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot_model == nullptr || context.dovecot_model->is_partial() ||
            !context.dovecot_model->tls_enabled()) {
            return;
        }
        const auto& model = *context.dovecot_model;
        const auto names = model.certificate_settings();
        std::vector<std::string_view> missing;
        for (const auto name : {names.cert, names.key}) {
            if (!name.empty() && !configured(model, name)) {
                missing.push_back(name);
            }
        }
        if (missing.empty()) {
            return;
        }
        const auto& ssl = model.ssl_setting();
        std::string what = "'" + std::string(missing[0]) + "'";
        if (missing.size() > 1) {
            what += " and '" + std::string(missing[1]) + "'";
        }
        const std::string cause =
            ssl.set_by != nullptr ? model::written(*ssl.set_by) : "'ssl = yes' (the default)";
        std::string message = cause + " enables TLS but " + what +
                              (missing.size() > 1 ? " are" : " is") + " not set: ";
        message += model.target().major == 2 && model.target().minor >= 4
                       ? "every TLS handshake fails"
                       : "Dovecot refuses to start";
        const auto place = ssl.set_by != nullptr ? ssl.set_by->setting->range() : byte_range{0, 0};
        const auto& file =
            ssl.set_by != nullptr ? *ssl.set_by->file()->source : *model.top_place().file;
        auto d = make_diagnostic(file, place, message);
        d.hint = "set " + model.certificate_example() + ", or 'ssl = no' if TLS is not wanted";
        out.report(std::move(d));
    }

private:
    /// A non-empty value anywhere (a filter may hold the certificate of one local name), in
    /// the target's setting or a name the target converts into it, or a non-empty default.
    static bool configured(const model::dovecot_model& model, std::string_view name) {
        auto set_in = [&](std::string_view n) {
            for (const auto* o : model.occurrences(n)) {
                if (!o->value().empty()) {
                    return true;
                }
            }
            return false;
        };
        // the global line (an empty one cancels the default), or any filter's
        const auto global = model.global(name);
        if (global.is_set && !global.value.empty()) {
            return true;
        }
        for (const auto* o : model.occurrences(name)) {
            if ((o->scope->filtered || o->scope->scoped) && !o->value().empty()) {
                return true;
            }
        }
        // 2.0-2.3 convert the 1.x names (`ssl_cert_file = /path` -> `ssl_cert = </path`)
        for (const std::string_view old : {"ssl_cert_file", "ssl_key_file"}) {
            const auto status = dv::setting_status(old, model.target());
            if (status.state == dv::availability::converted && status.replacement == name &&
                set_in(old)) {
                return true;
            }
        }
        return false;
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv103_tls_without_certificate, mailtls::tls_without_certificate)
