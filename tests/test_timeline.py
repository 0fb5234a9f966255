"""Timelines: the one-pass sweep must agree with scoring date by date."""

import datetime as dt
import json
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

import assess
from assess.cli import app
from assess.timeline import country_timeline, events_for, step_dates

from conftest import MINI, REPO

runner = CliRunner()


def test_step_dates():
    assert step_dates(dt.date(2019, 1, 1), dt.date(2021, 6, 30)) == [dt.date(2019, 12, 31), dt.date(2020, 12, 31), dt.date(2021, 6, 30)]
    assert step_dates(dt.date(2020, 11, 1), dt.date(2021, 2, 10), "month") == [
        dt.date(2020, 11, 30), dt.date(2020, 12, 31), dt.date(2021, 1, 31), dt.date(2021, 2, 10)]


@pytest.mark.parametrize("data", [str(MINI), None])
def test_sweep_equals_scoring_on_every_date(data):
    _sweep_equals_scoring(data)


def test_sweep_equals_scoring_when_criteria_are_absent_before_their_first_document(mini):
    rubric = mini / "criteria" / "mini.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("  rule: highest\n", "  rule: highest\n  before_first_finding: absent\n"), encoding="utf-8")
    _sweep_equals_scoring(str(mini))


def test_sweep_equals_scoring_on_a_generated_world(tmp_path):
    """The benchmark's synthetic countries: second coders on a sixth of the
    findings, distinct-document counts over time, criteria absent before their
    first document, and legislatures that end."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    generate.generate(tmp_path / "world", countries=4, seed=3)
    loaded = assess.load(str(tmp_path / "world"))
    coded_twice = {(f.criterion, f.document) for ev in loaded.countries.values() for f in ev.findings if f.coder in generate.CODERS[2:]}
    assert coded_twice, "the generated world should have findings from a second coder"
    _sweep_equals_scoring(str(tmp_path / "world"))


def test_sweep_equals_scoring_when_a_finding_holds_from_the_start_of_time_until_a_date(mini):
    """A finding with no start (no document, only the provision's end) holds
    from before any event; the day after its end is a change like any other."""
    findings = mini / "evidence" / "NLD" / "findings.yaml"
    findings.write_text(findings.read_text(encoding="utf-8") + "  - {id: n-l1-old, criterion: l1, level: 0, "
                        "reason: Searched the older charter, in_force_to: 1998-06-30, verified: true, coder: t1}\n", encoding="utf-8")
    _sweep_equals_scoring(str(mini))
    rubric, (tl,) = assess.api.timeline(["NLD"], end="2003-01-01", data=str(mini))
    assert any(c.date == dt.date(1998, 7, 1) and c.scope == "t-law" and c.before == 0.0 and c.after is None for c in tl.changes)


def _sweep_equals_scoring(data):
    loaded = assess.load(data)
    rubric = assess.pick_rubric(loaded)
    dates = step_dates(dt.date(1990, 1, 1), dt.date(2026, 11, 28), "year")
    # include the days around every change so that edges are compared too
    for ev in loaded.countries.values():
        tl = country_timeline(rubric, ev, dates)
        starts = [d.in_force_from for d in ev.documents.values() if d.in_force_from]
        edges = [c.date for c in tl.changes] + ([min(starts)] if starts else [])
        extra = sorted({day + dt.timedelta(days=k) for day in edges for k in (-1, 0)})
        tl2 = country_timeline(rubric, ev, sorted(set(dates) | set(extra)))
        for snap in tl2.steps:
            s = assess.score_countries(rubric, [ev], snap.date)
            o = s.overall.iloc[0]
            expected = None if o.overall != o.overall else o.overall
            assert snap.overall.score == pytest.approx(expected) if expected is not None else snap.overall.score is None, (ev.iso3, snap.date)
            for row in s.tiers.itertuples():
                got = snap.tiers[row.tier].score
                assert (got is None and row.score != row.score) or got == pytest.approx(row.score), (ev.iso3, snap.date, row.tier)
            # and criterion by criterion: the sweep settles levels without weighing each finding again
            for row in s.criteria.itertuples():
                level = None if row.level is pd.NA else row.level
                assert snap.levels[row.criterion] == level, (ev.iso3, snap.date, row.criterion)
        # and every day where some finding starts or stops holding that moves a score has its change point
        reported = {(c.date, c.scope) for c in tl.changes}
        for day in sorted({e.date for e in events_for(rubric, ev)[0]}):
            before, after = (assess.score_countries(rubric, [ev], d).countries[0] for d in (day - dt.timedelta(days=1), day))
            for scope in [t.id for t in rubric.tiers] + ["overall"]:
                b, a = ((x.overall if scope == "overall" else x.tiers[scope]).score for x in (before, after))
                if (b is None) != (a is None) or (b is not None and abs(a - b) > 1e-9):
                    assert (day, scope) in reported, (ev.iso3, day, scope, b, a)
        # each change point: `before` is the score the day before, `after` the score that day
        for c in tl.changes:
            on = {d: assess.score_countries(rubric, [ev], d).countries[0] for d in (c.date - dt.timedelta(days=1), c.date)}
            for when, expected in ((c.date - dt.timedelta(days=1), c.before), (c.date, c.after)):
                cs = on[when]
                got = cs.overall.score if c.scope == "overall" else cs.tiers[c.scope].score
                assert (got is None and expected is None) or got == pytest.approx(expected), (ev.iso3, c.date, c.scope, when)


def test_change_points_name_the_documents():
    rubric, (tl,) = assess.api.timeline(["NLD"], start=2000, end="2012-06-30", data=str(MINI))
    by_scope = {(c.date.isoformat(), c.scope): c for c in tl.changes}
    law = by_scope[("2011-01-01", "t-law")]
    # t-law went from (3/3*2 + 1/3)/3 = 77.8 to (2/3*2 + 2/3)/3 = 66.7 when law B replaced law A
    assert law.before == pytest.approx(700 / 9) and law.after == pytest.approx(200 / 3)
    assert law.causes == ["Law B in force", "Law A no longer in force"]
    assert ("2000-01-01", "t-const") in by_scope


def test_timeline_cli_formats():
    r = runner.invoke(app, ["timeline", "NLD", "--from", "2004", "--to", "2012-06-30", "--data", str(MINI)])
    assert r.exit_code == 0, r.output
    assert "2005-01-01    +9.3 overall: Law A in force" in r.output
    r = runner.invoke(app, ["timeline", "NLD", "--from", "2004", "--to", "2012-06-30", "--format", "json", "--data", str(MINI)])
    doc = json.loads(r.output)
    assert [s["date"] for s in doc["countries"][0]["steps"]][-1] == "2012-06-30"
    r = runner.invoke(app, ["timeline", "NLD", "--from", "2004", "--to", "2012-06-30", "--format", "csv", "--data", str(MINI)])
    assert r.output.splitlines()[0] == "country,date,overall,complete,coverage,t-const,t-law"
    r = runner.invoke(app, ["timeline", "NLD", "--from", "2030", "--to", "2012-06-30", "--data", str(MINI)])
    assert r.exit_code == 2 and "after" in r.output
    r = runner.invoke(app, ["timeline", "NLD", "--step", "week", "--data", str(MINI)])
    assert r.exit_code == 2


def test_timeline_json_is_one_row_per_line_and_reads_back_as_the_same_data():
    """The JSON writer puts each step and change point on one line; the
    data is exactly what json.dumps would write."""
    import json

    from assess.export import json_rows

    data = {"a": [{"date": "2020-01-01", "x": 1.5, "tiers": {"t": None}}, {"date": "2021-01-01", "x": "ü"}],
            "b": {"c": [], "d": {}, "e": [[1, 2], {"k": [{"z": 1}]}]}}
    text = json_rows(data)
    assert json.loads(text) == data
    assert '    {"date": "2020-01-01", "x": 1.5, "tiers": {"t": null}},\n' in text
    assert '"ü"' in text  # not escaped


def test_a_finding_whose_bounds_leave_no_day_never_counts_even_to_date(mini):
    """Law B (in force from 2011) belongs to a legislature gone by the end of
    2008: it was never in force. A `to-date` rule counts documents in force at
    any time up to the date, which this one never was; the scorer and the
    sweep both set it aside (the scorer used to count it from 2011, the
    sweep never did)."""
    country = mini / "evidence" / "NLD" / "country.yaml"
    text = country.read_text(encoding="utf-8")
    text = text.replace("documents:\n", "    - {id: nld-interim, name: Interim Assembly, from: 1990-01-01, to: 2008-12-31}\ndocuments:\n", 1)
    country.write_text(text.replace("    title: Law B\n", "    title: Law B\n    legislature: nld-interim\n", 1), encoding="utf-8")
    loaded = assess.load(str(mini))
    rubric = assess.pick_rubric(loaded)
    scores = assess.score_countries(rubric, [loaded.countries["NLD"]], dt.date(2015, 6, 30))
    l2 = next(r for r in scores.countries[0].criteria if r.criterion.id == "l2")
    assert dict(l2.set_aside)["n-l2-b"] == "never in force: it would hold from 2011-01-01, but its bounds end on 2008-12-31"
    # l2 counts distinct documents with a finding at level 2 or above (1 document -> level 1): law A alone
    tl = country_timeline(rubric, loaded.countries["NLD"], [dt.date(2015, 6, 30)])
    assert tl.steps[0].overall.score == pytest.approx(scores.countries[0].overall.score)
    assert tl.steps[0].levels["l2"] == l2.level == 1
    _sweep_equals_scoring(str(mini))
