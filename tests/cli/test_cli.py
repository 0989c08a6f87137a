"""The mailtls-lint command as a user runs it: formats, exit codes, paths and errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def test_starttls_example_reports_trailing_comment_on_line_6(run):
    result = run("--select", "PF002", "examples/starttls")
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    # an error: 'encrypt # ...' is not a TLS level, and smtpd refuses to start
    assert first.startswith("examples/starttls/main.cf:6:36: error: ")
    assert first.endswith("[PF002]")
    # the source line and a caret under the comment
    lines = result.stdout.splitlines()
    assert lines[1] == "    6 | smtpd_tls_security_level = encrypt # This setting requires STARTTLS"
    assert lines[2] == "      |                                    ^" + "~" * 31
    assert result.stdout.rstrip().endswith("1 error in 1 file")


def test_json_contract(run):
    result = run("--format", "json", "examples/implicit-tls/main.cf", "examples/starttls/main.cf")
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["tool"]["name"] == "mailtls-lint"
    assert doc["tool"]["version"]
    assert doc["targets"] == {"postfix": "3.11", "dovecot": "2.3.21"}
    by_code = {f["code"]: f for f in doc["findings"]}
    assert set(by_code) >= {"PF101", "PF002"}
    pf101 = by_code["PF101"]
    assert pf101 | {} == pf101  # a plain object
    for key, kind in [("code", str), ("name", str), ("severity", str), ("message", str),
                      ("file", str), ("line", int), ("column", int), ("end_line", int),
                      ("end_column", int)]:
        assert isinstance(pf101[key], kind), key
    assert pf101["name"] == "wrappermode-in-main-cf"
    assert pf101["severity"] == "error"
    assert pf101["file"] == "examples/implicit-tls/main.cf"
    assert (pf101["line"], pf101["column"], pf101["end_line"], pf101["end_column"]) == (12, 1, 12, 28)


def test_targets_follow_the_version_flags(run):
    result = run("--format", "json", "--postfix-version", "3.7", "--dovecot-version", "2.3.19",
                 "examples/starttls")
    assert json.loads(result.stdout)["targets"] == {"postfix": "3.7", "dovecot": "2.3.19"}


@pytest.mark.parametrize("bad", ["3", "x.y", "3.7.1.1", ""])
def test_malformed_version_is_a_usage_error(run, bad):
    result = run("--postfix-version", bad, "examples/starttls")
    assert result.returncode == 2
    assert result.stdout == ""


def test_type_names_a_file_whose_name_says_nothing(run, tmp_path):
    source = tmp_path / "source"  # what Ansible's validate hands over
    # neither the name nor the content (no 'name = value' line) says what this is
    source.write_text("smtpd_tls_wrappermode yes\n")
    unnamed = run(str(source))
    assert unnamed.returncode == 2
    assert "--type" in unnamed.stderr
    named = run("--type", "postfix-main", str(source))
    assert named.returncode == 1
    assert "[PF001]" in named.stdout


def test_a_file_whose_name_says_nothing_is_recognised_by_content(run, tmp_path):
    source = tmp_path / "source"
    source.write_text("smtpd_tls_wrappermode = yes\n")
    assert "[PF101]" in run(str(source)).stdout
    source.write_text("smtps inet n - y - - smtpd\n  -o smtpd_tls_wrappermode=yes\n")
    result = run("--format", "json", str(source))
    assert json.loads(result.stdout)["errors"] == []
    source.write_text("service imap-login {\n  process_limit = 10\n}\n")
    result = run("--format", "json", str(source))
    assert json.loads(result.stdout)["errors"] == []


def test_clean_file_exits_zero(run, tmp_path):
    (tmp_path / "main.cf").write_text("smtpd_tls_security_level = may\n")
    result = run("--select", "PF0,PF1", "--ignore", "PF105,PF115", str(tmp_path / "main.cf"))
    assert result.returncode == 0, result.stdout
    assert result.stdout == "no problems in 1 file\n"


def test_fail_level(run, tmp_path):
    # a banner takes any text: the comment is a warning, not an error
    (tmp_path / "main.cf").write_text("smtpd_banner = $myhostname ESMTP # comment\n")
    assert run("--select", "PF002", str(tmp_path)).returncode == 1
    assert run("--select", "PF002", "--fail-level", "error", str(tmp_path)).returncode == 0


def test_unreadable_file_is_reported_and_others_are_still_linted(run, tmp_path):
    result = run("--format", "json", "--select", "PF002", str(tmp_path / "missing" / "main.cf"),
                 "examples/starttls")
    assert result.returncode == 2
    assert str(tmp_path / "missing" / "main.cf") in result.stderr
    doc = json.loads(result.stdout)
    assert [f["code"] for f in doc["findings"]] == ["PF002"]
    assert doc["errors"][0]["file"] == str(tmp_path / "missing" / "main.cf")


def test_permission_denied(lint_command, request):
    # Root reads files whatever their mode (CI runs as root): then the command runs as
    # 'nobody' through setpriv, in a folder that user may enter.
    folder = Path(tempfile.mkdtemp(prefix="mailtls-permission-"))  # pytest's is root-only
    request.addfinalizer(lambda: shutil.rmtree(folder, ignore_errors=True))
    folder.chmod(0o755)
    locked = folder / "main.cf"
    locked.write_text("smtpd_tls_wrappermode = yes\n")
    locked.chmod(0)
    readable = folder / "other" / "main.cf"
    readable.parent.mkdir()
    readable.parent.chmod(0o755)
    readable.write_text("smtpd_tls_wrappermode = yes\n")
    readable.chmod(0o644)
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None or not os.access(lint_command, os.X_OK):
            pytest.skip("running as root without setpriv")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        probe = subprocess.run([*prefix, lint_command, "--version"], capture_output=True,
                               cwd=folder, timeout=60)
        if probe.returncode != 0:
            pytest.skip("'nobody' cannot run the command from where it is installed")
    result = subprocess.run([*prefix, lint_command, "--no-config", "--select", "PF101",
                             str(locked), str(readable)],
                            capture_output=True, text=True, cwd=folder, timeout=60)
    assert result.returncode == 2, result.stderr
    assert f"{locked}: Permission denied" in result.stderr
    # the other file is still linted
    assert f"{readable}:1:1: error:" in result.stdout and "[PF101]" in result.stdout


def test_a_fifo_is_not_read(run, tmp_path):
    fifo = tmp_path / "main.cf"
    os.mkfifo(fifo)
    result = run(str(fifo))
    assert result.returncode == 2
    assert "not a regular file" in result.stderr


def test_directory_without_configuration(run, tmp_path):
    result = run(str(tmp_path))
    assert result.returncode == 2
    assert "no main.cf" in result.stderr


def test_select_and_ignore(run):
    assert "[PF101]" not in run("--ignore", "PF1", "examples/implicit-tls").stdout
    selected = run("--select", "PF101", "examples/implicit-tls", "examples/starttls")
    assert "[PF002]" not in selected.stdout
    assert "[PF101]" in selected.stdout
    unknown = run("--select", "ZZ9", "examples/starttls")
    assert unknown.returncode == 2
    assert "ZZ9" in unknown.stderr


def test_version_and_help(run):
    version = run("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("mailtls-lint ")
    help_text = run("--help")
    assert help_text.returncode == 0
    for option in ["--type", "--format", "--postfix-version", "--dovecot-version", "--select",
                   "--ignore", "--fail-level", "--color"]:
        assert option in help_text.stdout


def test_color_only_when_asked(run, tmp_path):
    (tmp_path / "main.cf").write_text("smtpd_tls_wrappermode = yes\n")
    assert "\x1b[" not in run(str(tmp_path)).stdout  # not a terminal
    assert "\x1b[" in run("--color", "always", str(tmp_path)).stdout
    assert "\x1b[" not in run("--color", "never", str(tmp_path)).stdout


def test_terminal_escapes_in_a_config_are_neutralised(run, tmp_path):
    (tmp_path / "main.cf").write_bytes(b"smtpd_tls_wrappermode = yes\nx\x1b]0;owned\x07 y\n")
    result = run(str(tmp_path))
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_json_is_valid_whatever_the_bytes(run, tmp_path):
    (tmp_path / "main.cf").write_bytes(b"a = \xff\xfe # \x00\x01\nbad\xc3 line\n")
    result = run("--format", "json", "--select", "PF001,PF002", str(tmp_path))
    doc = json.loads(result.stdout)
    assert {f["code"] for f in doc["findings"]} == {"PF001", "PF002"}


@pytest.mark.parametrize(("flag", "value", "product"), [
    ("--postfix-version", "4.0", "Postfix"), ("--postfix-version", "3.12", "Postfix"),
    ("--dovecot-version", "2.5", "Dovecot"), ("--dovecot-version", "1.3", "Dovecot"),
])
def test_a_release_the_data_does_not_know_is_a_usage_error(run, flag, value, product):
    result = run(flag, value, "examples/starttls")
    assert result.returncode == 2
    assert f"error: {product} {value} is not a release the linter knows" in result.stderr
    assert result.stdout == ""


def test_postfix_releases_older_than_the_data_are_judged(run):
    result = run("--postfix-version", "1.1", "--format", "json", "examples/starttls")
    assert result.returncode == 1
    assert json.loads(result.stdout)["targets"]["postfix"].startswith("1.1")



def test_dovecot_1x_include_globs_from_1_2_2(run, tmp_path):
    # 1.x resolves !include against the working directory; globs are expanded from 1.2.2
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "conf.d" / "ssl.conf").write_text("ssl_disable = no\n")
    (tmp_path / "dovecot.conf").write_text("protocols = imap\n!include conf.d/*.conf\n")
    old = run("--no-config", "--dovecot-version", "1.2.0", "--select", "DV005",
              "dovecot.conf", cwd=tmp_path)
    assert old.returncode == 1
    assert ("dovecot.conf:2:10: error: 'conf.d/*.conf' names no file: Dovecot before 1.2.2 "
            "does not expand globs") in old.stdout
    new = run("--no-config", "--dovecot-version", "1.2.2", "--select", "DV005",
              "dovecot.conf", cwd=tmp_path)
    assert new.returncode == 0, new.stdout


def test_a_four_part_dovecot_release_is_judged_as_its_x_y_z(run):
    # what Debian 12's `dovecot --version` prints; reported as written
    four = run("--format", "json", "--dovecot-version", "2.3.19.1", "examples/implicit-tls")
    three = run("--format", "json", "--dovecot-version", "2.3.19", "examples/implicit-tls")
    assert four.returncode == three.returncode
    doc = json.loads(four.stdout)
    assert doc["targets"]["dovecot"] == "2.3.19.1"
    assert [(f["code"], f["line"]) for f in doc["findings"]] == [
        (f["code"], f["line"]) for f in json.loads(three.stdout)["findings"]]
    assert "2.3.19.1" in run("--help").stdout


@pytest.mark.parametrize(("flag", "value", "words"), [
    ("--dovecot-version", "2.5.0.1", "error: Dovecot 2.5.0.1 is not a release the linter knows"),
    ("--dovecot-version", "2.3.19.1.1", "is not a version like 2.4, 2.3.19 or 2.3.19.1"),
    ("--dovecot-version", "2.3.19.x", "is not a version like 2.4, 2.3.19 or 2.3.19.1"),
    # Postfix has no four-part releases
    ("--postfix-version", "3.7.1.2", "is not a version like 3.7 or 3.7.1"),
])
def test_bad_four_part_releases_are_usage_errors(run, flag, value, words):
    result = run(flag, value, "examples/implicit-tls")
    assert result.returncode == 2
    assert words in result.stderr
    assert result.stdout == ""


def test_a_clean_dovecot_run_says_how_its_target_was_chosen(run, tmp_path):
    (tmp_path / "dovecot.conf").write_text(
        "ssl = required\nssl_cert = </etc/ssl/certs/mail.pem\n"
        "ssl_key = </etc/ssl/private/mail.key\nprotocols = imap\n")
    text = run(str(tmp_path / "dovecot.conf"))
    assert text.returncode == 0
    assert text.stdout.splitlines() == [
        f"{tmp_path}/dovecot.conf: note: Dovecot 2.3.21 is assumed, the default target: nothing "
        "in the configuration tells the release (give --dovecot-version)",
        "no problems in 1 file",
    ]
    doc = json.loads(run("--format", "json", str(tmp_path / "dovecot.conf")).stdout)
    assert doc["findings"] == []
    assert doc["notes"] == [{
        "message": "Dovecot 2.3.21 is assumed, the default target: nothing in the configuration "
                   "tells the release (give --dovecot-version)",
        "file": f"{tmp_path}/dovecot.conf", "line": 0, "column": 0, "end_line": 0,
        "end_column": 0}]
    github = run("--format", "github", str(tmp_path / "dovecot.conf"))
    assert github.returncode == 0
    assert github.stdout.startswith("::notice file=")
    # given a target, or selecting no Dovecot rule: nothing to say
    assert run("--dovecot-version", "2.3.21", str(tmp_path)).stdout == "no problems in 1 file\n"
    assert run("--select", "PF", str(tmp_path)).stdout == "no problems in 1 file\n"
