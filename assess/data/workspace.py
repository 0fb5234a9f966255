"""Where the data comes from, and where the tool may write.

A workspace is a folder with `criteria/` (rubrics) and `evidence/` (one folder
per country), and later `baselines/`. It is chosen, first match wins, by:

1. the `--data DIR` option (passed in as `data`);
2. the ASSESS_DATA environment variable;
3. the nearest folder, from the current one up, that holds an `assess.toml`,
   a `criteria/` folder or an `evidence/` folder (found the way git finds its
   repository);
4. none found: the data shipped with the package, read-only.

An `assess.toml` at the top of a workspace holds its settings (every key
optional):

    [workspace]
    data = "."                 # the workspace folder, relative to this file
    criteria = "criteria"
    evidence = "evidence"
    baselines = "baselines"
    shipped_countries = true   # false, or a list such as ["KAZ"]

    [defaults]                 # what the commands take when the option is not given
    as_of = "2021-06-30"       # --as-of
    lang = "ru"                # --lang
    rubric = "four-tier"       # --rubric

Any other key or table is an error that names the nearest known one.

A workspace without `criteria/` scores with the shipped rubrics.

The countries shipped with the tool (Kazakhstan and Russia) are available,
read-only, in every workspace (`add_shipped_countries`), except a country the
workspace has its own folder for, all of them when `shipped_countries = false`,
and a shipped country coded on criteria or document types the workspace's
rubrics do not have (it could not be scored there; `assess countries` says so).

Nothing is ever written inside the installed package or into the shipped data
of another workspace: every command that writes asks `ensure_writable` first.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..common.errors import UsageError
from ..common.messages import say
from ..common.paths import package_dir, shipped_root

CONFIG_FILE = "assess.toml"
ENV_VAR = "ASSESS_DATA"
MARKERS = ("criteria", "evidence")  # a folder holding either is a workspace
SETTINGS = ("data", "criteria", "evidence", "baselines", "shipped_countries")
DEFAULTS = ("as_of", "lang", "rubric")  # [defaults]: the options a workspace may preset
TABLES = ("workspace", "defaults")

# how a workspace was chosen (Workspace.origin)
FROM_OPTION = "{data}"  # the `data` argument; the command line words it as its option (errors.UsageError.params)
FROM_ENV = ENV_VAR
FROM_CONFIG = CONFIG_FILE
FROM_FOUND = "the current folder"
FROM_SHIPPED = "shipped"


class NoWorkspace(UsageError):
    """A command that writes found no workspace of the user's to write to:
    none was found, or the target is inside the data shipped with the tool.
    The command line adds how to name a workspace."""


@dataclass(frozen=True)
class Workspace:
    root: str
    criteria_dir: str
    evidence_dir: str
    baselines_dir: str
    origin: str  # how it was chosen: --data, ASSESS_DATA, assess.toml, the current folder, shipped
    config: dict
    # the shipped countries: True (all), False (none) or the codes to take
    shipped_countries: bool | tuple[str, ...] = True
    config_file: str | None = None  # the assess.toml whose settings apply

    @property
    def document_types_file(self) -> str:
        from .load import DOCUMENT_TYPES_FILE

        own = os.path.join(self.criteria_dir, DOCUMENT_TYPES_FILE)
        return own if os.path.exists(own) else os.path.join(shipped_root()[0], DOCUMENT_TYPES_FILE)

    @property
    def registers_file(self) -> str:
        """The official registers of texts (criteria/registers.yaml): the
        workspace's own, else the shipped one."""
        from .load import REGISTERS_FILE

        own = os.path.join(self.criteria_dir, REGISTERS_FILE)
        return own if os.path.exists(own) else os.path.join(shipped_root()[0], REGISTERS_FILE)

    @property
    def read_only(self) -> bool:
        """No workspace of the user's: the shipped data (none was found), or a
        folder inside the installed package."""
        return self.origin == FROM_SHIPPED or _inside(self.root, package_dir())

    @property
    def defaults(self) -> dict[str, str]:
        """The [defaults] of its assess.toml (as_of, lang, rubric), checked when it was read."""
        return dict(self.config.get("defaults", {}) or {})

    def describe(self, data_option: str = "data") -> str:
        """Where the workspace is and how it was chosen; `data_option` names
        the `data` argument (the command line passes its option, --data)."""
        if self.origin == FROM_SHIPPED:
            return f"no workspace here; the data shipped with assess, read-only ({self.root})"
        if self.origin == FROM_FOUND:
            how = "found from the current folder"
        elif self.origin == FROM_CONFIG and self.config_file:
            how = f"from {self.config_file}"
        else:
            how = f"from {data_option if self.origin == FROM_OPTION else self.origin}"
        return f"{self.root} ({how}{'; inside the installed package, read-only' if self.read_only else ''})"


