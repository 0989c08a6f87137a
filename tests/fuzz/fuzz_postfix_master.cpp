// The master.cf grammar: any bytes parse into an AST whose ranges stay inside the file.
// seeds: *master.cf*
// runs: 20000
#include "checks.hpp"
#include "mailtls/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const mailtls::source_file source("master.cf", mailtls::fuzz::text_of(data, size));
    mailtls::fuzz::check_parse(source, mailtls::parse_postfix_master(source));
    return 0;
}
