"""Ranks (score.standings) are competition ranks: 1 + the number of eligible
countries whose index is above this one's by more than 1e-9. They are counted
with a sorted list and bisect (a scan per country made 2,000 countries four
million comparisons); here they are compared with that definition, counted
the slow way, on ties, near-ties within and beyond 1e-9, and countries left
unranked."""

from __future__ import annotations

import random
from types import SimpleNamespace

from assess.scoring.score import Aggregate, standings


def _country(code, score, scored=10, total=10):
    overall = Aggregate(score, score, score, 1.0, total, scored, 0, total - scored)
    return SimpleNamespace(overall=overall, evidence=SimpleNamespace(iso3=code))


def test_ranks_are_competition_ranks_by_definition():
    rng = random.Random(7)
    rubric = SimpleNamespace(band_min_coverage=0.5)
    for _ in range(200):
        base = [rng.choice([10.0, 20.0, 20.0, 33.3, 50.0]) for _ in range(rng.randint(1, 30))]
        scores = [s + rng.choice([0.0, 0.0, 5e-10, -5e-10, 2e-9, -2e-9]) for s in base]
        countries = [_country(f"C{i:02d}", s, scored=rng.choice([2, 10])) if rng.random() > 0.1 else _country(f"C{i:02d}", None, 0)
                     for i, s in enumerate(scores)]
        got = standings(rubric, countries)
        eligible = [c.overall.score for c in countries if c.overall.score is not None and c.overall.coverage >= 0.5]
        for c, st in zip(countries, got):
            o = c.overall
            if o.score is None or o.coverage < 0.5:
                assert st.rank is None and not st.ranked
            else:
                assert st.rank == 1 + sum(1 for other in eligible if other > o.score + 1e-9)


def test_ties_share_a_rank_and_the_next_rank_skips():
    rubric = SimpleNamespace(band_min_coverage=0.0)
    got = standings(rubric, [_country("A", 50.0), _country("B", 70.0), _country("C", 50.0), _country("D", 20.0)])
    assert [s.rank for s in got] == [2, 1, 2, 4]
