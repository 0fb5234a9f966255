"""Scores -> JSON and CSV, byte for byte the same for the same inputs."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from .score import Scores, common_basis, standings

DECIMALS = 4


def _num(value: Any) -> Any:
    """A float rounded for stable output; None for a missing value."""
    if value is None:
        return None
    try:
        if math.isnan(value):
            return None
    except TypeError:
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    return round(float(value), DECIMALS)


def scores_to_dict(scores: Scores, lang: str = "en") -> dict:
    rubric = scores.rubric
    countries = []
    common = common_basis(rubric, scores.countries)
    for cs, st in zip(scores.countries, standings(rubric, scores.countries)):
        ev = cs.evidence
        o = cs.overall
        countries.append({
            "country": ev.iso3,
            "name": ev.country.name.get(lang),
            # below the rubric's band_min_coverage: no rank, and the headline is the range
            "ranked": st.ranked,
            "rank": st.rank,
            "unranked_reason": st.reason,
            "range_low": _num(st.range_low),
            "range_high": _num(st.range_high),
            "overall": _num(o.score),
            "overall_min": _num(o.score_min),
            "overall_max": _num(o.score_max),
            "band": rubric.band(o.score, lang, o.coverage),
            "coverage": _num(o.coverage),
            "complete": o.complete,
            "tiers": [
                {
                    "id": tier.id,
                    "score": _num(cs.tiers[tier.id].score),
                    "score_min": _num(cs.tiers[tier.id].score_min),
                    "score_max": _num(cs.tiers[tier.id].score_max),
                    "weight": _num(tier.weight),
                    "coverage": _num(cs.tiers[tier.id].coverage),
                    "complete": cs.tiers[tier.id].complete,
                    "band": rubric.band(cs.tiers[tier.id].score, lang, cs.tiers[tier.id].coverage),
                }
                for tier in rubric.tiers
            ],
            "criteria": [
                {
                    "id": r.criterion.id,
                    "tier": r.criterion.tier,
                    "level": r.level,
                    "max_level": r.max_level,
                    "status": r.status,
                    "verified": r.verified,
                    "findings": list(r.deciding),
                    "counted": list(r.counted),
                    "set_aside": [{"id": fid, "reason": why} for fid, why in r.set_aside],
                }
                for r in cs.criteria
            ],
        })
    return {
        "rubric": {"id": rubric.id, "version": rubric.version, "sha256": rubric.sha256},
        "as_of": scores.as_of.isoformat(),
        "band_min_coverage": _num(rubric.band_min_coverage),
        # like with like: each country's index on the criteria assessed for all of them
        "common": {"criteria": list(common.criteria),
                   "overall": {cs.evidence.iso3: _num(common.overall(cs.evidence.iso3)) for cs in scores.countries}},
        "countries": countries,
    }


def scores_to_json(scores: Scores, lang: str = "en") -> str:
    return json.dumps(scores_to_dict(scores, lang), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = [
    "country", "tier", "criterion", "status", "level", "max_level", "score", "weight", "verified",
    "findings", "set_aside", "tier_score", "tier_complete", "overall", "overall_complete", "as_of", "rubric", "rubric_version",
    "ranked", "rank", "range_low", "range_high", "overall_common", "common_criteria",
]


def scores_to_csv(scores: Scores) -> str:
    """One row per country x criterion, with its tier score and the overall index beside it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    common = common_basis(scores.rubric, scores.countries)
    for cs, st in zip(scores.countries, standings(scores.rubric, scores.countries)):
        standing = [str(st.ranked).lower(), "" if st.rank is None else st.rank, _blank(st.range_low), _blank(st.range_high),
                    _blank(common.overall(cs.evidence.iso3)), len(common.criteria)]
        for r in cs.criteria:
            tier = cs.tiers[r.criterion.tier]
            writer.writerow([
                cs.evidence.iso3, r.criterion.tier, r.criterion.id, r.status,
                "" if r.level is None else r.level, r.max_level, _blank(r.score), _num(r.criterion.weight),
                "" if r.verified is None else str(r.verified).lower(),
                " ".join(r.deciding), " | ".join(f"{fid}: {why}" for fid, why in r.set_aside),
                _blank(tier.score), str(tier.complete).lower(), _blank(cs.overall.score), str(cs.overall.complete).lower(),
                scores.as_of.isoformat(), scores.rubric.id, scores.rubric.version, *standing,
            ])
    return out.getvalue()


def _blank(value: Any) -> Any:
    value = _num(value)
    return "" if value is None else value


def timeline_to_dict(rubric, timelines, lang: str = "en") -> dict:
    return _timeline_tree(rubric, timelines, lang, encoded=False)


