#include "mailtls/linter.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <system_error>
#include <tuple>
#include <type_traits>

#include "lint/selection.hpp"
#include "lint/show.hpp"
#include "lint/suppressions.hpp"
#include "lint/vector_sink.hpp"
#include "mailtls/instance.hpp"
#include "mailtls/parse.hpp"
#include "mailtls/registry.hpp"
#include "model/dovecot_knowledge.hpp"
#include "model/dovecot_model.hpp"
#include "model/postfix_knowledge.hpp"
#include "model/postfix_model.hpp"
#include "two_threads.hpp"

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

struct loaded_file {
    std::shared_ptr<const source_file> source;
    config_type type;
    bool type_given = false;  ///< the caller named the type (--type), not the file's name
};

/// Frees `data` now, or with lint_options::free_memory false leaves it to the end of the
/// process: held by a list that static storage points at and that is never destroyed.
template <typename T>
void release(const lint_options& options, std::unique_ptr<T> data) {
    if (options.free_memory || data == nullptr) {
        return;
    }
    static std::mutex lock;
    static auto* const kept = new std::vector<std::shared_ptr<const void>>();
    const std::lock_guard guard(lock);
    kept->push_back(std::shared_ptr<const void>(std::move(data)));
}

/// "64 MiB", or a number of bytes when it is not a whole number of MiB.
std::string size_text(std::uintmax_t bytes) {
    constexpr std::uintmax_t k_mib = std::uintmax_t{1} << 20;
    return bytes % k_mib == 0 && bytes != 0 ? std::to_string(bytes / k_mib) + " MiB"
                                            : std::to_string(bytes) + " bytes";
}

/// Reads a regular file whole into `bytes`; anything else (a directory, a FIFO, a device) is an
/// error, as is a file larger than `max_size` bytes (it is not read into memory).
template <typename Bytes>
bool read_into(const std::string& path, std::string& error, std::uintmax_t max_size,
               Bytes& bytes) {
    constexpr bool k_string = std::is_same_v<Bytes, std::string>;
    // Open first, without blocking, and judge what was opened (fstat): a FIFO or device
    // swapped in after a stat() could otherwise block the read for ever.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        error = std::error_code(errno, std::generic_category()).message();
        return false;
    }
    struct closer {
        int fd;
        ~closer() { ::close(fd); }
    } guard{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        error = std::error_code(errno, std::generic_category()).message();
        return false;
    }
    if (!S_ISREG(info.st_mode)) {
        error = "not a regular file";
        return false;
    }
    const auto size = static_cast<std::uintmax_t>(info.st_size);
    if (size > max_size) {
        error = "file of " + size_text(size) + " is larger than the limit of " +
                size_text(max_size);
        return false;
    }
    if constexpr (k_string) {
        bytes.assign(static_cast<std::size_t>(size), '\0');
    } else {
        bytes = byte_buffer(static_cast<std::size_t>(size));
    }
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            error = std::error_code(errno, std::generic_category()).message();
            return false;
        }
        if (n == 0) {
            break;  // the file shrank while it was read
        }
        done += static_cast<std::size_t>(n);
    }
    if constexpr (k_string) {
        bytes.resize(done);
    } else {
        bytes.truncate(done);
    }
    return true;
}

/// The text of a file (read_into()), for readers that want a string: Dovecot's includes.
std::optional<std::string> read_file(const std::string& path, std::string& error,
                                     std::uintmax_t max_size) {
    std::string text;
    if (!read_into(path, error, max_size, text)) {
        return std::nullopt;
    }
    return text;
}

/// A file as a source (read_into()), its bytes not zero-filled before they are read.
std::shared_ptr<const source_file> read_source(const std::string& path, std::string& error,
                                               std::uintmax_t max_size) {
    byte_buffer bytes;
    if (!read_into(path, error, max_size, bytes)) {
        return nullptr;
    }
    return std::make_shared<const source_file>(path, std::move(bytes));
}

class collecting_sink final : public diagnostic_sink {
public:
    collecting_sink(const lint_options& options, std::vector<diagnostic>& out)
        : options_(options), out_(out) {}

