"""Timelines: the one-pass sweep must agree with scoring date by date."""

import datetime as dt
import json
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

import assess
from assess.cli import app
from assess.scoring.score import Prepared, commonly_assessed, restrict_to
from assess.analyses.timeline import country_timeline, events_for, step_dates, trace_events

from conftest import FROZEN, MINI, REPO

runner = CliRunner()


def test_step_dates():
    assert step_dates(dt.date(2019, 1, 1), dt.date(2021, 6, 30)) == [dt.date(2019, 12, 31), dt.date(2020, 12, 31), dt.date(2021, 6, 30)]
    assert step_dates(dt.date(2020, 11, 1), dt.date(2021, 2, 10), "month") == [
        dt.date(2020, 11, 30), dt.date(2020, 12, 31), dt.date(2021, 1, 31), dt.date(2021, 2, 10)]


@pytest.mark.parametrize("data", [str(MINI), None])
def test_sweep_equals_scoring_on_every_date(data):
    _sweep_equals_scoring(data)


def test_sweep_equals_scoring_when_criteria_are_absent_before_their_first_document(mini):
    """Traced evidence: a criterion no finding answers is absent (level 0) on
    the days its tier is traced and no uncoded document of the tier is in
    force, not assessed otherwise. NLD's constitution tier is traced from
    2000-01-01, its law tier from 2003-01-01 to 2004-03-31, and Law X, which
    nobody has coded, is in force from 2003-06-01 to 2003-12-31; FRA is traced
    from 1990 on. The sweep visits the traces' and Law X's edges and must equal
    scoring on every day, like with like included.

    By hand, NLD's overall index (t-const weight 2: c1, c2 weight 1 each;
    t-law weight 1: l1 weight 2, l2 weight 1; levels out of 3). c2's finding
    has no document and holds always (level 0); c1 is 3 from the Constitution
    (2000); l1 and l2 have no counting finding before Law A (2005):
      before 2000: only c2, 0 -> index 0.0 on 1 criterion
      2000-01-01  c1 = 3 comes: t-const (3/3 + 0)/2 = 50; like with like (c2): 0 -> 0
      2003-01-01  law trace starts, l1 = l2 = 0 absent: (50*2 + 0)/3 = 33.3; like with like (c1, c2): 50 -> 50
      2003-06-01  Law X uncoded: l1, l2 not assessed: back to 50; like with like 50 -> 50
      2004-01-01  Law X lapses: absent again, 33.3
      2004-04-01  law trace ends: not assessed, 50
      2005-01-01  Law A: l1 = 3, l2 = 1 (one document): t-law (2*3/3 + 1/3)/3 = 77.8,
                  index (100 + 77.8)/3 = 59.3; like with like 50 -> 50
      2011-01-01  Law B replaces A: l1 = 2, l2 = 2: t-law 66.7, index 55.6, a score move of -3.7
    Four swings of the raw index come from criteria coming and going; the
    headline delta of each is 0."""
    country = mini / "evidence" / "NLD" / "country.yaml"
    text = country.read_text(encoding="utf-8")
    text = text.replace("  legislatures:\n", "  traced_from: {t-const: 2000-01-01, t-law: 2003-01-01}\n  traced_to: {t-law: 2004-03-31}\n"
                        "  legislatures:\n", 1)
    text += ("  - {id: nld-law-x, type: law, title: Law X, in_force_from: 2003-06-01, in_force_to: 2003-12-31,"
             " url: https://example.org/law-x}\n")
    country.write_text(text, encoding="utf-8")
    fra = mini / "evidence" / "FRA" / "country.yaml"
    fra.write_text(fra.read_text(encoding="utf-8").replace("  name: {en: France}\n", "  name: {en: France}\n  traced_from: 1990-01-01\n", 1),
                   encoding="utf-8")
    loaded = assess.load_data(str(mini))
    assert assess.check(loaded).ok, [str(p) for p in assess.check(loaded).errors]
    rubric = assess.pick_rubric(loaded)
    tl = country_timeline(rubric, loaded.countries["NLD"], [dt.date(2014, 1, 1)])
    overall = [(c.date, c.before, c.after, c.kind, c.delta) for c in tl.changes if c.scope == "overall"]
    third = 100 / 3
    assert overall == [
        (dt.date(2000, 1, 1), 0.0, 50.0, "coverage", 0.0),
        (dt.date(2003, 1, 1), 50.0, pytest.approx(third), "coverage", 0.0),
        (dt.date(2003, 6, 1), pytest.approx(third), 50.0, "coverage", 0.0),
        (dt.date(2004, 1, 1), 50.0, pytest.approx(third), "coverage", 0.0),
        (dt.date(2004, 4, 1), pytest.approx(third), 50.0, "coverage", 0.0),
        (dt.date(2005, 1, 1), 50.0, pytest.approx((100 + 700 / 9) / 3), "coverage", 0.0),
        (dt.date(2011, 1, 1), pytest.approx((100 + 700 / 9) / 3), pytest.approx((100 + 200 / 3) / 3), "score",
         pytest.approx((200 / 3 - 700 / 9) / 3)),
    ]
    x = next(c for c in tl.changes if c.scope == "overall" and c.date == dt.date(2003, 6, 1))
    assert (x.coverage.before, x.coverage.after, x.coverage.lost, x.coverage.causes) == (4, 2, ("l1", "l2"), ("Law X in force, not coded yet",))
    assert (x.common, x.like_before, x.like_after, x.raw_delta) == (2, 50.0, 50.0, pytest.approx(50 - third))
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
    loaded = assess.load_data(str(tmp_path / "world"))
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
    loaded = assess.load_data(data)
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
            _like_with_like_equals_scoring(rubric, c, on[c.date - dt.timedelta(days=1)], on[c.date])
        # every day on which some criterion starts or stops being assessed has its coverage change, overall
        covered = {c.date for c in tl.changes if c.scope == "overall" and c.coverage is not None}
        days = {e.date for e in events_for(rubric, ev)[0]} | {d for d in trace_events(rubric, ev, Prepared(rubric, ev))}
        for day in sorted(days):
            before, after = (assess.score_countries(rubric, [ev], d).countries[0] for d in (day - dt.timedelta(days=1), day))
            if _assessed(before) != _assessed(after):
                assert day in covered, (ev.iso3, day)
        # the spans of thin coverage: a step is inside one exactly when its coverage is below the threshold
        floor = rubric.band_min_coverage
        for snap in tl2.steps:
            inside = any((a is None or a <= snap.date) and (b is None or snap.date <= b) for a, b in tl2.thin)
            assert inside == (floor > 0 and snap.overall.coverage < floor), (ev.iso3, snap.date)


