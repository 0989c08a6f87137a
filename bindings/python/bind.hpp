#pragma once

// What the parts of the pybind11 module share: the C++ exceptions that become the module's
// Python exceptions, argument conversions, and the registration of each group of names.

#include <pybind11/pybind11.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/linter.hpp"

namespace mailtls::python {

namespace py = pybind11;

/// Which Python exception an `error` becomes (see errors.cpp for the class tree).
enum class error_kind { config_type, version, rule, severity };

/// Thrown by the binding for a bad argument or unreadable file; translated at the boundary.
class error : public std::runtime_error {
public:
    error(error_kind kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    [[nodiscard]] error_kind kind() const noexcept { return kind_; }

private:
    error_kind kind_;
};

/// "postfix-main", "postfix-master" or "dovecot"; anything else throws a config_type error.
[[nodiscard]] config_type to_config_type(std::string_view text);
/// "3.7" or "2.3.19"; anything else throws a version error.
[[nodiscard]] std::optional<version> to_version(const std::optional<std::string>& text);
/// "error", "warning" or "info"; anything else throws a severity error.
[[nodiscard]] severity to_severity(std::string_view text);

/// Text from a config (which may hold any bytes) as valid UTF-8 for a Python `str`.
[[nodiscard]] std::string python_text(std::string_view text);

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
