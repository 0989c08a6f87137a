#include "lint/suppressions.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

#include "lint/selection.hpp"
#include "lint/vector_sink.hpp"
#include "mailtls/registry.hpp"

namespace mailtls::detail {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_marker = "mailtls-lint:";
constexpr std::string_view k_disable = "disable=";
constexpr std::string_view k_disable_file = "disable-file=";

constexpr bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/// Offset of the first non-blank byte of `line` in `text`, or `line.end` when there is none.
std::uint32_t first_non_blank(std::string_view text, byte_range line) noexcept {
    auto i = line.begin;
    while (i < line.end && is_blank(text[i])) {
        ++i;
    }
    return i;
}

bool is_blank_line(std::string_view text, byte_range line) noexcept {
    return first_non_blank(text, line) == line.end;
}

bool is_comment_line(std::string_view text, byte_range line) noexcept {
    const auto i = first_non_blank(text, line);
    return i < line.end && text[i] == '#';
}

/// The change in section depth across a Dovecot line: '{' and '}' outside quotes and outside
/// a comment that starts at the line's start or after a blank.
int brace_delta(std::string_view line, bool& ends_with_open) noexcept {
    int delta = 0;
    bool quoted = false;
    char last = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                quoted = false;
            }
            last = c;
            continue;
        }
        if (c == '#' && (i == 0 || is_blank(line[i - 1]))) {
            break;
        }
        if (c == '"') {
            quoted = true;
        } else if (c == '{') {
            ++delta;
        } else if (c == '}') {
            --delta;
        }
        if (!is_blank(c)) {
            last = c;
        }
    }
    ends_with_open = last == '{';
    return delta;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_blank(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_blank(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

}  // namespace

byte_range entry_range(const source_file& file, dialect style, std::uint32_t line_begin) {
    const auto text = file.text();
    auto line_no = file.position_of(line_begin).line;
    auto line = file.line_range(line_no);
    byte_range out{line.begin, line.end};
    const auto count = file.line_count();
    if (style == dialect::postfix) {
        for (auto n = line_no + 1; n <= count; ++n) {
            const auto next = file.line_range(n);
            if (is_blank_line(text, next) || is_comment_line(text, next)) {
                continue;
            }
            if (next.begin == next.end || !is_blank(text[next.begin])) {
                break;
            }
            out.end = next.end;
        }
        return out;
    }
    // Dovecot: backslash continuations, then a section up to its closing brace. The depth is
    // a counter, not a recursion, so deep nesting costs nothing.
    long depth = 0;
    bool started = false;
    for (auto n = line_no; n <= count; ++n) {
        line = file.line_range(n);
        const auto content = text.substr(line.begin, line.end - line.begin);
        if (started && (is_blank_line(text, line) || is_comment_line(text, line))) {
            continue;
        }
        bool opens = false;
        depth += brace_delta(content, opens);
        out.end = line.end;
        if (!started && !opens && depth <= 0) {
            if (trim(content).ends_with('\\') && n < count) {
                continue;  // the setting goes on on the next line
            }
            return out;
        }
        started = true;
        if (depth <= 0) {
            return out;
        }
    }
    return out;
}

std::vector<suppression> find_suppressions(const source_file& file, dialect style) {
    std::vector<suppression> out;
    const auto text = file.text();
    for (std::uint32_t n = 1; n <= file.line_count(); ++n) {
        const auto line = file.line_range(n);
        const auto hash = first_non_blank(text, line);
        if (hash >= line.end || text[hash] != '#') {
            continue;
        }
        auto at = hash + 1;
        while (at < line.end && is_blank(text[at])) {
            ++at;
        }
        if (text.substr(at, k_marker.size()) != k_marker) {
            continue;
        }
        at += static_cast<std::uint32_t>(k_marker.size());
        while (at < line.end && is_blank(text[at])) {
            ++at;
        }
        suppression s;
        s.file = &file;
        s.file_dialect = style;
        s.range = {hash, line.end};
        // the reason: after the first " --" (or a "--" right at the start of the directive)
        const auto body = text.substr(at, line.end - at);
        auto dashes = body.find("--");
        while (dashes != std::string_view::npos && dashes > 0 && !is_blank(body[dashes - 1])) {
            dashes = body.find("--", dashes + 2);
        }
        const auto directive_text =
            trim(dashes == std::string_view::npos ? body : body.substr(0, dashes));
        s.directive = {at, at + static_cast<std::uint32_t>(directive_text.size())};
        if (dashes != std::string_view::npos) {
            s.reason = std::string(trim(body.substr(dashes + 2)));
            s.has_reason = !s.reason.empty();
        }
        std::string_view list;
        if (directive_text.starts_with(k_disable)) {
            s.scope = suppression::scope_type::entry;
            list = directive_text.substr(k_disable.size());
        } else if (directive_text.starts_with(k_disable_file)) {
            s.scope = suppression::scope_type::file;
            list = directive_text.substr(k_disable_file.size());
        }
        if (s.scope != suppression::scope_type::malformed) {
            auto offset = static_cast<std::uint32_t>(at + directive_text.size() - list.size());
            while (!list.empty()) {
                const auto comma = list.find(',');
                const auto item = list.substr(0, comma);
                const auto code = trim(item);
                if (!code.empty()) {
                    const auto begin = offset + static_cast<std::uint32_t>(item.find(code));
                    const auto end = begin + static_cast<std::uint32_t>(code.size());
                    s.codes.push_back({std::string(code), {begin, end}});
                }
                if (comma == std::string_view::npos) {
                    break;
                }
                offset += static_cast<std::uint32_t>(comma + 1);
                list.remove_prefix(comma + 1);
            }
            if (s.codes.empty() ||
                std::any_of(s.codes.begin(), s.codes.end(), [](const suppressed_code& c) {
                    return c.code.find_first_of(" \t") != std::string::npos;
                })) {
                s.scope = suppression::scope_type::malformed;
                s.codes.clear();
            }
        }
        if (s.scope == suppression::scope_type::entry) {
            for (auto next = n + 1; next <= file.line_count(); ++next) {
                const auto target = file.line_range(next);
                if (!is_blank_line(text, target) && !is_comment_line(text, target)) {
                    s.target = entry_range(file, style, target.begin);
                    break;
                }
            }
        }
        out.push_back(std::move(s));
    }
    return out;
}

namespace {

bool runs_on_suppressions(std::string_view code) {
    const auto* r = registry::global().find(code);
    return r != nullptr && r->stage() == rule_stage::suppressions;
}

bool covers(const suppression& s, const diagnostic& d) {
    if (s.scope == suppression::scope_type::file) {
        return true;
    }
    if (s.scope != suppression::scope_type::entry || s.target.empty()) {
        return false;
    }
    return d.where.range.begin >= s.target.begin && d.where.range.begin <= s.target.end;
}

}  // namespace

void apply_suppressions(std::vector<suppression>& suppressions,
                        std::vector<diagnostic>& diagnostics) {
    std::multimap<const source_file*, suppression*> by_file;
    for (auto& s : suppressions) {
        by_file.emplace(s.file, &s);
    }
    std::erase_if(diagnostics, [&](const diagnostic& d) {
        if (d.where.file == nullptr || runs_on_suppressions(d.code)) {
            return false;
        }
        bool removed = false;
        const auto [first, last] = by_file.equal_range(d.where.file);
        for (auto it = first; it != last; ++it) {
            auto& s = *it->second;
            if (!covers(s, d)) {
                continue;
            }
            for (auto& c : s.codes) {
                if (c.code == d.code) {
                    c.used = true;
                    removed = true;
                }
            }
        }
        return removed;
    });
}

std::vector<suppression_problem> suppressions_without_reason(const suppression_facts& facts,
                                                             dialect d) {
    std::vector<suppression_problem> out;
    for (const auto& s : facts.suppressions) {
        if (s.file_dialect != d || s.has_reason || s.scope == suppression::scope_type::malformed) {
            continue;
        }
        const auto directive = std::string(s.file->slice(s.directive));
        out.push_back({s.file, s.range,
                       "'# mailtls-lint: " + directive +
                           "' gives no reason: write one after ' -- '",
                       std::nullopt});
    }
    return out;
}

namespace {

/// A safe edit that deletes the comment line of `s`, its line ending included.
fix delete_line(const suppression& s) {
    const auto text = s.file->text();
    const auto line = s.file->line_range(s.file->position_of(s.range.begin).line);
    auto end = line.end;
    if (end < text.size() && text[end] == '\r') {
        ++end;
    }
    if (end < text.size() && text[end] == '\n') {
        ++end;
    }
    return {"delete the suppression", {{{s.file, {line.begin, end}}, ""}}, applicability::safe};
}

/// A safe edit that deletes code `i` of `s` and the comma that separates it from another.
fix delete_code(const suppression& s, std::size_t i) {
    byte_range cut = s.codes[i].range;
    if (i + 1 < s.codes.size()) {
        cut.end = s.codes[i + 1].range.begin;
    } else {
        cut.begin = s.codes[i - 1].range.end;
    }
    return {"delete '" + s.codes[i].code + "' from the suppression", {{{s.file, cut}, ""}},
            applicability::safe};
}

}  // namespace

std::vector<suppression_problem> unused_suppressions(const suppression_facts& facts, dialect d) {
    std::vector<suppression_problem> out;
    for (const auto& s : facts.suppressions) {
        if (s.file_dialect != d) {
            continue;
        }
        if (s.scope == suppression::scope_type::malformed) {
            const auto directive = std::string(s.file->slice(s.directive));
            out.push_back({s.file, s.directive.empty() ? s.range : s.directive,
                           (directive.empty() ? std::string("'# mailtls-lint:' names nothing")
                                              : "'" + directive + "' is not a suppression") +
                               ", so it suppresses nothing: write 'disable=CODE -- reason' or "
                               "'disable-file=CODE -- reason'",
                           std::nullopt});
            continue;
        }
        const bool none_used = std::none_of(s.codes.begin(), s.codes.end(),
                                            [](const suppressed_code& c) { return c.used; });
        for (std::size_t i = 0; i < s.codes.size(); ++i) {
            const auto& c = s.codes[i];
            if (c.used) {
                continue;
            }
            std::string message;
            if (registry::global().find(c.code) == nullptr) {
                message = "'" + c.code + "' is not a rule code, so its suppression does nothing";
            } else if (runs_on_suppressions(c.code)) {
                message = "'" + c.code + "' reports on suppressions and cannot be suppressed "
                          "inline: ignore it in the configuration instead";
            } else if (s.scope == suppression::scope_type::file) {
                message = "'" + c.code + "' is not reported in this file, so its suppression "
                          "is unused";
            } else if (s.target.empty()) {
                message = "no entry follows the suppression of '" + c.code + "', so it is unused";
            } else {
                message = "'" + c.code + "' is not reported on the entry below, so its "
                          "suppression is unused";
            }
            auto remedy = none_used && s.codes.size() > 1 ? std::optional<fix>{}
                          : none_used                     ? std::optional<fix>{delete_line(s)}
                                                          : std::optional<fix>{delete_code(s, i)};
            out.push_back({s.file, c.range, std::move(message), std::move(remedy)});
        }
        if (none_used && s.codes.size() > 1) {
            // every code is unused: one fix deletes the line; attach it to the first finding
            out[out.size() - s.codes.size()].remedy = delete_line(s);
        }
    }
    return out;
}

void suppression_rule::check(const lint_context& context, diagnostic_sink& out) const {
    if (context.suppressions == nullptr) {
        return;
    }
    const auto d = metadata().dialect;
    auto problems = kind_ == kind_type::without_reason
                        ? suppressions_without_reason(*context.suppressions, d)
                        : unused_suppressions(*context.suppressions, d);
    for (auto& p : problems) {
        auto finding = make_diagnostic(*p.file, p.range, std::move(p.message));
        finding.fix = std::move(p.remedy);
        out.report(std::move(finding));
    }
}

namespace {

/// Keeps the findings `options` selects for their file, at the severity it gives them.
void select_findings(const lint_options& options, std::vector<diagnostic>& diagnostics) {
    std::erase_if(diagnostics, [&](const diagnostic& d) {
        return !rule_selected(options, d.code, d.where.file ? d.where.file->path() : "");
    });
    for (auto& d : diagnostics) {
        d.level = effective_severity(options, d);
    }
}

}  // namespace

void finish_findings(const lint_options& options,
                     const std::vector<const source_file*>& postfix_files, lint_result& result) {
    // A file can be read twice in one run (named on the command line and read again through a
    // Dovecot !include): its suppressions count once, used when either copy used them.
    std::vector<std::vector<suppression>> by_file;
    std::map<std::string, std::size_t> file_index;  // canonical path -> index into by_file
    std::vector<const source_file*> seen;
    for (const auto& source : result.sources) {
        if (std::find(seen.begin(), seen.end(), source.get()) != seen.end()) {
            continue;
        }
        seen.push_back(source.get());
        const bool postfix = std::find(postfix_files.begin(), postfix_files.end(),
                                       source.get()) != postfix_files.end();
        auto found = find_suppressions(*source, postfix ? dialect::postfix : dialect::dovecot);
        apply_suppressions(found, result.diagnostics);
        std::error_code ec;
        auto canonical = fs::weakly_canonical(source->path(), ec).string();
        if (ec) {
            canonical = source->path();
        }
        const auto [it, first] = file_index.try_emplace(canonical, by_file.size());
        if (first) {
            by_file.push_back(std::move(found));
            continue;
        }
        auto& kept = by_file[it->second];
        for (std::size_t i = 0; i < std::min(kept.size(), found.size()); ++i) {
            for (std::size_t c = 0; c < std::min(kept[i].codes.size(), found[i].codes.size());
                 ++c) {
                kept[i].codes[c].used = kept[i].codes[c].used || found[i].codes[c].used;
            }
        }
    }
    suppression_facts facts;
    for (auto& found : by_file) {
        std::move(found.begin(), found.end(), std::back_inserter(facts.suppressions));
    }
    select_findings(options, result.diagnostics);

    lint_context context;
    context.postfix_version = result.postfix_version;
    context.dovecot_version = result.dovecot_version;
    context.suppressions = &facts;
    std::vector<diagnostic> more;
    vector_sink sink(more);
    for (const auto& r : registry::global().rules()) {
        if (r->stage() == rule_stage::suppressions) {
            r->check(context, sink);
        }
    }
    select_findings(options, more);
    std::move(more.begin(), more.end(), std::back_inserter(result.diagnostics));
}

}  // namespace mailtls::detail
