"""assess.gcpause: the collector paused and restored; what a one-command
process keeps is frozen, never in a library caller's process."""

from __future__ import annotations

import gc
import subprocess
import sys

from assess.common import gcpause


def test_paused_restores_the_collector_and_freezes_nothing_in_a_library_process():
    assert gc.isenabled()
    before = gc.get_freeze_count()
    with gcpause.paused(kept=True):
        assert not gc.isenabled()
        with gcpause.paused():
            kept = [{"n": i} for i in range(1000)]
        assert not gc.isenabled()  # the outermost pause decides
    assert gc.isenabled() and gc.get_freeze_count() == before
    del kept


def test_a_one_command_process_freezes_what_it_keeps():
    code = (
        "import gc; from assess.common import gcpause\n"
        "gcpause.one_command_process()\n"
        "with gcpause.paused():\n    pass\n"
        "plain = gc.get_freeze_count()\n"
        "with gcpause.paused(kept=True):\n    kept = [{'n': i} for i in range(1000)]\n"
        "print(plain, gc.get_freeze_count() > 1000, gc.isenabled())\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["0", "True", "True"]


def test_validate_says_the_same_in_one_process_and_in_a_runner(mini, tmp_path):
    """The command line (cli.main: frozen after the checks) and typer's runner in
    this process (nothing frozen) print the same problems."""
    from typer.testing import CliRunner

    from assess.cli import app

    (mini / "evidence" / "NLD" / "extra.yaml").write_text("findings:\n- id: x\n  criterion: nope\n  level: 9\n", encoding="utf-8")
    args = ["validate", "--data", str(mini)]
    r = subprocess.run([sys.executable, "-m", "assess", *args], capture_output=True, text=True)
    runner = CliRunner().invoke(app, args)
    assert r.returncode == runner.exit_code == 1
    assert "extra.yaml:2" in r.stderr
    assert r.stdout + r.stderr == runner.output
