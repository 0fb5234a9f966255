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
from assess.output.render.html import render_html

from conftest import FROZEN, MINI, write

runner = CliRunner()


def render(data=MINI, countries=("NLD", "FRA"), lang="en", as_of="2012-06-30"):
    ctx = api.report_context(list(countries), as_of=as_of, data=None if data is None else str(data), lang=lang)
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
    # the world layout (tests/test_world.py): a ranking, strips and a matrix; the detail is in per-country reports
    assert 'class="country-detail"' not in html and 'id="matrix"' in html
    assert "Ranking" in html


def test_report_command_writes_both_files(tmp_path):
    r = runner.invoke(app, ["report", "NLD", "FRA", "--as-of", "2012-06-30", "--data", str(MINI), "--out", str(tmp_path), "--format", "html"])
    assert r.exit_code == 0, r.output
    (path,) = r.output.split()
    assert Path(path).exists() and path.endswith(".html")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    r = runner.invoke(app, ["report", "NLD", "--format", "docx", "--data", str(MINI), "--out", str(tmp_path)])
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


def test_timeline_section_lists_every_change_of_the_overall_index():
    """The shipped KAZ-RUS report as of 2026-11-28: the timeline chart is
    inline SVG and the change-point table has one row per overall change of
    the context, with its documents, and its coverage move apart from its
    score move. Worked by hand from evidence/KAZ (every weight 1, levels out of 3):

    - 2002-03-07, the Law on the Diplomatic Service: law-mfa-support (3)
      joins laws (law-assemblies 3): the tier stays 100, the index 86.1
      (constitution 11/12, laws 100, internal 8/12, no concept yet), 9 -> 10
      of 16 criteria: "= no change".
    - 2016-01-01, the 2013-2015 roadmap lapses and the finding that no
      strategy followed takes over: int-strategy 3 -> 0 on a criterion
      assessed on both days, internal 11/15 -> 8/15, index
      (91.7 + 100 + 44.4 + 73.3)/4 = 77.4 -> (91.7 + 100 + 44.4 + 53.3)/4 = 72.4: -5.0.
    - 2026-07-01, the lapse: 77.9 -> 83.3 on what is assessed each day, but
      15 -> 6 of 16 criteria and 83.3 on the 6 assessed on both days: "= no
      change", never "+5.4".

    Coverage below 75%: KAZ until 2012-12-31 (12 of 16 from 2013-01-01) and
    from 2026-07-01, RUS until 2013-02-11: three hatched spans, each in the
    plot, on the country's row under the years, and in words (the SVG's
    text alternative and a line under the chart)."""
    from html import unescape

    ctx, html = render(data=FROZEN, countries=("KAZ", "RUS"), as_of="2026-11-28")
    changes = [c for ser in ctx["timeline"]["series"] for c in ser["changes"] if c["scope"] == "overall"]
    assert changes and '<svg class="chart timeline-chart"' in html
    section = unescape(html.split('<section id="timeline">')[1].split("</section>")[0])
    rows = section.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == len(changes) == section.count('<tr><td class="num" data-label="#">')

    def row(day):
        (found,) = [r for r in rows if f'<time datetime="{day}">' in r and "Kazakhstan" in r]
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found)).strip()

    assert row("2002-03-07").startswith("6 Kazakhstan 07 Mar 2002 86.1 → 86.1 = no change 9 → 10 of 16 "
                                        "criteria assessed on both days: 9 now assessed: Foreign ministry informs and assists")
    assert 'Law "On the Diplomatic Service of the Republic of Kazakhstan" in force' in row("2002-03-07")
    assert row("2016-01-01") == ("10 Kazakhstan 01 Jan 2016 77.4 → 72.4 -5.0 finding on “A current strategy or roadmap of "
                                 "parliamentary diplomacy” in force; Roadmap for the Development of Parliamentary Diplomacy of "
                                 "the Republic of Kazakhstan for 2013-2015 no longer in force")
    lapse = row("2026-07-01")
    assert lapse.startswith("12 Kazakhstan 01 Jul 2026 77.9 → 83.3 = no change 15 → 6 of 16 criteria assessed on both days: 6 "
                            "no longer assessed: ")
    assert "+5.4" not in lapse and "Constitution of the Republic of Kazakhstan no longer in force" in lapse

    svg = section.split("<svg")[1].split("</svg>")[0]
    assert svg.count('class="thin-band') == 3 and svg.count('class="thin-track') == 3
    assert "Kazakhstan: fewer than 75% of the criteria assessed, so no headline index, on 01 Jan 1993 – 31 Dec 2012; " \
           "01 Jul 2026 – 28 Nov 2026." in svg.split("<desc")[1].split("</desc>")[0]
    assert "Russia: fewer than 75% of the criteria assessed, so no headline index, on 01 Jan 1993 – 11 Feb 2013." in section
    # a hollow mark for each change that moved only the set of criteria assessed, a filled one for the rest
    same = [c for c in changes if c["kind"] == "coverage" and c["after"] is not None]
    assert svg.count('class="mark-ring') == len(same) and svg.count('class="mark-dot') == sum(c["after"] is not None for c in changes) - len(same)
    assert "Hatched band" in section and "A hollow numbered point" in section  # the legend, under the chart
    assert "<polyline" in section and 'faint"' in svg  # the line is drawn faint where coverage is thin


