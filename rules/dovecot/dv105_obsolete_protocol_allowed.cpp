#include <algorithm>
#include <array>

#include "mailtls/rule.hpp"
#include "model/dovecot_model.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace {

/// The protocols below TLS 1.2, oldest first, as ssl_min_protocol and ssl_protocols name them.
constexpr std::array<std::string_view, 4> k_obsolete{"SSLv2", "SSLv3", "TLSv1", "TLSv1.1"};
constexpr std::array<std::string_view, 5> k_all{"SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"};

/// The obsolete protocols an OpenSSL-style `ssl_protocols` list allows (2.1-2.2
/// iostream-openssl-common.c: the named protocols, or all when none is named, less the `!` ones).
std::vector<std::string_view> allowed_by_list(std::string_view value) {
    std::vector<std::string_view> include, exclude;
    for (const auto word : model::dovecot_words(value)) {
        const bool negated = word.starts_with('!');
        const auto name = negated ? word.substr(1) : word;
        for (const auto known : k_all) {
            if (detail::iequals(known, name)) {
                (negated ? exclude : include).push_back(known);
            }
        }
    }
    std::vector<std::string_view> allowed;
    for (const auto p : k_obsolete) {
        const bool in = include.empty() ||
                        std::find(include.begin(), include.end(), p) != include.end();
        if (in && std::find(exclude.begin(), exclude.end(), p) == exclude.end()) {
            allowed.push_back(p);
        }
    }
    return allowed;
}

/// What 2.3 makes of an `ssl_protocols` line (old-set-parser.c, observed with doveconf
/// 2.3.19.1): the lowest protocol the list allows becomes `ssl_min_protocol` ('!SSLv3' gives
/// TLSv1, '!TLSv1 !TLSv1.1' gives SSLv3); a list that names SSLv2 anywhere is not converted
/// ("Could not find a minimum ssl_min_protocol setting from ssl_protocols = ...: Unrecognized
/// protocol 'SSLv2'"), and `ssl_min_protocol` keeps its value. Empty when not converted.
std::string_view converted_minimum(std::string_view value) {
    static constexpr std::array<std::string_view, 5> k_known{"SSLv3", "TLSv1", "TLSv1.1",
                                                             "TLSv1.2", "TLSv1.3"};
    std::vector<std::string_view> include, exclude;
    for (const auto word : model::dovecot_words(value)) {
        const bool negated = word.starts_with('!');
        const auto name = negated ? word.substr(1) : word;
        const auto it = std::find_if(k_known.begin(), k_known.end(), [&](std::string_view k) {
            return detail::iequals(k, name);
        });
        if (it == k_known.end()) {
            return {};  // SSLv2 or a name 2.3 does not know: not converted
        }
        (negated ? exclude : include).push_back(*it);
    }
    for (const auto p : k_known) {
        const bool in = include.empty() ||
                        std::find(include.begin(), include.end(), p) != include.end();
        if (in && std::find(exclude.begin(), exclude.end(), p) == exclude.end()) {
            return p;
        }
    }
    return {};
}

/// The protocols below TLS 1.2 that an `ssl_min_protocol` value allows.
std::vector<std::string_view> allowed_by_minimum(std::string_view value) {
    std::vector<std::string_view> allowed;
    bool from = detail::iequals(value, "ANY");
    for (const auto p : k_obsolete) {
        from = from || detail::iequals(value, p);
        if (from && p != "SSLv2") {
            allowed.push_back(p);
        }
    }
    return allowed;
}

bool below_tls12(std::string_view value) {
    for (const auto p : {std::string_view("ANY"), std::string_view("SSLv3"),
                         std::string_view("TLSv1"), std::string_view("TLSv1.1")}) {
        if (detail::iequals(value, p)) {
            return true;
        }
    }
    return false;
}

std::string joined(const std::vector<std::string_view>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + std::string(names[i]);
    }
    return out;
}

