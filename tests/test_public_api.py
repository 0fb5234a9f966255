"""The library's front door (issue #18 §2): `__all__` sits at the top and every
name in it is documented; every function there says what it returns, what it
raises and shows an example; no function is named like a module; every
submodule is an attribute; the one rule for "no countries given"; errors name
Python arguments, and the command line turns them into flags."""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import pkgutil
import warnings

import pytest

import assess
import assess.api as api
from assess.common.errors import UsageError

from conftest import MINI


def _public(module):
    return [(name, getattr(module, name)) for name in module.__all__ if name != "__version__"]


@pytest.mark.parametrize("module", [assess, api], ids=["assess", "assess.api"])
def test_all_lists_what_is_there_and_each_name_is_documented(module):
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []
    undocumented = [name for name, obj in _public(module) if not (inspect.getdoc(obj) or "").strip()]
    assert undocumented == []


@pytest.mark.parametrize("module", [assess, api], ids=["assess", "assess.api"])
def test_every_public_function_gives_return_type_errors_and_an_example(module):
    lacking = {}
    for name, obj in _public(module):
        if not inspect.isfunction(obj):
            continue
        doc = inspect.getdoc(obj) or ""
        wanted = {"Returns:": "Returns:" in doc, "Raises:": "Raises:" in doc, "example": ">>>" in doc}
        if not all(wanted.values()):
            lacking[name] = [k for k, ok in wanted.items() if not ok]
    assert lacking == {}


@pytest.mark.parametrize("module", [assess, api], ids=["assess", "assess.api"])
def test_examples_are_python(module):
    """Every example in a docstring parses (they call a workspace, so they are
    not run here; the README's library section is run by tests/test_readme.py)."""
    parser = doctest.DocTestParser()
    for name, obj in _public(module):
        for example in parser.get_examples(inspect.getdoc(obj) or ""):
            ast.parse(example.source)  # a SyntaxError names the example


def test_all_sits_at_the_top_of_the_package_and_of_the_api():
    for module in (assess, api):
        tree = ast.parse(inspect.getsource(module))
        first_def = next(i for i, node in enumerate(tree.body) if isinstance(node, (ast.FunctionDef, ast.ClassDef)))
        assigned = next(i for i, node in enumerate(tree.body)
                        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets))
        assert assigned < first_def


def test_no_public_name_is_named_like_a_module():
    modules = {m.name for m in pkgutil.iter_modules(assess.__path__)}
    clash = [name for name in assess.__all__ if name in modules]
    assert clash == []
    for name in ("score", "explain", "timeline", "sensitivity", "agreement", "load", "validate"):
        assert inspect.ismodule(getattr(assess, name)), name
        assert inspect.ismodule(importlib.import_module(f"assess.{name}"))


def test_every_submodule_is_an_attribute_after_import_assess():
    for info in pkgutil.iter_modules(assess.__path__):
        if info.name == "__main__":  # importing it runs the command
            continue
        assert inspect.ismodule(getattr(assess, info.name)), info.name
    assert assess.sources.verify_summary is not None
    with pytest.raises(AttributeError):
        assess.no_such_thing


def test_an_old_name_called_says_the_new_one_and_still_works():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = assess.score(["NLD"], as_of="2012-06-30", data=str(MINI))
    assert "assess.compute_scores" in str(caught[0].message) and caught[0].category is DeprecationWarning
    new = assess.compute_scores(["NLD"], as_of="2012-06-30", data=str(MINI))
    assert old.overall.equals(new.overall)


def test_no_countries_means_every_country_in_every_function():
    # the mini workspace holds FRA and NLD; None, [] and every code named give the same
    codes = lambda scores: list(scores.overall["country"])  # noqa: E731
    assert codes(assess.compute_scores(None, as_of="2012-06-30", data=str(MINI))) == ["FRA", "NLD"]
    assert codes(assess.compute_scores([], as_of="2012-06-30", data=str(MINI))) == ["FRA", "NLD"]
    assert [ev.iso3 for ev in assess.prepare([], data=str(MINI)).evidence] == ["FRA", "NLD"]
    assert sorted(assess.verify([], data=str(MINI)).countries) == ["FRA", "NLD"]
    _, timelines = assess.compute_timelines([], start=2010, end="2012-06-30", data=str(MINI))
    assert [t.evidence.iso3 for t in timelines] == ["FRA", "NLD"]
    # a single name is a list of one, not of its letters
    assert codes(assess.compute_scores("nld", as_of="2012-06-30", data=str(MINI))) == ["NLD"]


