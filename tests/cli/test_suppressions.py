"""Inline suppressions in the linted files, through the command."""

from __future__ import annotations

import json


def codes(result) -> list[tuple[str, int]]:
    return [(f["code"], f["line"]) for f in json.loads(result.stdout)["findings"]]


def test_disable_covers_the_next_entry_only(run, tmp_path):
    (tmp_path / "main.cf").write_text(
        "# mailtls-lint: disable=PF002 -- documented exception\n"
        "postscreen_reject_footer = bye # one\n"
        "mynetworks = 127.0.0.0/8 # two\n")
    result = run("--format", "json", "--select", "PF0,PF9", str(tmp_path))
    assert codes(result) == [("PF002", 3)]


def test_disable_file_covers_the_whole_file(run, tmp_path):
    (tmp_path / "main.cf").write_text(
        "postscreen_reject_footer = bye # one\n"
        "# mailtls-lint: disable-file=PF002 -- comments after values on purpose\n"
        "mynetworks = 127.0.0.0/8 # two\n")
    result = run("--format", "json", "--select", "PF0,PF9", str(tmp_path))
    assert codes(result) == []
    assert result.returncode == 0


def test_master_cf_service_with_its_options(run, tmp_path):
    (tmp_path / "main.cf").write_text("smtpd_tls_security_level = may\n")
    (tmp_path / "master.cf").write_text(
        "# mailtls-lint: disable=PF999 -- not a rule\n"
        "smtp      inet  n       -       y       -       -       smtpd\n"
        "  -o smtpd_tls_security_level=may\n")
    result = run("--format", "json", "--select", "PF9", str(tmp_path))
    assert codes(result) == [("PF902", 1)]


def test_missing_reason_and_unused_are_reported(run, tmp_path):
    (tmp_path / "main.cf").write_text(
        "# mailtls-lint: disable=PF002\n"
        "smtpd_tls_security_level = may\n")
    result = run("--select", "PF0,PF9", str(tmp_path))
    assert result.returncode == 1
    assert "[PF901]" in result.stdout and "[PF902]" in result.stdout


def test_dovecot_suppressions_have_their_own_codes(run, tmp_path):
    (tmp_path / "dovecot.conf").write_text(
        "# mailtls-lint: disable=DV009\n"
        "login_greeting = Mail server#1\n"
        "# mailtls-lint: disable=DV009 -- stale\n"
        "ssl = yes\n")
    result = run("--format", "json", "--select", "DV009,DV9", str(tmp_path))
    assert codes(result) == [("DV901", 1), ("DV902", 3)]


def test_ignoring_the_suppression_rules(run, tmp_path):
    (tmp_path / "main.cf").write_text("# mailtls-lint: disable=PF002\nsmtpd_tls_auth_only = yes\n")
    result = run("--format", "json", "--ignore", "PF9", "--select", "PF0,PF9", str(tmp_path))
    assert codes(result) == []
    assert result.returncode == 0


def test_a_dovecot_file_named_and_included_counts_once(run, tmp_path):
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "dovecot.conf").write_text("!include conf.d/*.conf\n")
    (tmp_path / "conf.d" / "10-ssl.conf").write_text(
        "# mailtls-lint: disable=DV009 -- the greeting ends in #1\n"
        "login_greeting = Mail server#1\n")
    # as the pre-commit hook passes them: the top file and the included file both named
    result = run("--select", "DV009,DV9", "dovecot.conf", "conf.d/10-ssl.conf", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    # one instance: its default target is said once
    assert result.stdout == (
        "dovecot.conf: note: Dovecot 2.3.21 is assumed, the default target: nothing in the "
        "configuration tells the release (give --dovecot-version)\n"
        "no problems in 2 files\n")
