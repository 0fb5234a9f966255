"""Read a data-entry workbook back into evidence files: `assess import`.

Three steps, each a function a test or notebook can call:

1. `read_workbook` turns the rows of the Country, Legislatures, Documents
   and Findings sheets into records, each remembering its sheet and row.
2. `plan_import` works out, file by file, what would change: records are
   matched by id with what the country's files already hold; a file whose
   records all match is left alone; otherwise only the records that differ
   are replaced, removed or appended (see yamledit), so comments and layout
   elsewhere survive. The planned files are then loaded and validated in a
   scratch copy with the workspace's own rules, and every problem is mapped
   back to the cell it came from (`Findings!H7: level: level 5 is outside
   the scale 0-3 ...`).
3. `apply_import` writes the planned files, each atomically.

Nothing is written while there are errors, and the CLI shows the diff and
asks (or needs --force) before it replaces an existing file.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Any

from ..data import yamledit, yamlio
from .entry import (
    CHAMBER_OF, COUNTRY, DATA_SHEETS, DOCUMENTS, FILE_COLUMN, FINDINGS, FIRST_DATA_ROW, LEGISLATURES, Sheet,
    cell_value, column_letter, comparable, row_to_record,
)
from ..common.errors import InvalidInput, UsageError
from ..data.load import CHAMBER_SPEC, ISO3_PATTERN, WINDOWS_RESERVED, evidence_files, load_workspace, suggest
from ..data.model import Problem
from ..data.workspace import Workspace

FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$")
MAX_FILE_NAME = 100  # well inside every system's limit, with room for the folders above it
LIST_KEYS = ("documents", "findings")


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


def _problem(row: Row, column: str | None, message: str) -> Problem:
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
        raise UsageError(f"{path}: {os_reason(exc, path)}") from None
    if what:
        raise UsageError(f"{path} is {what}, not a workbook file")


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
        raise InvalidInput(f"{path}: cannot read it as an .xlsx workbook ({exc.__class__.__name__}); "
                           "save it from Excel or LibreOffice as Excel 2007-365 (.xlsx)") from None
    problems: list[Problem] = []
    out: dict[str, list[Row]] = {}
    checklist = 0
    try:
        for sheet in DATA_SHEETS:
            if sheet.name not in wb.sheetnames:
                problems.append(Problem(sheet.name, None, "", f"the workbook has no sheet '{sheet.name}'; "
                                        "start from a workbook made by `assess template`"))
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
                    problems.append(Problem(ref, None, "", f"unknown column '{name}'{suggest(name, sheet.columns)}; "
                                            f"the columns are: {', '.join(sheet.columns)}"))
                elif name in columns.values():
                    problems.append(Problem(ref, None, "", f"the column '{name}' appears twice"))
                else:
                    columns[i] = name
            required = {"id"} if sheet is not COUNTRY else {"iso3"}
            for name in sorted(required - set(columns.values())):
                problems.append(Problem(f"{sheet.name}!1:1", None, "", f"the column '{name}' is missing from row 1"))
            sheet_rows: list[Row] = []
            for number, row_cells in enumerate(rows, FIRST_DATA_ROW):
                cells = {}
                for i, cell in enumerate(row_cells):
                    value = cell.value
                    if cell.data_type in ("f", "e") and (i in columns or value is not None):
                        # a formula (=A1, =HYPERLINK(...)) or an error (#N/A) is not evidence: say so, by cell
                        shown = str(getattr(value, "text", value))
                        shown = shown if len(shown) <= 40 else shown[:39] + "…"
                        what = (f"a formula ({shown}); evidence cells hold values: type the text itself (to start a text "
                                "with =, type an apostrophe before it: '=...)") if cell.data_type == "f" else \
                            f"an error value ({shown}); type the value itself"
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
                                                "a value in a column without a field name in row 1"))
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


# ---------------------------------------------------------------- planning


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


def _country_record(workbook: Workbook, problems: list[Problem]) -> tuple[Row | None, dict | None]:
    rows = workbook.rows.get(COUNTRY.name, [])
    if not rows:
        if COUNTRY.name in workbook.rows:
            problems.append(Problem(f"{COUNTRY.name}!{FIRST_DATA_ROW}:{FIRST_DATA_ROW}", None, "",
                                    "the Country sheet needs one row: the country's iso3 and name"))
        return None, None
    for extra in rows[1:]:
        problems.append(_problem(extra, None, "the Country sheet holds one country; this row is one too many"))
    row = rows[0]
    record = dict(row.record)
    iso3 = record.get("iso3")
    if not isinstance(iso3, str) or not ISO3_PATTERN.match(iso3):
        problems.append(_problem(row, "iso3", f"expected an ISO 3166-1 alpha-3 code in capitals such as KAZ, got {iso3!r}"))
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
            known = ", ".join(by_id) or "none above this row"
            problems.append(_problem(leg_row, CHAMBER_OF, f"no legislature '{parent}' in a row above{suggest(str(parent), by_id)}; legislatures: {known}"))
            continue
        chamber = {k: v for k, v in leg_row.record.items() if k in CHAMBER_SPEC}
        by_id[parent].setdefault("chambers", []).append(chamber)
    if legislatures:
        record["legislatures"] = legislatures
    return row, record


def _country_comparable(record: dict | None) -> dict | None:
    if record is None:
        return None
    out = comparable(COUNTRY, {k: v for k, v in record.items() if k != "legislatures"})
    legs = []
    for leg in record.get("legislatures") or []:
        if not isinstance(leg, dict):
            legs.append(leg)
            continue
        item = comparable(LEGISLATURES, {k: v for k, v in leg.items() if k != "chambers"})
        chambers = [comparable(LEGISLATURES, ch) if isinstance(ch, dict) else ch for ch in leg.get("chambers") or []]
        if chambers:
            item["chambers"] = chambers
        legs.append(item)
    if legs:
        out["legislatures"] = legs
    return out


@dataclass
class _Existing:
    path: str
    text: str
    data: dict
    layout: dict[str, yamledit.KeyLayout]


def _existing_files(folder: str) -> dict[str, _Existing]:
    out: dict[str, _Existing] = {}
    if not os.path.isdir(folder):
        return out
    problems: list[Problem] = []
    for path in evidence_files(folder, problems):
        try:
            text = yamlio.read_text(path)
            doc = yamlio.parse(text, path)
        except yamlio.YamlError as exc:
            where = f"{path}:{exc.line}" if exc.line else path
            raise InvalidInput(f"{where}: {exc.message}; fix the file first (see `assess validate`): "
                               "the importer edits evidence files record by record and needs to read them") from None
        data = doc.data if isinstance(doc.data, dict) else {}
        out[os.path.basename(path)] = _Existing(path, text, data, yamledit.layout(text) if data else {})
    if problems:
        raise InvalidInput(f"{folder}: the country folder has files the importer cannot use", problems)
    return out


def _ids(items: Any) -> dict[str, dict]:
    return {item["id"]: item for item in items or [] if isinstance(item, dict) and isinstance(item.get("id"), str)} \
        if isinstance(items, list) else {}


def plan_import(workbook_path: str, workspace: Workspace) -> ImportPlan:
    """What importing the workbook into the workspace would write: for the
    country in it, each evidence file of evidence/<ISO3>/ to change or
    create (records replaced, removed or appended, everything else kept byte
    for byte), the files left unchanged, and warnings. Nothing is written.

    Returns: `ImportPlan` (``.changes``, ``.unchanged``, ``.warnings``).
    Raises: `InvalidInput` with cell-addressed problems if the result would
    not validate; `UsageError` or `InvalidInput` when the workbook cannot be
    read (read_workbook).

    Example:
        >>> plan = plan_import("KAZ-entry.xlsx", open_workspace("my-workspace"))
        >>> [c.path for c in plan.changes]
    """
    workbook = read_workbook(workbook_path)
    problems = list(workbook.problems)
    country_row, country = _country_record(workbook, problems)
    if country is None:
        raise InvalidInput(f"{workbook_path}: {len([p for p in problems if p.severity == 'error'])} error(s); nothing written", problems)
    iso3 = country["iso3"]
    folder = os.path.join(workspace.evidence_dir, iso3)
    existing = _existing_files(folder)

    # which file each record goes to
    where_doc = {i: name for name, ex in existing.items() for i in _ids(ex.data.get("documents"))}
    where_finding = {i: name for name, ex in existing.items() for i in _ids(ex.data.get("findings"))}
    where_type: dict[str, str] = {}
    for name in sorted(existing):
        for item in _ids(existing[name].data.get("documents")).values():
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
                problems.append(_problem(row, FILE_COLUMN, f"'{chosen}' is not an evidence file name: expected a name like laws.yaml (no folders, "
                                                           f"at most {MAX_FILE_NAME} characters)"))
                return fallback
            if WINDOWS_RESERVED.match(chosen):
                problems.append(_problem(row, FILE_COLUMN, f"'{chosen}' is a name Windows reserves for a device ({chosen.split('.')[0].upper()}), "
                                                           "so the file could not be checked out there; choose another name"))
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
                problems.append(_problem(row, "id", f"every {key[:-1]} needs an id (lower-case letters, digits, '-', '_', '.')"))
                continue
            if (key, record_id) in seen:
                problems.append(_problem(row, "id", f"duplicate {key[:-1]} id '{record_id}' (also in row {seen[key, record_id].number})"))
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
    # the workbook's own mistakes do not stop here: the planned files are
    # validated too, so that one run reports every problem at once

    plan = ImportPlan(workbook_path, iso3, folder, checklist_rows=workbook.checklist_rows)
    name_text = (country.get("name") or {}).get("en") if isinstance(country.get("name"), dict) else country.get("name")
    for name in sorted(set(existing) | set(planned)):
        target = planned.get(name, {"country": None, "documents": [], "findings": []})
        ex = existing.get(name)
        if ex is None:
            blocks = []
            if target["country"] is not None:
                blocks.append(("country", target["country"]))
            blocks += [(key, target[key]) for key in LIST_KEYS if target[key]]
            if not blocks:
                continue
            header = f"{name_text or iso3} ({iso3}): written by `assess import`; edit freely."
            summary = [f"+ {key[:-1]} {rec.get('id')}" for key in LIST_KEYS for rec in target[key]]
            if target["country"] is not None:
                summary.insert(0, f"+ country {iso3}")
            plan.changes.append(FileChange(os.path.join(folder, name), None, yamledit.render_file(blocks, header), summary))
            continue
        change = _edit_file(ex, target)
        if change is None:
            plan.unchanged.append(ex.path)
        else:
            plan.changes.append(change)

    rows_by_file = {name: entry["rows"] for name, entry in planned.items()}
    found = sorted(problems + _validate(plan, workspace, existing, rows_by_file, country_row), key=_reading_order)
    errors = sum(p.severity == "error" for p in found)
    if errors:
        raise InvalidInput(f"{workbook_path}: {errors} error(s); nothing written", found)
    plan.warnings = found
    return plan


def _edit_file(ex: _Existing, target: dict) -> FileChange | None:
    lines = yamledit.split_lines(ex.text)[0]  # as YAML counts them, like the spans of ex.layout
    edits: list[yamledit.Edit] = []
    appended: list[str] = []
    summary: list[str] = []
    dropped = 0

    def drop(span: yamledit.Span, replacement: list[str]) -> None:
        nonlocal dropped
        first = span.first
        if not replacement and first > 0 and not lines[first - 1].strip() and (span.last + 1 >= len(lines) or not lines[span.last + 1].strip()):
            first -= 1  # a removed record takes one of the blank lines around it along
        dropped += sum(1 for line in lines[span.first + 1: span.last + 1] if line.strip().startswith("#"))
        edits.append(yamledit.Edit(first, span.last, replacement))

    old_country, new_country = ex.data.get("country"), target["country"]
    if _country_comparable(old_country) != _country_comparable(new_country):
        kl = ex.layout.get("country")
        if kl and new_country is not None:
            drop(kl.span, yamledit.render_key("country", new_country))
            summary.append(f"~ country {new_country.get('iso3')}")
        elif kl:
            drop(kl.span, [])
            summary.append(f"- country {old_country.get('iso3') if isinstance(old_country, dict) else ''}")
        else:
            appended += ["", *yamledit.render_key("country", new_country)]
            summary.append(f"+ country {new_country.get('iso3')}")

    for key, sheet in (("documents", DOCUMENTS), ("findings", FINDINGS)):
        old_items = ex.data.get(key)
        old = _ids(old_items)
        new = {rec["id"]: rec for rec in target[key]}
        changed = {i for i in old.keys() & new.keys() if comparable(sheet, old[i]) != comparable(sheet, new[i])}
        removed = [i for i in old if i not in new]
        added = [i for i in new if i not in old]
        if not (changed or removed or added):
            continue
        word = key[:-1]
        summary += [f"~ {word} {i}" for i in sorted(changed)] + [f"- {word} {i}" for i in removed] + [f"+ {word} {i}" for i in added]
        kl = ex.layout.get(key)
        keeps_unnamed = isinstance(old_items, list) and len(old) < len(old_items)
        if kl and kl.block_list and (len(removed) < len(old) or added or keeps_unnamed):
            for item, span in zip(old_items, kl.items):
                item_id = item.get("id") if isinstance(item, dict) else None
                if item_id in changed:
                    before, after = comparable(sheet, item), comparable(sheet, new[item_id])
                    same = {k for k in after if k in before and before[k] == after[k]}
                    drop(span, yamledit.render_item_keeping(new[item_id], span, lines, same))
                elif item_id in removed:
                    drop(span, [])
            if added:
                last = kl.items[-1]
                spaced = len(kl.items) > 1 and not lines[kl.items[1].first - 1].strip()
                block: list[str] = []
                for i in added:
                    block += ([""] if spaced else []) + yamledit.render_item(new[i], last.dash_col)
                edits.append(yamledit.Edit(last.last + 1, last.last, block))
        elif kl:
            drop(kl.span, yamledit.render_key(key, target[key]))
        else:
            appended += ["", *yamledit.render_key(key, target[key])]
    if not summary:
        return None
    if appended:
        edits.append(yamledit.Edit(len(lines), len(lines) - 1, appended))
    return FileChange(ex.path, ex.text, yamledit.apply_edits(ex.text, edits), summary, dropped)


_REF = re.compile(r"^(?P<sheet>[^!]+)!(?P<col>[A-Z]*)(?P<row>\d+)")


def _reading_order(p: Problem) -> tuple:
    """Problems sheet by sheet, row by row, left to right; file problems last."""
    m = _REF.match(p.path)
    if not m:
        return (len(DATA_SHEETS), 0, 0, "", p.path, p.line or 0)
    order = [s.name for s in DATA_SHEETS]
    sheet = order.index(m["sheet"]) if m["sheet"] in order else len(order)
    return (sheet, int(m["row"]), len(m["col"]), m["col"], "", 0)


# ---------------------------------------------------------------- validation


def _validate(plan: ImportPlan, workspace: Workspace, existing: dict[str, _Existing], rows_by_file: dict,
              country_row: Row | None) -> list[Problem]:
    """Loads the planned country folder in a scratch workspace with the real
    rubrics; returns its problems, each mapped to the cell it comes from."""
    from ..checking.validate import validate

    scratch = tempfile.mkdtemp(prefix="assess-import-")
    try:
        folder = os.path.join(scratch, "evidence", plan.iso3)
        os.makedirs(folder)
        texts = {os.path.basename(ex.path): ex.text for ex in existing.values()}
        texts.update({os.path.basename(c.path): c.new for c in plan.changes})
        for name, text in texts.items():
            with open(os.path.join(folder, name), "w", encoding="utf-8") as fh:
                fh.write(text)
        ws = Workspace(scratch, workspace.criteria_dir, os.path.join(scratch, "evidence"), os.path.join(scratch, "baselines"), "import", {})
        loaded = load_workspace(ws, lambda code: code == plan.iso3)
        report = validate(loaded)
        mapped = []
        locate = {name: _line_map(text, rows_by_file.get(name, {}), country_row) for name, text in texts.items()}
        for p in report.problems:
            if p.path.startswith(folder + os.sep):
                name = os.path.basename(p.path)
                row = locate.get(name, {}).get(p.line) if p.line else None
                if row is not None:
                    mapped.append(Problem(row.ref(row.sheet.column_of(p.field) if p.field else None), None, p.field, p.message, p.severity))
                else:
                    real = os.path.join(plan.folder, name)
                    mapped.append(Problem(real, p.line, p.field, p.message.replace(folder, plan.folder), p.severity))
            elif not p.path.startswith(scratch):
                mapped.append(p)  # a rubric problem: reported where it is
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return mapped


def _line_map(text: str, rows: dict[str, dict], country_row: Row | None) -> dict[int, Row]:
    """1-based line -> the workbook row whose record the line belongs to."""
    import yaml

    out: dict[int, Row] = {}
    try:
        root = yaml.compose(text, Loader=yamledit._Loader)
    except yaml.YAMLError:
        return out
    if not isinstance(root, yaml.MappingNode):
        return out
    lines = yamledit.split_lines(text)[0]
    shown = yamlio.editor_lines(text)  # the loader reports lines as an editor shows them

    def mark(node, row: Row | None) -> None:
        if row is None:
            return
        for n in range(node.start_mark.line, yamledit._last_line(node, lines) + 1):
            out[shown[n] if shown else n + 1] = row

    for key, value in root.value:
        if key.value == "country" and country_row is not None:
            mark(value, country_row)
            mark(key, country_row)
            legs = next((v for k, v in value.value if k.value == "legislatures"), None) if isinstance(value, yaml.MappingNode) else None
            if isinstance(legs, yaml.SequenceNode):
                leg_rows = rows.get("legislatures", {})
                for item in legs.value:
                    _mark_by_id(item, leg_rows, mark)
                    chambers = next((v for k, v in item.value if k.value == "chambers"), None) if isinstance(item, yaml.MappingNode) else None
                    if isinstance(chambers, yaml.SequenceNode):
                        for ch in chambers.value:
                            _mark_by_id(ch, leg_rows, mark)
        elif key.value in LIST_KEYS and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                _mark_by_id(item, rows.get(key.value, {}), mark)
    return out


def _mark_by_id(node, rows: dict, mark) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == "id" and isinstance(v, yaml.ScalarNode) and v.value in rows:
                mark(node, rows[v.value])


# ---------------------------------------------------------------- writing


def apply_import(plan: ImportPlan) -> list[str]:
    """Writes every planned file, all or none (atomic.write_files_atomic: an
    interruption never leaves half an import), making the country folder if
    needed.

    Returns: `list[str]`, the paths written.
    Raises: `UsageError`, `CannotWrite` or `Interrupted` from the atomic
    write; `OSError` when the folder cannot be made.

    Example:
        >>> apply_import(plan_import("KAZ-entry.xlsx", open_workspace("my-workspace")))
    """
    from ..common.atomic import write_files_atomic

    os.makedirs(plan.folder, exist_ok=True)
    return write_files_atomic([(change.path, change.new.encode("utf-8")) for change in plan.changes])
