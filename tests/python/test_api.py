"""The Python API that Ansible plugins use."""

from __future__ import annotations

import gc
import json
import os
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
    findings = mailtls_lint.lint_text(
        "smtpd_tls_wrappermode = yes\n", "postfix-main", path="main.cf", select=["PF101"]
    )
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
    findings = mailtls_lint.lint_paths([ROOT / "examples" / "starttls"], select=["PF002"])
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
    findings = mailtls_lint.lint_text(text, "postfix-main", select=["PF002"])
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


# --- findings carry every field of the JSON output -------------------------------------------


def test_to_dict_equals_the_cli_json(run):
    paths = [str(ROOT / "examples" / "implicit-tls"), str(ROOT / "examples" / "starttls")]
    cli = json.loads(run("--format", "json", *paths).stdout)
    api = [f.to_dict() for f in mailtls_lint.lint_paths(paths)]
    assert api == cli["findings"]
    assert any(d["fix"] is not None for d in api)


def test_fix_and_notes_are_objects():
    f = mailtls_lint.lint_text("smtpd_tls_wrappermode = yes\n", "postfix-main", select=["PF101"])[0]
    assert f.fix is not None
    assert f.fix.applicability in ("safe", "unsafe")
    (edit,) = f.fix.edits
    assert (edit.line, edit.column, edit.end_line, edit.end_column) == (1, 1, 2, 1)
    assert edit.replacement == ""
    assert isinstance(f.notes, tuple)
    for note in f.notes:
        assert note.message


def test_select_ignore_and_severities():
    text = "smtpd_tls_wrappermode = yes\nbroken line\n"
    codes = {f.code for f in mailtls_lint.lint_text(text, "postfix-main")}
    assert {"PF001", "PF101"} <= codes
    assert {f.code for f in mailtls_lint.lint_text(text, "postfix-main", select=["PF1"])} <= {
        c for c in codes if c.startswith("PF1")
    }
    assert "PF101" not in {f.code for f in mailtls_lint.lint_text(text, "postfix-main", ignore=["PF101"])}
    (f,) = mailtls_lint.lint_text(text, "postfix-main", select=["PF101"], severities={"PF101": "info"})
    assert f.severity == "info"


def test_failing_uses_the_fail_level():
    findings = mailtls_lint.lint_text("a = b # c\nsmtpd_tls_wrappermode = yes\n", "postfix-main",
                                      select=["PF002", "PF101"])
    assert [f.code for f in mailtls_lint.failing(findings, "error")] == ["PF101"]
    assert [f.code for f in mailtls_lint.failing(findings)] == ["PF002", "PF101"]
    with pytest.raises(mailtls_lint.SeverityError):
        mailtls_lint.failing(findings, "fatal")


def test_target_versions_are_reported_by_the_core():
    from mailtls_lint import _core

    result = _core.lint_text(b"a = b\n", "postfix-main", "3.4", "2.3.19")
    assert (result.postfix_version, result.dovecot_version) == ("3.4", "2.3.19")


def test_a_four_part_dovecot_release_is_judged_as_its_x_y_z():
    from mailtls_lint import _core

    # what Debian 12's `dovecot --version` prints
    result = _core.lint_text(b"protocols = imap\n", "dovecot", None, "2.3.19.1")
    assert result.dovecot_version == "2.3.19.1"
    text = "ssl = yes\nssl_min_protocol = TLSv1\n"
    four = mailtls_lint.lint_text(text, "dovecot", dovecot_version="2.3.19.1")
    three = mailtls_lint.lint_text(text, "dovecot", dovecot_version="2.3.19")
    assert four and [(f.code, f.line) for f in four] == [(f.code, f.line) for f in three]
    assert mailtls_lint.parse(text, "dovecot", dovecot_version="2.3.19.1").errors == ()


