"""The HTML report as a reader sees it (issue 17): the step timeline's
geometry, the level scale's contrast, and, in headless Chromium (Debian's,
driven by playwright; never downloaded), axe-core's accessibility rules, the
phone layout at 390 px, labels that never overlap, and the PDF's numbers
against the HTML's.

The browser tests skip cleanly when the playwright package or a Chromium is
missing (.ci/run installs both); axe-core is vendored under tests/vendor."""

import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

import assess.api as api
from assess.cli import app
from assess.output.render import palette, timeline_svg
from assess.output.render.html import render_html

from conftest import FROZEN

HERE = Path(__file__).parent
AXE = Path(os.environ.get("AXE_CORE_JS") or HERE / "vendor" / "axe-core" / "axe.min.js")
runner = CliRunner()


def _chromium():
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        return None
    from assess.output.render.pdf import find_browser

    return find_browser()


CHROMIUM = _chromium()
needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="needs the playwright package and an installed Chromium (.ci/run installs both)")

_cache: dict = {}


def report(lang="en"):
    """The shipped KAZ-RUS report as of 2026-11-28, on the frozen data (few draws: the numbers are not the point here)."""
    if lang not in _cache:
        ctx = api.report_context(["KAZ", "RUS"], as_of="2026-11-28", data=str(FROZEN), lang=lang, draws=200)
        _cache[lang] = (ctx, render_html(ctx, api.templates_dir()))
    return _cache[lang]


def _points(attr):
    return [tuple(float(v) for v in p.split(",")) for p in attr.split()]


def test_every_timeline_marker_lies_on_its_step():
    """Each series' polylines are true steps (every segment horizontal or
    vertical), and every numbered marker sits on a segment of its own
    country's step, at the height of the index after the change
    (timeline_svg.y_of(after)): compared as SVG coordinates."""
    ctx, html = report()
    svg = html.split('<svg class="chart timeline-chart"')[1].split("</svg>")[0]
    groups = re.findall(r'<g class="series" data-series="(\w+)">(.*?)\n      </g>', svg, re.S)
    assert [g[0] for g in groups] == ["KAZ", "RUS"]
    series = {s["iso3"]: s for s in ctx["timeline"]["series"]}
    checked = 0
    for iso3, body in groups:
        segments = []
        for pts in re.findall(r'<polyline class="line step[^"]*" fill="none" points="([^"]+)"', body):
            p = _points(pts)
            for (x1, y1), (x2, y2) in zip(p, p[1:]):
                assert x1 == x2 or y1 == y2, (iso3, (x1, y1), (x2, y2))  # a step, never a diagonal
                segments.append((x1, y1, x2, y2))
        assert segments
        after = {c["number"]: c["after"] for c in series[iso3]["changes"] if c["scope"] == "overall"}
        for number, cx, cy in re.findall(r'<g class="mark" data-number="(\d+)"><circle cx="([\d.]+)" cy="([\d.]+)"', body):
            cx, cy = float(cx), float(cy)
            assert cy == timeline_svg.y_of(after[int(number)])
            on = [s for s in segments
                  if min(s[0], s[2]) - 1e-6 <= cx <= max(s[0], s[2]) + 1e-6 and min(s[1], s[3]) - 1e-6 <= cy <= max(s[1], s[3]) + 1e-6]
            assert on, (iso3, number, cx, cy)
            checked += 1
    # every change of the overall index with an index after it has its marker, none left off the chart
    assert checked == sum(1 for s in series.values() for c in s["changes"] if c["scope"] == "overall" and c["after"] is not None) > 0


def test_kazakhstan_2016_drop_is_drawn_on_its_day():
    """The 2016-01-01 lapse of the roadmap (77.4 -> 72.4 on the frozen data,
    worked by hand in test_html) is a riser at 2016-01-01 itself, not a year
    late: a vertical segment at x of that day from y(77.4) to y(72.4)."""
    ctx, html = report()
    tl = ctx["timeline"]
    (ch,) = [c for s in tl["series"] if s["iso3"] == "KAZ" for c in s["changes"] if c["scope"] == "overall" and str(c["date"]) == "2016-01-01"]
    x = timeline_svg.x_of((ch["date"] - tl["start"]).days / (tl["end"] - tl["start"]).days)
    kaz = html.split('data-series="KAZ">')[1].split("</g>\n")[0]
    pts = [p for run in re.findall(r'points="([^"]+)"', kaz) for p in _points(run)]
    assert (x, timeline_svg.y_of(ch["before"])) in pts and (x, timeline_svg.y_of(ch["after"])) in pts
    assert round(ch["before"], 1) == 77.4 and round(ch["after"], 1) == 72.4


