"""Sensitivity: reproducible, vectorized, consistent with the point index,
and wider where less is known (issue 14, section 4).

Since issue 14 the draws vary, by default, everything the rubric allows:
weights, the aggregation rule, the levels of criteria not assessed and the
levels resting on uncertain findings (see assess.sensitivity). The tests that
are about weights and aggregation alone say so with vary="weights,aggregation"
(what every draw varied before); the others work out the new sources by hand.
"""

import datetime as dt
import json

import numpy as np
import pytest
from typer.testing import CliRunner

import assess
from assess.cli import app
from assess.analyses.sensitivity import run_sensitivity

from conftest import FROZEN, MINI, REPO, write

runner = CliRunner()
AS_OF = dt.date(2012, 6, 30)


@pytest.fixture(scope="module")
def mini():
    loaded = assess.load_data(str(MINI))
    return assess.pick_rubric(loaded), [loaded.countries["NLD"], loaded.countries["FRA"]]


def test_same_seed_same_numbers(mini):
    rubric, ev = mini
    a = run_sensitivity(rubric, ev, AS_OF, draws=2000, seed=7)
    b = run_sensitivity(rubric, ev, AS_OF, draws=2000, seed=7)
    c = run_sensitivity(rubric, ev, AS_OF, draws=2000, seed=8)
    assert (a.median, a.low, a.high, a.above) == (b.median, b.low, b.high, b.above)
    assert a.median != c.median


def test_interval_contains_the_point_index(mini):
    # weights and aggregation only: a drawn criterion (FRA's unassessed c2 and l2, NLD's
    # unverified l1) moves the draws off the index on the assessed criteria, as it should
    rubric, ev = mini
    s = run_sensitivity(rubric, ev, AS_OF, draws=5000, seed=1, vary="weights,aggregation")
    for point, low, high in zip(s.point, s.low, s.high):
        assert low - 1e-9 <= point <= high + 1e-9


def test_no_perturbation_reproduces_the_point_index(mini):
    # a huge concentration pins the weights; no geometric draws: every draw is the rubric's own index
    rubric, ev = mini
    s = run_sensitivity(rubric, ev, AS_OF, draws=200, seed=1, concentration=1e9, p_geometric=0.0, vary="weights,aggregation")
    for point, low, high in zip(s.point, s.low, s.high):
        assert low == pytest.approx(point, abs=0.01) and high == pytest.approx(point, abs=0.01)


def test_single_criterion_country_is_stable_under_weights_but_not_under_what_is_unknown(mini):
    # FRA has one scored criterion (l1 = 1/3) in one tier: no weighting can move it
    rubric, ev = mini
    s = run_sensitivity(rubric, ev, AS_OF, draws=1000, seed=3, vary="weights,aggregation")
    assert s.low[1] == pytest.approx(100 / 3) and s.high[1] == pytest.approx(100 / 3)
    # but c2 and l2 are not assessed (c1 is n/a): drawn over 0-3, they open the interval
    s = run_sensitivity(rubric, ev, AS_OF, draws=1000, seed=3)
    assert s.drawn_unassessed[1] == 2 and s.high[1] - s.low[1] > 30


def test_rank_shares_are_complementary(mini):
    rubric, ev = mini
    s = run_sensitivity(rubric, ev, AS_OF, draws=3000, seed=2)
    assert s.above[0][1] + s.above[1][0] == pytest.approx(1.0, abs=1e-9)  # no ties between 55.6-ish and 33.3-ish
    assert s.order(1, 0) == (0, 1) and s.statement(0, 1).startswith("Netherlands ranks above France in ")
    assert s.statement(0, 1).endswith(" of draws")


def test_uncertain_findings_widen_the_interval(mini):
    # NLD's l1 rests on an unverified finding (n-l1-b, level 2; n-l1-a no longer in force):
    # varying it (1, 2 or 3) must widen NLD's interval on both sides
    rubric, ev = mini
    fixed = run_sensitivity(rubric, ev, AS_OF, draws=4000, seed=5, vary="weights,aggregation")
    vary = run_sensitivity(rubric, ev, AS_OF, draws=4000, seed=5, vary="weights,aggregation,findings")
    assert vary.drawn_findings == [1, 0]
    assert vary.low[0] < fixed.low[0] and vary.high[0] > fixed.high[0]


