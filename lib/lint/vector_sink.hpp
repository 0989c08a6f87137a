#pragma once

#include <utility>
#include <vector>

#include "mailtls/rule.hpp"

namespace mailtls::detail {

/// Keeps every finding reported to it, in order, for the caller to judge afterwards.
class vector_sink final : public diagnostic_sink {
public:
    explicit vector_sink(std::vector<diagnostic>& out) : out_(out) {}
    void report(diagnostic d) override { out_.push_back(std::move(d)); }

private:
    std::vector<diagnostic>& out_;
};

}  // namespace mailtls::detail
