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

/// Physical lines longer than this are not parsed: the file gets one syntax error at the
/// first such line instead (no daemon writes such lines; they are binary data or an attack).
inline constexpr std::uint32_t k_max_line_length = std::uint32_t{1} << 20;

/// A configuration file: owns its path and its bytes. Everything parsed from it borrows
/// `text()` through `std::string_view` and byte ranges, so a source must outlive its AST.
///
/// A UTF-8 byte order mark at the start is not part of the text: editors on Windows write one,
/// and it must not become part of the first setting's name. Offsets, lines and columns count
/// from the byte after it, as editors show them; `has_bom()` says it was there.
class source_file {
public:
    source_file(std::string path, std::string text);

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] std::string_view text() const noexcept { return text_; }
    [[nodiscard]] std::string_view slice(byte_range r) const noexcept;

    /// Line and column of a byte offset (an offset at the end of the text is allowed).
    [[nodiscard]] position position_of(std::uint32_t offset) const noexcept;
    /// The byte range of the physical line that holds `offset`, without its line ending.
    /// (Defined here: parsers and rules call it once per line of a file.)
    [[nodiscard]] byte_range line_range(std::uint32_t line) const noexcept {
        if (line == 0 || line > line_starts_.size()) {
            return {};
        }
        const std::uint32_t begin = line_starts_[line - 1];
        std::uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1
                                                       : static_cast<std::uint32_t>(text_.size());
        if (end > begin && text_[end - 1] == '\r') {
            --end;
        }
        return {begin, end};
    }
    [[nodiscard]] std::uint32_t line_count() const noexcept {
        return static_cast<std::uint32_t>(line_starts_.size());
    }
    /// The length in bytes of the longest physical line, not counting its newline.
    [[nodiscard]] std::uint32_t longest_line() const noexcept { return longest_line_; }
    /// The file started with a UTF-8 byte order mark (EF BB BF), which `text()` leaves out.
    [[nodiscard]] bool has_bom() const noexcept { return has_bom_; }

private:
    std::string path_;
    std::string text_;
    std::vector<std::uint32_t> line_starts_;
    std::uint32_t longest_line_ = 0;
    bool has_bom_ = false;
};

}  // namespace mailtls
