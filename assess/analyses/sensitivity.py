"""How sure is the index? A Monte Carlo over what the index does not know.

Each draw recomputes every country's index with some of the following varied;
`vary` (the command's --vary) names which, and by default they are all the
rubric allows. Every output says which were varied and which held fixed.

- weights: tier weights drawn from a Dirichlet distribution centred on the
  rubric's tier weights, and criterion weights within each tier from a
  Dirichlet centred on the rubric's criterion weights. The concentration
  (default 20: each weight's share varies by roughly +-30 % of itself for four
  equal tiers) says how far the draws stray: higher is closer to the rubric.
  Fixed: the rubric's weights.
- aggregation: each draw combines tier scores by the arithmetic mean or, with
  probability `p_geometric`, the geometric mean (tier scores floored at 1
  point so that a zero tier does not wipe the index out). Fixed: the
  arithmetic mean, as the index.
- unassessed: each criterion that is not assessed for a country takes a level
  drawn from the rubric's `scoring.uncertainty.unassessed` prior (uniform over
  the scale unless the rubric declares one), independently for each country,
  criterion and draw. So the fewer criteria are assessed, the wider the
  interval (on the shipped data with a third country of 1 criterion of 16,
  as of 2021: 34.2-68.1 for it, against 59.3-79.7 and 68.2-85.1 for
  Kazakhstan and Russia, 15 and 14 of 16).
  Fixed: not-assessed criteria are left out and the weights of the rest
  renormalised, as in the point index.
- findings: where the rubric lists kinds of finding as uncertain
  (`scoring.uncertainty.findings`: unverified, low-confidence,
  medium-confidence; a finding's confidence is the lower of its own and its
  document's), a criterion whose level rests on such findings takes the
  level coded, one step lower or one step higher, each with equal chance,
  kept on the scale and never below the level its certain findings give on
  their own. Independently for each country, criterion and draw. A criterion
  whose certain findings alone give the coded level does not vary.

  Why this model. The coded level is the best estimate there is: the coder
  read the document; what is unsure is whether the quote says quite that
  much (or more). Ordinal coding errs by a step far more often than by two,
  and at the top of the scale (most of the shipped findings) an error can
  only be downwards, which the clipping gives. Two other models were tried
  on the shipped data, where nearly every finding is unverified, and
  rejected:
  * the level drawn uniformly from 0 (or what the certain findings give) to
    the coded level: a top-level unverified finding then says exactly as
    little as no finding. Kazakhstan as of 2021, 15 of 16 criteria
    assessed, drew 28.6-60.2, all below its possible range 71.7-77.9 and
    barely narrower than a country with 1 criterion of 16: less evidence no
    longer gave a wider interval;
  * the level coded or one step lower: every uncertain criterion loses half
    a step on average (that 77.9 drew a median of 62.5 with every source
    varied, against 69.9 with this model), a penalty for being
    unverified rather than an uncertainty; penalising unverified findings is
    the rubric's `scoring.unverified: exclude`, not this analysis's.
  The old `--unverified vary` (one coin per draw for every country and
  criterion at once: unverified findings in full, at half value, or not at
  all) varied a rubric policy, not what is unsure about each finding; this
  source replaces it. A rubric that excludes unverified findings never counts
  them, so they do not vary either. Not-applicable findings stay not
  applicable. Fixed: every finding counts at its coded level.

Criteria not applicable are left out in every draw, and so are unassessed
ones unless `unassessed` varies; the weights of what remains are renormalised.

Rank statements ("A ranks above B in N% of draws") count the same draws,
worked out only for the pairs an output shows (`pairs`): every pair of up to
PAIRS_ALL_MAX countries; beyond that, neighbours in the ranking by median
index (N-1 pairs), unless every pair is asked for (`pairs="all"`: N(N-1)/2
counts over the draws and an output that lists them: measured at 800
countries x 10,000 draws, 12 s more CPU and a 33 MB JSON; four times the
pairs, and so the cost, at 1,600). A share asked for of another pair is counted then
(Sensitivity.share), the same number either way. A
statement whose share would print as 100% says "more than 99%" unless every
draw agrees and the two countries' possible ranges (CountryScore.overall
score_min .. score_max: every open criterion at the lowest or highest level)
do not overlap; where they overlap, it says so.

Reproducible: the weights and aggregation come from one generator seeded with
`seed`; each country's drawn levels from its own generator, seeded with `seed`
and the country's code, so a country's draws do not depend on which other
countries are in the run, nor on which sources vary. Vectorized with numpy:
no loop over draws; the drawn levels are added to the weighted sums a block of
countries at a time, criterion by criterion (work in proportion to draws x
drawn cells).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..common import progress
from ..common.messages import say
from ..data.model import CountryEvidence, Rubric
from ..scoring.score import SCORED, settle, score_country

DEFAULT_CONCENTRATION = 20.0
GEOMETRIC_FLOOR = 1.0
QUANTILES = (5, 50, 95)  # the interval's ends and the median
# what a draw can vary, in the order outputs list them
SOURCES = ("weights", "aggregation", "unassessed", "findings")
# which pairs of countries the rank statements cover: "auto" (every pair up to
# PAIRS_ALL_MAX countries, neighbours in the ranking by median beyond), "neighbours", "all"
PAIR_CHOICES = ("auto", "neighbours", "all")
PAIRS_ALL_MAX = 6  # as many countries as the reports show side by side: 15 pairs
# the kinds of uncertain finding (Rubric.uncertain_findings) and the confidence each names
CONFIDENCE_KINDS = {"low-confidence": "low", "medium-confidence": "medium"}
_CONFIDENCE_ORDER = {"low": 0, "medium": 1, "high": 2}


class SourceError(ValueError):
    """`vary` names something that cannot vary (the message says why)."""


def allowed_sources(rubric: Rubric) -> tuple[str, ...]:
    """What the rubric lets a draw vary, in SOURCES order: everything, but
    findings only where it lists kinds of uncertain finding.

    Returns: `tuple[str, ...]`.
    Raises: nothing.

    Example:
        >>> allowed_sources(p.rubric)
    """
    return tuple(s for s in SOURCES if s != "findings" or rubric.uncertain_findings)


def choose_sources(rubric: Rubric, vary=None) -> tuple[str, ...]:
    """The sources to vary, in SOURCES order: `vary` is None (all the rubric
    allows), a comma list ("weights,unassessed") or an iterable of names.

    Returns: `tuple[str, ...]`.
    Raises: `SourceError` (a ValueError) for no name, an unknown name, or
    "findings" on a rubric that lists no uncertain findings.

    Example:
        >>> choose_sources(p.rubric, "unassessed, weights")
        ('weights', 'unassessed')
    """
    if vary is None:
        return allowed_sources(rubric)
    names = [v.strip() for v in (vary.split(",") if isinstance(vary, str) else vary)]
    names = [v for v in names if v]
    if not names:
        raise SourceError(say("e_vary_none", sources=", ".join(SOURCES)))
    unknown = [v for v in names if v not in SOURCES]
    if unknown:
        raise SourceError(say("e_vary_unknown", source=unknown[0], sources=", ".join(SOURCES)))
    if "findings" in names and not rubric.uncertain_findings:
        raise SourceError(say("e_vary_no_findings", rubric=rubric.id))
    return tuple(s for s in SOURCES if s in names)


def uncertain(consideration, kinds: tuple[str, ...]) -> bool:
    """Whether a weighed finding is of a kind the rubric calls uncertain
    (`kinds`: "unverified" and confidence kinds). Its confidence is the lower
    of the finding's own and its document's.

    Returns: `bool`.
    Raises: nothing.

    Example:
        >>> uncertain(consideration, p.rubric.uncertain_findings)
    """
    finding = consideration.finding
    if "unverified" in kinds and not finding.checked:
        return True
    rated = [c for c in (finding.confidence, getattr(consideration.document, "confidence", None)) if c]
    if not rated:
        return False
    lowest = min(rated, key=lambda c: _CONFIDENCE_ORDER.get(c, 2))
    return any(CONFIDENCE_KINDS.get(kind) == lowest for kind in kinds)


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
    varied: tuple[str, ...] = ()  # the sources varied, in SOURCES order
    p_geometric: float = 0.5
    # the possible range of each country's index (every open criterion at the lowest or highest level)
    range_low: list[float | None] = field(default_factory=list)
    range_high: list[float | None] = field(default_factory=list)
    # per country: criteria whose level was drawn because not assessed / resting on uncertain findings
    drawn_unassessed: list[int] = field(default_factory=list)
    drawn_findings: list[int] = field(default_factory=list)
    # every draw's index: a countries x draws numpy array, NaN where a country has no index
    values: Any = None
    # which pairs the rank statements cover (PAIR_CHOICES); shares are counted for those only
    pairs: str = "auto"
    _shares: dict = field(default_factory=dict, repr=False, compare=False)
    _matrix: Any = field(default=None, repr=False, compare=False)  # every pair's share (pairs="all"), N x N, NaN: none

    @property
    def above(self) -> "_Above":
        """above[i][j]: the share of draws in which country i ranks above
        country j (None where either has no index, and on the diagonal),
        counted when first asked for (share)."""
        return _Above(self)

    def share(self, i: int, j: int) -> float | None:
        """The share of draws in which country i ranks above country j: a
        count over the draws of one pair, kept once counted."""
        if self._matrix is not None:
            value = self._matrix[i, j]
            return None if value != value else float(value)
        key = (i, j)
        if key not in self._shares:
            if i == j or self.median[i] is None or self.median[j] is None:
                value = None
            else:
                import numpy as np

                value = float(np.count_nonzero(self.values[i] > self.values[j]) / self.draws)
            self._shares[key] = value
        return self._shares[key]

    def ranked(self) -> list[int]:
        """The countries by median index, highest first (ties and no index by
        code; no index last): the ranking whose neighbours are compared."""
        codes = [c.iso3 for c in self.countries]
        return sorted(range(len(codes)), key=lambda i: (self.median[i] is None, -(self.median[i] or 0), codes[i]))

    def neighbour_pairs(self) -> list[tuple[int, int]]:
        """Neighbours in the ranking by median, as (i, j) with i < j, in ranking order."""
        order = self.ranked()
        return [(min(a, b), max(a, b)) for a, b in zip(order, order[1:])]

    @property
    def every_pair(self) -> bool:
        """Whether the rank statements cover every pair (pairs, PAIRS_ALL_MAX)."""
        return self.pairs == "all" or (self.pairs == "auto" and len(self.countries) <= PAIRS_ALL_MAX)

    def shown_pairs(self) -> list[tuple[int, int]]:
        """The pairs the rank statements cover, (i, j) with i < j: every pair
        in order (every_pair), else neighbours in the ranking by median, in
        ranking order. Pairs where either country has no index are left in:
        their statements say there is nothing to compare."""
        n = len(self.countries)
        if self.every_pair:
            return [(i, j) for i in range(n) for j in range(i + 1, n)]
        return self.neighbour_pairs()

    def comparable_pairs(self) -> int:
        """How many pairs of countries both have an index (every pair, shown or not)."""
        k = sum(1 for m in self.median if m is not None)
        return k * (k - 1) // 2

    @property
    def fixed(self) -> tuple[str, ...]:
        return tuple(s for s in SOURCES if s not in self.varied)

    @property
    def prior(self) -> dict[int, float] | None:
        """The prior of unassessed criteria's levels; None: uniform on the scale."""
        return self.rubric.unassessed_prior

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of finding whose levels were drawn (none unless findings vary)."""
        return self.rubric.uncertain_findings if "findings" in self.varied else ()

    def overlap(self, i: int, j: int) -> bool:
        """Whether the possible ranges of two countries overlap (touching counts;
        a missing range counts as overlapping: nothing rules it out)."""
        lo_i, hi_i, lo_j, hi_j = self.range_low[i], self.range_high[i], self.range_low[j], self.range_high[j]
        if None in (lo_i, hi_i, lo_j, hi_j):
            return True
        return lo_i <= hi_j and lo_j <= hi_i

    def statement_key(self, i: int, j: int) -> str:
        """The message (reports/templates/messages.yaml) that says how often i
        ranks above j. No share prints as 100% unless every draw agrees and
        the possible ranges do not overlap."""
        share = self.share(i, j)
        if share is None:
            return "sens_no_compare"
        if f"{100 * share:.0f}" == "100" and (share < 1 or self.overlap(i, j)):
            return "ranks_above_overlap" if self.overlap(i, j) else "ranks_above_nearly"
        return "ranks_above"

    def statement(self, i: int, j: int, lang: str = "en", msg=None, fmt=None) -> str:
        """How often i ranks above j, in words (statement_key). `msg` and
        `fmt`, the catalogue and Formats of `lang`, save looking them up."""
        from ..common.messages import Formats, catalogue

        if msg is None:
            msg = catalogue(lang)
        if fmt is None:
            fmt = Formats(msg)
        key = self.statement_key(i, j)
        share = self.share(i, j)
        shown = 0.99 if key in ("ranks_above_overlap", "ranks_above_nearly") else share
        a, b = self.countries[i].country.name.get(lang), self.countries[j].country.name.get(lang)
        return msg(key, a=a, b=b, share=fmt.pct(shown))

    def order(self, i: int, j: int) -> tuple[int, int]:
        """The pair the way round that reads as a claim: the more often higher first."""
        share = self.share(i, j)
        return (i, j) if share is None or share >= self.share(j, i) else (j, i)

    def sources(self, lang: str = "en") -> list[tuple[str, bool, str]]:
        """Each source (SOURCES order): its name, whether it was varied, and
        what the draws did with it, in the language asked for."""
        from ..common.messages import Formats, catalogue

        msg = catalogue(lang)
        fmt = Formats(msg)
        out = []
        for source in SOURCES:
            if source not in self.varied:
                out.append((source, False, msg("sens_fix_" + source)))
            elif source == "weights":
                c = self.concentration
                out.append((source, True, msg("sens_src_weights", concentration=fmt.num(c, 0 if float(c).is_integer() else 1))))
            elif source == "aggregation":
                out.append((source, True, msg("sens_src_aggregation", share=fmt.pct(self.p_geometric))))
            elif source == "unassessed":
                if self.prior is None:
                    prior = msg("sens_prior_uniform", low=self.rubric.min_level, high=self.rubric.max_level)
                else:
                    prior = msg("sens_prior_declared", prior=", ".join(f"{lv}: {fmt.pct(p)}" for lv, p in sorted(self.prior.items())))
                out.append((source, True, msg("sens_src_unassessed", prior=prior)))
            else:
                words = [msg("sens_kind_" + kind.replace("-", "_")) for kind in self.kinds]
                kinds = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {msg('sens_or')} {words[-1]}"
                out.append((source, True, msg("sens_src_findings", kinds=kinds)))
        return out


def _levels_of(scores: list, rubric: Rubric):
    """Criterion scores (level / max level) per country, NaN where not scored."""
    import numpy as np

    out = np.full((len(scores), len(rubric.criteria)), np.nan)
    for n, cs in enumerate(scores):
        for c, res in enumerate(cs.criteria):
            if res.status == SCORED:
                out[n, c] = res.level / rubric.max_level
    return out


class _Above:
    """Sensitivity.above as rows: above[i][j] counts the pair when asked."""

    __slots__ = ("_sens",)

    def __init__(self, sens: Sensitivity):
        self._sens = sens

    def __len__(self) -> int:
        return len(self._sens.countries)

    def __getitem__(self, i: int) -> "_AboveRow":
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return _AboveRow(self._sens, i % len(self))

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __eq__(self, other) -> bool:
        return [list(r) for r in self] == [list(r) for r in other]


class _AboveRow:
    __slots__ = ("_sens", "_i")

    def __init__(self, sens: Sensitivity, i: int):
        self._sens, self._i = sens, i

    def __len__(self) -> int:
        return len(self._sens.countries)

    def __getitem__(self, j: int) -> float | None:
        if not -len(self) <= j < len(self):
            raise IndexError(j)
        return self._sens.share(self._i, j % len(self))

    def __iter__(self):
        return (self[j] for j in range(len(self)))

    def __eq__(self, other) -> bool:
        return list(self) == list(other)


@dataclass
class _Drawn:
    """The criteria of one country whose level each draw takes at random:
    column c of the rubric's criteria; the level is base + one of `span`
    steps, equally likely, kept within low..high; or, for an unassessed
    criterion under a declared prior (`prior`), drawn from that prior."""

    columns: list[int] = field(default_factory=list)
    base: list[int] = field(default_factory=list)
    span: list[int] = field(default_factory=list)
    low: list[int] = field(default_factory=list)
    high: list[int] = field(default_factory=list)
    prior: list[bool] = field(default_factory=list)

    def add(self, column: int, base: int, span: int, low: int, high: int, prior: bool) -> None:
        for name, value in (("columns", column), ("base", base), ("span", span), ("low", low), ("high", high), ("prior", prior)):
            getattr(self, name).append(value)


def _drawn_cells(rubric: Rubric, scores: list, as_of: dt.date, varied: tuple[str, ...]) -> tuple[list, list[int], list[int]]:
    """Per country the _Drawn cells (None: none), and how many of them are
    unassessed criteria and criteria resting on uncertain findings."""
    from ..scoring.score import NOT_ASSESSED

    top = rubric.max_level
    kinds = rubric.uncertain_findings if "findings" in varied else ()
    out, n_unassessed, n_findings = [], [], []
    for cs in scores:
        cells = _Drawn()
        unassessed = findings = 0
        for c, res in enumerate(cs.criteria):
            if res.status == NOT_ASSESSED and "unassessed" in varied:
                cells.add(c, 0, top + 1, 0, top, True)  # uniform on the scale (or the prior)
                unassessed += 1
            elif res.status == SCORED and kinds:
                counting = [x for x in res.considered if x.counts and not x.finding.not_applicable]
                if not any(uncertain(x, kinds) for x in counting):
                    continue
                certain = [x.finding for x in counting if not uncertain(x, kinds)]
                # the level the certain findings give on their own (they are levelled, so settle scores them)
                alone = settle(res.criterion, certain, [], rubric, cs.evidence, as_of)[1] if certain else 0
                if alone != res.level:
                    # one step down, none or one up, on the scale; never below what the certain
                    # findings give, which is at most one step down when they give less than coded
                    cells.add(c, res.level - 1, 3, 0, top, False)
                    findings += 1
        out.append(cells if cells.columns else None)
        n_unassessed.append(unassessed)
        n_findings.append(findings)
    return out, n_unassessed, n_findings


def _uniforms(seed: int, iso3: str, columns: list[int], draws: int):
    """The uniforms of one country's drawn criteria, len(columns) x draws:
    rows `columns` (ascending) of default_rng([seed, 1, code]).random((criteria,
    draws)), the country's own stream. The rows not needed are skipped
    (PCG64.advance: one 64-bit step a uniform) rather than drawn, with the
    same numbers as drawing them all."""
    import numpy as np

    bits = np.random.PCG64(np.random.SeedSequence([seed, 1, int.from_bytes(iso3.encode("utf-8"), "big")]))
    generator = np.random.Generator(bits)
    u = np.empty((len(columns), draws))
    at = 0
    for row, column in enumerate(columns):
        if column > at:
            bits.advance((column - at) * draws)
        generator.random(out=u[row])
        at = column + 1
    return u


def _draw_shares(cells: _Drawn, u, top: int, cum):
    """The drawn levels, as shares of the top level, from `u`, the uniforms
    of the cells (_uniforms: a row per drawn criterion, the same whichever
    others are drawn). Worked in place on the uniforms: floor(u x span) is
    the step, base + step kept within low..high the level, and level / top
    its share, as _levels_of divides it."""
    import numpy as np

    column = (slice(None), None)
    prior = np.array(cells.prior) if cum is not None else None
    if prior is not None and prior.any():  # the rubric's prior, for the unassessed
        from_prior = np.minimum(np.searchsorted(cum, u[prior], side="right"), len(cum) - 1)
    else:
        prior = None
    u *= np.array(cells.span, dtype=float)[column]
    np.floor(u, out=u)
    u += np.array(cells.base, dtype=float)[column]
    np.clip(u, np.array(cells.low, dtype=float)[column], np.array(cells.high, dtype=float)[column], out=u)
    if prior is not None:
        u[prior] = from_prior
    u /= top
    return u


# draws x countries cells worked on at once: the arrays of one block stay
# around 8 MB each however many draws and countries there are
BLOCK_CELLS = 1 << 20


def run_sensitivity(rubric: Rubric, evidence: list[CountryEvidence], as_of: dt.date, draws: int = 10_000, seed: int = 0,
                    concentration: float = DEFAULT_CONCENTRATION, p_geometric: float = 0.5, vary=None,
                    scored: list | None = None, pairs: str = "auto") -> Sensitivity:
    """How far the countries' indexes and ranks hold when what the scores rest
    on is drawn again `draws` times (seeded by `seed`): the tier weights
    (Dirichlet, `concentration`), the aggregation rule, the levels of the
    criteria not assessed (the rubric's prior, else uniform) and, where the rubric lists
    them, uncertain findings. `vary`: the sources to vary (choose_sources;
    None: all the rubric allows). `scored`, the CountryScores of these
    countries on this rubric and date (score_country), saves scoring them
    again. `pairs` (PAIR_CHOICES): which pairs the rank statements cover; the
    shares of those are counted here, any other when asked for
    (Sensitivity.share).

    Returns: `Sensitivity`.
    Raises: `ValueError` for `pairs` not in PAIR_CHOICES, `draws` below 1 or a
    negative `seed`; `SourceError` for a bad `vary`.

    Example:
        >>> p = assess.prepare(["KAZ", "RUS"])
        >>> s = run_sensitivity(p.rubric, p.evidence, dt.date(2021, 6, 30), draws=1000)
    """
    import numpy as np

    if pairs not in PAIR_CHOICES:
        raise ValueError(f"pairs must be one of {', '.join(PAIR_CHOICES)}")
    if draws < 1:
        raise ValueError("draws must be 1 or more")
    if seed < 0:
        raise ValueError("seed must be 0 or more")
    varied = choose_sources(rubric, vary)
    rng = np.random.default_rng(seed)
    crits = rubric.criteria
    tiers = rubric.tiers
    # the criteria of each tier, in rubric order (a criterion counts in every tier whose id it names)
    members = [[i for i, c in enumerate(crits) if c.tier == t.id] for t in tiers]

    if scored is not None and len(scored) == len(evidence) and all(cs.evidence is ev for cs, ev in zip(scored, evidence)):
        scores = list(scored)
    else:
        scores = [score_country(rubric, ev, as_of) for ev in progress.track(evidence, "scoring")]
    full = _levels_of(scores, rubric)  # N x C, NaN where not scored
    drawn, n_unassessed, n_findings = _drawn_cells(rubric, scores, as_of, varied)
    top = rubric.max_level
    cum = None
    if rubric.unassessed_prior is not None:
        probs = np.array([rubric.unassessed_prior.get(lv, 0.0) for lv in range(top + 1)])
        cum = np.cumsum(probs / probs.sum())
        cum[-1] = 1.0
    # a drawn cell counts in every draw: 0 here, its term set from its drawn share below
    for n, cells in enumerate(drawn):
        if cells is not None:
            full[n, cells.columns] = 0.0

    # The weights and the aggregation rule are drawn whatever varies, so that
    # each source's draws are the same whichever others vary.
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
    if "weights" not in varied:
        W = np.broadcast_to(np.array([c.weight for c in crits], dtype=float), (draws, len(crits)))
        V = np.broadcast_to(tier_base, (draws, len(tiers)))
    if "aggregation" not in varied:
        geometric = np.zeros(draws, dtype=bool)

    # The index of every draw and country (D x N), a block of countries at a
    # time. Nothing of size draws x countries x criteria is built: a tier's
    # weighted sum over its criteria is accumulated criterion by criterion on
    # draws x block arrays. That is the sum einsum("dc,dnc,ct->dnt") formed,
    # term by term in the same order (the terms of other tiers it added were
    # exact zeros), so the numbers are the same to the last bit. A drawn cell
    # holds 0 in the fixed levels; its term is set to weight x drawn share
    # (what weight x level gives), so the order of the sum is kept.
    n = len(evidence)
    # N x D: one country's draws in a row, filled a block of countries at a time
    columns = np.empty((n, draws))
    block = max(1, BLOCK_CELLS // (draws * max(1, len(tiers))))
    advance = progress.task(f"sensitivity ({draws:,} draws)", n, worth=n >= progress.MIN_STEPS or draws * n >= 2_000_000)
    for a in range(0, n, block):
        b = min(n, a + block)
        levels = full[a:b]  # nb x C, the same in every draw
        known = ~np.isnan(levels)
        L0 = np.where(known, levels, 0.0)
        K = known.astype(float)
        # this block's drawn levels: criterion -> (countries in the block, draws x those shares)
        extra: dict[int, tuple[list[int], list]] = {}
        for j in range(b - a):
            cells = drawn[a + j]
            if cells is None:
                continue
            shares = _draw_shares(cells, _uniforms(seed, evidence[a + j].iso3, cells.columns, draws), top, cum)
            for k, c in enumerate(cells.columns):
                cols, parts = extra.setdefault(c, ([], []))
                cols.append(j)
                parts.append(shares[k])
        # criterion -> (its drawn countries in the block, draws x those countries' shares: a transposed view)
        extra = {c: (np.array(cols), np.vstack(parts).T) for c, (cols, parts) in extra.items()}
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
                np.multiply(W[:, c, None], L0[None, :, c], out=term)
                if c in extra:  # drawn cells: weight x 0 above, so weight x drawn share is the term exactly
                    cols, shares = extra[c]
                    term[:, cols] = W[:, c, None] * shares
                acc += term
            num[t] = acc
            if idx:
                # denominator: the same sum of weight x (1 if counted): one per pattern of
                # counted criteria, which few countries differ in, then each country's pattern
                patterns, which = np.unique(K[:, idx], axis=0, return_inverse=True)
                sums = np.zeros((draws, len(patterns)))
                for k, c in enumerate(idx):
                    sums += W[:, c, None] * patterns[None, :, k]
                den[t] = sums[:, which.reshape(-1)]
            else:
                den[t] = 0.0
        del extra
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
        columns[a:b] = np.where(vsum > 0, block_overall, np.nan).T
        advance(b)

    point = [cs.overall.score for cs in scores]
    low, median, high = percentiles(columns, QUANTILES)
    result = Sensitivity(rubric, as_of, evidence, draws, seed, concentration, point, median, low, high,
                         varied=varied, p_geometric=p_geometric,
                         range_low=[cs.overall.score_min for cs in scores], range_high=[cs.overall.score_max for cs in scores],
                         drawn_unassessed=n_unassessed, drawn_findings=n_findings, values=columns, pairs=pairs)
    # the shares of the pairs the statements cover, both ways round (order() compares them):
    # a count over the draws of each pair, divided as mean() did
    if result.every_pair and n > PAIRS_ALL_MAX:
        # every pair of many countries: a row of counts at a time, kept in an N x N array
        matrix = np.full((n, n), np.nan)
        none = np.array([m is None for m in median])
        for i in np.flatnonzero(~none).tolist():
            matrix[i] = np.count_nonzero(columns[i] > columns, axis=1) / draws
        matrix[:, none] = np.nan
        np.fill_diagonal(matrix, np.nan)
        result._matrix = matrix
    else:
        for i, j in result.shown_pairs():
            result.share(i, j)
            result.share(j, i)
    return result


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


def percentiles(columns, quantiles) -> list[list[float | None]]:
    """For each quantile, each row's percentile of its draws, leaving out
    missing (NaN) draws; None for a row with none. What np.nanpercentile gives
    row by row, with the rows that miss no draw in one call.

    Returns: `list[list[float | None]]` (one list per quantile, one value per row).
    Raises: nothing for a 2-D float array.

    Example:
        >>> percentiles(np.array([[1.0, 2.0, 3.0], [np.nan, np.nan, np.nan]]), [50])
        [[2.0, None]]
    """
    import numpy as np

    n = len(columns)
    out: list[list[float | None]] = [[None] * n for _ in quantiles]
    missing = np.isnan(columns)
    whole = ~missing.any(axis=1)
    rows = np.flatnonzero(whole)
    # a few rows at a time: np.percentile sorts a copy of what it is given
    step = max(1, BLOCK_CELLS // max(1, columns.shape[1]))
    for start in range(0, len(rows), step):
        part = rows[start:start + step]
        for k, values in enumerate(np.percentile(columns[part], quantiles, axis=1)):
            for i, v in zip(part.tolist(), values.tolist()):
                out[k][i] = v
    for i in np.flatnonzero(~whole & ~missing.all(axis=1)).tolist():
        for k, v in enumerate(np.nanpercentile(columns[i], quantiles).tolist()):
            out[k][i] = v
    return out
