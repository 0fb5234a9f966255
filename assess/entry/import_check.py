"""Step 4 of `assess import`: the planned files validated, and each problem
mapped back to the workbook cell it came from.

The planned country folder is loaded and validated in a scratch copy with
the workspace's own rubrics and rules, so an import is held to exactly what
`assess validate` would say afterwards; a problem on a line of a record the
workbook wrote is then named by that record's row and the field's column
(`Findings!T7: level: level 5 is outside the scale 0-3 ...`), the others by
the real file and line. `reading_order` sorts them as a person reads the
workbook.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile

from ..data import yamledit, yamlio
from ..data.load import load_workspace
from ..data.model import Problem
from ..data.workspace import Workspace
from .entry import DATA_SHEETS
from .import_plan import LIST_KEYS, ExistingFile, ImportPlan
from .import_read import Row


_REF = re.compile(r"^(?P<sheet>[^!]+)!(?P<col>[A-Z]*)(?P<row>\d+)")


def reading_order(p: Problem) -> tuple:
    """The sort key that puts problems in reading order: sheet by sheet (in
    the workbook's order), row by row, left to right; problems in files (not
    cells) last, by path and line.

    Returns: `tuple`, a sort key.
    Raises: nothing.

    Example:
        >>> [p.path for p in sorted([Problem("Findings!B3", None, "", "x"), Problem("Country!A2", None, "", "y")],
        ...                         key=reading_order)]
        ['Country!A2', 'Findings!B3']
    """
    m = _REF.match(p.path)
    if not m:
        return (len(DATA_SHEETS), 0, 0, "", p.path, p.line or 0)
    order = [s.name for s in DATA_SHEETS]
    sheet = order.index(m["sheet"]) if m["sheet"] in order else len(order)
    return (sheet, int(m["row"]), len(m["col"]), m["col"], "", 0)


def validate_plan(plan: ImportPlan, workspace: Workspace, existing: dict[str, ExistingFile], rows_by_file: dict,
                  country_row: Row | None) -> list[Problem]:
    """Loads the planned country folder of `plan` (the `existing` files with
    the planned changes over them) in a scratch workspace with the real
    rubrics of `workspace`, validates it and removes the scratch copy.
    `rows_by_file` (import_plan.place_records' ``rows``, by file name) and
    `country_row` say which workbook row each record came from.

    Returns: `list[Problem]`, each mapped to the cell it comes from (a
    problem on a line no workbook row wrote keeps the real file's path and
    line; a rubric problem is reported where it is).
    Raises: nothing for bad records (the loader and the validator return
    their problems); `OSError` only if the scratch folder cannot be made.

    Example:
        >>> problems = validate_plan(plan, open_workspace("my-workspace"), existing, rows_by_file, country_row)
        >>> [p.path for p in problems if p.severity == "error"]
    """
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
        root = yamledit.compose(text)
    except yaml.YAMLError:
        return out
    if not isinstance(root, yaml.MappingNode):
        return out
    lines = yamledit.split_lines(text)[0]
    shown = yamlio.editor_lines(text)  # the loader reports lines as an editor shows them

    def mark(node, row: Row | None) -> None:
        if row is None:
            return
        for n in range(node.start_mark.line, yamledit.last_line(node, lines) + 1):
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
