#include "mailtls/linter.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>

#include "mailtls/instance.hpp"
#include "mailtls/parse.hpp"
#include "mailtls/registry.hpp"

namespace mailtls {

namespace fs = std::filesystem;

std::string_view to_string(config_type t) noexcept {
    switch (t) {
        case config_type::postfix_main: return "postfix-main";
        case config_type::postfix_master: return "postfix-master";
        case config_type::dovecot: return "dovecot";
    }
    return "unknown";
}

std::optional<config_type> parse_config_type(std::string_view text) noexcept {
    for (const auto t : {config_type::postfix_main, config_type::postfix_master,
                         config_type::dovecot}) {
        if (to_string(t) == text) {
            return t;
        }
    }
    return std::nullopt;
}

std::string_view to_string(severity s) noexcept {
    switch (s) {
        case severity::info: return "info";
        case severity::warning: return "warning";
        case severity::error: return "error";
    }
    return "unknown";
}

std::optional<severity> parse_severity(std::string_view text) noexcept {
    for (const auto s : {severity::info, severity::warning, severity::error}) {
        if (to_string(s) == text) {
            return s;
        }
    }
    return std::nullopt;
}

version default_postfix_version() noexcept { return {3, 11, -1}; }
version default_dovecot_version() noexcept { return {2, 3, 21}; }

std::optional<config_type> config_type_from_name(std::string_view path) noexcept {
    const auto slash = path.rfind('/');
    const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
    if (base.starts_with("main.cf")) {
        return config_type::postfix_main;
    }
    if (base.starts_with("master.cf")) {
        return config_type::postfix_master;
    }
    if (base.starts_with("dovecot") || base.ends_with(".conf")) {
        return config_type::dovecot;
    }
    return std::nullopt;
}

namespace {

/// Files larger than this are refused rather than read into memory.
constexpr std::uintmax_t k_max_file_size = std::uintmax_t{64} << 20;

struct loaded_file {
    std::shared_ptr<const source_file> source;
    config_type type;
};

/// Reads a regular file whole; anything else (a directory, a FIFO, a device) is an error.
std::optional<std::string> read_file(const std::string& path, std::string& error) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec) {
        error = ec.message();
        return std::nullopt;
    }
    if (!fs::is_regular_file(status)) {
        error = "not a regular file";
        return std::nullopt;
    }
    const auto size = fs::file_size(path, ec);
    if (ec) {
        error = ec.message();
        return std::nullopt;
    }
    if (size > k_max_file_size) {
        error = "file larger than the limit of " + std::to_string(k_max_file_size >> 20) + " MiB";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = std::error_code(errno, std::generic_category()).message();
        return std::nullopt;
    }
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (in.bad()) {
        error = "read error";
        return std::nullopt;
    }
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

class collecting_sink final : public diagnostic_sink {
public:
    collecting_sink(const lint_options& options, std::vector<diagnostic>& out)
        : options_(options), out_(out) {}

    void report(diagnostic d) override {
        if (const auto it = options_.severities.find(d.code); it != options_.severities.end()) {
            d.level = it->second;
        }
        out_.push_back(std::move(d));
    }

private:
    const lint_options& options_;
    std::vector<diagnostic>& out_;
};

bool matches_any(std::string_view code, const std::vector<std::string>& patterns) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return code.starts_with(p); });
}

bool is_selected(const lint_options& options, std::string_view code) {
    return (options.select.empty() || matches_any(code, options.select)) &&
           !matches_any(code, options.ignore);
}

void check_instance(const lint_options& options, const lint_context& context,
                    std::vector<diagnostic>& out) {
    collecting_sink sink(options, out);
    for (const auto& r : registry::global().rules()) {
        if (is_selected(options, r->metadata().code)) {
            r->check(context, sink);
        }
    }
}

void sort_diagnostics(std::vector<diagnostic>& diagnostics) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const diagnostic& a, const diagnostic& b) {
                         const std::string_view pa = a.where.file ? a.where.file->path() : "";
                         const std::string_view pb = b.where.file ? b.where.file->path() : "";
                         if (pa != pb) {
                             return pa < pb;
                         }
                         if (a.where.range.begin != b.where.range.begin) {
                             return a.where.range.begin < b.where.range.begin;
                         }
                         return a.code < b.code;
                     });
}

}  // namespace

