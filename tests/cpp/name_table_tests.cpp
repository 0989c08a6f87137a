#include <catch2/catch.hpp>

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "name_table.hpp"

using mailtls::detail::name_table;

TEST_CASE("a name table finds the last record of each name") {
    // Thousands of names, a quarter of them set twice: probes cross filled slots, and a
    // name set again keeps its slot.
    std::vector<std::string> names;
    for (int i = 0; i < 5000; ++i) {
        names.push_back("p" + std::to_string(i % 4000));
    }
    name_table table(static_cast<std::uint32_t>(names.size()));
    const auto name_of = [&](std::uint32_t i) { return std::string_view(names[i]); };
    for (std::uint32_t i = 0; i < names.size(); ++i) {
        table.assign(names[i], i, name_of);
    }
    CHECK(table.size() == 4000);
    for (std::uint32_t i = 0; i < 4000; ++i) {
        const auto expected = i < 1000 ? i + 4000 : i;  // p0..p999 are set again
        CHECK(table.find(names[i], name_of) == expected);
    }
    CHECK(table.find("p4000", name_of) == name_table::none);
    CHECK(table.find("", name_of) == name_table::none);
    CHECK(name_table().find("p1", name_of) == name_table::none);
    CHECK(name_table(0).find("p1", name_of) == name_table::none);
}

TEST_CASE("a name table finds many names at once as it finds each") {
    std::vector<std::string> names;
    for (int i = 0; i < 3000; ++i) {
        names.push_back("q" + std::to_string(i % 2500));
    }
    name_table table(static_cast<std::uint32_t>(names.size()));
    const auto name_of = [&](std::uint32_t i) { return std::string_view(names[i]); };
    for (std::uint32_t i = 0; i < names.size(); ++i) {
        table.assign(names[i], i, name_of);
    }
    // known and unknown names, in runs that end inside and at the edge of a batch
    std::vector<std::string_view> wanted;
    for (int i = 0; i < 3100; i += 3) {
        wanted.push_back(i < 3000 ? std::string_view(names[i]) : std::string_view("nope"));
    }
    for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{16},
                                std::size_t{17}, wanted.size()}) {
        std::vector<std::uint32_t> found(n, 7);
        table.find_all(std::span(wanted.data(), n), found, name_of);
        for (std::size_t k = 0; k < n; ++k) {
            CHECK(found[k] == table.find(wanted[k], name_of));
        }
    }
    std::vector<std::uint32_t> none(3, 7);
    name_table().find_all(std::span(wanted.data(), 3), none, name_of);
    CHECK(none == std::vector<std::uint32_t>(3, name_table::none));
}

TEST_CASE("a name table filled at once holds what one filled name by name holds") {
    // Names set again inside one batch of 16 and across batches, a count that ends inside a
    // batch, and the empty count.
    std::vector<std::string> names;
    for (int i = 0; i < 1037; ++i) {
        names.push_back("r" + std::to_string(i % 10 == 0 ? i / 10 : i % 700));
    }
    const auto name_of = [&](std::uint32_t i) { return std::string_view(names[i]); };
    for (const std::uint32_t count : {0u, 5u, 16u, 17u, 1037u}) {
        name_table one_by_one(count), at_once(count);
        for (std::uint32_t i = 0; i < count; ++i) {
            one_by_one.assign(names[i], i, name_of);
        }
        at_once.assign_all(count, name_of);
        CHECK(at_once.size() == one_by_one.size());
        for (std::uint32_t i = 0; i < count; ++i) {
            CHECK(at_once.find(names[i], name_of) == one_by_one.find(names[i], name_of));
        }
        CHECK(at_once.find("r1037", name_of) == name_table::none);
    }
}

TEST_CASE("a table of name pairs tells (a, b) from (b, a) and from names that join alike") {
    using mailtls::detail::view_pair_table;
    using pair = std::pair<std::string_view, std::string_view>;
    // Dovecot's listeners by service and name: the same names in both places, and pairs
    // whose halves join to the same text.
    std::vector<std::pair<std::string, std::string>> records;
    for (int i = 0; i < 2000; ++i) {
        const auto a = "s" + std::to_string(i % 40);
        const auto b = "s" + std::to_string(i / 40);
        records.emplace_back(a, b);
    }
    records.emplace_back("imap-", "login");
    records.emplace_back("imap", "-login");
    const auto key_of = [&](std::uint32_t i) { return pair(records[i].first, records[i].second); };
    view_pair_table table(static_cast<std::uint32_t>(records.size()));
    for (std::uint32_t i = 0; i < records.size(); ++i) {
        table.assign(key_of(i), i, key_of);
    }
    CHECK(table.size() == records.size());
    for (std::uint32_t i = 0; i < records.size(); ++i) {
        CHECK(table.find(key_of(i), key_of) == i);
    }
    CHECK(table.find(pair("s39", "s50"), key_of) == view_pair_table::none);
    CHECK(table.find(pair("imap-login", ""), key_of) == view_pair_table::none);
    CHECK(view_pair_table().find(pair("s1", "s1"), key_of) == view_pair_table::none);
}

TEST_CASE("a name table gives each position the first position of its name") {
    // Names repeated inside one batch of 16 and across batches, and a count that ends
    // inside a batch; the table then finds the first of each name.
    std::vector<std::string> names;
    for (int i = 0; i < 1037; ++i) {
        names.push_back("f" + std::to_string(i % 7 == 0 ? i % 5 : i % 300));
    }
    const auto name_of = [&](std::uint32_t i) { return std::string_view(names[i]); };
    for (const std::uint32_t count : {0u, 5u, 16u, 17u, 1037u}) {
        name_table table(count), without_firsts(count);
        std::vector<std::uint32_t> firsts(count, 9999);
        table.first_of_all(count, name_of, firsts);
        without_firsts.first_of_all(count, name_of);
        std::vector<std::uint32_t> expected;
        for (std::uint32_t i = 0; i < count; ++i) {
            std::uint32_t first = i;
            for (std::uint32_t j = 0; j < i; ++j) {
                if (names[j] == names[i]) {
                    first = j;
                    break;
                }
            }
            expected.push_back(first);
            CHECK(table.find(names[i], name_of) == first);
            CHECK(without_firsts.find(names[i], name_of) == first);
        }
        CHECK(firsts == expected);
    }
}
