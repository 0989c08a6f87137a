// The main of mailtls_shared_tests: tests that read ../shared (research data, corpus, oracle
// goldens). Without that folder they cannot run: exit 77, which ctest reports as skipped.

#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>

int main(int argc, char* argv[]) {
    const auto shared = std::filesystem::path(MAILTLS_SOURCE_DIR).parent_path() / "shared";
    if (!std::filesystem::is_directory(shared)) {
        std::cout << "skipped: " << shared.string() << " is missing\n";
        return 77;
    }
    return Catch::Session().run(argc, argv);
}
