// The main.cf grammar: any bytes parse into an AST whose ranges stay inside the file.
// seeds: *main.cf*
// runs: 30000
#include "checks.hpp"
#include "mailtls/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const mailtls::source_file source("main.cf", mailtls::fuzz::text_of(data, size));
    mailtls::fuzz::check_parse(source, mailtls::parse_postfix_main(source));
    return 0;
}
