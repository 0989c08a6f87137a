// bindings/cli/heap.cpp: what the command counts as its input, and the heap it prepares for
// a large one. Each test case runs in a process of its own (catch_discover_tests), so that
// one case's heap does not show in another's.

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "heap.hpp"
#include "scratch_dir.hpp"

using mailtls::cli::input_bytes;
using mailtls::cli::prepare_heap;
using mailtls::test::scratch_dir;

namespace {

/// Whether some part of the process's [heap] asks for huge pages ("hg" in its VmFlags).
bool heap_advised() {
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool in_heap = false;
    while (std::getline(smaps, line)) {
        const auto first = line.substr(0, line.find(' '));
        if (first.find('-') != std::string::npos &&
            first.find_first_not_of("0123456789abcdef-") == std::string::npos) {
            in_heap = line.ends_with("[heap]");  // a mapping's first line: its address range
        } else if (in_heap && line.starts_with("VmFlags:") &&
                   (line + " ").find(" hg ") != std::string::npos) {
            return true;
        }
    }
    return false;
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool k_sanitized = true;
#elif defined(__has_feature)
constexpr bool k_sanitized = __has_feature(address_sanitizer) ||
                             __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer);
#else
constexpr bool k_sanitized = false;
#endif

bool huge_pages_available() {
    std::ifstream enabled("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string modes;
    std::getline(enabled, modes);
    return !modes.empty() && modes.find("[never]") == std::string::npos;
}

}  // namespace

TEST_CASE("input_bytes counts the files a command line names", "[cli][heap]") {
    scratch_dir dir("heap");
    dir.write("main.cf", std::string(100, '#'));
    dir.write("master.cf", std::string(50, '#'));
    dir.write("other.cf", std::string(7, '#'));  // in the directory, but not a name the linter reads there
    const auto file = dir.write("dovecot.conf.in", std::string(30, '#'));
    CHECK(input_bytes({dir.path.string()}) == 150);
    CHECK(input_bytes({file}) == 30);
    CHECK(input_bytes({"--format", "json", dir.path.string(), file, "-", "no-such-file"}) ==
          180);
    CHECK(input_bytes({}) == 0);
}

TEST_CASE("a small input leaves the heap alone", "[cli][heap]") {
    CHECK_FALSE(prepare_heap(mailtls::cli::k_large_input - 1));
    CHECK_FALSE(heap_advised());
}

TEST_CASE("a large input gets a heap of huge pages that still allocates", "[cli][heap]") {
#if defined(__linux__) && defined(__GLIBC__)
    // Under a sanitizer its allocator, not glibc's heap, serves malloc: nothing is prepared.
    const bool available = huge_pages_available() && !k_sanitized;
    CHECK(prepare_heap(std::uintmax_t{64} << 20) == available);
    CHECK(heap_advised() == available);
#else
    CHECK_FALSE(prepare_heap(std::uintmax_t{64} << 20));
#endif
    // The heap works as before: blocks small and large, written, freed and reused.
    for (std::size_t size : {std::size_t{24}, std::size_t{1} << 20, std::size_t{40} << 20}) {
        for (int round = 0; round < 3; ++round) {
            auto* p = static_cast<unsigned char*>(std::malloc(size));
            REQUIRE(p != nullptr);
            std::memset(p, round, size);
            CHECK(p[size - 1] == round);
            std::free(p);
        }
    }
}
