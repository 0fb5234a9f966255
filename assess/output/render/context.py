"""Scores -> one plain data structure that every report format reads.

The HTML template and the workbook writer get the same numbers from here, so
the two formats cannot disagree, and neither of them opens an evidence file.
Texts are picked in the report's language (falling back to English).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os

from ...analyses.gaps import gaps as find_gaps, to_code as find_to_code
from ...common.messages import Formats, Messages, catalogue
from ...scoring.score import NOT_APPLICABLE, NOT_ASSESSED, SCORED, Scores, common_basis, in_force_on, ranking_order, standings
from ...data.quotes import language_name, pick, quote_mark, shown_quote

SAFE_URL_SCHEMES = ("http://", "https://")
SIDE_BY_SIDE_MAX = 6  # beyond this many countries, criteria are shown per country


def safe_url(url: str | None) -> str | None:
    """Only ordinary web links leave a report; javascript:, data: and the like are
    dropped, and so is a link holding a quote, an angle bracket, a space or a
    line break. Surrounding spaces are trimmed.

    Returns: `str` (the link) or None.
    Raises: nothing.

    Example:
        >>> safe_url("javascript:alert(1)") is None
        True
        >>> safe_url(" https://adilet.zan.kz/rus/docs/K950001000_ ")
        'https://adilet.zan.kz/rus/docs/K950001000_'
    """
    if not url:
        return None
    url = url.strip()
    return url if url.lower().startswith(SAFE_URL_SCHEMES) and not any(c in url for c in "\n\r\"'<> ") else None


def file_sha256(path: str) -> str:
    """The SHA-256 of the file at `path`, read in blocks: how a report names the
    exact input files it was made from.

    Returns: `str` (64 lower-case hexadecimal digits).
    Raises: `OSError` when the file cannot be read.

    Example:
        >>> len(file_sha256("evidence/KAZ/country.yaml"))
        64
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


_catalogue = catalogue  # the shipped catalogue in one language (assess.messages)


def _in_words(msg: Messages, key: str, values: dict, lang: str) -> str:
    date = Formats(msg).date  # the CLDR's date in ru and kk (assess.messages)
    return msg(key, **{k: date(v) if hasattr(v, "strftime") else v for k, v in values.items()})


# a gap names at most this many of the countries at the level above it, then "and N more"
LEADERS_SHOWN = 5


def aside_text(consideration, lang: str, country=None) -> str | None:
    """Why a finding was set aside, in the report's language (the scorer
    gives the reason in English plus a message key and its values); the
    English reason where the catalogue has no such key.

    With `country` (the finding's country: a report), a document or
    legislature the reason names is named by its title in quotation marks,
    never by its raw id; without it (the terminal and JSON, for the analyst)
    by its id, as the scorer's English reason does.

    Returns: `str`, or None for a finding that counts.
    Raises: nothing for a shipped language.

    Example:
        >>> aside_text(result.considered[0], "ru", evidence.country)
    """
    if consideration.reason is None or consideration.why is None or (lang == "en" and country is None):
        return consideration.reason
    msg = _catalogue(lang)
    key, values = consideration.why
    if key not in msg.table:
        return consideration.reason
    if "id" in values:
        values = {**values, "id": _named(msg, values["id"], consideration, country, lang)}
    return _in_words(msg, key, values, lang)


def _named(msg: Messages, ident: str, consideration, country, lang: str) -> str:
    """A document or legislature a reason names: its title in the language's
    quotation marks for a report, else its id in plain quotes."""
    title = None
    if country is not None:
        doc = consideration.document
        if doc is not None and doc.id == ident:
            title = title_text(doc.title, lang)
        else:
            legislature = country.legislature(ident)
            title = legislature.name.get(lang) if legislature is not None and legislature.name is not None else None
    return msg("title_quoted", title=title) if title else f"'{ident}'"


def rule_text(rule, lang: str, notes: tuple = ()) -> str:
    """A criterion's rule and the notes the scorer added to it (a
    CriterionResult's `notes`), in `lang`. In English, the scorer's own words:
    Rule.describe() and score.NOTES, as CriterionResult.rule_text has them;
    in another language, compose_rule_text from the catalogue.

    Returns: `str`.
    Raises: nothing for a shipped language.

    Example:
        >>> rule_text(p.rubric.criterion("fpc-mention").rule, "en")
        'highest level among the findings that count; only documents in force on the as-of date count'
    """
    if lang == "en":
        from ...scoring.score import NOTES

        return rule.describe() + "".join(NOTES[key].format(**values) for key, values in notes)
    return compose_rule_text(rule, _catalogue(lang), notes)


