#pragma once

// Hash maps and sets whose nodes come from one arena, and the hash of a pair of names. A large main.cf has 100,000 parameter
// names, and the model, PF005's referenced names and PF009's expansion bounds each keep a
// table of them: with the standard allocator that is a malloc and a free per entry. Here
// the entries are carved from a few large blocks and released together. Nothing is freed
// before the table is (erasing leaves the node's memory in the arena), so these suit tables
// that are built once and then read.

#include <cstddef>
#include <functional>
#include <memory>
#include <memory_resource>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace mailtls::detail {

/// The arena, on the heap so that moving a table keeps its allocator valid. Constructed
/// before the table that uses it (a base class before the other).
struct arena_owner {
    std::unique_ptr<std::pmr::monotonic_buffer_resource> arena =
        std::make_unique<std::pmr::monotonic_buffer_resource>();
};

template <typename Key, typename Value, typename Hash = std::hash<Key>>
class arena_hash_map : private arena_owner, public std::pmr::unordered_map<Key, Value, Hash> {
public:
    arena_hash_map() : std::pmr::unordered_map<Key, Value, Hash>(arena.get()) {}
    arena_hash_map(arena_hash_map&&) noexcept = default;
    /// Not assignable: the table would keep allocating from the arena it replaces.
    arena_hash_map& operator=(arena_hash_map&&) = delete;
    ~arena_hash_map() = default;
};

template <typename Key, typename Hash = std::hash<Key>>
class arena_hash_set : private arena_owner, public std::pmr::unordered_set<Key, Hash> {
public:
    arena_hash_set() : std::pmr::unordered_set<Key, Hash>(arena.get()) {}
    arena_hash_set(arena_hash_set&&) noexcept = default;
    /// Not assignable: the table would keep allocating from the arena it replaces.
    arena_hash_set& operator=(arena_hash_set&&) = delete;
    ~arena_hash_set() = default;
};

/// Two names that make one key (a scope and a setting, a service name and type).
using view_pair = std::pair<std::string_view, std::string_view>;

/// Hashes a view_pair without joining the names. Not noexcept on purpose: libstdc++ then
/// keeps each entry's hash instead of hashing both names again while it walks a bucket.
struct view_pair_hash {
    std::size_t operator()(const view_pair& key) const {
        const std::hash<std::string_view> hash;
        return hash(key.first) * 31 + hash(key.second);
    }
};

}  // namespace mailtls::detail
