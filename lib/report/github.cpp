#include <ostream>
#include <string>

#include "mailtls/report.hpp"
#include "report/sanitize.hpp"

namespace mailtls {

namespace {

/// The message of a workflow command: '%', CR and LF escaped as the runner reads them, and
/// the rest made safe for a terminal (a CI log is one): other control characters, escape
/// sequences and bytes that are not UTF-8 become '?' (terminal_safe).
std::string escape_data(std::string_view text) {
    std::string out;
    std::size_t plain = 0;  // start of the run of ordinary bytes not yet copied
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const char c = i < text.size() ? text[i] : '\0';
        const bool special = i == text.size() || c == '%' || c == '\r' || c == '\n';
        if (!special) {
            continue;
        }
        out += terminal_safe(text.substr(plain, i - plain));
        plain = i + 1;
        switch (c) {
            case '%': out += "%25"; break;
            case '\r': out += "%0D"; break;
            case '\n': out += "%0A"; break;
            default: break;
        }
    }
    return out;
}

/// A property value of a workflow command: as data, plus ':' and ',' that end properties.
std::string escape_property(std::string_view text) {
    std::string out;
    for (const char c : escape_data(text)) {
        switch (c) {
            case ':': out += "%3A"; break;
            case ',': out += "%2C"; break;
            default: out += c;
        }
    }
    return out;
}

std::string_view command_for(severity s) noexcept {
    switch (s) {
        case severity::error: return "error";
        case severity::warning: return "warning";
        case severity::info: return "notice";
    }
    return "notice";
}

/// 1-based column in code points of a byte offset on its line.
std::uint32_t column_of(const source_file& file, std::uint32_t offset) {
    const auto line = file.line_range(file.position_of(offset).line);
    const auto begin = std::min(line.begin, offset);
    return detail::code_point_count(file.text().substr(begin, offset - begin)) + 1;
}

}  // namespace

void render_github(const lint_result& result, std::ostream& out) {
    for (const auto& d : result.diagnostics) {
        out << "::" << command_for(d.level) << ' ';
        if (d.where.file != nullptr) {
            const auto& file = *d.where.file;
            const auto begin = file.position_of(d.where.range.begin);
            const auto end = file.position_of(d.where.range.end);
            out << "file=" << escape_property(detail::valid_utf8(file.path()))
                << ",line=" << begin.line;
            if (begin.line == end.line) {
                // GitHub takes columns only within one line, and its end column is the last
                // one of the range (inclusive)
                const auto col = column_of(file, d.where.range.begin);
                const auto end_col = std::max(col, column_of(file, d.where.range.end) - 1);
                out << ",col=" << col << ",endLine=" << end.line << ",endColumn=" << end_col;
            } else {
                out << ",endLine=" << end.line;
            }
            out << ',';
        }
        out << "title=" << escape_property(d.code) << "::";
        std::string message = d.message;
        for (const auto& n : d.notes) {
            message += "\nnote: ";
            if (n.where.file != nullptr) {
                const auto loc = flatten(n.where);
                message += loc.file + ":" + std::to_string(loc.line) + ":" +
                           std::to_string(loc.column) + ": ";
            }
            message += n.message;
        }
        if (!d.hint.empty()) {
            message += "\nhelp: " + d.hint;
        }
        out << escape_data(detail::valid_utf8(message)) << '\n';
    }
    for (const auto& n : result.notes) {
        const auto loc = flatten(n);
        out << "::notice file=" << escape_property(detail::valid_utf8(loc.file));
        if (n.located) {
            out << ",line=" << loc.line << ",col=" << column_of(*n.where.file, n.where.range.begin);
        }
        out << ",title=mailtls-lint::" << escape_data(detail::valid_utf8(n.message)) << '\n';
    }
    for (const auto& e : result.errors) {
        out << "::error file=" << escape_property(detail::valid_utf8(e.path))
            << ",title=mailtls-lint::" << escape_data(detail::valid_utf8(e.message)) << '\n';
    }
}

}  // namespace mailtls
