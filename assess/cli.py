"""The `assess` command: parses arguments, calls the library, prints what it returns.

Heavy libraries (pandas, openpyxl) are imported inside the commands that need
them, so `assess --help` and `assess validate` start fast.
"""

from __future__ import annotations

import copy
import functools
import os
import re
import shlex
import sys
from typing import List, Optional

import typer
from typer.core import TyperArgument, TyperGroup

from .common import gcpause, progress, threads
from .common.errors import AssessError, InvalidInput, UsageError
from .common.messages import catalogue as _catalogue, in_lang as _in_lang, say


class _Later:
    """A module imported when a command first uses it (`assess --help` needs none of the library)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr):
        import importlib

        module = importlib.import_module(self._name, __package__)
        globals()[self._name.lstrip(".")] = module  # later uses go straight to the module
        return getattr(module, attr)


api = _Later(".api")


def format_problems(*args, **kwargs):
    from .output.textout import format_problems

    return format_problems(*args, **kwargs)


def table(*args, **kwargs):
    from .output.textout import table

    return table(*args, **kwargs)


def visible(*args, **kwargs):
    from .output.textout import visible

    return visible(*args, **kwargs)


class _Group(TyperGroup):
    """typer's group, with usage lines as POSIX tools write them: `COUNTRY`,
    `[COUNTRY]...`, no `{COUNTRY}` and no Python types (`<list[str]>`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            _tidy_arguments(command)

    def invoke(self, ctx):
        if ctx.parent is None:  # the root: the workspace's [defaults] for the command about to run
            args = [*getattr(ctx, "_protected_args", []), *ctx.args]
            if args and "-h" not in args and "--help" not in args:
                try:
                    ctx.default_map = _workspace_defaults(self, args)
                except AssessError as exc:
                    _fail(exc)
        return super().invoke(ctx)


def _no_workspace(exc) -> bool:
    from .data.workspace import NoWorkspace

    return isinstance(exc, NoWorkspace)


def _tidy_arguments(command) -> None:
    for param in getattr(command, "params", []):
        if not isinstance(param, TyperArgument):
            if not getattr(param, "is_flag", True) and param.metavar is None:  # `--name NAME`, not `--name <str>`
                param.metavar = param.name.upper()
            continue
        name = param.metavar or param.name.upper()
        shown = (name if param.required else f"[{name}]") + ("..." if param.nargs != 1 else "")
        param.get_usage_pieces = lambda ctx, shown=shown: [shown]
        param.display_type_rich = lambda ctx: None
        param.display_type = lambda ctx: None
        param.metavar = name + ("..." if param.nargs != 1 else "")


CONTEXT = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    help="Score how far a country's parliamentary diplomacy is institutionalized, from its legal documents.\n\n"
         "Naming no country means every country in the workspace, in every command (--all says so explicitly). "
         "Defaults for --as-of, --lang and --rubric can be set in the workspace's assess.toml, table [defaults].",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=_Group,
    context_settings=CONTEXT,
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
AllOption = typer.Option(False, "--all", help="Every country in the workspace (the same as naming none).")
CountriesArgument = typer.Argument(None, metavar="COUNTRY", show_default=False,
                                   help="ISO3 codes or English names, any case, e.g. KAZ Russia (default: every country).")


def _version(value: bool) -> None:
    if value:
        from . import __version__

        echo(f"assess {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", "-V", is_eager=True, callback=_version,
                                 help="Print the version and exit."),
):
    """The options before the command; reads the workspace's [defaults] for the command."""


def _workspace_defaults(root, args: list[str]) -> dict | None:
    """The default_map for the command about to run: the `[defaults]` of the
    workspace's assess.toml (as_of, lang, rubric), for each option of that name
    the command has. An option given on the command line wins."""
    from .data.workspace import open_workspace

    data = None
    for i, arg in enumerate(args):
        if arg == "--data" and i + 1 < len(args):
            data = args[i + 1]
        elif arg.startswith("--data="):
            data = arg.split("=", 1)[1]
    import os as _os

    if data is not None and not _os.path.isdir(data):
        return None  # the command says what is wrong with it
    try:
        defaults = open_workspace(data).defaults
    except AssessError:  # no usable workspace (yet: `assess new` makes one): the command itself says what is wrong
        return None
    if not defaults:
        return None
    group = root
    path = []
    for arg in args:
        sub = getattr(group, "commands", {}).get(arg)
        if sub is None:
            break
        path.append(arg)
        group = sub
    if not path or group is root:
        return None
    options = {p.name for p in getattr(group, "params", [])}
    if path in (["sources", "show"], ["suggest"], ["sources", "fetch"]):  # there --lang picks a source text, not the output's language
        options.discard("lang")
    values = {k: v for k, v in defaults.items() if k in options}
    if not values:
        return None
    for name in reversed(path):
        values = {name: values}
    return values


ScenarioOption = typer.Option(None, "--scenario", metavar="NAME",
                              help="Score the evidence with scenario NAME applied (scenarios/NAME/: a draft, bill or proposed "
                                   "amendment); as of the date it assumes unless --as-of is given. Output is stamped as a scenario.")


def _stamped(text: str, scenario, lang: str) -> str:
    """A terminal view with the scenario's stamp as its first lines (assess.scenario)."""
    from .analyses.scenario import stamp_lines

    head = stamp_lines(scenario, lang)
    return "\n".join(head + [""] + [text]) if head else text


def _stamped_csv(text: str, scenario) -> str:
    """CSV with one comment line above its header naming the scenario (read with comment='#')."""
    if scenario is None:
        return text
    from .common.messages import catalogue

    return f"# {scenario.stamp(catalogue('en'))}\n" + text


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
_CONTEXT_OPTIONS = ("data", "rubric", "as_of", "lang", "baseline", "file", "scenario")
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
        if target is None and _every_command is not None:  # main() built only the command it runs
            target = _every_command().get(sub)
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


def _workspace_hint(lang: str = "en") -> str:
    return _catalogue(lang)("cli_workspace_hint")


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
        t = _catalogue(_running_lang())
        sys.stderr.write(t("cli_cannot_write_stream", what=t("cli_stream_messages" if err else "cli_stream_output"),
                           why=exc.strerror or exc) + "\n")
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
    """The one rule of every command that takes countries: the countries
    named, or None (every country in the workspace) when none is named or
    --all is given; a usage error for both."""
    if every and countries:
        ctx.fail(_catalogue(_running_lang())("cli_all_and_countries"))
    return countries or None


def _check_format(fmt: str, choices: tuple[str, ...]) -> str:
    """The --format, in lower case (any case is accepted); a usage error (exit
    2) for one the command does not write."""
    chosen = fmt.strip().lower()
    if chosen not in choices:
        from .data.load import suggest

        lang = _running_lang()
        echo(_catalogue(lang)("cli_unknown_format", format=fmt, hint=_in_lang(suggest(chosen, choices), lang),
                              choices=", ".join(choices[:-1]), last=choices[-1]), err=True)
        raise typer.Exit(2)
    return chosen


