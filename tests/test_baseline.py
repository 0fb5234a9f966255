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
        line = next(x for x in r.output.splitlines() if x.split()[:2] == ["NLD", criterion])  # its row in the table
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
    # NLD overall: (50*2.01 + 66.667) / 3.01 = 167.167 / 3.01 = 55.537 vs (50*2 + 66.667) / 3 = 55.556 -> moves -0.019
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
    import assess.analyses.baseline as b

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


# ---------------------------------------------------------------- coverage and like with like (issue 14, section 8)
#
# On a copy of the shipped data with the baseline pinned on 2026-06-30, the
# last day of Kazakhstan's bicameral order. Hand-worked from the evidence
# (each criterion weighs 1, each tier 1, levels 0-3, a score is 100*level/3):
#   constitution  con-treaties 3, con-war-peace 3, con-diplomatic-posts 2,
#                 con-treaty-status 3                        -> 11/12 = 91.667
#   laws          law-treaties 3, law-mfa-support 3, law-assemblies 3
#                 (law-parliament-status not assessed)       -> 100
#   concept       fpc-mention 2, fpc-scope 2, fpc-continuity 2 -> 66.667
#   internal      int-foreign-agreements 2, int-chamber-procedures 3,
#                 int-bodies 3, int-strategy 0, int-code 0   -> 8/15 = 53.333
#   index (91.667 + 100 + 66.667 + 53.333) / 4 = 77.917, on 15 of 16 criteria.

from conftest import FROZEN  # noqa: E402


def shipped_copy(tmp_path):
    """A writable copy of the shipped data as frozen on 2026-11-30 (the figures above are its)."""
    import shutil

    ws = tmp_path / "shipped"
    for part in ("criteria", "evidence"):
        shutil.copytree(FROZEN / part, ws / part)
    r = run("baseline", "--data", ws, "--as-of", "2026-06-30")
    assert r.exit_code == 0, r.output
    return ws


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def lapse_a_day_earlier(ws):
    """The 1995 order's end moved from 30 to 29 Jun 2026: the 1995 Constitution's
    and the chambers' rules' end dates, the Parliament's and its chambers', the
    internal trace's; the 2026 Constitution and the Kurultai start on 30 Jun."""
    kaz = ws / "evidence/KAZ"
    edit(kaz / "constitution.yaml", "in_force_to: 2026-06-30", "in_force_to: 2026-06-29")
    edit(kaz / "constitution.yaml", "in_force_from: 2026-07-01", "in_force_from: 2026-06-30")
    edit(kaz / "internal.yaml", "in_force_to: 2026-06-30", "in_force_to: 2026-06-29", count=3)
    edit(kaz / "country.yaml", "2026-06-30", "2026-06-29", count=4)  # traced_to internal, Parliament, Senate, Mazhilis
    edit(kaz / "country.yaml", "from: 2026-07-01", "from: 2026-06-30")


