// A C++ tool that links the installed library: it must see PF101 on a one-line main.cf, which
// proves the self-registering rules survived static linking.
#include <mailtls/linter.hpp>

#include <iostream>

int main() {
    const mailtls::linter lint;
    const auto result =
        lint.lint_text("smtpd_tls_wrappermode = yes\n", mailtls::config_type::postfix_main,
                       "main.cf");
    for (const auto& d : result.diagnostics) {
        std::cout << d.code << '\n';
        if (d.code == "PF101") {
            return 0;
        }
    }
    std::cerr << "PF101 was not reported\n";
    return 1;
}
