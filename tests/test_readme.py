"""The README shows real commands with their real output, and real library code.

Every ```console block is a list of `$ assess ...` commands, each followed by
what it prints; every ```python block is run, and the ```text block right
after it must be what it printed. If the tool's behaviour changes, this test
says which README example went stale.
"""

import contextlib
import io
import re
import shlex

import pytest
from typer.testing import CliRunner

from assess.cli import app

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def blocks():
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(README)]


def console_examples():
    out = []
    for lang, body in blocks():
        if lang != "console":
            continue
        current = None
        for line in body.splitlines():
            if line.startswith("$ "):
                current = [line[2:], []]
                out.append(current)
            elif current is not None:
                current[1].append(line)
    return [(cmd, "\n".join(lines).rstrip()) for cmd, lines in out]


def python_examples():
    found = blocks()
    pairs = []
    for i, (lang, body) in enumerate(found):
        if lang == "python":
            expected = found[i + 1][1] if i + 1 < len(found) and found[i + 1][0] == "text" else None
            pairs.append((body, expected))
    return pairs


def _norm(text):
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def test_readme_has_examples():
    assert len(console_examples()) >= 3
    assert python_examples()


@pytest.mark.parametrize("command, expected", console_examples(), ids=lambda x: x if isinstance(x, str) and x.startswith("assess") else "")
def test_console_example(command, expected, monkeypatch):
    argv = shlex.split(command)
    assert argv[0] == "assess"
    if any(a.startswith("tests/") for a in argv):  # an example on a fixture of the repository: run from its top, as the README says
        monkeypatch.chdir(REPO)
    result = CliRunner().invoke(app, argv[1:], prog_name="assess")
    assert _norm(result.output) == _norm(expected)


@pytest.mark.parametrize("code, expected", python_examples())
def test_python_example(code, expected):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, "README.md", "exec"), {})
    if expected is not None:
        assert _norm(buffer.getvalue()) == _norm(expected)
