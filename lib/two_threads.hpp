#pragma once

// Work on two threads, for large inputs only. A lint of a file of several MB has pieces of
// work that depend on nothing but what is already built (the sites of 100,000 parameters,
// the rules of one instance); on a machine with a second core the second thread shares
// them. The result never depends on which thread did what: each thread writes only its own
// places, and the caller joins the results in order.

#include <atomic>
#include <cstddef>
#include <future>
#include <system_error>

namespace mailtls::detail {

/// Inputs of more bytes than this are worth a second thread; below it, starting one costs
/// more than it saves.
inline constexpr std::size_t k_parallel_bytes = std::size_t{1} << 20;

/// The rules of an instance run on two threads from twice that: their second thread takes
/// an allocator arena and a stack of its own, about 0.3 MB more at the peak of the lint of
/// the 1.4 MB generated dovecot.conf (15.3-15.8 MB against 15.1-15.4), for 2 ms (of 30).
inline constexpr std::size_t k_parallel_rules_bytes = 2 * k_parallel_bytes;

/// Calls `item(i, thread)` for each i in [0, count), and returns when all are done: the
/// calling thread (`thread` 0) and a second one (1) take the next i in turn from a shared
/// counter, so that neither waits while the other has items left. When no thread can be had
/// (std::system_error), the calling thread takes them all. Which thread takes an item must
/// change nothing in the result: each item writes only its own places, and the caller joins
/// the results in order. An exception from an item is thrown here, after both are done.
template <typename Item>
void run_on_two_threads(std::size_t count, const Item& item) {
    std::atomic<std::size_t> next{0};
    const auto work = [&](std::size_t thread) {
        for (auto i = next++; i < count; i = next++) {
            item(i, thread);
        }
    };
    std::future<void> helper;
    try {
        helper = std::async(std::launch::async, [&work] { work(std::size_t{1}); });
    } catch (const std::system_error&) {
        // no second thread: this one does it all
    }
    try {
        work(std::size_t{0});
    } catch (...) {
        if (helper.valid()) {
            helper.wait();
        }
        throw;
    }
    if (helper.valid()) {
        helper.get();
    }
}

}  // namespace mailtls::detail
