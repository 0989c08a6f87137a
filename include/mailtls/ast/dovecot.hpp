#pragma once

// The syntax tree of one Dovecot configuration file (dovecot.conf or a file it includes).
//
// A file is a tree of sections. To keep every walk free of recursion (a file may nest
// sections deeply), the tree is stored flat: `sections`, `settings` and `includes` are arrays,
// each node names its parent section by index, and each section lists its children in file
// order as `entry` references. Section 0 is the file itself (its type and name are empty).
//
// Every name and value keeps its byte range in the source; `std::string_view` members borrow
// the source's bytes, `std::string` members hold text the daemon computes (unquoted,
// unescaped, continuation lines joined). A setting holds ranges only (a large file has tens
// of thousands, and each one's size counts): its key and value text are the source's bytes
// when the daemon reads them as written, else text the file keeps (`dovecot_file::storage`),
// and `dovecot_file::key()`, `text()`, `pieces()` and `references()` read them. The file's
// `parsed_file` keeps the source alive.
//
// What an `!include` loads is not part of a file's tree: `dovecot_instance` (instance.hpp)
// holds the files of an instance and, for each include of each file, the files it loaded.
// `walk_dovecot()` (instance.hpp) visits the settings of a whole instance in the order the
// daemon reads them, with their sections across files.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/ast/postfix_main.hpp"  // syntax_error, comment
#include "mailtls/source.hpp"
#include "mailtls/version.hpp"

namespace mailtls::ast {

/// The three Dovecot configuration syntaxes. What differs between them:
///
/// | | v1 (1.0–1.2) | v2 (2.0–2.3) | v24 (2.4) |
/// |---|---|---|---|
/// | `\` continuation | pieces joined as they are (1.1+; not in 1.0) | whitespace before `\` dropped, pieces joined with one space | as v2 |
/// | `#` with no blank before it | a comment, silently | a comment, with a warning | as v2 |
/// | `key = <path` | a plain value | a file value | a file value |
/// | `$name` in a value | literal | a setting reference | literal; `$SET:name` and `$ENV:name` are references |
/// | quoted section names, quoted keys | no | section names | both |
/// | section headers | a fixed set (`auth NAME`, `protocol imap`, `namespace private`, ...) | any `type [name]`; filter nesting checked | named filters need no name, list filters need one; filter nesting checked |
enum class dovecot_syntax { v1, v2, v24 };

[[nodiscard]] std::string_view to_string(dovecot_syntax s) noexcept;
/// The syntax of a release: v1 before 2.0, v24 from 2.4, v2 in between.
[[nodiscard]] dovecot_syntax dovecot_syntax_of(version v) noexcept;

/// How to read a file: the syntax, and the differences inside one syntax family.
struct dovecot_parse_options {
    dovecot_syntax syntax = dovecot_syntax::v2;
    /// A line ending in `\` continues on the next one (1.1 and later; not 1.0).
    bool line_continuation = true;
    /// `!include` expands glob patterns (1.2.2 and later; before, the name is opened as
    /// written).
    bool include_globs = true;

    /// The options for a release (`line_continuation` is off for 1.0).
    [[nodiscard]] static dovecot_parse_options for_version(version v) noexcept;
};

/// A reference to another setting or to the environment inside a value.
struct dovecot_reference {
    enum class kind_type {
        setting,      ///< 2.0–2.3 `$name`, 2.4 `$SET:name`
        environment,  ///< `$ENV:name` (2.3.14+ and 2.4)
        literal,      ///< 2.4 `$name` without `SET:`/`ENV:`: kept as text by 2.4
    };
    kind_type kind = kind_type::setting;
    std::string name;   ///< the name after `$`, `$SET:` or `$ENV:`
    byte_range range;   ///< the whole token in the source, `$` included
    /// The token starts the value: 2.0–2.3.13 only expand such a token; 2.3.14+ expand every
    /// whitespace-separated token that starts with `$` in an unquoted value.
    bool starts_value = false;
};

/// Where the value of a setting is and how it is written; its text, pieces, references and
/// file path are read through the file (`dovecot_file::text()`, `pieces()`, `references()`,
/// `file_path_range()`).
struct dovecot_value {
    /// The bytes of the value in the source, from its first to its last byte (quotes and `<`
    /// included; continuation lines included, so it may span lines). Empty at the place the
    /// value would start when the value is empty.
    byte_range range;
    char quote = 0;     ///< `"` or `'` when the whole value was quoted, else 0
    bool file = false;  ///< 2.x `key = <path`: the daemon reads the file and uses its text
};

/// `key = value`.
///
/// A file has one per line (a large file has tens of thousands), so a setting holds ranges
/// only: its key and value text are the source's bytes at `key_range` and `value.range` when
/// the daemon reads them as written, and the file keeps what it computes and what only some
/// settings have (an extent); `dovecot_file::key()` and `text()` read them.
struct dovecot_setting {
    byte_range key_range;
    dovecot_value value;
    std::uint32_t section = 0;    ///< the enclosing section (index into `sections`)
    /// Where the file holds the rest of the setting (`dovecot_storage::extents`), or
    /// `k_no_extent` when the key and the value are read as written, the value is one piece
    /// (none when empty) and has no `$` reference.
    std::uint32_t extent = k_no_extent;