def test_level_scale_is_ordered_by_lightness_with_aa_contrast():
    """Darker with every level (relative luminance strictly falls), so it reads
    in greyscale; each fill's ink has at least 4.5:1 (WCAG AA); and the
    report's stylesheet takes exactly these colours."""
    for max_level in (1, 2, 3, 4, 5, 8):
        colours = palette.level_colours(max_level)
        lum = [palette.luminance(c["fill"]) for c in colours]
        assert lum == sorted(lum, reverse=True) and len(set(lum)) == len(lum)
        assert all(palette.contrast(c["fill"], c["ink"]) >= 4.5 for c in colours)
    # the hand-checked case: white on the darkest level of four, 7.9:1
    assert round(palette.contrast("#08519c", "#ffffff"), 1) == 7.9
    _, html = report()
    for c in palette.level_colours(3):
        assert f".level-{c['level']} {{ background: {c['fill']}; color: {c['ink']}; }}" in html


def test_lead_names_where_the_lead_comes_from():
    """Frozen data as of 2026-11-28, the criteria assessed for both (5):
    Russia 100.0 against Kazakhstan 83.3 (test_honest_numbers works these
    out); the Foreign Policy Concept, 100 - 66.7 = +33.3, is the whole lead;
    laws tie at 100; the constitution and internal documents have no
    criterion assessed for both."""
    _, html = report()
    lead = " ".join(unescape(re.sub(r"<[^>]+>", "", html.split('<p class="lead" id="lead">')[1].split("</p>")[0])).split())
    assert lead.startswith("On the 5 criteria assessed for both, Russia leads Kazakhstan by 16.7 points (100.0 against 83.3).")
    assert "Russia is ahead entirely on Foreign Policy Concept (+33.3)." in lead and "They are level on Laws." in lead
    assert "Not compared (no criterion assessed for all): Constitution and Internal documents of the legislature." in lead
    assert '<svg class="chart gap-chart" role="img"' in html and "RUS +33.3" in html


def test_lead_with_three_countries_says_who_leads_each_tier():
    """With more than two countries the lead says who leads on each tier. The
    frozen KAZ-RUS context plus a made-up third country "Testland" whose
    common tier scores are Russia's with laws at 90 and the concept at 100:
    laws, Russia and Kazakhstan share the lead at 100.0 (Testland 10 behind);
    concept, Russia and Testland share 100.0; the constitution and internal
    documents have no common criterion, so they are named as not compared."""
    import copy

    from assess.output.render.context import _lead

    ctx, _ = report()
    ctx = copy.deepcopy(ctx)
    kaz, rus = (next(c for c in ctx["countries"] if c["iso3"] == code) for code in ("KAZ", "RUS"))
    third = copy.deepcopy(rus)
    third.update(iso3="TST", name="Testland", common_overall=95.0)
    for tier in third["tiers"]:
        if tier["id"] == "laws":
            tier["common_score"] = 90.0
    ctx["countries"].append(third)
    lead = _lead(ctx["countries"], ctx["comparison"]["common"], ctx["scores"].rubric, "en")
    by_tier = {x["title"]: x for x in lead["by_tier"]}
    assert by_tier["Laws"]["leaders"] == ["Kazakhstan", "Russia"] and by_tier["Laws"]["next"] == "Testland"
    assert round(by_tier["Laws"]["margin"], 1) == 10.0
    assert by_tier["Foreign Policy Concept"]["leaders"] == ["Russia", "Testland"] and by_tier["Foreign Policy Concept"]["next"] == "Kazakhstan"
    ctx["comparison"]["lead"] = lead
    html = render_html(ctx, api.templates_dir())
    text = " ".join(unescape(re.sub(r"<[^>]+>", "", html.split('<p class="lead" id="lead">')[1].split("</p>")[0])).split())
    assert "By tier, on the same criteria: Laws: Kazakhstan and Russia share the lead (100.0); " \
           "Foreign Policy Concept: Russia and Testland share the lead (100.0)." in text, text
    assert "Not compared (no criterion assessed for all): Constitution and Internal documents of the legislature." in text


