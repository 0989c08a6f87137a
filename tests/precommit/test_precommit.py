"""The pre-commit hook, run by pre-commit itself on a sample repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("pre-commit") is None and not (
    Path(os.environ.get("VIRTUAL_ENV", "/nonexistent")) / "bin" / "pre-commit").exists(),
    reason="pre-commit is not installed")


def _pre_commit() -> str:
    venv = os.environ.get("VIRTUAL_ENV")
    if venv and (Path(venv) / "bin" / "pre-commit").exists():
        return str(Path(venv) / "bin" / "pre-commit")
    return shutil.which("pre-commit") or "pre-commit"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home() -> Path:
    # One home for the module, so the hook's environment is built once. It lives in the
    # project's build folder and the hook's build tree sits at the same place relative to its
    # sources as the main one (build/cmake), so with ccache's base directory at the project
    # root (scripts/common.sh) pip's build of the hook compiles nothing twice.
    home = ROOT / "build" / "pre-commit-home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    return home


def _try_repo(sample: Path, home: Path,
              hook: str = "mailtls-lint") -> subprocess.CompletedProcess[str]:
    # Every hook id of the repository shares one environment, so more ids cost no build.
    return subprocess.run(
        [_pre_commit(), "try-repo", str(ROOT), hook, "--all-files", "--color", "never"],
        cwd=sample,
        capture_output=True,
        text=True,
        env={**os.environ, "PRE_COMMIT_HOME": str(home), "SKBUILD_BUILD_DIR": "build/cmake"},
        timeout=3600,
    )


def _sample_repo(tmp_path: Path, main_cf: str, files: dict[str, str] | None = None) -> Path:
    repo = tmp_path / "sample"
    (repo / "roles" / "mail" / "files").mkdir(parents=True)
    (repo / "roles" / "mail" / "files" / "main.cf").write_text(main_cf)
    (repo / "README").write_text("not a config\n")
    for name, text in (files or {}).items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "sample")
    return repo


def test_clean_config_passes(tmp_path, pre_commit_home):
    repo = _sample_repo(tmp_path, "smtpd_tls_security_level = may\nsmtpd_tls_auth_only = yes\n")
    result = _try_repo(repo, pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mailtls-lint" in result.stdout and "Passed" in result.stdout


def test_broken_config_fails_with_the_finding(tmp_path, pre_commit_home):
    repo = _sample_repo(tmp_path, "smtpd_tls_wrappermode = yes\n")
    result = _try_repo(repo, pre_commit_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert "roles/mail/files/main.cf:1:1: error:" in result.stdout
    assert "[PF101]" in result.stdout


def test_dovecot_hook_lints_dovecot_files_only(tmp_path, pre_commit_home):
    # a broken main.cf that this hook must not look at, and a Dovecot conf.d file with DV009
    repo = _sample_repo(tmp_path, "smtpd_tls_wrappermode = yes\n", {
        "roles/imap/files/dovecot.conf": "!include conf.d/*.conf\n",
        "roles/imap/files/conf.d/10-ssl.conf": "login_greeting = Mail server#1\n",
    })
    result = _try_repo(repo, pre_commit_home, "mailtls-lint-dovecot")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "roles/imap/files/conf.d/10-ssl.conf:1:" in result.stdout
    assert "[DV009]" in result.stdout
    assert "[PF101]" not in result.stdout


def test_postfix_hook_passes_a_clean_postfix_config(tmp_path, pre_commit_home):
    repo = _sample_repo(tmp_path, "smtpd_tls_security_level = may\n", {
        "roles/imap/files/dovecot.conf": "login_greeting = Mail server#1\n",
    })
    result = _try_repo(repo, pre_commit_home, "mailtls-lint-postfix")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