def test_no_python_loop_over_draws(mini, monkeypatch):
    # the draw count must not change how many times decide() runs
    import importlib

    sens = importlib.import_module("assess.analyses.sensitivity")  # the module: `assess.sensitivity` is the api function

    calls = []
    real = sens.score_country
    monkeypatch.setattr(sens, "score_country", lambda *a, **k: calls.append(1) or real(*a, **k))
    rubric, ev = mini
    run_sensitivity(rubric, ev, AS_OF, draws=10, seed=1)
    few = len(calls)
    calls.clear()
    run_sensitivity(rubric, ev, AS_OF, draws=20000, seed=1)
    assert len(calls) == few


def test_cli(mini):
    args = ["sensitivity", "NLD", "FRA", "--as-of", "2012-06-30", "--draws", "500", "--seed", "1", "--data", str(MINI)]
    r1 = runner.invoke(app, args + ["--format", "json"])
    r2 = runner.invoke(app, args + ["--format", "json"])
    assert r1.exit_code == 0, r1.output
    assert r1.output == r2.output
    doc = json.loads(r1.output)
    assert doc["countries"][0]["country"] == "NLD" and doc["statements"]
    assert runner.invoke(app, args[:-2] + ["--draws", "0", "--data", str(MINI)]).exit_code == 2
    r = runner.invoke(app, args)
    # more than the weights vary: the draws are "draws", not "weightings"
    assert "5-95% interval" in r.output and "of draws" in r.output and "weightings" not in r.output
    assert "Varied in each draw:" in r.output


def test_percentiles_are_each_rows_nanpercentile_to_the_last_bit():
    """Rows with every draw go through one np.percentile call, rows missing
    some draws one by one: both must give what np.nanpercentile gives row by
    row (the sensitivity JSON is compared byte for byte in CI), and a row
    with no draw at all gives None."""
    import warnings

    import numpy as np

    from assess.analyses.sensitivity import percentiles

    rng = np.random.default_rng(11)
    columns = rng.random((6, 999)) * 100
    columns[1, ::7] = np.nan  # missing some draws
    columns[3] = np.nan  # no index in any draw
    columns[4, 0] = np.nan
    got = percentiles(columns, (5, 50, 95))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the all-NaN row
        for k, q in enumerate((5, 50, 95)):
            for i in range(6):
                expected = np.nanpercentile(columns[i], q)
                if i == 3:
                    assert got[k][i] is None
                else:
                    assert got[k][i] == float(expected) and type(got[k][i]) is float, (q, i)


@pytest.mark.parametrize("tiers", range(1, 13))
def test_tier_sums_add_as_numpy_sums_the_draws_of_any_number_of_tiers(tiers):
    """The index of each draw sums over the tiers; the sums must be numpy's
    own over the last axis, bit for bit (left to right below eight terms,
    pairwise from eight), whatever the rubric's number of tiers."""
    import numpy as np

    from assess.analyses.sensitivity import _tier_sum

    rng = np.random.default_rng(tiers)
    laid_out = rng.random((500, 7, tiers)) * rng.choice([1e-6, 1.0, 1e6], size=(500, 7, tiers))
    planes = np.ascontiguousarray(np.moveaxis(laid_out, -1, 0))
    assert np.array_equal(_tier_sum(planes), laid_out.sum(axis=2))


# ---------------------------------------------------------------- what is unknown, by hand (issue 14, section 4)

TINY_RUBRIC = """
    id: tiny
    version: 0.1.0
    default: true
    title: {{en: Tiny rubric}}
    scale:
      - {{level: 0, label: Absent}}
      - {{level: 1, label: Indirect}}
      - {{level: 2, label: Explicit}}
      - {{level: 3, label: Operational}}
    scoring:
      rule: highest
      bands:
        - {{min: 0, label: Low}}
    {uncertainty}
    tiers:
      - id: t
        title: The only tier
        weight: 1
        accepts: [constitution]
        criteria:
          - {{id: a, title: A, question: A?, levels: {{0: none, 1: some, 2: explicit, 3: operational}}, weight: 1}}
          - {{id: b, title: B, question: B?, levels: {{0: none, 1: some, 2: explicit, 3: operational}}, weight: 1}}
"""