def test_library_errors_name_arguments_not_flags():
    with pytest.raises(UsageError) as info:
        assess.compute_sensitivity(["NLD"], draws=0, data=str(MINI))
    assert str(info.value) == "draws must be between 1 and 1,000,000"
    assert info.value.worded({"draws": "--draws"}) == "--draws must be between 1 and 1,000,000"
    with pytest.raises(UsageError) as info:
        assess.suggest_findings("NLD", "nld-const", top=0, data=str(MINI))
    assert "--" not in str(info.value) and str(info.value).startswith("top must be 1 or more")
    with pytest.raises(UsageError) as info:
        assess.compute_scores(["NLD"], data=str(MINI / "criteria" / "mini.yaml"))
    assert "(from data) is a file" in str(info.value) and "--" not in str(info.value)


def test_unknown_country_code_suggests_the_nearest():
    with pytest.raises(UsageError) as info:
        assess.compute_scores(["NDL"], data=str(MINI))
    assert "did you mean 'NLD'?" in str(info.value)
    assert "countries with evidence: FRA, NLD" in str(info.value)


# the examples that read the shipped data and write nothing run here, from a folder with no workspace
RUNNABLE = ["parse_date", "load_data", "pick_rubric", "find_countries", "check", "ensure_valid", "Selection", "prepare",
            "compute_scores", "explain_level", "compute_timelines", "compute_agreement", "verify", "load_evidence",
            "score_countries", "decide", "explain_criterion", "scores_to_dict", "scores_to_json", "scores_to_csv",
            "render_html", "report_context"]


def test_the_read_only_examples_run(tmp_path, monkeypatch):
    import datetime as dt

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASSESS_DATA", raising=False)
    parser = doctest.DocTestParser()
    for name in RUNNABLE:
        obj = getattr(assess, name)
        namespace = {"assess": assess, "dt": dt, **{n: getattr(assess, n) for n in assess.__all__}}
        for example in parser.get_examples(inspect.getdoc(obj) or ""):
            exec(compile(example.source, f"<{name} example>", "exec"), namespace)


# Issue #18 §2 beyond `assess.__all__`: every public module-level function of
# every module of the package (its name without a leading "_", defined in the
# module itself) says what it returns, what it raises and shows an example.


def _package_modules():
    """Every module of the package but the command line (assess.cli: its
    command functions' docstrings are the help text) and assess.__main__
    (importing it runs the command)."""
    names = ["assess"]
    for info in pkgutil.walk_packages(assess.__path__, "assess."):
        if info.name in ("assess.__main__", "assess.cli"):
            continue
        names.append(info.name)
    return names


def _public_functions(module):
    return [(name, obj) for name, obj in vars(module).items()
            if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == module.__name__]


def test_the_walk_finds_the_modules_and_their_functions():
    """The walk below is not vacuous: it reaches the subpackages' modules and
    hundreds of functions (290 when this was written)."""
    modules = _package_modules()
    for name in ("assess.api", "assess.scoring.score", "assess.data.load", "assess.output.render.context",
                 "assess.sources.fetch", "assess.common.atomic", "assess.entry.importer"):
        assert name in modules
    assert "assess.cli" not in modules and "assess.__main__" not in modules
    total = sum(len(_public_functions(importlib.import_module(name))) for name in modules)
    assert total > 250


@pytest.mark.parametrize("name", _package_modules())
def test_every_public_function_of_the_module_has_returns_raises_and_an_example(name):
    module = importlib.import_module(name)
    lacking = {}
    parser = doctest.DocTestParser()
    for fname, obj in _public_functions(module):
        doc = inspect.getdoc(obj) or ""
        missing = [word for word in ("Returns", "Raises", "Example") if word not in doc]
        if ">>>" not in doc:
            missing.append(">>>")
        if missing:
            lacking[fname] = missing
        for example in parser.get_examples(doc):
            ast.parse(example.source)  # a SyntaxError names the example
    assert lacking == {}


