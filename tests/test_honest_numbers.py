"""Headline and rank follow coverage; comparisons are like with like (issue #14, sections 1-2).

Every expected figure below is worked out by hand from the shipped evidence
(evidence/KAZ, evidence/RUS) or the mini fixture, as each test says."""

import json
import re
from html import unescape

import pytest
from typer.testing import CliRunner

import assess
from assess.cli import app
from assess.scoring.score import standings

from conftest import FROZEN, MINI, write

F = ["--data", str(FROZEN)]  # the shipped data frozen as of 2026-11-30, on which the figures below were worked out

runner = CliRunner()


def test_a_country_under_the_coverage_threshold_has_no_rank(mini):
    """The mini rubric ranks everyone (no threshold); with band_min_coverage
    0.75, FRA (2 of 4 criteria assessed = 50%) is unranked and NLD (4 of 4) is
    ranked first, alone. FRA's range is its overall_min..overall_max."""
    rubric = mini / "criteria" / "mini.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("  rule: highest\n", "  rule: highest\n  band_min_coverage: 0.75\n"),
                      encoding="utf-8")
    s = assess.compute_scores(["NLD", "FRA"], as_of="2012-06-30", data=str(mini))
    nld, fra = standings(s.rubric, s.countries)
    assert (nld.ranked, nld.rank, nld.reason) == (True, 1, None)
    assert (fra.ranked, fra.rank, fra.reason) == (False, None, "coverage")
    assert fra.coverage == pytest.approx(0.5) and (fra.assessed, fra.total) == (2, 4)
    o = s.country("FRA").overall
    assert (fra.range_low, fra.range_high) == (o.score_min, o.score_max)
    row = s.overall.set_index("country").loc["FRA"]
    assert not row.ranked and row.unranked_reason == "coverage"


def test_ties_share_a_rank_and_the_next_rank_skips(mini):
    """Two copies of NLD score the same: both rank 1 (competition ranking)."""
    import shutil
    shutil.copytree(mini / "evidence" / "NLD", mini / "evidence" / "BEL")
    country = mini / "evidence" / "BEL" / "country.yaml"
    country.write_text(country.read_text(encoding="utf-8").replace("iso3: NLD", "iso3: BEL"), encoding="utf-8")
    s = assess.compute_scores(["NLD", "BEL", "FRA"], as_of="2012-06-30", data=str(mini))
    ranks = {st.iso3: st.rank for st in standings(s.rubric, s.countries)}
    assert ranks["NLD"] == ranks["BEL"] == 1 and ranks["FRA"] == 3


def test_shipped_today_kazakhstan_is_unranked_and_russia_ranked():
    """On the shipped data frozen as of 2026-11-30 (tests/data/shipped-2026-11): Kazakhstan has 6 of 16 criteria assessed (38% < 75%):
    unranked, headline range 35.4-91.7 (constitution and internal tiers 0..100,
    laws 75..100 with law-parliament-status open, concept 66.7:
    (0 + 75 + 66.7 + 0)/4 = 35.4 and (100 + 100 + 66.7 + 100)/4 = 91.7).
    Russia (14 of 16) is ranked 1. The 5 criteria assessed for both are
    law-treaties, law-assemblies and the three concept criteria: Kazakhstan
    (laws 100, concept 66.7) = 83.3, Russia (100, 100) = 100.0."""
    r = runner.invoke(app, ["score", "KAZ", "RUS", "--as-of", "2026-11-30", "--format", "json", *F])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    kaz, rus = doc["countries"]
    assert (kaz["ranked"], kaz["rank"], kaz["unranked_reason"]) == (False, None, "coverage")
    assert (kaz["range_low"], kaz["range_high"]) == (35.4167, 91.6667)
    assert (rus["ranked"], rus["rank"]) == (True, 1)
    assert doc["common"] == {"criteria": ["law-treaties", "law-assemblies", "fpc-mention", "fpc-continuity", "fpc-scope"],
                             "overall": {"KAZ": 83.3333, "RUS": 100.0}}
    text = runner.invoke(app, ["score", "KAZ", "RUS", "--as-of", "2026-11-30", *F]).output
    assert "35.4-91.7 (possible range)" in text and "unranked: coverage 38% < 75%" in text
    assert re.search(r"on the 5 criteria assessed for all\s+83\.3\s+100\.0", text)
    csv_text = runner.invoke(app, ["score", "KAZ", "RUS", "--as-of", "2026-11-30", "--format", "csv", *F]).output
    header, first = csv_text.splitlines()[:2]
    cells = dict(zip(header.split(","), first.split(",")))
    assert (cells["ranked"], cells["rank"], cells["range_low"], cells["overall_common"]) == ("false", "", "35.4167", "83.3333")


