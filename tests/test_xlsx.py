"""The Excel workbook: the hand-worked numbers, one row per criterion and per
finding, safe links, no formula from evidence text, the same bytes from the
same context, atomic writes, and a real spreadsheet program opens it."""

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import assess.api as api
import assess.common.atomic
import assess.output.render.xlsx as xlsx
from assess.cli import app
from assess.common.messages import load_messages
from assess.common.messages import Formats
from assess.output.render.xlsx import SHEETS, write_xlsx

from conftest import MINI, write

runner = CliRunner()
AS_OF = "2012-06-30"
GENERATED = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
# the findings in tests/data/mini, counted by hand: six for NLD, two for FRA
MINI_FINDINGS = 8
# labels the catalogue may not have yet come back as their keys; looked up, the tests survive their arrival
MSG = load_messages(api.templates_dir(), "en")
HOSTILE = ['=HYPERLINK("http://evil.example","x")', "=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(1)", "#N/A"]


def context(data=MINI, countries=("NLD", "FRA"), lang="en"):
    return api.report_context(list(countries), as_of=AS_OF, data=str(data), lang=lang, generated=GENERATED)


def build(tmp_path, data=MINI, name="report.xlsx", **kw) -> Path:
    path = tmp_path / name
    assert write_xlsx(context(data, **kw), str(path), api.templates_dir()) == str(path)
    return path


def header(ws) -> list:
    return [c.value for c in ws[1]]


def column(ws, label) -> int:
    return header(ws).index(label) + 1


def worksheet_xml(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)}


@pytest.fixture
def hostile(mini):
    """The mini workspace with findings whose text would be formulas if Excel were let read it so."""
    findings = "".join(
        f"  - {{id: h{i}, criterion: l1, document: nld-evil, locator: {_yaml(q)}, quote: {_yaml(q)}, level: 1, coder: {_yaml(q)}}}\n"
        for i, q in enumerate(HOSTILE)
    )
    write(mini / "evidence/NLD/hostile.yaml", (
        "documents:\n"
        "  - {id: nld-evil, type: law, title: \"=1+1\", in_force_from: 2000-01-01, url: \"javascript:alert(1)\"}\n"
        "findings:\n" + findings
    ))
    return mini


