"""(rubric, evidence, as-of date) -> scores. The only place levels are decided.

The method, in the order it is applied:

1. A finding *counts* for its criterion on the as-of date if its document's
   type is accepted by the criterion's tier, and the document (and the
   provision, and the legislature the document or finding belongs to) is in
   force on that date. A rule with window `to-date` also counts documents that
   were in force at any time up to the date. Every other finding is *set
   aside*, with the reason.
2. The criterion's level follows its rule over the counting findings
   (`highest` by default). Counting levelled findings make it `scored`; only
   counting n/a findings make it `not_applicable`. With none, it is absent
   (scored, level 0) only if the country declares the tier's documents read on
   that date (traced_from .. traced_to) and no document of the tier in force
   is recorded uncoded; otherwise `not_assessed` (unknown is not zero).
3. A tier's score is the weighted mean of level / max level over its scored
   criteria, times 100. N/A criteria are left out; unassessed ones are left out
   too, and the tier is marked incomplete, with the range the score could take
   once they are assessed (score_min .. score_max).
4. The overall index is the weighted mean of the tier scores, with the same
   completeness flag and range.
5. A country ranks, and its index may stand as a headline, only with at least
   the rubric's band_min_coverage of the criteria assessed (standings());
   countries are compared on the criteria assessed for all (common_basis()).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from ..common import progress
from ..data.spans import finding_window  # noqa: F401  (assess.scoring.score.finding_window still)
from ..data.model import Criterion, CountryEvidence, Document, Finding, Rubric

if TYPE_CHECKING:  # pandas is imported only when frames are built
    import pandas as pd

SCORED = "scored"
NOT_APPLICABLE = "not_applicable"
NOT_ASSESSED = "not_assessed"
STATUSES = (SCORED, NOT_APPLICABLE, NOT_ASSESSED)


@dataclass(slots=True)  # not frozen: a frozen init costs a third more, and a timeline makes tens of thousands
class Consideration:
    """One finding weighed for a criterion: does it count, and if not, why."""

    finding: Finding
    document: Document | None
    counts: bool
    reason: str | None  # why it was set aside
    in_force_from: dt.date | None
    in_force_to: dt.date | None
    deciding: bool = False
    # the reason as a message key and its values, so that reports can say it
    # in their language (reports/templates/messages.yaml, aside_*)
    why: tuple[str, dict] | None = None


@dataclass(frozen=True)
class CriterionResult:
    country: str
    criterion: Criterion
    status: str
    level: int | None
    max_level: int
    considered: tuple[Consideration, ...]
    rule_text: str
    # what rule_text adds to the rule's description, as message keys and their
    # values, so that reports and `explain` can say it in their language
    # (reports/templates/messages.yaml, note_*)
    notes: tuple[tuple[str, dict], ...] = ()

    @property
    def deciding(self) -> tuple[str, ...]:
        return tuple(c.finding.id for c in self.considered if c.deciding)

    @property
    def counted(self) -> tuple[str, ...]:
        return tuple(c.finding.id for c in self.considered if c.counts)

    @property
    def set_aside(self) -> tuple[tuple[str, str], ...]:
        return tuple((c.finding.id, c.reason or "") for c in self.considered if not c.counts)

    @property
    def verified(self) -> bool | None:
        """Whether the level rests on verified evidence; None when nothing decided.

        Under `highest` each deciding finding supports the level on its own, so
        one verified finding at that level is enough. Under a counting rule the
        level needs all the findings it counted, so all must be verified."""
        deciding = [c.finding for c in self.considered if c.deciding]
        if not deciding:
            return None
        if self.criterion.rule.type == "highest":
            return any(f.checked for f in deciding)
        return all(f.checked for f in deciding)

    @property
    def score(self) -> float | None:
        return None if self.level is None else 100.0 * self.level / self.max_level


_window = finding_window  # the name inside this module


_NO_TIER = object()


def weigh(finding: Finding, criterion: Criterion, rubric: Rubric, evidence: CountryEvidence, as_of: dt.date,
          tier=_NO_TIER, window: tuple | None = None) -> Consideration:
    """Decides whether one finding counts for its criterion on the as-of date,
    and if not, why (errors, a missing or not-adopted document, a document
    type the tier does not accept, out of force on the date, unverified under
    a rubric that counts verified findings only). `tier` (the criterion's
    tier) and `window` (the finding's document and _window(), as
    Prepared.window gives them), when the caller has them at hand, save
    working them out again.

    Returns: `Consideration` (``.counts``, ``.reason``, the span in force).
    Raises: nothing for loaded evidence.

    Example:
        >>> p = assess.prepare(["KAZ"])
        >>> ev, crit = p.evidence[0], p.rubric.criterion("fpc-mention")
        >>> f = next(f for f in ev.findings if f.criterion == crit.id)
        >>> weigh(f, crit, p.rubric, ev, dt.date(2021, 6, 30)).counts
    """
    if window is None:
        document = evidence.documents.get(finding.document) if finding.document else None
        bounds, start, end = _window(finding, document, evidence)
    else:
        document, bounds, start, end = window

    def aside(reason: str, key: str, **values) -> Consideration:
        return Consideration(finding, document, False, reason, start, end, why=(key, values))

    if not finding.complete:
        return aside("the finding has errors (see `assess validate`)", "aside_errors")
    if document is not None and not document.complete:
        return aside(f"document '{document.id}' has errors (see `assess validate`)", "aside_document_errors", id=document.id)
    if finding.document and document is None:
        return aside(f"document '{finding.document}' is not in the evidence", "aside_document_missing", id=finding.document)
    if document is not None and document.not_adopted_as_of is not None:
        return aside(f"document '{document.id}' is not adopted (none as of {document.not_adopted_as_of})", "aside_document_awaited",
                     id=document.id, date=document.not_adopted_as_of)
    if tier is _NO_TIER:
        tier = rubric.tier(criterion.tier)
    if document is not None and tier is not None and document.type not in tier.accepts:
        return aside(f"wrong document type: a '{document.type}' does not count for tier '{tier.id}'", "aside_wrong_type",
                     type=document.type, tier=tier.id)
    if start and end and end < start and criterion.rule.window == "to-date":
        # its bounds leave no day (a legislature gone before the document took effect): never
        # in force, so not "in force at any time up to the date" either
        return aside(f"never in force: it would hold from {start}, but its bounds end on {end}", "aside_never_in_force",
                     start=start, end=end)
    for kind, named, b_from, b_to in bounds:
        if b_from and as_of < b_from:
            return _out_of_force(aside, kind, named, "not yet", "from", as_of, b_from)
        if b_to and as_of > b_to and criterion.rule.window != "to-date":
            return _out_of_force(aside, kind, named, "no longer", "to", as_of, b_to)
    if not finding.checked and rubric.unverified == "exclude" and not finding.not_applicable:
        return aside("unverified, and this rubric counts verified findings only", "aside_unverified")
    return Consideration(finding, document, True, None, start, end)


def _out_of_force(aside, kind: str, named: str, when: str, edge: str, as_of: dt.date, day: dt.date) -> Consideration:
    """The reason a bound of _window() sets a finding aside, in English and as a message key."""
    if kind == "observation" and when == "not yet":
        return aside(f"not yet observed on {as_of}: document '{named}' observed on {day} (an observation says nothing "
                     "of earlier days)", "aside_not_yet_observation", as_of=as_of, id=named, date=day)
    what = "the provision" if kind == "provision" else f"{'document' if kind == 'observation' else kind} '{named}'"
    verb = "in existence" if kind == "legislature" else "in force"
    key = f"aside_{when.replace(' ', '_')}_{'document' if kind == 'observation' else kind}"
    return aside(f"{when} in force on {as_of}: {what} {verb} {edge} {day}", key, as_of=as_of, id=named, date=day)


def apply_rule(rule, levelled: list[Consideration]) -> tuple[int, set[str]]:
    """The level a rule gives over counting levelled findings, and the ids of the
    findings that gave it (`rule_level` on the considerations' findings).

    Returns: `tuple[int, set[str]]` (level, deciding finding ids).
    Raises: `ValueError` for an empty list under a rule that takes the highest
    level (there is no highest of nothing).

    Example:
        >>> level, deciding = apply_rule(crit.rule, [c for c in considered if c.counts])
    """
    return rule_level(rule, [c.finding for c in levelled])


def rule_level(rule, levelled: list[Finding]) -> tuple[int, set[str]]:
    """apply_rule() on the counting findings themselves. Under a
    "distinct-documents" rule, the level is the highest threshold met by the
    number of distinct documents cited by findings at or above the rule's
    min_level; otherwise the highest finding level. A counting finding that
    names a document has that document in the evidence (weigh() sets it aside
    otherwise), so the document's id is the finding's `document`.

    Returns: `tuple[int, set[str]]` (level, deciding finding ids).
    Raises: `ValueError` for an empty list under a highest-level rule.

    Example:
        >>> rule_level(crit.rule, [f])
        (2, {'kaz-fpc-mention-2014'})
    """
    if rule.type == "distinct-documents":
        supporting = [f for f in levelled if f.document and (f.level or 0) >= rule.min_level]
        count = len({f.document for f in supporting})
        level = max((lv for lv, need in rule.thresholds.items() if count >= need), default=0)
        return level, ({f.id for f in supporting} if supporting else {f.id for f in levelled})
    level = max(f.level or 0 for f in levelled)  # highest
    return level, {f.id for f in levelled if f.level == level}


def combine_coders(levels: list[int], how: str) -> int:
    """One level from several coders' levels, while they are not reconciled:
    `how` is "highest", "median" (the lower median, a level on the scale) or
    anything else for the lowest.

    Returns: `int`.
    Raises: `IndexError` for an empty list of levels.

    Example:
        >>> combine_coders([1, 3, 2, 0], "median")
        1
    """
    ordered = sorted(levels)
    if how == "highest":
        return ordered[-1]
    if how == "median":
        return ordered[(len(ordered) - 1) // 2]  # the lower median: a level on the scale
    return ordered[0]  # lowest


def uncoded_documents(rubric: Rubric, evidence: CountryEvidence, tier) -> list[Document]:
    """The documents of a type the tier accepts that no usable finding on this
    rubric's criteria cites: recorded, but not coded yet (adopted and without
    errors), sorted by id. While one is in force, nothing can be called absent
    on the tier: nobody has read it for this.

    Returns: `list[Document]`.
    Raises: nothing.

    Example:
        >>> p = assess.prepare(["KAZ"])
        >>> [d.id for d in uncoded_documents(p.rubric, p.evidence[0], p.rubric.tiers[0])]
        []
    """
    return _uncoded_among(_cited(rubric, evidence), tier)


def _cited(rubric: Rubric, evidence: CountryEvidence) -> tuple[set[str], list[Document]]:
    """What uncoded_documents() reads of the evidence whatever the tier: the
    documents cited by a usable finding on the rubric's criteria, and every
    document, sorted by id."""
    ids = {c.id for c in rubric.criteria}
    cited = {f.document for f in evidence.findings if f.document and f.complete and f.criterion in ids}
    return cited, sorted(evidence.documents.values(), key=lambda d: d.id)


def _uncoded_among(cited: tuple[set[str], list[Document]], tier) -> list[Document]:
    ids, documents = cited
    return [d for d in documents if d.type in tier.accepts and d.id not in ids and d.complete and d.not_adopted_as_of is None]


def in_force_on(document: Document, day: dt.date) -> bool:
    """Whether the document can count on the day: in force (an observation:
    made on or before it); a document not adopted yet never can.

    Returns: `bool`.
    Raises: nothing.

    Example:
        >>> in_force_on(ev.documents["kaz-fpc-2014"], dt.date(2021, 6, 30))
        False
    """
    if document.not_adopted_as_of is not None:
        return False
    start = document.starts
    return (start is None or start <= day) and (document.in_force_to is None or day <= document.in_force_to)


def awaited_documents(rubric: Rubric, evidence: CountryEvidence, tier, day: dt.date) -> list[Document]:
    """The documents of a type the tier accepts that are recorded as not
    adopted yet (not_adopted_as_of) and concern the day: any day while the
    legislature they name exists (or any day, if they name none). They never
    count for a level; they say why a criterion is not assessed.

    Returns: `list[Document]`, sorted by id.
    Raises: nothing.

    Example:
        >>> awaited_documents(p.rubric, ev, p.rubric.tiers[0], dt.date(2021, 6, 30))
        []
    """
    out = []
    for d in sorted(evidence.documents.values(), key=lambda d: d.id):
        if d.not_adopted_as_of is None or d.type not in tier.accepts or not d.complete:
            continue
        leg = evidence.country.legislature(d.legislature) if d.legislature else None
        if leg is not None and (leg.start and day < leg.start or leg.end and day > leg.end):
            continue
        out.append(d)
    return out


class Prepared:
    """What scoring one country's evidence against one rubric asks again and
    again whatever the date, worked out once: the criteria and tiers by id,
    the interval in which each finding holds, each criterion's first counting
    day and the day the evidence starts. A timeline decides thousands of
    criteria on one (rubric, evidence); each answer is the same as asking anew."""

    __slots__ = ("rubric", "evidence", "criteria", "tiers", "max_level", "_intervals", "_windows", "_uncoded", "_cited", "_texts")

    def __init__(self, rubric: Rubric, evidence: CountryEvidence):
        self.rubric = rubric
        self.evidence = evidence
        self.max_level = rubric.max_level
        self.criteria = {}
        for c in rubric.criteria:
            self.criteria.setdefault(c.id, c)  # the first, as Rubric.criterion() finds it
        self.tiers = {}
        for t in rubric.tiers:
            self.tiers.setdefault(t.id, t)
        self._intervals: dict[int, tuple | None] = {}  # id(finding) -> holds_interval (the findings live in evidence)
        self._windows: dict[int, tuple] = {}  # id(finding) -> (document, *_window())
        self._uncoded: dict[str, list[Document]] = {}
        self._cited: tuple | None = None  # _cited(): what uncoded() reads whatever the tier
        self._texts: dict[int, str] = {}  # id(rule) -> rule.describe(); the rules live in the rubric

    def rule_text(self, rule) -> str:
        """rule.describe(), once per rule (a Rule is frozen)."""
        text = self._texts.get(id(rule))
        if text is None:
            text = self._texts[id(rule)] = rule.describe()
        return text

    def tier(self, criterion: Criterion):
        return self.tiers.get(criterion.tier)

    def window(self, finding: Finding) -> tuple:
        """The finding's document and the span in which it holds (_window), for weigh()."""
        key = id(finding)
        found = self._windows.get(key)
        if found is None:
            evidence = self.evidence
            document = evidence.documents.get(finding.document) if finding.document else None
            found = self._windows[key] = (document, *_window(finding, document, evidence))
        return found

    def interval(self, finding: Finding) -> tuple[dt.date | None, dt.date | None] | None:
        key = id(finding)
        if key not in self._intervals:
            self._intervals[key] = holds_interval(finding, self.rubric, self.evidence, self)
        return self._intervals[key]

    def uncoded(self, tier) -> list[Document]:
        found = self._uncoded.get(tier.id)
        if found is None:
            if self._cited is None:  # the same for every tier: read once
                self._cited = _cited(self.rubric, self.evidence)
            found = self._uncoded[tier.id] = _uncoded_among(self._cited, tier)
        return found


