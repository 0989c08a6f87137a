#include "lint/postfix.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>

#include "huge_pages.hpp"
#include "mailtls/parse.hpp"
#include "parse/text.hpp"
#include "two_threads.hpp"

namespace mailtls::detail {


byte_range rest_of_line(const source_file& source, std::uint32_t offset) noexcept {
    const auto line = source.line_range(source.position_of(offset).line);
    auto end = line.end;
    const auto text = source.text();
    while (end > offset && is_space(text[end - 1])) {
        --end;
    }
    return {offset, end};
}

byte_range logical_line_with_newline(const source_file& source,
                                     const ast::main_cf_parameter& param) noexcept {
    const auto text = source.text();
    auto end = param.range.end;
    while (end < text.size() && text[end] != '\n') {
        ++end;
    }
    if (end < text.size()) {
        ++end;
    }
    return {param.range.begin, end};
}

namespace {

/// Problems of one rule merged by place: the first problem at a place keeps its message, and
/// `describe(problem)` (a note naming where the problem applies, if any) and the problem's
/// own notes are gathered, once each, from every problem at that place. Linear in the number of problems.
template <typename Problem, typename Describe>
std::vector<Problem> merge_places(std::vector<Problem> problems, Describe describe) {
    std::vector<Problem> merged;
    std::map<std::tuple<const source_file*, std::uint32_t, std::uint32_t>, std::size_t> index;
    for (auto& p : problems) {
        auto own_notes = std::move(p.notes);
        auto applies = describe(p);
        const auto [it, inserted] = index.try_emplace(
            {p.where.file, p.where.range.begin, p.where.range.end}, merged.size());
        if (inserted) {
            merged.push_back(std::move(p));
            merged.back().notes.clear();
        }
        auto& m = merged[it->second];
        if (applies) {
            m.notes.push_back(std::move(*applies));
        }
        for (auto& n : own_notes) {
            const bool known = std::any_of(m.notes.begin(), m.notes.end(), [&](const note& o) {
                return o.message == n.message && o.where.file == n.where.file &&
                       o.where.range == n.where.range;
            });
            if (!known) {  // the same cause, seen from another service
                m.notes.push_back(std::move(n));
            }
        }
    }
    // A note that points at the finding's own place says nothing new.
    for (auto& m : merged) {
        std::erase_if(m.notes, [&](const note& n) {
            return n.where.file != nullptr && n.where.file == m.where.file &&
                   n.where.range == m.where.range;
        });
    }
    return merged;
}

}  // namespace

std::vector<service_problem> merge_by_place(std::vector<service_problem> problems,
                                            const model::postfix_model& model) {
    for (auto& p : problems) {
        if (p.where.file == nullptr) {
            p.where = p.service->where.file != nullptr ? p.service->where : model.fallback_place();
        }
    }
    std::erase_if(problems, [](const service_problem& p) {
        return p.where.file == nullptr;  // an instance without files: nothing to point at
    });
    auto merged = merge_places(std::move(problems), [](const service_problem& p) {
        const auto& service = *p.service;
        return std::optional<note>(note{"applies to the " +
                                            std::string(model::to_string(service.role)) +
                                            " service '" + service.label + "'",
                                        service.where});
    });
    if (const auto assumed = model.assumption_note()) {
        for (auto& m : merged) {
            m.notes.push_back(*assumed);
        }
    }
    return merged;
}

void report_service_problems(const rule& r, std::vector<service_problem> problems,
                             const model::postfix_model& model, diagnostic_sink& out) {
    for (auto& p : merge_by_place(std::move(problems), model)) {
        auto d = r.make_diagnostic(*p.where.file, p.where.range, std::move(p.message));
        d.notes = std::move(p.notes);
        out.report(std::move(d));
    }
}

std::vector<const ast::master_cf_entry*> smtp_client_contexts(
    const model::postfix_model& model) {
    auto clients = model.entries_running("smtp");
    if (clients.empty()) {
        clients.push_back(nullptr);
    }
    return clients;
}

model::setting client_setting(const model::postfix_model& model,
                              const ast::master_cf_entry* entry, std::string_view name) {
    return entry != nullptr ? model.in_entry(*entry, name) : model.global(name);
}

void report_client_problems(const rule& r, std::vector<client_problem> problems,
                            const model::postfix_model& model, diagnostic_sink& out) {
    const auto label = [](const ast::master_cf_entry& entry) {
        return entry.service.text + "/" + entry.type_word.text;
    };
    for (auto& p : problems) {
        if (p.where.file == nullptr) {
            p.where = model.main_cf_start();  // a default: main.cf is where to change it
        }
    }
    std::erase_if(problems, [](const client_problem& p) { return p.where.file == nullptr; });
    auto merged = merge_places(std::move(problems), [&](const client_problem& p) {
        if (p.entry == nullptr) {
            return std::optional<note>();
        }
        return std::optional<note>(
            note{"applies to the SMTP client service '" + label(*p.entry) + "'",
                 model.place_of(*p.entry)});
    });
    for (auto& m : merged) {
        auto d = r.make_diagnostic(*m.where.file, m.where.range, std::move(m.message));
        d.notes = std::move(m.notes);
        out.report(std::move(d));
    }
}

std::string origin_phrase(const model::setting& s) {
    switch (s.origin) {
        case model::value_origin::master_cf: return "by '-o' in master.cf";
        case model::value_origin::main_cf: return "in main.cf";
        case model::value_origin::built_in: return "by default";
    }
    return "";
}

std::optional<note> setting_note(const model::setting& s, std::string_view what) {
    if (s.where.file == nullptr) {
        return std::nullopt;
    }
    return note{"'" + std::string(s.name) + " = " + s.value + "' " + origin_phrase(s) + " " +
                    std::string(what),
                s.where};
}

// --- parameters as written ---------------------------------------------------------------

byte_range parameter_site::range() const noexcept {
    return in_master_cf() ? override_option()->range : main_parameter()->range;
}

byte_range parameter_site::source_range(byte_range in_value) const noexcept {
    const auto map = [&](std::size_t offset) {
        if (piece_ends != nullptr) {
            const std::span<const byte_range> pieces =
                in_master_cf() ? std::span<const byte_range>(override_option()->value_pieces)
                               : main_parameter()->value_pieces;
            const auto& ends = *piece_ends;
            const auto it = std::upper_bound(ends.begin(), ends.end(), offset);
            if (it != ends.end()) {
                const auto k = static_cast<std::size_t>(it - ends.begin());
                const std::size_t start = k == 0 ? 0 : ends[k - 1];
                return pieces[k].begin + static_cast<std::uint32_t>(offset - start);
            }
        }
        return in_master_cf() ? override_option()->source_offset(offset)
                              : main_parameter()->source_offset(offset);
    };
    const auto begin = map(in_value.begin);
    // The last byte, not the end: a range may end where a continuation line begins.
    const auto end = in_value.end > in_value.begin ? map(in_value.end - 1) + 1 : begin;
    return {begin, std::max(begin, end)};
}

std::string parameter_site::written() const {
    if (!in_master_cf()) {
        return std::string(name()) + " = " + std::string(value());
    }
    return "-o " + std::string(name()) + "=" + std::string(value());
}

std::string parameter_site::place() const {
    if (!in_master_cf()) {
        return "in main.cf";
    }
    return "in the master.cf service '" + entry->service.text + "/" + entry->type_word.text + "'";
}

namespace {

/// What the sites of the index point at besides the ASTs (deques: the sites point here).
struct site_storage {
    /// parameter_site::piece_ends of the values of many pieces.
    std::deque<std::vector<std::uint32_t>> piece_ends;
    /// parameter_site::parsed.
    std::deque<ast::parsed_value> parsed;
};

/// What the Postfix rules share about one instance: built on first use, kept in the model.
struct postfix_index final : model::derived_data {
    std::vector<parameter_site> sites;
    std::optional<referenced_names> referenced;
    /// `referenced` is built on first use, perhaps while another thread's rule asks too.
    std::unique_ptr<std::once_flag> referenced_once = std::make_unique<std::once_flag>();
    /// One per thread that made sites (build_index()).
    std::array<site_storage, 2> storage;
};

/// Values of more pieces than this get a table of piece ends (parameter_site::piece_ends).
constexpr std::size_t k_indexed_pieces = 8;

/// Gives the parts of parsed values that name a parameter (references and the names
/// conditionals test, in operands too) the number value_parse_options::number_parameter
/// would give them: their main.cf parameter's (postfix_model::main_parameter_index()). A
/// large main.cf has a reference per parameter or more, and a lookup mostly waits for
/// memory: they are looked up many at a time (postfix_model::main_parameter_indexes()).
class reference_numbering {
public:
    explicit reference_numbering(const model::postfix_model& model) : model_(model) {}
    reference_numbering(const reference_numbering&) = delete;
    reference_numbering& operator=(const reference_numbering&) = delete;
    ~reference_numbering() = default;

