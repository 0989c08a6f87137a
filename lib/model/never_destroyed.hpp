#pragma once

// A function-local static that is built on first use and never destroyed, for the version
// knowledge: its thousands of small heap blocks would otherwise be freed one by one at exit
// (a twentieth of a CLI run), only for the system to take the whole heap back anyway. What it
// holds stays reachable from static storage, so leak checkers do not report it.

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace mailtls::detail {

template <typename T>
class never_destroyed {
public:
    template <typename... Args>
    explicit never_destroyed(Args&&... args) {
        std::construct_at(reinterpret_cast<T*>(storage_), std::forward<Args>(args)...);
    }
    never_destroyed(const never_destroyed&) = delete;
    never_destroyed& operator=(const never_destroyed&) = delete;
    ~never_destroyed() = default;  // on purpose: T's destructor never runs

    [[nodiscard]] const T& get() const noexcept {
        return *std::launder(reinterpret_cast<const T*>(storage_));
    }

private:
    alignas(T) std::byte storage_[sizeof(T)];
};

}  // namespace mailtls::detail
