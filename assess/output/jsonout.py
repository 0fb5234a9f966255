"""JSON for the commands that print tables or text (validate, explain,
countries, rubrics, check) and JSON Lines for the score: plain data, the same
bytes for the same inputs. Each has a documented way to a pandas frame
(README, "Tidy output"): a list of flat rows, or `pd.json_normalize`."""

from __future__ import annotations

import json
import os

from ..common.numbers import rounded as _num


def _dump(doc) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _rel(path: str, root: str | None) -> str:
    if root and path.startswith(root.rstrip(os.sep) + os.sep):
        return os.path.relpath(path, root).replace(os.sep, "/")
    return path


def problems_to_json(problems, files, workspace, strict: bool = False) -> str:
    """`assess validate --format json`: every problem as a flat row (path,
    line, field, message, severity; with `strict`, every problem an error),
    the files checked, the counts and whether it is ok.

    Returns: `str` (indented JSON, ending in a newline).
    Raises: nothing.

    Example:
        >>> loaded = assess.load_data()
        >>> report = assess.check(loaded)
        >>> json.loads(problems_to_json(report.problems, report.files, loaded.workspace))["ok"]
    """
    errors = sum(p.severity == "error" or strict for p in problems)
    return _dump({
        "workspace": workspace.root,
        "files": len(files),
        "errors": errors,
        "warnings": len(problems) - errors,
        "ok": errors == 0,
        "problems": [{"path": p.path, "line": p.line, "field": p.field, "message": p.message,
                      "severity": "error" if strict else p.severity} for p in problems],
    })


def explanation_to_json(ex, lang: str = "en") -> str:
    """`assess explain --format json`: the criterion, its rule, the level and
    every finding weighed (one row each under `findings`), in `lang`.

    Returns: `str` (indented JSON, ending in a newline).
    Raises: nothing for a shipped language.

    Example:
        >>> text = explanation_to_json(assess.explain_level("KAZ", "int-strategy", as_of="2021-06-30"))
    """
    from .render.context import aside_text, rule_text

    r, c = ex.result, ex.criterion
    findings = []
    for con in r.considered:
        f = con.finding
        findings.append({
            "id": f.id, "level": f.level, "counts": con.counts, "deciding": con.deciding,
            "reason_set_aside": (aside_text(con, lang) if not con.counts else None),
            "document": f.document, "in_force_from": con.in_force_from.isoformat() if con.in_force_from else None,
            "in_force_to": con.in_force_to.isoformat() if con.in_force_to else None,
            "locator": f.locator, "quote": f.quote, "verification": f.verification, "confidence": f.confidence,
            "coder": f.coder,
        })
    return _dump({
        "country": ex.evidence.iso3, "name": ex.evidence.country.name.get(lang),
        "rubric": {"id": ex.rubric.id, "version": ex.rubric.version}, "as_of": ex.as_of.isoformat(),
        "tier": ex.tier.id, "criterion": c.id, "title": c.title.get(lang), "question": c.question.get(lang),
        "rule": rule_text(c.rule, lang, r.notes),
        "status": r.status, "level": r.level, "max_level": r.max_level,
        "label": ex.rubric.level_label(r.level, lang) if r.level is not None else None,
        "deciding": list(r.deciding), "verified": r.verified,
        "findings": findings,
    })


def countries_to_json(loaded, shipped, lang: str = "en") -> str:
    """`assess countries --format json`: one row per country (code, name,
    where it comes from, counts, current legislature), and what the
    workspace does with the shipped countries (`shipped`, a Shipped).

    Returns: `str` (indented JSON, ending in a newline).
    Raises: nothing.

    Example:
        >>> from assess.data.workspace import shipped_of
        >>> loaded = assess.load_data()
        >>> text = countries_to_json(loaded, shipped_of(loaded))
    """
    rows = []
    for code, ev in sorted(loaded.countries.items()):
        leg = ev.country.legislatures[-1].name.get(lang) if ev.country.legislatures else None
        rows.append({"code": code, "name": ev.country.name.get(lang), "from": "shipped" if code in shipped.used else "workspace",
                     "documents": len(ev.documents), "findings": len(ev.findings), "files": len(ev.files),
                     "current_legislature": leg})
    return _dump({
        "workspace": loaded.workspace.root, "read_only": loaded.workspace.read_only,
        "countries": rows,
        "shipped": {"folder": shipped.folder, "used": list(shipped.used), "replaced": list(shipped.own),
                    "left_out": dict(sorted(shipped.left_out.items())), "turned_off": list(shipped.off)},
    })