def _check_lang(lang: Optional[str]) -> Optional[str]:
    """A usage error (exit 2) for a --lang outside the catalogue, naming the languages known."""
    try:
        return api.check_lang(lang)
    except AssessError as exc:
        _fail(exc)


def _running_lang() -> str:
    """The --lang of the running command once it is known to be one the
    catalogue has; else English (an unknown --lang is itself the error)."""
    ctx = _click_context()
    lang = (ctx.params.get("lang") if ctx is not None else None) or "en"
    from .data.model import LANGUAGES

    return lang if lang in LANGUAGES else "en"


def _fail(exc: AssessError) -> None:
    lang = _running_lang()
    if isinstance(exc, InvalidInput) and exc.problems:
        echo(format_problems(exc.problems, lang=lang), err=True)
    message = _flag_worded(exc, lang)
    from .common.messages import catalogue

    prefix = catalogue(lang)("cli_error_prefix")
    echo(f"{prefix}{message}" + (f"; {_workspace_hint(lang)}" if _no_workspace(exc) else ""), err=True)
    raise typer.Exit(exc.exit_code)


# the library's argument names that this command line spells otherwise
_PARAM_OPTIONS = {"start": "--from", "end": "--to"}


def _flag_worded(exc: AssessError, lang: str = "en") -> str:
    """The library names an argument by its Python name (UsageError.params);
    here it becomes the option of the running command that carries it."""
    params = getattr(exc, "params", ())
    if not params:
        return exc.said(lang)
    names = {}
    ctx = _click_context()
    options = {}
    if ctx is not None:
        for p in ctx.command.params:
            if getattr(p, "param_type_name", "") == "option":
                options[p.name] = next((o for o in p.opts if o.startswith("--")), p.opts[0])
    for param in params:
        flag = options.get(param) or _PARAM_OPTIONS.get(param)
        if flag is None and ctx is not None:
            flag = "--" + param.replace("_", "-")
        if flag:
            names[param] = flag
    return exc.worded(names, lang)


@app.command()
def validate(
    paths: Optional[List[str]] = typer.Argument(None, metavar="PATH", show_default=False, help="Limit the report to these files or folders."),
    data: Optional[str] = DataOption,
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
    fmt: str = typer.Option("text", "--format", "-f", metavar="text|json", help="Output format (any case)."),
    lang: str = LangOption,
):
    """Check every rubric and evidence file; print each problem as path:line: field: message."""
    fmt = _check_format(fmt, ("text", "json"))
    _check_lang(lang)
    with gcpause.paused(kept=True):  # the checks walk everything the loader made, kept to the end: see assess.gcpause
        try:
            loaded = api.load_data(data)
            report = api.check(loaded)
            scenario_problems, scenario_files = api.check_scenarios(loaded)  # scenarios are checked like evidence
        except AssessError as exc:
            _fail(exc)
        problems = sorted(set(report.problems) | set(scenario_problems), key=lambda p: (p.path, p.line or 0, p.severity, p.field, p.message))
        files = sorted(set(report.files) | set(scenario_files))
    if paths:
        wanted = [os.path.abspath(p) for p in paths]
        missing = [p for p, w in zip(paths, wanted) if not os.path.exists(w)]
        if missing:
            from .common.messages import catalogue

            echo(catalogue(lang)("cli_validate_missing", paths=", ".join(missing)), err=True)
            raise typer.Exit(2)
        away = [p for p in paths if api.outside_workspace(loaded, p)]
        if away:
            # a folder of its own is not checked by checking this workspace: say which workspace this is
            named = next((p for p in away if api.looks_like_workspace(p)), None)
            from .common.messages import catalogue

            t = catalogue(lang)
            hint = (t("cli_validate_hint_named", named=named, quoted=shlex.quote(named)) if named else t("cli_validate_hint_data"))
            where = (t("cli_validate_where_shipped") if loaded.workspace.read_only
                     else t("cli_validate_where_outside", where=loaded.workspace.describe('--data') if lang == "en"
                            else _describe_workspace(loaded.workspace, t)))
            echo(t("cli_validate_away", paths=", ".join(away), where=where, hint=hint), err=True)
            raise typer.Exit(2)

        def chosen(path: str) -> bool:
            full = os.path.abspath(path)
            return any(full == w or full.startswith(w.rstrip(os.sep) + os.sep) for w in wanted)

        problems = [p for p in problems if chosen(p.path)]
        files = [f for f in files if chosen(f)]
    errors = [p for p in problems if p.severity == "error" or strict]
    if fmt == "json":
        from .output.jsonout import problems_to_json

        write_json(problems_to_json(problems, files, loaded.workspace, strict))
        raise typer.Exit(1 if errors else 0)
    stream_err = bool(errors)
    echo(format_problems(problems, len(files), lang), err=stream_err)
    if not errors:
        from .common.messages import catalogue

        t = catalogue(lang)
        where = loaded.workspace.describe('--data') if lang == "en" else _describe_workspace(loaded.workspace, t)
        used = api.shipped_countries(loaded)
        note = t("cli_validate_shipped_note", codes=", ".join(used)) if used and not loaded.workspace.read_only else ""
        echo(t("cli_validate_ok", where=where) + note)
    raise typer.Exit(1 if errors else 0)


def _shipped_note(loaded) -> str:
    """'; with KAZ, RUS shipped with assess (read-only)' when the workspace uses shipped countries."""
    used = api.shipped_countries(loaded)
    return f"; with {', '.join(used)} shipped with assess (read-only)" if used and not loaded.workspace.read_only else ""


@app.command()
def score(
    ctx: typer.Context,
    countries: Optional[List[str]] = CountriesArgument,
    every: bool = AllOption,
    as_of: Optional[str] = AsOfOption,
    rubric: Optional[str] = RubricOption,
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json|jsonl|csv",
                            help="Output format (any case); jsonl: one JSON object per country and criterion, a row each."),
    lang: str = LangOption,
    data: Optional[str] = DataOption,
    scenario: Optional[str] = ScenarioOption,
):
    """Score countries against the rubric: overall index, tiers and every criterion."""
    countries = _countries_or_all(ctx, countries, every)
    fmt = _check_format(fmt, ("table", "json", "jsonl", "csv"))
    _check_lang(lang)
    try:
        with gcpause.paused(kept=True):  # the scores and the loaded workspace live to the end: see assess.gcpause
            scores = api.compute_scores(countries, as_of=as_of, rubric=rubric, data=data, scenario=scenario)
    except AssessError as exc:
        _fail(exc)
    from .output.export import scores_to_csv, scores_to_json
    from .analyses.scenario import stamp_json
    from .output.textout import format_scores

    scen = getattr(scores, "scenario", None)
    with gcpause.paused():  # the output is thousands of rows more: see assess.gcpause
        if fmt == "json":
            write_json(stamp_json(scores_to_json(scores, lang), scen, lang))
        elif fmt == "jsonl":
            from .output.jsonout import scores_to_jsonl

            write_json(scores_to_jsonl(scores))
        elif fmt == "csv":
            write(_stamped_csv(scores_to_csv(scores, lang), scen))
        else:
            echo(_stamped(format_scores(scores, lang), scen, lang))


