"""Rewrite the outputs of the README's examples from the current tool.

Every ```console block is a list of `$ assess ...` commands; each command's
output is replaced by what it prints now. Every ```python block is run, and
the ```text block right after it is replaced by what it printed. Run it after
a change that alters output, review the diff, and commit; tests/test_readme.py
fails until the README and the tool agree.

    python tools/refresh_readme.py
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def run_console(body: str) -> str:
    from typer.testing import CliRunner

    from assess.cli import app

    out = []
    for line in body.splitlines():
        if line.startswith("$ "):
            argv = shlex.split(line[2:])
            here = os.getcwd()
            if any(a.startswith("tests/") for a in argv):  # a fixture of the repository: run from its top
                os.chdir(README.parent)
            try:
                result = CliRunner().invoke(app, argv[1:], prog_name="assess")
            finally:
                os.chdir(here)
            out.append(line)
            out.extend(l.rstrip() for l in result.output.rstrip().splitlines())
    return "\n".join(out) + "\n"


def run_python(code: str) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, "README.md", "exec"), {})
    return "\n".join(l.rstrip() for l in buffer.getvalue().rstrip().splitlines()) + "\n"


def refresh(text: str) -> str:
    blocks = list(BLOCK.finditer(text))
    replacements = []
    for i, m in enumerate(blocks):
        if m.group(1) == "console":
            replacements.append((m.start(2), m.end(2), run_console(m.group(2))))
        elif m.group(1) == "python" and i + 1 < len(blocks) and blocks[i + 1].group(1) == "text":
            nxt = blocks[i + 1]
            if text[m.end():nxt.start()].strip() == "":
                replacements.append((nxt.start(2), nxt.end(2), run_python(m.group(2))))
    for start, end, new in reversed(replacements):
        text = text[:start] + new + text[end:]
    return text


def main() -> int:
    os.environ.pop("ASSESS_DATA", None)
    original = README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:  # examples that write files write them here
        here = os.getcwd()
        os.chdir(tmp)
        try:
            updated = refresh(original)
        finally:
            os.chdir(here)
    if updated == original:
        print("README examples are up to date")
        return 0
    README.write_text(updated, encoding="utf-8")
    print(f"rewrote the example outputs in {README}; review with git diff")
    return 0


if __name__ == "__main__":
    sys.exit(main())
