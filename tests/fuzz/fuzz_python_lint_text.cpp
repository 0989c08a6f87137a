// The C++ functions behind the Python module's `lint_text` (bindings/python/entry.hpp), called
// as `_core.lint_text` calls them: the first byte chooses the type, the target versions and
// a rule selection, the rest is the text. Every string handed to Python must be valid UTF-8
// (pybind11 raises on anything else), and every place in the text must lie inside it. A
// Dovecot `!include` reads the files it names (an absolute pattern such as
// /etc/dovecot/conf.d/*.conf finds the host's files): places in those are only well formed.
// seeds: *main.cf* *master.cf* *.conf
// runs: 3000
#include <array>
#include <map>
#include <optional>
#include <string>

#include "checks.hpp"
#include "entry.hpp"
#include "report/sanitize.hpp"

namespace {

bool is_utf8(const std::string& text) { return mailtls::detail::valid_utf8(text) == text; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mailtls;
    if (size == 0) {
        return -1;
    }
    static const std::array<const char*, 3> k_types = {"postfix-main", "postfix-master",
                                                       "dovecot"};
    static const std::array<std::optional<std::string>, 3> k_postfix = {std::nullopt, "2.2",
                                                                        "3.4"};
    static const std::array<std::optional<std::string>, 3> k_dovecot = {std::nullopt, "1.2",
                                                                        "2.4"};
    const unsigned choice = data[0];
    std::vector<std::string> select;
    if (choice & 0x80u) {
        select = {"PF0", "DV0"};
    }
    auto text = fuzz::text_of(data + 1, size - 1);
    const auto lines = source_file("-", text).line_count();
    const auto result = python::lint_text(
        std::move(text), k_types[choice % 3], k_postfix[(choice / 3) % 3],
        k_dovecot[(choice / 9) % 3], "input", std::move(select), {}, {});
    for (const auto& f : result.findings) {
        fuzz::require(is_utf8(f.message) && is_utf8(f.hint) && is_utf8(f.place.file),
                      "finding strings are valid UTF-8");
        fuzz::require(f.place.line >= 1 && f.place.line <= f.place.end_line,
                      "finding lines well formed");
        fuzz::require(f.place.file != "input" || f.place.end_line <= lines,
                      "finding lines inside the text");
        for (const auto& n : f.notes) {
            fuzz::require(is_utf8(n.message), "note strings are valid UTF-8");
        }
    }
    return 0;
}
