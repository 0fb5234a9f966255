"""`assess template` and `assess import`: the data-entry workbook round trip.

The promises tested here: a workbook made from a country's files and read
back with no edits changes nothing (byte for byte); read into an empty
workspace it gives evidence that loads to the same records; an edit changes
only the records edited (unchanged fields keep their original lines); every
problem names the cell it comes from; an existing file is never replaced
without --force (or a yes at the prompt).
"""

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import assess
from assess.cli import app
from conftest import REPO

runner = CliRunner()


def copy_repo_data(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "criteria", dest / "criteria")
    shutil.copytree(REPO / "evidence", dest / "evidence")
    return dest


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def make_template(ws: Path, country: str, out: Path, *extra: str) -> Path:
    r = runner.invoke(app, ["template", country, "--out", str(out), "--data", str(ws), *extra])
    assert r.exit_code == 0, r.output
    return out


def import_(book: Path, *args: str):
    return runner.invoke(app, ["import", str(book), *args])


def header(ws) -> list:
    return [c.value for c in ws[1]]


def find_row(ws, record_id: str) -> int:
    col = header(ws).index("id") + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col).value == record_id:
            return r
    raise AssertionError(record_id)


def set_cell(ws, record_id: str, column: str, value) -> str:
    r = find_row(ws, record_id)
    c = header(ws).index(column) + 1
    ws.cell(r, c).value = value
    return f"{openpyxl.utils.get_column_letter(c)}{r}"


def same_records(a, b, code: str) -> None:
    """Two workspaces hold the same evidence for a country: every field of
    every document and finding, and the country block (source lines aside)."""
    ea, eb = a.countries[code], b.countries[code]
    strip = lambda rec: {k: v for k, v in vars(rec).items() if k != "source"} if hasattr(rec, "__dict__") else {
        k: getattr(rec, k) for k in rec.__slots__ if k != "source"}
    assert sorted(ea.documents) == sorted(eb.documents)
    for i in ea.documents:
        assert strip(ea.documents[i]) == strip(eb.documents[i]), i
    fa = {f.id: strip(f) for f in ea.findings}
    fb = {f.id: strip(f) for f in eb.findings}
    assert fa == fb
    assert ea.country.iso3 == eb.country.iso3 and ea.country.name == eb.country.name
    assert ea.country.legislatures == eb.country.legislatures


# ---------------------------------------------------------------- lossless


@pytest.mark.parametrize("code", ["KAZ", "RUS"])
def test_template_then_import_with_no_edits_leaves_every_file_byte_identical(tmp_path, code):
    ws = copy_repo_data(tmp_path / "ws")
    before = snapshot(ws / "evidence" / code)
    book = make_template(ws, code, tmp_path / f"{code}.xlsx")
    r = import_(book, "--data", str(ws))
    assert r.exit_code == 0, r.output
    assert f"nothing to change: the evidence files of {code} already match the workbook" in r.output
    assert snapshot(ws / "evidence" / code) == before
    # and so does a workbook that went through a spreadsheet program's save
    if shutil.which("soffice"):
        out = tmp_path / "resaved"
        subprocess.run(["soffice", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(book)],
                       check=True, capture_output=True, timeout=180)
        r = import_(out / book.name, "--data", str(ws))
        assert r.exit_code == 0 and "nothing to change" in r.output, r.output
        assert snapshot(ws / "evidence" / code) == before


