"""Where the data comes from.

A workspace is a folder with `criteria/` (rubrics) and `evidence/` (one folder
per country), and later `baselines/`. It is chosen, first match wins, by:

1. the `--data DIR` option (passed in as `data`);
2. the ASSESS_DATA environment variable;
3. an `assess.toml` found in the current folder or one above it;
4. the data shipped with the package.

A workspace without `criteria/` scores with the shipped rubrics.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

CONFIG_FILE = "assess.toml"
ENV_VAR = "ASSESS_DATA"


@dataclass(frozen=True)
class Workspace:
    root: str
    criteria_dir: str
    evidence_dir: str
    baselines_dir: str
    origin: str  # how it was chosen: --data, ASSESS_DATA, assess.toml, shipped
    config: dict

    @property
    def document_types_file(self) -> str:
        from .load import DOCUMENT_TYPES_FILE

        own = os.path.join(self.criteria_dir, DOCUMENT_TYPES_FILE)
        return own if os.path.exists(own) else os.path.join(shipped_root()[0], DOCUMENT_TYPES_FILE)

    def describe(self) -> str:
        return f"{self.root} (from {self.origin})"


def shipped_root() -> tuple[str, str, str]:
    """(criteria, evidence, templates) folders of the shipped data.

    In a wheel they sit in assess/_shipped/; in a source checkout they are the
    repository's own top-level folders.
    """
    package = Path(__file__).resolve().parent
    inside = package / "_shipped"
    if (inside / "criteria").is_dir():
        return str(inside / "criteria"), str(inside / "evidence"), str(inside / "templates")
    repo = package.parent
    return str(repo / "criteria"), str(repo / "evidence"), str(repo / "reports" / "templates")


def shipped_workspace() -> Workspace:
    criteria, evidence, _ = shipped_root()
    root = str(Path(criteria).parent)
    return Workspace(root, criteria, evidence, os.path.join(root, "baselines"), "shipped", {})


def find_config(start: str) -> str | None:
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return str(candidate)
    return None


def open_workspace(data: str | None = None, cwd: str | None = None, environ: dict | None = None) -> Workspace:
    environ = os.environ if environ is None else environ
    if data:
        return _from_folder(data, "--data", {})
    if environ.get(ENV_VAR):
        return _from_folder(environ[ENV_VAR], ENV_VAR, {})
    config_path = find_config(cwd or os.getcwd())
    if config_path:
        try:
            with open(config_path, "rb") as fh:
                config = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(f"{config_path}: cannot read the workspace settings: {exc}") from None
        section = config.get("workspace", {})
        base = Path(config_path).parent
        root = base / str(section.get("data", "."))
        return _from_folder(str(root), CONFIG_FILE, config, section)
    return shipped_workspace()


def _from_folder(folder: str, origin: str, config: dict, section: dict | None = None) -> Workspace:
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise UsageError(f"the data folder {folder} (from {origin}) does not exist")
    root = root.resolve()
    section = section or {}
    criteria = root / str(section.get("criteria", "criteria"))
    evidence = root / str(section.get("evidence", "evidence"))
    baselines = root / str(section.get("baselines", "baselines"))
    if not criteria.is_dir():
        criteria = Path(shipped_root()[0])
    if not evidence.is_dir() and not (root / "criteria").is_dir():
        raise UsageError(f"the data folder {root} (from {origin}) has neither an evidence/ nor a criteria/ folder")
    return Workspace(str(root), str(criteria), str(evidence), str(baselines), origin, config)
