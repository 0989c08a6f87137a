#pragma once

// The heap of the mailtls-lint process when it reads large files.
//
// A lint fills about four times its input with fresh memory (the AST, the model, the rules'
// index), and the kernel maps fresh memory a 4 KiB page at a time, zeroing each on its first
// write: on the 7.6 MB generated main.cf that was some 4,000 page faults. The library asks
// for huge pages for its few largest arrays (lib/huge_pages.hpp); the command, which owns
// its process, asks for them for its whole heap when the input is large, which made that
// lint 10-14% faster on this project's machine (docs/performance.md). Only the command
// does this: a library must not change the allocator of the process that loads it (Python).

#include <cstdint>
#include <string>
#include <vector>

namespace mailtls::cli {

/// Below this much input the heap is left alone: huge pages round memory up 2 MiB at a
/// time, which a small lint would pay for in memory and in the zeroing of its first page.
inline constexpr std::uintmax_t k_large_input = std::uintmax_t{4} << 20;

/// The bytes a lint of `args` (a command line) will read, as far as can be told before
/// parsing it: the regular files it names, and main.cf, master.cf and dovecot.conf in the
/// directories it names. Arguments that name nothing count nothing.
[[nodiscard]] std::uintmax_t input_bytes(const std::vector<std::string>& args);

/// For an input of at least k_large_input bytes, with glibc on Linux: grows the heap once
/// by several times the input and asks that it be backed by huge pages (madvise
/// MADV_HUGEPAGE), keeps large blocks in the heap rather than in mappings of their own, and
/// keeps freed memory instead of returning it. Returns whether the heap was advised;
/// nothing changes for a smaller input or on other systems, and the lint runs as before
/// when a step fails.
bool prepare_heap(std::uintmax_t input_bytes) noexcept;

}  // namespace mailtls::cli