def test_coverage_loss_that_raises_the_index_fails_and_is_named(tmp_path):
    """As of 2026-06-30 Kazakhstan is now in its 2026 state: the constitution tier
    has only the uncoded 2026 Constitution in force (not assessed, note_uncoded),
    the internal tier is past its trace (not assessed, note_not_traced). Left:
    the 4 con-* and 5 int-* criteria, 15 -> 6 assessed. The raw index is laws
    and concept alone, (100 + 66.667) / 2 = 83.333: +5.417 over 77.917 although
    no level moved. On the 6 criteria assessed in both (law-treaties,
    law-mfa-support, law-assemblies, the 3 fpc-*) both sides are
    (100 + 66.667) / 2 = 83.333: +0. RUS does not move."""
    ws = shipped_copy(tmp_path)
    lapse_a_day_earlier(ws)
    junit = ws / "junit.xml"
    r = run("check", "--data", ws, "--junit", junit)
    assert r.exit_code == 3, r.output
    out = r.output
    assert ("KAZ coverage 15 -> 6 criteria: con-diplomatic-posts, con-treaties, con-treaty-status, con-war-peace, "
            "int-bodies, int-chamber-procedures, int-code, int-foreign-agreements, int-strategy no longer assessed") in out
    assert ("  con-diplomatic-posts, con-treaties, con-treaty-status, con-war-peace: finding set aside "
            "(document 'kaz-constitution-1995' in force to 2026-06-29); kaz-constitution-2026 recorded, not coded yet") in out
    assert ("  int-code, int-strategy: finding set aside (legislature 'kaz-parliament-1995' in existence to 2026-06-29); "
            "its tier is not traced on this date") in out
    assert "KAZ index 83.33 -> 83.33 (+0) on the 6 criteria assessed in both" in out
    assert ("  raw index 77.92 -> 83.33 (+5.42) on 15 -> 6 assessed criteria: not like with like, "
            "do not read it as a move") in out
    # RUS is named only where the first line says which countries were checked (#16), never as a move
    assert out.splitlines()[0].endswith("countries checked: KAZ, RUS (this workspace)")
    assert "RUS" not in out.split("\n", 1)[1]
    row = next(x for x in out.splitlines() if x.split()[:2] == ["KAZ", "con-treaties"])
    assert "3  not assessed" in row and "finding kaz-con-treaties-2 now is set aside" in row
    # the same in JUnit: 9 criteria fail, the coverage fails; the index and the two
    # tiers that lost every criterion pass (nothing moved like with like) and say so
    suites = {s.get("name"): s for s in ET.parse(junit).getroot()}
    crit, scores = suites["assess.criteria"], suites["assess.scores"]
    assert crit.get("failures") == "9"
    assert scores.get("failures") == "1"
    case = {c.get("classname") + "/" + c.get("name"): c for c in scores}
    assert case["assess.KAZ/coverage"].find("failure").get("message") == "15 -> 6 criteria assessed"
    assert "con-treaties" in case["assess.KAZ/coverage"].find("failure").text
    overall = case["assess.KAZ/overall"]
    assert overall.find("failure") is None
    assert "on the 6 criteria assessed in both; raw 77.92 -> 83.33 (+5.42) on 15 -> 6 assessed criteria" in overall.find("system-out").text
    # no tolerance lets it pass: it bounds score moves, and no score moved like with like
    r = run("check", "--data", ws, "--tolerance", "100")
    assert r.exit_code == 3, r.output
    assert "KAZ coverage 15 -> 6 criteria" in r.output and "coverage, level and status moves always fail" in r.output


def test_baseline_without_the_newer_keys_still_reads(tmp_path):
    """A baseline recorded before `notes`, `aside` and `assessed` existed (still
    format 1) gives the same answer: the reasons come from the current side."""
    ws = shipped_copy(tmp_path)
    path = ws / "baselines/four-tier.json"
    doc = json.loads(path.read_text())
    for country in doc["countries"].values():
        country.pop("assessed")
        for crit in country["criteria"].values():
            crit.pop("notes", None)
            for f in crit["findings"].values():
                f.pop("aside", None)
    path.write_text(json.dumps(doc))
    lapse_a_day_earlier(ws)
    r = run("check", "--data", ws)
    assert r.exit_code == 3, r.output
    assert "KAZ coverage 15 -> 6 criteria" in r.output and "kaz-constitution-2026 recorded, not coded yet" in r.output
    assert "KAZ index 83.33 -> 83.33 (+0) on the 6 criteria assessed in both" in r.output


