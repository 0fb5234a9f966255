"""Sensitivity: reproducible, vectorized, and consistent with the point index."""

import datetime as dt
import json

import numpy as np
import pytest
from typer.testing import CliRunner

import assess
from assess.cli import app
from assess.sensitivity import run_sensitivity

from conftest import MINI

runner = CliRunner()
AS_OF = dt.date(2012, 6, 30)


@pytest.fixture(scope="module")
def mini():
    loaded = assess.load(str(MINI))
    return assess.pick_rubric(loaded), [loaded.countries["NLD"], loaded.countries["FRA"]]


def test_same_seed_same_numbers(mini):
    rubric, ev = mini
    a = run_sensitivity(rubric, ev, AS_OF, draws=2000, seed=7)
    b = run_sensitivity(rubric, ev, AS_OF, draws=2000, seed=7)
    c = run_sensitivity(rubric, ev, AS_OF, draws=2000, seed=8)
    assert (a.median, a.low, a.high, a.above) == (b.median, b.low, b.high, b.above)
    assert a.median != c.median


def test_interval_contains_the_point_index(mini):
    rubric, ev = mini
    s = run_sensitivity(rubric, ev, AS_OF, draws=5000, seed=1)
    for point, low, high in zip(s.point, s.low, s.high):
        assert low - 1e-9 <= point <= high + 1e-9


def test_no_perturbation_reproduces_the_point_index(mini):
    # a huge concentration pins the weights; no geometric draws: every draw is the rubric's own index
    rubric, ev = mini
    s = run_sensitivity(rubric, ev, AS_OF, draws=200, seed=1, concentration=1e9, p_geometric=0.0)
    for point, low, high in zip(s.point, s.low, s.high):
        assert low == pytest.approx(point, abs=0.01) and high == pytest.approx(point, abs=0.01)


def test_single_criterion_country_is_stable(mini):
    # FRA has one scored criterion (l1 = 1/3) in one tier: no weighting can move it
    rubric, ev = mini
    s = run_sensitivity(rubric, ev, AS_OF, draws=1000, seed=3)
    assert s.low[1] == pytest.approx(100 / 3) and s.high[1] == pytest.approx(100 / 3)


def test_rank_shares_are_complementary(mini):
    rubric, ev = mini
    s = run_sensitivity(rubric, ev, AS_OF, draws=3000, seed=2)
    assert s.above[0][1] + s.above[1][0] == pytest.approx(1.0, abs=1e-9)  # no ties between 55.6-ish and 33.3
    assert s.statement(0, 1).startswith("Netherlands ranks above France in ")


def test_unverified_vary_lowers_the_floor(mini):
    # NLD's l1 rests on an unverified finding; excluding it must widen the interval downwards
    rubric, ev = mini
    full = run_sensitivity(rubric, ev, AS_OF, draws=4000, seed=5)
    vary = run_sensitivity(rubric, ev, AS_OF, draws=4000, seed=5, unverified="vary")
    assert vary.low[0] < full.low[0]


def test_no_python_loop_over_draws(mini, monkeypatch):
    # the draw count must not change how many times decide() runs
    import importlib

    sens = importlib.import_module("assess.sensitivity")  # the module: `assess.sensitivity` is the api function

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
    assert "5-95% interval" in r.output and "of weightings" in r.output


def test_percentiles_are_each_rows_nanpercentile_to_the_last_bit():
    """Rows with every draw go through one np.percentile call, rows missing
    some draws one by one: both must give what np.nanpercentile gives row by
    row (the sensitivity JSON is compared byte for byte in CI), and a row
    with no draw at all gives None."""
    import warnings

    import numpy as np

    from assess.sensitivity import _percentiles

    rng = np.random.default_rng(11)
    columns = rng.random((6, 999)) * 100
    columns[1, ::7] = np.nan  # missing some draws
    columns[3] = np.nan  # no index in any draw
    columns[4, 0] = np.nan
    got = _percentiles(columns, (5, 50, 95))
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

    from assess.sensitivity import _tier_sum

    rng = np.random.default_rng(tiers)
    laid_out = rng.random((500, 7, tiers)) * rng.choice([1e-6, 1.0, 1e6], size=(500, 7, tiers))
    planes = np.ascontiguousarray(np.moveaxis(laid_out, -1, 0))
    assert np.array_equal(_tier_sum(planes), laid_out.sum(axis=2))
