// The pybind11 module `mailtls_lint._core`: a thin layer that registers a few groups of names
// (errors.cpp, lint.cpp, ast.cpp) and runs the command line. Everything it returns owns its
// data, so nothing here points into a C++ object that could go away. The public API, with
// its documentation, is the mailtls_lint package.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <sstream>

#include "bind.hpp"
#include "cli.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
    m.doc() = "The C++ core of mailtls_lint; use the mailtls_lint package instead.";
    m.attr("__version__") = MAILTLS_VERSION;

    mailtls::python::register_errors(m);
    mailtls::python::register_lint(m);
    mailtls::python::register_ast(m);

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
        py::arg("args"), py::arg("out_is_terminal") = false,
        "Runs the mailtls-lint command line; returns (status, stdout bytes, stderr bytes).");
}
