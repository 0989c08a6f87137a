"""Hostile input through the command (docs/security.md): odd bytes, huge lines, deep nesting,
special files and limits each have a defined outcome, a finding or an I/O error with exit
status 2, and every output format stays safe to print and to parse. Runs against
$MAILTLS_LINT, which scripts/test-hardening points at the sanitizer build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = {
    "nul-bytes": ("postfix-main", b"smtpd_tls_wrappermode = yes\n\x00\x00 = x\nab\x00c\n"),
    "invalid-utf8": ("postfix-main", b"\xff\xfe\xc0\xaf = \xed\xa0\x80\n\xf8\x88 bad\n"),
    "bom": ("postfix-main", b"\xef\xbb\xbfsmtpd_tls_wrappermode = yes\n"),
    "crlf-and-cr": ("postfix-master", b"smtp inet n - y - - smtpd\r\n  -o a=b\rc\r\n"),
    "long-line": ("postfix-main", b"a = " + b"x" * (1 << 20) + b"\n"),
    "only-brace-main": ("postfix-main", b"{"),
    "only-brace-dovecot": ("dovecot", b"{"),
    "only-dollar": ("postfix-main", b"$"),
    "nested-conditionals": ("postfix-main", b"a = " + b"${b?" * 20000 + b"}" * 20000 + b"\n"),
    "nested-sections": ("dovecot", b"a {\n" * 100000),
    "escapes": ("postfix-main", b"smtpd_tls_wrappermode = yes\x1b]0;t\x07\n\x1b[2J\xc2\x9b\n"),
    "bidi": ("dovecot", b"ssl = \xe2\x80\xaeyes\n{\n"),
}


def _run(lint_command: str, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [lint_command, *args], cwd=ROOT, input=input, capture_output=True, timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )


def _assert_terminal_safe(data: bytes) -> None:
    text = data.decode("utf-8")  # valid UTF-8: invalid bytes were replaced
    for c in text:
        assert c in "\n\t" or not (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0), repr(c)
        assert not (0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069), repr(c)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_format_is_safe_whatever_the_bytes(lint_command, tmp_path, name):
    type, data = HOSTILE[name]
    path = tmp_path / "input"
    path.write_bytes(data)
    text = _run(lint_command, "--type", type, str(path))
    assert text.returncode in (0, 1), text.stderr
    _assert_terminal_safe(text.stdout)
    _assert_terminal_safe(text.stderr)
    for format in ("json", "sarif"):
        result = _run(lint_command, "--type", type, "--format", format, str(path))
        assert result.returncode == text.returncode
        json.loads(result.stdout)  # always a valid document
    github = _run(lint_command, "--type", type, "--format", "github", str(path))
    _assert_terminal_safe(github.stdout)  # CI logs are terminals too
    for line in github.stdout.decode("utf-8").splitlines():
        assert line.startswith("::"), line  # a config cannot start a workflow command
    stdin = _run(lint_command, "--type", type, "-", input=data)
    assert stdin.returncode == text.returncode


def test_a_line_past_the_limit_is_one_finding(lint_command, tmp_path):
    (tmp_path / "main.cf").write_bytes(b"smtpd_tls_wrappermode = yes\nx = " + b"y" * (1 << 20) + b"\n")
    result = _run(lint_command, "--select", "PF0", "--format", "json", str(tmp_path))
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("PF001", 2)]
    assert "more than the limit of 1048576 bytes" in findings[0]["message"]


def test_special_files_are_io_errors_and_the_rest_is_linted(lint_command, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    result = _run(lint_command, "--type", "postfix-main", "/dev/zero", str(fifo), str(loop),
                  "examples/implicit-tls/main.cf")
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert "mailtls-lint: /dev/zero: not a regular file" in stderr
    assert f"mailtls-lint: {fifo}: not a regular file" in stderr
    assert f"mailtls-lint: {loop}: " in stderr
    assert "[PF101]" in result.stdout.decode()


def test_max_file_size(lint_command, tmp_path):
    big = tmp_path / "big" / "main.cf"
    big.parent.mkdir()
    big.write_bytes(b"#" * 2047 + b"\n")
    assert _run(lint_command, "--select", "PF101", str(big)).returncode == 0
    for limit in ("1000", "1KiB", "1k"):
        result = _run(lint_command, "--select", "PF101", "--max-file-size", limit, str(big),
                      "examples/implicit-tls")
        assert result.returncode == 2, limit
        assert f"{big}: file of 2048 bytes is larger than the limit of" in result.stderr.decode()
        assert "[PF101]" in result.stdout.decode()
    assert _run(lint_command, "--select", "PF101", "--max-file-size", "2KiB", str(big)).returncode == 0
    stdin = _run(lint_command, "--type", "postfix-main", "--max-file-size", "100", "-",
                 input=b"#" * 101)
    assert stdin.returncode == 2
    assert b"-: input larger than the limit of 100 bytes" in stdin.stderr
    assert _run(lint_command, "--max-file-size", "lots", str(big)).returncode == 2


def test_symlink_loop_and_fifo_behind_an_include_glob(lint_command, tmp_path):
    (tmp_path / "dovecot.conf").write_text("!include conf.d/*.conf\nssl = yes\n")
    conf_d = tmp_path / "conf.d"
    conf_d.mkdir()
    (conf_d / "10-ok.conf").write_text("ssl_min_protocol = TLSv1.2\n")
    (conf_d / "20-loop.conf").symlink_to("20-loop.conf")
    os.mkfifo(conf_d / "30-fifo.conf")
    result = _run(lint_command, "--format", "json", str(tmp_path))
    doc = json.loads(result.stdout)
    assert doc["errors"] == []
    dv005 = [f for f in doc["findings"] if f["code"] == "DV005"]
    assert len(dv005) == 2
    assert all(f["file"] == str(tmp_path / "dovecot.conf") for f in dv005)


def test_an_unreadable_file_behind_an_include_glob(lint_command, request):
    # Root reads any file (CI runs as root): then the command runs as 'nobody' through
    # setpriv, in a folder of its own that user may enter (pytest's tmp_path is root-only).
    folder = Path(tempfile.mkdtemp(prefix="mailtls-unreadable-include-"))
    request.addfinalizer(lambda: shutil.rmtree(folder, ignore_errors=True))
    folder.chmod(0o755)
    (folder / "dovecot.conf").write_text("!include conf.d/*.conf\nssl = yes\n")
    conf_d = folder / "conf.d"
    conf_d.mkdir()
    conf_d.chmod(0o755)
    (conf_d / "10-ok.conf").write_text("ssl_min_protocol = TLSv1.2\n")
    (conf_d / "20-secret.conf").write_text("ssl_key = </etc/ssl/private/imap.key\n")
    (conf_d / "20-secret.conf").chmod(0)
    for f in (folder / "dovecot.conf", conf_d / "10-ok.conf"):
        f.chmod(0o644)
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        if subprocess.run([*prefix, lint_command, "--version"], capture_output=True,
                          cwd=folder, timeout=60).returncode != 0:
            pytest.skip("'nobody' cannot run the command from where it is installed")
    result = subprocess.run([*prefix, lint_command, "--no-config", "--format", "json",
                             str(folder)], capture_output=True, cwd=folder, timeout=120)
    doc = json.loads(result.stdout)
    assert doc["errors"] == []
    dv005 = [f for f in doc["findings"] if f["code"] == "DV005"]
    assert len(dv005) == 1, dv005
    assert "20-secret.conf" in dv005[0]["message"]
    assert "Permission denied" in dv005[0]["message"]
    assert dv005[0]["file"] == str(folder / "dovecot.conf")
