"""The command line, through typer's CliRunner and, where start-up matters, a real process."""

import json
import subprocess
import sys

import pytest

from typer.testing import CliRunner

from assess.cli import app

from conftest import MINI, REPO, write

runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def test_validate_clean_exits_0():
    r = run("validate", "--data", MINI)
    assert r.exit_code == 0, r.output
    assert "0 errors, 4 warnings" in r.output  # mini's four criteria have no ru/kk texts
    r = run("validate")  # the shipped data: rubrics fully translated, evidence clean
    assert r.exit_code == 0 and "0 errors, 0 warnings" in r.output


def test_validate_reports_three_errors_with_lines(mini):
    # the example: a broken date, a dangling reference and a typo'd key
    path = write(mini / "evidence/NLD/three.yaml", """
        documents:
          - id: nld-x
            type: law
            title: X
            in_force_from: 2019-13-01
            url: https://example.org/x
        findings:
          - id: t1
            criterion: l1
            document: nld-y
            locator: Art. 1
            quote: q
            levle: 2
    """)
    r = run("validate", "--data", mini)
    assert r.exit_code == 1
    assert "Traceback" not in r.output
    assert f"{path}:5: in_force_from: '2019-13-01' is not a real date" in r.output
    assert f"{path}:10: document: unknown document 'nld-y'" in r.output
    assert f"{path}:13: levle: unknown field for a finding (did you mean 'level'?)" in r.output
    assert "3 errors" in r.output


def test_validate_paths_limit_the_report(mini):
    write(mini / "evidence/FRA/bad.yaml", "findings:\n  - {id: z, criterion: nope, level: 0, reason: r}\n")
    assert run("validate", "--data", mini).exit_code == 1
    r = run("validate", "--data", mini, mini / "evidence/NLD")
    assert r.exit_code == 0, r.output
    assert run("validate", "--data", mini, mini / "nowhere").exit_code == 2


def test_validate_strict_fails_on_warnings(mini):
    write(mini / "evidence/NLD/warn.yaml", "documents:\n  - {id: nld-w, type: law, title: W, in_force_from: 2000-01-01}\n")
    assert run("validate", "--data", mini).exit_code == 0
    assert run("validate", "--strict", "--data", mini).exit_code == 1


def test_score_table():
    r = run("score", "NLD", "france", "--as-of", "2012-06-30", "--data", MINI)
    assert r.exit_code == 0, r.output
    assert "55.6" in r.output and "33.3" in r.output and "not assessed" in r.output and "n/a" in r.output


def test_score_json_shape():
    r = run("score", "NLD", "FRA", "--as-of", "2012-06-30", "--format", "json", "--data", MINI)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["rubric"]["id"] == "mini" and doc["rubric"]["version"] == "0.1.0"
    assert doc["as_of"] == "2012-06-30"
    assert [c["country"] for c in doc["countries"]] == ["NLD", "FRA"]
    nld = doc["countries"][0]
    assert set(nld) >= {"country", "overall", "coverage", "complete", "tiers", "criteria"}
    assert [t["id"] for t in nld["tiers"]] == ["t-const", "t-law"]
    assert {c["status"] for c in doc["countries"][1]["criteria"]} == {"scored", "not_applicable", "not_assessed"}
    assert nld["criteria"][2]["findings"] == ["n-l1-b"]


def test_score_csv():
    r = run("score", "NLD", "--as-of", "2012-06-30", "--format", "csv", "--data", MINI)
    lines = r.output.splitlines()
    assert lines[0].startswith("country,tier,criterion,status,level")
    assert len(lines) == 5


def test_score_usage_errors():
    r = run("score", "Atlantis", "--data", MINI)
    assert r.exit_code == 2 and "unknown country 'Atlantis'" in r.output and "Traceback" not in r.output
    r = run("score", "DEU", "--data", MINI)
    assert r.exit_code == 2 and "no evidence for DEU (Germany)" in r.output
    r = run("score", "NLD", "--rubric", "mni", "--data", MINI)
    assert r.exit_code == 2 and "did you mean 'mini'" in r.output
    r = run("score", "NLD", "--as-of", "2021-02-30", "--data", MINI)
    assert r.exit_code == 2 and "is not a date" in r.output
    r = run("score", "NLD", "--format", "xml", "--data", MINI)
    assert r.exit_code == 2


def test_score_refuses_invalid_evidence(mini):
    write(mini / "evidence/NLD/bad.yaml", "findings:\n  - {id: z, criterion: c1, level: 9, document: nld-const, locator: A}\n")
    r = run("score", "NLD", "--data", mini)
    assert r.exit_code == 1
    assert "level 9 is outside the scale" in r.output and "Traceback" not in r.output
    # other countries' errors do not block
    assert run("score", "FRA", "--data", mini).exit_code == 0


