"""The steps the commands are made of, callable from tests and notebooks.

    >>> import assess
    >>> scores = assess.score(["KAZ", "RUS"], as_of="2021-06-30")
    >>> scores.overall[["country", "overall"]]
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from .errors import InvalidInput, UsageError
from .load import ISO3_PATTERN, Loaded, load_workspace, suggest
from .model import CountryEvidence, Problem, Rubric
from .validate import ValidationReport, iso3_codes, validate
from .workspace import Workspace, add_shipped_countries, open_workspace


def parse_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise UsageError(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2021-06-30") from None


def load(data: str | None = None, countries: Iterable[str] | None = None) -> Loaded:
    """Opens the workspace (see assess.workspace) and loads rubrics and evidence.

    With `countries` (ISO3 codes or English names), only the evidence that can
    match them is read.
    """
    workspace = open_workspace(data)
    wanted = None
    if countries is not None:
        names = [str(c).strip() for c in countries]
        if all(ISO3_PATTERN.match(n.upper()) for n in names):
            codes = {n.upper() for n in names}
            wanted = codes.__contains__
    loaded = load_workspace(workspace, wanted)
    add_shipped_countries(loaded, wanted)  # the shipped countries, read-only, beside the workspace's own
    return loaded


def pick_rubric(loaded: Loaded, rubric_id: str | None = None) -> Rubric:
    """The rubric named, or the workspace's default one."""
    if not loaded.rubrics:
        broken = [p for p in loaded.problems if p.severity == "error"]
        raise InvalidInput(f"no usable rubric in {loaded.workspace.criteria_dir}", broken)
    if rubric_id:
        if rubric_id not in loaded.rubrics:
            broken = [p for p in loaded.problems if p.severity == "error" and p.path.startswith(loaded.workspace.criteria_dir)]
            if broken:
                raise InvalidInput(f"rubric '{rubric_id}' is not usable: its files have errors", broken)
            raise UsageError(f"unknown rubric '{rubric_id}'{suggest(rubric_id, loaded.rubrics)}; available: {', '.join(sorted(loaded.rubrics))}")
        return loaded.rubrics[rubric_id]
    defaults = [r for r in loaded.rubrics.values() if r.default]
    if len(defaults) > 1:
        raise InvalidInput("more than one rubric says `default: true`: " + ", ".join(r.id for r in defaults))
    return defaults[0] if defaults else loaded.rubrics[sorted(loaded.rubrics)[0]]


def find_countries(loaded: Loaded, names: Iterable[str]) -> list[CountryEvidence]:
    """Countries by ISO3 code or English name, case-insensitive, in the order given."""
    by_name = {}
    for code, ev in loaded.countries.items():
        by_name[code.lower()] = code
        for text in ev.country.name.values.values():
            by_name[text.lower()] = code
    out, seen = [], set()
    for name in names:
        key = str(name).strip().lower()
        code = by_name.get(key)
        if code is None:
            hint = suggest(key, by_name)
            missing = _no_evidence(loaded, key.upper())
            if missing is not None:
                raise missing
            available = ", ".join(sorted(loaded.countries)) or "none"
            raise UsageError(f"unknown country '{name}'{hint}; countries with evidence: {available}")
        if code not in seen:
            seen.add(code)
            out.append(loaded.countries[code])
    return out


def _no_evidence(loaded: Loaded, code: str) -> UsageError | None:
    """Why a country code (ISO 3166-1 or user-assigned) has no evidence here, as
    the error to raise; None when `code` is no country code at all."""
    from .validate import country_code_name
    from .workspace import NoWorkspace, shipped_codes, shipped_of

    name = country_code_name(code)
    if name is None:
        return None
    ws, shipped = loaded.workspace, shipped_of(loaded)
    label = code if name == code else f"{code} ({name})"
    if code in shipped.left_out:
        return UsageError(f"{label} ships with assess but cannot be scored in this workspace ({ws.root}): "
                          f"{shipped.left_out[code]}")
    if ws.read_only:
        return NoWorkspace(f"no evidence for {label}: no workspace here (a folder with evidence/ or criteria/, in the current "
                           f"folder or above it), and the data shipped with assess holds only {', '.join(shipped_codes()) or 'no country'}")
    if code in shipped.off:
        return UsageError(f"no evidence for {label} in {ws.evidence_dir}; the shipped {code} is turned off by "
                          f"{ws.config_file or 'the workspace settings'} (shipped_countries)")
    return UsageError(f"no evidence for {label} in {ws.evidence_dir}; start one with `assess new {code}`")


def check(loaded: Loaded) -> ValidationReport:
    return validate(loaded)


