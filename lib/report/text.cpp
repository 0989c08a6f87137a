#include <fmt/format.h>

#include <ostream>
#include <set>

#include "mailtls/report.hpp"
#include "report/sanitize.hpp"

namespace mailtls {

namespace {

/// One palette for every colour the text output uses.
struct palette {
    std::string_view bold, reset, error, warning, info, note, caret;
    static palette for_style(text_style style) {
        if (!style.color) {
            return {};
        }
        return {"\x1b[1m", "\x1b[0m", "\x1b[1;31m", "\x1b[1;35m", "\x1b[1;36m",
                "\x1b[1;34m", "\x1b[1;32m"};
    }
    [[nodiscard]] std::string_view of(severity s) const {
        switch (s) {
            case severity::error: return error;
            case severity::warning: return warning;
            case severity::info: return info;
        }
        return {};
    }
};

std::string location_prefix(const flat_location& loc) {
    return fmt::format("{}:{}:{}", terminal_safe(loc.file), loc.line, loc.column);
}

/// The source lines of `where`, each with a mark line under the part of the range on it: a
/// caret under the range's first byte, '~' under the rest (on a continuation line, from its
/// first non-blank byte). Ranges of more than k_max_excerpt_lines lines end with "...".
void render_excerpt(const location& where, std::ostream& out, const palette& colors) {
    constexpr std::uint32_t k_max_excerpt_lines = 6;
    if (where.file == nullptr) {
        return;
    }
    const auto& file = *where.file;
    const auto first = file.position_of(where.range.begin).line;
    // a range that ends just after a line break does not reach into the next line
    const auto last_byte = where.range.end > where.range.begin ? where.range.end - 1
                                                               : where.range.begin;
    const auto last = std::max(first, file.position_of(last_byte).line);
    for (auto number = first; number <= last; ++number) {
        const auto gutter = fmt::format("{:>5}", number);
        if (number - first == k_max_excerpt_lines) {
            out << std::string(gutter.size(), ' ') << " | ...\n";
            break;
        }
        const auto line = file.line_range(number);
        const auto text = file.slice(line);
        out << gutter << " | " << terminal_safe(text) << '\n';
        std::uint32_t start = number == first ? where.range.begin - line.begin : 0;
        if (number != first) {
            while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) {
                ++start;
            }
        }
        const auto range_end = std::min(where.range.end, line.end) - line.begin;
        const std::uint32_t stop =
            std::min<std::uint32_t>(std::max(start + 1, range_end),
                                    static_cast<std::uint32_t>(text.size() + 1));
        std::string marks;
        for (std::uint32_t i = 0; i < stop; ++i) {
            const char c = i < text.size() ? text[i] : ' ';
            if ((static_cast<unsigned char>(c) & 0xC0u) == 0x80u) {
                continue;  // a UTF-8 continuation byte takes no column of its own
            }
            if (i < start) {
                marks += c == '\t' ? '\t' : ' ';
            } else {
                marks += i == start && number == first ? '^' : '~';
            }
        }
        out << std::string(gutter.size(), ' ') << " | " << colors.caret << marks
            << colors.reset << '\n';
    }
}

}  // namespace

void render_text(const lint_result& result, std::ostream& out, text_style style) {
    const auto colors = palette::for_style(style);
    std::size_t counts[3] = {0, 0, 0};
    for (const auto& d : result.diagnostics) {
        ++counts[static_cast<int>(d.level)];
        const auto loc = flatten(d.where);
        out << colors.bold << location_prefix(loc) << ":" << colors.reset << ' '
            << colors.of(d.level) << to_string(d.level) << ":" << colors.reset << ' '
            << colors.bold << terminal_safe(d.message) << colors.reset << " [" << d.code
            << "]\n";
        render_excerpt(d.where, out, colors);
        for (const auto& n : d.notes) {
            out << "  ";
            if (n.where.file != nullptr) {
                out << colors.bold << location_prefix(flatten(n.where)) << ":" << colors.reset
                    << ' ';
            }
            out << colors.note << "note:" << colors.reset << ' '
                << terminal_safe(n.message) << '\n';
        }
        if (!d.hint.empty()) {
            out << "  " << colors.note << "help:" << colors.reset << ' '
                << terminal_safe(d.hint) << '\n';
        }
    }
    // the notes no finding carries: `path:line:col: note: ...`, or `path: note: ...`
    for (const auto& n : result.notes) {
        const auto place = n.located ? location_prefix(flatten(n.where))
                                     : terminal_safe(n.where.file ? n.where.file->path() : "");
        out << colors.bold << place << ":" << colors.reset << ' ' << colors.note << "note:"
            << colors.reset << ' ' << terminal_safe(n.message) << '\n';
    }
    std::string summary;
    const std::pair<std::size_t, std::string_view> parts[] = {
        {counts[2], "error"}, {counts[1], "warning"}, {counts[0], "info"}};
    for (const auto& [n, word] : parts) {
        if (n != 0) {
            summary += fmt::format("{}{} {}{}", summary.empty() ? "" : ", ", n, word,
                                   n == 1 || word == "info" ? "" : "s");
        }
    }
    // a file read twice (named, and read again through a Dovecot !include) counts once
    std::set<std::string_view> paths;
    for (const auto& source : result.sources) {
        paths.insert(source->path());
    }
    const auto files = paths.size();
    out << (summary.empty() ? std::string("no problems") : summary)
        << fmt::format(" in {} file{}\n", files, files == 1 ? "" : "s");
}

}  // namespace mailtls
