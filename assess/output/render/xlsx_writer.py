"""The workbook's bytes, fast: openpyxl's ExcelWriter with each worksheet's
cell table written as one string (FastRowsWriter), byte for byte what
openpyxl writes itself (tests/test_xlsx_fast.py compares the two).

It leans on openpyxl's private API (WorksheetWriter internals, the cells'
private attributes, cell._writer._set_attributes), so it sits apart from the
sheets' contents (render/xlsx.py): an openpyxl upgrade that moves those is
mended here. assess/__init__.py keeps openpyxl on its et_xmlfile stream,
which this writer needs.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree.ElementTree import _escape_attrib, _escape_cdata

from openpyxl.cell._writer import _set_attributes
from openpyxl.cell.rich_text import CellRichText
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import xmlfile


ROWS_CHUNK = 50_000  # pieces of XML (cells and row tags) written to the sheet's file at a time


class FastRowsWriter(WorksheetWriter):
    """openpyxl's worksheet writer with the cell table (sheetData) written as
    one string instead of an element tree per cell, which is most of the time
    a workbook of 200 countries (300,000 cells) takes to save.

    The bytes are those openpyxl writes: the same rows in the same order, each
    cell's attributes from openpyxl's own _set_attributes (style ids are handed
    out in the same order, hyperlinks collected the same way), the same
    escaping and the same xml:space rule; tests/test_xlsx_fast.py compares
    the two writers on whole workbooks. A cell this writer does not know
    (a formula, rich text) makes it hand the sheet to openpyxl's own loop."""

    def get_stream(self):
        """WorksheetWriter.get_stream() with the encoding named: UTF-8 text as
        such. Without it lxml's writer (which openpyxl uses when lxml is
        installed) writes every non-ASCII character as a reference (&#1050;
        for К), 7 bytes for 2, and a Russian workbook of 200 countries grows
        past 2 MB; et_xmlfile writes UTF-8 either way."""
        with xmlfile(self.out, encoding="utf-8") as xf:
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        el = (yield)
                        if el is True:
                            yield xf
                        elif el is None:  # et_xmlfile chokes
                            continue
                        else:
                            xf.write(el)
                except GeneratorExit:
                    pass

    def rows(self):
        # WorksheetWriter.rows(), sorting the (row, column) keys rather than
        # (key, cell) pairs: the same order, a third of the time
        rows = defaultdict(list)
        cells = self.ws._cells
        for key in sorted(cells):
            rows[key[0]].append(cells[key])
        for row in self.ws.row_dimensions.keys() - rows.keys():
            rows[row] = []
        return sorted(rows.items())

    def write_rows(self):
        xf = self.xf.send(True)
        write = getattr(xf, "_file", None)  # et_xmlfile's writer; lxml's has none
        rows = self.rows()
        if write is None or not _plain_cells(rows):
            self.xf.send(None)
            return super().write_rows()
        dims = self.ws.row_dimensions
        attributes = _CellAttributes(self.ws)
        with xf.element("sheetData"):
            out = []
            for row_idx, row in rows:
                attrs = {"r": f"{row_idx}"}
                attrs.update(dims.get(row_idx, {}))
                out.append("<row" + "".join([f' {k}="{_escape_attrib(v)}"' for k, v in attrs.items()]) + ">")
                for cell in row:
                    if cell._comment is not None:
                        self.ws._comments.append(CommentRecord.from_cell(cell))
                    styled = cell.has_style
                    if cell._value is None and not styled and not cell._comment:
                        continue
                    out.append(_cell_xml(cell, styled, attributes))
                out.append("</row>")
                if len(out) >= ROWS_CHUNK:  # a world sheet's table is hundreds of MB as one string: written in parts
                    write("".join(out))
                    out = []
            write("".join(out))
        self.xf.send(None)


class _CellAttributes:
    """openpyxl.cell._writer._set_attributes for the common cells (text,
    numbers, booleans), with the column letters and style ids remembered:
    the same attributes in the same order, the same style ids handed out in
    the same order (IndexedList.add on a miss), hyperlinks collected the same
    way. Any other cell (a date, a formula) goes to _set_attributes itself."""

    SIMPLE = {"s": "inlineStr", "n": "n", "b": "b"}

    def __init__(self, ws):
        self.ws = ws
        self.styles = ws.parent._cell_styles
        self.ids: dict[bytes, int] = {}
        self.letters: dict[int, str] = {}

    def __call__(self, cell, styled) -> tuple:
        t = self.SIMPLE.get(cell.data_type)
        if t is None:
            value, attributes = _set_attributes(cell, styled)
            return value, "".join([f' {k}="{_escape_attrib(v)}"' for k, v in attributes.items()])
        column = cell.column
        letter = self.letters.get(column)
        if letter is None:
            letter = self.letters[column] = get_column_letter(column)
        if styled:
            key = cell._style.tobytes()
            style_id = self.ids.get(key)
            if style_id is None:
                style_id = self.ids[key] = self.styles.add(cell._style)
            attrs = f' r="{letter}{cell.row}" s="{style_id}" t="{t}"'
        else:
            attrs = f' r="{letter}{cell.row}" t="{t}"'
        if cell.hyperlink:
            self.ws._hyperlinks.append(cell.hyperlink)
        return cell._value, attrs


def _plain_cells(rows) -> bool:
    for _, row in rows:
        for cell in row:
            if cell.data_type == "f" or isinstance(cell._value, CellRichText):
                return False
    return True


def _cell_xml(cell, styled, attributes) -> str:
    """One <c> element as openpyxl.cell._writer.etree_write_cell serializes it."""
    value, attrs = attributes(cell, styled)
    if value is None or value == "":
        return f"<c{attrs} />"
    if cell.data_type == "s":
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and value != stripped else ""
        return f"<c{attrs}><is><t{space}>{_escape_cdata(value)}</t></is></c>"
    text = safe_string(value)
    return f"<c{attrs}><v>{_escape_cdata(text)}</v></c>" if text else f"<c{attrs}><v /></c>"


class FastExcelWriter(ExcelWriter):
    """ExcelWriter with FastRowsWriter for each (normal-mode) worksheet."""

    _early: dict | None = None

    def write_early(self, ws) -> None:
        """Writes a finished sheet's XML now, to the writer's temporary file,
        and lets its cells go; save() puts it in the archive in its place,
        with the same bytes write_worksheet() would write then. Style ids are
        handed out as the sheet is written, in the order of the sheets, as
        save() would; nothing may change the sheet afterwards."""
        ws._id = ws.parent.worksheets.index(ws) + 1  # what _write_worksheets() sets, for ws.path
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = FastRowsWriter(ws)
        writer.write()
        ws._cells.clear()
        if self._early is None:
            self._early = {}
        self._early[id(ws)] = writer

    def write_worksheet(self, ws):
        writer = self._early.pop(id(ws), None) if self._early else None
        if writer is not None:  # written by write_early()
            ws._rels = writer._rels
            self._archive.write(writer.out, ws.path[1:])
            self.manifest.append(ws)
            writer.cleanup()
            return
        if self.workbook.write_only:  # pragma: no cover - the report builds a normal workbook
            return super().write_worksheet(ws)
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = FastRowsWriter(ws)
        writer.write()
        ws._rels = writer._rels
        self._archive.write(writer.out, ws.path[1:])
        self.manifest.append(ws)
        writer.cleanup()
