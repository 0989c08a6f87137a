#pragma once

// What every fuzz target asserts besides "no crash, no sanitizer report": the contracts that
// hold for any input. A broken contract prints what broke and aborts, which libFuzzer reports
// as a crash and saves the input (see tests/fuzz/README.md).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/ast/dovecot.hpp"
#include "mailtls/ast/postfix_main.hpp"
#include "mailtls/ast/postfix_master.hpp"
#include "mailtls/ast/postfix_value.hpp"
#include "mailtls/linter.hpp"
#include "mailtls/source.hpp"

namespace mailtls::fuzz {

/// The fuzz input as text.
[[nodiscard]] inline std::string text_of(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Prints `what` and aborts when `ok` is false.
void require(bool ok, std::string_view what);

/// A range lies inside a text of `size` bytes.
void require_range(byte_range r, std::size_t size, std::string_view what);

/// The parse contracts: every range inside the source, pieces that concatenate to the text
/// they describe.
void check_parse(const source_file& source, const ast::main_cf& ast);
void check_parse(const source_file& source, const ast::master_cf& ast);
void check_parse(const source_file& source, const ast::dovecot_file& ast);
/// Ranges of a parsed value, in offsets of the value (`size` bytes).
void check_parse(const ast::parsed_value& value, std::size_t size);

/// The lint contracts: every finding, note and edit points into a file the result holds;
/// the text output holds no control character but newline and tab (nor C1 controls, nor
/// bidi overrides); JSON parses back and SARIF renders; every GitHub output line is a
/// command.
void check_result(const lint_result& result);

/// Splits the input at lines that read `#@file` (the separator of multi-file inputs): the
/// pieces, without the separator lines.
[[nodiscard]] std::vector<std::string_view> split_files(std::string_view text);

}  // namespace mailtls::fuzz
