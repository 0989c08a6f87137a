"""`.mailtls-lint.toml`: discovery, --config and --no-config, every key, precedence of the
command line, per-path overrides, and errors that name the file, line and key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# PF002 fires on line 1, PF101 on line 2.
MAIN_CF = "postscreen_reject_footer = bye # comment\nsmtpd_tls_wrappermode = yes\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "roles" / "mx").mkdir(parents=True)
    (tmp_path / "roles" / "legacy" / "files").mkdir(parents=True)
    (tmp_path / "roles" / "mx" / "main.cf").write_text(MAIN_CF)
    (tmp_path / "roles" / "legacy" / "files" / "main.cf").write_text(MAIN_CF)
    return tmp_path


def findings(result) -> list[tuple[str, str, str]]:
    doc = json.loads(result.stdout)
    return [(f["file"], f["code"], f["severity"]) for f in doc["findings"]]


def lint(run, project: Path, *args: str, cwd: Path | None = None):
    return run("--format", "json", "--select", "PF002,PF101", *args, "roles/mx",
               "roles/legacy/files", cwd=cwd or project)


def test_found_in_the_working_directory_or_above(run, project):
    (project / ".mailtls-lint.toml").write_text('[lint]\nselect = ["PF002", "PF101"]\n'
                                                'ignore = ["PF101"]\n')
    result = run("--format", "json", "mx", cwd=project / "roles")
    assert [code for _, code, _ in findings(result)] == ["PF002"]
    result = run("--format", "json", "--no-config", "--select", "PF002,PF101", "mx",
                 cwd=project / "roles")
    assert [code for _, code, _ in findings(result)] == ["PF002", "PF101"]


def test_the_shape_of_the_contract(run, project):
    (project / ".mailtls-lint.toml").write_text(
        '[versions]\npostfix = "3.7"\ndovecot = "2.3.19"\n\n'
        '[lint]\nselect = ["PF"]\nignore = ["PF115"]\nfail_level = "error"\n\n'
        '[lint.severity]\nPF002 = "error"\n\n'
        '[postfix.roles]\n"10587" = "submission"\n"127.0.0.1:25" = "mx"\n\n'
        '[[overrides]]\npaths = ["roles/legacy/**"]\nignore = ["PF101"]\n'
        'severity = { PF002 = "info" }\n')
    result = run("--format", "json", "roles/mx", "roles/legacy/files", cwd=project)
    doc = json.loads(result.stdout)
    assert doc["targets"] == {"postfix": "3.7", "dovecot": "2.3.19"}
    got = {(f["file"], f["code"], f["severity"]) for f in doc["findings"]
           if f["code"] in {"PF002", "PF101"}}
    assert got == {("roles/mx/main.cf", "PF002", "error"), ("roles/mx/main.cf", "PF101", "error"),
                   ("roles/legacy/files/main.cf", "PF002", "info")}
    # fail_level = "error" and there are errors
    assert result.returncode == 1


def test_a_four_part_dovecot_release_in_the_file(run, project):
    (project / ".mailtls-lint.toml").write_text('[versions]\ndovecot = "2.3.19.1"\n')
    result = run("--format", "json", "roles/mx", cwd=project)
    assert json.loads(result.stdout)["targets"]["dovecot"] == "2.3.19.1"
    (project / ".mailtls-lint.toml").write_text('[versions]\ndovecot = "2.5.0.1"\n')
    unknown = run("roles/mx", cwd=project)
    assert unknown.returncode == 2
    assert "Dovecot 2.5.0.1 is not a release the linter knows" in unknown.stderr


def test_command_line_wins_over_the_file(run, project):
    (project / ".mailtls-lint.toml").write_text(
        '[versions]\npostfix = "3.7"\n[lint]\nselect = ["PF101"]\nfail_level = "error"\n'
        '[lint.severity]\nPF002 = "error"\n')
    result = run("--format", "json", "--postfix-version", "3.4", "--select", "PF002",
                 "--severity", "PF002=info", "--fail-level", "info", "roles/mx", cwd=project)
    doc = json.loads(result.stdout)
    assert doc["targets"]["postfix"] == "3.4"
    assert [(f["code"], f["severity"]) for f in doc["findings"]] == [("PF002", "info")]
    assert result.returncode == 1  # --fail-level info beats fail_level = "error"


def test_fail_level_from_the_file(run, project):
    (project / ".mailtls-lint.toml").write_text(
        '[lint]\nselect = ["PF002"]\nfail_level = "error"\n')
    assert run("roles/mx", cwd=project).returncode == 0
    assert run("--no-config", "--select", "PF002", "roles/mx", cwd=project).returncode == 1


def test_overrides_are_relative_to_the_config_file(run, project):
    config = project / "ci" / "lint.toml"
    config.parent.mkdir()
    config.write_text('[[overrides]]\npaths = ["../roles/legacy/**"]\nselect = ["PF002"]\n')
    # a glob cannot climb out of the config file's folder: nothing matches, nothing narrows
    assert len(findings(lint(run, project, "--config", str(config)))) == 4
    config.write_text('[[overrides]]\npaths = ["legacy/**"]\nselect = ["PF002"]\n')
    (project / "roles" / "lint.toml").write_text(config.read_text())
    got = findings(lint(run, project, "--config", "roles/lint.toml"))
    assert got == [("roles/legacy/files/main.cf", "PF002", "warning"),
                   ("roles/mx/main.cf", "PF002", "warning"),
                   ("roles/mx/main.cf", "PF101", "error")]


def test_overrides_apply_to_the_stdin_filename(run, project):
    (project / ".mailtls-lint.toml").write_text(
        '[[overrides]]\npaths = ["roles/legacy/**"]\nignore = ["PF101"]\n')
    result = run("--format", "json", "--select", "PF101", "--type", "postfix-main",
                 "--stdin-filename", "roles/legacy/files/main.cf", "-", cwd=project, input=MAIN_CF)
    assert findings(result) == []
    result = run("--format", "json", "--select", "PF101", "--type", "postfix-main",
                 "--stdin-filename", "roles/mx/main.cf", "-", cwd=project, input=MAIN_CF)
    assert findings(result) == [("roles/mx/main.cf", "PF101", "error")]


@pytest.mark.parametrize("text, line, key", [
    ('[lint]\nselct = ["PF"]\n', 2, "lint.selct"),
    ('[versions]\npostfix = 3.7\n', 2, "versions.postfix"),
    ('[versions]\npostfix = "three"\n', 2, "versions.postfix"),
    ('[versions]\npostfix = "3.7.1.2"\n', 2, "versions.postfix"),  # Postfix: X.Y[.Z] only
    ('[versions]\ndovecot = "2.3.19.1.1"\n', 2, "versions.dovecot"),
    ('[lint]\nfail_level = "fatal"\n', 2, "lint.fail_level"),
    ('\n[lint]\nselect = "PF"\n', 3, "lint.select"),
    ('[lint]\nignore = ["ZZ9"]\n', 2, "lint.ignore"),
    ('[lint.severity]\nPF999 = "error"\n', 2, "lint.severity.PF999"),
    ('[lint.severity]\nPF002 = "loud"\n', 2, "lint.severity.PF002"),
    ('[postfix.roles]\n"10587" = "submissions"\n', 2, 'postfix.roles."10587"'),
    ('[postfix]\nrole = {}\n', 2, "postfix.role"),
    ('[[overrides]]\npaths = ["x/**"]\nignor = ["PF002"]\n', 3, "overrides.ignor"),
    ('[[overrides]]\nignore = ["PF002"]\n', 1, "overrides"),
    ('[[overrides]]\npaths = []\n', 2, "overrides.paths"),
    ('[overrides]\npaths = ["x"]\n', 1, "overrides"),
    ('verbose = true\n', 1, "verbose"),
    ('[lint\n', 1, ""),
])
def test_unknown_keys_and_wrong_types_name_file_line_and_key(run, project, text, line, key):
    config = project / ".mailtls-lint.toml"
    config.write_text(text)
    result = run("roles/mx", cwd=project)
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"{config}:{line}:" in result.stderr
    assert key in result.stderr


def test_explicit_config_must_exist(run, project):
    result = run("--config", "nope.toml", "roles/mx", cwd=project)
    assert result.returncode == 2
    assert "nope.toml" in result.stderr


def test_config_and_no_config_exclude_each_other(run, project):
    (project / "c.toml").write_text("")
    assert run("--config", "c.toml", "--no-config", "roles/mx", cwd=project).returncode == 2
