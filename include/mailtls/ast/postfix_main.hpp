#pragma once

#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/source.hpp"

namespace mailtls::ast {

/// A problem the grammar found; the PF001 and DV001 rules turn these into diagnostics.
struct syntax_error {
    std::string message;
    byte_range range;
    /// What to do about it, when the parser can say better than the rule's general fix hint.
    std::string hint{};
};

/// One `name = value` logical line of main.cf. Its views borrow the source and the
/// `main_cf` it belongs to (`main_cf::storage`), which must outlive it.
struct main_cf_parameter {
    std::string_view name;  ///< borrowed from the source
    byte_range name_range;
    /// The value exactly as Postfix reads it: continuation lines joined without their line
    /// endings (their leading whitespace kept), comment and blank lines inside dropped,
    /// trailing whitespace trimmed. A `#` after other text is part of it. Borrowed from the
    /// source when the value is on one line; a value joined from several lines is held by
    /// the `main_cf`.
    std::string_view value;
    byte_range value_range;  ///< first to last byte of the value in the source
    /// The physical pieces of the value, in order; concatenated they give `value`. Held by
    /// the `main_cf`.
    std::span<const byte_range> value_pieces;
    byte_range range;  ///< the whole logical line, continuation lines included

    /// Maps an offset into `value` back to a byte offset in the source.
    [[nodiscard]] std::uint32_t source_offset(std::size_t value_offset) const noexcept;
};

/// A `#` comment line (including those inside continuations).
struct comment {
    std::string_view text;  ///< from the `#` to the end of the line
    byte_range range;
};

/// What the nodes of a parsed file (a `main_cf`, a `dovecot_file`) borrow besides the source:
/// every value's pieces in one array, and the text the daemon computes (values joined from
/// continuation lines, unquoted and unescaped text). One allocation for all pieces instead
/// of a vector per value, and no copy of text that is read as written.
struct value_storage {
    std::vector<byte_range> pieces;
    std::deque<std::string> texts;  ///< a deque: its strings never move
};

/// A parsed main.cf. Always present, even when the file has syntax errors: the lines that
/// parsed are kept, and each bad logical line is one entry in `errors`.
///
/// Copies share `storage`, so the parameters of a copy stay valid while any copy lives.
struct main_cf {
    std::vector<main_cf_parameter> parameters;
    std::shared_ptr<const value_storage> storage;
    std::vector<comment> comments;
    /// Indented lines with nothing before them to continue: Postfix drops them.
    std::vector<byte_range> orphan_lines;
    std::vector<syntax_error> errors;
};

}  // namespace mailtls::ast
