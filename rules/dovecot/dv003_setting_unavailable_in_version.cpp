#include <string>

#include "lint/dovecot.hpp"
#include "mailtls/rule.hpp"
#include "model/dovecot_knowledge.hpp"

namespace mailtls {

namespace {

namespace dv = model::dovecot;

/// "1.0-1.1", "2.3.0 on", as the data's range reads.
/// The data's note as far as it says more than the replacement the hint already names: a
/// note that is the replacement is dropped, "ssl (inverted: ...)" is shown as "inverted: ...".
std::string_view shown_note(const dv::name_status& status) {
    std::string_view note = status.note;
    const std::string_view replacement = status.replacement;
    if (note == replacement) {
        return {};
    }
    if (!replacement.empty() && note.size() > replacement.size() + 3 &&
        note.starts_with(replacement) && note.substr(replacement.size()).starts_with(" (") &&
        note.ends_with(')')) {
        return note.substr(replacement.size() + 2, note.size() - replacement.size() - 3);
    }
    return note;
}

std::string releases_text(const dv::release_range& r) {
    if (r.to == "-") {
        return std::string(r.from) + " and later";
    }
    if (r.from == r.to) {
        return std::string(r.from);
    }
    return std::string(r.from) + "-" + std::string(r.to);
}

/// The replacement as the file would write it: the key of a section path
/// (`service/inet_listener/address` is 'address' inside 'inet_listener').
std::string replacement_text(const std::string& replacement) {
    const auto slash = replacement.rfind('/');
    if (slash == std::string::npos) {
        return "'" + replacement + "'";
    }
    const auto parent_begin = replacement.rfind('/', slash - 1);
    const auto parent = replacement.substr(parent_begin == std::string::npos ? 0 : parent_begin + 1,
                                           slash - (parent_begin == std::string::npos
                                                        ? 0
                                                        : parent_begin + 1));
    return "'" + replacement.substr(slash + 1) + "' inside '" + parent + " { }'";
}

class setting_unavailable_in_version final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV003",
            .name = "setting-unavailable-in-version",
            .dialect = dialect::dovecot,
            .default_severity = severity::error,
            .summary = "A setting that exists in other Dovecot releases but not in the target",
            .rationale =
                "Dovecot renamed many TLS and auth settings (dovecot.md §2.1). A name outside "
                "the releases that define it is fatal (\"Unknown setting\", no start): 'ssl' "
                "before 1.2 (1.0 and 1.1 have 'ssl_disable'), 'ssl_disable' on 1.2 (commit "
                "f4a00030e7 renamed it without an alias), 'ssl_min_protocol' before 2.3, and on "
                "2.4 every renamed 2.3 name such as 'ssl_cert' or 'disable_plaintext_auth' "
                "(2.4-converted-settings). 2.0-2.3 instead accept most 1.x names with an "
                "\"Obsolete setting\" warning and convert them (old-set-parser.c): 'ssl_cert_file' "
                "becomes 'ssl_cert = <path'. Those conversions are reported as warnings, the "
                "refusals as errors; the hint names the setting to write for the target.",
            .fix_hint = "write the setting the target release knows (the message names it), or "
                        "give the real target with --dovecot-version",
            .versions = "all",
            .bad_example = {{"dovecot.conf", "dovecot_config_version = 2.4.1\n"
                                             "dovecot_storage_version = 2.4.1\n"
                                             "ssl_cert = </etc/ssl/certs/mail.pem\n"}},
            .good_example = {{"dovecot.conf", "dovecot_config_version = 2.4.1\n"
                                              "dovecot_storage_version = 2.4.1\n"
                                              "ssl_server_cert_file = /etc/ssl/certs/mail.pem\n"}},
            .references = {"https://doc.dovecot.org/latest/installation/upgrade/2.3-to-2.4.html",
                           "https://doc.dovecot.org/2.3/installation_guide/upgrading/"
                           "from-1.2-to-2.0/"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot == nullptr || context.dovecot_model == nullptr) {
            return;
        }
        const auto target = context.dovecot_version;
        const auto release = "Dovecot " + target.to_string();
        for (const auto& site : detail::dovecot_sites(*context.dovecot_model)) {
            const auto& setting = site.setting();
            if (!site.facts->judged) {
                continue;
            }
            const auto& status = *site.facts->status;
            if (!status.known || status.state == dv::availability::valid) {
                continue;  // DV002 judges names no release knows
            }
            const auto key = "'" + std::string(site.key()) + "'";
            const auto known_in =
                status.valid_in ? " (Dovecot " + releases_text(*status.valid_in) + ")" : "";
            std::string message;
            std::string hint;
            const auto replacement =
                status.replacement.empty() ? "" : replacement_text(status.replacement);
            if (status.state == dv::availability::converted) {
                message = key + " is obsolete in " + release + known_in +
                          ": the daemon converts it" +
                          (replacement.empty() ? "" : " to " + replacement) +
                          " with an \"Obsolete setting\" warning";
                hint = replacement.empty() ? "remove it" : "write " + replacement + " instead";
            } else {
                message = key + " is not known to " + release + known_in +
                          ": the daemon refuses it and does not start";
                hint = replacement.empty()
                           ? "remove it, or give the real target with --dovecot-version"
                           : "write " + replacement + " instead (the setting " + release +
                                 " knows)";
            }
            if (const auto note = shown_note(status); !note.empty()) {
                hint += " (" + std::string(note) + ")";
            }
            auto d = make_diagnostic(*site.file(), setting.key_range, std::move(message));
            if (status.state == dv::availability::converted) {
                d.level = severity::warning;
            }
            d.hint = std::move(hint);
            out.report(std::move(d));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv003_setting_unavailable_in_version,
                      mailtls::setting_unavailable_in_version)