def ensure_valid(loaded: Loaded, rubric: Rubric, countries: Iterable[CountryEvidence]) -> list[Problem]:
    """Refuses to score on evidence with errors; returns the warnings."""
    report = validate(loaded)
    files = {rubric.path, loaded.workspace.document_types_file}
    for ev in countries:
        files.update(ev.files)
        files.add(ev.country.source.path)
    errors = [p for p in report.errors if p.path in files or not p.path.endswith((".yaml", ".yml"))]
    if errors:
        raise InvalidInput(f"{len(errors)} error(s) in the input; fix them (see `assess validate`) before scoring", errors)
    return [p for p in report.warnings if p.path in files]


def score(countries: Iterable[str] | None = None, as_of: str | dt.date | None = None, rubric: str | None = None, data: str | None = None):
    """Loads, validates and scores: countries by code or name (all when None), as of a date (default today)."""
    from .score import score_countries

    countries = list(countries) if countries is not None else None
    loaded = load(data, countries)
    chosen_rubric = pick_rubric(loaded, rubric)
    evidence = find_countries(loaded, countries) if countries is not None else list(loaded.countries.values())
    ensure_valid(loaded, chosen_rubric, evidence)
    return score_countries(chosen_rubric, evidence, parse_date(as_of))


def explain(country: str, criterion: str, as_of: str | dt.date | None = None, rubric: str | None = None, data: str | None = None):
    """Why one country got its level on one criterion."""
    from .explain import explain_criterion

    loaded = load(data, [country])
    evidence = find_countries(loaded, [country])
    found = loaded.criterion_index().get(criterion)
    chosen_rubric = pick_rubric(loaded, rubric or (found[0].id if found else None))
    ensure_valid(loaded, chosen_rubric, evidence)
    import dataclasses

    ex = explain_criterion(chosen_rubric, evidence[0], criterion, parse_date(as_of))
    return dataclasses.replace(ex, root=loaded.workspace.root)




# ---------------------------------------------------------------- baselines


def baseline_file(loaded: Loaded, rubric: Rubric, file: str | None = None) -> str:
    import os

    return file or os.path.join(loaded.workspace.baselines_dir, f"{rubric.id}.json")


def write_baseline(countries: Iterable[str] | None = None, as_of: str | dt.date | None = None, rubric: str | None = None,
                   data: str | None = None, file: str | None = None, update: bool = False) -> tuple[str, dict]:
    """Scores the workspace and records the result as the baseline.

    Without `update` an existing baseline is never replaced. With it, the
    existing file's as-of date and countries are kept unless given.
    """
    import os

    from . import __version__
    from .baseline import make_baseline, read_baseline
    from .baseline import write_baseline as write
    from .score import score_countries

    from .workspace import require_workspace

    loaded = load(data)
    chosen = pick_rubric(loaded, rubric)
    if file is None:
        require_workspace(loaded.workspace, "a baseline", "to record a baseline in")
    # a folder, a device, a path under a file or the installed package: said before scoring
    path = ensure_writable(baseline_file(loaded, chosen, file), "a baseline", loaded.workspace)
    if os.path.exists(path):
        if not update:
            raise UsageError(f"{path} exists; to accept the current scores as the new baseline, add --update")
        previous = read_baseline(path)
        as_of = as_of or previous.get("as_of")
        if countries is None:
            countries = [c for c in previous["countries"] if c in loaded.countries] + [c for c in loaded.countries if c not in previous["countries"]]
    evidence = find_countries(loaded, countries) if countries else list(loaded.countries.values())
    ensure_valid(loaded, chosen, evidence)
    scores = score_countries(chosen, evidence, parse_date(as_of))
    record = make_baseline(scores, loaded.workspace.root, __version__, _shipped_pair(loaded))
    write(record, path)
    return path, record


def _shipped_pair(loaded: Loaded) -> tuple[str, list[str]]:
    """(the shipped evidence folder, the countries read from it) for make_baseline."""
    from .workspace import shipped_of

    shipped = shipped_of(loaded)
    return shipped.folder, list(shipped.used)


def shipped_countries(loaded: Loaded) -> list[str]:
    """The countries of a loaded workspace read from the data shipped with assess."""
    from .workspace import shipped_of

    return list(shipped_of(loaded).used)


def shipped_codes() -> list[str]:
    """The codes of the countries shipped with assess."""
    from .workspace import shipped_codes as codes

    return codes()


def shipped_status(loaded: Loaded):
    """The shipped countries as this workspace sees them (workspace.Shipped):
    used, replaced by the workspace's own folder, left out (and why), turned off."""
    from .workspace import shipped_of

    return shipped_of(loaded)


