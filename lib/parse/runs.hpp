#pragma once

// A PEGTL rule for a run of bytes of one class. Most of a configuration file's bytes are in
// such runs (names, literal text, the plain part of a line); matching them with
// p::plus<p::not_one<...>> costs a rule match per byte, this is one loop.

#include <cstddef>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace mailtls::grammar {

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
        const char* at = begin;
        while (at != in.end() && Accept(*at)) {
            ++at;
        }
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
