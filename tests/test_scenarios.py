"""Scenarios (assess.scenario) and `assess whatif` (assess.whatif), issue 21.

- scoring with a scenario equals scoring the evidence with the overlay merged
  in by hand (a hypothesis property over generated evidence and overlays);
- a reference into the base evidence that does not resolve is an error at
  the scenario's file, line and field; `validate` checks scenarios;
- scenarios never change a score computed without --scenario, a baseline or
  `assess check`;
- `assess whatif KAZ RUS --scenario kaz-constitution-2026-draft` prints the
  criteria that move with their deciding findings before and after;
- `assess report KAZ RUS --scenario ...` is stamped on every printed page and
  every sheet.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from assess import api
from assess.cli import app
from conftest import MINI

REPO = Path(__file__).resolve().parents[1]
DRAFT = "kaz-constitution-2026-draft"
runner = CliRunner()
FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
CRITERIA = {"c1": "constitution", "c2": "constitution", "l1": "law", "l2": "law"}
COUNTRY = {"country": {"iso3": "NLD", "name": "Netherlands"}}
META = {"title": "A bill", "status": "bill", "country": "NLD", "in_force_from": dt.date(2015, 1, 1)}


def dump(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def workspace(root: Path, documents: list, findings: list, scenario: dict | None = None) -> Path:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(MINI / "criteria", root / "criteria")
    dump(root / "evidence/NLD/country.yaml", COUNTRY)
    dump(root / "evidence/NLD/evidence.yaml", {"documents": documents, "findings": findings})
    if scenario is not None:
        dump(root / "scenarios/s/scenario.yaml", scenario)
    return root


# ---------------------------------------------------------------- the property


@st.composite
def base_and_overlay(draw):
    """Base evidence of the mini rubric and an overlay on it: documents and
    findings added, findings and documents replaced by id, documents ended."""
    docs, findings = [], []
    for i in range(draw(st.integers(1, 4))):
        start = draw(st.dates(dt.date(1995, 1, 1), dt.date(2020, 1, 1)))
        doc = {"id": f"nld-d{i}", "type": draw(st.sampled_from(["constitution", "law"])), "title": f"Document {i}",
               "in_force_from": start, "url": "https://example.org/d"}
        if draw(st.booleans()):
            doc["in_force_to"] = start + dt.timedelta(days=draw(st.integers(0, 4000)))
        docs.append(doc)

    def finding(fid: str, pool: list) -> dict:
        doc = draw(st.sampled_from(pool))
        criterion = draw(st.sampled_from([c for c, t in CRITERIA.items() if t == doc["type"]]))
        return {"id": fid, "criterion": criterion, "document": doc["id"], "locator": f"Art. {fid}", "quote": "q",
                "level": draw(st.integers(0, 3)), "verified": draw(st.booleans())}

    findings = [finding(f"f{j}", docs) for j in range(draw(st.integers(0, 6)))]
    added_docs = []
    for i in range(draw(st.integers(0, 2))):
        start = draw(st.dates(dt.date(1995, 1, 1), dt.date(2025, 1, 1)))
        added_docs.append({"id": f"nld-s{i}", "type": draw(st.sampled_from(["constitution", "law"])), "title": f"Draft {i}",
                           "in_force_from": start, "url": "https://example.org/s"})
    replaced_docs = []
    for doc in draw(st.lists(st.sampled_from(docs), unique_by=lambda d: d["id"], max_size=2)):
        new = dict(doc, title=doc["title"] + " (as the bill has it)")
        new["in_force_from"] = draw(st.dates(dt.date(1995, 1, 1), dt.date(2020, 1, 1)))
        new.pop("in_force_to", None)
        replaced_docs.append(new)
    after_replace = {d["id"]: d for d in docs}
    after_replace.update({d["id"]: d for d in replaced_docs})
    ends = []
    for doc in draw(st.lists(st.sampled_from(docs), unique_by=lambda d: d["id"], max_size=2)):
        start = after_replace[doc["id"]]["in_force_from"]
        ends.append({"document": doc["id"], "in_force_to": start + dt.timedelta(days=draw(st.integers(0, 5000)))})
    pool = list(after_replace.values()) + added_docs
    replaced = [finding(f["id"], pool) for f in draw(st.lists(st.sampled_from(findings), unique_by=lambda f: f["id"], max_size=3))] if findings else []
    added = [finding(f"s{j}", pool) for j in range(draw(st.integers(0, 3)))]
    overlay = {"scenario": META, "documents": added_docs, "findings": added, "replace_documents": replaced_docs,
               "replace_findings": replaced, "ends": ends}
    as_of = draw(st.dates(dt.date(1994, 1, 1), dt.date(2030, 1, 1)))
    return docs, findings, overlay, as_of


def merged_by_hand(docs: list, findings: list, overlay: dict) -> tuple[list, list]:
    """The overlay applied to the records as dicts, without assess: documents
    replaced by id, then ended (an end only ever shortens), then added;
    findings replaced by id, then added."""
    out_docs = [copy.deepcopy(d) for d in docs]
    by_id = {d["id"]: i for i, d in enumerate(out_docs)}
    for d in overlay["replace_documents"]:
        out_docs[by_id[d["id"]]] = copy.deepcopy(d)
    for e in overlay["ends"]:
        d = out_docs[by_id[e["document"]]]
        if "in_force_to" not in d or e["in_force_to"] < d["in_force_to"]:
            d["in_force_to"] = e["in_force_to"]
    out_docs += copy.deepcopy(overlay["documents"])
    replace = {f["id"]: f for f in overlay["replace_findings"]}
    out_findings = [copy.deepcopy(replace.get(f["id"], f)) for f in findings] + copy.deepcopy(overlay["findings"])
    return out_docs, out_findings


def summary(scores) -> tuple:
    cs = scores.countries[0]
    return ([(r.criterion.id, r.status, r.level, r.deciding) for r in cs.criteria],
            [(t, a.score, a.scored, a.not_assessed) for t, a in sorted(cs.tiers.items())],
            (cs.overall.score, cs.overall.score_min, cs.overall.score_max))


@FEW
@given(case=base_and_overlay())
def test_scoring_with_an_overlay_equals_scoring_it_merged_by_hand(case, tmp_path_factory):
    docs, findings, overlay, as_of = case
    root = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    with_scenario = workspace(root / "a", docs, findings, overlay)
    by_hand = workspace(root / "b", *merged_by_hand(docs, findings, overlay))
    plain = workspace(root / "c", docs, findings)
    got = api.score(["NLD"], as_of=as_of, data=str(with_scenario), scenario="s")
    want = api.score(["NLD"], as_of=as_of, data=str(by_hand))
    assert got.scenario.name == "s" and got.as_of == as_of
    assert summary(got) == summary(want)
    # the scenario's existence never changes a score computed without it
    assert summary(api.score(["NLD"], as_of=as_of, data=str(with_scenario))) == summary(api.score(["NLD"], as_of=as_of, data=str(plain)))
    shutil.rmtree(root)


# ---------------------------------------------------------------- validation


def small(tmp_path: Path, overlay: dict) -> Path:
    docs = [{"id": "nld-d0", "type": "constitution", "title": "Constitution", "in_force_from": dt.date(2000, 1, 1),
             "url": "https://example.org/d"}]
    findings = [{"id": "f0", "criterion": "c1", "document": "nld-d0", "locator": "Art. 1", "quote": "q", "level": 2}]
    return workspace(tmp_path / "ws", docs, findings, {"scenario": META, **overlay})


def test_references_into_the_base_that_do_not_resolve_are_errors_at_file_line_field(tmp_path):
    ws = small(tmp_path, {
        "replace_findings": [{"id": "f9", "criterion": "c1", "document": "nld-d0", "locator": "Art. 2", "quote": "q", "level": 3}],
        "ends": [{"document": "nld-d7", "in_force_to": dt.date(2010, 1, 1)}],
        "findings": [{"id": "f0", "criterion": "c1", "document": "nld-d0", "locator": "Art. 3", "quote": "q", "level": 1},
                     {"id": "s1", "criterion": "c2", "document": "nld-nope", "locator": "Art. 4", "quote": "q", "level": 1}],
    })
    r = runner.invoke(app, ["validate", "--data", str(ws)])
    assert r.exit_code == 1, r.output
    path = str(ws / "scenarios/s/scenario.yaml")
    text = r.output
    # each names the scenario file, a line and the field (the lines as yaml.safe_dump writes the file above)
    assert f"{path}:7: id: replace_findings: no finding 'f9' in the base evidence of NLD" in text, text
    assert f"{path}:" in text and "document: ends: no document 'nld-d7' in the base evidence of NLD" in text, text
    assert "id: finding 'f0' is already in the base evidence of NLD; to replace it, put it under replace_findings:" in text
    assert "document: unknown document 'nld-nope'" in text
    # scoring with it refuses, with the same messages; scoring without it is unaffected
    r = runner.invoke(app, ["score", "NLD", "--data", str(ws), "--scenario", "s"])
    assert r.exit_code == 1 and "replace_findings: no finding 'f9'" in r.output
    r = runner.invoke(app, ["score", "NLD", "--data", str(ws), "--as-of", "2012-01-01"])
    assert r.exit_code == 0, r.output


def test_an_ended_document_never_in_force_and_a_bad_status_are_errors(tmp_path):
    ws = small(tmp_path, {"ends": [{"document": "nld-d0", "in_force_to": dt.date(1999, 1, 1)}]})
    (ws / "scenarios/s/scenario.yaml").write_text(
        (ws / "scenarios/s/scenario.yaml").read_text(encoding="utf-8").replace("status: bill", "status: law"), encoding="utf-8")
    r = runner.invoke(app, ["validate", "--data", str(ws)])
    assert r.exit_code == 1
    assert "status: expected one of draft, bill, proposed-amendment, got 'law'" in r.output


def test_unknown_scenario_is_a_usage_error_naming_the_ones_there(tmp_path):
    ws = small(tmp_path, {})
    r = runner.invoke(app, ["score", "NLD", "--data", str(ws), "--scenario", "t"])
    assert r.exit_code == 2 and "unknown scenario 't'" in r.output and ", s (a scenario is a folder" in r.output


def test_check_and_baselines_are_unaffected_by_scenarios(tmp_path):
    """A baseline recorded, then a scenario added (one that changes every
    level, and a broken one): `check` still finds no drift, and the baseline
    records nothing of them."""
    ws = small(tmp_path, {})
    shutil.rmtree(ws / "scenarios")
    r = runner.invoke(app, ["baseline", "--data", str(ws), "--as-of", "2020-06-30"])
    assert r.exit_code == 0, r.output
    recorded = (ws / "baselines/mini.json").read_text(encoding="utf-8")
    dump(ws / "scenarios/big/scenario.yaml", {"scenario": {**META, "in_force_from": dt.date(2001, 1, 1)},
                                               "replace_findings": [{"id": "f0", "criterion": "c1", "document": "nld-d0", "locator": "Art. 1",
                                                                     "quote": "q", "level": 0}]})
    dump(ws / "scenarios/broken/scenario.yaml", {"scenario": META, "ends": [{"document": "nope", "in_force_to": dt.date(2001, 1, 1)}]})
    r = runner.invoke(app, ["check", "--data", str(ws)])
    assert r.exit_code == 0 and "no drift" in r.output, r.output
    assert (ws / "baselines/mini.json").read_text(encoding="utf-8") == recorded
    assert "big" not in recorded and "scenario" not in recorded
    # the scenario does move the level when asked for
    got = api.score(["NLD"], as_of="2020-06-30", data=str(ws), scenario="big")
    assert got.countries[0].criteria[0].level == 0
    assert api.score(["NLD"], as_of="2020-06-30", data=str(ws)).countries[0].criteria[0].level == 2


def test_outputs_with_a_scenario_are_stamped(tmp_path):
    ws = small(tmp_path, {"replace_findings": [{"id": "f0", "criterion": "c1", "document": "nld-d0", "locator": "Art. 1",
                                                 "quote": "q", "level": 3}]})
    r = runner.invoke(app, ["score", "NLD", "--data", str(ws), "--scenario", "s"])
    assert r.exit_code == 0 and r.output.startswith("SCENARIO s (bill): A bill; assumed in force from 01 Jan 2015\n"), r.output
    assert "as of 2015-01-01" in r.output  # the date it assumes, without --as-of
    doc = json.loads(runner.invoke(app, ["score", "NLD", "--data", str(ws), "--scenario", "s", "-f", "json"]).output)
    assert doc["scenario"]["name"] == "s" and doc["scenario"]["status"] == "bill"
    assert doc["scenario"]["changes"]["findings_replaced"] == ["f0"]
    r = runner.invoke(app, ["score", "NLD", "--data", str(ws), "--scenario", "s", "-f", "csv"])
    assert r.output.startswith("# SCENARIO s (bill)")
    for args in (["explain", "NLD", "c1"], ["timeline", "NLD", "--from", "2014"], ["sensitivity", "NLD", "--draws", "50"]):
        r = runner.invoke(app, [*args, "--data", str(ws), "--scenario", "s"])
        assert r.exit_code == 0 and r.output.startswith("SCENARIO s (bill)"), (args, r.output)
    for args in (["timeline", "NLD", "--from", "2014", "-f", "json"], ["sensitivity", "NLD", "--draws", "50", "-f", "json"]):
        r = runner.invoke(app, [*args, "--data", str(ws), "--scenario", "s"])
        assert json.loads(r.output)["scenario"]["name"] == "s", args
    r = runner.invoke(app, ["score", "NLD", "--data", str(ws), "--scenario", "s", "--lang", "ru"])
    assert r.output.startswith("СЦЕНАРИЙ s (законопроект): A bill; предполагается вступление в силу с 01.01.2015")


# ---------------------------------------------------------------- whatif on the shipped draft


def test_whatif_on_the_shipped_draft_prints_the_moves_with_their_deciding_findings():
    """The base evidence as of 2026-03-01 (the scenario's as_of) against the
    draft in force on 2026-07-01 (its in_force_from). Worked by hand from
    evidence/KAZ and scenarios/kaz-constitution-2026-draft (weights 1, levels of 3):
    constitution before: con-treaties 3 (kaz-con-treaties-2), con-war-peace 3,
    con-treaty-status 3, con-diplomatic-posts not assessed (traced to 2022) ->
    9/9 = 100; after: the draft's 3, 3, 1 and diplomatic posts 1 -> 8/12 = 66.7,
    like with like on the 3 criteria assessed on both sides 7/9 = 77.8 (-22.2).
    The internal tier lapses with the chambers (5 -> 0 assessed). Like with like
    on the 9 criteria assessed on both sides (constitution 3, laws 3, concept 3):
    (100 + 100 + 66.7)/3 = 88.9 -> (77.8 + 100 + 66.7)/3 = 81.5, a change of
    -7.4. Kazakhstan then has 10 of 16 criteria assessed (62.5% < 75%):
    unranked; Russia stays first. Moves: diplomatic posts, treaty status and the
    five internal criteria (7); con-treaties and con-war-peace stay at 3."""
    r = runner.invoke(app, ["whatif", "KAZ", "RUS", "--scenario", DRAFT, "--draws", "200"])
    assert r.exit_code == 0, r.output
    out = r.output
    assert out.startswith("SCENARIO kaz-constitution-2026-draft (draft): Draft Constitution of Kazakhstan")
    assert "Kazakhstan (KAZ): the base evidence as of 01 Mar 2026 against the scenario as of 01 Jul 2026" in out
    assert "  con-treaties:" not in out and "  con-war-peace:" not in out
    assert "  con-diplomatic-posts: not assessed → 1 Indirect" in out
    assert "    decided after by:  kaz-con2026-diplomatic-posts (Art. 60(3)(3), read with Art. 46, items 4, 7 and 14 (numbering of the adopted text)) [scenario]" in out
    assert "  con-treaty-status: 3 Operational → 1 Indirect" in out
    assert "    decided before by: kaz-con-treaty-status-1 (Art. 4(3))" in out
    assert "kaz-con2026-treaty-status (Art. 5(1) and (3) (the draft's Art. 5" in out
    assert "  int-strategy: 1 Indirect → not assessed" in out
    assert "Criteria that move (7; 9 unchanged):" in out
    lines = {line.split("  ")[0]: line for line in out.splitlines()}
    assert "100.0 → 77.8" in lines["Constitution"] and "-22.2" in lines["Constitution"] and "3 → 4 / 4" in lines["Constitution"]
    assert "88.9 → 81.5" in lines["Overall index"] and "-7.4" in lines["Overall index"] and "14 → 10 / 16" in lines["Overall index"]
    assert "  KAZ  2 → unranked (coverage below the rubric's minimum)" in out and "  RUS  1 → 1" in out
    assert "sensitivity draws (seed 0, both sides drawn alike): 5-95% interval" in out


def test_whatif_json_and_markdown_briefs():
    doc = json.loads(runner.invoke(app, ["whatif", "KAZ", "--scenario", DRAFT, "--draws", "100", "-f", "json"]).output)
    assert doc["scenario"]["name"] == DRAFT and doc["before"]["as_of"] == "2026-03-01" and doc["after"]["as_of"] == "2026-07-01"
    moves = {m["criterion"]: m for m in doc["moves"]}
    assert "con-treaties" not in moves  # 3 before (1995 text) and 3 after (the draft)
    assert moves["con-treaty-status"]["before"]["deciding"][0]["id"] == "kaz-con-treaty-status-1"
    assert moves["con-treaty-status"]["after"]["deciding"][0]["id"] == "kaz-con2026-treaty-status"
    assert moves["con-treaty-status"]["after"]["deciding"][0]["scenario"] is True
    assert doc["overall"]["delta"] == pytest.approx(-7.41, abs=0.01)  # 88.9 -> 81.5, as above
    low, high = doc["interval"]["low"], doc["interval"]["high"]
    assert low <= doc["interval"]["median"] <= high and doc["interval"]["beyond_uncertainty"] == (low > 0 or high < 0)
    # the same evidence on one date: only the overlay moves; the draft equals the adopted record, so nothing moves
    same = json.loads(runner.invoke(app, ["whatif", "KAZ", "--scenario", DRAFT, "--before", "2026-07-01", "--draws", "0", "-f", "json"]).output)
    assert same["moves"] == [] and same["overall"]["delta"] == 0 and same["interval"] is None
    for lang, words in (("en", "What the scenario would change: Kazakhstan"), ("ru", "Что изменит сценарий: Казахстан"),
                        ("kk", "Сценарий нені өзгертеді: Қазақстан")):
        r = runner.invoke(app, ["whatif", "KAZ", "RUS", "--scenario", DRAFT, "--draws", "100", "-f", "markdown", "--lang", lang])
        assert r.exit_code == 0 and r.output.startswith(f"# {words}\n"), r.output
        assert "| con-treaty-status " in r.output
        assert len(r.output.splitlines()) < 60  # one page


def test_whatif_needs_the_scenarios_country():
    r = runner.invoke(app, ["whatif", "RUS", "--scenario", DRAFT, "--draws", "0"])
    assert r.exit_code == 2 and "scenario 'kaz-constitution-2026-draft' is on KAZ; name KAZ among the countries" in r.output


def test_the_shipped_draft_validates_and_changes_nothing_without_scenario():
    loaded = api.load(None)
    problems, files = api.check_scenarios(loaded)
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert any(f.endswith("kaz-constitution-2026-draft/constitution.yaml") for f in files)
    scen = api.scenario_of(DRAFT)
    assert scen.shipped is False or scen.shipped is True  # (a source checkout is its own workspace)
    assert scen.status == "draft" and scen.in_force_from == dt.date(2026, 7, 1) and scen.as_of == dt.date(2026, 3, 1)


# ---------------------------------------------------------------- the report


def test_report_with_a_scenario_is_stamped_on_every_sheet_and_in_the_html(tmp_path):
    from openpyxl import load_workbook

    r = runner.invoke(app, ["report", "KAZ", "RUS", "--scenario", DRAFT, "--out", str(tmp_path), "--draws", "100"])
    assert r.exit_code == 0, r.output
    html_path, xlsx_path = r.output.split()
    assert "-scenario-kaz-constitution-2026-draft-en." in html_path
    stamp = "SCENARIO kaz-constitution-2026-draft (draft): Draft Constitution of Kazakhstan (final draft published 12 Feb 2026)"
    html = Path(html_path).read_text(encoding="utf-8")
    assert f"<title>{stamp}" in html and 'class="scenario-stamp"' in html and "@top-center" in html
    wb = load_workbook(xlsx_path)
    for ws in wb.worksheets:
        cells = [c.value for row in ws.iter_rows(min_col=1, max_col=1) for c in row if isinstance(c.value, str)]
        assert any(v.startswith(stamp) for v in cells), ws.title
        assert ws.oddHeader.center.text.startswith(stamp), ws.title
    assert wb.properties.title.startswith(stamp)


def _chromium():
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
        import pypdf  # noqa: F401
    except ImportError:
        return None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="needs chromium, playwright and pypdf")
def test_every_printed_page_of_a_scenario_report_carries_the_stamp(tmp_path):
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    r = runner.invoke(app, ["report", "KAZ", "RUS", "--scenario", DRAFT, "--out", str(tmp_path), "--draws", "100", "--format", "html"])
    (html_path,) = r.output.split()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(java_script_enabled=False)
        page.goto(Path(html_path).as_uri())
        pdf = page.pdf(format="A4")
        browser.close()
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) > 3
    missing = [i + 1 for i, pg in enumerate(pages) if "SCENARIO kaz-constitution-2026-draft" not in pg.extract_text()]
    assert missing == []


# ---------------------------------------------------------------- as installed


def test_the_shipped_scenario_is_read_only_in_an_installed_package(tmp_path):
    """Laid out as the wheel installs it (pyproject force-include: scenarios ->
    assess/_shipped/scenarios), whatif works from an empty folder, and a report
    into the shipped scenarios is refused."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "assess", site / "assess", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_shipped"))
    for src, dest in (("criteria", "criteria"), ("evidence", "evidence"), ("scenarios", "scenarios"), ("reports/templates", "templates")):
        shutil.copytree(REPO / src, site / "assess" / "_shipped" / dest)
    assert "scenarios" in (REPO / "pyproject.toml").read_text(encoding="utf-8").split("force-include]")[1].split("[")[0]
    env = {k: v for k, v in os.environ.items() if k not in ("ASSESS_DATA", "PYTHONPATH")}
    env.update(PYTHONPATH=str(site), PYTHONDONTWRITEBYTECODE="1")
    empty = tmp_path / "empty"
    empty.mkdir()

    def run(*args):
        return subprocess.run([sys.executable, "-m", "assess", *map(str, args)], cwd=empty, env=env, capture_output=True,
                              text=True, encoding="utf-8", timeout=120)

    r = run("whatif", "KAZ", "--scenario", DRAFT, "--draws", "0")
    assert r.returncode == 0 and "con-treaty-status: 3 Operational → 1 Indirect" in r.stdout, r.stdout + r.stderr
    scenarios = site / "assess" / "_shipped" / "scenarios"
    r = run("report", "KAZ", "--scenario", DRAFT, "--draws", "0", "--out", scenarios / "out")
    assert r.returncode == 2 and "read-only" in r.stderr, r.stderr
    assert not (scenarios / "out").exists() and list(empty.iterdir()) == []


