"""What a scenario would change (assess.analyses.whatif), as JSON, text and
Markdown."""

from __future__ import annotations

from ..analyses.whatif import Decider, ScoreChange, WhatIf
from ..scoring.score import NOT_ASSESSED


# ---------------------------------------------------------------- outputs


def to_dict(w: WhatIf, lang: str = "en") -> dict:
    """A what-if as data: the scenario (in `lang`), rubric, country, the two
    sides (dates and evidence), each criterion that moves (status, level and
    deciding findings before and after), the tiers and overall index before
    and after (like with like beside), the ranks, and the interval when
    draws were made. Numbers rounded as in every export.

    Returns: `dict`.
    Raises: nothing.

    Example:
        >>> d = to_dict(assess.compute_whatif(["KAZ", "RUS"], "kaz-constitution-2026-draft", draws=0))
        >>> d["country"]
        'KAZ'
    """
    from ..common.numbers import rounded as _num

    def side(d: Decider) -> dict:
        return {"status": d.status, "level": d.level, "deciding": list(d.findings)}

    def change(c: ScoreChange) -> dict:
        return {"scope": c.scope, "before": _num(c.before), "after": _num(c.after), "like_before": _num(c.like_before),
                "like_after": _num(c.like_after), "delta": _num(c.delta), "common": c.common,
                "assessed_before": c.assessed_before, "assessed_after": c.assessed_after, "total": c.total}

    return {
        "scenario": w.scenario.to_dict(lang),
        "rubric": {"id": w.rubric.id, "version": w.rubric.version},
        "country": w.iso3,
        "before": {"as_of": w.before_date.isoformat(), "evidence": "base"},
        "after": {"as_of": w.after_date.isoformat(), "evidence": f"base with scenario {w.scenario.name}"},
        "moves": [{"criterion": m.criterion, "tier": m.tier, "before": side(m.before), "after": side(m.after)} for m in w.moves],
        "unchanged": w.unchanged,
        "tiers": [change(c) for c in w.tiers],
        "overall": change(w.overall),
        "standings": [{"country": s.iso3, "rank_before": s.rank_before, "rank_after": s.rank_after,
                       "unranked_before": s.reason_before, "unranked_after": s.reason_after} for s in w.standings],
        "interval": None if w.interval is None else {
            "draws": w.interval.draws, "seed": w.interval.seed, "low": _num(w.interval.low), "median": _num(w.interval.median),
            "high": _num(w.interval.high), "share_down": _num(w.interval.share_down), "share_up": _num(w.interval.share_up),
            "beyond_uncertainty": w.interval.beyond,
            "what": "the change of the index draw by draw (5th, 50th, 95th percentile), both sides drawn alike",
        },
    }


def to_json(w: WhatIf, lang: str = "en") -> str:
    """to_dict() as indented JSON, with a final newline.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> text = to_json(w, "ru")
    """
    import json

    return json.dumps(to_dict(w, lang), ensure_ascii=False, indent=2) + "\n"


def _texts(w: WhatIf, lang: str):
    from ..common.messages import Formats, catalogue

    msg = catalogue(lang)
    return msg, Formats(msg)


def _level(w: WhatIf, d: Decider, msg) -> str:
    if d.status == NOT_ASSESSED:
        return msg("whatif_not_assessed")
    if d.level is None:
        return msg("whatif_not_applicable")
    return f"{d.level} {w.rubric.level_label(d.level, msg.lang)}"


def _deciders(d: Decider, msg) -> str:
    if not d.findings:
        return "-"
    parts = []
    for f in d.findings:
        where = f" ({f['locator']})" if f["locator"] else ""
        mark = f" [{msg('whatif_from_scenario')}]" if f["scenario"] else ""
        parts.append(f"{f['id']}{where}{mark}")
    return "; ".join(parts)


def _criterion_title(w: WhatIf, cid: str, lang: str) -> str:
    c = w.rubric.criterion(cid)
    return c.title.get(lang) if c else cid


def _tier_title(w: WhatIf, tid: str, lang: str) -> str:
    t = w.rubric.tier(tid)
    return t.title.get(lang) if t else tid


def _delta(fmt, c: ScoreChange, msg) -> str:
    if c.delta is None:
        return msg("whatif_no_common")
    if abs(c.delta) < 0.05:
        return "="
    return ("+" if c.delta > 0 else "") + fmt.num(c.delta)


def _rank(s_rank, reason, msg) -> str:
    if s_rank is not None:
        return str(s_rank)
    return msg("whatif_unranked_coverage") if reason == "coverage" else msg("whatif_unranked")


def _interval_text(w: WhatIf, msg, fmt) -> str:
    i = w.interval
    if i is None:
        return msg("whatif_interval_off")
    if i.low is None:
        return msg("whatif_interval_none")
    verdict = msg("whatif_beyond_yes") if i.beyond else msg("whatif_beyond_no")
    return msg("whatif_interval", low=fmt.num(i.low), high=fmt.num(i.high), median=fmt.num(i.median), draws=f"{i.draws:,}",
               seed=i.seed, down=fmt.pct(i.share_down), up=fmt.pct(i.share_up)) + " " + verdict