def tiny(tmp_path, findings: str, uncertainty: str = "", confidence: str = "") -> tuple:
    """A workspace with one tier of two criteria a and b (weight 1 each, scale
    0-3) and one country, Norway, with one Constitution in force since 2000;
    no traced_from, so a criterion no finding answers is not assessed."""
    ws = tmp_path / "tiny"
    write(ws / "criteria" / "document-types.yaml", """
        document_types:
          - {id: constitution, title: Constitution}
    """)
    write(ws / "criteria" / "tiny.yaml", TINY_RUBRIC.format(uncertainty=uncertainty))
    write(ws / "evidence" / "NOR" / "country.yaml", """
        country:
          iso3: NOR
          name: {en: Norway}
    """)
    (ws / "evidence" / "NOR" / "constitution.yaml").write_text(
        "documents:\n"
        f"  - {{id: nor-const, type: constitution, title: Constitution, in_force_from: 2000-01-01, url: https://example.org/no{confidence}}}\n"
        "findings:\n" + findings, encoding="utf-8")
    loaded = assess.load_data(str(ws))
    assert not [p for p in loaded.problems if p.severity == "error"], loaded.problems
    return ws, assess.pick_rubric(loaded), [loaded.countries["NOR"]]


A_VERIFIED_3 = "  - {id: f-a, criterion: a, document: nor-const, locator: Art. 1, quote: A, level: 3, verified: true}\n"


def shares(values) -> dict:
    """Each distinct index value (rounded to 0.1) and its share of the draws."""
    found, counts = np.unique(np.round(values, 1), return_counts=True)
    return {float(v): c / len(values) for v, c in zip(found, counts)}


def test_an_unassessed_criterion_is_drawn_uniformly_over_the_scale(tmp_path):
    """a is 3 of 3 (a verified finding), b is not assessed. With the weights
    fixed (1 and 1) and the arithmetic mean, a draw that gives b the level L
    scores the tier, and so the index, 100 * (3/3 * 1 + L/3 * 1) / 2 =
    100 * (3 + L) / 6; L is uniform on {0, 1, 2, 3}, so the draws take exactly
    the values 50, 66.7, 83.3 and 100, each a quarter of the time (within
    0.02 for 20,000 draws: the standard error of a share of 1/4 is 0.003)."""
    _, rubric, ev = tiny(tmp_path, A_VERIFIED_3)
    s = run_sensitivity(rubric, ev, AS_OF, draws=20_000, seed=4, vary="unassessed")
    assert s.point == [100.0] and s.drawn_unassessed == [1] and s.drawn_findings == [0]
    got = shares(s.values[0])
    assert sorted(got) == [50.0, 66.7, 83.3, 100.0]
    for value in (100 * (3 + level) / 6 for level in range(4)):
        assert got[round(value, 1)] == pytest.approx(0.25, abs=0.02)
    # the interval runs from the lowest value to the highest: the 5th percentile of
    # draws a quarter of which are 50 is 50, the 95th of those a quarter 100 is 100
    assert (s.low[0], s.high[0]) == (pytest.approx(50.0), pytest.approx(100.0))
    # the same draws, weights fixed: the index lies in the possible range 50..100
    assert (s.range_low[0], s.range_high[0]) == (pytest.approx(50.0), pytest.approx(100.0))


def test_the_rubrics_prior_replaces_the_uniform_draw(tmp_path):
    """`unassessed: {0: 1, 3: 3}`: b is 0 a quarter of the time and 3 three
    quarters (1 and 2 never), so the index 100 * (3 + L) / 6 is 50 a quarter of
    the time and 100 three quarters."""
    _, rubric, ev = tiny(tmp_path, A_VERIFIED_3, uncertainty="  uncertainty: {unassessed: {0: 1, 3: 3}}")
    s = run_sensitivity(rubric, ev, AS_OF, draws=20_000, seed=4, vary="unassessed")
    got = shares(s.values[0])
    assert sorted(got) == [50.0, 100.0]
    assert got[50.0] == pytest.approx(0.25, abs=0.02) and got[100.0] == pytest.approx(0.75, abs=0.02)
    assert s.sources()[2] == ("unassessed", True, "the level of each criterion not assessed, drawn from the rubric's prior (0: 25%, 3: 75%)")


