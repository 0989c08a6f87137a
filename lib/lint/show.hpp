#pragma once

// Descriptions of an instance for `show`, from its effective model.

#include "mailtls/show.hpp"

namespace mailtls::model {
class postfix_model;
class dovecot_model;
}  // namespace mailtls::model

namespace mailtls::detail {

/// main.cf as `postconf -n` prints it, then each smtpd service with the TLS and SASL
/// parameters in effect there and where each came from.
[[nodiscard]] shown_postfix describe(const model::postfix_model& model);

/// The settings in the order the daemon reads them, with their sections, and the listeners.
[[nodiscard]] shown_dovecot describe(const model::dovecot_model& model);

}  // namespace mailtls::detail