def evidence_dir_of(loaded: Loaded, code: str) -> str:
    """The evidence folder that holds a country's folder: the shipped data's for a shipped country."""
    from .workspace import evidence_dir_of as where

    return where(loaded, code)


def ensure_writable(path: str, what: str, workspace: Workspace | None = None, folder: bool = False) -> str:
    """The one guard before anything is written: `path` must be a place of the
    right kind (a folder with `folder`, else a regular file: atomic.check_output)
    and never inside the installed package or the shipped data
    (workspace.NoWorkspace); `what` names what would be written."""
    from .atomic import check_output
    from .workspace import ensure_writable as check

    check_output(path, folder=folder)
    return check(path, what, workspace)


def outside_workspace(loaded: Loaded, path: str) -> bool:
    """Whether `path` lies outside every folder the loaded workspace reads."""
    from .workspace import outside

    return outside(loaded, path)


def looks_like_workspace(folder: str) -> bool:
    """A folder holding an assess.toml, criteria/ or evidence/: a workspace of its own."""
    from .workspace import looks_like_workspace as looks

    return looks(folder)


def countries_covered(codes: Iterable[str], shipped: Iterable[str]) -> str:
    """Which countries a command covers and where each comes from, in one line:
    'UZB (this workspace); KAZ, RUS (shipped with assess, read-only)', for
    `codes` of which `shipped` come from the data shipped with assess."""
    from .workspace import describe_codes

    return describe_codes(codes, set(shipped))


def check_baseline(baseline: str | None = None, tolerance: float = 0.0, data: str | None = None, rubric: str | None = None):
    """Recomputes the scores the baseline records and returns the drift.

    Coverage moves and every criterion's level or status move always count as
    drift; `tolerance` (points) bounds only the tier and index moves, which are
    compared like with like, on the criteria assessed in both (baseline.compare)."""
    import os

    from . import __version__
    from .baseline import compare, make_baseline, read_baseline
    from .score import score_countries

    from .workspace import require_workspace

    loaded = load(data)
    if baseline is None:
        require_workspace(loaded.workspace, "a baseline", "to check against its baseline")
        chosen = pick_rubric(loaded, rubric)
        baseline = baseline_file(loaded, chosen)
    record = read_baseline(baseline)
    rubric_id = rubric or record.get("rubric", {}).get("id")
    chosen = pick_rubric(loaded, rubric_id) if rubric_id in loaded.rubrics else pick_rubric(loaded, rubric)
    # every country of the baseline that still has evidence, and any added since
    evidence = list(loaded.countries.values())
    ensure_valid(loaded, chosen, evidence)
    scores = score_countries(chosen, evidence, parse_date(record["as_of"]))
    shipped = _shipped_pair(loaded)
    current = make_baseline(scores, loaded.workspace.root, __version__, shipped)
    drift = compare(record, current, tolerance)
    drift.countries = sorted(loaded.countries)
    drift.shipped = sorted(c for c in loaded.countries if c in shipped[1])
    # point each change at the lines of the records behind it, for annotations
    for change in drift.changes:
        ev = loaded.countries.get(change.country)
        for kind, rid in change.records:
            if ev is None or change.country in drift.shipped:  # not a file of the workspace's repository
                continue
            src = None
            if kind == "finding":
                src = next((f.source for f in ev.findings if f.id == rid), None)
            elif rid in ev.documents:
                src = ev.documents[rid].source
            if src is not None:
                change.locations.append((os.path.relpath(src.path, loaded.workspace.root).replace(os.sep, "/"), src.line, f"{kind} {rid}"))
    return drift


__all__ = ["Workspace", "open_workspace", "load", "pick_rubric", "find_countries", "check", "ensure_valid", "score", "explain",
           "parse_date", "write_baseline", "check_baseline", "baseline_file"]


# ---------------------------------------------------------------- reports


def check_lang(lang: str) -> str:
    from .model import LANGUAGES

    if lang not in LANGUAGES:
        raise UsageError(f"unknown language '{lang}'; expected one of {', '.join(LANGUAGES)}")
    return lang


REPORT_DRAWS = 2000  # enough for stable 5-95% intervals in a report, fast for 200 countries


