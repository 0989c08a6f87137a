// Parameter values and `$name` expansion: the input is a main.cf; each value is split into
// parts and expanded against the file's own parameters, so references, cycles and nested
// `${a?${b?...}}` expressions meet the expansion limits. What an expander's errors() finds
// without expanding (with and without the literal parts) must be what expanding finds.
// seeds: *main.cf*
// runs: 12000
#include <optional>
#include <string_view>
#include <unordered_map>

#include "checks.hpp"
#include "mailtls/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mailtls;
    const source_file source("main.cf", fuzz::text_of(data, size));
    const auto main_cf = parse_postfix_main(source);
    std::unordered_map<std::string_view, std::string_view> values;  // the last one wins
    for (const auto& parameter : main_cf.parameters) {
        values[parameter.name] = parameter.value;
    }
    const ast::parameter_lookup lookup = [&](std::string_view name) -> std::optional<std::string_view> {
        const auto it = values.find(name);
        return it == values.end() ? std::nullopt : std::optional<std::string_view>(it->second);
    };
    // Expanding every parameter with the default limits (100,000 references per value) would
    // make a doubling chain cost seconds per input: the first 32 parameters are expanded, with
    // smaller limits that reach the same limit code (the defaults are tested in
    // tests/cpp/hostile_input_tests.cpp).
    const ast::expansion_limits limits{.max_depth = 100, .max_output = 1u << 16, .max_steps = 500};
    constexpr std::size_t k_max_expanded = 32;
    std::size_t expanded_count = 0;
    postfix_value_expander expander(lookup, limits), without_literals(lookup, limits);
    for (const auto& parameter : main_cf.parameters) {
        if (++expanded_count > k_max_expanded) {
            break;
        }
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
        for (const bool literals : {true, false}) {
            const auto parsed = parse_postfix_value(parameter.value, {.literals = literals});
            auto& checked = literals ? expander : without_literals;
            const auto found = checked.errors(parameter.value, parsed);
            fuzz::require(found.size() == expanded.errors.size(),
                          "errors() finds as many errors as expanding");
            for (std::size_t i = 0; i < found.size(); ++i) {
                fuzz::require(found[i].message == expanded.errors[i].message &&
                                  found[i].range == expanded.errors[i].range,
                              "errors() finds what expanding finds, where it finds it");
            }
        }
    }
    return 0;
}
