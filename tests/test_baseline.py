"""The score regression guard: baseline, check, and what the check says."""

import json
import xml.etree.ElementTree as ET

from typer.testing import CliRunner

from assess.cli import app

from conftest import write

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def make_baseline(ws):
    r = run("baseline", "--data", ws, "--as-of", "2012-06-30")
    assert r.exit_code == 0, r.output
    return ws / "baselines" / "mini.json"


def test_unchanged_inputs_exit_0(mini):
    make_baseline(mini)
    r = run("check", "--data", mini)
    assert r.exit_code == 0, r.output
    assert "no drift" in r.output


def test_baseline_is_deterministic_and_refuses_to_overwrite(mini):
    path = make_baseline(mini)
    first = path.read_bytes()
    r = run("baseline", "--data", mini, "--as-of", "2012-06-30")
    assert r.exit_code == 2 and "--update" in r.output
    assert run("baseline", "--data", mini, "--update").exit_code == 0
    assert path.read_bytes() == first  # --update keeps the pinned date; nothing moved
    doc = json.loads(first)
    assert doc["as_of"] == "2012-06-30" and doc["rubric"]["id"] == "mini"
    assert doc["countries"]["NLD"]["criteria"]["l1"]["level"] == 2


def test_raising_a_level_exits_3_and_names_finding_and_file(mini):
    make_baseline(mini)
    f = mini / "evidence/NLD/findings.yaml"
    f.write_text(f.read_text().replace("quote: B says so, level: 2", "quote: B says so, level: 3"))
    junit = mini / "junit.xml"
    r = run("check", "--data", mini, "--junit", junit, "--github")
    assert r.exit_code == 3, r.output
    # l1: 2 -> 3 because finding n-l1-b changed; t-law (2/3*2 + 2/3) / 3 -> (3/3*2 + 2/3) / 3
    line = next(x for x in r.output.splitlines() if x.startswith("NLD") and " l1 " in x)
    assert "2" in line and "3" in line and "finding n-l1-b level 2 -> 3 (evidence/NLD/findings.yaml)" in line
    assert "::error file=evidence/NLD/findings.yaml,line=5," in r.output
    tree = ET.parse(junit)
    suites = {s.get("name"): s for s in tree.getroot()}
    crit = suites["assess.criteria"]
    assert crit.get("tests") == "8" and crit.get("failures") == "1"
    failed = [c.get("classname") + "/" + c.get("name") for c in crit if c.find("failure") is not None]
    assert failed == ["assess.NLD/l1"]
    scores = suites["assess.scores"]
    assert scores.get("failures") == "2"  # tier t-law and overall


def test_removing_a_document_names_it_and_every_criterion(mini):
    make_baseline(mini)
    text = (mini / "evidence/NLD/country.yaml").read_text()
    start = text.index("  - id: nld-law-b")
    (mini / "evidence/NLD/country.yaml").write_text(text[:start])
    f = mini / "evidence/NLD/findings.yaml"
    f.write_text("\n".join(x for x in f.read_text().splitlines() if "nld-law-b" not in x) + "\n")
    r = run("check", "--data", mini)
    assert r.exit_code == 3, r.output
    for criterion in ("l1", "l2"):
        line = next(x for x in r.output.splitlines() if x.startswith("NLD") and f" {criterion} " in x)
        assert "document nld-law-b removed" in line


def test_rubric_weight_change_is_named(mini):
    make_baseline(mini)
    p = mini / "criteria/mini.yaml"
    p.write_text(p.read_text().replace("    weight: 2\n    accepts: [constitution]", "    weight: 3\n    accepts: [constitution]"))
    r = run("check", "--data", mini)
    assert r.exit_code == 3
    assert "rubric mini content changed without a version bump" in r.output
    assert "rubric tier t-const: weight 2.0 -> 3.0" in r.output


def test_rubric_version_bump_is_reported(mini):
    make_baseline(mini)
    p = mini / "criteria/mini.yaml"
    p.write_text(p.read_text().replace("version: 0.1.0", "version: 0.2.0").replace("    weight: 2\n    accepts", "    weight: 1\n    accepts"))
    r = run("check", "--data", mini)
    assert r.exit_code == 3 and "rubric mini version 0.1.0 -> 0.2.0" in r.output


def test_rubric_bump_that_moves_no_score_passes_but_is_reported(mini):
    make_baseline(mini)
    p = mini / "criteria/mini.yaml"
    p.write_text(p.read_text().replace("version: 0.1.0", "version: 0.2.0"))
    r = run("check", "--data", mini)
    assert r.exit_code == 0, r.output
    assert "no drift" in r.output and "rubric mini version 0.1.0 -> 0.2.0" in r.output
    assert "assess baseline --update" in r.output
    r = run("baseline", "--data", mini, "--update")
    assert r.exit_code == 0, r.output
    r = run("check", "--data", mini)
    assert r.exit_code == 0 and "rubric changed" not in r.output


def test_change_within_tolerance_passes(mini):
    make_baseline(mini)
    # FRA t-law weight change moves nothing at criterion level; make a tiny score move instead:
    p = mini / "criteria/mini.yaml"
    p.write_text(p.read_text().replace("    weight: 2\n    accepts: [constitution]", "    weight: 2.01\n    accepts: [constitution]"))
    # NLD overall: (50*2.01 + 66.667) / 3.01 = 55.5925 vs 55.5556 -> moves 0.037
    assert run("check", "--data", mini).exit_code == 3
    assert run("check", "--data", mini, "--tolerance", "0.05").exit_code == 0


def test_new_and_removed_countries(mini):
    make_baseline(mini)
    import shutil

    shutil.rmtree(mini / "evidence/FRA")
    write(mini / "evidence/DEU/country.yaml", "country: {iso3: DEU, name: Germany}\n")
    r = run("check", "--data", mini)
    assert r.exit_code == 3
    assert "country removed since the baseline" in r.output and "country added since the baseline" in r.output


def test_markdown_is_stable(mini):
    make_baseline(mini)
    f = mini / "evidence/NLD/findings.yaml"
    f.write_text(f.read_text().replace("quote: It is there, level: 3", "quote: It is there, level: 1"))
    run("check", "--data", mini, "--markdown", mini / "a.md")
    run("check", "--data", mini, "--markdown", mini / "b.md")
    a = (mini / "a.md").read_text()
    assert a == (mini / "b.md").read_text()
    assert a.splitlines()[0].startswith("### assess: score check")
    assert "| NLD | c1 | 3 | 1 | -2 | finding n-c1 level 3 -> 1 (evidence/NLD/findings.yaml) |" in a


def test_code_change_with_same_inputs_is_named(mini):
    import assess.baseline as b

    path = make_baseline(mini)
    doc = json.loads(path.read_text())
    doc["countries"]["NLD"]["criteria"]["c1"]["level"] = 2  # as if an older tool had scored it 2
    path.write_text(json.dumps(doc))
    r = run("check", "--data", mini)
    assert r.exit_code == 3 and "code changed: the inputs match the baseline" in r.output
    assert b.FORMAT == 1


def test_broken_baseline_is_a_clear_error(mini):
    (mini / "baselines").mkdir()
    (mini / "baselines/mini.json").write_text("{<<<<<<< HEAD\n")
    r = run("check", "--data", mini)
    assert r.exit_code == 1 and "not a valid baseline" in r.output and "Traceback" not in r.output
    r = run("check", "--data", mini, "--baseline", mini / "none.json")
    assert r.exit_code == 1 and "no baseline here" in r.output
