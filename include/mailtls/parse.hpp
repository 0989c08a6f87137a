#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "mailtls/ast/dovecot.hpp"
#include "mailtls/ast/postfix_main.hpp"
#include "mailtls/ast/postfix_master.hpp"
#include "mailtls/ast/postfix_value.hpp"
#include "mailtls/instance.hpp"
#include "mailtls/source.hpp"

namespace mailtls {

/// Parses main.cf text. Never throws for bad input: syntax errors are in the result.
[[nodiscard]] ast::main_cf parse_postfix_main(const source_file& source);

/// Parses master.cf text. Never throws for bad input: syntax errors are in the result.
[[nodiscard]] ast::master_cf parse_postfix_master(const source_file& source);

/// Splits a parameter value (main.cf or `-o`) into literal text and `$` expressions. The
/// result borrows `value`. Never throws: what Postfix would warn about is in `errors`.
[[nodiscard]] ast::parsed_value parse_postfix_value(std::string_view value,
                                                    ast::value_parse_options options = {});

/// Splits a list value into its elements (separated by commas and/or whitespace, `{ }`
/// groups kept whole) and recognises `type:table` lookups. The result borrows `value`.
[[nodiscard]] std::vector<ast::list_element> split_postfix_list(std::string_view value);

/// Expands the `$name` references and expressions in `value` as `postconf -x` does, with
/// cycle detection and the limits given; never recurses without bound.
[[nodiscard]] ast::expansion_result expand_postfix_value(
    std::string_view value, const ast::parameter_lookup& lookup,
    const ast::expansion_limits& limits = {});

/// Expands values against one lookup (main.cf and the defaults, or one master.cf service's
/// view of them) as expand_postfix_value() does. errors() finds what expanding a value runs
/// into (cycles, the limits) without expanding it: the cost of each parameter (exact, or a
/// bound where a comparison decides) is worked out once and kept, so that checking every
/// value of a large main.cf costs about one pass over it, not one expansion per value; a
/// value whose exact cost passes a limit is followed, counting instead of building text,
/// to where expanding it would stop. Only a value whose bound passes a limit is expanded.
/// The lookup must give the same answers for the expander's whole life.
class postfix_value_expander {
public:
    explicit postfix_value_expander(ast::parameter_lookup lookup,
                                    ast::expansion_limits limits = {});
    /// The same, from a source that hands over the values it has parsed already, so that
    /// errors() does not parse them again. Its parses must live as long as the expander.
    /// `by_number`, when given, finds what `source` gives a numbered reference by its
    /// number.
    explicit postfix_value_expander(ast::parameter_source source,
                                    ast::expansion_limits limits = {},
                                    ast::numbered_parameter_source by_number = {});
    ~postfix_value_expander();
    postfix_value_expander(postfix_value_expander&&) noexcept;
    postfix_value_expander& operator=(postfix_value_expander&&) noexcept;

    /// The expansion of a parsed value (parse_postfix_value(), which the result borrows).
    [[nodiscard]] ast::expansion_result expand(const ast::parsed_value& parsed) const;
    /// The errors that expanding `value` reports, its own syntax errors first; `parsed` is
    /// parse_postfix_value(value), with or without its literal text, and numbered
    /// (value_parse_options::number_parameter) as the source numbers parameters, or not at
    /// all.
    [[nodiscard]] std::vector<ast::syntax_error> errors(std::string_view value,
                                                        const ast::parsed_value& parsed);

private:
    struct state;
    std::unique_ptr<state> state_;
};

/// Parses one Dovecot file, without following its includes. Never throws for bad input:
/// syntax errors are in the result.
[[nodiscard]] ast::dovecot_file parse_dovecot(const source_file& source,
                                              ast::dovecot_parse_options options = {});

/// Reads a file for the include loader: its text, or nothing with `error` set.
using file_reader =
    std::function<std::optional<std::string>(const std::string& path, std::string& error)>;

/// Parses a Dovecot top file and every file its includes read, with `read`. Relative include
/// paths are resolved from the including file's directory (2.x) or the working directory
/// (1.x); globs are expanded and their matches read in sorted order. Cycles, missing files
/// and the loader's limits (include depth, files per instance, matches per glob) are in
/// `include_problems`; nothing is followed forever.
[[nodiscard]] dovecot_instance load_dovecot(std::shared_ptr<const source_file> top,
                                            ast::dovecot_parse_options options,
                                            const file_reader& read);

}  // namespace mailtls