def test_import_into_an_empty_workspace_gives_the_same_evidence_and_scores(tmp_path):
    ws = copy_repo_data(tmp_path / "ws")
    book = make_template(ws, "KAZ", tmp_path / "kaz.xlsx")
    r = import_(book, "--into", str(tmp_path / "fresh"))
    assert r.exit_code == 0, r.output
    written = sorted(p.name for p in (tmp_path / "fresh" / "evidence" / "KAZ").iterdir())
    assert written == sorted(p.name for p in (ws / "evidence" / "KAZ").iterdir())  # records stay in their files
    original, fresh = assess.load_data(str(ws)), assess.load_data(str(tmp_path / "fresh"))
    assert assess.check(fresh).errors == []
    same_records(original, fresh, "KAZ")
    for as_of in ("2021-06-30", "2026-11-28"):
        a = assess.scores_to_json(assess.compute_scores(["KAZ"], as_of=as_of, data=str(ws)))
        b = assess.scores_to_json(assess.compute_scores(["KAZ"], as_of=as_of, data=str(tmp_path / "fresh")))
        assert a == b
    # the files the importer writes round-trip byte for byte too
    first = snapshot(tmp_path / "fresh" / "evidence" / "KAZ")
    book2 = make_template(tmp_path / "fresh", "KAZ", tmp_path / "kaz2.xlsx")
    assert "nothing to change" in import_(book2, "--into", str(tmp_path / "fresh")).output
    assert snapshot(tmp_path / "fresh" / "evidence" / "KAZ") == first
    r = import_(book2, "--into", str(tmp_path / "again"))
    assert snapshot(tmp_path / "again" / "evidence" / "KAZ") == first  # deterministic


# ---------------------------------------------------------------- edits


def test_an_edited_level_changes_that_line_only_and_needs_force(tmp_path):
    ws = copy_repo_data(tmp_path / "ws")
    folder = ws / "evidence" / "KAZ"
    before = snapshot(folder)
    book = make_template(ws, "KAZ", tmp_path / "kaz.xlsx")
    wb = openpyxl.load_workbook(book)
    set_cell(wb["Findings"], "kaz-fpc-scope-2020", "level", 3)
    wb.save(book)

    r = import_(book, "--data", str(ws))  # not a terminal: shows the diff, refuses
    assert r.exit_code == 1
    assert "-    level: 2\n+    level: 3\n" in r.output
    assert "concept.yaml: ~ finding kaz-fpc-scope-2020" in r.output
    assert "rerun with --force" in r.output
    assert snapshot(folder) == before

    r = import_(book, "--data", str(ws), "--dry-run")
    assert r.exit_code == 0 and "dry run: nothing written" in r.output and snapshot(folder) == before

    r = import_(book, "--data", str(ws), "--force")
    assert r.exit_code == 0, r.output
    after = snapshot(folder)
    assert [n for n in after if after[n] != before[n]] == ["concept.yaml"]
    old, new = before["concept.yaml"].decode().splitlines(), after["concept.yaml"].decode().splitlines()
    assert len(old) == len(new)
    assert [(a, b) for a, b in zip(old, new) if a != b] == [("    level: 2", "    level: 3")]
    # the scores move as the README's drift example says: concept tier +11.11
    r = runner.invoke(app, ["check", "--data", str(ws), "--baseline", str(REPO / "baselines" / "four-tier.json")])
    assert r.exit_code == 3 and "kaz-fpc-scope-2020" in r.output


def test_new_and_removed_rows_are_added_and_removed_and_comments_elsewhere_survive(tmp_path):
    ws = copy_repo_data(tmp_path / "ws")
    folder = ws / "evidence" / "KAZ"
    book = make_template(ws, "KAZ", tmp_path / "kaz.xlsx")
    wb = openpyxl.load_workbook(book)
    sheet = wb["Findings"]
    cols = header(sheet)
    sheet.delete_rows(find_row(sheet, "kaz-fpc-continuity-2020"))
    r = sheet.max_row + 1
    values = {"id": "kaz-fpc-new-1", "criterion": "fpc-scope", "document": "kaz-fpc-2020",
              "locator": "Chapter 5", "quote": "=HYPERLINK(\"http://x\")", "level": 1, "verified": "no", "coder": "ab"}
    for name, value in values.items():
        sheet.cell(r, cols.index(name) + 1).value = value
    sheet.cell(r, cols.index("quote") + 1).data_type = "s"
    docs = wb["Documents"]
    fill_row(docs, docs.max_row + 1, {"id": "kaz-law-new", "type": "law", "title_en": "A new law", "in_force_from": dt.date(2024, 1, 1)})
    wb.save(book)
    r = import_(book, "--data", str(ws), "--force")
    assert r.exit_code == 0, r.output
    assert "- finding kaz-fpc-continuity-2020" in r.output and "+ finding kaz-fpc-new-1" in r.output
    text = (folder / "concept.yaml").read_text(encoding="utf-8")
    assert "kaz-fpc-continuity-2020" not in text
    assert text.startswith((REPO / "evidence" / "KAZ" / "concept.yaml").read_text(encoding="utf-8").split("\n", 1)[0])  # the header comment
    assert "  - id: kaz-fpc-new-1\n    criterion: fpc-scope\n    document: kaz-fpc-2020\n" in text
    assert "quote: =HYPERLINK(\"http://x\")" in text  # text, never a formula
    assert "- id: kaz-law-new\n    type: law\n" in (folder / "laws.yaml").read_text(encoding="utf-8")  # beside the other laws
    loaded = assess.load_data(str(ws))
    assert assess.check(loaded).errors == []
    assert any(f.id == "kaz-fpc-new-1" and f.level == 1 for f in loaded.countries["KAZ"].findings)