def holds_interval(finding: Finding, rubric: Rubric, evidence: CountryEvidence,
                   prepared: Prepared | None = None) -> tuple[dt.date | None, dt.date | None] | None:
    """The first and last day a finding counts, or None if it never counts
    (wrong type, missing document, excluded as unverified...). The last day
    is None when the criterion's rule counts findings "to-date" or the finding
    holds open-ended. `prepared` (for the same rubric and evidence) answers
    the look-ups of criteria and tiers.

    Returns: `tuple[date | None, date | None]` or None.
    Raises: nothing.

    Example:
        >>> holds_interval(f, p.rubric, ev)
        (datetime.date(2014, 1, 21), datetime.date(2020, 3, 5))
    """
    if prepared is not None:
        criterion = prepared.criteria.get(finding.criterion)
    else:
        criterion = rubric.criterion(finding.criterion)
    if criterion is None:
        return None
    tier = prepared.tier(criterion) if prepared is not None else rubric.tier(criterion.tier)
    window = prepared.window(finding) if prepared is not None else None
    if window is not None:  # the span weigh() would report, without weighing on a probe date
        start, end = window[2], window[3]
    else:
        probe = weigh(finding, criterion, rubric, evidence, dt.date.max, tier)
        start, end = probe.in_force_from, probe.in_force_to
    # weigh on a date inside the window tells whether anything but dates sets it aside
    if start and end and end < start:
        return None
    inside = start or end or dt.date(2000, 1, 1)
    if not weigh(finding, criterion, rubric, evidence, inside, tier, window).counts:
        return None
    if criterion.rule.window == "to-date":
        end = None
    return start, end