def _assessed(cs) -> set[str]:
    return {r.criterion.id for r in cs.criteria if r.status != "not_assessed"}


def _like_with_like_equals_scoring(rubric, change, before, after):
    """A change point's coverage move and like-with-like scores, against the
    scorer: the criteria assessed on both days (score.commonly_assessed), and
    restrict_to() over them on each day, read off the change's scope."""
    scope_ids = {c.id for c in rubric.criteria if change.scope == "overall" or c.tier == change.scope}
    was, now = _assessed(before) & scope_ids, _assessed(after) & scope_ids
    if was == now:
        assert change.coverage is None and change.delta == change.raw_delta, (change.date, change.scope)
        return
    cov = change.coverage
    assert cov is not None, (change.date, change.scope)
    assert (set(cov.gained), set(cov.lost), cov.before, cov.after) == (now - was, was - now, len(was), len(now))
    common = commonly_assessed([before, after])
    assert change.common == len(set(common) & scope_ids)
    for cs, expected in ((before, change.like_before), (after, change.like_after)):
        restricted = restrict_to(cs, rubric, common)
        got = restricted.overall.score if change.scope == "overall" else restricted.tiers[change.scope].score
        assert (got is None and expected is None) or got == pytest.approx(expected), (change.date, change.scope)
    assert change.kind in ("coverage", "both")
    # the headline never counts criteria that came or went: no rise or fall from coverage alone
    if change.kind == "coverage" and change.delta is not None:
        assert abs(change.delta) < 1e-9


