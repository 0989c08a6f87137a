#include "mailtls/rule.hpp"
#include "model/dovecot_model.hpp"

namespace mailtls {

namespace {

class verbose_ssl final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV108",
            .name = "verbose-ssl",
            .dialect = dialect::dovecot,
            .default_severity = severity::info,
            .summary = "'verbose_ssl = yes' is a debugging setting",
            .rationale =
                "'verbose_ssl' (1.0-2.3, default 'no') logs protocol-level TLS errors of every "
                "connection: useful while debugging a handshake, noise in production where "
                "scanners make many failed handshakes. 2.4 removed it in favour of "
                "'log_debug = category=ssl' (dovecot.md section 2.2).",
            .fix_hint = "remove 'verbose_ssl' once the TLS problem is solved (2.4: "
                        "'log_debug = category=ssl')",
            .versions = "1.0-2.3",
            .bad_example = {{"dovecot.conf", "verbose_ssl = yes\n"}},
            .good_example = {{"dovecot.conf", "verbose_ssl = no\n"}},
            .references = {"https://doc.dovecot.org/2.3/settings/core/#core_setting-verbose_ssl"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot_model == nullptr || !context.dovecot_model->accepts("verbose_ssl")) {
            return;  // 2.4 refuses the name: DV003 says so
        }
        for (const auto* o : context.dovecot_model->occurrences("verbose_ssl")) {
            if (!model::dovecot_true(o->value())) {
                continue;
            }
            auto d = make_diagnostic(*o->file()->source, o->setting->range(),
                                     model::written(*o) +
                                         " logs the TLS errors of every connection");
            d.hint = "remove it once the TLS problem is solved";
            out.report(std::move(d));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv108_verbose_ssl, mailtls::verbose_ssl)
