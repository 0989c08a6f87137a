"""How template_check maps a rendered line back to the template line it came from."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ansible_collections.mailtls.lint.plugins.module_utils.findings import (  # noqa: E402
    format_finding,
    template_lines,
)


def test_literal_lines_win_over_expressions():
    template = "a = 1\n{% for k in x %}\n{{ k }} = {{ v }}\n{% endfor %}\nb = {{ b }}\n"
    rendered = "a = 1\nc = 2\nd = 3\nb = 4\n"
    assert template_lines(template, rendered) == [1, 3, 3, 5]


def test_comments_render_to_nothing_and_unknown_lines_are_none():
    template = "{# note #}\nx = {{ y }}\n"
    rendered = "x = 1\nsecond line of a multi-line value\n"
    assert template_lines(template, rendered) == [2, None]


def test_equal_candidates_follow_the_template_order():
    template = "{{ a }}\nmid\n{{ b }}\n"
    rendered = "one\nmid\ntwo\n"
    assert template_lines(template, rendered) == [1, 2, 3]


def test_format_finding():
    finding = {"file": "main.cf", "line": 3, "column": 1, "severity": "error", "message": "m", "code": "PF101"}
    assert format_finding(finding) == "main.cf:3:1: error: m [PF101]"
    assert format_finding(finding, "t.j2:2") == "t.j2:2: error: m [PF101]"