def test_notes_no_finding_carries_are_on_the_result():
    clean = mailtls_lint.lint_text(
        "dovecot_config_version = 2.4.1\nssl = yes\n", "dovecot", select=["DV101"]
    )
    assert clean == []
    assert isinstance(clean, list)
    assert isinstance(clean, mailtls_lint.Findings)
    (note,) = clean.notes
    assert note.message.startswith("Dovecot 2.4 is the target inferred from this line")
    assert (note.file, note.line, note.column) == ("-", 1, 1)
    # with a finding, the note is the finding's
    found = mailtls_lint.lint_text("ssl = no\n", "dovecot", select=["DV101"])
    assert found.notes == []
    assert [n.message for n in found[0].notes][0].startswith("Dovecot 2.3.21 is assumed")
    # given the target, nothing to say
    assert mailtls_lint.lint_text("ssl = yes\n", "dovecot", dovecot_version="2.3.21").notes == []


def test_lint_instance_reads_the_postfix_dir_and_dovecot_top_file(tmp_path):
    conf = tmp_path / "top.conf.in"  # a name that does not tell the type
    conf.write_text("ssl = required\n!include missing/*.conf\n")
    findings = mailtls_lint.lint_instance(ROOT / "examples" / "implicit-tls", conf)
    files = {f.file for f in findings}
    assert str(ROOT / "examples" / "implicit-tls" / "main.cf") in files
    assert str(conf) in files  # DV005: the include matches nothing
    assert findings == sorted(findings, key=lambda f: (f.file, f.line, f.column, f.code))


def test_lint_instance_errors(tmp_path):
    with pytest.raises(mailtls_lint.OptionError):
        mailtls_lint.lint_instance()
    with pytest.raises(mailtls_lint.ReadError) as info:
        mailtls_lint.lint_instance(postfix_dir=tmp_path)
    assert info.value.errors == [(str(tmp_path), "no main.cf or master.cf in this directory")]


# --- rules and explain ------------------------------------------------------------------------


def test_rules_have_their_metadata():
    rules = mailtls_lint.rules()
    assert [r.code for r in rules] == sorted(r.code for r in rules)
    pf101 = next(r for r in rules if r.code == "PF101")
    assert (pf101.name, pf101.dialect, pf101.severity) == ("wrappermode-in-main-cf", "postfix", "error")
    assert pf101.summary and pf101.rationale and pf101.fix_hint and pf101.versions
    assert pf101.bad_example[0][0] == "main.cf"
    assert any("postconf" in ref for ref in pf101.references)


def test_explain_prints_the_rule_documentation():
    text = mailtls_lint.explain("PF101")
    assert "PF101" in text and "wrappermode-in-main-cf" in text
    with pytest.raises(mailtls_lint.RuleError):
        mailtls_lint.explain("XX999")


