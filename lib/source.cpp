#include "mailtls/source.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "huge_pages.hpp"

namespace mailtls {

namespace {

constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";

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
    line_starts_.push_back(0);
    const std::string_view all = text_;
    for (auto i = all.find('\n'); i != std::string_view::npos; i = all.find('\n', i + 1)) {
        longest_line_ =
            std::max(longest_line_, static_cast<std::uint32_t>(i) - line_starts_.back());
        line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
    }
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
