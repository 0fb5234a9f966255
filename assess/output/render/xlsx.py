"""Context -> one Excel workbook: the same numbers as the HTML report, as data.

Up to eight sheets: Summary (with a native bar chart), Criteria, Evidence,
Gaps, Documents, Timeline (with a native line chart and the change points),
Sensitivity (only when the analysis was run) and Methodology (with coder
agreement and the comparison basis). Everything shown comes from the context
that render.context and api.report_context build, and every label from
reports/templates/messages.yaml.
The sheet names follow the report's language (SHEETS are the English ones); the
sheets keep their order in every language, so a script can read one by position.

Three promises, each tested in tests/test_xlsx.py:
- evidence text never becomes a formula: every string cell is stored as text;
- the same context gives the same bytes: fixed document times, fixed zip
  entry times and order;
- a crash never leaves half a file: the workbook is built in memory and
  written with assess.atomic.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import operator
import re
import tempfile
import zipfile

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import Rule
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from ...common import progress
from ...common.atomic import write_bytes_atomic
from ...common.xlsxzip import stable_zip
from ...common.messages import Messages, load_messages
from .context import SIDE_BY_SIDE_MAX, STATUS_KEYS, safe_url
from .palette import level_colours
from .xlsx_writer import FastExcelWriter
from ...common.messages import Formats

# every sheet a workbook can have, in order; Timeline needs context["timeline"]
# and Sensitivity context["sensitivity"], the others are always there
SHEETS = ("Summary", "Criteria", "Evidence", "Gaps", "Documents", "Timeline", "Sensitivity", "Methodology")

SCORE_FORMAT = "0.0"
POINTS_FORMAT = "0.00"  # index points a criterion carries (6.25 of 100)
SHARE_FORMAT = "0%"
DATE_FORMAT = "yyyy-mm-dd"
# generation times are stored in UTC (Excel has no time zones), so say so
TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss "UTC"'
LEVEL_FORMAT = "0"
ALPHA_FORMAT = "0.000"
YEAR_FORMAT = "yyyy"  # the time axis of the timeline chart

# named like the workbook's default font: a nameless bold font falls back to a serif in LibreOffice
HEADER_FONT = Font(name="Calibri", size=11, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
SECTION_FONT = Font(name="Calibri", size=12, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

MAX_CELL_TEXT = 32767  # Excel refuses longer cells
MIN_WIDTH, MAX_WIDTH = 8, 60
HEADER_WIDTH = 10  # a longer header wraps rather than widening its column
LINE_HEIGHT = 15  # points per line of 11-point text
CHART_ROWS = 20  # rows kept free under a table for a 9 cm chart (about 17 rows of 15 points)


def write_xlsx(context: dict, path: str, templates_dir: str) -> str:
    """Writes the workbook for `context` (a report context, build_context) to
    `path` atomically, its text from the catalogue in `templates_dir` in the
    context's language.

    Returns: `str`, the path.
    Raises: `UsageError` for a path that cannot be written, `CannotWrite` for
    a failure while writing (a full disk); nothing is left half-written.

    Example:
        >>> write_xlsx(context, "report.xlsx", assess.templates_dir())
        'report.xlsx'
    """
    msg = load_messages(templates_dir, context["lang"])
    return write_bytes_atomic(path, workbook_bytes(context, msg))


def workbook_bytes(context: dict, msg: Messages) -> bytes:
    """The whole .xlsx file, built in memory: the target folder never sees a
    half-built one. Deterministic: the same context gives the same bytes.

    Returns: `bytes`.
    Raises: nothing for a report context.

    Example:
        >>> data = workbook_bytes(context, catalogue("en"))
        >>> data[:2]
        b'PK'
    """
    # ExcelWriter rather than wb.save: save() stamps `modified` with the
    # current time, which would make every run's bytes differ
    # stored, not compressed: stable_zip compresses each entry once, into the final archive
    with tempfile.TemporaryFile() as raw:
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            writer = FastExcelWriter(None, archive)
            # each finished sheet is written out (to a temporary file) and its cells let go before the next
            # is built: a world workbook holds one sheet's cells at a time, not all of them (the same bytes)
            wb = build_workbook(context, msg, sheet_done=None if context.get("scenario") else writer.write_early)
            writer.workbook = wb
            writer.save()
        raw.seek(0)
        return stable_zip(raw, transform=_sheet_content, stream=_sheet_stream)


def sheet_title(sheet: str, msg: Messages) -> str:
    """A sheet's name in the report's language (sheet_<name> in the catalogue),
    cut to Excel's 31 characters: SHEETS[i] in English. The sheets keep their
    order in every language, so a script can read them by position
    (pandas.read_excel(path, sheet_name=2) is the Evidence sheet in en, ru
    and kk).

    Returns: `str`.
    Raises: nothing for a shipped sheet name.

    Example:
        >>> sheet_title("Evidence", catalogue("ru"))
        'Доказательства'
    """
    return msg("sheet_" + sheet.lower())[:31]


def build_workbook(context: dict, msg: Messages, sheet_done=None) -> Workbook:
    """The report's workbook: the Summary, Criteria, Evidence, Gaps and
    Documents sheets, Timeline and Sensitivity when the context has them,
    then Methodology; the document properties set and a scenario stamped.
    Shows progress for many countries. `sheet_done(ws)`, when given, is
    called with each sheet once it is complete (workbook_bytes writes it out
    there and lets its cells go; not with a scenario, which stamps every
    sheet at the end).

    Returns: `openpyxl.Workbook`.
    Raises: nothing for a report context.

    Example:
        >>> wb = build_workbook(context, catalogue("en"))
        >>> wb.sheetnames[0]
        'Summary'
    """
    wb = Workbook()
    wb.remove(wb.active)
    advance = progress.task("workbook", len(SHEETS), worth=len(context["countries"]) >= progress.MIN_STEPS)

    def sheet(i: int, build) -> None:
        ws = wb.create_sheet(sheet_title(SHEETS[i], msg))
        build(ws, context, msg)
        if sheet_done is not None:
            sheet_done(ws)

    sheet(0, _summary_sheet)
    advance(1)
    sheet(1, _criteria_sheet)
    advance(2)
    sheet(2, _evidence_sheet)
    advance(3)
    sheet(3, _gaps_sheet)
    advance(4)
    sheet(4, _documents_sheet)
    advance(5)
    if context.get("timeline") is not None:
        sheet(5, _timeline_sheet)
    advance(6)
    if context.get("sensitivity") is not None:
        sheet(6, _sensitivity_sheet)
    advance(7)
    sheet(7, _methodology_sheet)
    _document_properties(wb, context, msg)
    _stamp_scenario(wb, context)
    advance(8)
    return wb


# ---------------------------------------------------------------- sheets


def _summary_sheet(ws, context: dict, msg: Messages) -> None:
    """One row per country in ranking order: ranked countries first. A country
    under the rubric's band_min_coverage has no rank and an empty overall index
    (its headline is the possible range); its index on the assessed criteria
    stands in its own column, labelled as such."""
    tiers = context["rubric"]["tiers"]
    several = len(context["countries"]) > 1
    headers = [msg("country"), msg("iso3"), msg("rank"), msg("overall_index"), msg("range_low"), msg("range_high"),
               msg("index_assessed_col")]
    if several:
        headers.append(msg("index_common_col", n=context["comparison"]["common_count"]))
    headers += [msg("band"), msg("coverage"), msg("complete")]
    band_col = len(headers) - 2
    tier_col = len(headers) + 1
    headers += [tier["title"] for tier in tiers]
    _header(ws, headers)
    share = context["rubric"].get("band_min_coverage") or 0
    for c in context["ranking"]:
        band = msg("band_withheld", share=f"{share:.0%}") if c.get("band_withheld") else (c["band"] or "")
        rank = c["rank"] if c["ranked"] else msg("unranked")
        row = [c["name"], c["iso3"], rank, c["overall"] if c["ranked"] else None, c["overall_min"], c["overall_max"], c["overall"]]
        if several:
            row.append(c["common_overall"])
        row += [band, c["coverage"], _yes_no(msg, c["complete"])]
        # a tier without a score stays empty: the chart then shows a gap, not a 0
        row += [t["score"] for t in c["tiers"]]
        formats = {i: SCORE_FORMAT for i in range(4, 8 + several)}
        formats[9 + several] = SHARE_FORMAT
        formats.update({tier_col + i: SCORE_FORMAT for i in range(len(tiers))})
        _row(ws, row, formats)
    _tabular(ws, freeze="B2", wrap={band_col}, caps={band_col: 24}, title_cols="A:A")
    if context["countries"] and len(context["countries"]) <= SIDE_BY_SIDE_MAX:
        # beyond six countries a clustered bar chart is a barcode nobody reads: the table is sortable instead
        _tier_chart(ws, context, msg, tier_col, len(tiers))


def _titled_0_100(chart, title: str, x_title: str, y_title: str) -> None:
    """Titles, a 0-100 score axis, and both axes shown."""
    chart.title = title
    chart.x_axis.title = x_title
    chart.y_axis.title = y_title
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    # newer openpyxl marks axes deleted unless told otherwise, and Excel then hides them
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _tier_chart(ws, context: dict, msg: Messages, first_col: int, n_tiers: int) -> None:
    """Clustered bars: one cluster per country, one bar per tier."""
    n = len(context["countries"])
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    _titled_0_100(chart, msg("tier_chart"), msg("country"), msg("score"))
    data = Reference(ws, min_col=first_col, max_col=first_col + n_tiers - 1, min_row=1, max_row=n + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
    chart.legend.position = "b"  # under the plot, where long tier titles have room
    chart.width, chart.height = 18, 9
    # below the table, so it never covers rows the filter would show
    ws.add_chart(chart, f"A{n + 4}")


def _criteria_sheet(ws, context: dict, msg: Messages) -> None:
    countries = context["countries"]
    if len(countries) > SIDE_BY_SIDE_MAX:
        return _criteria_long(ws, context, msg)
    # comparable: assessed for every country; where only for some, which ones
    headers = [msg("tier"), msg("criterion"), msg("title"), msg("weight"), msg("comparable"), msg("assessed_for")]
    first = len(headers) + 1
    for c in countries:
        headers += [f"{c['iso3']} {msg('level')}", f"{c['iso3']} {msg('status')}"]
    _header(ws, headers)
    for tier in context["tiers"]:
        for cr in tier["criteria"]:
            assessed_for = ", ".join(cr.get("assessed_for") or []) if cr.get("partial") else None
            row = [tier["title"], cr["id"], cr["title"], cr["weight"], _yes_no(msg, cr.get("comparable")), assessed_for]
            for cell in cr["cells"]:
                row += [_level_or_status(msg, cell), _status_text(msg, cell)]
            _row(ws, row, {first + 2 * i: LEVEL_FORMAT for i in range(len(countries))})
    status_cols = {first + 2 * i + 1 for i in range(len(countries))}
    _tabular(ws, freeze="D2", wrap={1, 3, 6} | status_cols, caps={1: 20, 2: 20, 3: 34, 6: 20, **{c: 26 for c in status_cols}},
             title_cols="A:C")
    last = ws.max_row
    if last > 1:
        for i in range(len(countries)):
            col = get_column_letter(first + 2 * i)
            for rule in _level_rules(context["rubric"]["max_level"]):
                ws.conditional_formatting.add(f"{col}2:{col}{last}", rule)


def _criteria_long(ws, context: dict, msg: Messages) -> None:
    """More than six countries: one row per country and criterion (long
    format), the countries in ranking order with their rank, so that a filter
    or a pivot table reads it; 200 countries side by side would be 400
    columns."""
    position = {c["iso3"]: i for i, c in enumerate(context["countries"])}
    headers = [msg("rank"), msg("country"), msg("iso3"), msg("tier"), msg("criterion"), msg("title"), msg("weight"),
               msg("comparable"), msg("level"), msg("status")]
    _header(ws, headers)
    criteria = [(tier, cr) for tier in context["tiers"] for cr in tier["criteria"]]
    comparable = {cr["id"]: _yes_no(msg, cr.get("comparable")) for _, cr in criteria}
    for c in context["ranking"]:
        k = position[c["iso3"]]
        rank = c["rank"] if c["ranked"] else msg("unranked")
        for tier, cr in criteria:
            cell = cr["cells"][k]
            _row(ws, [rank, c["name"], c["iso3"], tier["title"], cr["id"], cr["title"], cr["weight"], comparable[cr["id"]],
                      _level_or_status(msg, cell), _status_text(msg, cell)], {9: LEVEL_FORMAT})
    _tabular(ws, freeze="D2", caps={6: 40}, title_cols="A:C")
    last = ws.max_row
    if last > 1:
        for rule in _level_rules(context["rubric"]["max_level"]):
            ws.conditional_formatting.add(f"I2:I{last}", rule)


def _evidence_sheet(ws, context: dict, msg: Messages) -> None:
    names = {c["iso3"]: c["name"] for c in context["countries"]}
    headers = [msg("country"), msg("criterion"), msg("document"), msg("locator"), msg("quote"), msg("level"),
               msg("verified"), msg("confidence"), msg("coder"), msg("url"), msg("counts"), msg("reason"),
               msg("why_set_aside"), msg("note"), msg("id"), msg("verification"), msg("check_record")]
    url_col = headers.index(msg("url")) + 1
    _header(ws, headers)
    _legend(ws.cell(1, headers.index(msg("confidence")) + 1), msg)
    for f in context["findings"]:
        level = msg("status_not_applicable") if f["not_applicable"] else f["level"]
        document = f["document_title"] or f["document"] or msg("no_document")
        row = [names.get(f["iso3"], f["iso3"]), f["criterion"], document, f["locator"], _quote_cell(msg, f), level,
               _yes_no(msg, f["verified"]), _confidence(msg, f["confidence"]), f["coder"], f["url"],
               _yes_no(msg, f["counts"]), f["reason"], f["set_aside"], f["note"], f["id"],
               msg("state_" + f["verification"]), f["check"]]
        r = _row(ws, row, {6: LEVEL_FORMAT})
        _link(ws.cell(r, url_col), f["url"])
    # printed, the long texts wrap in columns of a readable width, and country and criterion repeat on every page
    _tabular(ws, freeze="A2", wrap={3, 4, 5, 10, 12, 13, 14, 16, 17},
             caps={2: 20, 3: 36, 4: 24, 5: 50, 10: 30, 12: 40, 13: 30, 14: 40, 15: 24, 16: 20, 17: 30}, title_cols="A:B")


def _quote_cell(msg: Messages, f: dict) -> str | None:
    """The quote as the Evidence sheet shows it: a paraphrase labelled as one
    (never shown as a quotation), the coder's translation labelled too."""
    quote = f["quote"]
    if f.get("quote_withheld"):  # only a third language is recorded: not shown (assess.output.render.context.quote_fields)
        return f"[{f['quote_withheld']}]" + (f" {f['original_url']}" if f.get("original_url") else "")
    if quote and "quote_mark" in f:  # the version and mark assess.data.quotes chose (a third language is named)
        mark = f["quote_mark"]
        if not mark:
            return quote
        return f"[{mark}] {quote}" if f.get("quote_kind") == "paraphrase" else f"{quote} [{mark}]"
    if not quote or f.get("quote_kind") in (None, "verbatim"):
        return quote
    if f["quote_kind"] == "paraphrase":
        return f"[{msg('quote_kind_paraphrase')}] {quote}"
    return f"{quote} [{msg('quote_kind_translation')}]"


