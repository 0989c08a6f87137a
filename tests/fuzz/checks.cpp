#include "checks.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <sstream>

#include "mailtls/report.hpp"

namespace mailtls::fuzz {

void require(bool ok, std::string_view what) {
    if (!ok) {
        std::fprintf(stderr, "contract broken: %.*s\n", static_cast<int>(what.size()),
                     what.data());
        std::abort();
    }
}

void require_range(byte_range r, std::size_t size, std::string_view what) {
    require(r.begin <= r.end && r.end <= size, what);
}

namespace {

/// The pieces, read from `text`, concatenate to `joined`.
void require_pieces(std::string_view text, std::span<const byte_range> pieces,
                    std::string_view joined, std::string_view what) {
    std::string concatenated;
    for (const auto& piece : pieces) {
        require_range(piece, text.size(), what);
        concatenated += text.substr(piece.begin, piece.size());
    }
    require(concatenated == joined, what);
}

void require_word(std::string_view text, const ast::master_cf_word& word, std::string_view what) {
    require_range(word.range, text.size(), what);
    if (!word.pieces.empty()) {
        require_pieces(text, word.pieces, word.text, what);
    }
}

void require_location(const location& where, const lint_result& result, std::string_view what) {
    if (where.file == nullptr) {
        return;
    }
    const bool held = std::any_of(result.sources.begin(), result.sources.end(),
                                  [&](const auto& s) { return s.get() == where.file; });
    require(held, what);
    require_range(where.range, where.file->text().size(), what);
}

}  // namespace

void check_parse(const source_file& source, const ast::main_cf& ast) {
    const auto text = source.text();
    for (const auto& p : ast.parameters) {
        require_range(p.range, text.size(), "main.cf parameter range");
        require_range(p.name_range, text.size(), "main.cf name range");
        require_range(p.value_range, text.size(), "main.cf value range");
        require(source.slice(p.name_range) == p.name, "main.cf name matches its range");
        require_pieces(text, p.value_pieces, p.value, "main.cf value pieces give the value");
    }
    for (const auto& c : ast.comments) {
        require_range(c.range, text.size(), "main.cf comment range");
    }
    for (const auto& r : ast.orphan_lines) {
        require_range(r, text.size(), "main.cf orphan line range");
    }
    for (const auto& e : ast.errors) {
        require_range(e.range, text.size(), "main.cf syntax error range");
        require(!e.message.empty(), "main.cf syntax error has a message");
    }
}

void check_parse(const source_file& source, const ast::master_cf& ast) {
    const auto text = source.text();
    for (const auto& e : ast.entries) {
        require_range(e.range, text.size(), "master.cf entry range");
        for (const auto* word : {&e.service, &e.type_word, &e.private_flag.word,
                                 &e.unprivileged_flag.word, &e.chroot_flag.word, &e.wakeup,
                                 &e.process_limit, &e.command}) {
            require_word(text, *word, "master.cf field");
        }
        for (const auto& a : e.arguments) {
            require_word(text, a.word, "master.cf argument");
        }
        for (const auto& o : e.overrides) {
            require_range(o.range, text.size(), "master.cf -o range");
            require_range(o.option_range, text.size(), "master.cf -o option range");
            require_range(o.name_range, text.size(), "master.cf -o name range");
            require_range(o.value_range, text.size(), "master.cf -o value range");
            require(o.option_index < e.arguments.size() && o.value_index < e.arguments.size(),
                    "master.cf -o indexes its arguments");
            if (o.usable()) {
                require_pieces(text, o.value_pieces, o.value, "master.cf -o pieces give the value");
            }
        }
        require_range(e.host_range, text.size(), "master.cf host range");
        require_range(e.port_range, text.size(), "master.cf port range");
    }
    for (const auto& c : ast.comments) {
        require_range(c.range, text.size(), "master.cf comment range");
    }
    for (const auto& e : ast.errors) {
        require_range(e.range, text.size(), "master.cf syntax error range");
        require(!e.message.empty(), "master.cf syntax error has a message");
    }
}

void check_parse(const source_file& source, const ast::dovecot_file& ast) {
    const auto size = source.text().size();
    require(!ast.sections.empty(), "a Dovecot file has its root section");
    for (const auto& s : ast.settings) {
        require_range(s.range(), size, "Dovecot setting range");
        require_range(s.key_range, size, "Dovecot key range");
        require_range(s.value.range, size, "Dovecot value range");
        require(s.section < ast.sections.size(), "Dovecot setting names its section");
        for (const auto& piece : ast.pieces(s)) {
            require_range(piece, size, "Dovecot value piece");
        }
        for (const auto& r : ast.references(s)) {
            require_range(r.range, size, "Dovecot reference range");
        }
    }
    for (const auto& s : ast.sections) {
        require_range(s.header_range, size, "Dovecot section header range");
        require_range(s.close_range, size, "Dovecot section close range");
        require(s.parent < ast.sections.size(), "Dovecot section names its parent");
        for (const auto& child : s.children) {
            const std::size_t count =
                child.kind == ast::dovecot_section::entry_kind::setting   ? ast.settings.size()
                : child.kind == ast::dovecot_section::entry_kind::section ? ast.sections.size()
                                                                          : ast.includes.size();
            require(child.index < count, "Dovecot section child exists");
        }
    }
    for (const auto& i : ast.includes) {
        require_range(i.range, size, "Dovecot include range");
        require_range(i.pattern_range, size, "Dovecot include pattern range");
    }
    for (const auto& q : ast.comment_quirks) {
        require_range(q.range, size, "Dovecot comment quirk range");
    }
    for (const auto& e : ast.errors) {
        require_range(e.range, size, "Dovecot syntax error range");
        require(!e.message.empty(), "Dovecot syntax error has a message");
    }
}

void check_parse(const ast::parsed_value& value, std::size_t size) {
    // Operands nest; walk them with an explicit stack as the parser bounds their depth.
    std::vector<const std::vector<ast::value_part>*> pending{&value.parts};
    while (!pending.empty()) {
        const auto* parts = pending.back();
        pending.pop_back();
        for (const auto& part : *parts) {
            require_range(part.range, size, "value part range");
            require(part.text().size() == part.range.size(), "value part text matches its range");
            part.for_each_operand([&](const ast::value_operand& operand) {
                require_range(operand.range, size, "value operand range");
                pending.push_back(&operand.parts);
            });
        }
    }
    for (const auto& e : value.errors) {
        require_range(e.range, size, "value error range");
    }
}

void check_result(const lint_result& result) {
    for (const auto& d : result.diagnostics) {
        require(!d.code.empty() && !d.message.empty(), "a finding has a code and a message");
        require_location(d.where, result, "finding range inside its file");
        for (const auto& n : d.notes) {
            require_location(n.where, result, "note range inside its file");
        }
        if (d.fix) {
            for (const auto& e : d.fix->edits) {
                require(e.where.file != nullptr, "a fix edit names its file");
                require_location(e.where, result, "fix edit range inside its file");
            }
        }
    }

    std::ostringstream text;
    render_text(result, text, {.color = false});
    const std::string out = text.str();
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto c = static_cast<unsigned char>(out[i]);
        require(c >= 0x20 ? c != 0x7F : (c == '\n' || c == '\t'),
                "text output holds no control character");
        require(!(c == 0xC2 && i + 1 < out.size() &&
                  static_cast<unsigned char>(out[i + 1]) >= 0x80 &&
                  static_cast<unsigned char>(out[i + 1]) < 0xA0),
                "text output holds no C1 control character");
    }