class obsolete_protocol_allowed final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV105",
            .name = "obsolete-protocol-allowed",
            .dialect = dialect::dovecot,
            .default_severity = severity::warning,
            .summary = "TLS versions below 1.2 (or SSL) are allowed",
            .rationale =
                "RFC 8996 (BCP 195) deprecates TLS 1.0 and 1.1 and RFC 8997 sets TLS 1.2 as the "
                "minimum for mail access; SSLv2 and SSLv3 are broken. Dovecot 2.3.0-2.3.14 "
                "default to 'ssl_min_protocol = TLSv1' (2.3.15 moved it to TLSv1.2), and 2.1-2.2 "
                "'ssl_protocols' defaults to '!SSLv2' (2.2.27: '!SSLv2 !SSLv3'), which still "
                "allow TLS 1.0 and 1.1 (dovecot.md sections 2.1, 2.2 and 4; "
                "docs@main:data/settings.js cites RFC 8996). 2.3 converts 'ssl_protocols' to "
                "the lowest protocol it allows ('!SSLv3' becomes 'ssl_min_protocol = TLSv1'), "
                "but a list that names SSLv2 is not converted and the default minimum stays "
                "(old-set-parser.c, doveconf 2.3.19.1): the rule judges what is in effect.",
            .fix_hint = "set 'ssl_min_protocol = TLSv1.2' (2.3 and later) or 'ssl_protocols = "
                        "!SSLv2 !SSLv3 !TLSv1 !TLSv1.1' (2.1-2.2)",
            .versions = "2.1 and later (ssl_protocols 2.1-2.2, ssl_min_protocol 2.3+)",
            .bad_example = {{"dovecot.conf", "ssl_min_protocol = TLSv1\n"}},
            .good_example = {{"dovecot.conf", "ssl_min_protocol = TLSv1.2\n"}},
            .references = {"RFC 8996", "RFC 8997",
                           "https://doc.dovecot.org/2.3/settings/core/#core_setting-ssl_min_protocol"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot_model == nullptr) {
            return;
        }
        const auto& model = *context.dovecot_model;
        const bool has_min = model.accepts("ssl_min_protocol");
        const bool has_list = model.accepts("ssl_protocols");  // 2.3 converts it
        bool written = false;
        if (has_min) {
            for (const auto* o : model.occurrences("ssl_min_protocol")) {
                written = true;
                if (!below_tls12(o->value())) {
                    continue;
                }
                auto d = make_diagnostic(*o->file()->source, o->setting->value.range,
                                         model::written(*o) +
                                             " lets clients use protocols older than TLS 1.2");
                d.hint = "set 'ssl_min_protocol = TLSv1.2'";
                out.report(std::move(d));
            }
        }
        if (has_list && has_min) {
            // 2.3 converts each line to ssl_min_protocol: judge what is in effect
            for (const auto* o : model.occurrences("ssl_protocols")) {
                const auto minimum = converted_minimum(o->value());
                std::string message;
                std::vector<std::string_view> allowed;
                if (!minimum.empty()) {
                    allowed = allowed_by_minimum(minimum);
                    message = model::written(*o) + " becomes 'ssl_min_protocol = " +
                              std::string(minimum) + "' in Dovecot " +
                              model.target().to_string() + ", which allows ";
                    written = true;
                } else if (!written) {
                    // not converted: the default minimum stays, judged here once
                    const auto value = model.global("ssl_min_protocol");
                    if (!value.is_set || !model.tls_enabled() || model.is_partial()) {
                        continue;
                    }
                    allowed = allowed_by_minimum(value.value);
                    message = model::written(*o) + " is not converted by Dovecot " +
                              model.target().to_string() +
                              " (it names a protocol 2.3 does not know), so the default "
                              "'ssl_min_protocol = " +
                              value.value + "' stays in effect, which allows ";
                    written = true;
                }
                if (allowed.empty()) {
                    continue;
                }
                auto d = make_diagnostic(*o->file()->source, o->setting->value.range,
                                         message + joined(allowed));
                d.hint = "replace it with 'ssl_min_protocol = TLSv1.2'";
                out.report(std::move(d));
            }
        } else if (has_list) {
            for (const auto* o : model.occurrences("ssl_protocols")) {
                written = true;
                const auto allowed = allowed_by_list(o->value());
                if (allowed.empty()) {
                    continue;
                }
                auto d = make_diagnostic(*o->file()->source, o->setting->value.range,
                                         model::written(*o) + " allows " + joined(allowed));
                d.hint = "set 'ssl_protocols = !SSLv2 !SSLv3 !TLSv1 !TLSv1.1'";
                out.report(std::move(d));
            }
        }
        // The target's default, when nothing sets it in a whole instance with TLS on.
        if (written || model.is_partial() || !model.tls_enabled() || (!has_min && !has_list)) {
            return;
        }
        const auto name = has_min ? std::string_view("ssl_min_protocol")
                                  : std::string_view("ssl_protocols");
        const auto value = model.global(name);
        if (!value.is_set) {
            return;
        }
        const auto allowed = has_min ? (below_tls12(value.value)
                                            ? std::vector<std::string_view>{"TLSv1", "TLSv1.1"}
                                            : std::vector<std::string_view>{})
                                     : allowed_by_list(value.value);
        if (allowed.empty()) {
            return;
        }
        const auto& ssl = model.ssl_setting();
        const auto place = ssl.set_by != nullptr ? ssl.set_by->key_place() : model.top_place();
        auto d = make_diagnostic(*place.file, place.range,
                                 "the default '" + std::string(name) + " = " + value.value +
                                     "' of Dovecot " + model.target().to_string() + " allows " +
                                     joined(allowed));
        d.hint = has_min ? "set 'ssl_min_protocol = TLSv1.2'"
                         : "set 'ssl_protocols = !SSLv2 !SSLv3 !TLSv1 !TLSv1.1'";
        out.report(std::move(d));
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv105_obsolete_protocol_allowed, mailtls::obsolete_protocol_allowed)
