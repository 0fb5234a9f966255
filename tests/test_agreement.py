"""Several coders: agreement figures worked out by hand, and how their levels combine."""

import json

import pytest
from typer.testing import CliRunner

import assess
from assess.cli import app

from conftest import write

runner = CliRunner()

# Two coders, a and b, on four units (country x criterion), all as of 2012-06-30:
#   NLD c1: a 1, b 1     NLD c2: a 2, b 2     NLD l1: a 3, b 2 (the one disagreement)     FRA c1: a 0, b 0
TWO_CODERS_NLD = """
findings:
  - {id: a-c1, criterion: c1, document: nld-const, locator: Art. 1, quote: q, level: 1, coder: a}
  - {id: b-c1, criterion: c1, document: nld-const, locator: Art. 1, quote: q, level: 1, coder: b}
  - {id: a-c2, criterion: c2, document: nld-const, locator: Art. 2, quote: q, level: 2, coder: a}
  - {id: b-c2, criterion: c2, document: nld-const, locator: Art. 2, quote: q, level: 2, coder: b}
  - {id: a-l1, criterion: l1, document: nld-law-b, locator: Art. 3, quote: q, level: 3, coder: a}
  - {id: b-l1, criterion: l1, document: nld-law-b, locator: Art. 3, quote: q, level: 2, coder: b}
"""
TWO_CODERS_FRA = """
findings:
  - {id: a-fc1, criterion: c1, level: 0, reason: nothing in the Constitution, coder: a}
  - {id: b-fc1, criterion: c1, level: 0, reason: nothing found, coder: b}
"""


@pytest.fixture
def coded(mini):
    (mini / "evidence/NLD/findings.yaml").write_text("findings: []\n")
    fra = mini / "evidence/FRA/country.yaml"
    fra.write_text(fra.read_text().split("findings:")[0])
    write(mini / "evidence/NLD/coders.yaml", TWO_CODERS_NLD)
    write(mini / "evidence/FRA/coders.yaml", TWO_CODERS_FRA)
    return mini


def test_alpha_and_agreement_by_hand(coded):
    a = assess.api.agreement(as_of="2012-06-30", data=str(coded))
    # Values pooled: 0,0 1,1 2,2 3,2 -> n=8; n0=2, n1=2, n2=3, n3=1.
    # Ordinal distances d(c,k) = (sum of n_g from c to k - (n_c + n_k)/2)^2: d(2,3) = (4 - 2)^2 = 4, ...
    # D_o = (1/8) * (1*4 + 1*4) = 1. D_e = 2 * (16 + 121.5 + 84.5 + 37.5 + 40.5 + 12) / (8*7) = 624/56.
    # alpha = 1 - D_o/D_e = 1 - 56/624 = 0.910256...
    assert a.alpha["overall"] == pytest.approx(1 - 56 / 624)
    assert a.percent["overall"] == pytest.approx(3 / 4)
    assert [(u.country, u.criterion, u.levels) for u in a.disagreements] == [("NLD", "l1", {"a": 3, "b": 2})]
    # the t-const tier alone: coders agree on every unit (1,1 2,2 0,0) and the values vary, so alpha is 1
    assert a.percent["t-const"] == 1.0 and a.alpha["t-const"] == pytest.approx(1.0)
    assert a.alpha["t-law"] is None and "fewer than two units" in a.notes["t-law"]


def test_unreconciled_disagreement_scores_the_lower_level_and_warns(coded):
    s = assess.compute_scores(["NLD"], as_of="2012-06-30", data=str(coded))
    row = s.criteria[s.criteria.criterion == "l1"].iloc[0]
    assert row.level == 2 and row.findings == ["b-l1"]
    report = assess.check(assess.load_data(str(coded)))
    assert any(p.severity == "warning" and "coders disagree on l1" in p.message for p in report.problems)
    ex = assess.explain_level("NLD", "l1", as_of="2012-06-30", data=str(coded))
    assert "coders disagree (a: 3, b: 2), unreconciled: the lowest level counts" in ex.result.rule_text


def test_a_reconciled_finding_decides(coded):
    write(coded / "evidence/NLD/reconciled.yaml", """
        findings:
          - {id: r-l1, criterion: l1, document: nld-law-b, locator: Art. 3, quote: q, level: 3, coder: r, reconciled: true}
    """)
    s = assess.compute_scores(["NLD"], as_of="2012-06-30", data=str(coded))
    row = s.criteria[s.criteria.criterion == "l1"].iloc[0]
    assert row.level == 3 and row.findings == ["r-l1"]
    report = assess.check(assess.load_data(str(coded)))
    assert not any("coders disagree" in p.message for p in report.problems)


def test_disagreement_rule_is_data(coded):
    p = coded / "criteria/mini.yaml"
    p.write_text(p.read_text().replace("  rule: highest\n", "  rule: highest\n  disagreement: highest\n"))
    s = assess.compute_scores(["NLD"], as_of="2012-06-30", data=str(coded))
    assert s.criteria[s.criteria.criterion == "l1"].iloc[0].level == 3


def test_agreement_cli(coded):
    r = runner.invoke(app, ["agreement", "--as-of", "2012-06-30", "--data", str(coded)])
    assert r.exit_code == 0, r.output
    assert "0.910" in r.output and "75%" in r.output and "NLD l1: a: level 3 (a-l1); b: level 2 (b-l1)" in r.output
    r = runner.invoke(app, ["agreement", "--as-of", "2012-06-30", "--format", "json", "--data", str(coded)])
    doc = json.loads(r.output)
    assert doc["coders"] == ["a", "b"] and len(doc["disagreements"]) == 1


def test_report_methodology_shows_coders_alpha_and_the_disagreement(coded):
    from assess.output.render.html import render_html

    ctx = assess.api.report_context(["NLD", "FRA"], as_of="2012-06-30", data=str(coded), draws=0)
    html = render_html(ctx, assess.api.templates_dir())
    methodology = html.split('<section id="methodology">')[1]
    assert "Coders: a, b; units coded by two or more: 4." in methodology
    # alpha worked out in test_alpha_and_agreement_by_hand: 1 - 56/624 = 0.910
    assert 'data-field="alpha:overall" data-country="all">0.910<' in methodology
    disagreements = methodology.split('class="disagreements"')[1].split("</table>")[0]
    assert "l1" in disagreements and "a: 3 (a-l1); b: 2 (b-l1)" in disagreements
    assert disagreements.count("<tr><th scope=\"row\">") == 1
