import os
import shutil
import textwrap
from pathlib import Path

import pytest

import assess  # noqa: F401  (first, as in the tool: it picks openpyxl's writer before openpyxl is imported)

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini"
REPO = HERE.parent
# the shipped criteria and evidence frozen as of 2026-11-30 (tests/data/shipped-2026-11/README.md):
# tests whose expected values were worked out by hand on them read this copy
FROZEN = HERE / "data" / "shipped-2026-11"


@pytest.fixture
def mini(tmp_path) -> Path:
    """A writable copy of the mini workspace (two tiers, NLD and FRA)."""
    dest = tmp_path / "ws"
    shutil.copytree(MINI, dest)
    return dest


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _no_ambient_workspace(monkeypatch, tmp_path_factory):
    # tests choose their data explicitly: no ASSESS_DATA, no assess.toml from the caller's folder
    monkeypatch.delenv("ASSESS_DATA", raising=False)
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    # a test's `python -m assess` runs the tree under test, not whichever assess is installed
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