def _gaps_sheet(ws, context: dict, msg: Messages) -> None:
    """The gaps (scored criteria below the maximum, the largest index gain
    first) as a table; below it, apart, the criteria not assessed yet, the
    most index points first, with the evidence to gather."""
    headers = [msg("country"), msg("criterion"), msg("title"), msg("level"), msg("max_level"), msg("best_other"),
               msg("gap_gain"), msg("gap"), msg("recommendation")]
    _header(ws, headers)
    for g in context["gaps"]:
        best = g["best_other"] if g["best_other"] is not None else "–"
        row = [g["country"], g["criterion"], g["title"], g["level"], g["max_level"], best, g["gain"], _gap_text(msg, g),
               g["recommendation"]]
        _row(ws, row, {4: LEVEL_FORMAT, 5: LEVEL_FORMAT, 6: LEVEL_FORMAT, 7: SCORE_FORMAT})
    table_end = len(context["gaps"]) + 1
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{table_end}"
    headings = set()
    if not context["gaps"]:
        _put(ws.cell(2, 1), msg("no_gaps_scored"))
        headings.add(2)
        table_end = 2

    # what nobody has assessed: no gap, no reform; the evidence to gather instead
    below = table_end + 2
    heading = ws.cell(below, 1)
    _put(heading, msg("to_code"))
    heading.font = SECTION_FONT
    _put(ws.cell(below + 1, 1), msg("to_code_intro"))
    headings.update({below, below + 1})
    if context["to_code"]:
        _header(ws, [msg("country"), msg("criterion"), msg("title"), msg("to_code_points"), msg("to_code_why"),
                     msg("to_code_what")], row=below + 2)
        for x in context["to_code"]:
            _row(ws, [x["country"], x["criterion"], x["title"], x["points"], _to_code_why(msg, x), _to_code_what(msg, x, context)],
                 {4: POINTS_FORMAT})
    else:
        _put(ws.cell(below + 2, 1), msg("no_to_code"))
        headings.add(below + 2)
    _widths(ws, wrap={3, 5, 6, 9}, skip_rows=headings, caps={2: 20, 3: 36, 5: 40, 6: 40, 9: 40})
    _print_setup(ws, title_cols="A:B")


