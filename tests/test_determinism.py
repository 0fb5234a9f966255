"""Same inputs, byte-identical JSON and CSV, whatever the process: string
hashing is randomised per process, so a set or dict iterated in hash order
would reorder output between runs. Each command runs in two fresh processes
with different hash seeds."""

import os
import subprocess
import sys

import pytest

from conftest import MINI

COMMANDS = [
    ["score", "KAZ", "RUS", "--as-of", "2026-11-28", "--format", "json"],
    ["score", "KAZ", "RUS", "--as-of", "2021-06-30", "--format", "csv"],
    ["timeline", "KAZ", "RUS", "--from", "1995", "--to", "2026-11-28", "--format", "json"],
    ["timeline", "KAZ", "--from", "2012", "--to", "2026-11-28"],
    ["sensitivity", "KAZ", "RUS", "--as-of", "2021-06-30", "--draws", "500", "--seed", "7", "--format", "json"],
    ["score", "NLD", "FRA", "--as-of", "2012-06-30", "--format", "json", "--data", str(MINI)],
]


def run(args, seed):
    env = dict(os.environ, PYTHONHASHSEED=str(seed))  # PYTHONPATH: the tree under test (conftest)
    env.pop("ASSESS_DATA", None)
    proc = subprocess.run([sys.executable, "-m", "assess", *args], capture_output=True, env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_output_is_byte_identical_across_processes(args):
    assert run(args, 1) == run(args, 2)


def test_the_reason_a_finding_is_set_aside_does_not_depend_on_the_hash_seed(mini):
    """A finding of one legislature about a document of another, both gone by
    the as-of date: the reason names the finding's own legislature, the first
    bound weighed, in every process (a set of the two ids once decided the
    order, and with it the reason, by the hash seed)."""
    country = mini / "evidence" / "NLD" / "country.yaml"
    text = country.read_text(encoding="utf-8")
    text = text.replace("      from: 1815-01-01\n", "      from: 1815-01-01\n      to: 2009-12-31\n", 1)
    text = text.replace("documents:\n", "    - {id: nld-interim, name: Interim Assembly, from: 1990-01-01, to: 2008-12-31}\ndocuments:\n", 1)
    text = text.replace("    title: Law B\n", "    title: Law B\n    legislature: nld-interim\n", 1)
    country.write_text(text, encoding="utf-8")
    findings = mini / "evidence" / "NLD" / "findings.yaml"
    findings.write_text(findings.read_text(encoding="utf-8").replace(
        "{id: n-l1-b, criterion: l1,", "{id: n-l1-b, criterion: l1, legislature: nld-states-general,"), encoding="utf-8")
    args = ["score", "NLD", "--as-of", "2012-06-30", "--format", "csv", "--data", str(mini)]
    outputs = {run(args, seed) for seed in range(1, 7)}
    assert len(outputs) == 1
    (out,) = outputs
    assert b"n-l1-b: no longer in force on 2012-06-30: legislature 'nld-states-general' in existence to 2009-12-31" in out
