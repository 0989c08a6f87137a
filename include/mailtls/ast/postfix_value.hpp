#pragma once

// A Postfix parameter value (main.cf or master.cf `-o`) split into its parts, as Postfix's
// mac_parse() and mac_expand() read it (postconf(5), "parameter expansion"):
//
//     literal text     mail.example.com
//     $$               a literal '$'
//     $name ${name} $(name)                     the value of another parameter
//     ${name?text} ${name:text}                 text when $name is non-empty / empty (2.2)
//     ${name?{text}} ${name?{t1}:{t2}} ${name?{t1}:t2}           braced forms (3.0)
//     ${{a} == {b} ? {t1} : {t2}}   and != < <= > >=             comparisons (3.0)
//     ${{$compatibility_level} <level {3.6} ? {t1} : {t2}}        level comparisons (3.6)
//     ${name{text}}                                               function call (3.11)
//
// Every range here is in offsets into the value text that was parsed (not the source): a
// main.cf value can span continuation lines, so map an offset to the source with
// `main_cf_parameter::source_offset()` or `master_cf_override::source_offset()`. The
// `std::string_view`s borrow the parsed text, which must outlive the result.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/ast/postfix_main.hpp"
#include "mailtls/source.hpp"

namespace mailtls::ast {

enum class value_part_kind : std::uint8_t {
    literal,        ///< text taken as it is
    dollar,         ///< `$$`: a literal '$'
    reference,      ///< `$name`, `${name}`, `$(name)`
    conditional,    ///< `${name?...}`, `${name:...}`, `${name?...:...}`
    comparison,     ///< `${{a} op {b}}`, optionally followed by `?...` and/or `:...`
    function_call,  ///< `${name{text}}`
};

/// How an expression is delimited.
enum class reference_style : std::uint8_t { bare, braces, parentheses };

enum class comparison_operator : std::uint8_t {
    equal, not_equal, less, less_equal, greater, greater_equal
};

struct value_part;

/// Text inside an expression that Postfix parses again as a value: a branch of a conditional,
/// an operand of a comparison, the argument of a function call.
struct value_operand {
    byte_range range;  ///< the text (without its braces, and without blanks around braces)
    bool braced = false;  ///< written `{text}` (Postfix 3.0 and later)
    std::vector<value_part> parts;
};

/// An operand an expression may have, kept on the heap so that the parts without operands
/// (literal text and plain references, nearly all of them) stay small. Reads as a
/// std::optional<value_operand> does: test it, then use `*` or `->`.
class optional_operand {
public:
    optional_operand() = default;
    optional_operand(std::nullopt_t) noexcept {}
    optional_operand(std::optional<value_operand> o)
        : operand_(o ? std::make_unique<value_operand>(std::move(*o)) : nullptr) {}
    optional_operand(const optional_operand& o)
        : operand_(o.operand_ ? std::make_unique<value_operand>(*o.operand_) : nullptr) {}
    optional_operand(optional_operand&&) noexcept = default;
    optional_operand& operator=(const optional_operand& o) {
        if (this != &o) {
            operand_ = o.operand_ ? std::make_unique<value_operand>(*o.operand_) : nullptr;
        }
        return *this;
    }
    optional_operand& operator=(optional_operand&&) noexcept = default;
    ~optional_operand() = default;

    [[nodiscard]] bool has_value() const noexcept { return operand_ != nullptr; }
    explicit operator bool() const noexcept { return has_value(); }
    const value_operand& operator*() const noexcept { return *operand_; }
    const value_operand* operator->() const noexcept { return operand_.get(); }
    value_operand& operator*() noexcept { return *operand_; }
    value_operand* operator->() noexcept { return operand_.get(); }

private:
    std::unique_ptr<value_operand> operand_;
};

/// One part of a value. (The members are ordered so that the part packs into 96 bytes: a
/// list of a thousand references is a thousand parts.)
struct value_part {
    /// No number: what `id` holds when the parse was not asked to number names
    /// (value_parse_options::number_parameter) or the parameter has none.
    static constexpr std::uint32_t no_id = UINT32_MAX;