linter::linter(lint_options options) : options_(std::move(options)) {
    for (const auto* list : {&options_.select, &options_.ignore}) {
        for (const auto& pattern : *list) {
            const auto& rules = registry::global().rules();
            if (std::none_of(rules.begin(), rules.end(), [&](const auto& r) {
                    return r->metadata().code.starts_with(pattern);
                })) {
                throw usage_error("'" + pattern + "' matches no rule code");
            }
        }
    }
    for (const auto& [code, level] : options_.severities) {
        if (registry::global().find(code) == nullptr) {
            throw usage_error("'" + code + "' is not a rule code");
        }
    }
}

namespace {

/// Groups loaded files into instances and lints each one.
void lint_files(const lint_options& options, std::vector<loaded_file> files, lint_result& result) {
    // main.cf and master.cf in one directory form one Postfix instance.
    std::map<std::string, postfix_instance> postfix_by_dir;
    // A second main.cf (or master.cf) of one directory is an instance of its own.
    std::vector<postfix_instance> postfix_alone;
    for (auto& f : files) {
        result.sources.push_back(f.source);
        const bool is_main = f.type == config_type::postfix_main;
        if (!is_main && f.type != config_type::postfix_master) {
            continue;
        }
        const auto dir = fs::path(f.source->path()).parent_path().string();
        auto* instance = &postfix_by_dir[dir];
        if (is_main ? instance->main_cf.has_value() : instance->master_cf.has_value()) {
            instance = &postfix_alone.emplace_back();
        }
        if (is_main) {
            instance->main_cf.emplace(
                parsed_file<ast::main_cf>{f.source, parse_postfix_main(*f.source)});
        } else {
            instance->master_cf.emplace(
                parsed_file<ast::master_cf>{f.source, parse_postfix_master(*f.source)});
        }
    }
    auto check_postfix = [&](const postfix_instance& instance) {
        lint_context context;
        context.postfix = &instance;
        context.postfix_version = result.postfix_version;
        context.dovecot_version = result.dovecot_version;
        check_instance(options, context, result.diagnostics);
    };
    for (const auto& [dir, instance] : postfix_by_dir) {
        check_postfix(instance);
    }
    for (const auto& instance : postfix_alone) {
        check_postfix(instance);
    }
    sort_diagnostics(result.diagnostics);
}

lint_result empty_result(const lint_options& options) {
    lint_result result;
    result.postfix_version = options.postfix_version.value_or(default_postfix_version());
    result.dovecot_version = options.dovecot_version.value_or(default_dovecot_version());
    return result;
}

}  // namespace

lint_result linter::lint_text(std::string text, config_type type, std::string path) const {
    auto result = empty_result(options_);
    std::vector<loaded_file> files;
    files.push_back({std::make_shared<const source_file>(std::move(path), std::move(text)), type});
    lint_files(options_, std::move(files), result);
    return result;
}

lint_result linter::lint_paths(const std::vector<std::string>& paths,
                               std::optional<config_type> type) const {
    auto result = empty_result(options_);
    std::vector<loaded_file> files;
    auto load = [&](const std::string& path, config_type t) {
        std::string error;
        if (auto text = read_file(path, error)) {
            files.push_back({std::make_shared<const source_file>(path, std::move(*text)), t});
        } else {
            result.errors.push_back({path, std::move(error)});
        }
    };
    for (const auto& path : paths) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            bool found = false;
            for (const auto& [name, t] : {std::pair{"main.cf", config_type::postfix_main},
                                          std::pair{"master.cf", config_type::postfix_master},
                                          std::pair{"dovecot.conf", config_type::dovecot}}) {
                const auto file = (fs::path(path) / name).string();
                if (fs::exists(file, ec)) {
                    load(file, t);
                    found = true;
                }
            }
            if (!found) {
                result.errors.push_back(
                    {path, "no main.cf, master.cf or dovecot.conf in this directory"});
            }
            continue;
        }
        const auto t = type ? type : config_type_from_name(path);
        if (!t) {
            result.errors.push_back(
                {path, "cannot tell the type of this file from its name; name it with "
                       "--type postfix-main, postfix-master or dovecot"});
            continue;
        }
        load(path, *t);
    }
    lint_files(options_, std::move(files), result);
    return result;
}

}  // namespace mailtls
