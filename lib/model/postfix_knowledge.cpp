#include "model/postfix_knowledge.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <stdexcept>

#include "model/never_destroyed.hpp"
#include "name_table.hpp"
#include "model/suggest.hpp"
#include "parse/text.hpp"

namespace mailtls::model {

namespace {

using detail::iequals;
using detail::split;
using detail::split_into;

// --- small text helpers ------------------------------------------------------------------

bool all_digits(std::string_view s) noexcept {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}


std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// --- the data ----------------------------------------------------------------------------

/// A row of the D and M records: a value for a range of releases and levels.
using override_list = std::vector<default_override>;

struct service_suffix {
    std::string_view suffix;
    std::vector<std::string_view> programs;
    std::string_view default_parameter;
};

struct knowledge {
    std::vector<parameter_info> parameters;  // sorted by name
    /// Positions in `parameters` by name: find_parameter() runs for every line of a main.cf.
    detail::name_table by_name;
    std::vector<release> series;             // oldest first
    std::vector<service_suffix> suffixes;
    std::map<std::string_view, release_set, std::less<>> features;
    std::map<std::string_view, release_set, std::less<>> table_types;
    std::map<std::string_view, override_list, std::less<>> master_fields;
};

[[noreturn]] void bad_data(std::size_t line, const std::string& what) {
    throw std::logic_error("postfix_parameters.tsv line " + std::to_string(line) + ": " + what);
}

std::optional<version> parse_version_field(std::string_view field, std::size_t line) {
    if (field == "-") {
        return std::nullopt;
    }
    auto v = version::parse(field);
    if (!v) {
        bad_data(line, "bad version '" + std::string(field) + "'");
    }
    if (v->patch < 0) {
        v->patch = 0;
    }
    return v;
}

release_set parse_release_set(std::string_view field, std::size_t line) {
    release_set set;
    if (field == "-") {
        return set;
    }
    // one version, or a few: no vector of the parts
    while (true) {
        const auto comma = field.find(',');
        set.from.push_back(*parse_version_field(field.substr(0, comma), line));
        if (comma == std::string_view::npos) {
            break;
        }
        field.remove_prefix(comma + 1);
    }
    std::sort(set.from.begin(), set.from.end());
    return set;
}

default_override parse_override(std::span<const std::string_view> f, std::size_t line) {
    // from until compat value
    default_override o;
    o.from = parse_version_field(f[0], line);
    o.until = parse_version_field(f[1], line);
    const auto compat = f[2];
    if (compat != "-") {
        const bool below = compat.starts_with("<");
        const bool at_least = compat.starts_with(">=");
        const auto level = parse_compatibility_level(compat.substr(below ? 1 : at_least ? 2 : 0));
        if ((!below && !at_least) || !level) {
            bad_data(line, "bad compatibility condition '" + std::string(compat) + "'");
        }
        (below ? o.below_level : o.at_least_level) = level;
    }
    o.value = f[3];
    return o;
}

void parse_type(parameter_info& p, std::string_view type, std::size_t line) {
    if (type.ends_with("?")) {
        p.empty_allowed = true;
        type.remove_suffix(1);
    }
    auto arguments = std::string_view{};
    if (const auto open = type.find('('); open != std::string_view::npos) {
        if (!type.ends_with(")")) {
            bad_data(line, "unclosed type argument");
        }
        arguments = type.substr(open + 1, type.size() - open - 2);
        type = type.substr(0, open);
    }
    static constexpr std::array<std::pair<std::string_view, value_type>, 13> k_types{{
        {"bool", value_type::boolean},
        {"int", value_type::integer},
        {"size", value_type::size},
        {"time", value_type::time},
        {"enum", value_type::enumeration},
        {"set", value_type::set},
        {"list", value_type::list},
        {"maps", value_type::lookup_tables},
        {"restrictions", value_type::restrictions},
        {"protocols", value_type::protocol_list},
        {"grade", value_type::cipher_grade},
        {"level", value_type::compatibility_level},
        {"string", value_type::string},
    }};
    const auto it = std::find_if(k_types.begin(), k_types.end(),
                                 [&](const auto& t) { return t.first == type; });
    if (it == k_types.end()) {
        bad_data(line, "unknown type '" + std::string(type) + "'");
    }
    p.type = it->second;
    if (p.type == value_type::time) {
        if (arguments.size() != 1 || std::string_view("smhdw").find(arguments[0]) == std::string_view::npos) {
            bad_data(line, "time needs a unit");
        }
        p.time_unit = arguments[0];
    } else if (p.type == value_type::enumeration || p.type == value_type::set) {
        for (const auto item : split(arguments, '|')) {
            enum_value v;
            const auto at = item.find('@');
            v.name = item.substr(0, at);
            if (at != std::string_view::npos) {
                v.since = parse_version_field(item.substr(at + 1), line);
            }
            if (v.name.empty()) {
                bad_data(line, "empty enumeration value");
            }
            p.values.push_back(v);
        }
    } else if (!arguments.empty()) {
        bad_data(line, "type takes no argument");
    }
    if (p.type == value_type::cipher_grade) {
        for (const auto grade : {"high", "medium", "low", "export", "null"}) {
            p.values.push_back({grade, std::nullopt});
        }
    }
}

knowledge load(std::string_view text) {
    knowledge k;
    std::map<std::string_view, override_list, std::less<>> overrides;
    std::size_t line_number = 0;
    std::vector<std::string_view> f;  // the fields of a row, reused from row to row
    for (auto line : split(text, '\n')) {
        ++line_number;
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (line.empty() || line.starts_with('#')) {
            continue;
        }
        split_into(line, '\t', f);
        const auto kind = f[0];
        const auto need = [&](std::size_t n) {
            if (f.size() != n) {
                bad_data(line_number, "'" + std::string(kind) + "' needs " + std::to_string(n) +
                                          " fields, not " + std::to_string(f.size()));
            }
        };
        if (kind == "P") {
            need(8);
            auto& p = k.parameters.emplace_back();  // filled in place: the record is large
            p.name = f[1];
            parse_type(p, f[2], line_number);
            p.introduced = parse_release_set(f[3], line_number);
            if (f[4] == "?") {
                p.obsolete = true;
            } else {
                p.deprecated = parse_version_field(f[4], line_number);
            }
            p.removed = parse_version_field(f[5], line_number);
            p.replacement = f[6] == "-" ? std::string_view{} : f[6];
            p.default_known = f[7] != "?";
            p.default_value = p.default_known ? f[7] : std::string_view{};
        } else if (kind == "D") {
            need(6);
            overrides[f[1]].push_back(parse_override(std::span(f).subspan(2), line_number));
        } else if (kind == "M") {
            need(6);
            k.master_fields[f[1]].push_back(parse_override(std::span(f).subspan(2), line_number));
        } else if (kind == "S") {
            need(4);
            k.suffixes.push_back({f[1], split(f[2], ','), f[3]});
        } else if (kind == "F") {
            need(3);
            k.features[f[1]] = parse_release_set(f[2], line_number);
        } else if (kind == "T") {
            need(3);
            k.table_types[f[1]] = parse_release_set(f[2], line_number);
        } else if (kind == "R") {
            need(4);
            const auto series = version::parse(f[1]);
            int patch = -1;
            const auto [ptr, ec] = std::from_chars(f[2].data(), f[2].data() + f[2].size(), patch);
            if (!series || series->patch >= 0 || ec != std::errc() ||
                ptr != f[2].data() + f[2].size() || patch < 0) {
                bad_data(line_number, "bad release");
            }
            k.series.push_back({*series, patch});
        } else {
            bad_data(line_number, "unknown record kind '" + std::string(kind) + "'");
        }
    }
    // The data lists the parameters in order already, and sorting them anyway (moving whole
    // parameter_info records around) cost a sixth of the load.
    const auto name_order = [](const auto& a, const auto& b) { return a.name < b.name; };
    if (!std::is_sorted(k.parameters.begin(), k.parameters.end(), name_order)) {
        std::sort(k.parameters.begin(), k.parameters.end(), name_order);
    }
    for (std::size_t i = 1; i < k.parameters.size(); ++i) {
        if (k.parameters[i - 1].name == k.parameters[i].name) {
            throw std::logic_error("postfix_parameters.tsv: duplicate parameter " +
                                   std::string(k.parameters[i].name));
        }
    }
    for (auto& [name, list] : overrides) {
        const auto it = std::lower_bound(k.parameters.begin(), k.parameters.end(), name,
                                         [](const auto& p, std::string_view n) { return p.name < n; });
        if (it == k.parameters.end() || it->name != name) {
            throw std::logic_error("postfix_parameters.tsv: default for unknown parameter " +
                                   std::string(name));
        }
        it->default_overrides = std::move(list);
    }
    std::sort(k.series.begin(), k.series.end(),
              [](const auto& a, const auto& b) { return a.series < b.series; });
    const auto count = static_cast<std::uint32_t>(k.parameters.size());
    k.by_name = detail::name_table(count);  // the first row of a name
    k.by_name.first_of_all(
        count, [&k](std::uint32_t i) { return std::string_view(k.parameters[i].name); });
    return k;
}

const knowledge& data() {
    static const detail::never_destroyed<knowledge> k(load(detail::postfix_parameters_tsv()));
    return k.get();
}

/// The did-you-mean index of the parameter names, built on the first suggestion: most runs
/// never meet an unknown name.
const detail::name_suggester& suggester() {
    static const detail::name_suggester s = [] {
        std::vector<std::string_view> names;
        names.reserve(data().parameters.size());
        for (const auto& p : data().parameters) {
            names.push_back(p.name);
        }
        return detail::name_suggester(std::move(names));
    }();
    return s;
}

/// `v` with every component present, for comparisons against the data's X.Y.Z versions.
version full(version v) { return resolve(v); }

bool applies(const default_override& o, version target, version level) {
    if (o.from && target < *o.from) {
        return false;
    }
    if (o.until && !(target < *o.until)) {
        return false;
    }
    if (o.below_level && !(level < *o.below_level)) {
        return false;
    }
    if (o.at_least_level && level < *o.at_least_level) {
        return false;
    }
    return true;
}

const default_override* first_match(std::span<const default_override> list, version target,
                                    version level) {
    const auto t = full(target);
    const auto l = level.patch < 0 ? version{level.major, level.minor, 0} : level;
    for (const auto& o : list) {
        if (applies(o, t, l)) {
            return &o;
        }
    }
    return nullptr;
}

}  // namespace

// --- releases ----------------------------------------------------------------------------

std::span<const release> releases() { return data().series; }

std::optional<version> newest_patch(version series) {
    for (const auto& r : data().series) {
        if (r.series.major == series.major && r.series.minor == series.minor) {
            return version{series.major, series.minor, r.newest_patch};
        }
    }
    return std::nullopt;
}

version resolve(version v) {
    if (v.patch >= 0) {
        return v;
    }
    return newest_patch(v).value_or(version{v.major, v.minor, 0});
}

version default_target() {
    const auto& s = data().series;
    return s.empty() ? version{} : s.back().series;
}

std::optional<version> parse_compatibility_level(std::string_view text) {
    version v{0, 0, 0};
    int* parts[] = {&v.major, &v.minor, &v.patch};
    std::size_t count = 0;
    for (const auto part : split(text, '.')) {
        if (count == 3 || !all_digits(part) || part.size() > 6) {
            return std::nullopt;
        }
        std::from_chars(part.data(), part.data() + part.size(), *parts[count]);
        ++count;
    }
    return v;
}

bool release_set::contains(version v) const {
    if (from.empty()) {
        return true;
    }
    v = full(v);
    if (v < from.front()) {
        return false;
    }
    for (const auto& f : from) {
        if (f.major == v.major && f.minor == v.minor) {
            return !(v < f);
        }
    }
    return true;
}

std::optional<version> release_set::first() const {
    if (from.empty()) {
        return std::nullopt;
    }
    return from.front();
}

// --- parameters --------------------------------------------------------------------------

std::string_view to_string(value_type t) noexcept {
    switch (t) {
        case value_type::boolean: return "boolean";
        case value_type::integer: return "integer";
        case value_type::size: return "size";
        case value_type::time: return "time";
        case value_type::enumeration: return "enumeration";
        case value_type::set: return "set";
        case value_type::list: return "list";
        case value_type::lookup_tables: return "lookup tables";
        case value_type::restrictions: return "restrictions";
        case value_type::protocol_list: return "protocol list";
        case value_type::cipher_grade: return "cipher grade";
        case value_type::compatibility_level: return "compatibility level";
        case value_type::string: return "string";
    }
    return "string";
}

const parameter_info* find_parameter(std::string_view name) {
    const auto& k = data();
    const auto i = k.by_name.find(
        name, [&k](std::uint32_t at) { return std::string_view(k.parameters[at].name); });
    return i == detail::name_table::none ? nullptr : &k.parameters[i];
}

std::span<const parameter_info> all_parameters() { return data().parameters; }

availability availability_at(const parameter_info& info, version target) {
    const auto t = full(target);
    if (!info.introduced.contains(t)) {
        return availability::not_yet;
    }
    if (info.removed && !(t < *info.removed)) {
        return availability::removed;
    }
    if (info.obsolete || (info.deprecated && !(t < *info.deprecated))) {
        return availability::deprecated;
    }
    return availability::available;
}

bool is_known_at(const parameter_info& info, version target) {
    const auto a = availability_at(info, target);
    return a == availability::available || a == availability::deprecated;
}

bool is_known_at(std::string_view name, version target) {
    const auto* info = find_parameter(name);
    return info != nullptr && is_known_at(*info, target);
}

std::optional<std::string_view> default_value(const parameter_info& info, version target,
                                              version compatibility_level) {
    if (const auto* o = first_match(info.default_overrides, target, compatibility_level)) {
        return o->value;
    }
    if (!info.default_known) {
        return std::nullopt;
    }
    return info.default_value;
}

std::optional<std::string_view> default_value(std::string_view name, version target,
                                              version compatibility_level) {
    const auto* info = find_parameter(name);
    if (info == nullptr) {
        return std::nullopt;
    }
    return default_value(*info, target, compatibility_level);
}

version default_compatibility_level() {
    const auto* info = find_parameter("compatibility_level");
    return info == nullptr ? version{0, 0, 0}
                           : parse_compatibility_level(info->default_value).value_or(version{0, 0, 0});
}

// --- values ------------------------------------------------------------------------------

std::vector<list_item> split_list(std::string_view value, std::string_view separators) {
    std::vector<list_item> items;
    std::size_t i = 0;
    while (i < value.size()) {
        if (separators.find(value[i]) != std::string_view::npos) {
            ++i;
            continue;
        }
        const auto start = i;
        int depth = 0;
        while (i < value.size() &&
               (depth > 0 || separators.find(value[i]) == std::string_view::npos)) {
            if (value[i] == '{') {
                ++depth;
            } else if (value[i] == '}' && depth > 0) {
                --depth;
            }
            ++i;
        }
        items.push_back({value.substr(start, i - start), static_cast<std::uint32_t>(start)});
    }
    return items;
}

std::string_view to_string(tls_protocol p) noexcept {
    static constexpr std::array<std::string_view, k_tls_protocol_count> k_names{
        "SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"};
    return k_names[static_cast<std::size_t>(p)];
}

namespace {

/// The wire version of each protocol, as Postfix compares bounds.
constexpr std::array<unsigned, k_tls_protocol_count> k_wire{0x0002, 0x0300, 0x0301,
                                                           0x0302, 0x0303, 0x0304};

std::optional<tls_protocol> protocol_named(std::string_view name) {
    for (std::size_t i = 0; i < k_tls_protocol_count; ++i) {
        const auto p = static_cast<tls_protocol>(i);
        if (iequals(name, to_string(p))) {
            return p;
        }
    }
    return std::nullopt;
}

/// A bound's version: a protocol name, or four hex digits with an optional 0x.
std::optional<unsigned> bound_version(std::string_view text, bool& hex) {
    if (const auto p = protocol_named(text)) {
        return k_wire[static_cast<std::size_t>(*p)];
    }
    if (text.starts_with("0x") || text.starts_with("0X")) {
        text.remove_prefix(2);
    }
    unsigned v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 16);
    if (text.size() != 4 || ec != std::errc() || ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    hex = true;
    return v;
}

value_error error_at(std::string message, const list_item& item) {
    return {std::move(message), item.offset, static_cast<std::uint32_t>(item.text.size())};
}

value_error whole(std::string message, std::string_view value) {
    return {std::move(message), 0, static_cast<std::uint32_t>(value.size())};
}

std::string value_names(const parameter_info& info) {
    std::string names;
    for (const auto& v : info.values) {
        names += names.empty() ? "" : ", ";
        names += v.name;
    }
    return names;
}

bool needs_newer(const std::optional<version>& since, const std::optional<version>& target) {
    return since && target && full(*target) < *since;
}

std::optional<value_error> check_number(const parameter_info& info, std::string_view value) {
    if (!all_digits(value)) {
        return whole(quoted(value) + " is not a number", value);
    }
    if (value.size() > (info.type == value_type::integer ? 9U : 18U)) {
        return whole(quoted(value) + " is too large for '" + std::string(info.name) + "'", value);
    }
    return std::nullopt;
}

std::optional<value_error> check_time(std::string_view value) {
    auto digits = value;
    if (!digits.empty() && std::string_view("smhdw").find(digits.back()) != std::string_view::npos) {
        digits.remove_suffix(1);
    }
    if (!all_digits(digits)) {
        return whole(quoted(value) + " is not a time (a number with an optional unit s, m, h, d or w)",
                     value);
    }
    if (digits.size() > 9) {
        return whole(quoted(value) + " is too large a time", value);
    }
    return std::nullopt;
}

const enum_value* find_value(const parameter_info& info, std::string_view text) {
    const auto it = std::find_if(info.values.begin(), info.values.end(),
                                 [&](const auto& v) { return iequals(v.name, text); });
    return it == info.values.end() ? nullptr : &*it;
}

std::optional<value_error> check_item_value(const parameter_info& info, const list_item& item,
                                            const std::optional<version>& target,
                                            std::string_view what) {
    const auto* v = find_value(info, item.text);
    if (v == nullptr) {
        return error_at(quoted(item.text) + " is not " + std::string(what) + " (" +
                            value_names(info) + ")",
                        item);
    }
    if (needs_newer(v->since, target)) {
        return error_at(quoted(item.text) + " needs Postfix " + v->since->to_string() +
                            " or later (target " + target->to_string() + ")",
                        item);
    }
    return std::nullopt;
}

std::optional<value_error> check_tables(std::string_view value, const std::optional<version>& target) {
    for (const auto& item : split_list(value)) {
        const auto colon = item.text.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            return error_at(quoted(item.text) + " is not a lookup table (type:name)", item);
        }
        const auto type = item.text.substr(0, colon);
        const auto* since = find_table_type(type);
        const list_item type_item{type, item.offset};
        if (since == nullptr) {
            return error_at(quoted(type) + " is not a lookup table type", type_item);
        }
        if (target && !since->contains(*target)) {
            return error_at(quoted(type) + " tables need Postfix " + since->first()->to_string() +
                                " or later (target " + target->to_string() + ")",
                            type_item);
        }
    }
    return std::nullopt;
}

}  // namespace