# ---------------------------------------------------------------- the shipped data


# package_dir() and shipped_root() live in assess/common/paths.py (the catalogue
# needs them too); imported at the top of this module.


def shipped_workspace() -> Workspace:
    """The workspace of the data shipped with assess (its criteria/ and evidence/
    folders, origin "shipped"; `read_only` is true).

    Returns: `Workspace`.
    Raises: nothing.

    Example:
        >>> shipped_workspace().origin
        'shipped'
    """
    criteria, evidence, _ = shipped_root()
    root = str(Path(criteria).parent)
    return Workspace(root, criteria, evidence, os.path.join(root, "baselines"), FROM_SHIPPED, {})


def _inside(path: str, folder: str) -> bool:
    real, top = os.path.realpath(path), os.path.realpath(folder)
    try:
        return os.path.commonpath([real, top]) == top
    except ValueError:  # different drives (Windows)
        return False


def ensure_writable(path: str, what: str, workspace: Workspace | None = None) -> str:
    """Refuses a write at `path` inside the installed package, or inside the
    shipped data when that is not the workspace's own folder (a source checkout
    working on itself may write its own data). `what` names what would be
    written, for the message.

    Returns: `str`, the path unchanged.
    Raises: `NoWorkspace` when `path` lies in one of those read-only folders.

    Example:
        >>> ensure_writable("/tmp/report.html", "the report")
        '/tmp/report.html'
    """
    guarded = [package_dir()]
    own = workspace is not None and not workspace.read_only
    shipped = shipped_root()
    for folder in (*shipped, os.path.join(os.path.dirname(shipped[1]), "scenarios")):  # scenarios: assess.scenario
        if not (own and _inside(folder, workspace.root)):
            guarded.append(folder)
    for folder in guarded:
        if _inside(path, folder):
            raise NoWorkspace(say("e_inside_shipped", path=path, folder=folder, what=what))
    return path


def require_workspace(workspace: Workspace, what: str, purpose: str) -> Workspace:
    """The workspace, if it is one of the user's. `what` names what would be
    written ('a baseline'), `purpose` what for ('to record a baseline in').

    Returns: `Workspace`, the one given.
    Raises: `NoWorkspace` when it is the shipped data (no workspace was found)
    or its folder is read-only (see `ensure_writable`).

    Example:
        >>> ws = require_workspace(open_workspace("my-workspace"), "a baseline", "to record a baseline in")
    """
    if workspace.origin == FROM_SHIPPED:
        raise NoWorkspace(say("e_no_workspace_for", purpose=purpose, config=CONFIG_FILE))
    ensure_writable(workspace.root, what, workspace)
    return workspace


# ---------------------------------------------------------------- choosing the workspace


def find_config(start: str) -> str | None:
    """The nearest assess.toml from `start` up (kept for callers that only want
    the settings file).

    Returns: `str` (the file's path) or None when no folder from `start` up
    holds one.
    Raises: nothing.

    Example:
        >>> find_config("my-workspace/evidence")
        '/home/me/my-workspace/assess.toml'
    """
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return str(candidate)
    return None


