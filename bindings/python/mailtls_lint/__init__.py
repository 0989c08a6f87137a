"""Lint Postfix and Dovecot configurations for TLS and authentication mistakes.

>>> import mailtls_lint
>>> [f.code for f in mailtls_lint.lint_text("smtpd_tls_wrappermode = yes\\n", "postfix-main")]
['PF101']
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from . import _core
from ._core import Finding, Result

__version__: str = _core.__version__

__all__ = ["Finding", "Result", "lint_paths", "lint_text", "__version__"]


def lint_text(
    text: str,
    type: str,
    postfix_version: str | None = None,
    dovecot_version: str | None = None,
    path: str = "-",
) -> list[Finding]:
    """Lint one configuration file given as text.

    ``type`` is ``"postfix-main"``, ``"postfix-master"`` or ``"dovecot"``. ``path`` is only
    used as the file name in findings. Target versions are strings such as ``"3.7"``; the
    defaults are the newest releases the linter knows. Raises ``ValueError`` for an unknown
    type or a malformed version.
    """
    return _core.lint_text(text, type, postfix_version, dovecot_version, path).findings


def lint_paths(
    paths: Iterable[str | os.PathLike[str]],
    type: str | None = None,
    postfix_version: str | None = None,
    dovecot_version: str | None = None,
) -> list[Finding]:
    """Lint files and directories; a directory stands for the configuration files in it.

    Raises ``OSError`` naming every path that could not be read (after linting the rest is
    pointless for a caller that needs all of them).
    """
    result = _core.lint_paths([os.fspath(p) for p in paths], type, postfix_version, dovecot_version)
    if result.errors:
        raise OSError("; ".join(f"{path}: {message}" for path, message in result.errors))
    return result.findings