def _yaml(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------- content


def test_sheets_and_hand_worked_scores(tmp_path):
    wb = openpyxl.load_workbook(build(tmp_path))
    assert wb.sheetnames == list(SHEETS) == ["Summary", "Criteria", "Evidence", "Gaps", "Documents", "Timeline",
                                             "Sensitivity", "Methodology"]
    ws = wb["Summary"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"NLD", "FRA"}
    overall, first_tier = column(ws, "Overall index"), column(ws, "Constitution tier")
    nld, fra = rows["NLD"], rows["FRA"]
    assert round(nld[overall - 1], 3) == 55.556
    assert round(nld[first_tier - 1], 3) == 50.0 and round(nld[first_tier], 3) == 66.667
    assert round(fra[overall - 1], 3) == 33.333
    assert fra[first_tier - 1] is None  # no score: empty, so the chart shows no bar rather than a 0
    assert nld[column(ws, "Coverage") - 1] == 1.0 and fra[column(ws, "Coverage") - 1] == 0.5
    assert ws.cell(2, overall).number_format == "0.0"
    assert ws.cell(1, 1).font.bold and ws.freeze_panes == "B2" and ws.auto_filter.ref


def test_bar_chart_with_visible_axes(tmp_path):
    path = build(tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb["Summary"]._charts
    with zipfile.ZipFile(path) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert re.search(r'<(c:)?barDir val="col"', chart) and re.search(r'<(c:)?grouping val="clustered"', chart)
    assert re.findall(r'<(?:c:)?delete val="(\w+)"', chart) == ["0", "0"]  # both axes shown
    assert "Scores by tier" in chart and len(re.findall(r"<(?:c:)?ser>", chart)) == 2  # one series per tier
    assert len(re.findall(r"<(?:c:)?title>", chart)) == 3  # the chart's and both axes'


def test_criteria_and_evidence_rows(tmp_path):
    ctx = context()
    path = tmp_path / "r.xlsx"
    write_xlsx(ctx, str(path), api.templates_dir())
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == list(SHEETS)
    criteria = sheets["Criteria"]
    assert list(criteria["Criterion"]) == ["c1", "c2", "l1", "l2"]  # the mini rubric's four
    assert len(criteria) == sum(t["criteria"] for t in ctx["rubric"]["tiers"])
    # not assessed and not applicable are said in words, never left blank
    level = criteria.set_index("Criterion")
    assert level.loc["c2", "FRA Level"] == "Not assessed" and level.loc["c1", "FRA Level"] == "Not applicable"
    assert level.loc["c1", "NLD Level"] == 3 and level.loc["l1", "FRA Level"] == 1
    assert not criteria.filter(like="Level").isna().any().any()
    evidence = sheets["Evidence"]
    assert len(evidence) == MINI_FINDINGS == len(ctx["findings"])
    assert set(evidence["verified"]) == {"yes", "no"}


def test_level_colour_scale_and_dates(tmp_path):
    wb = openpyxl.load_workbook(build(tmp_path))
    ws = wb["Criteria"]
    rules = [(str(rng.sqref), r.type) for rng in ws.conditional_formatting for r in rng.rules]
    level_cols = [openpyxl.utils.get_column_letter(i) for i, h in enumerate(header(ws), 1) if h.endswith("Level")]
    # one rule per level (0..3 in the mini rubric) on each level column: no colour gradient, no red-green
    assert sorted(rules) == sorted((f"{c}2:{c}5", "cellIs") for c in level_cols for _ in range(4))
    fills = {}
    for rng in ws.conditional_formatting:
        for r in rng.rules:
            assert r.operator == "equal"
            fills[int(r.formula[0])] = (r.dxf.fill.bgColor.rgb[-6:], r.dxf.font.color.rgb[-6:])
    # the shared level scale (worked out from ColorBrewer Blues by the HTML side; /work/notes/level-scale.md):
    # lightest for level 0, darkest for level 3, white ink only on the darkest
    assert fills == {0: ("F7FBFF", "1D2330"), 1: ("C6DBEF", "1D2330"), 2: ("6BAED6", "1D2330"), 3: ("08519C", "FFFFFF")}
    lightness = [sum(int(fills[k][0][i:i + 2], 16) for i in (0, 2, 4)) for k in range(4)]
    assert lightness == sorted(lightness, reverse=True)  # ordered by lightness: reads in greyscale
    docs = wb["Documents"]
    adopted = docs.cell(2, column(docs, "Adopted"))
    assert adopted.value == dt.datetime(1999, 12, 1) and adopted.is_date and adopted.number_format == "yyyy-mm-dd"
    meta = {r[0]: r[1] for r in wb["Methodology"].iter_rows(values_only=True) if r[0]}
    assert meta[MSG("version")] == "0.1.0" and meta[MSG("as_of_date")] == dt.datetime(2012, 6, 30)
    assert meta[MSG("generated_at")] == dt.datetime(2024, 5, 6, 7, 8, 9)


def test_gaps_sheet(tmp_path):
    """Gaps are scored criteria below the maximum only, the largest index gain
    first; a criterion nobody assessed (FRA's c2, l2: no finding, no trace) is
    no gap any more (issue 14) but is listed apart below the table, the most
    index points first. The gains and points are worked by hand in
    tests/test_gaps_confidence.py::test_mini_gaps_and_to_code_by_hand."""
    path = build(tmp_path)
    n = len(context()["gaps"])
    gaps = pd.read_excel(path, sheet_name="Gaps", nrows=n)
    assert list(zip(gaps["Country"], gaps["Criterion"])) == [
        ("Netherlands", "c2"), ("Netherlands", "l1"), ("Netherlands", "l2"), ("France", "l1")]
    fra = gaps[gaps["Country"] == "France"].set_index("Criterion")
    assert fra.loc["l1", "Level"] == 1 and fra.loc["l1", MSG("best_other")] == 2 and fra.loc["l1", MSG("max_level")] == 3
    assert fra.loc["l1", MSG("gap_gain")] == pytest.approx(200 / 3)
    ws = openpyxl.load_workbook(path)["Gaps"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    heading = next(i for i, r in enumerate(rows) if r[0] == MSG("to_code"))
    assert heading == n + 2  # a blank row between the two lists
    listed = [(r[0], r[1], round(r[3], 2)) for r in rows[heading + 3:]]
    assert listed == [("France", "c2", 66.67), ("France", "l2", 11.11)]


def test_labels_follow_the_language(tmp_path):
    wb = openpyxl.load_workbook(build(tmp_path, lang="ru"))
    # the sheet names too, in the same order as in English (SHEETS)
    assert wb.sheetnames == ["Сводка", "Критерии", "Доказательства", "Пробелы", "Документы", "Динамика",
                             "Чувствительность", "Методология"]
    assert "Общий индекс" in header(wb["Сводка"]) and "Страна" in header(wb["Доказательства"])
    assert wb["Сводка"]["A2"].value == "Нидерланды"
    # document types by their title, not their ids (the mini workspace's vocabulary has English titles only)
    docs = wb["Документы"]
    assert {r[2] for r in docs.iter_rows(min_row=2, values_only=True)} <= {"Law", "Constitution"}
    kk = openpyxl.load_workbook(build(tmp_path, lang="kk", name="kk.xlsx"))
    assert kk.sheetnames[:3] == ["Жиынтық", "Критерийлер", "Дәлелдер"]
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in wb.sheetnames + kk.sheetnames)


# ---------------------------------------------------------------- timeline, sensitivity, agreement, comparability


def section_rows(ws, heading) -> list[tuple]:
    """The rows of the table under a heading in column A, up to the next empty row (header row included)."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == heading) + 1
    out = []
    for r in rows[start:]:
        if all(v is None for v in r):
            break
        out.append(r)
    return out


def test_timeline_sheet_one_row_per_step_and_a_line_chart(tmp_path):
    ctx = context()
    path = tmp_path / "t.xlsx"
    write_xlsx(ctx, str(path), api.templates_dir())
    ws = openpyxl.load_workbook(path)["Timeline"]
    timeline = ctx["timeline"]
    names = [s["name"] for s in timeline["series"]]
    assert header(ws)[: len(names) + 1] == [MSG("date")] + names == ["Date", "Netherlands", "France"]
    table = section_rows(ws, MSG("date"))
    assert len(table) == len(timeline["dates"]) == 13  # end of 2000 ... end of 2011, then 2012-06-30
    for i, (row, day) in enumerate(zip(table, timeline["dates"])):
        assert row[0] == dt.datetime.combine(day, dt.time())
        for col, series in enumerate(timeline["series"], 1):
            expected = series["steps"][i]["overall"]
            # no index (France before its law of 2001) is an empty cell, not a 0
            assert row[col] == (None if expected is None else pytest.approx(expected)), (day, series["iso3"])
    assert table[0][2] is None and table[-1][1] == pytest.approx(55.556, abs=1e-3)
    assert ws.cell(2, 2).number_format == "0.0" and ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:C{len(timeline['dates']) + 1}"

    # a step chart: straight segments through the step points, smoothing off on every series
    (chart,) = ws._charts
    assert isinstance(chart, openpyxl.chart.ScatterChart) and chart.scatterStyle == "lineMarker"
    assert chart.x_axis.delete is False and chart.y_axis.delete is False
    assert chart.y_axis.scaling.min == 0 and chart.y_axis.scaling.max == 100
    assert chart.x_axis.numFmt.formatCode == "yyyy"
    assert len(chart.series) == len(names)  # one line per country
    with zipfile.ZipFile(path) as z:
        xml = next(x for x in (z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/")) if "scatterChart" in x)
    assert re.findall(r'<(?:c:)?delete val="(\w+)"', xml) == ["0", "0"]
    assert len(re.findall(r"<(?:c:)?title>", xml)) == 3  # the chart's and both axes'
    series_xml = re.findall(r"<(?:c:)?ser>.*?</(?:c:)?ser>", xml, re.S)
    assert len(series_xml) == 2 and all(re.search(r'<(?:c:)?smooth val="0"\s*/>', x) for x in series_xml)
    assert "lineChart" not in xml and not re.search(r'smooth val="(1|true)"', xml)
    assert '<c:scatterStyle val="lineMarker"' in xml or '<scatterStyle val="lineMarker"' in xml
    # the chart's data: each country's steps from its change dates, worked out by hand from tests/data/mini:
    # the chart starts at the first change of an index, NLD's law of 2000-01-01: NLD 50 from there to
    # 2005-01-01, where a second law takes it to 59.3; on 2011-01-01 law A lapses, 55.6 to the end.
    # FRA has no index until its law of 2001-01-01.
    steps = [r[:3] for r in section_rows(ws, MSG("tl_step_data"))]
    assert steps[0] == (MSG("country"), MSG("date"), MSG("overall_index"))
    day = lambda y, m, d: dt.datetime(y, m, d)
    assert [(r[0], r[1], None if r[2] is None else round(r[2], 1)) for r in steps[1:]] == [
        ("Netherlands", day(2000, 1, 1), 50.0), ("Netherlands", day(2005, 1, 1), 50.0),
        ("Netherlands", day(2005, 1, 1), 59.3), ("Netherlands", day(2011, 1, 1), 59.3),
        ("Netherlands", day(2011, 1, 1), 55.6), ("Netherlands", day(2012, 6, 30), 55.6),
        ("France", day(2000, 1, 1), None), ("France", day(2001, 1, 1), 33.3), ("France", day(2012, 6, 30), 33.3)]
    # each series reads its own country's block: x the dates, y the index
    first = next(i for i, r in enumerate(ws.iter_rows(values_only=True), 1) if r[0] == MSG("tl_step_data")) + 2
    refs = [(s.xVal.numRef.f, s.yVal.numRef.f) for s in chart.series]
    assert refs == [(f"'Timeline'!$B${first}:$B${first + 5}", f"'Timeline'!$C${first}:$C${first + 5}"),
                    (f"'Timeline'!$B${first + 6}:$B${first + 8}", f"'Timeline'!$C${first + 6}:$C${first + 8}")]

    # the change points below: every change of the context, overall and tier scores alike
    changes = section_rows(ws, MSG("change_points_all"))
    assert changes[0] == (MSG("country"), MSG("date"), MSG("scope"), MSG("index_before"), MSG("index_after"),
                          MSG("change"), MSG("cause"))
    assert len(changes) - 1 == sum(len(s["changes"]) for s in timeline["series"])
    assert ("Netherlands", dt.datetime(2011, 1, 1), MSG("overall_index"), pytest.approx(59.259, abs=1e-3),
            pytest.approx(55.556, abs=1e-3), pytest.approx(-3.704, abs=1e-3),
            "Law B in force; Law A no longer in force") in changes
    # a tier appearing has no value before it and so no change: empty cells
    assert ("France", dt.datetime(2001, 1, 1), "Law tier", None, pytest.approx(33.333, abs=1e-3), None,
            "A law in force") in changes


def shipped_context(**kw):
    # the shipped workspace as frozen on 2026-11-30 (tests/data/shipped-2026-11): the figures below are its
    from conftest import FROZEN

    return api.report_context(["KAZ", "RUS"], as_of="2026-11-28", generated=GENERATED, data=str(FROZEN), **kw)


def test_shipped_timeline_and_sensitivity(tmp_path):
    ctx = shipped_context()
    path = tmp_path / "kr.xlsx"
    write_xlsx(ctx, str(path), api.templates_dir())
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(SHEETS)

    # Kazakhstan's laws tier, by hand from tests/data/shipped-2026-11/evidence/KAZ/laws.yaml (traced from 1995-10-16; every weight 1):
    # the constitutional law on Parliament (1995-10-16, no end) and the treaty decree-law (1995-12-12 to
    # 2005-05-29) are recorded without findings, so a laws criterion no finding answers is never absent,
    # only not assessed. Its criteria come one by one, each at level 3 of 3, as their documents take effect:
    #   1997-12-30  law-assemblies (CIS IPA Convention; findings at 2 and 3, highest 3): the tier appears, 100.
    #               Index: constitution 11/12 = 91.7 (3, 3, 2, 3), internal 8/12 = 66.7 (2, 3, 3, int-code 0;
    #               int-strategy not assessed while the Mazhilis rules are uncoded), no concept yet:
    #               (91.7 + 66.7)/2 = 79.2 -> (91.7 + 100 + 66.7)/3 = 86.1, 8 -> 9 of 16 criteria;
    #               like with like (the 8 assessed before) 79.2 -> 79.2: no change.
    #   2002-03-07  law-mfa-support (Law on the Diplomatic Service): tier 100 -> 100, index 86.1 -> 86.1, 9 -> 10 of 16.
    #   2005-05-30  law-treaties (Law on International Treaties, as the decree-law lapses): 100 -> 100, 10 -> 11 of 16.
    # law-parliament-status stays not assessed. None of these moves a score like with like: each is a coverage change.
    kaz = next(s for s in ctx["timeline"]["series"] if s["iso3"] == "KAZ")
    laws = [(c["date"], c["kind"], c["before"], c["after"], c["delta"], c["coverage"]["gained"])
            for c in kaz["changes"] if c["scope"] == "laws"]
    assert laws == [
        (dt.date(1997, 12, 30), "coverage", None, 100.0, None, ["law-assemblies"]),
        (dt.date(2002, 3, 7), "coverage", 100.0, 100.0, 0.0, ["law-mfa-support"]),
        (dt.date(2005, 5, 30), "coverage", 100.0, 100.0, 0.0, ["law-treaties"]),
    ]
    first = next(c for c in kaz["changes"] if (c["date"], c["scope"]) == (dt.date(1997, 12, 30), "overall"))
    assert (first["before"], first["after"], first["delta"], first["common"]) == (
        pytest.approx((11 / 12 * 100 + 800 / 12) / 2), pytest.approx((11 / 12 * 100 + 100 + 800 / 12) / 3), 0.0, 8)
    by_year = {s["date"].year: s["tiers"]["laws"] for s in kaz["steps"]}
    assert by_year[1996] is None and by_year[1997] == 100.0

    # the change table: Change is the headline move, like with like; the coverage table says what came
    rows = section_rows(wb["Timeline"], MSG("change_points_all"))
    law = [c for c in kaz["changes"] if c["date"] == dt.date(2002, 3, 7)]
    assert {c["scope"] for c in law} == {"laws", "overall"}
    for c in law:
        scope = MSG("overall_index") if c["scope"] == "overall" else c["scope_title"]
        assert ("Kazakhstan", dt.datetime(2002, 3, 7), scope, pytest.approx(c["before"]), pytest.approx(c["after"]),
                0, "; ".join(c["causes"])) in rows
    coverage = section_rows(wb["Timeline"], MSG("tl_coverage_changes"))
    assert coverage[0] == (MSG("country"), MSG("date"), MSG("scope"), MSG("tl_criteria_assessed"), MSG("tl_change_like"),
                           MSG("tl_criteria_moved"), MSG("cause"))
    assert ("Kazakhstan", dt.datetime(2002, 3, 7), MSG("overall_index"), "9 → 10 of 16; criteria assessed on both days: 9", 0,
            "now assessed: Foreign ministry informs and assists the legislature", 'Law "On the Diplomatic Service of the Republic of Kazakhstan" in force') in coverage
    assert all(r[2] == MSG("overall_index") for r in coverage[1:])  # the index's coverage moves hold its tiers'
    # the lapse of 2026-07-01: 15 -> 6 of 16 criteria, no change on the 6 left (laws 100, concept 66.7 both days)
    lapse = next(r for r in coverage if r[1] == dt.datetime(2026, 7, 1) and r[2] == MSG("overall_index"))
    assert lapse[3:5] == ("15 → 6 of 16; criteria assessed on both days: 6", 0)

    # thin coverage: both countries have steps below 75%, drawn as hollow marks over their lines
    ws = wb["Timeline"]
    thin = [MSG("tl_index_thin", name=n, share="75%") for n in ("Kazakhstan", "Russia")]
    assert [c.value for c in ws[1]][3:5] == thin
    (chart,) = ws._charts
    assert len(chart.series) == 4 and [s.marker.symbol for s in chart.series[2:]] == ["circle", "triangle"]
    assert all(s.smooth is False for s in chart.series)
    assert all(s.graphicalProperties.line.noFill for s in chart.series[2:])
    table = section_rows(ws, MSG("date"))
    end = next(r for r in table if r[0] == dt.datetime(2026, 11, 28))
    assert end[1] == pytest.approx(250 / 3) and end[3] == pytest.approx(250 / 3) and end[4] is None  # KAZ 6/16 is thin, RUS 14/16 not
    notes = [r[0] for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("Kazakhstan: fewer than 75%")]
    # the window opens on 1 January of the year of the first event (Russia's, 1993-12-12); KAZ reaches 12 of 16
    # (75%) on 2013-01-01 with its 2013 roadmap and drops to 6 of 16 on 2026-07-01
    assert notes == ["Kazakhstan: fewer than 75% of the criteria assessed, so no headline index, on "
                     "01 Jan 1993 – 31 Dec 2012; 01 Jul 2026 – 28 Nov 2026."]

    ws = wb["Sensitivity"]
    pair = next(p for p in ctx["sensitivity"]["pairs"] if (p["a"], p["b"]) == ("RUS", "KAZ"))
    statement = MSG("ranks_above", a="Russia", b="Kazakhstan", share=Formats(MSG).pct(pair["share"]))
    assert statement.startswith("Russia ranks above Kazakhstan in ")
    pairs = section_rows(ws, MSG("rank_pairs"))
    assert (statement, "RUS", "KAZ", pytest.approx(pair["share"])) in [r[:4] for r in pairs]
    table = {r[1]: r for r in section_rows(ws, MSG("country"))}  # the rows under the header row
    for c in ctx["sensitivity"]["countries"]:
        assert table[c["iso3"]][2:6] == pytest.approx((c["point"], c["median"], c["low"], c["high"]))
    note = MSG("sensitivity_note", draws=ctx["sensitivity"]["draws"], seed=0, concentration="20")
    assert note in [r[0] for r in ws.iter_rows(values_only=True)] and "2000 draws" in note


def test_no_sensitivity_sheet_without_draws(tmp_path):
    ctx = shipped_context(draws=0)
    assert ctx["sensitivity"] is None
    path = tmp_path / "kr.xlsx"
    write_xlsx(ctx, str(path), api.templates_dir())
    assert openpyxl.load_workbook(path).sheetnames == [s for s in SHEETS if s != "Sensitivity"]


# a second coder, b, on three NLD criteria next to t1's findings in tests/data/mini, as of 2012-06-30:
#   c1: t1 3, b 3     c2: t1 0, b 0     l1: t1 2 (n-l1-b; n-l1-a is no longer in force), b 3 (the disagreement)
SECOND_CODER_NLD = """
findings:
  - {id: b-c1, criterion: c1, document: nld-const, locator: Art. 1, quote: It is there, level: 3, coder: b}
  - {id: b-c2, criterion: c2, level: 0, reason: Searched the whole Constitution too, coder: b}
  - {id: b-l1, criterion: l1, document: nld-law-b, locator: Art. 3, quote: B says so, level: 3, coder: b}
"""


def test_methodology_lists_coders_agreement_and_disagreements(tmp_path, mini):
    # mini is tests/data/mini copied with shutil.copytree (conftest); the second coder's file goes next to t1's
    write(mini / "evidence/NLD/second-coder.yaml", SECOND_CODER_NLD)
    ctx = context(data=mini)
    path = tmp_path / "coded.xlsx"
    write_xlsx(ctx, str(path), api.templates_dir())
    ws = openpyxl.load_workbook(path)["Methodology"]
    rows = list(ws.iter_rows(values_only=True))
    firsts = [r[0] for r in rows]
    assert MSG("coders_title") in firsts
    assert MSG("coders_list", coders="b, t1", units=3) in firsts
    # Values pooled: 3,3 0,0 3,2 -> n=6; n0=2, n2=1, n3=3. Ordinal distances: d(0,2) = (3 - 1.5)^2 = 2.25,
    # d(0,3) = (6 - 2.5)^2 = 12.25, d(2,3) = (4 - 2)^2 = 4. D_o = (1/6) * (4 + 4) = 4/3;
    # D_e = 2 * (2*1*2.25 + 2*3*12.25 + 1*3*4) / (6*5) = 6; alpha = 1 - (4/3)/6 = 7/9. Agreement on 2 of 3 units.
    agreement = section_rows(ws, MSG("coders_title"))
    assert agreement[1] == (MSG("scope"), MSG("alpha_ordinal"), MSG("percent_agreement"), MSG("units"), None, None, None)
    scopes = {r[0]: r[1:4] for r in agreement[2:]}
    assert scopes[MSG("overall")] == (pytest.approx(7 / 9), pytest.approx(2 / 3), 3)
    assert scopes["Constitution tier"] == (pytest.approx(1.0), pytest.approx(1.0), 2)
    assert scopes["Law tier"] == (None, 0, 1)  # one unit: no alpha
    for s in ctx["agreement"]["scopes"]:
        title = MSG("overall") if s["id"] == "overall" else s["title"]
        assert scopes[title][0] == (None if s["alpha"] is None else pytest.approx(s["alpha"]))
    alpha_row = firsts.index(MSG("overall"))
    assert ws.cell(alpha_row + 1, 2).number_format == "0.000" and ws.cell(alpha_row + 1, 3).number_format == "0%"

    disagreements = section_rows(ws, MSG("disagreements"))
    assert disagreements[1:] == [("NLD", "l1", "b", 3, "b-l1", "no", None), ("NLD", "l1", "t1", 2, "n-l1-b", "no", None)]


def test_methodology_without_two_coders_says_so(tmp_path):
    firsts = [r[0] for r in openpyxl.load_workbook(build(tmp_path))["Methodology"].iter_rows(values_only=True)]
    assert MSG("coders_none") in firsts and MSG("disagreements") not in firsts


def test_methodology_states_the_comparison_basis(tmp_path):
    meta = {r[0]: r[1] for r in openpyxl.load_workbook(build(tmp_path))["Methodology"].iter_rows(values_only=True) if r[0]}
    assert meta[MSG("common_only_label")] == "no"
    assert meta[MSG("common_criteria", n=2, total=4)] == 2  # "2 of 4 criteria assessed for every country"
    assert meta[MSG("assessed_for_some")] == "c2, l2"
    assert MSG("comparison_partial", n=2, total=4) in meta
    ctx = api.report_context(["NLD", "FRA"], as_of=AS_OF, data=str(MINI), generated=GENERATED, common_only=True, draws=0)
    write_xlsx(ctx, str(tmp_path / "common.xlsx"), api.templates_dir())
    meta = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "common.xlsx")["Methodology"].iter_rows(values_only=True) if r[0]}
    assert meta[MSG("common_only_label")] == "yes" and MSG("comparison_common_only", n=2, total=4) in meta


def test_criteria_comparable_column(tmp_path):
    # Worked out from the scores frame rather than written down: a criterion is comparable when no
    # country has it "not_assessed". In tests/data/mini NLD has findings on all four criteria; FRA only
    # on c1 (not applicable: looked at, and it does not apply, which is an assessment) and l1. So c1 and l1.
    frame = api.score(["NLD", "FRA"], as_of=AS_OF, data=str(MINI)).criteria
    assessed = frame[frame.status != "not_assessed"].groupby("criterion").country.nunique()
    comparable = {cr for cr, n in assessed.items() if n == frame.country.nunique()}
    assert comparable == {"c1", "l1"}
    assessed_for = {cr: sorted(g.country) for cr, g in frame[frame.status != "not_assessed"].groupby("criterion")}

    criteria = pd.read_excel(build(tmp_path), sheet_name="Criteria").set_index("Criterion")
    assert list(criteria.columns[:5]) == ["Tier", "Title", "Weight", MSG("comparable"), MSG("assessed_for")]
    for cr, row in criteria.iterrows():
        assert row[MSG("comparable")] == ("yes" if cr in comparable else "no"), cr
        if cr in comparable:
            assert pd.isna(row[MSG("assessed_for")])  # only said where it is partial
        else:
            assert row[MSG("assessed_for")] == ", ".join(assessed_for[cr]) == "NLD"
    # the level columns still get their colour scale and hold the same levels
    assert criteria.loc["c1", "NLD Level"] == 3 and criteria.loc["l1", "FRA Level"] == 1


# ---------------------------------------------------------------- links and hostile text


def test_evidence_urls_are_links(tmp_path):
    ws = openpyxl.load_workbook(build(tmp_path))["Evidence"]
    url = column(ws, "URL")
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row, url)
        if cell.value:
            assert cell.hyperlink is not None and cell.hyperlink.target == cell.value
            assert cell.value.startswith("https://")
        else:
            assert cell.hyperlink is None
    assert sum(1 for r in range(2, ws.max_row + 1) if ws.cell(r, url).hyperlink) == 6
    docs = openpyxl.load_workbook(build(tmp_path))["Documents"]
    assert docs.cell(2, column(docs, "URL")).hyperlink.target == "https://example.org/const"


def test_javascript_url_is_not_a_link(tmp_path, hostile):
    path = build(tmp_path, data=hostile)
    wb = openpyxl.load_workbook(path)
    targets = [c.hyperlink.target for ws in wb for row in ws.iter_rows() for c in row if c.hyperlink]
    assert targets and all(t.startswith(("http://", "https://")) for t in targets)
    with zipfile.ZipFile(path) as z:
        assert not any(b"javascript" in z.read(n).lower() for n in z.namelist())


def test_evidence_text_never_becomes_a_formula(tmp_path, hostile):
    path = build(tmp_path, data=hostile)
    ws = openpyxl.load_workbook(path)["Evidence"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[column(ws, MSG("id")) - 1].startswith("h")]
    assert len(rows) == len(HOSTILE)
    for r in rows:
        quote = r[column(ws, "Quote") - 1]
        assert quote in HOSTILE and isinstance(quote, str)
        assert r[column(ws, "Locator") - 1] == quote and r[column(ws, "Coder") - 1] == quote
        assert r[column(ws, "Document") - 1] == "=1+1"
    assert {r[column(ws, "Quote") - 1] for r in rows} == set(HOSTILE)
    docs = openpyxl.load_workbook(path)["Documents"]
    assert "=1+1" in [c.value for c in docs[openpyxl.utils.get_column_letter(column(docs, "Document"))]]
    for name, xml in worksheet_xml(path).items():
        assert "<f>" not in xml and "<f " not in xml, name
    # pandas sees the literal text too (told not to read "#N/A" as missing, as it does by default)
    quotes = set(pd.read_excel(path, sheet_name="Evidence", dtype=str, keep_default_na=False)["Quote"])
    assert set(HOSTILE) <= quotes
    # document titles reach the Timeline's change points as causes: text there too
    causes = [c.value for c in openpyxl.load_workbook(path)["Timeline"]["G"]]
    assert "=1+1 in force" in "; ".join(v for v in causes if isinstance(v, str))


def test_control_characters_are_dropped_not_fatal(tmp_path, mini):
    findings = mini / "evidence/NLD/findings.yaml"
    findings.write_text(findings.read_text().replace("quote: It is there", 'quote: "It is\\x0b there\\x07"'))
    ws = openpyxl.load_workbook(build(tmp_path, data=mini))["Evidence"]
    assert "It is there" in [c.value for c in ws[openpyxl.utils.get_column_letter(column(ws, "Quote"))]]


# ---------------------------------------------------------------- determinism and atomic writes


def test_same_context_same_bytes(tmp_path):
    a = build(tmp_path, name="a.xlsx")
    b = build(tmp_path, name="b.xlsx")  # a second context, built afresh from the same files
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"
        core = z.read("docProps/core.xml").decode()
    assert "2024-05-06T07:08:09Z" in core


def test_generation_time_changes_only_what_it_should(tmp_path):
    ctx = context()
    write_xlsx(ctx, str(tmp_path / "a.xlsx"), api.templates_dir())
    ctx["generated"] = GENERATED + dt.timedelta(days=1)
    write_xlsx(ctx, str(tmp_path / "b.xlsx"), api.templates_dir())
    a, b = worksheet_xml(tmp_path / "a.xlsx"), worksheet_xml(tmp_path / "b.xlsx")
    methodology = openpyxl.load_workbook(tmp_path / "a.xlsx").sheetnames.index("Methodology") + 1
    assert [n for n in a if a[n] != b[n]] == [f"xl/worksheets/sheet{methodology}.xml"]  # Methodology says when


def test_no_temporary_files_left(tmp_path):
    build(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_failure_while_building_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"previous")

    def broken(*args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(xlsx, "_gaps_sheet", broken)
    with pytest.raises(RuntimeError):
        write_xlsx(context(), str(path), api.templates_dir())
    assert path.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_failure_while_writing_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"previous")

    def broken(fd):
        raise OSError("disk full")

    # fsync comes after the bytes are in the temporary file and before the rename
    monkeypatch.setattr(assess.common.atomic.os, "fsync", broken)
    with pytest.raises(OSError):
        write_xlsx(context(), str(path), api.templates_dir())
    assert path.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


# ---------------------------------------------------------------- end to end


def test_report_command_writes_the_workbook(tmp_path):
    out = tmp_path / "out"
    r = runner.invoke(app, ["report", "NLD", "FRA", "--data", str(MINI), "--as-of", AS_OF, "--format", "xlsx", "--out", str(out)])
    assert r.exit_code == 0, r.output
    (printed,) = r.output.split()
    path = Path(printed)
    assert path.name == "assess-NLD-FRA-mini-2012-06-30-en.xlsx" and path.parent == out
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(SHEETS)
    assert [p.name for p in out.iterdir()] == [path.name]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (soffice)")
def test_libreoffice_opens_it(tmp_path):
    path = build(tmp_path)
    out = tmp_path / "csv"
    profile = tmp_path / "lo-profile"  # its own profile: no clash with a running LibreOffice
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "csv",
         "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    text = (out / "report.csv").read_text(encoding="utf-8", errors="replace")
    # the first sheet, as LibreOffice read it: numbers as numbers, at full precision
    # (country, code, rank, then the overall index: both are ranked in the mini rubric)
    assert "Netherlands,NLD,1,55.555" in text and "France,FRA,2,33.333" in text
