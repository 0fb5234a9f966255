"""Step 3 of `assess import`: each planned file's new text, as YAML edits.

A file the workbook's records all match is left alone. A new file is
rendered whole; in an existing one only the records that differ are
replaced, removed or appended (yamledit finds their lines), so that the
analyst's comments, blank lines and layout elsewhere survive byte for byte.
Each result is a `FileChange` with a one-line summary per record.
"""

from __future__ import annotations

import os
from typing import Any

from ..data import yamledit
from .entry import COUNTRY, DOCUMENTS, FINDINGS, LEGISLATURES, comparable
from .import_plan import LIST_KEYS, ExistingFile, FileChange, record_ids


def country_comparable(record: dict | None) -> dict | None:
    """The country record in the form its workbook rows compare in
    (entry.comparable, for the country and each legislature and chamber), so
    that a record read back unchanged compares equal to the one in the file.

    Returns: `dict`, or None for no record.
    Raises: nothing.

    Example:
        >>> country_comparable({"iso3": "KAZ", "legislatures": [{"id": "parliament"}]})["legislatures"]
        [{'id': 'parliament'}]
    """
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


def file_changes(folder: str, country: dict, existing: dict[str, ExistingFile],
                 planned: dict[str, dict[str, Any]]) -> tuple[list[FileChange], list[str]]:
    """What importing writes into the country folder `folder`: for every file
    that exists or is planned (import_plan.place_records), in name order, a
    new file, an edited one, or none when its records all match.

    Returns: `tuple[list[FileChange], list[str]]`, the changes and the paths
    of the existing files left unchanged.
    Raises: nothing.

    Example:
        >>> planned = {"laws.yaml": {"country": None, "documents": [{"id": "grondwet"}], "findings": []}}
        >>> changes, unchanged = file_changes("evidence/NLD", {"iso3": "NLD", "name": "Netherlands"}, {}, planned)
        >>> [(c.path, c.summary) for c in changes], unchanged
        ([('evidence/NLD/laws.yaml', ['+ document grondwet'])], [])
    """
    changes: list[FileChange] = []
    unchanged: list[str] = []
    iso3 = country["iso3"]
    name_text = (country.get("name") or {}).get("en") if isinstance(country.get("name"), dict) else country.get("name")
    for name in sorted(set(existing) | set(planned)):
        target = planned.get(name, {"country": None, "documents": [], "findings": []})
        ex = existing.get(name)
        if ex is None:
            change = new_file(os.path.join(folder, name), target, iso3, name_text)
            if change is not None:
                changes.append(change)
            continue
        change = edit_file(ex, target)
        if change is None:
            unchanged.append(ex.path)
        else:
            changes.append(change)
    return changes, unchanged


def new_file(path: str, target: dict, iso3: str, name_text: str | None) -> FileChange | None:
    """A new evidence file at `path` holding the planned records `target`
    (its ``country``, ``documents`` and ``findings``), under a header
    comment naming the country (`name_text`, else its code).

    Returns: `FileChange` (``old`` None), or None when there is nothing to
    put in the file.
    Raises: nothing.

    Example:
        >>> new_file("evidence/NLD/laws.yaml", {"country": None, "documents": [{"id": "grondwet"}], "findings": []},
        ...          "NLD", "Netherlands").summary
        ['+ document grondwet']
    """
    blocks = []
    if target["country"] is not None:
        blocks.append(("country", target["country"]))
    blocks += [(key, target[key]) for key in LIST_KEYS if target[key]]
    if not blocks:
        return None
    header = f"{name_text or iso3} ({iso3}): written by `assess import`; edit freely."
    summary = [f"+ {key[:-1]} {rec.get('id')}" for key in LIST_KEYS for rec in target[key]]
    if target["country"] is not None:
        summary.insert(0, f"+ country {iso3}")
    return FileChange(path, None, yamledit.render_file(blocks, header), summary)


def edit_file(ex: ExistingFile, target: dict) -> FileChange | None:
    r"""The existing file `ex` edited to hold the planned records `target`:
    a changed record is rewritten (its unchanged fields keep their lines), a
    removed one dropped (taking one of the blank lines around it along), a
    new one appended after the list's last item; a list that cannot be
    edited item by item is replaced whole, a key the file lacks appended.
    Every other line keeps its bytes.

    Returns: `FileChange` (``dropped_comments`` counts the comment lines
    inside records replaced or removed), or None when every record matches.
    Raises: nothing.

    Example:
        >>> text = "findings:  # coded 2026\n  - id: a\n    level: 1\n"
        >>> ex = ExistingFile("findings.yaml", text, {"findings": [{"id": "a", "level": 1}]}, yamledit.layout(text))
        >>> change = edit_file(ex, {"country": None, "documents": [], "findings": [{"id": "a", "level": 2}]})
        >>> change.new, change.summary
        ('findings:  # coded 2026\n  - id: a\n    level: 2\n', ['~ finding a'])
    """
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
    if country_comparable(old_country) != country_comparable(new_country):
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
        old = record_ids(old_items)
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
