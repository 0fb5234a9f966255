"""Scores over time, from the documents' in-force dates, in one sweep.

Each finding holds over an interval (its document's, narrowed by the provision
and the legislature; a `to-date` rule keeps it from its start onwards). The
sweep walks the dates where some finding starts or stops holding, in order,
and re-decides only the criteria those findings belong to, with the same
`settle` the scorer's `decide` uses (the findings active on a date are exactly
those `weigh` would count on it, so the sweep skips the weighing). Steps
(years or months) then read the state in force on their date. So a timeline
over 35 years costs as many criterion decisions as there are change points,
not 35 full scorings.

A change point keeps apart two things that move a mean: scores and coverage.
When criteria start or stop being assessed on a day (a tier's first document,
an uncoded document, the end of a trace), the raw index moves because its set
of criteria moved: a lapse that takes two zero criteria out of the mean reads as
a rise. Such a change point says which criteria came or went and what caused it
(`coverage`), and its headline `delta` is like with like: the index on the
criteria assessed both the day before and that day (`like_before`,
`like_after`), from the scorer's own aggregate_tier / aggregate_overall. The raw
move stays, as `raw_delta`. The spans where overall coverage is below the
rubric's band_min_coverage are listed too (`CountryTimeline.thin`).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from ..common.messages import catalogue as _catalogue
from ..data.model import CountryEvidence, Criterion, Finding, Rubric
from ..scoring.score import NOT_ASSESSED, SCORED, Aggregate, Prepared, ratio, aggregate_overall, aggregate_tier, settle

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Event:
    date: dt.date
    finding: Finding
    starts: bool  # True: starts holding on date; False: stops holding on date


class Decided:
    """What a snapshot reads of one criterion's result on a date: its status,
    level and score, as aggregate_tier() reads them off a CriterionResult."""

    __slots__ = ("criterion", "status", "level", "score")

    def __init__(self, criterion: Criterion, status: str, level: int | None, max_level: int):
        self.criterion = criterion
        self.status = status
        self.level = level
        self.score = None if level is None else 100.0 * level / max_level


@dataclass
class Snapshot:
    date: dt.date
    overall: Aggregate
    tiers: dict[str, Aggregate]
    levels: dict[str, int | None]


@dataclass(frozen=True)
class CoverageChange:
    """Criteria of a scope that started or stopped being assessed (scored or
    not applicable) on a change day, and what made them move."""

    before: int  # criteria of the scope assessed the day before
    after: int  # ... and that day
    total: int  # criteria in the scope
    gained: tuple[str, ...]  # criterion ids assessed that day, not the day before
    lost: tuple[str, ...]  # ... the day before, not that day
    causes: tuple[str, ...]  # the documents (by title) and traces behind the move


@dataclass
class ChangePoint:
    date: dt.date
    scope: str  # a tier id, or "overall"
    before: float | None  # the score the day before, on whatever was assessed then
    after: float | None  # the score that day
    causes: list[str] = field(default_factory=list)  # "Constitution of 1995 in force"
    # None when no criterion of the scope started or stopped being assessed that day
    coverage: CoverageChange | None = None
    # the score on the criteria of the scope assessed on both days (like with like);
    # without a coverage change, the same as before / after
    like_before: float | None = None
    like_after: float | None = None
    common: int = 0  # criteria of the scope assessed on both days
    # with a coverage change, the causes behind the criteria assessed on both days that moved;
    # without one, the same list as causes
    score_causes: list[str] = field(default_factory=list)

    @property
    def raw_delta(self) -> float | None:
        """after - before: with a coverage change, part of it is criteria coming or going."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def delta(self) -> float | None:
        """The headline move: like with like, on the criteria assessed on both days.
        None when nothing is assessed on both (a tier appearing or going)."""
        if self.coverage is None:
            return self.raw_delta
        if self.like_before is None or self.like_after is None:
            return None
        return self.like_after - self.like_before

    @property
    def kind(self) -> str:
        """score: only scores moved; coverage: only the set of assessed criteria
        moved (no rise or fall like with like); both."""
        if self.coverage is None:
            return "score"
        d = self.delta
        return "both" if d is not None and abs(d) > 1e-9 else "coverage"


@dataclass
class CountryTimeline:
    evidence: CountryEvidence
    steps: list[Snapshot]
    changes: list[ChangePoint]
    # the spans (first day, last day or None: still) where the overall coverage is
    # below the rubric's band_min_coverage; the first span starts None if it holds
    # from before any event
    thin: list[tuple[dt.date | None, dt.date | None]] = field(default_factory=list)
    min_coverage: float = 0.0