protocol_list_analysis analyze_protocol_list(std::string_view value) {
    protocol_list_analysis result;
    protocol_set include;
    protocol_set exclude;
    unsigned lowest = 0;
    unsigned highest = 0;
    for (const auto& item : split_list(value, ", \t\r\n:")) {
        auto text = item.text;
        if (text.starts_with(">=") || text.starts_with("<=")) {
            const bool at_least = text[0] == '>';
            bool hex = false;
            const auto v = bound_version(text.substr(2), hex);
            if (!v) {
                result.error = error_at(quoted(text) + " is not a protocol bound (such as '>=TLSv1.2')", item);
                return result;
            }
            result.has_bounds = true;
            result.has_hex_bound = result.has_hex_bound || hex;
            result.mentions_tlsv1_3 = result.mentions_tlsv1_3 || iequals(text.substr(2), "TLSv1.3");
            (at_least ? lowest : highest) = *v;
            continue;
        }
        const bool negated = text.starts_with('!');
        if (negated) {
            text.remove_prefix(1);
        }
        const auto p = protocol_named(text);
        if (!p) {
            result.error = error_at(quoted(item.text) +
                                        " is not a TLS protocol (SSLv2, SSLv3, TLSv1, TLSv1.1, "
                                        "TLSv1.2, TLSv1.3, optionally with '!' or '>=')",
                                    item);
            return result;
        }
        result.mentions_tlsv1_3 = result.mentions_tlsv1_3 || *p == tls_protocol::tlsv1_3;
        if (negated) {
            result.has_exclude = true;
            exclude.insert(*p);
        } else {
            result.has_include = true;
            include.insert(*p);
        }
    }
    for (std::size_t i = 0; i < k_tls_protocol_count; ++i) {
        const auto p = static_cast<tls_protocol>(i);
        const bool excluded = exclude.contains(p) || (include.bits != 0 && !include.contains(p));
        const bool in_bounds = (lowest == 0 || k_wire[i] >= lowest) && (highest == 0 || k_wire[i] <= highest);
        if (!excluded && in_bounds) {
            result.enabled.insert(p);
        }
    }
    return result;
}