@needs_browser
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_axe_finds_no_violation(tmp_path, lang):
    """axe-core's WCAG 2 A/AA rules (colour contrast among them) on the en, ru
    and kk reports, at desktop and phone width: 0 violations."""
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE}")
    _, html = report(lang)
    results = _in_browser(tmp_path, html, lang, lambda page: page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},"
        " resultTypes: ['violations']})"), axe=True)
    for width, res in results.items():
        found = [(v["id"], n["target"], (n.get("any") or [{}])[0].get("message", "")) for v in res["violations"] for n in v["nodes"]]
        assert found == [], (width, found[:5])


@needs_browser
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_phone_width_has_no_page_scroll_and_legible_charts(tmp_path, lang):
    """At 390 px the page never scrolls sideways (document.scrollingElement.scrollWidth
    <= 390), tables reflow, and every chart text is drawn at 10 px or more."""
    _, html = report(lang)
    script = """() => ({
      width: document.scrollingElement.scrollWidth,
      smallest: Math.min(...[...document.querySelectorAll('svg.chart text')].map(t => {
        const m = t.getScreenCTM(); return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); })),
    })"""
    got = _in_browser(tmp_path, html, lang, lambda page: page.evaluate(script), widths=(390,))[390]
    assert got["width"] <= 390, got
    assert got["smallest"] >= 10, got


@needs_browser
def test_chart_labels_never_overlap(tmp_path):
    """In the timeline: no text overlaps another text, and no number label
    overlaps a marker (the boxes Chromium lays out, 1 px slack)."""
    _, html = report()
    script = """() => {
      const svg = document.querySelector('svg.timeline-chart');
      const box = e => e.getBoundingClientRect();
      const texts = [...svg.querySelectorAll('text')].map(t => ({t: t.textContent, b: box(t)}));
      const marks = [...svg.querySelectorAll('g.mark circle')].map(c => ({t: 'o', b: box(c)}));
      const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      const out = [];
      texts.forEach((a, i) => {
        texts.slice(i + 1).forEach(b => { if (hit(a.b, b.b)) out.push([a.t, b.t]); });
        marks.forEach(m => { if (hit(a.b, m.b)) out.push([a.t, 'marker']); });
      });
      return out;
    }"""
    got = _in_browser(tmp_path, html, "en", lambda page: page.evaluate(script), widths=(1280,))[1280]
    assert got == []


def _in_browser(tmp_path, html, name, probe, widths=(1280, 390), axe=False):
    from playwright.sync_api import sync_playwright

    from assess.output.render.pdf import BROWSER_ARGS

    path = tmp_path / f"report-{name}.html"
    path.write_text(html, encoding="utf-8")
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(BROWSER_ARGS))
        try:
            for width in widths:
                page = browser.new_page(viewport={"width": width, "height": 900})
                errors, requests = [], []
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.on("request", lambda r: requests.append(r.url))
                page.goto(path.as_uri())
                if axe:
                    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
                out[width] = probe(page)
                assert errors == [] and [u for u in requests if not u.startswith("file://")] == []
                page.close()
        finally:
            browser.close()
    return out


@needs_browser
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_pdf_numbers_match_the_html(tmp_path):
    """`assess report --format html,pdf`: the PDF is A4, has page numbers and
    the running header, and every number the HTML shows in a data-field cell
    (indices, tier scores) appears in the PDF's text as often or more."""
    r = runner.invoke(app, ["report", "KAZ", "RUS", "--as-of", "2026-11-28", "--data", str(FROZEN), "--out", str(tmp_path),
                            "--format", "html,pdf", "--draws", "200"])
    assert r.exit_code == 0, r.output
    html_path, pdf_path = sorted(r.output.split(), key=lambda p: p.endswith(".pdf"))
    assert pdf_path.endswith(".pdf") and Path(pdf_path).read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-layout", pdf_path, "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", pdf_path], capture_output=True, text=True, check=True).stdout if shutil.which("pdfinfo") else ""
    if info:
        assert re.search(r"Page size:\s+59[45](\.\d+)? x 841(\.\d+)? pts \(A4\)", info), info
    pages = text.split("\f")
    n = len([p for p in pages if p.strip()])
    assert f"Page 1 of {n}" in pages[0] and f"Page {n} of {n}" in pages[n - 1]
    assert all("KAZ–RUS · as of 28 Nov 2026" in p for p in pages if p.strip())
    html = Path(html_path).read_text(encoding="utf-8")
    # no heading or caption is left alone at the foot of a page
    heads = [" ".join(unescape(re.sub(r"<[^>]+>", " ", m)).split())
             for m in re.findall(r"<(?:caption|h2|h3)[^>]*>(.*?)</(?:caption|h2|h3)>", html, re.S)]
    for number, page in enumerate(pages, 1):
        lines = [" ".join(x.split()) for x in page.splitlines() if x.strip() and not re.match(r"\s*Page \d", x.strip())]
        if lines:
            assert not [h for h in heads if h and (lines[-1] == h or (len(lines[-1]) > 6 and h.startswith(lines[-1])))], (number, lines[-1])
    shown = re.findall(r'data-field="(?:overall|common|tier:[\w-]+|range)">([^<]+)<', html)
    assert len(shown) >= 12
    flat = " ".join(text.split())
    for value in set(shown):
        value = unescape(value).strip()
        assert flat.count(value) >= shown.count(value) or value in flat, value


