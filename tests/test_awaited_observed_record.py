"""Issue 15, the rest: documents that do not exist yet, observations, and
checks against source texts that reach the scores.

- A document recorded with `not_adopted_as_of` (the Kurultai's rules of
  procedure) is never scored and never makes its tier "uncoded"; `explain`
  and the report's "code these next" list name it as the evidence that does
  not exist yet.
- A document recorded with `observed` (a secondary source) is not in force:
  its findings count from the day observed, while its legislature exists,
  never before.
- `assess verify --record` writes a check record (method: source-text) into
  the evidence of each finding found at its locator in a source text, so that
  score and explain count it as checked; it removes the records the texts no
  longer confirm and never replaces a coder's record.

Every expected number is worked out by hand in the test's comment.
"""

import shutil

import openpyxl
import pytest
from typer.testing import CliRunner

import assess
from assess.cli import app
from assess.data.model import SOURCE_TEXT, UNCHECKED
from conftest import HERE, REPO, write

runner = CliRunner()


# ---------------------------------------------------------------- a small workspace

COUNTRY = """
country:
  iso3: NOR
  name: {en: Norway}
  traced_from: {t-const: 1814-05-17}
  legislatures:
    - {id: nor-storting, name: Storting, from: 1814-05-17, to: 2000-12-31}
    - {id: nor-new, name: New assembly, from: 2001-01-01}
documents:
  - {id: nor-const, type: constitution, title: {en: Constitution}, in_force_from: 1814-05-17, url: https://example.org/c}
  - id: nor-amendment
    type: constitution
    title: {en: Awaited amendment}
    not_adopted_as_of: 2002-03-01
    url: https://example.org/a
  - id: nor-report
    type: secondary-source
    title: {en: A study of the Storting}
    observed: 1999-06-15
    legislature: nor-storting
    url: https://example.org/r
  - id: nor-new-rules
    type: law
    title: {en: Rules of the new assembly}
    not_adopted_as_of: 2002-03-01
    legislature: nor-new
    url: https://example.org/n
    note: Announced, not adopted.
findings:
  - {id: nor-c1, criterion: c1, document: nor-const, locator: Art. 1, quote: It is there., level: 3}
  - {id: nor-l1-obs, criterion: l1, document: nor-report, locator: p. 3, quote: A law says so., level: 2}
"""


def workspace(tmp_path, country: str = COUNTRY):
    ws = tmp_path / "ws"
    shutil.copytree(HERE / "data" / "mini" / "criteria", ws / "criteria")
    rubric = ws / "criteria" / "mini.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("accepts: [law]", "accepts: [law, secondary-source]"),
                      encoding="utf-8")
    types = ws / "criteria" / "document-types.yaml"
    types.write_text(types.read_text(encoding="utf-8") + "  - {id: secondary-source, title: Secondary source}\n",
                     encoding="utf-8")
    write(ws / "evidence" / "NOR" / "country.yaml", country)
    return ws


def levels(ws, day):
    s = assess.compute_scores(["NOR"], as_of=day, data=str(ws))
    cs = s.countries[0]
    return {r.criterion.id: (r.status, r.level) for r in cs.criteria}, cs.overall.score


def test_the_small_workspace_is_clean(tmp_path):
    report = assess.check(assess.load_data(str(workspace(tmp_path))))
    assert [p for p in report.problems if "reports in that language" not in p.message] == []


