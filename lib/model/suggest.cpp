#include "model/suggest.hpp"

#include <algorithm>
#include <limits>

namespace mailtls::detail {

std::size_t bounded_edit_distance(std::string_view a, std::string_view b, std::size_t cutoff) {
    const std::size_t too_far = cutoff + 1;
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    if ((n > m ? n - m : m - n) > cutoff) {
        return too_far;
    }
    // Three rows (the one before last is needed for transpositions); cells outside the band
    // |i - j| <= cutoff hold `too_far`.
    std::vector<std::size_t> before(m + 1, too_far);
    std::vector<std::size_t> previous(m + 1, too_far);
    std::vector<std::size_t> current(m + 1, too_far);
    for (std::size_t j = 0; j <= std::min(m, cutoff); ++j) {
        previous[j] = j;
    }
    for (std::size_t i = 1; i <= n; ++i) {
        const std::size_t lo = i > cutoff ? i - cutoff : 1;
        const std::size_t hi = std::min(m, i + cutoff);
        std::fill(current.begin(), current.end(), too_far);
        if (i <= cutoff) {
            current[0] = i;
        }
        std::size_t row_min = current[0];
        for (std::size_t j = lo; j <= hi; ++j) {
            const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            std::size_t best = std::min({substitution, previous[j] + 1, current[j - 1] + 1});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                best = std::min(best, before[j - 2] + 1);
            }
            current[j] = std::min(best, too_far);
            row_min = std::min(row_min, current[j]);
        }
        if (row_min > cutoff) {
            return too_far;
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return std::min(previous[m], too_far);
}

name_suggester::histogram name_suggester::histogram_of(std::string_view s) noexcept {
    histogram h{};
    for (const char c : s) {
        std::size_t bin = k_bins - 1;  // everything else
        if (c >= 'a' && c <= 'z') {
            bin = static_cast<std::size_t>(c - 'a');
        } else if (c >= 'A' && c <= 'Z') {
            bin = static_cast<std::size_t>(c - 'A');
        } else if (c >= '0' && c <= '9') {
            bin = 26 + static_cast<std::size_t>(c - '0');
        } else if (c == '_') {
            bin = 36;
        } else if (c == '-') {
            bin = 37;
        }
        if (h[bin] < std::numeric_limits<std::uint8_t>::max()) {
            ++h[bin];
        }
    }
    return h;
}

name_suggester::name_suggester(std::vector<std::string_view> names) {
    std::erase_if(names, [](std::string_view n) { return n.empty() || n.size() > k_max_length; });
    std::sort(names.begin(), names.end(), [](std::string_view x, std::string_view y) {
        return x.size() != y.size() ? x.size() < y.size() : x < y;
    });
    names.erase(std::unique(names.begin(), names.end()), names.end());
    entries_.reserve(names.size());
    for (const auto name : names) {
        entries_.push_back({name, histogram_of(name)});
    }
    // bucket_begin_[len] = index of the first entry whose length is >= len.
    std::size_t i = 0;
    for (std::size_t len = 0; len < bucket_begin_.size(); ++len) {
        while (i < entries_.size() && entries_[i].name.size() < len) {
            ++i;
        }
        bucket_begin_[len] = static_cast<std::uint32_t>(i);
    }
}

std::vector<name_suggester::match> name_suggester::suggest(std::string_view query,
                                                           std::size_t max_distance,
                                                           std::size_t limit,
                                                           cost* spent) const {
    std::vector<match> found;
    max_distance = std::min(max_distance, k_max_distance);
    if (query.empty() || query.size() > k_max_length || limit == 0) {
        return found;
    }
    const auto wanted = histogram_of(query);
    const std::size_t shortest = query.size() > max_distance ? query.size() - max_distance : 0;
    const std::size_t longest = std::min(query.size() + max_distance, k_max_length);
    const auto first = bucket_begin_[shortest];
    const auto last = bucket_begin_[longest + 1];
    for (auto k = first; k < last; ++k) {
        const auto& e = entries_[k];
        if (spent != nullptr) {
            ++spent->histogram_checks;
        }
        std::size_t difference = 0;
        for (std::size_t b = 0; b < k_bins && difference <= 2 * max_distance; ++b) {
            difference += e.counts[b] > wanted[b] ? e.counts[b] - wanted[b] : wanted[b] - e.counts[b];
        }
        if (difference > 2 * max_distance) {
            continue;
        }
        if (spent != nullptr) {
            ++spent->distance_computations;
        }
        const auto d = bounded_edit_distance(query, e.name, max_distance);
        if (d <= max_distance && e.name != query) {
            found.push_back({e.name, d});
        }
    }
    std::sort(found.begin(), found.end(), [](const match& x, const match& y) {
        return x.distance != y.distance ? x.distance < y.distance : x.name < y.name;
    });
    if (found.size() > limit) {
        found.resize(limit);
    }
    return found;
}

}  // namespace mailtls::detail