def find_workspace(start: str) -> tuple[str, str | None] | None:
    """The nearest folder from `start` up that is a workspace, as (folder, its
    assess.toml or None): the first that holds an assess.toml, criteria/ or
    evidence/, as git finds the nearest repository.

    Returns: `tuple[str, str | None]`, or None when no folder qualifies.
    Raises: nothing.

    Example:
        >>> find_workspace("my-workspace/evidence/KAZ")
        ('/home/me/my-workspace', '/home/me/my-workspace/assess.toml')
    """
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        config = folder / CONFIG_FILE
        if config.is_file():
            return str(folder), str(config)
        if any((folder / marker).is_dir() for marker in MARKERS):
            return str(folder), None
    return None


def open_workspace(data: str | None = None, cwd: str | None = None, environ: dict | None = None) -> Workspace:
    """The workspace: `data`, else ASSESS_DATA, else the nearest folder from
    `cwd` up with an assess.toml, criteria/ or evidence/, else the shipped
    data (read-only). Nothing is read but its assess.toml.

    Returns: `Workspace`.
    Raises: `UsageError` for an assess.toml that cannot be read or holds an
    unknown setting (with the nearest known one).

    Example:
        >>> open_workspace("my-workspace").evidence_dir
        '/home/me/my-workspace/evidence'
    """
    environ = os.environ if environ is None else environ
    if data:
        return _named(data, FROM_OPTION)
    if environ.get(ENV_VAR):
        return _named(environ[ENV_VAR], FROM_ENV)
    found = find_workspace(cwd or os.getcwd())
    if found is None:
        return shipped_workspace()
    folder, config_path = found
    if config_path:
        return _configured(config_path, FROM_CONFIG)
    return _from_folder(folder, FROM_FOUND, {})


def _named(folder: str, origin: str) -> Workspace:
    """A workspace folder named by --data or ASSESS_DATA: its own assess.toml, if any, holds its settings."""
    config = Path(folder).expanduser() / CONFIG_FILE
    if config.is_file():
        return _configured(str(config), origin)
    return _from_folder(folder, origin, {})


def _configured(config_path: str, origin: str) -> Workspace:
    try:
        with open(config_path, "rb") as fh:
            config = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(say("e_config_unreadable", path=config_path, why=str(exc))) from None
    from .load import suggest

    for key in config:
        if key not in TABLES:
            hint = suggest(key, TABLES + SETTINGS + DEFAULTS)
            for table, names in (("workspace", SETTINGS), ("defaults", DEFAULTS)):
                if hint and any(f"'{n}'?" in hint for n in names):
                    hint = say("e_did_you_mean_under", word=hint.values["word"], table=table)
            raise UsageError(say("e_config_unknown_table" if isinstance(config[key], dict) else "e_config_unknown_key",
                                 path=config_path, setting=key, hint=hint))
    config["defaults"] = _defaults(config.get("defaults", {}), config_path)
    section = config.get("workspace", {})
    if not isinstance(section, dict):
        raise UsageError(say("e_config_not_table", path=config_path, table="[workspace]"))
    for key, value in section.items():
        if key not in SETTINGS:
            from .load import suggest

            raise UsageError(say("e_config_unknown_setting", path=config_path, setting=key, table="[workspace]",
                                 hint=suggest(key, SETTINGS), expected=", ".join(SETTINGS)))
        if key != "shipped_countries" and not isinstance(value, str):
            raise UsageError(say("e_config_folder_name", path=config_path, setting=key, value=repr(value)))
    base = Path(config_path).parent
    root = base / str(section.get("data", "."))
    return _from_folder(str(root), origin, config, section, config_path)


