"""The Python layer fed random bytes: every call returns findings or a syntax tree, never a
crash, and every place it reports lies inside the text it was given (docs/security.md)."""

from __future__ import annotations

import random

import pytest

import mailtls_lint

TYPES = ["postfix-main", "postfix-master", "dovecot"]

# Bytes that matter to the grammars, so that random inputs reach past the first line.
ALPHABET = b"ab=${}():?,#!\"'\\ \t\r\n\x00\x1b\xff\xc3\xa9<>-_."


def _random_inputs(seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    inputs = []
    for _ in range(count):
        size = rng.choice([0, 1, 2, 8, 64, 512, 4096])
        if rng.random() < 0.5:
            inputs.append(bytes(rng.randrange(256) for _ in range(size)))
        else:
            inputs.append(bytes(rng.choice(ALPHABET) for _ in range(size)))
    return inputs


def _line_count(data: bytes) -> int:
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return body.count(b"\n") + 1


@pytest.mark.parametrize("type", TYPES)
def test_lint_text_takes_random_bytes(type):
    for data in _random_inputs(seed=TYPES.index(type), count=150):
        for text in (data, data.decode("latin-1"), data.decode("utf-8", "surrogateescape")):
            findings = mailtls_lint.lint_text(text, type, path="random")
            lines = _line_count(data)
            for f in findings:
                assert f.file == "random"
                assert 1 <= f.line <= f.end_line <= lines, (data, f)
                assert f.code and f.message
                assert isinstance(f.message, str)


@pytest.mark.parametrize("type", TYPES)
def test_parse_takes_random_bytes(type):
    for data in _random_inputs(seed=10 + TYPES.index(type), count=150):
        document = mailtls_lint.parse(data, type, path="random")
        assert document is not None


def test_lint_paths_takes_a_file_of_random_bytes(tmp_path):
    for i, data in enumerate(_random_inputs(seed=20, count=30)):
        path = tmp_path / f"{i}.conf"
        path.write_bytes(data)
        for type in TYPES:
            for f in mailtls_lint.lint_paths([path], type):
                assert f.file == str(path)
                assert 1 <= f.line <= f.end_line <= _line_count(data)


def test_nul_bom_and_control_bytes_reach_findings_as_valid_str():
    findings = mailtls_lint.lint_text(
        b"\xef\xbb\xbfsmtpd_tls_wrappermode = yes\n\x00\x1b[2J = \xff\n",
        "postfix-main",
        path="m",
        select=["PF101"],
    )
    assert [(f.code, f.line, f.column) for f in findings] == [("PF101", 1, 1)]
    for f in findings:
        f.message.encode("utf-8")  # a valid str, whatever the bytes
