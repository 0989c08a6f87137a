#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <ostream>

#include "config_file.hpp"
#include "mailtls/linter.hpp"
#include "mailtls/registry.hpp"
#include "mailtls/report.hpp"

namespace mailtls::cli {

namespace {

constexpr int k_usage_error = 2;

CLI::Validator postfix_version_validator() {
    return CLI::Validator(
        [](const std::string& text) -> std::string {
            return version::parse(text) ? "" : "'" + text + "' is not a version like 3.7 or 3.7.1";
        },
        "X.Y[.Z]");
}

/// Dovecot numbers patch-of-patch releases with four parts (2.3.19.1, as Debian 12's
/// `dovecot --version` prints it).
CLI::Validator dovecot_version_validator() {
    return CLI::Validator(
        [](const std::string& text) -> std::string {
            return version::parse_dovecot(text)
                       ? ""
                       : "'" + text + "' is not a version like 2.4, 2.3.19 or 2.3.19.1";
        },
        "X.Y[.Z[.W]]");
}

CLI::Validator severity_override_validator() {
    return CLI::Validator(
        [](const std::string& text) -> std::string {
            const auto eq = text.find('=');
            if (eq == std::string::npos || eq == 0 || !parse_severity(text.substr(eq + 1))) {
                return "'" + text + "' is not CODE=LEVEL with LEVEL error, warning or info";
            }
            return "";
        },
        "CODE=LEVEL");
}

const char* const k_description =
    "mailtls-lint: find TLS and authentication mistakes in Postfix and Dovecot configurations "
    "before they reach a mail server.\n\n"
    "Lints files and directories (a directory stands for the main.cf and master.cf, or the "
    "dovecot.conf and its includes, in it). Settings come from .mailtls-lint.toml, found in the "
    "working directory or above it; command-line options win over it.";

const char* const k_footer =
    "Commands:\n"
    "  mailtls-lint rules            list every rule (code, name, severity, dialect, versions)\n"
    "  mailtls-lint explain CODE     print a rule's documentation, e.g. explain PF101\n"
    "  mailtls-lint show PATH...     print the configuration as the daemons see it: main.cf\n"
    "                                as postconf -n, each smtpd service's TLS/SASL values and\n"
    "                                where each comes from (--service submission/inet for\n"
    "                                one), Dovecot settings after includes and its listeners\n"
    "  (lint a file or directory named 'rules', 'explain' or 'show' as ./rules, ...)\n\n"
    "Examples:\n"
    "  mailtls-lint /etc/postfix /etc/dovecot\n"
    "  mailtls-lint --type postfix-main --format json source\n"
    "  mailtls-lint --postfix-version 3.4 main.cf master.cf\n"
    "  mailtls-lint --format sarif /etc/postfix > mailtls.sarif\n"
    "  mailtls-lint --severity PF002=error --fail-level error main.cf\n"
    "  cat main.cf | mailtls-lint --type postfix-main --stdin-filename roles/mx/main.cf -\n\n"
    "Inline suppression, on the line above a setting: "
    "# mailtls-lint: disable=PF002 -- reason\n\n"
    "Exit status: 0 no finding at or above the fail level, 1 findings, 2 usage, configuration "
    "file or I/O error. See mailtls-lint(1).";

void print_rules(std::ostream& out) {
    std::size_t name_width = 4;
    for (const auto& r : registry::global().rules()) {
        name_width = std::max(name_width, r->metadata().name.size());
    }
    auto row = [&](std::string_view code, std::string_view name, std::string_view level,
                   std::string_view dialect, std::string_view versions) {
        out << code << std::string(7 - std::min<std::size_t>(code.size(), 6), ' ') << name
            << std::string(name_width + 2 - name.size(), ' ') << level
            << std::string(9 - std::min<std::size_t>(level.size(), 8), ' ') << dialect
            << std::string(9 - std::min<std::size_t>(dialect.size(), 8), ' ') << versions
            << '\n';
    };
    row("CODE", "NAME", "SEVERITY", "DIALECT", "VERSIONS");
    for (const auto& r : registry::global().rules()) {
        const auto& m = r->metadata();
        row(m.code, m.name, to_string(m.default_severity), to_string(m.dialect), m.versions);
    }
}

const rule* find_rule(std::string_view code_or_name) {
    for (const auto& r : registry::global().rules()) {
        const auto& m = r->metadata();
        if (m.code == code_or_name || m.name == code_or_name) {
            return r.get();
        }
    }
    return nullptr;
}

void print_errors(const std::vector<io_error>& errors, std::ostream& err) {
    for (const auto& e : errors) {
        err << "mailtls-lint: " << terminal_safe(e.path) << ": " << terminal_safe(e.message)
            << '\n';
    }
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        bool out_is_terminal, bool exits_after) {
    return run(args, std::cin, out, err, out_is_terminal, exits_after);
}

int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err, bool out_is_terminal, bool exits_after) {
    CLI::App app{k_description, "mailtls-lint"};
    app.set_version_flag("--version", std::string("mailtls-lint ") + MAILTLS_VERSION);
    app.footer(k_footer);
    app.require_subcommand(0, 1);

    std::vector<std::string> paths;
    app.add_option("paths", paths,
                   "Files or directories to lint, e.g. /etc/postfix main.cf; '-' reads standard "
                   "input (then --type is required)");
    std::string type;
    app.add_option("--type", type,
                   "Type of every file argument, for names that say nothing "
                   "(e.g. Ansible's 'source'): postfix-main, postfix-master or dovecot; "
                   "e.g. --type postfix-main")
        ->check(CLI::IsMember({"postfix-main", "postfix-master", "dovecot"}));
    std::string stdin_filename;
    app.add_option("--stdin-filename", stdin_filename,
                   "Name that reports give the text read from '-', e.g. "
                   "--stdin-filename roles/mx/files/main.cf (default '-')");
    std::string format = "text";
    app.add_option("--format", format,
                   "Output format: text (clang style, with a summary line), json, sarif (SARIF "
                   "2.1.0) or github (workflow commands that annotate a pull request); "
                   "e.g. --format sarif")
        ->check(CLI::IsMember({"text", "json", "sarif", "github"}))
        ->capture_default_str();
    std::string postfix_version;
    app.add_option("--postfix-version", postfix_version,
                   "Postfix release to judge against, e.g. --postfix-version 3.7 (default " +
                       default_postfix_version().to_string() +
                       ", the newest stable release the data knows)")
        ->check(postfix_version_validator());
    std::string dovecot_version;
    app.add_option("--dovecot-version", dovecot_version,
                   "Dovecot release to judge against, e.g. --dovecot-version 2.3.19, or "
                   "2.3.19.1 as 'dovecot --version' prints it (judged as 2.3.19, reported as "
                   "written); default: inferred from the files, else " +
                       default_dovecot_version().to_string())
        ->check(dovecot_version_validator());
    std::vector<std::string> select;
    auto* select_opt =
        app.add_option("--select", select,
                       "Only run rules whose code starts with one of these, e.g. --select PF1,DV")
            ->delimiter(',')
            ->allow_extra_args(false);
    std::vector<std::string> ignore;
    auto* ignore_opt =
        app.add_option("--ignore", ignore,
                       "Skip rules whose code starts with one of these, e.g. --ignore PF115")
            ->delimiter(',')
            ->allow_extra_args(false);
    std::vector<std::string> severity_overrides;
    app.add_option("--severity", severity_overrides,
                   "Report a rule at another severity, e.g. --severity PF203=error,PF002=info "
                   "(repeatable)")
        ->delimiter(',')
        ->allow_extra_args(false)
        ->check(severity_override_validator());
    std::string fail_level = "warning";
    auto* fail_level_opt =
        app.add_option("--fail-level", fail_level,
                       "Lowest severity that makes the exit status 1: error, warning or info; "
                       "e.g. --fail-level error")
            ->check(CLI::IsMember({"error", "warning", "info"}))
            ->capture_default_str();
    std::string color = "auto";
    app.add_option("--color", color,
                   "Colour in text output: auto (only on a terminal, and not when NO_COLOR is "
                   "set), always or never; e.g. --color never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    std::uint64_t max_file_size = k_default_max_file_size;
    app.add_option("--max-file-size", max_file_size,
                   "Do not read a file (or standard input) larger than this: it is an I/O "
                   "error instead; e.g. --max-file-size 256MiB (default 64MiB)")
        ->transform(CLI::AsSizeValue(false));
    std::string config_path;
    auto* config_opt = app.add_option(
        "--config", config_path,
        "Read settings from this file instead of the .mailtls-lint.toml found in the working "
        "directory or above it, e.g. --config ci/mailtls-lint.toml");
    bool no_config = false;
    app.add_flag("--no-config", no_config, "Ignore every .mailtls-lint.toml")
        ->excludes(config_opt);

    auto* rules_cmd = app.add_subcommand("rules", "List every rule: code, name, severity, "
                                                  "dialect and versions");
    auto* explain_cmd = app.add_subcommand("explain", "Print a rule's documentation, e.g. "
                                                      "mailtls-lint explain PF101");
    std::string explain_code;
    explain_cmd->add_option("code", explain_code, "A rule code or name, e.g. PF101")->required();
    auto* show_cmd = app.add_subcommand(
        "show", "Print the configuration as the daemons see it, with where each value comes "
                "from, e.g. mailtls-lint show /etc/postfix");
    show_cmd->fallthrough();  // --format, --type, the versions, ... after `show` too
    show_cmd->add_option("paths", paths,
                         "Files or directories, as for linting; '-' reads standard input");
    std::string service;
    show_cmd->add_option("--service", service,
                         "Only this Postfix smtpd service, as NAME/TYPE, e.g. --service "
                         "submission/inet");

    std::vector<std::string> cli_args(args.rbegin(), args.rend() - 1);
    try {
        app.parse(cli_args);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e, out, err);
        return code == 0 ? 0 : k_usage_error;
    }

    if (rules_cmd->parsed() || explain_cmd->parsed()) {
        if (!paths.empty()) {
            err << "mailtls-lint: error: '" << (rules_cmd->parsed() ? "rules" : "explain")
                << "' is a command; to lint a path of that name, write it as ./"
                << (rules_cmd->parsed() ? "rules" : "explain") << '\n';
            return k_usage_error;
        }
        if (rules_cmd->parsed()) {
            if (format == "json") {
                render_rules_json(registry::global().rules(), out);
            } else if (format == "text") {
                print_rules(out);
            } else {
                err << "mailtls-lint: error: 'rules' prints text or json, not " << format
                    << '\n';
                return k_usage_error;
            }
            return 0;
        }
        const auto* r = find_rule(explain_code);
        if (r == nullptr) {
            err << "mailtls-lint: error: '" << terminal_safe(explain_code)
                << "' is not a rule code or name; 'mailtls-lint rules' lists them\n";
            return k_usage_error;
        }
        render_rule_markdown(r->metadata(), out);
        return 0;
    }
    if (show_cmd->parsed() && format != "text" && format != "json") {
        err << "mailtls-lint: error: 'show' prints text or json, not " << format << '\n';
        return k_usage_error;
    }
    if (paths.empty()) {
        err << "mailtls-lint: error: no path to " << (show_cmd->parsed() ? "show" : "lint")
            << "; try mailtls-lint --help\n";
        return k_usage_error;
    }
    const bool from_stdin = std::find(paths.begin(), paths.end(), "-") != paths.end();
    if (from_stdin && paths.size() > 1) {
        err << "mailtls-lint: error: '-' (standard input) must be the only path\n";
        return k_usage_error;
    }
    if (from_stdin && type.empty()) {
        err << "mailtls-lint: error: reading standard input needs --type postfix-main, "
               "postfix-master or dovecot\n";
        return k_usage_error;
    }
    if (!stdin_filename.empty() && !from_stdin) {
        err << "mailtls-lint: error: --stdin-filename is only for '-' (standard input)\n";
        return k_usage_error;
    }

    // The configuration file first; then the command line on top of it.
    std::optional<config_file> config;
    if (!no_config) {
        std::string path = config_path;
        if (path.empty()) {
            std::error_code ec;
            if (const auto found = find_config_file(std::filesystem::current_path(ec))) {
                path = found->string();
            }
        }
        if (!path.empty()) {
            std::string error;
            config = load_config_file(path, error);
            if (!config) {
                err << "mailtls-lint: error: " << terminal_safe(error) << '\n';
                return k_usage_error;
            }
        }
    }
    lint_options options;
    options.free_memory = !exits_after;
    severity fail = severity::warning;
    if (config) {
        options.postfix_version = config->postfix_version;
        options.dovecot_version = config->dovecot_version;
        options.select = config->select.value_or(std::vector<std::string>{});
        options.ignore = config->ignore.value_or(std::vector<std::string>{});
        options.severities = config->severities;
        options.overrides = config->overrides;
        options.postfix_roles = config->postfix_roles;
        fail = config->fail_level.value_or(fail);
    }
    if (!postfix_version.empty()) {
        options.postfix_version = version::parse(postfix_version);
    }
    if (!dovecot_version.empty()) {
        options.dovecot_version = version::parse_dovecot(dovecot_version);
    }
    if (select_opt->count() > 0) {
        options.select = std::move(select);
    }
    if (ignore_opt->count() > 0) {
        options.ignore = std::move(ignore);
    }
    for (const auto& item : severity_overrides) {
        const auto eq = item.find('=');
        options.severities[item.substr(0, eq)] = *parse_severity(item.substr(eq + 1));
    }
    if (fail_level_opt->count() > 0) {
        fail = *parse_severity(fail_level);
    }

    options.max_file_size = max_file_size;

    std::optional<linter> lint;
    try {
        lint.emplace(std::move(options));
    } catch (const usage_error& e) {
        err << "mailtls-lint: error: " << e.what() << '\n';
        return k_usage_error;
    }
    std::optional<std::string> stdin_text;
    if (from_stdin) {
        // read at most one byte more than the limit: enough to know it is passed
        std::string text;
        std::array<char, 65536> chunk{};
        while (text.size() <= max_file_size &&
               in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())).gcount() > 0) {
            text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
        }
        if (in.bad()) {
            err << "mailtls-lint: -: read error\n";
            return k_usage_error;
        }
        if (text.size() > max_file_size) {
            err << "mailtls-lint: -: input larger than the limit of " << max_file_size
                << " bytes (--max-file-size)\n";
            return k_usage_error;
        }
        stdin_text = std::move(text);
    }
    const auto given_type = type.empty() ? std::nullopt : parse_config_type(type);
    const auto stdin_name = stdin_filename.empty() ? std::string("-") : stdin_filename;
    if (show_cmd->parsed()) {
        const auto shown = stdin_text ? lint->show_text(std::move(*stdin_text), *given_type,
                                                        stdin_name)
                                      : lint->show_paths(paths, given_type);
        print_errors(shown.errors, err);
        const bool any = std::any_of(shown.postfix.begin(), shown.postfix.end(),
                                     [&](const shown_postfix& p) {
                                         return std::any_of(
                                             p.services.begin(), p.services.end(),
                                             [&](const auto& s) { return s.service == service; });
                                     });
        if (!service.empty() && !any) {
            err << "mailtls-lint: error: no smtpd service '" << terminal_safe(service)
                << "' (NAME/TYPE as in master.cf, e.g. submission/inet)\n";
            return k_usage_error;
        }
        if (format == "json") {
            render_show_json(shown, out, service);
        } else {
            render_show_text(shown, out, service);
        }
        return shown.errors.empty() ? 0 : k_usage_error;
    }
    lint_result result = stdin_text ? lint->lint_text(std::move(*stdin_text), *given_type,
                                                      stdin_name)
                                    : lint->lint_paths(paths, given_type);

    print_errors(result.errors, err);
    if (format == "json") {
        render_json(result, out);
    } else if (format == "sarif") {
        render_sarif(result, out);
    } else if (format == "github") {
        render_github(result, out);
    } else {
        const char* no_color = std::getenv("NO_COLOR");
        const bool use_color =
            color == "always" ||
            (color == "auto" && out_is_terminal && (no_color == nullptr || *no_color == '\0'));
        render_text(result, out, {use_color});
    }
    return exit_status(result, fail);
}

}  // namespace mailtls::cli