def _to_code_why(msg: Messages, x: dict) -> str:
    if x["reason"] == "uncoded":
        return msg("to_code_uncoded") + (" " + msg("to_code_awaited", documents=x["awaited_text"]) if x.get("awaited") else "")
    dates = Formats(msg).date
    if x["trace_end"]:
        span = msg("trace_from_to", start=dates(x["trace_start"]) if x["trace_start"] else "–", end=dates(x["trace_end"]))
    elif x["trace_start"]:
        span = msg("trace_from", start=dates(x["trace_start"]))
    else:
        span = msg("trace_none")
    text = msg("to_code_not_traced", span=span)
    return text + (" " + msg("to_code_awaited", documents=x["awaited_text"]) if x.get("awaited") else "")


def _to_code_what(msg: Messages, x: dict, context: dict) -> str:
    if x["reason"] == "uncoded":
        return msg("to_code_code_docs", documents=x["documents_text"])
    text = msg("to_code_read_tier", date=Formats(msg).date(context["as_of"]))
    return text + (" " + msg("to_code_recorded", documents=x["documents_text"]) if x["documents"] else "")


def _documents_sheet(ws, context: dict, msg: Messages) -> None:
    as_of = context["as_of"]
    headers = [msg("country"), msg("id"), msg("type"), msg("document"), msg("number"), msg("adopted"),
               msg("in_force_from"), msg("in_force_to"), msg("in_force_on", date=Formats(msg).date(as_of)),
               msg("confidence"), msg("approximate_dates"), msg("url")]
    url_col = len(headers)
    _header(ws, headers)
    _legend(ws.cell(1, headers.index(msg("confidence")) + 1), msg)
    for group in context["documents"]:
        for d in group["documents"]:
            # the dates stay dates (sortable); the fields marked approximate are named beside them
            # an observation has the day it was made, a document not adopted yet the day it was found missing
            start = (msg("doc_not_adopted", date=Formats(msg).date(d["not_adopted_as_of"])) if d.get("not_adopted_as_of")
                     else msg("doc_observed", date=Formats(msg).date(d["observed"])) if d.get("observed") else d["in_force_from"])
            end = None if d.get("not_adopted_as_of") or d.get("observed") else d["in_force_to"] or msg("still_in_force")
            row = [group["name"], d["id"], _document_type(context, d["type"]), d["title"], d["number"], d["adopted"], start,
                   end, _yes_no(msg, d["in_force"]), _confidence(msg, d["confidence"]),
                   ", ".join(msg(field) for field in d["approximate"]) or None, d["url"]]
            r = _row(ws, row)
            _link(ws.cell(r, url_col), d["url"])
    _tabular(ws, freeze="A2", wrap={2, 4, 11, 12}, caps={2: 24, 4: 44, 11: 24, 12: 30}, title_cols="A:B")


def _document_type(context: dict, type_id: str | None) -> str | None:
    """A document type's title in the report's language (criteria/document-types.yaml), never its raw id
    where the vocabulary names it."""
    if type_id is None:
        return None
    return (context.get("document_types") or {}).get(type_id) or type_id


def _confidence(msg: Messages, value: str | None) -> str | None:
    return msg("confidence_" + value) if value else None


def _legend(cell, msg: Messages) -> None:
    """What confidence and ≈ mean, as a note on the column's header."""
    from openpyxl.comments import Comment

    cell.comment = Comment(msg("confidence_legend"), "assess", width=320, height=140)