def test_hostile_scenario_text_is_shown_never_obeyed(tmp_path):
    """A scenario's title with a terminal escape, a right-to-left override and
    markup: the terminal shows the escapes (textout.visible), markdown and JSON
    keep the data, and the report's title, banner and printed-page margin
    (a CSS string of hex escapes) never let it out of its element."""
    hostile = "Bill \x1b[2J\u202e </style><script>alert(1)</script> \"q\" \\ end"
    ws = small(tmp_path, {"replace_findings": [{"id": "f0", "criterion": "c1", "document": "nld-d0", "locator": "Art. 1 \x1b]0;x\x07",
                                                 "quote": "q", "level": 3}]})
    path = ws / "scenarios/s/scenario.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["scenario"]["title"] = hostile
    data["scenario"]["as_of"] = dt.date(2010, 1, 1)
    dump(path, data)
    for args in (["score", "NLD"], ["whatif", "NLD", "--draws", "20"], ["whatif", "NLD", "--draws", "0", "-f", "markdown"]):
        r = runner.invoke(app, [*args, "--data", str(ws), "--scenario", "s"])
        assert r.exit_code == 0, (args, r.output)
        assert "\x1b" not in r.output and "\u202e" not in r.output and "\x07" not in r.output, args
        assert "\\x1b[2J" in r.output and "<U+202E>" in r.output, args
    doc = json.loads(runner.invoke(app, ["whatif", "NLD", "--draws", "0", "-f", "json", "--data", str(ws), "--scenario", "s"]).output)
    assert doc["scenario"]["title"] == hostile
    r = runner.invoke(app, ["report", "NLD", "--draws", "0", "--format", "html", "--out", str(tmp_path / "out"), "--data", str(ws),
                            "--scenario", "s"])
    assert r.exit_code == 0, r.output
    html = Path(r.output.split()[0]).read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and html.count("</style>") == html.count("<style")
    import re

    (margin,) = re.findall(r"@top-center \{ content: (\"[^\"]*\");", html)
    assert "<" not in margin and "\\3c " in margin  # '<' as a CSS hex escape, inside one CSS string
    assert "&lt;/style&gt;&lt;script&gt;" in html  # the title and the banner, escaped


def test_unknown_scenario_outside_a_workspace_points_at_a_workspace_not_the_package(tmp_path, monkeypatch):
    """From a folder with no workspace the shipped data is read-only: the message
    says where a scenario of one's own goes, never a folder inside the package."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASSESS_DATA", raising=False)
    r = runner.invoke(app, ["whatif", "KAZ", "--scenario", "nope", "--draws", "0"])
    assert r.exit_code == 2, r.output
    assert "unknown scenario 'nope'" in r.output and "scenarios here: kaz-constitution-2026-draft" in r.output
    assert "scenarios/<name>/ in your workspace" in r.output and "_shipped" not in r.output
