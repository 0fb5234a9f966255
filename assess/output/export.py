"""Scores -> JSON and CSV, byte for byte the same for the same inputs."""

from __future__ import annotations

import csv
import io
import json
from json.encoder import INFINITY as _INFINITY, c_make_encoder as _c_make_encoder, encode_basestring as _string
from typing import Any

from ..common.numbers import DECIMALS  # noqa: F401  (kept importable from here)
from ..common.numbers import rounded as _num  # the name inside this module
from ..scoring.score import Scores, common_basis, standings




def scores_to_dict(scores: Scores, lang: str = "en") -> dict:
    """The scores as plain data (what `assess score --format json` prints),
    titles in `lang`.

    Returns: dict with ``rubric``, ``as_of`` and ``countries``.
    Raises: nothing.

    Example:
        >>> doc = scores_to_dict(assess.compute_scores(["KAZ"], as_of="2021-06-30"))
        >>> doc["countries"][0]["overall"]
    """
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
    """`scores_to_dict` as indented JSON text (UTF-8 characters kept).

    Returns: str. Raises: nothing.

    Example:
        >>> text = scores_to_json(assess.compute_scores(["KAZ"], as_of="2021-06-30"), "ru")
    """
    out: list[str] = []
    _indented(scores_to_dict(scores, lang), "\n", out.append)
    out.append("\n")
    return "".join(out)


def json_indented(obj, depth: int = 0) -> str:
    """json.dumps(obj, ensure_ascii=False, indent=2), the same bytes, with
    every string and number written by json's own C functions: indent=2
    alone sends every value through the pure-Python encoder (a quarter of
    `assess score --all --format json` on 200 countries). Dicts, lists,
    strings, numbers, booleans and None, as the outputs hold; anything else
    goes to json's encoder as it is.

    Returns: `str` (no final newline).
    Raises: `TypeError` for a value JSON cannot hold.

    Example:
        >>> print(json_indented({"a": [1, "б"]}))
        {
          "a": [
            1,
            "б"
          ]
        }
    """
    out: list[str] = []
    _indented(obj, "\n" + "  " * depth, out.append)
    return "".join(out)


def _indented(obj, nl: str, put) -> None:
    """json_indented(), its pieces handed to `put`; `nl` is a newline and the
    indent of obj's own line. A value of a plain scalar type is written where
    it stands, without a call of its own."""
    scalar = _SCALARS.get
    f = scalar(obj.__class__)
    if f is not None:
        put(f(obj))
        return
    if isinstance(obj, dict):
        if not obj:
            put("{}")
            return
        inner = nl + "  "
        sep = "{" + inner
        for k, v in obj.items():
            key = _string(k) if k.__class__ is str else _encode(_key(k))
            f = scalar(v.__class__)
            if f is not None:
                put(f"{sep}{key}: {f(v)}")
            else:
                put(f"{sep}{key}: ")
                _indented(v, inner, put)
            sep = "," + inner
        put(nl + "}")
        return
    if isinstance(obj, (list, tuple)):
        if not obj:
            put("[]")
            return
        inner = nl + "  "
        sep = "[" + inner
        for v in obj:
            f = scalar(v.__class__)
            if f is not None:
                put(sep + f(v))
            else:
                put(sep)
                _indented(v, inner, put)
            sep = "," + inner
        put(nl + "]")
        return
    put(_encode(obj))


def _key(k) -> str:
    # json.dumps turns non-string keys into strings this way
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    return json.dumps(k)


CSV_COLUMNS = [
    "country", "tier", "criterion", "status", "level", "max_level", "score", "weight", "verified",
    "findings", "set_aside", "tier_score", "tier_complete", "overall", "overall_complete", "as_of", "rubric", "rubric_version",
    "ranked", "rank", "range_low", "range_high", "overall_common", "common_criteria",
    # the overall coverage (share of criteria assessed) and the band it reads as (blank below band_min_coverage)
    "tier_coverage", "coverage", "band",
]