def compose_rule_text(rule, msg: Messages, notes: tuple = ()) -> str:
    """rule_text() from the message catalogue `msg` (rule_*, note_*, how_*).

    Returns: `str`.
    Raises: `KeyError` for a note key the catalogue lacks.

    Example:
        >>> compose_rule_text(rule, catalogue("kk"), result.notes)
    """
    if rule.type == "highest":  # the branches of Rule.describe()
        text = msg("rule_highest")
    else:
        steps = ", ".join(msg("rule_threshold", n=n, level=level) for level, n in sorted(rule.thresholds.items()))
        text = msg("rule_distinct", min_level=rule.min_level, steps=steps)
    text += msg("rule_to_date") if rule.window == "to-date" else msg("rule_in_force")
    for key, values in notes:
        if "how" in values:
            values = {**values, "how": msg(f"how_{values['how']}")}
        text += _in_words(msg, key, values, msg.lang)
    return text


def _num(x):
    if x is None:
        return None
    try:
        if x != x:  # NaN
            return None
    except TypeError:
        pass
    return float(x)


def build_context(scores: Scores, lang: str = "en", input_files: list[str] | None = None, root: str | None = None,
                  tool_version: str = "", generated: dt.datetime | None = None, common_only: bool = False,
                  original_url=None) -> dict:
    """Everything a report shows, as plain data: per country the index, range,
    standing and tier scores, the criteria with every finding weighed, the
    documents, gaps and criteria to code, the comparison, and the input
    files (`input_files`, named relative to `root`) with their SHA-256; all
    text in `lang`. `generated` (default: now, UTC) dates the report.

    With common_only, the indices, tier scores and ranking are computed over
    the criteria assessed for every country only, so that like is compared
    with like; the criterion table still shows every criterion.

    `original_url(document, lang)` gives the address of a document's text in
    one of its original languages (from the official register it names), for
    a quote recorded only in a third language, which a report does not show
    (quote_fields).

    Returns: `dict` (the template's context: "lang", "countries", "tiers",
    "ranking", "files", ...).
    Raises: `OSError` for an input file that cannot be read.

    Example:
        >>> context = build_context(assess.compute_scores(["KAZ", "RUS"], as_of="2021-06-30"), lang="ru")
        >>> len(context["countries"])
        2
    """
    rubric = scores.rubric
    generated = generated or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    max_level = rubric.max_level

    def t(text) -> str:
        return text.get(lang) if text is not None else ""

    common_basis_ = common_basis(rubric, scores.countries)
    common = list(common_basis_.criteria)
    basis = [common_basis_.scores[cs.evidence.iso3] for cs in scores.countries] if common_only else scores.countries

    countries = []
    for cs, st in zip(basis, standings(rubric, basis)):
        o = cs.overall
        countries.append({
            "iso3": cs.evidence.iso3,
            "name": t(cs.evidence.country.name),
            # below band_min_coverage: no headline point index and no rank; the range is the headline
            "ranked": st.ranked,
            "rank": st.rank,
            "unranked_reason": st.reason,
            "overall": _num(o.score),
            "overall_min": _num(o.score_min),
            "overall_max": _num(o.score_max),
            "common_overall": _num(common_basis_.overall(cs.evidence.iso3)),
            "band": rubric.band(o.score, lang, o.coverage),
            "band_withheld": o.score is not None and rubric.band(o.score, lang, o.coverage) is None,
            "coverage": o.coverage,
            "complete": o.complete,
            "assessed": o.scored + o.not_applicable,
            "criteria_total": o.total,
            "not_assessed": o.not_assessed,
            "unverified": sum(1 for r in cs.criteria if r.verified is False),
            "tiers": [
                {
                    "id": tier.id, "title": t(tier.title), "score": _num(cs.tiers[tier.id].score),
                    "score_min": _num(cs.tiers[tier.id].score_min), "score_max": _num(cs.tiers[tier.id].score_max),
                    "complete": cs.tiers[tier.id].complete, "band": rubric.band(cs.tiers[tier.id].score, lang, cs.tiers[tier.id].coverage),
                    "common_score": _num(common_basis_.scores[cs.evidence.iso3].tiers[tier.id].score),
                }
                for tier in rubric.tiers
            ],
        })
    # ranked countries by rank, then the unranked (too little coverage) by code
    by_code = {c["iso3"]: c for c in countries}
    ordered = [by_code[cs.evidence.iso3] for cs, _ in ranking_order(rubric, basis)]
    lead = _lead(countries, common, rubric, lang) if len(countries) > 1 else None

    results = {(cs.evidence.iso3, r.criterion.id): r for cs in scores.countries for r in cs.criteria}
    common_set = set(common)
    tiers = []
    for tier in rubric.tiers:
        criteria = []
        for c in tier.criteria:
            cells = []
            for cs in scores.countries:
                r = results[(cs.evidence.iso3, c.id)]
                cells.append(_cell(r, rubric, lang, t, original_url, cs.evidence.country))
            assessed_for = [cell["iso3"] for cell in cells if cell["status"] != NOT_ASSESSED]
            criteria.append({
                "id": c.id, "title": t(c.title), "question": t(c.question), "weight": c.weight,
                # assessed for some countries only: a difference here is not a comparison
                "comparable": c.id in common_set, "assessed_for": assessed_for,
                "partial": 0 < len(assessed_for) < len(cells),
                "rule": rule_text(c.rule, lang), "recommendation": t(c.recommendation),
                "levels": [{"level": lv, "text": t(c.levels.get(lv))} for lv in sorted(c.levels)],
                "cells": cells,
            })
        tiers.append({"id": tier.id, "title": t(tier.title), "weight": tier.weight, "accepts": list(tier.accepts), "criteria": criteria})

    gaps = []
    # per criterion, each country's level in country order: the best level of
    # the *other* countries is the top level, or the runner-up where a country
    # holds the top level alone (a pass per criterion, not per country pair)
    levels_of: dict[str, list] = {}
    for cs in scores.countries:
        for r in cs.criteria:
            levels_of.setdefault(r.criterion.id, [])
    for cid, column in levels_of.items():
        column.extend(results[(o.evidence.iso3, cid)].level for o in scores.countries)
    best_of: dict[str, tuple] = {}
    at_level: dict[str, dict] = {}  # criterion -> level -> positions of the countries at it, in order
    for cid, column in levels_of.items():
        positions: dict = {}
        for k, lv in enumerate(column):
            if lv is not None:
                positions.setdefault(lv, []).append(k)
        at_level[cid] = positions
        known = sorted((lv for lv in column if lv is not None), reverse=True)
        top = known[0] if known else None
        runner_up = known[1] if len(known) > 1 else None
        best_of[cid] = (top, runner_up, known.count(top) if known else 0)
    # gaps: only what was assessed and found wanting (scored below the maximum),
    # per country the largest gain in its overall index first (assess.gaps);
    # what nobody has assessed is no gap and gets no reform: it goes to
    # `to_code`, the most index points first, with the evidence to gather
    to_code = []
    tier_titles = {tier.id: t(tier.title) for tier in rubric.tiers}
    for i, cs in enumerate(scores.countries):
        for g in find_gaps(rubric, cs):
            cid = g.criterion.id
            top, runner_up, holders = best_of[cid]
            own = levels_of[cid][i]
            best_other = runner_up if own is not None and own == top and holders == 1 else top
            kind = "below_other" if best_other is not None and best_other > g.level else "below_max"
            gaps.append({
                "iso3": cs.evidence.iso3, "country": t(cs.evidence.country.name), "criterion": cid,
                "title": t(g.criterion.title), "tier": g.criterion.tier, "level": g.level, "max_level": max_level,
                "kind": kind, "best_other": best_other,
                # the first few countries at the level above (not every one: at world scale a list per gap
                # would grow with the square of the number of countries) and how many more there are
                "leaders": [scores.countries[k].evidence.iso3 for k in at_level[cid][best_other][:LEADERS_SHOWN]]
                           if kind == "below_other" else [],
                "more_leaders": max(0, len(at_level[cid][best_other]) - LEADERS_SHOWN) if kind == "below_other" else 0,
                "gain": _num(g.gain), "index": _num(g.index), "index_closed": _num(g.index_closed),
                "recommendation": t(g.criterion.recommendation),
            })
        for x in find_to_code(rubric, cs, scores.as_of):
            to_code.append({
                "iso3": cs.evidence.iso3, "country": t(cs.evidence.country.name), "criterion": x.criterion.id,
                "title": t(x.criterion.title), "tier": x.criterion.tier, "tier_title": tier_titles.get(x.criterion.tier),
                "reason": x.reason, "points": _num(x.points),
                "trace_start": x.trace.start if x.trace else None, "trace_end": x.trace.end if x.trace else None,
                "documents": [_document(d, t, scores.as_of, lang=lang) for d in x.documents],
                # documents by title, never by raw id (the id only where a document has no title)
                "documents_text": "; ".join(title_text(d.title, lang) or d.id for d in x.documents),
                # documents of the tier not adopted yet: why there is nothing to read
                "awaited": [_document(d, t, scores.as_of, lang=lang) for d in x.awaited],
                "awaited_text": "; ".join(_catalogue(lang)("awaited_document", title=title_text(d.title, lang), id=d.id,
                                                           date=Formats(_catalogue(lang)).date(d.not_adopted_as_of))
                                          for d in x.awaited),
            })

    documents = []
    for cs in scores.countries:
        docs = []
        for d in sorted(cs.evidence.documents.values(), key=lambda d: (d.in_force_from or dt.date.min, d.id)):
            docs.append(_document(d, t, scores.as_of, cs.evidence.country, lang=lang))
        documents.append({"iso3": cs.evidence.iso3, "name": t(cs.evidence.country.name), "documents": docs})

    findings = []
    for cs in scores.countries:
        for r in cs.criteria:
            for con in r.considered:
                f, d = con.finding, con.document
                findings.append({
                    "iso3": cs.evidence.iso3, "criterion": r.criterion.id, "criterion_title": t(r.criterion.title),
                    "tier": r.criterion.tier, "id": f.id, "level": f.level, "not_applicable": f.not_applicable,
                    "document": d.id if d else f.document, "document_title": title_text(d.title, lang) if d else None,
                    "document_type": d.type if d else None, "adopted": d.adopted if d else None,
                    "in_force_from": d.in_force_from if d else None, "in_force_to": d.in_force_to if d else None,
                    "locator": f.locator, "quote": f.quote, "reason": f.reason, "note": f.note,
                    "verified": f.checked, "coder": f.coder, "url": safe_url(d.url) if d else None,
                    "counts": con.counts, "deciding": con.deciding, "set_aside": aside_text(con, lang, cs.evidence.country),
                    "confidence": f.confidence, "document_confidence": d.confidence if d else None,
                    "verification": f.verification, "quote_kind": f.kind_of_quote, "check": check_text(f.check, lang),
                    **quote_fields(f, d, lang, original_url),
                })

    files = []
    for path in sorted(set(input_files or [])):
        rel = os.path.relpath(path, root) if root else path
        files.append({"path": rel.replace(os.sep, "/"), "sha256": file_sha256(path)})

    return {
        "lang": lang,
        "as_of": scores.as_of,
        "generated": generated,
        "tool_version": tool_version,
        "rubric": {
            "id": rubric.id, "version": rubric.version, "title": t(rubric.title), "description": t(rubric.description),
            "sources": list(rubric.sources), "sha256": rubric.sha256, "max_level": max_level,
            "unverified": rubric.unverified,
            "scale": [{"level": s.level, "label": t(s.label), "descriptor": t(s.descriptor)} for s in rubric.scale],
            "bands": [{"min": b.min, "label": t(b.label)} for b in sorted(rubric.bands, key=lambda b: b.min)],
            "band_min_coverage": rubric.band_min_coverage,
            "tiers": [{"id": tier.id, "title": t(tier.title), "weight": tier.weight, "accepts": list(tier.accepts), "criteria": len(tier.criteria)} for tier in rubric.tiers],
        },
        "countries": countries,
        "ranking": ordered,
        "comparison": {
            "common_only": common_only, "common": common, "common_count": len(common), "lead": lead,
            "total": len(rubric.criteria),
            "partial": [c["id"] for tier in tiers for c in tier["criteria"] if c["partial"]],
            "gap_chart": gap_chart(countries, [{"title": t(tier.title)} for tier in rubric.tiers])
            if 1 < len(countries) <= SIDE_BY_SIDE_MAX else None,
        },
        "side_by_side": len(countries) <= SIDE_BY_SIDE_MAX,
        "tiers": tiers,
        "gaps": gaps,
        "to_code": to_code,
        "documents": documents,
        "findings": findings,
        "files": files,
    }