# --- errors are the module's own exceptions -------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "builtin"),
    [
        (lambda: mailtls_lint.lint_text("a = b\n", "sendmail"), mailtls_lint.ConfigTypeError, ValueError),
        (lambda: mailtls_lint.lint_text("a = b\n", "postfix-main", "3"), mailtls_lint.VersionError, ValueError),
        (lambda: mailtls_lint.lint_text("a = b\n", "postfix-main", select=["ZZ"]), mailtls_lint.RuleError, ValueError),
        (lambda: mailtls_lint.lint_text("a = b\n", "postfix-main", severities={"PF101": "fatal"}),
         mailtls_lint.SeverityError, ValueError),
        (lambda: mailtls_lint.parse("a = b\n", "postfix-main", dovecot_version="x"), mailtls_lint.VersionError,
         ValueError),
        (lambda: mailtls_lint.parse(""), mailtls_lint.ConfigTypeError, ValueError),
        (lambda: mailtls_lint.parse(Path("/nonexistent/main.cf")), mailtls_lint.ReadError, OSError),
        (lambda: mailtls_lint.parse(ROOT / "examples"), mailtls_lint.ReadError, OSError),
        (lambda: mailtls_lint.lint_paths([ROOT / "examples"]), mailtls_lint.ReadError, OSError),
        # releases the version knowledge has no data for
        (lambda: mailtls_lint.lint_text("a = b\n", "postfix-main", "4.0"), mailtls_lint.VersionError, ValueError),
        (lambda: mailtls_lint.lint_text("a = b\n", "dovecot", dovecot_version="2.5"),
         mailtls_lint.VersionError, ValueError),
        (lambda: mailtls_lint.lint_text("a = b\n", "dovecot", dovecot_version="2.5.0.1"),
         mailtls_lint.VersionError, ValueError),
        (lambda: mailtls_lint.lint_text("a = b\n", "dovecot", dovecot_version="2.3.19.1.1"),
         mailtls_lint.VersionError, ValueError),
        # Postfix has no four-part releases
        (lambda: mailtls_lint.lint_text("a = b\n", "postfix-main", "3.7.1.2"),
         mailtls_lint.VersionError, ValueError),
        # arguments of the wrong type
        (lambda: mailtls_lint.lint_text(5, "postfix-main"), mailtls_lint.OptionError, ValueError),
        (lambda: mailtls_lint.parse(None, "postfix-main"), mailtls_lint.OptionError, ValueError),
        (lambda: mailtls_lint.lint_paths([3]), mailtls_lint.OptionError, ValueError),
        (lambda: mailtls_lint.lint_text("a = b\n", "postfix-main", select=[1]),
         mailtls_lint.OptionError, ValueError),
    ],
)
def test_errors_have_the_module_types(call, error, builtin):
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, mailtls_lint.Error)
    assert isinstance(info.value, builtin)


def test_one_string_is_one_path_or_a_comma_separated_code_list():
    def dicts(findings):
        return [f.to_dict() for f in findings]

    one = mailtls_lint.lint_paths(str(ROOT / "examples" / "starttls"), select="PF002,PF201")
    assert dicts(one) == dicts(mailtls_lint.lint_paths([ROOT / "examples" / "starttls"],
                                                       select=["PF002", "PF201"]))
    assert {f.code for f in one} == {"PF002", "PF201"}
    assert dicts(mailtls_lint.lint_paths(ROOT / "examples" / "starttls", select="PF002")) == [
        f.to_dict() for f in one if f.code == "PF002"]


def test_read_error_keeps_the_errno():
    import errno

    with pytest.raises(mailtls_lint.ReadError) as info:
        mailtls_lint.parse(Path("/nonexistent/main.cf"))
    assert info.value.errno == errno.ENOENT
    assert info.value.filename == "/nonexistent/main.cf"


def test_read_error_lists_every_path(tmp_path):
    with pytest.raises(mailtls_lint.ReadError) as info:
        mailtls_lint.lint_paths([tmp_path / "a" / "main.cf", tmp_path / "b" / "main.cf"])
    assert [path for path, _ in info.value.errors] == [
        str(tmp_path / "a" / "main.cf"),
        str(tmp_path / "b" / "main.cf"),
    ]


def test_parse_refuses_a_fifo(tmp_path):
    fifo = tmp_path / "main.cf"
    os.mkfifo(fifo)
    with pytest.raises(mailtls_lint.ReadError, match="not a regular file"):
        mailtls_lint.parse(fifo)  # must not block


@pytest.mark.parametrize(
    "text",
    [b"\xff\xfe = \x00\x01\n", b"a = ${{${{${{" * 200 + b"\n", b"{\n" * 5000, b"-o\n" * 1000, b"\\\n" * 1000],
)
@pytest.mark.parametrize("type", ["postfix-main", "postfix-master", "dovecot"])
def test_bad_input_never_crashes(text, type):
    doc = mailtls_lint.parse(text, type)
    assert doc.type == type
    for f in mailtls_lint.lint_text(text, type):
        assert f.line >= 1


# --- syntax trees -----------------------------------------------------------------------------


