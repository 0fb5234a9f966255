"""The workbook's fast paths write what openpyxl itself would.

assess.output.render.xlsx_writer serializes each sheet's cells as one string
(FastRowsWriter) and sets alignments through the workbook's list of them
(_Alignments). Here whole workbooks are saved both ways, openpyxl's
ExcelWriter and the report's, and every part of the two files must be the
same bytes: the sheets, the shared styles, the relationships (hyperlinks)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl.writer.excel import ExcelWriter

import assess.api as api
import assess.output.render.xlsx as xlsx
import assess.output.render.xlsx_writer as xlsx_writer
from assess.common.messages import load_messages

from conftest import MINI, REPO

GENERATED = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
ODD = [
    "  leading and trailing  ", "\ttab first", "line one\nline two\r\nthree", "a & b < c > d \" ' quotes",
    "=1+1", "@SUM(A1)", "#N/A", "   ", "x" * 40000, "Конституция 🇰🇿", "\u2028 separator", "ends with newline\n",
]


def parts(wb, writer_class) -> dict[str, bytes]:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        writer_class(wb, archive).save()
    with zipfile.ZipFile(raw) as z:
        return {name: z.read(name) for name in z.namelist()}


class PublicAlignments:
    """What xlsx._Alignments stands in for: openpyxl's own cell.alignment."""

    def __init__(self, ws):
        pass

    def set(self, cell, alignment):
        cell.alignment = alignment

    def wraps(self, cell):
        return cell.alignment.wrap_text is True

    def known(self, *alignments):
        return False  # always the column-by-column order openpyxl's iter_rows gave


def public_put(cell, value, number_format=None):
    """xlsx._put through openpyxl's public cell.value, as it was written first."""
    if value is None:
        return
    if isinstance(value, float) and value != value:
        return
    if isinstance(value, dt.datetime):
        cell.value = xlsx._naive_utc(value)
        cell.number_format = number_format or xlsx.TIME_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = number_format or xlsx.DATE_FORMAT
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
        if number_format:
            cell.number_format = number_format
    else:
        cell.value = xlsx._clean_text(str(value))
        cell.data_type = "s"


def public_row(ws, values, formats=None, bold_first=False):
    """xlsx._row as it was written first: a cell for every value, None too."""
    last = getattr(ws, "_current_row", None)
    if last is None:
        last = ws.max_row
    r = last + 1 if last > 1 or ws.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, 1):
        xlsx._put(ws.cell(r, col), value, (formats or {}).get(col))
    if bold_first:
        ws.cell(r, 1).font = xlsx.HEADER_FONT
    return r


@pytest.fixture
def both_ways(monkeypatch):
    def run(context, lang="en"):
        msg = load_messages(api.templates_dir(), lang)
        # two workbooks from the same context (a save hands out style ids): one
        # built and saved with openpyxl's public ways, one the report's way
        with monkeypatch.context() as m:
            m.setattr(xlsx, "_Alignments", PublicAlignments)
            m.setattr(xlsx, "_put", public_put)
            m.setattr(xlsx, "_row", public_row)
            plain = parts(xlsx.build_workbook(context, msg), ExcelWriter)
        cells = []
        real = xlsx_writer._cell_xml
        monkeypatch.setattr(xlsx_writer, "_cell_xml", lambda *a: cells.append(1) or real(*a))
        fast = parts(xlsx.build_workbook(context, msg), xlsx_writer.FastExcelWriter)
        assert cells, "the fast writer was not used"
        return plain, fast
    return run


def assert_same(plain, fast):
    assert plain.keys() == fast.keys()
    for name in plain:
        assert fast[name] == plain[name], name


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_mini_workbook_same_bytes(lang, both_ways):
    context = api.report_context(["NLD", "FRA"], as_of="2012-06-30", data=str(MINI), lang=lang, generated=GENERATED, draws=50)
    assert_same(*both_ways(context, lang))


def test_shipped_workbook_same_bytes(both_ways):
    context = api.report_context(["KAZ", "RUS"], as_of="2021-06-30", data=str(REPO), generated=GENERATED, draws=50)
    assert_same(*both_ways(context))


def test_odd_texts_same_bytes(both_ways):
    # texts that exercise escaping, xml:space, truncation and links in every sheet
    context = api.report_context(["NLD", "FRA"], as_of="2012-06-30", data=str(MINI), generated=GENERATED, draws=20)
    for i, f in enumerate(context["findings"]):
        f["quote"] = ODD[i % len(ODD)]
        f["locator"] = ODD[(i + 1) % len(ODD)]
        f["note"] = ODD[(i + 2) % len(ODD)]
        f["url"] = "https://example.org/a?b=1&c=<2>"
    for group in context["documents"]:
        for d in group["documents"]:
            d["title"] = ODD[len(d["id"]) % len(ODD)]
    plain, fast = both_ways(context)
    assert_same(plain, fast)
    assert b'xml:space="preserve"' in b"".join(fast.values())


def test_no_countries_same_bytes(both_ways):
    context = api.report_context(["NLD", "FRA"], as_of="2012-06-30", data=str(MINI), generated=GENERATED, draws=0)
    context["countries"] = []
    assert_same(*both_ways(context))