def _lead(countries: list[dict], common: list[str], rubric, lang: str) -> dict:
    """The comparison in one sentence, always on the criteria assessed for all
    (like with like): who leads, by how much, and on which tiers it is won or
    tied. Plain data; the template puts it in words from the catalogue."""
    scored = [c for c in countries if c["common_overall"] is not None]
    if not common or len(scored) < 2:
        return {"kind": "none", "n": len(common)}
    order = sorted(scored, key=lambda c: (-c["common_overall"], c["iso3"]))
    first, second = order[0], order[1]
    gap = first["common_overall"] - second["common_overall"]
    tiers, uncompared, by_tier = [], [], []
    for i, tier in enumerate(rubric.tiers):
        title = tier.title.get(lang)
        a, b = first["tiers"][i]["common_score"], second["tiers"][i]["common_score"]
        if a is None or b is None:  # no criterion of this tier is assessed for every country: not compared
            uncompared.append({"title": title})
        else:
            tiers.append({"title": title, "delta": a - b})
        # who leads on each tier, on the criteria assessed for all (with more than two countries)
        on_tier = sorted(((c["tiers"][i]["common_score"], c["name"]) for c in scored if c["tiers"][i]["common_score"] is not None),
                         key=lambda x: (-x[0], x[1]))
        if len(on_tier) >= 2:
            top = on_tier[0][0]
            leaders = [name for v, name in on_tier if top - v < 0.05]
            rest = [(v, name) for v, name in on_tier if top - v >= 0.05]
            by_tier.append({"title": title, "leaders": leaders, "score": top, "all_level": not rest,
                            "next": rest[0][1] if rest else None, "margin": top - rest[0][0] if rest else 0.0})
    return {
        "kind": "tie" if abs(gap) < 0.05 else "lead", "n": len(common), "leader": first["name"], "other": second["name"],
        "gap": gap, "leader_index": first["common_overall"], "other_index": second["common_overall"],
        "ahead": [x for x in tiers if x["delta"] >= 0.05], "behind": [x for x in tiers if x["delta"] <= -0.05],
        "tied": [x for x in tiers if abs(x["delta"]) < 0.05], "others": [c["name"] for c in order[2:]],
        "uncompared": uncompared, "by_tier": by_tier,
    }


