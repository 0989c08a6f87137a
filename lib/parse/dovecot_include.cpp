// The Dovecot include loader: follows `!include` and `!include_try` (config-parser.c
// config_parse_line() and its glob(3) call in 2.x; settings.c in 1.2), parsing each file
// read as its own source file, and walk_dovecot() over the result.

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string_view>
#include <vector>

#include "mailtls/parse.hpp"

namespace mailtls {

namespace {

namespace fs = std::filesystem;

/// Includes nested deeper than this are not followed (the daemon only stops at a cycle).
constexpr std::uint32_t k_max_include_depth = 20;
/// An instance reads at most this many files.
constexpr std::size_t k_max_files = 1000;
/// One glob reads at most this many of its matches.
constexpr std::size_t k_max_glob_matches = 1000;

using problem_kind = dovecot_include_problem::kind_type;

/// The paths a pattern matches, sorted as glob(3) sorts them (GLOB_BRACE as the daemon).
std::vector<std::string> expand(const std::string& pattern) {
    glob_t matches{};
    std::vector<std::string> result;
    if (::glob(pattern.c_str(), GLOB_BRACE, nullptr, &matches) == 0) {
        result.reserve(matches.gl_pathc);
        for (std::size_t i = 0; i < matches.gl_pathc; ++i) {
            result.emplace_back(matches.gl_pathv[i]);
        }
    }
    ::globfree(&matches);
    return result;
}

/// How many patterns the `{a,b}` alternatives of `pattern` expand to, as an upper bound that
/// stops counting past `limit`: glob(3) expands them one by one, so `{a,b}` forty times over
/// would never end.
std::size_t brace_alternatives(std::string_view pattern, std::size_t limit) {
    std::size_t product = 1;
    std::vector<std::size_t> open;  // alternatives so far in each open group
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\') {
            ++i;
        } else if (c == '{') {
            open.push_back(1);
        } else if (c == ',' && !open.empty()) {
            ++open.back();
        } else if (c == '}' && !open.empty()) {
            product = std::min(product * open.back(), limit + 1);
            open.pop_back();
        }
    }
    return product;
}

std::string canonical(const std::string& path) {
    std::error_code ec;
    auto result = fs::weakly_canonical(path, ec);
    return ec ? path : result.string();
}

class loader {
public:
    loader(dovecot_instance& out, const file_reader& read) : out_(out), read_(read) {}

    void add(std::shared_ptr<const source_file> source) {
        const auto path = canonical(source->path());
        by_path_[path] = static_cast<std::uint32_t>(out_.files.size());
        auto ast = parse_dovecot(*source, out_.options);
        out_.files.push_back({std::move(source), std::move(ast)});
        out_.include_targets.emplace_back();
        paths_.push_back(path);
    }

    /// Follows the includes of file `index`, which is `depth` includes below the top.
    void follow(std::uint32_t index, std::uint32_t depth) {
        reading_.push_back(index);
        const auto count = out_.files[index].ast.includes.size();
        out_.include_targets[index].resize(count);
        for (std::uint32_t i = 0; i < count; ++i) {
            follow_include(index, i, depth);
        }
        reading_.pop_back();
    }

private:
    void problem(problem_kind kind, std::uint32_t file, std::uint32_t include,
                 std::string message) {
        out_.include_problems.push_back({kind, file, include, std::move(message)});
    }