def report_context(countries: Iterable[str] | None, as_of: str | dt.date | None = None, rubric: str | None = None,
                   data: str | None = None, lang: str = "en", generated: dt.datetime | None = None,
                   common_only: bool = False, timeline_from: int | str | dt.date | None = None,
                   draws: int = REPORT_DRAWS, seed: int = 0) -> dict:
    """Scores countries and builds the data every report format renders: the
    scores, and the timeline, sensitivity and coder agreement behind them.
    countries=None takes every country in the workspace; draws=0 leaves the
    sensitivity analysis out."""
    check_lang(lang)
    from . import __version__
    from .agreement import measure_agreement
    from .render.context import agreement_context, build_context, sensitivity_context, timeline_context
    from .score import score_countries
    from .sensitivity import run_sensitivity
    from .timeline import events_for

    if draws < 0 or draws > 1_000_000:
        raise UsageError("--draws must be between 0 and 1,000,000")
    if seed < 0:
        raise UsageError("--seed must be 0 or more")

    countries = list(countries) if countries is not None else None  # None: every country in the workspace
    loaded = load(data, countries)
    chosen = pick_rubric(loaded, rubric)
    evidence = find_countries(loaded, countries) if countries is not None else list(loaded.countries.values())
    ensure_valid(loaded, chosen, evidence)
    scores = score_countries(chosen, evidence, parse_date(as_of))
    files = [chosen.path] + [f for ev in evidence for f in ev.files]
    context = build_context(scores, lang=lang, input_files=files, root=loaded.workspace.root,
                            tool_version=__version__, generated=generated, common_only=common_only)
    context["scores"] = scores

    end = scores.as_of
    firsts = [e.date for ev in evidence for e in events_for(chosen, ev)[0] if e.date <= end]
    default_start = dt.date(min(firsts).year, 1, 1) if firsts else end
    timelines = _timelines(chosen, evidence, timeline_from, default_start, end, "year", lang,
                           f"is after the as-of date {end}", "--timeline-from")
    context["timeline"] = timeline_context(chosen, timelines, lang)
    context["sensitivity"] = sensitivity_context(run_sensitivity(chosen, evidence, end, draws=draws, seed=seed, scored=scores.countries), lang) if draws else None
    context["agreement"] = agreement_context(measure_agreement(chosen, evidence, end), lang)
    from .sources import verify_countries, verify_summary

    # the share of findings whose quote was found at its locator in a source text (assess verify)
    context["verification"] = verify_summary(verify_countries(loaded, [ev.iso3 for ev in evidence])).to_dict()
    return context


def templates_dir() -> str:
    from .workspace import shipped_root

    return shipped_root()[2]


def report_basename(context: dict) -> str:
    """A file name from the country codes (validated ISO3, so safe in a path)."""
    codes = [c["iso3"] for c in context["countries"]]
    stem = "-".join(codes) if len(codes) <= 6 else f"{len(codes)}-countries"
    return f"assess-{stem}-{context['rubric']['id']}-{context['as_of'].isoformat()}-{context['lang']}"


def write_reports(countries: Iterable[str] | None, out: str, formats: Iterable[str] = ("html", "xlsx"), as_of=None,
                  rubric: str | None = None, data: str | None = None, lang: str = "en", common_only: bool = False,
                  timeline_from=None, draws: int = REPORT_DRAWS, seed: int = 0) -> list[str]:
    """Writes the report in each format into `out`; returns the paths written.
    All formats or none: each is built in memory first, and they are put in
    place together (atomic.write_files_atomic), so an interruption never leaves
    a new HTML file beside an old workbook; an Interrupted then says which."""
    import os

    from .atomic import write_files_atomic

    formats = list(formats)
    unknown = [f for f in formats if f not in ("html", "xlsx")]
    if unknown:
        raise UsageError(f"unknown report format '{unknown[0]}'; expected html or xlsx")
    ensure_writable(out, "a report", open_workspace(data), folder=True)  # before the work, not after it
    context = report_context(countries, as_of=as_of, rubric=rubric, data=data, lang=lang, common_only=common_only,
                             timeline_from=timeline_from, draws=draws, seed=seed)
    base = os.path.join(out, report_basename(context) + ("-common" if common_only else ""))
    files = []
    for fmt in formats:
        if fmt == "html":
            from .render.html import render_html

            files.append((base + ".html", render_html(context, templates_dir()).encode("utf-8")))
        else:
            from .messages import load_messages
            from .render.xlsx import workbook_bytes

            files.append((base + ".xlsx", workbook_bytes(context, load_messages(templates_dir(), context["lang"]))))
    return write_files_atomic(files)


def render_html(context: dict) -> str:
    """The HTML report for a report context, as one self-contained string."""
    from .render.html import render_html as render

    return render(context, templates_dir())


def write_xlsx(context: dict, path: str) -> str:
    """Writes the Excel report for a report context (atomically); returns the path."""
    from .render.xlsx import write_xlsx as write

    return write(context, path, templates_dir())


