#include <string>

#include "lint/dovecot.hpp"
#include "mailtls/rule.hpp"
#include "model/dovecot_model.hpp"

namespace mailtls {

namespace {

class config_version_missing final : public rule {
public:
    const rule_metadata& metadata() const override {
        static const rule_metadata meta{
            .code = "DV007",
            .name = "config-version-missing",
            .dialect = dialect::dovecot,
            .default_severity = severity::error,
            .summary = "A Dovecot 2.4 configuration without 'dovecot_config_version' first, or "
                       "without 'dovecot_storage_version'",
            .rationale =
                "Dovecot 2.4 reads 'dovecot_config_version' to choose the setting names and "
                "defaults of the configuration, and refuses a file whose first setting is "
                "anything else (\"The first setting must be dovecot_config_version\"); it also "
                "refuses a configuration without 'dovecot_storage_version' (\"dovecot_storage_"
                "version setting must be set\", config_parse_file() in core@2.4.4 "
                "src/config/config-parser.c; dovecot.md §1.3). Either way Dovecot does not "
                "start. The check needs the whole instance, so a fragment linted alone (a "
                "conf.d file no dovecot.conf includes) is not judged.",
            .fix_hint = "start dovecot.conf with 'dovecot_config_version = 2.4.X' and set "
                        "'dovecot_storage_version = 2.4.X' (the release that created the "
                        "mail storage)",
            .versions = ">= 2.4",
            .bad_example = {{"dovecot.conf", "protocols = imap\n"
                                             "dovecot_config_version = 2.4.1\n"
                                             "dovecot_storage_version = 2.4.1\n"}},
            .good_example = {{"dovecot.conf", "dovecot_config_version = 2.4.1\n"
                                              "dovecot_storage_version = 2.4.1\n"
                                              "protocols = imap\n"}},
            .references = {"https://doc.dovecot.org/latest/core/settings/syntax.html",
                           "https://doc.dovecot.org/latest/core/summaries/settings.html"
                           "#dovecot_storage_version"},
        };
        return meta;
    }

    void check(const lint_context& context, diagnostic_sink& out) const override {
        if (context.dovecot == nullptr || context.dovecot_version < version{2, 4, -1} ||
            context.dovecot_model == nullptr || context.dovecot_model->is_partial() ||
            context.dovecot->files.empty()) {
            return;
        }
        const auto& instance = *context.dovecot;
        struct found {
            const source_file* file = nullptr;
            const ast::dovecot_setting* setting = nullptr;
        };
        found first, config_version, storage_version;
        walk_dovecot(instance, [&](const dovecot_setting_ref& ref) {
            const found here{ref.file->source.get(), ref.setting};
            if (first.setting == nullptr) {
                first = here;
            }
            if (config_version.setting == nullptr && ref.sections.empty() &&
                ref.file->ast.key(*ref.setting) == "dovecot_config_version") {
                config_version = here;
            }
            if (storage_version.setting == nullptr && ref.sections.empty() &&
                ref.file->ast.key(*ref.setting) == "dovecot_storage_version") {
                storage_version = here;
            }
        });
        const auto& top = *instance.files.front().source;
        const auto release = "Dovecot " + context.dovecot_version.to_string();
        if (config_version.setting == nullptr) {
            const location where = first.setting != nullptr
                                       ? location{first.file, first.setting->key_range}
                                       : location{&top, {0, 0}};
            auto d = make_diagnostic(*where.file, where.range,
                                     "'dovecot_config_version' is not set: " + release +
                                         " refuses a configuration whose first setting is not "
                                         "'dovecot_config_version' and does not start");
            d.hint = "add 'dovecot_config_version = " + context.dovecot_version.to_string() +
                     "' as the first line of dovecot.conf";
            out.report(std::move(d));
        } else if (config_version.setting != first.setting) {
            auto d = make_diagnostic(*config_version.file, config_version.setting->key_range,
                                     "'dovecot_config_version' is not the first setting: " +
                                         release + " refuses the configuration and does not "
                                                   "start");
            d.notes.push_back({"the first setting Dovecot reads",
                               {first.file, first.setting->key_range}});
            d.hint = "move 'dovecot_config_version' before every other setting";
            out.report(std::move(d));
        }
        if (storage_version.setting == nullptr) {
            const location where =
                config_version.setting != nullptr
                    ? location{config_version.file, config_version.setting->range()}
                : first.setting != nullptr ? location{first.file, first.setting->key_range}
                                           : location{&top, {0, 0}};
            auto d = make_diagnostic(*where.file, where.range,
                                     "'dovecot_storage_version' is not set: " + release +
                                         " refuses the configuration and does not start");
            d.hint = "add 'dovecot_storage_version = X' with the Dovecot release that created "
                     "the mail storage (the installed release for a new server)";
            out.report(std::move(d));
        }
    }
};

}  // namespace

}  // namespace mailtls

MAILTLS_REGISTER_RULE(dv007_config_version_missing, mailtls::config_version_missing)
