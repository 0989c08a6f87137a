#include "lint/selection.hpp"

#include "mailtls/registry.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <vector>

namespace mailtls::detail {

namespace fs = std::filesystem;

namespace {

/// One element of a compiled glob.
struct glob_token {
    enum class kind_type { literal, any_one, any_run, any_path, set };
    kind_type kind = kind_type::literal;
    char literal = 0;
    std::string set;  ///< for `set`: pairs of (low, high) characters
    bool negated = false;

    [[nodiscard]] bool matches(char c) const noexcept {
        switch (kind) {
            case kind_type::literal: return c == literal;
            case kind_type::any_one:
            case kind_type::any_run: return c != '/';
            case kind_type::any_path: return true;
            case kind_type::set: {
                if (c == '/') {
                    return false;
                }
                bool in = false;
                for (std::size_t i = 0; i + 1 < set.size(); i += 2) {
                    in = in || (set[i] <= c && c <= set[i + 1]);
                }
                return in != negated;
            }
        }
        return false;
    }
};

std::vector<glob_token> compile_glob(std::string_view pattern) {
    std::vector<glob_token> out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        glob_token t;
        if (c == '*') {
            if (i + 1 < pattern.size() && pattern[i + 1] == '*') {
                ++i;
                // `**/` also matches no directory at all: `a/**/b` matches `a/b`
                const bool starts_component = i == 1 || pattern[i - 2] == '/';
                if (starts_component && i + 1 < pattern.size() && pattern[i + 1] == '/') {
                    ++i;
                    t.kind = glob_token::kind_type::any_path;
                    t.literal = '/';  // marks "zero or more components, each ending in '/'"
                } else {
                    t.kind = glob_token::kind_type::any_path;
                }
            } else {
                t.kind = glob_token::kind_type::any_run;
            }
        } else if (c == '?') {
            t.kind = glob_token::kind_type::any_one;
        } else if (c == '[' && pattern.find(']', i + 2) != std::string_view::npos) {
            std::size_t j = i + 1;
            t.kind = glob_token::kind_type::set;
            if (pattern[j] == '!' || pattern[j] == '^') {
                t.negated = true;
                ++j;
            }
            const auto close = pattern.find(']', j + 1);
            for (; j < close; ++j) {
                const char low = pattern[j];
                char high = low;
                if (j + 2 < close && pattern[j + 1] == '-') {
                    high = pattern[j + 2];
                    j += 2;
                }
                t.set += low;
                t.set += high;
            }
            i = close;
        } else {
            t.literal = c;
        }
        out.push_back(std::move(t));
    }
    return out;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
    if (pattern.find('/') == std::string_view::npos) {
        const auto slash = path.rfind('/');
        if (slash != std::string_view::npos) {
            path.remove_prefix(slash + 1);
        }
    }
    const auto tokens = compile_glob(pattern);
    // reach[j]: the first j tokens match the path read so far; inside[j]: token j is a `**/`
    // in the middle of a component (so it cannot end before the next '/').
    const std::size_t n = tokens.size();
    std::vector<char> reach(n + 1, 0), next(n + 1, 0), inside(n + 1, 0), next_inside(n + 1, 0);
    auto is_components = [&](std::size_t j) {
        return tokens[j].kind == glob_token::kind_type::any_path && tokens[j].literal == '/';
    };
    auto close_over_empty = [&](std::vector<char>& r) {
        for (std::size_t j = 0; j < n; ++j) {
            const auto k = tokens[j].kind;
            if (r[j] && (k == glob_token::kind_type::any_run ||
                         k == glob_token::kind_type::any_path)) {
                r[j + 1] = 1;
            }
        }
    };
    reach[0] = 1;
    close_over_empty(reach);
    for (const char c : path) {
        std::fill(next.begin(), next.end(), 0);
        std::fill(next_inside.begin(), next_inside.end(), 0);
        for (std::size_t j = 0; j < n; ++j) {
            const auto& t = tokens[j];
            if (is_components(j)) {
                if (reach[j] || inside[j]) {
                    (c == '/' ? next : next_inside)[j] = 1;
                }
                continue;
            }
            if (!reach[j] || !t.matches(c)) {
                continue;
            }
            const bool repeats = t.kind == glob_token::kind_type::any_run ||
                                 t.kind == glob_token::kind_type::any_path;
            next[repeats ? j : j + 1] = 1;
        }
        close_over_empty(next);
        reach.swap(next);
        inside.swap(next_inside);
    }
    return reach[tokens.size()] != 0;
}

namespace {

/// `path` relative to `base`, with '/' separators; empty when it is not inside `base`.
std::string relative_to(std::string_view path, const std::string& base) {
    std::error_code ec;
    const auto absolute = fs::absolute(fs::path(path), ec).lexically_normal();
    if (ec) {
        return {};
    }
    const auto base_path =
        base.empty() ? fs::current_path(ec) : fs::absolute(fs::path(base), ec).lexically_normal();
    if (ec) {
        return {};
    }
    const auto rel = absolute.lexically_relative(base_path);
    const auto text = rel.generic_string();
    if (rel.empty() || text == ".." || text.starts_with("../")) {
        return {};
    }
    return text;
}

}  // namespace

bool override_applies(const lint_override& override, std::string_view path) {
    const auto rel = relative_to(path, override.base);
    if (rel.empty()) {
        return false;
    }
    return std::any_of(override.paths.begin(), override.paths.end(),
                       [&](const std::string& glob) { return glob_match(glob, rel); });
}

bool matches_any(std::string_view code, const std::vector<std::string>& patterns) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return code.starts_with(p); });
}

bool rule_selected(const lint_options& options, std::string_view code, std::string_view path) {
    if ((!options.select.empty() && !matches_any(code, options.select)) ||
        matches_any(code, options.ignore)) {
        return false;
    }
    for (const auto& o : options.overrides) {
        if (override_applies(o, path) &&
            ((!o.select.empty() && !matches_any(code, o.select)) || matches_any(code, o.ignore))) {
            return false;
        }
    }
    return true;
}

severity effective_severity(const lint_options& options, const diagnostic& d) {
    auto level = d.level;
    if (const auto it = options.severities.find(d.code); it != options.severities.end()) {
        level = it->second;
    }
    if (d.where.file != nullptr) {
        for (const auto& o : options.overrides) {
            if (const auto it = o.severities.find(d.code);
                it != o.severities.end() && override_applies(o, d.where.file->path())) {
                level = it->second;
            }
        }
    }
    return level;
}

void check_overrides_and_roles(const lint_options& options) {
    const auto& rules = registry::global().rules();
    for (const auto& o : options.overrides) {
        if (o.paths.empty()) {
            throw usage_error("an override needs at least one path glob");
        }
        for (const auto* list : {&o.select, &o.ignore}) {
            for (const auto& pattern : *list) {
                if (std::none_of(rules.begin(), rules.end(), [&](const auto& r) {
                        return r->metadata().code.starts_with(pattern);
                    })) {
                    throw usage_error("'" + pattern + "' matches no rule code");
                }
            }
        }
        for (const auto& [code, level] : o.severities) {
            if (registry::global().find(code) == nullptr) {
                throw usage_error("'" + code + "' is not a rule code");
            }
        }
    }
    for (const auto& [service, role] : options.postfix_roles) {
        if (role != "submission" && role != "mx" && role != "implicit-tls" && role != "other") {
            throw usage_error("'" + role + "' is not a Postfix service role (for '" + service +
                              "'): use submission, mx, implicit-tls or other");
        }
    }
}

}  // namespace mailtls::detail