def _finding_id(f: Finding) -> str:
    return f.id


# the notes settle() adds to a rule's description, in the scorer's own English
# (reports/templates/messages.yaml has them in every language, as note_*)
NOTES = {
    "note_reconciled": "; reconciled findings decide over the coders' own",
    "note_coders_disagree": "; coders disagree ({views}), unreconciled: the {how} level counts",
    "note_absent_traced": ("; no finding counts, and every document of the tier in force on this date "
                           "is declared read (traced from {date}): absent (level 0)"),
    "note_not_traced": ("; no finding counts, and the documents of the tier in force on this date are not "
                        "declared read (traced_from): not assessed"),
    "note_uncoded": "; no finding counts, and a document of the tier in force is recorded but not coded yet ({documents}): not assessed",
}


def settle(criterion: Criterion, levelled: list[Finding], not_applicable: list[Finding], rubric: Rubric,
           evidence: CountryEvidence, as_of: dt.date, prepared: Prepared | None = None) -> tuple[str, int | None, set[str], tuple]:
    """A criterion's status and level from the findings that count on the as-of
    date (levelled and n/a), the ids of those that decide it, and the notes to
    add to the rule's description, as (message key, values) pairs (NOTES).
    decide() weighs the findings first; a timeline, which knows which findings
    count on each date, asks this directly.

    With findings from several coders, a reconciled finding decides; until
    there is one, each coder's findings give a level by the criterion's rule
    and the rubric's `disagreement` rule (lowest by default) combines them.
    With no finding counting, `unanswered` says what the criterion is.

    Returns: `tuple[str, int | None, set[str], tuple]` (status, level,
    deciding ids, notes).
    Raises: nothing.

    Example:
        >>> settle(crit, [f], [], p.rubric, ev, dt.date(2021, 6, 30))
        ('scored', 2, {'kaz-fpc-mention-2014'}, ())
    """
    rule = criterion.rule
    if levelled:
        reconciled = [f for f in levelled if f.reconciled]
        # findings without a coder belong to nobody in particular: they join every coder's pool
        coders = sorted({f.coder for f in levelled if f.coder})
        if reconciled:
            level, deciding = rule_level(rule, reconciled)
            return SCORED, level, deciding, ((("note_reconciled", {}),) if len(coders) > 1 else ())
        if len(coders) > 1:
            per_coder = {coder: rule_level(rule, [f for f in levelled if f.coder in (coder, None)]) for coder in coders}
            level = combine_coders([lv for lv, _ in per_coder.values()], rubric.disagreement)
            deciding = {fid for lv, ids in per_coder.values() if lv == level for fid in ids}
            notes = ()
            if len({lv for lv, _ in per_coder.values()}) > 1:
                views = ", ".join(f"{coder}: {lv}" for coder, (lv, _) in per_coder.items())
                notes = (("note_coders_disagree", {"views": views, "how": rubric.disagreement}),)
            return SCORED, level, deciding, notes
        level, deciding = rule_level(rule, levelled)
        return SCORED, level, deciding, ()
    if not_applicable:
        return NOT_APPLICABLE, None, {f.id for f in not_applicable}, ()
    return unanswered(criterion, rubric, evidence, as_of, prepared)