# ---------------------------------------------------------------- errors


def test_errors_point_at_cells_all_at_once_and_nothing_is_written(tmp_path):
    ws = copy_repo_data(tmp_path / "ws")
    folder = ws / "evidence" / "KAZ"
    before = snapshot(folder)
    book = make_template(ws, "KAZ", tmp_path / "kaz.xlsx")
    wb = openpyxl.load_workbook(book)
    level = set_cell(wb["Findings"], "kaz-fpc-scope-2020", "level", 5)
    adopted = set_cell(wb["Documents"], "kaz-fpc-2020", "adopted", "2020-02-30")
    kind = set_cell(wb["Documents"], "kaz-fpc-2020", "type", "decreee")
    wb["Findings"].cell(1, 30).value = "levle"
    wb.save(book)
    r = subprocess.run([sys.executable, "-m", "assess", "import", str(book), "--data", str(ws), "--force"],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert f"Findings!{level}: level: level 5 is outside the scale 0-3" in r.stderr
    assert f"Documents!{adopted}: adopted: expected a date as YYYY-MM-DD, got '2020-02-30'" in r.stderr
    assert f"Documents!{kind}: type: " in r.stderr and "decree" in r.stderr
    assert "Findings!AD1: unknown column 'levle' (did you mean 'level'?)" in r.stderr
    assert "nothing written" in r.stderr
    assert snapshot(folder) == before


@pytest.mark.parametrize("damage, expected", [
    (lambda wb: wb.remove(wb["Legislatures"]), "Legislatures: the workbook has no sheet 'Legislatures'"),
    (lambda wb: set_cell(wb["Findings"], "kaz-fpc-scope-2020", "id", "kaz-fpc-continuity-2020"), "duplicate finding id 'kaz-fpc-continuity-2020'"),
    (lambda wb: wb["Country"].cell(2, 2, "kz"), "Country!B2: iso3: expected an ISO 3166-1 alpha-3 code"),
    (lambda wb: wb["Legislatures"].cell(3, 2, "kaz-parlament"), "Legislatures!B3: chamber_of: no legislature 'kaz-parlament'"),
    (lambda wb: set_cell(wb["Documents"], "kaz-fpc-2020", "file", "../x.yaml"), "'../x.yaml' is not an evidence file name"),
])
def test_workbook_mistakes_are_named_by_cell(tmp_path, damage, expected):
    ws = copy_repo_data(tmp_path / "ws")
    book = make_template(ws, "KAZ", tmp_path / "kaz.xlsx")
    wb = openpyxl.load_workbook(book)
    damage(wb)
    wb.save(book)
    r = import_(book, "--data", str(ws), "--force")
    assert r.exit_code == 1 and expected in r.output, r.output


def test_a_file_that_is_not_a_workbook_is_refused_cleanly(tmp_path):
    bad = tmp_path / "kaz.xlsx"
    bad.write_text("not a zip", encoding="utf-8")
    r = import_(bad, "--into", str(tmp_path / "ws"))
    assert r.exit_code == 1 and "cannot read it as an .xlsx workbook" in r.output


def test_import_needs_a_workspace_other_than_the_shipped_data(tmp_path):
    book = make_template(REPO, "KAZ", tmp_path / "kaz.xlsx")
    r = import_(book)
    assert r.exit_code == 2 and "no workspace to import into" in r.output


def test_template_refuses_a_country_whose_files_have_errors(tmp_path):
    ws = copy_repo_data(tmp_path / "ws")
    path = ws / "evidence" / "KAZ" / "concept.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("level: 2", "level: two", 1), encoding="utf-8")
    r = runner.invoke(app, ["template", "KAZ", "--out", str(tmp_path / "k.xlsx"), "--data", str(ws)])
    assert r.exit_code == 1 and "concept.yaml" in r.output and "fix them before making a workbook" in r.output
    assert not (tmp_path / "k.xlsx").exists()


# ---------------------------------------------------------------- the workbook itself


def test_the_workbook_has_dropdowns_from_a_hidden_lists_sheet_date_checks_and_criterion_prompts(tmp_path):
    book = make_template(REPO, "KAZ", tmp_path / "kaz.xlsx")
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:5] == ["Instructions", "Country", "Legislatures", "Documents", "Findings"]
    assert wb["Lists"].sheet_state == "hidden"
    rubric = assess.pick_rubric(assess.load_data(None))
    criteria = [c for r in assess.load_data(None).rubrics.values() for c in r.criteria]
    lists = wb["Lists"]
    assert [lists.cell(r, 1).value for r in range(2, 2 + len(criteria))][0].startswith(f"{rubric.criteria[0].id} — ")
    # every list dropdown refers to a defined name or a range, never an inline list (255-character limit)
    findings = wb["Findings"]
    validations = findings.data_validations.dataValidation
    lists_used = {dv.formula1 for dv in validations if dv.type == "list"}
    assert {"assess_criteria", "assess_levels", "assess_yes_no", "assess_coders"} <= lists_used
    assert not any(f.startswith('"') for f in lists_used)
    assert set(wb.defined_names) >= {"assess_criteria", "assess_levels", "assess_document_types"}
    # the level cell of a finding shows its criterion's question and levels
    row = find_row(findings, "kaz-fpc-scope-2020")
    level_cell = f"{openpyxl.utils.get_column_letter(header(findings).index('level') + 1)}{row}"
    dv = next(dv for dv in validations if level_cell in dv.sqref)
    criterion = next(c for c in criteria if c.id == "fpc-scope")
    assert dv.prompt.startswith(criterion.question.get("en")[:100]) and len(dv.prompt) <= 255
    assert dv.promptTitle == "fpc-scope"
    # date columns take dates, or a day before 1900-03-01 as the text YYYY-MM-DD (issue #18)
    dates = [dv for dv in wb["Documents"].data_validations.dataValidation if dv.type == "custom" and "DATE(1900,3,1)" in dv.formula1]
    assert {str(dv.sqref).split(":")[0].rstrip("0123456789") for dv in dates} == {
        openpyxl.utils.get_column_letter(header(wb["Documents"]).index(c) + 1)
        for c in ("adopted", "in_force_from", "in_force_to", "observed", "not_adopted_as_of", "register_edition")}
    assert isinstance(wb["Documents"].cell(find_row(wb["Documents"], "kaz-fpc-2020"), header(wb["Documents"]).index("adopted") + 1).value, dt.datetime)
    # the checklist: criteria not coded yet get a row naming them
    coded = {f.criterion for f in assess.load_data(None).countries["KAZ"].findings}
    open_rows = [findings.cell(r, 3).value for r in range(2, findings.max_row + 1)
                 if findings.cell(r, 3).value and not findings.cell(r, 2).value]
    assert [v.split(" — ")[0] for v in open_rows] == [c.id for c in rubric.criteria if c.id not in coded]


