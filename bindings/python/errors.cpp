// The module's exceptions. They are created here with two bases each (the module's own
// `Error` and the built-in that fits), which pybind11's register_exception cannot do.

#include <Python.h>

#include "bind.hpp"

namespace mailtls::python {

namespace {

/// The classes, created once when the module is imported and kept for the process's life.
struct error_classes {
    PyObject* base = nullptr;
    PyObject* option = nullptr;
    PyObject* config_type = nullptr;
    PyObject* version = nullptr;
    PyObject* rule = nullptr;
    PyObject* severity = nullptr;
};

error_classes k_classes;  // NOLINT: set once at import, under the GIL

PyObject* make_class(py::module_& m, const char* name, const char* doc,
                     std::initializer_list<PyObject*> bases) {
    py::tuple base_tuple(bases.size());
    std::size_t i = 0;
    for (auto* b : bases) {
        base_tuple[i++] = py::reinterpret_borrow<py::object>(b);
    }
    const std::string qualified = std::string("mailtls_lint.") + name;
    PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, base_tuple.ptr(), nullptr);
    if (cls == nullptr) {
        throw py::error_already_set();
    }
    m.add_object(name, py::reinterpret_borrow<py::object>(cls));
    return cls;  // the new reference is kept for the process's life
}

PyObject* class_of(error_kind kind) {
    switch (kind) {
        case error_kind::config_type: return k_classes.config_type;
        case error_kind::version: return k_classes.version;
        case error_kind::rule: return k_classes.rule;
        case error_kind::severity: return k_classes.severity;
    }
    return k_classes.base;
}

}  // namespace

void register_errors(py::module_& m) {
    k_classes.base = make_class(m, "Error", "Base class of the errors mailtls_lint raises.",
                                {PyExc_Exception});
    k_classes.option = make_class(
        m, "OptionError", "An argument that the linter cannot use (also a ValueError).",
        {k_classes.base, PyExc_ValueError});
    k_classes.config_type = make_class(
        m, "ConfigTypeError",
        "A configuration type other than postfix-main, postfix-master or dovecot, or none for "
        "a file whose name does not tell its type.",
        {k_classes.option});
    k_classes.version = make_class(
        m, "VersionError", "A target version that is not X.Y or X.Y.Z, or a release the linter has no data for.", {k_classes.option});
    k_classes.rule = make_class(
        m, "RuleError",
        "A rule code or prefix (select, ignore, severities, explain) that matches no rule.",
        {k_classes.option});
    k_classes.severity = make_class(
        m, "SeverityError", "A severity other than error, warning or info.", {k_classes.option});
    // raised by the Python layer (mailtls_lint/__init__.py), which reads files itself
    make_class(
        m, "ReadError",
        "A file or directory that could not be read (also an OSError). `errors` lists each "
        "path with its reason.",
        {k_classes.base, PyExc_OSError});

    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) {
                std::rethrow_exception(p);
            }
        } catch (const error& e) {
            PyErr_SetString(class_of(e.kind()), e.what());
        } catch (const unknown_version_error& e) {
            PyErr_SetString(k_classes.version, e.what());
        } catch (const usage_error& e) {
            PyErr_SetString(k_classes.rule, e.what());
        }
    });
}

}  // namespace mailtls::python