def test_a_level_resting_on_an_uncertain_finding_moves_one_step(tmp_path):
    """a is 3 (verified); b rests on an unverified finding at level 2 and on
    nothing else. Each draw gives b the level 2 - 1, 2 or 2 + 1, each a third
    of the time, so the index 100 * (3 + L) / 6 is 66.7, 83.3 or 100, a third
    each. A second country-wide check: at the top of the scale the step up is
    clipped, so an unverified 3 is 2 a third of the time and 3 two thirds."""
    b_unverified = "  - {id: f-b, criterion: b, document: nor-const, locator: Art. 2, quote: B, level: 2, verified: false}\n"
    _, rubric, ev = tiny(tmp_path, A_VERIFIED_3 + b_unverified)
    s = run_sensitivity(rubric, ev, AS_OF, draws=30_000, seed=2, vary="findings")
    assert s.drawn_findings == [1] and s.drawn_unassessed == [0]
    got = shares(s.values[0])
    assert sorted(got) == [66.7, 83.3, 100.0]
    assert all(share == pytest.approx(1 / 3, abs=0.02) for share in got.values())

    b_top = b_unverified.replace("level: 2", "level: 3")
    _, rubric, ev = tiny(tmp_path, A_VERIFIED_3 + b_top)
    got = shares(run_sensitivity(rubric, ev, AS_OF, draws=30_000, seed=2, vary="findings").values[0])
    assert sorted(got) == [83.3, 100.0]  # (3 + 2) / 6 and (3 + 3) / 6
    assert got[83.3] == pytest.approx(1 / 3, abs=0.02) and got[100.0] == pytest.approx(2 / 3, abs=0.02)


def test_a_certain_finding_bounds_the_draw_and_confidence_is_the_lower_of_finding_and_document(tmp_path):
    """b has a verified finding at 2 and an unverified one at 3, so b = 3 as
    coded; the certain finding alone gives 2, so a draw gives b 2 or 3, never
    1 (3 - 1 = 2, 3, 3 + 1 clipped to 3: 2 a third of the time, 3 two
    thirds). Then the same on confidence: a verified finding of a
    low-confidence document is uncertain (the rubric's default kinds are
    unverified and low-confidence); of a medium-confidence one it is not."""
    findings = A_VERIFIED_3 + (
        "  - {id: f-b1, criterion: b, document: nor-const, locator: Art. 2, quote: B, level: 2, verified: true}\n"
        "  - {id: f-b2, criterion: b, document: nor-const, locator: Art. 3, quote: B more, level: 3, verified: false}\n")
    _, rubric, ev = tiny(tmp_path, findings)
    got = shares(run_sensitivity(rubric, ev, AS_OF, draws=30_000, seed=6, vary="findings").values[0])
    assert sorted(got) == [83.3, 100.0]
    assert got[83.3] == pytest.approx(1 / 3, abs=0.02)

    b_verified_2 = "  - {id: f-b, criterion: b, document: nor-const, locator: Art. 2, quote: B, level: 2, verified: true}\n"
    _, rubric, ev = tiny(tmp_path, A_VERIFIED_3 + b_verified_2, confidence=", confidence: low")
    s = run_sensitivity(rubric, ev, AS_OF, draws=3000, seed=6, vary="findings")
    assert s.drawn_findings == [2]  # a (3: 2 or 3) and b (2: 1, 2 or 3) both rest on the low-confidence document
    _, rubric, ev = tiny(tmp_path, A_VERIFIED_3 + b_verified_2, confidence=", confidence: medium")
    s = run_sensitivity(rubric, ev, AS_OF, draws=3000, seed=6, vary="findings")
    assert s.drawn_findings == [0] and s.low[0] == s.high[0] == pytest.approx(100 * 5 / 6)


def test_a_rubric_without_uncertain_findings_cannot_vary_them(tmp_path):
    _, rubric, ev = tiny(tmp_path, A_VERIFIED_3, uncertainty="  uncertainty: {findings: []}")
    s = run_sensitivity(rubric, ev, AS_OF, draws=100, seed=1)
    assert s.varied == ("weights", "aggregation", "unassessed")  # the default: all the rubric allows
    with pytest.raises(ValueError, match="lists no uncertain findings"):
        run_sensitivity(rubric, ev, AS_OF, draws=100, seed=1, vary="findings")


# ---------------------------------------------------------------- thin evidence, shipped data (issue 14, what it must show)