def test_change_points_name_the_documents():
    rubric, (tl,) = assess.api.timeline(["NLD"], start=2000, end="2012-06-30", data=str(MINI))
    by_scope = {(c.date.isoformat(), c.scope): c for c in tl.changes}
    law = by_scope[("2011-01-01", "t-law")]
    # t-law went from (3/3*2 + 1/3)/3 = 77.8 to (2/3*2 + 2/3)/3 = 66.7 when law B replaced law A
    assert law.before == pytest.approx(700 / 9) and law.after == pytest.approx(200 / 3)
    assert law.causes == ["Law B in force", "Law A no longer in force"]
    assert ("2000-01-01", "t-const") in by_scope


def test_timeline_cli_formats():
    """On mini, NLD's law tier has no counting finding before Law A
    (2005-01-01): that day l1 and l2 start being assessed. The index moves
    50.0 -> 59.3 only because they join the mean: t-const stays
    (3/3 + 0/3)/2 = 50, t-law (2*3/3 + 1/3)/3 = 77.8 joins at weight 1, so
    (2*50 + 77.8)/3 = 59.3 (+9.3 raw). Like with like, on c1 and c2, it stays
    50.0: a coverage move, not a rise. Law B replacing Law A on 2011-01-01 is
    a score move on the same 4 criteria: t-law 77.8 -> 66.7, index -3.7."""
    r = runner.invoke(app, ["timeline", "NLD", "--from", "2004", "--to", "2012-06-30", "--data", str(MINI)])
    assert r.exit_code == 0, r.output
    assert "+9.3" not in r.output
    assert "  2005-01-01       = overall: like with like 50.0 → 50.0 (criteria assessed on both days: 2; all assessed: 50.0 → 59.3)\n" \
           "                     coverage 2 → 4 of 4 criteria assessed; now assessed: l1, l2\n" \
           "                     caused by: Law A in force\n" in r.output
    assert "  2011-01-01    -3.7 overall: Law B in force; Law A no longer in force\n" in r.output
    assert "2004-12-31   50.0 ◐       2/4" in r.output  # mini sets no band_min_coverage: no ▽
    r = runner.invoke(app, ["timeline", "NLD", "--from", "2004", "--to", "2012-06-30", "--format", "json", "--data", str(MINI)])
    doc = json.loads(r.output)
    nld = doc["countries"][0]
    assert [s["date"] for s in nld["steps"]][-1] == "2012-06-30"
    law_a = next(c for c in nld["changes"] if (c["date"], c["scope"]) == ("2005-01-01", "overall"))
    assert law_a == {"date": "2005-01-01", "scope": "overall", "kind": "coverage", "before": 50.0, "after": 59.2593,
                     "delta": 0.0, "raw_delta": 9.2593, "like_with_like": {"criteria": 2, "before": 50.0, "after": 50.0},
                     "coverage": {"before": 2, "after": 4, "total": 4, "gained": ["l1", "l2"], "lost": [], "causes": ["Law A in force"]},
                     "causes": ["Law A in force"], "score_causes": []}
    law_b = next(c for c in nld["changes"] if (c["date"], c["scope"]) == ("2011-01-01", "overall"))
    assert (law_b["kind"], law_b["delta"], law_b["raw_delta"], law_b["coverage"]) == ("score", -3.7037, -3.7037, None)
    assert nld["below_min_coverage"] == [] and doc["rubric"]["band_min_coverage"] == 0.0
    r = runner.invoke(app, ["timeline", "NLD", "--from", "2004", "--to", "2012-06-30", "--format", "csv", "--data", str(MINI)])
    lines = r.output.splitlines()
    assert lines[0] == ("country,date,record,scope,overall,complete,coverage,below_min_coverage,t-const,t-law,kind,before,after,"
                        "delta,raw_delta,like_with_like_criteria,like_before,like_after,criteria_before,criteria_after,"
                        "criteria_total,criteria_gained,criteria_lost,coverage_causes,causes")
    assert lines[1] == "NLD,2004-12-31,step,,50.0,false,0.5,false,50.0,,,,,,,,,,,,,,,,"
    assert "NLD,2005-01-01,change,overall,,,,,,,coverage,50.0,59.2593,0.0,9.2593,2,50.0,50.0,2,4,4,l1 | l2,,Law A in force,Law A in force" in lines
    r = runner.invoke(app, ["timeline", "NLD", "--from", "2030", "--to", "2012-06-30", "--data", str(MINI)])
    assert r.exit_code == 2 and "after" in r.output
    r = runner.invoke(app, ["timeline", "NLD", "--step", "week", "--data", str(MINI)])
    assert r.exit_code == 2