    void report(diagnostic d) override {
        // A file an instance reads twice (the same `!include` twice) is walked twice, so a
        // rule sees its lines twice: the same finding at the same place is reported once.
        if (!seen_.emplace(d.code, d.where.file, d.where.range.begin, d.where.range.end,
                           d.message)
                 .second) {
            return;
        }
        if (const auto it = options_.severities.find(d.code); it != options_.severities.end()) {
            d.level = it->second;
        }
        out_.push_back(std::move(d));
    }

private:
    const lint_options& options_;
    std::vector<diagnostic>& out_;
    std::set<std::tuple<std::string, const source_file*, std::uint32_t, std::uint32_t,
                        std::string>>
        seen_;
};

/// What to do with each instance and its models: run the rules, or describe it.
using instance_visitor = std::function<void(const lint_context&)>;

/// A note on a Dovecot instance as a whole (the target it was judged against, a fragment
/// linted alone), placed once the findings are final (place_notes).
struct instance_note {
    note n;
    /// The files whose findings are the instance's (its kept files); the note goes to the
    /// first of those findings.
    std::vector<const source_file*> files;
    /// Where the note stands when no finding carries it: the file the user gave.
    const source_file* file = nullptr;
};

/// The bytes of the files an instance's rules read.
std::size_t instance_bytes(const lint_context& context) {
    std::size_t bytes = 0;
    if (context.postfix != nullptr) {
        if (const auto& f = context.postfix->main_cf) {
            bytes += f->source->text().size();
        }
        if (const auto& f = context.postfix->master_cf) {
            bytes += f->source->text().size();
        }
    }
    if (context.dovecot != nullptr) {
        for (const auto& f : context.dovecot->files) {
            bytes += f.source->text().size();
        }
    }
    return bytes;
}

void check_instance(const lint_options& options, const lint_context& context,
                    std::vector<diagnostic>& out) {
    // Every rule runs, so that inline suppressions are judged alike whatever the selection:
    // detail::finish_findings drops what the options do not select.
    std::vector<const rule*> rules;
    for (const auto& r : registry::global().rules()) {
        if (r->stage() == rule_stage::configuration) {
            rules.push_back(r.get());
        }
    }
    collecting_sink sink(options, out);
    if (instance_bytes(context) <= detail::k_parallel_rules_bytes) {
        for (const auto* r : rules) {
            r->check(context, sink);
        }
        return;
    }
    // A large instance: two threads take the rules one at a time (the costly ones, such as
    // PF009's expansion bounds, then run beside the rest), each keeping a rule's findings
    // apart; they are reported afterwards in rule order, as one thread would have.
    std::vector<std::vector<diagnostic>> found(rules.size());
    detail::run_on_two_threads(rules.size(), [&](std::size_t i, std::size_t) {
        detail::vector_sink keep(found[i]);
        rules[i]->check(context, keep);
    });
    for (auto& findings : found) {
        for (auto& d : findings) {
            sink.report(std::move(d));
        }
    }
}

void sort_diagnostics(std::vector<diagnostic>& diagnostics) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const diagnostic& a, const diagnostic& b) {
                         const std::string_view pa =
                             a.where.file ? std::string_view(a.where.file->path()) : "";
                         const std::string_view pb =
                             b.where.file ? std::string_view(b.where.file->path()) : "";
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
    detail::check_overrides_and_roles(options_);
    // Postfix releases older than the data's first series (1.x) are judged as older than
    // everything the data dates; a series the data lacks inside or after its range is a typo
    // or a release it cannot judge yet. Only a given version loads the Postfix data here: a
    // Dovecot-only run never needs it.
    if (const auto& wanted = options_.postfix_version;
        wanted && !model::newest_patch(*wanted) &&
        !(*wanted < model::releases().front().series)) {
        const auto known = model::releases();
        throw unknown_version_error(
            "Postfix " + wanted->to_string() +
            " is not a release the linter knows: give one from " +
            known.front().series.to_string() + " to " + known.back().series.to_string() +
            " (or an older one)");
    }
    if (options_.dovecot_version && !model::dovecot::newest_patch(*options_.dovecot_version)) {
        const auto known = model::dovecot::known_releases();
        throw unknown_version_error("Dovecot " + options_.dovecot_version->to_string() +
                                    " is not a release the linter knows: give one from " +
                                    known.front().to_string() + " to " +
                                    known.back().to_string());
    }
}

