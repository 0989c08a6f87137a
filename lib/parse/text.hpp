#pragma once

// Small text helpers shared by the parsers.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "mailtls/source.hpp"

namespace mailtls::detail {

/// Postfix's ISSPACE less the newline.
[[nodiscard]] constexpr bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/// A line that holds only whitespace, or whitespace and a `#` comment.
[[nodiscard]] constexpr bool is_skippable_line(std::string_view line) noexcept {
    for (const char c : line) {
        if (c == '#') {
            return true;
        }
        if (!is_space(c)) {
            return false;
        }
    }
    return true;
}

/// How many times `c` occurs in `text`: with memchr, which is many times faster than a loop
/// over the bytes when `c` is rare (the parsers reserve their vectors by such counts).
[[nodiscard]] inline std::size_t count_of(char c, std::string_view text) noexcept {
    std::size_t count = 0;
    const char* at = text.data();
    const char* const end = at + text.size();
    while ((at = static_cast<const char*>(std::memchr(at, c, static_cast<std::size_t>(end - at)))) !=
           nullptr) {
        ++count;
        ++at;
    }
    return count;
}

/// Splits `text` at each `separator` into `out`, which is cleared first (so that a caller
/// splitting many lines reuses one vector). An empty text is one empty piece.
inline void split_into(std::string_view text, char separator, std::vector<std::string_view>& out) {
    out.clear();
    std::size_t start = 0;
    while (true) {
        const auto at = text.find(separator, start);
        out.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
        if (at == std::string_view::npos) {
            return;
        }
        start = at + 1;
    }
}

[[nodiscard]] inline std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> out;
    split_into(text, separator, out);
    return out;
}

/// ASCII case-insensitive equality, as Postfix's strcasecmp() on names and keywords.
[[nodiscard]] constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
        const char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
        if (x != y) {
            return false;
        }
    }
    return true;
}

/// The pieces of many values gathered in one array (`ast::value_storage::pieces`), a run of
/// them per value in order. A run's span is handed out at the end, when the array no longer
/// grows and moves.
class piece_runs {
public:
    explicit piece_runs(std::vector<byte_range>& pieces) : pieces_(pieces) {}

    void reserve(std::size_t runs) { starts_.reserve(runs); }
    /// Starts the run of the next value; the pieces added after it are its.
    void start() { starts_.push_back(static_cast<std::uint32_t>(pieces_.size())); }
    void add(byte_range piece) { pieces_.push_back(piece); }

    /// Where each run starts in the array, in order, once every run is added: what finish()
    /// hands out (a split parse joins the starts of its parts first).
    [[nodiscard]] std::vector<std::uint32_t> take_starts() { return std::move(starts_); }

    /// Calls `give(i, span)` for each run of `pieces` that `starts` gives, in order; the
    /// last run ends where the array does.
    template <typename Give>
    static void finish(const std::vector<byte_range>& pieces,
                       const std::vector<std::uint32_t>& starts, Give give) {
        for (std::size_t i = 0; i < starts.size(); ++i) {
            const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : pieces.size();
            give(i, std::span<const byte_range>(pieces.data() + starts[i], end - starts[i]));
        }
    }

private:
    std::vector<byte_range>& pieces_;
    std::vector<std::uint32_t> starts_;
};

}  // namespace mailtls::detail
