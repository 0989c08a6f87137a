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

class value_part;

/// Text inside an expression that Postfix parses again as a value: a branch of a conditional,
/// an operand of a comparison, the argument of a function call.
struct value_operand {
    byte_range range;  ///< the text (without its braces, and without blanks around braces)
    bool braced = false;  ///< written `{text}` (Postfix 3.0 and later)
    std::vector<value_part> parts;
};

/// What an expression holds besides its name: its operands and the range of its operator.
/// One block on the heap per expression, so that the parts without any (literal text and
/// plain references, nearly all of them) stay small.
struct expression_operands {
    /// conditional and comparison: the text after '?' (used when the test is non-empty or
    /// true) and after ':' (used when it is empty or false). function_call: `when_true` is
    /// the argument.
    std::optional<value_operand> when_true;
    std::optional<value_operand> when_false;
    /// comparison only.
    std::optional<value_operand> left;
    std::optional<value_operand> right;
    byte_range op_range;  ///< comparison only
};

/// One part of a value, in 40 bytes (a list of a thousand references is a thousand parts):
/// its text and name are read from the parsed value, its operands from one block on the
/// heap (expression_operands).
class value_part {
public:
    /// No number: what `id` holds when the parse was not asked to number names
    /// (value_parse_options::number_parameter) or the parameter has none.
    static constexpr std::uint32_t no_id = UINT32_MAX;

    value_part_kind kind = value_part_kind::literal;
    reference_style style = reference_style::bare;
    /// comparison only: the operator, and whether it compares compatibility levels
    /// (`<level` etc., 3.6).
    comparison_operator op = comparison_operator::equal;
    bool level_comparison = false;
    /// reference and conditional: the number value_parse_options::number_parameter gave the
    /// parameter `name()` names (as parameter_value::id numbers parameters), so that readers
    /// can find it without hashing the name again; `no_id` otherwise.
    std::uint32_t id = no_id;
    byte_range range;  ///< the whole part: for an expression from '$' to its closing brace
    byte_range name_range;

    value_part() = default;
    /// A part of the parsed text `value` (which it borrows), `range` and `name_range` being
    /// offsets into it.
    explicit value_part(std::string_view value) noexcept : value_(value.data()) {}
    value_part(const value_part& o)
        : kind(o.kind), style(o.style), op(o.op), level_comparison(o.level_comparison),
          id(o.id), range(o.range), name_range(o.name_range), value_(o.value_),
          operands_(o.operands_ ? std::make_unique<expression_operands>(*o.operands_)
                                : nullptr) {}
    value_part(value_part&&) noexcept = default;
    value_part& operator=(const value_part& o) {
        if (this != &o) {
            *this = value_part(o);
        }
        return *this;
    }
    value_part& operator=(value_part&&) noexcept = default;
    ~value_part() = default;

    /// The bytes of `range`.
    [[nodiscard]] std::string_view text() const noexcept { return view(range); }
    /// The parameter (reference, conditional) or function (function_call) name.
    [[nodiscard]] std::string_view name() const noexcept { return view(name_range); }

    /// The operands (see expression_operands); empty for a part without them.
    [[nodiscard]] const std::optional<value_operand>& when_true() const noexcept {
        return operands_ ? operands_->when_true : no_operand();
    }
    [[nodiscard]] const std::optional<value_operand>& when_false() const noexcept {
        return operands_ ? operands_->when_false : no_operand();
    }
    [[nodiscard]] const std::optional<value_operand>& left() const noexcept {
        return operands_ ? operands_->left : no_operand();
    }
    [[nodiscard]] const std::optional<value_operand>& right() const noexcept {
        return operands_ ? operands_->right : no_operand();
    }
    /// comparison only: the operator as written.
    [[nodiscard]] byte_range op_range() const noexcept {
        return operands_ ? operands_->op_range : byte_range{};
    }
    /// Calls `visit(operand)` for each operand it has, in the order above.
    template <typename Visit>
    void for_each_operand(const Visit& visit) const {
        if (operands_) {
            for (const auto* o : {&operands_->when_true, &operands_->when_false,
                                  &operands_->left, &operands_->right}) {
                if (o->has_value()) {
                    visit(**o);
                }
            }
        }
    }
    /// The operands to fill in, made on first use (for the parser).
    expression_operands& fill_operands() {
        if (!operands_) {
            operands_ = std::make_unique<expression_operands>();
        }
        return *operands_;
    }

private:
    static const std::optional<value_operand>& no_operand() noexcept {
        static const std::optional<value_operand> none;
        return none;
    }
    [[nodiscard]] std::string_view view(byte_range r) const noexcept {
        return value_ == nullptr || r.size() == 0 ? std::string_view()
                                                  : std::string_view(value_ + r.begin, r.size());
    }

    const char* value_ = nullptr;
    std::unique_ptr<expression_operands> operands_;
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

/// What a parameter_source gives the name it numbers `id` (parameter_value::id), found by
/// the number: for references numbered the same way (value_parse_options::number_parameter),
/// which then need no lookup by name.
using numbered_parameter_source = std::function<std::optional<parameter_value>(std::uint32_t)>;

}  // namespace mailtls::ast
