"""assess: score how far a country's parliamentary diplomacy is institutionalized.

The pipeline is load -> validate -> score -> explain/render, and each step is a
function here. Importing this package does not import pandas; building score
frames does.
"""

from .errors import AssessError, InvalidInput, UsageError
from .explain import Explanation, explain_criterion
from .export import scores_to_csv, scores_to_dict, scores_to_json
from .load import Loaded, load_country, load_rubric, load_workspace
from .model import (
    Country,
    CountryEvidence,
    Criterion,
    Document,
    Finding,
    Problem,
    Rubric,
    Tier,
)
from .score import CriterionResult, Scores, decide, score_countries
from .validate import ValidationReport, validate
from .workspace import Workspace, open_workspace

# Submodules that share a name with an api function are imported first: a
# submodule binds itself on the package when first imported, and would
# otherwise replace the function the first time the function runs.
from . import agreement as _agreement_module, sensitivity as _sensitivity_module, timeline as _timeline_module  # noqa: E402,F401
from . import whatif as _whatif_module  # noqa: E402,F401  (scenarios, issue 21)

# Last, so that the functions load, validate, score and explain win over the
# submodules of the same names, which importing them binds on the package.
from .api import (  # noqa: E402
    agreement,
    apply_import,
    entry_template,
    import_plan,
    load_evidence,
    new_country,
    render_html,
    write_xlsx,
    check,
    check_baseline,
    ensure_valid,
    explain,
    find_countries,
    load,
    parse_date,
    pick_rubric,
    report_context,
    score,
    sensitivity,
    timeline,
    verify,
    write_baseline,
    write_reports,
)
from .api import scenario_of, whatif  # noqa: E402  (scenarios: assess.scenario, assess.whatif)
from .validate import validate  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "AssessError", "InvalidInput", "UsageError",
    "Workspace", "open_workspace", "load", "load_workspace", "load_rubric", "load_country", "Loaded",
    "check", "validate", "ValidationReport", "ensure_valid", "pick_rubric", "find_countries", "parse_date",
    "score", "score_countries", "Scores", "decide", "CriterionResult",
    "explain", "explain_criterion", "Explanation",
    "timeline", "sensitivity", "agreement", "write_baseline", "check_baseline", "report_context", "write_reports",
    "render_html", "write_xlsx", "load_evidence", "new_country", "entry_template", "import_plan", "apply_import",
    "verify", "whatif", "scenario_of",
    "scores_to_dict", "scores_to_json", "scores_to_csv",
    "Country", "CountryEvidence", "Criterion", "Document", "Finding", "Problem", "Rubric", "Tier",
    "__version__",
]
