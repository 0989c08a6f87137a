#pragma once

// Random texts for the tests that hold a fast path to its grammar on many inputs.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace mailtls::test {

/// Fewer than `max_pieces` pieces, each drawn from `pieces`, joined.
inline std::string random_text(std::mt19937& random, const std::vector<std::string>& pieces,
                               std::uint32_t max_pieces) {
    std::string text;
    const auto n = random() % max_pieces;
    for (std::uint32_t j = 0; j < n; ++j) {
        text += pieces[random() % pieces.size()];
    }
    return text;
}

}  // namespace mailtls::test
