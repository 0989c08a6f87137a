#pragma once

// Hash maps whose nodes come from one arena, and the hash of a pair of names. Tables with an
// entry per setting or per name (the Dovecot model's names and key shapes, the values PF009
// expands in full) would otherwise cost a malloc and a free per entry; here the entries are
// carved from a few large blocks and released together. Nothing is freed before the table is
// (erasing leaves the node's memory in the arena), so these suit tables that are built once
// and then read.

#include <cstddef>
#include <functional>
#include <memory>
#include <memory_resource>
#include <string_view>
#include <unordered_map>
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
