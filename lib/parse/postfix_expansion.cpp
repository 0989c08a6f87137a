// Expanding Postfix parameter values as `postconf -x` does (expand_postfix_value(),
// postfix_value_expander), and finding what an expansion runs into without expanding it:
// the cost of each parameter, worked out once, and a walk to where a limit is passed.
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

// What expanding reports when it passes a limit (the expander and limit_walk).
std::string too_many_steps(const ast::expansion_limits& limits) {
    return "expansion needs more than " + std::to_string(limits.max_steps) + " steps";
}
std::string too_long(const ast::expansion_limits& limits) {
    return "expansion is longer than " + std::to_string(limits.max_output) + " bytes";
}
/// `what`: "expressions" (an operand) or "references" (a parameter).
std::string too_deep(const ast::expansion_limits& limits, std::string_view what) {
    return "parameter " + std::string(what) + " nested deeper than " +
           std::to_string(limits.max_depth) + " levels";
}

/// What the expander and limit_walk check alike: the steps, the length of each string, and
/// the first error, which stops the expansion.
class limit_checks {
protected:
    limit_checks(const ast::expansion_limits& limits, std::vector<ast::syntax_error>& errors)
        : limits_(limits), errors_(errors) {}

    void fail(std::string message, byte_range where) {
        errors_.push_back({std::move(message), where});
        stopped_ = true;
    }

    /// Counts one step of the expansion; false, and the expansion stopped, past the limit.
    bool step(byte_range where) {
        if (++steps_ > limits_.max_steps) {
            fail(too_many_steps(limits_), where);
            return false;
        }
        return true;
    }

    /// Whether `length` more bytes fit a string of `size`; false, and the expansion
    /// stopped, when they do not.
    bool room(std::size_t size, std::size_t length, byte_range where) {
        if (size + length > limits_.max_output) {
            fail(too_long(limits_), where);
            return false;
        }
        return true;
    }

    const ast::expansion_limits& limits_;
    std::vector<ast::syntax_error>& errors_;
    std::size_t steps_ = 0;
    bool stopped_ = false;
};

class expander : limit_checks {
public:
    expander(const ast::parameter_source& source, const ast::expansion_limits& limits,
             ast::expansion_result& out)
        : limit_checks(limits, out.errors), source_(source), out_(out) {}

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
    void append(std::string& into, std::string_view text, byte_range where) {
        if (room(into.size(), text.size(), where)) {
            into += text;
        }
    }

