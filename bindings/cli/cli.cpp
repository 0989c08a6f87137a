#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <ostream>

#include "mailtls/linter.hpp"
#include "mailtls/report.hpp"

namespace mailtls::cli {

namespace {

CLI::Validator version_validator() {
    return CLI::Validator(
        [](const std::string& text) -> std::string {
            return version::parse(text) ? "" : "'" + text + "' is not a version like 3.7 or 2.3.19";
        },
        "X.Y[.Z]");
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        bool out_is_terminal) {
    CLI::App app{"mailtls-lint: find TLS and authentication mistakes in Postfix and Dovecot "
                 "configurations before they reach a mail server.",
                 "mailtls-lint"};
    app.set_version_flag("--version", std::string("mailtls-lint ") + MAILTLS_VERSION);
    app.footer(
        "Examples:\n"
        "  mailtls-lint /etc/postfix /etc/dovecot\n"
        "  mailtls-lint --type postfix-main --format json source\n"
        "  mailtls-lint --postfix-version 3.4 main.cf master.cf\n\n"
        "Exit status: 0 no finding at or above the fail level, 1 findings, 2 usage or I/O "
        "error.");

    std::vector<std::string> paths;
    app.add_option("paths", paths,
                   "Files or directories to lint; a directory stands for the main.cf, "
                   "master.cf or dovecot.conf in it")
        ->required();
    std::string type;
    app.add_option("--type", type,
                   "Type of every file argument, for names that do not say it "
                   "(e.g. Ansible's 'source'): postfix-main, postfix-master or dovecot")
        ->check(CLI::IsMember({"postfix-main", "postfix-master", "dovecot"}));
    std::string format = "text";
    app.add_option("--format", format, "Output format: text or json (e.g. --format json)")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    std::string postfix_version;
    app.add_option("--postfix-version", postfix_version,
                   "Postfix release to judge against, e.g. 3.7 (default " +
                       default_postfix_version().to_string() + ", the newest stable release "
                       "the data knows)")
        ->check(version_validator());
    std::string dovecot_version;
    app.add_option("--dovecot-version", dovecot_version,
                   "Dovecot release to judge against, e.g. 2.3.19 (default " +
                       default_dovecot_version().to_string() + ")")
        ->check(version_validator());
    std::vector<std::string> select;
    app.add_option("--select", select,
                   "Only run rules whose code starts with one of these (e.g. --select PF1,DV)")
        ->delimiter(',')
        ->allow_extra_args(false);
    std::vector<std::string> ignore;
    app.add_option("--ignore", ignore, "Skip rules whose code starts with one of these "
                                       "(e.g. --ignore PF115)")
        ->delimiter(',')
        ->allow_extra_args(false);
    std::string fail_level = "warning";
    app.add_option("--fail-level", fail_level,
                   "Lowest severity that makes the exit status 1: error, warning or info")
        ->check(CLI::IsMember({"error", "warning", "info"}))
        ->capture_default_str();
    std::string color = "auto";
    app.add_option("--color", color,
                   "Colour in text output: auto (only on a terminal, and not when NO_COLOR is "
                   "set), always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();

    std::vector<std::string> cli_args(args.rbegin(), args.rend() - 1);
    try {
        app.parse(cli_args);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e, out, err);
        return code == 0 ? 0 : 2;
    }

    lint_options options;
    if (!postfix_version.empty()) {
        options.postfix_version = version::parse(postfix_version);
    }
    if (!dovecot_version.empty()) {
        options.dovecot_version = version::parse(dovecot_version);
    }
    options.select = std::move(select);
    options.ignore = std::move(ignore);

    std::optional<linter> lint;
    try {
        lint.emplace(std::move(options));
    } catch (const usage_error& e) {
        err << "mailtls-lint: error: " << e.what() << '\n';
        return 2;
    }
    const auto result = lint->lint_paths(
        paths, type.empty() ? std::nullopt : parse_config_type(type));

    for (const auto& e : result.errors) {
        err << "mailtls-lint: " << terminal_safe(e.path) << ": " << terminal_safe(e.message)
            << '\n';
    }
    if (format == "json") {
        render_json(result, out);
    } else {
        const char* no_color = std::getenv("NO_COLOR");
        const bool use_color =
            color == "always" ||
            (color == "auto" && out_is_terminal && (no_color == nullptr || *no_color == '\0'));
        render_text(result, out, {use_color});
    }
    return exit_status(result, *parse_severity(fail_level));
}

}  // namespace mailtls::cli