def test_shipped_report_first_screen(tmp_path):
    """The report as of 2026-11-30, on the shipped data frozen then: Kazakhstan's card shows the range, not a
    large point index, and no rank; Russia's shows 89.6 and rank 1 of 1; the
    lead sentence compares them on the 5 common criteria (Russia 100.0 against
    83.3, a 16.7-point lead, ahead on the Foreign Policy Concept (100 - 66.7),
    level on laws)."""
    r = runner.invoke(app, ["report", "KAZ", "RUS", "--as-of", "2026-11-30", "--out", str(tmp_path), "--format", "html", *F])
    assert r.exit_code == 0, r.output
    html = unescape(open(r.output.split()[0], encoding="utf-8").read())
    cards = dict(re.findall(r'<article class="card[^"]*" aria-labelledby="card-(\w+)">(.*?)</article>', html, re.S))
    assert 'class="big range"' in cards["KAZ"] and 'data-field="overall">83.3' not in cards["KAZ"].split("big range")[1].split("</p>")[0]
    assert not re.search(r'class="big"><span class="value" data-country="KAZ"', html)
    assert "35.4–91.7" in cards["KAZ"] and "Not ranked" in cards["KAZ"]
    assert 'class="big"><span class="value" data-country="RUS" data-field="overall">89.6' in cards["RUS"]
    assert "Rank 1 of 1" in cards["RUS"]
    lead = re.search(r'<p class="lead" id="lead">(.*?)</p>', html, re.S).group(1)
    # where the lead comes from: the concept, 100 - 66.7 = +33.3, is all of it; the constitution and
    # internal documents have no criterion assessed for both (issue 17)
    assert " ".join(lead.split()) == ("On the 5 criteria assessed for both, Russia leads Kazakhstan by 16.7 points "
                                      "(100.0 against 83.3). Russia is ahead entirely on Foreign Policy Concept (+33.3). "
                                      "They are level on Laws. Not compared (no criterion assessed for all): Constitution "
                                      "and Internal documents of the legislature.")
    ranking = html.split('<table class="ranking">')[1].split("</table>")[0]
    assert ranking.index("RUS") < ranking.index("KAZ") and ">unranked<" in ranking


def test_a_level_resting_on_low_confidence_evidence_is_marked_in_the_score_table(mini):
    """c1 of NLD is decided by n-c1 alone; rated low, its cell gets the '~'
    mark and the table's foot says what it means. Rated medium, no mark."""
    findings = mini / "evidence" / "NLD" / "findings.yaml"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace("level: 3, verified: true, coder: t1}", "level: 3, verified: true, coder: t1, confidence: low}", 1),
                        encoding="utf-8")
    out = runner.invoke(app, ["score", "NLD", "--as-of", "2012-06-30", "--data", str(mini)]).output
    assert re.search(r"^\s+c1\s+3 \S+~$", out, re.M), out
    assert "~ decided by a finding or document the analyst rates low confidence." in out
    findings.write_text(text.replace("level: 3, verified: true, coder: t1}", "level: 3, verified: true, coder: t1, confidence: medium}", 1),
                        encoding="utf-8")
    out = runner.invoke(app, ["score", "NLD", "--as-of", "2012-06-30", "--data", str(mini)]).output
    assert not re.search(r"^\s+c1\s+3 \S+~$", out, re.M), out


def test_a_confidence_outside_the_scale_is_an_error_naming_the_choices(mini):
    findings = mini / "evidence" / "NLD" / "findings.yaml"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace("coder: t1}", "coder: t1, confidence: hgh}", 1), encoding="utf-8")
    r = runner.invoke(app, ["validate", "--data", str(mini)])
    assert r.exit_code == 1
    assert re.search(r"findings\.yaml:2: confidence: expected one of high, medium, low, got 'hgh' \(did you mean 'high'\?\)", r.output), r.output
