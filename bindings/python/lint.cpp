// Findings, rules and the lint calls. Results are copied out of the C++ lint result (which
// owns the sources its diagnostics point into) into plain structs, so a Python object never
// points into C++ memory that could go away, and the copying happens without the GIL.

#include <pybind11/stl.h>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "bind.hpp"
#include "mailtls/registry.hpp"
#include "mailtls/report.hpp"

namespace mailtls::python {

namespace {

struct py_rule {
    std::string code, name, dialect, severity, summary, rationale, fix_hint, versions;
    std::vector<std::pair<std::string, std::string>> bad_example, good_example;
    std::vector<std::string> references;
    std::string help_uri;
};

py_rule convert(const rule_metadata& m) {
    return {m.code,     m.name,        std::string(to_string(m.dialect)),
            std::string(to_string(m.default_severity)),
            m.summary,  m.rationale,   m.fix_hint,
            m.versions, m.bad_example, m.good_example,
            m.references, rule_help_uri(m.code)};
}

void put_place(py::dict& d, const py_place& p) {
    d["file"] = p.file;
    d["line"] = p.line;
    d["column"] = p.column;
    d["end_line"] = p.end_line;
    d["end_column"] = p.end_column;
}

/// The finding as the JSON output has it (same keys, same order).
py::dict to_dict(const py_finding& f) {
    py::dict d;
    d["code"] = f.code;
    d["name"] = f.name;
    d["severity"] = f.severity;
    d["message"] = f.message;
    put_place(d, f.place);
    py::list notes;
    for (const auto& n : f.notes) {
        py::dict note;
        note["message"] = n.message;
        if (n.file) {
            put_place(note, {*n.file, n.line, n.column, n.end_line, n.end_column});
        }
        notes.append(std::move(note));
    }
    d["notes"] = std::move(notes);
    d["hint"] = f.hint;
    if (f.fix) {
        py::dict fix;
        fix["description"] = f.fix->description;
        fix["applicability"] = f.fix->applicability;
        py::list edits;
        for (const auto& e : f.fix->edits) {
            py::dict edit;
            put_place(edit, e.place);
            edit["replacement"] = e.replacement;
            edits.append(std::move(edit));
        }
        fix["edits"] = std::move(edits);
        d["fix"] = std::move(fix);
    } else {
        d["fix"] = py::none();
    }
    return d;
}

/// The location properties shared by Finding and Edit (both hold a py_place).
template <typename T>
void def_place(py::class_<T>& cls) {
    cls.def_property_readonly(
           "file", [](const T& t) { return t.place.file; },
           "The path as given, or a directory joined with the file name; '-' for text.")
        .def_property_readonly(
            "line", [](const T& t) { return t.place.line; }, "1-based line of the start.")
        .def_property_readonly(
            "column", [](const T& t) { return t.place.column; },
            "1-based column of the start, in bytes.")
        .def_property_readonly(
            "end_line", [](const T& t) { return t.place.end_line; }, "1-based line of the end.")
        .def_property_readonly(
            "end_column", [](const T& t) { return t.place.end_column; },
            "1-based column just past the last byte (exclusive).");
}

}  // namespace

void register_lint(py::module_& m) {
    py::class_<py_note>(m, "Note", "A related place or remark attached to a finding.")
        .def_readonly("message", &py_note::message, "What the note says.")
        .def_readonly("file", &py_note::file, "The file of the place, or None without a place.")
        .def_readonly("line", &py_note::line, "1-based line (0 without a place).")
        .def_readonly("column", &py_note::column, "1-based column in bytes (0 without a place).")
        .def_readonly("end_line", &py_note::end_line, "1-based end line (0 without a place).")
        .def_readonly("end_column", &py_note::end_column,
                      "Exclusive 1-based end column (0 without a place).")
        .def("__repr__", [](const py_note& n) {
            return "<Note " + (n.file ? *n.file + ":" + std::to_string(n.line) + " " : "") +
                   n.message + ">";
        });

    py::class_<py_edit> edit(m, "Edit", "Replace the text between two places with another.");
    def_place(edit);
    edit.def_readonly("replacement", &py_edit::replacement, "The new text.");

    py::class_<py_fix>(m, "Fix", "Edits that apply the fix a finding suggests.")
        .def_readonly("description", &py_fix::description, "What the edits do.")
        .def_readonly("applicability", &py_fix::applicability,
                      "'safe' when applying it cannot change what the configuration means "
                      "beyond the finding, 'unsafe' otherwise.")
        .def_property_readonly(
            "edits",
            [](py::object self) { return tuple_of(self.cast<const py_fix&>().edits, self); },
            "The edits, as a tuple of Edit.");

    py::class_<py_finding> finding(m, "Finding",
                                   "One problem found, with the fields of a JSON finding.");
    finding.def_readonly("code", &py_finding::code, "The rule's code, e.g. 'PF101'.")
        .def_readonly("name", &py_finding::name, "The rule's kebab-case name.")
        .def_readonly("severity", &py_finding::severity, "'error', 'warning' or 'info'.")
        .def_readonly("message", &py_finding::message, "What is wrong and what it causes.");
    def_place(finding);
    finding
        .def_property_readonly(
            "notes",
            [](py::object self) { return tuple_of(self.cast<const py_finding&>().notes, self); },
            "Related places, as a tuple of Note.")
        .def_readonly("hint", &py_finding::hint, "What to do about it, one sentence.")
        .def_readonly("fix", &py_finding::fix, "Edits that fix it (a Fix), or None.")
        .def("to_dict", &to_dict,
             "The finding as a dict with the keys and values of the JSON output.")
        .def("__repr__", [](const py_finding& f) {
            return "<Finding " + f.place.file + ":" + std::to_string(f.place.line) + ":" +
                   std::to_string(f.place.column) + " " + f.severity + " " + f.code + ">";
        });

    py::class_<py_result>(m, "Result", "What one lint call found.")
        .def_readonly("findings", &py_result::findings, "The findings, sorted by place and code.")
        .def_readonly("notes", &py_result::notes,
                      "Notes no finding carries (how the Dovecot target was chosen, a fragment "
                      "linted alone), sorted by place; line 0 for a whole file.")
        .def_readonly("errors", &py_result::errors,
                      "Files that could not be read, as (path, reason) pairs.")
        .def_readonly("postfix_version", &py_result::postfix_version,
                      "The Postfix version the run assumed.")
        .def_readonly("dovecot_version", &py_result::dovecot_version,
                      "The Dovecot version the run assumed.");

    py::class_<py_rule>(m, "Rule", "A rule's metadata, from which its documentation is made.")
        .def_readonly("code", &py_rule::code, "e.g. 'PF101': a stable public contract.")
        .def_readonly("name", &py_rule::name, "Kebab-case, e.g. 'wrappermode-in-main-cf'.")
        .def_readonly("dialect", &py_rule::dialect, "'postfix' or 'dovecot'.")
        .def_readonly("severity", &py_rule::severity, "The default severity.")
        .def_readonly("summary", &py_rule::summary, "One line.")
        .def_readonly("rationale", &py_rule::rationale, "Why it matters, citing its source.")
        .def_readonly("fix_hint", &py_rule::fix_hint, "What to do about it.")
        .def_readonly("versions", &py_rule::versions,
                      "Which daemon versions it concerns, e.g. 'all' or '>= 3.0'.")
        .def_property_readonly(
            "bad_example",
            [](const py_rule& r) { return py::tuple(py::cast(r.bad_example)); },
            "Files (name, text) that make the rule fire.")
        .def_property_readonly(
            "good_example",
            [](const py_rule& r) { return py::tuple(py::cast(r.good_example)); },
            "Files (name, text) that keep it quiet.")
        .def_property_readonly(
            "references", [](const py_rule& r) { return py::tuple(py::cast(r.references)); },
            "Where the facts come from (URLs, RFC sections).")
        .def_readonly("help_uri", &py_rule::help_uri,
                      "Where the rule's documentation is published.")
        .def("__repr__", [](const py_rule& r) { return "<Rule " + r.code + " " + r.name + ">"; });

    m.def(
        "rules",
        [] {
            std::vector<py_rule> out;
            for (const auto& r : registry::global().rules()) {
                out.push_back(convert(r->metadata()));
            }
            return out;
        },
        "Every rule compiled into the module, sorted by code.");

    m.def(
        "explain",
        [](const std::string& code) {
            const auto* r = registry::global().find(code);
            if (r == nullptr) {
                throw error(error_kind::rule, "'" + python_text(code) + "' is not a rule code");
            }
            std::ostringstream out;
            render_rule_markdown(r->metadata(), out);
            return out.str();
        },
        py::arg("code"), "A rule's documentation in Markdown, as `mailtls-lint explain` prints.");

    m.def(
        "guess_type",
        [](const std::string& path, const std::string& text) -> std::optional<std::string> {
            auto t = config_type_from_name(path);
            if (!t) {
                py::gil_scoped_release release;
                t = config_type_from_content(text);
            }
            if (!t) {
                return std::nullopt;
            }
            return std::string(to_string(*t));
        },
        py::arg("path"), py::arg("text"),
        "The type a file's name tells, else the type its text shows, else None.");

    m.def(
        "lint_text",
        [](std::string text, const std::string& type, std::optional<std::string> postfix_version,
           std::optional<std::string> dovecot_version, std::string path,
           std::vector<std::string> select, std::vector<std::string> ignore,
           std::map<std::string, std::string> severities) {
            py::gil_scoped_release release;
            return python::lint_text(std::move(text), type, postfix_version, dovecot_version,
                                     std::move(path), std::move(select), std::move(ignore),
                                     severities);
        },
        py::arg("text"), py::arg("type"), py::arg("postfix_version") = py::none(),
        py::arg("dovecot_version") = py::none(), py::arg("path") = "-",
        py::arg("select") = std::vector<std::string>{},
        py::arg("ignore") = std::vector<std::string>{},
        py::arg("severities") = std::map<std::string, std::string>{},
        "Lints one file's text (bytes or UTF-8 str); see mailtls_lint.lint_text.");

    m.def(
        "lint_paths",
        [](std::vector<std::string> paths, std::optional<std::string> type,
           std::optional<std::string> postfix_version, std::optional<std::string> dovecot_version,
           std::vector<std::string> select, std::vector<std::string> ignore,
           std::map<std::string, std::string> severities) {
            std::optional<config_type> t;
            if (type) {
                t = to_config_type(*type);
            }
            const linter lint(make_options(postfix_version, dovecot_version, std::move(select),
                                           std::move(ignore), severities));
            py::gil_scoped_release release;
            return convert(lint.lint_paths(paths, t));
        },
        py::arg("paths"), py::arg("type") = py::none(), py::arg("postfix_version") = py::none(),
        py::arg("dovecot_version") = py::none(), py::arg("select") = std::vector<std::string>{},
        py::arg("ignore") = std::vector<std::string>{},
        py::arg("severities") = std::map<std::string, std::string>{},
        "Lints files and directories; unreadable ones are in Result.errors.");
}

}  // namespace mailtls::python
