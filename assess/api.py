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
from .workspace import Workspace, open_workspace


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
    return load_workspace(workspace, wanted)


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
            iso = iso3_codes()
            if key.upper() in iso:
                raise UsageError(f"no evidence for {key.upper()} ({iso[key.upper()]}) in {loaded.workspace.evidence_dir}; start one with evidence/{key.upper()}/")
            available = ", ".join(sorted(loaded.countries)) or "none"
            raise UsageError(f"unknown country '{name}'{hint}; countries with evidence: {available}")
        if code not in seen:
            seen.add(code)
            out.append(loaded.countries[code])
    return out


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

    loaded = load(data)
    chosen = pick_rubric(loaded, rubric)
    path = baseline_file(loaded, chosen, file)
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
    record = make_baseline(scores, loaded.workspace.root, __version__)
    write(record, path)
    return path, record


def check_baseline(baseline: str | None = None, tolerance: float = 0.0, data: str | None = None, rubric: str | None = None):
    """Recomputes the scores the baseline records and returns the drift.

    Coverage moves and every criterion's level or status move always count as
    drift; `tolerance` (points) bounds only the tier and index moves, which are
    compared like with like, on the criteria assessed in both (baseline.compare)."""
    import os

    from . import __version__
    from .baseline import compare, make_baseline, read_baseline
    from .score import score_countries

    loaded = load(data)
    if baseline is None:
        chosen = pick_rubric(loaded, rubric)
        baseline = baseline_file(loaded, chosen)
    record = read_baseline(baseline)
    rubric_id = rubric or record.get("rubric", {}).get("id")
    chosen = pick_rubric(loaded, rubric_id) if rubric_id in loaded.rubrics else pick_rubric(loaded, rubric)
    # every country of the baseline that still has evidence, and any added since
    evidence = list(loaded.countries.values())
    ensure_valid(loaded, chosen, evidence)
    scores = score_countries(chosen, evidence, parse_date(record["as_of"]))
    current = make_baseline(scores, loaded.workspace.root, __version__)
    drift = compare(record, current, tolerance)
    # point each change at the lines of the records behind it, for annotations
    for change in drift.changes:
        ev = loaded.countries.get(change.country)
        for kind, rid in change.records:
            if ev is None:
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
    """Writes the report in each format into `out`; returns the paths written."""
    import os

    from .atomic import write_text_atomic

    context = report_context(countries, as_of=as_of, rubric=rubric, data=data, lang=lang, common_only=common_only,
                             timeline_from=timeline_from, draws=draws, seed=seed)
    base = os.path.join(out, report_basename(context) + ("-common" if common_only else ""))
    paths = []
    for fmt in formats:
        if fmt == "html":
            from .render.html import render_html

            paths.append(write_text_atomic(base + ".html", render_html(context, templates_dir())))
        elif fmt == "xlsx":
            from .render.xlsx import write_xlsx

            paths.append(write_xlsx(context, base + ".xlsx", templates_dir()))
        else:
            raise UsageError(f"unknown report format '{fmt}'; expected html or xlsx")
    return paths


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

    check_lang(lang)
    if data and os.path.isdir(data) and not os.path.isdir(os.path.join(data, "criteria")):
        os.makedirs(os.path.join(data, "evidence"), exist_ok=True)  # a new, empty workspace folder
    workspace = open_workspace(data)
    if workspace.origin == "shipped":
        raise UsageError("no workspace to add a country to: pass --data DIR (an existing folder), set ASSESS_DATA, "
                         "or put an assess.toml at the top of your evidence repository")
    loaded = load(data)
    chosen = pick_rubric(loaded, rubric)
    os.makedirs(workspace.evidence_dir, exist_ok=True)
    return scaffold(workspace.evidence_dir, country, chosen, name=name, known=iso3_codes(), lang=lang)


# ---------------------------------------------------------------- data entry in a workbook