    static constexpr std::uint32_t k_no_extent = 0xFFFFFFFF;

    /// The logical line, from the key to the end of the value.
    [[nodiscard]] byte_range range() const noexcept {
        return {key_range.begin, std::max(key_range.end, value.range.end)};
    }
};

/// A `#` that the daemon reads otherwise than it looks (DV009).
struct dovecot_comment_quirk {
    enum class kind_type {
        /// `value#text`: a comment all the same, silently in 1.x; 2.x warns "Ambiguous '#'
        /// character in line, treating it as comment".
        no_blank_before,
        /// An unmatched `'` or `"` earlier on the line turns comment stripping off, so
        /// `# ...` is part of the value (`login_greeting = It's up # note`).
        kept_by_quote,
    };
    kind_type kind = kind_type::no_blank_before;
    byte_range range;  ///< from the `#` to the end of its line, trailing blanks excluded
    byte_range quote;  ///< `kept_by_quote`: the unmatched quote
    std::optional<std::uint32_t> setting;  ///< the setting of that line, if it is one
};

/// `!include PATTERN` or `!include_try PATTERN`.
struct dovecot_include {
    bool try_only = false;    ///< `!include_try`: a pattern that matches nothing is no error
    std::string pattern;      ///< as written, unquoted
    byte_range pattern_range;
    byte_range range;         ///< the whole directive
    std::uint32_t section = 0;
};

/// What a section is, as far as the syntax knows.
enum class dovecot_section_kind {
    root,     ///< section 0, the file itself
    filter,   ///< `protocol`, `local`, `remote`, `local_name` (2.x), `protocol` (1.x)
    named,    ///< any other section with a name (`service imap-login`, `auth default`)
    unnamed,  ///< any other section without one (`plugin`, `passdb` in 2.x, 2.4 named
              ///< filters such as `ssl_server`, 2.4 boollists such as `mail_plugins`)
};

/// `type {` or `type name {` ... `}`.
struct dovecot_section {
    std::string_view type;  ///< e.g. "service"; empty for the root
    byte_range type_range;
    /// Unquoted; empty when the header has no name. Borrowed from the source, or from the
    /// file's storage when it was quoted or its line continued.
    std::string_view name;
    bool has_name = false;
    byte_range name_range;  ///< the name as written (quotes included)
    byte_range header_range;  ///< `type name {`
    /// The `}` that closes it; empty (begin == end == 0) when it is missing.
    byte_range close_range;
    dovecot_section_kind kind = dovecot_section_kind::unnamed;
    std::uint32_t parent = 0;  ///< index into `sections`; the root is its own parent
    std::uint32_t depth = 0;   ///< 0 for the root

