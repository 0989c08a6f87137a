#pragma once

// A table that finds a record by its name, where the records live in an array of the
// caller's (main.cf's parameters): it keeps only each record's position, with some bits of
// its name's hash beside it, 4 bytes a slot, and reads the names from the records. A main.cf
// of 100,000 parameters takes 1 MB here, against 4.5 MB for a node-based map of views to
// pointers (a node, a bucket and an arena's rounding per name), and a lookup touches one
// slot array instead of a bucket array and a node; the hash bits spare it reading the
// records of the other names it probes. Open addressing with linear probing, at most half
// full; nothing is erased.
//
// A name is a view of text (name_table), a pair of views (view_pair_table: Dovecot's
// listeners by service and name), or any type with == and a name_hash() of its own beside
// it (Dovecot's scopes, by their sections).

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace mailtls::detail {

/// splitmix64's finaliser: every bit of the result depends on every bit of `h`, so that the
/// table can take a slot from the low bits and a tag from the high bits of a hash that was
/// built some other way (of a key made of several names).
inline std::uint64_t mix_hash(std::uint64_t h) noexcept {
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9;
    h = (h ^ (h >> 27)) * 0x94d049bb133111eb;
    return h ^ (h >> 31);
}

/// A hash of the name eight bytes at a time, mixed at the end so that names that differ
/// only in their last bytes (`zz_param_0000041`, `..42`) spread over both the slot index
/// (low bits) and the tag (high bits). About half of std::hash's instructions on a
/// parameter name; a large main.cf looks a name up once per reference.
inline std::uint64_t name_hash(std::string_view name) noexcept {
    constexpr std::uint64_t k_multiplier = 0x9e3779b97f4a7c15;
    std::uint64_t h = name.size() * k_multiplier;
    std::size_t at = 0;
    for (; at + 8 <= name.size(); at += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, name.data() + at, 8);
        h = std::rotl((h ^ word) * k_multiplier, 29);
    }
    if (at < name.size()) {
        // The rest in one word without a call to memcpy() for a variable size (a
        // parameter name's last bytes, on every lookup): the last eight bytes, which
        // overlap the word before, or a short name byte by byte.
        std::uint64_t word = 0;
        if (name.size() >= 8) {
            std::memcpy(&word, name.data() + name.size() - 8, 8);
        } else {
            for (std::size_t k = 0; k < name.size(); ++k) {
                word |= std::uint64_t{static_cast<unsigned char>(name[k])} << (8 * k);
            }
        }
        h = std::rotl((h ^ word) * k_multiplier, 29);
    }
    return mix_hash(h);
}

/// Both views' hashes, the second's halves swapped so that (a, b) and (b, a) differ.
inline std::uint64_t name_hash(
    const std::pair<std::string_view, std::string_view>& names) noexcept {
    return name_hash(names.first) ^ std::rotl(name_hash(names.second), 32);
}

template <typename Name>
class basic_name_table {
public:
    /// No record: what find() returns for a name the table does not hold.
    static constexpr std::uint32_t none = UINT32_MAX;

    /// An empty table, that holds nothing.
    basic_name_table() = default;
    /// A table for the names of records 0 to `records` - 1.
    explicit basic_name_table(std::uint32_t records)
        : slots_(std::bit_ceil(std::max<std::size_t>(8, 2 * std::size_t{records}))),
          position_bits_(std::bit_width(records)),
          tag_mask_((std::uint64_t{1} << (32 - position_bits_)) - 1) {}

    /// The position stored under `name`, or `none`. `name_of(position)` is the name of the
    /// record at a position.
    template <typename NameOf>
    [[nodiscard]] std::uint32_t find(const Name& name, const NameOf& name_of) const {
        return find(name, name_hash(name), name_of);
    }

    /// find() of each of `names` into `positions` (as many): for many names in a row. A
    /// lookup in a large table mostly waits for its slot to come from memory; here the slots
    /// of several names are asked for before the first is read.
    template <typename NameOf>
    void find_all(std::span<const Name> names, std::span<std::uint32_t> positions,
                  const NameOf& name_of) const {
        in_batches(
            names.size(), [&](std::size_t i) { return names[i]; },
            [&](std::size_t i, std::uint64_t h) { positions[i] = find(names[i], h, name_of); });
    }

    /// Stores `position` (below the table's `records`) under `name`; a name stored before
    /// now finds the new position (the last of a name wins, as in Postfix).
    template <typename NameOf>
    void assign(const Name& name, std::uint32_t position, const NameOf& name_of) {
        assign(name, position, name_hash(name), name_of);
    }

    /// assign() of the positions 0 to `count` - 1, in order, each to its name (`name_of`):
    /// a whole table at once. As in find_all(), the slots of several names are asked for
    /// before the first is written: filling a large table otherwise waits on memory for
    /// nearly every name.
    template <typename NameOf>
    void assign_all(std::uint32_t count, const NameOf& name_of) {
        in_position_batches(count, name_of, [&](std::uint32_t at, const auto& name,
                                                std::uint64_t h) { assign(name, at, h, name_of); });
    }

