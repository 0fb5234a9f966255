"""Scenarios: a draft law, a bill or a proposed amendment, as an overlay on
the evidence, so it can be scored before it passes.

A scenario is a folder `scenarios/<name>/` of a workspace (or of the data
shipped with assess, read-only), holding evidence files in the same format as
a country's. One file carries `scenario:`, what the overlay is:

    scenario:
      title: {en: ..., ru: ..., kk: ...}
      description: {en: ...}
      status: draft              # draft | bill | proposed-amendment
      country: KAZ               # the country whose evidence it changes
      in_force_from: 2026-07-01  # the date it assumes its changes in force
      as_of: 2026-03-01          # the day it stood (the "before" of `assess whatif`; optional)
      url: ...                   # where its text was published (optional)
      note: ...

and any file of the folder may hold, besides:

    documents: [...]          # documents it adds (new ids)
    findings: [...]           # findings it adds (new ids)
    replace_documents: [...]  # documents of the base evidence it replaces, by id
    replace_findings: [...]   # findings of the base evidence it replaces, by id
    ends:                     # documents of the base evidence it ends on a date
      - {document: ID, in_force_to: YYYY-MM-DD, note: ...}

The overlay is applied right after loading (apply_scenario), before anything
is validated or scored: what the scorer, the timeline and the sensitivity
analysis see is the base evidence with the overlay merged in (merge), nothing
else. A reference into the base evidence that does not resolve (a replaced or
ended id that is not there, an added id that already is) is an error at the
file, line and field of the scenario. Scenarios never enter baselines or
`assess check`: only a command given a scenario reads one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from ..common.errors import InvalidInput, UsageError
from ..common.messages import say
from ..data.load import (ID_PATTERN, Spec, evidence_files, file_records, read_yaml,
                   read_document, read_finding, suggest)
from ..data.model import CountryEvidence, Document, Finding, Problem, Source, Text

SCENARIOS_DIR = "scenarios"
STATUSES = ("draft", "bill", "proposed-amendment")

SCENARIO_FILE_SPEC = {"scenario": Spec("map"), "documents": Spec("list"), "findings": Spec("list"),
                      "replace_documents": Spec("list"), "replace_findings": Spec("list"), "ends": Spec("list")}
SCENARIO_SPEC = {
    "title": Spec("text", True),
    "description": Spec("text"),
    "status": Spec("str", True),
    "country": Spec("str", True),
    "in_force_from": Spec("date", True),
    "as_of": Spec("date"),
    "url": Spec("str"),
    "note": Spec("str"),
}
END_SPEC = {"document": Spec("id", True), "in_force_to": Spec("date", True), "note": Spec("str")}


@dataclass(frozen=True)
class End:
    """A base document the scenario ends: its last day in force."""

    document: str
    in_force_to: dt.date
    note: str | None
    source: Source


@dataclass(frozen=True)
class Scenario:
    name: str
    folder: str
    shipped: bool  # from the data shipped with assess (read-only)
    title: Text
    description: Text
    status: str
    country: str
    in_force_from: dt.date  # the date it assumes its changes in force
    as_of: dt.date | None  # the day it stood: the "before" of whatif
    url: str | None
    note: str | None
    source: Source
    files: tuple[str, ...]
    documents: tuple[Document, ...] = ()
    findings: tuple[Finding, ...] = ()
    replace_documents: tuple[Document, ...] = ()
    replace_findings: tuple[Finding, ...] = ()
    ends: tuple[End, ...] = ()

    def stamp(self, msg) -> str:
        """One line that says this is a scenario, not the law: its name, status, title and assumed date."""
        from ..common.messages import Formats

        return msg("scenario_stamp", name=self.name, status=msg(f"scenario_status_{self.status.replace('-', '_')}"),
                   title=self.title.get(msg.lang), date=Formats(msg).date(self.in_force_from))

    def to_dict(self, lang: str = "en") -> dict:
        return {
            "name": self.name, "status": self.status, "title": self.title.get(lang),
            "description": self.description.get(lang) if self.description.values else None,
            "country": self.country, "in_force_from": self.in_force_from.isoformat(),
            "as_of": self.as_of.isoformat() if self.as_of else None, "url": self.url, "shipped": self.shipped,
            "changes": {"documents_added": [d.id for d in self.documents], "findings_added": [f.id for f in self.findings],
                        "documents_replaced": [d.id for d in self.replace_documents],
                        "findings_replaced": [f.id for f in self.replace_findings],
                        "documents_ended": [{"document": e.document, "in_force_to": e.in_force_to.isoformat()} for e in self.ends]},
            "note": "a scenario: the evidence with this overlay applied, not the law in force",
        }

    @property
    def record_ids(self) -> set[str]:
        """Ids of the findings and documents the scenario adds or replaces."""
        return {r.id for group in (self.documents, self.findings, self.replace_documents, self.replace_findings) for r in group}


# ---------------------------------------------------------------- where scenarios are


def shipped_scenarios_dir() -> str:
    """The scenarios shipped with assess: assess/_shipped/scenarios in a wheel,
    the repository's scenarios/ in a source checkout (the folder beside the
    shipped evidence).

    Returns: `str` (the folder's path; it may not exist).
    Raises: nothing.

    Example:
        >>> os.path.basename(shipped_scenarios_dir())
        'scenarios'
    """
    from ..data.workspace import shipped_root

    return os.path.join(os.path.dirname(shipped_root()[1]), SCENARIOS_DIR)


def workspace_scenarios_dir(workspace) -> str:
    """The scenarios/ folder of a workspace (under its root; it may not exist).

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> workspace_scenarios_dir(open_workspace("my-workspace"))
        '/home/me/my-workspace/scenarios'
    """
    return os.path.join(workspace.root, SCENARIOS_DIR)


def scenario_folders(loaded) -> list[tuple[str, str, bool]]:
    """(name, folder, shipped) of every scenario the workspace sees: its own
    scenarios/, then those shipped with assess (read-only) on the shipped
    countries it uses; a workspace that replaced or turned off a shipped
    country does not see the shipped scenarios on it. Sorted by name.

    Returns: `list[tuple[str, str, bool]]`.
    Raises: nothing.

    Example:
        >>> [name for name, _, _ in scenario_folders(loaded)]
        ['kaz-constitution-2026-draft']
    """
    from ..data.workspace import shipped_of

    own = workspace_scenarios_dir(loaded.workspace)
    shipped_dir = shipped_scenarios_dir()
    same = os.path.isdir(shipped_dir) and os.path.realpath(own) == os.path.realpath(shipped_dir)
    out: dict[str, tuple[str, str, bool]] = {}
    for name, path in _folders(own):
        out[name] = (name, path, same and loaded.workspace.read_only)
    if not same:
        from ..data.workspace import shipped_codes

        shipped = shipped_of(loaded)
        # a shipped country this workspace uses (whether or not this command read it)
        usable = set(shipped_codes()) - set(shipped.own) - set(shipped.off) - set(shipped.left_out)
        for name, path in _folders(shipped_dir):
            if name not in out and country_of(path) in usable:
                out[name] = (name, path, True)
    return [out[name] for name in sorted(out)]


def _folders(folder: str) -> list[tuple[str, str]]:
    if not os.path.isdir(folder):
        return []
    return [(name, os.path.join(folder, name)) for name in sorted(os.listdir(folder))
            if not name.startswith(".") and os.path.isdir(os.path.join(folder, name))]


def country_of(folder: str) -> str | None:
    """The country a scenario folder names (a quick look, for listing): the
    `scenario: country:` of its first file that has one, in capitals.

    Returns: `str` or None (none named, or unreadable).
    Raises: nothing.

    Example:
        >>> country_of("scenarios/kaz-constitution-2026-draft")
        'KAZ'
    """
    for path in evidence_files(folder, []):
        doc = read_yaml(path, [])
        data = getattr(doc, "data", None)
        if isinstance(data, dict) and isinstance(data.get("scenario"), dict):
            value = data["scenario"].get("country")
            return str(value).strip().upper() if value else None
    return None


def find_scenario(loaded, name: str) -> tuple[str, str, bool]:
    """The scenario the workspace sees by this name (see scenario_folders).

    Returns: `tuple[str, str, bool]` (name, folder, shipped).
    Raises: `UsageError` for an unknown name, with the nearest one and the
    scenarios there.

    Example:
        >>> name, folder, shipped = find_scenario(loaded, "kaz-constitution-2026-draft")
    """
    found = {n: (n, p, s) for n, p, s in scenario_folders(loaded)}
    if name in found:
        return found[name]
    available = ", ".join(sorted(found)) or say("e_none")
    if getattr(loaded.workspace, "read_only", False):  # the shipped data: a scenario of one's own needs a workspace
        where = say("e_scenario_where_own", folder=f"scenarios{os.sep}<name>/")
    else:
        where = f"{workspace_scenarios_dir(loaded.workspace)}{os.sep}<name>/"
    raise UsageError(say("e_unknown_scenario", name=name, hint=suggest(name, found), available=available, where=where))


# ---------------------------------------------------------------- reading one


def load_scenario(name: str, folder: str, shipped: bool, problems: list[Problem]) -> Scenario | None:
    """Reads a scenario folder: its `scenario:` description (title, status,
    country, in_force_from, as_of...), and the documents, findings,
    replacements and ends it overlays; every problem (file, line, field)
    goes to `problems`.

    Returns: `Scenario`, or None when the folder is not named by an id or
    has no usable `scenario:` (the problems say why).
    Raises: nothing (problems go to the list).

    Example:
        >>> problems = []
        >>> load_scenario("kaz-constitution-2026-draft", folder, True, problems).in_force_from
        datetime.date(2026, 7, 1)
    """
    meta: dict | None = None
    meta_source: Source | None = None
    groups: dict[str, list] = {"documents": [], "findings": [], "replace_documents": [], "replace_findings": [], "ends": []}
    files = evidence_files(folder, problems)
    if not ID_PATTERN.match(name):
        problems.append(Problem(folder, None, "", say("e_scenario_folder_name", name=name)))
        return None
    for doc, reader, top in file_records(files, problems, SCENARIO_FILE_SPEC, "e_what_scenario_file",
                                         ("scenario", "documents", "findings", "replace_documents", "replace_findings", "ends")):
        if top["scenario"] is not None:
            rec = reader.record(doc.data["scenario"], ("scenario",), SCENARIO_SPEC, "e_what_the_scenario")
            if rec is not None and meta is not None:
                reader.problem(("scenario",), "scenario", say("e_scenario_twice", path=meta_source.path, line=meta_source.line))
            elif rec is not None:
                status = rec["status"].lower()
                if status not in STATUSES:
                    reader.problem(("scenario", "status"), "status", say("e_expected_one_of", choices=", ".join(STATUSES),
                                                                         got=rec["status"], hint=suggest(status, STATUSES)))
                    rec = None
                else:
                    rec["status"] = status
                if rec is not None:
                    meta, meta_source = rec, reader.source(("scenario",), doc.data["scenario"])
                    rec["country"] = rec["country"].strip().upper()
        for key in ("documents", "replace_documents"):
            for i, item in enumerate(top[key] or []):
                d = read_document(reader, item, (key, i))
                if d is not None:
                    groups[key].append(d)
        for key in ("findings", "replace_findings"):
            for i, item in enumerate(top[key] or []):
                f = read_finding(reader, item, (key, i))
                if f is not None:
                    groups[key].append(f)
        for i, item in enumerate(top["ends"] or []):
            rec = reader.record(item, ("ends", i), END_SPEC, "e_what_end")
            if rec is not None:
                groups["ends"].append(End(rec["document"], rec["in_force_to"], rec["note"], reader.source(("ends", i), item)))
    if meta is None:
        if files:
            problems.append(Problem(files[0], None, "scenario", say("e_scenario_undescribed", folder=folder)))
        else:
            problems.append(Problem(folder, None, "", say("e_scenario_no_files")))
        return None
    if meta["as_of"] is not None and meta["as_of"] > meta["in_force_from"]:
        problems.append(Problem(meta_source.path, meta_source.line_of("as_of"), "as_of",
                                say("e_scenario_as_of_late", as_of=meta["as_of"], date=meta["in_force_from"])))
    return Scenario(
        name=name, folder=folder, shipped=shipped, title=meta["title"], description=meta["description"] or Text({}),
        status=meta["status"], country=meta["country"], in_force_from=meta["in_force_from"], as_of=meta["as_of"],
        url=meta["url"], note=meta["note"], source=meta_source, files=tuple(sorted(files)),
        documents=tuple(groups["documents"]), findings=tuple(groups["findings"]),
        replace_documents=tuple(groups["replace_documents"]), replace_findings=tuple(groups["replace_findings"]),
        ends=tuple(groups["ends"]),
    )


# ---------------------------------------------------------------- the overlay


def merge(evidence: CountryEvidence, scenario: Scenario, problems: list[Problem] | None = None) -> CountryEvidence:
    """The base evidence with the scenario's overlay merged in: documents
    replaced, then ended, then added; findings replaced, then added. A
    reference into the base evidence that does not resolve (or an addition
    that is already there) is a Problem at the scenario record (and the
    record is left out). The base evidence is not changed.

    Returns: `CountryEvidence`.
    Raises: nothing (problems go to the list).

    Example:
        >>> merged = merge(loaded.countries["KAZ"], scenario, problems)
    """
    problems = problems if problems is not None else []
    base_docs, base_findings = evidence.documents, {f.id for f in evidence.findings}
    documents = dict(base_docs)

    def err(source: Source, name: str, message: str) -> None:
        problems.append(Problem(source.path, source.line_of(name), name, message))

    for d in scenario.replace_documents:
        if d.id not in base_docs:
            err(d.source, "id", say("e_scenario_no_document", document=d.id, code=evidence.iso3, hint=suggest(d.id, base_docs)))
            continue
        documents[d.id] = d
    for e in scenario.ends:
        doc = documents.get(e.document)
        if doc is None:
            err(e.source, "document", say("e_scenario_end_no_document", document=e.document, code=evidence.iso3,
                                          hint=suggest(e.document, base_docs)))
            continue
        if doc.in_force_from is None:
            err(e.source, "document", say("e_scenario_end_never", document=e.document))
            continue
        if e.in_force_to < doc.in_force_from:
            err(e.source, "in_force_to", say("e_scenario_end_early", document=e.document, start=doc.in_force_from,
                                             end=e.in_force_to))
            continue
        if doc.in_force_to is None or e.in_force_to < doc.in_force_to:
            documents[e.document] = dataclasses.replace(doc, in_force_to=e.in_force_to)
    for d in scenario.documents:
        if d.id in base_docs:
            src = base_docs[d.id].source
            err(d.source, "id", say("e_scenario_document_there", document=d.id, code=evidence.iso3, path=src.path, line=src.line))
            continue
        documents[d.id] = d
    replacing = {}
    for f in scenario.replace_findings:
        if f.id not in base_findings:
            err(f.source, "id", say("e_scenario_no_finding", finding=f.id, code=evidence.iso3, hint=suggest(f.id, base_findings)))
            continue
        replacing[f.id] = f
    findings = [replacing.get(f.id, f) for f in evidence.findings]
    for f in scenario.findings:
        if f.id in base_findings:
            err(f.source, "id", say("e_scenario_finding_there", finding=f.id, code=evidence.iso3))
            continue
        findings.append(f)
    return CountryEvidence(country=evidence.country, documents=documents, findings=tuple(findings),
                           files=tuple(sorted(set(evidence.files) | set(scenario.files))))


def apply_scenario(loaded, name: str) -> Scenario:
    """Reads scenario `name` and merges it into the evidence of its country in
    `loaded` (in place; `loaded.scenario` is set); its problems join
    loaded.problems, so that scoring refuses a scenario with errors as it
    refuses evidence with errors.

    Returns: `Scenario`.
    Raises: `UsageError` (unknown scenario; its country has no evidence in
    the workspace), `InvalidInput` (the scenario cannot be read).

    Example:
        >>> apply_scenario(loaded, "kaz-constitution-2026-draft").country
        'KAZ'
    """
    name, folder, shipped = find_scenario(loaded, name)
    problems: list[Problem] = []
    scenario = load_scenario(name, folder, shipped, problems)
    if scenario is None:
        raise InvalidInput(say("e_scenario_unreadable", name=name, folder=folder),
                           [p for p in problems if p.severity == "error"] or problems)
    base = loaded.countries.get(scenario.country)
    if base is None:
        raise UsageError(say("e_scenario_no_base", name=name, code=scenario.country, path=scenario.source.path,
                             line=scenario.source.line_of("country")))
    loaded.countries[scenario.country] = merge(base, scenario, problems)
    loaded.problems.extend(problems)
    loaded.scenario = scenario
    return scenario


def check_scenarios(loaded) -> tuple[list[Problem], list[str]]:
    """Every scenario the workspace sees, checked as evidence is: its own
    problems, the references into the base evidence that do not resolve, and
    what `validate` says of the merged evidence at the scenario's records.
    `loaded` is not changed.

    Returns: `tuple[list[Problem], list[str]]` (problems, the files read).
    Raises: nothing (problems go to the list).

    Example:
        >>> problems, files = check_scenarios(loaded)
        >>> problems
        []
    """
    from ..checking.validate import check_country, check_traced

    problems: list[Problem] = []
    files: list[str] = []
    criteria = loaded.criterion_index()
    tiers = {t.id for r in loaded.rubrics.values() for t in r.tiers}
    for name, folder, shipped in scenario_folders(loaded):
        own: list[Problem] = []
        scenario = load_scenario(name, folder, shipped, own)
        files.extend(evidence_files(folder, []))
        if scenario is None:
            problems.extend(own)
            continue
        base = loaded.countries.get(scenario.country)
        if base is None:
            own.append(Problem(scenario.source.path, scenario.source.line_of("country"), "country",
                               say("e_scenario_no_base_problem", code=scenario.country)))
            problems.extend(own)
            continue
        merged = merge(base, scenario, own)
        mine = set(scenario.files)
        found = check_country(merged, criteria, loaded.document_types) + check_traced(merged, tiers)
        own.extend(p for p in found if p.path in mine)
        problems.extend(own)
    return problems, sorted(set(files))


# ---------------------------------------------------------------- stamping outputs


def stamp_json(text: str, scenario: Scenario | None, lang: str = "en") -> str:
    """A JSON document (an object) with `"scenario": {...}` (the scenario's
    description in `lang`) as its first key; the text unchanged without a
    scenario.

    Returns: `str`.
    Raises: `ValueError` for a text without "{".

    Example:
        >>> stamp_json('{"a": 1}', None)
        '{"a": 1}'
    """
    if scenario is None:
        return text
    import json

    head = text.index("{") + 1
    entry = json.dumps(scenario.to_dict(lang), ensure_ascii=False)
    return text[:head] + f'\n  "scenario": {entry},' + text[head:]


def stamp_lines(scenario: Scenario | None, lang: str = "en") -> list[str]:
    """The terminal header of a scenario's output, in `lang`: the stamp, and
    what it rests on (a scenario is not law); empty without a scenario.

    Returns: `list[str]`.
    Raises: nothing for a shipped language.

    Example:
        >>> stamp_lines(None)
        []
    """
    if scenario is None:
        return []
    from ..common.messages import catalogue

    msg = catalogue(lang)
    return [scenario.stamp(msg), msg("scenario_not_law")]


def default_as_of(scenario: Scenario | None, as_of: Any) -> Any:
    """The date to score a scenario as of: the one given, else the date it
    assumes in force; `as_of` unchanged without a scenario.

    Returns: the date given, or the scenario's `in_force_from` (`date`).
    Raises: nothing.

    Example:
        >>> default_as_of(scenario, None)
        datetime.date(2026, 7, 1)
    """
    if as_of is not None or scenario is None:
        return as_of
    return scenario.in_force_from
