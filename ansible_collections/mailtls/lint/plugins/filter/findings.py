# Copyright: mailtls-lint developers
# MIT License (see LICENSE in the repository)
"""The mailtls.lint.findings filter: lint configuration text on the controller."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

try:
    import mailtls_lint
except ImportError:
    mailtls_lint = None


def findings(
    text,
    type=None,
    path="-",
    postfix_version=None,
    dovecot_version=None,
    select=None,
    ignore=None,
    fail_level=None,
):
    """The findings of mailtls-lint for `text`, as a list of dicts (the JSON output's fields);
    with `fail_level`, only those at or above it."""
    if mailtls_lint is None:
        raise AnsibleFilterError(
            "mailtls.lint.findings needs the mailtls-lint Python package on the controller "
            "(pip install mailtls-lint)"
        )
    if not isinstance(text, (str, bytes)):
        raise AnsibleFilterError(
            "mailtls.lint.findings expects configuration text, got %s" % text.__class__.__name__
        )
    try:
        found = mailtls_lint.lint_text(
            str(text) if isinstance(text, str) else text,
            type,
            postfix_version,
            dovecot_version,
            path,
            select=select or (),
            ignore=ignore or (),
        )
        if fail_level is not None:
            found = mailtls_lint.failing(found, fail_level)
    except mailtls_lint.Error as e:
        raise AnsibleFilterError("mailtls.lint.findings: %s" % e)
    return [f.to_dict() for f in found]


class FilterModule:
    """mailtls.lint filters."""

    def filters(self):
        return {"findings": findings}
