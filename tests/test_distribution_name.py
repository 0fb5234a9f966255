"""The name on PyPI (#16 section 8).

`assess` on PyPI is an unrelated package (a Stokes-equations solver): an
example that runs `pip install assess` installs someone else's code. The
distribution is called `parliamentary-assess` (free on PyPI when chosen: `pip
download --no-deps parliamentary-assess` found no distribution); the import
package and the command stay `assess`.

Every install command in the documentation (every *.md file of the
repository, docs/) and in examples/ must install this tool and nothing else,
from a source the reader holds: the checkout itself (`pip install .`), a wheel
file, or a git URL pinned to a tag or commit. The examples install only from a
pinned source, never by name from an index.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import REPO

OURS = "parliamentary-assess"
WHEEL_PREFIX = OURS.replace("-", "_") + "-"

INSTALL = re.compile(r"(?:^|[\s;&|(`'\"])(?:(?:python3?|py)\s+-m\s+)?(?:uv\s+)?(?:pip3?|pipx)\s+install\s+(.*)")
OPTIONS_WITH_VALUE = {"-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url",
                      "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--python-version", "--platform"}
VARIABLE = re.compile(r"\$\{\{\s*(?:env|vars)\.(\w+)\s*\}\}|\$\{(\w+)\}|\$(\w+)")


def _name(requirement: str) -> str:
    """The distribution name of a requirement such as 'foo[x]==1.0', normalised (PEP 503)."""
    name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return re.sub(r"[-_.]+", "-", name.group(1)).lower() if name else requirement


def _pinned_vcs(url: str) -> bool:
    """A VCS URL that names a tag, branch or commit after the path: git+https://host/org/repo.git@v1.0"""
    return bool(re.match(r"^(git|hg|svn|bzr)\+[a-z]+://[^@\s]*/[^@\s]*@[^@\s/#]+", url))


def judge(target: str, examples: bool) -> str | None:
    """Why one install target is not allowed, or None. `examples`: an example
    that others copy must install from a pinned source, never by name."""
    target = target.strip()
    if "@" in target and not target.startswith(("git+", "hg+", "svn+", "bzr+")):  # name @ url (PEP 508)
        name, _, url = target.partition("@")
        if _name(name) != OURS:
            return f"installs '{name.strip()}', not {OURS}"
        url = url.strip()
        if url.endswith(".whl") or url.startswith(("file:", "./", "/")) or _pinned_vcs(url):
            return None
        return f"{url}: not pinned to a tag or commit (git+https://.../assess.git@v0.1.0) nor a wheel"
    if target.startswith(("git+", "hg+", "svn+", "bzr+")):
        return None if _pinned_vcs(target) else f"{target}: not pinned to a tag or commit"
    if target.endswith(".whl"):
        return None if Path(target).name.startswith(WHEEL_PREFIX) else f"{target}: a wheel of another distribution"
    if target.startswith((".", "/", "~")):  # the checkout itself, with extras: . or '.[test]'
        return None
    if examples:
        return f"'{target}': installs by name from an index; install a pinned git tag or a wheel"
    return None if _name(target) == OURS else f"'{target}': installs a name that is not ours ({OURS})"


def install_targets(command: str, variables: dict[str, str]) -> list[str]:
    """The requirements an install command line names, variables expanded."""
    command = VARIABLE.sub(lambda m: variables.get(next(g for g in m.groups() if g), m.group(0)), command)
    command = re.split(r"\s(?:&&|\|\||;|\|)\s|\s#", command)[0]
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    out, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word in ("-e", "--editable"):
            continue  # the value is a requirement like any other
        elif word in OPTIONS_WITH_VALUE:
            skip = True
        elif not word.startswith("-") and word not in ("`", ")"):
            out.append(word.rstrip("`)"))
    # `name @ url` written without quotes is three words: one requirement
    while "@" in out[1:-1]:
        i = out.index("@", 1)
        out[i - 1:i + 2] = [f"{out[i - 1]} @ {out[i + 1]}"]
    return out


def yaml_variables(text: str) -> dict[str, str]:
    """Every `env:` / `variables:` value of a CI file, and the alternatives shown in
    its comments (`# ASSESS_SOURCE: "..."`), which readers copy too."""
    found: dict[str, list[str]] = {}

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("env", "variables") and isinstance(value, dict):
                    for k, v in value.items():
                        if isinstance(v, str):
                            found.setdefault(k, []).append(v)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(text))
    for m in re.finditer(r"^\s*#\s*([A-Z_]+):\s*\"([^\"]+)\"", text, re.M):
        found.setdefault(m.group(1), []).append(m.group(2))
    return found


def documents() -> list[Path]:
    skip = ("tests/data/", ".git/", "node_modules/")
    files = [p for p in REPO.rglob("*.md") if not any(s in p.relative_to(REPO).as_posix() for s in skip)]
    files += [p for p in (REPO / "docs").rglob("*") if p.is_file()] if (REPO / "docs").is_dir() else []
    return sorted(set(files))


