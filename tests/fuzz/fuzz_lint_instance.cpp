// The linter over a whole instance read from disk: the input is up to five files separated by
// `#@file` lines (main.cf, master.cf, dovecot.conf, conf.d/10-a.conf, conf.d/20-b.conf),
// written to a scratch directory that is then linted as `mailtls-lint DIR` would. Every rule
// runs, includes and globs are followed, and every finding must point inside its file.
// Inputs whose includes leave the scratch directory are skipped, so the fuzzer never walks
// the host's file system. The target versions cycle with the input's length.
// seeds: instance
// runs: 700
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "checks.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, 5> k_names = {"main.cf", "master.cf", "dovecot.conf",
                                                "conf.d/10-a.conf", "conf.d/20-b.conf"};

fs::path scratch;

/// An include whose pattern could reach outside the scratch directory (absolute, `~`, `..`).
bool leaves_scratch(std::string_view file) {
    constexpr std::string_view k_directive = "!include";
    for (auto at = file.find(k_directive); at != std::string_view::npos;
         at = file.find(k_directive, at + 1)) {
        auto line = file.substr(at + k_directive.size());
        line = line.substr(0, line.find('\n'));
        if (line.ends_with('\\') || line.ends_with("\\\r")) {
            return true;  // the pattern may be on the continuation line
        }
        if (line.starts_with("_try")) {
            line.remove_prefix(4);
        }
        const auto pattern = line.find_first_not_of(" \t\"'");
        if (pattern != std::string_view::npos &&
            (line[pattern] == '/' || line.find('~') != std::string_view::npos ||
             line.find("..") != std::string_view::npos)) {
            return true;
        }
    }
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    scratch = fs::temp_directory_path() / ("mailtls-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(scratch / "conf.d");
    std::atexit([] {
        std::error_code ec;
        fs::remove_all(scratch, ec);
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mailtls;
    const auto input = fuzz::text_of(data, size);
    const auto files = fuzz::split_files(input);
    for (const auto file : files) {
        if (leaves_scratch(file)) {
            return -1;
        }
    }
    for (std::size_t i = 0; i < k_names.size(); ++i) {
        const auto path = scratch / k_names[i];
        if (i < files.size()) {
            std::ofstream(path, std::ios::binary | std::ios::trunc)
                .write(files[i].data(), static_cast<std::streamsize>(files[i].size()));
        } else {
            std::error_code ec;
            fs::remove(path, ec);
        }
    }
    lint_options options;
    switch (size % 3) {
        case 1: options.postfix_version = version{2, 2, -1}; options.dovecot_version = version{1, 2, -1}; break;
        case 2: options.postfix_version = version{3, 4, -1}; options.dovecot_version = version{2, 4, -1}; break;
        default: break;
    }
    // Dovecot 1.x resolves relative includes from the working directory: the scratch one
    // while linting, and back, so that the corpus and artifact paths keep their meaning
    const auto cwd = fs::current_path();
    fs::current_path(scratch);
    const auto result = linter(options).lint_paths({scratch.string()});
    fs::current_path(cwd);
    fuzz::check_result(result);
    return 0;
}
