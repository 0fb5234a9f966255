"""Every command takes --lang and rejects an unknown one with exit 2, naming
the languages it knows (issue #18 §1). The commands are read from the typer
app itself, so a command added without --lang fails here."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from assess.cli import app

runner = CliRunner()


def every_command() -> list[tuple[list[str], object]]:
    """(path, click command) of every leaf command of the app, groups walked."""
    root = typer.main.get_command(app)
    out = []

    def walk(group, path):
        for name, cmd in sorted(group.commands.items()):
            if getattr(cmd, "commands", None):
                walk(cmd, [*path, name])
            else:
                out.append(([*path, name], cmd))

    walk(root, [])
    return out


COMMANDS = every_command()


def placeholder_args(cmd) -> list[str]:
    """Just enough arguments for the command to parse: 'KAZ' for each required
    argument, 'x' for each required option. --lang is checked before any of
    them is used."""
    args = []
    for p in cmd.params:
        if not p.required:
            continue
        if getattr(p, "param_type_name", "") == "argument":
            args.append("KAZ")
        else:
            args += [p.opts[0], "x"]
    return args


def test_the_command_list_is_the_apps():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"score", "validate", "check", "baseline", "import", "sources list", "sources fetch", "sources watch",
            "sources show", "verify", "suggest", "whatif", "new", "template"} <= names
    assert len(names) >= 20


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_lang(path, cmd):
    assert any("--lang" in getattr(p, "opts", ()) for p in cmd.params), f"assess {' '.join(path)} has no --lang"


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_unknown_lang_is_a_usage_error(path, cmd, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing the command might write lands in the repository
    r = runner.invoke(app, [*path, *placeholder_args(cmd), "--lang", "xx"])
    assert r.exit_code == 2, (path, r.output)
    assert "unknown language 'xx'" in r.output and "en, ru, kk" in r.output, r.output
    # a near miss is named
    r = runner.invoke(app, [*path, *placeholder_args(cmd), "--lang", "RU"])
    assert r.exit_code == 2 and "did you mean" in r.output.lower() and "ru" in r.output, r.output