def format_text(w: WhatIf, lang: str = "en") -> str:
    """The terminal view of a what-if, in `lang`: stamped as a scenario in its
    first lines, then the criteria that move with their deciding findings,
    the tiers and overall index before and after, and the ranks.

    Returns: `str`.
    Raises: nothing for a shipped language.

    Example:
        >>> print(format_text(w))
    """
    from .textout import table

    msg, fmt = _texts(w, lang)
    lines = [w.scenario.stamp(msg), msg("scenario_not_law"), ""]
    lines.append(msg("whatif_heading", country=f"{w.name.get(lang)} ({w.iso3})", before=fmt.date(w.before_date), after=fmt.date(w.after_date)))
    lines.append(msg("whatif_sides", rubric=f"{w.rubric.id} {w.rubric.version}"))
    lines.append("")
    if w.moves:
        lines.append(msg("whatif_moves", n=len(w.moves), unchanged=w.unchanged))
        for m in w.moves:
            lines.append(f"  {m.criterion}: {_level(w, m.before, msg)} → {_level(w, m.after, msg)}  ({_criterion_title(w, m.criterion, lang)})")
            before, after = msg("whatif_before") + ":", msg("whatif_after") + ":"
            width = max(len(before), len(after))
            lines.append(f"    {before:<{width}} {_deciders(m.before, msg)}")
            lines.append(f"    {after:<{width}} {_deciders(m.after, msg)}")
    else:
        lines.append(msg("whatif_no_moves"))
    lines.append("")
    rows = []
    for c in w.tiers + [w.overall]:
        title = msg("whatif_overall") if c.scope == "overall" else _tier_title(w, c.scope, lang)
        rows.append([title, fmt.num(c.before) if c.before is not None else "-", fmt.num(c.after) if c.after is not None else "-",
                     f"{fmt.num(c.like_before) if c.like_before is not None else '-'} → {fmt.num(c.like_after) if c.like_after is not None else '-'}",
                     str(c.common), _delta(fmt, c, msg), f"{c.assessed_before} → {c.assessed_after} / {c.total}"])
    lines.append(table(rows, [msg("whatif_col_scope"), msg("whatif_col_before"), msg("whatif_col_after"), msg("whatif_col_like"),
                              msg("whatif_col_common"), msg("whatif_col_change"), msg("whatif_col_assessed")], right=(1, 2, 4, 5)))
    lines.append("")
    if len(w.standings) > 1:
        lines.append(msg("whatif_ranks"))
        for s in w.standings:
            lines.append(f"  {s.iso3}  {_rank(s.rank_before, s.reason_before, msg)} → {_rank(s.rank_after, s.reason_after, msg)}")
        lines.append("")
    lines.append(_interval_text(w, msg, fmt))
    lines.append("")
    lines.append(msg("whatif_footer"))
    return "\n".join(lines)


def format_markdown(w: WhatIf, lang: str = "en") -> str:
    """A one-page brief in Markdown: what the scenario would change, in the
    language asked (stamped as a scenario, not law).

    Returns: `str`.
    Raises: nothing for a shipped language.

    Example:
        >>> brief = format_markdown(w, "kk")
    """
    msg, fmt = _texts(w, lang)

    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    out = [f"# {msg('whatif_brief_title', country=w.name.get(lang))}", "",
           f"**{cell(w.scenario.stamp(msg))}**", "", f"_{msg('scenario_not_law')}_", ""]
    if w.scenario.description.values:
        out += [cell(w.scenario.description.get(lang)), ""]
    out.append(msg("whatif_heading", country=f"{w.name.get(lang)} ({w.iso3})", before=fmt.date(w.before_date), after=fmt.date(w.after_date)))
    out.append("")
    o = w.overall
    out.append(msg("whatif_summary", before=fmt.num(o.like_before) if o.like_before is not None else "-",
                   after=fmt.num(o.like_after) if o.like_after is not None else "-", n=o.common,
                   change=_delta(fmt, o, msg), moves=len(w.moves)))
    out.append("")
    out.append(f"## {msg('whatif_moves_heading')}")
    out.append("")
    if w.moves:
        out.append(f"| {msg('criterion')} | {msg('whatif_col_before')} | {msg('whatif_col_after')} | {msg('whatif_decided_before')} | {msg('whatif_decided_after')} |")
        out.append("|---|---|---|---|---|")
        for m in w.moves:
            out.append(f"| {cell(m.criterion + ' ' + _criterion_title(w, m.criterion, lang))} | {cell(_level(w, m.before, msg))} | "
                       f"{cell(_level(w, m.after, msg))} | {cell(_deciders(m.before, msg))} | {cell(_deciders(m.after, msg))} |")
    else:
        out.append(msg("whatif_no_moves"))
    out.append("")
    out.append(f"## {msg('whatif_tiers_heading')}")
    out.append("")
    out.append(f"| {msg('whatif_col_scope')} | {msg('whatif_col_like')} | {msg('whatif_col_common')} | {msg('whatif_col_change')} | {msg('whatif_col_assessed')} |")
    out.append("|---|---:|---:|---:|---:|")
    for c in w.tiers + [w.overall]:
        title = msg("whatif_overall") if c.scope == "overall" else _tier_title(w, c.scope, lang)
        like = f"{fmt.num(c.like_before) if c.like_before is not None else '-'} → {fmt.num(c.like_after) if c.like_after is not None else '-'}"
        out.append(f"| {cell(title)} | {like} | {c.common} | {_delta(fmt, c, msg)} | {c.assessed_before} → {c.assessed_after} / {c.total} |")
    out.append("")
    if len(w.standings) > 1:
        out.append(f"## {msg('whatif_ranks_heading')}")
        out.append("")
        for s in w.standings:
            out.append(f"- {s.iso3}: {_rank(s.rank_before, s.reason_before, msg)} → {_rank(s.rank_after, s.reason_after, msg)}")
        out.append("")
    out.append(f"## {msg('whatif_interval_heading')}")
    out.append("")
    out.append(_interval_text(w, msg, fmt))
    out.append("")
    out.append(f"_{msg('whatif_footer')}_")
    return "\n".join(out) + "\n"