    value_part_kind kind = value_part_kind::literal;
    reference_style style = reference_style::bare;
    /// comparison only: the operator, and whether it compares compatibility levels
    /// (`<level` etc., 3.6).
    comparison_operator op = comparison_operator::equal;
    bool level_comparison = false;
    byte_range range;  ///< the whole part: for an expression from '$' to its closing brace
    byte_range name_range;
    byte_range op_range;  ///< comparison only
    /// reference and conditional: the number value_parse_options::number_parameter gave the
    /// parameter `name` names (as parameter_value::id numbers parameters), so that readers
    /// can find it without hashing the name again; `no_id` otherwise.
    std::uint32_t id = no_id;
    std::string_view text;  ///< the bytes of `range`
    /// The parameter (reference, conditional) or function (function_call) name.
    std::string_view name;
    /// conditional and comparison: the text after '?' (used when the test is non-empty or
    /// true) and after ':' (used when it is empty or false). function_call: `when_true` is
    /// the argument.
    optional_operand when_true;
    optional_operand when_false;
    /// comparison only.
    optional_operand left;
    optional_operand right;
};

/// A value's parts, and what Postfix would warn about (it then ignores the rest of the value).
struct parsed_value {
    std::vector<value_part> parts;
    std::vector<syntax_error> errors;  ///< ranges in value offsets
    /// False when the literal text parts were left out (value_parse_options::literals).
    bool literals = true;
};

struct value_parse_options {
    /// Keep the parts of literal text. Without them a long list of references takes half
    /// the memory, for readers that only look at expressions (`$$` parts are kept).
    bool literals = true;
    /// When set, gives the `id` of every part that names a parameter (references and the
    /// names conditionals test, in operands too): the number that the parameter_source the
    /// parse is expanded against gives that name (parameter_value::id), or no_id. Each name
    /// is then resolved once, when its value is parsed.
    std::function<std::uint32_t(std::string_view)> number_parameter{};
};

/// One element of a list value (comma and/or whitespace separated, `{ }` groups kept whole).
struct list_element {
    std::string_view text;  ///< as written, braces included
    byte_range range;
    bool braced = false;  ///< a `{ ... }` group (3.0): `content` is the text inside
    std::string_view content;  ///< the text without outer braces and blanks inside them
    byte_range content_range;
    /// A lookup table `type:name` (e.g. `hash:/etc/postfix/virtual`, `inline:{ a=b }`),
    /// recognised when `type` is a Postfix table type. Empty otherwise.
    std::string_view table_type;
    byte_range table_type_range;
    std::string_view table_name;
    byte_range table_name_range;

    [[nodiscard]] bool is_table() const noexcept { return !table_type.empty(); }
};

/// Limits on `$name` expansion; each one that is hit is reported as an error.
struct expansion_limits {
    std::size_t max_depth = 100;         ///< nested references and expressions (as Postfix)
    std::size_t max_output = 1u << 20;   ///< bytes of expanded text
    std::size_t max_steps = 100000;      ///< parts and references expanded in all
};

struct expansion_result {
    std::string text;
    /// Cycles, limits, and syntax errors of the value itself; ranges are in the offsets of the
    /// value that was expanded (an error inside another parameter points at the reference).
    std::vector<syntax_error> errors;
    std::vector<std::string> undefined;  ///< names referenced but not defined, in order
};

/// True for a lookup table type Postfix knows (`hash`, `lmdb`, `inline`, `regexp`, ...).
[[nodiscard]] bool is_lookup_table_type(std::string_view type) noexcept;

/// The value of a parameter by name, unexpanded; nothing when it is not defined.
using parameter_lookup = std::function<std::optional<std::string_view>(std::string_view)>;

/// A parameter's value with its parse, when the caller has one already.
struct parameter_value {
    static constexpr std::uint32_t no_id = value_part::no_id;

    std::string_view text;
    /// parse_postfix_value(text), with or without its literal text; null: not parsed yet.
    const parsed_value* parsed = nullptr;
    /// A small number that the source gives this parameter, the same for every lookup of
    /// one name and different for different names (e.g. its index in main.cf), so that an
    /// expander can remember what it learnt about it by number rather than by hashing the
    /// name; `no_id` when the source has none.
    std::uint32_t id = no_id;
};

/// parameter_lookup for callers that keep their values parsed.
using parameter_source = std::function<std::optional<parameter_value>(std::string_view)>;

}  // namespace mailtls::ast