    void operand(const std::optional<ast::value_operand>& o, std::string& into, std::size_t depth,
                 const std::optional<byte_range>& anchor) {
        if (!o) {
            return;
        }
        if (depth + 1 > limits_.max_depth) {
            fail(too_deep(limits_, "expressions"), anchor.value_or(o->range));
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
            fail(too_deep(limits_, "references"), where);
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
    ast::expansion_result& out_;
    std::deque<cached_value> cached_;  ///< a deque: the table's keys view the names
    std::unordered_map<std::string_view, const cached_value*> parsed_;
    /// The names being expanded, outermost first: views of the values that name them (the
    /// top-level value, or a cached copy), which outlive the expansion.
    std::vector<std::string_view> chain_;
};

/// What expanding a value, or a parameter by reference, costs: the deepest nesting check, the
/// steps, the bytes of the text it gives (`length`) and of the longest string it builds on the
/// way (`peak`: a conditional's test is a string of its own). Exact while the value takes
/// no comparison and every conditional it meets is known to be empty or not; otherwise an
/// upper bound that counts every branch, so that the expansion stays below it.
///
/// In 16 bytes, returned in registers: each figure saturates (k_many, k_many_levels) and
/// then stands for "at least this many", past every limit.
struct cost {
    /// Ordered so that the lesser of two is what their sum is.
    enum class kind : std::uint8_t { unbounded, bounded, exact };

    std::uint32_t steps = 0;
    std::uint32_t length = 0;
    std::uint32_t peak = 0;
    std::uint8_t depth = 0;
    kind known = kind::exact;  ///< unbounded: a cycle, or a chain too long to follow
};
static_assert(sizeof(cost) == 16);

constexpr std::uint32_t k_many = UINT32_MAX;      ///< a saturated count
constexpr std::uint8_t k_many_levels = UINT8_MAX;  ///< a saturated depth

void add(std::uint32_t& to, std::size_t n) noexcept {
    to = n >= k_many - to ? k_many : to + static_cast<std::uint32_t>(n);
}

std::uint8_t levels(std::size_t n) noexcept {
    return n >= k_many_levels ? k_many_levels : static_cast<std::uint8_t>(n);
}

/// Whether a figure of a cost, saturated or not, is within `limit`.
bool fits(std::uint32_t n, std::size_t limit) noexcept { return n != k_many && n <= limit; }
bool fits_levels(std::uint8_t n, std::size_t limit) noexcept {
    return n != k_many_levels && n <= limit;
}

/// How a parts list gives its literal text: as parts (a parse with literals); as the gaps
/// between the other parts (a parse without them and without errors: each gap is one literal
/// part, as the parser splits literal text at every '$' and at nothing else); or not at all
/// (a parse without them that stopped at an error: the bound then counts one literal part
/// more than the others, and the caller counts the value's text).
enum class literal_parts : std::uint8_t { listed, gaps, unknown };

literal_parts literal_parts_of(const ast::parsed_value& parsed) noexcept {
    if (parsed.literals) {
        return literal_parts::listed;
    }
    return parsed.errors.empty() ? literal_parts::gaps : literal_parts::unknown;
}

/// The costs of values against one lookup, remembering each parameter's.
class expansion_costs {
public:
    expansion_costs(const ast::parameter_source& source,
                    const ast::numbered_parameter_source& by_number,
                    const ast::expansion_limits& limits)
        : source_(source), by_number_(by_number), limits_(limits) {}

    /// The cost of expanding `parts`, the parts of `list` (a value, from 0 to its size, or an
    /// operand's range), at operand nesting `nesting` of a value `chain` references deep.
    cost of_parts(const std::vector<ast::value_part>& parts, byte_range list, literal_parts mode,
                  std::size_t nesting, std::size_t chain) {
        cost_sum c;
        if (mode == literal_parts::unknown) {
            c.steps += parts.size() + 1;
            c.known = std::min(c.known, cost::kind::bounded);
        }
        auto at = list.begin;
        for (const auto& part : parts) {
            if (mode == literal_parts::gaps && part.range.begin > at) {
                c.literal(part.range.begin - at);
            }
            at = part.range.end;
            c.steps += 1;
            switch (part.kind) {
                case ast::value_part_kind::literal: c.length += part.range.size(); break;
                case ast::value_part_kind::dollar: c.length += 1; break;
                case ast::value_part_kind::reference: {
                    const auto r = of_name(part, chain + 1);
                    c.nested(r, nesting);
                    c.length += r.length;
                    break;
                }
                case ast::value_part_kind::conditional: {
                    const auto test = of_name(part, chain + 1);
                    c.nested(test, nesting);  // its text is a string of its own
                    if (test.known == cost::kind::exact) {
                        operand(c, test.length == 0 ? part.when_false() : part.when_true(), mode,
                                nesting, chain, true);
                    } else {
                        operand(c, part.when_true(), mode, nesting, chain, true);
                        operand(c, part.when_false(), mode, nesting, chain, true);
                    }
                    break;
                }
                case ast::value_part_kind::comparison:
                    // which branch is taken depends on the text compared: both are counted
                    c.known = std::min(c.known, cost::kind::bounded);
                    operand(c, part.left(), mode, nesting, chain, false);
                    operand(c, part.right(), mode, nesting, chain, false);
                    operand(c, part.when_true(), mode, nesting, chain, true);
                    operand(c, part.when_false(), mode, nesting, chain, true);
                    c.length += 4;  // "true"
                    break;
                case ast::value_part_kind::function_call:
                    operand(c, part.when_true(), mode, nesting, chain, true);
                    break;
            }
            if (c.known == cost::kind::unbounded) {
                break;
            }
        }
        if (mode == literal_parts::gaps && list.end > at) {
            c.literal(list.end - at);
        }
        return c.narrowed();
    }

    /// The cost of a whole value: of its parts, and of its text when they leave it out.
    cost of_value(std::string_view value, const ast::parsed_value& parsed, std::size_t chain) {
        const auto mode = literal_parts_of(parsed);
        auto c = of_parts(parsed.parts, {0, static_cast<std::uint32_t>(value.size())}, mode, 0,
                          chain);
        if (mode == literal_parts::unknown) {
            add(c.length, value.size());  // every literal byte, at most once
            c.peak = std::max(c.peak, c.length);
        }
        return c;
    }

    /// The cost of resolving the parameter `part` names, its own check and step included,
    /// `chain` references deep.
    cost of_name(const ast::value_part& part, std::size_t chain) {
        // A parameter remembered under the number its part was given (value_part::id, the
        // source's own number for it) is found without asking the source.
        if (const auto* e = by_id_.find(part.id);
            e != nullptr && e->status() != entry::state::unknown) {
            return remembered(*e);
        }
        return of_new_name(part, chain);
    }

    /// of_name() for a parameter not yet remembered by number.
    [[gnu::noinline]] cost of_new_name(const ast::value_part& part, std::size_t chain) {
        const auto value = lookup(part);
        if (!value) {
            return {};  // undefined: neither checked nor counted, expands to nothing
        }
        // Remembered by the source's number for the parameter when it has one, else by name.
        // The entry stays where it is while of_parts() adds others (numbered_entries' blocks,
        // a node-based map).
        entry& e = memo(part.name(), value->id);
        if (e.status() != entry::state::unknown) {
            return remembered(e);
        }
        if (chain > limits_.max_depth + 1) {
            return {.known = cost::kind::unbounded};  // past the nesting limit anyway
        }
        e = entry(entry::state::visiting);
        cost c;
        const auto raw = value->text;
        if (raw.find('$') == std::string_view::npos) {
            c.steps = raw.empty() ? 0 : 1;
            add(c.length, raw.size());
            c.peak = c.length;
        } else {
            std::optional<ast::parsed_value> own;
            const auto* parsed = value->parsed;
            if (parsed == nullptr) {
                parsed = &own.emplace(parse_postfix_value(raw, {.literals = false}));
            }
            c = of_value(raw, *parsed, chain);
        }
        c.depth = levels(std::size_t{c.depth} + 1);  // resolving checks one level down first
        add(c.steps, 1);
        e = entry(c);
        return c;
    }

    /// The value of the parameter `part` names, found by its number when it has one.
    [[nodiscard]] std::optional<ast::parameter_value> lookup(const ast::value_part& part) const {
        return part.id != ast::value_part::no_id && by_number_ ? by_number_(part.id)
                                                               : source_(part.name());
    }

    [[nodiscard]] bool within_limits(const cost& c) const noexcept {
        return c.known != cost::kind::unbounded && fits_levels(c.depth, limits_.max_depth) &&
               fits(c.steps, limits_.max_steps) && fits(c.peak, limits_.max_output);
    }

private:
    /// A cost being added up, in figures wide enough that those of a value's parts (each
    /// at most k_many, fewer parts than bytes in the value) add up without overflowing:
    /// narrowed once, at the end.
    struct cost_sum {
        std::size_t steps = 0;
        std::size_t length = 0;
        std::size_t peak = 0;
        std::size_t depth = 0;
        cost::kind known = cost::kind::exact;

        void literal(std::size_t size) noexcept {
            steps += 1;
            length += size;
        }
        /// What a part at operand nesting `nesting` costs by resolving a parameter (`r`),
        /// its text aside.
        void nested(const cost& r, std::size_t nesting) noexcept {
            known = std::min(known, r.known);
            depth = std::max(depth, nesting + r.depth);
            steps += r.steps;
            peak = std::max<std::size_t>(peak, r.peak);
        }
        [[nodiscard]] cost narrowed() const noexcept {
            const auto count = [](std::size_t n) {
                return n >= k_many ? k_many : static_cast<std::uint32_t>(n);
            };
            return {count(steps), count(length), count(std::max(peak, length)), levels(depth),
                    known};
        }
    };

    /// Adds operand `o` of a part at nesting `nesting` to `c`; its text too when it is
    /// `appended` to the value (a branch, an argument) rather than a string of its own (a
    /// comparison's side).
    void operand(cost_sum& c, const std::optional<ast::value_operand>& o, literal_parts mode,
                 std::size_t nesting, std::size_t chain, bool appended) {
        if (!o) {
            return;
        }
        const auto inner = of_parts(o->parts, o->range, mode, nesting + 1, chain);
        c.known = std::min(c.known, inner.known);
        c.depth = std::max({c.depth, nesting + 1, std::size_t{inner.depth}});
        c.steps += inner.steps;
        if (appended) {
            c.length += inner.length;
        }
        c.peak = std::max<std::size_t>(c.peak, inner.peak);
    }

    /// What is known about one parameter, in 8 bytes (a main.cf of 100,000 parameters has
    /// as many): its state and its cost, each figure saturated at the width of its field
    /// (wider than the default limits: nesting 100, 100,000 steps, 1 MiB). A cost whose
    /// peak is more than its length (a conditional tests a longer parameter) is kept as a
    /// bound of that peak: rare, and a value that then passes a limit is expanded for real.
    class entry {
    public:
        enum class state : std::uint8_t { unknown, visiting, unbounded, bounded, exact };

        entry() = default;
        explicit entry(state s) noexcept : state_(static_cast<std::uint32_t>(s)) {}
        explicit entry(const cost& c) noexcept
            : state_(static_cast<std::uint32_t>(
                  c.known == cost::kind::exact && c.peak == c.length ? state::exact
                  : c.known == cost::kind::unbounded                 ? state::unbounded
                                                                     : state::bounded)),
              depth_(std::min<std::uint32_t>(c.depth, k_many_depth)),
              steps_(std::min<std::uint32_t>(c.steps, k_many_steps)),
              length_(c.peak) {}

        [[nodiscard]] state status() const noexcept { return static_cast<state>(state_); }
        [[nodiscard]] cost value() const noexcept {
            const auto s = status();
            return {steps_ == k_many_steps ? k_many : steps_, length_, length_,
                    depth_ == k_many_depth ? k_many_levels : static_cast<std::uint8_t>(depth_),
                    s == state::exact     ? cost::kind::exact
                    : s == state::bounded ? cost::kind::bounded
                                          : cost::kind::unbounded};
        }

    private:
        static constexpr std::uint32_t k_many_depth = (1u << 7) - 1;
        static constexpr std::uint32_t k_many_steps = (1u << 22) - 1;

        std::uint32_t state_ : 3 = 0;
        std::uint32_t depth_ : 7 = 0;
        std::uint32_t steps_ : 22 = 0;
        std::uint32_t length_ = 0;  ///< the peak, which is the length when state_ is exact
    };
    static_assert(sizeof(entry) == 8);

    /// What a parameter whose cost is being or has been worked out costs: unbounded while
    /// it is being worked out (a cycle).
    static cost remembered(const entry& e) noexcept {
        return e.status() == entry::state::visiting ? cost{.known = cost::kind::unbounded}
                                                    : e.value();
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

/// Finds the errors that expanding a value whose cost is exact reports, without expanding
/// it: it goes through the value as the expander does, checking the same limits in the
/// same order, but counts the length of each string instead of building it, and takes a
/// parameter whose expansion stays within the limits at once from its cost. It descends
/// only into the parameter that passes a limit, so that finding where a list of 60,000
/// references passes the step limit costs about one look at each, not 100,000 steps.
class limit_walk : limit_checks {
public:
    /// Adds the errors it finds to `errors`.
    limit_walk(expansion_costs& costs, const ast::expansion_limits& limits,
               std::vector<ast::syntax_error>& errors)
        : limit_checks(limits, errors), costs_(costs) {}

    /// Goes through `parts` (of `list`, at `depth`) as expander::expand() does, adding their
    /// length to `into`; false when it met what only expanding can tell (a comparison, or a
    /// parameter whose cost is not exact).
    bool walk(const std::vector<ast::value_part>& parts, byte_range list, literal_parts mode,
              std::size_t depth, const std::optional<byte_range>& anchor, std::size_t& into) {
        auto at = list.begin;
        const auto literal = [&](byte_range range) {
            const auto where = anchor.value_or(range);
            if (step(where)) {
                append(into, range.size(), where);
            }
        };
        for (const auto& part : parts) {
            if (mode == literal_parts::gaps && part.range.begin > at && !stopped_) {
                literal({at, part.range.begin});
            }
            at = part.range.end;
            if (stopped_) {
                return true;
            }
            const auto where = anchor.value_or(part.range);
            if (!step(where)) {
                return true;
            }
            switch (part.kind) {
                case ast::value_part_kind::literal: append(into, part.range.size(), where); break;
                case ast::value_part_kind::dollar: append(into, 1, where); break;
                case ast::value_part_kind::reference: {
                    std::size_t length = 0;
                    const auto resolved = resolve(part, length, depth, where);
                    if (!resolved) {
                        return false;
                    }
                    if (*resolved) {
                        append(into, length, where);
                    }
                    break;
                }
                case ast::value_part_kind::conditional: {
                    std::size_t length = 0;
                    if (!resolve(part, length, depth, where) ||
                        !operand(length == 0 ? part.when_false() : part.when_true(), mode, into,
                                 depth, anchor)) {
                        return false;
                    }
                    break;
                }
                case ast::value_part_kind::comparison: return false;
                case ast::value_part_kind::function_call:
                    if (!operand(part.when_true(), mode, into, depth, anchor)) {
                        return false;
                    }
                    break;
            }
        }
        if (mode == literal_parts::gaps && list.end > at && !stopped_) {
            literal({at, list.end});
        }
        return true;
    }

private:
    void append(std::size_t& into, std::size_t length, byte_range where) {
        if (room(into, length, where)) {
            into += length;
        }
    }

    bool operand(const std::optional<ast::value_operand>& o, literal_parts mode,
                 std::size_t& into, std::size_t depth, const std::optional<byte_range>& anchor) {
        if (!o) {
            return true;
        }
        if (depth + 1 > limits_.max_depth) {
            fail(too_deep(limits_, "expressions"), anchor.value_or(o->range));
            return true;
        }
        return walk(o->parts, o->range, mode, depth + 1, anchor, into);
    }

    /// As expander::resolve(): whether the parameter `part` names expanded (its length in
    /// `length`); nothing when only expanding can tell.
    std::optional<bool> resolve(const ast::value_part& part, std::size_t& length,
                                std::size_t depth, byte_range where) {
        const auto value = costs_.lookup(part);
        if (!value) {
            return false;
        }
        if (depth + 1 > limits_.max_depth) {
            fail(too_deep(limits_, "references"), where);
            return false;
        }
        const auto c = costs_.of_name(part, depth + 1);
        if (c.known != cost::kind::exact) {
            return std::nullopt;
        }
        if (fits(c.steps, limits_.max_steps - std::min(steps_, limits_.max_steps)) &&
            fits_levels(c.depth, limits_.max_depth - std::min(depth, limits_.max_depth)) &&
            fits(c.peak, limits_.max_output)) {
            steps_ += c.steps;
            length = c.length;
            return true;
        }
        // it passes a limit: through its parts, to find which and where
        if (!step(where)) {
            return false;
        }
        const auto raw = value->text;
        if (raw.find('$') == std::string_view::npos) {
            if (!raw.empty() && step(where)) {
                append(length, raw.size(), where);
            }
            return !stopped_;
        }
        std::optional<ast::parsed_value> own;
        const auto* parsed = value->parsed;
        if (parsed == nullptr || literal_parts_of(*parsed) == literal_parts::unknown) {
            parsed = &own.emplace(parse_postfix_value(raw));
        }
        if (!walk(parsed->parts, {0, static_cast<std::uint32_t>(raw.size())},
                  literal_parts_of(*parsed), depth + 1, where, length)) {
            return std::nullopt;
        }
        return !stopped_;
    }

    expansion_costs& costs_;
};

}  // namespace

struct postfix_value_expander::state {
    ast::parameter_source source;
    ast::numbered_parameter_source by_number;
    ast::expansion_limits limits;
    std::optional<expansion_costs> costs;  ///< made on first use; refers to the three above
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
    if (!state_->costs) {
        state_->costs.emplace(state_->source, state_->by_number, state_->limits);
    }
    auto& costs = *state_->costs;
    const auto c = costs.of_value(value, parsed, 0);
    if (costs.within_limits(c)) {
        return parsed.errors;
    }
    if (c.known == cost::kind::exact) {
        auto found = parsed.errors;
        limit_walk walk(costs, state_->limits, found);
        std::size_t length = 0;
        if (walk.walk(parsed.parts, {0, static_cast<std::uint32_t>(value.size())},
                      literal_parts_of(parsed), 0, std::nullopt, length)) {
            return found;
        }
    }
    return parsed.literals ? expand(parsed).errors : expand(parse_postfix_value(value)).errors;
}
ast::expansion_result expand_postfix_value(std::string_view value,
                                           const ast::parameter_lookup& lookup,
                                           const ast::expansion_limits& limits) {
    return postfix_value_expander(lookup, limits).expand(parse_postfix_value(value));
}

}  // namespace mailtls