def test_parse_main_cf():
    text = "# top\nmyhostname = mail.example.org\nmyorigin = ${name?{$mydomain}:x}\n  $$y\nbad line\n"
    doc = mailtls_lint.parse(text, "postfix-main", path="main.cf")
    assert isinstance(doc, mailtls_lint.MainCf)
    assert (doc.type, doc.path) == ("postfix-main", "main.cf")
    assert [p.name for p in doc.parameters] == ["myhostname", "myorigin"]
    host = doc.parameters[0]
    assert (host.name_span.line, host.name_span.column, host.name_span.text) == (2, 1, "myhostname")
    assert (host.value_span.begin, host.value_span.end) == (19, 35)
    assert host.value_span.text == "mail.example.org"
    origin = doc.get("myorigin")
    assert origin is not None
    assert origin.value == "${name?{$mydomain}:x}  $$y"
    assert len(origin.value_pieces) == 2
    kinds = [(p.kind, p.text) for p in origin.parts]
    assert kinds == [("conditional", "${name?{$mydomain}:x}"), ("literal", "  "), ("dollar", "$$"),
                     ("literal", "y")]
    cond = origin.parts[0]
    assert cond.name == "name" and cond.style == "braces"
    assert cond.when_true is not None and cond.when_true.braced
    assert [(p.kind, p.name) for p in cond.when_true.parts] == [("reference", "mydomain")]
    assert cond.when_false is not None and cond.when_false.span.text == "x"
    dollar = origin.parts[2]
    assert (dollar.span.line, dollar.span.column, dollar.span.text) == (4, 3, "$$")  # continuation line
    assert [c.text for c in doc.comments] == ["# top"]
    assert [e.span.line for e in doc.errors] == [5]
    assert doc.get("nothing") is None


def test_parse_master_cf():
    text = (
        "smtp inet n - y - - smtpd\n"
        "submission inet n - y - - smtpd\n"
        "  -o smtpd_tls_security_level=encrypt\n"
        "  -o { smtpd_recipient_restrictions = permit_sasl_authenticated, reject }\n"
        "127.0.0.1:10025 inet n - n - - smtpd -o bad\n"
    )
    doc = mailtls_lint.parse(text, "postfix-master")
    assert isinstance(doc, mailtls_lint.MasterCf)
    assert [(s.service.text, s.type, s.command.text) for s in doc.services] == [
        ("smtp", "inet", "smtpd"),
        ("submission", "inet", "smtpd"),
        ("127.0.0.1:10025", "inet", "smtpd"),
    ]
    smtp = doc.services[0]
    assert (smtp.private.value, smtp.unprivileged.value, smtp.chroot.value) == ("n", "-", "y")
    assert smtp.port == "smtp" and smtp.host == ""
    sub = doc.services[1]
    assert [(o.form, o.name, o.value) for o in sub.overrides] == [
        ("separate", "smtpd_tls_security_level", "encrypt"),
        ("braced", "smtpd_recipient_restrictions", "permit_sasl_authenticated, reject"),
    ]
    level = sub.override("smtpd_tls_security_level")
    assert level is not None
    assert (level.name_span.line, level.name_span.column) == (3, 6)
    assert (level.value_span.text, level.value_span.column) == ("encrypt", 31)
    assert [p.kind for p in level.parts] == ["literal"]
    assert [a.kind for a in sub.arguments] == ["option", "option_value", "option", "option_value"]
    local = doc.services[2]
    assert (local.host, local.port) == ("127.0.0.1", "10025")
    (bad,) = local.overrides
    assert not bad.usable and bad.problem
    assert local.override("bad") is None