def test_pure_index_move_within_tolerance_passes(tmp_path):
    """The constitution tier's weight 1 -> 1.01 moves no level and no coverage.
    KAZ: (91.667*1.01 + 100 + 66.667 + 53.333) / 4.01 = 312.583 / 4.01 = 77.951,
    +0.034 over 77.917; the constitution tier itself stays 91.667. RUS (tiers
    91.667, 100, 100, 66.667): (92.583 + 266.667) / 4.01 = 89.589, +0.005 over
    89.583. Both within 0.05: exit 0, shown; with no tolerance they fail."""
    ws = shipped_copy(tmp_path)
    edit(ws / "criteria/four-tier.yaml", "    weight: 1\n    accepts: [constitution, constitutional-amendment]",
         "    weight: 1.01\n    accepts: [constitution, constitutional-amendment]")
    r = run("check", "--data", ws, "--tolerance", "0.05")
    assert r.exit_code == 0, r.output
    assert "no drift beyond the tolerance of 0.05: coverage, levels and statuses match" in r.output
    row = next(x for x in r.output.splitlines() if x.split()[:2] == ["KAZ", "overall"])
    assert row.split()[2:5] == ["77.92", "77.95", "+0.03"] and "on the 15 criteria assessed in both" in row
    row = next(x for x in r.output.splitlines() if x.split()[:2] == ["RUS", "overall"])
    assert row.split()[2:5] == ["89.58", "89.59", "+0.01"]
    assert not any(x.split()[1:2] == ["tier"] for x in r.output.splitlines())  # no tier score moved
    r = run("check", "--data", ws)
    assert r.exit_code == 3, r.output
    assert "2 changes fail the check" in r.output  # KAZ and RUS overall


def test_level_move_fails_under_any_tolerance(tmp_path):
    """kaz-con-diplomatic-posts-1 level 2 -> 3: the criterion moves one level,
    the constitution tier 11/12 -> 12/12 (91.667 -> 100, +8.33) and the index
    (100 + 100 + 66.667 + 53.333) / 4 = 80.0, +2.08. Under --tolerance 100 the
    tier and index moves pass, shown; the level move fails all the same."""
    ws = shipped_copy(tmp_path)
    edit(ws / "evidence/KAZ/constitution.yaml", "    level: 2\n", "    level: 3\n")
    assert "kaz-con-diplomatic-posts-1" in (ws / "evidence/KAZ/constitution.yaml").read_text()
    junit = ws / "junit.xml"
    r = run("check", "--data", ws, "--tolerance", "100", "--junit", junit)
    assert r.exit_code == 3, r.output
    row = next(x for x in r.output.splitlines() if x.split()[:2] == ["KAZ", "con-diplomatic-posts"])
    assert row.split()[2:5] == ["2", "3", "+1"] and "finding kaz-con-diplomatic-posts-1 level 2 -> 3" in row
    tier = next(x for x in r.output.splitlines() if x.split()[:3] == ["KAZ", "tier", "constitution"])
    assert tier.split()[3:6] == ["91.67", "100", "+8.33"] and "(shown, not failing)" in tier
    overall = next(x for x in r.output.splitlines() if x.split()[:2] == ["KAZ", "overall"])
    assert overall.split()[2:5] == ["77.92", "80", "+2.08"] and "(shown, not failing)" in overall
    assert "1 change fails the check" in r.output
    suites = {s.get("name"): s for s in ET.parse(junit).getroot()}
    assert suites["assess.criteria"].get("failures") == "1" and suites["assess.scores"].get("failures") == "0"


def test_coverage_gain_that_lowers_the_index_fails_and_is_named(tmp_path):
    """A finding coded for law-parliament-status (level 2), not assessed in the
    baseline: 15 -> 16 assessed. Raw laws tier (3+3+3+2)/12 = 91.667, raw index
    (91.667 + 91.667 + 66.667 + 53.333) / 4 = 303.333 / 4 = 75.833, -2.08 over
    77.917; on the 15 criteria assessed in both nothing moved: 77.917, +0."""
    ws = shipped_copy(tmp_path)
    with open(ws / "evidence/KAZ/laws.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n  - id: kaz-law-parliament-status-1\n    criterion: law-parliament-status\n"
                 "    document: kaz-constitutional-law-parliament-1995\n    locator: Art. 1\n"
                 "    quote: Paraphrase for the test.\n    level: 2\n    coder: assess-seed\n")
    r = run("check", "--data", ws, "--tolerance", "5")
    assert r.exit_code == 3, r.output
    assert "KAZ coverage 15 -> 16 criteria: law-parliament-status newly assessed" in r.output
    assert "  law-parliament-status: answered by kaz-law-parliament-status-1" in r.output
    assert "KAZ index 77.92 -> 77.92 (+0) on the 15 criteria assessed in both" in r.output
    assert "  raw index 77.92 -> 75.83 (-2.08) on 15 -> 16 assessed criteria" in r.output
