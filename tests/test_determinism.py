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
    env = dict(os.environ, PYTHONHASHSEED=str(seed))
    env.pop("ASSESS_DATA", None)
    proc = subprocess.run([sys.executable, "-m", "assess", *args], capture_output=True, env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_output_is_byte_identical_across_processes(args):
    assert run(args, 1) == run(args, 2)
