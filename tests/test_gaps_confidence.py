"""Issue 14, sections 6-7: recommendations only where something was found
wanting, "not assessed yet: code these next" apart, and confidence as data.

Every expected number is worked out by hand in the test's docstring from the
workspace written here (tmp_path), never read back from the tool.
"""

import datetime as dt

import openpyxl
import pytest
from typer.testing import CliRunner

import assess
import assess.api as api
from assess import gaps
from assess.cli import app
from assess.output.render.html import render_html
from assess.output.render.xlsx import write_xlsx

from conftest import write

runner = CliRunner()
AS_OF = "2010-06-30"

DOCTYPES = """
document_types:
  - {id: constitution, title: Constitution}
  - {id: law, title: Law}
"""

# Two tiers of equal weight. Tier ta: two criteria of equal weight. Tier tb:
# b1 weighs 3 and b2 weighs 1, so that the criteria carry unequal shares.
RUBRIC = """
id: gc
version: 1.0.0
default: true
title: Gaps and confidence
scale:
  - {level: 0, label: Absent}
  - {level: 1, label: Indirect}
  - {level: 2, label: Explicit}
  - {level: 3, label: Operational}
scoring:
  rule: highest
%(scoring)s
tiers:
  - id: ta
    title: Tier A
    weight: 1
    accepts: [constitution]
    criteria:
      - {id: a1, title: A one, question: A1?, levels: {0: none, 1: some, 2: explicit, 3: full}, weight: 1, recommendation: Reform a1.}
      - {id: a2, title: A two, question: A2?, levels: {0: none, 1: some, 2: explicit, 3: full}, weight: 1, recommendation: Reform a2.}
  - id: tb
    title: Tier B
    weight: 1
    accepts: [law]
    criteria:
      - {id: b1, title: B one, question: B1?, levels: {0: none, 1: some, 2: explicit, 3: full}, weight: 3, recommendation: Reform b1.}
      - {id: b2, title: B two, question: B2?, levels: {0: none, 1: some, 2: explicit, 3: full}, weight: 1, recommendation: Reform b2.}
"""

# NLD: every tier traced, every criterion scored: a1 3, a2 1, b1 3, b2 2.
NLD = """
country:
  iso3: NLD
  name: Netherlands
  traced_from: 1990-01-01
documents:
  - {id: nld-const, type: constitution, title: Constitution, adopted: 1999-12-01, in_force_from: 2000-01-01, url: https://example.org/c, confidence: high}
  - id: nld-law
    type: law
    title: Law
    adopted: 2000-01-01
    in_force_from: 2000-01-01
    approximate: [in_force_from]
    confidence: medium
    url: https://example.org/l
findings:
  - {id: n-a1, criterion: a1, document: nld-const, locator: Art. 1, quote: q, level: 3, verified: true, confidence: high}
  - {id: n-a2, criterion: a2, document: nld-const, locator: Art. 2, quote: q, level: 1, verified: true, confidence: low}
  - {id: n-b1, criterion: b1, document: nld-law, locator: Art. 3, quote: q, level: 3, verified: true}
  - {id: n-b2, criterion: b2, document: nld-law, locator: Art. 4, quote: q, level: 2, verified: true, confidence: medium}
"""

# FRA: tier ta traced, tier tb not. a1 is n/a (citing fra-const); a2 has no
# finding while fra-amend, a constitution nobody has coded, is in force; b1
# and b2 have no finding on an untraced tier.
FRA = """
country:
  iso3: FRA
  name: France
  traced_from: {ta: 1958-01-01}
documents:
  - {id: fra-const, type: constitution, title: Constitution, adopted: 1958-10-04, in_force_from: 1958-10-04, url: https://example.org/f}
  - {id: fra-amend, type: constitution, title: Amendment, adopted: 2005-03-01, in_force_from: 2005-03-01, url: https://example.org/a, confidence: medium, approximate: [adopted]}
  - {id: fra-law, type: law, title: A law, adopted: 2001-01-01, in_force_from: 2001-01-01, url: https://example.org/fl}
findings:
  - {id: f-a1, criterion: a1, document: fra-const, locator: Art. 9, level: n/a, reason: Left to ordinary law, confidence: high}
"""


