#include "lint/postfix.hpp"

#include <algorithm>
#include <cctype>

#include "parse/text.hpp"

namespace mailtls::detail {

const ast::main_cf_parameter* find_parameter(const ast::main_cf& main_cf,
                                             std::string_view name) noexcept {
    const auto& params = main_cf.parameters;
    const auto it = std::find_if(params.rbegin(), params.rend(),
                                 [&](const auto& p) { return p.name == name; });
    return it == params.rend() ? nullptr : &*it;
}

bool is_yes(std::string_view value) noexcept {
    return iequals(value, "yes") || iequals(value, "true");
}

byte_range rest_of_line(const source_file& source, std::uint32_t offset) noexcept {
    const auto line = source.line_range(source.position_of(offset).line);
    auto end = line.end;
    const auto text = source.text();
    while (end > offset && is_space(text[end - 1])) {
        --end;
    }
    return {offset, end};
}

byte_range logical_line_with_newline(const source_file& source,
                                     const ast::main_cf_parameter& param) noexcept {
    const auto text = source.text();
    auto end = param.range.end;
    while (end < text.size() && text[end] != '\n') {
        ++end;
    }
    if (end < text.size()) {
        ++end;
    }
    return {param.range.begin, end};
}

}  // namespace mailtls::detail