@pytest.fixture(scope="module")
def thin_workspace(tmp_path_factory):
    """The shipped rubric and evidence (Kazakhstan 15 of 16 criteria assessed
    as of 2021-06-30, Russia 14) plus Iceland, with one finding on one
    criterion of 16 and nothing declared traced, so 15 are not assessed."""
    import shutil

    ws = tmp_path_factory.mktemp("thin") / "ws"
    shutil.copytree(FROZEN / "criteria", ws / "criteria")  # the shipped data frozen on 2026-11-30
    shutil.copytree(FROZEN / "evidence", ws / "evidence")
    write(ws / "evidence" / "ISL" / "country.yaml", """
        country:
          iso3: ISL
          name: {en: Iceland, ru: Исландия, kk: Исландия}
          legislatures:
            - {id: isl-althingi, name: Althingi, from: 1991-05-31, chambers: []}
    """)
    write(ws / "evidence" / "ISL" / "constitution.yaml", """
        documents:
          - {id: isl-const, type: constitution, title: Constitution, in_force_from: 1944-06-17, url: https://example.org/is}
        findings:
          - {id: isl-1, criterion: con-treaties, document: isl-const, locator: Art. 21, quote: The President concludes treaties, level: 3, verified: true}
    """)
    return ws


THIN = ["sensitivity", "KAZ", "RUS", "ISL", "--as-of", "2021-06-30", "--draws", "4000", "--seed", "3", "--format", "json"]


def test_the_thin_country_has_the_widest_interval(thin_workspace):
    """Iceland's 15 unassessed criteria, each drawn over 0-3, open its interval
    wider than Kazakhstan's (1 not assessed, 10 on unverified findings moving
    a step) and Russia's. Before issue 14 it had the narrowest: a single
    criterion, which no weighting moves."""
    r = runner.invoke(app, THIN + ["--data", str(thin_workspace)])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["varied"] == ["weights", "aggregation", "unassessed", "findings"] and doc["fixed"] == []
    width = {c["country"]: c["p95"] - c["p5"] for c in doc["countries"]}
    drawn = {c["country"]: c["drawn_unassessed"] for c in doc["countries"]}
    assert drawn == {"KAZ": 1, "RUS": 2, "ISL": 15}
    assert width["ISL"] > width["KAZ"] and width["ISL"] > width["RUS"], width
    assert width["ISL"] > 25  # 15 of 16 criteria unknown: not a point


def test_no_hundred_percent_against_an_overlapping_range(thin_workspace):
    """Weights only: Iceland's one criterion (3 of 3) is 100 in every draw, so
    it ranks above Kazakhstan and Russia in every draw; but its possible range
    (6.2-100: the 15 open criteria at 0 or at 3) overlaps theirs, so no
    statement says 100%: "in more than 99% of draws; their possible ranges
    overlap". Default sources: no "100%" where the ranges overlap either."""
    for extra in (["--vary", "weights"], []):
        r = runner.invoke(app, THIN + extra + ["--data", str(thin_workspace)])
        assert r.exit_code == 0, r.output
        doc = json.loads(r.output)
        ranges = {c["name"]: (c["range_low"], c["range_high"]) for c in doc["countries"]}
        assert ranges["Iceland"] == (6.25, 100.0)  # 15 of 16 criteria open: at 0, or at 3
        assert len(doc["statements"]) == 3
        for statement in doc["statements"]:
            a, b = statement.split(" ranks above ")[0], statement.split(" ranks above ")[1].split(" in ")[0]
            (lo_a, hi_a), (lo_b, hi_b) = ranges[a], ranges[b]
            if lo_a <= hi_b and lo_b <= hi_a:  # every pair here overlaps (Iceland's range is almost the scale)
                assert "100%" not in statement, statement
        if extra:
            assert doc["varied"] == ["weights"] and doc["fixed"] == ["aggregation", "unassessed", "findings"]
            isl = next(c for c in doc["countries"] if c["country"] == "ISL")
            assert isl["ranks_above"] == {"KAZ": 1.0, "RUS": 1.0}
            assert "Iceland ranks above Kazakhstan in more than 99% of draws; their possible ranges overlap" in doc["statements"]
    r = runner.invoke(app, THIN[:-2] + ["--vary", "weights", "--lang", "ru", "--data", str(thin_workspace)])
    assert "Исландия выше, чем Казахстан, более чем в 99\u00a0% вариантов расчёта; их возможные диапазоны пересекаются" in r.output