def test_parse_dovecot():
    text = (
        "ssl = required\n"
        "ssl_key = </etc/ssl/private/key.pem\n"
        "service imap-login {\n"
        "  inet_listener imaps {\n"
        "    port = 993\n"
        "  }\n"
        "}\n"
        "!include_try conf.d/*.conf\n"
        "protocol imap {\n"
    )
    doc = mailtls_lint.parse(text, "dovecot")
    assert isinstance(doc, mailtls_lint.DovecotConf)
    assert doc.syntax == "2.0-2.3"
    assert [(s.key, s.value, s.scope) for s in doc.settings] == [
        ("ssl", "required", ()),
        ("ssl_key", "/etc/ssl/private/key.pem", ()),
        ("port", "993", ("service imap-login", "inet_listener imaps")),
    ]
    key = doc.settings[1]
    assert key.file and key.file_path_span is not None
    assert key.file_path_span.text == "/etc/ssl/private/key.pem"
    root, login, listener, imap = doc.sections
    assert (root.kind, root.depth, root.close_span) == ("root", 0, None)
    assert (login.type, login.name, login.kind, login.parent) == ("service", "imap-login", "named", 0)
    assert listener.close_span is not None and listener.close_span.line == 6
    assert imap.close_span is None  # never closed: a syntax error
    assert doc.errors
    assert [(c.kind, c.index) for c in login.children] == [("section", 2)]
    (inc,) = doc.includes
    assert (inc.try_only, inc.pattern, inc.span.line) == (True, "conf.d/*.conf", 8)


def test_parse_dovecot_with_a_target_version():
    assert mailtls_lint.parse("a = b\n", "dovecot", dovecot_version="2.4").syntax == "2.4"
    assert mailtls_lint.parse("a = b\n", "dovecot", dovecot_version="1.2").syntax == "1.x"


def test_parse_a_path_guesses_the_type_from_the_name():
    doc = mailtls_lint.parse(ROOT / "examples" / "implicit-tls" / "master.cf")
    assert isinstance(doc, mailtls_lint.MasterCf)
    assert doc.path == str(ROOT / "examples" / "implicit-tls" / "master.cf")
    smtps = next(s for s in doc.services if s.service.text == "smtps")
    assert smtps.override("smtpd_tls_wrappermode") is not None


def test_parse_text_guesses_the_type_from_the_text():
    assert mailtls_lint.parse("service imap {\n}\n").type == "dovecot"
    assert mailtls_lint.parse("smtp inet n - y - - smtpd\n").type == "postfix-master"
    assert mailtls_lint.parse("myhostname = a\n").type == "postfix-main"


def test_trees_are_read_only_and_outlive_their_parents():
    params = mailtls_lint.parse("a = b\n", "postfix-main").parameters
    gc.collect()
    assert params[0].name == "a" and params[0].value_span.text == "b"
    with pytest.raises(AttributeError):
        params[0].name = "c"  # type: ignore[misc]
    with pytest.raises(TypeError):
        mailtls_lint.MainCf()  # type: ignore[call-arg]


def test_invalid_utf8_becomes_replacement_characters():
    doc = mailtls_lint.parse(b"a = \xff\xfe\n", "postfix-main")
    assert doc.parameters[0].value == "\ufffd\ufffd"
    assert doc.parameters[0].value_span.end - doc.parameters[0].value_span.begin == 2


def test_public_names_have_docstrings():
    import inspect

    from mailtls_lint import _core

    for name in mailtls_lint.__all__:
        obj = getattr(mailtls_lint, name)
        if inspect.isclass(obj) or inspect.isroutine(obj):
            assert obj.__doc__, name
        if inspect.isclass(obj) and obj.__module__.startswith("mailtls_lint") and not issubclass(obj, Exception):
            for attr, member in vars(obj).items():
                if not attr.startswith("_"):
                    assert member.__doc__, f"{name}.{attr}"
    for name in dir(_core):
        if not name.startswith("_"):
            assert getattr(_core, name).__doc__, name


def test_concurrent_parses_from_threads():
    text = ("smtp inet n - y - - smtpd -o a=b\n" * 200).encode()
    expected = [s.overrides[0].value_span.begin for s in mailtls_lint.parse(text, "postfix-master").services]
    results: list[list[int]] = []

    def work():
        for _ in range(10):
            doc = mailtls_lint.parse(text, "postfix-master")
            results.append([s.overrides[0].value_span.begin for s in doc.services])

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 60 and all(r == expected for r in results)
