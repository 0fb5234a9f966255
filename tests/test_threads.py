"""The command line asks numpy's OpenBLAS for one worker thread
(assess/common/threads.py): assess gives it no matrix work, and the default
workers cost CPU for nothing. A value the user set wins; a library caller's
process is left alone."""

from __future__ import annotations

import os
import subprocess
import sys

from assess.common.threads import BLAS_THREADS, one_blas_thread

CLI_THEN_SHOW = (
    "import os, sys\n"
    "sys.argv = ['assess', 'rubrics']\n"
    "from assess import cli\n"
    "try:\n"
    "    cli.main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('numpy imported:', 'numpy' in sys.modules, file=sys.stderr)\n"
    "print(os.environ.get('OPENBLAS_NUM_THREADS'), file=sys.stderr)\n"
)


def _run(code: str, **env_extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


def test_one_blas_thread_sets_a_default_and_keeps_a_users_value():
    env: dict[str, str] = {}
    one_blas_thread(env)
    assert env == {"OPENBLAS_NUM_THREADS": "1"} == BLAS_THREADS
    env = {"OPENBLAS_NUM_THREADS": "4"}
    one_blas_thread(env)
    assert env == {"OPENBLAS_NUM_THREADS": "4"}


def test_the_command_line_sets_it_before_numpy_can_load():
    proc = _run(CLI_THEN_SHOW)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[-1] == "1"
    proc = _run(CLI_THEN_SHOW, OPENBLAS_NUM_THREADS="3")
    assert proc.stderr.splitlines()[-1] == "3"


def test_a_library_caller_is_left_alone():
    proc = _run("import os, assess\nassess.compute_scores(['KAZ'], as_of='2021-06-30')\n"
                "print(os.environ.get('OPENBLAS_NUM_THREADS'))")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "None"