def _defaults(section, config_path: str) -> dict[str, str]:
    """The [defaults] table, checked: known keys, a real date, a known language."""
    import datetime as dt

    from .load import suggest
    from .model import LANGUAGES

    if not isinstance(section, dict):
        raise UsageError(say("e_config_not_table", path=config_path, table="[defaults]"))
    out = {}
    for key, value in section.items():
        if key not in DEFAULTS:
            raise UsageError(say("e_config_unknown_setting", path=config_path, setting=key, table="[defaults]",
                                 hint=suggest(key, DEFAULTS), expected=", ".join(DEFAULTS)))
        if key == "as_of":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = value.isoformat()
            try:
                dt.date.fromisoformat(str(value))
            except ValueError:
                raise UsageError(say("e_config_as_of", path=config_path, value=repr(value))) from None
        elif key == "lang" and value not in LANGUAGES:
            raise UsageError(say("e_config_lang", path=config_path, langs=", ".join(LANGUAGES), value=repr(value),
                                 hint=suggest(str(value), LANGUAGES)))
        elif not isinstance(value, str):
            raise UsageError(say("e_config_text", path=config_path, setting=key, value=repr(value)))
        out[key] = str(value)
    return out


def _shipped_setting(value, config_path: str | None) -> bool | tuple[str, ...]:
    from .load import ISO3_PATTERN

    if value is None:
        return True
    if isinstance(value, bool):
        return value
    if isinstance(value, list) and all(isinstance(v, str) and ISO3_PATTERN.match(v) for v in value):
        return tuple(sorted(set(value)))
    raise UsageError(say("e_config_shipped", path=config_path, value=repr(value)))


def new_workspace(folder: str) -> Workspace:
    """The workspace a folder will be once `assess import --into` writes its
    evidence there: nothing is made on disk until the files are written (a dry
    run writes nothing); its criteria are the shipped ones. A folder that is
    already a workspace opens as such (with its assess.toml, if any).

    Returns: `Workspace`.
    Raises: `UsageError` when the folder is already a workspace whose
    assess.toml cannot be read or holds an unknown setting.

    Example:
        >>> new_workspace("new-folder").evidence_dir
        '/home/me/new-folder/evidence'
    """
    root = Path(folder).expanduser()
    if any((root / m).is_dir() for m in MARKERS) or (root / CONFIG_FILE).is_file():
        return _named(folder, FROM_OPTION)
    root = root.resolve()
    return Workspace(str(root), shipped_root()[0], str(root / "evidence"), str(root / "baselines"), FROM_OPTION, {},
                     _shipped_setting(None, None), None)


def _from_folder(folder: str, origin: str, config: dict, section: dict | None = None,
                 config_path: str | None = None) -> Workspace:
    root = Path(folder).expanduser()
    shown = _escaped(config_path) if config_path else origin
    params = ("data",) if shown == FROM_OPTION else ()
    if not root.is_dir():
        if root.exists():
            raise UsageError(say("e_data_is_file", folder=_escaped(folder), origin=_origin(shown)), params)
        raise UsageError(say("e_data_missing", folder=_escaped(folder), origin=_origin(shown)), params)
    root = root.resolve()
    section = section or {}
    criteria = root / str(section.get("criteria", "criteria"))
    evidence = root / str(section.get("evidence", "evidence"))
    baselines = root / str(section.get("baselines", "baselines"))
    if not criteria.is_dir():
        criteria = Path(shipped_root()[0])
    if not evidence.is_dir() and not (root / "criteria").is_dir():
        raise UsageError(say("e_data_not_workspace", folder=_escaped(str(root)), origin=_origin(shown)), params)
    return Workspace(str(root), str(criteria), str(evidence), str(baselines), origin, config,
                     _shipped_setting(section.get("shipped_countries"), config_path), config_path)


# ---------------------------------------------------------------- the shipped countries beside the workspace's


