"""The steps the commands are made of, callable from tests and notebooks.

    >>> import assess
    >>> scores = assess.compute_scores(["KAZ", "RUS"], as_of="2021-06-30")
    >>> scores.overall[["country", "overall"]]

One way in: every function here that works on a workspace opens it with
`prepare` (find the workspace, load it, pick the rubric, resolve the
countries, refuse evidence with errors), so they all follow the same rules:

* **Countries.** ``countries`` is a list of ISO3 codes or English names, any
  case; one name as a plain string is a list of one. ``None`` or an empty list
  means every country in the workspace, in code order. An unknown name is a
  `UsageError` that suggests the nearest code ("did you mean 'KAZ'?").
  The functions that make a country (`new_country`, `entry_template` for a
  country with no evidence yet) and the baselines (which keep the countries
  of the baseline they update) load first and then go through `prepare`
  with that load, or pick the rubric alone.
* **Errors.** `UsageError` (exit 2 on the command line) for a wrong argument,
  `InvalidInput` (exit 1) with ``problems`` for evidence or rubric files with
  errors, `NoWorkspace` for a write with no workspace to write to. A message
  about an argument names its Python name (``draws``), never a command-line
  flag; the command line renames it (``--draws``, `UsageError.worded`).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Iterable

from .common.errors import InvalidInput, UsageError
from .common.messages import say
from .data.load import ISO3_PATTERN, Loaded, load_workspace, suggest
from .data.model import CountryEvidence, Problem, Rubric
from .checking.validate import ValidationReport, iso3_codes, validate
from .data.workspace import Workspace, add_shipped_countries, open_workspace

__all__ = [
    # opening a workspace
    "Workspace", "open_workspace", "load_data", "Selection", "prepare", "pick_rubric", "find_countries", "check",
    "ensure_valid", "parse_date",
    # scores and the analyses
    "compute_scores", "explain_level", "compute_timelines", "compute_sensitivity", "compute_agreement",
    # baselines
    "write_baseline", "check_baseline", "baseline_file",
    # reports and data entry
    "report_context", "write_reports", "render_html", "write_xlsx", "load_evidence", "new_country",
    "entry_template", "import_plan", "apply_import",
    # source texts
    "verify", "source_texts", "show_provision", "suggest_findings",
]


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """A date from an ISO string (``YYYY-MM-DD``), a date, or None.

    Returns: `datetime.date`, or None for None.
    Raises: `UsageError` for text that is not an ISO date.

    Example:
        >>> parse_date("2021-06-30")
        datetime.date(2021, 6, 30)
    """
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise UsageError(say("e_not_a_date", value=value)) from None


def country_names(countries: Iterable[str] | str | None) -> list[str] | None:
    """The one rule for "which countries": a list of names, or None for every
    country in the workspace (given None or an empty list). A single string is
    a list of one, never a list of its letters.

    Returns: `list[str]` or None.
    Raises: nothing.

    Example:
        >>> country_names("KAZ"), country_names([]), country_names(("KAZ", "RUS"))
        (['KAZ'], None, ['KAZ', 'RUS'])
    """
    if countries is None:
        return None
    if isinstance(countries, str):
        countries = [countries]
    names = [str(c) for c in countries]
    return names or None


def load_data(data: str | None = None, countries: Iterable[str] | str | None = None, *, evidence: bool = True) -> Loaded:
    """Opens the workspace (see assess.workspace) and loads its rubrics and evidence,
    with every problem found (it does not refuse broken files: see `check`).

    With `countries` (ISO3 codes or English names), only the evidence that can
    match them is read; None or an empty list reads every country;
    ``evidence=False`` reads the rubrics only.

    Returns: `Loaded` (rubrics, countries, document types, problems, workspace).
    Raises: `UsageError` for a workspace folder or assess.toml that cannot be used.

    Example:
        >>> loaded = load_data()            # the workspace found from here
        >>> sorted(loaded.countries)
        ['KAZ', 'RUS']
    """
    workspace = open_workspace(data)
    wanted = None if evidence else (lambda code: False)
    names = country_names(countries) if evidence else None
    if names is not None:
        names = [n.strip() for n in names]
        if all(ISO3_PATTERN.match(n.upper()) for n in names):
            codes = {n.upper() for n in names}
            wanted = codes.__contains__
    loaded = load_workspace(workspace, wanted)
    add_shipped_countries(loaded, wanted)  # the shipped countries, read-only, beside the workspace's own
    return loaded


def pick_rubric(loaded: Loaded, rubric_id: str | None = None) -> Rubric:
    """The rubric named, or the workspace's default one.

    Returns: `Rubric`.
    Raises: `UsageError` for an unknown rubric id (with the nearest id);
    `InvalidInput` when no rubric is usable, the one named has errors, or
    more than one says ``default: true``.

    Example:
        >>> pick_rubric(load_data()).id
        'four-tier'
    """
    if not loaded.rubrics:
        broken = [p for p in loaded.problems if p.severity == "error"]
        raise InvalidInput(say("e_no_usable_rubric", folder=loaded.workspace.criteria_dir), broken)
    if rubric_id:
        if rubric_id not in loaded.rubrics:
            broken = [p for p in loaded.problems if p.severity == "error" and p.path.startswith(loaded.workspace.criteria_dir)]
            if broken:
                raise InvalidInput(say("e_rubric_broken", rubric=rubric_id), broken)
            raise UsageError(say("e_unknown_rubric", rubric=rubric_id, hint=suggest(rubric_id, loaded.rubrics),
                                 available=", ".join(sorted(loaded.rubrics))))
        return loaded.rubrics[rubric_id]
    defaults = [r for r in loaded.rubrics.values() if r.default]
    if len(defaults) > 1:
        raise InvalidInput(say("e_many_default_rubrics", ids=", ".join(r.id for r in defaults)))
    return defaults[0] if defaults else loaded.rubrics[sorted(loaded.rubrics)[0]]


def find_countries(loaded: Loaded, names: Iterable[str] | str | None) -> list[CountryEvidence]:
    """Countries by ISO3 code or English name, case-insensitive, in the order
    given, each once; None or an empty list gives every country, in code order.

    Returns: list of `CountryEvidence`.
    Raises: `UsageError` for a name with no evidence, suggesting the nearest
    code or name the workspace has ("did you mean 'KAZ'?"); `NoWorkspace` for
    a real country code when there is no workspace.

    Example:
        >>> [ev.iso3 for ev in find_countries(load_data(), ["russia", "kaz"])]
        ['RUS', 'KAZ']
    """
    names = country_names(names)
    if names is None:
        return [loaded.countries[c] for c in sorted(loaded.countries)]
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
            known = available_codes(loaded)
            hint = suggest(key.upper(), known) if ISO3_PATTERN.match(key.upper()) else ""
            hint = hint or suggest(key, by_name)
            missing = _no_evidence(loaded, key.upper())
            if missing is not None:
                raise missing
            available = ", ".join(known) or say("e_none")
            raise UsageError(say("e_unknown_country", name=name, hint=hint, available=available))
        if code not in seen:
            seen.add(code)
            out.append(loaded.countries[code])
    return out


def available_codes(loaded: Loaded) -> list[str]:
    """Every country code the workspace has evidence for, whether or not this
    load read it (a load for named countries reads only theirs): its own
    evidence folders and the shipped countries it can use (read again: two
    folders, and only when a name was not found). Sorted.

    Returns: `list[str]`.
    Raises: nothing (problems in the shipped files are not reported here).

    Example:
        >>> available_codes(load_data(countries=["KAZ"]))
        ['KAZ', 'RUS']
    """
    import copy
    import os

    codes = set(loaded.countries)
    folder = loaded.workspace.evidence_dir
    if os.path.isdir(folder):
        codes.update(n for n in os.listdir(folder) if ISO3_PATTERN.match(n) and os.path.isdir(os.path.join(folder, n)))
    every = copy.copy(loaded)
    every.countries, every.problems = {}, []
    add_shipped_countries(every, None)
    codes.update(every.countries)
    return sorted(codes)


def _shipped(codes: list) -> str:
    """ "is shipped" or "are shipped", as the list of codes says (a message)."""
    return say("e_shipped_one" if len(codes) == 1 else "e_shipped_many")


def _no_evidence(loaded: Loaded, code: str) -> UsageError | None:
    """Why a country code (ISO 3166-1 or user-assigned) has no evidence here, as
    the error to raise; None when `code` is no country code at all."""
    from .checking.validate import country_code_name
    from .data.workspace import NoWorkspace, shipped_codes, shipped_of

    name = country_code_name(code)
    if name is None:
        return None
    ws, shipped = loaded.workspace, shipped_of(loaded)
    label = code if name == code else f"{code} ({name})"
    if code in shipped.left_out:
        return UsageError(say("e_shipped_left_out", label=label, root=ws.root, why=shipped.left_out[code]))
    if ws.read_only:
        return NoWorkspace(say("e_no_evidence_no_workspace", label=label,
                               codes=", ".join(shipped_codes()) or say("e_no_country")))
    if code in shipped.off:
        return UsageError(say("e_shipped_turned_off", label=label, folder=ws.evidence_dir, code=code,
                              settings=ws.config_file or say("e_the_workspace_settings")))
    return UsageError(say("e_no_evidence_start", label=label, folder=ws.evidence_dir, code=code))


def check(loaded: Loaded) -> ValidationReport:
    """Every problem in a loaded workspace: the loaders' and the cross-record checks'.

    Returns: `ValidationReport` (problems, errors, warnings, files).
    Raises: nothing for bad files (they are the report's problems).

    Example:
        >>> report = check(load_data())
        >>> report.errors
        []
    """
    return validate(loaded)


def ensure_valid(loaded: Loaded, rubric: Rubric, countries: Iterable[CountryEvidence]) -> list[Problem]:
    """Refuses to score on evidence with errors: the rubric's, the document
    types' and the given countries' files must be clean.

    Returns: list of `Problem`, the warnings about those files.
    Raises: `InvalidInput` with the errors as ``problems``.

    Example:
        >>> loaded = load_data()
        >>> warnings = ensure_valid(loaded, pick_rubric(loaded), find_countries(loaded, None))
    """
    report = validate(loaded)
    files = {rubric.path, loaded.workspace.document_types_file}
    for ev in countries:
        files.update(ev.files)
        files.add(ev.country.source.path)
    errors = [p for p in report.errors if p.path in files or not p.path.endswith((".yaml", ".yml"))]
    if errors:
        raise InvalidInput(say("e_input_errors", n=len(errors)), errors)
    return [p for p in report.warnings if p.path in files]


@dataclass
class Selection:
    """A workspace opened and checked for one piece of work (`prepare`):
    `loaded`, the `rubric` chosen, the `evidence` of the countries chosen, and
    the `warnings` about their files.

    >>> p = prepare(["KAZ"])
    >>> p.rubric.id, [ev.iso3 for ev in p.evidence]
    ('four-tier', ['KAZ'])
    """

    loaded: Loaded
    rubric: Rubric | None
    evidence: list[CountryEvidence]
    warnings: list[Problem] = field(default_factory=list)


def prepare(countries: Iterable[str] | str | None = None, rubric: str | None = None, data: str | None = None, *,
            criterion: str | None = None, loaded: Loaded | None = None, checked: bool = True) -> Selection:
    """The one way in: opens the workspace (`data`, else the one found from
    the current folder), loads what the countries need, picks the rubric
    (`rubric`, else the rubric holding `criterion` when given, else the
    default), resolves the countries (None or empty: every country) and, with
    `checked`, refuses evidence with errors. With `checked=False` nothing is
    refused and the rubric is None when none is usable. `loaded` reuses a load.

    Returns: `Selection`.
    Raises: `UsageError` (unknown country, rubric or folder), `InvalidInput`
    (files with errors), `NoWorkspace` (a country code with no workspace).

    Example:
        >>> p = prepare("kaz", rubric="four-tier")
        >>> [ev.iso3 for ev in p.evidence]
        ['KAZ']
    """
    names = country_names(countries)
    if loaded is None:
        loaded = load_data(data, names)
    if not checked and not loaded.rubrics:
        return Selection(loaded, None, find_countries(loaded, names))
    if rubric is None and criterion is not None:
        found = loaded.criterion_index().get(criterion)
        rubric = found[0].id if found else None
    chosen = pick_rubric(loaded, rubric)
    evidence = find_countries(loaded, names)
    warnings = ensure_valid(loaded, chosen, evidence) if checked else []
    return Selection(loaded, chosen, evidence, warnings)


def compute_scores(countries: Iterable[str] | str | None = None, as_of: str | dt.date | None = None,
                   rubric: str | None = None, data: str | None = None, scenario: str | None = None):
    """Loads, validates and scores countries by code or name (None or empty:
    every country), as of a date (default today), on a rubric (default: the
    workspace's default). With `scenario` (a name), the evidence with that
    scenario's overlay (assess.scenario), as of the date it assumes unless
    `as_of` is given; the result's ``.scenario`` says which.

    Returns: `Scores` (``.overall``, ``.tiers``, ``.criteria`` as pandas frames;
    ``.countries`` as result objects).
    Raises: `UsageError` (unknown country, rubric, scenario, bad date),
    `InvalidInput` (evidence, scenario or rubric files with errors).

    Example:
        >>> scores = compute_scores(["KAZ", "RUS"], as_of="2021-06-30")
        >>> scores.overall[["country", "overall"]]
    """
    from .scoring.score import score_countries

    loaded = load_data(data, country_names(countries))
    scen, as_of = _with_scenario(loaded, scenario, as_of)
    p = prepare(countries, rubric, data, loaded=loaded)
    scores = score_countries(p.rubric, p.evidence, parse_date(as_of))
    scores.scenario = scen
    return scores


def explain_level(country: str, criterion: str, as_of: str | dt.date | None = None, rubric: str | None = None,
                  data: str | None = None, scenario: str | None = None):
    """Why one country got its level on one criterion: the rule, every finding
    weighed, and the one that decided. Without `rubric`, the rubric that holds
    the criterion. With `scenario`, under that scenario's overlay, as of the
    date it assumes unless `as_of` is given.

    Returns: `Explanation`.
    Raises: `UsageError` (unknown country, criterion or rubric), `InvalidInput`
    (files with errors).

    Example:
        >>> ex = explain_level("KAZ", "int-strategy", as_of="2021-06-30")
        >>> ex.result.level, ex.result.deciding
    """
    import dataclasses

    from .analyses.explain import explain_criterion

    loaded = load_data(data, [country])
    _, as_of = _with_scenario(loaded, scenario, as_of)
    p = prepare([country], rubric, data, criterion=criterion, loaded=loaded)
    ex = explain_criterion(p.rubric, p.evidence[0], criterion, parse_date(as_of))
    return dataclasses.replace(ex, root=p.loaded.workspace.root)


# the names before the rename (a function named like a module hid the module): for callers inside the tool
load = load_data


# ---------------------------------------------------------------- baselines


def baseline_file(loaded: Loaded, rubric: Rubric, file: str | None = None) -> str:
    """The baseline file: `file`, else baselines/<rubric>.json in the workspace.

    Returns: str, a path. Raises: nothing.

    Example:
        >>> loaded = load_data()
        >>> baseline_file(loaded, pick_rubric(loaded)).endswith("four-tier.json")
        True
    """
    import os

    return file or os.path.join(loaded.workspace.baselines_dir, f"{rubric.id}.json")


def write_baseline(countries: Iterable[str] | str | None = None, as_of: str | dt.date | None = None, rubric: str | None = None,
                   data: str | None = None, file: str | None = None, update: bool = False) -> tuple[str, dict]:
    """Scores the workspace and records the result as the baseline that
    `check_baseline` compares against. Countries: None or empty means every
    country (with `update`, the existing baseline's, then any added since).

    Without `update` an existing baseline is never replaced. With it, the
    existing file's as-of date and countries are kept unless given.

    Returns: (path written, the baseline record as a dict).
    Raises: `UsageError` (the file exists and `update` is false; unknown
    country or rubric), `NoWorkspace` (no workspace to write into),
    `InvalidInput` (files with errors).

    Example:
        >>> path, record = write_baseline(as_of="2021-06-30", data="my-workspace")
    """
    import os

    from . import __version__
    from .analyses.baseline import make_baseline, read_baseline
    from .analyses.baseline import write_baseline as write
    from .scoring.score import score_countries

    from .data.workspace import require_workspace

    loaded = load_data(data)
    chosen = pick_rubric(loaded, rubric)
    if file is None:
        require_workspace(loaded.workspace, say("e_what_baseline"), say("e_purpose_record_baseline"))
    # a folder, a device, a path under a file or the installed package: said before scoring
    path = ensure_writable(baseline_file(loaded, chosen, file), say("e_what_baseline"), loaded.workspace)
    countries = country_names(countries)
    if os.path.exists(path):
        if not update:
            raise UsageError(say("e_baseline_exists", path=path, update="{update}"), params=("update",))
        previous = read_baseline(path)
        as_of = as_of or previous.get("as_of")
        if countries is None:
            countries = [c for c in previous["countries"] if c in loaded.countries] + [c for c in loaded.countries if c not in previous["countries"]]
    p = prepare(countries, chosen.id, loaded=loaded)
    scores = score_countries(p.rubric, p.evidence, parse_date(as_of))
    record = make_baseline(scores, loaded.workspace.root, __version__, _shipped_pair(loaded))
    write(record, path)
    return path, record


def _shipped_pair(loaded: Loaded) -> tuple[str, list[str]]:
    """(the shipped evidence folder, the countries read from it) for make_baseline."""
    from .data.workspace import shipped_of

    shipped = shipped_of(loaded)
    return shipped.folder, list(shipped.used)


def shipped_countries(loaded: Loaded) -> list[str]:
    """The countries of a loaded workspace read from the data shipped with
    assess (read-only).

    Returns: `list[str]`.
    Raises: nothing.

    Example:
        >>> shipped_countries(load_data("my-workspace"))
        ['KAZ', 'RUS']
    """
    from .data.workspace import shipped_of

    return list(shipped_of(loaded).used)


def shipped_codes() -> list[str]:
    """The codes of the countries shipped with assess, sorted.

    Returns: `list[str]`.
    Raises: nothing.

    Example:
        >>> shipped_codes()
        ['KAZ', 'RUS']
    """
    from .data.workspace import shipped_codes as codes

    return codes()


def shipped_status(loaded: Loaded):
    """The shipped countries as this workspace sees them (workspace.Shipped):
    used, replaced by the workspace's own folder, left out (and why), turned off.

    Returns: `Shipped`.
    Raises: nothing.

    Example:
        >>> shipped_status(load_data("my-workspace")).left_out
        {}
    """
    from .data.workspace import shipped_of

    return shipped_of(loaded)


def evidence_dir_of(loaded: Loaded, code: str) -> str:
    """The evidence folder that holds a country's folder: the shipped data's for
    a shipped country, else the workspace's.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> evidence_dir_of(load_data("my-workspace"), "UZB")
        '/home/me/my-workspace/evidence'
    """
    from .data.workspace import evidence_dir_of as where

    return where(loaded, code)


def ensure_writable(path: str, what: str, workspace: Workspace | None = None, folder: bool = False) -> str:
    """The one guard before anything is written: `path` must be a place of the
    right kind (a folder with `folder`, else a regular file: atomic.check_output)
    and never inside the installed package or the shipped data
    (workspace.NoWorkspace); `what` names what would be written.

    Returns: `str`, the path.
    Raises: `UsageError` (a place of the wrong kind, or one this user may not
    write), `NoWorkspace` (inside the package or the shipped data).

    Example:
        >>> ensure_writable("/tmp/report.html", "the report")
        '/tmp/report.html'
    """
    from .common.atomic import check_output
    from .data.workspace import ensure_writable as check

    check_output(path, folder=folder)
    return check(path, what, workspace)


def outside_workspace(loaded: Loaded, path: str) -> bool:
    """Whether `path` lies outside every folder the loaded workspace reads (its
    own, and the shipped country folders it uses).

    Returns: `bool`.
    Raises: nothing.

    Example:
        >>> outside_workspace(load_data(), "/tmp/report.html")
        True
    """
    from .data.workspace import outside

    return outside(loaded, path)


def looks_like_workspace(folder: str) -> bool:
    """A folder holding an assess.toml, criteria/ or evidence/: a workspace of
    its own.

    Returns: `bool`.
    Raises: nothing.

    Example:
        >>> looks_like_workspace("/tmp")
        False
    """
    from .data.workspace import looks_like_workspace as looks

    return looks(folder)


def countries_covered(codes: Iterable[str], shipped: Iterable[str], lang: str = "en") -> str:
    """Which countries a command covers and where each comes from, in one line:
    'UZB (this workspace); KAZ, RUS (shipped with assess, read-only)', for
    `codes` of which `shipped` come from the data shipped with assess; in `lang`.

    Returns: `str` ("none" for no codes).
    Raises: nothing.

    Example:
        >>> countries_covered(["UZB", "KAZ"], ["KAZ", "RUS"])
        'UZB (this workspace); KAZ (shipped with assess, read-only)'
    """
    from .data.workspace import describe_codes

    return describe_codes(codes, set(shipped), lang)


def check_baseline(baseline: str | None = None, tolerance: float = 0.0, data: str | None = None, rubric: str | None = None,
                   lang: str = "en"):
    """Recomputes the scores the baseline records (every country of the
    workspace, as of the baseline's date) and returns the drift.

    Coverage moves and every criterion's level or status move always count as
    drift; `tolerance` (points) bounds only the tier and index moves, which are
    compared like with like, on the criteria assessed in both (baseline.compare).
    The reasons of each move are written in `lang`.

    Returns: `baseline.Drift` (``.drifted``, ``.changes``, ``.countries``).
    Raises: `InvalidInput` (a baseline that cannot be read; files with
    errors), `NoWorkspace` (no baseline given and no workspace), `UsageError`.

    Example:
        >>> drift = check_baseline(data="my-workspace")
        >>> drift.drifted
        False
    """
    import os

    from . import __version__
    from .analyses.baseline import compare, make_baseline, read_baseline
    from .scoring.score import score_countries

    from .data.workspace import require_workspace

    loaded = load_data(data)
    if baseline is None:
        require_workspace(loaded.workspace, say("e_what_baseline"), say("e_purpose_check_baseline"))
        chosen = pick_rubric(loaded, rubric)
        baseline = baseline_file(loaded, chosen)
    record = read_baseline(baseline)
    rubric_id = rubric or record.get("rubric", {}).get("id")
    # every country of the baseline that still has evidence, and any added since
    p = prepare(None, rubric_id if rubric_id in loaded.rubrics else rubric, loaded=loaded)
    scores = score_countries(p.rubric, p.evidence, parse_date(record["as_of"]))
    shipped = _shipped_pair(loaded)
    current = make_baseline(scores, loaded.workspace.root, __version__, shipped)
    drift = compare(record, current, tolerance, lang=check_lang(lang))
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



# ---------------------------------------------------------------- reports


def check_lang(lang: str | None) -> str | None:
    """`lang`, if it is a language of the catalogue (en, ru, kk); None passes.

    Returns: str. Raises: `UsageError` naming the languages known.

    Example:
        >>> check_lang("ru")
        'ru'
    """
    from .data.model import LANGUAGES

    if lang is not None and lang not in LANGUAGES:
        raise UsageError(say("e_unknown_language", lang=lang, hint=suggest(str(lang).lower(), LANGUAGES),
                             langs=", ".join(LANGUAGES)))
    return lang


REPORT_DRAWS = 2000  # enough for stable 5-95% intervals in a report, fast for 200 countries


def report_context(countries: Iterable[str] | None, as_of: str | dt.date | None = None, rubric: str | None = None,
                   data: str | None = None, lang: str = "en", generated: dt.datetime | None = None,
                   common_only: bool = False, timeline_from: int | str | dt.date | None = None,
                   draws: int = REPORT_DRAWS, seed: int = 0, scenario: str | None = None,
                   highlight: Iterable[str] | None = None) -> dict:
    """Scores countries and builds the data every report format renders: the
    scores, and the timeline, sensitivity and coder agreement behind them.
    countries=None (or empty) takes every country in the workspace; draws=0
    leaves the sensitivity analysis out. `highlight` names countries (ISO3)
    the world layout (more than six countries) marks in its charts and
    tables; `scenario` scores under that scenario's overlay and stamps the
    report.

    Returns: dict, the report context (``countries``, ``rubric``, ``as_of``,
    ``scores``, ``timeline``, ``sensitivity``, ``agreement``, ...).
    Raises: `UsageError` (unknown country, rubric or language; draws or seed
    out of range; a timeline start after the as-of date), `InvalidInput`.

    Example:
        >>> ctx = report_context(["KAZ", "RUS"], as_of="2021-06-30", lang="ru", draws=0)
        >>> html = render_html(ctx)
    """
    check_lang(lang)
    from . import __version__
    from .analyses.agreement import measure_agreement
    from .output.render.context import agreement_context, build_context, sensitivity_context, timeline_context
    from .scoring.score import score_countries
    from .analyses.sensitivity import run_sensitivity
    from .analyses.timeline import events_for

    if draws < 0 or draws > 1_000_000:
        raise UsageError(say("e_draws_range_0", draws="{draws}"), params=("draws",))
    if seed < 0:
        raise UsageError(say("e_seed_range", seed="{seed}"), params=("seed",))

    from .common.buildtime import now

    generated = generated or now()  # SOURCE_DATE_EPOCH when set: the same bytes from two runs
    loaded = load_data(data, country_names(countries))
    scen, as_of = _with_scenario(loaded, scenario, as_of)
    p = prepare(countries, rubric, data, loaded=loaded)
    loaded, chosen, evidence = p.loaded, p.rubric, p.evidence
    scores = score_countries(chosen, evidence, parse_date(as_of))
    files = [chosen.path] + [f for ev in evidence for f in ev.files]
    registers_read: dict = {}

    def original_url(document, in_lang):  # read criteria/registers.yaml only when a quote needs it
        from .sources.registers import load_registers, original_text_url

        if "found" not in registers_read:
            registers_read["found"] = load_registers(loaded.workspace.registers_file, [], check_xpath=False)
            files.append(loaded.workspace.registers_file)  # then an input of the report (listed after the findings)
        return original_text_url(registers_read["found"], document, in_lang)

    context = build_context(scores, lang=lang, input_files=files, root=loaded.workspace.root,
                            tool_version=__version__, generated=generated, common_only=common_only,
                            original_url=original_url)
    context["scores"] = scores
    context["scenario"] = _scenario_context(scen, lang)
    context["highlight"] = check_highlight(highlight, [c["iso3"] for c in context["countries"]])
    # document types by title in the report's language (criteria/document-types.yaml), never by their raw ids
    context["document_types"] = {d.id: d.title.get(lang) for d in loaded.document_types.values()}

    end = scores.as_of
    firsts = [e.date for ev in evidence for e in events_for(chosen, ev)[0] if e.date <= end]
    default_start = dt.date(min(firsts).year, 1, 1) if firsts else end
    timelines = _timelines(chosen, evidence, timeline_from, default_start, end, "year", lang,
                           say("e_after_as_of", date=end), "timeline_from")
    context["timeline"] = timeline_context(chosen, timelines, lang)
    context["sensitivity"] = sensitivity_context(run_sensitivity(chosen, evidence, end, draws=draws, seed=seed, scored=scores.countries), lang) if draws else None
    context["agreement"] = agreement_context(measure_agreement(chosen, evidence, end), lang)
    from .sources import verify_countries, verify_summary

    # the share of findings whose quote was found at its locator in a source text (assess verify)
    context["verification"] = verify_summary(verify_countries(loaded, [ev.iso3 for ev in evidence])).to_dict()
    return context


def check_highlight(highlight: Iterable[str] | None, codes: list[str]) -> list[str]:
    """The countries to highlight, as ISO3 codes (any case, blanks skipped,
    each once, in the order given) among the report's `codes`.

    Returns: `list[str]`.
    Raises: `UsageError` naming a code that is not among the report's
    countries.

    Example:
        >>> check_highlight(["kaz", " "], ["KAZ", "RUS"])
        ['KAZ']
    """
    chosen = []
    for code in highlight or []:
        code = code.strip().upper()
        if not code:
            continue
        if code not in codes:
            raise UsageError(say("e_highlight_unknown", code=code))
        if code not in chosen:
            chosen.append(code)
    return chosen


def templates_dir() -> str:
    """The folder of the shipped report templates and message catalogue
    (reports/templates in a checkout, assess/_shipped/templates in a wheel).

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> os.path.isfile(os.path.join(templates_dir(), "messages.yaml"))
        True
    """
    from .data.workspace import shipped_root

    return shipped_root()[2]


def report_basename(context: dict) -> str:
    """A file name from the country codes (validated ISO3, so safe in a path).

    Returns: str, e.g. 'assess-KAZ-RUS-four-tier-2021-06-30-en'. Raises: nothing.

    Example:
        >>> report_basename(report_context(["KAZ"], as_of="2021-06-30", draws=0))
        'assess-KAZ-four-tier-2021-06-30-en'
    """
    codes = [c["iso3"] for c in context["countries"]]
    stem = "-".join(codes) if len(codes) <= 6 else f"{len(codes)}-countries"
    scenario = f"-scenario-{context['scenario']['name']}" if context.get("scenario") else ""
    return f"assess-{stem}-{context['rubric']['id']}-{context['as_of'].isoformat()}{scenario}-{context['lang']}"


def write_reports(countries: Iterable[str] | None, out: str, formats: Iterable[str] = ("html", "xlsx"), as_of=None,
                  rubric: str | None = None, data: str | None = None, lang: str = "en", common_only: bool = False,
                  timeline_from=None, draws: int = REPORT_DRAWS, seed: int = 0, scenario: str | None = None,
                  highlight: Iterable[str] | None = None) -> list[str]:
    """Writes the report in each format (html, xlsx, pdf; any case) into the folder
    `out`. All formats or none: each is built in memory first, and they are
    put in place together (atomic.write_files_atomic), so an interruption never
    leaves a new HTML file beside an old workbook; an Interrupted then says which.

    Returns: list of str, the paths written.
    Raises: `UsageError` (unknown format, country, rubric, language; `out`
    not a folder), `NoWorkspace` (`out` inside the shipped data),
    `InvalidInput`, `CannotWrite` (a full disk; nothing is left half-written).

    Example:
        >>> write_reports(["KAZ", "RUS"], out="reports/out", as_of="2021-06-30", lang="kk")
        ['reports/out/assess-KAZ-RUS-four-tier-2021-06-30-kk.html', 'reports/out/assess-KAZ-RUS-four-tier-2021-06-30-kk.xlsx']
    """
    import os

    from .common.atomic import write_files_atomic

    formats = [str(f).strip().lower() for f in ([formats] if isinstance(formats, str) else formats)]
    unknown = [f for f in formats if f not in ("html", "xlsx", "pdf")]
    if unknown or not formats:
        raise UsageError(say("e_report_format", format=unknown[0] if unknown else ""))
    browser = None
    if "pdf" in formats:  # no browser: say what to install before any work, and write nothing
        from .output.render.pdf import check_available

        browser = check_available()
    ensure_writable(out, say("e_what_report"), open_workspace(data), folder=True)  # before the work, not after it
    context = report_context(countries, as_of=as_of, rubric=rubric, data=data, lang=lang, common_only=common_only,
                             timeline_from=timeline_from, draws=draws, seed=seed, scenario=scenario,
                             highlight=highlight)
    base = os.path.join(out, report_basename(context) + ("-common" if common_only else ""))
    files = []
    for fmt in formats:
        if fmt == "html":
            from .output.render.html import render_html

            files.append((base + ".html", render_html(context, templates_dir()).encode("utf-8")))
        elif fmt == "pdf":  # the HTML report, printed by a headless Chromium (render/pdf.py)
            from .output.render.html import render_html
            from .output.render.pdf import html_to_pdf

            files.append((base + ".pdf", html_to_pdf(render_html(context, templates_dir()), browser, context.get("generated"))))
        else:
            from .common.messages import load_messages
            from .output.render.xlsx import workbook_bytes

            files.append((base + ".xlsx", workbook_bytes(context, load_messages(templates_dir(), context["lang"]))))
    return write_files_atomic(files)


def render_html(context: dict) -> str:
    """The HTML report for a report context (`report_context`), as one self-contained string.

    Returns: str. Raises: nothing for a context `report_context` made.

    Example:
        >>> html = render_html(report_context(["KAZ"], as_of="2021-06-30", draws=0))
    """
    from .output.render.html import render_html as render

    return render(context, templates_dir())


def write_xlsx(context: dict, path: str) -> str:
    """Writes the Excel report for a report context (atomically).

    Returns: str, the path written.
    Raises: `UsageError`/`NoWorkspace` for a place that cannot be written, `CannotWrite`.

    Example:
        >>> write_xlsx(report_context(["KAZ"], as_of="2021-06-30", draws=0), "KAZ.xlsx")
        'KAZ.xlsx'
    """
    from .output.render.xlsx import write_xlsx as write

    return write(context, path, templates_dir())


def load_evidence(country: str, data: str | None = None) -> CountryEvidence:
    """One country's evidence (documents and findings as model objects).

    Returns: `CountryEvidence`.
    Raises: `InvalidInput` if its files have errors; `UsageError` for an unknown country.

    Example:
        >>> ev = load_evidence("KAZ")
        >>> sorted(ev.documents)[:1]
    """
    p = prepare([country], data=data, checked=False)
    loaded, evidence = p.loaded, p.evidence[0]
    errors = [p for p in loaded.problems if p.severity == "error" and (p.path in evidence.files or p.path == evidence.country.source.path)]
    if errors:
        raise InvalidInput(say("e_evidence_errors", code=evidence.iso3, n=len(errors)), errors)
    return evidence


# ---------------------------------------------------------------- a new country


def new_country(country: str, name: str | None = None, rubric: str | None = None, data: str | None = None,
                lang: str = "en") -> list[str]:
    """Scaffolds evidence/<ISO3>/ in the workspace with a commented checklist
    of every criterion, in `lang`; never overwrites.

    Returns: list of str, the files written.
    Raises: `UsageError` (not a country code; the folder exists; unknown
    language or rubric), `NoWorkspace` (no workspace to write into).

    Example:
        >>> new_country("UZB", data="my-workspace")
        ['my-workspace/evidence/UZB/country.yaml', 'my-workspace/evidence/UZB/findings.yaml']
    """
    import os

    from .entry.scaffold import new_country as scaffold

    from .checking.validate import country_code_name
    from .data.workspace import ensure_writable, require_workspace
    from .entry.scaffold import not_a_code

    check_lang(lang)
    if country_code_name(str(country).strip().upper()) is None:  # before any folder is made
        raise UsageError(not_a_code(country))
    if data and os.path.isdir(data) and not os.path.isdir(os.path.join(data, "criteria")):
        ensure_writable(os.path.join(data, "evidence"), say("e_what_new_country"))
        os.makedirs(os.path.join(data, "evidence"), exist_ok=True)  # a new, empty workspace folder
    workspace = require_workspace(open_workspace(data), say("e_what_new_country"), say("e_purpose_add_country"))
    loaded = load_data(data)
    chosen = pick_rubric(loaded, rubric)
    ensure_writable(workspace.evidence_dir, say("e_what_new_country"), workspace)
    os.makedirs(workspace.evidence_dir, exist_ok=True)
    return scaffold(workspace.evidence_dir, country, chosen, name=name, known=iso3_codes(), lang=lang)


def country_code_note(country: str) -> str | None:
    """The warning for a country code outside ISO 3166-1 in one of its
    user-assigned ranges (XKX, QZZ...), naming the range; None otherwise.

    Returns: `str` or None.
    Raises: nothing.

    Example:
        >>> country_code_note("KAZ") is None
        True
    """
    from .checking.validate import country_code_note as note

    return note(str(country).strip().upper())


# ---------------------------------------------------------------- data entry in a workbook


def entry_template(country: str, out: str, rubric: str | None = None, data: str | None = None, lang: str = "en",
                   warnings: list | None = None) -> str:
    """Writes the data-entry workbook for a country (see assess.template),
    pre-filled with its evidence. `warnings`, when given, receives a Problem
    for each text a workbook cannot hold whole (control characters, which are
    left out of the cell).

    Returns: str, the path written.
    Raises: `UsageError` (`out` not an .xlsx file; not a country; unknown
    language or rubric), `InvalidInput` (the country's files have errors).

    Example:
        >>> entry_template("KAZ", "KAZ-evidence.xlsx", lang="ru")
        'KAZ-evidence.xlsx'
    """
    import os

    from .data import yamlio
    from .common.messages import load_messages
    from .entry.template import TemplateData, write_template

    check_lang(lang)
    if not out.lower().endswith(".xlsx"):
        raise UsageError(say("e_template_not_xlsx", out="{out}", path=out), params=("out",))
    from .checking.validate import country_code_name

    loaded = load_data(data)
    ensure_writable(out, say("e_what_workbook"), loaded.workspace)  # before the work, not after it
    chosen = pick_rubric(loaded, rubric)
    code = str(country).strip().upper()
    evidence = loaded.countries.get(code)
    if evidence is None:
        matches = find_countries(loaded, [country]) if not ISO3_PATTERN.match(code) else []
        evidence = matches[0] if matches else None
    if evidence is None and country_code_name(code) is None:
        raise UsageError(say("e_neither_country", country=country))
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
            raise InvalidInput(say("e_template_evidence_errors", code=code, n=len(broken)), broken)
        for path in evidence.files:
            parsed = yamlio.load(path)
            if warnings is not None:
                from .entry.entry import unstorable

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
    """What importing a filled-in data-entry workbook would write. `into` is a
    workspace folder (made when the plan is applied); default: the current workspace.

    Returns: `importer.ImportPlan` (``.changes`` with diffs, ``.warnings``).
    Raises: `InvalidInput` with cell-addressed problems when the workbook has
    errors; `UsageError`/`NoWorkspace` for a place that cannot be written.

    Example:
        >>> plan = import_plan("KAZ-evidence.xlsx", into="my-workspace")
        >>> written = apply_import(plan)
    """
    from .common.atomic import check_output
    from .entry.importer import check_workbook, plan_import
    from .data.workspace import new_workspace, require_workspace

    check_workbook(workbook)  # before any folder is made
    if into:
        check_output(into, folder=True)
        workspace = new_workspace(into)  # nothing is made on disk before the files are written
    else:
        workspace = require_workspace(open_workspace(data), say("e_what_imported"), say("e_purpose_import"))
    ensure_writable(workspace.evidence_dir, say("e_what_imported"), workspace, folder=True)
    return plan_import(workbook, workspace)


def apply_import(plan) -> list[str]:
    """Writes the files of an import plan (`import_plan`), all or none.

    Returns: list of str, the paths written.
    Raises: `CannotWrite` (nothing is left half-written).

    Example:
        >>> apply_import(import_plan("KAZ-evidence.xlsx"))
    """
    from .entry.importer import apply_import as write

    return write(plan)


# ---------------------------------------------------------------- timelines


def compute_timelines(countries: Iterable[str] | str | None = None, start: int | str | dt.date | None = None,
                      end: str | dt.date | None = None, step: str = "year", rubric: str | None = None,
                      data: str | None = None, lang: str = "en", scenario: str | None = None):
    """Scores at each step (year or month ends) from `start` (a year or a
    date; default the earliest document) to `end` (default today), with each
    change point and the document that caused it. Countries: None or empty
    means every country. With `scenario`, under that scenario's overlay, and
    `end` defaults to the later of today and the date it assumes.

    Returns: (`Rubric`, list of `timeline.Timeline`), one timeline per country.
    Raises: `UsageError` (unknown step, country, rubric or language; `start`
    after `end`), `InvalidInput` (files with errors).

    Example:
        >>> rubric, timelines = compute_timelines(["KAZ"], start=2013, end="2021-06-30")
        >>> [(c.date, c.causes) for c in timelines[0].changes][:1]
    """
    from .analyses.timeline import events_for

    check_lang(lang)
    if step not in ("year", "month"):
        raise UsageError(say("e_unknown_step", step="{step}", value=step), params=("step",))
    loaded = load_data(data, country_names(countries))
    scen = _apply(loaded, scenario)
    p = prepare(countries, rubric, data, loaded=loaded)
    chosen, evidence = p.rubric, p.evidence
    end_date = parse_date(end) or (max(dt.date.today(), scen.in_force_from) if scen else dt.date.today())
    if start is None:
        firsts = [e.date for ev in evidence for e in events_for(chosen, ev)[0]]
        default_start = min(firsts) if firsts else end_date
    else:  # --from given: the earliest event is not needed
        default_start = end_date
    return chosen, _timelines(chosen, evidence, start, default_start, end_date, step, lang,
                              say("e_after_end", end="{end}", date=end_date), "start", ("end",))


def _timelines(rubric: Rubric, evidence: list[CountryEvidence], start, default_start: dt.date, end: dt.date, step: str,
               lang: str, too_late: str, option: str, more_params: tuple[str, ...] = ()):
    """Each country's timeline from `start` (a year, a date, or None for
    default_start) to `end`, with the change points inside that window."""
    from .analyses.timeline import country_timeline, step_dates

    if start is None:
        start_date = default_start
    elif isinstance(start, int) or (isinstance(start, str) and start.strip().isdigit()):
        if not dt.MINYEAR <= int(start) <= dt.MAXYEAR:
            raise UsageError(say("e_start_year_range", option="{" + option + "}", year=int(start), low=dt.MINYEAR,
                                 high=dt.MAXYEAR), params=(option,))
        start_date = dt.date(int(start), 1, 1)
    else:
        start_date = parse_date(start)
    if start_date > end:
        raise UsageError(say("e_start_too_late", option="{" + option + "}", date=start_date, late=too_late),
                         params=(option, *more_params))
    dates = step_dates(start_date, end, step)
    from .common import progress

    timelines = [country_timeline(rubric, ev, dates, lang) for ev in progress.track(evidence, "timeline")]
    for tl in timelines:  # the sweep starts at the first document; show the changes in the window asked for
        tl.changes = [c for c in tl.changes if start_date <= c.date <= end]
        # and the spans of thin coverage, cut to the window (a span still open at its end runs to it)
        tl.thin = [(max(a, start_date) if a else start_date, min(b, end) if b else end) for a, b in tl.thin
                   if (a is None or a <= end) and (b is None or b >= start_date)]
    return timelines


# ---------------------------------------------------------------- sensitivity


def compute_sensitivity(countries: Iterable[str] | str | None = None, draws: int = 10_000, seed: int = 0, as_of=None,
                        rubric: str | None = None, data: str | None = None, concentration: float | None = None,
                        p_geometric: float = 0.5, vary=None, unverified: str | None = None,
                        scenario: str | None = None, pairs: str = "auto"):
    """Monte Carlo over what the index does not know: weights, aggregation,
    unassessed criteria and uncertain findings (see assess.sensitivity).
    `vary`: the sources to vary, a comma list or names (None: all the rubric
    allows). `pairs`: which pairs the rank statements cover, "auto" (every
    pair of up to six countries, neighbours in the ranking by median beyond),
    "neighbours" or "all" (N(N-1)/2 counts over the draws). `unverified` is
    gone (findings vary through `vary`): any value is a usage error that says
    so. Countries: None or empty means every country.

    Returns: `sensitivity.SensitivityResult` (per-country median, 5-95%
    interval, range; rank stability; what was varied).
    Raises: `UsageError` (draws outside 1..1,000,000, seed below 0,
    p_geometric outside 0..1, concentration not above 0, an unknown source in
    `vary`, unknown country or rubric), `InvalidInput` (files with errors).

    Example:
        >>> mc = compute_sensitivity(["KAZ", "RUS"], draws=2000, seed=1, as_of="2021-06-30")
        >>> mc.statement(1, 0)
    """
    from .analyses.sensitivity import DEFAULT_CONCENTRATION, PAIR_CHOICES, SourceError, choose_sources, run_sensitivity

    if unverified is not None:
        raise UsageError(say("e_unverified_gone", unverified="{unverified}", vary="{vary}"), params=("unverified", "vary"))
    if draws < 1 or draws > 1_000_000:
        raise UsageError(say("e_draws_range_1", draws="{draws}"), params=("draws",))
    if seed < 0:
        raise UsageError(say("e_seed_range", seed="{seed}"), params=("seed",))
    if pairs not in PAIR_CHOICES:
        raise UsageError(say("e_pairs_choice", pairs="{pairs}", choices=", ".join(PAIR_CHOICES)), params=("pairs",))
    if not 0 <= p_geometric <= 1:
        raise UsageError(say("e_p_geometric_range", p_geometric="{p_geometric}"), params=("p_geometric",))
    concentration = DEFAULT_CONCENTRATION if concentration is None else concentration
    if not 0 < concentration < float("inf"):  # nan and inf too: a Dirichlet of them draws nothing
        raise UsageError(say("e_concentration_range", concentration="{concentration}"), params=("concentration",))
    loaded = load_data(data, country_names(countries))
    scen, as_of = _with_scenario(loaded, scenario, as_of)
    p = prepare(countries, rubric, data, checked=False, loaded=loaded)
    chosen, evidence = p.rubric, p.evidence
    if chosen is None:
        chosen = pick_rubric(p.loaded, rubric)  # says why no rubric is usable
    try:
        sources = choose_sources(chosen, vary)
    except SourceError as exc:
        raise UsageError(say("e_option_problem", option="{vary}", problem=exc.args[0] if exc.args else str(exc)),
                         params=("vary",)) from None
    ensure_valid(p.loaded, chosen, evidence)
    result = run_sensitivity(chosen, evidence, parse_date(as_of) or dt.date.today(), draws=draws, seed=seed,
                             concentration=concentration, p_geometric=p_geometric, vary=sources, pairs=pairs)
    result.scenario = scen
    return result


# ---------------------------------------------------------------- agreement


def compute_agreement(countries: Iterable[str] | str | None = None, as_of=None, rubric: str | None = None,
                      data: str | None = None):
    """Agreement between coders on the countries given (None or empty: every
    country): Krippendorff's alpha (ordinal), percent agreement and the
    disagreements to reconcile, as of a date (default today).

    Returns: `agreement.AgreementResult`.
    Raises: `UsageError` (unknown country or rubric, bad date), `InvalidInput`.

    Example:
        >>> result = compute_agreement(["KAZ"], as_of="2021-06-30")
        >>> result.alpha, len(result.disagreements)
    """
    from .analyses.agreement import measure_agreement

    p = prepare(countries, rubric, data)
    return measure_agreement(p.rubric, p.evidence, parse_date(as_of) or dt.date.today())


# ---------------------------------------------------------------- source texts


def verify(countries: Iterable[str] | None = None, data: str | None = None, record: bool = False,
           today: "dt.date | None" = None):
    """Checks every finding of the countries given (all when None) against its
    document's source texts (evidence/<ISO3>/sources/). Returns a VerifyReport:
    results, summary (counts and share verified) and problems. With `record`,
    first writes a check record (method: source-text, dated `today`) into the
    evidence of each finding found at its locator, and removes the records of
    earlier runs that the texts now contradict (sources.record); the report is
    then of the evidence as written, with `recorded` listing the changes.

    Returns: `sources.verify.VerifyReport` (``.results``, ``.summary``, ``.failed``).
    Raises: `UsageError` (unknown country; `record` on shipped, read-only
    evidence), `InvalidInput` (`record` on evidence with errors).

    Example:
        >>> report = verify(["KAZ"])
        >>> report.summary.findings, report.failed
    """
    from .sources import verify_countries, verify_summary
    from .sources.verify import VerifyReport

    p = prepare(countries, data=data, checked=False)
    loaded, evidence = p.loaded, p.evidence
    problems: list[Problem] = []
    results = verify_countries(loaded, [e.iso3 for e in evidence], problems)
    from .data.workspace import shipped_of

    origins = {e.iso3: shipped_of(loaded).origin(e.iso3) for e in sorted(evidence, key=lambda e: e.iso3)}
    if not record:
        return VerifyReport(results, verify_summary(results), problems, origins)
    from .sources import record as recorder

    fixed = [code for code, origin in origins.items() if origin != "workspace"] if not loaded.workspace.read_only else list(origins)
    if fixed:
        raise UsageError(say("e_record_shipped", record="{record}", codes=", ".join(fixed), shipped=_shipped(fixed)),
                         params=("record",))
    errors = [p for p in loaded.problems if p.severity == "error"]
    if errors:
        raise InvalidInput(say("e_record_evidence_errors"), errors)
    day = today or dt.date.today()
    actions = []
    for ev in evidence:
        edits, planned = recorder.plan(ev, [r for r in results if r.country == ev.iso3], day)
        actions.extend(recorder.apply(edits, planned))
    report = verify(countries, data=data)
    return VerifyReport(report.results, report.summary, report.source_problems, report.countries, actions)


def source_texts(country: str, document: str, data: str | None = None, lang: str | None = None):
    """The source texts of one document of one country (in `lang` only, when given).

    Returns: (`CountryEvidence`, list of `sources.SourceText`).
    Raises: `UsageError` (unknown country or document; no source text, saying
    where to put one), `InvalidInput` (a text that cannot be read).

    Example:
        >>> ev, texts = source_texts("KAZ", "kaz-constitution")
        >>> [t.lang for t in texts]
    """
    return _source_texts(prepare([country], data=data, checked=False).loaded, country, document, lang)


def _source_texts(loaded: Loaded, country: str, document: str, lang: str | None):
    import os

    from .sources import country_sources

    ev = find_countries(loaded, [country])[0]
    if document not in ev.documents:
        raise UsageError(say("e_no_document", document=document, code=ev.iso3, hint=suggest(document, ev.documents),
                             documents=", ".join(sorted(ev.documents)) or say("e_none")))
    problems: list[Problem] = []
    from .data.workspace import evidence_dir_of

    evidence_dir = evidence_dir_of(loaded, ev.iso3)  # the shipped data's, for a shipped country
    texts = country_sources(evidence_dir, ev, problems).get(document, [])
    broken = [p for p in problems if p.severity == "error" and os.path.basename(p.path).startswith(document + ".")]
    if broken:
        raise InvalidInput(say("e_source_texts_unreadable", document=document), broken)
    if lang:
        texts = [t for t in texts if t.lang == lang]
    if not texts:
        where = os.path.join(evidence_dir, ev.iso3, "sources", f"{document}.{lang or '<lang>'}.txt")
        if evidence_dir != loaded.workspace.evidence_dir or loaded.workspace.read_only:
            # a shipped country: never send anyone to write into the shipped data
            into = say("e_own_evidence_folder") if loaded.workspace.read_only else loaded.workspace.evidence_dir
            raise UsageError(say("e_no_source_text_shipped", document=document, in_lang=say("e_in_lang", lang=lang) if lang else "",
                                 code=ev.iso3, folder=os.path.join(evidence_dir, ev.iso3), into=into))
        raise UsageError(say("e_no_source_text", document=document, in_lang=say("e_in_lang", lang=lang) if lang else "",
                             where=where))
    return ev, texts


def show_provision(country: str, document: str, locator: str, data: str | None = None, lang: str | None = None):
    """A provision, by locator ('Art. 54(1)(7)', 'п. 7 ст. 54', '54-бап'), in
    each source text of a document that has it.

    Returns: list of (`sources.SourceText`, `sources.Provision`).
    Raises: `UsageError` (a locator that cannot be read; no text has it; see
    also `source_texts`).

    Example:
        >>> [(t.lang, p.locator) for t, p in show_provision("KAZ", "kaz-constitution", "Art. 54")]
    """
    import os

    from .sources import parse_locator, resolve
    from .sources.parse import ARTICLE

    _, texts = source_texts(country, document, data, lang)
    loc = parse_locator(locator)
    if loc is None:
        raise UsageError(say("e_locator_unreadable", locator=locator))
    found = [(t, p) for t in texts for p in [resolve(t.parsed, loc)] if p is not None]
    if not found:
        articles = sorted({p.number for t in texts for p in t.parsed.walk() if p.kind == ARTICLE}, key=_natural)
        hint = say("e_articles_there", articles=", ".join(articles)) if articles else ""
        raise UsageError(say("e_locator_not_in", locator=loc.canonical,
                             files=", ".join(os.path.basename(t.path) for t in texts), hint=hint))
    return found


def _natural(text: str):
    import re

    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", text)]


def suggest_findings(country: str, document: str, criterion: str | None = None, top: int = 3, rubric: str | None = None,
                     data: str | None = None, lang: str | None = None):
    """Provisions of a document's source texts ranked for each criterion by the
    rubric's terms, `top` per criterion (one criterion only, when given).

    Returns: (`CountryEvidence`, `Rubric`, list of (criterion, list of `sources.Suggestion`)).
    Raises: `UsageError` (top below 1; unknown criterion, country, document
    or rubric; no source text).

    Example:
        >>> ev, rubric, results = suggest_findings("KAZ", "kaz-constitution", top=2)
    """
    from .sources import suggest_document

    if top < 1:
        raise UsageError(say("e_top_range", top="{top}", value=top), params=("top",))
    p = prepare([country], rubric, data, checked=False)
    ev, texts = _source_texts(p.loaded, country, document, lang)
    chosen = p.rubric or pick_rubric(p.loaded, rubric)  # says why no rubric is usable
    if criterion is not None and chosen.criterion(criterion) is None:
        raise UsageError(say("e_no_criterion", criterion=criterion, rubric=chosen.id,
                             hint=suggest(criterion, [c.id for c in chosen.criteria])))
    return ev, chosen, suggest_document(chosen, document, texts, criterion, top)


# ---------------------------------------------------------------- scenarios (assess.scenario, assess.whatif)


def _apply(loaded: Loaded, scenario: str | None):
    """Applies scenario `scenario` (a name) to the loaded evidence; None: none given."""
    if scenario is None:
        return None
    from .analyses.scenario import apply_scenario

    return apply_scenario(loaded, scenario)


def _with_scenario(loaded: Loaded, scenario: str | None, as_of):
    """(the scenario applied or None, the as-of date: the one given, else the date the scenario assumes)."""
    if scenario is None:  # as default_as_of(None, as_of) gives, without importing the scenarios
        return None, as_of
    from .analyses.scenario import default_as_of

    scen = _apply(loaded, scenario)
    return scen, default_as_of(scen, as_of)


def _scenario_context(scen, lang: str) -> dict | None:
    """What a report says of the scenario it was made under: every page and sheet is stamped with `stamp`."""
    if scen is None:
        return None
    from .common.messages import catalogue

    msg = catalogue(lang)
    stamp = scen.stamp(msg)
    # as a CSS string for the printed pages' top margin: letters, digits and spaces as they are, every
    # other character as a CSS hex escape, so nothing in it can end the string or the <style> element
    css = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in stamp)
    return {**scen.to_dict(lang), "stamp": stamp, "not_law": msg("scenario_not_law"), "css_stamp": f'"{css}"'}


def scenario_of(name: str, data: str | None = None):
    """The scenario `name` as the workspace sees it, applied to the base
    evidence of the workspace (`data`, else the one found from here).

    Returns: `scenario.Scenario` (``.name``, ``.status``, ``.title``,
    ``.in_force_from``, ``.as_of``).
    Raises: `UsageError` (no scenario of that name: the message lists those
    there are), `InvalidInput` (the scenario's files have errors).

    Example:
        >>> scenario_of("kaz-constitution-2026-draft").status
        'draft'
    """
    from .analyses.scenario import apply_scenario

    return apply_scenario(load(data), name)


def scenarios(data: str | None = None) -> list:
    """Every scenario the workspace sees (its own scenarios/, then the shipped
    ones on the shipped countries it uses), sorted by name.

    Returns: `list[tuple[str, str, bool]]` (name, folder, shipped).
    Raises: `UsageError` for a workspace folder or assess.toml that cannot be
    used.

    Example:
        >>> [name for name, _, _ in scenarios()]
        ['kaz-constitution-2026-draft']
    """
    from .analyses.scenario import scenario_folders

    return scenario_folders(load(data))


def check_scenarios(loaded: Loaded):
    """The problems of every scenario the workspace sees, and their files (for
    `assess validate`); never part of `check` or of scoring without a
    scenario. `loaded` is not changed.

    Returns: `tuple[list[Problem], list[str]]`.
    Raises: nothing (problems are returned).

    Example:
        >>> problems, files = check_scenarios(load_data())
        >>> problems
        []
    """
    from .analyses.scenario import check_scenarios as checked

    return checked(loaded)


def compute_whatif(countries: Iterable[str] | str, scenario: str, as_of=None, before=None, rubric: str | None = None,
                   data: str | None = None, draws: int = REPORT_DRAWS, seed: int = 0):
    """What a scenario would change for its country against the base
    evidence: the base as of `before` (default: the day the scenario stood,
    else `as_of`) against the scenario as of `as_of` (default: the date it
    assumes in force). `countries` names the scenario's country and any others
    to rank it among (None or empty: every country).

    Returns: `whatif.WhatIf` (``.moves``, ``.tiers``, ``.overall``,
    ``.standings``, ``.interval``).
    Raises: `UsageError` (unknown scenario, country or rubric; the scenario's
    country not named; `before` after the date compared; draws or seed out of
    range), `InvalidInput` (evidence or scenario files with errors).

    Example:
        >>> w = compute_whatif(["KAZ", "RUS"], "kaz-constitution-2026-draft", draws=0)
        >>> [m.criterion for m in w.moves][:2]
        ['con-diplomatic-posts', 'con-treaty-status']
    """
    import dataclasses

    from .analyses.scenario import country_of, apply_scenario, find_scenario
    from .analyses.whatif import what_if

    if draws < 0 or draws > 1_000_000:
        raise UsageError(say("e_draws_range_0", draws="{draws}"), params=("draws",))
    if seed < 0:
        raise UsageError(say("e_seed_range", seed="{seed}"), params=("seed",))
    p = prepare(countries, rubric, data)
    loaded, chosen, base = p.loaded, p.rubric, p.evidence
    code = country_of(find_scenario(loaded, scenario)[1])
    if code is not None and code not in [ev.iso3 for ev in base]:
        raise UsageError(say("e_scenario_country", scenario=scenario, code=code))
    overlaid = dataclasses.replace(loaded, countries=dict(loaded.countries), problems=list(loaded.problems))
    scen = apply_scenario(overlaid, scenario)
    after = [overlaid.countries[ev.iso3] for ev in base]
    ensure_valid(overlaid, chosen, after)
    after_date = parse_date(as_of) or scen.in_force_from
    before_date = parse_date(before) or (scen.as_of if as_of is None else None) or after_date
    if before_date > after_date:
        raise UsageError(say("e_before_after", before="{before}", date=before_date, after=after_date), params=("before",))
    return what_if(chosen, scen, base, after, before_date, after_date, draws=draws, seed=seed)


whatif = compute_whatif  # the name before the rename (assess.whatif is the module)

# ---------------------------------------------------------------- official texts from the registers (network)


def registers(loaded: Loaded) -> dict:
    """The registers of criteria/registers.yaml (the workspace's own, else the
    shipped one), by id.

    Returns: `dict[str, Register]`.
    Raises: `InvalidInput` when the file has errors (each with file, line
    and field).

    Example:
        >>> sorted(registers(load_data()))
        ['adilet', 'eli', 'pravo-ips', 'pravo-publication']
    """
    from .sources.registers import load_registers

    problems: list[Problem] = []
    found = load_registers(loaded.workspace.registers_file, problems)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InvalidInput(say("e_file_has_errors", path=loaded.workspace.registers_file), errors)
    return found


def _watched_documents(loaded: Loaded, countries, document: str | None):
    evidence = find_countries(loaded, countries) if countries else [loaded.countries[c] for c in sorted(loaded.countries)]
    if document:
        having = [e for e in evidence if document in e.documents]
        if not having:
            known = sorted({d for e in evidence for d in e.documents})
            raise UsageError(say("e_no_document_any", document=document,
                                 codes=", ".join(e.iso3 for e in evidence) or say("e_any_country"), hint=suggest(document, known)))
        evidence = having
    return evidence


def fetch_sources(countries: Iterable[str] | None = None, document: str | None = None, langs: Iterable[str] = (),
                  data: str | None = None, settings=None, write: bool = True):
    """Downloads each document's text from its register (or its `url`) into
    evidence/<ISO3>/sources/<document>.<lang>.txt with a provenance header
    (sources.fetch): for `countries` (default every country of the
    workspace but the shipped ones), only `document` if named, in `langs` if
    given. Network access; the only writer is this function, after every
    download is done, all files at once (atomic.write_files_atomic), and
    only with `write`; a text already stored is kept as
    <document>.<lang>.<edition>.txt before a different one replaces it. A
    download that fails is a result saying why, not an error.

    Returns: `list[sources.fetch.Fetched]`.
    Raises: `UsageError` (no workspace; a named country shipped with assess;
    an unknown country, document or language), `InvalidInput` (registers.yaml
    with errors), `NoWorkspace`, and the atomic write's errors.

    Example:
        >>> for f in fetch_sources(["UZB"], data="my-workspace", write=False):
        ...     print(f.document, f.lang, f.action, f.detail)
    """
    import os

    from .common.atomic import write_files_atomic
    from .sources.fetch import Fetched, Settings, fetch_one, now, targets
    from .sources.texts import SOURCES_DIR
    from .data.workspace import evidence_dir_of, shipped_of

    settings = settings or Settings()
    langs = tuple(langs or ())
    for lang in langs:
        check_lang(lang)
    countries = list(countries) if countries else None
    loaded = load(data, countries)
    evidence = _watched_documents(loaded, countries, document)
    if loaded.workspace.read_only:
        raise UsageError(say("e_fetch_no_workspace"))
    fixed = [e.iso3 for e in evidence if shipped_of(loaded).origin(e.iso3) != "workspace"]
    if fixed and countries:
        raise UsageError(say("e_fetch_shipped", codes=", ".join(fixed), shipped=_shipped(fixed)))
    evidence = [e for e in evidence if e.iso3 not in fixed]
    regs = registers(loaded)
    retrieved = now()
    results: list[Fetched] = []
    for ev in evidence:
        folder = os.path.join(evidence_dir_of(loaded, ev.iso3), ev.iso3, SOURCES_DIR)
        ensure_writable(folder, say("e_what_source_texts"), loaded.workspace, folder=True)
        for doc_id in sorted(ev.documents):
            if document and doc_id != document:
                continue
            doc = ev.documents[doc_id]
            if doc.not_adopted_as_of is not None:
                continue
            found, why = targets(ev.iso3, doc, regs, langs)
            if not found:
                if document or doc.register is not None:
                    results.append(Fetched(ev.iso3, doc_id, "-", doc.url or "-", "failed", why or say("e_fetch_nothing")))
                continue
            for t in found:
                results.append(fetch_one(t, folder, settings, retrieved))
    if write:
        writes = [w for r in results if not r.failed for w in r.writes]
        if writes:
            for path, _ in writes:
                os.makedirs(os.path.dirname(path), exist_ok=True)
            write_files_atomic(writes)
    return results


def watch_sources(countries: Iterable[str] | None = None, document: str | None = None, data: str | None = None, settings=None):
    """Compares the stored source texts with the registers' current texts
    (network), for `countries` (default all) and only `document` if named.
    Writes nothing.

    Returns: `sources.watch.WatchReport`.
    Raises: `UsageError` (an unknown country or document), `InvalidInput`
    (registers.yaml with errors), `OSError` for a stored text that cannot be
    read.

    Example:
        >>> report = watch_sources(["KAZ"])
        >>> [f.kind for f in report.findings if f.changed]
    """
    from .sources.fetch import Settings
    from .sources.texts import country_sources
    from .sources.watch import WatchReport, watch_country
    from .data.workspace import evidence_dir_of

    settings = settings or Settings()
    countries = list(countries) if countries else None
    loaded = load(data, countries)
    evidence = _watched_documents(loaded, countries, document)
    regs = registers(loaded)
    report = WatchReport()
    for ev in evidence:
        problems: list[Problem] = []
        texts = country_sources(evidence_dir_of(loaded, ev.iso3), ev, problems)
        part = watch_country(ev, texts, regs, settings, {document} if document else None)
        report.documents.extend(part.documents)
        report.findings.extend(part.findings)
    return report

# the names before the rename (a function named like a module hid the module
# on the package): kept here, in assess.api only, for callers inside the tool
score = compute_scores
explain = explain_level
timeline = compute_timelines
sensitivity = compute_sensitivity
agreement = compute_agreement
