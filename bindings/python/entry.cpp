// The C++ side of the Python entry points (see entry.hpp): no pybind11 here.

#include "entry.hpp"

#include "mailtls/report.hpp"
#include "report/sanitize.hpp"

namespace mailtls::python {

config_type to_config_type(std::string_view text) {
    if (const auto t = parse_config_type(text)) {
        return *t;
    }
    throw error(error_kind::config_type,
                "unknown type '" + python_text(text) +
                    "': use postfix-main, postfix-master or dovecot");
}

namespace {

/// `text` read by `parse`, nothing for None; a version error naming `examples` otherwise.
std::optional<version> to_version(const std::optional<std::string>& text,
                                  std::optional<version> (*parse)(std::string_view),
                                  std::string_view examples) {
    if (!text) {
        return std::nullopt;
    }
    if (auto v = parse(*text)) {
        return v;
    }
    throw error(error_kind::version,
                "'" + python_text(*text) + "' is not a version like " + std::string(examples));
}

}  // namespace

std::optional<version> to_postfix_version(const std::optional<std::string>& text) {
    return to_version(text, &version::parse, "3.7 or 3.7.1");
}

std::optional<version> to_dovecot_version(const std::optional<std::string>& text) {
    return to_version(text, &version::parse_dovecot, "2.4, 2.3.19 or 2.3.19.1");
}

severity to_severity(std::string_view text) {
    if (const auto s = parse_severity(text)) {
        return *s;
    }
    throw error(error_kind::severity,
                "unknown severity '" + python_text(text) + "': use error, warning or info");
}

std::string python_text(std::string_view text) { return detail::valid_utf8(text); }

namespace {

py_place place_of(const location& where) {
    const auto loc = flatten(where);
    return {python_text(loc.file), loc.line, loc.column, loc.end_line, loc.end_column};
}

py_note convert(const general_note& n) {
    const auto loc = flatten(n);
    return {python_text(n.message), python_text(loc.file), loc.line, loc.column, loc.end_line,
            loc.end_column};
}

py_finding convert(const diagnostic& d) {
    py_finding f{d.code, d.name, std::string(to_string(d.level)), python_text(d.message),
                 place_of(d.where), {}, python_text(d.hint), std::nullopt};
    for (const auto& n : d.notes) {
        py_note note;
        note.message = python_text(n.message);
        if (n.where.file != nullptr) {
            const auto p = place_of(n.where);
            note.file = p.file;
            note.line = p.line;
            note.column = p.column;
            note.end_line = p.end_line;
            note.end_column = p.end_column;
        }
        f.notes.push_back(std::move(note));
    }
    if (d.fix) {
        py_fix fix{python_text(d.fix->description),
                   d.fix->kind == applicability::safe ? "safe" : "unsafe", {}};
        for (const auto& e : d.fix->edits) {
            fix.edits.push_back({place_of(e.where), python_text(e.replacement)});
        }
        f.fix = std::move(fix);
    }
    return f;
}

}  // namespace

py_result convert(const lint_result& result) {
    py_result out;
    for (const auto& d : result.diagnostics) {
        out.findings.push_back(convert(d));
    }
    for (const auto& n : result.notes) {
        out.notes.push_back(convert(n));
    }
    for (const auto& e : result.errors) {
        out.errors.emplace_back(python_text(e.path), python_text(e.message));
    }
    out.postfix_version = result.postfix_version.to_string();
    out.dovecot_version = result.dovecot_version.to_string();
    return out;
}

lint_options make_options(const std::optional<std::string>& postfix_version,
                          const std::optional<std::string>& dovecot_version,
                          std::vector<std::string> select, std::vector<std::string> ignore,
                          const std::map<std::string, std::string>& severities) {
    lint_options options;
    options.postfix_version = to_postfix_version(postfix_version);
    options.dovecot_version = to_dovecot_version(dovecot_version);
    options.select = std::move(select);
    options.ignore = std::move(ignore);
    for (const auto& [code, level] : severities) {
        options.severities.emplace(code, to_severity(level));
    }
    return options;  // codes are checked by the linter's constructor (usage_error)
}

py_result lint_text(std::string text, std::string_view type,
                     const std::optional<std::string>& postfix_version,
                     const std::optional<std::string>& dovecot_version, std::string path,
                     std::vector<std::string> select, std::vector<std::string> ignore,
                     const std::map<std::string, std::string>& severities) {
    const auto t = to_config_type(type);
    const linter lint(make_options(postfix_version, dovecot_version, std::move(select),
                                   std::move(ignore), severities));
    return convert(lint.lint_text(std::move(text), t, std::move(path)));
}

}  // namespace mailtls::python