def entry_template(country: str, out: str, rubric: str | None = None, data: str | None = None, lang: str = "en") -> str:
    """Writes the data-entry workbook for a country (see assess.template),
    pre-filled with its evidence; returns the path written."""
    import os

    from . import yamlio
    from .messages import load_messages
    from .template import TemplateData, write_template

    check_lang(lang)
    if not out.lower().endswith(".xlsx"):
        raise UsageError(f"--out {out}: the data-entry workbook is an .xlsx file; name it like KAZ-evidence.xlsx")
    loaded = load(data)
    chosen = pick_rubric(loaded, rubric)
    code = str(country).strip().upper()
    evidence = loaded.countries.get(code)
    if evidence is None:
        matches = find_countries(loaded, [country]) if not ISO3_PATTERN.match(code) else []
        evidence = matches[0] if matches else None
    if evidence is None and code not in iso3_codes():
        raise UsageError(f"'{country}' is neither a country with evidence nor an ISO 3166-1 alpha-3 code")
    raw_country, documents, findings, files = None, [], [], []
    name = iso3_codes().get(code, code)
    if evidence is not None:
        code = evidence.iso3
        name = evidence.country.name.get("en")
        broken = [p for p in validate(loaded).errors if p.path in evidence.files]
        if broken:
            raise InvalidInput(f"{code}: {len(broken)} error(s) in the evidence files; fix them before making a "
                               "workbook from them (a workbook must hold the files exactly)", broken)
        for path in evidence.files:
            doc = yamlio.load(path).data or {}
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
    import os

    from .importer import plan_import

    if into:
        os.makedirs(os.path.join(into, "evidence"), exist_ok=True)
        workspace = open_workspace(into)
    else:
        workspace = open_workspace(data)
        if workspace.origin == "shipped":
            raise UsageError("no workspace to import into: pass --into DIR, --data DIR, set ASSESS_DATA, "
                             "or put an assess.toml at the top of your evidence repository")
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
                unverified: str | None = None):
    """Monte Carlo over what the index does not know: weights, aggregation,
    unassessed criteria and uncertain findings (see assess.sensitivity).
    `vary`: the sources to vary, a comma list or names (None: all the rubric
    allows). `unverified` is gone (findings vary through `vary`): any value is
    a usage error that says so."""
    from .sensitivity import DEFAULT_CONCENTRATION, SourceError, choose_sources, run_sensitivity

    if unverified is not None:
        raise UsageError("--unverified is gone: uncertain findings (the kinds the rubric lists under "
                         "scoring.uncertainty.findings, unverified among them) now vary with --vary findings, "
                         "which is on by default; --vary weights,aggregation,unassessed leaves them as coded")
    if draws < 1 or draws > 1_000_000:
        raise UsageError("--draws must be between 1 and 1,000,000")
    if seed < 0:
        raise UsageError("--seed must be 0 or more")
    if not 0 <= p_geometric <= 1:
        raise UsageError("--p-geometric must be between 0 and 1")
    concentration = DEFAULT_CONCENTRATION if concentration is None else concentration
    if concentration <= 0:
        raise UsageError("--concentration must be above 0")
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
                           concentration=concentration, p_geometric=p_geometric, vary=sources)


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


def verify(countries: Iterable[str] | None = None, data: str | None = None):
    """Checks every finding of the countries given (all when None) against its
    document's source texts (evidence/<ISO3>/sources/). Returns a VerifyReport:
    results, summary (counts and share verified) and problems."""
    from .sources import verify_countries, verify_summary
    from .sources.verify import VerifyReport

    countries = list(countries) if countries else None
    loaded = load(data, countries)
    evidence = find_countries(loaded, countries) if countries else [loaded.countries[c] for c in sorted(loaded.countries)]
    problems: list[Problem] = []
    results = verify_countries(loaded, [e.iso3 for e in evidence], problems)
    return VerifyReport(results, verify_summary(results), problems)


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
    texts = country_sources(loaded.workspace.evidence_dir, ev, problems).get(document, [])
    broken = [p for p in problems if p.severity == "error" and os.path.basename(p.path).startswith(document + ".")]
    if broken:
        raise InvalidInput(f"the source texts of {document} cannot be read", broken)
    if lang:
        texts = [t for t in texts if t.lang == lang]
    if not texts:
        where = os.path.join(loaded.workspace.evidence_dir, ev.iso3, "sources", f"{document}.{lang or '<lang>'}.txt")
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
