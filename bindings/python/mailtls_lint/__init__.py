"""Lint Postfix and Dovecot configurations for TLS and authentication mistakes.

>>> import mailtls_lint
>>> [f.code for f in mailtls_lint.lint_text("smtpd_tls_wrappermode = yes\\n", "postfix-main")]
['PF101']

The functions take the options of the command line as arguments (target versions, rule
selection, severities) and raise the module's own exceptions, all subclasses of
:class:`Error`: :class:`OptionError` (also a ``ValueError``) for arguments, with
:class:`ConfigTypeError`, :class:`VersionError`, :class:`RuleError` and
:class:`SeverityError` below it, and :class:`ReadError` (also an ``OSError``) for files that
cannot be read. Problems in a configuration are never exceptions: they are findings, or the
``errors`` of a parsed document.

Calls release the GIL while they parse and lint, and may run from several threads at once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from typing import Literal, Union, overload

from . import _core
from ._core import (
    Comment,
    ConfigTypeError,
    DovecotChild,
    DovecotConf,
    DovecotInclude,
    DovecotReference,
    DovecotSection,
    DovecotSetting,
    Edit,
    Error,
    Finding,
    Fix,
    MainCf,
    MainCfParameter,
    MasterCf,
    MasterCfArgument,
    MasterCfFlag,
    MasterCfOverride,
    MasterCfService,
    MasterCfWord,
    Note,
    OptionError,
    ReadError,
    Result,
    Rule,
    RuleError,
    SeverityError,
    Span,
    SyntaxProblem,
    ValuePart,
    ValueOperand,
    VersionError,
)

__version__: str = _core.__version__

#: What :func:`parse` returns.
Document = Union[MainCf, MasterCf, DovecotConf]
#: A path as the functions accept it.
StrPath = Union[str, "os.PathLike[str]"]

SEVERITIES: tuple[str, ...] = ("info", "warning", "error")

#: Files larger than this are refused (as the linter refuses them) rather than read.
MAX_FILE_SIZE = 64 << 20

__all__ = [
    "MAX_FILE_SIZE",
    "SEVERITIES",
    "Comment",
    "ConfigTypeError",
    "Document",
    "DovecotChild",
    "DovecotConf",
    "DovecotInclude",
    "DovecotReference",
    "DovecotSection",
    "DovecotSetting",
    "Edit",
    "Error",
    "Finding",
    "Findings",
    "Fix",
    "MainCf",
    "MainCfParameter",
    "MasterCf",
    "MasterCfArgument",
    "MasterCfFlag",
    "MasterCfOverride",
    "MasterCfService",
    "MasterCfWord",
    "Note",
    "OptionError",
    "ReadError",
    "Result",
    "Rule",
    "RuleError",
    "SeverityError",
    "Span",
    "StrPath",
    "SyntaxProblem",
    "ValueOperand",
    "ValuePart",
    "VersionError",
    "__version__",
    "explain",
    "failing",
    "lint_instance",
    "lint_paths",
    "lint_text",
    "parse",
    "rules",
]


class Findings(list[Finding]):
    """What a lint call returns: its findings, a list sorted by place and code, and ``notes``.

    ``notes`` holds the notes no finding carries (:class:`Note`, always with a ``file``; line
    and column 0 for a note on the whole file): how the Dovecot target was chosen when no
    version was given (inferred from a line, or the default), or that a file was linted alone
    as a fragment. Such a note goes to the first finding of its Dovecot configuration when
    there is one, so a run says it once either way.
    """

    notes: list[Note]

    def __init__(self, findings: Iterable[Finding] = (), notes: Iterable[Note] = ()) -> None:
        super().__init__(findings)
        self.notes = list(notes)


def _to_bytes(text: str | bytes) -> bytes:
    # Configs may hold any bytes: a str that came from bytes with surrogateescape gets them
    # back; any other lone surrogate is passed on as the invalid bytes it encodes to.
    if isinstance(text, bytes):
        return text
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _text(value: object, what: str) -> bytes:
    if not isinstance(value, (str, bytes)):
        raise OptionError(f"{what} must be str or bytes, not {type(value).__name__}")
    return _to_bytes(value)


def _codes(value: Iterable[str] | str, what: str) -> list[str]:
    # One string is a comma-separated list, as on the command line ("PF1,DV").
    if isinstance(value, str):
        return [code for code in value.split(",") if code]
    codes = list(value)
    for code in codes:
        if not isinstance(code, str):
            raise OptionError(f"{what} must hold rule codes as str, not {type(code).__name__}")
    return codes


def _path_list(paths: Iterable[StrPath] | StrPath) -> list[str]:
    # One path (a str or a PathLike) is a list of one, not the characters of a string.
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    out = []
    for p in paths:
        if not isinstance(p, (str, os.PathLike)):
            raise OptionError(f"paths must be str or os.PathLike, not {type(p).__name__}")
        out.append(os.fspath(p))
    return out


def _read_error(message: str, errors: list[tuple[str, str]]) -> ReadError:
    error = ReadError(message)
    error.errors = errors
    return error


def _read(path: StrPath) -> bytes:
    """A regular file's bytes; anything else (directory, FIFO, device, too big) is a ReadError."""
    name = os.fspath(path)
    try:
        info = os.stat(name)
        if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_FILE_SIZE:
            with open(name, "rb") as f:
                return f.read()
    except OSError as e:
        error = ReadError(e.errno, e.strerror, name)
        error.errors = [(name, e.strerror or str(e))]
        raise error from e
    reason = (
        "not a regular file"
        if not stat.S_ISREG(info.st_mode)
        else f"file larger than the limit of {MAX_FILE_SIZE >> 20} MiB"
    )
    raise _read_error(f"{name}: {reason}", [(name, reason)])


