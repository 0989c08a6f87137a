#pragma once

// What `mailtls-lint show` prints: a configuration as the daemons see it, after
// continuations, comments, includes and overrides, with the place each value came from.

#include <cstdint>
#include <string>
#include <vector>

namespace mailtls {

/// A value in effect and where it came from.
struct shown_value {
    std::string name;
    std::string value;
    /// "default" (the target's built-in value), "main.cf", "master.cf" (an `-o` option) or
    /// "dovecot" (a line of the Dovecot configuration).
    std::string origin;
    std::string file;  ///< empty for a default
    std::uint32_t line = 0;
    std::uint32_t column = 0;
};

/// A master.cf service that runs smtpd, with the TLS and SASL parameters in effect there.
struct shown_smtpd_service {
    std::string service;  ///< `submission/inet`
    std::string role;     ///< mx, submission, implicit-tls or other
    std::string tls;      ///< off, opportunistic, required or implicit
    bool sasl = false;    ///< SASL authentication offered
    std::string file;     ///< master.cf (empty when the stock master.cf is assumed)
    std::uint32_t line = 0;
    std::vector<shown_value> settings;
};

/// A Postfix instance: what `postconf -n` prints, then each smtpd service.
struct shown_postfix {
    std::string main_cf;    ///< the path, empty when none was given
    std::string master_cf;  ///< the path, empty when the stock one is assumed
    std::string target;     ///< the release judged against, e.g. 3.11.6
    std::string compatibility_level;
    std::vector<shown_value> parameters;  ///< main.cf's, by name; the last of a name wins
    std::vector<shown_smtpd_service> services;
};

/// An inet listener of a Dovecot configuration, built in or written.
struct shown_dovecot_listener {
    std::string service;   ///< imap-login (1.x: the protocol)
    std::string name;      ///< imaps
    std::string port;
    std::string ssl;       ///< yes or no, as in effect there
    std::string tls;       ///< plain, starttls or implicit
    bool built_in = false;
    bool open = false;     ///< it accepts connections
    std::string file;      ///< the block that defines or modifies it; empty when built in
    std::uint32_t line = 0;
};

/// A Dovecot instance: its settings in the order the daemon reads them (through the
/// includes), each with the sections around it, then its listeners.
struct shown_dovecot {
    std::string top;                 ///< the dovecot.conf (or the file given)
    std::vector<std::string> files;  ///< every file read, the top one first
    std::string target;              ///< e.g. 2.3.21
    struct setting {
        std::vector<std::string> sections;  ///< outermost first, e.g. {"service imap-login"}
        shown_value value;
    };
    std::vector<setting> settings;
    std::vector<shown_dovecot_listener> listeners;
};

}  // namespace mailtls
