"""Plain-text views for the terminal. Library results in, strings out."""

from __future__ import annotations

from typing import Iterable

from .model import Problem

UNVERIFIED_MARK = "*"


def _band(rubric, agg, lang: str) -> str:
    band = rubric.band(agg.score, lang, agg.coverage)
    if band is None and agg.score is not None:
        return f"withheld (coverage < {rubric.band_min_coverage:.0%})"
    return band or "-"


def _shown_path(path: str, root: str | None) -> str:
    """A path inside the workspace, relative to it, so output reads the same on
    every machine; anything else as it is."""
    if root:
        import os

        rel = os.path.relpath(path, root)
        if not rel.startswith(".."):
            return rel.replace(os.sep, "/")
    return path


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def table(rows: list[list[str]], header: list[str] | None = None, right: Iterable[int] = ()) -> str:
    """A fixed-width table; columns in `right` are right-aligned."""
    right = set(right)
    allrows = ([header] if header else []) + rows
    widths = [max(len(str(r[i])) for r in allrows) for i in range(len(allrows[0]))]

    def line(r):
        cells = [str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        return "  ".join(cells).rstrip()

    out = [line(r) for r in allrows]
    if header:
        out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def format_problems(problems: list[Problem], files: int | None = None) -> str:
    lines = [str(p) for p in problems]
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if files is not None:
        summary += f" in {files} file{'s' * (files != 1)}"
    lines.append(summary)
    return "\n".join(lines)


def format_scores(scores, lang: str = "en") -> str:
    """Countries side by side: overall, tiers, then every criterion's level."""
    rubric = scores.rubric
    cs_list = scores.countries
    head = [""] + [cs.evidence.iso3 for cs in cs_list]
    rows: list[list[str]] = []
    rows.append(["Country"] + [cs.evidence.country.name.get(lang) for cs in cs_list])
    rows.append(["Overall index (0-100)"] + [_num(cs.overall.score) for cs in cs_list])
    rows.append(["  band"] + [_band(rubric, cs.overall, lang) for cs in cs_list])
    rows.append(["  range if unassessed filled"] + [
        "complete" if cs.overall.complete else f"{_num(cs.overall.score_min)}-{_num(cs.overall.score_max)}" for cs in cs_list
    ])
    rows.append(["  coverage"] + [f"{_pct(cs.overall.coverage)} ({cs.overall.scored + cs.overall.not_applicable}/{cs.overall.total})" for cs in cs_list])
    rows.append([""] * len(head))
    for tier in rubric.tiers:
        rows.append([f"{tier.title.get(lang)} (w {tier.weight:g})"] + [
            _num(cs.tiers[tier.id].score) + ("" if cs.tiers[tier.id].complete else " (incomplete)") for cs in cs_list
        ])
    rows.append([""] * len(head))
    for tier in rubric.tiers:
        rows.append([f"[{tier.id}]"] + [""] * len(cs_list))
        for criterion in tier.criteria:
            cells = []
            for cs in cs_list:
                r = next(x for x in cs.criteria if x.criterion.id == criterion.id)
                if r.status == "scored":
                    cells.append(f"{r.level} {rubric.level_label(r.level, lang)}" + (UNVERIFIED_MARK if r.verified is False else ""))
                elif r.status == "not_applicable":
                    cells.append("n/a")
                else:
                    cells.append("not assessed")
            rows.append([f"  {criterion.id}"] + cells)
    title = f"{rubric.title.get(lang)}\nrubric {rubric.id} {rubric.version}, as of {scores.as_of.isoformat()}\n"
    foot = (
        f"\n{UNVERIFIED_MARK} decided by a finding not yet verified against the source text."
        "\nlevels: " + ", ".join(f"{s.level} {s.label.get(lang)}" for s in rubric.scale)
        + ". `assess explain COUNTRY CRITERION` shows why."
    )
    return title + "\n" + table(rows, head) + "\n" + foot


def format_explanation(ex, lang: str = "en") -> str:
    r = ex.result
    c = ex.criterion
    rubric = ex.rubric
    out = [
        f"{ex.evidence.country.name.get(lang)} ({ex.evidence.iso3}) - {c.id}: {c.title.get(lang)}",
        f"tier {ex.tier.id} ({ex.tier.title.get(lang)}), rubric {rubric.id} {rubric.version}, as of {ex.as_of.isoformat()}",
        f"question: {c.question.get(lang)}",
        f"rule: {r.rule_text}",
        f"tier accepts: {', '.join(ex.tier.accepts)}",
        "",
    ]
    if r.status == "scored":
        descriptor = c.levels.get(r.level)
        out.append(f"RESULT: level {r.level} of {r.max_level} ({rubric.level_label(r.level, lang)})" + (f": {descriptor.get(lang)}" if descriptor else ""))
    elif r.status == "not_applicable":
        out.append("RESULT: not applicable")
    else:
        out.append("RESULT: not assessed - no finding counts on this date; the criterion is left out of the tier score, which is marked incomplete")
    if r.deciding:
        out.append("decided by: " + ", ".join(r.deciding) + ("" if r.verified else "  (not all verified)"))
    out.append("")
    if not r.considered:
        out.append("No finding in the evidence names this criterion.")
    for i, con in enumerate(r.considered, 1):
        f = con.finding
        mark = "DECIDES" if con.deciding else ("counts" if con.counts else "set aside")
        out.append(f"{i}. {f.id} [{mark}] level {f.level_text}, {'verified' if f.verified else 'unverified'}" + (f", coder {f.coder}" if f.coder else ""))
        if con.document is not None:
            d = con.document
            span = f"in force {d.in_force_from or '?'} to {d.in_force_to or 'now'}"
            out.append(f"   document: {d.id} - {d.title.get(lang)} ({d.type}; {span})")
        elif f.document:
            out.append(f"   document: {f.document} (missing)")
        if f.locator:
            out.append(f"   locator:  {f.locator}")
        if f.quote:
            out.append(f"   quote:    \"{f.quote}\"")
        if f.reason:
            out.append(f"   reason:   {f.reason}")
        if f.note:
            out.append(f"   note:     {f.note}")
        if not con.counts:
            out.append(f"   why set aside: {con.reason}")
        out.append(f"   file:     {_shown_path(f.source.path, ex.root)}:{f.source.line}")
    if r.status != "scored" or (r.level is not None and r.level < r.max_level):
        rec = c.recommendation.get(lang)
        if rec:
            out.extend(["", f"recommendation: {rec}"])
    return "\n".join(out)


def format_timeline(rubric, timelines, lang: str = "en") -> str:
    blocks = []
    for tl in timelines:
        head = ["date", "overall"] + [t.id for t in rubric.tiers]
        rows = [[s.date.isoformat(), _num(s.overall.score) + ("" if s.overall.complete else " ◐")]
                + [_num(s.tiers[t.id].score) for t in rubric.tiers] for s in tl.steps]
        lines = [f"{tl.evidence.country.name.get(lang)} ({tl.evidence.iso3})", table(rows, head, right=range(1, len(head)))]
        if tl.changes:
            lines.append("\nchange points:")
            for c in tl.changes:
                delta = "new" if c.before is None else ("gone" if c.after is None else f"{c.delta:+.1f}")
                scope = "overall" if c.scope == "overall" else f"{c.scope} tier"
                lines.append(f"  {c.date.isoformat()}  {delta:>6} {scope}: {'; '.join(c.causes)}")
        blocks.append("\n".join(lines))
    foot = f"\nrubric {rubric.id} {rubric.version}; ◐ incomplete (some criteria not assessed on that date)"
    return "\n\n".join(blocks) + "\n" + foot


def format_sensitivity(s, lang: str = "en") -> str:
    rows = [[ev.iso3, ev.country.name.get(lang), _num(s.point[i]), _num(s.median[i]), f"{_num(s.low[i])} - {_num(s.high[i])}"]
            for i, ev in enumerate(s.countries)]
    out = [
        f"rubric {s.rubric.id} {s.rubric.version}, as of {s.as_of.isoformat()}; {s.draws:,} draws, seed {s.seed}, Dirichlet concentration {s.concentration:g}",
        table(rows, ["code", "country", "index", "median", "5-95% interval"], right=(2, 3, 4)),
    ]
    n = len(s.countries)
    pairs = [(i, j) for i in range(n) for j in range(n) if i < j]
    if pairs:
        out.append("")
        for i, j in pairs[:50]:
            share = s.above[i][j]
            a, b = (i, j) if share is None or share >= 0.5 else (j, i)
            out.append(s.statement(a, b, lang))
        if len(pairs) > 50:
            out.append(f"... and {len(pairs) - 50} more pairs (see --format json)")
    return "\n".join(out)


def format_agreement(a) -> str:
    def pct(x):
        return "-" if x is None else f"{100 * x:.0f}%"

    def alpha(x):
        return "-" if x is None else f"{x:.3f}"

    out = [f"rubric {a.rubric.id} {a.rubric.version}, as of {a.as_of.isoformat()}; coders: {', '.join(a.coders) or 'none'}; "
           f"{len(a.units)} country x criterion units coded by two or more coders"]
    if not a.units:
        out.append("Nothing to compare: no criterion has counting findings from two or more coders.")
        return "\n".join(out)
    rows = [["overall", alpha(a.alpha["overall"]), pct(a.percent["overall"]), str(len(a.units))]]
    for t in a.rubric.tiers:
        n = sum(1 for u in a.units if u.tier == t.id)
        rows.append([t.id, alpha(a.alpha[t.id]), pct(a.percent[t.id]), str(n)])
    out.append(table(rows, ["scope", "alpha (ordinal)", "agreement", "units"], right=(1, 2, 3)))
    for scope, note in a.notes.items():
        out.append(f"  {scope}: {note}")
    if a.disagreements:
        out.append("\ndisagreements to reconcile:")
        for u in a.disagreements:
            views = "; ".join(f"{c}: level {lv} ({', '.join(u.evidence[c])})" for c, lv in u.levels.items())
            out.append(f"  {u.country} {u.criterion}: {views}" + ("  [reconciled]" if u.reconciled else ""))
    return "\n".join(out)
