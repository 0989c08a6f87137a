#include "mailtls/ast/postfix_main.hpp"

namespace mailtls::ast {

std::uint32_t main_cf_parameter::source_offset(std::size_t value_offset) const noexcept {
    for (const auto& piece : value_pieces) {
        if (value_offset < piece.size()) {
            return piece.begin + static_cast<std::uint32_t>(value_offset);
        }
        value_offset -= piece.size();
    }
    return value_range.end;
}

}  // namespace mailtls::ast