    /// Stores each position 0 to `count` - 1 (at most the table's `records`) under its name
    /// (`name_of`) unless an earlier position has the name: the table then holds each name's
    /// first position. When `firsts` is given (as many), each position's entry is the first
    /// position of its name, itself when no earlier one has the name. In batches, as
    /// assign_all().
    template <typename NameOf>
    void first_of_all(std::uint32_t count, const NameOf& name_of,
                      std::span<std::uint32_t> firsts = {}) {
        in_position_batches(count, name_of, [&](std::uint32_t at, const auto& name,
                                                std::uint64_t h) {
            auto& s = slots_[locate(name, h, name_of)];
            if (s == 0) {
                ++size_;
                s = slot(h, at);
            }
            if (!firsts.empty()) {
                firsts[at] = position(s);
            }
        });
    }

    /// How many distinct names it holds.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
    /// Calls `each(i, hash of name_at(i))` for each i below `count`, in order, sixteen at a
    /// time: the slots of a batch's names are asked for before the first call.
    template <typename NameAt, typename Each>
    void in_batches(std::size_t count, const NameAt& name_at, const Each& each) const {
        constexpr std::size_t k_batch = 16;
        std::array<std::uint64_t, k_batch> hashes{};
        for (std::size_t at = 0; at < count; at += k_batch) {
            const auto n = std::min(k_batch, count - at);
            for (std::size_t k = 0; k < n; ++k) {
                hashes[k] = name_hash(name_at(at + k));
                prefetch(hashes[k]);
            }
            for (std::size_t k = 0; k < n; ++k) {
                each(at + k, hashes[k]);
            }
        }
    }

    /// in_batches() over the positions 0 to `count` - 1: `each(position, its name, the
    /// name's hash)`, the name from `name_of`.
    template <typename NameOf, typename Each>
    void in_position_batches(std::uint32_t count, const NameOf& name_of, const Each& each) {
        in_batches(
            count, [&](std::size_t i) { return name_of(static_cast<std::uint32_t>(i)); },
            [&](std::size_t i, std::uint64_t h) {
                const auto at = static_cast<std::uint32_t>(i);
                each(at, name_of(at), h);
            });
    }

    template <typename NameOf>
    void assign(const Name& name, std::uint32_t position, std::uint64_t h,
                const NameOf& name_of) {
        auto& s = slots_[locate(name, h, name_of)];
        if (s == 0) {
            ++size_;
        }
        s = slot(h, position);
    }

    /// What a slot holds for `position` under a name of hash `h`.
    [[nodiscard]] std::uint32_t slot(std::uint64_t h, std::uint32_t position) const noexcept {
        return static_cast<std::uint32_t>((tag(h) << position_bits_) |
                                          (std::uint64_t{position} + 1));
    }

    template <typename NameOf>
    [[nodiscard]] std::uint32_t find(const Name& name, std::uint64_t h,
                                     const NameOf& name_of) const {
        if (slots_.empty()) {
            return none;
        }
        const auto s = slots_[locate(name, h, name_of)];
        return s == 0 ? none : position(s);
    }

    /// Asks for the slot where a name of hash `h` is looked for first.
    void prefetch(std::uint64_t h) const noexcept {
        if (!slots_.empty()) {
            __builtin_prefetch(&slots_[static_cast<std::size_t>(h) & (slots_.size() - 1)]);
        }
    }

    /// The bits of the hash kept in a slot above the position: from the high half of the
    /// hash, which the slot's index (the low bits) does not use.
    [[nodiscard]] std::uint64_t tag(std::uint64_t h) const noexcept {
        return (h >> 32) & tag_mask_;
    }

    [[nodiscard]] std::uint32_t position(std::uint32_t slot) const noexcept {
        return static_cast<std::uint32_t>(slot & ((std::uint64_t{1} << position_bits_) - 1)) - 1;
    }

    /// The slot that holds `name`, or the empty slot where it would go.
    template <typename NameOf>
    [[nodiscard]] std::size_t locate(const Name& name, std::uint64_t h,
                                     const NameOf& name_of) const {
        const auto mask = slots_.size() - 1;
        const auto t = tag(h);
        for (auto i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
            const auto s = slots_[i];
            if (s == 0 ||
                ((std::uint64_t{s} >> position_bits_) == t && name_of(position(s)) == name)) {
                return i;
            }
        }
    }

    /// Each slot: 0 when empty, else the tag above the position plus one.
    std::vector<std::uint32_t> slots_;
    int position_bits_ = 0;  ///< at most 32: positions are 32-bit
    std::uint64_t tag_mask_ = 0;
    std::size_t size_ = 0;
};

/// Records found by a name.
using name_table = basic_name_table<std::string_view>;
/// Records found by two names (a service and a listener's name).
using view_pair_table = basic_name_table<std::pair<std::string_view, std::string_view>>;

}  // namespace mailtls::detail