    /// Numbers the parts of `parsed` (now, or by the next flush(), which must come).
    void add(ast::parsed_value& parsed) {
        // The walk is read-only; the parts are the caller's to change.
        for_each_reference(parsed.parts, [&](const ast::value_part& part) {
            parts_[size_] = &const_cast<ast::value_part&>(part);
            names_[size_] = part.name();
            if (++size_ == k_batch) {
                flush();
            }
        });
    }

    void flush() {
        model_.main_parameter_indexes(std::span(names_.data(), size_),
                                      std::span(ids_.data(), size_));
        for (std::size_t k = 0; k < size_; ++k) {
            parts_[k]->id = ids_[k];
        }
        size_ = 0;
    }

private:
    static constexpr std::size_t k_batch = 64;
    const model::postfix_model& model_;
    std::array<ast::value_part*, k_batch> parts_{};
    std::array<std::string_view, k_batch> names_{};
    std::array<std::uint32_t, k_batch> ids_{};
    std::size_t size_ = 0;
};

/// Makes the sites of one thread: what every rule needs of a parameter, looked up and
/// parsed once.
class site_maker {
public:
    site_maker(const model::postfix_model& model, site_storage& storage)
        : storage_(storage), numbering_(model) {}

    /// `site`, with its lookups and parse, for a value of the physical `pieces`.
    parameter_site make(parameter_site site, std::span<const byte_range> pieces) {
        site.info = model::find_parameter(site.name());
        if (pieces.size() > k_indexed_pieces) {
            auto& ends = storage_.piece_ends.emplace_back();
            ends.reserve(pieces.size());
            std::uint32_t end = 0;
            for (const auto& piece : pieces) {
                end += piece.size();
                ends.push_back(end);
            }
            site.piece_ends = &ends;
        }
        if (site.value().find('$') != std::string_view::npos) {
            auto& parsed = storage_.parsed.emplace_back(
                parse_postfix_value(site.value(), {.literals = false}));
            // References are numbered by the main.cf parameter they name, as
            // value_for_site() numbers its values, once for every rule.
            numbering_.add(parsed);
            site.parsed = &parsed;
        }
        return site;
    }