def _timeline_sheet(ws, context: dict, msg: Messages) -> None:
    """The overall index per step date (rows) and country (columns), a line
    chart of it, and below them every change point with its causes, then the
    coverage changes. A country with steps below the rubric's
    band_min_coverage gets a column of its index on those steps only, which
    the chart draws as marks over its line (with a legend entry), and a line
    naming the spans."""
    timeline = context["timeline"]
    series, dates = timeline["series"], timeline["dates"]
    charted = bool(dates and series and len(series) <= SIDE_BY_SIDE_MAX)
    share = Formats(msg).pct(timeline.get("min_coverage") or 0.0)
    thin = [s for s in series if s.get("thin")] if charted else []
    if len(series) > SIDE_BY_SIDE_MAX:
        table_end = _timeline_long(ws, context, msg)
    else:
        _header(ws, [msg("date")] + [s["name"] or s["iso3"] for s in series]
                + [msg("tl_index_thin", name=s["name"] or s["iso3"], share=share) for s in thin])
        for i, day in enumerate(dates):
            # a step a country has no index for stays empty: the line breaks there rather than dropping to 0
            row = [day] + [s["steps"][i]["overall"] if i < len(s["steps"]) else None for s in series]
            row += [s["steps"][i]["overall"] if i < len(s["steps"]) and s["steps"][i]["below"] else None for s in thin]
            _row(ws, row, {col: SCORE_FORMAT for col in range(2, len(series) + len(thin) + 2)})
        table_end = len(dates) + 1
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(series) + len(thin) + 1))}{table_end}"

    below, headings = table_end + 2, set()
    chart_at = None
    if charted:
        chart_at = f"A{below}"  # drawn once its data is written, at the end of the sheet
        ws.row_breaks.append(Break(id=below - 1))  # printed, the chart starts a page: a page break would cut it
        # rows of 15 points (0.53 cm) kept free under the chart, and two more
        below += max(CHART_ROWS, math.ceil(chart_height(len(series), len(thin)) / 0.53) + 2)
    elif len(series) > SIDE_BY_SIDE_MAX:
        # as in the HTML report: beyond six lines a chart is unreadable; the table has every country
        _put(ws.cell(below, 1), msg("timeline_many"))
        headings.add(below)
        below += 2
    fmt = Formats(msg)
    for s in series:
        if s.get("thin"):  # the spans of thin coverage in words, for every country
            spans = "; ".join(f"{fmt.date(sp['start'])} – {fmt.date(sp['end'])}" for sp in s["thin"])
            _put(ws.cell(below, 1), msg("tl_thin_list", name=s["name"] or s["iso3"], share=share, spans=spans))
            headings.add(below)
            below += 1
    if any(s.get("thin") for s in series):
        below += 1

    headings.add(below)
    heading = ws.cell(below, 1)
    _put(heading, msg("change_points_all"))
    heading.font = SECTION_FONT
    _header(ws, [msg("country"), msg("date"), msg("scope"), msg("index_before"), msg("index_after"), msg("change"),
                 msg("cause")], row=below + 1)
    # Change is the headline move: like with like where criteria started or stopped being assessed
    coverage = []
    for s in series:
        for c in s["changes"]:
            scope = msg("overall_index") if c["scope"] == "overall" else (c.get("scope_title") or c["scope"])
            row = [s["name"] or s["iso3"], c["date"], scope, c["before"], c["after"], c["delta"], "; ".join(c["causes"])]
            _row(ws, row, {4: SCORE_FORMAT, 5: SCORE_FORMAT, 6: SCORE_FORMAT})
            if c.get("coverage") and c["scope"] == "overall":  # the index's move holds its tiers'
                coverage.append((s, scope, c))
    if coverage:
        _section(ws, msg("tl_coverage_changes"))
        headings.add(ws.max_row)
        _header(ws, [msg("country"), msg("date"), msg("scope"), msg("tl_criteria_assessed"), msg("tl_change_like"),
                     msg("tl_criteria_moved"), msg("cause")], row=ws.max_row + 1)
        for s, scope, c in coverage:
            cov = c["coverage"]
            # criteria by title, not by raw id
            moved = ([msg("tl_gained", criteria="; ".join(cov["gained_titles"]))] if cov["gained"] else []) \
                + ([msg("tl_lost", criteria="; ".join(cov["lost_titles"]))] if cov["lost"] else [])
            counts = msg("tl_of_total", before=cov["before"], after=cov["after"], total=cov["total"])
            if c["delta"] is not None:
                counts += "; " + msg("tl_on_common", n=c["common"])
            _row(ws, [s["name"] or s["iso3"], c["date"], scope, counts, c["delta"], "; ".join(moved), "; ".join(cov["causes"])],
                 {5: SCORE_FORMAT})
    if chart_at:
        heading, blocks = _step_table(ws, context, msg, series)
        headings.add(heading)
        first_thin = len(series) + 2
        _timeline_chart(ws, msg, blocks, [s["name"] or s["iso3"] for s in series],
                        list(range(first_thin, first_thin + len(thin))), len(dates), chart_at,
                        timeline["start"], timeline["end"])
    # the tables below the first share its columns: each capped, their headers wrap
    _widths(ws, wrap={3, 4, 6, 7}, skip_rows=headings, caps={3: 24, 4: 32, 5: 16, 6: 36, 7: 44})
    _print_setup(ws, title_cols="A:A")


def _timeline_long(ws, context: dict, msg: Messages) -> int:
    """More than six countries: the overall index on each step date as one
    row per country and date (long format), countries in ranking order with
    their rank, and how many criteria were assessed on that date. Returns the
    table's last row."""
    timeline = context["timeline"]
    ranks = {c["iso3"]: (c["rank"] if c["ranked"] else msg("unranked")) for c in context["ranking"]}
    by_code = {s["iso3"]: s for s in timeline["series"]}
    _header(ws, [msg("rank"), msg("country"), msg("iso3"), msg("date"), msg("overall_index"), msg("tl_criteria_assessed")])
    last = 1
    for c in context["ranking"]:
        s = by_code.get(c["iso3"])
        if s is None:
            continue
        for step in s["steps"]:
            last = _row(ws, [ranks[c["iso3"]], s["name"] or s["iso3"], s["iso3"], step["date"], step["overall"], step["assessed"]],
                        {5: SCORE_FORMAT})
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:F{last}"
    return last


THIN_MARKERS = ("circle", "triangle", "diamond", "square", "x", "star")


def step_points(series: dict, start, end) -> list[tuple]:
    """A country's overall index as a step function, as (date, value) points a
    chart joins with straight lines: flat from each change date to the next,
    with a vertical move on the change date itself, ending on the last day of
    the timeline. A value of None breaks the line (no index there).

    Built from the change points (their exact dates), not from the year-end
    samples: a sampled line joins the samples by diagonals and draws a move a
    year late.

    Returns: `list[tuple[date, float | None]]`.
    Raises: nothing.

    Example:
        >>> series = {"steps": [{"overall": 50.0}],
        ...           "changes": [{"scope": "overall", "date": dt.date(2020, 1, 1), "after": 60.0}]}
        >>> [v for _, v in step_points(series, dt.date(2019, 12, 31), dt.date(2020, 12, 31))]
        [50.0, 50.0, 60.0, 60.0]
    """
    steps = series["steps"]
    value = steps[0]["overall"] if steps else None
    first = start
    changes = [c for c in series["changes"] if c["scope"] == "overall" and c["date"] > start]
    # the value on the first day: the last change on or before it sets it; else the first sample
    before = [c for c in series["changes"] if c["scope"] == "overall" and c["date"] <= start]
    if before:
        value = before[-1]["after"]
    points = [(first, value)]
    for c in changes:
        points.append((c["date"], value))  # the flat run up to the change
        value = c["after"]
        points.append((c["date"], value))  # the move, on the day itself
    points.append((end, value))
    # a run with no value on both ends draws nothing: drop repeated empty points, keep one as the break
    out = []
    for day, v in points:
        if v is None and out and out[-1][1] is None:
            continue
        out.append((day, v))
    return out


def _step_table(ws, context: dict, msg: Messages, series: list[dict]) -> list[tuple[int, int]]:
    """The chart's data, as a long table under its own heading (country, date,
    index): each country's step points in one block. Returns the first and
    last row of each country's block."""
    timeline = context["timeline"]
    _section(ws, msg("tl_step_data"))
    heading = ws.max_row
    _header(ws, [msg("country"), msg("date"), msg("overall_index")], row=heading + 1)
    blocks = []
    for s in series:
        first = ws.max_row + 1
        for day, value in step_points(s, timeline["start"], timeline["end"]):
            r = _row(ws, [s["name"] or s["iso3"], day, value], {3: SCORE_FORMAT})
        blocks.append((first, r))
    return heading, blocks