def unanswered(criterion: Criterion, rubric: Rubric, evidence: CountryEvidence, as_of: dt.date,
               prepared: Prepared | None = None) -> tuple[str, int | None, set[str], tuple]:
    """What a criterion is when no finding counts for it on the date (settle()'s
    answer). Unknown is not zero: it is absent (level 0) only where the country's
    evidence declares every document of the tier read on that date (traced_from
    .. traced_to) and no document of the tier then in force is recorded without
    being coded; otherwise it is not assessed, with the reason as a note.

    Returns: `tuple[str, int | None, set[str], tuple]` (status, level, an
    empty set of deciding ids, notes).
    Raises: nothing.

    Example:
        >>> unanswered(crit, p.rubric, ev, dt.date(1990, 1, 1))
        ('not_assessed', None, set(), (('note_not_traced', {}),))
    """
    trace = evidence.country.traced_span(criterion.tier)
    if trace is None or not trace.covers(as_of):
        return NOT_ASSESSED, None, set(), (("note_not_traced", {}),)
    tier = prepared.tier(criterion) if prepared is not None else rubric.tier(criterion.tier)
    if tier is not None:
        uncoded = prepared.uncoded(tier) if prepared is not None else uncoded_documents(rubric, evidence, tier)
        open_ = [d.id for d in uncoded if in_force_on(d, as_of)]
        if open_:
            return NOT_ASSESSED, None, set(), (("note_uncoded", {"documents": ", ".join(open_)}),)
    return SCORED, 0, set(), (("note_absent_traced", {"date": trace.start}),)