def gap_chart(countries: list[dict], rubric_tiers: list[dict]) -> dict:
    """The tier-by-tier gap chart of the first screen: per tier, each
    country's score on the criteria assessed for every country (the basis of
    the lead sentence), and the gap between the highest and the lowest. A tier
    none of whose criteria is assessed for every country has no dots. Dots
    closer than a dot's width are stacked apart.

    Returns: `dict` ({"rows": [{"title", "dots", "gap", ...}]}).
    Raises: nothing for a report context's countries and tiers.

    Example:
        >>> chart = gap_chart(context["countries"], context["rubric"]["tiers"])
        >>> len(chart["rows"]) == len(context["rubric"]["tiers"])
        True
    """
    rows = []
    for i, tier in enumerate(rubric_tiers):
        dots = [{"iso3": c["iso3"], "name": c["name"], "series": k, "v": c["tiers"][i]["common_score"]}
                for k, c in enumerate(countries) if c["tiers"][i]["common_score"] is not None]
        if len(dots) < 2:
            rows.append({"title": tier["title"], "dots": [], "gap": None})
            continue
        # dots closer than a dot's width are stacked apart vertically (stack: -1, 0, +1 ...), none hidden under another
        ordered, cluster = sorted(dots, key=lambda d: (d["v"], d["series"])), []
        for d in ordered + [None]:
            if d is not None and (not cluster or d["v"] - cluster[-1]["v"] < 3.5):
                cluster.append(d)
                continue
            for k, member in enumerate(cluster):
                member["stack"] = k - (len(cluster) - 1) / 2
            cluster = [d] if d is not None else []
        hi, lo = max(dots, key=lambda d: (d["v"], d["iso3"])), min(dots, key=lambda d: (d["v"], d["iso3"]))
        shared = sum(1 for d in dots if hi["v"] - d["v"] < 0.05) > 1  # a shared lead names no single country
        rows.append({"title": tier["title"], "dots": dots, "gap": hi["v"] - lo["v"], "high": hi, "low": lo,
                     "high_code": None if shared else hi["iso3"],
                     "min": lo["v"], "max": hi["v"]})
    return {"rows": rows}


