"""`assess verify --record`: write what the source texts confirm into the evidence.

A finding whose quote `assess verify` finds at its locator in a source text of
the workspace gets a check record that the scores read:

    check:
      by: assess verify
      date: 2026-12-01
      against: evidence/FRE/sources/fre-constitution.en.txt, Art. 7(1)(3) (https://example.org/...)
      method: source-text
      verbatim: true

Scoring reads only the evidence files, never the source texts: the record is
how a check made against a text reaches `score`, `explain` and the reports,
reviewable in the file's history, and it stays when the texts themselves
cannot be shared. The command keeps the records true: a record of an earlier
run that the text now contradicts is removed; a record whose text is absent
from the workspace is kept (it was checked; the text is not here); a coder's
own check record is never replaced.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from ..data.model import CountryEvidence
from .verify import ELSEWHERE, NO_LOCATOR, NO_QUOTE, VERIFIED, VerifyResult

BY = "assess verify"
ADDED, UPDATED, REMOVED, KEPT = "added", "updated", "removed", "not recorded"


@dataclass(frozen=True)
class Recorded:
    """One change `--record` made to the evidence, or a finding it left alone and why."""

    country: str
    finding: str
    action: str  # added | updated | removed | not recorded
    path: str
    detail: str

    def to_dict(self) -> dict:
        return {"country": self.country, "finding": self.finding, "action": self.action, "file": self.path,
                "detail": self.detail}


def against_text(r: VerifyResult) -> str:
    """What a check record says it was checked against: the text file, the
    provision and the text's URL, from a verify result.

    Returns: `str` ("file, provision (url)", parts left out where unknown).
    Raises: nothing.

    Example:
        >>> against_text(result)
        'evidence/FRE/sources/fre-constitution.ru.txt, Art. 12(1) (https://example.org/constitution)'
    """
    where = f"{r.source}, {r.resolved}" if r.resolved else str(r.source)
    return f"{where} ({r.source_url})" if r.source_url else where


def plan(evidence: CountryEvidence, results: list[VerifyResult], today: dt.date) -> tuple[dict[str, list], list[Recorded]]:
    """What to write for one country: per evidence file, the (finding id,
    check record or None to remove) edits, and every action in words. A
    verified verbatim quote gets a source-text check record (dated `today`);
    a source-text record the text no longer confirms is removed; a finding
    with a check record of its own, or a quote not marked verbatim, is kept
    as it is (the action says why). Nothing is written here.

    Returns: `tuple[dict[str, list], list[Recorded]]`.
    Raises: nothing.

    Example:
        >>> edits, actions = plan(evidence, verify_country("evidence", evidence), dt.date.today())
    """
    findings = {f.id: f for f in evidence.findings}
    edits: dict[str, list] = {}
    actions: list[Recorded] = []
    for r in results:
        f = findings.get(r.finding)
        if f is None:
            continue
        check = f.check
        ours = check is not None and check.source_text
        if r.kind == VERIFIED:
            record = {"by": BY, "date": today, "against": against_text(r), "method": "source-text", "verbatim": True}
            if r.source_edition:  # the edition the text states (assess sources fetch records it)
                try:  # the edition's date (edition: 2024-05-01); a label that is not a date is left out
                    record["edition"] = dt.date.fromisoformat(r.source_edition)
                except ValueError:
                    pass
            if check is not None and not ours:
                actions.append(Recorded(r.country, f.id, KEPT, f.source.path,
                                        f"found in {r.source}, but the finding has a check record of its own ({check.by or '?'}); "
                                        "remove it to record the source-text check"))
            elif r.quote_kind != "verbatim":
                actions.append(Recorded(r.country, f.id, KEPT, f.source.path,
                                        f"found in {r.source}, but the finding marks its quote as a {r.quote_kind}; "
                                        "mark it quote_kind: verbatim to record the check"))
            elif ours and check.against == record["against"] and check.verbatim is True and check.complete \
                    and check.edition == (str(record["edition"]) if record.get("edition") else None):
                continue  # already recorded against the same text and provision
            else:
                edits.setdefault(f.source.path, []).append((f.id, record))
                actions.append(Recorded(r.country, f.id, UPDATED if ours else ADDED, f.source.path,
                                        f"the quote is in {r.resolved} of {r.source}"))
        elif ours and r.kind in (ELSEWHERE, NO_QUOTE, NO_LOCATOR):
            edits.setdefault(f.source.path, []).append((f.id, None))
            actions.append(Recorded(r.country, f.id, REMOVED, f.source.path, f"the source text no longer confirms it: {r.detail}"))
    return edits, actions


def apply(edits: dict[str, list], actions: list[Recorded]) -> list[Recorded]:
    """Writes the edits `plan` made, every file or none
    (atomic.write_files_atomic). A finding that cannot be edited field by
    field (written in flow style) is reported as kept, not written.

    Returns: `list[Recorded]`, the actions as they were carried out.
    Raises: `OSError` for an evidence file that cannot be read;
    `UsageError`, `CannotWrite` or `Interrupted` from the atomic write.

    Example:
        >>> for a in apply(edits, actions): print(a.action, a.finding)
    """
    from ..data import yamledit
    from ..common.atomic import write_files_atomic

    out, writes, failed = [], [], set()
    for path, items in sorted(edits.items()):
        with open(path, encoding="utf-8", newline="") as fh:
            text = fh.read()
        new = text
        for finding_id, record in items:
            changed = yamledit.set_item_field(new, "findings", finding_id, "check", record)
            if changed is None:
                failed.add(finding_id)
                continue
            new = changed
        if new != text:
            writes.append((path, new.encode("utf-8")))
    for a in actions:
        if a.finding in failed and a.action in (ADDED, UPDATED, REMOVED):
            out.append(Recorded(a.country, a.finding, KEPT, a.path,
                                "the finding is written in a form that cannot be edited field by field (flow style); "
                                "add or remove the check record by hand"))
        else:
            out.append(a)
    if writes:
        write_files_atomic(writes)
    return out


def shown(path: str) -> str:
    """A path as a message shows it: relative to the current folder, unless it
    lies outside it.

    Returns: `str`.
    Raises: nothing on POSIX (on Windows, `ValueError` for a path on another
    drive).

    Example:
        >>> shown(os.path.join(os.getcwd(), "evidence", "KAZ", "laws.yaml"))
        'evidence/KAZ/laws.yaml'
    """
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel
