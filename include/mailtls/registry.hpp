#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "mailtls/rule.hpp"

namespace mailtls {

/// Every rule compiled into the library, sorted by code.
class registry {
public:
    [[nodiscard]] static const registry& global();

    [[nodiscard]] std::span<const std::unique_ptr<rule>> rules() const noexcept { return rules_; }
    [[nodiscard]] const rule* find(std::string_view code) const noexcept;

    explicit registry(std::vector<std::unique_ptr<rule>> rules);

private:
    std::vector<std::unique_ptr<rule>> rules_;
};

}  // namespace mailtls
