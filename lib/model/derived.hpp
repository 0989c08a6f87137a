#pragma once

// Data that the rules' shared helpers (lib/lint) derive from a model once per instance and
// every rule then reads: the parameter sites of a Postfix instance with their parsed values,
// the settings of a Dovecot instance with their data names. The model only keeps it, so that
// a file of 100,000 lines is walked and resolved once per lint, not once per rule.

#include <memory>
#include <mutex>

namespace mailtls::model {

/// The base of what lib/lint keeps in a model (one type per model class).
struct derived_data {
    virtual ~derived_data() = default;
};

/// A slot for one derived_data, built on first use. The rules of a large instance run on
/// two threads (lint/linter.cpp): the first to ask builds it, the other waits for it.
class derived_slot {
public:
    template <typename T, typename Build>
    [[nodiscard]] const T& get(Build&& build) const {
        std::call_once(*built_, [&] { data_ = std::make_unique<T>(build()); });
        return static_cast<const T&>(*data_);
    }

private:
    /// On the heap, so that a model stays movable.
    std::unique_ptr<std::once_flag> built_ = std::make_unique<std::once_flag>();
    mutable std::unique_ptr<derived_data> data_;
};

}  // namespace mailtls::model
