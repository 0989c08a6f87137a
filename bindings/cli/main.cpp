#include <unistd.h>

#include <iostream>

#include "cli.hpp"
#include "heap.hpp"

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    const std::vector<std::string> args(argv, argv + argc);
    mailtls::cli::prepare_heap(mailtls::cli::input_bytes({args.begin() + 1, args.end()}));
    const int status = mailtls::cli::run(args, std::cout, std::cerr, isatty(STDOUT_FILENO) == 1,
                                         /*exits_after=*/true);
    std::cout.flush();
    return status;
}
