"""The command line's conventions (issue #18 §3): --version/-V from the one
place the version lives, -h, completion, clean usage lines and a help line on
every option, one rule for naming countries, did-you-mean for country codes,
assess.toml [defaults], --format in any case, JSON output for the table and
text commands, and tidy CSV/JSONL that pandas reads."""

from __future__ import annotations

import io
import json
import re
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assess.cli import app

from conftest import MINI

runner = CliRunner()
DATA = ["--data", str(MINI)]
ROOT = Path(__file__).resolve().parents[1]


def _commands():
    import typer

    group = typer.main.get_command(app)
    out = []
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            out += [([name, sub], c) for sub, c in cmd.commands.items()]
        else:
            out.append(([name], cmd))
    return out


COMMANDS = _commands()


def test_version_comes_from_pyproject():
    with open(ROOT / "pyproject.toml", "rb") as fh:
        version = tomllib.load(fh)["project"]["version"]
    for flag in ("--version", "-V"):
        r = runner.invoke(app, [flag])
        assert r.exit_code == 0 and r.stdout == f"assess {version}\n"
    import assess

    assert assess.__version__ == version
    # no second copy of the number in the package
    for path in (ROOT / "assess").rglob("*.py"):
        assert f'"{version}"' not in path.read_text(encoding="utf-8"), path


def test_short_help_and_completion():
    r = runner.invoke(app, ["-h"])
    assert r.exit_code == 0 and "Usage:" in r.stdout and "--install-completion" in r.stdout
    for words, _ in COMMANDS:
        r = runner.invoke(app, [*words, "-h"])
        assert r.exit_code == 0 and "Usage:" in r.stdout, words


@pytest.mark.parametrize("words", [w for w, _ in COMMANDS], ids=[" ".join(w) for w, _ in COMMANDS])
def test_usage_is_clean_and_every_option_has_help(words):
    r = runner.invoke(app, [*words, "--help"])
    usage = r.stdout.split("\n\n")[0]
    assert not re.search(r"\{[A-Z]|\[\[|<(list\[|str>|int>|float>|bool>)", r.stdout), r.stdout
    cmd = dict((tuple(w), c) for w, c in COMMANDS)[tuple(words)]
    for param in cmd.params:
        if param.name in ("help",):
            continue
        assert (getattr(param, "help", None) or "").strip(), f"{' '.join(words)}: {param.name} has no help line"
    assert usage.startswith("Usage:")


@pytest.mark.parametrize("command, extra", [
    ("score", ["--as-of", "2012-06-30", "-f", "json"]),
    ("timeline", ["--from", "2010", "--to", "2012-06-30", "-f", "json"]),
    ("agreement", ["--as-of", "2012-06-30", "-f", "json"]),
    ("verify", ["-f", "json"]),
])
def test_naming_no_country_is_every_country_in_every_command(command, extra):
    none = runner.invoke(app, [command, *extra, *DATA])
    every = runner.invoke(app, [command, "--all", *extra, *DATA])
    named = runner.invoke(app, [command, "FRA", "NLD", *extra, *DATA])
    assert none.exit_code in (0, 1) and none.stdout == every.stdout == named.stdout, none.output


def test_unknown_country_code_says_did_you_mean():
    r = runner.invoke(app, ["score", "NDL", *DATA])
    assert r.exit_code == 2
    assert "unknown country 'NDL' (did you mean 'NLD'?)" in r.output


def test_format_is_case_insensitive_everywhere():
    lower = runner.invoke(app, ["score", "NLD", "--as-of", "2012-06-30", "-f", "json", *DATA])
    upper = runner.invoke(app, ["score", "NLD", "--as-of", "2012-06-30", "--format", "JSON", *DATA])
    assert lower.exit_code == 0 and lower.stdout == upper.stdout
    r = runner.invoke(app, ["verify", "-f", "Json", *DATA])
    assert r.exit_code in (0, 1) and json.loads(r.stdout)


@pytest.mark.parametrize("args", [
    ["score", "NLD"], ["explain", "NLD", "l1"], ["timeline", "NLD"], ["sensitivity", "NLD"], ["report", "NLD"],
    ["countries"], ["rubrics"], ["agreement"], ["template", "NLD", "--out", "x.xlsx"], ["new", "UZB"],
    ["sources", "show", "NLD", "nld-const", "Art. 1"], ["suggest", "NLD", "nld-const"],
])
def test_every_command_rejects_an_unknown_language(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, [*args, "--lang", "xx", *DATA])
    assert r.exit_code == 2, r.output
    assert "unknown language 'xx'" in r.output and "en, ru, kk" in r.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["validate"], ["explain", "NLD", "l1", "--as-of", "2012-06-30"], ["countries"], ["rubrics"],
])
def test_json_output_of_the_text_commands(args):
    r = runner.invoke(app, [*args, "--format", "json", *DATA])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert isinstance(doc, dict) and doc