def events_for(rubric: Rubric, evidence: CountryEvidence, prepared: Prepared | None = None) -> tuple[list[Event], list[Finding]]:
    """Dated start/stop events of the country's findings on the rubric (a
    finding starts counting on its first day, stops the day after its last),
    sorted by date, and the findings that count on every day (no start: held
    since before any date known). Findings that never count are left out.

    Returns: `tuple[list[Event], list[Finding]]`.
    Raises: nothing.

    Example:
        >>> p = assess.prepare(["KAZ"])
        >>> events, always = events_for(p.rubric, p.evidence[0])
    """
    events, always = [], []
    prepared = prepared if prepared is not None else Prepared(rubric, evidence)
    for f in evidence.findings:
        span = prepared.interval(f)
        if span is None:
            continue
        start, end = span
        if start is None and end is None:
            always.append(f)
            continue
        if start is not None:
            events.append(Event(start, f, True))
        else:
            always.append(f)  # held since before any date we know, until end
        if end is not None and end < dt.date.max:
            events.append(Event(end + ONE_DAY, f, False))
    events.sort(key=lambda e: (e.date, not e.starts, e.finding.id))
    return events, always




def trace_events(rubric: Rubric, evidence: CountryEvidence, prepared: Prepared) -> dict[dt.date, list[tuple]]:
    """The days on which what an unanswered criterion is (absent or not assessed)
    can change: a tier's trace starts or ends, or a document recorded without
    findings comes into or goes out of force. Each day lists (tier, cause).

    Returns: `dict[date, list[tuple]]`.
    Raises: nothing.

    Example:
        >>> days = trace_events(p.rubric, p.evidence[0], Prepared(p.rubric, p.evidence[0]))
    """
    days: dict[dt.date, list[tuple]] = {}
    for tier in rubric.tiers:
        trace = evidence.country.traced_span(tier.id)
        if trace is not None:
            if trace.start is not None:
                days.setdefault(trace.start, []).append((tier.id, ("trace", tier, True)))
            if trace.end is not None and trace.end < dt.date.max:
                days.setdefault(trace.end + ONE_DAY, []).append((tier.id, ("trace", tier, False)))
        for doc in prepared.uncoded(tier):
            if doc.starts is not None:  # in force from, or observed on
                days.setdefault(doc.starts, []).append((tier.id, ("uncoded", doc, True)))
            if doc.in_force_to is not None and doc.in_force_to < dt.date.max:
                days.setdefault(doc.in_force_to + ONE_DAY, []).append((tier.id, ("uncoded", doc, False)))
    return days


def _describe(f, rubric: Rubric, evidence: CountryEvidence, starts: bool, lang: str) -> str:
    """A cause in words (reports/templates/messages.yaml, tl_*): documents by
    title; a finding without a document by its criterion's title."""
    msg = _catalogue(lang)
    if isinstance(f, tuple):  # from trace_events()
        kind, what = f
        if kind == "trace":
            return msg("tl_trace_starts" if starts else "tl_trace_ends", tier=what.title.get(lang))
        return msg("tl_uncoded" if starts else "tl_no_longer", name=what.title.get(lang))
    doc = evidence.documents.get(f.document) if f.document else None
    if doc is not None:
        name = doc.title.get(lang)
        # the finding's own provision dates, not its document's, start or end it: say so
        if starts and f.in_force_from and (doc.starts is None or f.in_force_from > doc.starts) \
                or not starts and f.in_force_to and (doc.in_force_to is None or f.in_force_to < doc.in_force_to):
            if f.locator:  # never a raw finding id in prose: without a locator, the document's title alone
                return msg("tl_provision_in_force" if starts else "tl_provision_no_longer", name=name, locator=f.locator)
        if doc.observed is not None:  # an observation is not in force: it was made on a day, and holds while its legislature exists
            return msg("tl_observed" if starts else "tl_observation_ends", name=name)
    else:
        criterion = rubric.criterion(f.criterion)
        name = msg("tl_finding", criterion=criterion.title.get(lang) if criterion is not None else f.criterion)
    return msg("tl_in_force" if starts else "tl_no_longer", name=name)


