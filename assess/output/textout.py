"""Plain-text views for the terminal. Library results in, strings out."""

from __future__ import annotations

from typing import Iterable

from ..common.terminal import visible  # noqa: F401  (assess.output.textout.visible still)
from ..data.model import Problem
from ..data.quotes import quote_mark, shown_quote

UNVERIFIED_MARK = "*"
LOW_CONFIDENCE_MARK = "~"


def low_confidence(result) -> bool:
    """Whether a criterion's level rests on a finding, or a document, that the
    analyst rated low confidence (every deciding finding is so rated, or its
    document is); False when no finding decides.

    Returns: `bool`.
    Raises: nothing.

    Example:
        >>> [r.criterion.id for r in cs.criteria if low_confidence(r)]
    """
    deciding = [c for c in result.considered if c.deciding]
    return bool(deciding) and all(
        c.finding.confidence == "low" or (c.document is not None and c.document.confidence == "low") for c in deciding)


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
    """A fixed-width table, two spaces between columns, a rule of dashes under
    the header; columns in `right` are right-aligned. Cells are shown as they
    will print (control characters escaped, visible()), so the columns line up.

    Returns: `str` (no final newline).
    Raises: nothing.

    Example:
        >>> print(table([["KAZ", "72.9"], ["RUS", "80.6"]], ["code", "index"], right=[1]))
        code  index
        ----  -----
        KAZ    72.9
        RUS    80.6
    """
    right = set(right)
    # cells shown as they will print (control characters escaped), so the columns line up
    allrows = [[visible(str(c), lines=False) for c in r] for r in ([header] if header else []) + rows]
    widths = [max(len(str(r[i])) for r in allrows) for i in range(len(allrows[0]))]

    def line(r):
        cells = [str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        return "  ".join(cells).rstrip()

    out = [line(r) for r in allrows]
    if header:
        out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def format_problems(problems: list[Problem], files: int | None = None, lang: str = "en") -> str:
    """The problems, one per line as str(Problem) gives them (file:line: field:
    message), then a summary line counting errors and warnings (and the
    files checked, when `files` is given).

    Texts are written in `lang` (en, ru, kk; the catalogue's words).

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> report = assess.check(assess.load_data())
        >>> print(format_problems(report.problems, len(report.files)))
    """
    from ..common.messages import catalogue

    t = catalogue(lang)
    lines = [p.said(lang) for p in problems]  # messages kept as catalogue entries are said in `lang`
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    summary = t("cli_problems_summary", errors=errors, warnings=warnings)
    if files is not None:
        summary += t("cli_problems_in_files", files=files)
    lines.append(summary)
    return "\n".join(lines)


class _Texts:
    """The terminal's labels, numbers and dates in one language (from the
    report catalogue, reports/templates/messages.yaml); en reads as before."""

    def __init__(self, lang: str):
        from ..common.messages import Formats, catalogue

        self.msg = catalogue(lang)  # the one loader: read once per process
        self.formats = Formats(self.msg)  # the reports' decimal mark and percent sign
        self.decimal = self.formats.decimal
        # ISO in English, as before; the reports' long English date format is not for a terminal
        self.date_format = (self.msg.table.get("_cli_date_format") or {}).get(lang, "%Y-%m-%d")

    def __call__(self, key: str, **values) -> str:
        return self.msg(key, **values)

    def num(self, x: float | None, digits: int = 1) -> str:
        return "-" if x is None else self.formats.num(x, digits)

    def pct(self, share: float) -> str:
        return self.formats.pct(share)

    def date(self, day) -> str:
        if self.formats.lang != "en":  # the CLDR's short date, year in full (messages.Formats)
            return self.formats.date(day)
        return day.strftime(self.date_format)

    def delta(self, x: float) -> str:
        return f"{x:+.1f}".replace(".", self.decimal)


def format_scores(scores, lang: str = "en") -> str:
    """Countries side by side, in `lang`: overall index, rank, the index on
    the assessed criteria and on the criteria assessed for all, band, the
    range if the unassessed were filled, coverage; then tiers, then every
    criterion's level.

    Returns: `str`.
    Raises: nothing for a shipped language.

    Example:
        >>> print(format_scores(assess.compute_scores(["KAZ", "RUS"], as_of="2021-06-30"), "ru"))
    """
    t = _Texts(lang)
    rubric = scores.rubric
    cs_list = scores.countries

    def band(agg) -> str:
        label = rubric.band(agg.score, lang, agg.coverage)
        if label is None and agg.score is not None:
            return t("cli_band_withheld", share=t.pct(rubric.band_min_coverage))
        return label or "-"

    from ..scoring.score import common_basis, standings

    head = [""] + [cs.evidence.iso3 for cs in cs_list]
    rows: list[list[str]] = []
    stand = standings(rubric, cs_list)
    rows.append([t("country")] + [cs.evidence.country.name.get(lang) for cs in cs_list])
    # the headline: a point index and a rank only where coverage allows; else the possible range
    rows.append([t("cli_overall")] + [
        t.num(cs.overall.score) if st.ranked else t("cli_headline_range", low=t.num(st.range_low), high=t.num(st.range_high))
        for cs, st in zip(cs_list, stand)])
    rows.append(["  " + t("cli_rank")] + [
        str(st.rank) if st.ranked else t(f"cli_unranked_{st.reason}", share=t.pct(st.coverage), min=t.pct(rubric.band_min_coverage))
        for st in stand])
    rows.append(["  " + t("cli_on_assessed")] + [
        t("cli_index_on", index=t.num(cs.overall.score), n=st.assessed, total=st.total) for cs, st in zip(cs_list, stand)])
    if len(cs_list) > 1:
        common = common_basis(rubric, cs_list)
        rows.append(["  " + t("cli_on_common", n=len(common.criteria))] + [t.num(common.overall(cs.evidence.iso3)) for cs in cs_list])
    rows.append(["  " + t("cli_band")] + [band(cs.overall) for cs in cs_list])
    rows.append(["  " + t("cli_range")] + [
        t("cli_complete") if cs.overall.complete else f"{t.num(cs.overall.score_min)}-{t.num(cs.overall.score_max)}" for cs in cs_list
    ])
    rows.append(["  " + t("cli_coverage")] + [f"{t.pct(cs.overall.coverage)} ({cs.overall.scored + cs.overall.not_applicable}/{cs.overall.total})" for cs in cs_list])
    rows.append([""] * len(head))
    for tier in rubric.tiers:
        weight = f"{tier.weight:g}".replace(".", t.decimal)
        rows.append([f"{tier.title.get(lang)} ({t('cli_weight', w=weight)})"] + [
            t.num(cs.tiers[tier.id].score) + ("" if cs.tiers[tier.id].complete else " " + t("cli_incomplete")) for cs in cs_list
        ])
    rows.append([""] * len(head))
    for tier in rubric.tiers:
        rows.append([f"[{tier.id}]"] + [""] * len(cs_list))
        for criterion in tier.criteria:
            cells = []
            for cs in cs_list:
                r = next(x for x in cs.criteria if x.criterion.id == criterion.id)
                if r.status == "scored":
                    cells.append(f"{r.level} {rubric.level_label(r.level, lang)}" + (UNVERIFIED_MARK if r.verified is False else "")
                                 + (LOW_CONFIDENCE_MARK if low_confidence(r) else ""))
                elif r.status == "not_applicable":
                    cells.append(t("cli_na"))
                else:
                    cells.append(t("cli_not_assessed"))
            rows.append([f"  {criterion.id}"] + cells)
    title = f"{rubric.title.get(lang)}\n{t('cli_rubric_line', id=rubric.id, version=rubric.version, date=t.date(scores.as_of))}\n"
    levels = ", ".join(f"{s.level} {s.label.get(lang)}" for s in rubric.scale)
    foot = f"\n{UNVERIFIED_MARK} {t('cli_unverified_note')}\n{LOW_CONFIDENCE_MARK} {t('cli_low_confidence_note')}\n"
    if any(not st.ranked for st in stand):
        foot += t("cli_unranked_note", min=t.pct(rubric.band_min_coverage)) + "\n"
    foot += t("cli_levels", levels=levels)
    return title + "\n" + table(rows, head) + "\n" + foot


def format_explanation(ex, lang: str = "en") -> str:
    """The terminal view of an explanation, in `lang`: the country and
    criterion, tier, rubric and date, the question, the rule, the level (and
    its label) or status, and every finding weighed, the deciding one
    marked, each set aside with its reason.

    Returns: `str`.
    Raises: nothing for a shipped language.

    Example:
        >>> print(format_explanation(assess.explain_level("KAZ", "int-strategy", as_of="2021-06-30")))
    """
    from .render.context import aside_text, rule_text  # the scorer's English words, in `lang`

    t = _Texts(lang)
    r = ex.result
    c = ex.criterion
    rubric = ex.rubric
    out = [
        f"{ex.evidence.country.name.get(lang)} ({ex.evidence.iso3}) - {c.id}: {c.title.get(lang)}",
        t("cli_tier_line", tier=ex.tier.id, title=ex.tier.title.get(lang), rubric=rubric.id, version=rubric.version, date=t.date(ex.as_of)),
        f"{t('cli_question')}: {c.question.get(lang)}",
        f"{t('cli_rule')}: {rule_text(c.rule, lang, r.notes)}",
        f"{t('cli_accepts')}: {', '.join(ex.tier.accepts)}",
        "",
    ]
    if r.status == "scored":
        descriptor = c.levels.get(r.level)
        out.append(t("cli_result_level", level=r.level, max=r.max_level, label=rubric.level_label(r.level, lang))
                   + (f": {descriptor.get(lang)}" if descriptor else ""))
    elif r.status == "not_applicable":
        out.append(t("cli_result_na"))
    else:
        out.append(t("cli_result_none"))
    if r.deciding:
        out.append(f"{t('cli_decided_by')}: " + ", ".join(r.deciding) + ("" if r.verified else "  " + t("cli_not_all_verified")))
    out.append("")
    if not r.considered:
        out.append(t("cli_no_finding"))
    approximate = False  # whether a date shown is approximate: then the legend closes the output
    for i, con in enumerate(r.considered, 1):
        f = con.finding
        mark = t("cli_decides") if con.deciding else (t("cli_counts") if con.counts else t("cli_set_aside"))
        out.append(f"{i}. {f.id} [{mark}] {t('cli_level_word')} {f.level_text}, {t('state_' + f.verification)}"
                   + _confidence_text(t, f.confidence) + (f", {t('cli_coder')} {f.coder}" if f.coder else ""))
        if con.document is not None:
            d = con.document
            approximate = approximate or bool(d.approximate)
            out.append(f"   {t('cli_document')}{_document_text(t, d, lang)}")
        elif f.document:
            out.append(f"   {t('cli_document')}{f.document} {t('cli_missing')}")
        if f.locator:
            out.append(f"   {t('cli_locator')}{f.locator}")
        shown = shown_quote(f, con.document, lang)  # the report language's version, else the original's (assess.data.quotes)
        if shown is not None:
            out.append(_quote_line(t, f, shown, lang))
        if shown is not None and shown.text != f.quote:  # a further version: its own check record, if any
            if shown.checked_by is not None:
                out.append(f"   {t('cli_check')}{check_text(t, shown.checked_by)}")
        elif f.check is not None:
            out.append(f"   {t('cli_check')}{check_text(t, f.check)}")
        if f.reason:
            out.append(f"   {t('cli_reason')}{f.reason}")
        if f.note:
            out.append(f"   {t('cli_note')}{f.note}")
        if not con.counts:
            out.append(f"   {t('cli_why_aside')}{aside_text(con, lang)}")
        out.append(f"   {t('cli_file')}{_shown_path(f.source.path, ex.root)}:{f.source.line}")
    # a reform only where something was found wanting; for what nobody assessed, the evidence to gather
    if r.status == "scored" and r.level is not None and r.level < r.max_level:
        rec = c.recommendation.get(lang)
        if rec:
            out.extend(["", f"{t('cli_recommendation')}: {rec}"])
        if ex.gain is not None:
            out.append(t("cli_gap_gain", max=r.max_level, index=t.num(ex.index), closed=t.num(ex.index_closed), gain=t.delta(ex.gain)))
    elif ex.to_code is not None:
        out.extend(["", *_to_code_lines(t, ex, lang)])
        approximate = approximate or any(d.approximate for d in ex.to_code.documents)
    if approximate:
        out.extend(["", t("cli_approx_legend")])
    return "\n".join(out)


def _quote_line(t, f, shown, lang: str) -> str:
    """A quote in quotation marks; a paraphrase never in them (and labelled as
    one); a translation in them, labelled as one; a third language named
    (assess.data.quotes.quote_mark)."""
    mark = quote_mark(shown, lang, t)
    if shown.kind == "paraphrase":
        tail = f" ({mark})" if shown.foreign else ""
        return f"   {t('cli_paraphrase')}{shown.text}{tail}"
    if mark:
        return f"   {t('cli_quote')}\"{shown.text}\" ({mark})"
    return f"   {t('cli_quote')}\"{shown.text}\""


def check_text(t, check) -> str:
    """A check record in words, with `t` the terminal's texts in one language:
    who, when, against what, and whether the publication is official and the
    quote verbatim (a check against the source text says so instead of the
    official flag); "?" where the record does not say.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> check_text(texts, finding.check)
    """
    def pick(value, stem):
        return t(f"{stem}_{'yes' if value else 'no' if value is False else 'unknown'}")

    if getattr(check, "source_text", False):  # recorded by `assess verify --record`
        return t("check_text_source", by=check.by or "?", on=t.date(check.date) if check.date else "?",
                 against=check.against or "?", verbatim=pick(check.verbatim, "check_verbatim"))
    return t("check_text", by=check.by or "?", on=t.date(check.date) if check.date else "?", against=check.against or "?",
             official=pick(check.official, "check_official"), verbatim=pick(check.verbatim, "check_verbatim"))


def _confidence_text(t, confidence: str | None, sep: str = ", ") -> str:
    return f"{sep}{t('cli_confidence', value=t('confidence_' + confidence))}" if confidence else ""


def _date_text(t, d, field: str) -> str:
    """A document's date, with ≈ before it when the document marks it approximate."""
    day = getattr(d, field)
    if day is None:
        return "?" if field != "in_force_to" else t("cli_now")
    return ("≈ " if field in d.approximate else "") + t.date(day)


def _document_text(t, d, lang: str) -> str:
    """id - title (type; in force from .. to ..; confidence ...), approximate dates marked ≈;
    an observation by the day it was made, a document not adopted yet by the day it was last found missing."""
    if getattr(d, "not_adopted_as_of", None) is not None:
        span = t("cli_not_adopted", date=t.date(d.not_adopted_as_of))
    elif getattr(d, "observed", None) is not None:
        span = t("cli_observed", date=_date_text(t, d, "observed"))
    else:
        span = t("cli_in_force", start=_date_text(t, d, "in_force_from"), end=_date_text(t, d, "in_force_to"))
    adopted = f"; {t('adopted').lower()} {_date_text(t, d, 'adopted')}" if "adopted" in d.approximate and d.adopted else ""
    return f"{d.id} - {d.title.get(lang)} ({d.type}; {span}{adopted}{_confidence_text(t, d.confidence, '; ')})"


def _to_code_lines(t, ex, lang: str) -> list[str]:
    """What evidence would let an unassessed criterion be assessed (gaps.what_to_gather)."""
    x = ex.to_code
    day = t.date(ex.as_of)
    lines = [t("cli_to_code")]
    awaited = []  # evidence that does not exist yet: nothing to read until it is adopted
    if x.awaited:
        awaited.append(t("cli_to_code_awaited"))
        for d in x.awaited:
            awaited.append(f"    {_document_text(t, d, lang)}")
            if d.note:
                awaited.append(f"      {d.note}")
    if x.reason == "uncoded":
        lines.append(t("cli_to_code_uncoded", date=day))
        lines.extend(f"    {_document_text(t, d, lang)}" for d in x.documents)
        lines.extend(awaited)
        lines.append(t("cli_to_code_uncoded_do"))
    else:
        lines.append(t("cli_to_code_not_traced", tier=ex.tier.id, date=day, span=_trace_text(t, x.trace)))
        if x.documents:
            lines.append(t("cli_to_code_recorded", date=day))
            lines.extend(f"    {_document_text(t, d, lang)}" for d in x.documents)
        else:
            lines.append(t("cli_to_code_none_recorded", date=day))
        lines.extend(awaited)
        lines.append(t("cli_to_code_read_tier", date=day))
    if x.points is not None:
        lines.append(t("cli_to_code_points", points=t.num(x.points, 2)))
    return lines


def _trace_text(t, trace) -> str:
    if trace is None or (trace.start is None and trace.end is None):
        return t("trace_none")
    start = t.date(trace.start) if trace.start else "?"
    return t("trace_from_to", start=start, end=t.date(trace.end)) if trace.end else t("trace_from", start=start)


def format_timeline(rubric, timelines, lang: str = "en") -> str:
    """Steps (with the criteria assessed, ▽ below the rubric's
    band_min_coverage), then the change points. A change where criteria
    started or stopped being assessed leads with the move like with like
    (on the criteria assessed on both days; "=" when there is none), then the
    coverage move and its causes on lines of their own.

    Returns: `str`.
    Raises: nothing for a shipped language.

    Example:
        >>> rubric, timelines = assess.compute_timelines(["KAZ"], start=2013, end="2021-06-30")
        >>> print(format_timeline(rubric, timelines))
    """
    t = _Texts(lang)
    floor = rubric.band_min_coverage or 0.0
    thin = False
    blocks = []
    for tl in timelines:
        head = [t("cli_date"), t("cli_overall_short"), t("cli_tl_assessed")] + [tier.id for tier in rubric.tiers]
        rows = []
        for s in tl.steps:
            o = s.overall
            low = floor > 0 and o.coverage < floor - 1e-12
            thin = thin or low
            rows.append([t.date(s.date), t.num(o.score) + ("" if o.complete else " ◐"),
                         ("▽ " if low else "") + f"{o.scored + o.not_applicable}/{o.total}"]
                        + [t.num(s.tiers[tier.id].score) for tier in rubric.tiers])
        lines = [f"{tl.evidence.country.name.get(lang)} ({tl.evidence.iso3})", table(rows, head, right=range(1, len(head)))]
        if tl.changes:
            lines.append("\n" + t("cli_change_points"))
            for c in tl.changes:
                lines.extend(_change_lines(c, t))
        blocks.append("\n".join(lines))
    foot = "\n" + t("cli_timeline_foot", id=rubric.id, version=rubric.version)
    if thin:
        foot += "\n" + t("cli_tl_thin_foot", share=t.pct(floor))
    if any(c.kind == "coverage" and c.before is not None and c.after is not None for tl in timelines for c in tl.changes):
        foot += "\n" + t("cli_tl_same_foot")
    return "\n\n".join(blocks) + "\n" + foot


def _change_lines(c, t) -> list[str]:
    """One change point of format_timeline()."""
    scope = t("cli_overall_short") if c.scope == "overall" else f"{c.scope} {t('cli_tier_word')}"
    head = f"  {t.date(c.date)}  "
    if c.coverage is None:  # scores moved on the same criteria: as it always read
        delta = t("cli_new") if c.before is None else (t("cli_gone") if c.after is None else t.delta(c.delta))
        return [f"{head}{delta:>6} {scope}: {'; '.join(c.causes)}"]
    pad = " " * (len(head) + 7)
    cov = c.coverage
    if c.before is None:
        label = t("cli_new")
    elif c.after is None:
        label = t("cli_gone")
    else:
        label = t.delta(c.delta) if c.kind == "both" else "="
    if c.like_before is not None:
        text = t("cli_tl_like", before=t.num(c.like_before), after=t.num(c.like_after), n=c.common,
                 raw_before=t.num(c.before), raw_after=t.num(c.after))
        if c.score_causes:
            text += ": " + "; ".join(c.score_causes)
        out = [f"{head}{label:>6} {scope}: {text}", pad + t("cli_tl_coverage", before=cov.before, after=cov.after, total=cov.total)]
    else:  # nothing assessed on both days: a tier (or the index) appears or goes
        out = [f"{head}{label:>6} {scope}: " + t("cli_tl_coverage", before=cov.before, after=cov.after, total=cov.total)]
    if cov.gained:
        out[-1] += "; " + t("cli_tl_gained", criteria=", ".join(cov.gained))
    if cov.lost:
        out[-1] += "; " + t("cli_tl_lost", criteria=", ".join(cov.lost))
    out.append(pad + t("cli_tl_caused_by", causes="; ".join(cov.causes)))
    return out


def format_sensitivity(s, lang: str = "en") -> str:
    """The sources varied and held fixed, then per country the index as
    scored, the median and 5-95% interval of the draws, the possible range and
    how many criteria were drawn; then the rank statements.

    Returns: `str`.
    Raises: nothing for a shipped language.

    Example:
        >>> print(format_sensitivity(s, "kk"))
    """
    t = _Texts(lang)
    unassessed, findings = "unassessed" in s.varied, "findings" in s.varied
    rows = []
    for i, ev in enumerate(s.countries):
        low, high = s.range_low[i], s.range_high[i]
        row = [ev.iso3, ev.country.name.get(lang), t.num(s.point[i]), t.num(s.median[i]),
               "-" if s.low[i] is None else f"{t.num(s.low[i])} - {t.num(s.high[i])}",
               "-" if low is None else f"{t.num(low)} - {t.num(high)}"]
        row += [str(s.drawn_unassessed[i])] * unassessed + [str(s.drawn_findings[i])] * findings
        rows.append(row)
    head = [t("cli_sens_code"), t("country"), t("point_index"), t("median"), t("interval_5_95"), t("possible_range")]
    head += [t("sens_drawn_unassessed")] * unassessed + [t("sens_drawn_findings")] * findings
    out = [t("cli_sens_line", id=s.rubric.id, version=s.rubric.version, date=t.date(s.as_of), draws=t.num(s.draws, 0), seed=s.seed)]
    sources = s.sources(lang)
    for varied, key in ((True, "sens_varied"), (False, "sens_fixed")):
        listed = [text for _, v, text in sources if v is varied]
        if listed:
            out.append(t(key))
            out.extend(f"  - {text}" for text in listed)
    out += ["", table(rows, head, right=range(2, len(head)))]
    if unassessed or findings:
        out.append(t("sens_drawn_foot"))
    pairs = s.shown_pairs()  # every pair of a few countries, else neighbours in the ranking (--pairs)
    if pairs:
        out.append("")
        if not s.every_pair:
            out.append(t("cli_sens_neighbours", shown=t.num(len(pairs), 0), total=t.num(s.comparable_pairs(), 0)))
        for i, j in pairs[:50]:
            out.append(s.statement(*s.order(i, j), lang))
        if len(pairs) > 50:
            out.append(t("cli_sens_more_pairs", n=len(pairs) - 50))
    return "\n".join(out)


_AGREEMENT_NOTES = {  # the notes assess.agreement writes in English, and their catalogue keys
    "fewer than two units coded by two or more coders": "cli_agree_note_few",
    "every coder gave the same level everywhere: alpha is undefined (no variation)": "cli_agree_note_same",
}


def format_agreement(a, lang: str = "en") -> str:
    """Inter-coder agreement in `lang`: the rubric, date, coders and number of
    units, then Krippendorff's alpha and percent agreement overall and per
    tier (with why an alpha is missing), and the disagreements; a line saying so when no unit has two
    coders.

    Returns: `str`.
    Raises: nothing for a shipped language.

    Example:
        >>> print(format_agreement(measure_agreement(p.rubric, p.evidence, as_of)))
    """
    t = _Texts(lang)

    def alpha(x):
        return "-" if x is None else f"{x:.3f}".replace(".", t.decimal)

    def pct(x):
        return "-" if x is None else t.pct(x)

    out = [t("cli_agree_line", id=a.rubric.id, version=a.rubric.version, date=t.date(a.as_of),
             coders=", ".join(a.coders) or t("cli_agree_none"), n=len(a.units))]
    if not a.units:
        out.append(t("cli_agree_nothing"))
        return "\n".join(out)
    rows = [[t("cli_agree_overall"), alpha(a.alpha["overall"]), pct(a.percent["overall"]), str(len(a.units))]]
    for tier in a.rubric.tiers:
        n = sum(1 for u in a.units if u.tier == tier.id)
        rows.append([tier.id, alpha(a.alpha[tier.id]), pct(a.percent[tier.id]), str(n)])
    head = [t("cli_agree_head_scope"), t("cli_agree_head_alpha"), t("cli_agree_head_agreement"), t("cli_agree_head_units")]
    out.append(table(rows, head, right=(1, 2, 3)))
    for scope, note in a.notes.items():
        key = _AGREEMENT_NOTES.get(note)
        out.append(f"  {t('cli_agree_overall') if scope == 'overall' else scope}: {t(key) if key else note}")
    if a.disagreements:
        out.append("\n" + t("cli_agree_disagreements"))
        for u in a.disagreements:
            views = "; ".join(t("cli_agree_view", coder=c, level=lv, findings=", ".join(u.evidence[c])) for c, lv in u.levels.items())
            out.append(f"  {u.country} {u.criterion}: {views}" + (t("cli_agree_reconciled") if u.reconciled else ""))
    return "\n".join(out)
