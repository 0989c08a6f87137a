#pragma once

// Did-you-mean suggestions for a fixed vocabulary (the Postfix parameter names).
//
// The cost of a query does not grow with the vocabulary: names are bucketed by length, only
// buckets within the distance cutoff are looked at, a 40-bin character histogram rules out most
// of those names in a few dozen operations (each edit changes the histogram by at most 2), and
// the survivors get a banded Damerau-Levenshtein (optimal string alignment) computation that
// stops as soon as every cell of a row exceeds the cutoff.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace mailtls::detail {

/// The optimal-string-alignment distance between `a` and `b` when it is at most `cutoff`,
/// otherwise `cutoff + 1` (computed in a band of 2 * cutoff + 1 cells per row, with early exit).
[[nodiscard]] std::size_t bounded_edit_distance(std::string_view a, std::string_view b,
                                                std::size_t cutoff);

class name_suggester {
public:
    static constexpr std::size_t k_max_distance = 2;
    static constexpr std::size_t k_max_length = 128;  ///< longer queries get no suggestion

    /// The names must outlive the suggester.
    explicit name_suggester(std::vector<std::string_view> names);

    struct match {
        std::string_view name;
        std::size_t distance = 0;
    };

    /// Work done by one query, for tests that check the cost stays bounded.
    struct cost {
        std::size_t histogram_checks = 0;
        std::size_t distance_computations = 0;
    };

    /// Names within `max_distance` (at most k_max_distance) of `query`, nearest first, then by
    /// name; at most `limit` of them. `query` itself is never suggested.
    [[nodiscard]] std::vector<match> suggest(std::string_view query,
                                             std::size_t max_distance = k_max_distance,
                                             std::size_t limit = 3,
                                             cost* spent = nullptr) const;

    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

private:
    static constexpr std::size_t k_bins = 40;
    using histogram = std::array<std::uint8_t, k_bins>;

    struct entry {
        std::string_view name;
        histogram counts;
    };

    [[nodiscard]] static histogram histogram_of(std::string_view s) noexcept;

    std::vector<entry> entries_;  ///< sorted by length, then name
    std::array<std::uint32_t, k_max_length + 2> bucket_begin_{};  ///< first entry of each length
};

}  // namespace mailtls::detail
