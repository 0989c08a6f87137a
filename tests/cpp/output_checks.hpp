#pragma once

// The output contracts of docs/security.md, checked on any lint result: every finding, note
// and fix edit lies inside its file, text output holds no control character but newline and
// tab, and the JSON and SARIF documents parse back.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

#include "mailtls/linter.hpp"
#include "mailtls/report.hpp"

namespace mailtls::test {

inline void check_output(const lint_result& result) {
    for (const auto& d : result.diagnostics) {
        INFO(d.code << ": " << d.message);
        REQUIRE(d.where.file != nullptr);
        REQUIRE(d.where.range.begin <= d.where.range.end);
        REQUIRE(d.where.range.end <= d.where.file->text().size());
        for (const auto& n : d.notes) {
            if (n.where.file != nullptr) {
                REQUIRE(n.where.range.begin <= n.where.range.end);
                REQUIRE(n.where.range.end <= n.where.file->text().size());
            }
        }
        if (d.fix) {
            for (const auto& e : d.fix->edits) {
                REQUIRE(e.where.file != nullptr);
                REQUIRE(e.where.range.begin <= e.where.range.end);
                REQUIRE(e.where.range.end <= e.where.file->text().size());
            }
        }
    }
    std::ostringstream text, json, sarif;
    render_text(result, text, {.color = false});
    const auto printed = text.str();
    CHECK(std::none_of(printed.begin(), printed.end(), [](char c) {
        const auto b = static_cast<unsigned char>(c);
        return b < 0x20 ? c != '\n' && c != '\t' : b == 0x7F;
    }));
    render_json(result, json);
    render_sarif(result, sarif);
    REQUIRE_NOTHROW(nlohmann::json::parse(json.str()));
    REQUIRE_NOTHROW(nlohmann::json::parse(sarif.str()));
    CHECK(nlohmann::json::parse(json.str())["findings"].size() == result.diagnostics.size());
}

}  // namespace mailtls::test