def test_an_observation_counts_from_the_day_observed_while_its_legislature_exists(tmp_path):
    """Mini rubric: t-const weight 2 (c1, c2), t-law weight 1 (l1 weight 2, l2 weight 1).
    t-const is traced, so c2 (no finding; the only other constitution document is
    not adopted yet) is absent: (3 + 0) / 6 = 50.0. t-law is not traced.
    1999-06-14: l1's observation not yet made -> l1, l2 not assessed; overall = 50.0.
    1999-06-15: l1 = 2, t-law = 2/3 = 66.67 (l2 not assessed);
                overall = (50 * 2 + 66.67 * 1) / 3 = 55.56.
    2000-12-31: the same. 2001-01-01: the Storting it observed is gone -> 50.0."""
    ws = workspace(tmp_path)
    before, overall = levels(ws, "1999-06-14")
    assert before["c2"] == ("scored", 0) and before["l1"][0] == "not_assessed" and round(overall, 2) == 50.0
    on, overall = levels(ws, "1999-06-15")
    assert on["l1"] == ("scored", 2) and round(overall, 2) == 55.56
    assert round(levels(ws, "2000-12-31")[1], 2) == 55.56
    after, overall = levels(ws, "2001-01-01")
    assert after["l1"][0] == "not_assessed" and round(overall, 2) == 50.0
    why = runner.invoke(app, ["explain", "NOR", "l1", "--as-of", "1999-06-14", "--data", str(ws)]).output
    assert "not yet observed on 1999-06-14: document 'nor-report' observed on 1999-06-15" in why
    assert "(secondary-source; observed 1999-06-15)" in why


def test_a_document_not_adopted_is_never_scored_and_explain_names_it(tmp_path):
    """c2 stays absent (0), not 'not assessed': the awaited amendment is not a
    document in force left uncoded. On 2002-01-01 l1 is not assessed (t-law not
    traced) and explain names the new assembly's rules as not adopted as of
    2002-03-01; on 2000-06-01 the new assembly does not exist yet, so they are
    not named."""
    ws = workspace(tmp_path)
    assert levels(ws, "2002-01-01")[0]["c2"] == ("scored", 0)
    r = runner.invoke(app, ["explain", "NOR", "l1", "--as-of", "2002-01-01", "--data", str(ws)])
    assert r.exit_code == 0, r.output
    assert "expected but not adopted yet" in r.output
    assert "nor-new-rules - Rules of the new assembly (law; not adopted as of 2002-03-01)" in r.output
    assert "Announced, not adopted." in r.output
    earlier = runner.invoke(app, ["explain", "NOR", "l1", "--as-of", "2000-06-01", "--data", str(ws)]).output
    assert "nor-new-rules" not in earlier
    # the report's "code these next" list carries the same reason
    context = assess.report_context(["NOR"], as_of="2002-01-01", data=str(ws), draws=0)
    entry = next(x for x in context["to_code"] if x["criterion"] == "l1")
    assert entry["awaited_text"] == "Rules of the new assembly: none adopted as of 01 Mar 2002"
    html = assess.render_html(context)
    assert "Not adopted yet: Rules of the new assembly: none adopted as of" in html


@pytest.mark.parametrize("record, field, fragment", [
    ("  - {id: x, type: law, title: X, not_adopted_as_of: 2002-03-01, in_force_from: 2001-01-01, url: https://e.org}",
     "in_force_from", "a document not adopted yet (not_adopted_as_of) has no in_force_from"),
    ("  - {id: x, type: law, title: X, observed: 2002-03-01, in_force_to: 2003-01-01, url: https://e.org}",
     "in_force_to", "an observation (observed) is not in force"),
    ("  - {id: x, type: law, title: X, url: https://e.org}",
     "in_force_from", "required field is missing for a document"),
])
def test_dates_that_contradict_what_a_document_is_are_errors(tmp_path, record, field, fragment):
    ws = workspace(tmp_path, COUNTRY.replace("findings:", record + "\nfindings:"))
    errors = assess.check(assess.load_data(str(ws))).errors
    assert any(p.field == field and fragment in p.message for p in errors), "\n".join(map(str, errors))


def test_no_finding_may_cite_a_document_not_adopted(tmp_path):
    ws = workspace(tmp_path, COUNTRY + "  - {id: nor-l2, criterion: l2, document: nor-new-rules, locator: Art. 1, quote: Q., level: 2}\n")
    errors = assess.check(assess.load_data(str(ws))).errors
    assert any("document 'nor-new-rules' is recorded as not adopted yet" in p.message for p in errors)


