// `mailtls-lint show`: the configuration as the daemons see it, as text or JSON.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ostream>

#include "mailtls/report.hpp"
#include "report/json_errors.hpp"
#include "report/sanitize.hpp"

namespace mailtls {

namespace {

using json = nlohmann::ordered_json;

constexpr int k_show_schema_version = 1;

/// Where a value came from, for text: `main.cf:12`, `master.cf:18 (-o)`, `default`.
std::string source_of(const shown_value& v) {
    if (v.file.empty()) {
        return v.origin;
    }
    return terminal_safe(v.file) + ":" + std::to_string(v.line) +
           (v.origin == "master.cf" ? " (-o)" : "");
}

json value_json(const shown_value& v) {
    json o;
    o["name"] = detail::valid_utf8(v.name);
    o["value"] = detail::valid_utf8(v.value);
    o["origin"] = v.origin;
    if (!v.file.empty()) {
        o["file"] = detail::valid_utf8(v.file);
        o["line"] = v.line;
        o["column"] = v.column;
    }
    return o;
}

bool selected(const shown_smtpd_service& s, std::string_view only) {
    return only.empty() || s.service == only;
}

}  // namespace

void render_show_text(const show_result& shown, std::ostream& out, std::string_view service) {
    bool first = true;
    for (const auto& p : shown.postfix) {
        out << (first ? "" : "\n") << "# Postfix " << p.target << ", compatibility_level "
            << p.compatibility_level << ": "
            << (p.main_cf.empty() ? "no main.cf" : terminal_safe(p.main_cf)) << ", "
            << (p.master_cf.empty() ? "the stock master.cf (assumed)"
                                    : terminal_safe(p.master_cf))
            << '\n';
        first = false;
        if (service.empty()) {
            out << "\n## main.cf (as postconf -n prints it)\n";
            for (const auto& v : p.parameters) {
                out << terminal_safe(v.name) << " = " << terminal_safe(v.value) << '\n';
            }
        }
        for (const auto& s : p.services) {
            if (!selected(s, service)) {
                continue;
            }
            out << "\n## " << terminal_safe(s.service) << " (" << s.role << "): TLS " << s.tls
                << ", SASL " << (s.sasl ? "on" : "off");
            if (!s.file.empty()) {
                out << ", " << terminal_safe(s.file) << ':' << s.line;
            }
            out << '\n';
            std::size_t width = 0;
            for (const auto& v : s.settings) {
                width = std::max(width, v.name.size() + 3 + v.value.size());
            }
            for (const auto& v : s.settings) {
                const auto line = terminal_safe(v.name) + " = " + terminal_safe(v.value);
                out << line << std::string(width + 2 - std::min(width, line.size()), ' ')
                    << "# " << source_of(v) << '\n';
            }
        }
    }
    if (!service.empty()) {
        return;
    }
    for (const auto& d : shown.dovecot) {
        out << (first ? "" : "\n") << "# Dovecot " << d.target << ": " << terminal_safe(d.top)
            << '\n';
        first = false;
        for (std::size_t i = 1; i < d.files.size(); ++i) {
            out << "#   includes " << terminal_safe(d.files[i]) << '\n';
        }
        out << "\n## settings (after includes)\n";
        std::vector<std::string> open;
        for (const auto& s : d.settings) {
            std::size_t common = 0;
            while (common < open.size() && common < s.sections.size() &&
                   open[common] == s.sections[common]) {
                ++common;
            }
            while (open.size() > common) {
                open.pop_back();
                out << std::string(open.size() * 2, ' ') << "}\n";
            }
            while (open.size() < s.sections.size()) {
                out << std::string(open.size() * 2, ' ') << terminal_safe(s.sections[open.size()])
                    << " {\n";
                open.push_back(s.sections[open.size()]);
            }
            out << std::string(open.size() * 2, ' ') << terminal_safe(s.value.name) << " = "
                << terminal_safe(s.value.value) << '\n';
        }
        while (!open.empty()) {
            open.pop_back();
            out << std::string(open.size() * 2, ' ') << "}\n";
        }
        out << "\n## listeners\n";
        for (const auto& l : d.listeners) {
            out << terminal_safe(l.service) << '/' << terminal_safe(l.name) << ": port "
                << terminal_safe(l.port.empty() ? "-" : l.port) << ", " << l.tls
                << (l.open ? "" : " (not open)") << ", "
                << (l.file.empty() ? std::string(l.built_in ? "built in" : "default")
                                   : terminal_safe(l.file) + ":" + std::to_string(l.line))
                << '\n';
        }
    }
}

void render_show_json(const show_result& shown, std::ostream& out, std::string_view service) {
    json doc;
    doc["schema_version"] = k_show_schema_version;
    doc["tool"] = {{"name", "mailtls-lint"}, {"version", MAILTLS_VERSION}};
    auto postfix = json::array();
    for (const auto& p : shown.postfix) {
        json o;
        o["main_cf"] = p.main_cf.empty() ? json(nullptr) : json(detail::valid_utf8(p.main_cf));
        o["master_cf"] =
            p.master_cf.empty() ? json(nullptr) : json(detail::valid_utf8(p.master_cf));
        o["target"] = p.target;
        o["compatibility_level"] = p.compatibility_level;
        auto params = json::array();
        for (const auto& v : p.parameters) {
            params.push_back(value_json(v));
        }
        o["parameters"] = std::move(params);
        auto services = json::array();
        for (const auto& s : p.services) {
            if (!selected(s, service)) {
                continue;
            }
            json so;
            so["service"] = detail::valid_utf8(s.service);
            so["role"] = s.role;
            so["tls"] = s.tls;
            so["sasl"] = s.sasl;
            so["file"] = s.file.empty() ? json(nullptr) : json(detail::valid_utf8(s.file));
            so["line"] = s.line;
            auto settings = json::array();
            for (const auto& v : s.settings) {
                settings.push_back(value_json(v));
            }
            so["settings"] = std::move(settings);
            services.push_back(std::move(so));
        }
        o["services"] = std::move(services);
        postfix.push_back(std::move(o));
    }
    doc["postfix"] = std::move(postfix);
    auto dovecot = json::array();
    for (const auto& d : shown.dovecot) {
        if (!service.empty()) {
            break;
        }
        json o;
        o["top"] = detail::valid_utf8(d.top);
        auto files = json::array();
        for (const auto& f : d.files) {
            files.push_back(detail::valid_utf8(f));
        }
        o["files"] = std::move(files);
        o["target"] = d.target;
        auto settings = json::array();
        for (const auto& s : d.settings) {
            auto v = value_json(s.value);
            auto sections = json::array();
            for (const auto& h : s.sections) {
                sections.push_back(detail::valid_utf8(h));
            }
            v["sections"] = std::move(sections);
            settings.push_back(std::move(v));
        }
        o["settings"] = std::move(settings);
        auto listeners = json::array();
        for (const auto& l : d.listeners) {
            json lo;
            lo["service"] = detail::valid_utf8(l.service);
            lo["name"] = detail::valid_utf8(l.name);
            lo["port"] = detail::valid_utf8(l.port);
            lo["ssl"] = detail::valid_utf8(l.ssl);
            lo["tls"] = l.tls;
            lo["built_in"] = l.built_in;
            lo["open"] = l.open;
            lo["file"] = l.file.empty() ? json(nullptr) : json(detail::valid_utf8(l.file));
            lo["line"] = l.line;
            listeners.push_back(std::move(lo));
        }
        o["listeners"] = std::move(listeners);
        dovecot.push_back(std::move(o));
    }
    doc["dovecot"] = std::move(dovecot);
    doc["errors"] = detail::io_errors_json(shown.errors);
    out << doc.dump(2) << '\n';
}

}  // namespace mailtls