    /// Numbers what make() left to number; before the sites are read.
    void finish() { numbering_.flush(); }

private:
    site_storage& storage_;
    reference_numbering numbering_;
};

/// How many parameters a thread takes at a time.
constexpr std::size_t k_chunk = 2048;

/// Makes the sites of main.cf's parameters into `sites` (as many). For a large file two
/// threads share the work (detail::run_on_two_threads()), a chunk of parameters at a time,
/// so that neither waits for the other where the values differ in cost (a value that names
/// a thousand parameters costs more than a thousand plain ones). Each thread keeps what it
/// makes in a storage of its own and writes only the sites of its chunks: which thread
/// makes a site changes nothing in it.
void make_main_cf_sites(const source_file& source, const ast::main_cf& tree,
                        const model::postfix_model& model,
                        std::array<site_storage, 2>& storage,
                        std::vector<parameter_site>& sites) {
    const auto& params = tree.parameters;
    std::array<site_maker, 2> makers{site_maker(model, storage[0]),
                                     site_maker(model, storage[1])};
    const auto make_chunk = [&](std::size_t chunk, std::size_t thread) {
        const auto end = std::min((chunk + 1) * k_chunk, params.size());
        for (auto i = chunk * k_chunk; i < end; ++i) {
            sites[i] = makers[thread].make(parameter_site(source, params[i]),
                                           params[i].value_pieces);
        }
    };
    const auto chunks = (params.size() + k_chunk - 1) / k_chunk;
    if (source.text().size() > k_parallel_bytes && chunks > 1) {
        run_on_two_threads(chunks, make_chunk);
    } else {
        for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
            make_chunk(chunk, 0);
        }
    }
    for (auto& maker : makers) {
        maker.finish();
    }
}

postfix_index build_index(const postfix_instance& instance, const model::postfix_model& model) {
    postfix_index index;
    if (const auto& main_cf = instance.main_cf) {
        index.sites.reserve(main_cf->ast.parameters.size());
        advise_huge_pages(index.sites);  // before resize() writes them
        index.sites.resize(main_cf->ast.parameters.size());
        make_main_cf_sites(*main_cf->source, main_cf->ast, model, index.storage, index.sites);
    }
    if (const auto& master_cf = instance.master_cf) {
        site_maker maker(model, index.storage[0]);
        for (const auto& entry : master_cf->ast.entries) {
            for (const auto& o : entry.overrides) {
                if (o.usable()) {
                    index.sites.push_back(maker.make(parameter_site(*master_cf->source, entry, o),
                                                     o.value_pieces));
                }
            }
        }
        maker.finish();
    }
    return index;
}

const postfix_index& index_of(const lint_context& context) {
    return context.postfix_model->derived().get<postfix_index>(
        [&] { return build_index(*context.postfix, *context.postfix_model); });
}

}  // namespace

