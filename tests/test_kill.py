"""A report killed at any moment never leaves a partial file at its final name.

assess/common/atomic.py writes to a hidden temporary file in the same folder,
`.<name>.<random>.tmp`, then renames it over the target; a SIGKILL can leave
that temporary file behind, but never half a report.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import MINI, REPO

TMP_NAME = re.compile(r"^\..+\.tmp$")


def command(out: Path) -> list[str]:
    return [sys.executable, "-m", "assess", "report", "NLD", "FRA", "--data", str(MINI), "--as-of", "2012-06-30",
            "--out", str(out), "--draws", "300"]


def env() -> dict:
    e = {k: v for k, v in os.environ.items() if k != "ASSESS_DATA"}
    e["PYTHONPATH"] = str(REPO) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def check_folder(out: Path) -> list[str]:
    """Every report file is complete; anything else is a hidden temporary file."""
    from openpyxl import load_workbook

    complete = []
    if not out.exists():
        return complete
    for p in out.iterdir():
        if TMP_NAME.match(p.name):
            continue
        if p.suffix == ".html":
            text = p.read_text(encoding="utf-8")
            assert text.rstrip().endswith("</html>"), f"partial HTML at {p}"
        elif p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                assert z.testzip() is None
            load_workbook(p).close()
        else:
            raise AssertionError(f"unexpected file {p.name}")
        complete.append(p.name)
    return complete


def test_sigkill_at_random_moments(tmp_path):
    rng = random.Random(20240607)
    # how long a whole run takes here, so that the kills spread over all of it
    out = tmp_path / "timing"
    t = time.monotonic()
    subprocess.run(command(out), env=env(), cwd=tmp_path, check=True, capture_output=True, timeout=120)
    full = time.monotonic() - t
    assert len(check_folder(out)) == 2
    seen = set()
    for i in range(20):
        out = tmp_path / f"run{i}"
        if i % 2:  # half the runs kill over an existing, complete report
            subprocess.run(command(out), env=env(), cwd=tmp_path, check=True, capture_output=True, timeout=120)
        proc = subprocess.Popen(command(out), env=env(), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.0) * full)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        names = check_folder(out)
        if i % 2:
            assert len(names) == 2  # the old complete files stay until replaced
        seen.add(len(names))
    assert seen, "no run"


def test_two_concurrent_writers_leave_valid_files(tmp_path):
    out = tmp_path / "out"
    procs = [subprocess.Popen(command(out), env=env(), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    names = check_folder(out)
    assert sorted(Path(n).suffix for n in names) == [".html", ".xlsx"]
    assert not [p for p in out.iterdir() if TMP_NAME.match(p.name)]  # clean exits leave no temporary files