@dataclass
class Shipped:
    """The shipped countries as a workspace sees them (Loaded.shipped)."""

    folder: str  # the shipped evidence folder
    setting: bool | tuple[str, ...] = True
    used: list[str] = field(default_factory=list)  # read from the shipped data, read-only
    own: list[str] = field(default_factory=list)  # the workspace's own folder replaces the shipped one
    left_out: dict[str, str] = field(default_factory=dict)  # code -> why it cannot be used here
    off: list[str] = field(default_factory=list)  # turned off by the workspace's settings
    is_workspace: bool = False  # the workspace's evidence folder is the shipped one

    def origin(self, code: str) -> str:
        return "shipped" if code in self.used else "workspace"


def add_shipped_countries(loaded, wanted=None) -> None:
    """Adds the shipped countries to a loaded workspace, read-only, and records
    in `loaded.shipped` (a `Shipped`) which were taken, which the workspace
    replaces with its own folder, which its settings turn off, and which were
    left out and why (coded on criteria, tiers or document types the
    workspace lacks). `wanted` (a code -> bool filter, as for load_workspace)
    limits what is read. Problems found in the shipped files are added to
    `loaded.problems`.

    Returns: None (`loaded` is changed in place).
    Raises: nothing.

    Example:
        >>> add_shipped_countries(loaded)
        >>> loaded.shipped.used
        ['KAZ', 'RUS']
    """
    from .load import country_folders, load_country

    ws = loaded.workspace
    folder = shipped_root()[1]
    shipped = Shipped(folder, ws.shipped_countries)
    loaded.shipped = shipped
    if os.path.isdir(ws.evidence_dir) and os.path.realpath(ws.evidence_dir) == os.path.realpath(folder):
        shipped.is_workspace = True
        if ws.read_only:  # no workspace: everything there is shipped
            shipped.used = sorted(loaded.countries)
        return
    criteria = {c.id for r in loaded.rubrics.values() for c in r.criteria}
    tiers = {t.id for r in loaded.rubrics.values() for t in r.tiers}
    for code, path in country_folders(folder, []):
        if os.path.isdir(os.path.join(ws.evidence_dir, code)):
            shipped.own.append(code)
            continue
        if ws.shipped_countries is False or (isinstance(ws.shipped_countries, tuple) and code not in ws.shipped_countries):
            shipped.off.append(code)
            continue
        if wanted is not None and not wanted(code):
            continue
        problems: list = []
        evidence = load_country(path, problems)
        why = _misfit(evidence, criteria, tiers, loaded.document_types)
        if why:
            shipped.left_out[code] = why
            continue
        loaded.countries[code] = evidence
        loaded.problems.extend(problems)
        shipped.used.append(code)
    if shipped.used:
        loaded.countries = dict(sorted(loaded.countries.items()))


def _misfit(evidence, criteria: set[str], tiers: set[str], document_types: dict) -> str | None:
    """Why a shipped country cannot be scored with the workspace's rubrics, or None."""
    def listed(ids: set[str]) -> str:
        ids = sorted(ids)
        return say("e_and_more", ids=", ".join(ids[:4]), n=len(ids) - 4) if len(ids) > 4 else ", ".join(ids)

    missing = {f.criterion for f in evidence.findings if f.criterion and f.criterion not in criteria}
    if missing:
        return say("e_misfit_criteria", ids=listed(missing))
    types = {d.type for d in evidence.documents.values() if d.type and d.type not in document_types}
    if types:
        return say("e_misfit_types", ids=listed(types))
    traced = {t.tier for t in evidence.country.traced if t.tier and t.tier not in tiers}
    if traced:
        return say("e_misfit_tiers", ids=listed(traced))
    return None


def shipped_of(loaded) -> Shipped:
    """`loaded.shipped`, or what it would say for a Loaded made without
    add_shipped_countries (nothing used).

    Returns: `Shipped`.
    Raises: nothing.

    Example:
        >>> shipped_of(loaded).folder
        '/usr/lib/python3/site-packages/assess/evidence'
    """
    return getattr(loaded, "shipped", None) or Shipped(shipped_root()[1], loaded.workspace.shipped_countries)