namespace {

/// The construct that shows which Dovecot syntax a configuration is written in: 2.4 from
/// `dovecot_config_version`; 1.x only from what 2.x rejects or converts (`auth NAME {`,
/// `ssl_disable`, `ssl_cert_file`, `ssl_key_file`, `ssl_ca_file`).
std::optional<std::pair<ast::dovecot_syntax, location>> dovecot_syntax_evidence(
    const dovecot_instance& instance, std::string& reason) {
    std::optional<std::pair<ast::dovecot_syntax, location>> v1;
    for (const auto& file : instance.files) {
        for (const auto& setting : file.ast.settings) {
            const auto key = file.ast.key(setting);
            if (key == "dovecot_config_version") {
                reason = "'dovecot_config_version' is set";
                return std::pair{ast::dovecot_syntax::v24,
                                 location{file.source.get(), setting.key_range}};
            }
            if (!v1 && (key == "ssl_disable" || key == "ssl_cert_file" ||
                        key == "ssl_key_file" || key == "ssl_ca_file")) {
                reason = "the 1.x setting '" + std::string(key) + "' is used";
                v1 = std::pair{ast::dovecot_syntax::v1,
                               location{file.source.get(), setting.key_range}};
            }
        }
        for (const auto& section : file.ast.sections) {
            if (!v1 && section.type == "auth" && section.has_name && section.parent == 0 &&
                section.depth == 1) {
                reason = "the 1.x section 'auth " + std::string(section.name) + " {' is used";
                v1 = std::pair{ast::dovecot_syntax::v1,
                               location{file.source.get(), section.header_range}};
            }
        }
    }
    return v1;
}

/// The newest 1.x release whose series knows every setting and section of a 1.x instance
/// (`ssl_disable` without `ssl` is 1.0/1.1; `ssl` is 1.2), from the version knowledge.
std::optional<version> newest_1x_series_knowing_all(const dovecot_instance& instance) {
    std::vector<model::dovecot::construct> constructs;
    for (const auto& file : instance.files) {
        for (const auto& setting : file.ast.settings) {
            constructs.push_back({file.ast.key(setting), false, {}});
        }
        for (const auto& section : file.ast.sections) {
            if (!section.type.empty()) {
                constructs.push_back({section.type, true, {}});
            }
        }
    }
    const auto inferred = model::dovecot::infer_version(constructs);
    if (inferred && inferred->target.major == 1) {
        return inferred->target;
    }
    return std::nullopt;
}

/// Reads a Dovecot top file and its includes with the syntax of the target version, or the
/// syntax the files show, or 2.x.
dovecot_instance load_dovecot_instance(const lint_options& options,
                                       std::shared_ptr<const source_file> top,
                                       version& target) {
    const file_reader reader = [&options](const std::string& path, std::string& error) {
        return read_file(path, error, options.max_file_size);
    };
    if (options.dovecot_version) {
        auto instance = load_dovecot(
            top, ast::dovecot_parse_options::for_version(*options.dovecot_version), reader);
        instance.syntax_reason = "the target version";
        target = *options.dovecot_version;
        return instance;
    }
    auto instance = load_dovecot(top, {}, reader);
    std::string reason;
    const auto evidence = dovecot_syntax_evidence(instance, reason);
    if (!evidence) {
        instance.syntax_reason = "the default";
        target = default_dovecot_version();
        return instance;
    }
    target = evidence->first == ast::dovecot_syntax::v24 ? version{2, 4, -1}
             : evidence->first == ast::dovecot_syntax::v1 ? version{1, 2, -1}
                                                          : default_dovecot_version();
    if (evidence->first != ast::dovecot_syntax::v2) {
        // read again with the syntax the evidence shows; find the evidence in the new parse
        const auto path = evidence->second.file->path();
        const auto range = evidence->second.range;
        instance = load_dovecot(top, ast::dovecot_parse_options::for_version(target), reader);
        instance.syntax_evidence.range = range;
        for (const auto& file : instance.files) {
            if (file.source->path() == path) {
                instance.syntax_evidence.file = file.source.get();
            }
        }
        if (evidence->first == ast::dovecot_syntax::v1) {
            target = newest_1x_series_knowing_all(instance).value_or(target);
        }
    } else {
        instance.syntax_evidence = evidence->second;
    }
    instance.syntax_reason = reason;
    return instance;
}

/// The note that says how the Dovecot target of an instance was chosen, when neither the
/// command line nor the configuration file gave it (issue 4: the target is inferred from the
/// files, else the default).
std::optional<note> dovecot_target_note(const dovecot_instance& instance, version target) {
    if (instance.syntax_reason == "the target version") {
        return std::nullopt;
    }
    if (instance.syntax_evidence.file == nullptr) {
        return note{"Dovecot " + target.to_string() +
                        " is assumed, the default target: nothing in the configuration tells "
                        "the release (give --dovecot-version)",
                    {}};
    }
    return note{"Dovecot " + target.to_string() + " is the target inferred from this line (" +
                    instance.syntax_reason + "; give --dovecot-version to choose another)",
                instance.syntax_evidence};
}

/// Whether some Dovecot rule reports on `path` (a run that selects only Postfix rules says
/// nothing of Dovecot targets).
bool dovecot_rule_selected(const lint_options& options, std::string_view path) {
    const auto& rules = registry::global().rules();
    return std::any_of(rules.begin(), rules.end(), [&](const auto& r) {
        return r->metadata().dialect == dialect::dovecot &&
               detail::rule_selected(options, r->metadata().code, path);
    });
}

/// Gives each instance note to the first finding (in report order, `diagnostics` sorted) in
/// the instance's files, so that it is said once per instance and not once per finding;
/// after selection and suppressions, so that it goes to a finding the run shows. A note no
/// finding can carry becomes one of `result.notes`.
void place_notes(const lint_options& options, std::vector<instance_note> pending,
                 lint_result& result) {
    for (auto& pending_note : pending) {
        // named references, not a structured binding: lambdas capture them on every compiler
        auto& n = pending_note.n;
        const auto& files = pending_note.files;
        const auto* file = pending_note.file;
        const auto carrier = std::find_if(
            result.diagnostics.begin(), result.diagnostics.end(), [&](const diagnostic& d) {
                return std::find(files.begin(), files.end(), d.where.file) != files.end();
            });
        if (carrier != result.diagnostics.end()) {
            // two instances that read one file can both say the same
            if (std::none_of(carrier->notes.begin(), carrier->notes.end(), [&](const note& o) {
                    return o.message == n.message && o.where.file == n.where.file &&
                           o.where.range == n.where.range;
                })) {
                carrier->notes.push_back(std::move(n));
            }
            continue;
        }
        if (file == nullptr || !dovecot_rule_selected(options, file->path())) {
            continue;
        }
        const bool located = n.where.file != nullptr;
        result.notes.push_back(
            {std::move(n.message), located ? n.where : location{file, {}}, located});
    }
    std::stable_sort(result.notes.begin(), result.notes.end(),
                     [](const general_note& a, const general_note& b) {
                         return std::forward_as_tuple(a.where.file->path(), a.where.range.begin) <
                                std::forward_as_tuple(b.where.file->path(), b.where.range.begin);
                     });
}

std::string canonical_path(const std::string& path) {
    std::error_code ec;
    return fs::weakly_canonical(path, ec).string();
}

/// Whether a file's name or place marks it as a piece of a configuration: `*.conf.ext`,
/// `*.inc`, a numbered `NN-name.conf`, or anything in a `conf.d` directory.
bool named_like_fragment(const std::string& path) {
    const fs::path p(path);
    const auto name = p.filename().string();
    if (name.ends_with(".conf.ext") || name.ends_with(".inc") ||
        p.parent_path().filename() == "conf.d") {
        return true;
    }
    return name.size() > 3 && std::isdigit(static_cast<unsigned char>(name[0])) != 0 &&
           std::isdigit(static_cast<unsigned char>(name[1])) != 0 && name[2] == '-';
}

/// Whether a file starts an instance of its own: it is named dovecot.conf, or its type was
/// given (`--type`, a text passed in) and its name does not mark it as a fragment.
bool is_top_file(const loaded_file& f) {
    return fs::path(f.source->path()).filename() == "dovecot.conf" ||
           (f.type_given && !named_like_fragment(f.source->path()));
}

/// Whether a file linted alone is a whole configuration rather than a fragment: it starts
/// an instance of its own, or it sets `dovecot_config_version` (which 2.4 requires first in
/// the top file).
bool is_whole_configuration(const loaded_file& f) {
    if (is_top_file(f)) {
        return true;
    }
    const auto ast = parse_dovecot(*f.source, {});
    return std::any_of(ast.settings.begin(), ast.settings.end(), [&](const auto& s) {
        return s.section == 0 && ast.key(s) == "dovecot_config_version";
    });
}

/// Lints the Dovecot files: one instance per top file (is_top_file); then each other
/// Dovecot file that none of those instances read. Such a file is a fragment
/// (conf.d/10-ssl.conf, as pre-commit passes changed files): when a dovecot.conf in its
/// directory or the parent directory includes it, that instance is linted and only the
/// findings in the fragment are kept (the other files of the instance are returned in
/// `context_only`: notes may point there, findings there are dropped); otherwise the
/// fragment is linted by itself with `dovecot_instance::fragment` set, and a note says
/// which rules did not judge it. `notes` gets the notes on each instance as a whole.
void lint_dovecot_files(const lint_options& options, const std::vector<loaded_file>& files,
                        lint_result& result, std::vector<const source_file*>& context_only,
                        std::vector<instance_note>& notes, const instance_visitor& visit) {
    std::vector<const loaded_file*> tops, others;
    for (const auto& f : files) {
        if (f.type == config_type::dovecot) {
            (is_top_file(f) ? tops : others).push_back(&f);
        }
    }
    std::vector<std::string> read;  // canonical paths of the files the instances read
    bool inferred_target_reported = false;
    // `keep`: canonical paths of the only files whose findings are kept (all when empty)
    auto lint_one = [&](std::shared_ptr<const source_file> top, bool fragment,
                        const std::vector<std::string>& keep) {
        lint_context context;
        auto owned = std::make_unique<dovecot_instance>(
            load_dovecot_instance(options, std::move(top), context.dovecot_version));
        auto& instance = *owned;
        instance.fragment = fragment;
        if (!options.dovecot_version && !inferred_target_reported) {
            // the target of the first instance; a note on each instance's findings says more
            result.dovecot_version = context.dovecot_version;
            inferred_target_reported = true;
        }
        std::vector<std::string> paths;
        for (const auto& file : instance.files) {
            paths.push_back(canonical_path(file.source->path()));
        }
        const auto reads = [&](const std::string& path) {
            return std::find(paths.begin(), paths.end(), path) != paths.end();
        };
        if (!keep.empty() && std::none_of(keep.begin(), keep.end(), reads)) {
            return std::vector<std::string>{};  // the dovecot.conf does not include them
        }
        for (std::size_t i = 0; i < instance.files.size(); ++i) {
            const auto& source = instance.files[i].source;
            const bool kept = std::find(keep.begin(), keep.end(), paths[i]) != keep.end();
            if (keep.empty() ? i > 0 : true) {
                result.sources.push_back(source);
            }
            if (kept) {
                // the instance's copy of a given file replaces the copy read alone, so that
                // its suppressions are judged once
                std::erase_if(result.sources, [&](const auto& s) {
                    return s != source && canonical_path(s->path()) == paths[i];
                });
            } else if (!keep.empty()) {
                context_only.push_back(source.get());
            }
        }
        read.insert(read.end(), paths.begin(), paths.end());
        context.dovecot = &instance;
        auto effective = std::make_unique<const model::dovecot_model>(instance,
                                                                      context.dovecot_version);
        context.dovecot_model = effective.get();
        context.postfix_version = result.postfix_version;
        const auto first = result.diagnostics.size();
        visit(context);
        // the files whose findings are the instance's; a note of its own stands in the first
        std::vector<const source_file*> kept;
        for (std::size_t i = 0; i < instance.files.size(); ++i) {
            if (keep.empty() ||
                std::find(keep.begin(), keep.end(), paths[i]) != keep.end()) {
                kept.push_back(instance.files[i].source.get());
            }
        }
        if (!keep.empty()) {
            auto& found = result.diagnostics;
            found.erase(std::remove_if(found.begin() + static_cast<std::ptrdiff_t>(first),
                                       found.end(),
                                       [&](const diagnostic& d) {
                                           return std::find(context_only.begin(),
                                                            context_only.end(), d.where.file) !=
                                                  context_only.end();
                                       }),
                        found.end());
        }
        const auto add_note = [&](note n) {
            instance_note& added = notes.emplace_back();
            added.n = std::move(n);
            added.files = kept;
            added.file = kept.empty() ? nullptr : kept.front();
        };
        if (auto n = dovecot_target_note(instance, context.dovecot_version)) {
            add_note(std::move(*n));
        }
        if (fragment) {
            add_note({"this file is linted by itself, as a fragment: no dovecot.conf beside it or "
                      "in its parent directory includes it, so the rules that need the whole "
                      "configuration (DV007, DV103) did not judge it",
                      {}});
        }
        release(options, std::move(effective));
        release(options, std::move(owned));
        return paths;
    };
    for (const auto* f : tops) {
        lint_one(f->source, false, {});
    }
    // the fragments that no instance above read, by the dovecot.conf that may include them
    std::map<std::string, std::vector<const loaded_file*>> by_parent;
    std::vector<const loaded_file*> alone;
    std::set<const loaded_file*> whole;  // is_whole_configuration, computed once per file
    for (const auto* f : others) {
        const auto path = canonical_path(f->source->path());
        if (std::find(read.begin(), read.end(), path) != read.end()) {
            continue;
        }
        const auto dir = fs::path(f->source->path()).parent_path();
        bool found = false;
        if (is_whole_configuration(*f)) {
            whole.insert(f);
        } else {
            for (const auto& candidate :
                 {dir / "dovecot.conf", dir.parent_path() / "dovecot.conf"}) {
                std::error_code ec;
                if (fs::is_regular_file(candidate, ec)) {
                    by_parent[candidate.lexically_normal().string()].push_back(f);
                    found = true;
                    break;
                }
            }
        }
        if (!found) {
            alone.push_back(f);
        }
    }
    for (const auto& [parent, fragments] : by_parent) {
        std::vector<std::string> keep;
        for (const auto* f : fragments) {
            keep.push_back(canonical_path(f->source->path()));
        }
        std::string error;
        std::vector<std::string> paths;
        if (auto text = read_file(parent, error, options.max_file_size)) {
            paths = lint_one(std::make_shared<const source_file>(parent, std::move(*text)), false,
                             keep);
        }
        for (const auto* f : fragments) {
            if (std::find(paths.begin(), paths.end(), canonical_path(f->source->path())) ==
                paths.end()) {
                alone.push_back(f);
            }
        }
    }
    for (const auto* f : alone) {
        const auto path = canonical_path(f->source->path());
        if (std::find(read.begin(), read.end(), path) == read.end()) {
            lint_one(f->source, !whole.contains(f), {});
        }
    }
}

/// Groups loaded files into instances and visits each one with its models; `context_only`
/// gets the files read only to lint a fragment given alone, `notes` the notes on Dovecot
/// instances as a whole.
void visit_instances(const lint_options& options, const std::vector<loaded_file>& files,
                     lint_result& result, std::vector<const source_file*>& context_only,
                     std::vector<instance_note>& notes, const instance_visitor& visit) {
    // main.cf and master.cf in one directory form one Postfix instance.
    auto by_dir = std::make_unique<std::map<std::string, postfix_instance>>();
    auto& postfix_by_dir = *by_dir;
    // A second main.cf (or master.cf) of one directory is an instance of its own.
    auto alone = std::make_unique<std::vector<postfix_instance>>();
    auto& postfix_alone = *alone;
    for (const auto& f : files) {
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
        auto effective = std::make_unique<const model::postfix_model>(
            instance, result.postfix_version, options.postfix_roles);
        lint_context context;
        context.postfix = &instance;
        context.postfix_model = effective.get();
        context.postfix_version = result.postfix_version;
        context.dovecot_version = result.dovecot_version;
        visit(context);
        release(options, std::move(effective));
    };
    for (const auto& [dir, instance] : postfix_by_dir) {
        check_postfix(instance);
    }
    for (const auto& instance : postfix_alone) {
        check_postfix(instance);
    }
    release(options, std::move(by_dir));
    release(options, std::move(alone));
    lint_dovecot_files(options, files, result, context_only, notes, visit);
}

/// Groups loaded files into instances, runs the rules on each, and finishes the findings
/// (selection, suppressions, order).
void lint_files(const lint_options& options, const std::vector<loaded_file>& files,
                lint_result& result) {
    std::vector<const source_file*> context_only;  // read only to lint a fragment given alone
    std::vector<instance_note> notes;
    visit_instances(options, files, result, context_only, notes,
                    [&](const lint_context& context) {
                        check_instance(options, context, result.diagnostics);
                    });
    std::vector<const source_file*> postfix_files;
    for (const auto& f : files) {
        if (f.type != config_type::dovecot) {
            postfix_files.push_back(f.source.get());
        }
    }
    detail::finish_findings(options, postfix_files, result);
    std::erase_if(result.diagnostics, [&](const diagnostic& d) {
        return std::find(context_only.begin(), context_only.end(), d.where.file) !=
               context_only.end();
    });
    sort_diagnostics(result.diagnostics);
    place_notes(options, std::move(notes), result);
}

lint_result empty_result(const lint_options& options) {
    lint_result result;
    result.postfix_version = options.postfix_version.value_or(default_postfix_version());
    result.dovecot_version = options.dovecot_version.value_or(default_dovecot_version());
    return result;
}


/// Reads the files that paths name (a directory: its main.cf, master.cf, dovecot.conf),
/// each with its type; what cannot be read or recognised goes to `result.errors`.
std::vector<loaded_file> load_paths(const lint_options& options,
                                    const std::vector<std::string>& paths,
                                    std::optional<config_type> type, lint_result& result) {
    std::vector<loaded_file> files;
    auto load = [&](const std::string& path, config_type t, bool type_given = false) {
        std::string error;
        if (auto source = read_source(path, error, options.max_file_size)) {
            files.push_back({std::move(source), t, type_given});
        } else {
            result.errors.push_back({path, std::move(error)});
        }
    };
    for (const auto& path : paths) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            bool found = false;
            for (const auto& [name, t] : k_instance_files) {
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
            // the name says nothing: read the file and look at its content
            std::string error;
            auto text = read_file(path, error, options.max_file_size);
            const auto sniffed = text ? config_type_from_content(*text) : std::nullopt;
            if (sniffed) {
                files.push_back({std::make_shared<const source_file>(path, std::move(*text)),
                                 *sniffed});
            } else {
                result.errors.push_back(
                    {path, text ? "cannot tell the type of this file from its name or content; "
                                  "name it with --type postfix-main, postfix-master or dovecot"
                                : std::move(error)});
            }
            continue;
        }
        load(path, *t, type.has_value());
    }
    return files;
}

