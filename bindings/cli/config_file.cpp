#include "config_file.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "mailtls/registry.hpp"

namespace mailtls::cli {

namespace fs = std::filesystem;

std::optional<fs::path> find_config_file(const fs::path& start) {
    std::error_code ec;
    auto dir = fs::absolute(start, ec);
    if (ec) {
        return std::nullopt;
    }
    // A directory chain is finite and every step goes up, so this ends at the root.
    while (true) {
        const auto candidate = dir / k_config_file_name;
        if (fs::is_regular_file(candidate, ec)) {
            return candidate;
        }
        const auto parent = dir.parent_path();
        if (parent == dir || parent.empty()) {
            return std::nullopt;
        }
        dir = parent;
    }
}

namespace {

/// Reads one configuration file and reports its first problem with its place.
class reader {
public:
    reader(std::string path, config_file& out) : path_(std::move(path)), out_(out) {}

    bool fail(const toml::source_region& where, const std::string& message) {
        if (error_.empty()) {
            error_ = path_ + ":" + std::to_string(where.begin.line) + ":" +
                     std::to_string(where.begin.column) + ": " + message;
        }
        return false;
    }
    [[nodiscard]] const std::string& error() const noexcept { return error_; }

    bool read(const toml::table& root) {
        return for_each_key(root, "", {"versions", "lint", "postfix", "overrides"},
                            [&](const std::string& key, const toml::node& node,
                                const std::string& name) {
                                if (key == "versions") {
                                    return read_versions(node, name);
                                }
                                if (key == "lint") {
                                    return read_lint(node, name);
                                }
                                if (key == "postfix") {
                                    return read_postfix(node, name);
                                }
                                return read_overrides(node, name);
                            });
    }

private:
    using visitor =
        std::function<bool(const std::string& key, const toml::node&, const std::string& name)>;

    /// Visits the keys of a table, failing on one not in `known`.
    bool for_each_key(const toml::table& table, const std::string& prefix,
                      std::initializer_list<std::string_view> known, const visitor& visit) {
        for (auto&& [key, node] : table) {
            const std::string k(key.str());
            const auto name = prefix.empty() ? k : prefix + "." + k;
            if (std::find(known.begin(), known.end(), k) == known.end()) {
                std::string list;
                for (const auto& n : known) {
                    list += (list.empty() ? "" : ", ") + std::string(n);
                }
                return fail(key.source(), "unknown key '" + name + "' (known keys" +
                                              (prefix.empty() ? "" : " in [" + prefix + "]") +
                                              ": " + list + ")");
            }
            if (!visit(k, node, name)) {
                return false;
            }
        }
        return true;
    }

    const toml::table* table_of(const toml::node& node, const std::string& name) {
        if (const auto* t = node.as_table()) {
            return t;
        }
        fail(node.source(), "'" + name + "' must be a table");
        return nullptr;
    }

    std::optional<std::string> string_of(const toml::node& node, const std::string& name,
                                         std::string_view example) {
        if (const auto* s = node.as_string()) {
            return s->get();
        }
        fail(node.source(), "'" + name + "' must be a string such as " + std::string(example));
        return std::nullopt;
    }

    /// A release number; `four_parts` for Dovecot, which numbers some releases 2.3.19.1.
    std::optional<version> version_of(const toml::node& node, const std::string& name,
                                      std::string_view example, bool four_parts) {
        const auto text = string_of(node, name, example);
        if (!text) {
            return std::nullopt;
        }
        if (auto v = four_parts ? version::parse_dovecot(*text) : version::parse(*text)) {
            return v;
        }
        fail(node.source(), "'" + name + "' = \"" + *text + "\" is not a version such as " +
                                std::string(example));
        return std::nullopt;
    }

    std::optional<severity> severity_of(const toml::node& node, const std::string& name) {
        const auto text = string_of(node, name, "\"warning\"");
        if (!text) {
            return std::nullopt;
        }
        if (const auto s = parse_severity(*text)) {
            return s;
        }
        fail(node.source(),
             "'" + name + "' = \"" + *text + "\" is not a severity: use error, warning or info");
        return std::nullopt;
    }

    /// An array of rule codes or prefixes, each matching some rule.
    std::optional<std::vector<std::string>> codes_of(const toml::node& node,
                                                     const std::string& name) {
        const auto* array = node.as_array();
        if (array == nullptr) {
            fail(node.source(), "'" + name + "' must be an array of rule codes such as [\"PF1\"]");
            return std::nullopt;
        }
        std::vector<std::string> codes;
        const auto& rules = registry::global().rules();
        for (const auto& item : *array) {
            const auto* s = item.as_string();
            if (s == nullptr) {
                fail(item.source(),
                     "'" + name + "' must hold strings (rule codes such as \"PF1\")");
                return std::nullopt;
            }
            const auto& code = s->get();
            if (std::none_of(rules.begin(), rules.end(), [&](const auto& r) {
                    return r->metadata().code.starts_with(code);
                })) {
                fail(item.source(), "'" + code + "' in '" + name + "' matches no rule code");
                return std::nullopt;
            }
            codes.push_back(code);
        }
        return codes;
    }