def decide(criterion: Criterion, findings: Iterable[Finding], rubric: Rubric, evidence: CountryEvidence, as_of: dt.date,
           prepared: Prepared | None = None) -> CriterionResult:
    """The level of one criterion for one country, with every finding weighed
    (weigh) and the counting ones settling the level (settle). `prepared`, a Prepared for the same rubric and evidence, saves work when
    many criteria or dates are decided on them.

    Returns: `CriterionResult` (level, status, the finding that decided, every finding weighed).
    Raises: nothing for loaded evidence (bad records never reach the model).

    Example:
        >>> p = assess.prepare(["KAZ"])
        >>> crit = p.rubric.criterion("fpc-mention")
        >>> ev = p.evidence[0]
        >>> decide(crit, [f for f in ev.findings if f.criterion == crit.id], p.rubric, ev, dt.date(2021, 6, 30)).level
    """
    tier = prepared.tier(criterion) if prepared is not None else rubric.tier(criterion.tier)
    if prepared is not None:
        window = prepared.window
        considered = [weigh(f, criterion, rubric, evidence, as_of, tier, window(f)) for f in sorted(findings, key=_finding_id)]
    else:
        considered = [weigh(f, criterion, rubric, evidence, as_of, tier) for f in sorted(findings, key=_finding_id)]
    levelled = [c.finding for c in considered if c.counts and not c.finding.not_applicable]
    not_applicable = [c.finding for c in considered if c.counts and c.finding.not_applicable]
    rule_text = prepared.rule_text(criterion.rule) if prepared is not None else criterion.rule.describe()
    status, level, deciding, notes = settle(criterion, levelled, not_applicable, rubric, evidence, as_of, prepared)
    for key, values in notes:
        rule_text += NOTES[key].format(**values)
    # weigh() leaves `deciding` False and makes a new Consideration on every call, so it is set here
    if deciding:
        for c in considered:
            if c.finding.id in deciding:
                c.deciding = True
    max_level = prepared.max_level if prepared is not None else rubric.max_level
    return CriterionResult(evidence.iso3, criterion, status, level, max_level, tuple(considered), rule_text, notes)


# ---------------------------------------------------------------- aggregation


@dataclass(frozen=True)
class Aggregate:
    """A tier score or the overall index, with what it rests on."""

    score: float | None  # None when nothing in it is scored
    score_min: float | None  # if every unassessed part turned out level 0
    score_max: float | None  # ... or the maximum level
    weight: float
    total: int  # criteria in it
    scored: int
    not_applicable: int
    not_assessed: int

    @property
    def complete(self) -> bool:
        return self.not_assessed == 0

    @property
    def coverage(self) -> float:
        return (self.scored + self.not_applicable) / self.total if self.total else 0.0