@app.command()
def explain(
    country: str = typer.Argument(..., metavar="COUNTRY", help="ISO3 code or English name, any case."),
    criterion: str = typer.Argument(..., metavar="CRITERION", help="A criterion id of the rubric, e.g. int-strategy."),
    as_of: Optional[str] = AsOfOption,
    rubric: Optional[str] = RubricOption,
    lang: str = LangOption,
    fmt: str = typer.Option("text", "--format", "-f", metavar="text|json", help="Output format (any case)."),
    data: Optional[str] = DataOption,
    scenario: Optional[str] = ScenarioOption,
):
    """Show how a criterion's level was decided: the rule, every finding weighed, and the one that decided."""
    from .output.textout import format_explanation

    fmt = _check_format(fmt, ("text", "json"))
    _check_lang(lang)
    try:
        ex = api.explain_level(country, criterion, as_of=as_of, rubric=rubric, data=data, scenario=scenario)
        scen = api.scenario_of(scenario, data) if scenario else None
    except AssessError as exc:
        _fail(exc)
    if fmt == "json":
        from .output.jsonout import explanation_to_json
        from .analyses.scenario import stamp_json

        write_json(stamp_json(explanation_to_json(ex, lang), scen, lang))
        return
    echo(_stamped(format_explanation(ex, lang), scen, lang))


@app.command()
def countries(
    data: Optional[str] = DataOption,
    lang: str = LangOption,
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json", help="Output format (any case)."),
):
    """List the countries with evidence in the workspace."""
    fmt = _check_format(fmt, ("table", "json"))
    _check_lang(lang)
    try:
        loaded = api.load_data(data)
    except AssessError as exc:
        _fail(exc)
    shipped = api.shipped_status(loaded)
    if fmt == "json":
        from .output.jsonout import countries_to_json

        write_json(countries_to_json(loaded, shipped, lang))
        return
    from .common.messages import catalogue

    t = catalogue(lang)
    rows = []
    for code, ev in sorted(loaded.countries.items()):
        leg = ev.country.legislatures[-1].name.get(lang) if ev.country.legislatures else "-"
        origin = t("cli_origin_shipped") if code in shipped.used else t("cli_origin_workspace")
        rows.append([code, ev.country.name.get(lang), origin, str(len(ev.documents)), str(len(ev.findings)), str(len(ev.files)), leg])
    if rows:
        head = [t(f"cli_countries_head_{k}") for k in ("code", "name", "from", "documents", "findings", "files", "legislature")]
        echo(table(rows, head, right=(3, 4, 5)))
        echo("")
    else:
        echo(t("cli_no_countries", folder=loaded.workspace.evidence_dir) + "\n")
    echo(t("cli_workspace_line", where=_describe_workspace(loaded.workspace, t)))
    if not loaded.workspace.read_only:
        echo(t("cli_its_countries", folder=loaded.workspace.evidence_dir))
    if shipped.is_workspace and not loaded.workspace.read_only:
        echo(t("cli_shipped_is_workspace"))
        return
    echo(t("cli_shipped_folder", folder=shipped.folder))
    if shipped.used and not loaded.workspace.read_only:
        echo(t("cli_shipped_used", codes=", ".join(shipped.used)))
    if shipped.own:
        echo(t("cli_shipped_own", codes=", ".join(shipped.own)))
    for code, why in sorted(shipped.left_out.items()):
        echo(t("cli_shipped_left_out", code=code, why=_in_lang(why, t.lang)))
    if shipped.off:
        where = loaded.workspace.config_file or t("cli_settings")
        echo(t("cli_shipped_off", where=where, codes=", ".join(shipped.off)))


def _describe_workspace(ws, t) -> str:
    """Workspace.describe() in the catalogue's words."""
    from .data.workspace import FROM_CONFIG, FROM_FOUND, FROM_SHIPPED

    if ws.origin == FROM_SHIPPED:
        return t("cli_workspace_shipped", root=ws.root)
    if ws.origin == FROM_FOUND:
        text = t("cli_workspace_found", root=ws.root)
    else:
        from .data.workspace import FROM_OPTION

        how = ws.config_file if ws.origin == FROM_CONFIG and ws.config_file else ("--data" if ws.origin == FROM_OPTION else ws.origin)
        text = t("cli_workspace_from", root=ws.root, how=how)
    if ws.read_only:
        text = text[:-1] + t("cli_workspace_read_only") + ")"
    return text


@app.command()
def rubrics(
    data: Optional[str] = DataOption,
    lang: str = LangOption,
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json", help="Output format (any case)."),
):
    """List the rubrics in the workspace, with their tiers and criteria counts."""
    fmt = _check_format(fmt, ("table", "json"))
    _check_lang(lang)
    try:
        loaded = api.load_data(data, evidence=False)
    except AssessError as exc:
        _fail(exc)
    if fmt == "json":
        from .output.jsonout import rubrics_to_json

        write_json(rubrics_to_json(loaded, lang))
        broken = [p for p in loaded.problems if p.severity == "error"]
        raise typer.Exit(1 if broken else 0)
    from .common.messages import Formats, catalogue

    t = catalogue(lang)
    decimal = Formats(t).decimal
    rows = []
    for rid, r in sorted(loaded.rubrics.items()):
        rows.append([rid + (t("cli_rubric_default") if r.default else ""), r.version, str(len(r.tiers)), str(len(r.criteria)), r.title.get(lang)])
    head = [t(f"cli_rubrics_head_{k}") for k in ("id", "version", "tiers", "criteria", "title")]
    echo(table(rows, head, right=(2, 3)))
    for rid, r in sorted(loaded.rubrics.items()):
        echo(f"\n{rid}: {os.path.relpath(r.path) if not os.path.isabs(r.path) else r.path}")
        for tier in r.tiers:
            echo(t("cli_rubric_tier", tier=tier.id, weight=f"{tier.weight:g}".replace(".", decimal),
                   criteria=", ".join(c.id for c in tier.criteria)))
    broken = [p for p in loaded.problems if p.severity == "error"]
    if broken:
        echo("\n" + format_problems(broken), err=True)
        raise typer.Exit(1)


