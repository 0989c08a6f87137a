#pragma once

// Data that the rules' shared helpers (lib/lint) derive from a model once per instance and
// every rule then reads: the parameter sites of a Postfix instance with their parsed values,
// the settings of a Dovecot instance with their data names. The model only keeps it, so that
// a file of 100,000 lines is walked and resolved once per lint, not once per rule.

#include <memory>

namespace mailtls::model {

/// The base of what lib/lint keeps in a model (one type per model class).
struct derived_data {
    virtual ~derived_data() = default;
};

/// A slot for one derived_data, built on first use. Rules run one after another on one
/// instance, so the slot needs no lock.
class derived_slot {
public:
    template <typename T, typename Build>
    [[nodiscard]] const T& get(Build&& build) const {
        if (!data_) {
            data_ = std::make_unique<T>(build());
        }
        return static_cast<const T&>(*data_);
    }

private:
    mutable std::unique_ptr<derived_data> data_;
};

}  // namespace mailtls::model
