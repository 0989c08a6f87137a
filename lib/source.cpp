#include "mailtls/source.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>

#include "huge_pages.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace mailtls {

namespace {

constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";

/// Calls `found(offset)` for each '\n' of `text` (shorter than 4 GiB), in order. A
/// configuration file has a line every 40-70 bytes, too short for a memchr() call a line to
/// pay off (it was most of the indexing of a 7.6 MB main.cf): with SSE2, sixteen bytes are
/// compared at once and the newlines among them taken from the mask.
template <typename Found>
void for_each_newline(std::string_view text, const Found& found) {
    std::size_t at = 0;
#if defined(__SSE2__)
    const __m128i newline = _mm_set1_epi8('\n');
    for (; at + 16 <= text.size(); at += 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at));
        auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline)));
        while (mask != 0) {
            found(static_cast<std::uint32_t>(at + static_cast<unsigned>(std::countr_zero(mask))));
            mask &= mask - 1;
        }
    }
#endif
    for (; at < text.size(); ++at) {
        if (text[at] == '\n') {
            found(static_cast<std::uint32_t>(at));
        }
    }
}

}  // namespace

byte_buffer::byte_buffer(std::size_t size)
    : data_(std::make_unique_for_overwrite<char[]>(size)), size_(size) {
    detail::advise_huge_pages(data_.get(), size);
}

source_file::source_file(std::string path, std::string text)
    : path_(std::move(path)), owned_text_(std::move(text)) {
    text_ = owned_text_;
    index_lines();
}

source_file::source_file(std::string path, byte_buffer bytes)
    : path_(std::move(path)), owned_bytes_(std::move(bytes)) {
    text_ = std::string_view(owned_bytes_.data(), owned_bytes_.size());
    index_lines();
}

source_file::source_file(source_file&& other) noexcept
    : path_(std::move(other.path_)), owned_text_(std::move(other.owned_text_)),
      owned_bytes_(std::move(other.owned_bytes_)), line_starts_(std::move(other.line_starts_)),
      longest_line_(other.longest_line_), has_bom_(other.has_bom_) {
    view_owned();
    other.view_owned();
}

source_file& source_file::operator=(source_file&& other) noexcept {
    path_ = std::move(other.path_);
    owned_text_ = std::move(other.owned_text_);
    owned_bytes_ = std::move(other.owned_bytes_);
    line_starts_ = std::move(other.line_starts_);
    longest_line_ = other.longest_line_;
    has_bom_ = other.has_bom_;
    view_owned();
    other.view_owned();
    return *this;
}

void source_file::view_owned() noexcept {
    text_ = owned_bytes_.data() != nullptr
                ? std::string_view(owned_bytes_.data(), owned_bytes_.size())
                : std::string_view(owned_text_);
    if (has_bom_) {
        text_.remove_prefix(k_utf8_bom.size());
    }
}

void source_file::index_lines() {
    if (text_.starts_with(k_utf8_bom)) {
        text_.remove_prefix(k_utf8_bom.size());
        has_bom_ = true;
    }
    if (text_.size() >= std::numeric_limits<std::uint32_t>::max()) {
        throw std::length_error("source file larger than 4 GiB: " + path_);
    }
    // Counted first: a vector grown line by line would hold up to twice the starts, and
    // copy them as it grows (a 1.4 MB dovecot.conf has 74,000 lines).
    std::size_t lines = 1;
    for_each_newline(text_, [&](std::uint32_t) { ++lines; });
    line_starts_.reserve(lines);
    line_starts_.push_back(0);
    for_each_newline(text_, [&](std::uint32_t at) {
        longest_line_ = std::max(longest_line_, at - line_starts_.back());
        line_starts_.push_back(at + 1);
    });
    longest_line_ =
        std::max(longest_line_, static_cast<std::uint32_t>(text_.size()) - line_starts_.back());
}

std::string_view source_file::slice(byte_range r) const noexcept {
    const auto size = text_.size();
    const auto begin = std::min<std::size_t>(r.begin, size);
    const auto end = std::clamp<std::size_t>(r.end, begin, size);
    return std::string_view(text_).substr(begin, end - begin);
}

position source_file::position_of(std::uint32_t offset) const noexcept {
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
    return {line, offset - line_starts_[line - 1] + 1};
}

}  // namespace mailtls