def evidence_dir_of(loaded, code: str) -> str:
    """The evidence folder that holds country `code`: the shipped one for a
    shipped country, else the workspace's.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> evidence_dir_of(loaded, "UZB")
        '/home/me/my-workspace/evidence'
    """
    shipped = shipped_of(loaded)
    return shipped.folder if code in shipped.used else loaded.workspace.evidence_dir


def covers(loaded, codes) -> str:
    """Which countries a command covers, and where they come from, in one line
    (see `describe_codes`).

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> covers(loaded, ["UZB", "KAZ", "RUS"])
        'UZB (this workspace); KAZ, RUS (shipped with assess, read-only)'
    """
    return describe_codes(codes, shipped_of(loaded).used)


def describe_codes(codes, shipped_codes, lang: str = "en") -> str:
    """`codes` (sorted, once each) in one line: those not in `shipped_codes`
    as the workspace's, then those in it as shipped; "none" for no codes.

    Texts are written in `lang` (en, ru, kk; the catalogue's words).

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> describe_codes(["UZB", "RUS", "KAZ"], ["KAZ", "RUS"])
        'UZB (this workspace); KAZ, RUS (shipped with assess, read-only)'
    """
    from ..common.messages import catalogue

    t = catalogue(lang)
    codes = sorted(set(codes))
    theirs = [c for c in codes if c in shipped_codes]
    mine = [c for c in codes if c not in shipped_codes]
    parts = []
    if mine:
        parts.append(t("cli_codes_mine", codes=", ".join(mine)))
    if theirs:
        parts.append(t("cli_codes_shipped", codes=", ".join(theirs)))
    return "; ".join(parts) or t("cli_codes_none")


def shipped_codes() -> list[str]:
    """The codes of the countries shipped with the tool (the folders of the
    shipped evidence/), sorted.

    Returns: `list[str]`.
    Raises: nothing.

    Example:
        >>> shipped_codes()
        ['KAZ', 'RUS']
    """
    from .load import country_folders

    return [code for code, _ in country_folders(shipped_root()[1], [])]


def read_folders(loaded) -> list[str]:
    """The folders a loaded workspace reads: its root, criteria/, evidence/, the
    folder of its document types, and the shipped country folders it uses;
    each once, in that order.

    Returns: `list[str]`.
    Raises: nothing.

    Example:
        >>> read_folders(loaded)[0] == loaded.workspace.root
        True
    """
    ws = loaded.workspace
    folders = [ws.root, ws.criteria_dir, ws.evidence_dir, os.path.dirname(ws.document_types_file)]
    shipped = shipped_of(loaded)
    folders += [os.path.join(shipped.folder, code) for code in shipped.used]
    return list(dict.fromkeys(folders))


def outside(loaded, path: str) -> bool:
    """Whether `path` lies outside every folder the loaded workspace reads (see
    `read_folders`), symbolic links resolved.

    Returns: `bool`.
    Raises: nothing.

    Example:
        >>> outside(loaded, "/tmp/report.html")
        True
    """
    return not any(_inside(path, folder) for folder in read_folders(loaded))


def looks_like_workspace(folder: str) -> bool:
    """Whether `folder` holds an assess.toml file, or a criteria/ or evidence/
    folder.

    Returns: `bool`.
    Raises: nothing.

    Example:
        >>> looks_like_workspace("/tmp")
        False
    """
    return os.path.isfile(os.path.join(folder, CONFIG_FILE)) or any(os.path.isdir(os.path.join(folder, m)) for m in MARKERS)


def _origin(shown: str) -> str:
    """Where a data folder was named: an option or a settings file as they are,
    the current folder as a message."""
    return say("e_from_current_folder") if shown == FROM_FOUND else shown


def _escaped(text: str) -> str:
    """A path inside a UsageError that names arguments: its braces are its own, not a parameter's."""
    return str(text).replace("{data}", "{ data}")
