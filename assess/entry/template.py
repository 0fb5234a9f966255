"""The data-entry workbook: `assess template COUNTRY --out FILE.xlsx`.

For analysts who work in spreadsheets. The workbook holds one sheet per kind
of record (Country, Legislatures, Documents, Findings), pre-filled with the
country's evidence exactly as its files hold it, so that `assess import`
with no edits changes nothing. Dropdowns are fed from a hidden Lists sheet
through defined names (an inline list longer than 255 characters breaks
Excel), date columns only take dates, and each finding's level cell shows
its criterion's question and level descriptors as an input message. A
visible Criteria sheet holds the full texts. Findings rows that only name a
criterion are the checklist of what is not yet coded; the importer skips
them until they are filled in.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Callable

from .entry import (
    CHAMBER_OF, COUNTRY, DOCUMENTS, FILE_COLUMN, FINDINGS, FIRST_DATA_ROW, LEGISLATURES, NO, YES, Sheet,
    cell_text, column_letter, criterion_choice, kind_of, record_to_row,
)
from ..data.model import CHECK_METHODS, NOT_APPLICABLE, QUOTE_KINDS, Rubric

BLANK_ROWS = 200  # rows below the records that carry the dropdowns and date checks
MAX_PROMPT = 255  # Excel's limits for an input message
MAX_PROMPT_TITLE = 32
EARLIEST_EXCEL_DATE = dt.date(1900, 3, 1)  # before this, Excel's day numbers are not dates; such days are written as text
WIDE = {"quote": 60, "note": 50, "title_en": 40, "title_ru": 40, "title_kk": 40, "locator": 28, "reason": 40,
        "edition": 30, "url": 30, "criterion": 34, "name_en": 30, "name_ru": 30, "name_kk": 30,
        "quotes_en": 60, "quotes_ru": 60, "quotes_kk": 60}  # the quote's further language versions (assess.quotes)


@dataclass
class TemplateData:
    """Everything the workbook shows, gathered by the library from a loaded workspace."""

    iso3: str
    country_name: str
    rubric: Rubric
    rubrics: list[Rubric]  # every rubric: findings may answer criteria of any of them
    document_types: list[tuple[str, str]]  # (id, title)
    coders: list[str]
    files: list[str]  # the country's evidence files, by name
    country: tuple[str, dict] | None  # (file, raw country block)
    documents: list[tuple[str, dict]] = field(default_factory=list)  # (file, raw record), in file order
    findings: list[tuple[str, dict]] = field(default_factory=list)
    lang: str = "en"
    msg: Callable[..., str] = lambda key, **values: key  # the interface texts in `lang` (render.context.Messages)


def date_rule(cell: str) -> str:
    """The data validation of a date cell (relative to its first cell): a
    spreadsheet date from 1900-03-01 to 2100-12-31, or, for the days a
    spreadsheet cannot hold as dates (before 1900-03-01: an act of 1815), the
    text YYYY-MM-DD, which the importer reads as that day.

    Returns: `str` (a spreadsheet formula, without "=").
    Raises: nothing.

    Example:
        >>> date_rule("D2").startswith("OR(AND(ISNUMBER(D2),D2>=DATE(1900,3,1)")
        True
    """
    c = cell
    return (f'OR(AND(ISNUMBER({c}),{c}>=DATE(1900,3,1),{c}<=DATE(2100,12,31)),'
            f'AND(ISTEXT({c}),LEN({c})=10,MID({c},5,1)="-",MID({c},8,1)="-",'
            f'ISNUMBER(VALUE(LEFT({c},4))),ISNUMBER(VALUE(MID({c},6,2))),ISNUMBER(VALUE(RIGHT({c},2)))))')


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _put(cell, value) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if value < EARLIEST_EXCEL_DATE:
            cell.value = value.isoformat()
            cell.data_type = "s"
        else:
            cell.value = value
        cell.number_format = "yyyy-mm-dd"
        return
    if isinstance(value, bool):
        cell.value = YES if value else NO
        cell.data_type = "s"
        return
    if isinstance(value, (int, float)):
        cell.value = value
        return
    # control characters cannot be stored in a cell: left out (api.entry_template warns, by file and line;
    # the importer compares texts the same way, so an untouched record keeps them in its file)
    cell.value = cell_text(str(value))
    cell.data_type = "s"  # never a formula: evidence text that starts with '=' stays text


def build_template(data: TemplateData):
    """The data-entry workbook as an openpyxl Workbook: the instructions, the
    country, legislatures, documents and findings sheets filled with the
    country's evidence, dropdowns (criteria, document types, levels,
    coders) and date validation, in `data.lang`.

    Returns: `openpyxl.Workbook`.
    Raises: nothing for TemplateData the library gathered.

    Example:
        >>> wb = build_template(data)  # data: a TemplateData, as assess.entry_template gathers it
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    msg = data.msg
    wb = Workbook()
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")

    # ---- Instructions
    ws = wb.active
    ws.title = msg("entry_instructions_sheet")
    lines = [msg("entry_title", country=data.country_name, iso3=data.iso3)] + msg("entry_instructions", iso3=data.iso3, rubric=data.rubric.id).splitlines()
    for r, line in enumerate(lines, 1):
        _put(ws.cell(r, 1), line)
    ws.cell(1, 1).font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 110

    # ---- Lists (hidden): the dropdowns' sources, through defined names
    lists = wb.create_sheet("Lists")
    criteria = [(c.id, criterion_choice(c.id, c.title.get(data.lang))) for r in data.rubrics for c in r.criteria]
    levels = sorted({s.level for r in data.rubrics for s in r.scale}) + [NOT_APPLICABLE]
    legislatures, chambers = [], []
    if data.country:
        for leg in data.country[1].get("legislatures") or []:
            legislatures.append(str(leg.get("id")))
            chambers += [str(ch.get("id")) for ch in leg.get("chambers") or []]
    columns = {
        "assess_criteria": [choice for _, choice in criteria],
        "assess_levels": levels,
        "assess_yes_no": [YES, NO],
        "assess_coders": data.coders or [""],
        "assess_document_types": [doc_type for doc_type, _ in data.document_types],
        "assess_legislatures": legislatures or [""],
        "assess_chambers": chambers or [""],
        "assess_files": data.files or [""],
        "assess_quote_kinds": list(QUOTE_KINDS),
        "assess_check_methods": list(CHECK_METHODS),
    }
    for col, (name, values) in enumerate(columns.items(), 1):
        _put(lists.cell(1, col), name)
        for r, value in enumerate(values, 2):
            _put(lists.cell(r, col), value)
        letter = column_letter(col)
        ref = f"Lists!${letter}$2:${letter}${max(len(values), 1) + 1}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    lists.sheet_state = "hidden"

    choice_of = dict(criteria)
    questions = {c.id: c for r in data.rubrics for c in r.criteria}

    def sheet(spec: Sheet, rows: list[dict]) -> tuple:
        ws = wb.create_sheet(spec.name)
        cols = {name: i for i, name in enumerate(spec.columns, 1)}
        for name, i in cols.items():
            cell = ws.cell(1, i)
            _put(cell, name)
            cell.font, cell.fill = header_font, header_fill
            ws.column_dimensions[column_letter(i)].width = WIDE.get(name, max(12, len(name) + 2))
        for r, row in enumerate(rows, FIRST_DATA_ROW):
            for name, value in row.items():
                cell = ws.cell(r, cols[name])
                _put(cell, value)
                cell.alignment = wrap if isinstance(value, str) and len(value) > 40 else top
        ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 3 if FILE_COLUMN in cols else 2)
        last = FIRST_DATA_ROW + len(rows) + BLANK_ROWS - 1
        return ws, cols, last

    def validate_column(ws, cols: dict, column: str, last: int, first: int = FIRST_DATA_ROW, **options) -> None:
        if column not in cols:
            return
        letter = column_letter(cols[column])
        dv = DataValidation(allow_blank=True, showInputMessage=True, **options)
        if "prompt" in options:
            dv.prompt = _clip(options["prompt"], MAX_PROMPT)
            dv.promptTitle = _clip(options.get("promptTitle") or column, MAX_PROMPT_TITLE)
        ws.add_data_validation(dv)
        dv.add(f"{letter}{first}:{letter}{last}")

    def dates(ws, cols: dict, spec: Sheet, last: int) -> None:
        for column in spec.columns:
            if kind_of(spec, column) == "date" and column in cols:
                validate_column(ws, cols, column, last, type="custom",
                                formula1=date_rule(f"{column_letter(cols[column])}{FIRST_DATA_ROW}"), errorStyle="warning",
                                showErrorMessage=True, error=msg("entry_date_error_any"),
                                prompt=msg("entry_date_prompt_any"), promptTitle=column)

    def choice(ws, cols, column, last, name, strict=True, prompt=None):
        validate_column(ws, cols, column, last, type="list", formula1=name, showErrorMessage=True,
                        errorStyle="stop" if strict else "warning", error=msg("entry_choice_error"),
                        **({"prompt": prompt, "promptTitle": column} if prompt else {}))

    # ---- Country
    country_rows = []
    if data.country:
        file, raw = data.country
        country_rows.append(record_to_row(COUNTRY, raw, file))
    ws, cols, last = sheet(COUNTRY, country_rows)
    choice(ws, cols, FILE_COLUMN, last, "assess_files", strict=False, prompt=msg("entry_file_prompt"))

    # ---- Legislatures: one row per legislature, then one per chamber naming it
    leg_rows = []
    if data.country:
        for leg in data.country[1].get("legislatures") or []:
            leg_rows.append(record_to_row(LEGISLATURES, leg))
            for ch in leg.get("chambers") or []:
                leg_rows.append({**record_to_row(LEGISLATURES, ch), CHAMBER_OF: leg.get("id")})
    ws, cols, last = sheet(LEGISLATURES, leg_rows)
    choice(ws, cols, CHAMBER_OF, last, "assess_legislatures", strict=False, prompt=msg("entry_chamber_of_prompt"))
    dates(ws, cols, LEGISLATURES, last)

    # ---- Documents
    ws, cols, last = sheet(DOCUMENTS, [record_to_row(DOCUMENTS, raw, file) for file, raw in data.documents])
    choice(ws, cols, FILE_COLUMN, last, "assess_files", strict=False, prompt=msg("entry_file_prompt"))
    choice(ws, cols, "type", last, "assess_document_types", prompt=msg("entry_type_prompt"))
    choice(ws, cols, "legislature", last, "assess_legislatures", strict=False)
    choice(ws, cols, "chamber", last, "assess_chambers", strict=False)
    dates(ws, cols, DOCUMENTS, last)
    doc_last = last

    # ---- Findings, then one checklist row per criterion of the rubric not yet coded
    rows = []
    for file, raw in data.findings:
        row = record_to_row(FINDINGS, raw, file)
        if row.get("criterion") in choice_of:
            row["criterion"] = choice_of[row["criterion"]]
        rows.append((raw.get("criterion"), row))
    coded = {criterion for criterion, _ in rows}
    rows += [(c.id, {"criterion": choice_of[c.id]}) for c in data.rubric.criteria if c.id not in coded]
    ws, cols, last = sheet(FINDINGS, [row for _, row in rows])
    for r, (criterion, row) in enumerate(rows, FIRST_DATA_ROW):
        if len(row) == 1:  # a checklist row: shade it so it reads as a prompt, not a record
            for i in cols.values():
                ws.cell(r, i).fill = PatternFill("solid", fgColor="F4F4F4")
    choice(ws, cols, FILE_COLUMN, last, "assess_files", strict=False, prompt=msg("entry_file_prompt"))
    choice(ws, cols, "criterion", last, "assess_criteria", prompt=msg("entry_criterion_prompt"))
    choice(ws, cols, "verified", last, "assess_yes_no", prompt=msg("entry_verified_prompt"))
    choice(ws, cols, "reconciled", last, "assess_yes_no")
    choice(ws, cols, "quote_kind", last, "assess_quote_kinds", prompt=msg("entry_quote_kind_prompt"))
    choice(ws, cols, "check_official", last, "assess_yes_no", prompt=msg("entry_check_prompt"))
    choice(ws, cols, "check_verbatim", last, "assess_yes_no", prompt=msg("entry_check_prompt"))
    choice(ws, cols, "check_method", last, "assess_check_methods", prompt=msg("entry_check_method_prompt"))
    choice(ws, cols, "coder", last, "assess_coders", strict=False, prompt=msg("entry_coder_prompt"))
    choice(ws, cols, "legislature", last, "assess_legislatures", strict=False)
    doc_col = column_letter(list(DOCUMENTS.columns).index("id") + 1)
    validate_column(ws, cols, "document", last, type="list", formula1=f"Documents!${doc_col}${FIRST_DATA_ROW}:${doc_col}${doc_last}",
                    showErrorMessage=True, errorStyle="warning", error=msg("entry_document_error"),
                    prompt=msg("entry_document_prompt"), promptTitle="document")
    dates(ws, cols, FINDINGS, last)
    # the level cell of each row shows its criterion's question and levels
    by_criterion: dict[str | None, list[int]] = {}
    for r, (criterion, _) in enumerate(rows, FIRST_DATA_ROW):
        by_criterion.setdefault(criterion if criterion in questions else None, []).append(r)
    level_letter = column_letter(cols["level"])
    for criterion, row_numbers in by_criterion.items():
        if criterion is None:
            prompt, title = msg("entry_level_prompt"), "level"
        else:
            c = questions[criterion]
            levels_text = "; ".join(f"{k}: {c.levels[k].get(data.lang)}" for k in sorted(c.levels))
            prompt, title = f"{c.question.get(data.lang)} | {levels_text}", c.id
        dv = DataValidation(type="list", formula1="assess_levels", allow_blank=True, showInputMessage=True,
                            showErrorMessage=True, error=msg("entry_choice_error"),
                            prompt=_clip(prompt, MAX_PROMPT), promptTitle=_clip(title, MAX_PROMPT_TITLE))
        ws.add_data_validation(dv)
        for r in row_numbers:
            dv.add(f"{level_letter}{r}")
    generic = DataValidation(type="list", formula1="assess_levels", allow_blank=True, showInputMessage=True,
                             showErrorMessage=True, error=msg("entry_choice_error"),
                             prompt=_clip(msg("entry_level_prompt"), MAX_PROMPT), promptTitle="level")
    ws.add_data_validation(generic)
    generic.add(f"{level_letter}{FIRST_DATA_ROW + len(rows)}:{level_letter}{last}")

    # ---- Criteria: the full texts, for reading
    ws = wb.create_sheet(msg("entry_criteria_sheet"))
    max_level = max(s.level for r in data.rubrics for s in r.scale)
    head = ["rubric", "tier", "criterion", "title", "question"] + [str(level) for level in range(0, max_level + 1)] + ["documents"]
    for i, label in enumerate(head, 1):
        cell = ws.cell(1, i)
        _put(cell, label)
        cell.font, cell.fill = header_font, header_fill
    r = 2
    for rubric in data.rubrics:
        for tier in rubric.tiers:
            for c in tier.criteria:
                values = [rubric.id, tier.title.get(data.lang), c.id, c.title.get(data.lang), c.question.get(data.lang)]
                values += [c.levels[k].get(data.lang) if k in c.levels else None for k in range(0, max_level + 1)]
                values.append(", ".join(tier.accepts))
                for i, value in enumerate(values, 1):
                    _put(ws.cell(r, i), value)
                    ws.cell(r, i).alignment = wrap
                r += 1
    for i, width in enumerate([12, 18, 24, 30, 50] + [30] * (max_level + 1) + [24], 1):
        ws.column_dimensions[column_letter(i)].width = width
    ws.freeze_panes = "D2"
    wb.move_sheet("Lists", offset=len(wb.sheetnames))  # last, out of the way
    _fixed_properties(wb)
    return wb


