"""Committed baselines of scores, and the drift between a baseline and now.

A baseline records, for one rubric and one pinned as-of date, every country x
criterion's level and status with the content fingerprints of the findings
and documents behind it, the tier scores and the overall index. `compare`
works on two such records only, so the reasons it gives (a finding edited, a
document removed, the rubric changed, or the code changed while the inputs did
not) come from data, not from guesses.

Coverage is compared as such: which criteria are assessed in the baseline and
now, and why one no longer is (the scorer's note: not traced, or a document
recorded but not coded; the findings set aside). Tier scores and the index are
compared like with like, on the criteria assessed on both sides, so that a
criterion leaving the mean never reads as a move; the raw move is kept beside.

The record's optional keys `notes` (per criterion: the scorer's note keys and
values), `aside` (per finding set aside: why) and `assessed` (per country) came
later within format 1: a baseline without them reads the same, and only the
current side's are used to explain a move.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from ..common.atomic import write_text_atomic
from ..common.errors import InvalidInput
from ..common.messages import say
from ..data.model import Document, Finding, Rubric

FORMAT = 1


def fingerprint(record: Finding | Document) -> str:
    """A short hash of what a finding or document says (not where it is
    written): SHA-256 of its fields but its source and completeness, fields
    added to the format later left out while empty, so that a record that
    does not use them keeps its fingerprint.

    Returns: `str` (16 hexadecimal digits).
    Raises: nothing.

    Example:
        >>> len(fingerprint(evidence.findings[0]))
        16
    """
    data = {
        f.name: getattr(record, f.name)
        for f in dataclasses.fields(record)
        if f.name not in ("source", "complete")
        and not (f.name in _ADDED_LATER and not getattr(record, f.name))
    }
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# fields added to the evidence format after baselines were first recorded: left
# out of the hash while empty, so that a record that does not use them keeps its fingerprint
_ADDED_LATER = ("langs", "quote_lang", "quotes", "quotes_check")


def _plain(value):
    if isinstance(value, (dt.date,)):
        return value.isoformat()
    if hasattr(value, "values") and hasattr(value, "get"):  # Text
        return dict(value.values)
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    return str(value)


def _round(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return round(float(x), 4)


def _rel(path: str, root: str) -> str:
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def rubric_record(rubric: Rubric) -> dict:
    """What a baseline records of its rubric: id, version, sha256, each tier's
    weight and accepted document types, each criterion's tier, weight and
    rule in words, the scale's levels and the rule for unverified findings.

    Returns: `dict`.
    Raises: nothing.

    Example:
        >>> rubric_record(scores.rubric)["id"]
        'four-tier'
    """
    return {
        "id": rubric.id,
        "version": rubric.version,
        "sha256": rubric.sha256,
        "tiers": {t.id: {"weight": t.weight, "accepts": list(t.accepts)} for t in rubric.tiers},
        "criteria": {c.id: {"tier": c.tier, "weight": c.weight, "rule": c.rule.describe()} for c in rubric.criteria},
        "scale": [s.level for s in rubric.scale],
        "unverified": rubric.unverified,
    }


SHIPPED_PREFIX = "shipped:"  # a file of the data shipped with assess, relative to its evidence folder


def make_baseline(scores, root: str, tool_version: str, shipped: tuple[str, list[str]] | None = None) -> dict:
    """The baseline record of a Scores object: the rubric (rubric_record), the
    as-of date, the tool version and, per country, its index, tiers,
    coverage and each criterion's status, level and the fingerprints of the
    findings and documents weighed. `root` makes file paths relative.

    `shipped` is (the shipped evidence folder, the codes read from it): those
    countries' files are recorded as `shipped:KAZ/laws.yaml`, the same on every
    machine, and the record lists them under `shipped_countries`.

    Returns: `dict`.
    Raises: nothing.

    Example:
        >>> record = make_baseline(assess.compute_scores(["KAZ"], as_of="2021-06-30"), ".", assess.__version__)
        >>> sorted(record)
        ['as_of', 'assess_baseline', 'countries', 'rubric', 'tool_version']
    """
    countries = {}
    shipped_folder, shipped_codes = shipped if shipped else (None, [])

    def rel(path: str) -> str:
        if shipped_folder is not None:
            inside = _rel(path, shipped_folder)
            if inside != path:
                return SHIPPED_PREFIX + inside
        return _rel(path, root)

    for cs in scores.countries:
        criteria = {}
        for r in cs.criteria:
            findings = {
                c.finding.id: {"sha": fingerprint(c.finding), "file": rel(c.finding.source.path), "counts": c.counts,
                               "level": c.finding.level_text, **({} if c.counts else {"aside": c.reason or ""})}
                for c in r.considered
            }
            documents = {
                c.document.id: {"sha": fingerprint(c.document), "file": rel(c.document.source.path)}
                for c in r.considered if c.document is not None
            }
            criteria[r.criterion.id] = {
                "tier": r.criterion.tier,
                "status": r.status,
                "level": r.level,
                "deciding": list(r.deciding),
                "findings": dict(sorted(findings.items())),
                "documents": dict(sorted(documents.items())),
            }
            if r.notes:
                # why the criterion is (not) assessed, as the scorer's note keys and values
                # (score.NOTES): `check` names them when coverage moves
                criteria[r.criterion.id]["notes"] = {key: {k: _plain(v) if isinstance(v, dt.date) else v for k, v in values.items()}
                                                     for key, values in r.notes}
        countries[cs.evidence.iso3] = {
            "overall": _round(cs.overall.score),
            "coverage": _round(cs.overall.coverage),
            "assessed": cs.overall.scored + cs.overall.not_applicable,
            "complete": cs.overall.complete,
            "tiers": {tid: _round(t.score) for tid, t in cs.tiers.items()},
            "criteria": criteria,
        }
    record = {
        "assess_baseline": FORMAT,
        "tool_version": tool_version,
        "rubric": rubric_record(scores.rubric),
        "as_of": scores.as_of.isoformat(),
        "countries": dict(sorted(countries.items())),
    }
    taken = sorted(c for c in countries if c in shipped_codes)
    if taken:  # optional in format 1: which countries came from the data shipped with assess
        record["shipped_countries"] = taken
    return record


def dumps(record: dict) -> str:
    # sorted keys and one value per line: a small, reviewable diff in a pull request
    r"""A baseline record as JSON: sorted keys and one value per line, a small,
    reviewable diff in a pull request; with a final newline.

    Returns: `str`.
    Raises: `TypeError` for a value JSON cannot hold.

    Example:
        >>> dumps({"b": 1, "a": [2]})
        '{\n  "a": [\n    2\n  ],\n  "b": 1\n}\n'
    """
    return json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_baseline(record: dict, path: str) -> str:
    """Writes a baseline record (dumps) to `path`, atomically.

    Returns: `str`, the path.
    Raises: `UsageError` (a path that cannot be written), `CannotWrite` (a
    failure while writing), `Interrupted` (Ctrl-C).

    Example:
        >>> write_baseline(record, "baselines/four-tier.json")
        'baselines/four-tier.json'
    """
    return write_text_atomic(path, dumps(record))


def read_baseline(path: str) -> dict:
    """The baseline record in the file at `path` (a regular file of JSON in
    the current baseline format).

    Returns: `dict`.
    Raises: `InvalidInput` naming the file (missing, not a regular file,
    unreadable, not JSON, with the line, or not a baseline of this format),
    saying how to make or regenerate it.

    Example:
        >>> read_baseline("baselines/four-tier.json")["rubric"]["id"]
        'four-tier'
    """
    from ..common.files import not_a_file, os_reason

    try:  # only a regular file is opened: a named pipe would wait forever
        what = not_a_file(os.stat(path).st_mode)
    except FileNotFoundError:
        what = None  # said below
    except OSError as exc:
        raise InvalidInput(say("e_baseline_unreadable", path=path, why=os_reason(exc, path))) from None
    if what:
        raise InvalidInput(say("e_baseline_not_file", path=path, what=what))
    try:
        with open(path, encoding="utf-8") as fh:
            record = json.load(fh)
    except FileNotFoundError:
        raise InvalidInput(say("e_baseline_missing", path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(say("e_baseline_unreadable", path=path, why=str(exc))) from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(say("e_baseline_json", path=path, line=exc.lineno, why=exc.msg)) from None
    if not isinstance(record, dict) or record.get("assess_baseline") != FORMAT or "countries" not in record:
        raise InvalidInput(say("e_baseline_format", path=path, format=FORMAT))
    return record


# ---------------------------------------------------------------- drift


@dataclass
class Change:
    """One thing that moved between the baseline and now.

    scope: criterion (its level or status), coverage (which criteria are
    assessed), tier or overall (a score), country (added or removed).

    For a tier or the overall index, `before` and `after` are like with like:
    both on the `common` criteria assessed in the baseline and now (of the tier,
    for a tier), so that criteria leaving or joining the mean never read as a
    move. `raw_before` and `raw_after` are the recorded scores, each on what its
    side assessed (`assessed_before`, `assessed_after` criteria). A row is
    `failing` unless it is shown for information only: a raw move with no
    like-with-like move beyond the tolerance (the coverage move that caused it
    fails on its own)."""

    country: str
    scope: str  # criterion | coverage | tier | overall | country
    id: str
    before: object
    after: object
    why: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # evidence files behind the change
    records: list[tuple[str, str]] = field(default_factory=list)  # (finding|document, id) behind it
    locations: list[tuple[str, int | None, str]] = field(default_factory=list)  # (file, line, what), filled by the caller
    failing: bool = True
    common: int | None = None  # tier, overall: criteria assessed in both
    raw_before: float | None = None
    raw_after: float | None = None
    assessed_before: int | None = None  # tier, overall: criteria assessed on each side
    assessed_after: int | None = None
    left: list[str] = field(default_factory=list)  # coverage: criteria no longer assessed
    joined: list[str] = field(default_factory=list)  # coverage: criteria newly assessed
    groups: list[tuple[str, list[str], str]] = field(default_factory=list)  # coverage: (left|joined, criteria, why)

    @property
    def delta(self) -> float | None:
        return _delta(self.before, self.after)

    @property
    def raw_delta(self) -> float | None:
        return _delta(self.raw_before, self.raw_after)

    @property
    def coverage_moved(self) -> bool:
        """For a tier or the index: the two sides rest on different criteria."""
        return self.assessed_before != self.common or self.assessed_after != self.common


def _delta(before, after) -> float | None:
    if isinstance(before, (int, float)) and isinstance(after, (int, float)) and not isinstance(before, bool):
        return round(float(after) - float(before), 4)
    return None


@dataclass
class Drift:
    changes: list[Change]
    rubric_notes: list[str]
    baseline: dict
    current: dict
    tolerance: float = 0.0
    # the countries checked now, and which of them come from the data shipped with assess
    countries: list[str] = field(default_factory=list)
    shipped: list[str] = field(default_factory=list)

    @property
    def drifted(self) -> bool:
        return any(c.failing for c in self.changes)

    @property
    def failures(self) -> list[Change]:
        return [c for c in self.changes if c.failing]

    def find(self, country: str, scope: str, id_: str) -> Change | None:
        return next((c for c in self.changes if c.country == country and c.scope == scope and c.id == id_), None)

    def failing(self, country: str, scope: str, id_: str) -> Change | None:
        change = self.find(country, scope, id_)
        return change if change is not None and change.failing else None


def _rubric_notes(before: dict, after: dict, t=None) -> list[str]:
    t = t or _catalogue("en")
    b, a = before.get("rubric", {}), after.get("rubric", {})
    notes = []
    if b.get("id") != a.get("id"):
        return [t("drift_rubric_changed", before=b.get('id'), after=a.get('id'))]
    if b.get("version") != a.get("version"):
        notes.append(t("drift_rubric_version", id=a.get('id'), before=b.get('version'), after=a.get('version')))
    elif b.get("sha256") != a.get("sha256"):
        notes.append(t("drift_rubric_content", id=a.get('id'), version=a.get('version')))
    for kind in ("tiers", "criteria"):
        bk, ak = b.get(kind, {}), a.get(kind, {})
        label = t("drift_tier_noun") if kind == "tiers" else t("drift_criterion_noun")
        for key in sorted(set(bk) | set(ak)):
            if key not in bk:
                notes.append(t("drift_rubric_adds", what=label, rid=key))
            elif key not in ak:
                notes.append(t("drift_rubric_removes", what=label, rid=key))
            else:
                for prop in sorted(set(bk[key]) | set(ak[key])):
                    if bk[key].get(prop) != ak[key].get(prop):
                        notes.append(t("drift_rubric_prop", what=label, rid=key, prop=prop, before=bk[key].get(prop),
                                       after=ak[key].get(prop)))
    for prop in ("scale", "unverified"):
        if b.get(prop) != a.get(prop):
            notes.append(t("drift_rubric_field", prop=prop, before=b.get(prop), after=a.get(prop)))
    return notes




def _evidence_reasons(before: dict, after: dict, t=None) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """What changed in the findings and documents behind one criterion."""
    t = t or _catalogue("en")
    why, files, records = [], [], []
    for kind in ("findings", "documents"):
        b, a = before.get(kind, {}), after.get(kind, {})
        noun = kind[:-1]
        said = t(f"drift_{noun}_noun")
        for key in sorted(set(b) | set(a)):
            if key not in b:
                why.append(t("drift_added", noun=said, rid=key, file=a[key]['file']))
                files.append(a[key]["file"])
                records.append((noun, key))
            elif key not in a:
                why.append(t("drift_removed", noun=said, rid=key, file=b[key]['file']))
                files.append(b[key]["file"])
                records.append((noun, key))
            elif b[key]["sha"] != a[key]["sha"]:
                what = t("drift_changed")
                if b[key].get("level") != a[key].get("level"):
                    what = t("drift_level_moved", before=b[key].get('level'), after=a[key].get('level'))
                why.append(t("drift_evidence_moved", noun=said, rid=key, what=what, file=a[key]['file']))
                files.append(a[key]["file"])
                records.append((noun, key))
            elif kind == "findings" and b[key].get("counts") != a[key].get("counts"):
                aside = a[key].get("aside")
                why.append(t("drift_now_counts" if a[key].get("counts") else "drift_now_aside", noun=said, rid=key)
                           + (f": {aside}" if aside else ""))
                files.append(a[key]["file"])
                records.append((noun, key))
    return why, sorted(set(files)), records


NOT_ASSESSED = "not_assessed"


def _assessed(crit: dict | None) -> bool:
    return crit is not None and crit.get("status") != NOT_ASSESSED


def why_not_assessed(crit: dict, t=None) -> str:
    """Briefly, why a criterion (a baseline record's criterion entry) is not
    assessed, from the scorer's note: documents recorded but not coded, a
    tier not traced on the date, or no finding counting.

    Texts are written in `lang` (en, ru, kk; the catalogue's words).

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> why_not_assessed(record["countries"]["KAZ"]["criteria"]["law-parliament-status"])
    """
    t = t or _catalogue("en")
    notes = crit.get("notes") or {}
    if "note_uncoded" in notes:
        return t("drift_uncoded", documents=notes['note_uncoded'].get('documents'))
    if "note_not_traced" in notes:
        return t("drift_not_traced")
    return t("drift_no_finding_counts")


def _why_left(before: dict, after: dict, t=None) -> str:
    """Briefly, why a criterion assessed in the baseline is not now: the findings
    that counted and are set aside now, and the scorer's note."""
    findings_b, findings_a = before.get("findings", {}), after.get("findings", {})
    aside = [findings_a[f].get("aside") for f in sorted(findings_a)
             if findings_b.get(f, {}).get("counts") and not findings_a[f].get("counts") and findings_a[f].get("aside")]
    gone = [f for f in sorted(findings_b) if findings_b[f].get("counts") and f not in findings_a]
    # "no longer in force on <the pinned date>: document 'x' in force to <day>" says enough from its colon on
    aside = [re.sub(r"^(no longer|not yet) in force on \d{4}-\d{2}-\d{2}: ", "", reason) for reason in aside]
    t = t or _catalogue("en")
    parts = [t("drift_set_aside", n=aside.count(reason), reason=reason) for reason in dict.fromkeys(aside)]
    if gone:
        parts.append(t("drift_findings_removed", n=len(gone), ids=", ".join(gone)))
    return "; ".join(parts + [why_not_assessed(after, t)])


def why_assessed(crit: dict, t=None) -> str:
    """Briefly, what makes a criterion (a baseline record's criterion entry)
    assessed: absent with its tier declared read, or answered (or not
    applicable) by the deciding findings.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> why_assessed(record["countries"]["KAZ"]["criteria"]["fpc-mention"])
    """
    t = t or _catalogue("en")
    notes = crit.get("notes") or {}
    if "note_absent_traced" in notes:
        return t("drift_absent_traced", date=notes['note_absent_traced'].get('date'))
    deciding = crit.get("deciding") or []
    what = t("drift_not_applicable") if crit.get("status") == "not_applicable" else t("drift_answered")
    return t("drift_decided_by", what=what, ids=", ".join(deciding)) if deciding else what


def _status_reasons(before: dict, after: dict, explained: bool, t=None) -> list[str]:
    """What the scorer says about a criterion whose status moved."""
    t = t or _catalogue("en")
    if before["status"] == after["status"]:
        return []
    if not _assessed(after):
        return [t("drift_not_assessed_now", why=why_not_assessed(after, t))]
    if not _assessed(before) and (not explained or "note_absent_traced" in (after.get("notes") or {})):
        return [t("drift_assessed_now", why=why_assessed(after, t))]
    return []


class _Part:
    """A criterion of a record, as score.aggregate_tier reads a CriterionResult."""

    __slots__ = ("status", "criterion", "score")

    def __init__(self, status: str, level, weight: float, top: int):
        self.status = status
        self.criterion = SimpleNamespace(weight=weight)
        self.score = None if level is None or not top else 100.0 * level / top


def scores_on(country: dict, rubric: dict, ids) -> tuple[dict, float | None]:
    """A record's tier scores and overall index on the given criteria only, by
    the scorer's own aggregation and the weights and scale its rubric records
    (`country`: a baseline record's country entry; `rubric`: its rubric entry).

    Returns: `tuple[dict, float | None]` (tier id -> score or None, overall).
    Raises: `KeyError` for a criterion id the country entry lacks.

    Example:
        >>> kaz = record["countries"]["KAZ"]
        >>> tiers, overall = scores_on(kaz, record["rubric"], list(kaz["criteria"]))
    """
    from ..scoring.score import aggregate_overall, aggregate_tier

    top = max(rubric.get("scale") or [0])
    tiers = rubric.get("tiers", {})
    weights = rubric.get("criteria", {})
    parts: dict[str, list] = {tid: [] for tid in tiers}
    for cid in ids:
        crit = country["criteria"][cid]
        weight = float((weights.get(cid) or {}).get("weight", 1.0))
        parts.setdefault(crit.get("tier"), []).append(_Part(crit["status"], crit.get("level"), weight, top))
    aggregates = {tid: aggregate_tier(p, float((tiers.get(tid) or {}).get("weight", 1.0))) for tid, p in parts.items()}
    overall = aggregate_overall(list(aggregates.values()))
    return {tid: _round(a.score) for tid, a in aggregates.items()}, _round(overall.score)


def compare(baseline: dict, current: dict, tolerance: float = 0.0, lang: str = "en") -> Drift:
    """Every score that moved between a baseline and the current record, with why.

    Which criteria are assessed (coverage), and each criterion's status and
    level, are compared exactly: any move fails whatever the tolerance. Tier
    scores and the overall index are compared like with like, on the criteria
    assessed both in the baseline and now, and fail when they move by more
    than `tolerance` points; their raw moves are kept beside, for display.
    The reasons are written in `lang` (messages.yaml, keys drift_*).
    A country added or removed is a change too.

    Returns: `Drift` (``.drifted``, ``.changes``, ``.rubric_notes``).
    Raises: `KeyError` for a record without "countries".

    Example:
        >>> compare(record, record).drifted
        False
    """
    t = _catalogue(lang)
    notes = _rubric_notes(baseline, current, t)
    code_note = t("drift_code_changed", before=baseline.get('tool_version'), after=current.get('tool_version'))
    changes: list[Change] = []
    bc, ac = baseline["countries"], current["countries"]
    for country in sorted(set(bc) | set(ac)):
        if country not in bc:
            changes.append(Change(country, "country", country, None, ac[country]["overall"], [t("drift_country_added")]))
            continue
        if country not in ac:
            changes.append(Change(country, "country", country, bc[country]["overall"], None, [t("drift_country_removed")]))
            continue
        changes.extend(_country_changes(country, bc[country], ac[country], baseline.get("rubric", {}), current.get("rubric", {}),
                                        tolerance, notes, code_note, t))
    return Drift(changes, notes, baseline, current, tolerance)


def _country_changes(country: str, b: dict, a: dict, brubric: dict, arubric: dict, tolerance: float,
                     notes: list[str], code_note: str, t=None) -> list[Change]:
    t = t or _catalogue("en")
    out: list[Change] = []
    bcrits, acrits = b["criteria"], a["criteria"]
    order = list(acrits) + [x for x in bcrits if x not in acrits]

    # criteria: any move of status or level shows and fails (the tolerance is for scores, not levels)
    crit_changes: dict[str, Change] = {}
    for cid in order:
        bcrit, acrit = bcrits.get(cid), acrits.get(cid)
        if bcrit is None or acrit is None:
            why = [t("drift_criterion_added")] if bcrit is None else [t("drift_criterion_removed")]
            change = Change(country, "criterion", cid, _level(bcrit), _level(acrit), why + notes)
        elif bcrit["status"] != acrit["status"] or bcrit["level"] != acrit["level"]:
            why, files, records = _evidence_reasons(bcrit, acrit, t)
            why = why + _status_reasons(bcrit, acrit, bool(why), t)
            change = Change(country, "criterion", cid, _level(bcrit), _level(acrit), why or notes or [code_note], files, records)
        else:
            continue
        out.append(change)
        crit_changes[cid] = change

    # coverage: which criteria are assessed; any move fails
    left = sorted(cid for cid in order if _assessed(bcrits.get(cid)) and not _assessed(acrits.get(cid)))
    joined = sorted(cid for cid in order if _assessed(acrits.get(cid)) and not _assessed(bcrits.get(cid)))
    n_before = sum(1 for c in bcrits.values() if _assessed(c))
    n_after = sum(1 for c in acrits.values() if _assessed(c))
    if left or joined:
        groups: list[tuple[str, list[str], str]] = []
        for way, ids in (("left", left), ("joined", joined)):
            by_reason: dict[str, list[str]] = {}
            for cid in ids:
                if way == "left":
                    reason = _why_left(bcrits[cid], acrits[cid], t) if cid in acrits else t("drift_removed_from_rubric")
                else:
                    reason = why_assessed(acrits[cid], t) if cid in bcrits else t("drift_added_to_rubric")
                by_reason.setdefault(reason, []).append(cid)
            groups.extend((way, cids, reason) for reason, cids in by_reason.items())
        why = [t("drift_group_left" if way == "left" else "drift_group_joined", ids=", ".join(cids), reason=reason)
               for way, cids, reason in groups]
        behind = [crit_changes[cid] for cid in left + joined if cid in crit_changes]
        out.append(Change(country, "coverage", "coverage", n_before, n_after, why,
                          sorted({f for c in behind for f in c.files}), [r for c in behind for r in c.records],
                          left=left, joined=joined, groups=groups))

    # tier scores and the index: like with like, on the criteria assessed in both
    common = [cid for cid in order if _assessed(bcrits.get(cid)) and _assessed(acrits.get(cid))]
    like_b, index_b = scores_on(b, brubric, common)
    like_a, index_a = scores_on(a, arubric, common)
    tier_changes = []
    for tid in list(a["tiers"]) + [x for x in b["tiers"] if x not in a["tiers"]]:
        if tid not in b["tiers"] or tid not in a["tiers"]:
            why = [t("drift_tier_added")] if tid not in b["tiers"] else [t("drift_tier_removed")]
            change = Change(country, "tier", tid, b["tiers"].get(tid), a["tiers"].get(tid), why + notes)
            out.append(change)
            tier_changes.append(change)
            continue
        # shown when anything moved; failing when the like-with-like score moved beyond the tolerance
        like_moved = _moved(like_b.get(tid), like_a.get(tid), tolerance)
        assessed_b = sum(1 for c in bcrits.values() if c.get("tier") == tid and _assessed(c))
        assessed_a = sum(1 for c in acrits.values() if c.get("tier") == tid and _assessed(c))
        n_common = sum(1 for cid in common if acrits[cid].get("tier") == tid)
        if not (_moved(like_b.get(tid), like_a.get(tid), 0.0) or _moved(b["tiers"][tid], a["tiers"][tid], 0.0)
                or assessed_b != n_common or assessed_a != n_common):
            continue
        inside = [c for cid, c in crit_changes.items() if (acrits.get(cid) or bcrits.get(cid) or {}).get("tier") == tid]
        moved = [c.id for c in inside if c.id in common]
        why = [t("drift_criteria_moved", ids=", ".join(moved))] if moved else []
        if like_moved and not moved:
            why += notes or [code_note]
        change = Change(country, "tier", tid, like_b.get(tid), like_a.get(tid), why, sorted({f for c in inside for f in c.files}),
                        failing=like_moved, common=n_common, raw_before=b["tiers"][tid], raw_after=a["tiers"][tid],
                        assessed_before=assessed_b, assessed_after=assessed_a)
        out.append(change)
        tier_changes.append(change)
    like_moved = _moved(index_b, index_a, tolerance)
    if _moved(index_b, index_a, 0.0) or _moved(b["overall"], a["overall"], 0.0) or left or joined:
        moved = [c for c in tier_changes if c.failing]
        why = [t("drift_tiers_moved", ids=", ".join(c.id for c in moved))] if moved else []
        if like_moved and not moved:
            why += notes or [code_note]
        out.append(Change(country, "overall", "overall", index_b, index_a, why, sorted({f for c in tier_changes for f in c.files}),
                          failing=like_moved, common=len(common), raw_before=b["overall"], raw_after=a["overall"],
                          assessed_before=n_before, assessed_after=n_after))
    return out


def _catalogue(lang: str):
    from ..common.messages import catalogue

    return catalogue(lang)


def _level(crit: dict | None):
    if crit is None:
        return None
    return crit["level"] if crit["status"] == "scored" else crit["status"]


def _moved(before, after, tolerance: float) -> bool:
    if before is None or after is None:
        return before is not after
    return abs(float(after) - float(before)) > tolerance + 1e-9
