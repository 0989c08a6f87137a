// The Dovecot grammar read as Dovecot 2.0 to 2.3 read it: any bytes parse into an AST whose
// ranges stay inside the file.
// seeds: *.conf *.conf.ext dovecot*
// runs: 12000
#include "checks.hpp"
#include "mailtls/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mailtls;
    const source_file source("dovecot.conf", fuzz::text_of(data, size));
    const auto options = ast::dovecot_parse_options::for_version(version{2, 3, -1});
    fuzz::check_parse(source, parse_dovecot(source, options));
    return 0;
}
