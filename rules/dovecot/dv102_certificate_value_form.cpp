#include "mailtls/rule.hpp"
#include "model/dovecot_knowledge.hpp"
#include "model/dovecot_model.hpp"

namespace mailtls {

namespace {

namespace dv = model::dovecot;

class certificate_value_form final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV102",
            .name = "certificate-value-form",
            .dialect = dialect::dovecot,
            .default_severity = severity::error,
            .summary = "A certificate, key or DH setting written in the other version's form",
            .rationale =
                "Dovecot 2.0-2.3 'ssl_cert', 'ssl_key', 'ssl_ca', 'ssl_dh' (and the other PEM "
                "settings) hold the PEM text itself: 'ssl_cert = /etc/ssl/mail.pem' hands the "
                "path to OpenSSL as if it were a certificate and TLS fails at the first "
                "connection; '<' reads the file ('ssl_cert = </etc/ssl/mail.pem'). 2.4 turned "
                "them into FILE settings ('ssl_server_cert_file = /path') that the config "
                "process reads itself, so a '<' there inlines the file's text instead of a "
                "path. 1.x has no '<' at all: 'ssl_cert_file = </path' names a file called "
                "'</path' and Dovecot does not start. Sources: dovecot.md section 6 ideas 8-10; "
                "core@2.3.21:doc/example-config/conf.d/10-ssl.conf; "
                "docs@main:docs/core/config/ssl.md.",
            .fix_hint = "on 2.0-2.3 write 'ssl_cert = </path' (with '<'); on 2.4 write "
                        "'ssl_server_cert_file = /path' and on 1.x 'ssl_cert_file = /path' "
                        "(without '<')",
            .versions = "all (the form differs: 1.x path, 2.0-2.3 '<path', 2.4 path)",
            .bad_example = {{"dovecot.conf", "ssl = yes\n"
                                             "ssl_cert = /etc/ssl/certs/mail.pem\n"
                                             "ssl_key = </etc/ssl/private/mail.key\n"}},
            .good_example = {{"dovecot.conf", "ssl = yes\n"
                                              "ssl_cert = </etc/ssl/certs/mail.pem\n"
                                              "ssl_key = </etc/ssl/private/mail.key\n"}},
            .references = {"https://doc.dovecot.org/2.3/configuration_manual/"
                           "dovecot_ssl_configuration/",
                           "https://doc.dovecot.org/main/core/config/ssl.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot_model == nullptr) {
            return;
        }
        const auto& model = *context.dovecot_model;
        const bool v1 = model.target().major < 2;
        for (const auto& o : model.all_occurrences()) {
            if (!o.name().starts_with("ssl_")) {
                continue;
            }
            const auto* period = dv::setting_at(o.name(), model.target());
            if (period == nullptr) {
                continue;
            }
            const auto& value = o.setting->value;
            const auto value_text = o.value();
            const auto& source = *o.file()->source;
            if (period->type == dv::value_type::pem) {
                // 2.0-2.3: a path without '<'
                const auto text = value_text;
                if (value.file || !text.starts_with('/')) {
                    continue;
                }
                auto d = make_diagnostic(
                    source, value.range,
                    model::written(o) + " is read as PEM text, not as a file: the path lacks "
                                        "'<', so TLS fails when a client connects");
                d.hint =
                    "write '" + std::string(o.written_key()) + " = <" + std::string(text) + "'";
                if (value.quote == 0) {
                    d.fix = fix{"insert '<' before the path",
                                {{{&source, {value.range.begin, value.range.begin}}, "<"}},
                                applicability::safe};
                }
                out.report(std::move(d));
                continue;
            }
            const bool file_setting = period->type == dv::value_type::file;
            const bool v1_path = v1 && period->type == dv::value_type::path &&
                                 o.name().ends_with("_file");
            if (!file_setting && !v1_path) {
                continue;
            }
            // 2.4 FILE setting with `<path`, or 1.x path starting with `<`
            byte_range lt_to_path;
            std::string path;
            if (file_setting && value.file) {
                lt_to_path = {value.range.begin, o.file()->ast.file_path_range(*o.setting).begin};
                path = value_text;
            } else if (v1_path && value_text.starts_with('<') && value.quote == 0) {
                const auto raw = source.slice(value.range);
                std::size_t skip = 1;
                while (skip < raw.size() && (raw[skip] == ' ' || raw[skip] == '\t')) {
                    ++skip;
                }
                lt_to_path = {value.range.begin,
                              value.range.begin + static_cast<std::uint32_t>(skip)};
                path = std::string(raw.substr(skip));
            } else {
                continue;
            }
            auto d = make_diagnostic(
                source, value.range,
                file_setting
                    ? "'" + std::string(o.written_key()) + " = <" + path +
                          "' puts the file's text where Dovecot 2.4 expects a path: FILE "
                          "settings take the path without '<'"
                    : "'" + std::string(o.written_key()) + " = <" + path +
                          "' names a file called '<" + path +
                          "': Dovecot 1.x has no '<' syntax and does not start");
            if (file_setting) {
                d.level = severity::warning;  // the daemon may still load it
            }
            d.hint = "write '" + std::string(o.written_key()) + " = " + path + "'";
            d.fix = fix{"remove the '<'", {{{&source, lt_to_path}, ""}}, applicability::safe};
            out.report(std::move(d));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv102_certificate_value_form, mailtls::certificate_value_form)
