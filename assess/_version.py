"""The version, from its one place: pyproject.toml's [project] version.

In a source checkout it is read from the pyproject.toml beside the package; an
installed copy reads what the installer recorded from that same file
(importlib.metadata, distribution 'parliamentary-assess').
"""

from __future__ import annotations

import os

DISTRIBUTION = "parliamentary-assess"


def _version() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    pyproject = os.path.join(os.path.dirname(here), "pyproject.toml")
    if os.path.isfile(pyproject):
        import tomllib

        try:
            with open(pyproject, "rb") as fh:
                project = tomllib.load(fh).get("project", {})
            if project.get("name") == DISTRIBUTION and project.get("version"):
                return str(project["version"])
        except (OSError, tomllib.TOMLDecodeError):
            pass
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"


__version__ = _version()