def test_sensitivity_section_states_rank_stability_in_words():
    ctx, html = render(data=FROZEN, countries=("KAZ", "RUS"), as_of="2026-11-28")
    (pair,) = ctx["sensitivity"]["pairs"]
    share = round(100 * pair["share"])
    assert pair["text"] in html and pair["text"].endswith(" of draws")
    assert f"{pair['a_name']} ranks above {pair['b_name']} in {share}% of draws" == pair["text"]
    assert "Varied in each draw:" in html
    # the draws fill in unassessed criteria and move uncertain findings' levels, so the index as
    # scored (on the assessed criteria, coded levels) need not lie inside the interval
    for c in ctx["sensitivity"]["countries"]:
        assert c["low"] <= c["high"] and c["range_low"] <= c["range_high"]
    ctx0 = api.report_context(["KAZ", "RUS"], as_of="2026-11-28", draws=0)
    assert "was not run" in render_html(ctx0, api.templates_dir())


def test_criteria_assessed_for_one_country_only_say_so():
    """On mini as of 2012-06-30, c2 and l2 are assessed for NLD only (FRA has no
    counting finding for them), c1 (n/a for FRA) and l1 for both."""
    ctx, html = render()
    assert ctx["comparison"]["common"] == ["c1", "l1"]
    assert ctx["comparison"]["partial"] == ["c2", "l2"]
    rows = {cid: html.split(f'<tr id="crit-{cid}">')[1].split("</tr>")[0] for cid in ("c1", "c2", "l1", "l2")}
    assert "Assessed only for NLD" in rows["c2"] and "Assessed only for NLD" in rows["l2"]
    assert "Assessed only" not in rows["c1"] and "Assessed only" not in rows["l1"]
    assert "Only 2 of 4 criteria are assessed for every country" in html


def test_common_only_compares_like_with_like():
    """Restricted to c1 and l1: NLD t-const = c1 3/3 = 100, t-law = l1 2/3 =
    66.667, overall (100*2 + 66.667*1)/3 = 88.889; FRA t-const has only c1,
    which is n/a, so no score, t-law = l1 1/3 = 33.333, overall 33.333."""
    ctx = api.report_context(["NLD", "FRA"], as_of="2012-06-30", data=str(MINI), common_only=True)
    by = {c["iso3"]: c for c in ctx["countries"]}
    assert by["NLD"]["overall"] == pytest.approx((200 + 200 / 3) / 3)
    assert by["FRA"]["overall"] == pytest.approx(100 / 3)
    assert by["FRA"]["tiers"][0]["score"] is None
    html = render_html(ctx, api.templates_dir())
    assert "computed on the 2 of 4 criteria assessed for every country" in html
    r = runner.invoke(app, ["report", "NLD", "FRA", "--as-of", "2012-06-30", "--data", str(MINI), "--format", "html", "--common-only", "--out", "out"])
    assert r.exit_code == 0, r.output
    assert r.output.strip().endswith("-common.html")


def test_report_options_out_of_range_are_usage_errors(tmp_path):
    r = runner.invoke(app, ["report", "NLD", "--data", str(MINI), "--as-of", "2012-06-30", "--draws", "-1", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "--draws must be between 0 and 1,000,000" in r.output
    r = runner.invoke(app, ["report", "NLD", "--data", str(MINI), "--as-of", "2012-06-30", "--timeline-from", "2020", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "--timeline-from 2020-01-01 is after the as-of date 2012-06-30" in r.output
    assert list(tmp_path.iterdir()) == []
