#include <catch2/catch.hpp>

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
