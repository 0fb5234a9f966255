"""The span in which a finding holds: shared by the scorer and the validator."""

from __future__ import annotations

import datetime as dt

from .model import CountryEvidence, Document, Finding


def finding_window(finding: Finding, document: Document | None, evidence: CountryEvidence) -> tuple[list, dt.date | None, dt.date | None]:
    """The span in which a finding holds, narrowed by each thing that bounds it
    (the scorer's span, and the one the validator checks): its document's
    days in force (an observation: from the day it was made), the
    provision's own dates, and the legislatures the finding and its document
    name. The bounds are listed as (kind, id, from, to), in a fixed order,
    since the first that fails gives the reason; the span is the latest
    start and the earliest end.

    Returns: `tuple[list, date | None, date | None]` (bounds, start, end).
    Raises: nothing.

    Example:
        >>> bounds, start, end = finding_window(finding, evidence.documents.get(finding.document), evidence)
    """
    bounds = []  # (kind, id, from, to); kind: document | observation | provision | legislature
    if document is not None:
        # an observation counts from the day it was made, never before (it has no days in force)
        bounds.append(("document" if document.observed is None else "observation", document.id, document.starts, document.in_force_to))
    if finding.in_force_from or finding.in_force_to:
        bounds.append(("provision", "", finding.in_force_from, finding.in_force_to))
    # the finding's legislature, then its document's: a fixed order (a set's
    # would vary with the hash seed), since the first bound that fails gives the reason
    named, its = finding.legislature, document.legislature if document is not None else None
    if named or its:
        for leg_id in (named, its) if named and its and named != its else (named or its,):
            leg = evidence.country.legislature(leg_id)
            if leg is not None:
                bounds.append(("legislature", leg.id, leg.start, leg.end))
    start = end = None  # the latest start and the earliest end
    for _, _, b_from, b_to in bounds:
        if b_from and (start is None or b_from > start):
            start = b_from
        if b_to and (end is None or b_to < end):
            end = b_to
    return bounds, start, end