def examples() -> list[Path]:
    return sorted(p for p in (REPO / "examples").rglob("*") if p.is_file())


def problems_in(path: Path, is_example: bool) -> list[str]:
    text = path.read_text(encoding="utf-8")
    alternatives = yaml_variables(text) if path.suffix in (".yml", ".yaml") else {}
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        m = INSTALL.search(line)
        if not m:
            continue
        names = set(VARIABLE.findall(m.group(1)))
        # each alternative value of each variable the line uses is a command someone may run
        variants = [{}]
        for groups in names:
            var = next(g for g in groups if g)
            variants = [dict(v, **{var: value}) for v in variants for value in alternatives.get(var, [f"${var}"])]
        for variables in variants:
            for target in install_targets(m.group(1), variables):
                if target.startswith("$"):
                    out.append(f"{path.relative_to(REPO)}:{number}: {target} is not defined in the file")
                    continue
                why = judge(target, is_example)
                if why:
                    out.append(f"{path.relative_to(REPO)}:{number}: {why}")
    return out


# ---------------------------------------------------------------- the checker itself, on lines worked out by hand

@pytest.mark.parametrize("line,is_example,bad", [
    ('run: pip install "assess==0.1.0"', True, "installs by name"),  # the old example: PyPI's unrelated assess
    ("pip install assess", False, "not ours"),
    ("python -m pip install pandas", False, "not ours"),
    ("pip install parliamentary-assess==0.1.0", True, "installs by name"),  # ours, but from an index
    ("pip install parliamentary-assess==0.1.0", False, None),  # ours: a document may name it
    ("pip install . && assess report KAZ RUS", False, None),
    ("pip install '.[test]'", False, None),
    ("pip install -e '.[test]'", False, None),
    ('pip install "parliamentary-assess @ git+https://git.example.org/org/assess.git@v0.1.0"', True, None),
    ('pip install "parliamentary-assess @ git+https://git.example.org/org/assess.git"', True, "not pinned"),
    ('pip install "other @ git+https://git.example.org/org/assess.git@v1"', True, "installs 'other'"),
    ("pip install ./tools/parliamentary_assess-0.1.0-py3-none-any.whl", True, None),
    ("pip install ./tools/assess-1.4-py3-none-any.whl", True, "a wheel of another distribution"),
    ("pip install git+https://git.example.org/org/assess.git@3f2c1d0", True, None),
    ("pip install parliamentary-assess @ git+https://git.example.org/org/assess.git@v0.1.0", True, None),  # unquoted
])
def test_the_checker_on_lines_worked_out_by_hand(tmp_path, line, is_example, bad):
    m = INSTALL.search(line)
    found = [judge(t, is_example) for t in install_targets(m.group(1), {})]
    found = [f for f in found if f]
    if bad is None:
        assert found == []
    else:
        assert len(found) == 1 and bad in found[0], found


def test_a_variable_is_checked_in_each_of_its_values(tmp_path):
    ci = tmp_path / "ci.yml"
    ci.write_text('env:\n  SRC: "parliamentary-assess @ git+https://h/o/assess.git@v1"\n'
                  '  # SRC: "assess==0.1.0"\n'
                  'jobs:\n  a:\n    steps:\n      - run: pip install "$SRC"\n', encoding="utf-8")
    # the commented alternative is a bare name from an index: one problem, on line 7 (the run line)
    (problem,) = problems_in_tmp(ci, tmp_path)
    assert problem.startswith("ci.yml:7: 'assess==0.1.0': installs by name from an index"), problem


def problems_in_tmp(path: Path, root: Path) -> list[str]:
    global REPO
    saved, REPO = REPO, root
    try:
        return problems_in(path, True)
    finally:
        REPO = saved


# ---------------------------------------------------------------- the repository


def test_the_distribution_has_its_own_name_and_keeps_the_command():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == OURS
    assert project["project"]["scripts"] == {"assess": "assess.cli:main"}
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["assess"]


def test_no_document_or_example_installs_a_name_that_is_not_ours():
    found = [p for doc in documents() for p in problems_in(doc, False)]
    found += [p for ex in examples() for p in problems_in(ex, True)]
    assert found == [], "\n".join(found)


def test_the_examples_install_from_a_pinned_source():
    """Each CI example installs through ASSESS_SOURCE, a pinned git tag by
    default with a wheel as the alternative, and stops with a message while
    the placeholder is left in."""
    for name in ("github-actions.yml", "gitlab-ci.yml"):
        text = (REPO / "examples" / "ci" / name).read_text(encoding="utf-8")
        values = yaml_variables(text)["ASSESS_SOURCE"]
        assert values[0].startswith(f"{OURS} @ git+https://") and _pinned_vcs(values[0].split(" @ ")[1])
        assert any(v.endswith(".whl") and Path(v).name.startswith(WHEEL_PREFIX) for v in values[1:])
        assert 'pip install "$ASSESS_SOURCE"' in text and "*YOUR-GIT-HOST*|*YOUR-ORG*" in text
