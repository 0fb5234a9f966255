"""assess: score how far a country's parliamentary diplomacy is institutionalized.

The pipeline is load -> validate -> score -> explain/render, and each step is a
function here (see assess.api for the rules every one of them follows: which
countries "none given" means, which errors they raise). Importing this package
does not import pandas; building score frames does.

    >>> import assess
    >>> scores = assess.compute_scores(["KAZ", "RUS"], as_of="2021-06-30")
    >>> scores.overall[["country", "overall"]]

No function here is named like a module: `assess.score`, `assess.explain`,
`assess.timeline`, `assess.sensitivity`, `assess.agreement`, `assess.load`, `assess.validate` and
`assess.whatif` are the modules, and the functions are `compute_scores`,
`explain_level`, `compute_timelines`, `compute_sensitivity`,
`compute_agreement`, `load_data` and `check`; `assess.whatif` is the module
and `compute_whatif` the function. Every submodule is reachable as an
attribute (`import assess; assess.sources`), imported when first used.
"""

__all__ = [
    "__version__",
    # errors
    "AssessError", "InvalidInput", "UsageError",
    # the workspace and its data
    "Workspace", "open_workspace", "load_data", "load_workspace", "load_rubric", "load_country", "Loaded",
    "Selection", "prepare", "check", "ValidationReport", "ensure_valid", "pick_rubric", "find_countries", "parse_date",
    # scores and analyses
    "compute_scores", "score_countries", "Scores", "decide", "CriterionResult",
    "explain_level", "explain_criterion", "Explanation",
    "compute_timelines", "compute_sensitivity", "compute_agreement",
    # baselines, reports, data entry
    "write_baseline", "check_baseline", "report_context", "write_reports",
    "render_html", "write_xlsx", "load_evidence", "new_country", "entry_template", "import_plan", "apply_import",
    # source texts
    "verify", "source_texts", "show_provision", "suggest_findings",
    # scenarios (assess.scenario, assess.whatif)
    "compute_whatif", "scenario_of",
    # export
    "scores_to_dict", "scores_to_json", "scores_to_csv",
    # the model
    "Country", "CountryEvidence", "Criterion", "Document", "Finding", "Problem", "Rubric", "Tier",
]

import importlib as _importlib
import os as _os

# openpyxl writes through lxml whenever lxml is installed (it is a dependency,
# for `assess sources fetch`), and the report's fast sheet writer
# (output/render/xlsx_writer.FastRowsWriter) needs the et_xmlfile stream openpyxl uses
# otherwise: the bytes are the same, the 200-country workbook several times
# faster. openpyxl reads the setting once, when first imported; a value the
# caller set is kept.
_os.environ.setdefault("OPENPYXL_LXML", "False")
import sys as _sys  # noqa: E402
import types as _types  # noqa: E402

# Importing the package imports none of the library: every name in __all__ is
# resolved from the module below on first use (`assess.compute_scores`, `from
# assess import Scores`), so `assess --help` and a script that needs one step
# do not pay for the others.
_PUBLIC = {
    "__version__": "_version",
    **dict.fromkeys(("AssessError", "InvalidInput", "UsageError"), "common.errors"),
    **dict.fromkeys(("Explanation", "explain_criterion"), "analyses.explain"),
    **dict.fromkeys(("scores_to_csv", "scores_to_dict", "scores_to_json"), "output.export"),
    **dict.fromkeys(("Loaded", "load_country", "load_rubric", "load_workspace"), "data.load"),
    **dict.fromkeys(("Country", "CountryEvidence", "Criterion", "Document", "Finding", "Problem", "Rubric", "Tier"),
                    "data.model"),
    **dict.fromkeys(("CriterionResult", "Scores", "decide", "score_countries"), "scoring.score"),
    "ValidationReport": "checking.validate",
    **dict.fromkeys(("Workspace", "open_workspace"), "data.workspace"),
    **dict.fromkeys(("Selection", "apply_import", "check", "check_baseline", "compute_agreement", "compute_scores",
                     "compute_sensitivity", "compute_timelines", "ensure_valid", "entry_template", "explain_level",
                     "find_countries", "import_plan", "load_data", "load_evidence", "new_country", "parse_date",
                     "pick_rubric", "prepare", "render_html", "report_context", "show_provision", "source_texts",
                     "suggest_findings", "verify", "write_baseline", "write_reports", "write_xlsx", "compute_whatif",
                     "scenario_of"), "api"),
}