def scores_to_csv(scores: Scores, lang: str = "en") -> str:
    """One row per country x criterion, with its tier score and the overall
    index beside it, its coverage and band (in `lang`) (what `assess score
    --format csv` prints; columns CSV_COLUMNS).

    Returns: str, CSV text with a header row.
    Raises: nothing.

    Example:
        >>> import io, pandas as pd
        >>> frame = pd.read_csv(io.StringIO(scores_to_csv(assess.compute_scores(["KAZ"], as_of="2021-06-30"))))
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    common = common_basis(scores.rubric, scores.countries)
    for cs, st in zip(scores.countries, standings(scores.rubric, scores.countries)):
        standing = [str(st.ranked).lower(), "" if st.rank is None else st.rank, _blank(st.range_low), _blank(st.range_high),
                    _blank(common.overall(cs.evidence.iso3)), len(common.criteria)]
        band = scores.rubric.band(cs.overall.score, lang, cs.overall.coverage) or ""
        for r in cs.criteria:
            tier = cs.tiers[r.criterion.tier]
            writer.writerow([
                cs.evidence.iso3, r.criterion.tier, r.criterion.id, r.status,
                "" if r.level is None else r.level, r.max_level, _blank(r.score), _num(r.criterion.weight),
                "" if r.verified is None else str(r.verified).lower(),
                " ".join(r.deciding), " | ".join(f"{fid}: {why}" for fid, why in r.set_aside),
                _blank(tier.score), str(tier.complete).lower(), _blank(cs.overall.score), str(cs.overall.complete).lower(),
                scores.as_of.isoformat(), scores.rubric.id, scores.rubric.version, *standing,
                _blank(tier.coverage), _blank(cs.overall.coverage), band,
            ])
    return out.getvalue()


def _blank(value: Any) -> Any:
    value = _num(value)
    return "" if value is None else value


def timeline_to_dict(rubric, timelines, lang: str = "en") -> dict:
    """The timelines as data: the rubric (id, version, band_min_coverage) and,
    per country, its code and name (in `lang`), its steps (date, overall,
    complete, coverage, below_min_coverage, tier scores), its change points
    (before, after, delta, raw_delta, like with like, coverage, causes) and
    the spans below the minimum coverage. Numbers are rounded as in every
    export.

    Returns: `dict`.
    Raises: nothing.

    Example:
        >>> tree = timeline_to_dict(p.rubric, [country_timeline(p.rubric, p.evidence[0], dates)])
        >>> tree["countries"][0]["country"]
        'KAZ'
    """
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
    floor = rubric.band_min_coverage or 0.0

    def step(s):
        key = (id(s.overall), id(s.tiers))
        found = figures.get(key)
        if found is None:
            found = {
                "overall": _num(s.overall.score), "complete": s.overall.complete, "coverage": _num(s.overall.coverage),
                "below_min_coverage": _thin(s.overall.coverage, floor),
                "tiers": {tid: _num(a.score) for tid, a in s.tiers.items()},
            }
            # the encoded row without its opening brace: '"overall": ..., "tiers": {...}}'
            found = figures[key] = _encode(found)[1:] if encoded else found
        if encoded:
            return _Encoded(f'{{"date": "{s.date.isoformat()}", {found}')
        return {"date": s.date.isoformat(), **found}

    def change(c):
        # delta is the headline move: like with like (on the criteria assessed on both
        # days) when criteria started or stopped being assessed; raw_delta is after - before
        row = {"date": c.date.isoformat(), "scope": c.scope, "kind": c.kind, "before": _num(c.before), "after": _num(c.after),
               "delta": _num(c.delta), "raw_delta": _num(c.raw_delta),
               "like_with_like": {"criteria": c.common, "before": _num(c.like_before), "after": _num(c.like_after)},
               "coverage": _coverage_row(c.coverage), "causes": c.causes, "score_causes": c.score_causes}
        return _Encoded(_encode(row)) if encoded else row

    return {
        "rubric": {"id": rubric.id, "version": rubric.version, "band_min_coverage": _num(floor)},
        "countries": [
            {
                "country": tl.evidence.iso3,
                "name": tl.evidence.country.name.get(lang),
                "steps": [step(s) for s in tl.steps],
                "changes": [change(c) for c in tl.changes],
                "below_min_coverage": [{"from": _day(a), "to": _day(b)} for a, b in tl.thin],
            }
            for tl in timelines
        ],
    }


def _thin(coverage: float, floor: float) -> bool:
    """Whether a coverage is below the rubric's band_min_coverage (as timeline._thin_spans decides)."""
    return floor > 0 and coverage < floor - 1e-12


def _day(day) -> str | None:
    return None if day is None else day.isoformat()


def _coverage_row(cov) -> dict | None:
    if cov is None:
        return None
    return {"before": cov.before, "after": cov.after, "total": cov.total, "gained": list(cov.gained), "lost": list(cov.lost),
            "causes": list(cov.causes)}