# the examples that need no data: run, their printed results compared (doctest)
SELF_CONTAINED_EXAMPLES = [
    ("assess.scoring.score", ["combine_coders", "ratio"]),
    ("assess.analyses.timeline", ["step_dates"]),
    ("assess.data.load", ["id_problem", "printable", "suggest"]),
    ("assess.data.yamlio", ["editor_lines", "yaml_lines", "parse"]),
    ("assess.data.workspace", ["describe_codes"]),
    ("assess.output.export", ["json_indented", "json_rows"]),
    ("assess.output.render.palette", ["luminance", "contrast", "ink_on", "level_fills", "level_colours"]),
    ("assess.output.render.html", ["css_string"]),
    ("assess.output.render.pdf", ["stamp_dates"]),
    ("assess.output.render.timeline_svg", ["x_of", "y_of"]),
    ("assess.output.render.world", ["is_world"]),
    ("assess.output.render.xlsx", ["step_points", "chart_height"]),
    ("assess.output.render.context", ["safe_url"]),
    ("assess.sources.locators", ["parse_locator", "normalize_locator", "resolve"]),
    ("assess.sources.parse", ["roman_to_int", "number_key", "canonical_locator", "html_to_text", "looks_like_html",
                              "parse_text"]),
    ("assess.sources.texts", ["split_name"]),
    ("assess.sources.suggest", ["match_terms", "distinct_terms", "excerpt"]),
    ("assess.sources.watch", ["word_diff"]),
    ("assess.sources.verify", ["normalize", "fragments", "occurs", "best_window", "similarity", "locate", "verify_summary"]),
    ("assess.sources.fetch", ["user_agent", "body_of", "sha256"]),
    ("assess.analyses.scenario", ["stamp_json", "stamp_lines"]),
    ("assess.common.files", ["not_a_file", "os_reason", "encoding_problem"]),
    ("assess.common.gcpause", ["paused"]),
    ("assess.common.messages", ["plural_category", "catalogue"]),
    ("assess.common.numbers", ["rounded"]),
    ("assess.common.paths", ["package_dir", "shipped_root"]),
    ("assess.common.progress", ["track"]),
    ("assess.common.terminal", ["visible"]),
    ("assess.common.xlsxzip", ["workbook_bytes", "stable_zip"]),
    ("assess.data.quotes", ["script_lang", "pick", "language_name"]),
    ("assess.data.yamledit", ["dump_block", "render_item", "render_key", "render_file", "split_lines", "layout",
                              "apply_edits", "set_item_field"]),
    ("assess.entry.entry", ["column_letter", "kind_of", "record_to_row", "criterion_choice", "cell_value", "row_to_record",
                            "comparable", "cell_text"]),
    ("assess.entry.scaffold", ["country_file"]),
    ("assess.entry.template", ["date_rule"]),
    ("assess.output.textout", ["table"]),
    ("assess.analyses.baseline", ["dumps"]),
    ("assess.checking.validate", ["user_assigned_range", "country_code_note", "country_code_name"]),
    ("assess.api", ["country_names", "countries_covered", "check_highlight", "country_code_note"]),
]


@pytest.mark.parametrize("name,functions", SELF_CONTAINED_EXAMPLES, ids=[m for m, _ in SELF_CONTAINED_EXAMPLES])
def test_the_self_contained_examples_give_what_they_show(name, functions):
    import datetime as dt
    import os

    import numpy as np

    from assess.sources.parse import parse_text  # the locator examples parse a text first

    module = importlib.import_module(name)
    finder, runner = doctest.DocTestFinder(recurse=False), doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for fname in functions:
        obj = getattr(module, fname)
        globs = {**vars(module), "dt": dt, "np": np, "os": os, "parse_text": parse_text}
        tests = finder.find(obj, fname, module=module, globs=globs)
        assert tests and tests[0].examples, f"{name}.{fname} has no example"
        for test in tests:
            runner.run(test)
    assert runner.failures == 0
