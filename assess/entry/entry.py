"""The data-entry workbook's layout, shared by `assess template` and `assess import`.

The sheets mirror the evidence format: one row per record, one column per
field, with a text field split into one column per language (title_en,
title_ru, title_kk). The columns are derived from the loader's field specs,
so a field added to the evidence format appears in the workbook without
touching this module. Row 1 holds the field names, which is what the
importer reads; people get the explanations from input messages and the
Instructions sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..data.load import CHAMBER_SPEC, CHECK_SPEC, COUNTRY_SPEC, DOCUMENT_SPEC, FINDING_SPEC, LEGISLATURE_SPEC, QUOTES_CHECK_SPEC, REGISTER_ID_SPEC, Spec
from ..data.model import LANGUAGES, NOT_APPLICABLE

FILE_COLUMN = "file"
CHAMBER_OF = "chamber_of"  # a Legislatures row naming its legislature is a chamber of it
TITLE_SEPARATOR = " — "  # criterion dropdown entries read "id — title"; the id is what is stored
YES, NO = "yes", "no"
MAP_SEPARATOR = "; "  # a mapping in one cell: "key: value; key: value"
FIRST_DATA_ROW = 2
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Sheet:
    name: str
    specs: dict[str, Spec]  # the record's fields, in the order they are written
    columns: tuple[str, ...]  # the workbook's columns

    def column_of(self, field_name: str) -> str | None:
        """The column a field's problems point at (a text field: its en column)."""
        if field_name in self.columns:
            return field_name
        if f"{field_name}_en" in self.columns:
            return f"{field_name}_en"
        return None


# a nested record whose fields get a column each, named <field>_<subfield> (check_by, check_date ...)
SUBRECORDS = {"check": CHECK_SPEC, "register": REGISTER_ID_SPEC, "quotecheck": QUOTES_CHECK_SPEC}
# a field of one text per language, a column each: title_en, title_ru ...; quotes_en, quotes_ru ...
PER_LANGUAGE = ("text", "versions")


def _columns(specs: dict[str, Spec], skip: tuple[str, ...] = ()) -> list[str]:
    out = []
    for name, spec in specs.items():
        if name in skip:
            continue
        if spec.kind in PER_LANGUAGE:
            out += [f"{name}_{lang}" for lang in LANGUAGES]
        elif spec.kind in SUBRECORDS:
            out += [f"{name}_{sub}" for sub in SUBRECORDS[spec.kind]]
        else:
            out.append(name)
    return out


def _subfield(sheet: "Sheet", column: str) -> tuple[str, str, Spec] | None:
    """(field, subfield, its spec) for a column of a nested record, such as check_date."""
    for name, spec in sheet.specs.items():
        if spec.kind in SUBRECORDS and column.startswith(name + "_"):
            sub = column[len(name) + 1:]
            if sub in SUBRECORDS[spec.kind]:
                return name, sub, SUBRECORDS[spec.kind][sub]
    return None


COUNTRY = Sheet("Country", {k: v for k, v in COUNTRY_SPEC.items() if k != "legislatures"},
                tuple([FILE_COLUMN] + _columns(COUNTRY_SPEC, ("legislatures",))))
LEGISLATURES = Sheet("Legislatures", {k: v for k, v in LEGISLATURE_SPEC.items() if k != "chambers"},
                     tuple(["id", CHAMBER_OF] + _columns(LEGISLATURE_SPEC, ("id", "chambers"))))
DOCUMENTS = Sheet("Documents", DOCUMENT_SPEC, tuple([FILE_COLUMN] + _columns(DOCUMENT_SPEC)))
FINDINGS = Sheet("Findings", FINDING_SPEC, tuple([FILE_COLUMN] + _columns(FINDING_SPEC)))
DATA_SHEETS = (COUNTRY, LEGISLATURES, DOCUMENTS, FINDINGS)
assert set(CHAMBER_SPEC) <= set(LEGISLATURE_SPEC)  # a chamber row uses the legislature columns


def column_letter(index: int) -> str:
    """A spreadsheet column's letters from its 1-based index: 1 -> A, 27 -> AA.

    Returns: `str` ("" for 0).
    Raises: nothing.

    Example:
        >>> column_letter(1), column_letter(27)
        ('A', 'AA')
    """
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def kind_of(sheet: Sheet, column: str) -> str:
    """The kind of value a column of a sheet holds (the field spec's kind:
    "date", "level", "bool"...; "str" for the file and chamber_of columns, a
    sub-field's kind for columns such as check_by, "text" for anything else).

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> kind_of(FINDINGS, "level"), kind_of(DOCUMENTS, "adopted")
        ('level', 'date')
    """
    if column in (FILE_COLUMN, CHAMBER_OF):
        return "str"
    if column in sheet.specs:
        return sheet.specs[column].kind
    nested = _subfield(sheet, column)
    if nested is not None:
        return nested[2].kind
    return "text"


