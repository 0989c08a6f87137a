// The pybind11 layer: a thin wrapper that copies results into Python objects. Everything it
// returns owns its data, so nothing here points into a C++ object that could go away.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <sstream>

#include "cli.hpp"
#include "mailtls/linter.hpp"
#include "mailtls/report.hpp"

namespace py = pybind11;

namespace {

using namespace mailtls;

/// One finding, with the fields of a JSON finding.
struct py_finding {
    std::string code, name, severity, message, file;
    std::uint32_t line, column, end_line, end_column;
    std::string hint;
};

struct py_result {
    std::vector<py_finding> findings;
    std::vector<std::pair<std::string, std::string>> errors;
    std::string postfix_version, dovecot_version;
};

py_result convert(const lint_result& result) {
    py_result out;
    for (const auto& d : result.diagnostics) {
        const auto loc = flatten(d.where);
        out.findings.push_back({d.code, d.name, std::string(to_string(d.level)), d.message,
                                loc.file, loc.line, loc.column, loc.end_line, loc.end_column,
                                d.hint});
    }
    for (const auto& e : result.errors) {
        out.errors.emplace_back(e.path, e.message);
    }
    out.postfix_version = result.postfix_version.to_string();
    out.dovecot_version = result.dovecot_version.to_string();
    return out;
}

lint_options make_options(const std::optional<std::string>& postfix_version,
                          const std::optional<std::string>& dovecot_version) {
    lint_options options;
    for (const auto& [text, slot] : {std::pair{&postfix_version, &options.postfix_version},
                                     std::pair{&dovecot_version, &options.dovecot_version}}) {
        if (*text) {
            *slot = version::parse(**text);
            if (!*slot) {
                throw py::value_error("'" + **text + "' is not a version like 3.7 or 2.3.19");
            }
        }
    }
    return options;
}

config_type to_type(const std::string& type) {
    const auto t = parse_config_type(type);
    if (!t) {
        throw py::value_error("unknown type '" + type +
                              "': use postfix-main, postfix-master or dovecot");
    }
    return *t;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
    m.doc() = "The C++ core of mailtls_lint; use the mailtls_lint package instead.";
    m.attr("__version__") = MAILTLS_VERSION;

    py::class_<py_finding>(m, "Finding")
        .def_readonly("code", &py_finding::code)
        .def_readonly("name", &py_finding::name)
        .def_readonly("severity", &py_finding::severity)
        .def_readonly("message", &py_finding::message)
        .def_readonly("file", &py_finding::file)
        .def_readonly("line", &py_finding::line)
        .def_readonly("column", &py_finding::column)
        .def_readonly("end_line", &py_finding::end_line)
        .def_readonly("end_column", &py_finding::end_column)
        .def_readonly("hint", &py_finding::hint);

    py::class_<py_result>(m, "Result")
        .def_readonly("findings", &py_result::findings)
        .def_readonly("errors", &py_result::errors)
        .def_readonly("postfix_version", &py_result::postfix_version)
        .def_readonly("dovecot_version", &py_result::dovecot_version);

    m.def(
        "lint_text",
        [](std::string text, const std::string& type, std::optional<std::string> postfix_version,
           std::optional<std::string> dovecot_version, std::string path) {
            const auto t = to_type(type);
            const linter lint(make_options(postfix_version, dovecot_version));
            py::gil_scoped_release release;
            return convert(lint.lint_text(std::move(text), t, std::move(path)));
        },
        py::arg("text"), py::arg("type"), py::arg("postfix_version") = py::none(),
        py::arg("dovecot_version") = py::none(), py::arg("path") = "-");

    m.def(
        "lint_paths",
        [](std::vector<std::string> paths, std::optional<std::string> type,
           std::optional<std::string> postfix_version, std::optional<std::string> dovecot_version) {
            std::optional<config_type> t;
            if (type) {
                t = to_type(*type);
            }
            const linter lint(make_options(postfix_version, dovecot_version));
            py::gil_scoped_release release;
            return convert(lint.lint_paths(paths, t));
        },
        py::arg("paths"), py::arg("type") = py::none(), py::arg("postfix_version") = py::none(),
        py::arg("dovecot_version") = py::none());

    m.def(
        "main",
        [](std::vector<std::string> args, bool out_is_terminal) {
            std::ostringstream out, err;
            int status = 0;
            {
                py::gil_scoped_release release;
                status = mailtls::cli::run(args, out, err, out_is_terminal);
            }
            return py::make_tuple(status, py::bytes(out.str()), py::bytes(err.str()));
        },
        py::arg("args"), py::arg("out_is_terminal") = false);
}
