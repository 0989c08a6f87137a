"""The type stubs and the package's annotations agree with the built module (mypy stubtest)."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import mailtls_lint

pytest.importorskip("mypy", reason="the stub check needs mypy (scripts/build installs it)")


def test_stubtest_finds_no_difference(tmp_path):
    package_dir = Path(mailtls_lint.__file__).resolve().parent
    env = dict(os.environ)
    # An installed package is found by mypy through the interpreter's site-packages; one put
    # on PYTHONPATH (a development tree) needs MYPYPATH, which must not name site-packages.
    if package_dir.parent != Path(sysconfig.get_paths()["purelib"]).resolve():
        env["MYPYPATH"] = str(package_dir.parent)
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "mailtls_lint"],
        cwd=tmp_path,  # for mypy's cache
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


def test_the_package_is_typed():
    package_dir = Path(mailtls_lint.__file__).resolve().parent
    assert (package_dir / "py.typed").exists()
    assert (package_dir / "_core.pyi").exists()