def rubrics_to_json(loaded, lang: str = "en") -> str:
    """`assess rubrics --format json`: each rubric with its tiers and criteria
    (ids), and the errors found in the rubric files.

    Returns: `str` (indented JSON, ending in a newline).
    Raises: nothing.

    Example:
        >>> [r["id"] for r in json.loads(rubrics_to_json(assess.load_data()))["rubrics"]]
    """
    rubrics = []
    for rid, r in sorted(loaded.rubrics.items()):
        rubrics.append({
            "id": rid, "version": r.version, "default": bool(r.default), "title": r.title.get(lang), "path": r.path,
            "tiers": [{"id": t.id, "weight": _num(t.weight), "title": t.title.get(lang), "criteria": [c.id for c in t.criteria]}
                      for t in r.tiers],
        })
    problems = [{"path": p.path, "line": p.line, "field": p.field, "message": p.message, "severity": p.severity}
                for p in loaded.problems if p.severity == "error"]
    return _dump({"rubrics": rubrics, "problems": problems})


def drift_to_json(drift) -> str:
    """`assess check --format json`: whether the scores drifted from the
    baseline, and one row per change (country, scope, id, before, after,
    whether it fails, why, and the file locations behind it).

    Returns: `str` (indented JSON, ending in a newline).
    Raises: nothing.

    Example:
        >>> text = drift_to_json(assess.check_baseline("baselines/2021.json"))
    """
    return _dump({
        "drifted": drift.drifted, "tolerance": _num(drift.tolerance),
        "baseline": {"rubric": drift.baseline.get("rubric"), "as_of": drift.baseline.get("as_of")},
        "countries": list(drift.countries), "shipped": list(drift.shipped), "rubric_notes": list(drift.rubric_notes),
        "changes": [{"country": c.country, "scope": c.scope, "id": c.id, "before": _plain(c.before), "after": _plain(c.after),
                     "failing": c.failing, "why": list(c.why),
                     "locations": [{"file": f, "line": line, "what": what} for f, line, what in c.locations]}
                    for c in drift.changes],
    })


def _plain(value):
    if isinstance(value, float):
        return _num(value)
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def scores_to_jsonl(scores) -> str:
    """`assess score --format jsonl`: JSON Lines, one object per country and
    criterion with the same columns as the CSV (`pd.read_json(..., lines=True)`
    gives the frame), numbers and booleans typed.

    Returns: `str` (empty for no rows).
    Raises: nothing.

    Example:
        >>> text = scores_to_jsonl(assess.compute_scores(["KAZ"], as_of="2021-06-30"))
    """
    import csv
    import io

    from .export import CSV_COLUMNS, scores_to_csv

    out = []
    for row in csv.DictReader(io.StringIO(scores_to_csv(scores))):
        out.append(json.dumps({k: _typed(k, row[k]) for k in row}, ensure_ascii=False))
    return "\n".join(out) + ("\n" if out else "")


_NUMBERS = {"level", "max_level", "score", "weight", "tier_score", "overall", "rank", "range_low", "range_high",
            "overall_common", "common_criteria", "coverage", "tier_coverage"}
_BOOLS = {"verified", "tier_complete", "overall_complete", "ranked"}


def _typed(key: str, text: str):
    if text == "":
        return None
    if key in _BOOLS:
        return text == "true"
    if key in _NUMBERS:
        number = float(text)
        return int(number) if number.is_integer() and key in ("level", "max_level", "rank", "common_criteria") else number
    return text