def test_a_workbook_for_a_country_without_evidence_yet_lists_every_criterion(tmp_path):
    book = make_template(REPO, "NLD", tmp_path / "nld.xlsx")
    wb = openpyxl.load_workbook(book)
    assert [c.value for c in wb["Country"][2]][1:3] == ["NLD", "Netherlands"]
    rubric = assess.pick_rubric(assess.load_data(None))
    assert wb["Findings"].max_row - 1 == len(rubric.criteria)


def test_the_template_speaks_russian(tmp_path):
    book = make_template(REPO, "KAZ", tmp_path / "kaz.xlsx", "--lang", "ru")
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[0] == "Инструкция" and "Критерии" in wb.sheetnames
    assert "Заполните листы" in "\n".join(str(c.value) for c in wb["Инструкция"]["A"])
    lists = [wb["Lists"].cell(r, 1).value for r in range(2, 6)]
    assert any("Ратификация" in v or "ратификац" in v.lower() for v in lists), lists


def test_template_output_must_be_xlsx(tmp_path):
    r = runner.invoke(app, ["template", "KAZ", "--out", str(tmp_path / "kaz.csv")])
    assert r.exit_code == 2 and ".xlsx" in r.output


# ---------------------------------------------------------------- a third country, end to end


def fill_row(ws, row: int, values: dict) -> None:
    cols = header(ws)
    for name, value in values.items():
        ws.cell(row, cols.index(name) + 1).value = value


