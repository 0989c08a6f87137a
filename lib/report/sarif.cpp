#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <ostream>
#include <system_error>

#include "mailtls/registry.hpp"
#include "mailtls/report.hpp"
#include "report/sanitize.hpp"

namespace mailtls {

namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view k_fingerprint_key = "mailtlsFingerprint/v1";

std::string_view sarif_level(severity s) noexcept {
    switch (s) {
        case severity::error: return "error";
        case severity::warning: return "warning";
        case severity::info: return "note";
    }
    return "none";
}

/// A path as a URI reference: unreserved characters and '/' as they are, every other byte
/// percent-encoded (so spaces, '%', '#' and invalid UTF-8 survive).
std::string uri_encode(std::string_view path) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : path) {
        const auto c = static_cast<unsigned char>(ch);
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                          c == '~' || c == '/';
        if (keep) {
            out += ch;
        } else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 0x0F];
        }
    }
    return out;
}

/// An artifact location: relative paths against %SRCROOT% (the working directory), absolute
/// ones as file URIs.
json artifact_location(std::string_view path) {
    if (path.starts_with('/')) {
        return {{"uri", "file://" + uri_encode(path)}};
    }
    auto relative = path;
    while (relative.starts_with("./")) {
        relative.remove_prefix(2);
    }
    return {{"uri", uri_encode(relative)}, {"uriBaseId", "%SRCROOT%"}};
}

/// 1-based line and column in code points of a byte offset.
std::pair<std::uint32_t, std::uint32_t> line_and_column(const source_file& file,
                                                        std::uint32_t offset) {
    const auto pos = file.position_of(offset);
    const auto line = file.line_range(pos.line);
    const auto begin = std::min(line.begin, offset);
    return {pos.line, detail::code_point_count(file.text().substr(begin, offset - begin)) + 1};
}

json region(const location& where) {
    const auto [line, column] = line_and_column(*where.file, where.range.begin);
    const auto [end_line, end_column] = line_and_column(*where.file, where.range.end);
    return {{"startLine", line},
            {"startColumn", column},
            {"endLine", end_line},
            {"endColumn", end_column},
            {"byteOffset", where.range.begin},
            {"byteLength", where.range.size()}};
}

json physical_location(const location& where) {
    return {{"artifactLocation", artifact_location(where.file->path())},
            {"region", region(where)}};
}

/// 64-bit FNV-1a: small, stable across platforms and releases, which is all a fingerprint
/// needs (it is not a security boundary).
std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 0xcbf29ce484222325ULL) {
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

/// The text a fingerprint identifies a finding by: the bytes of its range with runs of blanks
/// folded, or the trimmed source line for an empty range, or the message for an empty range
/// at the start of the file (a finding about the whole file, such as a missing setting,
/// whose first line says nothing about it). Not the line number, so the fingerprint stays
/// when lines are added above.
std::string finding_text(const diagnostic& d) {
    auto text = d.where.file->slice(d.where.range);
    if (text.empty() && d.where.range.begin == 0) {
        text = d.message;
    } else if (text.empty()) {
        text = d.where.file->slice(
            d.where.file->line_range(d.where.file->position_of(d.where.range.begin).line));
    }
    std::string out;
    bool blank = false;
    for (const char c : text) {
        const bool is_blank = c == ' ' || c == '\t' || c == '\r' || c == '\n';
        if (is_blank) {
            blank = !out.empty();
            continue;
        }
        if (blank) {
            out += ' ';
            blank = false;
        }
        out += c;
    }
    return out;
}

json describe_rule(const rule_metadata& m) {
    json rule_obj{
        {"id", m.code},
        {"name", m.name},
        {"shortDescription", {{"text", m.summary}}},
        {"fullDescription", {{"text", m.rationale}}},
        {"help", {{"text", m.fix_hint}, {"markdown", m.fix_hint}}},
        {"helpUri", rule_help_uri(m.code)},
        {"defaultConfiguration", {{"level", sarif_level(m.default_severity)}}},
        {"properties",
         {{"tags", {std::string(to_string(m.dialect))}}, {"versions", m.versions}}},
    };
    return rule_obj;
}

}  // namespace

