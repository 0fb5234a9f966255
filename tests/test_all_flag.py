"""--all on score, timeline, sensitivity and report: every country in the
workspace, the same output as naming them all or naming none; refused with
country names. And the progress bar: only on a
terminal, and nothing it shows changes a result."""

from __future__ import annotations

import io
import sys

import pytest
from typer.testing import CliRunner

import assess.api as api
from assess import progress
from assess.cli import app

from conftest import MINI

runner = CliRunner()
DATA = ["--data", str(MINI)]
ALL_CODES = ["FRA", "NLD"]  # the mini workspace's countries, in the workspace's (sorted) order

CASES = {
    "score": ["score", "--as-of", "2012-06-30", "--format", "json"],
    "score-csv": ["score", "--as-of", "2012-06-30", "--format", "csv"],
    "timeline": ["timeline", "--from", "2000", "--to", "2012-06-30", "--format", "json"],
    "sensitivity": ["sensitivity", "--as-of", "2012-06-30", "--draws", "300", "--seed", "4", "--format", "json"],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_all_is_every_country_named(case):
    args = CASES[case]
    named = runner.invoke(app, [args[0], *ALL_CODES, *args[1:], *DATA])
    every = runner.invoke(app, [*args, "--all", *DATA])
    assert named.exit_code == 0, named.output
    assert every.exit_code == 0, every.output
    assert every.stdout == named.stdout


def test_report_all(tmp_path):
    named = runner.invoke(app, ["report", *ALL_CODES, "--as-of", "2012-06-30", "--out", str(tmp_path / "a"), "--draws", "50", *DATA])
    every = runner.invoke(app, ["report", "--all", "--as-of", "2012-06-30", "--out", str(tmp_path / "b"), "--draws", "50", *DATA])
    assert named.exit_code == 0 and every.exit_code == 0, named.output + every.output
    a = sorted(p.name for p in (tmp_path / "a").iterdir())
    b = sorted(p.name for p in (tmp_path / "b").iterdir())
    assert a == b and len(a) == 2 and a[0].startswith("assess-FRA-NLD-")
    html_a = (tmp_path / "a" / a[0]).read_text(encoding="utf-8")
    html_b = (tmp_path / "b" / b[0]).read_text(encoding="utf-8")
    strip = lambda h: "\n".join(line for line in h.splitlines() if "Generated" not in line and "generated" not in line)  # noqa: E731
    assert strip(html_a) == strip(html_b)


@pytest.mark.parametrize("command", ["score", "timeline", "sensitivity", "report"])
def test_all_with_country_names_is_refused(command):
    r = runner.invoke(app, [command, "NLD", "--all", *DATA])
    assert r.exit_code == 2
    assert "--all takes no country names" in r.output


@pytest.mark.parametrize("case", sorted(CASES))
def test_naming_none_is_every_country(case):
    """One rule for every command (issue #18): no country named is every
    country, as --all is, as agreement, verify and baseline always did."""
    args = CASES[case]
    none = runner.invoke(app, [*args, *DATA])
    every = runner.invoke(app, [*args, "--all", *DATA])
    assert none.exit_code == 0, none.output
    assert none.stdout == every.stdout


def test_api_none_means_every_country():
    a = api.sensitivity(None, draws=200, seed=1, as_of="2012-06-30", data=str(MINI))
    b = api.sensitivity(ALL_CODES, draws=200, seed=1, as_of="2012-06-30", data=str(MINI))
    assert [c.iso3 for c in a.countries] == ALL_CODES
    assert (a.median, a.low, a.high, a.above) == (b.median, b.low, b.high, b.above)


# ---------------------------------------------------------------- progress


def test_no_bar_unless_shown():
    assert progress._bar is None
    assert list(progress.track(range(50), "x")) == list(range(50))
    progress.task("x", 50)(50)  # a no-op


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with progress.shown():
        assert progress._bar is None


def test_bar_shows_and_changes_nothing():
    from rich.console import Console

    plain = api.sensitivity(ALL_CODES, draws=3000, seed=2, as_of="2012-06-30", data=str(MINI))
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with progress.shown(enabled=True, console=console):
        assert progress._bar is not None
        shown = api.sensitivity(ALL_CODES, draws=3000, seed=2, as_of="2012-06-30", data=str(MINI))
        items = list(progress.track(range(progress.MIN_STEPS), "counting"))
    assert progress._bar is None
    assert items == list(range(progress.MIN_STEPS))
    assert (shown.median, shown.low, shown.high, shown.above) == (plain.median, plain.low, plain.high, plain.above)
    assert "counting" in screen.getvalue()
