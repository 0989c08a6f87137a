#pragma once

// The syntax tree of a Postfix master.cf, as postconf(1) reads it (postconf -M, -F, -P).
//
// An entry is one logical line (continuation lines and the comment lines inside them
// included), split into words on blanks without splitting '{ }' groups:
//
//     service type private unpriv chroot wakeup maxproc command [arguments...]
//     submission inet n - y - - smtpd -o smtpd_tls_security_level=encrypt
//       -o { smtpd_recipient_restrictions = permit_sasl_authenticated, reject }
//
// Everything keeps its byte range in the source: each field, each argument, and for each
// `-o` override its name and its value separately. What Postfix does with the text (default
// fields, the effective parameters of a service) is left to the model built on this tree;
// this tree only records what is written, and which entries Postfix refuses.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mailtls/ast/postfix_main.hpp"
#include "mailtls/source.hpp"

namespace mailtls::ast {

/// The second field. `unknown` for a word Postfix refuses (a syntax error is recorded).
enum class master_service_type { inet, unix_stream, unix_dgram, fifo, pass, unknown };

/// The name Postfix uses for a type: "inet", "unix", "unix-dgram", "fifo", "pass".
[[nodiscard]] std::string_view to_string(master_service_type type) noexcept;

/// One word of an entry. A word is contiguous in the source except when a '{ }' group in it
/// spans a continuation line: `text` is then the joined text Postfix sees (line ending and
/// skipped comment lines left out, the next line's leading blanks kept), and `pieces` maps it
/// back onto the source.
struct master_cf_word {
    std::string text;
    byte_range range;  ///< first to last byte of the word in the source
    std::vector<byte_range> pieces;  ///< physical pieces; concatenated they give `text`

    /// Maps an offset into `text` back to a byte offset in the source.
    [[nodiscard]] std::uint32_t source_offset(std::size_t text_offset) const noexcept;
    /// Maps a range of `text` back to the source.
    [[nodiscard]] byte_range source_range(std::size_t begin, std::size_t end) const noexcept;
};

/// One of the three y/n/- fields (private, unprivileged, chroot).
struct master_cf_flag {
    master_cf_word word;
    /// 'y', 'n', or '-' for the built-in default (private y, unprivileged y, chroot n since
    /// Postfix 3.0 and y before); 0 when the field is invalid.
    char value = 0;
};

/// What an argument after the command is, as Postfix's daemons read their command line.
/// Daemon options (words starting with '-', up to the first other word or `--`) come first;
/// after them everything is an operand, even a word that looks like `-o`.
enum class master_cf_argument_kind {
    option,        ///< a daemon option such as `-v`, `-o`, or `-oname=value`
    option_value,  ///< the word after `-o` (its value)
    operand,       ///< anything after the options: `flags=R`, `argv=...`, a '#...' word
};

/// A word after the command (argv[8] onwards).
struct master_cf_argument {
    master_cf_word word;
    master_cf_argument_kind kind = master_cf_argument_kind::operand;
    /// True when the word starts with '{': Postfix takes the text inside the outer braces,
    /// without its leading and trailing blanks (Postfix 3.0 and later).
    bool braced = false;
    /// The argument as Postfix passes it to the daemon: the content of a braced word, else
    /// the word. For an option value (and for the value part of a joined `-oname=value`
    /// word) that is `name = value` inside braces, `name=value` as postconf normalises it.
    std::string value;
};

/// How an `-o` override is written.
enum class master_cf_override_form {
    separate,  ///< `-o name=value`
    joined,    ///< `-oname=value` (postconf normalises it to the separate form)
    braced,    ///< `-o { name = value }`: blanks allowed (Postfix 3.0 and later)
};

/// A `-o name=value` daemon option: it overrides a main.cf parameter for this service.
/// Postfix splits the value word at the first '=' (split_nameval()): the name is the text
/// before any blank or '=', blanks around '=' and at the ends of the value are dropped.
struct master_cf_override {
    master_cf_override_form form = master_cf_override_form::separate;
    std::size_t option_index = 0;  ///< index in `master_cf_entry::arguments` of the `-o` word
    std::size_t value_index = 0;   ///< index of the value word (== option_index when joined)
    /// The option letters up to and including the 'o': `-o`, or e.g. `-vo` for `-vo name=v`
    /// (which Postfix reads as `-v -o name=v`).
    byte_range option_range;
    byte_range range;  ///< from `-o` to the end of the value word
    /// Empty when the override is usable. Otherwise why Postfix cannot split it
    /// ("missing attribute name", "missing '=' after attribute name", "missing value after
    /// '-o'"): postconf ignores such an override silently, and the daemon stops with
    /// `invalid "-o ..." option value` when it starts. `-o name = value` (blanks without
    /// braces) is one of these: the value word is just `name`.
    std::string problem;
    std::string_view name;  ///< borrowed from the source (a name never spans lines)
    byte_range name_range;
    /// The value as Postfix passes it to the daemon (blanks inside kept; postconf -P folds
    /// runs of blanks to one when it prints).
    std::string value;
    byte_range value_range;  ///< first to last byte of the value in the source (empty: at '=')
    std::vector<byte_range> value_pieces;  ///< physical pieces; concatenated they give `value`

    [[nodiscard]] bool usable() const noexcept { return problem.empty(); }
    /// Maps an offset into `value` back to a byte offset in the source.
    [[nodiscard]] std::uint32_t source_offset(std::size_t value_offset) const noexcept;
};

/// One service: a logical line of master.cf. The first eight fields are always present in
/// an entry of `master_cf::entries` (an entry with fewer is a syntax error and is not kept);
/// a field may still be invalid, which is recorded in `master_cf::errors`.
struct master_cf_entry {
    master_cf_word service;  ///< e.g. `smtp`, `587`, `127.0.0.1:10025`, `[::1]:10026`
    master_cf_word type_word;
    master_service_type type = master_service_type::unknown;
    master_cf_flag private_flag;  ///< `inet` services cannot be private (Postfix treats them as n)
    master_cf_flag unprivileged_flag;
    master_cf_flag chroot_flag;
    master_cf_word wakeup;         ///< `-`, or seconds with an optional trailing '?'
    master_cf_word process_limit;  ///< `-` ($default_process_limit), or a number (0: none)
    master_cf_word command;        ///< e.g. `smtpd`, `postscreen`, `pipe`
    std::vector<master_cf_argument> arguments;  ///< the words after the command, in order
    std::vector<master_cf_override> overrides;  ///< every `-o`, in order (usable or not)

    /// For an `inet` service: the host part of the name (brackets removed; empty for a bare
    /// port, meaning every address in inet_interfaces) and the port (a number or a services(5)
    /// name). Both empty for other types or a name that is not `[host:]port`.
    std::string_view host;
    byte_range host_range;
    std::string_view port;
    byte_range port_range;

    byte_range range;  ///< the whole logical line, continuation lines included

    /// The usable override that is in effect for `name` (Postfix keeps the last), or null.
    [[nodiscard]] const master_cf_override* find_override(std::string_view name) const noexcept;
};

/// A parsed master.cf. Always present, even when the file has syntax errors: entries whose
/// eight fields are there are kept (even with an invalid field), and each problem is one
/// entry in `errors`, with the range of the offending word.
struct master_cf {
    std::vector<master_cf_entry> entries;
    std::vector<comment> comments;
    /// Indented lines with nothing before them to continue: Postfix drops them.
    std::vector<byte_range> orphan_lines;
    std::vector<syntax_error> errors;
};

}  // namespace mailtls::ast
