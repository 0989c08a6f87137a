#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace mailtls::cli {

/// Runs the mailtls-lint command line: `args[0]` is the program name. Returns the exit
/// status (0 clean, 1 findings at or above the fail level, 2 usage or I/O error).
/// `exits_after`: the process ends when this returns (the executable), so what the lint
/// builds is left to the system instead of freed (lint_options::free_memory); a caller that
/// runs it again and again (the Python module) leaves it false.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        bool out_is_terminal, bool exits_after = false);

/// The same, reading standard input (the path '-') from `in` instead of std::cin.
int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err, bool out_is_terminal, bool exits_after = false);

}  // namespace mailtls::cli