@pytest.fixture
def ws(tmp_path):
    root = tmp_path / "gc"
    write(root / "criteria" / "document-types.yaml", DOCTYPES)
    write(root / "criteria" / "gc.yaml", RUBRIC % {"scoring": ""})
    write(root / "evidence" / "NLD" / "country.yaml", NLD)
    write(root / "evidence" / "FRA" / "country.yaml", FRA)
    return root


def scored(ws):
    return api.score(["NLD", "FRA"], as_of=AS_OF, data=str(ws))


def test_the_workspace_is_valid(ws):
    report = assess.check(assess.load_data(str(ws)))
    assert report.errors == [], "\n".join(map(str, report.errors))


# ---------------------------------------------------------------- section 6: gaps


def test_gap_gain_by_hand(ws):
    """NLD, all scored. Tier ta: a1 3/3 = 100, a2 1/3 = 33.33, equal weights:
    ta = 66.67. Tier tb: b1 3/3 (weight 3), b2 2/3 (weight 1): tb = (300 +
    66.67) / 4 = 91.67. Equal tiers: index = (66.67 + 91.67) / 2 = 79.17.

    Closing a2 (1 -> 3): ta = 100, index = (100 + 91.67) / 2 = 95.83, a gain of
    16.67 = (3-1)/3 of a2's share, which is 1/2 of its tier times 1/2 of the index.
    Closing b2 (2 -> 3): tb = 100, index = (66.67 + 100) / 2 = 83.33, a gain of
    4.17 = (3-2)/3 x 1/4 (b2's weight in tb) x 1/2 x 100.
    a1 and b1 are at the maximum: no gap. Largest gain first: a2, then b2."""
    s = scored(ws)
    nld = s.country("NLD")
    assert nld.overall.score == pytest.approx(475 / 6)  # 79.17
    found = gaps.gaps(s.rubric, nld)
    assert [g.criterion.id for g in found] == ["a2", "b2"]
    assert found[0].gain == pytest.approx(50 / 3)  # 16.67
    assert found[0].index_closed == pytest.approx(575 / 6)  # 95.83
    assert found[1].gain == pytest.approx(25 / 6)  # 4.17
    assert [g.level for g in found] == [1, 2]


def test_gap_gain_on_the_brief_example(tmp_path):
    """The example of the brief: a tier of two equal criteria at 3/3 and 1/3
    (66.67) and a second, equal tier at 3/3 throughout (100): index 83.33.
    Closing the 1/3 criterion makes the first tier 100 and the index 100:
    a gain of 16.67 = 2/3 (the levels missing) x 1/2 (its weight in its tier)
    x 1/2 (the tier's weight in the index) x 100."""
    root = tmp_path / "ex"
    write(root / "criteria" / "document-types.yaml", DOCTYPES)
    write(root / "criteria" / "gc.yaml", RUBRIC.replace("weight: 3", "weight: 1") % {"scoring": ""})
    write(root / "evidence" / "NLD" / "country.yaml", NLD.replace("level: 2, verified", "level: 3, verified"))
    s = api.score(["NLD"], as_of=AS_OF, data=str(root))
    nld = s.country("NLD")
    assert nld.overall.score == pytest.approx(250 / 3)  # 83.33
    [gap] = gaps.gaps(s.rubric, nld)
    assert gap.criterion.id == "a2" and gap.gain == pytest.approx(50 / 3) and gap.index_closed == pytest.approx(100)