def load_evidence(country: str, data: str | None = None) -> CountryEvidence:
    """One country's evidence (documents and findings as model objects);
    raises InvalidInput if its files have errors."""
    loaded = load(data, [country])
    evidence = find_countries(loaded, [country])[0]
    errors = [p for p in loaded.problems if p.severity == "error" and (p.path in evidence.files or p.path == evidence.country.source.path)]
    if errors:
        raise InvalidInput(f"{evidence.iso3}: {len(errors)} error(s) in the evidence files", errors)
    return evidence


# ---------------------------------------------------------------- a new country


def new_country(country: str, name: str | None = None, rubric: str | None = None, data: str | None = None,
                lang: str = "en") -> list[str]:
    """Scaffolds evidence/<ISO3>/ in the workspace with a commented checklist
    of every criterion; never overwrites; returns the files written."""
    import os

    from .scaffold import new_country as scaffold

    from .validate import USER_RANGES_TEXT, country_code_name
    from .workspace import ensure_writable, require_workspace

    check_lang(lang)
    if country_code_name(str(country).strip().upper()) is None:  # before any folder is made
        raise UsageError(f"'{country}' is not an ISO 3166-1 alpha-3 country code (for example KAZ, RUS); {USER_RANGES_TEXT}")
    if data and os.path.isdir(data) and not os.path.isdir(os.path.join(data, "criteria")):
        ensure_writable(os.path.join(data, "evidence"), "a new country")
        os.makedirs(os.path.join(data, "evidence"), exist_ok=True)  # a new, empty workspace folder
    workspace = require_workspace(open_workspace(data), "a new country", "to add a country to")
    loaded = load(data)
    chosen = pick_rubric(loaded, rubric)
    ensure_writable(workspace.evidence_dir, "a new country", workspace)
    os.makedirs(workspace.evidence_dir, exist_ok=True)
    return scaffold(workspace.evidence_dir, country, chosen, name=name, known=iso3_codes(), lang=lang)


def country_code_note(country: str) -> str | None:
    """The warning for a country code outside ISO 3166-1 in one of its
    user-assigned ranges (XKX, QZZ...), naming the range; None otherwise."""
    from .validate import country_code_note as note

    return note(str(country).strip().upper())


# ---------------------------------------------------------------- data entry in a workbook


def entry_template(country: str, out: str, rubric: str | None = None, data: str | None = None, lang: str = "en",
                   warnings: list | None = None) -> str:
    """Writes the data-entry workbook for a country (see assess.template),
    pre-filled with its evidence; returns the path written. `warnings`, when
    given, receives a Problem for each text a workbook cannot hold whole
    (control characters, which are left out of the cell)."""
    import os

    from . import yamlio
    from .messages import load_messages
    from .template import TemplateData, write_template

    check_lang(lang)
    if not out.lower().endswith(".xlsx"):
        raise UsageError(f"--out {out}: the data-entry workbook is an .xlsx file; name it like KAZ-evidence.xlsx")
    from .validate import country_code_name

    loaded = load(data)
    ensure_writable(out, "a data-entry workbook", loaded.workspace)  # before the work, not after it
    chosen = pick_rubric(loaded, rubric)
    code = str(country).strip().upper()
    evidence = loaded.countries.get(code)
    if evidence is None:
        matches = find_countries(loaded, [country]) if not ISO3_PATTERN.match(code) else []
        evidence = matches[0] if matches else None
    if evidence is None and country_code_name(code) is None:
        raise UsageError(f"'{country}' is neither a country with evidence nor an ISO 3166-1 alpha-3 code "
                         "(or one of its user-assigned codes)")
    if evidence is None and (loaded.workspace.read_only or code in getattr(loaded.shipped, "left_out", {})):
        # no workspace to import a new country into, or a shipped country this workspace cannot score
        raise _no_evidence(loaded, code)
    raw_country, documents, findings, files = None, [], [], []
    name = country_code_name(code) or code
    if evidence is not None:
        code = evidence.iso3
        name = evidence.country.name.get("en")
        broken = [p for p in validate(loaded).errors if p.path in evidence.files]
        if broken:
            raise InvalidInput(f"{code}: {len(broken)} error(s) in the evidence files; fix them before making a "
                               "workbook from them (a workbook must hold the files exactly)", broken)
        for path in evidence.files:
            parsed = yamlio.load(path)
            if warnings is not None:
                from .entry import unstorable

                warnings += unstorable(parsed)
            doc = parsed.data or {}
            name_of = os.path.basename(path)
            files.append(name_of)
            if isinstance(doc.get("country"), dict):
                raw_country = (name_of, doc["country"])
            documents += [(name_of, d) for d in doc.get("documents") or []]
            findings += [(name_of, f) for f in doc.get("findings") or []]
    if raw_country is None:
        raw_country = (None, {"iso3": code, "name": {"en": name}})
    coders = sorted({f.coder for ev in loaded.countries.values() for f in ev.findings if f.coder})
    types = [(t.id, t.title.get(lang)) for t in loaded.document_types.values()]
    rubrics = [chosen] + [r for r in loaded.rubrics.values() if r is not chosen]
    template = TemplateData(
        iso3=code, country_name=name, rubric=chosen, rubrics=rubrics, document_types=types, coders=coders,
        files=files, country=raw_country, documents=documents, findings=findings, lang=lang,
        msg=load_messages(templates_dir(), lang),
    )
    return write_template(template, out)