@app.command()
def report(
    ctx: typer.Context,
    countries: Optional[List[str]] = CountriesArgument,
    every: bool = AllOption,
    as_of: Optional[str] = AsOfOption,
    rubric: Optional[str] = RubricOption,
    out: str = typer.Option("reports/out", "--out", metavar="DIR", help="Folder to write the reports to (created if missing)."),
    fmt: str = typer.Option("html,xlsx", "--format", "-f", metavar="html,xlsx,pdf", help="Comma-separated formats (any case); pdf prints the HTML through an installed Chromium."),
    lang: str = LangOption,
    common_only: bool = typer.Option(False, "--common-only", help="Compute indices and ranking on the criteria assessed for every country only."),
    timeline_from: Optional[str] = typer.Option(None, "--timeline-from", metavar="YEAR|DATE", help="Start of the timeline (default: the earliest document)."),
    draws: int = typer.Option(2000, "--draws", metavar="N", help="Monte Carlo draws for the sensitivity section; 0 leaves it out."),
    seed: int = typer.Option(0, "--seed", metavar="S", help="Random seed of the sensitivity draws."),
    highlight: Optional[str] = typer.Option(None, "--highlight", metavar="ISO3,...", help="Countries to mark in the world layout (more than six countries), e.g. KAZ,RUS."),
    data: Optional[str] = DataOption,
    scenario: Optional[str] = ScenarioOption,
):
    """Write the comparison report: a self-contained HTML file and an Excel workbook."""
    countries = _countries_or_all(ctx, countries, every)
    _check_lang(lang)
    formats = [f.strip().lower() for f in fmt.split(",") if f.strip()]
    unknown = [f for f in formats if f not in ("html", "xlsx", "pdf")]
    if unknown or not formats:
        from .common.messages import catalogue

        t = catalogue(lang)
        echo(t("cli_report_unknown_format", formats=", ".join(unknown) or t("cli_report_no_format")), err=True)
        raise typer.Exit(2)
    try:
        with progress.shown(), gcpause.paused():
            paths = api.write_reports(countries, out=out, formats=formats, as_of=as_of, rubric=rubric, data=data, lang=lang,
                                      common_only=common_only, timeline_from=timeline_from, draws=draws, seed=seed,
                                      scenario=scenario, highlight=highlight.split(",") if highlight else None)
    except AssessError as exc:
        _fail(exc)
    except KeyboardInterrupt as exc:  # Ctrl-C: every file of the report was written, or none (api.write_reports)
        written = getattr(exc, "written", None)
        if written:
            from .common.messages import catalogue

            echo(catalogue(lang)("cli_interrupted_report_whole", files=", ".join(written)), err=True)
        else:
            from .common.messages import catalogue

            echo(catalogue(lang)("cli_interrupted_report_none", out=out), err=True)
        raise typer.Exit(130)
    for path in paths:
        echo(path)


@app.command("new")
def new(
    country: str = typer.Argument(..., metavar="ISO3", help="The ISO 3166-1 alpha-3 code of the country to add, or a user-assigned one "
                                                            "(AAA-AAZ, QMA-QZZ, XAA-XZZ, ZZA-ZZZ; XKX for Kosovo), with a warning."),
    name: Optional[str] = typer.Option(None, "--name", metavar="NAME", help="The country's name in English (default: the ISO 3166 short name; the code itself for a user-assigned code other than XKX)."),
    rubric: Optional[str] = RubricOption,
    lang: str = LangOption,
    data: Optional[str] = DataOption,
):
    """Scaffold a new country: evidence/<ISO3>/ with a checklist of every criterion. Never overwrites."""
    _check_lang(lang)
    try:
        paths = api.new_country(country, name=name, rubric=rubric, data=data, lang=lang)
    except AssessError as exc:
        _fail(exc)
    from .common.messages import catalogue, in_lang

    note = api.country_code_note(country)
    if note:  # a user-assigned code (XKX, QZZ...): accepted, said
        echo(_catalogue(lang)("cli_problem_warning") + _in_lang(note, lang), err=True)
    for path in paths:
        echo(path)

    echo(catalogue(lang)("cli_new_next", a=os.path.basename(paths[0]), b=os.path.basename(paths[1])))


@app.command()
def template(
    country: str = typer.Argument(..., metavar="COUNTRY", help="ISO3 code (or English name) of the country."),
    out: str = typer.Option(..., "--out", metavar="FILE.xlsx", help="The workbook to write."),
    rubric: Optional[str] = RubricOption,
    lang: str = LangOption,
    data: Optional[str] = DataOption,
):
    """Write a data-entry workbook for a country, pre-filled with its evidence (read back with `assess import`)."""
    _check_lang(lang)
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
    lang: str = LangOption,
):
    """Read a data-entry workbook back into evidence files, showing a diff before replacing anything."""
    _check_lang(lang)
    try:
        plan = api.import_plan(workbook, into=into, data=data)
    except AssessError as exc:
        _fail(exc)
    from .common.messages import catalogue

    t = catalogue(lang)
    if plan.warnings:
        echo(format_problems(plan.warnings, lang=lang), err=True)
    skipped = t("cli_import_skipped", n=plan.checklist_rows) if plan.checklist_rows else ""
    if not plan.changes:
        echo(t("cli_import_nothing", iso3=plan.iso3, skipped=skipped))
        return
    for change in plan.changes:
        if change.is_new:
            echo(t("cli_import_new_file", path=change.path, n=len(change.summary)))
        else:
            echo(change.diff(), nl=False)
            # each item is `<+|~|-> <record kind> <id>` (importer): the kind in the catalogue's words
            echo(f"{change.path}: " + ", ".join(re.sub(r"^([+~-]) (country|document|finding) ",
                                                       lambda m: f"{m.group(1)} {t('drift_' + m.group(2) + '_noun')} ", item)
                                                for item in change.summary))
            if change.dropped_comments:
                echo(t("cli_import_dropped", n=change.dropped_comments))
    if skipped:
        echo(skipped[2:])
    if plan.iso3 in api.shipped_codes() and not os.path.isdir(plan.folder):
        echo(t("cli_import_ships", iso3=plan.iso3))
    if dry_run:
        echo(t("cli_import_dry_run"))
        return
    if plan.replaces and not force:
        if not sys.stdin.isatty():
            echo(t("cli_import_would_change", n=len(plan.replaces)), err=True)
            raise typer.Exit(1)
        if not typer.confirm(t("cli_import_replace", n=len(plan.replaces)), default=False):
            echo(t("cli_nothing_written_line"))
            raise typer.Exit(1)
    try:
        written = api.apply_import(plan)
    except AssessError as exc:
        _fail(exc)
    except KeyboardInterrupt as exc:  # every file of the import was written, or none
        done = getattr(exc, "written", None)
        echo(t("cli_interrupted_import_whole", files=", ".join(done)) if done else t("cli_interrupted_nothing"), err=True)
        raise typer.Exit(130)
    for path in written:
        echo(t("cli_wrote", path=path))


