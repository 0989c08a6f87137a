#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/source.hpp"

namespace mailtls {

enum class severity { info, warning, error };

[[nodiscard]] std::string_view to_string(severity s) noexcept;
[[nodiscard]] std::optional<severity> parse_severity(std::string_view text) noexcept;

/// A place in a source file. The file is owned by the lint result that holds the diagnostic.
struct location {
    const source_file* file = nullptr;
    byte_range range;
};

/// Replace `range` of `file` with `replacement`.
struct text_edit {
    location where;
    std::string replacement;
};

enum class applicability { safe, unsafe };

struct fix {
    std::string description;
    std::vector<text_edit> edits;
    applicability kind = applicability::unsafe;
};

struct note {
    std::string message;
    location where;  ///< `where.file == nullptr` for a note without a place
};

struct diagnostic {
    std::string code;  ///< e.g. "PF101"
    std::string name;  ///< the rule's kebab-case name
    mailtls::severity level = severity::warning;
    std::string message;
    location where;
    std::vector<note> notes;
    std::string hint;  ///< what to do about it, one sentence
    std::optional<mailtls::fix> fix;
};

}  // namespace mailtls
