"""The Python API that Ansible plugins use."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

import mailtls_lint

ROOT = Path(__file__).resolve().parents[2]


def test_version_matches_the_project():
    cmake = (ROOT / "CMakeLists.txt").read_text()
    assert f"project(mailtls VERSION {mailtls_lint.__version__}" in cmake


def test_lint_text_returns_findings_with_the_json_fields():
    findings = mailtls_lint.lint_text("smtpd_tls_wrappermode = yes\n", "postfix-main", path="main.cf")
    assert len(findings) == 1
    f = findings[0]
    assert (f.code, f.name, f.severity) == ("PF101", "wrappermode-in-main-cf", "error")
    assert (f.file, f.line, f.column, f.end_line, f.end_column) == ("main.cf", 1, 1, 1, 28)
    assert "implicit TLS" in f.message
    assert f.hint


def test_findings_are_read_only():
    f = mailtls_lint.lint_text("a = b # c\n", "postfix-main")[0]
    with pytest.raises(AttributeError):
        f.code = "X"  # type: ignore[misc]


def test_lint_paths_on_the_examples():
    findings = mailtls_lint.lint_paths([ROOT / "examples" / "starttls"])
    assert [(f.code, f.line) for f in findings] == [("PF002", 6)]


def test_lint_paths_raises_oserror_for_missing_files(tmp_path):
    with pytest.raises(OSError, match="missing.cf"):
        mailtls_lint.lint_paths([tmp_path / "missing.cf"], type="postfix-main")


@pytest.mark.parametrize(
    "kwargs",
    [{"type": "sendmail"}, {"type": "postfix-main", "postfix_version": "three"}],
)
def test_bad_arguments_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        mailtls_lint.lint_text("a = b\n", **kwargs)


def test_invalid_utf8_and_nul_bytes_do_not_crash():
    text = "a = \udcff\x00 # x\n".encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    findings = mailtls_lint.lint_text(text, "postfix-main")
    assert [f.code for f in findings] == ["PF002"]


def test_concurrent_calls_from_threads():
    text = "smtpd_tls_wrappermode = yes\nbroken line\n" * 50
    expected = [(f.code, f.line) for f in mailtls_lint.lint_text(text, "postfix-main")]
    results: list[list[tuple[str, int]]] = []
    errors: list[BaseException] = []

    def work():
        try:
            for _ in range(20):
                results.append([(f.code, f.line) for f in mailtls_lint.lint_text(text, "postfix-main")])
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 160
    assert all(r == expected for r in results)


def test_python_dash_m_behaves_as_the_cli():
    result = subprocess.run(
        [sys.executable, "-m", "mailtls_lint", "--format", "json", str(ROOT / "examples" / "starttls")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert '"PF002"' in result.stdout