def test_check_gives_json(tmp_path):
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    assert runner.invoke(app, ["baseline", "--as-of", "2012-06-30", "--data", str(ws)]).exit_code == 0
    r = runner.invoke(app, ["check", "--format", "json", "--data", str(ws)])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["drifted"] is False and doc["changes"] == [] and doc["countries"] == ["FRA", "NLD"]


def test_score_csv_has_coverage_and_band_and_jsonl_is_the_same_frame():
    pd = pytest.importorskip("pandas")
    csv_out = runner.invoke(app, ["score", "--as-of", "2012-06-30", "-f", "csv", *DATA])
    jsonl = runner.invoke(app, ["score", "--as-of", "2012-06-30", "-f", "jsonl", *DATA])
    assert csv_out.exit_code == 0 and jsonl.exit_code == 0
    a = pd.read_csv(io.StringIO(csv_out.stdout))
    b = pd.read_json(io.StringIO(jsonl.stdout), lines=True)
    assert {"coverage", "band", "tier_coverage"} <= set(a.columns)
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    # coverage is the share of the rubric's criteria assessed, the same on every row of a country
    assert a.groupby("country")["coverage"].nunique().max() == 1
    assessed = a.assign(done=a["status"].eq("scored") | a["status"].eq("not_applicable")).groupby("country")["done"].mean()
    cov = a.groupby("country")["coverage"].first()
    assert (abs(assessed - cov) < 1e-4).all(), (assessed, cov)


def test_timeline_csv_holds_its_change_points():
    r = runner.invoke(app, ["timeline", "NLD", "--from", "1990", "--to", "2012-06-30", "-f", "csv", *DATA])
    assert r.exit_code == 0
    rows = r.stdout.splitlines()
    assert any(",change," in row for row in rows) and any(",step," in row for row in rows)


def _toml(ws: Path, text: str) -> None:
    (ws / "assess.toml").write_text(text, encoding="utf-8")


def test_assess_toml_defaults(tmp_path):
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    plain = runner.invoke(app, ["score", "NLD", "--as-of", "2012-06-30", "--lang", "ru", "--data", str(ws)])
    _toml(ws, '[defaults]\nas_of = 2012-06-30\nlang = "ru"\n')
    preset = runner.invoke(app, ["score", "NLD", "--data", str(ws)])
    # the same scores in the same words; only the next step differs: it repeats the options typed, and
    # the workspace's defaults need no repeating (the next command reads them too)
    body = lambda out: out.rsplit("`assess explain", 1)[0]  # noqa: E731
    assert preset.exit_code == 0 and body(preset.stdout) == body(plain.stdout)
    assert "as of 30.06.2012" in preset.stdout or "30.06.2012" in preset.stdout
    # the command line wins
    en = runner.invoke(app, ["score", "NLD", "--lang", "en", "--data", str(ws)])
    assert "Overall" in en.stdout or "overall" in en.stdout.lower()
    assert en.stdout != preset.stdout


@pytest.mark.parametrize("text, said", [
    ("dtaa = 1\n", "unknown key 'dtaa' (did you mean 'data' under [workspace]?)"),
    ("[defaults]\nlnag = \"ru\"\n", "unknown setting 'lnag' in [defaults] (did you mean 'lang'?)"),
    ("[defaults]\nlang = \"xx\"\n", "lang in [defaults] must be one of en, ru, kk"),
    ("[defaults]\nas_of = \"2021-02-30\"\n", "as_of in [defaults] must be a date"),
    ("[defualts]\n", "unknown table 'defualts' (did you mean 'defaults'?)"),
])
def test_assess_toml_unknown_keys_are_errors(tmp_path, text, said):
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    _toml(ws, text)
    r = runner.invoke(app, ["score", "NLD", "--data", str(ws)])
    assert r.exit_code == 2 and said in r.output, r.output


def test_data_naming_a_file_says_it_is_a_file(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("x")
    r = runner.invoke(app, ["score", "NLD", "--data", str(f)])
    assert r.exit_code == 2 and "is a file, not a folder" in r.output


def test_shell_completion_completes_commands_and_options():
    import os
    import subprocess
    import sys

    def complete(words, cword):
        env = dict(os.environ, _ASSESS_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(cword))
        code = "import sys; sys.argv[0] = 'assess'; from assess.cli import main; main()"
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout.split()

    assert complete("assess sc", 1) == ["score"]
    assert "--format" in complete("assess score --f", 2)
