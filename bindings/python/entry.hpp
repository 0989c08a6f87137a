#pragma once

// The C++ side of the Python entry points, free of pybind11: argument conversion, the lint
// calls and the copying of results into plain structs. The module binds these (lint.cpp,
// errors.cpp), and tests/fuzz/fuzz_python_lint_text.cpp runs the very same code without an
// interpreter.

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mailtls/linter.hpp"

namespace mailtls::python {

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
/// A Postfix release, "3.7" or "3.7.1"; anything else throws a version error.
[[nodiscard]] std::optional<version> to_postfix_version(const std::optional<std::string>& text);
/// A Dovecot release, "2.4", "2.3.19" or "2.3.19.1" (judged as 2.3.19); anything else throws
/// a version error.
[[nodiscard]] std::optional<version> to_dovecot_version(const std::optional<std::string>& text);
/// "error", "warning" or "info"; anything else throws a severity error.
[[nodiscard]] severity to_severity(std::string_view text);

/// Text from a config (which may hold any bytes) as valid UTF-8 for a Python `str`.
[[nodiscard]] std::string python_text(std::string_view text);

/// A place: the fields of a JSON location.
struct py_place {
    std::string file;
    std::uint32_t line = 0, column = 0, end_line = 0, end_column = 0;
};

struct py_note {
    std::string message;
    std::optional<std::string> file;  ///< none for a note without a place
    std::uint32_t line = 0, column = 0, end_line = 0, end_column = 0;
};

struct py_edit {
    py_place place;
    std::string replacement;
};

struct py_fix {
    std::string description, applicability;
    std::vector<py_edit> edits;
};

struct py_finding {
    std::string code, name, severity, message;
    py_place place;
    std::vector<py_note> notes;
    std::string hint;
    std::optional<py_fix> fix;
};

struct py_result {
    std::vector<py_finding> findings;
    /// The notes no finding carries (lint_result::notes): always with a file; line and
    /// column 0 for a note on the whole file.
    std::vector<py_note> notes;
    std::vector<std::pair<std::string, std::string>> errors;
    std::string postfix_version, dovecot_version;
};

/// A lint result copied out: every string valid UTF-8, nothing pointing into C++ memory.
[[nodiscard]] py_result convert(const lint_result& result);

/// The options of a lint call from the Python arguments; throws `error` for a bad one (rule
/// codes are checked by the linter's constructor, which throws `usage_error`).
[[nodiscard]] lint_options make_options(const std::optional<std::string>& postfix_version,
                                        const std::optional<std::string>& dovecot_version,
                                        std::vector<std::string> select,
                                        std::vector<std::string> ignore,
                                        const std::map<std::string, std::string>& severities);

/// `_core.lint_text`: lints one file's text and copies the result out.
[[nodiscard]] py_result lint_text(std::string text, std::string_view type,
                                  const std::optional<std::string>& postfix_version,
                                  const std::optional<std::string>& dovecot_version,
                                  std::string path, std::vector<std::string> select,
                                  std::vector<std::string> ignore,
                                  const std::map<std::string, std::string>& severities);

}  // namespace mailtls::python