def test_every_output_says_what_was_varied(thin_workspace):
    r = runner.invoke(app, THIN[:-2] + ["--vary", "weights,unassessed", "--data", str(thin_workspace)])
    assert r.exit_code == 0, r.output
    out = r.output
    assert out.index("Varied in each draw:") < out.index("tier and criterion weights") < out.index("Held fixed:")
    assert "the level of each criterion not assessed, drawn uniformly from 0 to 3" in out
    assert "the arithmetic mean of tier scores" in out and "every finding counts at its coded level" in out
    ctx = assess.report_context(["KAZ", "RUS", "ISL"], as_of="2021-06-30", data=str(thin_workspace), draws=300)
    sens = ctx["sensitivity"]
    assert [v["source"] for v in sens["varied"]] == ["weights", "aggregation", "unassessed", "findings"]
    assert sens["fixed"] == []


def test_a_countrys_draws_do_not_depend_on_the_others_in_the_run(thin_workspace):
    """The weights come from the seed alone and each country's drawn levels
    from the seed and its code: Kazakhstan alone or beside two others gets the
    same draws, to the last bit."""
    loaded = assess.load_data(str(thin_workspace))
    rubric = assess.pick_rubric(loaded)
    day = dt.date(2021, 6, 30)
    alone = run_sensitivity(rubric, [loaded.countries["KAZ"]], day, draws=1000, seed=9)
    beside = run_sensitivity(rubric, [loaded.countries[c] for c in ("ISL", "KAZ", "RUS")], day, draws=1000, seed=9)
    assert np.array_equal(alone.values[0], beside.values[1])
    assert (alone.low[0], alone.median[0], alone.high[0]) == (beside.low[1], beside.median[1], beside.high[1])


def test_weights_and_aggregation_alone_draw_what_every_draw_drew_before():
    """The weights and the aggregation rule are drawn first, from the seed, as
    before issue 14: with only them varied, the shipped 2021 figures are the
    ones the command printed then (Kazakhstan 71.8-81.1, Russia 82.7-89.4
    with 10,000 draws and seed 0)."""
    s = assess.compute_sensitivity(["KAZ", "RUS"], draws=10_000, seed=0, as_of="2021-06-30", vary="weights,aggregation",
                           data=str(FROZEN))  # the shipped data frozen on 2026-11-30 (2021 figures as before)
    assert [round(x, 1) for x in s.low + s.high] == [71.8, 82.7, 81.1, 89.4]


@pytest.mark.parametrize("args, message", [
    (["--unverified", "vary"], "--vary findings"),
    (["--unverified", "full"], "--vary weights,aggregation,unassessed"),
    (["--vary", "weight"], "unknown source 'weight'; expected a comma list of weights, aggregation, unassessed, findings"),
    (["--vary", ","], "name at least one of"),
    (["--seed", "-1"], "--seed must be 0 or more"),
])
def test_usage_errors(args, message):
    r = runner.invoke(app, ["sensitivity", "NLD", "--draws", "10", "--data", str(MINI)] + args)
    assert r.exit_code == 2 and message in r.output, r.output
    assert "Traceback" not in r.output


def test_a_criterions_uniforms_do_not_depend_on_which_others_are_drawn():
    """A country's stream gives criterion c the row c of its criteria x draws
    uniforms; the rows of criteria not drawn are skipped, not drawn, and the
    rows that are drawn are those of drawing them all."""
    from assess.analyses.sensitivity import _uniforms

    every = np.random.default_rng([7, 1, int.from_bytes(b"KAZ", "big")]).random((16, 500))
    assert np.array_equal(_uniforms(7, "KAZ", [2, 3, 9, 15], 500), every[[2, 3, 9, 15]])
    assert np.array_equal(_uniforms(7, "KAZ", [9], 500), every[[9]])
    assert np.array_equal(_uniforms(7, "KAZ", list(range(16)), 500), every)


# ---------------------------------------------------------------- pairs shown (issue 19)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A generated world of 9 countries (benchmarks/generate.py, seed 5): more
    than the six whose every pair the statements cover by default."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    import generate

    out = tmp_path_factory.mktemp("world") / "ws"
    generate.generate(str(out), 9, 5)
    loaded = assess.load_data(str(out))
    return out, assess.pick_rubric(loaded), list(loaded.countries.values())


