"""Step 1 of `assess import`: the data-entry workbook read back into rows.

`read_workbook` turns the rows of the Country, Legislatures, Documents and
Findings sheets into records, each remembering its sheet and row, so that
every later problem can name the cell it comes from (`Findings!H7`). The
workbook's own mistakes (missing sheets, unknown or repeated columns,
formulas, bad cells) are collected here, all at once; what the records mean
is planned in import_plan.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ..common.messages import say
from ..common.errors import InvalidInput, UsageError
from ..data.load import suggest
from ..data.model import Problem
from .entry import (
    COUNTRY, DATA_SHEETS, FILE_COLUMN, FINDINGS, FIRST_DATA_ROW, Sheet, cell_value, column_letter, row_to_record,
)


@dataclass
class Row:
    sheet: Sheet
    number: int  # the spreadsheet row
    cells: dict[str, Any]  # column -> converted value (blank cells left out)
    record: dict

    def ref(self, column: str | None = None) -> str:
        if column and column in self.sheet.columns:
            return f"{self.sheet.name}!{column_letter(self.sheet.columns.index(column) + 1)}{self.number}"
        return f"{self.sheet.name}!{self.number}:{self.number}"


@dataclass
class Workbook:
    path: str
    rows: dict[str, list[Row]]  # sheet name -> rows with data
    checklist_rows: int  # Findings rows that only name a criterion
    problems: list[Problem]


def row_problem(row: Row, column: str | None, message: str) -> Problem:
    """A problem at the cell of `row` in `column` (or at the whole row when
    `column` is None or not a column of its sheet), in the form every
    importer message takes: `Findings!T7: <message>`.

    Returns: `Problem` (path the cell address, no line, field the column).
    Raises: nothing.

    Example:
        >>> from assess.entry.entry import FINDINGS
        >>> row = Row(FINDINGS, 7, {"level": 5}, {"level": 5})
        >>> row_problem(row, "level", "level 5 is outside the scale 0-3").path
        'Findings!T7'
    """
    return Problem(row.ref(column), None, column or "", message)


def check_workbook(path: str) -> None:
    """Checks that `path` is a regular file before it is opened (only such a
    file is opened: a named pipe would wait forever, a folder cannot be read).

    Returns: None.
    Raises: `UsageError` naming the path and what it is (missing,
    unreadable, a folder, a pipe...).

    Example:
        >>> check_workbook("KAZ-entry.xlsx")
    """
    from ..common.files import not_a_file, os_reason

    try:
        what = not_a_file(os.stat(path).st_mode)
    except OSError as exc:
        raise UsageError(say("i_path_reason", path=path, reason=os_reason(exc, path))) from None
    if what:
        raise UsageError(say("i_not_a_workbook_file", path=path, what=what))


def read_workbook(path: str) -> Workbook:
    """The data rows of a workbook made by `assess template`: per data sheet
    its rows with data, each cell converted (entry.cell_value) and the
    record it makes, formulas refused; the problems found (missing sheets,
    unknown or repeated columns, bad cells), each with its cell address.

    Returns: `Workbook` (``.rows`` by sheet name, ``.checklist_rows``,
    ``.problems``).
    Raises: `UsageError` (not a regular file), `InvalidInput` (not an .xlsx
    workbook openpyxl can read).

    Example:
        >>> wb = read_workbook("KAZ-entry.xlsx")
        >>> [p.path for p in wb.problems]
    """
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_workbook(path)
    try:
        # formulas as formulas (data_only=False): a formula in an evidence cell is refused, not read as its last result
        wb = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(say("i_not_xlsx", path=path, error=exc.__class__.__name__)) from None
    problems: list[Problem] = []
    out: dict[str, list[Row]] = {}
    checklist = 0
    try:
        for sheet in DATA_SHEETS:
            if sheet.name not in wb.sheetnames:
                problems.append(Problem(sheet.name, None, "", say("i_no_sheet", sheet=sheet.name)))
                continue
            rows = wb[sheet.name].iter_rows()
            header = tuple(c.value for c in next(rows, ()) or ())
            columns: dict[int, str] = {}
            for i, name in enumerate(header):
                if name is None or str(name).strip() == "":
                    continue
                name = str(name).strip()
                ref = f"{sheet.name}!{column_letter(i + 1)}1"
                if name not in sheet.columns:
                    problems.append(Problem(ref, None, "", say("i_unknown_column", name=name, hint=suggest(name, sheet.columns),
                                                                columns=", ".join(sheet.columns))))
                elif name in columns.values():
                    problems.append(Problem(ref, None, "", say("i_column_twice", name=name)))
                else:
                    columns[i] = name
            required = {"id"} if sheet is not COUNTRY else {"iso3"}
            for name in sorted(required - set(columns.values())):
                problems.append(Problem(f"{sheet.name}!1:1", None, "", say("i_column_missing", name=name)))
            sheet_rows: list[Row] = []
            for number, row_cells in enumerate(rows, FIRST_DATA_ROW):
                cells = {}
                for i, cell in enumerate(row_cells):
                    value = cell.value
                    if cell.data_type in ("f", "e") and (i in columns or value is not None):
                        # a formula (=A1, =HYPERLINK(...)) or an error (#N/A) is not evidence: say so, by cell
                        shown = str(getattr(value, "text", value))
                        shown = shown if len(shown) <= 40 else shown[:39] + "…"
                        what = say("i_formula", shown=shown) if cell.data_type == "f" else say("i_error_value", shown=shown)
                        problems.append(Problem(f"{sheet.name}!{column_letter(i + 1)}{number}", None, columns.get(i, ""), what))
                        if i in columns:
                            cells[columns[i]] = shown  # keeps the row, so that its other cells are checked too
                        continue
                    if i in columns:
                        converted = cell_value(sheet, columns[i], value)
                        if converted is not None:
                            cells[columns[i]] = converted
                    elif value is not None and str(value).strip():
                        problems.append(Problem(f"{sheet.name}!{column_letter(i + 1)}{number}", None, "",
                                                say("i_value_without_field")))
                if not cells:
                    continue
                if sheet is FINDINGS and set(cells) <= {"criterion", FILE_COLUMN}:
                    checklist += 1  # a checklist row not filled in yet
                    continue
                sheet_rows.append(Row(sheet, number, cells, row_to_record(sheet, cells)))
            out[sheet.name] = sheet_rows
    finally:
        wb.close()
    return Workbook(path, out, checklist, problems)
