"""How much the index depends on the choices the rubric fixes.

A Monte Carlo over those choices, vectorized with numpy (no loop over draws):

- weights: each draw takes tier weights from a Dirichlet distribution centred
  on the rubric's tier weights, and criterion weights within each tier from a
  Dirichlet centred on the rubric's criterion weights. The concentration
  (default 20: each weight's share varies by roughly +-30 % of itself for four
  equal tiers) says how far the draws stray: higher is closer to the rubric;
- aggregation: each draw combines tier scores by the arithmetic mean or, with
  probability `p_geometric`, the geometric mean (tier scores floored at 1
  point so that a zero tier does not wipe the index out);
- unverified findings (optional): each draw counts them in full, at half
  value, or not at all.

Criteria not assessed or not applicable are left out in every draw, as in the
point score, and the weights of what remains are renormalised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import progress
from .model import CountryEvidence, Rubric
from .score import SCORED, score_country

DEFAULT_CONCENTRATION = 20.0
GEOMETRIC_FLOOR = 1.0
UNVERIFIED_CHOICES = ("full", "vary")
QUANTILES = (5, 50, 95)  # the interval's ends and the median


@dataclass
class Sensitivity:
    rubric: Rubric
    as_of: dt.date
    countries: list[CountryEvidence]
    draws: int
    seed: int
    concentration: float
    point: list[float | None]  # the index with the rubric's own choices
    median: list[float | None]
    low: list[float | None]  # 5th percentile
    high: list[float | None]  # 95th percentile
    above: list[list[float | None]]  # above[i][j]: share of draws in which country i ranks above country j

    def statement(self, i: int, j: int, lang: str = "en") -> str:
        a, b = self.countries[i].country.name.get(lang), self.countries[j].country.name.get(lang)
        share = self.above[i][j]
        if share is None:
            return f"{a} and {b} cannot be compared: one of them has no index"
        return f"{a} ranks above {b} in {100 * share:.0f}% of weightings"


def _level_matrix(rubric: Rubric, evidence: list[CountryEvidence], as_of: dt.date, unverified_policy: str, scores: list | None = None):
    """Criterion scores (0-1) per country, NaN where not scored. With `scores`
    (a list), each country's CountryScore is appended to it."""
    import numpy as np

    from dataclasses import replace

    r = replace(rubric, unverified=unverified_policy)
    crits = rubric.criteria
    out = np.full((len(evidence), len(crits)), np.nan)
    for n, ev in enumerate(progress.track(evidence, "scoring")):
        cs = score_country(r, ev, as_of)
        if scores is not None:
            scores.append(cs)
        for c, res in enumerate(cs.criteria):
            if res.status == SCORED:
                out[n, c] = res.level / rubric.max_level
    return out


def _levels_of(scores: list, rubric: Rubric):
    """_level_matrix from CountryScores already at hand."""
    import numpy as np

    out = np.full((len(scores), len(rubric.criteria)), np.nan)
    for n, cs in enumerate(scores):
        for c, res in enumerate(cs.criteria):
            if res.status == SCORED:
                out[n, c] = res.level / rubric.max_level
    return out


# draws x countries cells worked on at once: the arrays of one block stay
# around 8 MB each however many draws and countries there are
BLOCK_CELLS = 1 << 20


