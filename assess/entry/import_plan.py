"""Step 2 of `assess import`: the plan, which record goes to which evidence file.

The country's records are matched by id with what its files already hold:
`country_record` builds the country (with its legislatures and their
chambers) from the Country and Legislatures sheets, `existing_files` reads
the country folder as it is, and `place_records` decides the file each
record goes to. import_edit then works out each file's new text and
import_check validates the result; what they find is an `ImportPlan`.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from typing import Any

from ..common.messages import say
from ..common.errors import InvalidInput
from ..data import yamledit, yamlio
from ..data.load import CHAMBER_SPEC, ISO3_PATTERN, WINDOWS_RESERVED, evidence_files, suggest
from ..data.model import Problem
from .entry import CHAMBER_OF, COUNTRY, DOCUMENTS, FILE_COLUMN, FINDINGS, FIRST_DATA_ROW, LEGISLATURES
from .import_read import Row, Workbook, row_problem


FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$")
MAX_FILE_NAME = 100  # well inside every system's limit, with room for the folders above it
LIST_KEYS = ("documents", "findings")


@dataclass
class FileChange:
    path: str
    old: str | None  # None: a new file
    new: str
    summary: list[str]  # one line per record added, changed or removed
    dropped_comments: int = 0

    @property
    def is_new(self) -> bool:
        return self.old is None

    def diff(self) -> str:
        old = (self.old or "").splitlines(keepends=True)
        new = self.new.splitlines(keepends=True)
        label = os.path.relpath(self.path)
        return "".join(difflib.unified_diff(old, new, "/dev/null" if self.old is None else f"a/{label}", f"b/{label}", n=2))


@dataclass
class ImportPlan:
    workbook: str
    iso3: str
    folder: str  # evidence/<ISO3>/ the files go to
    changes: list[FileChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    checklist_rows: int = 0
    warnings: list[Problem] = field(default_factory=list)

    @property
    def replaces(self) -> list[FileChange]:
        return [c for c in self.changes if not c.is_new]


@dataclass
class ExistingFile:
    """An evidence file of the country folder as it is: its text, its data
    and where each of its top-level keys and list items sits (yamledit.layout)."""

    path: str
    text: str
    data: dict
    layout: dict[str, yamledit.KeyLayout]


def country_record(workbook: Workbook, problems: list[Problem]) -> tuple[Row | None, dict | None]:
    """The country record the workbook describes: the one row of its Country
    sheet, with the Legislatures sheet's rows as its legislatures (a row
    naming a legislature in `chamber_of` is a chamber of that legislature,
    which must stand in a row above it). Each problem found is appended to
    `problems`, by cell.

    Returns: `tuple[Row | None, dict | None]`, the Country row and the
    record; the record is None when there is no country to import (no row,
    or an iso3 that is not a code), and the row too when the sheet is empty.
    Raises: nothing.

    Example:
        >>> from assess.entry.import_read import read_workbook
        >>> problems = []
        >>> row, country = country_record(read_workbook("KAZ-entry.xlsx"), problems)
        >>> country["iso3"], country["legislatures"][0]["id"]
    """
    rows = workbook.rows.get(COUNTRY.name, [])
    if not rows:
        if COUNTRY.name in workbook.rows:
            problems.append(Problem(f"{COUNTRY.name}!{FIRST_DATA_ROW}:{FIRST_DATA_ROW}", None, "",
                                    say("i_country_row_needed", sheet=COUNTRY.name)))
        return None, None
    for extra in rows[1:]:
        problems.append(row_problem(extra, None, say("i_country_row_extra", sheet=COUNTRY.name)))
    row = rows[0]
    record = dict(row.record)
    iso3 = record.get("iso3")
    if not isinstance(iso3, str) or not ISO3_PATTERN.match(iso3):
        problems.append(row_problem(row, "iso3", say("i_bad_iso3", got=repr(iso3))))
        return row, None
    legislatures: list[dict] = []
    by_id: dict[str, dict] = {}
    for leg_row in workbook.rows.get(LEGISLATURES.name, []):
        parent = leg_row.cells.get(CHAMBER_OF)
        if parent is None:
            leg = dict(leg_row.record)
            legislatures.append(leg)
            if isinstance(leg.get("id"), str):
                by_id[leg["id"]] = leg
            continue
        if parent not in by_id:
            known = ", ".join(by_id) or say("i_none_above")
            problems.append(row_problem(leg_row, CHAMBER_OF, say("i_no_legislature_above", parent=parent, hint=suggest(str(parent), by_id),
                                                                 known=known)))
            continue
        chamber = {k: v for k, v in leg_row.record.items() if k in CHAMBER_SPEC}
        by_id[parent].setdefault("chambers", []).append(chamber)
    if legislatures:
        record["legislatures"] = legislatures
    return row, record


def existing_files(folder: str) -> dict[str, ExistingFile]:
    """The evidence files of the country folder `folder` as they are, by file
    name: each file's text, data and layout, so that records can be matched
    by id and edited in place. Empty when the folder does not exist yet.

    Returns: `dict[str, ExistingFile]`.
    Raises: `InvalidInput` naming the file and line when a file is not YAML
    the importer can read, or listing the folder's files it cannot use.

    Example:
        >>> existing = existing_files("my-workspace/evidence/KAZ")
        >>> sorted(existing)
    """
    out: dict[str, ExistingFile] = {}
    if not os.path.isdir(folder):
        return out
    problems: list[Problem] = []
    for path in evidence_files(folder, problems):
        try:
            text = yamlio.read_text(path)
            doc = yamlio.parse(text, path)
        except yamlio.YamlError as exc:
            where = f"{path}:{exc.line}" if exc.line else path
            raise InvalidInput(say("i_fix_file_first", where=where, detail=exc.message)) from None
        data = doc.data if isinstance(doc.data, dict) else {}
        out[os.path.basename(path)] = ExistingFile(path, text, data, yamledit.layout(text) if data else {})
    if problems:
        raise InvalidInput(say("i_folder_unusable", folder=folder), problems)
    return out


def record_ids(items: Any) -> dict[str, dict]:
    """The records of a documents or findings list by id; records without a
    string id are left out, and anything but a list gives none.

    Returns: `dict[str, dict]`.
    Raises: nothing.

    Example:
        >>> record_ids([{"id": "a", "level": 1}, {"level": 2}, "x"])
        {'a': {'id': 'a', 'level': 1}}
    """
    return {item["id"]: item for item in items or [] if isinstance(item, dict) and isinstance(item.get("id"), str)} \
        if isinstance(items, list) else {}


def place_records(workbook: Workbook, country_row: Row | None, country: dict, existing: dict[str, ExistingFile],
                  problems: list[Problem]) -> dict[str, dict[str, Any]]:
    """Which file of the country folder each of the workbook's records goes
    to: the one its `file` cell names; else the file that holds it now
    (matched by id); else beside its document (a finding) or beside
    documents of its type (a document); else the file holding that kind of
    record, or country.yaml, documents.yaml, findings.yaml. A record
    without an id, a repeated id and a bad file name are appended to
    `problems`, by cell; the rest is still placed, so that one run reports
    every problem at once.

    Returns: `dict[str, dict]`, by file name: ``country`` (the record or
    None), ``documents`` and ``findings`` (the records, in workbook order)
    and ``rows`` (per kind, record id -> the workbook row it came from,
    legislatures included, for mapping problems back to cells).
    Raises: nothing.

    Example:
        >>> from assess.entry.import_read import read_workbook
        >>> problems = []
        >>> workbook = read_workbook("KAZ-entry.xlsx")
        >>> row, country = country_record(workbook, problems)
        >>> planned = place_records(workbook, row, country, existing_files("my-workspace/evidence/KAZ"), problems)
        >>> sorted(planned)
    """
    # which file each record goes to
    where_doc = {i: name for name, ex in existing.items() for i in record_ids(ex.data.get("documents"))}
    where_finding = {i: name for name, ex in existing.items() for i in record_ids(ex.data.get("findings"))}
    where_type: dict[str, str] = {}
    for name in sorted(existing):
        for item in record_ids(existing[name].data.get("documents")).values():
            where_type.setdefault(str(item.get("type")), name)
    holder = {key: next((n for n in sorted(existing) if key in existing[n].data), None) for key in ("country", *LIST_KEYS)}
    default = {
        "country": holder["country"] or "country.yaml",
        "documents": holder["documents"] or holder["country"] or "documents.yaml",
        "findings": holder["findings"] or "findings.yaml",
    }

    def file_of(row: Row | None, record_id: Any, where: dict[str, str], fallback: str) -> str:
        chosen = row.cells.get(FILE_COLUMN) if row else None
        if chosen is not None:
            chosen = str(chosen).strip()
            if not FILE_NAME.match(chosen) or len(chosen) > MAX_FILE_NAME:
                problems.append(row_problem(row, FILE_COLUMN, say("i_bad_file_name", name=chosen, most=MAX_FILE_NAME)))
                return fallback
            if WINDOWS_RESERVED.match(chosen):
                problems.append(row_problem(row, FILE_COLUMN, say("i_windows_reserved", name=chosen, device=chosen.split('.')[0].upper())))
                return fallback
            return chosen
        return where.get(record_id, fallback) if isinstance(record_id, str) else fallback

    planned: dict[str, dict[str, Any]] = {}

    def put(name: str, key: str, value: Any, row: Row) -> None:
        entry = planned.setdefault(name, {"country": None, "documents": [], "findings": [], "rows": {}})
        if key == "country":
            entry["country"] = value
        else:
            entry[key].append(value)
        entry["rows"].setdefault(key, {})[value.get("id") if isinstance(value, dict) else None] = row

    country_file = file_of(country_row, None, {}, default["country"])
    put(country_file, "country", country, country_row)
    planned[country_file]["rows"]["legislatures"] = {
        row.record.get("id"): row for row in workbook.rows.get(LEGISLATURES.name, []) if isinstance(row.record.get("id"), str)}
    seen: dict[tuple[str, Any], Row] = {}
    doc_files: dict[str, str] = {}
    for sheet, key, where in ((DOCUMENTS, "documents", where_doc), (FINDINGS, "findings", where_finding)):
        for row in workbook.rows.get(sheet.name, []):
            record_id = row.record.get("id")
            if record_id is None:
                problems.append(row_problem(row, "id", say(f"i_needs_id_{key[:-1]}")))
                continue
            if (key, record_id) in seen:
                problems.append(row_problem(row, "id", say(f"i_duplicate_id_{key[:-1]}", id=record_id, row=seen[key, record_id].number)))
                continue
            seen[key, record_id] = row
            fallback = default[key]
            if key == "findings" and row.record.get("document") in doc_files:
                fallback = doc_files[row.record["document"]]  # beside its document
            elif key == "documents" and row.record.get("type") in where_type:
                fallback = where_type[row.record["type"]]  # beside documents of its type
            name = file_of(row, record_id, where, fallback)
            if key == "documents" and isinstance(record_id, str):
                doc_files[record_id] = name
            put(name, key, row.record, row)
    return planned