    enum class entry_kind : std::uint8_t { setting, section, include };
    /// Four bytes, the kind in two bits (a large file has a child per line): a file has
    /// fewer than 2^30 lines (parse_dovecot() reads no larger one), so fewer children.
    struct entry {
        entry_kind kind : 2;
        std::uint32_t index : 30;  ///< into `settings`, `sections` or `includes`
    };
    /// More lines than this and parse_dovecot() reports the file as too large.
    static constexpr std::uint32_t k_max_lines = (std::uint32_t{1} << 30) - 1;
    std::span<const entry> children;  ///< in file order (held by the file)
};

/// What some settings hold besides their ranges (`dovecot_setting::extent`): the key and
/// value text the daemon computes (unquoted, unescaped, joined from continuation lines; for a
/// file value, the path after `<`), the value's pieces and `$` references (as [begin, end)
/// indices into `dovecot_storage`; no pieces for a value on one line: its range is its one
/// piece) and its file path.
struct dovecot_setting_extent {
    std::string_view key;   ///< when `own_key`, else the source's bytes at the key's range
    std::string_view text;  ///< when `own_text`, else the source's bytes at the value's range
    std::uint32_t pieces_begin = 0, pieces_end = 0;
    std::uint32_t references_begin = 0, references_end = 0;
    byte_range file_path_range;
    bool own_key = false;
    bool own_text = false;
};

/// What the nodes of a `dovecot_file` view besides the source: the computed text and the
/// pieces of the settings that have them (value_storage), their `$` references and extents,
/// and the children of every section, each in one array.
struct dovecot_storage : value_storage {
    std::vector<dovecot_reference> references;
    std::vector<dovecot_setting_extent> extents;
    std::vector<dovecot_section::entry> children;
};

/// A parsed Dovecot file. Always present, even with syntax errors: the lines that parsed are
/// kept, and each bad logical line is one entry in `errors` (parsing goes on at the next line).
///
/// Copies share `storage`, so the settings and sections of a copy stay valid while any copy
/// lives.
struct dovecot_file {
    dovecot_syntax syntax = dovecot_syntax::v2;
    std::vector<dovecot_section> sections;  ///< [0] is the root
    std::vector<dovecot_setting> settings;
    std::vector<dovecot_include> includes;
    std::vector<comment> comments;          ///< whole-line and trailing comments
    std::vector<dovecot_comment_quirk> comment_quirks;
    std::vector<syntax_error> errors;
    std::shared_ptr<const dovecot_storage> storage;  ///< what the nodes view
    /// The source's bytes, which the ranges index (borrowed, as the views are).
    std::string_view source_text;

    /// The key of a setting of this file, unquoted (2.4 allows `"key" = ...`).
    [[nodiscard]] std::string_view key(const dovecot_setting& s) const noexcept {
        if (s.extent != dovecot_setting::k_no_extent && storage->extents[s.extent].own_key) {
            return storage->extents[s.extent].key;
        }
        return source_text.substr(s.key_range.begin, s.key_range.size());
    }
    /// The value of a setting of this file as the daemon uses it: the comment stripped,
    /// continuation lines joined (see `dovecot_syntax`), surrounding blanks trimmed and, when
    /// the whole value is quoted, the quotes removed and `\x` unescaped to `x`. For a file
    /// value, the path after `<`.
    [[nodiscard]] std::string_view text(const dovecot_setting& s) const noexcept {
        if (s.extent != dovecot_setting::k_no_extent && storage->extents[s.extent].own_text) {
            return storage->extents[s.extent].text;
        }
        return source_text.substr(s.value.range.begin, s.value.range.size());
    }
    /// The physical pieces of a setting's value in the source, one per line.
    [[nodiscard]] std::span<const byte_range> pieces(const dovecot_setting& s) const noexcept {
        if (s.extent == dovecot_setting::k_no_extent) {
            return s.value.range.empty() ? std::span<const byte_range>{}
                                         : std::span<const byte_range>(&s.value.range, 1);
        }
        const auto& e = storage->extents[s.extent];
        if (e.pieces_begin == e.pieces_end && !s.value.range.empty()) {
            return std::span<const byte_range>(&s.value.range, 1);  // one line
        }
        return std::span<const byte_range>(storage->pieces)
            .subspan(e.pieces_begin, e.pieces_end - e.pieces_begin);
    }
    /// The `$` references of a setting's value, for the unquoted values the syntax expands.
    [[nodiscard]] std::span<const dovecot_reference> references(
        const dovecot_setting& s) const noexcept {
        if (s.extent == dovecot_setting::k_no_extent) {
            return {};
        }
        const auto& e = storage->extents[s.extent];
        return std::span<const dovecot_reference>(storage->references)
            .subspan(e.references_begin, e.references_end - e.references_begin);
    }
    /// The path after `<` of a file value (empty, at 0, for other values).
    [[nodiscard]] byte_range file_path_range(const dovecot_setting& s) const noexcept {
        if (!s.value.file || s.extent == dovecot_setting::k_no_extent) {
            return {};
        }
        return storage->extents[s.extent].file_path_range;
    }
};

}  // namespace mailtls::ast
