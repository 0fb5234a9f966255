"""Read a data-entry workbook back into evidence files: `assess import`.

Four steps, each in a module of its own and each a function a test or
notebook can call; this module runs them in order:

1. import_read: `read_workbook` turns the rows of the Country,
   Legislatures, Documents and Findings sheets into records, each
   remembering its sheet and row.
2. import_plan: records are matched by id with what the country's files
   already hold, and each is given the file it goes to (`place_records`).
3. import_edit: file by file, what would change; a file whose records all
   match is left alone; otherwise only the records that differ are
   replaced, removed or appended (see data/yamledit), so comments and
   layout elsewhere survive.
4. import_check: the planned files are loaded and validated in a scratch
   copy with the workspace's own rules, and every problem is mapped back to
   the cell it came from (`Findings!T7: level: level 5 is outside the scale
   0-3 ...`).

`plan_import` does all four and writes nothing; `apply_import` writes the
planned files, all or none. Nothing is written while there are errors, and
the CLI shows the diff and asks (or needs --force) before it replaces an
existing file.
"""

from __future__ import annotations

import os

from ..common.messages import say
from ..common.errors import InvalidInput
from ..data.workspace import Workspace
from .import_check import reading_order, validate_plan
from .import_edit import file_changes
from .import_plan import FileChange, ImportPlan, country_record, existing_files, place_records
from .import_read import Row, Workbook, check_workbook, read_workbook

# the importer's public names, wherever they are defined: `importer.ImportPlan` and the rest stay where they were
__all__ = ["FileChange", "ImportPlan", "Row", "Workbook", "apply_import", "check_workbook", "plan_import", "read_workbook"]


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
    country_row, country = country_record(workbook, problems)
    if country is None:
        raise InvalidInput(say("i_errors_nothing_written", path=workbook_path, n=len([p for p in problems if p.severity == 'error'])), problems)
    iso3 = country["iso3"]
    folder = os.path.join(workspace.evidence_dir, iso3)
    existing = existing_files(folder)
    planned = place_records(workbook, country_row, country, existing, problems)
    # the workbook's own mistakes do not stop here: the planned files are
    # validated too, so that one run reports every problem at once

    plan = ImportPlan(workbook_path, iso3, folder, checklist_rows=workbook.checklist_rows)
    plan.changes, plan.unchanged = file_changes(folder, country, existing, planned)

    rows_by_file = {name: entry["rows"] for name, entry in planned.items()}
    found = sorted(problems + validate_plan(plan, workspace, existing, rows_by_file, country_row), key=reading_order)
    errors = sum(p.severity == "error" for p in found)
    if errors:
        raise InvalidInput(say("i_errors_nothing_written", path=workbook_path, n=errors), found)
    plan.warnings = found
    return plan


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
