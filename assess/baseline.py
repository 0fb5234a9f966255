"""Committed baselines of scores, and the drift between a baseline and now.

A baseline records, for one rubric and one pinned as-of date, every country x
criterion's level and status with the content fingerprints of the findings
and documents behind it, the tier scores and the overall index. `compare`
works on two such records only, so the reasons it gives (a finding edited, a
document removed, the rubric changed, or the code changed while the inputs did
not) come from data, not from guesses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
import os
from dataclasses import dataclass, field

from .atomic import write_text_atomic
from .errors import InvalidInput
from .model import Document, Finding, Rubric

FORMAT = 1


def fingerprint(record: Finding | Document) -> str:
    """A short hash of what a finding or document says (not where it is written)."""
    data = {
        f.name: getattr(record, f.name)
        for f in dataclasses.fields(record)
        if f.name not in ("source", "complete")
    }
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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
    return {
        "id": rubric.id,
        "version": rubric.version,
        "sha256": rubric.sha256,
        "tiers": {t.id: {"weight": t.weight, "accepts": list(t.accepts)} for t in rubric.tiers},
        "criteria": {c.id: {"tier": c.tier, "weight": c.weight, "rule": c.rule.describe()} for c in rubric.criteria},
        "scale": [s.level for s in rubric.scale],
        "unverified": rubric.unverified,
    }


def make_baseline(scores, root: str, tool_version: str) -> dict:
    """The baseline record of a Scores object. `root` makes file paths relative."""
    countries = {}
    for cs in scores.countries:
        criteria = {}
        for r in cs.criteria:
            findings = {
                c.finding.id: {"sha": fingerprint(c.finding), "file": _rel(c.finding.source.path, root), "counts": c.counts,
                               "level": c.finding.level_text}
                for c in r.considered
            }
            documents = {
                c.document.id: {"sha": fingerprint(c.document), "file": _rel(c.document.source.path, root)}
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
        countries[cs.evidence.iso3] = {
            "overall": _round(cs.overall.score),
            "coverage": _round(cs.overall.coverage),
            "complete": cs.overall.complete,
            "tiers": {tid: _round(t.score) for tid, t in cs.tiers.items()},
            "criteria": criteria,
        }
    return {
        "assess_baseline": FORMAT,
        "tool_version": tool_version,
        "rubric": rubric_record(scores.rubric),
        "as_of": scores.as_of.isoformat(),
        "countries": dict(sorted(countries.items())),
    }


def dumps(record: dict) -> str:
    # sorted keys and one value per line: a small, reviewable diff in a pull request
    return json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_baseline(record: dict, path: str) -> str:
    return write_text_atomic(path, dumps(record))


def read_baseline(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            record = json.load(fh)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no baseline here; create one with `assess baseline`") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}:{exc.lineno}: not a valid baseline (JSON: {exc.msg}); a merge conflict? regenerate it with `assess baseline --update`") from None
    if not isinstance(record, dict) or record.get("assess_baseline") != FORMAT or "countries" not in record:
        raise InvalidInput(f"{path}: not an assess baseline of format {FORMAT}; regenerate it with `assess baseline --update`")
    return record


# ---------------------------------------------------------------- drift


@dataclass
class Change:
    country: str
    scope: str  # criterion | tier | overall | country
    id: str
    before: object
    after: object
    why: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # evidence files behind the change
    records: list[tuple[str, str]] = field(default_factory=list)  # (finding|document, id) behind it
    locations: list[tuple[str, int | None, str]] = field(default_factory=list)  # (file, line, what), filled by the caller

    @property
    def delta(self) -> float | None:
        if isinstance(self.before, (int, float)) and isinstance(self.after, (int, float)) and not isinstance(self.before, bool):
            return round(float(self.after) - float(self.before), 4)
        return None


@dataclass
class Drift:
    changes: list[Change]
    rubric_notes: list[str]
    baseline: dict
    current: dict

    @property
    def drifted(self) -> bool:
        return bool(self.changes)

    def failing(self, country: str, scope: str, id_: str) -> Change | None:
        return next((c for c in self.changes if c.country == country and c.scope == scope and c.id == id_), None)


def _rubric_notes(before: dict, after: dict) -> list[str]:
    b, a = before.get("rubric", {}), after.get("rubric", {})
    notes = []
    if b.get("id") != a.get("id"):
        return [f"rubric changed from '{b.get('id')}' to '{a.get('id')}'"]
    if b.get("version") != a.get("version"):
        notes.append(f"rubric {a.get('id')} version {b.get('version')} -> {a.get('version')}")
    elif b.get("sha256") != a.get("sha256"):
        notes.append(f"rubric {a.get('id')} content changed without a version bump (still {a.get('version')})")
    for kind in ("tiers", "criteria"):
        bk, ak = b.get(kind, {}), a.get(kind, {})
        for key in sorted(set(bk) | set(ak)):
            if key not in bk:
                notes.append(f"rubric adds {kind[:-1] if kind == 'tiers' else 'criterion'} {key}")
            elif key not in ak:
                notes.append(f"rubric removes {kind[:-1] if kind == 'tiers' else 'criterion'} {key}")
            else:
                for prop in sorted(set(bk[key]) | set(ak[key])):
                    if bk[key].get(prop) != ak[key].get(prop):
                        label = "tier" if kind == "tiers" else "criterion"
                        notes.append(f"rubric {label} {key}: {prop} {bk[key].get(prop)} -> {ak[key].get(prop)}")
    for prop in ("scale", "unverified"):
        if b.get(prop) != a.get(prop):
            notes.append(f"rubric {prop}: {b.get(prop)} -> {a.get(prop)}")
    return notes


def _evidence_reasons(before: dict, after: dict) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """What changed in the findings and documents behind one criterion."""
    why, files, records = [], [], []
    for kind in ("findings", "documents"):
        b, a = before.get(kind, {}), after.get(kind, {})
        noun = kind[:-1]
        for key in sorted(set(b) | set(a)):
            if key not in b:
                why.append(f"{noun} {key} added ({a[key]['file']})")
                files.append(a[key]["file"])
                records.append((noun, key))
            elif key not in a:
                why.append(f"{noun} {key} removed (was in {b[key]['file']})")
                files.append(b[key]["file"])
                records.append((noun, key))
            elif b[key]["sha"] != a[key]["sha"]:
                what = "changed"
                if b[key].get("level") != a[key].get("level"):
                    what = f"level {b[key].get('level')} -> {a[key].get('level')}"
                why.append(f"{noun} {key} {what} ({a[key]['file']})")
                files.append(a[key]["file"])
                records.append((noun, key))
            elif kind == "findings" and b[key].get("counts") != a[key].get("counts"):
                why.append(f"{noun} {key} now {'counts' if a[key].get('counts') else 'is set aside'}")
                files.append(a[key]["file"])
                records.append((noun, key))
    return why, sorted(set(files)), records


def compare(baseline: dict, current: dict, tolerance: float = 0.0) -> Drift:
    """Every score that moved between a baseline and the current record, with why."""
    notes = _rubric_notes(baseline, current)
    code_note = (
        f"code changed: the inputs match the baseline (tool {baseline.get('tool_version')} -> {current.get('tool_version')})"
    )
    changes: list[Change] = []
    bc, ac = baseline["countries"], current["countries"]
    for country in sorted(set(bc) | set(ac)):
        if country not in bc:
            changes.append(Change(country, "country", country, None, ac[country]["overall"], ["country added since the baseline"]))
            continue
        if country not in ac:
            changes.append(Change(country, "country", country, bc[country]["overall"], None, ["country removed since the baseline"]))
            continue
        b, a = bc[country], ac[country]
        crit_changes: dict[str, Change] = {}
        for cid in list(a["criteria"]) + [x for x in b["criteria"] if x not in a["criteria"]]:
            bcrit, acrit = b["criteria"].get(cid), a["criteria"].get(cid)
            if bcrit is None or acrit is None:
                why = ["criterion added to the rubric"] if bcrit is None else ["criterion removed from the rubric"]
                changes.append(Change(country, "criterion", cid, _level(bcrit), _level(acrit), why + notes))
                continue
            why, files, records = _evidence_reasons(bcrit, acrit)
            moved = bcrit["status"] != acrit["status"] or _moved(bcrit["level"], acrit["level"], tolerance)
            if moved:
                reasons = why or notes or [code_note]
                change = Change(country, "criterion", cid, _level(bcrit), _level(acrit), reasons, files, records)
                changes.append(change)
                crit_changes[cid] = change
        for tid in list(a["tiers"]) + [x for x in b["tiers"] if x not in a["tiers"]]:
            before, after = b["tiers"].get(tid), a["tiers"].get(tid)
            if tid not in b["tiers"] or tid not in a["tiers"] or _moved(before, after, tolerance):
                inside = [c for cid, c in crit_changes.items() if a["criteria"].get(cid, {}).get("tier") == tid]
                why = [f"criteria moved: {', '.join(c.id for c in inside)}"] if inside else []
                changes.append(Change(country, "tier", tid, before, after, why + notes or [code_note], sorted({f for c in inside for f in c.files})))
        if _moved(b["overall"], a["overall"], tolerance):
            inside = [c for c in changes if c.country == country and c.scope == "tier"]
            why = [f"tiers moved: {', '.join(c.id for c in inside)}"] if inside else []
            changes.append(Change(country, "overall", "overall", b["overall"], a["overall"], why or notes or [code_note], sorted({f for c in inside for f in c.files})))
    return Drift(changes, notes, baseline, current)


def _level(crit: dict | None):
    if crit is None:
        return None
    return crit["level"] if crit["status"] == "scored" else crit["status"]


def _moved(before, after, tolerance: float) -> bool:
    if before is None or after is None:
        return before is not after
    return abs(float(after) - float(before)) > tolerance + 1e-9