std::optional<value_error> validate(const parameter_info& info, std::string_view value,
                                    std::optional<version> target) {
    if (value.find('$') != std::string_view::npos) {
        return std::nullopt;
    }
    if (value.empty()) {
        switch (info.type) {
            case value_type::boolean:
            case value_type::integer:
            case value_type::size:
            case value_type::time:
            case value_type::enumeration:
            case value_type::cipher_grade:
            case value_type::compatibility_level:
                if (!info.empty_allowed) {
                    return value_error{"an empty value is not a valid " +
                                           std::string(to_string(info.type)) + " for '" +
                                           std::string(info.name) + "'",
                                       0, 0};
                }
                return std::nullopt;
            default:
                return std::nullopt;
        }
    }
    switch (info.type) {
        case value_type::boolean:
            if (!iequals(value, "yes") && !iequals(value, "no")) {
                return whole(quoted(value) + " is not a boolean ('yes' or 'no')", value);
            }
            return std::nullopt;
        case value_type::integer:
        case value_type::size:
            return check_number(info, value);
        case value_type::time:
            return check_time(value);
        case value_type::enumeration:
        case value_type::cipher_grade:
            return check_item_value(info, {value, 0}, target,
                                    info.type == value_type::cipher_grade ? "a cipher grade"
                                                                         : "a valid value");
        case value_type::set:
            for (const auto& item : split_list(value)) {
                if (auto e = check_item_value(info, item, target, "a valid item")) {
                    return e;
                }
            }
            return std::nullopt;
        case value_type::lookup_tables:
            return check_tables(value, target);
        case value_type::protocol_list: {
            auto analysis = analyze_protocol_list(value);
            if (analysis.error) {
                return analysis.error;
            }
            if (target && analysis.has_bounds && !feature_available("protocol_bounds", *target)) {
                return whole(quoted(value) + " uses '>=' / '<=' protocol bounds, which need Postfix " +
                                 feature_introduced("protocol_bounds").first()->to_string() +
                                 " or later (target " + target->to_string() + ")",
                             value);
            }
            if (target && analysis.mentions_tlsv1_3 && !feature_available("protocol_tlsv1_3", *target)) {
                return whole("'TLSv1.3' is not a protocol name Postfix " + target->to_string() +
                                 " knows",
                             value);
            }
            return std::nullopt;
        }
        case value_type::compatibility_level:
            if (!parse_compatibility_level(value)) {
                return whole(quoted(value) + " is not a compatibility level (such as '2' or '3.6')", value);
            }
            return std::nullopt;
        case value_type::list:
        case value_type::restrictions:
        case value_type::string:
            return std::nullopt;
    }
    return std::nullopt;
}

