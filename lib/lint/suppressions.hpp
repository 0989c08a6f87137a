#pragma once

// Inline suppressions in the linted files themselves. The pass reads the comments of every
// file without knowing its grammar, so it serves main.cf, master.cf and Dovecot alike:
//
//   # mailtls-lint: disable=CODE[,CODE...] -- reason
//       on a comment line of its own: the findings with these codes whose primary range starts
//       in the next entry of the file (see `entry_range`)
//   # mailtls-lint: disable-file=CODE[,CODE...] -- reason
//       anywhere in the file: every finding with these codes in this file
//
// Codes are exact rule codes. The linter runs every rule, removes the findings that a
// suppression covers and records which codes did so (`suppressed_code::used`); then the rules
// of the `suppressions` stage (PF901/PF902, DV901/DV902) report suppressions without a reason
// and those that suppress nothing, from these facts.

#include <string>
#include <vector>

#include "mailtls/diagnostic.hpp"
#include "mailtls/linter.hpp"
#include "mailtls/rule.hpp"

namespace mailtls {

/// One code named by an inline suppression.
struct suppressed_code {
    std::string code;
    byte_range range;
    bool used = false;  ///< it removed at least one finding
};

/// A `# mailtls-lint: ...` comment in a linted file.
struct suppression {
    enum class scope_type {
        entry,      ///< `disable=`: the next entry
        file,       ///< `disable-file=`: the whole file
        malformed,  ///< `mailtls-lint:` followed by something else: suppresses nothing
    };
    const source_file* file = nullptr;
    mailtls::dialect file_dialect = dialect::postfix;
    scope_type scope = scope_type::malformed;
    byte_range range;      ///< the comment, from '#' to the end of the line
    byte_range directive;  ///< the text after `mailtls-lint:`, up to ` --` or the line end
    std::vector<suppressed_code> codes;
    bool has_reason = false;  ///< ` -- ` followed by some text
    std::string reason;
    /// For `entry`: the bytes of the entry it covers; empty when no entry follows.
    byte_range target;
};

/// Every suppression of the files of one run, by file and then by position.
struct suppression_facts {
    std::vector<suppression> suppressions;
};

}  // namespace mailtls

namespace mailtls::detail {

/// The entry that starts on the line at `line_begin` (a byte offset) and where it ends:
/// - Postfix (main.cf and master.cf): that line and the continuation lines after it, i.e.
///   following lines that start with a space or a tab; blank and comment lines between them
///   are passed over, as Postfix does.
/// - Dovecot: that line (and the next ones while a line ends in '\'); when it opens a section
///   (its last character outside quotes and comments is '{'), every line up to the '}' that
///   closes it.
[[nodiscard]] byte_range entry_range(const source_file& file, dialect style,
                                     std::uint32_t line_begin);

/// The suppression comments of one file.
[[nodiscard]] std::vector<suppression> find_suppressions(const source_file& file, dialect style);

/// Removes from `diagnostics` those that a suppression covers and marks the codes that did.
/// Findings of rules in the `suppressions` stage are never removed.
void apply_suppressions(std::vector<suppression>& suppressions,
                        std::vector<diagnostic>& diagnostics);

/// A problem with a suppression, for the rules of the `suppressions` stage to report.
struct suppression_problem {
    const source_file* file = nullptr;
    byte_range range;
    std::string message;
    std::optional<fix> remedy;
};

/// Suppressions in files of `d` without a reason (PF901, DV901).
[[nodiscard]] std::vector<suppression_problem> suppressions_without_reason(
    const suppression_facts& facts, dialect d);

/// Suppressions in files of `d` that suppress nothing (PF902, DV902): malformed ones, codes
/// that are not rule codes, codes of the `suppressions` stage, and codes that removed no
/// finding.
[[nodiscard]] std::vector<suppression_problem> unused_suppressions(const suppression_facts& facts,
                                                                   dialect d);

/// The base of the four rules that report on suppressions (PF901/DV901 without a reason,
/// PF902/DV902 unused): they run in the `suppressions` stage and report the problems of
/// their kind in the files of their dialect. A derived rule only gives its metadata.
class suppression_rule : public rule {
public:
    enum class kind_type { without_reason, unused };

    explicit suppression_rule(kind_type kind) noexcept : kind_(kind) {}
    [[nodiscard]] rule_stage stage() const noexcept final { return rule_stage::suppressions; }
    void check(const lint_context& context, diagnostic_sink& out) const final;

    /// What the rules of one kind say, the same in both dialects.
    static constexpr const char* k_without_reason_rationale =
        "A '# mailtls-lint: disable=CODE' comment hides a finding from every later run. "
        "Without a reason after ' -- ', the next reader cannot tell a deliberate exception "
        "from a silenced mistake, nor when the exception may go. The suppression still "
        "applies; this finding asks for the reason.";
    static constexpr const char* k_without_reason_hint =
        "add ' -- ' and the reason after the codes";
    static constexpr const char* k_unused_rationale =
        "A suppression whose code is not reported on the entry below it (the next setting "
        "with its continuation lines, or the whole section that the line opens), or anywhere "
        "in the file for 'disable-file=', no longer does anything: the setting was fixed or "
        "moved, or the code is mistyped. Left in place it would silently hide a future "
        "finding that nobody has reviewed. Malformed '# mailtls-lint:' comments and codes "
        "that are not rule codes are reported too. Whether a suppression is used does not "
        "depend on --select or --ignore: every rule runs, and the selection applies "
        "afterwards.";
    static constexpr const char* k_unused_hint =
        "delete the suppression, or the codes in it that are not reported";

private:
    kind_type kind_;
};

/// The whole pass, run once the rules have reported: finds the suppressions of every file in
/// `result.sources` (those in `postfix_files` are Postfix files, the others Dovecot files),
/// removes the findings they cover, drops the findings `options` does not select for their
/// file, sets each finding's severity, then runs the rules of the `suppressions` stage.
void finish_findings(const lint_options& options,
                     const std::vector<const source_file*>& postfix_files, lint_result& result);

}  // namespace mailtls::detail