def import_plan(workbook: str, into: str | None = None, data: str | None = None):
    """What `assess import` would write (an importer.ImportPlan); raises
    InvalidInput with cell-addressed problems when the workbook has errors.
    `into` is a workspace folder (made if missing); default: the current workspace."""
    from .atomic import check_output
    from .importer import check_workbook, plan_import
    from .workspace import new_workspace, require_workspace

    check_workbook(workbook)  # before any folder is made
    if into:
        check_output(into, folder=True)
        workspace = new_workspace(into)  # nothing is made on disk before the files are written
    else:
        workspace = require_workspace(open_workspace(data), "imported evidence", "to import into")
    ensure_writable(workspace.evidence_dir, "imported evidence", workspace, folder=True)
    return plan_import(workbook, workspace)


def apply_import(plan) -> list[str]:
    """Writes the files of an import plan; returns their paths."""
    from .importer import apply_import as write

    return write(plan)


# ---------------------------------------------------------------- timelines


def timeline(countries: Iterable[str] | None, start: int | str | dt.date | None = None, end: str | dt.date | None = None,
             step: str = "year", rubric: str | None = None, data: str | None = None, lang: str = "en"):
    """Scores at each step (year or month ends) from `start` (a year or a date) to `end` (default today)."""
    from .timeline import events_for

    if step not in ("year", "month"):
        raise UsageError(f"unknown step '{step}'; expected year or month")
    countries = list(countries) if countries is not None else None  # None: every country in the workspace
    loaded = load(data, countries)
    chosen = pick_rubric(loaded, rubric)
    evidence = find_countries(loaded, countries) if countries is not None else list(loaded.countries.values())
    ensure_valid(loaded, chosen, evidence)
    end_date = parse_date(end) or dt.date.today()
    if start is None:
        firsts = [e.date for ev in evidence for e in events_for(chosen, ev)[0]]
        default_start = min(firsts) if firsts else end_date
    else:  # --from given: the earliest event is not needed
        default_start = end_date
    return chosen, _timelines(chosen, evidence, start, default_start, end_date, step, lang, f"is after --to {end_date}", "--from")


def _timelines(rubric: Rubric, evidence: list[CountryEvidence], start, default_start: dt.date, end: dt.date, step: str,
               lang: str, too_late: str, option: str):
    """Each country's timeline from `start` (a year, a date, or None for
    default_start) to `end`, with the change points inside that window."""
    from .timeline import country_timeline, step_dates

    if start is None:
        start_date = default_start
    elif isinstance(start, int) or (isinstance(start, str) and start.strip().isdigit()):
        if not dt.MINYEAR <= int(start) <= dt.MAXYEAR:
            raise UsageError(f"the start year {int(start)} is out of range: expected a year from {dt.MINYEAR} to {dt.MAXYEAR}, or a date YYYY-MM-DD")
        start_date = dt.date(int(start), 1, 1)
    else:
        start_date = parse_date(start)
    if start_date > end:
        raise UsageError(f"{option} {start_date} {too_late}")
    dates = step_dates(start_date, end, step)
    from . import progress

    timelines = [country_timeline(rubric, ev, dates, lang) for ev in progress.track(evidence, "timeline")]
    for tl in timelines:  # the sweep starts at the first document; show the changes in the window asked for
        tl.changes = [c for c in tl.changes if start_date <= c.date <= end]
        # and the spans of thin coverage, cut to the window (a span still open at its end runs to it)
        tl.thin = [(max(a, start_date) if a else start_date, min(b, end) if b else end) for a, b in tl.thin
                   if (a is None or a <= end) and (b is None or b >= start_date)]
    return timelines


# ---------------------------------------------------------------- sensitivity