def test_timeline_json_is_one_row_per_line_and_reads_back_as_the_same_data():
    """The JSON writer puts each step and change point on one line; the
    data is exactly what json.dumps would write."""
    import json

    from assess.output.export import json_rows

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
    loaded = assess.load_data(str(mini))
    rubric = assess.pick_rubric(loaded)
    scores = assess.score_countries(rubric, [loaded.countries["NLD"]], dt.date(2015, 6, 30))
    l2 = next(r for r in scores.countries[0].criteria if r.criterion.id == "l2")
    assert dict(l2.set_aside)["n-l2-b"] == "never in force: it would hold from 2011-01-01, but its bounds end on 2008-12-31"
    # l2 counts distinct documents with a finding at level 2 or above (1 document -> level 1): law A alone
    tl = country_timeline(rubric, loaded.countries["NLD"], [dt.date(2015, 6, 30)])
    assert tl.steps[0].overall.score == pytest.approx(scores.countries[0].overall.score)
    assert tl.steps[0].levels["l2"] == l2.level == 1
    _sweep_equals_scoring(str(mini))


def test_kazakhstan_2026_lapse_is_a_coverage_loss_not_a_rise():
    """The shipped KAZ evidence as frozen on 2026-11-30 (every criterion weight 1, every tier weight 1,
    levels out of 3). On 2026-06-30: constitution 3, 3, 2, 3 -> 11/12 = 91.7;
    laws 3, 3, 3 (law-parliament-status not assessed: the constitutional law on
    Parliament is recorded uncoded) = 100; concept 2, 2, 2 = 66.7; internal
    2, 3, 3, 0, 0 -> 8/15 = 53.3; index (91.7 + 100 + 66.7 + 53.3)/4 = 77.9 on
    15 of 16 criteria. On 2026-07-01 the 1995 Constitution and the chambers'
    rules lapse (the 2026 Constitution is recorded uncoded; the internal trace
    ends 2026-06-30): the 4 constitution and 5 internal criteria are no longer
    assessed, and the index on what is left is (100 + 66.7)/2 = 83.3, +5.4 raw.
    On the 6 criteria assessed on both days (laws and concept) it is 83.3 on
    both: the headline is no change, and the lapse is a coverage loss 15 -> 6.
    From then on fewer than 75% of the criteria are assessed: a span of thin
    coverage from 2026-07-01 to the end of the window."""
    r = runner.invoke(app, ["timeline", "KAZ", "--from", "2025", "--to", "2026-11-30", "--format", "json", "--data", str(FROZEN)])
    assert r.exit_code == 0, r.output
    kaz = json.loads(r.output)["countries"][0]
    (lapse,) = [c for c in kaz["changes"] if (c["date"], c["scope"]) == ("2026-07-01", "overall")]
    assert (lapse["kind"], lapse["before"], lapse["after"], lapse["raw_delta"], lapse["delta"]) == \
        ("coverage", 77.9167, 83.3333, 5.4167, 0.0)
    assert lapse["like_with_like"] == {"criteria": 6, "before": 83.3333, "after": 83.3333}
    cov = lapse["coverage"]
    assert (cov["before"], cov["after"], cov["total"], cov["gained"]) == (15, 6, 16, [])
    assert cov["lost"] == ["con-treaties", "con-war-peace", "con-diplomatic-posts", "con-treaty-status", "int-foreign-agreements",
                           "int-chamber-procedures", "int-bodies", "int-strategy", "int-code"]
    assert "Constitution of the Republic of Kazakhstan no longer in force" in cov["causes"]
    assert "Constitution of the Republic of Kazakhstan (2026) in force, not coded yet" in cov["causes"]
    assert not any("kaz-" in c for c in cov["causes"] + lapse["causes"])  # documents by title, never a finding id
    # no rise of the overall index comes from a coverage move alone
    assert all(c["delta"] in (None, 0.0) for c in kaz["changes"] if c["kind"] == "coverage")
    assert kaz["below_min_coverage"] == [{"from": "2026-07-01", "to": "2026-11-30"}]
    assert [s["below_min_coverage"] for s in kaz["steps"]] == [False, True]  # steps 2025-12-31 (15/16) and 2026-11-30 (6/16)


