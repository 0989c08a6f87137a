#include "mailtls/source.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace mailtls {

namespace {

constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";

}  // namespace

source_file::source_file(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
    if (std::string_view(text_).starts_with(k_utf8_bom)) {
        text_.erase(0, k_utf8_bom.size());
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