# ---------------------------------------------------------------- record -> row


def record_to_row(sheet: Sheet, record: dict, file: str | None = None) -> dict[str, Any]:
    """The cells of one record: a dict column -> value (absent fields left out):
    texts per language in their own columns (title_en...), sub-records
    flattened (check_by...), booleans as yes/no, lists and date maps as one
    cell's text. `file`, when given, fills the file column.

    Returns: `dict[str, Any]`.
    Raises: nothing.

    Example:
        >>> record_to_row(FINDINGS, {"id": "a", "level": 2, "verified": True}, "laws.yaml")
        {'file': 'laws.yaml', 'id': 'a', 'level': 2, 'verified': 'yes'}
    """
    row: dict[str, Any] = {}
    if file is not None and FILE_COLUMN in sheet.columns:
        row[FILE_COLUMN] = file
    for name, spec in sheet.specs.items():
        if name not in record or record[name] is None:
            continue
        value = record[name]
        if spec.kind in PER_LANGUAGE:
            texts = {"en": value} if isinstance(value, str) else value
            for lang, text in (texts or {}).items():
                row[f"{name}_{lang}"] = text
        elif spec.kind in SUBRECORDS and isinstance(value, dict):  # check: {by, date, ...} -> check_by, check_date ...
            for sub, sub_value in value.items():
                if sub_value is None:
                    continue
                if isinstance(sub_value, bool):
                    sub_value = YES if sub_value else NO
                elif isinstance(sub_value, list):  # register: {lang: [ru, kk]} -> "ru, kk"
                    sub_value = ", ".join(map(str, sub_value))
                row[f"{name}_{sub}"] = sub_value
        elif spec.kind == "bool" and isinstance(value, bool):
            row[name] = YES if value else NO
        elif spec.kind == "datemap" and isinstance(value, dict):  # traced_from: "laws: 1995-10-16; concept: ..."
            row[name] = MAP_SEPARATOR.join(f"{k}: {v.isoformat() if isinstance(v, dt.date) else v}" for k, v in value.items())
        elif spec.kind in ("fieldlist", "strlist") and isinstance(value, list):  # approximate: "adopted, in_force_from"; lang: "ru, kk"
            row[name] = ", ".join(map(str, value))
        elif spec.kind == "fieldlist" and isinstance(value, bool):
            row[name] = YES if value else NO
        else:
            row[name] = value
    return row


def criterion_choice(criterion_id: str, title: str) -> str:
    """A criterion as its dropdown entry reads: "id — title" (the id is what is
    stored).

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> criterion_choice("int-strategy", "Strategy")
        'int-strategy — Strategy'
    """
    return f"{criterion_id}{TITLE_SEPARATOR}{title}"


# ---------------------------------------------------------------- row -> record


def cell_value(sheet: Sheet, column: str, value: Any) -> Any:
    """What one cell means in the evidence format: dates, date maps, field
    lists, levels ("n/a" too), integers and yes/no (and да/нет, иә/жоқ) read
    by the column's kind, a dropdown's "id — title" as the id, empty cells as
    None; a value that cannot be converted is passed on as it is, so the
    loader names the problem.

    Returns: the value (`date`, `int`, `bool`, `str`, `list`, `dict`) or None.
    Raises: nothing.

    Example:
        >>> cell_value(FINDINGS, "level", 2.0), cell_value(FINDINGS, "verified", "да")
        (2, True)
    """
    if value is None or isinstance(value, str) and not value.strip():
        return None
    kind = kind_of(sheet, column)
    if isinstance(value, dt.datetime):
        value = value.date()
    if kind == "date":
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                return value
        return value
    if kind == "datemap":
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if ":" not in text:
            return _date_or_text(text)
        out = {}
        for part in text.split(MAP_SEPARATOR.strip()):
            key, _, day = part.partition(":")
            if key.strip():
                out[key.strip()] = _date_or_text(day.strip())
        return out
    if kind == "fieldlist":
        word = str(value).strip()
        if word.lower() in (YES, "true"):
            return True
        if word.lower() in (NO, "false"):
            return False
        return [n.strip() for n in word.split(",") if n.strip()]
    if isinstance(value, dt.date):  # a spreadsheet turned typed text into a date
        return value.isoformat()
    if kind in ("level", "int"):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        if isinstance(value, str) and value.strip().lower() == NOT_APPLICABLE:
            return NOT_APPLICABLE
        return value
    if kind == "bool":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in (YES, "true", "1", "да", "иә"):
            return True
        if word in (NO, "false", "0", "нет", "жоқ"):
            return False
        return value
    if column == "criterion" and isinstance(value, str) and TITLE_SEPARATOR.strip() in value:
        return value.split(TITLE_SEPARATOR.strip(), 1)[0].strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _date_or_text(text: str):
    try:
        return dt.date.fromisoformat(text) if _ISO_DATE.match(text) else text
    except ValueError:
        return text