@app.command()
def timeline(
    ctx: typer.Context,
    countries: Optional[List[str]] = CountriesArgument,
    every: bool = AllOption,
    start: Optional[str] = typer.Option(None, "--from", metavar="YEAR|DATE", help="First year (default: the earliest document)."),
    end: Optional[str] = typer.Option(None, "--to", metavar="YYYY-MM-DD", help="Last date (default: today)."),
    step: str = typer.Option("year", "--step", metavar="year|month", help="Steps at the end of each year or month."),
    rubric: Optional[str] = RubricOption,
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json|csv",
                            help="Output format (any case); csv: one row per country and step, then one per change point."),
    lang: str = LangOption,
    data: Optional[str] = DataOption,
    scenario: Optional[str] = ScenarioOption,
):
    """Overall and tier scores over time, with each change labelled by the document that caused it."""
    countries = _countries_or_all(ctx, countries, every)
    fmt = _check_format(fmt, ("table", "json", "csv"))
    _check_lang(lang)
    try:
        with progress.shown(), gcpause.paused(kept=True):
            chosen, timelines = api.compute_timelines(countries, start=start, end=end, step=step, rubric=rubric, data=data, lang=lang,
                                                      scenario=scenario)
            scen = api.scenario_of(scenario, data) if scenario else None
    except AssessError as exc:
        _fail(exc)
    from .output.export import timeline_to_csv, timeline_to_json
    from .analyses.scenario import stamp_json
    from .output.textout import format_timeline

    with gcpause.paused():
        if fmt == "json":
            write_json(stamp_json(timeline_to_json(chosen, timelines, lang), scen, lang))
        elif fmt == "csv":
            write(_stamped_csv(timeline_to_csv(chosen, timelines), scen))
        else:
            echo(_stamped(format_timeline(chosen, timelines, lang), scen, lang))


@app.command()
def sensitivity(
    ctx: typer.Context,
    countries: Optional[List[str]] = CountriesArgument,
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
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json", help="Output format (any case)."),
    lang: str = LangOption,
    data: Optional[str] = DataOption,
    scenario: Optional[str] = ScenarioOption,
):
    """How sure is the index? Median and 5-95% interval over draws of what it does not know (weights, aggregation rule,
    levels of unassessed criteria, uncertain findings: see --vary), and how often each country ranks above another."""
    countries = _countries_or_all(ctx, countries, every)
    fmt = _check_format(fmt, ("table", "json"))
    _check_lang(lang)
    try:
        with progress.shown(), gcpause.paused(kept=True):
            result = api.compute_sensitivity(countries, draws=draws, seed=seed, as_of=as_of, rubric=rubric, data=data,
                                             concentration=concentration, p_geometric=p_geometric, vary=vary, unverified=unverified,
                                             scenario=scenario, pairs=pairs)
    except AssessError as exc:
        _fail(exc)
    from .output.export import sensitivity_to_json
    from .analyses.scenario import stamp_json
    from .output.textout import format_sensitivity

    scen = getattr(result, "scenario", None)
    with gcpause.paused():
        if fmt == "json":
            write_json(stamp_json(sensitivity_to_json(result, lang), scen, lang))
        else:
            echo(_stamped(format_sensitivity(result, lang), scen, lang))


@app.command()
def whatif(
    countries: List[str] = typer.Argument(..., metavar="COUNTRY...", help="The scenario's country, and any others to rank it among (e.g. KAZ RUS)."),
    scenario: str = typer.Option(..., "--scenario", metavar="NAME", help="The scenario (scenarios/NAME/)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="YYYY-MM-DD", help="The scenario side as of this date (default: the date it assumes in force)."),
    before: Optional[str] = typer.Option(None, "--before", metavar="YYYY-MM-DD",
                                         help="The base side as of this date (default: the day the scenario stood, its as_of; else --as-of)."),
    draws: int = typer.Option(2000, "--draws", metavar="N", help="Sensitivity draws for the interval of the change; 0 leaves it out."),
    seed: int = typer.Option(0, "--seed", metavar="S", help="Random seed of the draws."),
    rubric: Optional[str] = RubricOption,
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json|markdown", help="Output format; markdown is a one-page brief."),
    lang: str = LangOption,
    data: Optional[str] = DataOption,
):
    """What a scenario would change: each criterion that moves with its deciding finding before and after, tiers and
    index like with like, rank changes among the countries named, and whether the change exceeds the uncertainty."""
    fmt = _check_format(fmt, ("table", "json", "markdown"))
    _check_lang(lang)
    try:
        with progress.shown(), gcpause.paused():
            result = api.compute_whatif(countries, scenario, as_of=as_of, before=before, rubric=rubric, data=data, draws=draws, seed=seed)
    except AssessError as exc:
        _fail(exc)
    from .output.whatif_text import format_markdown, format_text, to_json

    if fmt == "json":
        write_json(to_json(result, lang))
    elif fmt == "markdown":
        write(format_markdown(result, lang))
    else:
        echo(format_text(result, lang))


@app.command()
def agreement(
    ctx: typer.Context,
    countries: Optional[List[str]] = CountriesArgument,
    every: bool = AllOption,
    as_of: Optional[str] = AsOfOption,
    rubric: Optional[str] = RubricOption,
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json", help="Output format (any case)."),
    lang: str = LangOption,
    data: Optional[str] = DataOption,
):
    """Do the coders agree? Krippendorff's alpha (ordinal) and percent agreement, and the disagreements to reconcile."""
    countries = _countries_or_all(ctx, countries, every)
    fmt = _check_format(fmt, ("table", "json"))
    _check_lang(lang)
    try:
        result = api.compute_agreement(countries, as_of=as_of, rubric=rubric, data=data)
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
        from .output.textout import format_agreement

        echo(format_agreement(result, lang))


@app.command()
def baseline(
    ctx: typer.Context,
    countries: Optional[List[str]] = CountriesArgument,
    every: bool = AllOption,
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="YYYY-MM-DD", help="The pinned date to score as of (default: today, or the existing baseline's date with --update)."),
    rubric: Optional[str] = RubricOption,
    file: Optional[str] = typer.Option(None, "--file", metavar="PATH", help="Baseline file (default: baselines/<rubric>.json in the workspace)."),
    update: bool = typer.Option(False, "--update", help="Replace an existing baseline: accept the current scores."),
    data: Optional[str] = DataOption,
    lang: str = LangOption,
):
    """Record the current scores as the baseline that `assess check` compares against."""
    countries = _countries_or_all(ctx, countries, every)
    _check_lang(lang)
    try:
        path, record = api.write_baseline(countries, as_of=as_of, rubric=rubric, data=data, file=file, update=update)
    except AssessError as exc:
        _fail(exc)
    from .common.messages import catalogue

    n = len(record["countries"])
    covered = api.countries_covered(record["countries"], record.get("shipped_countries", []), lang)
    echo(catalogue(lang)("cli_baseline_wrote", path=path, id=record['rubric']['id'], version=record['rubric']['version'],
                         date=record['as_of'], n=n, covered=covered))