def country_timeline(rubric: Rubric, evidence: CountryEvidence, dates: list[dt.date], lang: str = "en") -> CountryTimeline:
    """A country's scores through time: its state at each of `dates`, and every
    day on which a criterion's status or level changes, with the causes in
    words (in `lang`), swept event by event rather than scored anew each day;
    and the spans where the coverage is below the rubric's band_min_coverage.

    Returns: `CountryTimeline` (``.steps``, ``.changes``, ``.thin``).
    Raises: nothing for loaded evidence.

    Example:
        >>> dates = step_dates(dt.date(2015, 1, 1), dt.date(2021, 6, 30))
        >>> tl = country_timeline(p.rubric, p.evidence[0], dates)
        >>> [(s.date, s.overall.score) for s in tl.steps][:2]
    """
    prepared = Prepared(rubric, evidence)
    events, always = events_for(rubric, evidence, prepared)
    active: dict[str, dict[str, Finding]] = {c.id: {} for c in rubric.criteria}
    for f in always:
        if f.criterion in active:
            active[f.criterion][f.id] = f
    criteria = {c.id: c for c in rubric.criteria}
    results: dict[str, Decided] = {}
    max_level = prepared.max_level

    def recompute(cids, on: dt.date) -> list[str]:
        """Re-decides the criteria; returns those whose status or level moved."""
        moved = []
        for cid in cids:
            found = active[cid]
            levelled = [f for f in found.values() if not f.not_applicable] if found else ()
            not_applicable = [f for f in found.values() if f.not_applicable] if len(levelled) < len(found) else ()
            status, level, _, _ = settle(criteria[cid], levelled, not_applicable, rubric, evidence, on, prepared)
            old = results.get(cid)
            if old is None or old.status != status or old.level != level:
                results[cid] = Decided(criteria[cid], status, level, max_level)
                moved.append(cid)
        return moved

    tiers_of: dict[str, set[str]] = {}
    for t in rubric.tiers:
        for c in t.criteria:
            tiers_of.setdefault(c.id, set()).add(t.id)

    def snapshot(on: dt.date, prev: Snapshot | None = None, moved=()) -> Snapshot:
        # a tier none of whose criteria moved in status or level keeps its aggregate (an
        # aggregate reads only those and the weights)
        changed = {tid for cid in moved for tid in tiers_of.get(cid, ())} if prev is not None else None
        tiers = {t.id: aggregate_tier([results[c.id] for c in t.criteria], t.weight)
                 if changed is None or t.id in changed or t.id not in prev.tiers else prev.tiers[t.id]
                 for t in rubric.tiers}
        if prev is None:
            levels = {cid: r.level for cid, r in results.items()}
        else:  # the levels of the day before, with those that moved (a copy keeps the criteria's order)
            levels = prev.levels.copy()
            for cid in moved:
                levels[cid] = results[cid].level
        return Snapshot(on, aggregate_overall(list(tiers.values())), tiers, levels)

    traced = trace_events(rubric, evidence, prepared)
    first = min([e.date for e in events] + list(traced) + dates) if (events or traced or dates) else dt.date.today()
    recompute(criteria, first - ONE_DAY if first > dt.date.min else first)  # the state before every event
    history = [snapshot(dt.date.min)]
    changes: list[ChangePoint] = []
    days = sorted({e.date for e in events} | set(traced))
    i = 0
    tier_criteria = {t.id: [c.id for c in t.criteria] for t in rubric.tiers}

    told: dict[tuple[int, bool], str] = {}  # id(finding or (kind, what)), starts -> words: each said once

    documents = evidence.documents

    def said(cause) -> str:
        # a cause is put in words only when a change point shows it; a finding without
        # dates of its own is told by its document alone (_describe), so once per document
        f = cause[0]
        if isinstance(f, tuple):
            key = (id(f[1]), cause[1])
        elif f.in_force_from is None and f.in_force_to is None and f.document in documents:
            key = (f.document, cause[1])
        else:
            key = (id(f), cause[1])
        text = told.get(key)
        if text is None:
            text = told[key] = _describe(cause[0], rubric, evidence, cause[1], lang)
        return text

    day_texts: dict[str, list[str]] = {}  # criterion -> its causes in words, for the day being swept

    def texts(cid) -> list[str]:
        found = day_texts.get(cid)
        if found is None:
            found = day_texts[cid] = [said(c) for c in causes[cid]]
        return found

    day_words: dict[tuple, list[str]] = {}  # criteria -> their causes in words, for the day being swept

    def words(cids) -> list[str]:
        # a tier's change point and the index's often tell the same criteria: one list for both
        key = tuple(cids)
        found = day_words.get(key)
        if found is None:
            found = day_words[key] = _unique(text for cid in key for text in texts(cid))
        return found

    for day in days:
        causes: dict[str, list] = {}  # criterion -> what happened that day: (finding, starts), or ((kind, what), starts)
        with_events: set[str] = set()
        while i < len(events) and events[i].date == day:
            e = events[i]
            if e.starts:
                active[e.finding.criterion][e.finding.id] = e.finding
            else:
                active[e.finding.criterion].pop(e.finding.id, None)
            with_events.add(e.finding.criterion)
            causes.setdefault(e.finding.criterion, []).append((e.finding, e.starts))
            i += 1
        for tier_id, (kind, what, starts) in traced.get(day, ()):
            # only a criterion nothing counts for can move: one with findings in force
            # and no event today would be decided exactly as before
            for cid in tier_criteria[tier_id]:
                if cid in with_events or not active[cid]:
                    causes.setdefault(cid, []).append(((kind, what), starts))
        touched = sorted(causes)  # sorted: the same causes read in the same order every run
        day_texts.clear()
        day_words.clear()
        was = {cid: results[cid] for cid in touched}  # the day before, for a coverage change
        moved = recompute(touched, day)
        if not moved:  # nothing moved in status or level: every tier and the index stay as they were
            history.append(Snapshot(day, history[-1].overall, history[-1].tiers, history[-1].levels))
            continue
        prev = history[-1]
        snap = snapshot(day, prev, moved)
        # criteria that started or stopped being assessed: the mean's set of criteria moved
        flipped = {cid for cid in moved if (was[cid].status == NOT_ASSESSED) != (results[cid].status == NOT_ASSESSED)}
        if not flipped:  # scores moved on the same criteria: raw and like with like are one
            for tier in rubric.tiers:
                b, a = prev.tiers[tier.id], snap.tiers[tier.id]
                if a is not b and _differs(b.score, a.score):
                    told_ = words([cid for cid in touched if criteria[cid].tier == tier.id])
                    changes.append(ChangePoint(day, tier.id, b.score, a.score, told_, None, b.score, a.score,
                                               a.scored + a.not_applicable, told_))
            b, a = prev.overall, snap.overall
            if _differs(b.score, a.score):
                told_ = words(touched)
                changes.append(ChangePoint(day, "overall", b.score, a.score, told_, None, b.score, a.score,
                                           a.scored + a.not_applicable, told_))
            history.append(snap)
            continue
        like = _like_with_like(rubric, results, was, flipped, prev, snap)
        moved_ = set(moved)
        for tier in rubric.tiers:
            b, a = prev.tiers[tier.id], snap.tiers[tier.id]
            came = [cid for cid in tier_criteria[tier.id] if cid in flipped]  # in the rubric's order
            if a is not b and (_differs(b.score, a.score) or came):
                mine = [cid for cid in touched if criteria[cid].tier == tier.id]
                changes.append(_change(day, tier.id, b, a, mine, came, flipped, like[1][tier.id], moved_, results, words))
        came = [cid for cid in criteria if cid in flipped]
        changes.append(_change(day, "overall", prev.overall, snap.overall, touched, came, flipped, like[0], moved_, results, words))
        history.append(snap)
    days = [s.date for s in history]
    steps = [history[bisect.bisect_right(days, d) - 1] for d in dates]
    steps = [Snapshot(d, s.overall, s.tiers, s.levels) for d, s in zip(dates, steps)]
    floor = rubric.band_min_coverage or 0.0
    return CountryTimeline(evidence, steps, changes, _thin_spans(history, floor), floor)


