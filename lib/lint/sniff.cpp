// Recognising a configuration file by its text, for names that say nothing.

#include <array>
#include <cctype>
#include <string_view>

#include "mailtls/linter.hpp"

namespace mailtls {

namespace {

constexpr bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_blank(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_blank(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

/// The first `N` whitespace-separated fields of a line, and how many there are in all.
template <std::size_t N>
std::size_t split_fields(std::string_view line, std::array<std::string_view, N>& fields) noexcept {
    std::size_t count = 0;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_blank(line[i])) {
            ++i;
        }
        const auto start = i;
        while (i < line.size() && !is_blank(line[i])) {
            ++i;
        }
        if (i > start) {
            if (count < N) {
                fields[count] = line.substr(start, i - start);
            }
            ++count;
        }
    }
    return count;
}

bool is_flag(std::string_view f) noexcept { return f == "-" || f == "y" || f == "n"; }

bool is_number_or_default(std::string_view f, bool allow_question_mark) noexcept {
    if (f == "-") {
        return true;
    }
    if (allow_question_mark && f.ends_with('?')) {
        f.remove_suffix(1);
    }
    if (f.empty()) {
        return false;
    }
    for (const char c : f) {
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
            return false;
        }
    }
    return true;
}

/// `service type private unpriv chroot wakeup maxproc command...` (master.cf(5)).
bool is_master_service_line(std::string_view line) noexcept {
    std::array<std::string_view, 8> f{};
    if (split_fields(line, f) < 8) {
        return false;
    }
    const bool known_type = f[1] == "inet" || f[1] == "unix" || f[1] == "unix-dgram" ||
                            f[1] == "fifo" || f[1] == "pass";
    return known_type && is_flag(f[2]) && is_flag(f[3]) && is_flag(f[4]) &&
           is_number_or_default(f[5], true) && is_number_or_default(f[6], false);
}

/// `name = value` with a name of letters, digits, '_', '.' or '-'; `value` set to what follows.
bool is_name_value_line(std::string_view line, std::string_view& value) noexcept {
    std::size_t i = 0;
    while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) != 0 ||
                               line[i] == '_' || line[i] == '.' || line[i] == '-')) {
        ++i;
    }
    if (i == 0) {
        return false;
    }
    const auto rest = trim(line.substr(i));
    if (rest.empty() || rest.front() != '=') {
        return false;
    }
    value = trim(rest.substr(1));
    return true;
}

}  // namespace

std::optional<config_type> config_type_from_content(std::string_view text) noexcept {
    bool dovecot = false, master = false, main = false;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        const auto line = text.substr(0, eol);
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
        const auto content = trim(line);
        if (content.empty() || content.front() == '#') {
            continue;
        }
        if (content == "}" || content.back() == '{' || content.starts_with("!include")) {
            dovecot = true;
            continue;
        }
        if (is_blank(line.front())) {
            continue;  // a continuation line (Postfix) or a setting inside a section (Dovecot)
        }
        std::string_view value;
        if (is_master_service_line(line)) {
            master = true;
        } else if (is_name_value_line(line, value)) {
            (value.starts_with('<') ? dovecot : main) = true;
        }
    }
    if (dovecot && !master) {
        return config_type::dovecot;  // Dovecot files hold `name = value` lines too
    }
    if (master && !dovecot && !main) {
        return config_type::postfix_master;
    }
    if (main && !dovecot && !master) {
        return config_type::postfix_main;
    }
    return std::nullopt;
}

}  // namespace mailtls
