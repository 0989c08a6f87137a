# Copyright: mailtls-lint developers
# MIT License (see LICENSE in the repository)
"""Helpers shared by the mailtls.lint plugins: finding text, and template line mapping.

Kept free of the mailtls_lint package so that it loads even where the package is missing
(the plugins then report that it is missing).
"""

from __future__ import annotations

import re

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_ONLY_TAGS = re.compile(r"^\s*(?:(?:\{%.*?%\}|\{#.*?#\})\s*)+$")


def format_finding(finding, where=None):
    """`path:line:col: severity: message [CODE]` for a finding dict (as Finding.to_dict());
    `where` replaces `path:line:col`."""
    if where is None:
        where = "%s:%s:%s" % (finding["file"], finding["line"], finding["column"])
    return "%s: %s: %s [%s]" % (where, finding["severity"], finding["message"], finding["code"])


def failure_message(failing, fail_level, total):
    """The `msg` of a task that failed on findings."""
    head = "%d of %d finding(s) at or above fail_level '%s'" % (len(failing), total, fail_level)
    return head + ":\n" + "\n".join(failing)


def _line_pattern(line):
    """A regex for the rendered text of one template line, and how much literal text it has;
    None for a line that renders to nothing (only block tags and comments)."""
    if _ONLY_TAGS.match(line):
        return None
    parts = []
    literal = 0
    at = 0
    for tag in _TAG.finditer(line):
        parts.append(re.escape(line[at : tag.start()]))
        literal += tag.start() - at
        if not tag.group().startswith("{#"):
            parts.append(".*?")
        at = tag.end()
    parts.append(re.escape(line[at:]))
    literal += len(line) - at
    return re.compile("".join(parts) + r"\Z", re.DOTALL), literal


def template_lines(template, rendered):
    """For each line of `rendered`, the 1-based line of `template` it came from, or None
    where that cannot be told.

    A rendered line belongs to the template line whose literal text it matches (expressions
    match anything); among several, the one with the most literal text, and among equals the
    first at or after the line matched before (template lines are rendered in order, loops
    repeat them). Lines that a multi-line expression produced match nothing and get None.
    """
    patterns = [(i + 1, _line_pattern(t)) for i, t in enumerate(template.splitlines())]
    patterns = [(n, p) for n, p in patterns if p is not None]
    result = []
    previous = 0
    for text in rendered.splitlines():
        candidates = [(n, literal) for n, (rx, literal) in patterns if rx.match(text)]
        if not candidates:
            result.append(None)
            continue
        best = max(literal for _, literal in candidates)
        lines = [n for n, literal in candidates if literal == best]
        if len(lines) == 1:
            chosen = lines[0]
        else:
            after = [n for n in lines if n >= previous]
            chosen = after[0] if after else None
        result.append(chosen)
        if chosen is not None:
            previous = chosen
    return result
