"""`mailtls-lint show`: the configuration as the daemons see it, with where each value
comes from."""

from __future__ import annotations

import json
from pathlib import Path

MAIN_CF = """\
compatibility_level = 3.6
smtpd_tls_security_level = may
smtpd_tls_chain_files = /etc/ssl/private/mx.pem
smtpd_sasl_auth_enable = no
# a comment, then a continued value
smtpd_relay_restrictions = permit_mynetworks,
    reject_unauth_destination
smtpd_tls_auth_only = no
smtpd_tls_auth_only = yes
"""

MASTER_CF = """\
smtp       inet  n  -  y  -  -  smtpd
submission inet  n  -  y  -  -  smtpd
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
"""


def _instance(tmp_path: Path) -> Path:
    (tmp_path / "main.cf").write_text(MAIN_CF)
    (tmp_path / "master.cf").write_text(MASTER_CF)
    return tmp_path


def _setting(service: dict, name: str) -> dict:
    return next(s for s in service["settings"] if s["name"] == name)


def test_postfix_json_has_postconf_n_and_each_service_with_origins(run, tmp_path):
    d = _instance(tmp_path)
    result = run("show", "--format", "json", str(d))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1
    (pf,) = doc["postfix"]
    assert pf["main_cf"] == str(d / "main.cf") and pf["master_cf"] == str(d / "master.cf")
    assert pf["compatibility_level"] == "3.6"
    params = {p["name"]: p for p in pf["parameters"]}
    # postconf -n: sorted by name, the last of a name, continuation lines folded
    assert [p["name"] for p in pf["parameters"]] == sorted(params)
    assert params["smtpd_tls_auth_only"]["value"] == "yes"
    assert params["smtpd_tls_auth_only"]["line"] == 9
    assert params["smtpd_relay_restrictions"]["value"] == (
        "permit_mynetworks, reject_unauth_destination")
    services = {s["service"]: s for s in pf["services"]}
    assert set(services) == {"smtp/inet", "submission/inet"}
    smtp, submission = services["smtp/inet"], services["submission/inet"]
    assert (smtp["role"], smtp["tls"], smtp["sasl"]) == ("mx", "opportunistic", False)
    assert (submission["role"], submission["tls"], submission["sasl"]) == (
        "submission", "required", True)
    level = _setting(submission, "smtpd_tls_security_level")
    assert (level["value"], level["origin"], level["line"], level["column"]) == (
        "encrypt", "master.cf", 3, 3)
    assert _setting(smtp, "smtpd_tls_security_level")["origin"] == "main.cf"
    wrapper = _setting(smtp, "smtpd_tls_wrappermode")
    assert (wrapper["value"], wrapper["origin"]) == ("no", "default")
    assert "file" not in wrapper


def test_text_names_the_place_of_each_value(run, tmp_path):
    d = _instance(tmp_path)
    result = run("show", str(d))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "## main.cf (as postconf -n prints it)\n" in out
    assert "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination\n" in out
    assert "## submission/inet (submission): TLS required, SASL on" in out
    lines = out.splitlines()
    start = lines.index(next(l for l in lines if l.startswith("## submission/inet")))
    block = lines[start:]
    level = next(l for l in block if l.startswith("smtpd_tls_security_level = encrypt"))
    assert level.endswith(f"# {d / 'master.cf'}:3 (-o)")
    assert any(l.startswith("smtpd_tls_wrappermode = no") and l.endswith("# default")
               for l in block)


def test_service_narrows_to_one_service(run, tmp_path):
    d = _instance(tmp_path)
    result = run("show", "--service", "submission/inet", "--format", "json", str(d))
    assert result.returncode == 0, result.stderr
    (pf,) = json.loads(result.stdout)["postfix"]
    assert [s["service"] for s in pf["services"]] == ["submission/inet"]
    text = run("show", "--service", "submission/inet", str(d)).stdout
    assert "smtp/inet" not in text and "## main.cf" not in text
    missing = run("show", "--service", "smtps/inet", str(d))
    assert missing.returncode == 2
    assert "no smtpd service 'smtps/inet'" in missing.stderr


def test_options_and_stdin(run):
    result = run("show", "--type", "postfix-main", "--stdin-filename", "roles/mx/main.cf",
                 "--postfix-version", "3.4", "-", input="smtpd_tls_security_level = may\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "# Postfix 3.4.") and "roles/mx/main.cf, the stock master.cf (assumed)" in result.stdout
    assert "## smtp/inet (mx): TLS opportunistic" in result.stdout
    sarif = run("show", "--format", "sarif", "examples/starttls")
    assert sarif.returncode == 2 and "prints text or json" in sarif.stderr
    assert run("show").returncode == 2
    unreadable = run("show", "--format", "json", "/nonexistent/main.cf")
    assert unreadable.returncode == 2
    assert json.loads(unreadable.stdout)["errors"][0]["file"] == "/nonexistent/main.cf"


def test_dovecot_settings_after_includes_and_listeners(run, tmp_path):
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "dovecot.conf").write_text(
        "protocols = imap\n"
        "!include conf.d/*.conf\n")
    (tmp_path / "conf.d" / "10-ssl.conf").write_text(
        "ssl = required\n"
        "ssl_cert = </etc/ssl/certs/imap.pem\n"
        "ssl_key = </etc/ssl/private/imap.key\n"
        "service imap-login {\n"
        "  inet_listener imap {\n"
        "    port = 0\n"
        "  }\n"
        "}\n")
    result = run("show", "--format", "json", str(tmp_path))
    assert result.returncode == 0, result.stderr
    (dv,) = json.loads(result.stdout)["dovecot"]
    assert dv["files"] == [str(tmp_path / "dovecot.conf"), str(tmp_path / "conf.d" / "10-ssl.conf")]
    settings = [(s["sections"], s["name"], s["value"]) for s in dv["settings"]]
    assert settings == [
        ([], "protocols", "imap"),
        ([], "ssl", "required"),
        ([], "ssl_cert", "</etc/ssl/certs/imap.pem"),
        ([], "ssl_key", "</etc/ssl/private/imap.key"),
        (["service imap-login", "inet_listener imap"], "port", "0"),
    ]
    assert dv["settings"][1]["file"] == str(tmp_path / "conf.d" / "10-ssl.conf")
    listeners = {(l["service"], l["name"]): l for l in dv["listeners"]}
    imaps = listeners[("imap-login", "imaps")]
    assert (imaps["port"], imaps["tls"], imaps["built_in"], imaps["open"]) == (
        "993", "implicit", True, True)
    assert listeners[("imap-login", "imap")]["open"] is False
    text = run("show", str(tmp_path)).stdout
    assert "service imap-login {\n  inet_listener imap {\n    port = 0\n  }\n}\n" in text
