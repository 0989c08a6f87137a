// Parameter values and `$name` expansion: the input is a main.cf; each value is split into
// parts and expanded against the file's own parameters, so references, cycles and nested
// `${a?${b?...}}` expressions meet the expansion limits.
// seeds: main.cf*
#include <optional>
#include <string_view>

#include "checks.hpp"
#include "mailtls/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mailtls;
    const source_file source("main.cf", fuzz::text_of(data, size));
    const auto main_cf = parse_postfix_main(source);
    const ast::parameter_lookup lookup = [&](std::string_view name) -> std::optional<std::string_view> {
        for (auto it = main_cf.parameters.rbegin(); it != main_cf.parameters.rend(); ++it) {
            if (it->name == name) {
                return it->value;
            }
        }
        return std::nullopt;
    };
    // Every parameter is expanded, so the default limits (100,000 references per value)
    // would make a doubling chain cost seconds per input; smaller limits reach the same
    // limit code within the fuzzer's time (the defaults are tested in hostile_input_tests).
    const ast::expansion_limits limits{.max_depth = 100, .max_output = 1u << 16, .max_steps = 2000};
    for (const auto& parameter : main_cf.parameters) {
        fuzz::check_parse(parse_postfix_value(parameter.value), parameter.value.size());
        for (const auto& element : split_postfix_list(parameter.value)) {
            fuzz::require_range(element.range, parameter.value.size(), "list element range");
        }
        const auto expanded = expand_postfix_value(parameter.value, lookup, limits);
        // the limit is checked before each append of at most one value's length
        fuzz::require(expanded.text.size() <= limits.max_output + source.text().size(),
                      "expansion output within its limit");
        for (const auto& e : expanded.errors) {
            fuzz::require_range(e.range, parameter.value.size(), "expansion error range");
        }
    }
    return 0;
}