def _type_of(type: str | None, name: str, text: bytes) -> str:
    if type is not None:
        return type
    guessed = _core.guess_type(name, text)
    if guessed is None:
        raise ConfigTypeError(
            f"cannot tell the type of '{name}' from its name or text; pass "
            "type='postfix-main', 'postfix-master' or 'dovecot'"
        )
    return guessed


@overload
def parse(
    source: str | bytes | os.PathLike[str],
    type: Literal["postfix-main"],
    *,
    path: str | None = None,
    dovecot_version: str | None = None,
) -> MainCf: ...
@overload
def parse(
    source: str | bytes | os.PathLike[str],
    type: Literal["postfix-master"],
    *,
    path: str | None = None,
    dovecot_version: str | None = None,
) -> MasterCf: ...
@overload
def parse(
    source: str | bytes | os.PathLike[str],
    type: Literal["dovecot"],
    *,
    path: str | None = None,
    dovecot_version: str | None = None,
) -> DovecotConf: ...
@overload
def parse(
    source: str | bytes | os.PathLike[str],
    type: str | None = None,
    *,
    path: str | None = None,
    dovecot_version: str | None = None,
) -> Document: ...
def parse(
    source: str | bytes | os.PathLike[str],
    type: str | None = None,
    *,
    path: str | None = None,
    dovecot_version: str | None = None,
) -> Document:
    """Parse one configuration file into a read-only syntax tree.

    ``source`` is the text (``str`` or ``bytes``) or a path (``pathlib.Path`` or any
    ``os.PathLike``; a plain ``str`` is always text). ``type`` is ``"postfix-main"``,
    ``"postfix-master"`` or ``"dovecot"``; left out, it is guessed from the file's name
    (``main.cf``, ``master.cf``, ``dovecot*``, ``*.conf``) or else from the text (sections
    and includes are Dovecot, eight-field service lines master.cf, ``name = value`` lines
    main.cf), and :class:`ConfigTypeError` says when neither tells. ``path`` names the text in
    the tree (default ``"-"``, or the path read). ``dovecot_version`` chooses the Dovecot
    syntax (``"1.2"``, ``"2.3"``, ``"2.4"``; default 2.0-2.3), reported as the tree's
    ``syntax`` (``"1.x"``, ``"2.0-2.3"``, ``"2.4"``).

    Returns a :class:`MainCf`, :class:`MasterCf` or :class:`DovecotConf`: always a tree,
    partial when the text has syntax errors (listed in its ``errors``). Every node has
    :class:`Span` locations (byte offsets, 1-based lines and byte columns). A Dovecot file's
    includes are listed, not followed.

    Raises :class:`ConfigTypeError`, :class:`VersionError`, or :class:`ReadError` for a path
    that cannot be read (not a regular file, or larger than :data:`MAX_FILE_SIZE`).
    """
    if isinstance(source, os.PathLike):
        name = os.fspath(source)
        data = _read(name)
    else:
        name = path if path is not None else "-"
        data = _text(source, "source")
    return _core.parse(
        data, _type_of(type, name, data), path if path is not None else name, dovecot_version
    )


def lint_text(
    text: str | bytes,
    type: str | None = None,
    postfix_version: str | None = None,
    dovecot_version: str | None = None,
    path: str = "-",
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    severities: Mapping[str, str] | None = None,
) -> Findings:
    """Lint one configuration file given as text.

    ``type`` is ``"postfix-main"``, ``"postfix-master"`` or ``"dovecot"``, guessed as
    :func:`parse` does when left out. ``path`` is only used as the file name in findings. Target versions are strings such as ``"3.7"`` or
    ``"2.3.19"``; a Dovecot version may have four parts as ``dovecot --version`` prints it
    (``"2.3.19.1"``, judged as 2.3.19). The defaults are the newest releases the linter
    knows (Dovecot's is inferred from the files first). ``select`` and
    ``ignore`` are rule codes or code prefixes (``"PF1"``, ``"DV"``); ``severities`` maps
    exact codes to ``"error"``, ``"warning"`` or ``"info"``; one string is read as a
    comma-separated list (``"PF1,DV"``).

    Returns the findings sorted by place and code, as :class:`Findings` (a list that also
    holds the run's ``notes``). Raises :class:`OptionError` for an argument
    of the wrong type, :class:`ConfigTypeError`,
    :class:`VersionError`, :class:`RuleError` or :class:`SeverityError` for bad arguments.
    """
    data = _text(text, "text")
    result = _core.lint_text(
        data,
        _type_of(type, path, data),
        postfix_version,
        dovecot_version,
        path,
        _codes(select, "select"),
        _codes(ignore, "ignore"),
        dict(severities or {}),
    )
    return Findings(result.findings, result.notes)