def _like_with_like(rubric: Rubric, results: dict, was: dict, flipped: set, prev: Snapshot, snap: Snapshot) -> tuple:
    """The index and each tier's score the day before and that day, on the
    criteria assessed (scored or not applicable) on both days: the scores
    aggregate_tier / aggregate_overall give over those. `results` holds that
    day's decisions, `was` the day before's for the criteria decided again,
    `flipped` the criteria that started or stopped being assessed. A tier
    without one is assessed on the same criteria both days, and an aggregate's
    score leaves the unassessed out, so its aggregates of each day (`prev`,
    `snap`) are already like with like. Returns ((index before, index after,
    criteria on both days), {tier: (before, after, criteria on both days)})."""
    tiers: dict[str, tuple] = {}
    for tier in rubric.tiers:
        if not any(c.id in flipped for c in tier.criteria):
            b, a = prev.tiers[tier.id], snap.tiers[tier.id]
            tiers[tier.id] = (b.score, a.score, a.scored + a.not_applicable)
            continue
        old, new = [], []
        for c in tier.criteria:
            after = results[c.id]
            before = was.get(c.id, after)
            if before.status != NOT_ASSESSED and after.status != NOT_ASSESSED:
                old.append(before)
                new.append(after)
        tiers[tier.id] = (_tier_score(old), _tier_score(new), len(new))
    # the index's score as aggregate_overall() computes it (the same sums in the same order), without its range
    weights = [tier.weight for tier in rubric.tiers]
    overall = (_overall_score([t[0] for t in tiers.values()], weights), _overall_score([t[1] for t in tiers.values()], weights),
               sum(t[2] for t in tiers.values()))
    return overall, tiers


