#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/linter.hpp"

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

/// Config text made safe to print on a terminal: control characters (C0, DEL and C1) and
/// bytes that are not valid UTF-8 become '?', so a file cannot move the cursor, change
/// colours or set the window title. Tabs are kept. Each input byte maps to at most one
/// output character, so columns computed on the input still line up.
[[nodiscard]] std::string terminal_safe(std::string_view text);

struct text_style {
    bool color = false;
};

/// `path:line:col: severity: message [CODE]`, the source line, a caret/underline, notes and
/// the hint; then a summary line. I/O errors are the caller's to print.
void render_text(const lint_result& result, std::ostream& out, text_style style = {});

/// The JSON document described in docs/output-formats.md.
void render_json(const lint_result& result, std::ostream& out);

/// The exit status for a result: 2 when a file could not be read, 1 when a finding is at or
/// above `fail_level`, else 0.
[[nodiscard]] int exit_status(const lint_result& result, severity fail_level = severity::warning);

}  // namespace mailtls
