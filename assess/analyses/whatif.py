"""What would a scenario change? The base evidence against the same evidence
with a scenario's overlay (assess.scenario), for the scenario's country and
the countries it is ranked among.

- each criterion whose level or status moves, with the finding that decides
  it before and after (and whether that finding is the scenario's);
- each tier and the index like with like: on the criteria assessed on both
  sides (score.commonly_assessed / restrict_to, as timeline and check compare),
  the raw move and the coverage move apart;
- the standing of every country named, before and after (rank, or unranked
  and why);
- the interval of the change from the sensitivity draws: both sides drawn
  with the same seed, so each draw has the same weights, aggregation rule and
  uniforms on both sides (sensitivity._uniforms: a stream per country and
  criterion), and the change is taken draw by draw. The change is larger than
  the uncertainty when its 5-95% interval leaves 0 out.

"Before" is the base as of one date (the day the scenario stood, by default),
"after" the overlay as of another (the date it assumes in force): what
passing the draft would change. On one date for both, only the overlay moves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..data.model import CountryEvidence, Rubric
from ..scoring.score import CountryScore, commonly_assessed, restrict_to, score_country, standings


@dataclass(frozen=True)
class Decider:
    """A criterion's state on one side: level, status and the findings that decide it."""

    status: str
    level: int | None
    findings: tuple[dict, ...]  # {id, document, title, locator, level, scenario}


@dataclass(frozen=True)
class Move:
    criterion: str
    tier: str
    title: str
    before: Decider
    after: Decider


@dataclass(frozen=True)
class ScoreChange:
    """A tier (scope = tier id) or the index (scope = "overall") before and after."""

    scope: str
    title: str
    before: float | None  # on every criterion assessed on that side
    after: float | None
    like_before: float | None  # on the criteria assessed on both sides
    like_after: float | None
    common: int
    assessed_before: int
    assessed_after: int
    total: int

    @property
    def delta(self) -> float | None:
        if self.like_before is None or self.like_after is None:
            return None
        return self.like_after - self.like_before


@dataclass(frozen=True)
class Standing:
    iso3: str
    name: str
    rank_before: int | None
    rank_after: int | None
    reason_before: str | None  # why unranked (score.Standing.reason)
    reason_after: str | None


@dataclass(frozen=True)
class Interval:
    draws: int
    seed: int
    low: float | None  # 5th percentile of the change, draw by draw
    median: float | None
    high: float | None
    share_down: float  # share of draws in which the index falls
    share_up: float

    @property
    def beyond(self) -> bool | None:
        """Whether the change is larger than the uncertainty: its 5-95% interval leaves 0 out."""
        if self.low is None or self.high is None:
            return None
        return self.low > 0 or self.high < 0


@dataclass
class WhatIf:
    rubric: Rubric
    scenario: object  # scenario.Scenario
    iso3: str
    name: object  # model.Text: the country's name in each language
    before_date: dt.date
    after_date: dt.date
    moves: list[Move]
    tiers: list[ScoreChange]
    overall: ScoreChange
    standings: list[Standing]
    interval: Interval | None
    unchanged: int  # criteria whose level and status stay
    before_scores: list[CountryScore] = field(default_factory=list)
    after_scores: list[CountryScore] = field(default_factory=list)


def _decider(result, scenario_ids: set[str], from_scenario: bool) -> Decider:
    found = []
    for c in result.considered:
        if not c.deciding:
            continue
        f, d = c.finding, c.document
        found.append({"id": f.id, "document": f.document, "title": d.title.get("en") if d is not None else None,
                      "locator": f.locator, "level": f.level_text, "quote": f.quote,
                      "scenario": from_scenario and (f.id in scenario_ids or (f.document in scenario_ids if f.document else False)),
                      "confidence": f.confidence, "checked": f.checked})
    return Decider(result.status, result.level, tuple(found))


def _change(scope: str, title: str, before, after, like_before, like_after, common: int) -> ScoreChange:
    return ScoreChange(scope, title, before.score, after.score, like_before.score, like_after.score, common,
                       before.scored + before.not_applicable, after.scored + after.not_applicable, before.total)


def what_if(rubric: Rubric, scenario, base: list[CountryEvidence], overlaid: list[CountryEvidence],
            before_date: dt.date, after_date: dt.date, draws: int = 2000, seed: int = 0) -> WhatIf:
    """What a scenario changes for its country: each criterion whose status or
    level moves (with the findings that decided before and after), each tier
    and the overall index before (scored on `before_date`) and after (on
    `after_date`), on all criteria and on the criteria assessed both times,
    the ranks of every country, and, with `draws` > 0, an interval for the
    change from that many draws (seeded by `seed`). `base` and `overlaid`: the
    same countries, in the same order, without and with the scenario's overlay
    (only the scenario's country differs). assess.compute_whatif checks the
    arguments and calls this.

    Returns: `WhatIf`.
    Raises: `StopIteration` when the scenario's country is not among `base`.

    Example:
        >>> w = what_if(p.rubric, scen, base, overlaid, dt.date(2026, 1, 1), scen.in_force_from, draws=0)
        >>> [m.criterion for m in w.moves]
    """
    before = [score_country(rubric, ev, before_date) for ev in base]
    after = [score_country(rubric, ev, after_date) for ev in overlaid]
    at = next(i for i, ev in enumerate(base) if ev.iso3 == scenario.country)
    b, a = before[at], after[at]
    ids = scenario.record_ids
    moves, unchanged = [], 0
    for rb, ra in zip(b.criteria, a.criteria):
        if rb.status == ra.status and rb.level == ra.level:
            unchanged += 1
            continue
        moves.append(Move(rb.criterion.id, rb.criterion.tier, rb.criterion.title.get("en"),
                          _decider(rb, ids, False), _decider(ra, ids, True)))
    common = commonly_assessed([b, a])
    lb, la = restrict_to(b, rubric, common), restrict_to(a, rubric, common)
    tiers = []
    for tier in rubric.tiers:
        n = sum(1 for c in tier.criteria if c.id in set(common))
        tiers.append(_change(tier.id, tier.title.get("en"), b.tiers[tier.id], a.tiers[tier.id],
                             lb.tiers[tier.id], la.tiers[tier.id], n))
    overall = _change("overall", "overall", b.overall, a.overall, lb.overall, la.overall, len(common))
    sb, sa = standings(rubric, before), standings(rubric, after)
    ranks = [Standing(ev.iso3, ev.country.name.get("en"), x.rank, y.rank, x.reason, y.reason)
             for ev, x, y in zip(base, sb, sa)]
    interval = _interval(rubric, base, overlaid, before, after, at, before_date, after_date, draws, seed) if draws else None
    return WhatIf(rubric, scenario, scenario.country, base[at].country.name, before_date, after_date, moves,
                  tiers, overall, ranks, interval, unchanged, before, after)


def _interval(rubric, base, overlaid, before, after, at, before_date, after_date, draws, seed) -> Interval:
    import numpy as np

    from .sensitivity import QUANTILES, percentiles, run_sensitivity

    x = run_sensitivity(rubric, base, before_date, draws=draws, seed=seed, scored=before)
    y = run_sensitivity(rubric, overlaid, after_date, draws=draws, seed=seed, scored=after)
    change = (y.values[at] - x.values[at])[None, :]
    low, median, high = (q[0] for q in percentiles(change, QUANTILES))
    valid = ~np.isnan(change[0])
    n = int(valid.sum()) or 1
    return Interval(draws, seed, low, median, high, float(np.count_nonzero(change[0][valid] < 0)) / n,
                    float(np.count_nonzero(change[0][valid] > 0)) / n)