def ratio(products: list[float], weights: list[float]) -> float | None:
    """The weighted mean sum(v*w) / sum(w), from the products v*w and the
    weights w, each list in the order of the parts; None for no parts or no weight.

    Returns: `float` or None.
    Raises: nothing.

    Example:
        >>> ratio([50.0, 100.0], [1.0, 1.0])
        75.0
    """
    if not weights:
        return None
    total = sum(weights)
    return None if total <= 0 else sum(products) / total


def aggregate_tier(results: list[CriterionResult], weight: float) -> Aggregate:
    # products and weights gathered in one pass: a timeline aggregates thousands of tiers
    """A tier's score from its criteria's results: the weighted mean of the
    scored criteria (criterion weights), and the range it could take if every
    criterion not assessed turned out level 0 (``score_min``) or the top level
    (``score_max``); not-applicable criteria are left out of both. `weight` is
    the tier's weight in the overall index.

    Returns: `Aggregate` (score None when no criterion is scored).
    Raises: nothing.

    Example:
        >>> cs = score_country(p.rubric, ev, dt.date(2021, 6, 30))
        >>> aggregate_tier(cs.criteria[:4], 1.0).scored
    """
    products, weights, open_ = [], [], []
    not_applicable = 0
    for r in results:
        status = r.status
        if status == SCORED:
            w = r.criterion.weight
            products.append(r.score * w)
            weights.append(w)
        elif status == NOT_ASSESSED:
            open_.append(r.criterion.weight)
        elif status == NOT_APPLICABLE:
            not_applicable += 1
    score = ratio(products, weights)
    if open_:
        all_weights = weights + open_
        low = ratio(products + [0.0 * w for w in open_], all_weights)
        high = ratio(products + [100.0 * w for w in open_], all_weights)
    else:
        low = high = score
    return Aggregate(
        score=score, score_min=low, score_max=high, weight=weight, total=len(results),
        scored=len(weights), not_applicable=not_applicable, not_assessed=len(open_),
    )


def aggregate_overall(tiers: list[Aggregate]) -> Aggregate:
    # products and weights gathered in one pass: a timeline aggregates thousands of indexes
    """The overall index from the tiers' aggregates: the weighted mean of the
    tiers that have a score (tier weights), its range from the tiers' ranges
    (a tier with nothing scored yet still bounds it), and the counts of
    criteria summed over the tiers.

    Returns: `Aggregate` (weight 1.0; score None when no tier is scored).
    Raises: nothing.

    Example:
        >>> aggregate_overall(list(cs.tiers.values())).score == cs.overall.score
        True
    """
    products, weights, low, high, bounds = [], [], [], [], []
    total = scored = not_applicable = not_assessed = 0
    for t in tiers:
        w = t.weight
        if t.score is not None:
            products.append(t.score * w)
            weights.append(w)
        # a tier with nothing scored yet still bounds the index through its range
        if t.score_min is not None:
            low.append(t.score_min * w)
            high.append(t.score_max * w)
            bounds.append(w)
        total += t.total
        scored += t.scored
        not_applicable += t.not_applicable
        not_assessed += t.not_assessed
    return Aggregate(
        score=ratio(products, weights), score_min=ratio(low, bounds), score_max=ratio(high, bounds),
        weight=1.0, total=total, scored=scored, not_applicable=not_applicable, not_assessed=not_assessed,
    )


@dataclass
class CountryScore:
    evidence: CountryEvidence
    criteria: list[CriterionResult]
    tiers: dict[str, Aggregate]
    overall: Aggregate


def score_country(rubric: Rubric, evidence: CountryEvidence, as_of: dt.date) -> CountryScore:
    """One country's scores on a rubric as of a date: every criterion decided
    (decide), each tier aggregated (aggregate_tier) and the overall index
    (aggregate_overall).

    Returns: `CountryScore` (``.criteria``, ``.tiers`` by id, ``.overall``).
    Raises: nothing for loaded evidence.

    Example:
        >>> p = assess.prepare(["KAZ"])
        >>> cs = score_country(p.rubric, p.evidence[0], dt.date(2021, 6, 30))
        >>> cs.overall.total, cs.overall.scored
    """
    by_criterion: dict[str, list[Finding]] = {}
    for f in evidence.findings:
        by_criterion.setdefault(f.criterion, []).append(f)
    results: list[CriterionResult] = []
    tiers: dict[str, Aggregate] = {}
    prepared = Prepared(rubric, evidence)
    for tier in rubric.tiers:
        tier_results = [decide(c, by_criterion.get(c.id, ()), rubric, evidence, as_of, prepared) for c in tier.criteria]
        results.extend(tier_results)
        tiers[tier.id] = aggregate_tier(tier_results, tier.weight)
    return CountryScore(evidence, results, tiers, aggregate_overall(list(tiers.values())))


