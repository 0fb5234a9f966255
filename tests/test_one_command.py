"""The command line builds only the command it runs (cli._just_the_command):
typer would build all of them, options and all, on every run. Whatever the
arguments, what is printed and the exit code must be those of the full app:
each command's help, usage errors, an unknown or misspelt command, the
group's help and version (built from stand-ins: cli._outline), a subgroup."""

from __future__ import annotations

import json
import subprocess
import sys

from assess import cli

RUN_BOTH = r'''
import contextlib, io, json, sys
from assess import cli
cases = json.loads(sys.argv[1])
out = []
for full in (False, True):
    if full:
        cli._just_the_command = lambda argv: None
        cli._outline = lambda argv: None
    for argv in cases:
        stdout, stderr = io.StringIO(), io.StringIO()
        sys.argv = ["assess", *argv]
        code = None
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                cli.main()
            except SystemExit as exc:
                code = exc.code
        out.append([argv, full, code, stdout.getvalue(), stderr.getvalue()])
print(json.dumps(out))
'''


def _names() -> list[str]:
    from typer.main import get_command_name

    return [c.name or get_command_name(c.callback.__name__) for c in cli.app.registered_commands] + \
        [g.name for g in cli.app.registered_groups]


def test_it_keeps_the_one_named_and_nothing_else(monkeypatch):
    monkeypatch.delenv("_ASSESS_COMPLETE", raising=False)
    commands, groups = cli._just_the_command(["report", "KAZ", "RUS", "--out", "x"])
    assert [c.callback.__name__ for c in commands] == ["report"] and groups == []
    commands, groups = cli._just_the_command(["-V", "sources", "list"])
    assert commands == [] and [g.name for g in groups] == ["sources"]
    for argv in ([], ["--help"], ["--version"], ["scroe"], ["--", "score"], ["-h"]):
        assert cli._just_the_command(argv) is None, argv
    monkeypatch.setenv("_ASSESS_COMPLETE", "complete_bash")
    assert cli._just_the_command(["score"]) is None
    assert len(_names()) > 10  # the app itself is left whole


def test_every_command_prints_the_same_as_with_the_full_app(tmp_path, mini):
    # a problem whose hint names another command (`assess rubrics`): the hint repeats --data,
    # which needs that command's options although only validate was built
    (mini / "evidence" / "NLD" / "extra.yaml").write_text("findings:\n- id: x\n  criterion: nope\n  level: 9\n",
                                                          encoding="utf-8")
    cases = [[name, "--help"] for name in _names()]
    cases += [[], ["--help"], ["-h"], ["-V", "--help"], ["--version"], ["scroe"], ["score", "--bogus"], ["score", "--as-of", "yesterday"],
              ["sources", "--help"], ["rubrics"], ["score", "KAZ", "--as-of", "2021-06-30", "--format", "json"],
              ["explain", "ZZZ"], ["validate", "--data", str(mini)], ["score", "--data", str(mini), "--rubric", "nope"]]
    proc = subprocess.run([sys.executable, "-c", RUN_BOTH, json.dumps(cases)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    runs = json.loads(proc.stdout)
    assert len(runs) == 2 * len(cases)
    for (argv, full, *seen), (argv2, full2, *expected) in zip(runs[:len(cases)], runs[len(cases):]):
        assert argv == argv2 and not full and full2
        assert seen == expected, argv
    assert any(code not in (0, None) for _, _, code, _, _ in runs)  # the errors were errors
    assert sum("Usage: assess" in out + err for _, _, _, out, err in runs) >= len(cases)
    hint = f"`assess rubrics --data {mini}`"
    assert sum(hint in err for _, _, _, _, err in runs) == 2  # with and without the full app


def test_the_group_help_lists_stand_ins_of_every_command(monkeypatch):
    monkeypatch.delenv("_ASSESS_COMPLETE", raising=False)
    commands, groups = cli._outline(["--help"])
    assert [c.callback.__name__ for c in commands] == [c.callback.__name__ for c in cli.app.registered_commands]
    assert [c.callback.__doc__ for c in commands] == [c.callback.__doc__ for c in cli.app.registered_commands]
    assert all(c.callback is not o.callback for c, o in zip(commands, cli.app.registered_commands))
    assert [g.name for g in groups] == [g.name for g in cli.app.registered_groups]
    assert all(g.typer_instance.registered_commands == [] for g in groups)
    assert all(g.typer_instance.registered_commands for g in cli.app.registered_groups)  # the real ones untouched
    assert cli._outline([]) is not None and cli._outline(["-V"]) is not None
    for argv in (["score"], ["--help", "score"], ["--data", "x", "--help"]):
        assert cli._outline(argv) is None, argv
    monkeypatch.setenv("_ASSESS_COMPLETE", "complete_bash")
    assert cli._outline(["--help"]) is None
