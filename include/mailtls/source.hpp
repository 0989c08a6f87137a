#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
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

/// Memory for the bytes of a file, which a source_file can take instead of a std::string:
/// it is not zero-filled first, as a std::string of n bytes is before a file is read into
/// it, and on Linux a large one asks for transparent huge pages (a page fault per 2 MiB
/// instead of per 4 KiB as the file is read into it).
class byte_buffer {
public:
    byte_buffer() = default;
    /// `size` bytes, not initialised.
    explicit byte_buffer(std::size_t size);

    [[nodiscard]] char* data() noexcept { return data_.get(); }
    [[nodiscard]] const char* data() const noexcept { return data_.get(); }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// Keeps the first `size` bytes (at most size()): a file that shrank while it was read.
    void truncate(std::size_t size) noexcept { size_ = size < size_ ? size : size_; }

private:
    std::unique_ptr<char[]> data_;
    std::size_t size_ = 0;
};

/// A configuration file: owns its path and its bytes. Everything parsed from it borrows
/// `text()` through `std::string_view` and byte ranges, so a source must outlive its AST.
///
/// A UTF-8 byte order mark at the start is not part of the text: editors on Windows write one,
/// and it must not become part of the first setting's name. Offsets, lines and columns count
/// from the byte after it, as editors show them; `has_bom()` says it was there.
class source_file {
public:
    source_file(std::string path, std::string text);
    /// The same, taking the bytes of a file as read_file() reads them.
    source_file(std::string path, byte_buffer bytes);
    /// Moved, it views its own bytes again (a short string's are inside it); not copied.
    source_file(source_file&& other) noexcept;
    source_file& operator=(source_file&& other) noexcept;
    source_file(const source_file&) = delete;
    source_file& operator=(const source_file&) = delete;
    ~source_file() = default;

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
    /// Views the bytes it owns as text_, without a byte order mark.
    void view_owned() noexcept;
    /// Drops a byte order mark and finds the lines of text_.
    void index_lines();

    std::string path_;
    std::string owned_text_;  ///< the bytes, when given as a string
    byte_buffer owned_bytes_;  ///< the bytes, when given as a buffer
    std::string_view text_;  ///< the bytes of one of the two, without a byte order mark
    std::vector<std::uint32_t> line_starts_;
    std::uint32_t longest_line_ = 0;
    bool has_bom_ = false;
};

}  // namespace mailtls