FIXED_TIME = dt.datetime(2000, 1, 1)  # docProps/core.xml when SOURCE_DATE_EPOCH is not set


def _fixed_properties(wb) -> None:
    # a fixed timestamp (SOURCE_DATE_EPOCH when set) keeps the workbook's bytes the same for the same evidence
    from ..common.buildtime import source_date

    epoch = source_date()
    stamp = epoch.astimezone(dt.timezone.utc).replace(tzinfo=None) if epoch else FIXED_TIME
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "assess"


def template_bytes(data: TemplateData) -> bytes:
    """The workbook's bytes: the same for the same evidence. Not wb.save(),
    which stamps `modified` with the clock; each zip entry is dated
    1980-01-01 (xlsxzip).

    Returns: `bytes`.
    Raises: nothing for TemplateData the library gathered.

    Example:
        >>> template_bytes(data)[:2]
        b'PK'
    """
    from ..common.xlsxzip import workbook_bytes

    return workbook_bytes(build_template(data))


def write_template(data: TemplateData, path: str) -> str:
    """Writes the workbook (template_bytes) to `path`, atomically.

    Returns: `str`, the path.
    Raises: `UsageError` (a path that cannot be written), `CannotWrite` (a
    failure while writing), `Interrupted` (Ctrl-C).

    Example:
        >>> write_template(data, "KAZ-entry.xlsx")
        'KAZ-entry.xlsx'
    """
    from ..common.atomic import write_bytes_atomic

    return write_bytes_atomic(path, template_bytes(data))


__all__ = ["TemplateData", "build_template", "template_bytes", "write_template"]
