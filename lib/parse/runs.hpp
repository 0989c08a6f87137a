#pragma once

// A PEGTL rule for a run of bytes of one class. Most of a configuration file's bytes are in
// such runs (names, literal text, the plain part of a line); matching them with
// p::plus<p::not_one<...>> costs a rule match per byte, this is one loop, which looks each
// byte up in a table of the class.

#include <array>
#include <cstddef>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace mailtls::grammar {

/// `Accept` for each of the 256 byte values, worked out at compile time: one load per byte
/// where the predicate itself is a chain of comparisons.
template <bool (*Accept)(char) noexcept>
inline constexpr std::array<bool, 256> k_byte_class = [] {
    std::array<bool, 256> table{};
    for (std::size_t c = 0; c < table.size(); ++c) {
        table[c] = Accept(static_cast<char>(static_cast<unsigned char>(c)));
    }
    return table;
}();

/// The end of the run of bytes in [at, end) for which `Accept` holds, starting at `at`.
/// Four bytes a round while four remain (runs are names and words, mostly longer than
/// that), with one end check a round instead of one a byte.
template <bool (*Accept)(char) noexcept>
[[nodiscard]] constexpr const char* skip_run(const char* at, const char* end) noexcept {
    const auto& accepts = k_byte_class<Accept>;
    const auto in = [&](const char* p) { return accepts[static_cast<unsigned char>(*p)]; };
    while (end - at >= 4 && in(at) && in(at + 1) && in(at + 2) && in(at + 3)) {
        at += 4;
    }
    while (at != end && in(at)) {
        ++at;
    }
    return at;
}

/// One or more bytes for which `Accept` holds. The input is advanced without counting lines:
/// `Accept` must refuse '\n' unless the input tracks positions lazily (then nothing is
/// counted until a position is asked for).
template <bool (*Accept)(char) noexcept>
struct run_of {
    using rule_t = run_of;
    using subs_t = tao::pegtl::empty_list;

    template <typename Input>
    [[nodiscard]] static bool match(Input& in) noexcept {
        const char* const begin = in.current();
        const char* const at = skip_run<Accept>(begin, in.end());
        in.bump_in_this_line(static_cast<std::size_t>(at - begin));
        return at != begin;
    }
};

}  // namespace mailtls::grammar

namespace tao::pegtl {

/// For analyze(): a run consumes what it matches.
template <typename Name, bool (*Accept)(char) noexcept>
struct analyze_traits<Name, mailtls::grammar::run_of<Accept>> : analyze_any_traits<> {};

}  // namespace tao::pegtl