def test_kazakhstan_today_names_the_kurultai_documents_not_adopted():
    """Shipped data: after 30 Jun 2026 the internal criteria are not assessed and
    explain says the Kurultai's rules of procedure are not adopted as of
    2026-12-01; law-parliament-status adds the constitutional law on the
    Kurultai. As of 2021 neither is named (the Kurultai exists from 2026-07-01)."""
    r = runner.invoke(app, ["explain", "KAZ", "int-chamber-procedures", "--as-of", "2026-12-01", "--data", str(REPO)])
    assert "kaz-kurultai-regulations - Rules of procedure (Regulations) of the Kurultai of the Republic of Kazakhstan " \
           "(rules-of-procedure; not adopted as of 2026-12-01; confidence low)" in r.output
    r = runner.invoke(app, ["explain", "KAZ", "law-parliament-status", "--as-of", "2026-12-01", "--data", str(REPO)])
    assert "kaz-constitutional-law-kurultai" in r.output and "not adopted as of 2026-12-01" in r.output
    r = runner.invoke(app, ["explain", "KAZ", "int-strategy", "--as-of", "2021-06-30", "--data", str(REPO)])
    assert "kaz-kurultai-regulations" not in r.output


def test_the_implementation_rubric_counts_the_article_from_the_day_it_observed():
    """Shipped data: the six implementation findings all cite the 2021 article,
    observed on (about) 5 Jun 2021, each at level 1 of 3, every weight equal:
    33.3 from 2021-06-05 to the Parliament's last day, 2026-06-30; nothing
    assessed the day before or after."""
    def overall(day):
        s = assess.compute_scores(["KAZ"], as_of=day, rubric="implementation", data=str(REPO))
        o = s.countries[0].overall
        return o.scored, None if o.score is None else round(o.score, 1)

    assert overall("2021-06-04") == (0, None)
    assert overall("2021-06-05") == (6, 33.3)
    assert overall("2026-06-30") == (6, 33.3)
    assert overall("2026-07-01") == (0, None)


# ---------------------------------------------------------------- verify --record

def fre_copy(tmp_path):
    """The FRE source-text fixture as a country with a usable code (XFR, a
    user-assigned code: a warning, not an error), so that it can be scored."""
    ws = tmp_path / "fre"
    shutil.copytree(HERE / "data" / "sources" / "workspace", ws)
    (ws / "evidence" / "FRE").rename(ws / "evidence" / "XFR")
    country = ws / "evidence" / "XFR" / "country.yaml"
    country.write_text(country.read_text(encoding="utf-8").replace("iso3: FRE", "iso3: XFR"), encoding="utf-8")
    return ws


def states(ws):
    return {f.id: f.verification for f in assess.load_data(str(ws)).countries["XFR"].findings}


def test_verify_record_writes_checks_that_the_scores_read(tmp_path):
    """tests/test_sources_verify.py: five findings are found at their locators
    (fre-treaties-right, fre-status-ru, fre-agreements-kk, fre-posts-letter,
    fre-war-subitem). Before: con-war-peace is 3, decided by fre-war-close and
    fre-war-subitem, both unchecked, so the level is starred (verified False).
    --record writes five records; after it fre-war-subitem is checked against a
    source text, and under the `highest` rule one checked deciding finding is
    enough: verified True. Of the five claims (verified: true), four are now
    backed by a record; fre-treaties-wrong-item, which no text confirms, stays a
    claim."""
    ws = fre_copy(tmp_path)
    path = ws / "evidence" / "XFR" / "constitution.yaml"
    original = path.read_text(encoding="utf-8")

    def war_peace():
        s = assess.compute_scores(["XFR"], as_of="2020-01-01", data=str(ws))
        return next(r for r in s.countries[0].criteria if r.criterion.id == "con-war-peace")

    assert war_peace().level == 3 and war_peace().verified is False
    assert states(ws)["fre-war-subitem"] == UNCHECKED

    r = runner.invoke(app, ["verify", "XFR", "--record", "--data", str(ws)])
    assert "check records: 5 written" in r.output, r.output
    after = states(ws)
    assert sorted(f for f, s in after.items() if s == SOURCE_TEXT) == [
        "fre-agreements-kk", "fre-posts-letter", "fre-status-ru", "fre-treaties-right", "fre-war-subitem"]
    assert after["fre-treaties-wrong-item"] == "claimed" and after["fre-war-close"] == UNCHECKED
    assert war_peace().verified is True
    # only lines were added: every original line is still there, in order
    new = path.read_text(encoding="utf-8")
    added = [line for line in new.splitlines() if line not in original.splitlines()]
    assert len(new.splitlines()) - len(original.splitlines()) == 5 * 6 == len(added)
    assert "      method: source-text" in added and "      by: assess verify" in added
    # explain shows the record
    why = runner.invoke(app, ["explain", "XFR", "con-war-peace", "--as-of", "2020-01-01", "--data", str(ws)]).output
    assert "fre-war-subitem [DECIDES] level 3, checked against a source text" in why
    assert "found by assess verify on" in why and "fre-constitution.en.txt, Art. 8(3)(b)" in why
    # a second run changes nothing
    again = runner.invoke(app, ["verify", "XFR", "--record", "--data", str(ws)])
    assert "check records: nothing to write" in again.output and path.read_text(encoding="utf-8") == new