def test_not_assessed_is_no_gap_but_a_criterion_to_code(ws):
    """FRA: a1 n/a; a2, b1, b2 not assessed, so no gap at all. What each
    carries once everything is assessed (it at 3, every other assessable
    criterion at 0, a1 n/a left out as in the index):
    a2: ta = a2 alone = 100, tb = 0, index 50;
    b1: ta = 0, tb = 3 x 100 / 4 = 75, index 37.5;
    b2: ta = 0, tb = 1 x 100 / 4 = 25, index 12.5.
    Most points first: a2, b1, b2. a2's tier is traced but fra-amend, in
    force since 2005, is recorded without findings: uncoded, naming it; tier
    tb has no trace at all: not traced, and fra-law is the tier's document
    in force to read."""
    s = scored(ws)
    fra = s.country("FRA")
    assert gaps.gaps(s.rubric, fra) == []
    todo = gaps.to_code(s.rubric, fra, s.as_of)
    assert [(x.criterion.id, x.reason) for x in todo] == [("a2", gaps.UNCODED), ("b1", gaps.NOT_TRACED), ("b2", gaps.NOT_TRACED)]
    assert [x.points for x in todo] == pytest.approx([50, 37.5, 12.5])
    assert [d.id for d in todo[0].documents] == ["fra-amend"]
    assert todo[0].trace.start == dt.date(1958, 1, 1)
    assert [d.id for d in todo[1].documents] == ["fra-law"] and todo[1].trace is None


