// A rule's documentation, generated from its metadata: docs/rules/ and `mailtls-lint explain`.

#include <algorithm>
#include <ostream>
#include <string>

#include "mailtls/report.hpp"

namespace mailtls {

namespace {

/// A fence of backticks longer than any run of them in `text`, at least three.
std::string fence_for(std::string_view text) {
    std::size_t longest = 0, run = 0;
    for (const char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

/// Text for a Markdown table cell: '|' escaped and line breaks folded.
std::string table_cell(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

void render_example(const std::vector<std::pair<std::string, std::string>>& files,
                    std::ostream& out) {
    for (const auto& [name, text] : files) {
        const auto fence = fence_for(text);
        out << '`' << name << "`:\n\n" << fence << '\n' << text;
        if (!text.ends_with('\n')) {
            out << '\n';
        }
        out << fence << "\n\n";
    }
}

}  // namespace

std::string rule_help_uri(std::string_view code) {
    return std::string(MAILTLS_RULE_DOCS_URL) + "/" + std::string(code) + ".md";
}

std::vector<std::string> missing_documentation(const rule_metadata& m) {
    std::vector<std::string> missing;
    const std::pair<std::string_view, bool> fields[] = {
        {"code", m.code.empty()},
        {"name", m.name.empty()},
        {"summary", m.summary.empty()},
        {"rationale", m.rationale.empty()},
        {"fix_hint", m.fix_hint.empty()},
        {"versions", m.versions.empty()},
        {"bad_example", m.bad_example.empty()},
        {"good_example", m.good_example.empty()},
        {"references", m.references.empty()},
    };
    for (const auto& [field, empty] : fields) {
        if (empty) {
            missing.emplace_back(field);
        }
    }
    return missing;
}

void render_rule_markdown(const rule_metadata& m, std::ostream& out) {
    out << "<!-- Generated from the rule's metadata by the mailtls_docs target: do not edit. -->\n"
        << "# " << m.code << " " << m.name << "\n\n"
        << m.summary << "\n\n"
        << "| | |\n|---|---|\n"
        << "| Dialect | " << to_string(m.dialect) << " |\n"
        << "| Default severity | " << to_string(m.default_severity) << " |\n"
        << "| Versions | " << table_cell(m.versions) << " |\n\n"
        << "## Why\n\n"
        << m.rationale << "\n\n"
        << "## What to do\n\n"
        << m.fix_hint << "\n\n"
        << "## Example\n\n"
        << "This configuration makes " << m.code << " report:\n\n";
    render_example(m.bad_example, out);
    out << "This one does not:\n\n";
    render_example(m.good_example, out);
    out << "## References\n\n";
    for (const auto& r : m.references) {
        out << "- " << r << '\n';
    }
}

void render_rule_index(std::span<const std::unique_ptr<rule>> rules, std::ostream& out) {
    out << "<!-- Generated from the rules' metadata by the mailtls_docs target: do not edit. -->\n"
        << "# Rules\n\n"
        << "Every rule of mailtls-lint. `mailtls-lint rules` prints this list and "
           "`mailtls-lint explain CODE` a rule's page.\n\n"
        << "| Code | Name | Severity | Dialect | Versions | Summary |\n"
        << "|---|---|---|---|---|---|\n";
    for (const auto& r : rules) {
        const auto& m = r->metadata();
        out << "| [" << m.code << "](" << m.code << ".md) | " << m.name << " | "
            << to_string(m.default_severity) << " | " << to_string(m.dialect) << " | "
            << table_cell(m.versions) << " | " << table_cell(m.summary) << " |\n";
    }
}

}  // namespace mailtls