def _is_row(value) -> bool:
    """A dict that holds no list of dicts (or of encoded rows): one step, one change point."""
    return isinstance(value, dict) and not any(
        isinstance(v, list) and any(isinstance(x, dict) or type(x) is _Encoded for x in v) for v in value.values())


def _float(o: float, _repr=float.__repr__) -> str:
    # json's own spelling of a float (json.encoder's floatstr, allow_nan as json.dumps)
    if o != o:
        return "NaN"
    if o == _INFINITY:
        return "Infinity"
    if o == -_INFINITY:
        return "-Infinity"
    return _repr(o)


# a value of exactly these types is written by json's own function for it (a subclass,
# such as a bool for int, is not looked up by its parent's type)
_SCALARS = {str: _string, int: int.__repr__, float: _float, bool: lambda o: "true" if o else "false",
            type(None): lambda o: "null"}
_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(..., ensure_ascii=False)'s settings


def _encode(obj, _scalar=_SCALARS.get) -> str:
    """json.dumps(obj, ensure_ascii=False): the same bytes (tests/test_json_layout.py
    compares them), without building an encoder object per call: a timeline's
    JSON is thousands of rows, each encoded alone."""
    f = _scalar(obj.__class__)
    if f is not None:
        return f(obj)
    if _c_make_encoder is None:  # a Python without json's C module: json's own way
        return _JSON.encode(obj)
    return "".join(_c_make_encoder({}, _JSON.default, _string, None, ": ", ", ", False, False, True)(obj, 0))


def json_rows(obj, depth: int = 0) -> str:
    """JSON laid out like indent=2, except that each row (a dict inside a list
    that holds no list of dicts) is written on one line. A timeline is
    thousands of such rows: one per line reads and diffs well, and the rows go
    through json's C encoder, which indent=2 would bypass (a fifth of the run
    time of a 200-country timeline).

    Returns: `str` (no final newline).
    Raises: `TypeError` for a value JSON cannot hold.

    Example:
        >>> print(json_rows({"rows": [{"a": 1}, {"a": 2}]}))
        {
          "rows": [
            {"a": 1},
            {"a": 2}
          ]
        }
    """
    out: list[str] = []
    _rows(obj, "\n" + "  " * depth, out.append)
    return "".join(out)


def _rows(obj, nl: str, put) -> None:
    """json_rows(), its pieces handed to `put` (one join at the end, not one
    per level: a timeline's JSON is megabytes); `nl` is a newline and the
    indent of obj's own line."""
    if type(obj) is _Encoded:
        put(obj)
        return
    inner = nl + "  "
    if isinstance(obj, dict) and obj:
        sep = "{" + inner
        for k, v in obj.items():
            put(f"{sep}{_encode(str(k))}: ")
            _rows(v, inner, put)
            sep = "," + inner
        put(nl + "}")
        return
    if isinstance(obj, list) and obj:
        sep = "[" + inner
        for v in obj:
            put(sep)
            if type(v) is _Encoded:
                put(v)
            elif _is_row(v):
                put(_encode(v))
            else:
                _rows(v, inner, put)
            sep = "," + inner
        put(nl + "]")
        return
    put(_encode(obj))


def _rows_text(obj) -> str:
    """json_rows(obj) and a final newline, in one join."""
    out: list[str] = []
    _rows(obj, "\n", out.append)
    out.append("\n")
    return "".join(out)


def timeline_to_json(rubric, timelines, lang: str = "en") -> str:
    """timeline_to_dict() written as JSON by json_rows (a step or change per
    line), with a final newline.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> text = timeline_to_json(p.rubric, timelines)
    """
    return _rows_text(_timeline_tree(rubric, timelines, lang, encoded=True))


TIMELINE_CHANGE_COLUMNS = [
    "kind", "before", "after", "delta", "raw_delta", "like_with_like_criteria", "like_before", "like_after",
    "criteria_before", "criteria_after", "criteria_total", "criteria_gained", "criteria_lost", "coverage_causes", "causes",
]