def test_report_lists_gaps_by_gain_and_criteria_to_code_apart(ws, tmp_path):
    """The report's context, HTML and workbook carry the two lists in the
    library's order (hand-worked above): gaps NLD a2 (+16.7), NLD b2 (+4.2);
    to code FRA a2 (50.00), b1 (37.50), b2 (12.50). No reform is recommended
    for FRA, where nothing was found wanting."""
    ctx = api.report_context(["NLD", "FRA"], as_of=AS_OF, data=str(ws), generated=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    assert [(g["iso3"], g["criterion"]) for g in ctx["gaps"]] == [("NLD", "a2"), ("NLD", "b2")]
    assert [round(g["gain"], 2) for g in ctx["gaps"]] == [16.67, 4.17]
    assert [(x["iso3"], x["criterion"], x["reason"]) for x in ctx["to_code"]] == [
        ("FRA", "a2", "uncoded"), ("FRA", "b1", "not_traced"), ("FRA", "b2", "not_traced")]
    html = render_html(ctx, api.templates_dir())
    gaps_html = html[html.index('<section id="gaps">'):html.index('<section id="documents">')]
    assert gaps_html.index("+16.7") < gaps_html.index("+4.2") < gaps_html.index('id="to-code"')
    assert "Reform a2." in gaps_html and "Reform b2." in gaps_html
    assert "Reform b1." not in gaps_html  # FRA's b1 is not assessed: no reform for it
    # the document by its title, never its raw id (#17 §6)
    assert "Amendment" in gaps_html and "fra-amend" not in gaps_html and "50.00" in gaps_html

    path = tmp_path / "r.xlsx"
    write_xlsx(ctx, str(path), api.templates_dir())
    rows = list(openpyxl.load_workbook(path)["Gaps"].iter_rows(values_only=True))
    assert [(r[0], r[1]) for r in rows[1:3]] == [("Netherlands", "a2"), ("Netherlands", "b2")]
    # rows: the header, 2 gaps, a blank row, the heading, its intro, the list's header, then the list
    assert [(r[0], r[1], r[3]) for r in rows[7:10]] == [("France", "a2", 50), ("France", "b1", 37.5), ("France", "b2", 12.5)]


def test_explain_an_unassessed_criterion_says_what_to_gather_not_what_to_reform(ws):
    """FRA a2 is not assessed (fra-amend uncoded): explain names fra-amend to
    code and the 50 points a2 carries (worked above), and never prints a2's
    recommendation. FRA b1 (tier tb, no trace): explain says the tier is not
    declared read, what traced_from means, and lists fra-law."""
    out = runner.invoke(app, ["explain", "FRA", "a2", "--as-of", AS_OF, "--data", str(ws)])
    assert out.exit_code == 0, out.output
    assert "Reform a2." not in out.output and "recommendation" not in out.output
    assert "TO ASSESS IT" in out.output and "fra-amend - Amendment" in out.output
    assert "carries 50.00 points" in out.output
    out = runner.invoke(app, ["explain", "FRA", "b1", "--as-of", AS_OF, "--data", str(ws)])
    assert out.exit_code == 0, out.output
    assert "Reform b1." not in out.output
    assert "tier tb is not declared read" in out.output and "no trace declared" in out.output and "traced_from" in out.output
    assert "fra-law - A law" in out.output and "carries 37.50 points" in out.output
    # n/a is not wanting either
    out = runner.invoke(app, ["explain", "FRA", "a1", "--as-of", AS_OF, "--data", str(ws)])
    assert "Reform a1." not in out.output and "TO ASSESS IT" not in out.output


def test_explain_a_gap_recommends_and_gives_the_gain(ws):
    """NLD a2, scored 1/3: the recommendation, and the index from 79.2 to 95.8
    (+16.7), worked out in test_gap_gain_by_hand."""
    out = runner.invoke(app, ["explain", "NLD", "a2", "--as-of", AS_OF, "--data", str(ws)])
    assert out.exit_code == 0, out.output
    assert "recommendation: Reform a2." in out.output
    assert "from 79.2 to 95.8 (+16.7)" in out.output


# ---------------------------------------------------------------- section 7: confidence


def test_explain_shows_confidence_and_approximate_dates(ws):
    """n-b2 is rated medium; its document nld-law is rated medium, with its
    in-force date approximate: ≈ before the date, and the legend after."""
    out = runner.invoke(app, ["explain", "NLD", "b2", "--as-of", AS_OF, "--data", str(ws)])
    assert out.exit_code == 0, out.output
    # verified: true without a check record is a claim, and explain says so (issue 15)
    assert "n-b2 [DECIDES] level 2, marked verified, no check record, confidence medium" in out.output
    assert "(law; in force ≈ 2000-01-01 to now; confidence medium)" in out.output
    assert out.output.rstrip().endswith("≈ approximate date (the record marks it approximate)")
    ru = runner.invoke(app, ["explain", "NLD", "b2", "--as-of", AS_OF, "--data", str(ws), "--lang", "ru"])
    assert "уверенность: средняя" in ru.output and "≈ 01.01.2000" in ru.output


def test_evidence_tables_show_confidence_and_approximate_dates(ws, tmp_path):
    ctx = api.report_context(["NLD", "FRA"], as_of=AS_OF, data=str(ws), generated=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    html = render_html(ctx, api.templates_dir())
    docs = html[html.index('<section id="documents">'):html.index('<section id="methodology">')]
    assert "≈ </span><time" in docs  # nld-law in force from, fra-amend adopted
    assert '<td data-label="Confidence">medium</td>' in docs and '<td data-label="Confidence">high</td>' in docs
    assert "Confidence, as the analyst rates" in docs
    assert "· Confidence: low" in html  # n-a2 in the criterion table

    path = tmp_path / "r.xlsx"
    write_xlsx(ctx, str(path), api.templates_dir())
    wb = openpyxl.load_workbook(path)
    ev = wb["Evidence"]
    head = [c.value for c in ev[1]]
    col = head.index("Confidence")
    ids = head.index("Id")
    rated = {r[ids]: r[col] for r in ev.iter_rows(min_row=2, values_only=True)}
    assert rated == {"n-a1": "high", "n-a2": "low", "n-b1": None, "n-b2": "medium", "f-a1": "high"}
    assert ev.cell(1, col + 1).comment is not None  # the legend
    dw = wb["Documents"]
    head = [c.value for c in dw[1]]
    rows = {r[1]: r for r in dw.iter_rows(min_row=2, values_only=True)}
    assert rows["nld-law"][head.index("Approximate dates")] == "In force from"
    assert rows["fra-amend"][head.index("Approximate dates")] == "Adopted"
    assert rows["nld-law"][head.index("Confidence")] == "medium" and rows["fra-law"][head.index("Confidence")] is None


def test_require_confidence_is_an_error_at_the_finding(ws):
    """With scoring.require_confidence, every finding on the rubric's criteria
    without a confidence is an error at the finding's line, field confidence.
    In NLD's file n-b1 is the only one without: line 18 (lines 1-4 the
    country, 5 `documents:`, 6 nld-const, 7-14 nld-law, 15 `findings:`, then
    n-a1 on 16, n-a2 on 17, n-b1 on 18)."""
    write(ws / "criteria" / "gc.yaml", RUBRIC % {"scoring": "  require_confidence: true"})
    nld = ws / "evidence" / "NLD" / "country.yaml"
    lines = nld.read_text(encoding="utf-8").splitlines()
    assert lines[17].startswith("  - {id: n-b1,")  # line 18, as counted above
    report = assess.check(assess.load_data(str(ws)))
    errors = [p for p in report.errors if p.field == "confidence"]
    assert [(p.path, p.line) for p in errors] == [(str(nld), 18)]
    assert str(errors[0]) == (f"{nld}:18: confidence: finding 'n-b1' has no confidence; rubric 'gc' requires one on every "
                              "finding of its criteria (require_confidence): expected one of high, medium, low, "
                              "as the analyst rates the finding")
    out = runner.invoke(app, ["validate", "--data", str(ws)])
    assert out.exit_code == 1
    assert "evidence/NLD/country.yaml:18: confidence: finding 'n-b1' has no confidence" in out.output


def test_require_confidence_reports_a_refused_value_once(ws):
    """A confidence that is not high, medium or low is the loader's error;
    require_confidence does not add a second one for the same line."""
    write(ws / "criteria" / "gc.yaml", RUBRIC % {"scoring": "  require_confidence: true"})
    nld = ws / "evidence" / "NLD" / "country.yaml"
    nld.write_text(nld.read_text(encoding="utf-8").replace(
        "level: 3, verified: true}", "level: 3, verified: true, confidence: sure}"), encoding="utf-8")
    report = assess.check(assess.load_data(str(ws)))
    at18 = [p for p in report.errors if p.field == "confidence" and p.line == 18]  # n-b1, counted above
    assert len(at18) == 1 and "expected one of high, medium, low, got 'sure'" in at18[0].message


def test_without_require_confidence_a_missing_confidence_is_fine(ws):
    report = assess.check(assess.load_data(str(ws)))
    assert not [p for p in report.problems if p.field == "confidence"]


# ---------------------------------------------------------------- shipped data


def test_shipped_gaps_and_to_code():
    """On the shipped data as of 2026-11-30 (frozen in tests/data/shipped-2026-11): KAZ's only
    scored criteria below 3 are the three Concept criteria at 2/3. Its index
    rests on laws (100) and concept (66.67): 83.33; one Concept criterion at
    3 makes the concept tier 77.78 and the index 88.89, +5.56 each. RUS's
    gaps: int-code 0/3 (internal 10/15 -> 13/15 of 100, +20 on the tier, +5
    on the index), int-strategy 1/3 (+13.33 on the tier, +3.33), and
    con-treaty-status 2/3 (+8.33 on the constitution tier, +2.08).
    KAZ's constitution criteria wait for the 2026 Constitution to be coded;
    its internal tier is traced only to 2026-06-30."""
    from conftest import FROZEN

    s = api.score(["KAZ", "RUS"], as_of="2026-11-30", data=str(FROZEN))
    kaz, rus = s.country("KAZ"), s.country("RUS")
    assert [(g.criterion.id, round(g.gain, 2)) for g in gaps.gaps(s.rubric, kaz)] == [
        ("fpc-mention", 5.56), ("fpc-continuity", 5.56), ("fpc-scope", 5.56)]
    assert [(g.criterion.id, round(g.gain, 2)) for g in gaps.gaps(s.rubric, rus)] == [
        ("int-code", 5.0), ("int-strategy", 3.33), ("con-treaty-status", 2.08)]
    todo = {x.criterion.id: x for x in gaps.to_code(s.rubric, kaz, s.as_of)}
    assert [d.id for d in todo["con-treaties"].documents] == ["kaz-constitution-2026"]
    assert todo["int-code"].reason == gaps.NOT_TRACED and todo["int-code"].trace.end == dt.date(2026, 6, 30)
    # a constitution criterion: 1/4 of its tier, 1/4 of the index; an internal one: 1/5 of 1/4
    assert todo["con-treaties"].points == pytest.approx(6.25) and todo["int-code"].points == pytest.approx(5.0)