def row_to_record(sheet: Sheet, cells: dict[str, Any]) -> dict:
    """A record in the order of its field specs, from converted cell values
    (cell_value): per-language columns joined into one text, sub-record
    columns into one mapping, comma lists into lists; empty fields left out.

    Returns: `dict`.
    Raises: nothing.

    Example:
        >>> row_to_record(FINDINGS, {"id": "a", "level": 2, "file": "laws.yaml"})
        {'id': 'a', 'level': 2}
    """
    record: dict = {}
    for name, spec in sheet.specs.items():
        if spec.kind in PER_LANGUAGE:
            texts = {lang: cells[f"{name}_{lang}"] for lang in LANGUAGES if cells.get(f"{name}_{lang}") is not None}
            if texts:
                record[name] = texts
        elif spec.kind in SUBRECORDS:
            sub = {k: cells[f"{name}_{k}"] for k in SUBRECORDS[spec.kind] if cells.get(f"{name}_{k}") is not None}
            for k, v in sub.items():  # register_lang "ru, kk" -> [ru, kk]
                if SUBRECORDS[spec.kind][k].kind == "strlist" and isinstance(v, str):
                    sub[k] = [x.strip() for x in v.split(",") if x.strip()]
            if sub:
                record[name] = sub
        elif spec.kind == "strlist" and isinstance(cells.get(name), str):  # lang "ru, kk" -> [ru, kk]
            record[name] = [x.strip() for x in cells[name].split(",") if x.strip()]
        elif cells.get(name) is not None:
            record[name] = cells[name]
    return record


def comparable(sheet: Sheet, record: dict) -> dict:
    """A record as the loader would read it, for telling changed records from
    unchanged ones: a plain title is an English text, a datetime is a date,
    and a text is what a workbook cell can hold of it (cell_text), so that a
    record the analyst did not touch stays as its file has it. Empty fields
    are left out.

    Returns: `dict`.
    Raises: nothing.

    Example:
        >>> comparable(DOCUMENTS, {"id": "a", "title": "Constitution"})
        {'id': 'a', 'title': {'en': 'Constitution'}}
    """
    out = {}
    for name, value in record.items():
        if value is None or isinstance(value, list) and not value:
            continue
        spec = sheet.specs.get(name)
        if spec is not None and spec.kind == "text" and isinstance(value, str):
            value = {"en": value}
        elif isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            value = cell_text(value)
        elif isinstance(value, dict):
            value = {k: cell_text(v) if isinstance(v, str) else v for k, v in value.items()}
        out[name] = value
    return out


# control characters an .xlsx cell cannot hold (XML 1.0 forbids them; openpyxl's ILLEGAL_CHARACTERS_RE)
_NOT_IN_A_CELL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_text(text: str) -> str:
    r"""What a workbook cell can hold of a text: without the control characters
    (escape, BEL, NUL...) that an .xlsx file cannot store.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> cell_text("a\x07b")
        'ab'
    """
    return _NOT_IN_A_CELL.sub("", text) if _NOT_IN_A_CELL.search(text) else text


def unstorable(doc) -> list:
    """Warnings, by file, line and field, for the texts of an evidence file
    (a yamlio.YamlDoc) that hold characters a workbook cell cannot store.

    Returns: `list[Problem]` (severity "warning").
    Raises: nothing.

    Example:
        >>> from assess.data import yamlio
        >>> unstorable(yamlio.load("evidence/KAZ/laws.yaml"))
        []
    """
    from ..common.messages import say
    from ..data.load import printable
    from ..data.model import Problem

    out = []

    def walk(value, keypath: tuple) -> None:
        if isinstance(value, str):
            lost = sorted(set(_NOT_IN_A_CELL.findall(value)))
            if lost:
                field_name = next((k for k in reversed(keypath) if isinstance(k, str) and k not in LANGUAGES), "")
                out.append(Problem(doc.path, doc.line(keypath), field_name,
                                   say("e_cell_unstorable", chars=printable("".join(lost))), "warning"))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, keypath + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, keypath + (i,))

    walk(doc.data, ())
    return out
