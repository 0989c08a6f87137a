#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/linter.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

/// A diagnostic's location flattened for output: path, 1-based lines and columns (bytes).
/// `end_column` is exclusive: the column just past the last byte of the range.
struct flat_location {
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::uint32_t end_line = 0;
    std::uint32_t end_column = 0;
};

[[nodiscard]] flat_location flatten(const location& where);
/// A general note's place: its file, and lines and columns 0 when it is about the whole file.
[[nodiscard]] flat_location flatten(const general_note& n);

/// Config text made safe to print on a terminal: control characters (C0, DEL and C1),
/// bidirectional formatting characters and bytes that are not valid UTF-8 become '?', so a
/// file cannot move the cursor, change colours, set the window title or reorder the line.
/// Tabs are kept. Each input byte maps to at most one output character, so columns computed
/// on the input still line up.
[[nodiscard]] std::string terminal_safe(std::string_view text);

struct text_style {
    bool color = false;
};

/// `path:line:col: severity: message [CODE]`, the source line, a caret/underline, notes and
/// the hint; then the notes no finding carries (`path:line:col: note: ...`, or `path: note:
/// ...` for a whole file) and a summary line. I/O errors are the caller's to print.
void render_text(const lint_result& result, std::ostream& out, text_style style = {});

/// The JSON document described in docs/output-formats.md (the notes no finding carries are
/// its top-level "notes").
void render_json(const lint_result& result, std::ostream& out);

/// SARIF 2.1.0 (docs/output-formats.md): one run whose `tool.driver.rules` describes every
/// rule of the registry; a result per finding with its region (1-based lines, columns in
/// Unicode code points, `endColumn` exclusive, plus the byte offset and length), notes as
/// related locations, the fix as `fixes`, and `partialFingerprints` computed from the rule,
/// the file and the text of the finding (not its line), so they survive lines moving. Files
/// that could not be read, and the notes no finding carries (level "note"), are tool
/// execution notifications.
void render_sarif(const lint_result& result, std::ostream& out);

/// GitHub Actions workflow commands, one per finding:
/// `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::message` (`warning` and
/// `notice` for the other severities), escaped as the runner expects; then a `::notice` per
/// note that no finding carries, and one `::error` per file that could not be read.
void render_github(const lint_result& result, std::ostream& out);

/// Every rule as JSON for `mailtls-lint rules --format json`: `{"schema_version": 1,
/// "rules": [{"code", "name", "severity", "dialect", "versions", "summary", "help_uri"}]}`.
void render_rules_json(std::span<const std::unique_ptr<rule>> rules, std::ostream& out);

/// `mailtls-lint show` as text: per Postfix instance, main.cf as `postconf -n` prints it and
/// each smtpd service with its TLS/SASL parameters and where each came from; per Dovecot
/// instance, the settings after includes (nested as `doveconf -n` prints them) and the
/// listeners. A non-empty `service` (`submission/inet`) keeps only that Postfix service.
void render_show_text(const show_result& shown, std::ostream& out, std::string_view service = {});

/// The same as JSON (docs/output-formats.md, "show").
void render_show_json(const show_result& shown, std::ostream& out, std::string_view service = {});

/// Where the documentation of rule `code` is published: the project's docs/rules/<CODE>.md.
[[nodiscard]] std::string rule_help_uri(std::string_view code);

/// A rule's documentation in Markdown, from its metadata alone: what docs/rules/<CODE>.md
/// holds and `mailtls-lint explain CODE` prints.
void render_rule_markdown(const rule_metadata& rule, std::ostream& out);

/// The index of every rule (docs/rules/README.md): code, name, severity, dialect, versions
/// and summary, linked to each rule's page.
void render_rule_index(std::span<const std::unique_ptr<rule>> rules, std::ostream& out);

/// The documentation fields that `rule` leaves empty, by name (none for a documented rule).
[[nodiscard]] std::vector<std::string> missing_documentation(const rule_metadata& rule);

/// The exit status for a result: 2 when a file could not be read, 1 when a finding is at or
/// above `fail_level`, else 0.
[[nodiscard]] int exit_status(const lint_result& result, severity fail_level = severity::warning);

}  // namespace mailtls