def test_explain_names_the_deciding_finding():
    r = run("explain", "NLD", "l1", "--as-of", "2012-06-30", "--data", MINI)
    assert r.exit_code == 0, r.output
    assert "RESULT: level 2 of 3" in r.output
    assert "decided by: n-l1-b" in r.output
    assert "n-l1-a [set aside]" in r.output and "no longer in force on 2012-06-30" in r.output
    assert "locator:  Art. 3" in r.output


def test_explain_unknown_criterion():
    r = run("explain", "NLD", "c9", "--data", MINI)
    assert r.exit_code == 2 and "has no criterion 'c9'" in r.output


def test_countries_and_rubrics():
    r = run("countries", "--data", MINI)
    assert r.exit_code == 0 and "NLD" in r.output and "Netherlands" in r.output and "FRA" in r.output
    r = run("rubrics", "--data", MINI)
    assert r.exit_code == 0 and "mini (default)" in r.output and "t-law" in r.output


def test_data_from_environment_and_config(tmp_path, monkeypatch):
    r = run("countries", env={"ASSESS_DATA": str(MINI)})
    assert "NLD" in r.output
    (tmp_path / "proj" / "sub").mkdir(parents=True)
    (tmp_path / "proj" / "assess.toml").write_text(f'[workspace]\ndata = "{MINI}"\n')
    monkeypatch.chdir(tmp_path / "proj" / "sub")
    r = run("countries")
    assert "NLD" in r.output and "assess.toml" in r.output


def test_workspace_without_criteria_uses_shipped_rubrics(tmp_path):
    (tmp_path / "evidence").mkdir()
    r = run("rubrics", "--data", tmp_path)
    assert r.exit_code == 0 and "four-tier (default)" in r.output


def test_missing_data_folder_is_a_usage_error(tmp_path):
    r = run("countries", "--data", tmp_path / "nope")
    assert r.exit_code == 2 and "does not exist" in r.output


def _modules_after(argv):
    code = (
        "import sys\n"
        f"sys.argv = {argv!r}\n"
        "from assess.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('HEAVY', sorted(m for m in ('pandas', 'openpyxl', 'numpy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    return out.stdout


def test_help_and_validate_do_not_import_pandas_or_openpyxl():
    assert "HEAVY []" in _modules_after(["assess", "--help"])
    assert "HEAVY []" in _modules_after(["assess", "validate", "--data", str(MINI)])


def test_the_probe_sees_heavy_imports():
    # the check above would pass vacuously if the probe were broken. (`assess score`
    # no longer imports pandas: its frames are built only when asked for, and the
    # command's outputs read the scores directly; the sensitivity analysis needs numpy)
    assert "numpy" in _modules_after(["assess", "sensitivity", "NLD", "--draws", "10", "--data", str(MINI)])
    assert "HEAVY []" in _modules_after(["assess", "score", "NLD", "--data", str(MINI)])


def test_api_functions_stay_functions_after_use():
    """No function is named like a submodule (issue #18): after the functions
    ran, assess.timeline and the others are still the modules, and the
    functions keep their own names."""
    import inspect

    import assess

    assess.compute_timelines(["KAZ"], start=2020, end="2021-06-30")
    assess.compute_sensitivity(["KAZ", "RUS"], draws=10, as_of="2021-06-30")
    assess.compute_agreement(["KAZ"], as_of="2021-06-30")
    assess.explain_level("KAZ", "fpc-mention", as_of="2021-06-30")
    for name in ("load", "score", "explain", "validate", "timeline", "sensitivity", "agreement"):
        assert inspect.ismodule(getattr(assess, name)), name
    for name in ("load_data", "compute_scores", "explain_level", "check", "compute_timelines", "compute_sensitivity",
                 "compute_agreement"):
        assert inspect.isfunction(getattr(assess, name)), name


@pytest.mark.parametrize("command, expected", [
    (["score", "NLD"], "expected table, json, jsonl or csv"),
    (["timeline", "NLD"], "expected table, json or csv"),
    (["sensitivity", "NLD"], "expected table or json"),
    (["agreement"], "expected table or json"),
    (["verify"], "expected table or json"),
])
def test_an_unknown_format_is_a_usage_error_that_lists_the_formats(command, expected):
    r = run(*command, "--format", "xml", "--data", MINI)
    assert r.exit_code == 2 and f"error: unknown format 'xml'; {expected}" in r.output
