"""The report's methodology gives the share of findings verified against
source texts (assess verify), in both formats.

The fixture workspace (tests/data/sources/workspace, made for the verify
tests) holds 9 findings, 8 with a source text; 5 quotes are found at their
locator: 5 of 9 = 56%. Its country is renamed FRA here because a report
needs an ISO 3166 code."""

import shutil

import openpyxl

import assess
from conftest import HERE


def test_methodology_states_the_share_verified_against_source_texts(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(HERE / "data" / "sources" / "workspace", ws)
    (ws / "evidence" / "FRE").rename(ws / "evidence" / "FRA")
    country = ws / "evidence" / "FRA" / "country.yaml"
    country.write_text(country.read_text(encoding="utf-8").replace("iso3: FRE", "iso3: FRA"), encoding="utf-8")

    paths = assess.write_reports(["FRA"], out=str(tmp_path / "out"), data=str(ws), draws=0)
    html = next(p for p in paths if p.endswith(".html"))
    sentence = "5 of 9 findings (56%) have their quote at their locator; 8 have a source text in the workspace."
    assert sentence in open(html, encoding="utf-8").read()
    wb = openpyxl.load_workbook(next(p for p in paths if p.endswith(".xlsx")))
    texts = [c for row in wb["Methodology"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(sentence in t for t in texts)
    # the shipped data has no source texts yet: the report says so in figures
    context = assess.report_context(["KAZ"], draws=0)
    assert context["verification"]["with_source_text"] == 0 and context["verification"]["verified"] == 0
