"""Shared pytest fixtures: where the installed command and the project's files are."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _command() -> str:
    # The command installed next to the interpreter running the tests (the wheel's copy),
    # unless MAILTLS_LINT names another build.
    explicit = os.environ.get("MAILTLS_LINT")
    if explicit:
        return explicit
    beside = Path(sys.executable).parent / "mailtls-lint"
    if beside.exists():
        return str(beside)
    found = shutil.which("mailtls-lint")
    if found is None:
        pytest.exit("mailtls-lint is not installed; install the wheel or set MAILTLS_LINT", 2)
    return found


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def lint_command() -> str:
    return _command()


@pytest.fixture
def run(lint_command: str):
    """Runs mailtls-lint with arguments; returns the CompletedProcess (text mode)."""

    def _run(*args: str, cwd: Path | None = None, input: str | None = None, env: dict | None = None):
        return subprocess.run(
            [lint_command, *args],
            cwd=cwd or ROOT,
            input=input,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=60,
        )

    return _run


@pytest.fixture(scope="session")
def wheel() -> Path:
    """The wheel scripts/build made (MAILTLS_WHEEL_DIR, default build/wheel)."""
    folder = Path(os.environ.get("MAILTLS_WHEEL_DIR", ROOT / "build" / "wheel"))
    wheels = sorted(folder.glob("mailtls_lint-*.whl"))
    if not wheels:
        pytest.skip(f"no wheel in {folder}: scripts/build makes it")
    return wheels[-1]