def test_neighbour_shares_are_those_of_every_pair(world):
    """Only the neighbours' shares are counted by default; each is the share
    that counting every pair gives (the same count over the same draws), and
    each is worked out by hand here from the draws: the number of draws in
    which one country's index is above the other's, over the draws."""
    _, rubric, evidence = world
    day = dt.date(2020, 1, 1)
    every = run_sensitivity(rubric, evidence, day, draws=1500, seed=4, pairs="all")
    shown = run_sensitivity(rubric, evidence, day, draws=1500, seed=4)
    n = len(evidence)
    assert n == 9 and not shown.every_pair and every.every_pair
    assert np.array_equal(every.values, shown.values, equal_nan=True)
    assert (every.median, every.low, every.high) == (shown.median, shown.low, shown.high)
    neighbours = shown.shown_pairs()
    assert len(neighbours) == n - 1 and len(every.shown_pairs()) == n * (n - 1) // 2
    # the default counted the neighbours both ways round and nothing else: no N x N work
    assert set(shown._shares) == {p for i, j in neighbours for p in ((i, j), (j, i))}
    ranked = shown.ranked()
    assert [shown.median[i] for i in ranked] == sorted(shown.median, reverse=True)
    assert {frozenset(p) for p in neighbours} == {frozenset(p) for p in zip(ranked, ranked[1:])}
    for i, j in neighbours:
        by_hand = sum(1 for x, y in zip(every.values[i], every.values[j]) if x > y) / 1500
        assert shown.share(i, j) == every.share(i, j) == every.above[i][j] == by_hand
        assert shown.statement(*shown.order(i, j)) == every.statement(*every.order(i, j))
    # a pair not shown is counted when asked for, the same number
    i, j = next((i, j) for i in range(n) for j in range(i + 1, n) if (i, j) not in neighbours)
    assert shown.above[i][j] == every.share(i, j)


def test_json_and_table_say_which_pairs(world):
    ws, _, _ = world
    base = ["sensitivity", "--all", "--as-of", "2020-01-01", "--draws", "300", "--data", str(ws)]
    doc = json.loads(runner.invoke(app, base + ["--format", "json"]).output)
    assert doc["pairs"] == "neighbours" and len(doc["statements"]) == 8
    # each country lists the one or two it neighbours: 2 x 8 entries, not 9 x 8
    assert sum(len(c["ranks_above"]) for c in doc["countries"]) == 16
    every = json.loads(runner.invoke(app, base + ["--format", "json", "--pairs", "all"]).output)
    assert every["pairs"] == "all" and len(every["statements"]) == 36
    assert all(len(c["ranks_above"]) == 8 for c in every["countries"])
    assert set(doc["statements"]) <= set(every["statements"])
    for c, d in zip(doc["countries"], every["countries"]):
        assert c["ranks_above"] == {k: d["ranks_above"][k] for k in c["ranks_above"]}
    table = runner.invoke(app, base).output
    assert "Neighbours in the ranking by median index, 8 of 36 pairs (--pairs all gives every pair):" in table
    assert "Neighbours in the ranking" not in runner.invoke(app, base + ["--pairs", "all"]).output
    r = runner.invoke(app, base + ["--pairs", "some"])
    assert r.exit_code == 2 and "--pairs must be one of auto, neighbours, all" in r.output, r.output


def test_a_few_countries_keep_every_pair_by_default(mini):
    rubric, ev = mini
    s = run_sensitivity(rubric, ev, AS_OF, draws=100, seed=1)
    assert s.every_pair and s.shown_pairs() == [(0, 1)]
    assert run_sensitivity(rubric, ev, AS_OF, draws=100, seed=1, pairs="neighbours").shown_pairs() == [(0, 1)]
    with pytest.raises(ValueError):
        run_sensitivity(rubric, ev, AS_OF, draws=100, seed=1, pairs="most")


def test_every_pair_of_many_countries_counts_each_pair_as_one_pair_alone(world):
    """pairs="all" beyond six countries counts a row of pairs at a time into
    an N x N array: each share the same number as counting the pair alone."""
    _, rubric, evidence = world
    day = dt.date(2020, 1, 1)
    every = run_sensitivity(rubric, evidence, day, draws=700, seed=2, pairs="all")
    alone = run_sensitivity(rubric, evidence, day, draws=700, seed=2, pairs="neighbours")
    assert every._matrix is not None and alone._matrix is None
    n = len(evidence)
    for i in range(n):
        for j in range(n):
            assert every.share(i, j) == alone.share(i, j)
            assert (every.share(i, j) is None) == (i == j)
