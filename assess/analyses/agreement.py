"""Agreement between coders who scored the same country x criterion.

Each coder's level for a unit (country x criterion) is what the criterion's
rule gives over that coder's own counting findings on the as-of date: the
same rule the scorer applies. Krippendorff's alpha (ordinal) comes from the
`krippendorff` package; percent agreement is the share of units coded by two
or more coders on which they all agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..data.model import CountryEvidence, Rubric
from ..scoring.score import apply_rule, weigh


@dataclass
class Unit:
    country: str
    criterion: str
    tier: str
    levels: dict[str, int]  # coder -> level
    evidence: dict[str, list[str]]  # coder -> finding ids
    reconciled: bool

    @property
    def agrees(self) -> bool:
        return len(set(self.levels.values())) == 1


@dataclass
class Agreement:
    rubric: Rubric
    as_of: dt.date
    coders: list[str]
    units: list[Unit]  # units with two or more coders
    alpha: dict[str, float | None]  # "overall" and each tier id
    percent: dict[str, float | None]
    notes: dict[str, str] = field(default_factory=dict)  # why an alpha is missing

    @property
    def disagreements(self) -> list[Unit]:
        return [u for u in self.units if not u.agrees]


def coder_units(rubric: Rubric, evidence: list[CountryEvidence], as_of: dt.date) -> list[Unit]:
    """The units two or more coders scored: for each country and criterion, the
    level each coder's counting findings give by the criterion's rule on the
    date (not-applicable findings and findings without a coder left out),
    with the ids of the findings that gave it and whether a reconciled
    finding counts.

    Returns: `list[Unit]` (``.levels`` by coder, ``.agrees``).
    Raises: nothing.

    Example:
        >>> p = assess.prepare(["KAZ", "RUS"])
        >>> units = coder_units(p.rubric, p.evidence, dt.date(2021, 6, 30))
    """
    units = []
    for ev in evidence:
        by_criterion: dict[str, list] = {}
        for f in ev.findings:
            if f.coder and not f.not_applicable:
                by_criterion.setdefault(f.criterion, []).append(f)
        for criterion in rubric.criteria:
            counting = [c for c in (weigh(f, criterion, rubric, ev, as_of) for f in by_criterion.get(criterion.id, ())) if c.counts]
            coders = sorted({c.finding.coder for c in counting})
            if len(coders) < 2:
                continue
            levels, ids = {}, {}
            for coder in coders:
                level, deciding = apply_rule(criterion.rule, [c for c in counting if c.finding.coder == coder])
                levels[coder] = level
                ids[coder] = sorted(deciding)
            units.append(Unit(ev.iso3, criterion.id, criterion.tier, levels, ids, any(c.finding.reconciled for c in counting)))
    return units


def _alpha(units: list[Unit], coders: list[str]) -> tuple[float | None, str | None]:
    import krippendorff
    import numpy as np

    if len(units) < 2:
        return None, "fewer than two units coded by two or more coders"
    data = np.array([[u.levels.get(c, np.nan) for u in units] for c in coders], dtype=float)
    values = set(np.unique(data[~np.isnan(data)]).tolist())
    if len(values) < 2:
        return None, "every coder gave the same level everywhere: alpha is undefined (no variation)"
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")), None


def measure_agreement(rubric: Rubric, evidence: list[CountryEvidence], as_of: dt.date) -> Agreement:
    """Inter-coder agreement on the date over the units of coder_units:
    Krippendorff's alpha and the share of units where the coders agree,
    overall and for each tier (None where there is no unit; `notes` says why
    an alpha is missing).

    Returns: `Agreement` (``.alpha``, ``.percent``, ``.units``,
    ``.disagreements``).
    Raises: nothing.

    Example:
        >>> a = measure_agreement(p.rubric, p.evidence, dt.date(2021, 6, 30))
        >>> a.alpha["overall"], a.percent["overall"]
    """
    units = coder_units(rubric, evidence, as_of)
    coders = sorted({c for u in units for c in u.levels})
    alpha, percent, notes = {}, {}, {}
    groups = [("overall", units)] + [(t.id, [u for u in units if u.tier == t.id]) for t in rubric.tiers]
    for name, group in groups:
        alpha[name], note = _alpha(group, coders)
        if note:
            notes[name] = note
        percent[name] = (sum(u.agrees for u in group) / len(group)) if group else None
    return Agreement(rubric, as_of, coders, units, alpha, percent, notes)
