#include "mailtls/registry.hpp"

#include <algorithm>

#include "lint/rule_index.hpp"

namespace mailtls {

registry::registry(std::vector<std::unique_ptr<rule>> rules) : rules_(std::move(rules)) {
    std::sort(rules_.begin(), rules_.end(), [](const auto& a, const auto& b) {
        return a->metadata().code < b->metadata().code;
    });
}

const registry& registry::global() {
    static const registry instance(detail::make_all_rules());
    return instance;
}

const rule* registry::find(std::string_view code) const noexcept {
    const auto it = std::lower_bound(
        rules_.begin(), rules_.end(), code,
        [](const auto& r, std::string_view c) { return r->metadata().code < c; });
    return it != rules_.end() && (*it)->metadata().code == code ? it->get() : nullptr;
}

diagnostic rule::make_diagnostic(const source_file& file, byte_range range,
                                 std::string message) const {
    const auto& meta = metadata();
    diagnostic d;
    d.code = meta.code;
    d.name = meta.name;
    d.level = meta.default_severity;
    d.message = std::move(message);
    d.where = {&file, range};
    d.hint = meta.fix_hint;
    return d;
}

std::string_view to_string(dialect d) noexcept {
    return d == dialect::postfix ? "postfix" : "dovecot";
}

}  // namespace mailtls