void render_sarif(const lint_result& result, std::ostream& out) {
    json rules = json::array();
    std::map<std::string, std::size_t, std::less<>> rule_index;
    for (const auto& r : registry::global().rules()) {
        rule_index[r->metadata().code] = rules.size();
        rules.push_back(describe_rule(r->metadata()));
    }

    json results = json::array();
    std::map<std::uint64_t, int> occurrences;  // identical fingerprints get a running number
    for (const auto& d : result.diagnostics) {
        json res;
        res["ruleId"] = d.code;
        if (const auto it = rule_index.find(d.code); it != rule_index.end()) {
            res["ruleIndex"] = it->second;
        }
        res["level"] = sarif_level(d.level);
        std::string message = d.message;
        for (const auto& n : d.notes) {
            if (n.where.file == nullptr) {
                message += "\nnote: " + n.message;  // a note without a place has no location
            }
        }
        res["message"] = {{"text", detail::valid_utf8(message)}};
        if (d.where.file == nullptr) {
            results.push_back(std::move(res));
            continue;
        }
        res["locations"] = json::array({{{"physicalLocation", physical_location(d.where)}}});
        json related = json::array();
        for (const auto& n : d.notes) {
            if (n.where.file != nullptr) {
                related.push_back({{"id", related.size() + 1},
                                   {"physicalLocation", physical_location(n.where)},
                                   {"message", {{"text", detail::valid_utf8(n.message)}}}});
            }
        }
        if (!related.empty()) {
            res["relatedLocations"] = std::move(related);
        }
        if (d.fix) {
            // one artifactChange per file, in the order the edits name them
            json changes = json::array();
            std::map<const source_file*, std::size_t> change_of;
            for (const auto& e : d.fix->edits) {
                if (e.where.file == nullptr) {
                    continue;
                }
                auto [it, inserted] = change_of.try_emplace(e.where.file, changes.size());
                if (inserted) {
                    changes.push_back(
                        {{"artifactLocation", artifact_location(e.where.file->path())},
                         {"replacements", json::array()}});
                }
                changes[it->second]["replacements"].push_back(
                    {{"deletedRegion", region(e.where)},
                     {"insertedContent", {{"text", detail::valid_utf8(e.replacement)}}}});
            }
            res["fixes"] = json::array(
                {{{"description", {{"text", detail::valid_utf8(d.fix->description)}}},
                  {"artifactChanges", std::move(changes)}}});
        }
        const auto hash = fnv1a(finding_text(d),
                                fnv1a(d.where.file->path() + '\0', fnv1a(d.code + '\0')));
        const int n = occurrences[hash]++;
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
        res["partialFingerprints"] = {
            {k_fingerprint_key, std::string(hex) + ":" + std::to_string(n + 1)}};
        if (!d.hint.empty()) {
            res["properties"] = {{"hint", detail::valid_utf8(d.hint)}};
        }
        results.push_back(std::move(res));
    }

    json notifications = json::array();
    for (const auto& e : result.errors) {
        notifications.push_back(
            {{"level", "error"},
             {"message", {{"text", detail::valid_utf8(e.path + ": " + e.message)}}},
             {"locations",
              json::array({{{"physicalLocation",
                             {{"artifactLocation", artifact_location(e.path)}}}}})}});
    }
    // the notes no finding carries: how a target was chosen, a fragment linted alone
    for (const auto& n : result.notes) {
        const json place = n.located ? physical_location(n.where)
                                     : json{{"artifactLocation",
                                             artifact_location(n.where.file->path())}};
        notifications.push_back({{"level", "note"},
                                 {"message", {{"text", detail::valid_utf8(n.message)}}},
                                 {"locations", json::array({{{"physicalLocation", place}}})}});
    }

    json run;
    run["tool"] = {{"driver",
                    {{"name", "mailtls-lint"},
                     {"version", MAILTLS_VERSION},
                     {"semanticVersion", MAILTLS_VERSION},
                     {"informationUri", MAILTLS_HOMEPAGE},
                     {"rules", std::move(rules)}}}};
    std::error_code ec;
    const auto cwd = std::filesystem::current_path(ec);
    if (!ec) {
        auto root = cwd.generic_string();
        if (!root.ends_with('/')) {
            root += '/';
        }
        run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", "file://" + uri_encode(root)}}}};
    }
    run["invocations"] = json::array({{{"executionSuccessful", result.errors.empty()},
                                       {"toolExecutionNotifications", std::move(notifications)}}});
    run["columnKind"] = "unicodeCodePoints";
    run["properties"] = {{"targets",
                          {{"postfix", result.postfix_version.to_string()},
                           {"dovecot", result.dovecot_version.to_string()}}}};
    run["results"] = std::move(results);

    json doc;
    doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    doc["version"] = "2.1.0";
    doc["runs"] = json::array({std::move(run)});
    out << doc.dump(2) << '\n';
}

}  // namespace mailtls
