#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "mailtls/source.hpp"
#include "mailtls/version.hpp"

using mailtls::position;
using mailtls::source_file;

TEST_CASE("positions are 1-based lines and byte columns") {
    const source_file f("main.cf", "ab\ncd\r\n\nx");
    CHECK(f.position_of(0) == position{1, 1});
    CHECK(f.position_of(2) == position{1, 3});
    CHECK(f.position_of(3) == position{2, 1});
    CHECK(f.position_of(7) == position{3, 1});
    CHECK(f.position_of(8) == position{4, 1});
    CHECK(f.position_of(9) == position{4, 2});
    CHECK(f.position_of(999) == position{4, 2});  // clamped to the end
    CHECK(f.line_count() == 4);
    CHECK(f.slice(f.line_range(2)) == "cd");  // without the CRLF
    CHECK(f.slice(f.line_range(3)).empty());
    CHECK(f.slice(f.line_range(4)) == "x");
    CHECK(f.line_range(5).empty());
}

TEST_CASE("the line index finds every line at any offset of a 16-byte block") {
    // The index compares 16 bytes at a time (lib/source.cpp): lines that end on either side
    // of a block's edge, runs of newlines, bytes with the high bit set, and the tail after
    // the last whole block, against the lines found one byte at a time.
    std::mt19937 random(7);
    const std::string bytes = "a\n\n\r\xff\x80 ";
    for (int i = 0; i < 5000; ++i) {
        std::string text;
        const auto size = random() % 70;
        for (std::uint32_t j = 0; j < size; ++j) {
            text += bytes[random() % bytes.size()];
        }
        INFO(text.size());
        const source_file f("main.cf", text);
        std::vector<std::uint32_t> starts = {0};
        std::uint32_t longest = 0;
        for (std::uint32_t at = 0; at < text.size(); ++at) {
            if (text[at] == '\n') {
                longest = std::max(longest, at - starts.back());
                starts.push_back(at + 1);
            }
        }
        longest = std::max(longest, static_cast<std::uint32_t>(text.size()) - starts.back());
        REQUIRE(f.line_count() == starts.size());
        for (std::uint32_t line = 1; line <= starts.size(); ++line) {
            REQUIRE(f.line_range(line).begin == starts[line - 1]);
        }
        REQUIRE(f.longest_line() == longest);
    }
}

TEST_CASE("versions parse X.Y and X.Y.Z only") {
    using mailtls::version;
    CHECK(version::parse("3.7") == version{3, 7, -1});
    CHECK(version::parse("2.3.19") == version{2, 3, 19});
    CHECK(version::parse("3.10")->to_string() == "3.10");
    for (const char* bad : {"", "3", "3.", ".7", "3.7.", "3.7.1.2", "a.b", "3.07", "-1.2", "3.7x"}) {
        INFO(bad);
        CHECK_FALSE(version::parse(bad));
    }
    CHECK(*version::parse("3.10") > *version::parse("3.9"));
}

TEST_CASE("Dovecot versions also parse X.Y.Z.W, printed as given") {
    using mailtls::version;
    // Debian 12's `dovecot --version` prints 2.3.19.1; 2.3.16.1 and 2.3.21.1 are releases too
    CHECK(version::parse_dovecot("2.3.19.1") == version{2, 3, 19, 1});
    CHECK(version::parse_dovecot("2.3.19.1")->to_string() == "2.3.19.1");
    CHECK(version::parse_dovecot("2.4") == version{2, 4, -1, -1});
    CHECK(version::parse_dovecot("2.3.19") == version{2, 3, 19, -1});
    CHECK(*version::parse_dovecot("2.3.19.1") > *version::parse("2.3.19"));
    CHECK(*version::parse_dovecot("2.3.19.1") < *version::parse("2.3.20"));
    for (const char* bad : {"", "2", "2.3.19.", "2.3.19.1.1", "2.3.19.01", "2.3.19.x", "2..19.1"}) {
        INFO(bad);
        CHECK_FALSE(version::parse_dovecot(bad));
    }
}
