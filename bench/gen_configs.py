#!/usr/bin/env python3
"""Deterministic synthetic inputs for the benchmarks: main.cf, master.cf and dovecot.conf of a
given size in bytes, and a findings-heavy main.cf (misspelled parameters).

    gen_configs.py OUTDIR SIZE [SIZE...]      writes OUTDIR/<size>/{main.cf,master.cf,dovecot.conf}
    gen_configs.py --typos OUTDIR COUNT       writes OUTDIR/typos-<count>/main.cf
"""

from __future__ import annotations

import sys
from pathlib import Path

REAL = [
    ("myhostname", "mail.example.org"), ("mydomain", "example.org"),
    ("smtpd_tls_cert_file", "/etc/ssl/certs/mail.pem"),
    ("smtpd_tls_key_file", "/etc/ssl/private/mail.key"),
    ("smtpd_tls_security_level", "may"), ("smtpd_tls_auth_only", "yes"),
    ("smtp_tls_security_level", "may"), ("compatibility_level", "3.6"),
    ("smtpd_relay_restrictions", "permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination"),
]


class _Lines(list):
    """A list of lines that keeps its size in bytes (newlines included): summing the lines
    after each append made the 50 MB inputs of the growth series take hours."""

    def __init__(self, lines):
        super().__init__(lines)
        self.size = sum(len(l) + 1 for l in self)

    def append(self, line):
        super().append(line)
        self.size += len(line) + 1

    def __iadd__(self, lines):
        for line in lines:
            self.append(line)
        return self


def main_cf(size: int) -> str:
    """Parameters of which every third refers to the one before; `bench_all` at the end
    refers to all of them (20 per continuation line), as postconf -n's input from
    ../shared/tools/gen-large-configs does: a clean file, not a findings-heavy one (that is
    typos())."""
    lines = _Lines(f"{n} = {v}" for n, v in REAL)
    i = 0
    all_size = len("bench_all =") + 1  # what the references at the end will take
    while lines.size + all_size < size:
        i += 1
        ref = f" $bench_param_{i - 1}" if i % 3 == 0 and i > 1 else ""
        lines.append(f"bench_param_{i} = value-{i}{ref}")
        all_size += len(f" $bench_param_{i}") + (5 if i % 20 == 0 else 0)
        if i % 10 == 0:
            lines.append(f"    continued-{i}")
        if i % 50 == 0:
            lines.append(f"# comment {i}")
    refs = [f"$bench_param_{k}" for k in range(1, i + 1)]
    lines.append("bench_all = " + "\n    ".join(" ".join(refs[j:j + 20])
                                                for j in range(0, len(refs), 20)))
    return "\n".join(lines) + "\n"


def master_cf(size: int) -> str:
    lines = _Lines(["smtp inet n - y - - smtpd", "pickup unix n - y 60 1 pickup",
                    "cleanup unix n - y - 0 cleanup", "qmgr unix n - n 300 1 qmgr"])
    i = 0
    while lines.size < size:
        i += 1
        lines.append(f"{10000 + i} inet n - y - - smtpd")
        lines.append(f"  -o syslog_name=postfix/bench{i}")
        lines.append("  -o { smtpd_client_restrictions = permit_mynetworks, reject }")
    return "\n".join(lines) + "\n"


def dovecot_conf(size: int) -> str:
    lines = _Lines(["protocols = imap", "ssl = required", "ssl_cert = </etc/ssl/certs/mail.pem",
                    "ssl_key = </etc/ssl/private/mail.key", "ssl_min_protocol = TLSv1.2"])
    i = 0
    while lines.size < size:
        i += 1
        lines += [f"service bench{i} {{", f"  process_limit = {i % 100 + 1}",
                  f"  inet_listener l{i} {{", f"    port = {20000 + i % 40000}", "  }", "}",
                  f"namespace ns{i} {{", f"  prefix = NS{i}/", f"  mailbox \"Box {i}\" {{",
                  "    auto = subscribe", "  }", "}"]
    return "\n".join(lines) + "\n"


def typos(count: int) -> str:
    return "".join(f"smtpd_tls_securty_level{i % 7 or ''} = may\nsmtpd_tls_wrapermode = no\n"
                   for i in range(count // 2))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--typos"]:
        out = Path(argv[1]) / f"typos-{argv[2]}"
        out.mkdir(parents=True, exist_ok=True)
        (out / "main.cf").write_text(typos(int(argv[2])))
        return 0
    out = Path(argv[0])
    for size in map(int, argv[1:]):
        d = out / str(size)
        d.mkdir(parents=True, exist_ok=True)
        (d / "main.cf").write_text(main_cf(size))
        (d / "master.cf").write_text(master_cf(size))
        (d / "dovecot.conf").write_text(dovecot_conf(size))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