def test_a_new_user_adds_a_third_country_and_reports_it_beside_kaz_and_rus(tmp_path):
    """The README walkthrough: new, template, fill the workbook, import,
    validate, report. Scores worked by hand: one constitution finding at
    level 3 on con-treaties (3/3 = 100) and one at level 1 on
    con-war-peace (1/3 = 33.3): constitution tier mean 66.7, the only
    tier assessed, so the overall index is 66.7."""
    ws = copy_repo_data(tmp_path / "ws")
    assert runner.invoke(app, ["new", "NLD", "--data", str(ws)]).exit_code == 0
    book = make_template(ws, "NLD", tmp_path / "nld.xlsx")
    wb = openpyxl.load_workbook(book)
    fill_row(wb["Legislatures"], 2, {"id": "nld-states-general", "name_en": "States General", "from": dt.date(1815, 3, 16)})
    fill_row(wb["Legislatures"], 3, {"id": "nld-senate", "chamber_of": "nld-states-general", "name_en": "Senate", "from": dt.date(1815, 3, 16)})
    fill_row(wb["Documents"], 2, {"id": "nld-constitution", "type": "constitution", "title_en": "Constitution of the Kingdom of the Netherlands",
                                  "adopted": dt.date(1983, 2, 17), "in_force_from": dt.date(1983, 2, 17),
                                  "url": "https://www.government.nl/documents/regulations/2019/02/28/the-constitution-of-the-kingdom-of-the-netherlands"})
    findings = wb["Findings"]
    crit_col = header(findings).index("criterion") + 1
    rows = {findings.cell(r, crit_col).value.split(" — ")[0]: r for r in range(2, findings.max_row + 1) if findings.cell(r, crit_col).value}
    fill_row(findings, rows["con-treaties"], {"id": "nld-con-treaties-1", "document": "nld-constitution", "locator": "Art. 91(1)",
                                              "quote": "The Kingdom shall not be bound by treaties ... without the prior approval of the States General.",
                                              "level": 3, "verified": "no", "coder": "xy"})
    fill_row(findings, rows["con-war-peace"], {"id": "nld-con-fp-1", "document": "nld-constitution", "locator": "Art. 90",
                                                    "quote": "The Government shall promote the development of the international legal order.",
                                                    "level": 1, "verified": "no", "coder": "xy"})
    wb.save(book)
    r = import_(book, "--data", str(ws), "--force")
    assert r.exit_code == 0, r.output
    assert "14 checklist row(s) not filled in were skipped" in r.output
    assert runner.invoke(app, ["validate", "--data", str(ws)]).exit_code == 0
    r = runner.invoke(app, ["score", "NLD", "--data", str(ws), "--as-of", "2026-11-28", "--format", "json"])
    import json
    scores = json.loads(r.output)
    assert round(scores["countries"][0]["overall"], 1) == 66.7, r.output
    r = runner.invoke(app, ["report", "KAZ", "RUS", "NLD", "--data", str(ws), "--out", str(tmp_path / "out"), "--draws", "0"])
    assert r.exit_code == 0, r.output
    html = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "Netherlands" in html and "Kazakhstan" in html and "Russia" in html


