"""Every third-party module the package imports is a declared dependency
(issue #18 §5: numpy and rich were used but not declared, so a fresh
`pip install` of a clone could miss them)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib

from conftest import REPO

# import name -> distribution name, where they differ
DISTRIBUTION = {"yaml": "pyyaml", "click": "typer"}  # click: the fallback when typer runs on click itself


def _declared(extras: bool = True) -> set[str]:
    """The declared distributions: the dependencies, and with `extras` the
    optional ones too (playwright, imported only by `report --format pdf`)."""
    with open(REPO / "pyproject.toml", "rb") as fh:
        project = tomllib.load(fh)["project"]
    deps = list(project["dependencies"])
    if extras:
        deps += [d for group in project.get("optional-dependencies", {}).values() for d in group]
    return {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].strip().lower() for d in deps}


def _imported() -> set[str]:
    found = set()
    for path in (REPO / "assess").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "assess"}


def test_every_imported_library_is_declared():
    missing = sorted(DISTRIBUTION.get(m, m) for m in _imported() if DISTRIBUTION.get(m, m) not in _declared())
    assert missing == []


def test_numpy_rich_and_babel_are_declared():
    assert {"numpy", "rich", "babel"} <= _declared(extras=False)