def test_a_record_the_text_no_longer_confirms_fails_verify_and_record_removes_it(tmp_path):
    ws = fre_copy(tmp_path)
    runner.invoke(app, ["verify", "XFR", "--record", "--data", str(ws)])
    text = ws / "evidence" / "XFR" / "sources" / "fre-constitution.en.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("to meet the international obligations of the Republic",
                                                             "to honour its word"), encoding="utf-8")
    r = runner.invoke(app, ["verify", "XFR", "--data", str(ws)])
    assert r.exit_code == 1
    assert "finding 'fre-war-subitem' has a check record of assess verify (method: source-text), but the quote is not in Art. 8(3)(b)" in r.output
    r = runner.invoke(app, ["verify", "XFR", "--record", "--data", str(ws)])
    assert "removed: XFR fre-war-subitem" in r.output and "check records: 1 written" in r.output
    assert states(ws)["fre-war-subitem"] == UNCHECKED


def test_record_never_replaces_a_coders_check_and_never_writes_shipped_data(tmp_path):
    ws = fre_copy(tmp_path)
    path = ws / "evidence" / "XFR" / "constitution.yaml"
    text = path.read_text(encoding="utf-8")
    coder = ("    check: {by: aa, date: 2026-01-01, against: Freedonian Gazette, official: false, verbatim: true}\n")
    path.write_text(text.replace("    coder: fixture\n\n  - id: fre-treaties-wrong-item",
                                 "    coder: fixture\n" + coder + "\n  - id: fre-treaties-wrong-item"), encoding="utf-8")
    r = runner.invoke(app, ["verify", "XFR", "--record", "--data", str(ws)])
    assert "not recorded: XFR fre-treaties-right" in r.output and "has a check record of its own (aa)" in r.output
    assert "check records: 4 written" in r.output
    assert coder in path.read_text(encoding="utf-8")
    shipped = runner.invoke(app, ["verify", "KAZ", "--record"])
    assert shipped.exit_code != 0 and "read-only" in shipped.output


def test_a_recorded_check_survives_the_workbook_round_trip(tmp_path):
    """The record is columns of the Findings sheet (check_by, check_date,
    check_against, check_method, check_verbatim ...); a workbook made and
    imported with no edits leaves the file byte for byte."""
    ws = fre_copy(tmp_path)
    runner.invoke(app, ["verify", "XFR", "--record", "--data", str(ws)])
    path = ws / "evidence" / "XFR" / "constitution.yaml"
    before = path.read_bytes()
    book = tmp_path / "XFR.xlsx"
    r = runner.invoke(app, ["template", "XFR", "--out", str(book), "--data", str(ws)])
    assert r.exit_code == 0, r.output
    header = [c.value for c in openpyxl.load_workbook(book)["Findings"][1]]
    assert "check_method" in header
    r = runner.invoke(app, ["import", str(book), "--data", str(ws)])
    assert r.exit_code == 0, r.output
    assert path.read_bytes() == before
