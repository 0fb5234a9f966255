"""A workbook of many countries: the Sensitivity sheet lists neighbours in
the ranking only (as the HTML report), and says so; every other sheet keeps
every row."""

from __future__ import annotations

import datetime as dt
import sys

import openpyxl
import pytest

import assess.api as api
import assess.output.render.xlsx as xlsx
from assess.common.messages import load_messages

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402

GENERATED = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    out = tmp_path_factory.mktemp("world") / "ws"
    generate.generate(str(out), 8, 3)
    return out


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_sensitivity_sheet_of_many_countries_lists_neighbours(world, tmp_path, lang):
    context = api.report_context(None, as_of="2026-01-01", data=str(world), lang=lang, generated=GENERATED, draws=100)
    sens = context["sensitivity"]
    assert len(context["countries"]) == 8 and sens["pair_count"] == 28 and len(sens["pairs"]) == len(sens["adjacent"]) == 7
    path = tmp_path / "many.xlsx"
    xlsx.write_xlsx(context, str(path), api.templates_dir())
    msg = load_messages(api.templates_dir(), lang)
    ws = openpyxl.load_workbook(path)[xlsx.sheet_title("Sensitivity", msg)]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    heading = next(i for i, r in enumerate(rows) if r[0] == msg("rank_pairs"))
    note = rows[heading + 1][0]
    assert "7" in note and "28" in note and "assess sensitivity --pairs all --format json" in note
    assert rows[heading + 2][:4] == [msg("statement"), msg("ranks_higher"), msg("ranks_lower"), msg("share_of_draws")]
    listed = [(r[1], r[2]) for r in rows[heading + 3:] if r[1] is not None and r[2] is not None and r[0] != msg("note")]
    assert listed == [(p["a"], p["b"]) for p in sens["adjacent"]]


def test_few_countries_keep_every_pair(tmp_path):
    context = api.report_context(["KAZ", "RUS"], as_of="2021-06-30", data=str(REPO), generated=GENERATED, draws=50)
    path = tmp_path / "two.xlsx"
    xlsx.write_xlsx(context, str(path), api.templates_dir())
    texts = [c.value for row in openpyxl.load_workbook(path)["Sensitivity"].iter_rows() for c in row]
    assert not any(isinstance(t, str) and "assess sensitivity --pairs all" in t for t in texts)


def test_world_workbook_is_long_format_ranked_and_without_unreadable_charts(world, tmp_path):
    """More than six countries: Summary in ranking order with a Rank column and no bar chart (a barcode at
    200 countries); Criteria one row per country and criterion with its rank; the Timeline's samples one row
    per country and date, and no chart; every criterion of every country is there."""
    context = api.report_context(None, as_of="2026-01-01", data=str(world), generated=GENERATED, draws=0)
    msg = load_messages(api.templates_dir(), "en")
    path = tmp_path / "world.xlsx"
    xlsx.write_xlsx(context, str(path), api.templates_dir())
    wb = openpyxl.load_workbook(path)
    summary = wb["Summary"]
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0][2] == msg("rank") and not summary._charts
    ranked = [r for r in rows[1:] if r[2] != msg("unranked")]
    assert [r[2] for r in ranked] == sorted(r[2] for r in ranked)  # best first
    assert [r[1] for r in rows[1:]] == [c["iso3"] for c in context["ranking"]]

    criteria = wb["Criteria"]
    rows = list(criteria.iter_rows(values_only=True))
    assert rows[0][:5] == (msg("rank"), msg("country"), msg("iso3"), msg("tier"), msg("criterion"))
    n_criteria = sum(len(t["criteria"]) for t in context["tiers"])
    assert len(rows) - 1 == 8 * n_criteria and criteria.max_column == 10  # long, not 2 columns per country
    # the rows in ranking order, each country's block whole, its level as in the context
    assert [r[2] for r in rows[1::n_criteria]] == [c["iso3"] for c in context["ranking"]]
    position = {c["iso3"]: i for i, c in enumerate(context["countries"])}
    cells = {(c["iso3"], cr["id"]): cr["cells"][position[c["iso3"]]] for c in context["countries"]
             for t in context["tiers"] for cr in t["criteria"]}
    for r in rows[1:]:
        cell = cells[(r[2], r[4])]
        assert r[8] == (cell["level"] if cell["level"] is not None else xlsx._level_or_status(msg, cell))
    assert {str(rng.sqref) for rng in criteria.conditional_formatting} == {f"I2:I{len(rows)}"}

    timeline = wb["Timeline"]
    assert not timeline._charts
    rows = [r[:6] for r in timeline.iter_rows(values_only=True)]  # the change-point table below has 7 columns
    assert rows[0] == (msg("rank"), msg("country"), msg("iso3"), msg("date"), msg("overall_index"), msg("tl_criteria_assessed"))
    n_dates = len(context["timeline"]["dates"])
    body = rows[1: 1 + 8 * n_dates]
    assert all(r[2] is not None for r in body) and set(rows[1 + 8 * n_dates]) == {None}  # then a blank row
    first = context["ranking"][0]["iso3"]
    series = next(s for s in context["timeline"]["series"] if s["iso3"] == first)
    assert [r[4] for r in body[:n_dates]] == [pytest.approx(s["overall"]) if s["overall"] is not None else None for s in series["steps"]]


def test_world_context_skips_the_timeline_chart_it_never_draws(world):
    """The SVG timeline is drawn for up to six countries only (the world layout has none, the workbook
    charts none beyond six): its label placement, every label against every other, took about 90% of
    `report --all`'s CPU at 50-200 countries. More than six: no step runs or markers are laid out; the
    workbook's data (steps, changes) is still there. Two countries: laid out as before."""
    context = api.report_context(None, as_of="2026-01-01", data=str(world), generated=GENERATED, draws=0)
    series = context["timeline"]["series"]
    assert len(series) == 8
    assert all("markers" not in s and "step_runs" not in s for s in series)
    assert all(s["steps"] for s in series)
    pair = api.report_context(["KAZ", "RUS"], as_of="2026-01-01", data=str(world), generated=GENERATED, draws=0)
    assert all("step_runs" in s and "markers" in s for s in pair["timeline"]["series"])
    assert any(s["markers"] for s in pair["timeline"]["series"])
