"""What to do next, country by country: the gaps worth closing and the criteria
worth coding.

A *gap* is a criterion that was assessed and found wanting: scored, below the
rubric's maximum level. Gaps are ordered by what closing each would do to the
country's overall index: the index with that one criterion at the maximum
level, every other result as it is, minus the index now. A criterion nobody
has assessed is no gap (nothing was found wanting, nothing was looked at): it
goes to a separate list, *to code*, with the reason it is not assessed (its
tier is not traced on the date, or a document of the tier in force is
recorded but not coded yet), the documents of its tier recorded as not
adopted yet (not_adopted_as_of), and ordered by the points of the overall index it
carries once everything is assessed.

Every number here comes from score.aggregate_tier / aggregate_overall, asked
again over results with one criterion changed: the same weighting the index
itself uses (N/A criteria left out, tiers weighted), never a formula of its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from ..data.model import Criterion, CountryEvidence, Document, Rubric, Traced
from ..scoring.score import (NOT_APPLICABLE, NOT_ASSESSED, SCORED, Aggregate, CountryScore, CriterionResult,
                    aggregate_overall, aggregate_tier, awaited_documents, in_force_on, uncoded_documents)

NOT_TRACED = "not_traced"
UNCODED = "uncoded"


@dataclass(frozen=True)
class Gap:
    """A scored criterion below the maximum level, and what closing it is worth."""

    iso3: str
    criterion: Criterion
    level: int
    max_level: int
    index: float | None  # the overall index now (on the assessed criteria)
    index_closed: float | None  # ... with this criterion at the maximum level, all else equal

    @property
    def gain(self) -> float:
        """Index points closing the gap would add."""
        if self.index is None or self.index_closed is None:
            return 0.0
        return self.index_closed - self.index


@dataclass(frozen=True)
class ToCode:
    """A criterion not assessed on the date: why, and what evidence would let it be."""

    iso3: str
    criterion: Criterion
    reason: str  # NOT_TRACED | UNCODED
    as_of: dt.date
    # UNCODED: the documents of the tier in force on the date that are recorded
    # but cited by no finding of the rubric, to code. NOT_TRACED: the documents
    # of the tier recorded as in force on the date (coded or not), to read for it.
    documents: tuple[Document, ...]
    trace: Traced | None  # the trace that holds for the tier (country.yaml traced_from / traced_to)
    points: float | None  # the points of the overall index the criterion carries once all is assessed
    # documents of the tier recorded as expected but not adopted yet (not_adopted_as_of) that concern
    # the date: the evidence that does not exist yet ("the Kurultai's rules of procedure: none adopted as of ...")
    awaited: tuple[Document, ...] = ()


def _overall(rubric: Rubric, results: list[CriterionResult]) -> Aggregate:
    """The overall index over these results, as score.score_country aggregates them."""
    by_tier: dict[str, list[CriterionResult]] = {}
    for r in results:
        by_tier.setdefault(r.criterion.tier, []).append(r)
    return aggregate_overall([aggregate_tier(by_tier.get(t.id, []), t.weight) for t in rubric.tiers])


def _as(r: CriterionResult, level: int) -> CriterionResult:
    return dataclasses.replace(r, status=SCORED, level=level)


def index_if(rubric: Rubric, cs: CountryScore, criterion_id: str, level: int) -> float | None:
    """The country's overall index with one criterion scored at `level` and
    every other result as it is.

    Returns: `float` or None (nothing scored).
    Raises: nothing.

    Example:
        >>> p = assess.prepare(["KAZ"])
        >>> cs = score_country(p.rubric, p.evidence[0], dt.date(2021, 6, 30))
        >>> index_if(p.rubric, cs, "fpc-mention", 0) < cs.overall.score
        True
    """
    return _overall(rubric, [_as(r, level) if r.criterion.id == criterion_id else r for r in cs.criteria]).score


def index_points(rubric: Rubric, cs: CountryScore, criterion_id: str) -> float | None:
    """The points of the overall index a criterion carries once every criterion
    is assessed: the index with it at the maximum level and every other
    criterion at 0 (those found not applicable stay out, as they do in the index).

    Returns: `float` or None.
    Raises: nothing.

    Example:
        >>> index_points(p.rubric, cs, "fpc-mention")
    """
    top = rubric.max_level
    results = [r if r.status == NOT_APPLICABLE and r.criterion.id != criterion_id
               else _as(r, top if r.criterion.id == criterion_id else 0) for r in cs.criteria]
    return _overall(rubric, results).score


def gaps(rubric: Rubric, cs: CountryScore) -> list[Gap]:
    """The country's scored criteria below the maximum level, the largest index
    gain first (then in the rubric's order).

    Returns: `list[Gap]` (``.criterion``, ``.level``, ``.gain``).
    Raises: nothing.

    Example:
        >>> [(g.criterion.id, round(g.gain, 2)) for g in gaps(p.rubric, cs)][:1]
    """
    top = rubric.max_level
    index = cs.overall.score
    order = {c.id: i for i, c in enumerate(rubric.criteria)}
    out = [Gap(cs.evidence.iso3, r.criterion, r.level, r.max_level, index, index_if(rubric, cs, r.criterion.id, top))
           for r in cs.criteria if r.status == SCORED and r.level is not None and r.level < top]
    return sorted(out, key=lambda g: (-round(g.gain, 9), order.get(g.criterion.id, 0)))


def to_code(rubric: Rubric, cs: CountryScore, as_of: dt.date) -> list[ToCode]:
    """The country's criteria not assessed on the date, the most index points
    first (then in the rubric's order), each with why and the documents
    concerned (what_to_gather).

    Returns: `list[ToCode]` (``.criterion``, ``.reason`` NOT_TRACED or
    UNCODED, ``.documents``, ``.points``).
    Raises: nothing.

    Example:
        >>> [(t.criterion.id, t.reason) for t in to_code(p.rubric, cs, dt.date(2021, 6, 30))][:1]
    """
    order = {c.id: i for i, c in enumerate(rubric.criteria)}
    out = [what_to_gather(rubric, cs.evidence, r, as_of, index_points(rubric, cs, r.criterion.id))
           for r in cs.criteria if r.status == NOT_ASSESSED]
    return sorted(out, key=lambda x: (-round(x.points or 0.0, 9), order.get(x.criterion.id, 0)))


def what_to_gather(rubric: Rubric, evidence: CountryEvidence, result: CriterionResult, as_of: dt.date,
                   points: float | None = None) -> ToCode:
    """Why a criterion is not assessed on the date, from the note the scorer
    gave it (note_uncoded / note_not_traced), with the documents concerned:
    the uncoded documents of the tier in force on the date, or else the
    documents of the tier recorded as in force then, to read for it; and the
    awaited (not yet adopted) documents of the tier. `points` is carried
    through (see index_points).

    Returns: `ToCode`.
    Raises: nothing.

    Example:
        >>> r = next(r for r in cs.criteria if r.status == "not_assessed")
        >>> what_to_gather(p.rubric, p.evidence[0], r, dt.date(2021, 6, 30)).reason
    """
    criterion = result.criterion
    tier = rubric.tier(criterion.tier)
    keys = {key for key, _ in result.notes}
    trace = evidence.country.traced_span(criterion.tier)
    awaited = tuple(awaited_documents(rubric, evidence, tier, as_of)) if tier is not None else ()
    if "note_uncoded" in keys and tier is not None:
        documents = tuple(d for d in uncoded_documents(rubric, evidence, tier) if in_force_on(d, as_of))
        return ToCode(evidence.iso3, criterion, UNCODED, as_of, documents, trace, points, awaited)
    accepts = tier.accepts if tier is not None else ()
    documents = tuple(d for d in sorted(evidence.documents.values(), key=lambda d: d.id)
                      if d.type in accepts and d.complete and d.starts is not None and in_force_on(d, as_of))
    return ToCode(evidence.iso3, criterion, NOT_TRACED, as_of, documents, trace, points, awaited)
