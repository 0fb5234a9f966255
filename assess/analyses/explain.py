"""Why a criterion got its level: the same rules score.py applies, laid open."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..common.errors import UsageError
from ..common.messages import say
from .gaps import ToCode, index_if, index_points, what_to_gather
from ..data.load import suggest
from ..data.model import CountryEvidence, Criterion, Rubric, Tier
from ..scoring.score import NOT_ASSESSED, SCORED, CriterionResult, decide, score_country


@dataclass(frozen=True)
class Explanation:
    rubric: Rubric
    tier: Tier
    criterion: Criterion
    evidence: CountryEvidence
    as_of: dt.date
    result: CriterionResult
    root: str | None = None  # the workspace folder: file paths are shown relative to it
    # not assessed: what evidence would let it be assessed (gaps.what_to_gather), not a reform
    to_code: ToCode | None = None
    # scored below the maximum: the overall index now and with this criterion at the maximum (gaps.index_if)
    index: float | None = None
    index_closed: float | None = None

    @property
    def gain(self) -> float | None:
        """Index points closing the gap would add; None unless scored below the maximum."""
        if self.index is None or self.index_closed is None:
            return None
        return self.index_closed - self.index


def explain_criterion(rubric: Rubric, evidence: CountryEvidence, criterion_id: str, as_of: dt.date | None = None) -> Explanation:
    """Weighs every finding of one country for one criterion, as the scorer
    does. The step below `assess.explain_level`, for evidence already loaded.

    Returns: `Explanation`.
    Raises: `UsageError` for a criterion not in the rubric.

    Example:
        >>> p = assess.prepare(["KAZ"])
        >>> ex = explain_criterion(p.rubric, p.evidence[0], "fpc-mention", dt.date(2021, 6, 30))
    """
    criterion = rubric.criterion(criterion_id)
    if criterion is None:
        ids = [c.id for c in rubric.criteria]
        raise UsageError(say("e_rubric_no_criterion", rubric=rubric.id, criterion=criterion_id, hint=suggest(criterion_id, ids),
                             ids=", ".join(ids)))
    as_of = as_of or dt.date.today()
    findings = [f for f in evidence.findings if f.criterion == criterion.id]
    result = decide(criterion, findings, rubric, evidence, as_of)
    to_code, index, index_closed = None, None, None
    if result.status == NOT_ASSESSED or (result.status == SCORED and result.level < rubric.max_level):
        cs = score_country(rubric, evidence, as_of)  # the whole country: what the criterion weighs in its index
        if result.status == NOT_ASSESSED:
            to_code = what_to_gather(rubric, evidence, result, as_of, index_points(rubric, cs, criterion.id))
        else:
            index, index_closed = cs.overall.score, index_if(rubric, cs, criterion.id, rubric.max_level)
    return Explanation(rubric, rubric.tier(criterion.tier), criterion, evidence, as_of, result,
                       to_code=to_code, index=index, index_closed=index_closed)
