"""What would a scenario change? The base evidence against the same evidence
with a scenario's overlay (assess.scenario), for the scenario's country and
the countries it is ranked among.

- each criterion whose level or status moves, with the finding that decides
  it before and after (and whether that finding is the scenario's);
- each tier and the index like with like: on the criteria assessed on both
  sides (score.commonly_assessed / restrict_to, as timeline and check compare),
  the raw move and the coverage move apart;
- the standing of every country named, before and after (rank, or unranked
  and why);
- the interval of the change from the sensitivity draws: both sides drawn
  with the same seed, so each draw has the same weights, aggregation rule and
  uniforms on both sides (sensitivity._uniforms: a stream per country and
  criterion), and the change is taken draw by draw. The change is larger than
  the uncertainty when its 5-95% interval leaves 0 out.

"Before" is the base as of one date (the day the scenario stood, by default),
"after" the overlay as of another (the date it assumes in force): what
passing the draft would change. On one date for both, only the overlay moves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..data.model import CountryEvidence, Rubric
from ..scoring.score import NOT_ASSESSED, CountryScore, commonly_assessed, restrict_to, score_country, standings


@dataclass(frozen=True)
class Decider:
    """A criterion's state on one side: level, status and the findings that decide it."""

    status: str
    level: int | None
    findings: tuple[dict, ...]  # {id, document, title, locator, level, scenario}


@dataclass(frozen=True)
class Move:
    criterion: str
    tier: str
    title: str
    before: Decider
    after: Decider


@dataclass(frozen=True)
class ScoreChange:
    """A tier (scope = tier id) or the index (scope = "overall") before and after."""

    scope: str
    title: str
    before: float | None  # on every criterion assessed on that side
    after: float | None
    like_before: float | None  # on the criteria assessed on both sides
    like_after: float | None
    common: int
    assessed_before: int
    assessed_after: int
    total: int

    @property
    def delta(self) -> float | None:
        if self.like_before is None or self.like_after is None:
            return None
        return self.like_after - self.like_before


@dataclass(frozen=True)
class Standing:
    iso3: str
    name: str
    rank_before: int | None
    rank_after: int | None
    reason_before: str | None  # why unranked (score.Standing.reason)
    reason_after: str | None


@dataclass(frozen=True)
class Interval:
    draws: int
    seed: int
    low: float | None  # 5th percentile of the change, draw by draw
    median: float | None
    high: float | None
    share_down: float  # share of draws in which the index falls
    share_up: float

    @property
    def beyond(self) -> bool | None:
        """Whether the change is larger than the uncertainty: its 5-95% interval leaves 0 out."""
        if self.low is None or self.high is None:
            return None
        return self.low > 0 or self.high < 0


@dataclass
class WhatIf:
    rubric: Rubric
    scenario: object  # scenario.Scenario
    iso3: str
    name: object  # model.Text: the country's name in each language
    before_date: dt.date
    after_date: dt.date
    moves: list[Move]
    tiers: list[ScoreChange]
    overall: ScoreChange
    standings: list[Standing]
    interval: Interval | None
    unchanged: int  # criteria whose level and status stay
    before_scores: list[CountryScore] = field(default_factory=list)
    after_scores: list[CountryScore] = field(default_factory=list)


def _decider(result, scenario_ids: set[str], from_scenario: bool) -> Decider:
    found = []
    for c in result.considered:
        if not c.deciding:
            continue
        f, d = c.finding, c.document
        found.append({"id": f.id, "document": f.document, "title": d.title.get("en") if d is not None else None,
                      "locator": f.locator, "level": f.level_text, "quote": f.quote,
                      "scenario": from_scenario and (f.id in scenario_ids or (f.document in scenario_ids if f.document else False)),
                      "confidence": f.confidence, "checked": f.checked})
    return Decider(result.status, result.level, tuple(found))


def _change(scope: str, title: str, before, after, like_before, like_after, common: int) -> ScoreChange:
    return ScoreChange(scope, title, before.score, after.score, like_before.score, like_after.score, common,
                       before.scored + before.not_applicable, after.scored + after.not_applicable, before.total)


def what_if(rubric: Rubric, scenario, base: list[CountryEvidence], overlaid: list[CountryEvidence],
            before_date: dt.date, after_date: dt.date, draws: int = 2000, seed: int = 0) -> WhatIf:
    """`base` and `overlaid`: the same countries, in the same order, without
    and with the scenario's overlay (only the scenario's country differs)."""
    before = [score_country(rubric, ev, before_date) for ev in base]
    after = [score_country(rubric, ev, after_date) for ev in overlaid]
    at = next(i for i, ev in enumerate(base) if ev.iso3 == scenario.country)
    b, a = before[at], after[at]
    ids = scenario.record_ids
    moves, unchanged = [], 0
    for rb, ra in zip(b.criteria, a.criteria):
        if rb.status == ra.status and rb.level == ra.level:
            unchanged += 1
            continue
        moves.append(Move(rb.criterion.id, rb.criterion.tier, rb.criterion.title.get("en"),
                          _decider(rb, ids, False), _decider(ra, ids, True)))
    common = commonly_assessed([b, a])
    lb, la = restrict_to(b, rubric, common), restrict_to(a, rubric, common)
    tiers = []
    for tier in rubric.tiers:
        n = sum(1 for c in tier.criteria if c.id in set(common))
        tiers.append(_change(tier.id, tier.title.get("en"), b.tiers[tier.id], a.tiers[tier.id],
                             lb.tiers[tier.id], la.tiers[tier.id], n))
    overall = _change("overall", "overall", b.overall, a.overall, lb.overall, la.overall, len(common))
    sb, sa = standings(rubric, before), standings(rubric, after)
    ranks = [Standing(ev.iso3, ev.country.name.get("en"), x.rank, y.rank, x.reason, y.reason)
             for ev, x, y in zip(base, sb, sa)]
    interval = _interval(rubric, base, overlaid, before, after, at, before_date, after_date, draws, seed) if draws else None
    return WhatIf(rubric, scenario, scenario.country, base[at].country.name, before_date, after_date, moves,
                  tiers, overall, ranks, interval, unchanged, before, after)


def _interval(rubric, base, overlaid, before, after, at, before_date, after_date, draws, seed) -> Interval:
    import numpy as np

    from .sensitivity import QUANTILES, _percentiles, run_sensitivity

    x = run_sensitivity(rubric, base, before_date, draws=draws, seed=seed, scored=before)
    y = run_sensitivity(rubric, overlaid, after_date, draws=draws, seed=seed, scored=after)
    change = (y.values[at] - x.values[at])[None, :]
    low, median, high = (q[0] for q in _percentiles(change, QUANTILES))
    valid = ~np.isnan(change[0])
    n = int(valid.sum()) or 1
    return Interval(draws, seed, low, median, high, float(np.count_nonzero(change[0][valid] < 0)) / n,
                    float(np.count_nonzero(change[0][valid] > 0)) / n)


# ---------------------------------------------------------------- outputs


def to_dict(w: WhatIf, lang: str = "en") -> dict:
    from ..output.export import _num

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
    """The terminal view: stamped as a scenario in its first lines."""
    from ..output.textout import table

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
    """A one-page brief: what the scenario would change, in the language asked."""
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
