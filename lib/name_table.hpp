#pragma once

// A table that finds a record by its name, where the records live in an array of the
// caller's (main.cf's parameters): it keeps only each record's position and the hash of its
// name, 8 bytes a slot, and reads the names from the records. A main.cf of 100,000
// parameters takes 2 MB here, against 4.5 MB for a node-based map of views to pointers (a
// node, a bucket and an arena's rounding per name), and a lookup touches one slot array
// instead of a bucket array and a node. Open addressing with linear probing, at most half
// full; nothing is erased.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace mailtls::detail {

class name_table {
public:
    /// No record: what find() returns for a name the table does not hold.
    static constexpr std::uint32_t none = UINT32_MAX;

    name_table() = default;
    /// A table that holds `names` names without growing.
    explicit name_table(std::size_t names) { slots_.resize(slots_for(names)); }

    /// The position stored under `name`, or `none`. `name_of(position)` is the name of the
    /// record at a position.
    template <typename NameOf>
    [[nodiscard]] std::uint32_t find(std::string_view name, const NameOf& name_of) const {
        if (slots_.empty()) {
            return none;
        }
        return slots_[locate(name, hash(name), name_of)].position;
    }

    /// Stores `position` under `name`; a name stored before now finds the new position (the
    /// last of a name wins, as in Postfix).
    template <typename NameOf>
    void assign(std::string_view name, std::uint32_t position, const NameOf& name_of) {
        if (2 * (size_ + 1) > slots_.size()) {
            grow();
        }
        const auto h = hash(name);
        auto& s = slots_[locate(name, h, name_of)];
        if (s.position == none) {
            ++size_;
        }
        s = {h, position};
    }

    /// How many distinct names it holds.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
    struct slot {
        std::uint32_t hash = 0;
        std::uint32_t position = none;
    };

    static std::uint32_t hash(std::string_view name) noexcept {
        return static_cast<std::uint32_t>(std::hash<std::string_view>{}(name));
    }

    static std::size_t slots_for(std::size_t names) noexcept {
        return std::bit_ceil(std::max<std::size_t>(8, 2 * names));
    }

    /// The slot that holds `name`, or the empty slot where it would go.
    template <typename NameOf>
    [[nodiscard]] std::size_t locate(std::string_view name, std::uint32_t h,
                                     const NameOf& name_of) const {
        const auto mask = slots_.size() - 1;
        for (auto i = h & mask;; i = (i + 1) & mask) {
            const auto& s = slots_[i];
            if (s.position == none || (s.hash == h && name_of(s.position) == name)) {
                return i;
            }
        }
    }

    void grow() {
        std::vector<slot> old(slots_for(size_ + 1));
        old.swap(slots_);
        const auto mask = slots_.size() - 1;
        for (const auto& s : old) {
            if (s.position != none) {
                auto i = s.hash & mask;
                while (slots_[i].position != none) {
                    i = (i + 1) & mask;
                }
                slots_[i] = s;
            }
        }
    }

    std::vector<slot> slots_;
    std::size_t size_ = 0;
};

}  // namespace mailtls::detail