def run_sensitivity(rubric: Rubric, evidence: list[CountryEvidence], as_of: dt.date, draws: int = 10_000, seed: int = 0,
                    concentration: float = DEFAULT_CONCENTRATION, p_geometric: float = 0.5, unverified: str = "full",
                    scored: list | None = None) -> Sensitivity:
    """`scored`, the CountryScores of these countries on this rubric and date
    (score_country), saves scoring them again where the rubric counts
    unverified findings (its own scores are then the "count" ones)."""
    import numpy as np

    if draws < 1:
        raise ValueError("draws must be 1 or more")
    rng = np.random.default_rng(seed)
    crits = rubric.criteria
    tiers = rubric.tiers
    # the criteria of each tier, in rubric order (a criterion counts in every tier whose id it names)
    members = [[i for i, c in enumerate(crits) if c.tier == t.id] for t in tiers]

    counted: list = []
    if scored is not None and rubric.unverified == "count" and len(scored) == len(evidence) \
            and all(cs.evidence is ev for cs, ev in zip(scored, evidence)):
        counted = list(scored)
        full = _levels_of(counted, rubric)
    else:
        full = _level_matrix(rubric, evidence, as_of, "count", counted)  # N x C
    if unverified == "vary":
        excluded = _level_matrix(rubric, evidence, as_of, "exclude")
        # where excluding unverified findings leaves a criterion unassessed, it scores 0 under "exclude"
        excluded = np.where(np.isnan(excluded) & ~np.isnan(full), 0.0, excluded)
        choice = rng.integers(0, 3, size=draws)  # 0 full, 1 half, 2 excluded
        half = (full + excluded) / 2
        stack = np.stack([full, half, excluded])  # 3 x N x C
    else:
        choice = stack = None

    # criterion weights: a Dirichlet within each tier, centred on the rubric's weights
    W = np.empty((draws, len(crits)))
    for t_index, tier in enumerate(tiers):
        idx = [i for i, c in enumerate(crits) if c.tier == tier.id]
        base = np.array([crits[i].weight for i in idx], dtype=float)
        if base.sum() <= 0 or len(idx) == 1:
            W[:, idx] = base if len(idx) else 0
            continue
        W[:, idx] = rng.dirichlet(concentration * base / base.sum() * len(idx), size=draws) * base.sum()
    tier_base = np.array([t.weight for t in tiers], dtype=float)
    if len(tiers) > 1 and tier_base.sum() > 0:
        V = rng.dirichlet(concentration * tier_base / tier_base.sum() * len(tiers), size=draws) * tier_base.sum()
    else:
        V = np.broadcast_to(tier_base, (draws, len(tiers)))
    geometric = rng.random(draws) < p_geometric

    # The index of every draw and country (D x N), a block of countries at a
    # time. Nothing of size draws x countries x criteria is built: a tier's
    # weighted sum over its criteria is accumulated criterion by criterion on
    # draws x block arrays. That is the sum einsum("dc,dnc,ct->dnt") formed,
    # term by term in the same order (the terms of other tiers it added were
    # exact zeros), so the numbers are the same to the last bit.
    n = len(evidence)
    overall = np.empty((draws, n))
    block = max(1, BLOCK_CELLS // (draws * max(1, len(tiers))))
    advance = progress.task(f"sensitivity ({draws:,} draws)", n, worth=n >= progress.MIN_STEPS or draws * n >= 2_000_000)
    for a in range(0, n, block):
        b = min(n, a + block)
        if stack is None:
            levels = full[a:b]  # nb x C, the same in every draw
            known = ~np.isnan(levels)
            L0 = np.where(known, levels, 0.0)
            K = known.astype(float)
        else:
            levels = stack[:, a:b][choice]  # D x nb x C
            known = ~np.isnan(levels)
            L0 = np.where(known, levels, 0.0)
            K = known.astype(float)
        nb = b - a
        # tier-major (tiers x D x nb): the sums over tiers below add whole D x nb
        # planes, where a sum over a last axis of four would crawl
        num = np.empty((len(tiers), draws, nb))
        den = np.empty((len(tiers), draws, nb))
        acc = np.empty((draws, nb))
        term = np.empty((draws, nb))
        for t, idx in enumerate(members):
            # numerator: sum over the tier's criteria of weight x level, in criterion order
            acc.fill(0.0)
            for c in idx:
                np.multiply(W[:, c, None], L0[None, :, c] if stack is None else L0[:, :, c], out=term)
                acc += term
            num[t] = acc
            if stack is None and idx:
                # denominator: the same sum of weight x (1 if assessed): one per pattern of
                # assessed criteria, which few countries differ in, then each country's pattern
                patterns, which = np.unique(K[:, idx], axis=0, return_inverse=True)
                sums = np.zeros((draws, len(patterns)))
                for k, c in enumerate(idx):
                    sums += W[:, c, None] * patterns[None, :, k]
                den[t] = sums[:, which.reshape(-1)]
            else:
                acc.fill(0.0)
                for c in idx:
                    np.multiply(W[:, c, None], K[None, :, c] if stack is None else K[:, :, c], out=term)
                    acc += term
                den[t] = acc
        with np.errstate(invalid="ignore", divide="ignore"):
            T = np.where(den > 0, 100.0 * num / np.where(den > 0, den, 1.0), np.nan)
        del num, den
        tmask = ~np.isnan(T)
        Vn = np.where(tmask, V.T[:, :, None], 0.0)  # tiers x D x nb
        logs = np.log(np.maximum(np.where(tmask, T, GEOMETRIC_FLOOR), GEOMETRIC_FLOOR))
        vsum = _tier_sum(Vn)
        weighted = _tier_sum(np.where(tmask, T, 0.0) * Vn)
        logged = _tier_sum(logs * Vn)
        with np.errstate(invalid="ignore", divide="ignore"):
            arith = weighted / vsum
            geom = np.exp(logged / vsum)
        block_overall = np.where(geometric[:, None], geom, arith)  # D x nb
        overall[:, a:b] = np.where(vsum > 0, block_overall, np.nan)
        advance(b)

    if rubric.unverified == "count":  # the rubric's own choices are those the "count" matrix was scored with
        point = [cs.overall.score for cs in counted]
    else:
        point = [score_country(rubric, ev, as_of).overall.score for ev in evidence]
    columns = np.ascontiguousarray(overall.T)  # N x D: one country's draws in a row
    empty = np.isnan(columns).all(axis=1)
    low, median, high = _percentiles(columns, QUANTILES)
    above: list[list[float | None]] = [[None] * n for _ in range(n)]
    for i in range(n):  # a loop over countries, not draws
        if empty[i]:
            continue
        # the share of draws in which i is above j: a count over draws, divided as mean() did
        share = np.count_nonzero(columns[i] > columns, axis=1) / draws
        row = above[i]
        for j in range(n):
            if j != i and not empty[j]:
                row[j] = float(share[j])
    return Sensitivity(rubric, as_of, evidence, draws, seed, concentration, point, median, low, high, above)


def _tier_sum(planes):
    """The sum over the tiers of tiers x D x nb planes, as .sum() over the last
    axis of the same numbers laid out D x nb x tiers adds them, to the last
    bit: left to right below eight tiers (plane by plane, fast), pairwise from
    eight on (numpy's own sum, on a copy in that layout)."""
    import numpy as np

    if len(planes) >= 8:
        return np.ascontiguousarray(np.moveaxis(planes, 0, -1)).sum(axis=-1)
    total = planes[0].copy()
    for plane in planes[1:]:
        total += plane
    return total


def _percentiles(columns, quantiles) -> list[list[float | None]]:
    """For each quantile, each row's percentile of its draws, leaving out
    missing (NaN) draws; None for a row with none. What np.nanpercentile gives
    row by row, with the rows that miss no draw in one call."""
    import numpy as np

    n = len(columns)
    out: list[list[float | None]] = [[None] * n for _ in quantiles]
    missing = np.isnan(columns)
    whole = ~missing.any(axis=1)
    if whole.any():
        rows = np.flatnonzero(whole)
        for k, values in enumerate(np.percentile(columns[rows], quantiles, axis=1)):
            for i, v in zip(rows.tolist(), values.tolist()):
                out[k][i] = v
    for i in np.flatnonzero(~whole & ~missing.all(axis=1)).tolist():
        for k, v in enumerate(np.nanpercentile(columns[i], quantiles).tolist()):
            out[k][i] = v
    return out
