#include <algorithm>

#include "mailtls/rule.hpp"
#include "model/dovecot_model.hpp"

namespace mailtls {

namespace {

class implicit_tls_protocol_name final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV104",
            .name = "implicit-tls-protocol-name",
            .dialect = dialect::dovecot,
            .default_severity = severity::warning,
            .summary = "'imaps' or 'pop3s' in 'protocols' on Dovecot 2.x",
            .rationale =
                "'imaps' and 'pop3s' were protocols in 1.x. From 2.0 implicit TLS is a "
                "listener: service imap-login has an 'imaps' inet_listener on 993 with "
                "'ssl = yes' by default (likewise pop3-login and 995). 2.0-2.3 remove the "
                "word with a warning (\"'imaps' protocol can no longer be specified (use "
                "protocols=imap)\") and, when 'imap' is missing, add it and set the plain "
                "listener's port to 0; 2.4 has no converter and refuses to start with "
                "'protocols: Unknown protocol: imaps' (core@2.3.21:src/config/old-set-parser.c, "
                "core@2.4.4:src/master/master-settings.c; dovecot.md section 2.2).",
            .fix_hint = "list only 'imap' and 'pop3' in 'protocols'; implicit TLS on 993 and 995 "
                        "comes from the built-in 'imaps' and 'pop3s' listeners (disable the "
                        "plain ones with 'port = 0' in 'inet_listener imap' if wanted)",
            .versions = "2.0-2.3 (converted with a warning), 2.4 (fatal)",
            .bad_example = {{"dovecot.conf", "protocols = imap imaps\n"}},
            .good_example = {{"dovecot.conf", "protocols = imap\n"}},
            .references = {"https://doc.dovecot.org/2.3/installation_guide/upgrading/from-1.2-to-2.0/",
                           "https://doc.dovecot.org/main/core/config/ssl.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot_model == nullptr || context.dovecot_model->target().major != 2) {
            return;
        }
        const auto& model = *context.dovecot_model;
        const bool v24 = model.target().minor >= 4;
        for (const auto* o : model.occurrences("protocols")) {
            const auto words = model::dovecot_words(o->value());
            for (const auto word : words) {
                if (word != "imaps" && word != "pop3s") {
                    continue;
                }
                const std::string plain(word.substr(0, 4));
                const bool has_plain = std::find(words.begin(), words.end(), plain) != words.end();
                const auto place = model::word_place(*o, word);
                std::string message = "'" + std::string(word) + "' in 'protocols' ";
                if (v24) {
                    message += "is not a protocol: Dovecot 2.4 refuses to start ('Unknown "
                               "protocol: " + std::string(word) + "')";
                } else {
                    message += "is obsolete: Dovecot converts it with a warning";
                    if (!has_plain) {
                        message += ", adds '" + plain + "' and closes the plain '" + plain +
                                   "' listener (port 0)";
                    }
                }
                auto d = make_diagnostic(*place.file, place.range, message);
                if (v24) {
                    d.level = severity::error;
                }
                d.hint = (has_plain ? "remove '" + std::string(word) + "'"
                                    : "write '" + plain + "' instead") +
                         ": the built-in 'inet_listener " +
                         std::string(word) + "' of service " + plain +
                         "-login already serves implicit TLS";
                if (has_plain && place.range != o->setting->value.range) {
                    // remove the word and the blanks before it: the configuration is the same
                    const auto text = place.file->text();
                    auto begin = place.range.begin;
                    while (begin > o->setting->value.range.begin &&
                           (text[begin - 1] == ' ' || text[begin - 1] == '\t')) {
                        --begin;
                    }
                    auto end = place.range.end;
                    if (begin == o->setting->value.range.begin) {
                        while (end < o->setting->value.range.end &&
                               (text[end] == ' ' || text[end] == '\t')) {
                            ++end;
                        }
                    }
                    d.fix = fix{"remove '" + std::string(word) + "'",
                                {{{place.file, {begin, end}}, ""}},
                                applicability::safe};
                }
                out.report(std::move(d));
            }
        }
        // 2.4 boollist block: `protocols { imaps = yes }`
        if (!v24) {
            return;
        }
        for (const auto& o : model.all_occurrences()) {
            if (o.scope->section_type() == "protocols" &&
                (o.written_key() == "imaps" || o.written_key() == "pop3s")) {
                auto d = make_diagnostic(
                    *o.file()->source, o.setting->key_range,
                    "'" + std::string(o.written_key()) +
                    "' in 'protocols' is not a protocol: Dovecot 2.4 refuses to start "
                    "('Unknown protocol: " + std::string(o.written_key()) + "')");
                d.level = severity::error;
                d.hint = "write '" + std::string(o.written_key().substr(0, 4)) + " = yes' instead";
                out.report(std::move(d));
            }
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv104_implicit_tls_protocol_name, mailtls::implicit_tls_protocol_name)