    bool read_severities(const toml::node& node, const std::string& name,
                         std::map<std::string, severity, std::less<>>& out) {
        const auto* table = table_of(node, name);
        if (table == nullptr) {
            return false;
        }
        for (auto&& [key, value] : *table) {
            const std::string code(key.str());
            if (registry::global().find(code) == nullptr) {
                return fail(key.source(), "'" + name + "." + code + "': '" + code +
                                              "' is not a rule code");
            }
            const auto level = severity_of(value, name + "." + code);
            if (!level) {
                return false;
            }
            out[code] = *level;
        }
        return true;
    }

    bool read_versions(const toml::node& node, const std::string& name) {
        const auto* table = table_of(node, name);
        return table != nullptr &&
               for_each_key(*table, name, {"postfix", "dovecot"},
                            [&](const std::string& key, const toml::node& value,
                                const std::string& full) {
                                auto& slot = key == "postfix" ? out_.postfix_version
                                                              : out_.dovecot_version;
                                const bool postfix = key == "postfix";
                                slot = version_of(value, full,
                                                  postfix ? "\"3.7\"" : "\"2.3.19.1\"",
                                                  !postfix);
                                return slot.has_value();
                            });
    }

    bool read_lint(const toml::node& node, const std::string& name) {
        const auto* table = table_of(node, name);
        return table != nullptr &&
               for_each_key(*table, name, {"select", "ignore", "fail_level", "severity"},
                            [&](const std::string& key, const toml::node& value,
                                const std::string& full) {
                                if (key == "select" || key == "ignore") {
                                    auto& slot = key == "select" ? out_.select : out_.ignore;
                                    slot = codes_of(value, full);
                                    return slot.has_value();
                                }
                                if (key == "fail_level") {
                                    out_.fail_level = severity_of(value, full);
                                    return out_.fail_level.has_value();
                                }
                                return read_severities(value, full, out_.severities);
                            });
    }

    bool read_postfix(const toml::node& node, const std::string& name) {
        const auto* table = table_of(node, name);
        return table != nullptr &&
               for_each_key(*table, name, {"roles"}, [&](const std::string&,
                                                         const toml::node& value,
                                                         const std::string& full) {
                   const auto* roles = table_of(value, full);
                   if (roles == nullptr) {
                       return false;
                   }
                   for (auto&& [key, role] : *roles) {
                       const std::string service(key.str());
                       const auto where = full + ".\"" + service + "\"";
                       const auto text = string_of(role, where, "\"submission\"");
                       if (!text) {
                           return false;
                       }
                       if (*text != "submission" && *text != "mx" && *text != "implicit-tls" &&
                           *text != "other") {
                           return fail(role.source(),
                                       "'" + where + "' = \"" + *text +
                                           "\" is not a role: use submission, mx, implicit-tls "
                                           "or other");
                       }
                       out_.postfix_roles[service] = *text;
                   }
                   return true;
               });
    }

    bool read_overrides(const toml::node& node, const std::string& name) {
        const auto* array = node.as_array();
        if (array == nullptr || !array->is_array_of_tables()) {
            return fail(node.source(), "'" + name + "' must be an array of tables ([[overrides]])");
        }
        const auto base = fs::absolute(fs::path(path_)).parent_path().lexically_normal().string();
        for (const auto& item : *array) {
            const auto& table = *item.as_table();
            lint_override o;
            o.base = base;
            bool has_paths = false;
            const bool ok = for_each_key(
                table, name, {"paths", "select", "ignore", "severity"},
                [&](const std::string& key, const toml::node& value, const std::string& full) {
                    if (key == "paths") {
                        const auto* paths = value.as_array();
                        if (paths == nullptr || paths->empty()) {
                            return fail(value.source(), "'" + full +
                                                            "' must be a non-empty array of "
                                                            "globs such as [\"roles/legacy/**\"]");
                        }
                        for (const auto& p : *paths) {
                            const auto* s = p.as_string();
                            if (s == nullptr || s->get().empty()) {
                                return fail(p.source(), "'" + full + "' must hold non-empty "
                                                                     "strings (globs)");
                            }
                            o.paths.push_back(s->get());
                        }
                        has_paths = true;
                        return true;
                    }
                    if (key == "select" || key == "ignore") {
                        auto codes = codes_of(value, full);
                        if (!codes) {
                            return false;
                        }
                        (key == "select" ? o.select : o.ignore) = std::move(*codes);
                        return true;
                    }
                    return read_severities(value, full, o.severities);
                });
            if (!ok) {
                return false;
            }
            if (!has_paths) {
                return fail(table.source(), "an entry of '" + name + "' needs 'paths'");
            }
            out_.overrides.push_back(std::move(o));
        }
        return true;
    }

    std::string path_;
    config_file& out_;
    std::string error_;
};

}  // namespace

std::optional<config_file> load_config_file(const std::string& path, std::string& error) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        error = path + ": " +
                (fs::exists(path, ec) ? "not a regular file" : "No such file or directory");
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = path + ": " + std::error_code(errno, std::generic_category()).message();
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = toml::parse(text.str(), path);
    if (!parsed) {
        const auto& e = parsed.error();
        error = path + ":" + std::to_string(e.source().begin.line) + ":" +
                std::to_string(e.source().begin.column) + ": " + std::string(e.description());
        return std::nullopt;
    }
    config_file out;
    out.path = path;
    reader r(path, out);
    if (!r.read(parsed.table())) {
        error = r.error();
        return std::nullopt;
    }
    return out;
}

}  // namespace mailtls::cli