def _timeline_chart(ws, msg: Messages, blocks: list[tuple[int, int]], names: list[str], thin: list[int],
                    n_dates: int, anchor: str, start=None, end=None) -> None:
    """A step chart: one line per country through its step points (straight
    segments, smoothing off for every series, which both Excel and LibreOffice
    honour), the years on the x axis. The columns of the main table after the
    countries' (their index on the year-end samples below the rubric's
    band_min_coverage) are drawn as hollow marks without a line, each with its
    legend entry; they sit on the steps, since a sample is the step's value."""
    from openpyxl.chart import ScatterChart, Series
    from openpyxl.chart.series import SeriesLabel, StrRef

    chart = ScatterChart()
    chart.scatterStyle = "lineMarker"
    _titled_0_100(chart, msg("over_time"), msg("date"), msg("overall_index"))
    chart.x_axis.number_format = YEAR_FORMAT
    chart.y_axis.number_format = "0"  # whole numbers on the 0-100 scale, not the cells' 0.0
    chart.x_axis.majorGridlines = None
    title = ws.title.replace("'", "''")
    for (first, last), name in zip(blocks, names):
        xs = Reference(ws, min_col=2, min_row=first, max_row=last)
        ys = Reference(ws, min_col=3, min_row=first, max_row=last)
        line = Series(ys, xs)
        line.tx = SeriesLabel(v=name)
        line.marker.symbol = "none"
        line.graphicalProperties.line.width = 28575  # 2.25 pt
        line.smooth = False
        chart.series.append(line)
    dates = Reference(ws, min_col=1, min_row=2, max_row=n_dates + 1)
    for k, col in enumerate(thin):
        marks = Series(Reference(ws, min_col=col, min_row=2, max_row=n_dates + 1), dates, title_from_data=False)
        marks.tx = SeriesLabel(strRef=StrRef(f"'{title}'!${get_column_letter(col)}$1"))
        marks.graphicalProperties.line.noFill = True
        marks.marker.symbol = THIN_MARKERS[k % len(THIN_MARKERS)]
        marks.marker.size = 8
        marks.marker.graphicalProperties.solidFill = "FFFFFF"
        marks.marker.graphicalProperties.line.solidFill = "595959"
        marks.smooth = False
        chart.series.append(marks)
    chart.display_blanks = "gap"  # no index: a break in the line, not a fall to 0
    chart.visible_cells_only = False  # a filter on the table above must not empty the chart
    chart.legend.position = "b"
    if start is not None and end is not None:  # the axis spans the timeline, not a rounded-out range
        chart.x_axis.scaling.min = _serial(start)
        chart.x_axis.scaling.max = _serial(end)
    chart.width, chart.height = 18, chart_height(len(names), len(thin))
    ws.add_chart(chart, anchor)


def chart_height(n_series: int, n_thin: int) -> float:
    """The timeline chart's height in cm: the plot, and a legend line per two
    entries (`n_series` countries, `n_thin` thin-coverage spans).

    Returns: `float`.
    Raises: nothing.

    Example:
        >>> chart_height(2, 1)
        9.6
    """
    return 8 + 0.5 * math.ceil((n_series + n_thin) / 2) + (0.6 * n_thin)


def _serial(day) -> int:
    """A date as Excel's day number (1900 date system), the x value a chart's date axis uses."""
    return (day - dt.date(1899, 12, 30)).days


def _sensitivity_sheet(ws, context: dict, msg: Messages) -> None:
    """Per country the index as scored, the median and 5-95% interval over
    the draws, the possible range and how many criteria each draw took at
    random; per pair how often one ranks above the other; then what the
    draws varied and what they held fixed."""
    sens = context["sensitivity"]
    drawn = [("drawn_unassessed", "sens_drawn_unassessed"), ("drawn_findings", "sens_drawn_findings")]
    drawn = [(field, key) for field, key in drawn if sens.get(field)]
    _header(ws, [msg("country"), msg("iso3"), msg("point_index"), msg("median"), msg("percentile_5"),
                 msg("percentile_95"), msg("range_low"), msg("range_high")] + [msg(key) for _, key in drawn])
    for c in sens["countries"]:
        _row(ws, [c["name"] or c["iso3"], c["iso3"], c["point"], c["median"], c["low"], c["high"], c["range_low"], c["range_high"]]
             + [c[field] for field, _ in drawn], {col: SCORE_FORMAT for col in range(3, 9)})
    table_end = ws.max_row
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{chr(ord('A') + 7 + len(drawn))}{table_end}"  # H, I or J

    headings = set()
    _section(ws, msg("rank_pairs"))
    headings.add(ws.max_row)
    pairs = sens["pairs"]
    if len(sens["countries"]) > SIDE_BY_SIDE_MAX:
        # as in the HTML report: every pair of 200 countries is 19,900 rows nobody reads;
        # neighbours in the ranking by median say how stable the ranking is
        pairs = sens["adjacent"]
        # the Sensitivity sheet of more than six countries lists neighbours in the ranking only, and says so
        headings.add(_row(ws, [msg("xlsx_adjacent_pairs_note", shown=len(pairs), total=sens.get("pair_count", len(sens["pairs"])))]))
    _header(ws, [msg("statement"), msg("ranks_higher"), msg("ranks_lower"), msg("share_of_draws"), msg("sens_ranges_overlap")],
            row=ws.max_row + 1)
    for p in pairs:
        # the statement as the analysis words it: never "100%" where the possible ranges overlap
        _row(ws, [p["text"], p["a"], p["b"], p["share"], msg("yes") if p["overlap"] else msg("no")], {4: SHARE_FORMAT})

    _section(ws, msg("note"))
    headings.add(ws.max_row)
    r = _row(ws, [msg("sensitivity_note", draws=sens["draws"], seed=sens["seed"])])
    headings.add(r)  # a sentence that runs over the empty cells to its right
    for label, items in ((msg("sens_varied"), sens["varied"]), (msg("sens_fixed"), sens["fixed"])):
        if items:
            headings.add(_row(ws, [label]))
            for item in items:
                headings.add(_row(ws, [f"– {item['text']}"]))
    _widths(ws, skip_rows=headings)
    _print_setup(ws)