/// What `show` prints of each instance of the files.
show_result show_files(const lint_options& options, const std::vector<loaded_file>& files,
                       lint_result& loaded) {
    show_result shown;
    std::vector<const source_file*> context_only;
    std::vector<instance_note> notes;  // `show` describes the target itself
    visit_instances(options, files, loaded, context_only, notes, [&](const lint_context& context) {
        if (context.postfix_model != nullptr) {
            shown.postfix.push_back(detail::describe(*context.postfix_model));
        } else if (context.dovecot_model != nullptr) {
            shown.dovecot.push_back(detail::describe(*context.dovecot_model));
        }
    });
    shown.errors = std::move(loaded.errors);
    return shown;
}

}  // namespace

lint_result linter::lint_text(std::string text, config_type type, std::string path) const {
    auto result = empty_result(options_);
    std::vector<loaded_file> files;
    files.push_back(
        {std::make_shared<const source_file>(std::move(path), std::move(text)), type, true});
    lint_files(options_, files, result);
    return result;
}

lint_result linter::lint_paths(const std::vector<std::string>& paths,
                               std::optional<config_type> type) const {
    auto result = empty_result(options_);
    const auto files = load_paths(options_, paths, type, result);
    lint_files(options_, files, result);
    return result;
}

show_result linter::show_text(std::string text, config_type type, std::string path) const {
    auto loaded = empty_result(options_);
    std::vector<loaded_file> files;
    files.push_back(
        {std::make_shared<const source_file>(std::move(path), std::move(text)), type, true});
    return show_files(options_, files, loaded);
}

show_result linter::show_paths(const std::vector<std::string>& paths,
                               std::optional<config_type> type) const {
    auto loaded = empty_result(options_);
    const auto files = load_paths(options_, paths, type, loaded);
    return show_files(options_, files, loaded);
}

}  // namespace mailtls