@app.command()
def check(
    baseline: Optional[str] = typer.Option(None, "--baseline", metavar="PATH", help="Baseline file (default: baselines/<rubric>.json in the workspace)."),
    tolerance: float = typer.Option(0.0, "--tolerance", metavar="X", min=0.0, help="Let tier scores and the index move by at most X points, like with like. Coverage, level and status moves always fail."),
    junit: Optional[str] = typer.Option(None, "--junit", metavar="PATH", help="Write JUnit XML: one test case per country x criterion, and per country's coverage, tier and index."),
    markdown: Optional[str] = typer.Option(None, "--markdown", metavar="PATH", help="Write a Markdown summary for a pull-request comment."),
    github: bool = typer.Option(False, "--github", help="Print GitHub Actions annotations at the evidence lines."),
    rubric: Optional[str] = RubricOption,
    fmt: str = typer.Option("text", "--format", "-f", metavar="text|json", help="Output format of the drift (any case)."),
    data: Optional[str] = DataOption,
    lang: str = typer.Option("en", "--lang", metavar="en|ru|kk",
                             help="Language of the text output, the Markdown summary and the reasons of each move (JUnit XML structure and JSON keys stay English)."),
):
    """Recompute the scores and compare them with the baseline. Exit 0 unchanged, 3 drift.

    Coverage moves (criteria no longer or newly assessed, and why) and every
    criterion's level or status move always fail. Tier scores and the index are
    compared like with like, on the criteria assessed both in the baseline and
    now; their raw move is shown beside, labelled, when coverage moved."""
    from .common.atomic import write_text_atomic
    from .output.drift_report import drift_github, drift_junit, drift_markdown, drift_text

    fmt = _check_format(fmt, ("text", "json"))
    _check_lang(lang)
    try:
        for path in (junit, markdown):
            if path:
                api.ensure_writable(path, say("e_what_check_report"))  # before the work; never into the installed package
        drift = api.check_baseline(baseline, tolerance=tolerance, data=data, rubric=rubric, lang=lang)
        if junit:
            write_text_atomic(junit, drift_junit(drift))
        if markdown:  # a pull-request comment: its next step too repeats the options given
            write_text_atomic(markdown, _in_context(drift_markdown(drift, lang)))
    except AssessError as exc:
        _fail(exc)
    if github:
        write(drift_github(drift, lang))
    if fmt == "json":
        from .output.jsonout import drift_to_json

        write_json(drift_to_json(drift))
    else:
        echo(drift_text(drift, lang))
    raise typer.Exit(3 if drift.drifted else 0)



# ---------------------------------------------------------------- source texts

sources_app = typer.Typer(help="Source texts of the documents: evidence/<ISO3>/sources/<document-id>.<lang>.txt.",
                          no_args_is_help=True, rich_markup_mode=None, cls=_Group, context_settings=CONTEXT)
app.add_typer(sources_app, name="sources")


@sources_app.command("show")
def sources_show(
    country: str = typer.Argument(..., metavar="COUNTRY", help="ISO3 code or English name, any case."),
    document: str = typer.Argument(..., metavar="DOCUMENT", help="The document's id in the evidence."),
    locator: str = typer.Argument(..., metavar="LOCATOR", help="E.g. 'Art. 54', 'Art. 54(1)(7)', 'п. 7 ст. 54', '54-бап'."),
    lang: Optional[str] = typer.Option(None, "--lang", metavar="en|ru|kk", help="Only the text in this language (default: every text)."),
    data: Optional[str] = DataOption,
):
    """Print a provision of a document's source text, with its sub-provisions."""
    _check_lang(lang)
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
    ctx: typer.Context,
    countries: Optional[List[str]] = CountriesArgument,
    every: bool = AllOption,
    data: Optional[str] = DataOption,
    lang: str = LangOption,
):
    """List the source texts: document, language, provisions and where each was copied from."""
    from .sources import country_sources

    countries = _countries_or_all(ctx, countries, every)
    _check_lang(lang)
    try:
        selection = api.prepare(countries, data=data, checked=False)
        loaded, evidence = selection.loaded, selection.evidence
    except AssessError as exc:
        _fail(exc)
    rows, problems = [], []
    for ev in evidence:
        for doc, texts in sorted(country_sources(api.evidence_dir_of(loaded, ev.iso3), ev, problems).items()):
            for t in texts:
                provisions = list(t.parsed.walk())
                articles = sum(p.kind == "article" for p in provisions)
                rows.append([ev.iso3, doc, t.lang + (f" ({t.edition})" if t.edition else ""), str(articles), str(len(provisions)), t.url or "-"])
    from .common.messages import catalogue

    t = catalogue(lang)
    if rows:
        echo(table(rows, [t(f"cli_sources_head_{k}") for k in ("country", "document", "lang", "articles", "provisions", "source")],
                   right=(3, 4)))
    else:
        echo(t("cli_sources_none"))
    if problems:
        echo(format_problems(problems, lang=lang), err=True)
    raise typer.Exit(1 if any(p.severity == "error" for p in problems) else 0)


def _fetch_settings(timeout: float, retries: int, max_size: float):
    from .sources.fetch import Settings

    if timeout <= 0 or retries < 0 or max_size <= 0:
        echo(_catalogue(_running_lang())("cli_fetch_settings"), err=True)
        raise typer.Exit(2)
    return Settings(timeout=timeout, retries=retries, max_bytes=int(max_size * 2**20))


TimeoutOption = typer.Option(30.0, "--timeout", metavar="SECONDS", help="Give up on an answer after this long (per attempt).")
RetriesOption = typer.Option(3, "--retries", metavar="N", help="Attempts after the first, with back-off (2, 4, 8 s), after a timeout, a refused connection or HTTP 429/5xx.")
MaxSizeOption = typer.Option(20.0, "--max-size", metavar="MIB", help="Refuse a page larger than this.")