@pytest.mark.parametrize("lang, like, coverage", [
    ("en", "2026-07-01       = overall: like with like 83.3 → 83.3 (criteria assessed on both days: 6; all assessed: 77.9 → 83.3)",
     "coverage 15 → 6 of 16 criteria assessed; no longer assessed: con-treaties"),
    ("ru", "01.07.2026       = общий: в сопоставимых границах 83,3 → 83,3 (критериев, оценённых в оба дня: 6; по всем оценённым: 77,9 → 83,3)",
     "охват: оценено 15 → 6 из 16 критериев; больше не оцениваются: con-treaties"),
    ("kk", "01.07.2026       = жалпы: салыстырмалы шекте 83,3 → 83,3 (екі күні де бағаланған критерийлер: 6; барлық бағаланғандар бойынша: 77,9 → 83,3)",
     "қамту: 16 критерийдің 15 → 6 бағаланған; енді бағаланбайды: con-treaties"),
])
def test_kazakhstan_2026_lapse_in_the_terminal_and_csv(lang, like, coverage):
    """The same change as above (77.9 -> 83.3 raw, 83.3 -> 83.3 on the 6
    criteria assessed on both days, 15 -> 6 of 16 assessed) as the terminal
    and the CSV say it: "=" where a rise would be, the coverage move on a
    line of its own, and ▽ on the step with 6 of 16 (below 75%)."""
    r = runner.invoke(app, ["timeline", "KAZ", "--from", "2025", "--to", "2026-11-30", "--lang", lang, "--data", str(FROZEN)])
    assert r.exit_code == 0, r.output
    assert "  " + like + "\n" in r.output and coverage in r.output
    assert "+5.4" not in r.output and "+5,4" not in r.output
    assert "▽ 6/16" in r.output and "  15/16" in r.output
    r = runner.invoke(app, ["timeline", "KAZ", "--from", "2025", "--to", "2026-11-30", "--format", "csv", "--data", str(FROZEN)])
    row = next(line for line in r.output.splitlines() if line.startswith("KAZ,2026-07-01,change,overall,"))
    assert row.startswith("KAZ,2026-07-01,change,overall,,,,,,,,,coverage,77.9167,83.3333,0.0,5.4167,6,83.3333,83.3333,15,6,16,,"
                          "con-treaties | con-war-peace | ")
    assert "KAZ,2026-11-30,step,,83.3333,false,0.375,true," in r.output  # 6/16 = 0.375 < 0.75
