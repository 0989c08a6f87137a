"""Output formats of the command: SARIF (validated against the official schema), GitHub
workflow commands, JSON and text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-2.1.0.json"

BROKEN = (
    "smtpd_tls_wrappermode = yes\n"
    "postscreen_reject_footer = bye # opportunistic, 100%: fine\n"
)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    (tmp_path / "main.cf").write_text(BROKEN)
    return tmp_path


def _validate(doc: dict) -> None:
    if not SCHEMA.exists():
        pytest.skip("the SARIF schema (../shared/schemas/sarif-2.1.0.json) is not there")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_sarif_validates_against_the_schema(run, broken, tmp_path):
    # findings with notes and fixes, a suppression finding, and an unreadable file
    (tmp_path / "master.cf").write_text(
        "# mailtls-lint: disable=PF104\nsmtp inet n - y - - smtpd\n")
    result = run("--format", "sarif", str(broken), str(tmp_path / "missing" / "main.cf"),
                 "examples/starttls")
    assert result.returncode == 2
    doc = json.loads(result.stdout)
    _validate(doc)
    run_ = doc["runs"][0]
    assert run_["invocations"][0]["executionSuccessful"] is False
    assert {r["ruleId"] for r in run_["results"]} >= {"PF101", "PF002", "PF901"}


def test_sarif_of_a_clean_run_validates(run, tmp_path):
    (tmp_path / "main.cf").write_text("smtpd_tls_security_level = may\n")
    result = run("--format", "sarif", "--select", "PF0", str(tmp_path))
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    _validate(doc)
    assert doc["runs"][0]["results"] == []
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_rules_come_from_the_metadata(run, broken):
    doc = json.loads(run("--format", "sarif", str(broken)).stdout)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    listed = [line.split()[0] for line in run("rules").stdout.splitlines()[1:]]
    assert [r["id"] for r in rules] == listed
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["helpUri"].endswith(f"/docs/rules/{rule['id']}.md")
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}


def test_sarif_regions_and_fingerprints(run, tmp_path):
    (tmp_path / "main.cf").write_text("postscreen_reject_footer = bye # x\n")
    first = json.loads(run("--format", "sarif", "--select", "PF002", str(tmp_path)).stdout)
    result = first["runs"][0]["results"][0]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) \
        == (1, 32, 1, 35)
    assert result["fixes"][0]["artifactChanges"]
    # lines added above: the line moves, the fingerprint stays
    (tmp_path / "main.cf").write_text("# header\n\npostscreen_reject_footer = bye # x\n")
    second = json.loads(run("--format", "sarif", "--select", "PF002", str(tmp_path)).stdout)
    moved = second["runs"][0]["results"][0]
    assert moved["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert moved["partialFingerprints"] == result["partialFingerprints"]


def test_sarif_fingerprint_of_a_whole_file_finding_survives_a_new_first_line(run, tmp_path):
    # PF205 (no relay protection) has no line of its own: it sits at 1:1 of main.cf
    (tmp_path / "main.cf").write_text("myhostname = mx.example.org\n")
    args = ("--format", "sarif", "--select", "PF205", str(tmp_path))
    (result,) = json.loads(run(*args).stdout)["runs"][0]["results"]
    (tmp_path / "main.cf").write_text("# managed by Ansible\nmyhostname = mx.example.org\n")
    (moved,) = json.loads(run(*args).stdout)["runs"][0]["results"]
    assert moved["ruleId"] == result["ruleId"] == "PF205"
    assert moved["partialFingerprints"] == result["partialFingerprints"]


def test_github_workflow_commands(run, broken):
    result = run("--format", "github", "--select", "PF101,PF002", str(broken / "main.cf"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    path = str(broken / "main.cf").replace(":", "%3A").replace(",", "%2C")
    assert lines[0].startswith(
        f"::error file={path},line=1,col=1,endLine=1,endColumn=27,title=PF101::")
    assert lines[1].startswith(
        f"::warning file={path},line=2,col=32,endLine=2,endColumn=58,title=PF002::"
        "'# opportunistic, 100%25: fine' is not a comment")
    assert all(line.startswith("::") for line in lines)


def test_github_reports_unreadable_files(run, tmp_path):
    result = run("--format", "github", str(tmp_path / "nope.cf"), "--type", "postfix-main")
    assert result.returncode == 2
    assert result.stdout.startswith("::error file=")
    assert "No such file or directory" in result.stdout


def test_json_has_notes_fix_and_schema_version(run, broken):
    doc = json.loads(run("--format", "json", str(broken)).stdout)
    assert doc["schema_version"] == 1
    pf002 = next(f for f in doc["findings"] if f["code"] == "PF002")
    assert pf002["fix"]["applicability"] == "unsafe"
    assert isinstance(pf002["notes"], list)


def test_text_summary_counts_files_and_severities(run, broken):
    result = run("--select", "PF101,PF002", str(broken))
    assert result.stdout.splitlines()[-1] == "1 error, 1 warning in 1 file"


def test_no_color_is_honoured(run, broken):
    # --color auto on a pipe never colours; NO_COLOR does not stop --color always
    assert "\x1b[" not in run(str(broken), env={"NO_COLOR": "1"}).stdout
    assert "\x1b[" in run("--color", "always", str(broken), env={"NO_COLOR": "1"}).stdout


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_every_format_keeps_the_exit_status(run, broken, fmt):
    assert run("--format", fmt, str(broken)).returncode == 1
    assert run("--format", fmt, "--fail-level", "error", "--select", "PF002",
               str(broken)).returncode == 0


def test_unknown_format_is_a_usage_error(run, broken):
    result = run("--format", "xml", str(broken))
    assert result.returncode == 2
    assert result.stdout == ""


def test_sarif_with_notes_of_the_run_validates(run, tmp_path):
    # a clean 2.4 file: its target is inferred from line 1, a note no finding carries
    (tmp_path / "dovecot.conf").write_text(
        "dovecot_config_version = 2.4.1\ndovecot_storage_version = 2.4.1\nprotocols = imap\n"
        "ssl_server_cert_file = /etc/ssl/certs/mail.pem\n"
        "ssl_server_key_file = /etc/ssl/private/mail.key\n")
    result = run("--format", "sarif", str(tmp_path / "dovecot.conf"))
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    _validate(doc)
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "note"
    assert note["message"]["text"].startswith("Dovecot 2.4 is the target inferred from this line")
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