def _raise_read_errors(errors: list[tuple[str, str]]) -> None:
    if errors:
        raise _read_error("; ".join(f"{path}: {message}" for path, message in errors), list(errors))


def lint_paths(
    paths: Iterable[StrPath] | StrPath,
    type: str | None = None,
    postfix_version: str | None = None,
    dovecot_version: str | None = None,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    severities: Mapping[str, str] | None = None,
) -> Findings:
    """Lint files and directories; a directory stands for the configuration files in it.

    ``paths`` is a list of paths, or one path. main.cf and master.cf in one directory are
    linted together as one Postfix instance; a
    dovecot.conf is read with the files its ``!include`` lines name. ``type`` forces the type
    of every file argument (for names such as Ansible's temporary ``source``). The other
    arguments are those of :func:`lint_text`.

    Raises :class:`ReadError` (an ``OSError``) naming every path that could not be read, in
    its message and as ``(path, reason)`` pairs in ``errors``: a caller that needs all of the
    files cannot use a partial result.
    """
    result = _core.lint_paths(
        _path_list(paths),
        type,
        postfix_version,
        dovecot_version,
        _codes(select, "select"),
        _codes(ignore, "ignore"),
        dict(severities or {}),
    )
    _raise_read_errors(result.errors)
    return Findings(result.findings, result.notes)


def lint_instance(
    postfix_dir: StrPath | None = None,
    dovecot_conf: StrPath | None = None,
    postfix_version: str | None = None,
    dovecot_version: str | None = None,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    severities: Mapping[str, str] | None = None,
) -> Findings:
    """Lint one mail server: the Postfix configuration directory and the Dovecot top file.

    ``postfix_dir`` is a directory such as ``/etc/postfix`` (its main.cf and master.cf are
    read together); ``dovecot_conf`` is the file the daemon starts from, such as
    ``/etc/dovecot/dovecot.conf``, whatever its name (its includes are followed). Either may
    be left out, not both. The other arguments are those of :func:`lint_text`.

    Raises :class:`ReadError` when the directory has neither main.cf nor master.cf or a file
    cannot be read, and :class:`OptionError` when neither argument is given.
    """
    if postfix_dir is None and dovecot_conf is None:
        raise OptionError("lint_instance needs postfix_dir, dovecot_conf or both")
    chosen, skipped = _codes(select, "select"), _codes(ignore, "ignore")
    levels = dict(severities or {})
    findings: list[Finding] = []
    notes: list[Note] = []
    errors: list[tuple[str, str]] = []
    if postfix_dir is not None:
        directory = os.fspath(postfix_dir)
        if not os.path.isdir(directory):
            errors.append((directory, "not a directory"))
        else:
            files = [
                os.path.join(directory, name)
                for name in ("main.cf", "master.cf")
                if os.path.exists(os.path.join(directory, name))
            ]
            if not files:
                errors.append((directory, "no main.cf or master.cf in this directory"))
            else:
                result = _core.lint_paths(
                    files, None, postfix_version, dovecot_version, chosen, skipped, levels
                )
                findings += result.findings
                notes += result.notes
                errors += result.errors
    if dovecot_conf is not None:
        result = _core.lint_paths(
            [os.fspath(dovecot_conf)],
            "dovecot",
            postfix_version,
            dovecot_version,
            chosen,
            skipped,
            levels,
        )
        findings += result.findings
        notes += result.notes
        errors += result.errors
    _raise_read_errors(errors)
    return Findings(sorted(findings, key=lambda f: (f.file, f.line, f.column, f.code)), notes)


def failing(findings: Iterable[Finding], fail_level: str = "warning") -> list[Finding]:
    """The findings at or above ``fail_level`` (``"error"``, ``"warning"`` or ``"info"``).

    The command line exits with status 1 exactly when this list is not empty (its
    ``--fail-level`` defaults to ``"warning"`` too). Raises :class:`SeverityError` for an
    unknown level.
    """
    if fail_level not in SEVERITIES:
        raise SeverityError(f"unknown severity '{fail_level}': use error, warning or info")
    lowest = SEVERITIES.index(fail_level)
    return [f for f in findings if SEVERITIES.index(f.severity) >= lowest]


def rules() -> list[Rule]:
    """Every rule the linter has, sorted by code, with its metadata (:class:`Rule`)."""
    return _core.rules()


def explain(code: str) -> str:
    """A rule's documentation in Markdown: what ``mailtls-lint explain CODE`` prints.

    Raises :class:`RuleError` when ``code`` is not a rule code.
    """
    return _core.explain(code)