def _tier_score(results) -> float | None:
    """aggregate_tier(results, weight).score: the weighted mean of the scored
    criteria, from the same products and weights in the same order."""
    products, weights = [], []
    for r in results:
        if r.status == SCORED:
            w = r.criterion.weight
            products.append(r.score * w)
            weights.append(w)
    return ratio(products, weights)


def _overall_score(scores, weights) -> float | None:
    """aggregate_overall(tiers).score from the tiers' scores and weights: the
    weighted mean of the scored tiers."""
    products, kept = [], []
    for score, w in zip(scores, weights):
        if score is not None:
            products.append(score * w)
            kept.append(w)
    return ratio(products, kept)


def _change(day, scope, b: Aggregate, a: Aggregate, mine, came, flipped, like, moved, results, words) -> ChangePoint:
    """One change point of a day on which criteria started or stopped being
    assessed (`flipped`). `mine` are the scope's criteria something happened
    to that day, `came` the scope's flipped ones in the rubric's order (none
    for a tier whose scores alone moved), `like` (before, after, criteria) the
    score on the criteria assessed on both days, `moved` the criteria whose
    status or level moved."""
    causes = words(mine)
    if not came:
        return ChangePoint(day, scope, b.score, a.score, causes, None, b.score, a.score, a.scored + a.not_applicable, causes)
    behind = [cid for cid in mine if cid in flipped]
    # the coverage move's causes, in the order of `causes`; most days every touched criterion came or went
    said = causes if len(behind) == len(mine) else words(behind)
    still = [cid for cid in mine if cid in moved and cid not in flipped]  # assessed on both days, and moved
    gained = tuple(cid for cid in came if results[cid].status != NOT_ASSESSED)
    lost = tuple(cid for cid in came if results[cid].status == NOT_ASSESSED)
    coverage = CoverageChange(b.scored + b.not_applicable, a.scored + a.not_applicable, a.total, gained, lost, tuple(said))
    return ChangePoint(day, scope, b.score, a.score, causes, coverage, like[0], like[1], like[2], words(still) if still else [])


def _thin_spans(history: list[Snapshot], floor: float) -> list[tuple]:
    """The spans of the sweep's history where the overall coverage is below
    `floor`: (first day, last day), the first day None for the state before
    any event, the last None while it lasts."""
    spans, start = [], False  # start: False outside a span, else its first day (None: from the beginning)
    for snap in history:
        low = floor > 0 and snap.overall.coverage < floor - 1e-12
        if low and start is False:
            start = None if snap.date == dt.date.min else snap.date
        elif not low and start is not False:
            spans.append((start, snap.date - ONE_DAY))
            start = False
    if start is not False:
        spans.append((start, None))
    return spans


def _unique(texts) -> list[str]:
    return list(dict.fromkeys(texts))


def _differs(a, b) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > 1e-9


def step_dates(start: dt.date, end: dt.date, step: str = "year") -> list[dt.date]:
    """The last day of each year (or month) from `start` to `end`, and `end`
    itself: the dates a timeline reports.

    Returns: `list[date]`.
    Raises: `ValueError` for a `step` other than "year" or "month".

    Example:
        >>> step_dates(dt.date(2019, 3, 1), dt.date(2021, 6, 30))
        [datetime.date(2019, 12, 31), datetime.date(2020, 12, 31), datetime.date(2021, 6, 30)]
    """
    out = []
    if step == "year":
        year = start.year
        while dt.date(year, 12, 31) < end:
            out.append(dt.date(year, 12, 31))
            year += 1
    elif step == "month":
        y, m = start.year, start.month
        while True:
            if (y, m) == (dt.MAXYEAR, 12):
                break  # the last month a date can have; `end` closes it
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            last = nxt - ONE_DAY
            if last >= end:
                break
            out.append(last)
            y, m = nxt.year, nxt.month
    else:
        raise ValueError(step)
    out.append(end)
    return out
