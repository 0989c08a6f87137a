"""The pre-commit hooks, run by pre-commit itself on a sample repository.

The hooks are the ones .pre-commit-hooks.yaml declares, entry, files and all, used as local
hooks whose environment installs the wheel that scripts/build made: pre-commit builds
nothing, so the test reuses the one build (a `repo:` reference to this repository would
make pre-commit compile the whole project again in its own store)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _pre_commit() -> str | None:
    venv = os.environ.get("VIRTUAL_ENV")
    if venv and (Path(venv) / "bin" / "pre-commit").exists():
        return str(Path(venv) / "bin" / "pre-commit")
    return shutil.which("pre-commit")


pytestmark = pytest.mark.skipif(_pre_commit() is None, reason="pre-commit is not installed")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    # One home for the module, so the hooks' environment is made once.
    return tmp_path_factory.mktemp("pre-commit-home")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=repo, check=True, capture_output=True)


def test_the_manifest_is_valid():
    result = subprocess.run([_pre_commit(), "validate-manifest", ".pre-commit-hooks.yaml"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _run_hook(repo: Path, home: Path, wheel: Path,
              hook: str = "mailtls-lint") -> subprocess.CompletedProcess[str]:
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hooks = [dict(h, additional_dependencies=[str(wheel)]) for h in manifest]
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    _git(repo, "add", ".pre-commit-config.yaml")
    # Every hook shares one environment (same language and dependencies): more ids cost
    # nothing. Debian's Python makes it, the one the wheel is built for.
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if ".pyenv" not in p)
    return subprocess.run(
        [_pre_commit(), "run", hook, "--all-files", "--color", "never"],
        cwd=repo, capture_output=True, text=True, env=env, timeout=1800,
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


CLEAN_MAIN_CF = """\
compatibility_level = 3.6
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_tls_chain_files = /etc/ssl/private/mail.pem
smtp_tls_security_level = may
"""


def test_clean_config_passes(tmp_path, pre_commit_home, wheel):
    repo = _sample_repo(tmp_path, CLEAN_MAIN_CF)
    result = _run_hook(repo, pre_commit_home, wheel)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mailtls-lint" in result.stdout and "Passed" in result.stdout


def test_broken_config_fails_with_the_finding(tmp_path, pre_commit_home, wheel):
    repo = _sample_repo(tmp_path, "smtpd_tls_wrappermode = yes\n")
    result = _run_hook(repo, pre_commit_home, wheel)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert "roles/mail/files/main.cf:1:1: error:" in result.stdout
    assert "[PF101]" in result.stdout


def test_dovecot_hook_lints_dovecot_files_only(tmp_path, pre_commit_home, wheel):
    # a broken main.cf that this hook must not look at, and a Dovecot conf.d file with DV009
    repo = _sample_repo(tmp_path, "smtpd_tls_wrappermode = yes\n", {
        "roles/imap/files/dovecot.conf": "!include conf.d/*.conf\n",
        "roles/imap/files/conf.d/10-ssl.conf": "login_greeting = Mail server#1\n",
    })
    result = _run_hook(repo, pre_commit_home, wheel, "mailtls-lint-dovecot")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "roles/imap/files/conf.d/10-ssl.conf:1:" in result.stdout
    assert "[DV009]" in result.stdout
    assert "[PF101]" not in result.stdout


def test_main_hook_lints_postfix_and_dovecot_conf_d_files(tmp_path, pre_commit_home, wheel):
    repo = _sample_repo(tmp_path, CLEAN_MAIN_CF, {
        "roles/imap/files/dovecot.conf": "!include conf.d/*.conf\n",
        "roles/imap/files/conf.d/10-ssl.conf": "login_greeting = Mail server#1\n",
    })
    result = _run_hook(repo, pre_commit_home, wheel)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "roles/imap/files/conf.d/10-ssl.conf:1:" in result.stdout
    assert "[DV009]" in result.stdout


def test_postfix_hook_passes_a_clean_postfix_config(tmp_path, pre_commit_home, wheel):
    repo = _sample_repo(tmp_path, CLEAN_MAIN_CF, {
        "roles/imap/files/dovecot.conf": "login_greeting = Mail server#1\n",
    })
    result = _run_hook(repo, pre_commit_home, wheel, "mailtls-lint-postfix")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_try_repo_builds_the_hooks_from_this_repository(tmp_path, pre_commit_home):
    # What a user's `repo:` entry does: pre-commit installs this repository with pip (a
    # build from source in its own store) and runs the hook. The store and pip's build live
    # under build/ and build in build/cmake of pre-commit's copy, as scripts/build does in
    # the project, so the compiler cache of scripts/common.sh (its base directory is the
    # project) serves the library's objects.
    repo = _sample_repo(tmp_path, "smtpd_tls_wrappermode = yes\n")
    scratch = ROOT / "build" / "try-repo"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(scratch / "home"), "TMPDIR": str(scratch),
           "SKBUILD_BUILD_DIR": "build/cmake"}
    result = subprocess.run(
        [_pre_commit(), "try-repo", str(ROOT), "mailtls-lint", "--all-files", "--color",
         "never"],
        cwd=repo, capture_output=True, text=True, env=env, timeout=3600,
    )
    shutil.rmtree(scratch, ignore_errors=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "roles/mail/files/main.cf:1:1: error:" in result.stdout
    assert "[PF101]" in result.stdout

