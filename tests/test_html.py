"""The HTML report: numbers match the score frames, nothing leaves the file,
hostile evidence stays inert, and Chromium renders it."""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import assess.api as api
from assess.cli import app
from assess.render.html import render_html

from conftest import MINI, write

runner = CliRunner()


def render(data=MINI, countries=("NLD", "FRA"), lang="en", as_of="2012-06-30"):
    ctx = api.report_context(list(countries), as_of=as_of, data=str(data), lang=lang)
    return ctx, render_html(ctx, api.templates_dir())


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = {}  # (country, field) -> [texts]
        self.levels = {}  # (country, criterion) -> data-level
        self.links = []
        self.tags = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if "data-field" in a:
            self._open = (a["data-country"], a["data-field"])
            self.fields.setdefault(self._open, []).append("")
        if "data-criterion" in a:
            self.levels[(a["data-country"], a["data-criterion"])] = a.get("data-level")

    def handle_endtag(self, tag):
        if tag in ("td", "span"):
            self._open = None

    def handle_data(self, data):
        if self._open:
            self.fields[self._open][-1] += data


def parse(html):
    c = Collector()
    c.feed(html)
    return c


def test_every_number_matches_the_score_frames():
    ctx, html = render()
    scores = ctx["scores"]
    c = parse(html)
    for row in scores.overall.itertuples():
        shown = c.fields[(row.country, "overall")]
        assert shown and all(s.strip() == f"{row.overall:.1f}" for s in shown), (row.country, shown)
    for row in scores.tiers.itertuples():
        text = c.fields[(row.country, f"tier:{row.tier}")][0].strip().rstrip("◐")
        expected = "–" if pd.isna(row.score) else f"{row.score:.1f}"
        assert text == expected, (row.country, row.tier, text)
    for row in scores.criteria.itertuples():
        level = c.levels[(row.country, row.criterion)]
        assert level == ("" if pd.isna(row.level) else str(int(row.level)))


def test_self_contained_no_outside_requests():
    _, html = render()
    assert not re.search(r"<script[^>]*\bsrc=", html, re.I)
    assert not re.search(r"<link[^>]*\bhref=", html, re.I)
    assert not re.search(r"<img[^>]*\bsrc=", html, re.I)
    assert not re.search(r"url\(\s*['\"]?(?!#)", html, re.I)
    assert "<script" not in html.lower()  # readable without JavaScript: there is none


def test_sections_and_accessibility():
    _, html = render()
    for anchor in ("headline", "tiers", "criteria", "gaps", "documents", "methodology"):
        assert f'id="{anchor}"' in html
    assert 'role="img"' in html and "<title id=\"chart-title\">" in html and "<desc" in html
    assert html.count('scope="col"') > 10 and 'scope="row"' in html
    # not assessed and unverified are said in words, not only by colour
    assert "Not assessed" in html and "unverified" in html


def test_hostile_evidence_is_inert(mini):
    write(mini / "evidence/NLD/hostile.yaml", """
        documents:
          - id: nld-evil
            type: constitution
            title: "<img src=x onerror=alert(1)>Evil"
            in_force_from: 2000-01-01
            url: "javascript:alert(1)"
        findings:
          - id: n-evil
            criterion: c2
            document: nld-evil
            locator: "Art. <b>1</b>"
            quote: "<script>alert('x')</script> =HYPERLINK(\\"http://evil.example\\",\\"x\\")"
            level: 1
    """)
    _, html = render(data=mini)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "javascript:" not in html
    assert "<b>1</b>" not in html
    links = parse(html).links
    assert all(h.startswith(("http://", "https://", "#")) for h in links), links


def test_russian_labels():
    _, html = render(lang="ru")
    assert 'lang="ru"' in html and "Общий индекс" in html and "Методология" in html
    assert "55,6" in html  # decimal comma


def test_many_countries_switch_to_ranking_and_detail(mini):
    for code in ("DEU", "ITA", "ESP", "POL", "SWE", "AUT"):
        shutil.copytree(mini / "evidence/FRA", mini / f"evidence/{code}")
        p = mini / f"evidence/{code}/country.yaml"
        p.write_text(p.read_text().replace("iso3: FRA", f"iso3: {code}").replace("France", code.title()))
    ctx, html = render(data=mini, countries=["NLD", "FRA", "DEU", "ITA", "ESP", "POL", "SWE", "AUT"])
    assert not ctx["side_by_side"]
    assert html.count('class="country-detail"') == 8
    assert "Ranking" in html


def test_report_command_writes_both_files(tmp_path):
    r = runner.invoke(app, ["report", "NLD", "FRA", "--as-of", "2012-06-30", "--data", str(MINI), "--out", str(tmp_path), "--format", "html"])
    assert r.exit_code == 0, r.output
    (path,) = r.output.split()
    assert Path(path).exists() and path.endswith(".html")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    r = runner.invoke(app, ["report", "NLD", "--format", "pdf", "--data", str(MINI)])
    assert r.exit_code == 2
    r = runner.invoke(app, ["report", "NLD", "--lang", "de", "--data", str(MINI), "--out", str(tmp_path)])
    assert r.exit_code == 2 and "unknown language" in r.output


def _chromium():
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        return None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="needs Debian's chromium and the playwright package (.ci/run installs both)")
def test_renders_in_headless_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    _, html = render()
    page_file = tmp_path / "report.html"
    page_file.write_text(html, encoding="utf-8")
    shot = tmp_path / "shot.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=_chromium(),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900}, java_script_enabled=False)
        errors, requests = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        page.screenshot(path=str(shot), full_page=True)
        heading = page.inner_text("h1")
        browser.close()
    assert errors == []
    assert [u for u in requests if not u.startswith("file://")] == []
    assert "Parliamentary diplomacy" in heading
    data = shot.read_bytes()
    assert len(data) > 20_000  # a blank page compresses to a few kB