def _methodology_sheet(ws, context: dict, msg: Messages) -> None:
    rubric = context["rubric"]
    _section(ws, msg("methodology"))
    for label, value in (
        (msg("rubric"), rubric["title"]),
        (msg("id"), rubric["id"]),
        (msg("version"), rubric["version"]),
        (msg("as_of_date"), context["as_of"]),
        (msg("rubric_hash"), rubric["sha256"]),
        (msg("tool_version"), context.get("tool_version")),
        (msg("generated_at"), _naive_utc(context["generated"]) if context.get("generated") else None),
    ):
        _row(ws, [label, value], bold_first=True)
    if rubric["description"]:
        _row(ws, [rubric["description"]])

    _section(ws, msg("scoring_rule"))
    _row(ws, [msg("scoring_text")])
    _row(ws, [msg("traced_text")])
    if context["rubric"].get("band_min_coverage"):
        _row(ws, [msg("headline_text", min=f"{context['rubric']['band_min_coverage']:.0%}")])
    _row(ws, [msg("unverified_policy_" + rubric["unverified"])])
    verification = context.get("verification")
    if verification and verification["findings"]:
        share = f"{100 * verification['share_verified']:.0f}%"
        _row(ws, [msg("verification_share", verified=verification["verified"], findings=verification["findings"], share=share,
                      with_source=verification["with_source_text"])])
        partial = msg("verification_partial", n=verification["partial"]) if verification.get("partial") else ""
        if verification.get("unrecorded"):  # found in a source text, but no record the scores read
            partial += msg("verification_unrecorded", n=verification["unrecorded"])
        _row(ws, [msg("verification_counts", findings=verification["findings"], source=verification.get("source_text", 0),
                      publication=verification.get("publication", 0), claimed=verification.get("claimed", 0),
                      unchecked=verification.get("unchecked", 0), partial=partial)])

    if context.get("comparison"):
        _comparison_section(ws, context, msg)
    if context.get("agreement"):
        _agreement_section(ws, context["agreement"], msg)

    _section(ws, msg("scale"))
    _header(ws, [msg("level"), msg("value"), msg("descriptor")], row=ws.max_row + 1)
    for s in rubric["scale"]:
        _row(ws, [s["level"], s["label"], s["descriptor"]])

    _section(ws, f"{msg('tier')} / {msg('weight')}")
    _header(ws, [msg("tier"), f"{msg('tier')}: {msg('weight')}", msg("accepts"), msg("criterion"), msg("title"),
                 f"{msg('criterion')}: {msg('weight')}", msg("scoring_rule")], row=ws.max_row + 1)
    for tier in context["tiers"]:
        for cr in tier["criteria"]:
            accepts = ", ".join(_document_type(context, a) for a in tier["accepts"])
            _row(ws, [tier["title"], tier["weight"], accepts, cr["id"], cr["title"], cr["weight"], cr["rule"]])

    if rubric["bands"]:
        _section(ws, msg("bands"))
        for b in rubric["bands"]:
            _row(ws, [b["label"], b["min"]], bold_first=True)

    if rubric["sources"]:
        _section(ws, msg("sources_of_rubric"))
        for source in rubric["sources"]:
            _row(ws, [source])

    _section(ws, msg("inputs"))
    _header(ws, [msg("file"), msg("sha256")], row=ws.max_row + 1)
    for f in context["files"]:
        _row(ws, [f["path"], f["sha256"]])

    if context.get("generated"):
        footer = msg("generated", time=Formats(msg).time(context["generated"]), version=context.get("tool_version", ""))
        _put(ws.cell(ws.max_row + 2, 1), footer)
    # long texts (the scoring rule, descriptions) wrap inside the first columns; so do the
    # values beside the labels (hashes, titles), so that labels and values print on one page
    _widths(ws, wrap={1, 2, 3, 5, 7}, caps={1: 60, 2: 40, 3: 30, 5: 30, 7: 50})
    _print_setup(ws, title_rows=None)


def _comparison_section(ws, context: dict, msg: Messages) -> None:
    """Whether the indices use the commonly assessed criteria only, and how many those are."""
    cmp = context["comparison"]
    fmt_num = Formats(msg).num
    n, total = cmp["common_count"], cmp["total"]
    _section(ws, msg("comparison_basis"))
    _row(ws, [msg("common_only_label"), _yes_no(msg, cmp["common_only"])], bold_first=True)
    _row(ws, [msg("common_criteria", n=n, total=total), n], bold_first=True)
    if cmp["partial"]:
        _row(ws, [msg("assessed_for_some"), ", ".join(cmp["partial"])], bold_first=True)
    if cmp["common_only"]:
        _row(ws, [msg("comparison_common_only", n=n, total=total)])
    elif n < total:
        _row(ws, [msg("comparison_partial", n=n, total=total)])
    # the comparison in words (always on the common criteria), and why a country has no rank
    lead = cmp.get("lead")
    if lead and lead["kind"] == "none":
        _row(ws, [msg("lead_none")])
    elif lead:
        key = "lead_tie" if lead["kind"] == "tie" else ("lead_two" if len(context["countries"]) == 2 else "lead_many")
        _row(ws, [msg(key, n=lead["n"], leader=lead["leader"], other=lead["other"], gap=fmt_num(lead["gap"]),
                      a=fmt_num(lead["leader_index"]), b=fmt_num(lead["other_index"]))])
    share = context["rubric"].get("band_min_coverage") or 0
    for c in context["ranking"]:
        if not c["ranked"]:
            _row(ws, [f"{c['name']} ({c['iso3']})", msg("unranked_" + c["unranked_reason"], share=f"{c['coverage']:.0%}", min=f"{share:.0%}")],
                 bold_first=True)


def _agreement_section(ws, agreement: dict, msg: Messages) -> None:
    """The coders, Krippendorff's alpha and percent agreement per scope, and
    the disagreements with each coder's level and findings."""
    _section(ws, msg("coders_title"))
    if agreement["coders"]:
        _row(ws, [msg("coders_list", coders=", ".join(agreement["coders"]), units=agreement["units"])])
    if not agreement["units"]:
        _row(ws, [msg("coders_none")])
        return
    _header(ws, [msg("scope"), msg("alpha_ordinal"), msg("percent_agreement"), msg("units")], row=ws.max_row + 1)
    for s in agreement["scopes"]:
        title = msg("overall") if s["id"] == "overall" else (s["title"] or s["id"])
        _row(ws, [title, s["alpha"], s["percent"], s["units"]], {2: ALPHA_FORMAT, 3: SHARE_FORMAT})
    if agreement["disagreements"]:
        _section(ws, msg("disagreements"))
        _header(ws, [msg("country"), msg("criterion"), msg("coder"), msg("level"), msg("findings"), msg("reconciled")],
                row=ws.max_row + 1)
        for d in agreement["disagreements"]:
            for v in d["views"]:
                _row(ws, [d["iso3"], d["criterion"], v["coder"], v["level"], ", ".join(v["findings"]),
                          _yes_no(msg, d["reconciled"])], {4: LEVEL_FORMAT})


def _document_properties(wb: Workbook, context: dict, msg: Messages) -> None:
    # a fixed time from the context, not the clock, so the same context gives the same file
    stamp = _fixed_time(context)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = f"assess {context.get('tool_version', '')}".strip()
    wb.properties.title = msg("report_title")
    wb.properties.language = context["lang"]


# ---------------------------------------------------------------- cells


def _put(cell, value, number_format: str | None = None) -> None:
    """Stores one value: numbers as numbers, dates as dates, and every string as text."""
    if value.__class__ is str:  # the common case first; the same as the last branch below
        cell._value = _clean_text(value)
        cell.data_type = "s"
        return
    if value is None:
        return
    if isinstance(value, float) and value != value:  # NaN: no value
        return
    if isinstance(value, dt.datetime):
        cell.value = _naive_utc(value)
        cell.number_format = number_format or TIME_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = number_format or DATE_FORMAT
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
        if number_format:
            cell.number_format = number_format
    else:
        # openpyxl reads a string starting with "=" as a formula (and "#N/A" as
        # an error); evidence is quoted text, so it is always stored as text.
        # The text is set as `cell.value = text; cell.data_type = "s"` would
        # leave it, without openpyxl checking again what _clean_text made safe
        # (a sixth of a 300,000-cell workbook's build time)
        cell._value = _clean_text(str(value))
        cell.data_type = "s"


def _clean_text(text: str) -> str:
    # control characters (from PDF copy-paste) make openpyxl refuse the cell
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text if len(text) <= MAX_CELL_TEXT else text[: MAX_CELL_TEXT - 1] + "…"


def _row(ws, values: list, formats: dict[int, str] | None = None, bold_first: bool = False) -> int:
    """Appends a row below the last one; returns its number."""
    # ws.max_row scans every cell, which made appending quadratic (80 s of a
    # 200-country workbook); openpyxl keeps the highest row it has created
    last = getattr(ws, "_current_row", None)
    if last is None:
        last = ws.max_row
    r = last + 1 if last > 1 or ws.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, 1):
        if value is None:  # no cell: an empty one is never written, and creating it costs as much as a full one
            continue
        _put(ws.cell(r, col), value, (formats or {}).get(col))
    if bold_first:
        ws.cell(r, 1).font = HEADER_FONT
    return r


def _header(ws, labels: list[str], row: int = 1) -> None:
    for col, label in enumerate(labels, 1):
        cell = ws.cell(row, col)
        _put(cell, label)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP


def _section(ws, title: str) -> None:
    """A bold heading with a blank row above it (none above the first)."""
    r = ws.max_row + 2 if ws.cell(1, 1).value is not None else 1
    cell = ws.cell(r, 1)
    _put(cell, title)
    cell.font = SECTION_FONT


def _link(cell, url: str | None) -> None:
    # only web links become clickable; the context already drops others, and
    # checking again here keeps a javascript: link out even if it did not
    target = safe_url(url)
    if target:
        cell.hyperlink = target
        cell.style = "Hyperlink"


def _tabular(ws, freeze: str, wrap: set[int] = frozenset(), caps: dict[int, int] | None = None,
             title_cols: str | None = None) -> None:
    """Header row kept in view, a filter on every column, widths to fit."""
    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    _widths(ws, wrap, caps=caps)
    _print_setup(ws, title_cols=title_cols)


# Printing (A4). A column of width w (in characters of the default font) is
# about w * 7 + 5 pixels at 96 dpi, 1.85 mm a character: an A4 page less two
# 12.7 mm margins holds about 145 characters across in landscape, 100 in
# portrait. A sheet is scaled to fit the page's width only when that keeps
# the text at least MIN_PRINT_SCALE of its size (8.25 points of 11); a wider one
# goes across as many pages as that scale needs, with its header row (and its
# first columns, title_cols) on each.
PAGE_CHARS = {"landscape": 145, "portrait": 100}
MIN_PRINT_SCALE = 0.75
MARGIN_INCHES = 0.5


def _print_setup(ws, orientation: str = "landscape", title_rows: str | None = "1:1", title_cols: str | None = None) -> None:
    """A4, narrow margins, the sheet's name and page numbers in the footer,
    the header row repeated on every page, and a width that prints legibly:
    one page wide when that keeps the text at MIN_PRINT_SCALE or more, else as
    many pages wide as that scale needs (never squeezed to a few points)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.page_margins.left = ws.page_margins.right = MARGIN_INCHES
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.left.text = "&A"  # the sheet's name
    ws.oddFooter.right.text = "&P / &N"
    ws.print_options.gridLines = False
    total = sum(_column_width(ws, col) for col in range(1, ws.max_column + 1))
    pages = max(1, math.ceil(total / (PAGE_CHARS[orientation] / MIN_PRINT_SCALE)))
    ws.page_setup.fitToWidth = pages
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if pages > 1:
        ws.page_setup.pageOrder = "overThenDown"  # a row's pages side by side, then the next rows
        if title_cols:
            ws.print_title_cols = title_cols
    if title_rows:
        ws.print_title_rows = title_rows


def _column_width(ws, col: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(col))
    return (dim.width if dim is not None and dim.width else 8.43) + 0.7  # the padding pixels, in characters


def _widths(ws, wrap: set[int] = frozenset(), skip_rows: set[int] = frozenset(), caps: dict[int, int] | None = None) -> None:
    """Columns as wide as their longest text (within limits); rows in
    skip_rows (headings, notes running over empty cells) are not measured;
    then rows tall enough for their wrapped text.

    One pass over the cells the sheet holds: asking openpyxl for each
    column's cells (iter_rows) would create every empty cell of the sheet's
    rectangle, which for a wide table above a long one (the timeline of 200
    countries) is millions. Until both alignments are in the workbook's list,
    the cells are visited column by column, top to bottom, as iter_rows did,
    so that each takes the same place in it."""
    longest: dict[int, int] = {}
    align = _Alignments(ws)
    cells = ws._cells
    wrapped = []  # (row, column letter, text) of the text cells that wrap, below the header
    headers = []  # (column letter, text) of the header cells wider than HEADER_WIDTH
    letters: dict[int, str] = {}
    for key in (cells if align.known(TOP, WRAP) else sorted(cells, key=_BY_COLUMN)):
        row, col = key
        cell = cells[key]
        value = cell._value  # what cell.value gives
        if value is None:
            continue
        if row in skip_rows:  # not measured, alignment left as it is
            wraps = row > 1 and isinstance(value, str) and align.wraps(cell)
        else:
            if isinstance(value, str):
                text = value
            elif isinstance(value, float):
                text = f"{value:.2f}"  # as a number format shows it (0.0, 0.00, 0%), not its 17 digits
            else:
                text = value.isoformat()[:10] if isinstance(value, (dt.date, dt.datetime)) else str(value)
            width = max(map(len, text.splitlines()), default=0)
            if row == 1 and width > HEADER_WIDTH:
                # a header wraps (over up to three lines): its longest word, not its length, sets the width
                width = max(HEADER_WIDTH, max(map(len, text.split()), default=0))
                headers.append((letters.get(col) or letters.setdefault(col, get_column_letter(col)), text))
            if width > longest.get(col, 0):
                longest[col] = width
            if row == 1:
                continue
            if col in wrap:
                align.set(cell, WRAP)
                wraps = True
            elif align.wraps(cell):
                wraps = True
            else:
                align.set(cell, TOP)
                wraps = False
            wraps = wraps and isinstance(value, str)
        if wraps:
            letter = letters.get(col)
            if letter is None:
                letter = letters[col] = get_column_letter(col)
            wrapped.append((row, letter, value))
    caps = caps or {}
    for col in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(col)].width = min(caps.get(col, MAX_WIDTH), max(MIN_WIDTH, longest.get(col, 0) + 2))
    if headers and 1 not in skip_rows:
        wrapped.extend((1, letter, text) for letter, text in headers)
    _row_heights(ws, wrapped)


def _row_heights(ws, wrapped: list) -> None:
    """Tall enough for wrapped text: openpyxl cannot measure it, and LibreOffice keeps one line."""
    lines_of: dict[int, int] = {}
    widths: dict[str, float] = {}
    for row, letter, text in wrapped:
        if letter not in widths:
            widths[letter] = ws.column_dimensions[letter].width - 2
        width = widths[letter]
        lines = sum(_wrapped_lines(part, width) for part in text.splitlines() or [""])
        if lines > lines_of.get(row, 1):
            lines_of[row] = lines
    for row in sorted(lines_of):
        ws.row_dimensions[row].height = LINE_HEIGHT * lines_of[row]


def _wrapped_lines(text: str, width: float) -> int:
    """How many lines a spreadsheet wraps `text` into in a column `width`
    characters wide: word by word, as Excel and LibreOffice break lines (a
    word longer than the line is broken inside it). A tenth is kept in hand
    for wide letters (bold headers, Cyrillic capitals)."""
    if len(text) <= width * 0.9:
        return 1
    room = max(1.0, width * 0.9)
    lines, used = 1, 0.0
    for word in text.split(" "):
        n = len(word)
        if used and used + 1 + n > room:
            lines += 1
            used = 0.0
        used = used + 1 + n if used else n
        while used > room:  # a word longer than the line
            lines += 1
            used -= room
    return lines


class _Alignments:
    """cell.alignment = X and cell.alignment.wrap_text for many cells at once.

    openpyxl's descriptors hash the Alignment object on every assignment and
    build a proxy on every read (a third of the workbook's build time for
    300,000 cells). This does what they do, on the workbook's list of
    alignments, remembering each one's index once it is known; the index of
    an alignment is taken when it is first used, as the descriptor would."""

    def __init__(self, ws):
        self.collection = ws.parent._alignments  # openpyxl's IndexedList, as the descriptor uses
        self.ids: dict[int, int] = {}  # id(alignment object) -> index
        self.wrapping: dict[int, bool] = {}  # index -> whether that alignment wraps

    def set(self, cell, alignment) -> None:
        index = self.ids.get(id(alignment))
        if index is None:
            index = self.ids[id(alignment)] = self.collection.add(alignment)
        if not cell._style:
            cell._style = StyleArray()
        cell._style.alignmentId = index

    def wraps(self, cell) -> bool:
        if not cell._style:  # as the descriptor's read does
            cell._style = StyleArray()
        index = cell._style.alignmentId
        wraps = self.wrapping.get(index)
        if wraps is None:
            wraps = self.wrapping[index] = self.collection[index].wrap_text is True
        return wraps

    def known(self, *alignments) -> bool:
        """Whether the workbook's list holds these alignments already."""
        return all(a in self.collection for a in alignments)


