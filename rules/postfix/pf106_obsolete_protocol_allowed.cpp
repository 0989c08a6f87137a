#include <set>
#include <tuple>

#include "lint/postfix.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

namespace {

using model::tls_protocol;

/// The protocols of `enabled` among `candidates`, by name.
std::vector<std::string> enabled_names(model::protocol_set enabled,
                                       std::initializer_list<tls_protocol> candidates) {
    std::vector<std::string> names;
    for (const auto p : candidates) {
        if (enabled.contains(p)) {
            names.emplace_back(model::to_string(p));
        }
    }
    return names;
}

std::string setting_phrase(const model::setting& s, version target) {
    if (s.origin == model::value_origin::built_in) {
        return "'" + std::string(s.name) + " = " + s.value + "' (the default of Postfix " +
               target.to_string() + ")";
    }
    return "'" + std::string(s.name) + " = " + s.value + "' " + detail::origin_phrase(s);
}

class obsolete_protocol_allowed final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "PF106",
            .name = "obsolete-protocol-allowed",
            .dialect = dialect::postfix,
            .default_severity = severity::warning,
            .summary = "A TLS protocol list allows SSL, or mandatory TLS allows TLSv1/TLSv1.1",
            .rationale =
                "SSLv2 (RFC 6176) and SSLv3 (RFC 7568) are broken, and Postfix's defaults "
                "have excluded both since the 2015 releases (2.9.14, 2.10.8, 2.11.6, 3.0.2; "
                "postfix.md §3.4); a list such as '!SSLv2' or 'SSLv3, TLSv1' enables them "
                "again. TLSv1 and TLSv1.1 are deprecated by RFC 8996 (BCP 195), yet the "
                "default mandatory list ('>=TLSv1' from 3.6, '!SSLv2, !SSLv3' before) still "
                "allows them: where a service requires TLS (submission with 'encrypt', "
                "implicit TLS on 465), nothing forces old clients to stay, so the floor can be "
                "TLSv1.2. smtpd uses 'smtpd_tls_mandatory_protocols' only where TLS is "
                "required. Opportunistic lists are left alone: there, the alternative to an "
                "old protocol is plaintext (postconf(5) smtp_tls_security_level).",
            .fix_hint = "set 'smtpd_tls_mandatory_protocols = >=TLSv1.2' (Postfix 3.6 and "
                        "later; before: '!SSLv2, !SSLv3, !TLSv1, !TLSv1.1') and keep SSLv2 and "
                        "SSLv3 excluded in every protocol list",
            .versions = "all; the defaults allow SSLv3 before 2.9.14, 2.10.8, 2.11.6 and 3.0.2",
            .bad_example = {{"main.cf", "smtpd_tls_protocols = !SSLv2\n"}},
            .good_example = {{"main.cf", "smtpd_tls_protocols = >=TLSv1\n"},
                             {"master.cf", "smtp inet n - y - - smtpd\n"
                                           "submission inet n - y - - smtpd\n"
                                           "  -o smtpd_tls_security_level=encrypt\n"
                                           "  -o smtpd_tls_mandatory_protocols=>=TLSv1.2\n"}},
            .references = {"RFC 8996", "RFC 7568", "RFC 6176",
                           "https://www.postfix.org/postconf.5.html#smtpd_tls_mandatory_protocols",
                           "https://www.postfix.org/postconf.5.html#smtpd_tls_protocols"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.postfix_model == nullptr) {
            return;
        }
        const auto& model = *context.postfix_model;
        std::set<std::tuple<const source_file*, std::uint32_t, std::uint32_t>> reported;

        // The mandatory list where a service requires TLS, defaults included (which needs
        // main.cf: without it, its values are unknown, not the defaults).
        std::vector<detail::service_problem> problems;
        const auto services = context.postfix->main_cf
                                  ? model.smtpd_services()
                                  : std::span<const model::smtpd_service>();
        for (const auto& service : services) {
            const auto mode = model.tls_in_effect(service);
            if (mode != model::tls_mode::required && mode != model::tls_mode::implicit) {
                continue;
            }
            const auto list = model.in_service(service, "smtpd_tls_mandatory_protocols");
            const auto analysis = model::analyze_protocol_list(list.value);
            if (analysis.error) {
                continue;  // PF010 reports it
            }
            auto obsolete = enabled_names(
                analysis.enabled, {tls_protocol::sslv2, tls_protocol::sslv3, tls_protocol::tlsv1,
                                   tls_protocol::tlsv1_1});
            if (model::trim_blanks(list.value).empty()) {
                // An empty list excludes nothing: what is left is up to OpenSSL, whose current
                // releases have no SSL; TLSv1 and TLSv1.1 stay.
                obsolete = enabled_names(analysis.enabled,
                                         {tls_protocol::tlsv1, tls_protocol::tlsv1_1});
            }
            if (obsolete.empty()) {
                continue;
            }
            std::vector<note> notes;
            if (auto n = detail::setting_note(model.tls_cause(service), "requires TLS here")) {
                notes.push_back(std::move(*n));
            }
            problems.push_back(
                {&service, list.where,
                 setting_phrase(list, model.target()) + " allows " + detail::join_words(obsolete) +
                     " where TLS is required: clients that must use TLS may still "
                     "negotiate a deprecated protocol",
                 std::move(notes)});
        }
        for (auto& p : detail::merge_by_place(std::move(problems), model)) {
            reported.insert({p.where.file, p.where.range.begin, p.where.range.end});
            auto d = make_diagnostic(*p.where.file, p.where.range, std::move(p.message));
            d.notes = std::move(p.notes);
            out.report(std::move(d));
        }

        // Any protocol list written in main.cf or an `-o` that enables SSL.
        for (const auto& site : detail::parameter_sites(context)) {
            const auto* info = site.info;
            if (info == nullptr || info->type != model::value_type::protocol_list ||
                !detail::in_effect(site, model)) {
                continue;
            }
            const auto s = detail::setting_at(site, model);
            if (model::trim_blanks(s.value).empty() || s.value.find('$') != std::string::npos) {
                continue;
            }
            const auto analysis = model::analyze_protocol_list(s.value);
            const auto ssl =
                enabled_names(analysis.enabled, {tls_protocol::sslv2, tls_protocol::sslv3});
            const auto range = site.range();
            if (analysis.error || ssl.empty() ||
                reported.contains({site.file, range.begin, range.end})) {
                continue;
            }
            out.report(make_diagnostic(
                *site.file, range,
                "'" + std::string(site.name()) + " = " + s.value + "' " + site.place() +
                    " leaves " + detail::join_words(ssl) + " enabled: SSL is broken (RFC 6176, "
                    "RFC 7568) and Postfix's defaults have excluded it since 2015"));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(pf106_obsolete_protocol_allowed, mailtls::obsolete_protocol_allowed)
