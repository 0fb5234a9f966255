"""Why a criterion got its level: the same rules score.py applies, laid open."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import UsageError
from .load import suggest
from .model import CountryEvidence, Criterion, Rubric, Tier
from .score import CriterionResult, decide


@dataclass(frozen=True)
class Explanation:
    rubric: Rubric
    tier: Tier
    criterion: Criterion
    evidence: CountryEvidence
    as_of: dt.date
    result: CriterionResult
    root: str | None = None  # the workspace folder: file paths are shown relative to it


def explain_criterion(rubric: Rubric, evidence: CountryEvidence, criterion_id: str, as_of: dt.date | None = None) -> Explanation:
    """Weighs every finding of one country for one criterion, as the scorer does."""
    criterion = rubric.criterion(criterion_id)
    if criterion is None:
        ids = [c.id for c in rubric.criteria]
        raise UsageError(f"rubric '{rubric.id}' has no criterion '{criterion_id}'{suggest(criterion_id, ids)}; its criteria are: {', '.join(ids)}")
    as_of = as_of or dt.date.today()
    findings = [f for f in evidence.findings if f.criterion == criterion.id]
    result = decide(criterion, findings, rubric, evidence, as_of)
    return Explanation(rubric, rubric.tier(criterion.tier), criterion, evidence, as_of, result)
