#pragma once

// What the parts of the pybind11 module share: entry.hpp (the C++ exceptions that become the
// module's Python exceptions, argument conversions, the lint calls), and the registration of
// each group of names.

#include <pybind11/pybind11.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "entry.hpp"
#include "mailtls/linter.hpp"

namespace mailtls::python {

namespace py = pybind11;

/// The elements of a vector member of `owner` as a tuple of views that keep `owner` alive:
/// read-only to Python, and nothing is copied.
template <typename T>
py::tuple tuple_of(const std::vector<T>& items, py::handle owner) {
    py::tuple out(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        out[i] = py::cast(&items[i], py::return_value_policy::reference_internal, owner);
    }
    return out;
}

void register_errors(py::module_& m);
void register_lint(py::module_& m);
void register_ast(py::module_& m);

}  // namespace mailtls::python