const std::vector<parameter_site>& parameter_sites(const lint_context& context) {
    return index_of(context).sites;
}


model::setting setting_at(const parameter_site& site, const model::postfix_model& model) {
    if (site.main_parameter() != nullptr) {
        auto s = model.global(site.name());
        if (s.main_parameter != site.main_parameter()) {
            // An earlier line of the same name: its own text, expanded against main.cf.
            s.raw = site.main_parameter()->value;
            s.where = {site.file, site.main_parameter()->range};
            s.main_parameter = site.main_parameter();
            s.value = expand_postfix_value(s.raw, [&](std::string_view ref) {
                          return lookup_for_site(site, model, ref);
                      }).text;
        }
        return s;
    }
    return model.of_override(*site.entry, *site.override_option());
}

std::string join_words(const std::vector<std::string>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == words.size() ? " and " : ", ") + words[i];
    }
    return out;
}

bool in_effect(const parameter_site& site, const model::postfix_model& model) {
    if (site.main_parameter() != nullptr) {
        return model.main_parameter(site.name()) == site.main_parameter();
    }
    return site.entry->find_override(site.name()) == site.override_option();
}

namespace {

/// What lookup_for_site() finds, with the main.cf parameter when the value is one.
struct found_value {
    std::string_view text;
    const ast::main_cf_parameter* main_parameter = nullptr;
};

std::optional<found_value> find_for_site(const parameter_site& site,
                                         const model::postfix_model& model,
                                         std::string_view name) {
    if (site.entry != nullptr) {
        if (const auto* o = site.entry->find_override(name)) {
            return found_value{o->value};
        }
    }
    if (const auto* p = model.main_parameter(name)) {
        return found_value{p->value, p};
    }
    if (const auto d = model::default_value(name, model.target(), model.compatibility_level())) {
        return found_value{*d};
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string_view> lookup_for_site(const parameter_site& site,
                                                const model::postfix_model& model,
                                                std::string_view name) {
    const auto found = find_for_site(site, model, name);
    return found ? std::optional<std::string_view>(found->text) : std::nullopt;
}

std::optional<ast::parameter_value> value_for_site(const lint_context& context,
                                                   const parameter_site& site,
                                                   std::string_view name) {
    const auto found = find_for_site(site, *context.postfix_model, name);
    if (!found) {
        return std::nullopt;
    }
    if (found->main_parameter != nullptr) {
        const auto& parameters = context.postfix->main_cf->ast.parameters;
        return main_cf_value(context, static_cast<std::uint32_t>(found->main_parameter -
                                                                 parameters.data()));
    }
    return ast::parameter_value{found->text};
}

ast::parameter_value main_cf_value(const lint_context& context, std::uint32_t index) {
    // main.cf's sites come first, one per parameter, in file order
    const auto& site = index_of(context).sites[index];
    return {.text = site.value(), .parsed = site.parsed, .id = index};
}

namespace {

bool is_parameter_name(std::string_view word) noexcept {
    return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
    });
}

}  // namespace

bool referenced_names::contains(std::string_view name) const {
    const auto at = model_->main_parameter_index(name);
    return at != name_table::none ? main_[at] : others_.contains(name);
}

bool referenced_names::contains(const parameter_site& site) const {
    if (site.main_parameter() != nullptr && one_line_per_name_) {
        const auto& parameters = model_->instance().main_cf->ast.parameters;
        return main_[static_cast<std::size_t>(site.main_parameter() - parameters.data())];
    }
    return contains(site.name());
}

void referenced_names::insert(std::string_view name, std::uint32_t main_index) {
    if (main_index != name_table::none) {
        main_[main_index] = true;
    } else {
        others_.insert(name);
    }
}

namespace {

referenced_names collect_referenced_names(const std::vector<parameter_site>& sites,
                                          const model::postfix_model& model) {
    const auto& instance = model.instance();
    referenced_names names(model, instance.main_cf ? instance.main_cf->ast.parameters.size() : 0);
    for (const auto& site : sites) {
        if (site.parsed != nullptr) {
            for_each_reference(site.parsed->parts, [&](const ast::value_part& part) {
                names.insert(part.name(), part.id);
            });
        }
    }
    std::unordered_set<std::string_view> classes;
    for (const auto& site : sites) {
        if (site.name() == "smtpd_restriction_classes") {
            for (const auto& element : split_postfix_list(site.value())) {
                if (is_parameter_name(element.text)) {
                    classes.insert(element.text);
                }
            }
        }
    }
    for (const auto name : classes) {
        names.insert(name);
    }
    // A restriction list (or a class, which is one) may name a class as a restriction.
    for (const auto& site : sites) {
        const auto* info = site.info;
        if ((info == nullptr || info->type != model::value_type::restrictions) &&
            !classes.contains(site.name())) {
            continue;
        }
        for (const auto& element : split_postfix_list(site.value())) {
            if (is_parameter_name(element.text)) {
                names.insert(element.text);
            }
        }
    }
    return names;
}

}  // namespace

const referenced_names& referenced_parameter_names(const lint_context& context) {
    // The index is const to the rules; the referenced names are its one lazy part (only
    // files with an unknown, newer or renamed parameter need them).
    auto& index = const_cast<postfix_index&>(index_of(context));
    std::call_once(*index.referenced_once, [&] {
        index.referenced.emplace(collect_referenced_names(index.sites, *context.postfix_model));
    });
    return *index.referenced;
}

std::vector<model::master_service> master_services(const postfix_instance& instance,
                                                   version target) {
    std::vector<model::master_service> services;
    if (const auto& master_cf = instance.master_cf) {
        for (const auto& entry : master_cf->ast.entries) {
            std::string_view program = entry.command.text;
            if (const auto slash = program.rfind('/'); slash != std::string_view::npos) {
                program.remove_prefix(slash + 1);
            }
            services.push_back({entry.service.text, program});
        }
        return services;
    }
    // The delivery services of the stock master.cf (conf/master.cf of each release): the
    // pipe(8) examples were active entries before 2.5, which added `retry`.
    services = {{"smtp", "smtp"},   {"relay", "smtp"},     {"error", "error"},
                {"discard", "discard"}, {"local", "local"}, {"virtual", "virtual"},
                {"lmtp", "lmtp"}};
    if (target < version{2, 5, -1}) {
        for (const std::string_view name :
             {"maildrop", "old-cyrus", "cyrus", "uucp", "ifmail", "bsmtp"}) {
            services.push_back({name, "pipe"});
        }
    } else {
        services.push_back({"retry", "error"});
    }
    return services;
}

std::string release_name(version v) {
    return v.patch <= 0 ? std::to_string(v.major) + "." + std::to_string(v.minor) : v.to_string();
}

std::string describe_releases(const model::release_set& releases) {
    if (releases.always()) {
        return "every Postfix release";
    }
    auto from = releases.from;
    std::sort(from.begin(), from.end());
    std::string out = "Postfix " + release_name(from.back()) + " or later";
    if (from.size() > 1) {
        out += ", or ";
        for (std::size_t i = 0; i + 1 < from.size(); ++i) {
            out += (i == 0 ? "" : i + 2 == from.size() ? " or " : ", ") + release_name(from[i]);
        }
        out += " and later patches of that series";
    }
    return out;
}

}  // namespace mailtls::detail
