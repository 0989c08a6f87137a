#include "lint/show.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

#include "mailtls/report.hpp"
#include "model/dovecot_model.hpp"
#include "model/postfix_model.hpp"

namespace mailtls::detail {

namespace {

/// The parameters `show` gives per smtpd service: what decides TLS, SASL and the
/// certificates there.
constexpr std::array k_service_parameters = {
    std::string_view("smtpd_tls_security_level"),
    std::string_view("smtpd_tls_wrappermode"),
    std::string_view("smtpd_use_tls"),
    std::string_view("smtpd_enforce_tls"),
    std::string_view("smtpd_tls_auth_only"),
    std::string_view("smtpd_sasl_auth_enable"),
    std::string_view("smtpd_sasl_type"),
    std::string_view("smtpd_sasl_path"),
    std::string_view("smtpd_sasl_security_options"),
    std::string_view("smtpd_sasl_tls_security_options"),
    std::string_view("smtpd_tls_chain_files"),
    std::string_view("smtpd_tls_cert_file"),
    std::string_view("smtpd_tls_key_file"),
    std::string_view("smtpd_tls_eccert_file"),
    std::string_view("smtpd_tls_eckey_file"),
    std::string_view("smtpd_tls_protocols"),
    std::string_view("smtpd_tls_mandatory_protocols"),
    std::string_view("smtpd_tls_ciphers"),
    std::string_view("smtpd_tls_mandatory_ciphers"),
    std::string_view("smtpd_relay_restrictions"),
    std::string_view("smtpd_recipient_restrictions"),
};

/// Blanks and line breaks folded to one space, as postconf prints a value.
std::string fold(std::string_view value) {
    std::string out;
    bool blank = false;
    for (const char c : value) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            blank = !out.empty();
        } else {
            if (blank) {
                out += ' ';
                blank = false;
            }
            out += c;
        }
    }
    return out;
}

void place(shown_value& v, const location& where) {
    if (where.file == nullptr) {
        return;
    }
    const auto flat = flatten(where);
    v.file = flat.file;
    v.line = flat.line;
    v.column = flat.column;
}

std::string origin_name(model::value_origin origin) {
    switch (origin) {
        case model::value_origin::main_cf: return "main.cf";
        case model::value_origin::master_cf: return "master.cf";
        case model::value_origin::built_in: break;
    }
    return "default";
}

std::string role_name(model::service_role role) {
    auto name = std::string(model::to_string(role));
    std::replace(name.begin(), name.end(), '_', '-');
    return name;
}

}  // namespace

shown_postfix describe(const model::postfix_model& model) {
    shown_postfix out;
    const auto& instance = model.instance();
    out.target = model.target().to_string();
    const auto level = model.global("compatibility_level");
    out.compatibility_level = level.is_set ? fold(level.value) : "0";
    if (instance.main_cf) {
        out.main_cf = instance.main_cf->source->path();
        std::map<std::string_view, const ast::main_cf_parameter*> last;
        for (const auto& p : instance.main_cf->ast.parameters) {
            last[p.name] = &p;
        }
        for (const auto& [name, p] : last) {
            shown_value v{std::string(name), fold(p->value), "main.cf", {}, 0, 0};
            place(v, {instance.main_cf->source.get(), p->range});
            out.parameters.push_back(std::move(v));
        }
    }
    if (instance.master_cf) {
        out.master_cf = instance.master_cf->source->path();
    }
    for (const auto& service : model.smtpd_services()) {
        shown_smtpd_service s;
        s.service = service.label;
        s.role = role_name(service.role);
        s.tls = std::string(model::to_string(model.tls_in_effect(service)));
        s.sasl = model.sasl_enabled(service);
        if (service.where.file != nullptr) {
            const auto flat = flatten(service.where);
            s.file = flat.file;
            s.line = flat.line;
        }
        for (const auto name : k_service_parameters) {
            const auto setting = model.in_service(service, name);
            if (!setting.is_set) {
                continue;  // unknown to the target release, or no known default
            }
            shown_value v{std::string(name), fold(setting.value), origin_name(setting.origin),
                          {}, 0, 0};
            place(v, setting.where);
            s.settings.push_back(std::move(v));
        }
        out.services.push_back(std::move(s));
    }
    return out;
}

shown_dovecot describe(const model::dovecot_model& model) {
    shown_dovecot out;
    const auto& instance = model.instance();
    out.target = model.target().to_string();
    for (const auto& file : instance.files) {
        out.files.push_back(file.source->path());
    }
    if (!out.files.empty()) {
        out.top = out.files.front();
    }
    walk_dovecot(instance, [&](const dovecot_setting_ref& ref) {
        shown_dovecot::setting s;
        for (const auto& scope : ref.sections) {
            const auto& section = *scope.section;
            auto header = std::string(section.type);
            if (section.has_name) {
                header += (header.empty() ? "" : " ") + std::string(section.name);
            }
            s.sections.push_back(std::move(header));
        }
        s.value.name = ref.file->ast.key(*ref.setting);
        s.value.value = (ref.setting->value.file ? "<" : "") +
                        std::string(ref.file->ast.text(*ref.setting));
        s.value.origin = "dovecot";
        place(s.value, {ref.file->source.get(), ref.setting->key_range});
        out.settings.push_back(std::move(s));
    });
    for (const auto& l : model.listeners()) {
        shown_dovecot_listener shown;
        shown.service = l.service;
        shown.name = l.name;
        shown.port = l.port.value;
        shown.ssl = l.ssl.value;
        shown.tls = l.tls == model::listener_tls::implicit   ? "implicit"
                    : l.tls == model::listener_tls::starttls ? "starttls"
                                                             : "plain";
        shown.built_in = l.built_in;
        shown.open = l.open;
        if (const auto where = l.place(); where.file != nullptr) {
            const auto flat = flatten(where);
            shown.file = flat.file;
            shown.line = flat.line;
        }
        out.listeners.push_back(std::move(shown));
    }
    return out;
}

}  // namespace mailtls::detail
