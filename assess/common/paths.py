"""Where the installed package and its shipped data sit (used by the workspace
and by the message catalogue)."""

from pathlib import Path


def package_dir() -> str:
    """The folder of the installed `assess` package: never written to.

    Returns: `str` (an absolute path).
    Raises: nothing.

    Example:
        >>> os.path.basename(package_dir())
        'assess'
    """
    return str(Path(__file__).resolve().parents[1])


def shipped_root() -> tuple[str, str, str]:
    """(criteria, evidence, templates) folders of the shipped data.

    In a wheel they sit in assess/_shipped/; in a source checkout they are the
    repository's own top-level folders (templates: reports/templates).

    Returns: `tuple[str, str, str]` (absolute paths).
    Raises: nothing.

    Example:
        >>> criteria, evidence, templates = shipped_root()
        >>> os.path.basename(evidence)
        'evidence'
    """
    package = Path(__file__).resolve().parents[1]
    inside = package / "_shipped"
    if (inside / "criteria").is_dir():
        return str(inside / "criteria"), str(inside / "evidence"), str(inside / "templates")
    repo = package.parent
    return str(repo / "criteria"), str(repo / "evidence"), str(repo / "reports" / "templates")
