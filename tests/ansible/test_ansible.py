"""The mailtls.lint collection under a real ansible-playbook: localhost, a local connection,
and ansible_python_interpreter set to the interpreter running these tests (the virtual
environment that has the mailtls_lint module)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import mailtls_lint

pytest.importorskip("ansible", reason="the Ansible tests need ansible-core (scripts/build installs it)")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PLAYBOOKS = HERE / "playbooks"
BIN = Path(sys.executable).parent


@pytest.fixture
def ansible(tmp_path):
    """Runs an Ansible command with the collection on its path; returns the CompletedProcess."""
    inventory = tmp_path / "inventory"
    inventory.write_text(
        f"localhost ansible_connection=local ansible_python_interpreter={sys.executable}\n"
    )
    env = {
        **os.environ,
        "ANSIBLE_COLLECTIONS_PATH": str(ROOT),
        "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-local"),
        "ANSIBLE_REMOTE_TEMP": str(tmp_path / "ansible-remote"),
        "ANSIBLE_CONFIG": str(tmp_path / "no-ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
        # validate: runs `mailtls-lint` from the host's PATH: the one beside this interpreter
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }

    def run(command: str, *args: str, check_mode: bool = False, **extra_vars):
        argv = [str(BIN / command), *args]
        if command == "ansible-playbook":
            argv += ["-i", str(inventory), "-e", json.dumps(extra_vars)]
            if check_mode:
                argv.append("--check")
        return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)

    return run


def playbook_ok(result):
    assert result.returncode == 0, result.stdout + result.stderr


# --- mailtls.lint.check -----------------------------------------------------------------------


@pytest.mark.parametrize("check_mode", [False, True])
def test_check_passes_a_clean_config(ansible, tmp_path, check_mode):
    out = tmp_path / "result.json"
    result = ansible("ansible-playbook", str(PLAYBOOKS / "check.yml"), check_mode=check_mode,
                     lint_paths=[str(HERE / "files" / "clean")], result_file=str(out))
    playbook_ok(result)
    lint = json.loads(out.read_text())
    assert lint["findings"] == [] and lint["failing"] == 0
    assert lint["changed"] is False


@pytest.mark.parametrize("check_mode", [False, True])
def test_check_fails_on_wrappermode_in_main_cf(ansible, tmp_path, check_mode):
    out = tmp_path / "result.json"
    broken = HERE / "files" / "broken"
    result = ansible("ansible-playbook", str(PLAYBOOKS / "check.yml"), check_mode=check_mode,
                     lint_paths=[str(broken)], result_file=str(out))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "FAILED!" in result.stdout
    assert "[PF101]" in result.stdout
    assert "smtpd_tls_wrappermode = yes" in result.stdout
    assert f"{broken / 'main.cf'}:12:1: error:" in result.stdout
    assert '"changed": false' in result.stdout
    assert not out.exists()  # the play stopped at the failed task


def test_check_returns_findings_below_fail_level_as_warnings(ansible, tmp_path):
    out = tmp_path / "result.json"
    broken = HERE / "files" / "broken"
    result = ansible("ansible-playbook", str(PLAYBOOKS / "check.yml"), lint_paths=[str(broken)],
                     fail_level="error", result_file=str(out), )
    assert result.returncode == 2  # PF101 is an error
    # the findings match the Python API's exactly
    expected = [f.to_dict() for f in mailtls_lint.lint_paths([broken])]
    assert any(d["code"] == "PF101" for d in expected)
    assert json.dumps(expected[0]["message"])[1:-1] in result.stdout


def test_check_reports_unreadable_paths(ansible, tmp_path):
    result = ansible("ansible-playbook", str(PLAYBOOKS / "check.yml"),
                     lint_paths=[str(tmp_path / "nothing-here")], result_file=str(tmp_path / "r"))
    assert result.returncode == 2
    assert "nothing-here" in result.stdout


def test_ansible_doc_shows_the_documentation(ansible):
    check = ansible("ansible-doc", "mailtls.lint.check")
    assert check.returncode == 0, check.stderr
    for text in ("paths", "fail_level", "postfix_version", "dovecot_version", "select", "ignore",
                 "findings", "check_mode", "EXAMPLES", "/etc/postfix"):
        assert text in check.stdout, text
    template_check = ansible("ansible-doc", "mailtls.lint.template_check")
    assert template_check.returncode == 0, template_check.stderr
    assert "template_line" in template_check.stdout
    filter_doc = ansible("ansible-doc", "-t", "filter", "mailtls.lint.findings")
    assert filter_doc.returncode == 0, filter_doc.stderr
    assert "fail_level" in filter_doc.stdout


def test_galaxy_version_is_the_project_version():
    galaxy = (ROOT / "ansible_collections" / "mailtls" / "lint" / "galaxy.yml").read_text()
    assert f"\nversion: {mailtls_lint.__version__}\n" in galaxy


# --- mailtls.lint.findings --------------------------------------------------------------------


@pytest.mark.parametrize("check_mode", [False, True])
def test_filter_lints_a_rendered_template(ansible, tmp_path, check_mode):
    out = tmp_path / "problems.json"
    clean = ansible("ansible-playbook", str(PLAYBOOKS / "filter.yml"), "-e",
                    f"@{PLAYBOOKS / 'vars-clean.yml'}", check_mode=check_mode, result_file=str(out))
    playbook_ok(clean)
    assert json.loads(out.read_text()) == []

    broken = ansible("ansible-playbook", str(PLAYBOOKS / "filter.yml"), "-e",
                     f"@{PLAYBOOKS / 'vars-broken.yml'}", check_mode=check_mode, result_file=str(out))
    assert broken.returncode == 2
    problems = json.loads(out.read_text())
    assert {p["code"] for p in problems} >= {"PF101"}
    assert all(p["severity"] == "error" for p in problems)  # fail_level='error'
    pf101 = next(p for p in problems if p["code"] == "PF101")
    assert (pf101["file"], pf101["line"]) == ("main.cf", 8)
    assert "PF101" in broken.stdout


# --- mailtls.lint.template_check --------------------------------------------------------------


def test_template_check_copies_a_clean_template(ansible, tmp_path):
    dest = tmp_path / "main.cf"
    out = tmp_path / "result.json"
    result = ansible("ansible-playbook", str(PLAYBOOKS / "template_check.yml"), "-e",
                     f"@{PLAYBOOKS / 'vars-clean.yml'}", dest=str(dest), result_file=str(out))
    playbook_ok(result)
    deployed = json.loads(out.read_text())
    assert deployed["changed"] is True and deployed["findings"] == []
    assert "smtpd_tls_wrappermode = no" in dest.read_text()
    assert oct(dest.stat().st_mode & 0o777) == "0o644"
    assert mailtls_lint.lint_paths([dest]) == []


def test_template_check_stops_a_broken_template_before_the_copy(ansible, tmp_path):
    dest = tmp_path / "main.cf"
    out = tmp_path / "result.json"
    result = ansible("ansible-playbook", str(PLAYBOOKS / "template_check.yml"), "-e",
                     f"@{PLAYBOOKS / 'vars-broken.yml'}", dest=str(dest), result_file=str(out),
                     keep_going=True)
    assert result.returncode == 2, result.stdout
    assert not dest.exists()
    deployed = json.loads(out.read_text())
    assert deployed["failed"] is True and deployed.get("changed") is False
    by_code = {f["code"]: f for f in deployed["findings"]}
    # rendered line 8 came from template line 7; rendered line 6 from the loop on line 5
    assert (by_code["PF101"]["line"], by_code["PF101"]["template_line"]) == (8, 7)
    assert (by_code["PF002"]["line"], by_code["PF002"]["template_line"]) == (6, 5)
    assert by_code["PF101"]["template"] == "main.cf.j2"
    assert "main.cf.j2:7 (rendered main.cf:8:1): error:" in deployed["msg"]
    assert "[PF101]" in result.stdout


def test_template_check_works_in_check_mode(ansible, tmp_path):
    dest = tmp_path / "main.cf"
    out = tmp_path / "result.json"
    broken = ansible("ansible-playbook", str(PLAYBOOKS / "template_check.yml"), "-e",
                     f"@{PLAYBOOKS / 'vars-broken.yml'}", check_mode=True, dest=str(dest),
                     result_file=str(out))
    assert broken.returncode == 2 and "[PF101]" in broken.stdout
    clean = ansible("ansible-playbook", str(PLAYBOOKS / "template_check.yml"), "-e",
                    f"@{PLAYBOOKS / 'vars-clean.yml'}", check_mode=True, dest=str(dest),
                    result_file=str(out))
    playbook_ok(clean)
    assert json.loads(out.read_text())["changed"] is True  # would copy
    assert not dest.exists()  # but did not


# --- validate: ---------------------------------------------------------------------------------


def test_validate_with_the_command_line(ansible, tmp_path):
    dest = tmp_path / "main.cf"
    clean = ansible("ansible-playbook", str(PLAYBOOKS / "validate.yml"), "-e",
                    f"@{PLAYBOOKS / 'vars-clean.yml'}", dest=str(dest))
    playbook_ok(clean)
    assert dest.exists()
    dest.unlink()
    broken = ansible("ansible-playbook", str(PLAYBOOKS / "validate.yml"), "-e",
                     f"@{PLAYBOOKS / 'vars-broken.yml'}", dest=str(dest))
    assert broken.returncode == 2
    assert "failed to validate" in broken.stdout
    assert "[PF101]" in broken.stdout  # mailtls-lint's report, on the temporary file
    assert not dest.exists()
