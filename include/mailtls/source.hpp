#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailtls {

/// A half-open range of bytes [begin, end) in one source file.
struct byte_range {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;

    [[nodiscard]] constexpr std::uint32_t size() const noexcept { return end - begin; }
    [[nodiscard]] constexpr bool empty() const noexcept { return begin == end; }
    friend constexpr bool operator==(byte_range, byte_range) noexcept = default;
};

/// A 1-based line and column; columns count bytes. 0 means unknown.
struct position {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    friend constexpr bool operator==(position, position) noexcept = default;
};

/// A configuration file: owns its path and its bytes. Everything parsed from it borrows
/// `text()` through `std::string_view` and byte ranges, so a source must outlive its AST.
class source_file {
public:
    source_file(std::string path, std::string text);

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] std::string_view text() const noexcept { return text_; }
    [[nodiscard]] std::string_view slice(byte_range r) const noexcept;

    /// Line and column of a byte offset (an offset at the end of the text is allowed).
    [[nodiscard]] position position_of(std::uint32_t offset) const noexcept;
    /// The byte range of the physical line that holds `offset`, without its line ending.
    [[nodiscard]] byte_range line_range(std::uint32_t line) const noexcept;
    [[nodiscard]] std::uint32_t line_count() const noexcept {
        return static_cast<std::uint32_t>(line_starts_.size());
    }

private:
    std::string path_;
    std::string text_;
    std::vector<std::uint32_t> line_starts_;
};

}  // namespace mailtls
