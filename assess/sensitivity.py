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

from .model import CountryEvidence, Rubric
from .score import SCORED, score_country

DEFAULT_CONCENTRATION = 20.0
GEOMETRIC_FLOOR = 1.0
UNVERIFIED_CHOICES = ("full", "vary")


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


def _level_matrix(rubric: Rubric, evidence: list[CountryEvidence], as_of: dt.date, unverified_policy: str):
    """Criterion scores (0-1) per country, NaN where not scored."""
    import numpy as np

    from dataclasses import replace

    r = replace(rubric, unverified=unverified_policy)
    crits = rubric.criteria
    out = np.full((len(evidence), len(crits)), np.nan)
    for n, ev in enumerate(evidence):
        cs = score_country(r, ev, as_of)
        for c, res in enumerate(cs.criteria):
            if res.status == SCORED:
                out[n, c] = res.level / rubric.max_level
    return out


def run_sensitivity(rubric: Rubric, evidence: list[CountryEvidence], as_of: dt.date, draws: int = 10_000, seed: int = 0,
                    concentration: float = DEFAULT_CONCENTRATION, p_geometric: float = 0.5, unverified: str = "full") -> Sensitivity:
    import numpy as np

    if draws < 1:
        raise ValueError("draws must be 1 or more")
    rng = np.random.default_rng(seed)
    crits = rubric.criteria
    tiers = rubric.tiers
    tier_of = np.array([[c.tier == t.id for t in tiers] for c in crits], dtype=float)  # C x T

    full = _level_matrix(rubric, evidence, as_of, "count")  # N x C
    if unverified == "vary":
        excluded = _level_matrix(rubric, evidence, as_of, "exclude")
        # where excluding unverified findings leaves a criterion unassessed, it scores 0 under "exclude"
        excluded = np.where(np.isnan(excluded) & ~np.isnan(full), 0.0, excluded)
        choice = rng.integers(0, 3, size=draws)  # 0 full, 1 half, 2 excluded
        half = (full + excluded) / 2
        stack = np.stack([full, half, excluded])  # 3 x N x C
        S = stack[choice]  # D x N x C
    else:
        S = np.broadcast_to(full, (draws,) + full.shape)
    mask = ~np.isnan(S)
    S0 = np.where(mask, S, 0.0)

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

    # tier scores: D x N x T
    num = np.einsum("dc,dnc,ct->dnt", W, S0, tier_of)
    den = np.einsum("dc,dnc,ct->dnt", W, mask.astype(float), tier_of)
    with np.errstate(invalid="ignore", divide="ignore"):
        T = np.where(den > 0, 100.0 * num / np.where(den > 0, den, 1.0), np.nan)
    tmask = ~np.isnan(T)
    Vn = np.where(tmask, V[:, None, :], 0.0)
    vsum = Vn.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        arith = (np.where(tmask, T, 0.0) * Vn).sum(axis=2) / vsum
        logs = np.log(np.maximum(np.where(tmask, T, GEOMETRIC_FLOOR), GEOMETRIC_FLOOR))
        geom = np.exp((logs * Vn).sum(axis=2) / vsum)
    geometric = rng.random(draws) < p_geometric
    overall = np.where(geometric[:, None], geom, arith)  # D x N
    overall = np.where(vsum > 0, overall, np.nan)

    point = [score_country(rubric, ev, as_of).overall.score for ev in evidence]
    pct = lambda q: [None if np.isnan(col).all() else float(np.nanpercentile(col, q)) for col in overall.T]  # noqa: E731
    n = len(evidence)
    above: list[list[float | None]] = [[None] * n for _ in range(n)]
    for i in range(n):  # a loop over countries, not draws
        if np.isnan(overall[:, i]).all():
            continue
        share = (overall[:, [i]] > overall).mean(axis=0)
        for j in range(n):
            if j != i and not np.isnan(overall[:, j]).all():
                above[i][j] = float(share[j])
    return Sensitivity(rubric, as_of, evidence, draws, seed, concentration, point, pct(50), pct(5), pct(95), above)