@sources_app.command("fetch")
def sources_fetch(
    countries: Optional[List[str]] = CountriesArgument,
    document: Optional[str] = typer.Option(None, "--document", metavar="ID", help="Only this document."),
    lang: Optional[List[str]] = typer.Option(None, "--lang", metavar="en|ru|kk", help="Only these languages (default: the document's register.lang, else the register's)."),
    timeout: float = TimeoutOption,
    retries: int = RetriesOption,
    max_size: float = MaxSizeOption,
    data: Optional[str] = DataOption,
):
    """Download each document's text from its register (register: {name, id}) or its url into evidence/<ISO3>/sources/<document>.<lang>.txt, with its provenance (URL, retrieval time, edition, SHA-256). Uses the network; honours http_proxy/https_proxy/no_proxy. A stored text that differs is kept as <document>.<lang>.<edition>.txt, never overwritten. Exit 1 if a text could not be fetched."""
    for one in lang or ():
        _check_lang(one)
    settings = _fetch_settings(timeout, retries, max_size)
    try:
        results = api.fetch_sources(countries, document=document, langs=lang or (), data=data, settings=settings)
    except AssessError as exc:
        _fail(exc)
    from .common.messages import catalogue

    t = catalogue(_output_lang(data))
    failed = [r for r in results if r.failed]
    for r in results:
        if not r.failed:
            action = t("cli_fetch_action_" + r.action.replace(" ", "_")) if t.table.get("cli_fetch_action_" + r.action.replace(" ", "_")) else r.action
            echo(f"{action}: {r.country} {r.document} ({r.lang}) {_shown_path(r.path) if r.path else ''}: {r.detail_in(t.lang)}")
    by_document: dict = {}
    for r in failed:  # one line per document, whatever the number of its texts
        by_document.setdefault((r.country, r.document), []).append(r)
    for (country, doc), rs in by_document.items():
        if len(rs) == 1:
            r = rs[0]
            echo(f"{t('cli_error_prefix')}{country} {doc}{'' if r.lang in ('-', '?') else f' ({r.lang})'}: {r.detail_in(t.lang)}", err=True)
        else:
            echo(f"{t('cli_error_prefix')}{country} {doc}: " + "; ".join(f"{r.lang}: {r.detail_in(t.lang)}" for r in rs), err=True)
    stored = sum(r.action in ("new", "updated", "new edition") for r in results)
    if not results:
        echo(t("cli_fetch_nothing"))
    else:
        echo(t("cli_fetch_summary", stored=stored, unchanged=sum(r.action == 'unchanged' for r in results), failed=len(failed))
             + (t("cli_nothing_written") if failed and not stored else ""))
    raise typer.Exit(1 if failed else 0)