class _Encoded(str):
    """A row already encoded as JSON, which json_rows() writes as it is."""

    __slots__ = ()


def _timeline_tree(rubric, timelines, lang: str, encoded: bool) -> dict:
    """timeline_to_dict(); with `encoded`, each step and change is already
    its JSON row (_Encoded), as json_rows() would write it. Consecutive steps
    mostly share their aggregates, so each shared set of figures is rounded,
    and encoded, once."""
    figures: dict[tuple[int, int], dict | str] = {}

    def step(s):
        key = (id(s.overall), id(s.tiers))
        found = figures.get(key)
        if found is None:
            found = {
                "overall": _num(s.overall.score), "complete": s.overall.complete, "coverage": _num(s.overall.coverage),
                "tiers": {tid: _num(a.score) for tid, a in s.tiers.items()},
            }
            # the encoded row without its opening brace: '"overall": ..., "tiers": {...}}'
            found = figures[key] = _encode(found)[1:] if encoded else found
        if encoded:
            return _Encoded(f'{{"date": "{s.date.isoformat()}", {found}')
        return {"date": s.date.isoformat(), **found}

    def change(c):
        row = {"date": c.date.isoformat(), "scope": c.scope, "before": _num(c.before), "after": _num(c.after),
               "delta": _num(c.delta), "causes": c.causes}
        return _Encoded(_encode(row)) if encoded else row

    return {
        "rubric": {"id": rubric.id, "version": rubric.version},
        "countries": [
            {
                "country": tl.evidence.iso3,
                "name": tl.evidence.country.name.get(lang),
                "steps": [step(s) for s in tl.steps],
                "changes": [change(c) for c in tl.changes],
            }
            for tl in timelines
        ],
    }


def _is_row(value) -> bool:
    """A dict that holds no list of dicts (or of encoded rows): one step, one change point."""
    return isinstance(value, dict) and not any(
        isinstance(v, list) and any(isinstance(x, dict) or type(x) is _Encoded for x in v) for v in value.values())


_encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps(..., ensure_ascii=False) builds one per call


def json_rows(obj, depth: int = 0) -> str:
    """JSON laid out like indent=2, except that each row (a dict inside a list
    that holds no list of dicts) is written on one line. A timeline is
    thousands of such rows: one per line reads and diffs well, and the rows go
    through json's C encoder, which indent=2 would bypass (a fifth of the run
    time of a 200-country timeline)."""
    if type(obj) is _Encoded:
        return obj
    pad, end = "  " * (depth + 1), "  " * depth
    if isinstance(obj, dict) and obj:
        items = [f"{pad}{_encode(str(k))}: {json_rows(v, depth + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + end + "}"
    if isinstance(obj, list) and obj:
        items = [pad + (v if type(v) is _Encoded else _encode(v) if _is_row(v) else json_rows(v, depth + 1)) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + end + "]"
    return _encode(obj)


def timeline_to_json(rubric, timelines, lang: str = "en") -> str:
    return json_rows(_timeline_tree(rubric, timelines, lang, encoded=True)) + "\n"


def timeline_to_csv(rubric, timelines) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    tiers = [t.id for t in rubric.tiers]
    writer.writerow(["country", "date", "overall", "complete", "coverage"] + tiers)
    for tl in timelines:
        for s in tl.steps:
            writer.writerow([tl.evidence.iso3, s.date.isoformat(), _blank(s.overall.score), str(s.overall.complete).lower(),
                             _blank(s.overall.coverage)] + [_blank(s.tiers[t].score) for t in tiers])
    return out.getvalue()


def sensitivity_to_dict(s, lang: str = "en") -> dict:
    n = len(s.countries)
    return {
        "rubric": {"id": s.rubric.id, "version": s.rubric.version},
        "as_of": s.as_of.isoformat(),
        "draws": s.draws,
        "seed": s.seed,
        "concentration": s.concentration,
        "countries": [
            {"country": ev.iso3, "name": ev.country.name.get(lang), "point": _num(s.point[i]), "median": _num(s.median[i]),
             "p5": _num(s.low[i]), "p95": _num(s.high[i]),
             "ranks_above": {s.countries[j].iso3: _num(s.above[i][j]) for j in range(n) if j != i}}
            for i, ev in enumerate(s.countries)
        ],
        "statements": [s.statement(i, j, lang) for i in range(n) for j in range(n) if i < j],
    }


def sensitivity_to_json(s, lang: str = "en") -> str:
    return json_rows(sensitivity_to_dict(s, lang)) + "\n"
