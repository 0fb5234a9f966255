"""The `assess` command: parses arguments, calls the library, prints what it returns.

Heavy libraries (pandas, openpyxl) are imported inside the commands that need
them, so `assess --help` and `assess validate` start fast.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from typing import List, Optional

import typer

from . import api, gcpause, progress
from .errors import AssessError, InvalidInput
from .workspace import NoWorkspace
from .textout import format_problems, table, visible

app = typer.Typer(
    help="Score how far a country's parliamentary diplomacy is institutionalized, from its legal documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DataOption = typer.Option(
    None, "--data", envvar="ASSESS_DATA", metavar="DIR",
    help="Workspace folder with criteria/ and evidence/ (default: ASSESS_DATA, else the nearest folder from here up that holds "
         "an assess.toml, criteria/ or evidence/, else the shipped data, read-only).",
    show_envvar=False,
)
AsOfOption = typer.Option(None, "--as-of", metavar="YYYY-MM-DD", help="Score as of this date (default: today).")
RubricOption = typer.Option(None, "--rubric", metavar="ID", help="Rubric id (default: the workspace's default rubric). See `assess rubrics`.")
LangOption = typer.Option("en", "--lang", metavar="en|ru|kk", help="Language of titles and labels.")
AllOption = typer.Option(False, "--all", help="Every country in the workspace, instead of naming them.")


# ---------------------------------------------------------------- output
# Everything a command prints goes through echo(), write() or write_json(): text
# from evidence files and from the command line is shown, never obeyed, by the
# terminal (textout.visible), and a reader that goes away (`| head`) or a full
# disk ends the command quietly or with one line, never with a traceback.


def echo(text: str = "", err: bool = False, nl: bool = True) -> None:
    """A line of output (stdout, or stderr with `err`), control characters shown,
    and every next step it names with the options the user gave (_in_context)."""
    _put(lambda: typer.echo(visible(_in_context(str(text))), err=err, nl=nl), err)


# ---------------------------------------------------------------- next steps
# The library names a next step as a command in backquotes (`assess validate`,
# `assess baseline --update`); printed, it repeats the options the user gave
# that say where and on what the command works, so that it acts on the same
# workspace, rubric, date and language: `assess validate --data ws`.

_NEXT_STEP = re.compile(r"`assess ([a-z][a-z-]*)([^`\n]*)`")
_CONTEXT_OPTIONS = ("data", "rubric", "as_of", "lang", "baseline", "file")
# the same file under another name: check --baseline F is baseline --file F
_SAME_FILE = {"baseline": "file", "file": "baseline"}


def _in_context(text: str) -> str:
    if "`assess " not in text:
        return text
    try:
        return _repeat_options(text)
    except Exception:  # a hint is never worth a crash: print it as the library wrote it
        return text


def _repeat_options(text: str) -> str:
    ctx = _click_context()
    if ctx is None:
        return text

    def from_command_line(name: str) -> bool:
        source = ctx.get_parameter_source(name)
        return getattr(source, "name", None) == "COMMANDLINE"

    given = [(name, value) for name, value in ctx.params.items()
             if name in _CONTEXT_OPTIONS and value is not None and from_command_line(name)]
    if not given:
        return text
    commands = getattr(ctx.find_root().command, "commands", {})

    def repeat(m: re.Match) -> str:
        sub, rest = m.group(1), m.group(2)
        target = commands.get(sub)
        if target is None or hasattr(target, "commands"):  # unknown, or a group such as `sources`
            return m.group(0)
        options = {p.name: p for p in target.params if getattr(p, "param_type_name", "") == "option"}
        extra = []
        for name, value in given:
            option = options.get(name) or options.get(_SAME_FILE.get(name, ""))
            if option is None:
                continue
            flag = next((o for o in option.opts if o.startswith("--")), option.opts[0])
            if re.search(rf"(^|\s){re.escape(flag)}(\s|=|$)", rest):
                continue
            extra.append(f" {flag} {shlex.quote(str(value))}")
        return f"`assess {sub}{rest}{''.join(extra)}`"

    return _NEXT_STEP.sub(repeat, text)


def _click_context():
    """The command's click context (typer's own copy of click, or click itself), or None."""
    try:
        from typer._click.globals import get_current_context
    except ImportError:
        from click import get_current_context
    return get_current_context(silent=True)


def _workspace_hint() -> str:
    return ("name a workspace: run the command in a folder that holds evidence/ or criteria/ (or in a folder below it), "
            "or pass --data DIR, or set ASSESS_DATA, or put an assess.toml at the top of your evidence repository")


def write(text: str) -> None:
    """Output as it is made (CSV, annotations), control characters shown."""
    _put(lambda: sys.stdout.write(visible(text)), False)


def write_json(text: str) -> None:
    """JSON output: characters a terminal would act on become JSON escapes
    (\\u001b, \\u202e), so the data reads back exactly."""
    _put(lambda: sys.stdout.write(visible(text, json=True)), False)


def _put(action, err: bool) -> None:
    try:
        action()
    except BrokenPipeError:
        _reader_gone()
    except OSError as exc:  # a full disk, /dev/full, an I/O error
        _cannot_write(exc, err)


def _reader_gone() -> None:
    """The reader of our output went away (`assess score KAZ | head -3`): stop
    quietly with 141 (128 + SIGPIPE), as cat, grep and git do."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # nothing left to flush at exit
    except (OSError, ValueError):
        pass
    raise SystemExit(141)


