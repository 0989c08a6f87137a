#include "mailtls/report.hpp"

namespace mailtls {

flat_location flatten(const location& where) {
    flat_location out;
    if (where.file == nullptr) {
        return out;
    }
    out.file = where.file->path();
    const auto begin = where.file->position_of(where.range.begin);
    const auto end = where.file->position_of(where.range.end);
    out.line = begin.line;
    out.column = begin.column;
    out.end_line = end.line;
    out.end_column = end.column;
    return out;
}

flat_location flatten(const general_note& n) {
    if (n.located) {
        return flatten(n.where);
    }
    flat_location out;
    if (n.where.file != nullptr) {
        out.file = n.where.file->path();
    }
    return out;
}

int exit_status(const lint_result& result, severity fail_level) {
    if (!result.errors.empty()) {
        return 2;
    }
    for (const auto& d : result.diagnostics) {
        if (d.level >= fail_level) {
            return 1;
        }
    }
    return 0;
}

}  // namespace mailtls