_BY_COLUMN = operator.itemgetter(1, 0)  # (row, column) -> (column, row)


def _level_rules(max_level: int) -> list:
    """One rule per level: its fill and ink from the reports' one level scale
    (assess/render/palette.py: a single blue hue, lightest for level 0, darkest
    for the top level, so it reads in greyscale and to deuteranopes; every ink
    has at least 4.5:1 contrast on its fill). Discrete fills rather than a
    colour gradient: a level is a step, and the HTML badges use the same
    colours. Text (n/a, not assessed) matches no rule and stays uncoloured."""
    rules = []
    for c in level_colours(max_level):
        style = DifferentialStyle(font=Font(color=c["ink"].lstrip("#").upper()),
                                  fill=PatternFill(bgColor=c["fill"].lstrip("#").upper(), fill_type="solid"))
        rules.append(Rule(type="cellIs", operator="equal", formula=[str(c["level"])], dxf=style))
    return rules


# ---------------------------------------------------------------- texts


def _yes_no(msg: Messages, value) -> str | None:
    if value is None:
        return None
    return msg("yes") if value else msg("no")


def _level_or_status(msg: Messages, cell: dict):
    """The level where there is one; otherwise why not, in words rather than a blank."""
    if cell["level"] is not None:
        return cell["level"]
    return msg(STATUS_KEYS.get(cell["status"], cell["status"]))


def _status_text(msg: Messages, cell: dict) -> str:
    text = msg(STATUS_KEYS.get(cell["status"], cell["status"]))
    if cell["level"] is not None and cell.get("label"):
        text = f"{text}: {cell['label']}"
    if cell["verified"] is False:
        text += f" ⚠ {msg('unverified')}"
    return text


def _gap_text(msg: Messages, gap: dict) -> str:
    if gap["kind"] == "below_other":
        more = msg("world_and_more", n=gap["more_leaders"]) if gap.get("more_leaders") else ""
        return f"{msg('gap_below_other', others=', '.join(gap['leaders']) + more)} ({gap['best_other']}/{gap['max_level']})"
    return msg("gap_below_max")


# ---------------------------------------------------------------- determinism


def _naive_utc(value: dt.datetime) -> dt.datetime:
    """Excel has no time zones: aware times are stored as UTC wall time."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0)


def _fixed_time(context: dict) -> dt.datetime:
    generated = context.get("generated")
    if isinstance(generated, dt.datetime):
        return _naive_utc(generated)
    as_of = context["as_of"]
    return dt.datetime(as_of.year, as_of.month, as_of.day)


def _sheet_content(name: str, data: bytes) -> bytes:
    """An entry of the report's workbook as stored: the sheets without the
    cell references their order implies (_implicit_cell_refs)."""
    return _implicit_cell_refs(data) if name.startswith("xl/worksheets/sheet") else data


def _stamp_scenario(wb: Workbook, context: dict) -> None:
    """A scenario's workbook (issue 21): every sheet says so, below its table
    and in the header of every printed page, with an orange tab; the title too."""
    scenario = context.get("scenario")
    if not scenario:
        return
    stamp = _clean_text(scenario["stamp"])
    for ws in wb.worksheets:
        last = getattr(ws, "_current_row", None) or ws.max_row
        _put(ws.cell(row=last + 2, column=1), stamp)
        ws.cell(row=last + 2, column=1).font = Font(bold=True, color="7C2D12")
        _put(ws.cell(row=last + 3, column=1), scenario["not_law"])
        ws.oddHeader.center.text = stamp.replace("&", "&&")[:250]  # Excel allows 255 characters
        for chart in getattr(ws, "_charts", []):  # a chart anchored just below the table moves below the stamp
            anchor = chart.anchor if isinstance(chart.anchor, str) else None
            if anchor:
                col, row = anchor.rstrip("0123456789"), int(anchor[len(anchor.rstrip("0123456789")):] or 0)
                if row <= last + 4:
                    chart.anchor = f"{col}{row + 3}"
        ws.sheet_properties.tabColor = "B45309"
    wb.properties.title = f"{stamp} · {wb.properties.title or ''}"

def _sheet_stream(name: str):
    """stable_zip's chunked form of _sheet_content for the sheets (a world
    workbook's Evidence sheet is hundreds of MB of XML); None for the rest."""
    return _implicit_cell_refs_chunks if name.startswith("xl/worksheets/sheet") else None


def _implicit_cell_refs_chunks(chunks):
    """_implicit_cell_refs over a sheet given as byte chunks, yielding the same
    bytes in pieces: the cell table is rewritten a run of whole rows at a time
    (each row starts its columns afresh, so rows can be taken apart)."""
    start, end = b"<sheetData>", b"</sheetData>"
    buf, state = b"", 0  # 0: before the cell table, 1: in it, 2: after it
    for chunk in chunks:
        buf += chunk
        if state == 0:
            head, sep, rest = buf.partition(start)
            if not sep:
                keep = len(start) - 1  # the tag may be cut between two chunks
                if len(buf) > keep:
                    yield buf[:-keep]
                    buf = buf[-keep:]
                continue
            yield head + sep
            buf, state = rest, 1
        if state == 1:
            stop = buf.find(end)
            if stop >= 0:
                yield _rows_implicit(buf[:stop])
                buf, state = buf[stop:], 2
            else:
                cut = buf.rfind(b"<row ")  # the rows before the last one begun are whole
                if cut > 0:
                    yield _rows_implicit(buf[:cut])
                    buf = buf[cut:]
                continue
        yield buf
        buf = b""
    if buf:
        yield _rows_implicit(buf) if state == 1 else buf


def _rows_implicit(body: bytes) -> bytes:
    """The rewrite of _implicit_cell_refs for a run of whole rows of the cell
    table (the whole table, or one chunk of it when streamed)."""
    expected = [1]

    def visit(m):
        letters = m.group(1)
        if letters is None:  # a new row: its first cell is column A
            expected[0] = 1
            return m.group(0)
        col = 0
        for ch in letters:
            col = col * 26 + ch - 64
        keep = col != expected[0]
        expected[0] = col + 1
        return m.group(0) if keep else b"<c"
    return _ROW_OR_CELL.sub(visit, body)


_ROW_OR_CELL = re.compile(rb'<row r="\d+"|<c r="([A-Z]{1,3})\d+"')


def _implicit_cell_refs(xml: bytes) -> bytes:
    """The sheet with the reference of each cell left out where it is the
    column after the cell before it in its row (or column A for a row's first
    cell): SpreadsheetML makes `r` optional and places such a cell there, as
    Excel, LibreOffice and openpyxl read it. A cell after a gap keeps its
    reference. The running row and column numbers are a third of a large
    sheet's compressed size; the rows keep theirs."""
    head, sep, rest = xml.partition(b"<sheetData>")
    if not sep:
        return xml
    body, sep2, tail = rest.partition(b"</sheetData>")
    return head + sep + _rows_implicit(body) + sep2 + tail


