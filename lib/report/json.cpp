#include <nlohmann/json.hpp>

#include <ostream>

#include "mailtls/report.hpp"
#include "report/json_errors.hpp"
#include "report/sanitize.hpp"

namespace mailtls {

namespace {

using json = nlohmann::ordered_json;

/// Version of the JSON document's shape; bumped only when a field changes meaning or goes.
constexpr int k_schema_version = 1;

void put_location(json& obj, const location& where) {
    const auto loc = flatten(where);
    obj["file"] = detail::valid_utf8(loc.file);
    obj["line"] = loc.line;
    obj["column"] = loc.column;
    obj["end_line"] = loc.end_line;
    obj["end_column"] = loc.end_column;
}

}  // namespace

void render_json(const lint_result& result, std::ostream& out) {
    json doc;
    doc["schema_version"] = k_schema_version;
    doc["tool"] = {{"name", "mailtls-lint"}, {"version", MAILTLS_VERSION}};
    doc["targets"] = {{"postfix", result.postfix_version.to_string()},
                      {"dovecot", result.dovecot_version.to_string()}};
    auto findings = json::array();
    for (const auto& d : result.diagnostics) {
        json f;
        f["code"] = d.code;
        f["name"] = d.name;
        f["severity"] = to_string(d.level);
        f["message"] = detail::valid_utf8(d.message);
        put_location(f, d.where);
        auto notes = json::array();
        for (const auto& n : d.notes) {
            json note_obj;
            note_obj["message"] = detail::valid_utf8(n.message);
            if (n.where.file != nullptr) {
                put_location(note_obj, n.where);
            }
            notes.push_back(std::move(note_obj));
        }
        f["notes"] = std::move(notes);
        f["hint"] = detail::valid_utf8(d.hint);
        if (d.fix) {
            json fix_obj;
            fix_obj["description"] = detail::valid_utf8(d.fix->description);
            fix_obj["applicability"] = d.fix->kind == applicability::safe ? "safe" : "unsafe";
            auto edits = json::array();
            for (const auto& e : d.fix->edits) {
                json edit;
                put_location(edit, e.where);
                edit["replacement"] = detail::valid_utf8(e.replacement);
                edits.push_back(std::move(edit));
            }
            fix_obj["edits"] = std::move(edits);
            f["fix"] = std::move(fix_obj);
        } else {
            f["fix"] = nullptr;
        }
        findings.push_back(std::move(f));
    }
    doc["findings"] = std::move(findings);
    doc["errors"] = detail::io_errors_json(result.errors);
    auto notes = json::array();
    for (const auto& n : result.notes) {
        const auto loc = flatten(n);
        notes.push_back({{"message", detail::valid_utf8(n.message)},
                         {"file", detail::valid_utf8(loc.file)},
                         {"line", loc.line},
                         {"column", loc.column},
                         {"end_line", loc.end_line},
                         {"end_column", loc.end_column}});
    }
    doc["notes"] = std::move(notes);
    out << doc.dump(2) << '\n';
}

void render_rules_json(std::span<const std::unique_ptr<rule>> rules, std::ostream& out) {
    auto list = json::array();
    for (const auto& r : rules) {
        const auto& m = r->metadata();
        list.push_back({{"code", m.code},
                        {"name", m.name},
                        {"severity", to_string(m.default_severity)},
                        {"dialect", to_string(m.dialect)},
                        {"versions", m.versions},
                        {"summary", m.summary},
                        {"help_uri", rule_help_uri(m.code)}});
    }
    json doc;
    doc["schema_version"] = k_schema_version;
    doc["rules"] = std::move(list);
    out << doc.dump(2) << '\n';
}

namespace detail {

json io_errors_json(const std::vector<io_error>& errors) {
    auto out = json::array();
    for (const auto& e : errors) {
        out.push_back({{"file", valid_utf8(e.path)}, {"message", valid_utf8(e.message)}});
    }
    return out;
}

}  // namespace detail

}  // namespace mailtls