@sources_app.command("watch")
def sources_watch(
    countries: Optional[List[str]] = CountriesArgument,
    document: Optional[str] = typer.Option(None, "--document", metavar="ID", help="Only this document."),
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json|markdown", help="Output format (any case); markdown suits a CI job summary."),
    timeout: float = TimeoutOption,
    retries: int = RetriesOption,
    max_size: float = MaxSizeOption,
    data: Optional[str] = DataOption,
    lang: str = LangOption,
):
    """Compare the stored source texts with the registers' current ones (network): documents with a new edition, and per finding whether the provision it cites changed (a word diff), its quote is gone, or it moved to another number. Writes nothing. Exit 3 when a provision a finding cites has changed, 1 when a register could not be read."""
    fmt = _check_format(fmt, ("table", "json", "markdown"))
    _check_lang(lang)
    settings = _fetch_settings(timeout, retries, max_size)
    try:
        report = api.watch_sources(countries, document=document, data=data, settings=settings)
    except AssessError as exc:
        _fail(exc)
    if fmt == "json":
        import json

        write_json(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "markdown":
        from .sources.watch import markdown

        write(markdown(report, lang))
    else:
        from .common.messages import catalogue

        t = catalogue(lang)

        def said(word: str) -> str:  # a status or a finding's kind in the catalogue's words
            key = "cli_watch_" + word.replace(" ", "_")
            return t(key) if t.table.get(key) else word

        if report.documents:
            echo(table([[d.country, d.document, d.lang, said(d.status), d.detail_in(lang)] for d in report.documents],
                       [t(f"cli_sources_head_{k}") for k in ("country", "document", "lang", "status", "detail")]))
        else:
            echo(t("cli_watch_none"))
        changed = [f for f in report.findings if f.changed]
        for f in changed:
            echo("")
            echo(f"{said(f.kind)}: {f.country} {f.finding} ({f.canonical or f.locator}; {_shown_path(f.path)}:{f.line}): {f.detail_in(lang)}")
            if f.diff:
                echo(f"  {f.diff}")
        counts = report.to_dict()["counts"]
        echo("")
        echo(t("cli_watch_findings", n=len(report.findings), counts=", ".join(f"{n} {said(k)}" for k, n in counts.items() if n))
             if report.findings else t("cli_watch_no_finding"))
    for d in report.failed:
        echo(f"{_catalogue(lang)('cli_error_prefix')}{d.country} {d.document} ({d.lang}): {d.detail_in(lang)}", err=True)
    raise typer.Exit(3 if report.changed else (1 if report.failed else 0))


def _output_lang(data: Optional[str]) -> str:
    """The language of the output of a command whose --lang picks source texts
    (sources show, sources fetch, suggest): the workspace's assess.toml
    [defaults] lang, else English."""
    from .data.workspace import open_workspace

    try:
        lang = (open_workspace(data).defaults or {}).get("lang") or "en"
    except AssessError:
        return "en"
    from .data.model import LANGUAGES

    return lang if lang in LANGUAGES else "en"


def _shown_path(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


@app.command()
def verify(
    ctx: typer.Context,
    countries: Optional[List[str]] = CountriesArgument,
    every: bool = AllOption,
    fmt: str = typer.Option("table", "--format", "-f", metavar="table|json", help="Output format (any case)."),
    record: bool = typer.Option(False, "--record", help="Write a check record (method: source-text) into the evidence of each finding found at its locator in a source text, so that score, explain and the reports count it as checked; remove the records of earlier runs that the texts now contradict. Never replaces a coder's own check record."),
    data: Optional[str] = DataOption,
    lang: str = LangOption,
):
    """Check findings against the source texts: the locator names a provision and the quote is in it. Says how many findings are checked and by which means, and warns about a finding marked verified that no check record or source text backs. Exit 1 when a finding marked verified fails."""
    countries = _countries_or_all(ctx, countries, every)
    fmt = _check_format(fmt, ("table", "json"))
    _check_lang(lang)
    try:
        report = api.verify(countries, data=data, record=record)
    except AssessError as exc:
        _fail(exc)
    if fmt == "json":
        import json

        write_json(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        from .common.messages import catalogue

        t = catalogue(lang)

        def kind(k: str) -> str:
            return t("cli_verify_kind_" + k.replace(" ", "_")) if t.table.get("cli_verify_kind_" + k.replace(" ", "_")) else k

        rows = []
        for r in report.results:
            shown = r.canonical or (r.locator or "-")
            shown = shown if len(shown) <= 40 else shown[:39] + "…"
            tag = t("cli_verify_tag_" + r.recorded.replace("-", "_")) if r.recorded in ("publication", "source-text", "claimed") else ""
            rows.append([r.country, r.finding + tag, shown, kind(r.kind) + (" !" if r.error else ""), r.detail_in(lang)])
        if rows:
            echo(table(rows, [t(f"cli_verify_head_{k}") for k in ("country", "finding", "locator", "result", "detail")]))
        s = report.summary
        echo("")
        echo(t("cli_verify_counts", n=s.findings, counts=", ".join(f"{n} {kind(k)}" for k, n in s.counts.items() if n)))
        echo(s.sentence(lang))
        if s.editions_sentence(lang):
            echo(s.editions_sentence(lang))
        echo(s.states_sentence(lang))
        shipped = [code for code, origin in report.countries.items() if origin == "shipped"]
        echo(t("cli_verify_countries", covered=api.countries_covered(report.countries, shipped, lang)))
        if record:
            from .sources.record import shown

            echo("")
            for a in report.recorded:
                echo(f"{a.action}: {a.country} {a.finding} ({shown(a.path)}): {a.detail}")
            written = sum(a.action in ("added", "updated", "removed") for a in report.recorded)
            echo(t("cli_verify_records_written", n=written) if written else t("cli_verify_records_none"))
        if report.problems:
            import dataclasses

            echo("")
            echo(format_problems([dataclasses.replace(p, path=_shown_path(p.path)) for p in report.problems], lang=lang), err=True)
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def suggest(
    country: str = typer.Argument(..., metavar="COUNTRY", help="ISO3 code or English name, any case."),
    document: str = typer.Argument(..., metavar="DOCUMENT", help="The document's id in the evidence."),
    criterion: Optional[str] = typer.Option(None, "--criterion", metavar="ID", help="Only this criterion (default: every criterion of the rubric)."),
    top: int = typer.Option(3, "--top", metavar="N", help="Candidates per criterion."),
    out: Optional[str] = typer.Option(None, "--out", metavar="FILE", help="Write the candidates to this review file instead of printing them."),
    lang: Optional[str] = typer.Option(None, "--lang", metavar="en|ru|kk", help="Only the source text in this language."),
    rubric: Optional[str] = RubricOption,
    data: Optional[str] = DataOption,
):
    """Suggest provisions of a source text for each criterion, as candidate findings in the evidence format. Never edits evidence."""
    from .sources import suggestions_yaml

    _check_lang(lang)
    try:
        ev, chosen, results = api.suggest_findings(country, document, criterion=criterion, top=top, rubric=rubric, data=data, lang=lang)
        text = suggestions_yaml(ev.iso3, document, results, chosen, rel=_shown_path, lang=_output_lang(data))
        if out:
            from .common.atomic import write_text_atomic
            from .common.messages import catalogue

            workspace = api.open_workspace(data)
            api.ensure_writable(out, say("e_what_review"), workspace)  # never into the installed package
            evidence_dir = os.path.realpath(workspace.evidence_dir)
            target = os.path.realpath(out)
            if target == evidence_dir or target.startswith(evidence_dir + os.sep):
                echo(catalogue(_output_lang(data))("cli_suggest_inside_evidence", out=out), err=True)
                raise typer.Exit(2)
            if os.path.isdir(out):
                echo(catalogue(_output_lang(data))("cli_suggest_folder", out=out), err=True)
                raise typer.Exit(2)
            write_text_atomic(out, text)
            echo(out)
        else:
            echo(text, nl=False)
    except AssessError as exc:
        _fail(exc)
    except OSError as exc:
        lang = _running_lang()
        echo(_catalogue(lang)("cli_error_prefix") + say("e_cannot_write", path=out, why=exc.strerror or str(exc)).in_lang(lang),
             err=True)
        raise typer.Exit(1)


def _completing() -> bool:
    """Whether typer's shell completion is at work (_ASSESS_COMPLETE set): it needs every command."""
    return any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ)


def _just_the_command(argv: list[str]) -> tuple[list, list] | None:
    """The registered command or group (as app.registered_commands,
    app.registered_groups) that `argv` (the arguments after `assess`) names,
    when the run needs no other: typer builds every command's click object,
    options and all, on each run (about 0.01 s of every command), to use one.
    None when the run may need them all: no command named (`assess --help`),
    a name that is none of them (the error lists them), `--` first, or shell
    completion at work.

    Returns: `tuple[list, list]` or None.
    Raises: nothing.

    Example:
        >>> [c.callback.__name__ for c in _just_the_command(["report", "KAZ"])[0]]
        ['report']
    """
    if _completing():
        return None  # typer's completion (_ASSESS_COMPLETE) lists every command
    name = next((arg for arg in argv if arg == "--" or not arg.startswith("-")), None)
    if name is None or name == "--":
        return None
    from typer.main import get_command_name

    commands = [c for c in app.registered_commands if (c.name or get_command_name(c.callback.__name__)) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    return (commands, groups) if len(commands) + len(groups) == 1 else None


def _outline(argv: list[str]) -> tuple[list, list] | None:
    """Stand-ins for every registered command and group when `argv` only asks
    for the group's help or version (`assess`, `assess --help`, `assess -V`):
    the listing needs each command's name and help, not its options, which
    typer would build for all of them (about 0.02 s). A stand-in command has
    the command's name, help and settings and a callback without parameters;
    a stand-in group, the group's settings and no commands. None otherwise.

    Returns: `tuple[list, list]` (as app.registered_commands,
    app.registered_groups) or None.
    Raises: nothing.

    Example:
        >>> [c.callback.__name__ for c in _outline(["--help"])[0]][:2]
        ['validate', 'score']
    """
    if _completing():
        return None
    if any(arg not in ("-h", "--help", "-V", "--version") for arg in argv):
        return None

    def stand_in(info):
        def callback() -> None:  # pragma: no cover - a listing never runs it
            raise AssertionError("a stand-in command was run")

        callback.__name__, callback.__qualname__ = info.callback.__name__, info.callback.__qualname__
        callback.__doc__, callback.__module__ = info.callback.__doc__, info.callback.__module__
        info = copy.copy(info)
        info.callback = callback
        return info

    def empty(info):
        info, group = copy.copy(info), copy.copy(info.typer_instance)
        group.registered_commands, group.registered_groups = [], []
        info.typer_instance = group
        return info

    return [stand_in(c) for c in app.registered_commands], [empty(g) for g in app.registered_groups]


# set by main() while it runs with only the command named: the click commands of all of them
_every_command = None


def main() -> None:
    """Entry point: user errors become a message and an exit code, never a
    traceback. typer's own messages (usage errors echo what was typed) go
    through echo() like everything else; Ctrl-C exits 130."""
    from io import StringIO

    # click's base of usage errors; typer vendors click or runs on it, depending on its version
    ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    Abort = typer.Abort

    code = 0
    gcpause.one_command_process()
    threads.one_blas_thread()
    global _every_command
    every = app.registered_commands, app.registered_groups
    only = _just_the_command(sys.argv[1:]) or _outline(sys.argv[1:])
    if only is not None:
        app.registered_commands, app.registered_groups = only
        _every_command = functools.cache(lambda: _built(every))
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
    finally:
        app.registered_commands, app.registered_groups = every
        _every_command = None
    sys.exit(code if isinstance(code, int) else 0)


def _built(every: tuple[list, list]) -> dict:
    """The click commands of every registered command and group (a hint that
    names another command repeats the options it shares: _repeat_options)."""
    from typer.main import get_command

    now = app.registered_commands, app.registered_groups
    app.registered_commands, app.registered_groups = every
    try:
        return dict(getattr(get_command(app), "commands", {}))
    finally:
        app.registered_commands, app.registered_groups = now