@dataclass(frozen=True)
class Standing:
    """Whether a country's index may stand as a headline and take a rank.

    Below the rubric's band_min_coverage a mean over a few criteria says little
    about the whole: such a country has no headline point index and no rank;
    its headline is the range its index could take (range_low .. range_high),
    with the index on the assessed criteria beside it, labelled as such."""

    iso3: str
    ranked: bool
    rank: int | None  # 1 = highest; ties share a rank; None when unranked
    reason: str | None  # why unranked: "coverage" (below band_min_coverage) | "no_score"
    coverage: float
    assessed: int  # criteria scored or not applicable
    total: int
    range_low: float | None
    range_high: float | None


def standings(rubric: Rubric, countries: list[CountryScore]) -> list[Standing]:
    """Each country's standing, in the order given. Ranks are competition ranks
    (1, 2, 2, 4) over the countries with enough coverage (the rubric's
    band_min_coverage), by overall index; the others are unranked, with the
    reason ("coverage" or "no_score") and the range their index could take.

    Returns: `list[Standing]`.
    Raises: nothing.

    Example:
        >>> p = assess.prepare(["KAZ", "RUS"])
        >>> css = [score_country(p.rubric, e, dt.date(2021, 6, 30)) for e in p.evidence]
        >>> [(s.iso3, s.rank) for s in standings(p.rubric, css)]
    """
    eligible = []
    for cs in countries:
        o = cs.overall
        if o.score is not None and o.coverage >= rubric.band_min_coverage:
            eligible.append(o.score)
    eligible.sort()  # a rank counts the eligible indices above: len - bisect_right, not a scan per country
    out = []
    for cs in countries:
        o = cs.overall
        assessed = o.scored + o.not_applicable
        if o.score is None:
            reason = "no_score"
        elif o.coverage < rubric.band_min_coverage:
            reason = "coverage"
        else:
            reason = None
        rank = None if reason else 1 + len(eligible) - bisect.bisect_right(eligible, o.score + 1e-9)
        out.append(Standing(cs.evidence.iso3, reason is None, rank, reason, o.coverage, assessed, o.total,
                            o.score_min, o.score_max))
    return out


def ranking_order(rubric: Rubric, countries: list[CountryScore]) -> list[tuple[CountryScore, Standing]]:
    """Ranked countries first, by rank (then code), then the unranked by code,
    each with its standing.

    Returns: `list[tuple[CountryScore, Standing]]`.
    Raises: nothing.

    Example:
        >>> [s.iso3 for _, s in ranking_order(p.rubric, css)]
    """
    pairs = list(zip(countries, standings(rubric, countries)))
    return sorted(pairs, key=lambda p: (not p[1].ranked, p[1].rank or 0, p[0].evidence.iso3))


def commonly_assessed(countries: list[CountryScore]) -> list[str]:
    """Ids of the criteria assessed (scored or not applicable) for every
    country, in the rubric's order (the countries' scores must be on the same
    rubric); empty for no countries.

    Returns: `list[str]`.
    Raises: nothing.

    Example:
        >>> ids = commonly_assessed(css)
    """
    if not countries:
        return []
    first = countries[0].criteria
    return [
        r.criterion.id for i, r in enumerate(first)
        if all(cs.criteria[i].status != NOT_ASSESSED for cs in countries)
    ]


@dataclass(frozen=True)
class Common:
    """The countries' scores on the criteria assessed for all of them: the
    like-with-like basis of every comparison between them."""

    criteria: tuple[str, ...]
    scores: dict[str, CountryScore]  # iso3 -> the country's scores on those criteria only

    def overall(self, iso3: str) -> float | None:
        return self.scores[iso3].overall.score


def common_basis(rubric: Rubric, countries: list[CountryScore]) -> Common:
    """The countries' scores on the criteria assessed for all of them
    (commonly_assessed), each restricted to those (restrict_to): the
    like-with-like basis of every comparison between them.

    Returns: `Common` (``.criteria``, ``.scores`` by country code).
    Raises: nothing.

    Example:
        >>> common = common_basis(p.rubric, css)
        >>> common.overall("KAZ")
    """
    ids = commonly_assessed(countries)
    return Common(tuple(ids), {cs.evidence.iso3: restrict_to(cs, rubric, ids) for cs in countries})


def restrict_to(cs: CountryScore, rubric: Rubric, criterion_ids: Iterable[str]) -> CountryScore:
    """The same country's scores over a subset of criteria: like with like, in
    the Ranking Digital Rights manner, when countries are compared. Tiers and
    the overall index are aggregated again over the criteria kept.

    Returns: `CountryScore`.
    Raises: nothing.

    Example:
        >>> restrict_to(cs, p.rubric, ["fpc-mention"]).overall.total
        1
    """
    keep = set(criterion_ids)
    criteria = [r for r in cs.criteria if r.criterion.id in keep]
    tiers = {
        tier.id: aggregate_tier([r for r in criteria if r.criterion.tier == tier.id], tier.weight)
        for tier in rubric.tiers
    }
    return CountryScore(cs.evidence, criteria, tiers, aggregate_overall(list(tiers.values())))


