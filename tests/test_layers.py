"""The import direction of issue #18 §6: data flows one way, so a module never
imports one from a layer above its own (README, "Development").

The layers, lowest first, are the subpackages of assess/: common (errors,
catalogue, atomic writes...), data (workspace, YAML, model, loader), sources
(the source texts), checking (the validator), scoring, analyses, entry (data
entry), output (reports, exports, terminal text); api, cli and the package
itself sit on top. Every import counts, also the ones inside a function (they
are how a module reaches up without paying at import time, and reaching up is
what the rule forbids).
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "assess"
LAYERS = ["common", "data", "sources", "checking", "scoring", "analyses", "entry", "output", "top"]
RANK = {name: i for i, name in enumerate(LAYERS)}
TOP_MODULES = {"api", "cli", "__init__", "__main__"}  # the package's own door and the command line
BASE_MODULES = {"_version"}  # imports nothing of the package


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def layer_of(module: str) -> str:
    """The layer of a dotted module name inside assess."""
    parts = module.split(".")
    assert parts[0] == "assess", module
    if len(parts) == 1:
        return "top"
    head = parts[1]
    if head in RANK and head != "top":
        return head
    if head in TOP_MODULES:
        return "top"
    if head in BASE_MODULES:
        return "common"
    raise AssertionError(f"{module}: not in any layer; add its package to LAYERS in tests/test_layers.py")


def _exists(module: str) -> bool:
    path = PACKAGE.parent.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_of(path: Path, name: str | None = None) -> list[tuple[int, str]]:
    """(line, module inside assess) for every import in the file, relative ones
    resolved; `name` is the file's module name (worked out from its place in
    assess/ when not given)."""
    name = name or _module_name(path)
    package = name if _is_package(path) else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "assess"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "assess":
                continue
            # `from . import yamlio` imports the module assess.yamlio; `from .. import __version__`
            # imports from the package itself
            subs = [f"{target}.{a.name}" for a in node.names if _exists(f"{target}.{a.name}")]
            found += [(node.lineno, s) for s in subs] or [(node.lineno, target)]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer():
    assert len(MODULES) > 40  # the walk found the package
    for path in MODULES:
        layer_of(_module_name(path))


def upward_imports(path: Path, name: str | None = None) -> list[str]:
    name = name or _module_name(path)
    here = layer_of(name)
    return [f"{name}:{line} ({here}) imports {target} ({layer_of(target)})"
            for line, target in imports_of(path, name) if RANK[layer_of(target)] > RANK[here]]


def private_imports(path: Path) -> list[str]:
    """`from .x import _name`: another module's private name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("assess")):
            found += [f"{path.name}:{node.lineno} {a.name}"
                      for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_no_module_imports_a_higher_layer(path):
    assert upward_imports(path) == []


def test_no_module_imports_another_modules_private_name():
    """Shared helpers live where every user imports them by a public name."""
    assert [hit for path in MODULES for hit in private_imports(path)] == []


def test_the_checks_catch_what_they_are_for(tmp_path):
    """Not vacuous: a data module that imports the scorer at the top, the
    report renderer inside a function and the package itself, and a private
    name, is caught on each of those lines and on nothing else."""
    fake = tmp_path / "fake.py"
    fake.write_text(
        "from .model import Finding\n"              # same layer: fine
        "from ..common.errors import UsageError\n"  # lower layer: fine
        "from ..scoring.score import SCORED\n"      # line 3: up
        "def f():\n"
        "    from ..output.render import html\n"    # line 5: up, inside a function
        "    from .. import __version__\n"          # line 6: the package itself (top)
        "    from .load import _private\n",         # line 7: private
        encoding="utf-8")
    hits = upward_imports(fake, "assess.data.fake")
    assert [h.split(" ")[0] for h in hits] == ["assess.data.fake:3", "assess.data.fake:5", "assess.data.fake:6"]
    assert "imports assess.output.render.html (output)" in hits[1]
    assert private_imports(fake) == ["fake.py:7 _private"]
    assert layer_of("assess.api") == "top" and layer_of("assess._version") == "common"