def _cannot_write(exc: OSError, err: bool) -> None:
    try:
        sys.stderr.write(f"error: cannot write the {'messages' if err else 'output'}: {exc.strerror or exc}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, (sys.stderr if err else sys.stdout).fileno())
    except (OSError, ValueError):
        pass
    raise SystemExit(1)


def _countries_or_all(ctx: typer.Context, countries: Optional[List[str]], every: bool) -> Optional[List[str]]:
    """The countries named, or None for --all (every country in the workspace);
    a usage error, as for a missing argument, for neither or both."""
    if every and countries:
        ctx.fail("--all takes no country names: name the countries, or pass --all for every country in the workspace.")
    if not every and not countries:
        ctx.fail("Missing argument 'COUNTRY...'. Name the countries, or pass --all for every country in the workspace.")
    return None if every else countries


def _check_format(fmt: str, choices: tuple[str, ...]) -> None:
    """A usage error (exit 2) for a --format the command does not write."""
    if fmt not in choices:
        echo(f"error: unknown format '{fmt}'; expected {', '.join(choices[:-1])} or {choices[-1]}", err=True)
        raise typer.Exit(2)


def _fail(exc: AssessError) -> None:
    if isinstance(exc, InvalidInput) and exc.problems:
        echo(format_problems(exc.problems), err=True)
    echo(f"error: {exc}" + (f"; {_workspace_hint()}" if isinstance(exc, NoWorkspace) else ""), err=True)
    raise typer.Exit(exc.exit_code)


@app.command()
def validate(
    paths: Optional[List[str]] = typer.Argument(None, metavar="[PATH]...", help="Limit the report to these files or folders."),
    data: Optional[str] = DataOption,
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
):
    """Check every rubric and evidence file; print each problem as path:line: field: message."""
    try:
        loaded = api.load(data)
        report = api.check(loaded)
    except AssessError as exc:
        _fail(exc)
    problems, files = report.problems, report.files
    if paths:
        wanted = [os.path.abspath(p) for p in paths]
        missing = [p for p, w in zip(paths, wanted) if not os.path.exists(w)]
        if missing:
            echo(f"error: no such file or folder: {', '.join(missing)}", err=True)
            raise typer.Exit(2)
        away = [p for p in paths if api.outside_workspace(loaded, p)]
        if away:
            # a folder of its own is not checked by checking this workspace: say which workspace this is
            named = next((p for p in away if api.looks_like_workspace(p)), None)
            hint = (f"to check the workspace in {named}, run `assess validate --data {shlex.quote(named)}`" if named
                    else "name the workspace that holds it with --data DIR")
            where = ("there is no workspace here, only the data shipped with assess (read-only)" if loaded.workspace.read_only
                     else f"outside the workspace {loaded.workspace.describe()}")
            echo(f"error: {', '.join(away)}: {where}, so nothing there would be checked; {hint}", err=True)
            raise typer.Exit(2)

        def chosen(path: str) -> bool:
            full = os.path.abspath(path)
            return any(full == w or full.startswith(w.rstrip(os.sep) + os.sep) for w in wanted)

        problems = [p for p in problems if chosen(p.path)]
        files = [f for f in files if chosen(f)]
    errors = [p for p in problems if p.severity == "error" or strict]
    stream_err = bool(errors)
    echo(format_problems(problems, len(files)), err=stream_err)
    if not errors:
        echo(f"ok: {loaded.workspace.describe()}{_shipped_note(loaded)}")
    raise typer.Exit(1 if errors else 0)


def _shipped_note(loaded) -> str:
    """'; with KAZ, RUS shipped with assess (read-only)' when the workspace uses shipped countries."""
    used = api.shipped_countries(loaded)
    return f"; with {', '.join(used)} shipped with assess (read-only)" if used and not loaded.workspace.read_only else ""


@app.command()
def score(
    ctx: typer.Context,
    countries: Optional[List[str]] = typer.Argument(None, metavar="COUNTRY...", help="ISO3 codes or English names, e.g. KAZ Russia."),
    every: bool = AllOption,
    as_of: Optional[str] = AsOfOption,
    rubric: Optional[str] = RubricOption,
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json|csv", help="Output format."),
    lang: str = LangOption,
    data: Optional[str] = DataOption,
):
    """Score countries against the rubric: overall index, tiers and every criterion."""
    countries = _countries_or_all(ctx, countries, every)
    _check_format(fmt, ("table", "json", "csv"))
    try:
        with gcpause.paused():
            scores = api.score(countries, as_of=as_of, rubric=rubric, data=data)
    except AssessError as exc:
        _fail(exc)
    from .export import scores_to_csv, scores_to_json
    from .textout import format_scores

    with gcpause.paused():  # the output is thousands of rows more: see assess.gcpause
        if fmt == "json":
            write_json(scores_to_json(scores, lang))
        elif fmt == "csv":
            write(scores_to_csv(scores))
        else:
            echo(format_scores(scores, lang))


@app.command()
def explain(
    country: str = typer.Argument(..., metavar="COUNTRY"),
    criterion: str = typer.Argument(..., metavar="CRITERION"),
    as_of: Optional[str] = AsOfOption,
    rubric: Optional[str] = RubricOption,
    lang: str = LangOption,
    data: Optional[str] = DataOption,
):
    """Show how a criterion's level was decided: the rule, every finding weighed, and the one that decided."""
    from .textout import format_explanation

    try:
        ex = api.explain(country, criterion, as_of=as_of, rubric=rubric, data=data)
    except AssessError as exc:
        _fail(exc)
    echo(format_explanation(ex, lang))


@app.command()
def countries(data: Optional[str] = DataOption, lang: str = LangOption):
    """List the countries with evidence in the workspace."""
    try:
        loaded = api.load(data)
    except AssessError as exc:
        _fail(exc)
    shipped = api.shipped_status(loaded)
    rows = []
    for code, ev in sorted(loaded.countries.items()):
        leg = ev.country.legislatures[-1].name.get(lang) if ev.country.legislatures else "-"
        origin = "shipped" if code in shipped.used else "workspace"
        rows.append([code, ev.country.name.get(lang), origin, str(len(ev.documents)), str(len(ev.findings)), str(len(ev.files)), leg])
    if rows:
        echo(table(rows, ["code", "name", "from", "documents", "findings", "files", "current legislature"], right=(3, 4, 5)))
        echo("")
    else:
        echo(f"no countries in {loaded.workspace.evidence_dir}\n")
    echo(f"workspace: {loaded.workspace.describe()}")
    if not loaded.workspace.read_only:
        echo(f"  its countries: {loaded.workspace.evidence_dir}")
    if shipped.is_workspace and not loaded.workspace.read_only:
        echo("shipped countries: this workspace is the data shipped with assess")
        return
    echo(f"shipped with assess, read-only: {shipped.folder}")
    if shipped.used and not loaded.workspace.read_only:
        echo(f"  used here: {', '.join(shipped.used)}")
    if shipped.own:
        echo(f"  replaced by this workspace's own folder: {', '.join(shipped.own)}")
    for code, why in sorted(shipped.left_out.items()):
        echo(f"  left out: {code}: {why}")
    if shipped.off:
        where = loaded.workspace.config_file or "the workspace settings"
        echo(f"  turned off in {where} (shipped_countries): {', '.join(shipped.off)}")


@app.command()
def rubrics(data: Optional[str] = DataOption, lang: str = LangOption):
    """List the rubrics in the workspace, with their tiers and criteria counts."""
    try:
        loaded = api.load(data, countries=[])
    except AssessError as exc:
        _fail(exc)
    rows = []
    for rid, r in sorted(loaded.rubrics.items()):
        rows.append([rid + (" (default)" if r.default else ""), r.version, str(len(r.tiers)), str(len(r.criteria)), r.title.get(lang)])
    echo(table(rows, ["id", "version", "tiers", "criteria", "title"], right=(2, 3)))
    for rid, r in sorted(loaded.rubrics.items()):
        echo(f"\n{rid}: {os.path.relpath(r.path) if not os.path.isabs(r.path) else r.path}")
        for tier in r.tiers:
            echo(f"  {tier.id} (weight {tier.weight:g}): " + ", ".join(c.id for c in tier.criteria))
    broken = [p for p in loaded.problems if p.severity == "error"]
    if broken:
        echo("\n" + format_problems(broken), err=True)
        raise typer.Exit(1)


@app.command()
def report(
    ctx: typer.Context,
    countries: Optional[List[str]] = typer.Argument(None, metavar="COUNTRY...", help="ISO3 codes or English names, e.g. KAZ RUS."),
    every: bool = AllOption,
    as_of: Optional[str] = AsOfOption,
    rubric: Optional[str] = RubricOption,
    out: str = typer.Option("reports/out", "--out", metavar="DIR", help="Folder to write the reports to (created if missing)."),
    fmt: str = typer.Option("html,xlsx", "--format", metavar="html,xlsx", help="Comma-separated formats."),
    lang: str = LangOption,
    common_only: bool = typer.Option(False, "--common-only", help="Compute indices and ranking on the criteria assessed for every country only."),
    timeline_from: Optional[str] = typer.Option(None, "--timeline-from", metavar="YEAR|DATE", help="Start of the timeline (default: the earliest document)."),
    draws: int = typer.Option(2000, "--draws", metavar="N", help="Monte Carlo draws for the sensitivity section; 0 leaves it out."),
    seed: int = typer.Option(0, "--seed", metavar="S", help="Random seed of the sensitivity draws."),
    data: Optional[str] = DataOption,
):
    """Write the comparison report: a self-contained HTML file and an Excel workbook."""
    countries = _countries_or_all(ctx, countries, every)
    formats = [f.strip().lower() for f in fmt.split(",") if f.strip()]
    unknown = [f for f in formats if f not in ("html", "xlsx")]
    if unknown or not formats:
        echo(f"error: unknown format {', '.join(unknown) or '(none)'}; expected html, xlsx or both", err=True)
        raise typer.Exit(2)
    try:
        with progress.shown(), gcpause.paused():
            paths = api.write_reports(countries, out=out, formats=formats, as_of=as_of, rubric=rubric, data=data, lang=lang,
                                      common_only=common_only, timeline_from=timeline_from, draws=draws, seed=seed)
    except AssessError as exc:
        _fail(exc)
    except KeyboardInterrupt as exc:  # Ctrl-C: every file of the report was written, or none (api.write_reports)
        written = getattr(exc, "written", None)
        if written:
            echo(f"interrupted: the report was written whole ({', '.join(written)})", err=True)
        else:
            echo(f"interrupted: no report written; {out} is as it was", err=True)
        raise typer.Exit(130)
    for path in paths:
        echo(path)


@app.command("new")
def new(
    country: str = typer.Argument(..., metavar="ISO3", help="The ISO 3166-1 alpha-3 code of the country to add, or a user-assigned one "
                                                            "(AAA-AAZ, QMA-QZZ, XAA-XZZ, ZZA-ZZZ; XKX for Kosovo), with a warning."),
    name: Optional[str] = typer.Option(None, "--name", help="The country's name in English (default: the ISO 3166 short name; the code itself for a user-assigned code other than XKX)."),
    rubric: Optional[str] = RubricOption,
    lang: str = LangOption,
    data: Optional[str] = DataOption,
):
    """Scaffold a new country: evidence/<ISO3>/ with a checklist of every criterion. Never overwrites."""
    try:
        paths = api.new_country(country, name=name, rubric=rubric, data=data, lang=lang)
    except AssessError as exc:
        _fail(exc)
    note = api.country_code_note(country)
    if note:  # a user-assigned code (XKX, QZZ...): accepted, said
        echo(f"warning: {note}", err=True)
    for path in paths:
        echo(path)
    echo(f"next: fill in {os.path.basename(paths[0])} and {os.path.basename(paths[1])}, then `assess validate`")


@app.command()
def template(
    country: str = typer.Argument(..., metavar="COUNTRY", help="ISO3 code (or English name) of the country."),
    out: str = typer.Option(..., "--out", metavar="FILE.xlsx", help="The workbook to write."),
    rubric: Optional[str] = RubricOption,
    lang: str = LangOption,
    data: Optional[str] = DataOption,
):
    """Write a data-entry workbook for a country, pre-filled with its evidence (read back with `assess import`)."""
    warnings: list = []
    try:
        path = api.entry_template(country, out, rubric=rubric, data=data, lang=lang, warnings=warnings)
    except AssessError as exc:
        _fail(exc)
    if warnings:
        echo(format_problems(warnings), err=True)
    echo(path)


@app.command("import")
def import_workbook(
    workbook: str = typer.Argument(..., metavar="FILE.xlsx", help="A workbook made by `assess template`, filled in."),
    into: Optional[str] = typer.Option(None, "--into", metavar="DIR", help="Workspace folder to write evidence/<ISO3>/ into (default: the current workspace)."),
    force: bool = typer.Option(False, "--force", help="Replace existing evidence files without asking."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    data: Optional[str] = DataOption,
):
    """Read a data-entry workbook back into evidence files, showing a diff before replacing anything."""
    try:
        plan = api.import_plan(workbook, into=into, data=data)
    except AssessError as exc:
        _fail(exc)
    if plan.warnings:
        echo(format_problems(plan.warnings), err=True)
    skipped = f"; {plan.checklist_rows} checklist row(s) not filled in were skipped" if plan.checklist_rows else ""
    if not plan.changes:
        echo(f"nothing to change: the evidence files of {plan.iso3} already match the workbook{skipped}")
        return
    for change in plan.changes:
        if change.is_new:
            echo(f"new file {change.path} ({len(change.summary)} record(s))")
        else:
            echo(change.diff(), nl=False)
            echo(f"{change.path}: " + ", ".join(change.summary))
            if change.dropped_comments:
                echo(f"  note: {change.dropped_comments} comment line(s) inside changed records are not kept")
    if skipped:
        echo(skipped[2:])
    if plan.iso3 in api.shipped_codes() and not os.path.isdir(plan.folder):
        echo(f"note: {plan.iso3} ships with assess; these files give this workspace its own {plan.iso3}, "
             "which replaces the shipped one here")
    if dry_run:
        echo("dry run: nothing written")
        return
    if plan.replaces and not force:
        if not sys.stdin.isatty():
            echo(f"error: {len(plan.replaces)} existing file(s) would change; nothing written. "
                       "Review the diff above and rerun with --force to write it.", err=True)
            raise typer.Exit(1)
        if not typer.confirm(f"Replace {len(plan.replaces)} existing file(s)?", default=False):
            echo("nothing written")
            raise typer.Exit(1)
    try:
        written = api.apply_import(plan)
    except AssessError as exc:
        _fail(exc)
    except KeyboardInterrupt as exc:  # every file of the import was written, or none
        done = getattr(exc, "written", None)
        echo("interrupted: " + (f"the import was written whole ({', '.join(done)})" if done else "nothing written"), err=True)
        raise typer.Exit(130)
    for path in written:
        echo(f"wrote {path}")


@app.command()
def timeline(
    ctx: typer.Context,
    countries: Optional[List[str]] = typer.Argument(None, metavar="COUNTRY..."),
    every: bool = AllOption,
    start: Optional[str] = typer.Option(None, "--from", metavar="YEAR|DATE", help="First year (default: the earliest document)."),
    end: Optional[str] = typer.Option(None, "--to", metavar="YYYY-MM-DD", help="Last date (default: today)."),
    step: str = typer.Option("year", "--step", metavar="year|month", help="Steps at the end of each year or month."),
    rubric: Optional[str] = RubricOption,
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json|csv"),
    lang: str = LangOption,
    data: Optional[str] = DataOption,
):
    """Overall and tier scores over time, with each change labelled by the document that caused it."""
    countries = _countries_or_all(ctx, countries, every)
    _check_format(fmt, ("table", "json", "csv"))
    try:
        with progress.shown(), gcpause.paused():
            chosen, timelines = api.timeline(countries, start=start, end=end, step=step, rubric=rubric, data=data, lang=lang)
    except AssessError as exc:
        _fail(exc)
    from .export import timeline_to_csv, timeline_to_json
    from .textout import format_timeline

    with gcpause.paused():
        if fmt == "json":
            write_json(timeline_to_json(chosen, timelines, lang))
        elif fmt == "csv":
            write(timeline_to_csv(chosen, timelines))
        else:
            echo(format_timeline(chosen, timelines, lang))


@app.command()
def sensitivity(
    ctx: typer.Context,
    countries: Optional[List[str]] = typer.Argument(None, metavar="COUNTRY..."),
    every: bool = AllOption,
    draws: int = typer.Option(10_000, "--draws", metavar="N", help="Monte Carlo draws."),
    seed: int = typer.Option(0, "--seed", metavar="S", help="Random seed: the same seed gives the same numbers."),
    concentration: Optional[float] = typer.Option(None, "--concentration", metavar="C", help="Dirichlet concentration of the weights (default 20; higher stays closer to the rubric)."),
    p_geometric: float = typer.Option(0.5, "--p-geometric", metavar="P", help="Share of draws that aggregate tiers by the geometric mean (when aggregation varies)."),
    vary: Optional[str] = typer.Option(None, "--vary", metavar="SOURCES",
                                       help="What each draw varies, a comma list of weights, aggregation, unassessed (levels of criteria not assessed, "
                                            "uniform or the rubric's prior), findings (levels resting on the finding kinds the rubric calls uncertain). "
                                            "Default: all the rubric allows. --vary weights varies the weights only."),
    unverified: Optional[str] = typer.Option(None, "--unverified", metavar="(replaced)",
                                             help="Replaced by --vary findings (unverified and other uncertain findings vary by default); "
                                                  "giving it is a usage error that says so."),
    pairs: str = typer.Option("auto", "--pairs", metavar="auto|neighbours|all",
                              help="Which pairs the rank statements cover: auto (every pair of up to six countries, neighbours in the "
                                   "ranking by median beyond), neighbours, or all (every pair: N(N-1)/2 statements; "
                                   "for 800 countries about 12 s more and a 33 MB JSON)."),
    as_of: Optional[str] = AsOfOption,
    rubric: Optional[str] = RubricOption,
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json"),
    lang: str = LangOption,
    data: Optional[str] = DataOption,
):
    """How sure is the index? Median and 5-95% interval over draws of what it does not know (weights, aggregation rule,
    levels of unassessed criteria, uncertain findings: see --vary), and how often each country ranks above another."""
    countries = _countries_or_all(ctx, countries, every)
    _check_format(fmt, ("table", "json"))
    try:
        with progress.shown(), gcpause.paused():
            result = api.sensitivity(countries, draws=draws, seed=seed, as_of=as_of, rubric=rubric, data=data,
                                     concentration=concentration, p_geometric=p_geometric, vary=vary, unverified=unverified,
                                     pairs=pairs)
    except AssessError as exc:
        _fail(exc)
    from .export import sensitivity_to_json
    from .textout import format_sensitivity

    with gcpause.paused():
        if fmt == "json":
            write_json(sensitivity_to_json(result, lang))
        else:
            echo(format_sensitivity(result, lang))


@app.command()
def agreement(
    countries: Optional[List[str]] = typer.Argument(None, metavar="[COUNTRY]...", help="Default: every country."),
    as_of: Optional[str] = AsOfOption,
    rubric: Optional[str] = RubricOption,
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json"),
    data: Optional[str] = DataOption,
):
    """Do the coders agree? Krippendorff's alpha (ordinal) and percent agreement, and the disagreements to reconcile."""
    _check_format(fmt, ("table", "json"))
    try:
        result = api.agreement(countries, as_of=as_of, rubric=rubric, data=data)
    except AssessError as exc:
        _fail(exc)
    if fmt == "json":
        import json

        doc = {
            "rubric": {"id": result.rubric.id, "version": result.rubric.version}, "as_of": result.as_of.isoformat(),
            "coders": result.coders, "alpha": result.alpha, "percent_agreement": result.percent, "notes": result.notes,
            "disagreements": [{"country": u.country, "criterion": u.criterion, "levels": u.levels, "findings": u.evidence,
                               "reconciled": u.reconciled} for u in result.disagreements],
        }
        write_json(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        from .textout import format_agreement

        echo(format_agreement(result))


@app.command()
def baseline(
    countries: Optional[List[str]] = typer.Argument(None, metavar="[COUNTRY]...", help="Default: every country in the workspace."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="YYYY-MM-DD", help="The pinned date to score as of (default: today, or the existing baseline's date with --update)."),
    rubric: Optional[str] = RubricOption,
    file: Optional[str] = typer.Option(None, "--file", metavar="PATH", help="Baseline file (default: baselines/<rubric>.json in the workspace)."),
    update: bool = typer.Option(False, "--update", help="Replace an existing baseline: accept the current scores."),
    data: Optional[str] = DataOption,
):
    """Record the current scores as the baseline that `assess check` compares against."""
    try:
        path, record = api.write_baseline(countries, as_of=as_of, rubric=rubric, data=data, file=file, update=update)
    except AssessError as exc:
        _fail(exc)
    n = len(record["countries"])
    covered = api.countries_covered(record["countries"], record.get("shipped_countries", []))
    echo(f"wrote {path}: rubric {record['rubric']['id']} {record['rubric']['version']}, as of {record['as_of']}, "
         f"{n} countr{'y' if n == 1 else 'ies'}: {covered}")


@app.command()
def check(
    baseline: Optional[str] = typer.Option(None, "--baseline", metavar="PATH", help="Baseline file (default: baselines/<rubric>.json in the workspace)."),
    tolerance: float = typer.Option(0.0, "--tolerance", metavar="X", min=0.0, help="Let tier scores and the index move by at most X points, like with like. Coverage, level and status moves always fail."),
    junit: Optional[str] = typer.Option(None, "--junit", metavar="PATH", help="Write JUnit XML: one test case per country x criterion, and per country's coverage, tier and index."),
    markdown: Optional[str] = typer.Option(None, "--markdown", metavar="PATH", help="Write a Markdown summary for a pull-request comment."),
    github: bool = typer.Option(False, "--github", help="Print GitHub Actions annotations at the evidence lines."),
    rubric: Optional[str] = RubricOption,
    data: Optional[str] = DataOption,
):
    """Recompute the scores and compare them with the baseline. Exit 0 unchanged, 3 drift.

    Coverage moves (criteria no longer or newly assessed, and why) and every
    criterion's level or status move always fail. Tier scores and the index are
    compared like with like, on the criteria assessed both in the baseline and
    now; their raw move is shown beside, labelled, when coverage moved."""
    from .atomic import write_text_atomic
    from .drift_report import drift_github, drift_junit, drift_markdown, drift_text

    try:
        for path in (junit, markdown):
            if path:
                api.ensure_writable(path, "a check report")  # before the work; never into the installed package
        drift = api.check_baseline(baseline, tolerance=tolerance, data=data, rubric=rubric)
        if junit:
            write_text_atomic(junit, drift_junit(drift))
        if markdown:  # a pull-request comment: its next step too repeats the options given
            write_text_atomic(markdown, _in_context(drift_markdown(drift)))
    except AssessError as exc:
        _fail(exc)
    if github:
        write(drift_github(drift))
    echo(drift_text(drift))
    raise typer.Exit(3 if drift.drifted else 0)



# ---------------------------------------------------------------- source texts

sources_app = typer.Typer(help="Source texts of the documents: evidence/<ISO3>/sources/<document-id>.<lang>.txt.",
                          no_args_is_help=True, rich_markup_mode=None)
app.add_typer(sources_app, name="sources")


@sources_app.command("show")
def sources_show(
    country: str = typer.Argument(..., metavar="COUNTRY"),
    document: str = typer.Argument(..., metavar="DOCUMENT"),
    locator: str = typer.Argument(..., metavar="LOCATOR", help="E.g. 'Art. 54', 'Art. 54(1)(7)', 'п. 7 ст. 54', '54-бап'."),
    lang: Optional[str] = typer.Option(None, "--lang", metavar="en|ru|kk", help="Only the text in this language (default: every text)."),
    data: Optional[str] = DataOption,
):
    """Print a provision of a document's source text, with its sub-provisions."""
    try:
        found = api.show_provision(country, document, locator, data=data, lang=lang)
    except AssessError as exc:
        _fail(exc)
    for i, (text, provision) in enumerate(found):
        if i:
            echo("")
        echo(f"{provision.locator}  ({_shown_path(text.path)}:{provision.line})")
        echo(provision.render())


@sources_app.command("list")
def sources_list(
    countries: Optional[List[str]] = typer.Argument(None, metavar="[COUNTRY]...", help="Default: every country."),
    data: Optional[str] = DataOption,
):
    """List the source texts: document, language, provisions and where each was copied from."""
    from .sources import country_sources

    try:
        loaded = api.load(data, countries or None)
        evidence = api.find_countries(loaded, countries) if countries else [loaded.countries[c] for c in sorted(loaded.countries)]
    except AssessError as exc:
        _fail(exc)
    rows, problems = [], []
    for ev in evidence:
        for doc, texts in sorted(country_sources(api.evidence_dir_of(loaded, ev.iso3), ev, problems).items()):
            for t in texts:
                provisions = list(t.parsed.walk())
                articles = sum(p.kind == "article" for p in provisions)
                rows.append([ev.iso3, doc, t.lang + (f" ({t.edition})" if t.edition else ""), str(articles), str(len(provisions)), t.url or "-"])
    if rows:
        echo(table(rows, ["country", "document", "lang", "articles", "provisions", "source"], right=(3, 4)))
    else:
        echo("no source texts (put them at evidence/<ISO3>/sources/<document-id>.<lang>.txt)")
    if problems:
        echo(format_problems(problems), err=True)
    raise typer.Exit(1 if any(p.severity == "error" for p in problems) else 0)


def _shown_path(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


@app.command()
def verify(
    countries: Optional[List[str]] = typer.Argument(None, metavar="[COUNTRY]...", help="Default: every country."),
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json"),
    record: bool = typer.Option(False, "--record", help="Write a check record (method: source-text) into the evidence of each finding found at its locator in a source text, so that score, explain and the reports count it as checked; remove the records of earlier runs that the texts now contradict. Never replaces a coder's own check record."),
    data: Optional[str] = DataOption,
):
    """Check findings against the source texts: the locator names a provision and the quote is in it. Says how many findings are checked and by which means, and warns about a finding marked verified that no check record or source text backs. Exit 1 when a finding marked verified fails."""
    _check_format(fmt, ("table", "json"))
    try:
        report = api.verify(countries, data=data, record=record)
    except AssessError as exc:
        _fail(exc)
    if fmt == "json":
        import json

        write_json(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        rows = []
        for r in report.results:
            shown = r.canonical or (r.locator or "-")
            shown = shown if len(shown) <= 40 else shown[:39] + "…"
            tag = {"publication": " (checked: publication)", "source-text": " (checked: source text)",
                   "claimed": " (marked verified)"}.get(r.recorded, "")
            rows.append([r.country, r.finding + tag, shown, r.kind + (" !" if r.error else ""), r.detail])
        if rows:
            echo(table(rows, ["country", "finding", "locator", "result", "detail"]))
        s = report.summary
        echo("")
        echo(f"{s.findings} findings: " + ", ".join(f"{n} {k}" for k, n in s.counts.items() if n))
        echo(s.sentence())
        echo(s.states_sentence())
        shipped = [code for code, origin in report.countries.items() if origin == "shipped"]
        echo(f"countries verified: {api.countries_covered(report.countries, shipped)}")
        if record:
            from .sources.record import shown

            echo("")
            for a in report.recorded:
                echo(f"{a.action}: {a.country} {a.finding} ({shown(a.path)}): {a.detail}")
            written = sum(a.action in ("added", "updated", "removed") for a in report.recorded)
            echo(f"check records: {written} written" if written else "check records: nothing to write")
        if report.problems:
            echo("")
            echo(format_problems(report.problems), err=True)
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def suggest(
    country: str = typer.Argument(..., metavar="COUNTRY"),
    document: str = typer.Argument(..., metavar="DOCUMENT"),
    criterion: Optional[str] = typer.Option(None, "--criterion", metavar="ID", help="Only this criterion (default: every criterion of the rubric)."),
    top: int = typer.Option(3, "--top", metavar="N", help="Candidates per criterion."),
    out: Optional[str] = typer.Option(None, "--out", metavar="FILE", help="Write the candidates to this review file instead of printing them."),
    lang: Optional[str] = typer.Option(None, "--lang", metavar="en|ru|kk", help="Only the source text in this language."),
    rubric: Optional[str] = RubricOption,
    data: Optional[str] = DataOption,
):
    """Suggest provisions of a source text for each criterion, as candidate findings in the evidence format. Never edits evidence."""
    from .sources import suggestions_yaml

    try:
        ev, chosen, results = api.suggest_findings(country, document, criterion=criterion, top=top, rubric=rubric, data=data, lang=lang)
        text = suggestions_yaml(ev.iso3, document, results, chosen, rel=_shown_path)
        if out:
            from .atomic import write_text_atomic

            workspace = api.load(data, countries=[]).workspace
            api.ensure_writable(out, "a review file", workspace)  # never into the installed package
            evidence_dir = os.path.realpath(workspace.evidence_dir)
            target = os.path.realpath(out)
            if target == evidence_dir or target.startswith(evidence_dir + os.sep):
                echo(f"error: {out} is inside the evidence folder; write the review file elsewhere and paste what holds", err=True)
                raise typer.Exit(2)
            if os.path.isdir(out):
                echo(f"error: {out} is a folder; give a file name", err=True)
                raise typer.Exit(2)
            write_text_atomic(out, text)
            echo(out)
        else:
            echo(text, nl=False)
    except AssessError as exc:
        _fail(exc)
    except OSError as exc:
        echo(f"error: cannot write {out}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1)


def main() -> None:
    """Entry point: user errors become a message and an exit code, never a
    traceback. typer's own messages (usage errors echo what was typed) go
    through echo() like everything else; Ctrl-C exits 130."""
    from io import StringIO

    # click's base of usage errors; typer vendors click or runs on it, depending on its version
    ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    Abort = typer.Abort

    code = 0
    try:
        try:
            code = app(standalone_mode=False)
        except ClickException as exc:
            shown = StringIO()
            exc.show(file=shown)
            echo(shown.getvalue(), err=True, nl=False)
            code = exc.exit_code
        except Abort:  # end of input, or Ctrl-C, at a question: nothing was written
            echo("Aborted!", err=True)
            code = 1
        except AssessError as exc:  # pragma: no cover - commands catch their own
            echo(f"error: {exc}", err=True)
            code = exc.exit_code
        except KeyboardInterrupt:  # pragma: no cover - typer turns it into exit 130 itself
            code = 130
        sys.stdout.flush()
    except BrokenPipeError:
        _reader_gone()
    except OSError as exc:
        _cannot_write(exc, False)
    sys.exit(code if isinstance(code, int) else 0)