def test_a_dry_run_into_a_new_folder_makes_nothing(tmp_path):
    """`import --into NEW --dry-run` lists the files it would write and leaves
    NEW uncreated; without --dry-run the same import makes NEW/evidence/KAZ."""
    ws = copy_repo_data(tmp_path / "ws")
    book = make_template(ws, "KAZ", tmp_path / "kaz.xlsx")
    target = tmp_path / "new"
    r = import_(book, "--into", str(target), "--dry-run")
    assert r.exit_code == 0, r.output
    assert "dry run: nothing written" in r.output and not target.exists()
    r = import_(book, "--into", str(target), "--force")
    assert r.exit_code == 0, r.output
    assert (target / "evidence" / "KAZ" / "country.yaml").is_file()


def _excel_rule(formula: str, cell: str, value) -> bool:
    """Evaluates the date cells' validation formula (template.date_rule) for one
    value, the way a spreadsheet does: a date is a day number, text is text."""
    import re as _re

    def number(v):
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    def value_of(text):
        try:
            return float(text)
        except (TypeError, ValueError):
            return "#VALUE!"

    serial = (lambda d: (d - dt.date(1899, 12, 30)).days)
    env = {
        "OR": lambda *a: any(a), "AND": lambda *a: all(a), "ISNUMBER": number, "ISTEXT": lambda v: isinstance(v, str),
        "LEN": lambda v: len(v), "MID": lambda v, s, n: v[s - 1:s - 1 + n], "LEFT": lambda v, n: v[:n],
        "RIGHT": lambda v, n: v[-n:], "VALUE": value_of, "DATE": lambda y, m, d: serial(dt.date(y, m, d)),
        "v": serial(value) if isinstance(value, dt.date) else value,
    }
    code = formula.replace(cell, "v").replace(">=", "≥").replace("<=", "≤").replace("=", "==").replace("≥", ">=").replace("≤", "<=")
    # AND stops at the first false, as a spreadsheet's does for these arguments (no error escapes a false ISTEXT)
    code = _re.sub(r"\bAND\(", "AND_(", code)
    env["AND_"] = None

    def and_(*thunks):
        return all(t() for t in thunks)

    # make each AND argument lazy
    def lazy(src):
        out, depth, i = [], 0, 0
        while i < len(src):
            if src.startswith("AND_(", i):
                j, depth2, args, start = i + 5, 1, [], i + 5
                while depth2:
                    ch = src[j]
                    if ch == "(":
                        depth2 += 1
                    elif ch == ")":
                        depth2 -= 1
                    if (ch == "," and depth2 == 1) or depth2 == 0:
                        args.append(src[start:j])
                        start = j + 1
                    j += 1
                out.append("AND_(" + ",".join(f"lambda: ({lazy(a)})" for a in args) + ")")
                i = j
            else:
                out.append(src[i])
                i += 1
        return "".join(out)

    env["AND_"] = and_
    return bool(eval(lazy(code), env))


def test_date_cells_take_a_day_before_1900_as_text():
    """Issue #18: legal documents are older than spreadsheets' dates (the
    Netherlands' States General of 1815). The check lets a real date of
    1900-03-01 or later through, and a day before it typed as YYYY-MM-DD text,
    and nothing else."""
    from assess.entry.template import date_rule

    rule = date_rule("E2")
    assert _excel_rule(rule, "E2", dt.date(2021, 6, 30))
    assert _excel_rule(rule, "E2", "1815-03-16")
    assert not _excel_rule(rule, "E2", "16.03.1815")
    assert not _excel_rule(rule, "E2", "soon")
    assert not _excel_rule(rule, "E2", dt.date(2200, 1, 1))
    assert not _excel_rule(rule, "E2", 12.5 - 1e6)  # a number that is no day in range
