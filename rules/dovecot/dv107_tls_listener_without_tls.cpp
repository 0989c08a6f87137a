#include "mailtls/rule.hpp"
#include "model/dovecot_model.hpp"

namespace mailtls {

namespace {

class tls_listener_without_tls final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV107",
            .name = "tls-listener-without-tls",
            .dialect = dialect::dovecot,
            .default_severity = severity::error,
            .summary = "An implicit-TLS listener without TLS, or a TLS listener that is not opened",
            .rationale =
                "Clients connect to 993 (IMAPS) and 995 (POP3S) expecting a TLS handshake "
                "first (RFC 8314): an inet_listener there without 'ssl = yes' answers in "
                "plaintext, so clients fail or, worse, fall back. The built-in 'imaps' and "
                "'pop3s' listeners carry 'ssl = yes'; a block of that name keeps it unless it "
                "says 'ssl = no'. The other way round, with the global 'ssl = no' every "
                "listener with 'ssl = yes' is silently skipped (core@2.3.21:src/master/"
                "service.c 'if (set->ssl && ssl_disabled) continue;'; in 1.x 'imaps' and "
                "'pop3s' in 'protocols' are not opened, core@1.2.rc1:src/master/listener.c).",
            .fix_hint = "set 'ssl = yes' in the implicit-TLS inet_listener; with the global "
                        "'ssl = no', enable TLS or remove the listener",
            .versions = "all (listener blocks from 2.0; 'protocols = imaps' in 1.x)",
            .bad_example = {{"dovecot.conf", "service imap-login {\n"
                                             "  inet_listener imaps {\n"
                                             "    port = 993\n"
                                             "    ssl = no\n"
                                             "  }\n"
                                             "}\n"}},
            .good_example = {{"dovecot.conf", "service imap-login {\n"
                                              "  inet_listener imaps {\n"
                                              "    port = 993\n"
                                              "    ssl = yes\n"
                                              "  }\n"
                                              "}\n"}},
            .references = {"https://doc.dovecot.org/2.3/configuration_manual/service_configuration/",
                           "RFC 8314 section 3"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot_model == nullptr) {
            return;
        }
        const auto& model = *context.dovecot_model;
        const bool ssl_off = !model.tls_enabled();
        for (const auto& l : model.listeners()) {
            if (l.section == nullptr && l.opened_by == nullptr) {
                continue;  // nothing written: the built-in listener as the daemon has it
            }
            if (l.port.value == "0" || !l.protocol_enabled) {
                continue;
            }
            const bool tls_port = l.port.value == "993" || l.port.value == "995";
            const bool tls_name = l.name == "imaps" || l.name == "pop3s";
            // made only for a listener that has a finding
            const auto label = [&]() -> std::string {
                const auto name = std::string(l.name);
                return l.section != nullptr ? "inet_listener '" + name + "' of service '" +
                                                  std::string(l.service) + "'"
                                            : "'" + name + "' in 'protocols'";
            };
            if ((tls_port || tls_name) && !l.implicit_tls()) {
                const auto place = l.ssl.set_by != nullptr ? l.ssl.set_by->setting->range()
                                                           : l.place().range;
                const auto& file = l.ssl.set_by != nullptr ? *l.ssl.set_by->file()->source
                                                           : *l.place().file;
                auto d = make_diagnostic(
                    file, place,
                    label() + " on port " + l.port.value + " has no 'ssl = yes': clients that "
                    "expect implicit TLS there get plaintext");
                d.hint = "set 'ssl = yes' in inet_listener '" + std::string(l.name) + "'";
                out.report(std::move(d));
            } else if (l.implicit_tls() && ssl_off) {
                const auto& ssl = model.ssl_setting();
                location place = l.ssl.set_by != nullptr ? l.ssl.set_by->key_place() : l.place();
                if (l.section == nullptr) {
                    place = model::word_place(*l.opened_by, l.name);
                }
                auto d = make_diagnostic(
                    *place.file, l.ssl.set_by != nullptr ? l.ssl.set_by->setting->range()
                                                         : place.range,
                    label() + " uses TLS but the global " +
                        (ssl.set_by != nullptr ? model::written(*ssl.set_by) : "setting") +
                        " turns TLS off: Dovecot silently does not open port " + l.port.value);
                if (ssl.set_by != nullptr) {
                    d.notes.push_back({"TLS is turned off here", ssl.set_by->key_place()});
                }
                d.level = severity::warning;
                d.hint = ssl.name == "ssl_disable"
                             ? "set 'ssl_disable = no', or remove '" + std::string(l.name) +
                                   "' from 'protocols'"
                             : "set 'ssl = yes' (or 'required'), or remove the listener";
                out.report(std::move(d));
            }
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv107_tls_listener_without_tls, mailtls::tls_listener_without_tls)
