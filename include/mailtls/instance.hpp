#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mailtls/ast/dovecot.hpp"
#include "mailtls/ast/postfix_main.hpp"
#include "mailtls/ast/postfix_master.hpp"
#include "mailtls/diagnostic.hpp"
#include "mailtls/source.hpp"
#include "mailtls/version.hpp"

namespace mailtls {

/// A file and its parse, kept together so that the AST's views stay valid.
template <typename Ast>
struct parsed_file {
    std::shared_ptr<const source_file> source;
    Ast ast;
};

/// One Postfix installation: the main.cf and master.cf that are read together.
struct postfix_instance {
    std::optional<parsed_file<ast::main_cf>> main_cf;
    std::optional<parsed_file<ast::master_cf>> master_cf;
};

/// An `!include` that could not be followed as written.
struct dovecot_include_problem {
    enum class kind_type {
        not_found,         ///< the path or glob matches nothing (fatal for `!include`)
        unreadable,        ///< a match that cannot be read (fatal for `!include`)
        cycle,             ///< the file includes itself, directly or through others
        too_deep,          ///< includes nested deeper than the loader's limit
        too_many_files,    ///< the instance reads more files than the loader's limit
        too_many_matches,  ///< one glob matches more files than the loader's limit
    };
    kind_type kind = kind_type::not_found;
    std::uint32_t file = 0;     ///< index into `dovecot_instance::files` of the including file
    std::uint32_t include = 0;  ///< index into that file's `ast.includes`
    std::string message;        ///< what happened, naming the path
};

/// One Dovecot installation: the top file (dovecot.conf, or a file linted by itself) and the
/// files its `!include` and `!include_try` lines read, each parsed as its own file.
struct dovecot_instance {
    /// [0] is the top file; then each included file once, in the order first read.
    std::vector<parsed_file<ast::dovecot_file>> files;
    /// `include_targets[f][i]`: the indices into `files` that include `i` of file `f` read,
    /// in the order the daemon reads them (a glob's matches sorted). Includes that form a
    /// cycle or pass a limit have no targets (see `include_problems`).
    std::vector<std::vector<std::vector<std::uint32_t>>> include_targets;
    std::vector<dovecot_include_problem> include_problems;
    /// The syntax every file was read with.
    ast::dovecot_parse_options options;
    /// Why that syntax: "the target version", or the construct it was inferred from (with
    /// its place in `syntax_evidence`), or "the default".
    std::string syntax_reason;
    location syntax_evidence;
    /// The top file is a fragment linted by itself (a file other than dovecot.conf that no
    /// dovecot.conf beside it or in its parent directory includes): rules that need the whole
    /// instance (DV007, DV103) do not judge it, and the linter says so once.
    bool fragment = false;
};

/// A section around a setting, in a file of the instance.
struct dovecot_scope {
    const parsed_file<ast::dovecot_file>* file = nullptr;
    const ast::dovecot_section* section = nullptr;
};

/// A setting of an instance as the daemon reads it.
struct dovecot_setting_ref {
    const parsed_file<ast::dovecot_file>* file = nullptr;
    const ast::dovecot_setting* setting = nullptr;
    /// The sections around it, outermost first, across includes (an include inside a section
    /// reads the included file in that section). File roots are not listed.
    std::span<const dovecot_scope> sections;
};

/// A section header of an instance as the daemon reads it.
struct dovecot_section_ref {
    const parsed_file<ast::dovecot_file>* file = nullptr;
    const ast::dovecot_section* section = nullptr;
    /// The sections around it, outermost first, across includes (as for settings).
    std::span<const dovecot_scope> outer;
};

/// Visits every setting of an instance in the order the daemon reads them, following the
/// includes (without recursion on the C stack).
void walk_dovecot(const dovecot_instance& instance,
                  const std::function<void(const dovecot_setting_ref&)>& visit);

/// The same walk, also visiting each section header (before its contents).
void walk_dovecot(const dovecot_instance& instance,
                  const std::function<void(const dovecot_setting_ref&)>& visit,
                  const std::function<void(const dovecot_section_ref&)>& visit_section);

struct suppression_facts;  // lib/lint/suppressions.hpp

namespace model {
class postfix_model;  // lib/model/postfix_model.hpp
class dovecot_model;  // lib/model/dovecot_model.hpp
}

/// What the rules see: the instance under test and the versions it is judged against.
struct lint_context {
    const postfix_instance* postfix = nullptr;  ///< null when no Postfix file is linted
    const dovecot_instance* dovecot = nullptr;  ///< null when no Dovecot file is linted
    /// The effective model of `postfix`, built once per instance for every rule.
    const model::postfix_model* postfix_model = nullptr;
    /// The effective model of `dovecot`, built once per instance for every rule.
    const model::dovecot_model* dovecot_model = nullptr;
    version postfix_version;
    version dovecot_version;
    /// The inline suppressions of the run's files; set only for rules of the `suppressions`
    /// stage (rule.hpp), which run once with no instance.
    const suppression_facts* suppressions = nullptr;
};

}  // namespace mailtls
