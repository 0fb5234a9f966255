"""The workbook printed and read by others (issue 17 §4): A4 on every sheet, header rows repeated,
never squeezed below 75% of the text's size, the timeline chart on a page of its own; and the cell
references the writer leaves implicit (a cell that follows its neighbour) read back in place by
openpyxl and by LibreOffice."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

import assess.api as api
import assess.output.render.xlsx as xlsx
from assess.common.messages import load_messages

from conftest import FROZEN


@pytest.fixture(scope="module")
def shipped():
    ctx = api.report_context(["KAZ", "RUS"], as_of="2026-11-28", data=str(FROZEN), draws=50)
    return ctx, xlsx.workbook_bytes(ctx, load_messages(api.templates_dir(), "en"))


def test_every_sheet_prints_on_a4_legibly(shipped):
    _, data = shipped
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title  # A4 in SpreadsheetML's paper sizes
        assert ws.oddFooter.right.text == "&P / &N" and ws.oddFooter.left.text == "&A"
        widths = sum(xlsx._column_width(ws, c) for c in range(1, ws.max_column + 1))
        pages = ws.page_setup.fitToWidth
        # fitted to `pages` pages across: each page holds widths / pages characters at 100%,
        # so the print scale is page characters / that, never under MIN_PRINT_SCALE (75%)
        scale = min(1.0, xlsx.PAGE_CHARS[ws.page_setup.orientation] / (widths / pages))
        assert scale >= xlsx.MIN_PRINT_SCALE, (ws.title, widths, pages)
        if ws.title != "Methodology":  # a sheet of sections, not one table
            assert ws.print_title_rows == "$1:$1", ws.title
    # the Evidence sheet (17 columns of text) runs across pages with country and criterion repeated,
    # rather than one page wide at about 3 points
    evidence = wb["Evidence"]
    assert evidence.page_setup.fitToWidth >= 2 and evidence.print_title_cols == "$A:$B"
    assert evidence.page_setup.fitToHeight == 0
    # the chart starts a page: a break right above its anchor
    timeline = wb["Timeline"]
    (chart,) = timeline._charts
    anchor_row = chart.anchor._from.row  # 0-based
    assert [b.id for b in timeline.row_breaks.brk] == [anchor_row]


def test_implicit_cell_references_read_back_in_place(shipped):
    ctx, data = shipped
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    # Summary, KAZ (unranked): the overall index is empty, so the cell after it keeps its reference
    assert '<c r="E3"' in sheet and '<c r="A3"' not in sheet
    ws = openpyxl.load_workbook(io.BytesIO(data))["Summary"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    kaz = next(c for c in ctx["ranking"] if c["iso3"] == "KAZ")
    assert rows["KAZ"][2] == "unranked" and rows["KAZ"][3] is None
    assert rows["KAZ"][4] == pytest.approx(kaz["overall_min"]) and rows["KAZ"][5] == pytest.approx(kaz["overall_max"])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_reads_implicit_references_in_place(shipped, tmp_path):
    ctx, data = shipped
    path = tmp_path / "kr.xlsx"
    path.write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "csv",
                    "--outdir", str(tmp_path / "csv"), str(path)], check=True, capture_output=True, timeout=180)
    lines = (tmp_path / "csv" / "kr.csv").read_text(encoding="utf-8").splitlines()
    kaz = next(c for c in ctx["ranking"] if c["iso3"] == "KAZ")
    row = next(line for line in lines if line.startswith("Kazakhstan,KAZ,"))
    # country, code, "unranked", no overall index, then the possible range low and high, in their columns
    cells = row.split(",")
    assert cells[2] == "unranked" and cells[3] == ""
    assert float(cells[4]) == pytest.approx(kaz["overall_min"], abs=1e-6)
    assert float(cells[5]) == pytest.approx(kaz["overall_max"], abs=1e-6)