def test_pdf_without_a_browser_says_what_to_install(tmp_path, monkeypatch):
    """No Chromium on PATH and none named: exit 1, one line naming what to
    install, nothing written."""
    monkeypatch.setenv("ASSESS_CHROMIUM", str(tmp_path / "no-such-browser"))
    out = tmp_path / "out"
    r = runner.invoke(app, ["report", "KAZ", "RUS", "--data", str(FROZEN), "--out", str(out), "--format", "pdf", "--draws", "0"])
    assert r.exit_code == 1
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Chromium" in lines[0] and "never downloads" in lines[0], r.output
    assert not out.exists() or not any(out.iterdir())


def test_causes_name_documents_never_raw_finding_ids():
    """No cause in the change-point table or the markers' tooltips spells a
    finding's id (e.g. rus-int-code-none): documents by title, findings
    without a document by their criterion's title."""
    ctx, html = report()
    ids = {f["id"] for tier in ctx["tiers"] for cr in tier["criteria"] for cell in cr["cells"] for f in cell["findings"]}
    assert len(ids) > 20
    causes = " ".join(c for s in ctx["timeline"]["series"] for ch in s["changes"] for c in ch["causes"])
    section = html.split('<section id="timeline">')[1].split("</section>")[0]
    assert causes and not [i for i in ids if re.search(rf"\b{re.escape(i)}\b", causes)]
    assert not [i for i in ids if re.search(rf"\b{re.escape(i)}\b", section)]


@needs_browser
def test_pdf_bytes_are_the_same_for_the_same_report():
    """Printed twice from one context, the PDF is byte for byte the same: its
    dates are the report's generation time, not the moment of printing."""
    import datetime as dt

    from assess.output.render.pdf import html_to_pdf

    when = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone.utc)
    _, html = report()
    a, b = html_to_pdf(html, when=when), html_to_pdf(html, when=when)
    assert a == b and b"/CreationDate (D:20261128120000" in a


def test_gap_chart_never_hides_a_dot_under_another():
    """Three countries on one tier at 100, 100 and 33.3 (and one tier none of
    them has on the common criteria): the two at 100 stack apart (-0.5, +0.5
    of a dot's step), the third stays on the line; the gap is 66.7 and, the
    lead being shared, is credited to no single country."""
    from assess.output.render.context import gap_chart

    def country(code, k, v):
        return {"iso3": code, "name": code, "tiers": [{"common_score": v}, {"common_score": None}]}

    chart = gap_chart([country("AAA", 0, 100.0), country("BBB", 1, 100.0), country("CCC", 2, 100 / 3)],
                      [{"title": "Laws"}, {"title": "Concept"}])
    laws, concept = chart["rows"]
    assert {d["iso3"]: d["stack"] for d in laws["dots"]} == {"AAA": -0.5, "BBB": 0.5, "CCC": 0.0}
    assert round(laws["gap"], 1) == 66.7 and laws["high_code"] is None
    assert concept["dots"] == [] and concept["gap"] is None


def test_direct_labels_name_the_tier_that_moved():
    """Where a number label has room it carries the one tier that moved at
    that change ("6 Laws"); every such label is checked against the tier
    changes of the same country on the same day."""
    ctx, html = report()
    svg = html.split('<svg class="chart timeline-chart"')[1].split("</svg>")[0]
    labels = re.findall(r'<g class="mark" data-number="(\d+)">.*?class="mark-label"[^>]*>([^<]+)</text>', svg)
    direct = [(int(n), text) for n, text in labels if " " in text]
    assert direct
    for number, text in direct:
        (ser, ch), = [(s, c) for s in ctx["timeline"]["series"] for c in s["changes"] if c.get("number") == number]
        tiers = [c["scope_title"] for c in ser["changes"] if c["scope"] != "overall" and c["date"] == ch["date"]]
        assert text == f"{number} {tiers[0]}" and len(tiers) == 1, (number, text, tiers)
