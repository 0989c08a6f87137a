#pragma once

#include <memory>
#include <vector>

#include "mailtls/rule.hpp"

namespace mailtls::detail {

/// One instance of every rule in rules/; defined in the file CMake generates from that folder.
std::vector<std::unique_ptr<rule>> make_all_rules();

}  // namespace mailtls::detail