    require(out.find("\xE2\x80\xAE") == std::string::npos &&
                out.find("\xE2\x81\xA6") == std::string::npos,
            "text output holds no bidi override");

    std::ostringstream json, sarif, github;
    render_json(result, json);
    const auto doc = nlohmann::json::parse(json.str(), nullptr, false);
    require(!doc.is_discarded(), "JSON output parses back");
    require(doc["findings"].size() == result.diagnostics.size(),
            "JSON output holds every finding");
    // SARIF goes through the same writer as JSON (which throws on text it cannot encode),
    // and it carries the whole rule catalogue: render it, but parse back only the JSON
    render_sarif(result, sarif);
    require(sarif.str().starts_with("{"), "SARIF output is a document");
    render_github(result, github);
    std::istringstream lines(github.str());
    for (std::string line; std::getline(lines, line);) {
        require(line.starts_with("::"), "every GitHub output line is a workflow command");
    }
}

std::vector<std::string_view> split_files(std::string_view text) {
    constexpr std::string_view k_separator = "#@file\n";
    std::vector<std::string_view> files;
    std::size_t begin = 0;
    for (;;) {
        std::size_t at = text.find(k_separator, begin);
        while (at != std::string_view::npos && at != 0 && text[at - 1] != '\n') {
            at = text.find(k_separator, at + 1);
        }
        if (at == std::string_view::npos) {
            files.push_back(text.substr(begin));
            return files;
        }
        files.push_back(text.substr(begin, at - begin));
        begin = at + k_separator.size();
    }
}

}  // namespace mailtls::fuzz
