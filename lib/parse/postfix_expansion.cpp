// Expanding Postfix parameter values as `postconf -x` does (expand_postfix_value(),
// postfix_value_expander), and finding what an expansion runs into without expanding it:
// a bound on the cost of each parameter, worked out once.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <deque>
#include <memory>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "arena_hash.hpp"
#include "mailtls/ast/postfix_value.hpp"
#include "mailtls/parse.hpp"

namespace mailtls {
namespace {

/// Compatibility levels compare as dotted numbers: 3.10 > 3.9 (postconf(5)).
int compare_levels(std::string_view a, std::string_view b) {
    while (!a.empty() || !b.empty()) {
        auto take = [](std::string_view& s) {
            unsigned long long n = 0;
            std::size_t i = 0;
            for (; i < s.size() && s[i] != '.'; ++i) {
                if (std::isdigit(static_cast<unsigned char>(s[i])) != 0 && n < (1ull << 60)) {
                    n = n * 10 + static_cast<unsigned>(s[i] - '0');
                }
            }
            s.remove_prefix(std::min(s.size(), i + 1));
            return n;
        };
        const auto x = take(a);
        const auto y = take(b);
        if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return 0;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
}

int compare_values(std::string_view a, std::string_view b, bool levels) {
    if (levels) {
        return compare_levels(a, b);
    }
    if (all_digits(a) && all_digits(b)) {
        a.remove_prefix(std::min(a.find_first_not_of('0'), a.size()));
        b.remove_prefix(std::min(b.find_first_not_of('0'), b.size()));
        if (a.size() != b.size()) {
            return a.size() < b.size() ? -1 : 1;
        }
    }
    const int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool holds(ast::comparison_operator op, int c) {
    switch (op) {
        case ast::comparison_operator::equal: return c == 0;
        case ast::comparison_operator::not_equal: return c != 0;
        case ast::comparison_operator::less: return c < 0;
        case ast::comparison_operator::less_equal: return c <= 0;
        case ast::comparison_operator::greater: return c > 0;
        case ast::comparison_operator::greater_equal: return c >= 0;
    }
    return false;
}

class expander {
public:
    expander(const ast::parameter_source& source, const ast::expansion_limits& limits,
             ast::expansion_result& out)
        : source_(source), limits_(limits), out_(out) {}

    /// Appends the expansion of `parts` to `into`. `anchor` is the range in the top-level
    /// value that errors point at when the parts come from another parameter's value.
    void expand(const std::vector<ast::value_part>& parts, std::string& into, std::size_t depth,
                const std::optional<byte_range>& anchor) {
        for (const auto& part : parts) {
            if (stopped_) {
                return;
            }
            const auto where = anchor.value_or(part.range);
            // every part counts, not only references: `$a` a hundred thousand times over
            // a value of a hundred thousand `${undefined?x}` would otherwise never end
            if (!step(where)) {
                return;
            }
            switch (part.kind) {
                case ast::value_part_kind::literal: append(into, part.text(), where); break;
                case ast::value_part_kind::dollar: append(into, "$", where); break;
                case ast::value_part_kind::reference: {
                    std::string value;
                    if (resolve(part.name(), value, depth, where)) {
                        append(into, value, where);
                    }
                    break;
                }
                case ast::value_part_kind::conditional: {
                    std::string value;
                    resolve(part.name(), value, depth, where);
                    operand(value.empty() ? part.when_false() : part.when_true(), into, depth,
                            anchor);
                    break;
                }
                case ast::value_part_kind::comparison: {
                    std::string left, right;
                    operand(part.left(), left, depth, anchor);
                    operand(part.right(), right, depth, anchor);
                    const bool result =
                        holds(part.op, compare_values(left, right, part.level_comparison));
                    if (!part.when_true() && !part.when_false()) {
                        append(into, result ? "true" : "", where);
                    } else {
                        operand(result ? part.when_true() : part.when_false(), into, depth, anchor);
                    }
                    break;
                }
                case ast::value_part_kind::function_call:
                    // Functions transform their argument (e.g. domain_to_ascii); the argument
                    // stands for the result here.
                    operand(part.when_true(), into, depth, anchor);
                    break;
            }
        }
    }

private:
    void fail(std::string message, byte_range where) {
        out_.errors.push_back({std::move(message), where});
        stopped_ = true;
    }

    /// Counts one step of the expansion; false, and the expansion stopped, past the limit.
    bool step(byte_range where) {
        if (++steps_ > limits_.max_steps) {
            fail("expansion needs more than " + std::to_string(limits_.max_steps) + " steps",
                 where);
            return false;
        }
        return true;
    }

    void append(std::string& into, std::string_view text, byte_range where) {
        if (into.size() + text.size() > limits_.max_output) {
            fail("expansion is longer than " + std::to_string(limits_.max_output) + " bytes",
                 where);
            return;
        }
        into += text;
    }

    void operand(const std::optional<ast::value_operand>& o, std::string& into, std::size_t depth,
                 const std::optional<byte_range>& anchor) {
        if (!o) {
            return;
        }
        if (depth + 1 > limits_.max_depth) {
            fail("parameter expressions nested deeper than " +
                     std::to_string(limits_.max_depth) + " levels",
                 anchor.value_or(o->range));
            return;
        }
        expand(o->parts, into, depth + 1, anchor);
    }

    /// Expands the value of parameter `name` into `value`; false when it is undefined or an
    /// error stopped the expansion.
    bool resolve(std::string_view name, std::string& value, std::size_t depth, byte_range where) {
        const auto raw = source_(name);
        if (!raw) {
            if (std::find(out_.undefined.begin(), out_.undefined.end(), name) ==
                out_.undefined.end()) {
                out_.undefined.emplace_back(name);
            }
            return false;
        }
        if (std::find(chain_.begin(), chain_.end(), name) != chain_.end()) {
            std::string path;
            for (const auto n : chain_) {
                path.append("$").append(n).append(" -> ");
            }
            fail("'$" + std::string(name) + "' refers to itself: " + path + "$" +
                     std::string(name),
                 where);
            return false;
        }
        if (depth + 1 > limits_.max_depth) {
            fail("parameter references nested deeper than " + std::to_string(limits_.max_depth) +
                     " levels",
                 where);
            return false;
        }
        if (!step(where)) {
            return false;
        }
        if (raw->text.find('$') == std::string_view::npos) {
            // Literal text only (most values): what parsing and expanding it gives, one step
            // for its one part, without the copy and the parse.
            if (!raw->text.empty() && step(where)) {
                append(value, raw->text, where);
            }
            return !stopped_;
        }
        const auto& parts = parsed(name, raw->text).parts;
        chain_.emplace_back(name);
        expand(parts, value, depth + 1, where);
        chain_.pop_back();
        return !stopped_;
    }

    /// The value of parameter `name`, parsed once per expansion: a value referenced again and
    /// again (`$a$a$a...`) is not parsed again each time.
    const ast::parsed_value& parsed(std::string_view name, std::string_view raw) {
        auto it = parsed_.find(name);
        if (it == parsed_.end()) {
            // the name and the text are copied: the source's views need not outlive the call
            auto& value = cached_.emplace_back(cached_value{std::string(name), std::string(raw), {}});
            value.value = parse_postfix_value(value.text);  // borrows the copy
            it = parsed_.emplace(std::string_view(value.name), &value).first;
        }
        return it->second->value;
    }

    struct cached_value {
        std::string name;
        std::string text;
        ast::parsed_value value;
    };

    const ast::parameter_source& source_;
    const ast::expansion_limits& limits_;
    ast::expansion_result& out_;
    std::deque<cached_value> cached_;  ///< a deque: the table's keys view the names
    std::unordered_map<std::string_view, const cached_value*> parsed_;
    /// The names being expanded, outermost first: views of the values that name them (the
    /// top-level value, or a cached copy), which outlive the expansion.
    std::vector<std::string_view> chain_;
    std::size_t steps_ = 0;
    bool stopped_ = false;
};

/// An upper bound on what expanding a value, or a parameter by reference, costs: the
/// deepest nesting check, the steps and the bytes of text (of every string it builds). A
/// bound counts every branch of every expression, so the expansion itself stays below it.
struct cost {
    std::size_t depth = 0;
    std::size_t steps = 0;
    std::size_t output = 0;
    bool bounded = true;  ///< false on a cycle, or a chain too long to follow
};

void add(std::size_t& to, std::size_t n) noexcept {
    to = to > SIZE_MAX - n ? SIZE_MAX : to + n;
}

/// Bounds the cost of values against one lookup, remembering each parameter's bound.
class cost_bounds {
public:
    cost_bounds(const ast::parameter_source& source,
                const ast::numbered_parameter_source& by_number,
                const ast::expansion_limits& limits)
        : source_(source), by_number_(by_number), limits_(limits) {}

    /// The bound of expanding `parts` at operand nesting `nesting` of a value. Without its
    /// literal parts (`literals` false), each list of parts counts the most literal parts
    /// it can have, one more than the others; their text is the caller's to count.
    cost of_parts(const std::vector<ast::value_part>& parts, std::size_t nesting,
                  std::size_t chain, bool literals = true) {
        cost c;
        if (!literals) {
            add(c.steps, parts.size() + 1);
        }
        for (const auto& part : parts) {
            add(c.steps, 1);
            switch (part.kind) {
                case ast::value_part_kind::literal: add(c.output, part.text().size()); break;
                case ast::value_part_kind::dollar: add(c.output, 1); break;
                case ast::value_part_kind::comparison: add(c.output, 4); break;  // "true"
                case ast::value_part_kind::reference:
                case ast::value_part_kind::conditional: {
                    const auto r = of_name(part.name(), part.id, chain + 1);
                    c.bounded = c.bounded && r.bounded;
                    c.depth = std::max(c.depth, nesting + r.depth);
                    add(c.steps, r.steps);
                    add(c.output, r.output);
                    break;
                }
                case ast::value_part_kind::function_call: break;
            }
            part.for_each_operand([&](const ast::value_operand& o) {
                const auto inner = of_parts(o.parts, nesting + 1, chain, literals);
                c.bounded = c.bounded && inner.bounded;
                c.depth = std::max({c.depth, nesting + 1, inner.depth});
                add(c.steps, inner.steps);
                add(c.output, inner.output);
            });
            if (!c.bounded) {
                break;
            }
        }
        return c;
    }

    [[nodiscard]] bool within_limits(const cost& c) const noexcept {
        return c.bounded && c.depth <= limits_.max_depth && c.steps <= limits_.max_steps &&
               c.output <= limits_.max_output;
    }

private:
    /// What is known about one parameter, in 8 bytes (a main.cf of 100,000 parameters has
    /// as many): its state, and its bound with each figure saturated at the width of its
    /// field. A saturated figure reads back as SIZE_MAX, past any limit, so that the bound
    /// stays an upper bound (a value past it is expanded for real); the fields are wider
    /// than the default limits (nesting 100, 100,000 steps, 1 MiB).
    class entry {
    public:
        enum class state : std::uint8_t { unknown, visiting, bounded, unbounded };

        entry() = default;
        explicit entry(state s) noexcept : state_(static_cast<std::uint64_t>(s)) {}
        explicit entry(const cost& c) noexcept
            : depth_(narrow<k_depth_bits>(c.depth)), steps_(narrow<k_count_bits>(c.steps)),
              output_(narrow<k_count_bits>(c.output)),
              state_(static_cast<std::uint64_t>(c.bounded ? state::bounded : state::unbounded)) {}

        [[nodiscard]] state status() const noexcept { return static_cast<state>(state_); }
        [[nodiscard]] cost bound() const noexcept {
            return {widen<k_depth_bits>(depth_), widen<k_count_bits>(steps_),
                    widen<k_count_bits>(output_), status() == state::bounded};
        }

    private:
        static constexpr int k_depth_bits = 7;
        static constexpr int k_count_bits = 27;

        template <int Bits>
        static constexpr std::uint64_t k_saturated = (std::uint64_t{1} << Bits) - 1;

        template <int Bits>
        static std::uint64_t narrow(std::size_t n) noexcept {
            return n >= k_saturated<Bits> ? k_saturated<Bits> : n;
        }
        template <int Bits>
        static std::size_t widen(std::uint64_t n) noexcept {
            return n == k_saturated<Bits> ? SIZE_MAX : static_cast<std::size_t>(n);
        }

        std::uint64_t depth_ : k_depth_bits = 0;
        std::uint64_t steps_ : k_count_bits = 0;
        std::uint64_t output_ : k_count_bits = 0;
        std::uint64_t state_ : 2 = 0;
    };
    static_assert(sizeof(entry) == 8);

    /// What a parameter whose bound is being or has been worked out costs: unbounded while
    /// it is being worked out (a cycle).
    static cost remembered(const entry& e) noexcept {
        return e.status() == entry::state::visiting ? cost{.bounded = false} : e.bound();
    }

    /// The bound of resolving `$name` (its own check and step included) `chain` references
    /// deep; `part_id` is the id of the part that names it (value_part::id).
    cost of_name(std::string_view name, std::uint32_t part_id, std::size_t chain) {
        // A parameter remembered under the number its part was given (value_part::id, the
        // source's own number for it) is found without asking the source.
        if (const auto* e = by_id_.find(part_id);
            e != nullptr && e->status() != entry::state::unknown) {
            return remembered(*e);
        }
        const auto value = part_id != ast::value_part::no_id && by_number_ ? by_number_(part_id)
                                                                           : source_(name);
        if (!value) {
            return cost{.depth = 1, .steps = 1};  // undefined: checked, expands to nothing
        }
        // Remembered by the source's number for the parameter when it has one, else by name.
        // The entry stays where it is while of_parts() adds others (numbered_entries' blocks,
        // a node-based map).
        entry& e = memo(name, value->id);
        if (e.status() != entry::state::unknown) {
            return remembered(e);
        }
        if (chain > limits_.max_depth + 1) {
            return cost{.bounded = false};  // past the nesting limit anyway
        }
        e = entry(entry::state::visiting);
        cost c;
        const auto raw = value->text;
        if (raw.find('$') == std::string_view::npos) {
            c.steps = 1;
            c.output = raw.size();
        } else {
            std::optional<ast::parsed_value> own;
            const auto* parsed = value->parsed;
            if (parsed == nullptr) {
                parsed = &own.emplace(parse_postfix_value(raw, {.literals = false}));
            }
            c = of_parts(parsed->parts, 0, chain, parsed->literals);
            if (!parsed->literals) {
                add(c.output, raw.size());
            }
        }
        c.depth += 1;  // resolve() checks one level down before expanding
        add(c.steps, 1);
        e = entry(c);
        return c;
    }

    /// The entry of the parameter `name`, numbered `id` by the source.
    entry& memo(std::string_view name, std::uint32_t id) {
        if (id == ast::parameter_value::no_id) {
            if (const auto it = by_name_.find(name); it != by_name_.end()) {
                return it->second;
            }
            auto* key = static_cast<char*>(names_.allocate(name.size(), 1));
            std::copy(name.begin(), name.end(), key);
            return by_name_[std::string_view(key, name.size())];
        }
        return by_id_[id];
    }

    const ast::parameter_source& source_;
    const ast::numbered_parameter_source& by_number_;
    const ast::expansion_limits& limits_;
    /// Entries by number, in blocks: the table grows a block at a time, where a vector of
    /// the 100,000 parameters of a large main.cf would copy itself to twice its size at the
    /// peak of the lint; and an entry stays where it is.
    class numbered_entries {
    public:
        /// The entry of `id`, or null when its block was never made.
        [[nodiscard]] const entry* find(std::uint32_t id) const noexcept {
            const auto block = id / k_block;
            return block < blocks_.size() && blocks_[block] ? &(*blocks_[block])[id % k_block]
                                                            : nullptr;
        }
        entry& operator[](std::uint32_t id) {
            const auto block = id / k_block;
            if (block >= blocks_.size()) {
                blocks_.resize(block + 1);
            }
            if (!blocks_[block]) {
                blocks_[block] = std::make_unique<std::array<entry, k_block>>();
            }
            return (*blocks_[block])[id % k_block];
        }

    private:
        static constexpr std::uint32_t k_block = 1024;
        std::vector<std::unique_ptr<std::array<entry, k_block>>> blocks_;
    };

    numbered_entries by_id_;  ///< parameters the source numbers (parameter_value::id)
    std::pmr::monotonic_buffer_resource names_;  ///< the names by_name_'s keys view
    detail::arena_hash_map<std::string_view, entry> by_name_;
};

}  // namespace

struct postfix_value_expander::state {
    ast::parameter_source source;
    ast::numbered_parameter_source by_number;
    ast::expansion_limits limits;
    std::optional<cost_bounds> bounds;  ///< made on first use; refers to the three above
};

postfix_value_expander::postfix_value_expander(ast::parameter_lookup lookup,
                                               ast::expansion_limits limits)
    : postfix_value_expander(
          [lookup = std::move(lookup)](std::string_view name) -> std::optional<ast::parameter_value> {
              if (const auto text = lookup(name)) {
                  return ast::parameter_value{*text, nullptr};
              }
              return std::nullopt;
          },
          limits) {}

postfix_value_expander::postfix_value_expander(ast::parameter_source source,
                                               ast::expansion_limits limits,
                                               ast::numbered_parameter_source by_number)
    : state_(std::make_unique<state>()) {
    state_->source = std::move(source);
    state_->by_number = std::move(by_number);
    state_->limits = limits;
}

postfix_value_expander::~postfix_value_expander() = default;
postfix_value_expander::postfix_value_expander(postfix_value_expander&&) noexcept = default;
postfix_value_expander& postfix_value_expander::operator=(postfix_value_expander&&) noexcept =
    default;

ast::expansion_result postfix_value_expander::expand(const ast::parsed_value& parsed) const {
    ast::expansion_result out;
    out.errors = parsed.errors;
    expander(state_->source, state_->limits, out).expand(parsed.parts, out.text, 0, std::nullopt);
    return out;
}

std::vector<ast::syntax_error> postfix_value_expander::errors(std::string_view value,
                                                              const ast::parsed_value& parsed) {
    if (!state_->bounds) {
        state_->bounds.emplace(state_->source, state_->by_number, state_->limits);
    }
    auto bound = state_->bounds->of_parts(parsed.parts, 0, 0, parsed.literals);
    if (!parsed.literals) {
        add(bound.output, value.size());  // every literal byte, at most once
    }
    if (state_->bounds->within_limits(bound)) {
        return parsed.errors;
    }
    return parsed.literals ? expand(parsed).errors : expand(parse_postfix_value(value)).errors;
}

ast::expansion_result expand_postfix_value(std::string_view value,
                                           const ast::parameter_lookup& lookup,
                                           const ast::expansion_limits& limits) {
    return postfix_value_expander(lookup, limits).expand(parse_postfix_value(value));
}

}  // namespace mailtls
