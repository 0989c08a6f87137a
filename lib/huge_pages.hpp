#pragma once

// Huge pages for the few large arrays a lint of a large file fills at once.
//
// A large main.cf makes arrays of several MB (the source, the parameters, the site index,
// the parts of a value that names every parameter), each written from start to end right
// after it is allocated. The kernel maps such fresh memory a 4 KiB page at a time, one page
// fault each: on the 7.6 MB generated main.cf that was a quarter of the lint's time. Where
// Linux's transparent huge pages are enabled for memory that asks for them ("madvise", the
// common default, or "always"), a 2 MiB page is mapped per fault instead.

#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace mailtls::detail {

/// Below this an array holds no whole aligned huge page often enough to be worth a call.
inline constexpr std::size_t k_huge_page_worth = std::size_t{4} << 20;

/// Asks that the whole 2 MiB pages inside [data, data + bytes) be backed by huge pages when
/// they are first written (madvise(MADV_HUGEPAGE)); nothing for a small range, on other
/// systems, or when the kernel says no. It does not change the bytes. Returns whether the
/// kernel took the advice.
inline bool advise_huge_pages(const void* data, std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::uintptr_t k_huge = std::uintptr_t{2} << 20;
    if (bytes < k_huge_page_worth) {
        return false;
    }
    const auto begin = (reinterpret_cast<std::uintptr_t>(data) + k_huge - 1) & ~(k_huge - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(k_huge - 1);
    return begin < end &&
           ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE) == 0;
#else
    (void)data;
    (void)bytes;
    return false;
#endif
}

/// advise_huge_pages() for the storage of a vector that was just reserved.
template <typename Vector>
void advise_huge_pages(const Vector& v) noexcept {
    advise_huge_pages(v.data(), v.capacity() * sizeof(typename Vector::value_type));
}

}  // namespace mailtls::detail
