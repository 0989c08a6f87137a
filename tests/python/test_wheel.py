"""The wheel that scripts/build made installs into a fresh virtual environment, without a
compiler or the source tree, and gives the command and the module."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import mailtls_lint

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_installs_into_a_fresh_venv(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)],
        check=True,
        env=clean_env,
        timeout=300,
    )
    version = subprocess.run(
        [str(env_dir / "bin" / "mailtls-lint"), "--version"],
        capture_output=True, text=True, check=True, env=clean_env, cwd=tmp_path,
    )
    assert version.stdout.strip() == f"mailtls-lint {mailtls_lint.__version__}"
    imported = subprocess.run(
        [str(python), "-c",
         "import mailtls_lint, sys; print(mailtls_lint.__file__); "
         "print('PF101' in [f.code for f in mailtls_lint.lint_text("
         "'smtpd_tls_wrappermode = yes\\n', 'postfix-main')])"],
        capture_output=True, text=True, check=True, env=clean_env, cwd=tmp_path,
    )
    path, codes = imported.stdout.splitlines()
    assert Path(path).is_relative_to(env_dir)  # the wheel's copy, not the tree's
    assert codes == "True"