# ---------------------------------------------------------------- frames


class Scores:
    """Scores of several countries on one rubric as of one date.

    criteria: one row per country x criterion; tiers: one row per country x
    tier; overall: one row per country, as pandas DataFrames. The frames are
    built (and pandas imported) when first asked for: the command line's
    outputs and the reports read `countries`, and pandas costs a 200-country
    report a quarter of a second it does not need.
    """

    def __init__(self, rubric: Rubric, as_of: dt.date, countries: list[CountryScore],
                 criteria: "pd.DataFrame | None" = None, tiers: "pd.DataFrame | None" = None,
                 overall: "pd.DataFrame | None" = None):
        self.rubric = rubric
        self.as_of = as_of
        self.countries = countries
        self._frames = (criteria, tiers, overall) if criteria is not None else None

    @property
    def criteria(self) -> "pd.DataFrame":
        return self._built()[0]

    @property
    def tiers(self) -> "pd.DataFrame":
        return self._built()[1]

    @property
    def overall(self) -> "pd.DataFrame":
        return self._built()[2]

    def _built(self) -> tuple:
        if self._frames is None:
            self._frames = _frames(self.rubric, self.as_of, self.countries)
        return self._frames

    def __repr__(self) -> str:
        return f"Scores(rubric={self.rubric.id!r}, as_of={self.as_of!r}, countries={[c.evidence.iso3 for c in self.countries]!r})"

    def country(self, iso3: str) -> CountryScore:
        return next(c for c in self.countries if c.evidence.iso3 == iso3)


def score_countries(rubric: Rubric, evidence: Iterable[CountryEvidence], as_of: dt.date | None = None) -> Scores:
    """Scores each country's evidence against the rubric as of a date (default
    today). The step below `assess.compute_scores`, for evidence already
    loaded and checked (`assess.prepare`).

    Returns: `Scores`.
    Raises: nothing for loaded, checked evidence.

    Example:
        >>> p = assess.prepare(["KAZ", "RUS"])
        >>> scores = score_countries(p.rubric, p.evidence, dt.date(2021, 6, 30))
    """
    as_of = as_of or dt.date.today()
    scored = [score_country(rubric, e, as_of) for e in progress.track(evidence, "scoring")]
    return Scores(rubric, as_of, scored)


def _frames(rubric: Rubric, as_of: dt.date, scored: list[CountryScore]) -> tuple:
    """The criteria, tiers and overall frames of Scores."""
    import pandas as pd

    crit_rows, tier_rows, overall_rows = [], [], []
    for cs in scored:
        iso3 = cs.evidence.iso3
        for r in cs.criteria:
            crit_rows.append({
                "country": iso3, "tier": r.criterion.tier, "criterion": r.criterion.id, "status": r.status,
                "level": r.level, "max_level": r.max_level, "score": r.score, "weight": r.criterion.weight,
                "verified": r.verified, "findings": list(r.deciding), "counted": list(r.counted),
                "set_aside": [f"{fid}: {why}" for fid, why in r.set_aside],
            })
        for tier in rubric.tiers:
            t = cs.tiers[tier.id]
            tier_rows.append({
                "country": iso3, "tier": tier.id, "score": t.score, "score_min": t.score_min, "score_max": t.score_max,
                "weight": t.weight, "criteria": t.total, "scored": t.scored, "not_applicable": t.not_applicable,
                "not_assessed": t.not_assessed, "coverage": t.coverage, "complete": t.complete, "band": rubric.band(t.score, coverage=t.coverage),
            })
        o = cs.overall
        overall_rows.append({
            "country": iso3, "overall": o.score, "overall_min": o.score_min, "overall_max": o.score_max,
            "coverage": o.coverage, "complete": o.complete, "criteria": o.total, "scored": o.scored,
            "not_applicable": o.not_applicable, "not_assessed": o.not_assessed, "band": rubric.band(o.score, coverage=o.coverage),
            "unverified": sum(1 for r in cs.criteria if r.verified is False),
        })
    for row, st in zip(overall_rows, standings(rubric, scored)):
        row.update({"ranked": st.ranked, "rank": st.rank, "unranked_reason": st.reason,
                    "range_low": st.range_low, "range_high": st.range_high})
    frames = []
    for rows, ints in ((crit_rows, ("level", "max_level")), (tier_rows, ("criteria",)), (overall_rows, ("criteria", "rank"))):
        frame = pd.DataFrame(rows)
        for col in ints:
            if col in frame:
                frame[col] = frame[col].astype("Int64")
        frames.append(frame)
    for frame in frames:
        frame.attrs.update({"rubric": rubric.id, "rubric_version": rubric.version, "as_of": as_of.isoformat()})
    return tuple(frames)
