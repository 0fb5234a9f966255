"""The report workbook in bounded memory (issue #19 §4) writes the bytes it
wrote whole: each finished sheet written out and its cells let go before the
next is built (FastExcelWriter.write_early), the cell table written in parts
(xlsx_writer.ROWS_CHUNK) and the sheets put into the final archive in chunks
(stable_zip's stream=, xlsx._implicit_cell_refs_chunks). Here the workbook is
also built the way it was before (all sheets, then one save, then the whole
archive through stable_zip's transform), and the two files must be the same
bytes; the chunked rewrite of the cell table must equal the whole one
wherever the chunks are cut."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile

import pytest

import assess.api as api
import assess.output.render.xlsx as xlsx
import assess.output.render.xlsx_writer as xlsx_writer
from assess.common.messages import load_messages
from assess.common.xlsxzip import stable_zip

from conftest import MINI, REPO

GENERATED = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)


def whole(context) -> bytes:
    """The workbook as it was built before: every sheet held, one save, the archive rewritten whole."""
    msg = load_messages(api.templates_dir(), context["lang"])
    wb = xlsx.build_workbook(context, msg)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        xlsx_writer.FastExcelWriter(wb, archive).save()
    return stable_zip(raw.getvalue(), transform=xlsx._sheet_content)


@pytest.fixture
def small_parts(monkeypatch):
    # tiny parts and chunks, so that even a two-country workbook is written in many pieces
    monkeypatch.setattr(xlsx_writer, "ROWS_CHUNK", 7)
    monkeypatch.setattr("assess.common.xlsxzip.CHUNK", 997)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_shipped_workbook_streamed_same_bytes(lang, small_parts):
    context = api.report_context(["KAZ", "RUS"], as_of="2021-06-30", data=str(REPO), generated=GENERATED, draws=50, lang=lang)
    msg = load_messages(api.templates_dir(), lang)
    assert xlsx.workbook_bytes(context, msg) == whole(context)


def test_mini_workbook_streamed_same_bytes(small_parts):
    context = api.report_context(["NLD", "FRA"], as_of="2012-06-30", data=str(MINI), generated=GENERATED, draws=20)
    assert xlsx.workbook_bytes(context, load_messages(api.templates_dir(), "en")) == whole(context)


def test_chunked_cell_references_equal_the_whole_rewrite():
    context = api.report_context(["KAZ", "RUS"], as_of="2021-06-30", data=str(REPO), generated=GENERATED, draws=0)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as archive:
        xlsx_writer.FastExcelWriter(xlsx.build_workbook(context, load_messages(api.templates_dir(), "en")), archive).save()
    with zipfile.ZipFile(raw) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    odd = [b"", b"<worksheet><sheetData /></worksheet>", b'<x><sheetData><row r="1"><c r="B1"/></row>',
           b'<x><sheetData><row r="1"><c r="A1"/><c r="C1"/></row></sheetData></x>']
    rng = random.Random(19)
    for xml in sheets + odd:
        expected = xlsx._implicit_cell_refs(xml)
        assert expected != xml or xml in odd  # the rewrite does something on a real sheet
        for _ in range(30):
            cuts = sorted(rng.sample(range(1, len(xml)), min(len(xml) - 1, rng.randint(0, 40)))) if len(xml) > 1 else []
            pieces = [xml[a:b] for a, b in zip([0] + cuts, cuts + [len(xml)])]
            assert b"".join(xlsx._implicit_cell_refs_chunks(iter(pieces))) == expected
