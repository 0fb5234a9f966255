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
import importlib.util  # noqa: F401  (find_spec in __getattr__)
import sys as _sys
import types as _types

from ._version import __version__
from .common.errors import AssessError, InvalidInput, UsageError
from .analyses.explain import Explanation, explain_criterion
from .output.export import scores_to_csv, scores_to_dict, scores_to_json
from .data.load import Loaded, load_country, load_rubric, load_workspace
from .data.model import (
    Country,
    CountryEvidence,
    Criterion,
    Document,
    Finding,
    Problem,
    Rubric,
    Tier,
)
from .scoring.score import CriterionResult, Scores, decide, score_countries
from .checking.validate import ValidationReport
from .data.workspace import Workspace, open_workspace
from .api import (
    Selection,
    apply_import,
    check,
    check_baseline,
    compute_agreement,
    compute_scores,
    compute_sensitivity,
    compute_timelines,
    ensure_valid,
    entry_template,
    explain_level,
    find_countries,
    import_plan,
    load_data,
    load_evidence,
    new_country,
    parse_date,
    pick_rubric,
    prepare,
    render_html,
    report_context,
    show_provision,
    source_texts,
    suggest_findings,
    verify,
    write_baseline,
    write_reports,
    write_xlsx,
    compute_whatif,
    scenario_of,
)

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
        if short == "validate":  # assess.validate(loaded) was the validator itself
            return check(*args, **kwargs)
        return globals()[new](*args, **kwargs)


# The modules sit in one subpackage per step of the pipeline (see README,
# "Development"); the flat names they had before stay reachable: `assess.score`
# and `import assess.score` for those imported here, every other one as an
# attribute (`assess.template`), imported on first use.
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
    if old != "entry":  # assess.entry is the data-entry subpackage now
        _sys.modules.setdefault(f"{__name__}.{old}", module)
        globals()[old] = module
    return module


def _mark_renamed(name: str) -> None:
    module = _alias(name)
    if type(module) is _types.ModuleType:
        module.__class__ = _RenamedModule


for _name in _RENAMED:
    _mark_renamed(_name)
for _name in _MOVED:
    if f"{__name__}.{_MOVED[_name]}" in _sys.modules:  # already imported: costs nothing
        _alias(_name)


def __getattr__(name: str):
    """`assess.sources`, `assess.render`...: any submodule, imported on first use."""
    if name.startswith("_"):
        raise AttributeError(name)
    if name in _MOVED and name != "entry":
        return _alias(name)
    try:
        spec = _importlib.util.find_spec(f"{__name__}.{name}")
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise AttributeError(f"module 'assess' has no attribute '{name}'")
    return _importlib.import_module(f"{__name__}.{name}")
