#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "mailtls/ast/postfix_main.hpp"
#include "mailtls/ast/postfix_master.hpp"
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

/// What the rules see: the instance under test and the versions it is judged against.
struct lint_context {
    const postfix_instance* postfix = nullptr;  ///< null when no Postfix file is linted
    version postfix_version;
    version dovecot_version;
};

}  // namespace mailtls
