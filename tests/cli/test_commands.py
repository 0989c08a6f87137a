"""Subcommands (rules, explain), standard input, directories, several instances, help and
the man page."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_rules_lists_every_rule(run, root):
    result = run("rules")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "DIALECT", "VERSIONS"]
    rows = [line.split(maxsplit=4) for line in lines[1:]]
    codes = [r[0] for r in rows]
    assert codes == sorted(codes)
    assert {"PF001", "PF002", "PF101", "PF901", "PF902", "DV901", "DV902"} <= set(codes)
    for code, name, severity, dialect, versions in rows:
        assert re.fullmatch(r"(PF|DV)\d{3}", code)
        assert severity in {"error", "warning", "info"}
        assert dialect == ("postfix" if code.startswith("PF") else "dovecot")
        assert versions
    # one rule per generated page
    pages = {p.stem for p in (root / "docs" / "rules").glob("*.md")} - {"README"}
    assert pages == set(codes)


def test_rules_as_json(run):
    doc = json.loads(run("--format", "json", "rules").stdout)
    assert doc["schema_version"] == 1
    text_codes = [line.split()[0] for line in run("rules").stdout.splitlines()[1:]]
    assert [r["code"] for r in doc["rules"]] == text_codes
    pf101 = next(r for r in doc["rules"] if r["code"] == "PF101")
    assert (pf101["name"], pf101["severity"], pf101["dialect"]) == (
        "wrappermode-in-main-cf", "error", "postfix")
    assert pf101["summary"] and pf101["help_uri"].endswith("/PF101.md")
    assert run("--format", "sarif", "rules").returncode == 2


def test_explain_prints_the_generated_page(run, root):
    result = run("explain", "PF002")
    assert result.returncode == 0
    assert result.stdout == (root / "docs" / "rules" / "PF002.md").read_text()
    assert run("explain", "trailing-comment").stdout == result.stdout


def test_explain_unknown_code(run):
    result = run("explain", "PF000")
    assert result.returncode == 2
    assert "PF000" in result.stderr
    assert run("explain").returncode == 2


def test_a_path_named_like_a_command(run, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "main.cf").write_text("smtpd_tls_wrappermode = yes\n")
    assert "[PF101]" in run("./rules", cwd=tmp_path).stdout
    mixed = run("main.cf", "rules", cwd=rules)
    assert mixed.returncode == 2
    assert "./rules" in mixed.stderr


def test_stdin_with_type_and_name(run):
    result = run("--type", "postfix-main", "--stdin-filename", "roles/mx/main.cf",
                 "--format", "json", "-", input="smtpd_tls_wrappermode = yes\n")
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert {f["file"] for f in doc["findings"]} == {"roles/mx/main.cf"}
    plain = run("--type", "postfix-main", "--select", "PF101", "-",
                input="smtpd_tls_wrappermode = yes\n")
    assert plain.stdout.startswith("-:1:1: error: ")


def test_stdin_dovecot(run):
    result = run("--type", "dovecot", "--select", "DV009", "-",
                 input="login_greeting = Mail server#1\n")
    assert result.returncode == 1
    assert "[DV009]" in result.stdout


def test_stdin_needs_type_and_stands_alone(run, tmp_path):
    no_type = run("-", input="a = b\n")
    assert no_type.returncode == 2
    assert "--type" in no_type.stderr
    (tmp_path / "main.cf").write_text("a = b\n")
    mixed = run("--type", "postfix-main", "-", str(tmp_path / "main.cf"), input="a = b\n")
    assert mixed.returncode == 2
    name_without_stdin = run("--stdin-filename", "x", str(tmp_path / "main.cf"))
    assert name_without_stdin.returncode == 2


def test_no_path_is_a_usage_error(run):
    result = run()
    assert result.returncode == 2
    assert result.stdout == ""


def test_directories_and_several_instances(run, tmp_path):
    postfix = tmp_path / "etc" / "postfix"
    dovecot = tmp_path / "etc" / "dovecot"
    (dovecot / "conf.d").mkdir(parents=True)
    postfix.mkdir(parents=True)
    (postfix / "main.cf").write_text("postscreen_reject_footer = bye # x\n")
    (postfix / "master.cf").write_text("smtp inet n - y - - smtpd\n")
    (dovecot / "dovecot.conf").write_text("!include conf.d/*.conf\n")
    (dovecot / "conf.d" / "10-ssl.conf").write_text("login_greeting = Mail server#1\n")
    other = tmp_path / "other"
    other.mkdir()
    (other / "main.cf").write_text("smtpd_tls_wrappermode = yes\n")
    result = run("--format", "json", "--select", "PF002,PF101,DV009", str(postfix),
                 str(dovecot), str(other))
    doc = json.loads(result.stdout)
    assert doc["errors"] == []
    got = sorted((Path(f["file"]).relative_to(tmp_path).as_posix(), f["code"])
                 for f in doc["findings"])
    assert got == [("etc/dovecot/conf.d/10-ssl.conf", "DV009"),
                   ("etc/postfix/main.cf", "PF002"), ("other/main.cf", "PF101")]
    text = run("--select", "PF002,PF101,DV009", str(postfix), str(dovecot), str(other))
    assert text.stdout.splitlines()[-1] == "1 error, 2 warnings in 5 files"


def test_missing_and_unreadable_inputs(run, tmp_path):
    result = run(str(tmp_path / "nope"), "--type", "dovecot")
    assert result.returncode == 2
    assert "No such file or directory" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(str(empty)).returncode == 2


def test_help_explains_every_option_with_an_example(run):
    result = run("--help")
    assert result.returncode == 0
    for option in ["--type", "--stdin-filename", "--format", "--postfix-version",
                   "--dovecot-version", "--select", "--ignore", "--severity", "--fail-level",
                   "--color", "--config", "--no-config", "--version", "rules", "explain"]:
        assert option in result.stdout, option
    assert "Examples:" in result.stdout
    assert result.stdout.count("e.g.") >= 10


def test_bad_severity_override(run, tmp_path):
    (tmp_path / "main.cf").write_text("a = b # c\n")
    assert run("--severity", "PF002", str(tmp_path)).returncode == 2
    assert run("--severity", "PF002=loud", str(tmp_path)).returncode == 2
    unknown = run("--severity", "PF999=error", str(tmp_path))
    assert unknown.returncode == 2 and "PF999" in unknown.stderr
    ok = run("--severity", "PF002=info", "--fail-level", "warning", "--select", "PF002",
             str(tmp_path))
    assert ok.returncode == 0
    assert "info:" in ok.stdout


def test_man_page_documents_every_option(root):
    page = (root / "docs" / "mailtls-lint.1").read_text()
    assert page.startswith(".TH MAILTLS-LINT 1")
    plain = page.replace("\\-", "-")
    for option in ["type", "stdin-filename", "format", "postfix-version", "dovecot-version",
                   "select", "ignore", "severity", "fail-level", "color", "config",
                   "no-config"]:
        assert f".BI --{option}" in plain or f".B --{option}" in plain, option
    man = subprocess.run(["man", "--version"], capture_output=True)
    if man.returncode != 0:
        pytest.skip("man is not installed")
    rendered = subprocess.run(["man", "-l", str(root / "docs" / "mailtls-lint.1")],
                              capture_output=True, text=True, env={"MANWIDTH": "80",
                                                                  "PATH": "/usr/bin:/bin"})
    assert rendered.returncode == 0, rendered.stderr
    assert "mailtls-lint" in rendered.stdout