def _cell(r, rubric, lang, t, original_url=None, country=None) -> dict:
    descriptor = t(r.criterion.levels.get(r.level)) if r.level is not None else ""
    return {
        "iso3": r.country,
        "status": r.status,
        "level": r.level,
        "label": rubric.level_label(r.level, lang) if r.level is not None else None,
        "descriptor": descriptor,
        "verified": r.verified,
        "findings": [
            {
                "id": c.finding.id, "level": c.finding.level, "not_applicable": c.finding.not_applicable,
                "document": c.document.id if c.document else c.finding.document,
                "document_title": title_text(c.document.title, lang) if c.document else None,
                "locator": c.finding.locator, "quote": c.finding.quote, "reason": c.finding.reason,
                "url": safe_url(c.document.url) if c.document else None,
                "verified": c.finding.checked, "deciding": c.deciding, "counts": c.counts, "set_aside": aside_text(c, lang, country),
                "confidence": c.finding.confidence, "verification": c.finding.verification,
                "quote_kind": c.finding.kind_of_quote, "check": check_text(c.finding.check, lang),
                **quote_fields(c.finding, c.document, lang, original_url),
            }
            for c in r.considered
        ],
    }


def check_text(check, lang: str) -> str | None:
    """A finding's check record in words, in the report's language: who, when,
    against what, and whether the publication is official and the quote
    verbatim (a check recorded against the source text says so instead of
    the official flag). "?" where the record does not say.

    Returns: `str`, or None for no check record.
    Raises: nothing for a shipped language.

    Example:
        >>> check_text(finding.check, "en")
    """
    if check is None:
        return None
    msg = _catalogue(lang)

    def pick(value, stem):
        return msg(f"{stem}_{'yes' if value else 'no' if value is False else 'unknown'}")

    date = Formats(msg).date  # the CLDR's date in ru and kk (assess.messages)
    if check.source_text:  # recorded by `assess verify --record`
        return msg("check_text_source", by=check.by or "?", on=date(check.date) if check.date else "?",
                   against=check.against or "?", verbatim=pick(check.verbatim, "check_verbatim"))
    return msg("check_text", by=check.by or "?", on=date(check.date) if check.date else "?", against=check.against or "?",
               official=pick(check.official, "check_official"), verbatim=pick(check.verbatim, "check_verbatim"))


