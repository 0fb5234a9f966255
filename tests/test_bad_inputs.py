"""Bad input never reaches the user as a traceback.

Every folder of tests/data/bad/ is a small workspace with one thing wrong and an
`expected.txt`: substrings (one a line) the error output must hold, the file
name with its line where there is one, and the gist of the message. Each case
is copied to tmp_path and run through the real command line in a subprocess,
`assess validate` and `assess score NLD`, so that an uncaught exception would
show as a traceback. A case without criteria/ is given the mini rubric (the
shipped rubric changes with the project; the bad evidence is what is tested).

Four cases are completed by the test, because they cannot be committed: the
symlink out of the workspace, the 50 MB file, a named pipe called pipe.yaml
(opening it would wait forever: the run has a timeout) and a link loop.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINI, REPO

BAD = Path(__file__).resolve().parent / "data" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path under root with its kind, size and mtime (links not followed)."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            out[os.path.relpath(path, root)] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def prepare(name: str, tmp_path: Path) -> Path:
    ws = tmp_path / name
    shutil.copytree(BAD / name, ws, symlinks=True)
    if not (ws / "criteria").is_dir():
        shutil.copytree(MINI / "criteria", ws / "criteria")
    if name == "symlink-outside":
        outside = tmp_path / "outside.yaml"
        outside.write_text("findings: []\n", encoding="utf-8")
        (ws / "evidence/NLD/link.yaml").symlink_to(outside)
    if name == "yaml-named-fifo":  # opening it for reading would wait for a writer forever
        os.mkfifo(ws / "evidence/NLD/pipe.yaml")
    if name == "symlink-loop":
        (ws / "evidence/NLD/loop.yaml").symlink_to("loop.yaml")
    if name == "oversized-file":
        with open(ws / "evidence/NLD/big.yaml", "wb") as fh:
            chunk = b"# " + b"x" * (1024 * 1024 - 3) + b"\n"
            for _ in range(50):
                fh.write(chunk)
    return ws


def run(args: list[str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ASSESS_DATA"}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "assess", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", errors="backslashreplace", timeout=timeout)


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30
    for name in CASES:
        assert (BAD / name / "expected.txt").is_file(), name
        assert (BAD / name / "evidence" / "NLD").is_dir(), name


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("command", [["validate"], ["score", "NLD"]], ids=["validate", "score"])
def test_bad_case_is_refused_cleanly(name, command, tmp_path):
    ws = prepare(name, tmp_path)
    expected = [line for line in (BAD / name / "expected.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    before = snapshot(ws)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    r = run([*command, "--data", str(ws)], cwd)
    output = r.stdout + r.stderr
    assert "Traceback" not in output, output
    assert r.returncode == 1, output
    for fragment in expected:
        assert fragment in output, f"{fragment!r} not in:\n{output}"
    assert "\x00" not in output  # control characters from the input are escaped, never printed raw
    assert "'None'" not in output  # a missing value is reported as missing, not as the text 'None'
    assert snapshot(ws) == before, "the command wrote into the workspace"
    assert list(cwd.iterdir()) == []


def test_alias_bomb_is_refused_quickly_with_bounded_memory(tmp_path):
    """The billion-laughs file expands to 9**9 strings if aliases are followed."""
    import resource

    ws = prepare("alias-bomb", tmp_path)
    code = (
        "import resource, time, assess; t = time.perf_counter(); r = assess.check(assess.load_data(%r)); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(r.errors))" % str(ws)
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    seconds, maxrss_kib, errors = r.stdout.split()
    assert float(seconds) < 5 and int(maxrss_kib) < 400 * 1024 and int(errors) == 1
    del resource


def test_deep_nesting_generated_far_beyond_the_limit(tmp_path):
    """Nesting deep enough to overflow a recursive builder is refused, not a crash."""
    ws = prepare("deep-nesting", tmp_path)
    depth = 5000
    (ws / "evidence/NLD/bad.yaml").write_text("findings: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    r = run(["validate", "--data", str(ws)], tmp_path)
    assert "Traceback" not in r.stdout + r.stderr and r.returncode == 1
    assert "bad.yaml:1:" in r.stderr and "nesting" in r.stderr  # our limit, or libyaml's own


def _tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_no_command_modifies_evidence_or_criteria(mini, tmp_path):
    before = {sub: _tree_digest(mini / sub) for sub in ("evidence", "criteria")}
    stamps = snapshot(mini / "evidence") | {"criteria/" + k: v for k, v in snapshot(mini / "criteria").items()}
    data = ["--data", str(mini)]
    commands = [
        ["validate"],
        ["score", "NLD", "FRA", "--as-of", "2012-06-30", "--format", "json"],
        ["explain", "NLD", "l1", "--as-of", "2012-06-30"],
        ["timeline", "NLD", "FRA", "--from", "2000", "--to", "2012-06-30"],
        ["report", "NLD", "FRA", "--as-of", "2012-06-30", "--draws", "50", "--out", str(tmp_path / "out")],
        ["baseline", "--as-of", "2012-06-30"],
        ["check"],
    ]
    for cmd in commands:
        r = run([*cmd, *data], tmp_path)
        assert r.returncode == 0, (cmd, r.stdout + r.stderr)
        assert "Traceback" not in r.stdout + r.stderr
    assert {sub: _tree_digest(mini / sub) for sub in ("evidence", "criteria")} == before
    assert snapshot(mini / "evidence") | {"criteria/" + k: v for k, v in snapshot(mini / "criteria").items()} == stamps


# ---------------------------------------------------------------- odd but valid

ODD = Path(__file__).resolve().parent / "data" / "odd"
ODD_CASES = sorted(p.name for p in ODD.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", ODD_CASES)
def test_odd_but_valid_workspace_scores(name, tmp_path):
    """One finding, c1 at level 3: the constitution tier is 100 (c2 not
    assessed), the law tier has nothing, so the index is 100 (incomplete),
    and 33.3 at worst (c2, l1, l2 at 0: tier 50 x weight 2 + 0 x 1, over 3);
    the quote comes back whole and unchanged in explain."""
    import json

    ws = tmp_path / name
    shutil.copytree(ODD / name, ws)
    shutil.copytree(MINI / "criteria", ws / "criteria")
    (iso,) = [p.name for p in (ws / "evidence").iterdir()]
    raw = next((ws / "evidence" / iso).glob("*.yaml")).read_bytes()
    if name == "crlf-line-endings":
        assert b"\r\n" in raw, "the file lost its CRLF line endings (a git autocrlf setting?)"
    if name == "utf8-bom":
        assert raw.startswith(b"\xef\xbb\xbf")
    quote = (ODD / name / "quote.txt").read_text(encoding="utf-8")
    before = snapshot(ws)
    r = run(["validate", "--data", str(ws)], tmp_path)
    assert r.returncode == 0 and "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
    r = run(["score", iso, "--data", str(ws), "--as-of", "2012-06-30", "--format", "json"], tmp_path)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    (country,) = doc["countries"]
    names = (ws / "evidence" / iso / "country.yaml").read_text(encoding="utf-8-sig")
    assert country["name"] in names  # the English name, emoji and all, round-trips
    assert country["overall"] == 100.0 and country["overall_min"] == pytest.approx(100 / 3, abs=1e-3)
    c1 = next(c for c in country["criteria"] if c["id"] == "c1")
    assert (c1["level"], c1["status"], c1["counted"]) == (3, "scored", [f"{iso.lower()}-c1"])
    r = run(["explain", iso, "c1", "--data", str(ws), "--as-of", "2012-06-30"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert f'quote:    "{quote}"' in r.stdout  # the quote, whole and unchanged
    assert snapshot(ws) == before