def sensitivity(countries: Iterable[str] | None, draws: int = 10_000, seed: int = 0, as_of=None, rubric: str | None = None,
                data: str | None = None, concentration: float | None = None, p_geometric: float = 0.5, vary=None,
                unverified: str | None = None, pairs: str = "auto"):
    """Monte Carlo over what the index does not know: weights, aggregation,
    unassessed criteria and uncertain findings (see assess.sensitivity).
    `vary`: the sources to vary, a comma list or names (None: all the rubric
    allows). `pairs`: which pairs the rank statements cover, "auto" (every
    pair of up to six countries, neighbours in the ranking by median beyond),
    "neighbours" or "all" (N(N-1)/2 counts over the draws). `unverified` is
    gone (findings vary through `vary`): any value is a usage error that says
    so."""
    from .sensitivity import DEFAULT_CONCENTRATION, PAIR_CHOICES, SourceError, choose_sources, run_sensitivity

    if unverified is not None:
        raise UsageError("--unverified is gone: uncertain findings (the kinds the rubric lists under "
                         "scoring.uncertainty.findings, unverified among them) now vary with --vary findings, "
                         "which is on by default; --vary weights,aggregation,unassessed leaves them as coded")
    if draws < 1 or draws > 1_000_000:
        raise UsageError("--draws must be between 1 and 1,000,000")
    if seed < 0:
        raise UsageError("--seed must be 0 or more")
    if pairs not in PAIR_CHOICES:
        raise UsageError(f"--pairs must be one of {', '.join(PAIR_CHOICES)}")
    if not 0 <= p_geometric <= 1:
        raise UsageError("--p-geometric must be between 0 and 1")
    concentration = DEFAULT_CONCENTRATION if concentration is None else concentration
    if not 0 < concentration < float("inf"):  # nan and inf too: a Dirichlet of them draws nothing
        raise UsageError("--concentration must be a finite number above 0")
    countries = list(countries) if countries is not None else None  # None: every country in the workspace
    loaded = load(data, countries)
    chosen = pick_rubric(loaded, rubric)
    evidence = find_countries(loaded, countries) if countries is not None else list(loaded.countries.values())
    try:
        sources = choose_sources(chosen, vary)
    except SourceError as exc:
        raise UsageError(f"--vary: {exc}") from None
    ensure_valid(loaded, chosen, evidence)
    return run_sensitivity(chosen, evidence, parse_date(as_of) or dt.date.today(), draws=draws, seed=seed,
                           concentration=concentration, p_geometric=p_geometric, vary=sources, pairs=pairs)


# ---------------------------------------------------------------- agreement


def agreement(countries: Iterable[str] | None = None, as_of=None, rubric: str | None = None, data: str | None = None):
    """Agreement between coders on the countries given (all when None)."""
    from .agreement import measure_agreement

    countries = list(countries) if countries else None
    loaded = load(data, countries)
    chosen = pick_rubric(loaded, rubric)
    evidence = find_countries(loaded, countries) if countries else list(loaded.countries.values())
    ensure_valid(loaded, chosen, evidence)
    return measure_agreement(chosen, evidence, parse_date(as_of) or dt.date.today())


# ---------------------------------------------------------------- source texts


def verify(countries: Iterable[str] | None = None, data: str | None = None, record: bool = False,
           today: "dt.date | None" = None):
    """Checks every finding of the countries given (all when None) against its
    document's source texts (evidence/<ISO3>/sources/). Returns a VerifyReport:
    results, summary (counts and share verified) and problems. With `record`,
    first writes a check record (method: source-text, dated `today`) into the
    evidence of each finding found at its locator, and removes the records of
    earlier runs that the texts now contradict (sources.record); the report is
    then of the evidence as written, with `recorded` listing the changes."""
    from .sources import verify_countries, verify_summary
    from .sources.verify import VerifyReport

    countries = list(countries) if countries else None
    loaded = load(data, countries)
    evidence = find_countries(loaded, countries) if countries else [loaded.countries[c] for c in sorted(loaded.countries)]
    problems: list[Problem] = []
    results = verify_countries(loaded, [e.iso3 for e in evidence], problems)
    from .workspace import shipped_of

    origins = {e.iso3: shipped_of(loaded).origin(e.iso3) for e in sorted(evidence, key=lambda e: e.iso3)}
    if not record:
        return VerifyReport(results, verify_summary(results), problems, origins)
    from .sources import record as recorder

    fixed = [code for code, origin in origins.items() if origin != "workspace"] if not loaded.workspace.read_only else list(origins)
    if fixed:
        raise UsageError(f"--record writes into the evidence, and {', '.join(fixed)} "
                         f"{'is' if len(fixed) == 1 else 'are'} shipped with assess (read-only): copy the country folder into "
                         "the evidence/ folder of a workspace of your own, with its source texts, and record there")
    errors = [p for p in loaded.problems if p.severity == "error"]
    if errors:
        raise InvalidInput("the evidence has errors; fix them before recording checks into it", errors)
    day = today or dt.date.today()
    actions = []
    for ev in evidence:
        edits, planned = recorder.plan(ev, [r for r in results if r.country == ev.iso3], day)
        actions.extend(recorder.apply(edits, planned))
    report = verify(countries, data=data)
    return VerifyReport(report.results, report.summary, report.source_problems, report.countries, actions)