def quote_fields(f, d, lang: str, original_url=None) -> dict:
    """A finding's quote as a report in `lang` shows it (assess.data.quotes): the
    version, its kind and language, the mark beside it and, when a further
    language version is shown, that version's check record instead of the
    quote-as-written's (the finding's verification is unchanged). `d` is the
    finding's document (or None).

    A report never shows a quote in a third language (neither the report's
    nor one of the document's own): when that is all the evidence records,
    the quote is left out ("quote" is None) and "quote_withheld" says so in
    the report's language, with "original_url", the document's text in its
    original language where `original_url(d, lang)` knows it. (`assess
    explain`, the analyst's working view, still prints such a version, marked.)

    Returns: `dict` ("quote", "quote_kind", "quote_lang", "quote_mark", and
    "check" when another version is shown, "quote_withheld" and
    "original_url" when it is left out).
    Raises: nothing for a shipped language.

    Example:
        >>> quote_fields(finding, document, "kk")["quote_lang"]
    """
    shown = shown_quote(f, d, lang)
    if shown is None:
        return {"quote": f.quote, "quote_kind": f.kind_of_quote, "quote_lang": None, "quote_mark": None}
    msg = _catalogue(lang)
    if shown.foreign:
        key = "quote_withheld_paraphrase" if shown.kind == "paraphrase" else "quote_withheld_translation"
        url, url_lang = original_url(d, lang) if (original_url is not None and d is not None) else (None, None)
        return {"quote": None, "quote_kind": shown.kind, "quote_lang": None, "quote_mark": None,
                "quote_withheld": msg(key, language=language_name(shown.lang, lang, msg)),
                "original_url": safe_url(url) if url else None, "original_lang": url_lang}
    out = {"quote": shown.text, "quote_kind": shown.kind, "quote_lang": shown.lang, "quote_mark": quote_mark(shown, lang, msg)}
    if shown.text != f.quote:
        out["check"] = check_text(shown.checked_by, lang)
    return out


def title_text(text, lang: str, originals: tuple[str, ...] = ()) -> str:
    """A document's title in the report's language where the evidence has it;
    else in the document's own language, never in a third one. The evidence
    gives titles in English (the working language, a translation) and in the
    languages of the document; without the report's language the title in a
    language other than English is the original, so a Kazakh report shows a
    Russian-only act in Russian, not in English. English only where that is
    all there is.

    Returns: `str` ("" for no title).
    Raises: nothing.

    Example:
        >>> title_text(document.title, "kk", document.langs)
    """
    if text is None:
        return ""
    code = pick(text.values, lang, originals)  # the same rule as quotes (assess.data.quotes.pick)
    return text.values[code] if code is not None else text.get("en")


def _document(d, t, as_of: dt.date, country=None, lang: str = "en") -> dict:
    """One document as the evidence tables show it, with the analyst's
    confidence and the date fields it marks approximate."""
    # an observation counts from the day it was made while its legislature exists; a document not adopted yet never does
    in_force = bool(d.starts and in_force_on(d, as_of))
    if in_force and d.observed is not None and country is not None and d.legislature:
        leg = country.legislature(d.legislature)
        in_force = leg is None or ((leg.start is None or leg.start <= as_of) and (leg.end is None or as_of <= leg.end))
    return {
        "id": d.id, "title": title_text(d.title, lang), "type": d.type, "number": d.number, "adopted": d.adopted,
        "in_force_from": d.in_force_from, "in_force_to": d.in_force_to, "in_force": in_force,
        "observed": d.observed, "not_adopted_as_of": d.not_adopted_as_of,
        "edition": d.edition, "url": safe_url(d.url), "raw_url": d.url, "cited_in": d.cited_in,
        "confidence": d.confidence, "approximate": list(d.approximate),
    }


STATUS_KEYS = {SCORED: "status_scored", NOT_APPLICABLE: "status_not_applicable", NOT_ASSESSED: "status_not_assessed"}


# ---------------------------------------------------------------- analyses
# Timelines, sensitivity and coder agreement, as plain data for the reports.