# The functions that had a module's name before: `assess.score(...)` called on
# the module says what to call instead, once, and still works.
_RENAMED = {
    "score": "compute_scores", "explain": "explain_level", "timeline": "compute_timelines",
    "sensitivity": "compute_sensitivity", "agreement": "compute_agreement", "load": "load_data",
    "validate": "check", "whatif": "compute_whatif",
}


class _RenamedModule(_types.ModuleType):
    """A module whose name a function of the package once had: calling it
    warns (DeprecationWarning) and calls the function's new name."""

    def __call__(self, *args, **kwargs):
        import warnings

        short = self.__name__.rpartition(".")[2]
        new = _RENAMED[short]
        warnings.warn(f"assess.{short}(...) is now assess.{new}(...); assess.{short} is the module",
                      DeprecationWarning, stacklevel=2)
        return __getattr__(new)(*args, **kwargs)


# The modules sit in one subpackage per step of the pipeline (see README,
# "Development"); the flat names they had before stay reachable, as an
# attribute (`assess.score`, `assess.template`) and as a module (`import
# assess.score`), imported on first use.
_MOVED = {
    **{m: f"common.{m}" for m in ("errors", "messages", "atomic", "progress", "gcpause", "buildtime", "files", "xlsxzip")},
    **{m: f"data.{m}" for m in ("model", "workspace", "yamlio", "yamledit", "load")},
    "validate": "checking.validate", "score": "scoring.score",
    **{m: f"analyses.{m}" for m in ("explain", "gaps", "timeline", "sensitivity", "agreement", "whatif", "scenario",
                                    "baseline")},
    **{m: f"entry.{m}" for m in ("entry", "template", "importer", "scaffold")},
    **{m: f"output.{m}" for m in ("export", "textout", "jsonout", "drift_report", "render")},
}


def _alias(old: str) -> _types.ModuleType:
    """The module an old flat name (`score`) stands for, under that name too."""
    module = _importlib.import_module(f"{__name__}.{_MOVED[old]}")
    if old in _RENAMED and type(module) is _types.ModuleType:
        module.__class__ = _RenamedModule
    if old != "entry":  # assess.entry is the data-entry subpackage now
        _sys.modules.setdefault(f"{__name__}.{old}", module)
        globals()[old] = module
    return module


class _AliasFinder:
    """`import assess.score`: the module an old flat name stands for (see _alias)."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, old = fullname.rpartition(".")
        if package != __name__ or old not in _MOVED or old == "entry":
            return None
        from importlib.machinery import ModuleSpec

        return ModuleSpec(fullname, self)

    def create_module(self, spec):
        module = _alias(spec.name.rpartition(".")[2])
        self._own[id(module)] = module.__spec__
        return module

    def exec_module(self, module):
        # the import machinery gave the module the alias's spec: it keeps its own
        module.__spec__ = self._own.pop(id(module), module.__spec__)


_finder = _AliasFinder()
_finder._own = {}
_sys.meta_path.append(_finder)


def __getattr__(name: str):
    """Every name in __all__ from its module, and `assess.sources`,
    `assess.render`...: any submodule, imported on first use."""
    where = _PUBLIC.get(name)
    if where is not None:
        value = getattr(_importlib.import_module(f"{__name__}.{where}"), name)
        globals()[name] = value
        return value
    if name.startswith("_"):
        raise AttributeError(name)
    if name in _MOVED and name != "entry":
        return _alias(name)
    import importlib.util

    try:
        spec = importlib.util.find_spec(f"{__name__}.{name}")
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise AttributeError(f"module 'assess' has no attribute '{name}'")
    return _importlib.import_module(f"{__name__}.{name}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | {k for k in _MOVED if k != "entry"})