// --- service-defined parameters ----------------------------------------------------------

std::optional<service_parameter> match_service_parameter(std::string_view name,
                                                         std::span<const master_service> services,
                                                         std::optional<version> target) {
    for (const auto& s : data().suffixes) {
        if (name.size() <= s.suffix.size() + 1 || !name.ends_with(s.suffix) ||
            name[name.size() - s.suffix.size() - 1] != '_') {
            continue;
        }
        const auto service = name.substr(0, name.size() - s.suffix.size() - 1);
        const bool runs_program = std::any_of(services.begin(), services.end(), [&](const auto& m) {
            return m.name == service &&
                   (m.program.empty() ||
                    std::find(s.programs.begin(), s.programs.end(), m.program) != s.programs.end());
        });
        if (!runs_program) {
            continue;
        }
        if (target && !is_known_at(s.default_parameter, *target)) {
            continue;
        }
        return service_parameter{service, s.suffix, s.default_parameter};
    }
    return std::nullopt;
}

// --- syntax features and lookup tables ---------------------------------------------------

const release_set& feature_introduced(std::string_view feature) {
    const auto& features = data().features;
    const auto it = features.find(feature);
    if (it == features.end()) {
        throw std::out_of_range("unknown Postfix feature " + std::string(feature));
    }
    return it->second;
}

bool feature_available(std::string_view feature, version target) {
    return feature_introduced(feature).contains(target);
}

const release_set* find_table_type(std::string_view type) {
    const auto& types = data().table_types;
    const auto it = types.find(type);
    return it == types.end() ? nullptr : &it->second;
}

std::optional<std::string_view> master_field_default(std::string_view field, version target,
                                                     version compatibility_level) {
    const auto& fields = data().master_fields;
    const auto it = fields.find(field);
    if (it == fields.end()) {
        return std::nullopt;
    }
    const auto* o = first_match(it->second, target, compatibility_level);
    return o == nullptr ? std::nullopt : std::optional<std::string_view>(o->value);
}

// --- suggestions -------------------------------------------------------------------------

std::vector<std::string_view> suggest_parameters(std::string_view name, version target) {
    std::vector<std::string_view> names;
    for (const auto& m : suggester().suggest(name, detail::name_suggester::k_max_distance, 8)) {
        if (names.size() < 3 && is_known_at(m.name, target)) {
            names.push_back(m.name);
        }
    }
    return names;
}

}  // namespace mailtls::model