def timeline_context(rubric, timelines, lang: str = "en") -> dict:
    """Overall index per step and per country, the change points with the
    documents that caused them, and the spans where fewer criteria than the
    rubric's band_min_coverage are assessed. A change where criteria started or
    stopped being assessed carries its coverage move apart from its score move:
    `delta` is like with like (on the criteria assessed on both days),
    `raw_delta` the move of the index as computed on each day. The chart is
    laid out here (timeline_svg.layout).

    Returns: `dict` ("dates", "series", "start", "end", "ticks", "chart", ...).
    Raises: nothing for a shipped language.

    Example:
        >>> tl = timeline_context(p.rubric, [country_timeline(p.rubric, ev, dates) for ev in p.evidence])
    """
    def t(text) -> str:
        return text.get(lang) if text is not None else ""

    floor = rubric.band_min_coverage or 0.0
    tier_titles = {tier.id: t(tier.title) for tier in rubric.tiers}
    titles = {c.id: t(c.title) for c in rubric.criteria}
    series = []
    for tl in timelines:
        series.append({
            "iso3": tl.evidence.iso3,
            "name": t(tl.evidence.country.name),
            "steps": [
                {"date": s.date, "overall": _num(s.overall.score),
                 "tiers": {tid: _num(agg.score) for tid, agg in s.tiers.items()}, "complete": s.overall.complete,
                 "assessed": s.overall.scored + s.overall.not_applicable, "total": s.overall.total,
                 "below": floor > 0 and s.overall.coverage < floor - 1e-12}
                for s in tl.steps
            ],
            "changes": [_change_context(c, tier_titles, titles) for c in tl.changes],
            "thin": [{"start": a, "end": b} for a, b in tl.thin],
        })
    dates = [s["date"] for s in series[0]["steps"]] if series else []
    start, end = (dates[0], dates[-1]) if dates else (None, None)
    # the chart begins at the first change of the index if that comes before the first step: every change is on it
    first_change = min((c["date"] for ser in series for c in ser["changes"] if c["scope"] == "overall"), default=None)
    if start is not None and first_change is not None and first_change < start:
        start = first_change
    _chart_geometry(series, start, end)
    from .timeline_svg import layout

    ticks = _year_ticks(start, end)
    # the SVG chart is drawn for up to SIDE_BY_SIDE_MAX countries (report.html; the world layout has none):
    # beyond, its label placement (every label against every other) would take minutes for nothing
    chart = layout(series, start, end, ticks) if len(series) <= SIDE_BY_SIDE_MAX else layout([], None, end, ticks)
    return {"dates": dates, "series": series, "start": start, "end": end, "ticks": ticks, "chart": chart,
            "min_coverage": floor, "any_thin": any(ser["thin"] for ser in series),
            "any_coverage_only": any(c["kind"] == "coverage" and c["delta"] is not None for ser in series for c in ser["changes"])}


def _change_context(c, tier_titles: dict, titles: dict) -> dict:
    """One change point for the reports (timeline.ChangePoint)."""
    cov = c.coverage
    coverage = None if cov is None else {
        "before": cov.before, "after": cov.after, "total": cov.total, "gained": list(cov.gained), "lost": list(cov.lost),
        "gained_titles": [titles.get(cid, cid) for cid in cov.gained], "lost_titles": [titles.get(cid, cid) for cid in cov.lost],
        "causes": list(cov.causes)}
    return {"date": c.date, "scope": c.scope, "scope_title": tier_titles.get(c.scope), "kind": c.kind,
            "before": _num(c.before), "after": _num(c.after), "delta": _num(c.delta), "raw_delta": _num(c.raw_delta),
            "like_before": _num(c.like_before), "like_after": _num(c.like_after), "common": c.common,
            "coverage": coverage, "causes": list(c.causes), "score_causes": list(c.score_causes)}


def _fraction(day, start, end) -> float:
    span = (end - start).days
    return 0.0 if span <= 0 else min(1.0, max(0.0, (day - start).days / span))


def _chart_geometry(series, start, end) -> None:
    """Each change of the overall index gets a number that the chart and the
    change-point table share, and each span of thin coverage its place on the
    time axis (t0, t1, 0-1); the chart's steps and marks are laid out by
    render/timeline_svg.py."""
    number = 0
    for ser in series:
        for span in ser["thin"]:
            span["t0"] = _fraction(span["start"], start, end) if start else 0.0
            span["t1"] = _fraction(span["end"], start, end) if start else 0.0
        for change in ser["changes"]:
            if change["scope"] == "overall":
                number += 1
                change["number"] = number
                change["t"] = _fraction(change["date"], start, end) if start else 0.0