    void follow_include(std::uint32_t file, std::uint32_t i, std::uint32_t depth) {
        // copies: `out_.files` grows while the include is followed
        const auto include = out_.files[file].ast.includes[i];
        const auto& including = out_.files[file].source->path();
        std::string pattern = include.pattern;
        if (out_.options.syntax != ast::dovecot_syntax::v1 && !pattern.empty() &&
            pattern.front() != '/') {
            // 2.x: relative to the including file (fix_relative_path); 1.x: to the cwd
            pattern = (fs::path(including).parent_path() / pattern).string();
        }
        if (brace_alternatives(pattern, k_max_glob_matches) > k_max_glob_matches) {
            problem(problem_kind::too_many_matches, file, i,
                    "'" + include.pattern + "' has more than " +
                        std::to_string(k_max_glob_matches) +
                        " '{,}' alternatives: it is not expanded");
            return;
        }
        const bool literal = !out_.options.include_globs;
        std::vector<std::string> matches;
        if (literal) {
            // before 1.2.2 the name is opened as written, '*' and all
            std::error_code ec;
            if (fs::exists(pattern, ec)) {
                matches.push_back(pattern);
            }
        } else {
            matches = expand(pattern);
        }
        if (matches.empty()) {
            if (!include.try_only) {
                const bool glob = pattern.find_first_of("*?[{") != std::string::npos;
                problem(problem_kind::not_found, file, i,
                        literal && glob
                            ? "'" + include.pattern +
                                  "' names no file: Dovecot before 1.2.2 does not expand "
                                  "globs in !include and opens the name as written"
                            : "'" + include.pattern + "' matches no file");
            }
            return;
        }
        if (matches.size() > k_max_glob_matches) {
            problem(problem_kind::too_many_matches, file, i,
                    "'" + include.pattern + "' matches " + std::to_string(matches.size()) +
                        " files; only the first " + std::to_string(k_max_glob_matches) +
                        " are read");
            matches.resize(k_max_glob_matches);
        }
        for (const auto& match : matches) {
            const auto path = canonical(match);
            if (const auto it = by_path_.find(path); it != by_path_.end()) {
                if (std::find(reading_.begin(), reading_.end(), it->second) != reading_.end()) {
                    problem(problem_kind::cycle, file, i,
                            "'" + fs::path(including).filename().string() + "' includes '" +
                                fs::path(match).filename().string() +
                                "' again while it is being read: the includes loop");
                    continue;
                }
                out_.include_targets[file][i].push_back(it->second);
                continue;
            }
            if (depth + 1 > k_max_include_depth) {
                problem(problem_kind::too_deep, file, i,
                        "includes nested deeper than " + std::to_string(k_max_include_depth) +
                            " levels: '" + fs::path(match).filename().string() +
                            "' is not read");
                return;
            }
            if (out_.files.size() >= k_max_files) {
                problem(problem_kind::too_many_files, file, i,
                        "the configuration reads more than " + std::to_string(k_max_files) +
                            " files: '" + fs::path(match).filename().string() +
                            "' and the rest are not read");
                return;
            }
            std::string error;
            auto text = read_(match, error);
            if (!text) {
                if (!include.try_only) {
                    problem(problem_kind::unreadable, file, i,
                            "'" + include.pattern + "' matches '" +
                                fs::path(match).filename().string() +
                                "', which cannot be read (" + error + ")");
                }
                continue;
            }
            const auto index = static_cast<std::uint32_t>(out_.files.size());
            add(std::make_shared<const source_file>(match, std::move(*text)));
            out_.include_targets[file][i].push_back(index);
            follow(index, depth + 1);
        }
    }

    dovecot_instance& out_;
    const file_reader& read_;
    std::map<std::string, std::uint32_t> by_path_;
    std::vector<std::string> paths_;
    std::vector<std::uint32_t> reading_;  ///< the chain of files being read, top first
};

}  // namespace

dovecot_instance load_dovecot(std::shared_ptr<const source_file> top,
                              ast::dovecot_parse_options options, const file_reader& read) {
    dovecot_instance instance;
    instance.options = options;
    loader l(instance, read);
    l.add(std::move(top));
    l.follow(0, 0);
    return instance;
}

void walk_dovecot(const dovecot_instance& instance,
                  const std::function<void(const dovecot_setting_ref&)>& visit) {
    walk_dovecot(instance, visit, {});
}

void walk_dovecot(const dovecot_instance& instance,
                  const std::function<void(const dovecot_setting_ref&)>& visit,
                  const std::function<void(const dovecot_section_ref&)>& visit_section) {
    if (instance.files.empty()) {
        return;
    }
    // An explicit stack: a section frame walks a section's children, an include frame walks
    // the files an include read.
    struct frame {
        std::uint32_t file;
        std::uint32_t section;     ///< the section walked (section frames)
        std::uint32_t include;     ///< the include whose files are walked (include frames)
        std::uint32_t next = 0;    ///< the next child or target
        bool is_include = false;
        bool has_scope = false;    ///< pushed a scope (non-root sections)
    };
    std::vector<frame> stack{{0, 0, 0, 0, false, false}};
    std::vector<dovecot_scope> scopes;
    while (!stack.empty()) {
        auto& top = stack.back();
        const auto& file = instance.files[top.file];
        if (top.is_include) {
            const auto& targets = instance.include_targets[top.file][top.include];
            if (top.next == targets.size()) {
                stack.pop_back();
                continue;
            }
            const auto target = targets[top.next++];
            stack.push_back({target, 0, 0, 0, false, false});
            continue;
        }
        const auto& section = file.ast.sections[top.section];
        // a section's body is mostly settings: take a run of them in one go
        while (top.next < section.children.size() &&
               section.children[top.next].kind == ast::dovecot_section::entry_kind::setting) {
            const auto index = section.children[top.next++].index;
            if (visit) {
                visit({&file, &file.ast.settings[index], scopes});
            }
        }
        if (top.next == section.children.size()) {
            if (top.has_scope) {
                scopes.pop_back();
            }
            stack.pop_back();
            continue;
        }
        const auto child = section.children[top.next++];
        const auto file_index = top.file;
        switch (child.kind) {
            case ast::dovecot_section::entry_kind::setting:
                break;  // taken by the loop above
            case ast::dovecot_section::entry_kind::section:
                if (visit_section) {
                    visit_section({&file, &file.ast.sections[child.index], scopes});
                }
                scopes.push_back({&file, &file.ast.sections[child.index]});
                stack.push_back({file_index, child.index, 0, 0, false, true});
                break;
            case ast::dovecot_section::entry_kind::include:
                if (file_index < instance.include_targets.size() &&
                    child.index < instance.include_targets[file_index].size()) {
                    stack.push_back({file_index, 0, child.index, 0, true, false});
                }
                break;
        }
    }
}

}  // namespace mailtls
