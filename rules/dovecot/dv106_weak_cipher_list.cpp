#include <algorithm>
#include <array>

#include "mailtls/rule.hpp"
#include "model/dovecot_model.hpp"
#include "parse/text.hpp"

namespace mailtls {

namespace {

/// A weak family: the OpenSSL keyword that names it, and what in a cipher name shows it.
struct weak_family {
    std::string_view keyword;             ///< `RC4`
    std::array<std::string_view, 3> also; ///< other keywords that exclude it (`!eNULL`)
    std::array<std::string_view, 2> in_name;  ///< substrings of single cipher names
};

constexpr std::array<weak_family, 8> k_weak{{
    {"RC4", {"", "", ""}, {"RC4", ""}},
    {"3DES", {"DES", "", ""}, {"DES-CBC3", "3DES"}},
    {"DES", {"", "", ""}, {"DES-CBC-", ""}},
    {"EXPORT", {"EXP", "", ""}, {"EXP-", "EXP1024"}},
    {"NULL", {"eNULL", "", ""}, {"NULL-", "-NULL"}},
    {"aNULL", {"ADH", "AECDH", ""}, {"ADH-", "AECDH-"}},
    {"MD5", {"", "", ""}, {"-MD5", ""}},
    {"LOW", {"", "", ""}, {"", ""}},
}};

/// The tokens of an OpenSSL cipher string (`:`, `,` and blanks separate them).
std::vector<std::string_view> tokens(std::string_view value) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    auto sep = [](char c) { return c == ':' || c == ',' || c == ' ' || c == '\t'; };
    while (i < value.size()) {
        while (i < value.size() && sep(value[i])) {
            ++i;
        }
        const auto begin = i;
        while (i < value.size() && !sep(value[i])) {
            ++i;
        }
        if (i > begin) {
            out.push_back(value.substr(begin, i - begin));
        }
    }
    return out;
}

bool names(std::string_view token, const weak_family& f) {
    // `HIGH+RC4` style combinations: any part that is the keyword
    std::size_t i = 0;
    while (i <= token.size()) {
        const auto plus = token.find('+', i);
        const auto part = token.substr(i, plus == std::string_view::npos ? plus : plus - i);
        if (detail::iequals(part, f.keyword)) {
            return true;
        }
        for (const auto other : f.also) {
            if (!other.empty() && detail::iequals(part, other)) {
                return true;
            }
        }
        if (plus == std::string_view::npos) {
            break;
        }
        i = plus + 1;
    }
    for (const auto sub : f.in_name) {
        if (!sub.empty() && token.find(sub) != std::string_view::npos) {
            return true;
        }
    }
    return false;
}

class weak_cipher_list final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV106",
            .name = "weak-cipher-list",
            .dialect = dialect::dovecot,
            .default_severity = severity::warning,
            .summary = "'ssl_cipher_list' enables broken ciphers",
            .rationale =
                "RC4, DES and 3DES, EXPORT, NULL (no encryption), aNULL (no authentication, "
                "open to a man in the middle), MD5 and LOW ciphers are broken; a bare 'ALL' "
                "enables every one of them the OpenSSL build still has. Dovecot 2.3 changed "
                "its default to exclude them ('ALL:!kRSA:!SRP:!kDHd:!DSS:!aNULL:!eNULL:"
                "!EXPORT:!DES:!3DES:!MD5:!PSK:!RC4:!ADH:!LOW@STRENGTH', dovecot.md section "
                "2.1), and the Mozilla intermediate profile lists only ECDHE/DHE AEAD ciphers "
                "(dovecot.md section 4).",
            .fix_hint = "remove 'ssl_cipher_list' to use the version's default, or use the "
                        "Mozilla intermediate list; exclude weak families with '!RC4', '!3DES', "
                        "'!aNULL', ...",
            .versions = "all",
            .bad_example = {{"dovecot.conf", "ssl_cipher_list = ALL:RC4-SHA:!aNULL\n"}},
            .good_example = {{"dovecot.conf",
                              "ssl_cipher_list = ECDHE-ECDSA-AES128-GCM-SHA256:"
                              "ECDHE-RSA-AES128-GCM-SHA256:!aNULL\n"}},
            .references = {"https://ssl-config.mozilla.org/#server=dovecot",
                           "https://www.openssl.org/docs/man1.1.1/man1/ciphers.html"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot_model == nullptr) {
            return;
        }
        const auto& model = *context.dovecot_model;
        for (const auto* o : model.occurrences("ssl_cipher_list")) {
            const auto list = tokens(o->value());
            // `!X` removes X for good, wherever it stands; `-X` only until added again
            auto excluded = [&](const weak_family& f) {
                return std::any_of(list.begin(), list.end(), [&](std::string_view t) {
                    return t.starts_with('!') && names(t.substr(1), f);
                });
            };
            bool any_exclusion = false;
            for (const auto t : list) {
                any_exclusion = any_exclusion || t.starts_with('!') || t.starts_with('-');
            }
            for (const auto t : list) {
                if (t.starts_with('!') || t.starts_with('-') || t.starts_with('@')) {
                    continue;
                }
                const auto token = t.starts_with('+') ? t.substr(1) : t;
                std::string why;
                if (detail::iequals(token, "ALL") && !any_exclusion) {
                    why = "a bare 'ALL' in 'ssl_cipher_list' enables every cipher OpenSSL "
                          "has, EXPORT, RC4 and anonymous (aNULL) ones included";
                } else {
                    for (const auto& f : k_weak) {
                        if (names(token, f) && !excluded(f)) {
                            why = "'" + std::string(token) + "' in 'ssl_cipher_list' enables " +
                                  std::string(f.keyword) + " ciphers";
                            break;
                        }
                    }
                }
                if (why.empty()) {
                    continue;
                }
                const auto place = model::word_place(*o, token, ":+!");
                auto d = make_diagnostic(*place.file, place.range, why);
                d.hint = "remove '" + std::string(token) +
                         "' or the whole setting (the default of Dovecot 2.3 and later excludes "
                         "weak ciphers)";
                out.report(std::move(d));
            }
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv106_weak_cipher_list, mailtls::weak_cipher_list)
