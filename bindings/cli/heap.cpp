#include "heap.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "huge_pages.hpp"
#include "mailtls/linter.hpp"

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <unistd.h>
#endif

namespace mailtls::cli {

namespace fs = std::filesystem;

std::uintmax_t input_bytes(const std::vector<std::string>& args) {
    std::uintmax_t total = 0;
    const auto add = [&](const fs::path& path) {
        std::error_code ec;
        if (fs::is_regular_file(path, ec)) {
            const auto size = fs::file_size(path, ec);
            total += ec ? 0 : size;
        }
    };
    for (const auto& arg : args) {
        std::error_code ec;
        if (arg.empty() || arg.starts_with('-')) {
            continue;
        }
        if (fs::is_directory(arg, ec)) {
            for (const auto& file : k_instance_files) {
                add(fs::path(arg) / file.name);
            }
        } else {
            add(arg);
        }
    }
    return total;
}

bool prepare_heap([[maybe_unused]] std::uintmax_t input_bytes) noexcept {
#if defined(__linux__) && defined(__GLIBC__) && defined(MADV_HUGEPAGE)
    if (input_bytes < k_large_input) {
        return false;
    }
    // At most 512 MiB, so that twice it (the trim threshold) is still an int.
    constexpr std::uintmax_t k_most = std::uintmax_t{1} << 29;
    // What a lint fills, with room: a Postfix lint peaks near 5.5 times its input, a
    // Dovecot lint (a section per few lines) near 9 times. Only what is written takes
    // memory; past the reserve the heap grows in 4 KiB pages, a fault each.
    const auto reserve = static_cast<int>(std::min(input_bytes, k_most / 10) * 10);
    // Blocks of up to 32 MiB (the most glibc allows) come from the heap, and the heap is
    // not trimmed: what is freed is reused, not mapped afresh.
    if (mallopt(M_MMAP_THRESHOLD, 32 << 20) == 0 || mallopt(M_TRIM_THRESHOLD, 2 * reserve) == 0 ||
        mallopt(M_TOP_PAD, reserve) == 0) {
        return false;
    }
    // A block larger than what the heap has free makes it grow, by the block and the pad.
    constexpr std::size_t k_block = std::size_t{1} << 20;
    void* block = std::malloc(k_block);
    const auto top = reinterpret_cast<std::uintptr_t>(sbrk(0));
    const auto at = reinterpret_cast<std::uintptr_t>(block);
    // From the heap, below its end: the heap from the block on, as the library advises its
    // own large arrays.
    const bool advised = block != nullptr && at < top && top - at > k_block &&
                         detail::advise_huge_pages(block, top - at);
    std::free(block);
    // Later growth, if the lint needs more, in the usual steps.
    mallopt(M_TOP_PAD, 128 << 10);
    return advised;
#else
    return false;
#endif
}

}  // namespace mailtls::cli