def _year_ticks(start, end, most: int = 8) -> list[dict]:
    if start is None:
        return []
    years = [y for y in range(start.year, end.year + 1) if dt.date(y, 1, 1) >= start]
    stride = max(1, -(-len(years) // most))
    return [{"t": _fraction(dt.date(y, 1, 1), start, end), "label": str(y)} for y in years[::stride]]


def sensitivity_context(sens, lang: str = "en") -> dict:
    """What the draws varied and what they held fixed; median, 5-95% interval,
    possible range and drawn criteria per country; and for each pair the
    share of draws in which the stronger-looking country ranks above the
    other, with the statement in words (never "100%" where the possible
    ranges overlap: Sensitivity.statement_key). The pairs are those the
    analysis counted (Sensitivity.shown_pairs): every pair of a few countries,
    neighbours in the ranking by median beyond; "adjacent" are the
    neighbours among them and "pair_count" how many pairs have two indices,
    counted or not.

    Returns: `dict`.
    Raises: nothing for a shipped language.

    Example:
        >>> sc = sensitivity_context(run_sensitivity(p.rubric, p.evidence, as_of, draws=1000), "en")
        >>> [c["iso3"] for c in sc["countries"]]
        ['KAZ', 'RUS']
    """

    msg = _catalogue(lang)
    fmt = Formats(msg)
    names = [c.country.name.get(lang) for c in sens.countries]
    codes = [c.iso3 for c in sens.countries]
    countries = [
        {"iso3": codes[i], "name": names[i], "point": _num(sens.point[i]), "median": _num(sens.median[i]),
         "low": _num(sens.low[i]), "high": _num(sens.high[i]),
         "range_low": _num(sens.range_low[i]), "range_high": _num(sens.range_high[i]),
         "drawn_unassessed": sens.drawn_unassessed[i], "drawn_findings": sens.drawn_findings[i]}
        for i in range(len(codes))
    ]
    pairs = []
    for i, j in sens.shown_pairs():  # only these shares are counted: no N x N work
        if sens.share(i, j) is None:
            continue
        # say it the way round that reads as a claim: the more often higher one first
        a, b = sens.order(i, j)
        pairs.append({"a": codes[a], "a_name": names[a], "b": codes[b], "b_name": names[b], "share": _num(sens.share(a, b)),
                      "overlap": sens.overlap(a, b), "key": sens.statement_key(a, b),
                      "text": sens.statement(a, b, lang, msg, fmt)})
    pairs.sort(key=lambda p: (-(p["share"] or 0), p["a"], p["b"]))
    # with many countries every pair is too many to read: neighbours by median rank
    neighbours = {(codes[i], codes[j]) for i, j in sens.neighbour_pairs()}
    adjacent = [p for p in pairs if (p["a"], p["b"]) in neighbours or (p["b"], p["a"]) in neighbours]
    sources = sens.sources(lang)
    return {"draws": sens.draws, "seed": sens.seed, "concentration": sens.concentration,
            "sources": list(sens.varied),
            "varied": [{"source": source, "text": text} for source, varied, text in sources if varied],
            "fixed": [{"source": source, "text": text} for source, varied, text in sources if not varied],
            "drawn_unassessed": "unassessed" in sens.varied, "drawn_findings": "findings" in sens.varied,
            "countries": countries, "pairs": pairs, "adjacent": adjacent, "pair_count": sens.comparable_pairs()}


def agreement_context(agreement, lang: str = "en") -> dict:
    """Coders, Krippendorff's alpha and percent agreement (overall and per
    tier, with the number of units), and the disagreements still to
    reconcile, each coder's view with its findings.

    Returns: `dict` ("coders", "units", "scopes", "disagreements").
    Raises: nothing.

    Example:
        >>> agreement_context(measure_agreement(p.rubric, p.evidence, as_of), "ru")["scopes"][0]["id"]
        'overall'
    """
    tier_titles = {tier.id: tier.title.get(lang) for tier in agreement.rubric.tiers}
    scopes = [{"id": "overall", "title": None, "alpha": _num(agreement.alpha.get("overall")),
               "percent": _num(agreement.percent.get("overall")), "units": len(agreement.units)}]
    for tier in agreement.rubric.tiers:
        scopes.append({"id": tier.id, "title": tier_titles[tier.id], "alpha": _num(agreement.alpha.get(tier.id)),
                       "percent": _num(agreement.percent.get(tier.id)),
                       "units": sum(1 for u in agreement.units if u.tier == tier.id)})
    return {
        "coders": list(agreement.coders),
        "units": len(agreement.units),
        "scopes": scopes,
        "disagreements": [
            {"iso3": u.country, "criterion": u.criterion, "reconciled": u.reconciled,
             "views": [{"coder": c, "level": lv, "findings": list(u.evidence.get(c, []))} for c, lv in u.levels.items()]}
            for u in agreement.disagreements
        ],
    }