def source_texts(country: str, document: str, data: str | None = None, lang: str | None = None):
    """The source texts of one document of one country: (evidence, texts)."""
    return _source_texts(load(data, [country]), country, document, lang)


def _source_texts(loaded: Loaded, country: str, document: str, lang: str | None):
    import os

    from .sources import country_sources

    ev = find_countries(loaded, [country])[0]
    if document not in ev.documents:
        raise UsageError(f"no document '{document}' in the evidence of {ev.iso3}{suggest(document, ev.documents)}; "
                         f"documents: {', '.join(sorted(ev.documents)) or 'none'}")
    problems: list[Problem] = []
    from .workspace import evidence_dir_of

    evidence_dir = evidence_dir_of(loaded, ev.iso3)  # the shipped data's, for a shipped country
    texts = country_sources(evidence_dir, ev, problems).get(document, [])
    broken = [p for p in problems if p.severity == "error" and os.path.basename(p.path).startswith(document + ".")]
    if broken:
        raise InvalidInput(f"the source texts of {document} cannot be read", broken)
    if lang:
        texts = [t for t in texts if t.lang == lang]
    if not texts:
        where = os.path.join(evidence_dir, ev.iso3, "sources", f"{document}.{lang or '<lang>'}.txt")
        if evidence_dir != loaded.workspace.evidence_dir or loaded.workspace.read_only:
            # a shipped country: never send anyone to write into the shipped data
            into = "the evidence/ folder of a workspace of your own" if loaded.workspace.read_only else loaded.workspace.evidence_dir
            raise UsageError(f"no source text for {document}{' in ' + lang if lang else ''}; {ev.iso3} is shipped with assess "
                             f"(read-only, {os.path.join(evidence_dir, ev.iso3)}): to add source texts, copy that folder "
                             f"into {into} and put them in its sources/")
        raise UsageError(f"no source text for {document}{' in ' + lang if lang else ''}; put one at {where}")
    return ev, texts


def show_provision(country: str, document: str, locator: str, data: str | None = None, lang: str | None = None):
    """[(source text, provision)] for a locator in each source text of a document
    that has it; UsageError when no text has it."""
    import os

    from .sources import parse_locator, resolve
    from .sources.parse import ARTICLE

    _, texts = source_texts(country, document, data, lang)
    loc = parse_locator(locator)
    if loc is None:
        raise UsageError(f"cannot read the locator '{locator}'; write it like Art. 54(1)(7), 'Article 54 item 7', 'п. 7 ст. 54' or '54-бап'")
    found = [(t, p) for t in texts for p in [resolve(t.parsed, loc)] if p is not None]
    if not found:
        articles = sorted({p.number for t in texts for p in t.parsed.walk() if p.kind == ARTICLE}, key=_natural)
        hint = f"; articles there: {', '.join(articles)}" if articles else ""
        raise UsageError(f"{loc.canonical} is not in {', '.join(os.path.basename(t.path) for t in texts)}{hint}")
    return found


def _natural(text: str):
    import re

    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", text)]


def suggest_findings(country: str, document: str, criterion: str | None = None, top: int = 3, rubric: str | None = None,
                     data: str | None = None, lang: str | None = None):
    """Provisions of a document's source texts ranked for each criterion by the
    rubric's terms: (evidence, rubric, [(criterion, [Suggestion])])."""
    from .sources import suggest_document

    if top < 1:
        raise UsageError(f"--top must be 1 or more, got {top}")
    loaded = load(data, [country])
    ev, texts = _source_texts(loaded, country, document, lang)
    chosen = pick_rubric(loaded, rubric)
    if criterion is not None and chosen.criterion(criterion) is None:
        raise UsageError(f"no criterion '{criterion}' in rubric {chosen.id}{suggest(criterion, [c.id for c in chosen.criteria])}")
    return ev, chosen, suggest_document(chosen, document, texts, criterion, top)