def timeline_to_csv(rubric, timelines) -> str:
    r"""Per country its steps (record `step`: the index and tier scores on the
    date) and its change points (record `change`, before the step of the same
    date), in date order. A change's `delta` is the headline move, like with
    like when criteria started or stopped being assessed; `raw_delta` is
    after - before. Lists inside a cell are joined with " | ". A header row
    first; lines end in a bare newline.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> timeline_to_csv(p.rubric, timelines).splitlines()[0].split(",")[:4]
        ['country', 'date', 'record', 'scope']
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    tiers = [t.id for t in rubric.tiers]
    floor = rubric.band_min_coverage or 0.0
    writer.writerow(["country", "date", "record", "scope", "overall", "complete", "coverage", "below_min_coverage"] + tiers
                    + TIMELINE_CHANGE_COLUMNS)
    blank_step = [""] * (4 + len(tiers))
    blank_change = [""] * len(TIMELINE_CHANGE_COLUMNS)
    for tl in timelines:
        rows = []
        for s in tl.steps:
            rows.append((s.date, 1, [tl.evidence.iso3, s.date.isoformat(), "step", "", _blank(s.overall.score),
                                     str(s.overall.complete).lower(), _blank(s.overall.coverage),
                                     str(_thin(s.overall.coverage, floor)).lower()]
                         + [_blank(s.tiers[t].score) for t in tiers] + blank_change))
        for c in tl.changes:
            cov = c.coverage
            counts = [cov.before, cov.after, cov.total, " | ".join(cov.gained), " | ".join(cov.lost), " | ".join(cov.causes)] \
                if cov is not None else [""] * 6
            rows.append((c.date, 0, [tl.evidence.iso3, c.date.isoformat(), "change", c.scope] + blank_step
                         + [c.kind, _blank(c.before), _blank(c.after), _blank(c.delta), _blank(c.raw_delta), c.common,
                            _blank(c.like_before), _blank(c.like_after)] + counts + [" | ".join(c.causes)]))
        rows.sort(key=lambda r: (r[0], r[1]))  # stable: the changes of a day keep their order
        writer.writerows(r[2] for r in rows)
    return out.getvalue()


def sensitivity_to_dict(s, lang: str = "en") -> dict:
    """The analysis as data: what was varied and what held fixed, per country
    the interval, possible range, how many criteria were drawn and the share
    of draws in which it ranks above the countries it is paired with; and
    each pair in words (in `lang`), the more often higher first. The pairs are those
    s.shown_pairs() gives: every pair of a few countries (or with
    pairs="all"), else neighbours in the ranking by median ("pairs" says
    which).

    Returns: `dict`.
    Raises: nothing for a known `lang`.

    Example:
        >>> d = sensitivity_to_dict(run_sensitivity(p.rubric, p.evidence, as_of, draws=1000))
        >>> [c["country"] for c in d["countries"]]
        ['KAZ', 'RUS']
    """
    from ..common.messages import Formats, catalogue as _catalogue

    prior = s.prior
    msg = _catalogue(lang)
    fmt = Formats(msg)
    shown = s.shown_pairs()
    # each pair the more often higher first: "100%" only where the possible ranges do not overlap
    statements = [s.statement(*s.order(i, j), lang, msg, fmt) for i, j in shown]
    partners: dict[int, list[int]] = {}
    for i, j in shown:
        partners.setdefault(i, []).append(j)
        partners.setdefault(j, []).append(i)
    return {
        "rubric": {"id": s.rubric.id, "version": s.rubric.version},
        "as_of": s.as_of.isoformat(),
        "draws": s.draws,
        "seed": s.seed,
        "varied": list(s.varied),
        "fixed": list(s.fixed),
        "sources": [{"source": source, "varied": varied, "text": text} for source, varied, text in s.sources(lang)],
        "concentration": s.concentration,
        "p_geometric": s.p_geometric,
        "unassessed_prior": "uniform" if prior is None else {str(lv): _num(p) for lv, p in sorted(prior.items())},
        "uncertain_findings": list(s.kinds),
        "countries": [
            {"country": ev.iso3, "name": ev.country.name.get(lang), "point": _num(s.point[i]), "median": _num(s.median[i]),
             "p5": _num(s.low[i]), "p95": _num(s.high[i]),
             "range_low": _num(s.range_low[i]), "range_high": _num(s.range_high[i]),
             "drawn_unassessed": s.drawn_unassessed[i], "drawn_findings": s.drawn_findings[i],
             "ranks_above": {s.countries[j].iso3: _num(s.share(i, j)) for j in sorted(partners.get(i, ()))}}
            for i, ev in enumerate(s.countries)
        ],
        "pairs": "all" if s.every_pair else "neighbours",
        "statements": statements,
    }


def sensitivity_to_json(s, lang: str = "en") -> str:
    """sensitivity_to_dict() written as JSON by json_rows, with a final newline.

    Returns: `str`.
    Raises: nothing for a known `lang`.

    Example:
        >>> text = sensitivity_to_json(s, "ru")
    """
    return _rows_text(sensitivity_to_dict(s, lang))
