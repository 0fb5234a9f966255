"""Hostile evidence text is inert in every report: no script runs in the HTML
(checked in headless Chromium with JavaScript on), no unsafe link is written,
and no cell of the workbook becomes a formula."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from assess import api
from conftest import write

CHROMIUM = "/usr/bin/chromium"

PAYLOADS = {
    "script": "<script>window.__pwned=1;console.log('PWNED');alert(1)</script>",
    "img": "<img src=x onerror=\"window.__pwned=2;console.log('PWNED');alert(2)\">",
    "style": "</style><script>window.__pwned=3;alert(3)</script>",
    "svg": "<svg onload=alert(4)></svg>",
    "attr": "\" onmouseover=\"alert(5)\" x=\"",
}
FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "=HYPERLINK(\"http://evil.example\",\"x\")", "=cmd|' /C calc'!A0"]


def _yaml(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture
def hostile_ws(mini) -> Path:
    findings = []
    for i, (name, payload) in enumerate(PAYLOADS.items()):
        findings.append(f"""
  - id: h-{name}
    criterion: l1
    document: nld-evil
    locator: {_yaml(payload)}
    quote: {_yaml(payload + ' quote')}
    note: {_yaml(payload + ' note')}
    coder: {_yaml('c' + payload)}
    level: 1""")
    for i, formula in enumerate(FORMULAS):
        findings.append(f"""
  - id: h-formula-{i}
    criterion: l2
    document: nld-data
    locator: {_yaml(formula)}
    quote: {_yaml(formula)}
    level: 1""")
    # tab and CR as formula prefixes, and control characters inside the text
    findings.append("""
  - id: h-ctrl
    criterion: c2
    document: nld-const
    locator: "\\t=1+2"
    quote: "\\r=1+3 bell\\a escape\\e[31m nul\\0 end"
    level: 1""")
    text = f"""\
documents:
  - id: nld-evil
    type: law
    title: {_yaml(PAYLOADS['img'] + 'Evil law')}
    edition: {_yaml(PAYLOADS['style'])}
    number: {_yaml('=2+2')}
    in_force_from: 2000-01-01
    url: "javascript:alert(1)"
  - id: nld-data
    type: law
    title: Data law
    in_force_from: 2000-01-01
    url: "data:text/html,<script>alert(1)</script>"
  - id: nld-js2
    type: law
    title: Spaced law
    in_force_from: 2000-01-01
    url: " JavaScript:alert(1)"
findings:{''.join(findings)}
"""
    (mini / "evidence/NLD/hostile.yaml").write_text(text, encoding="utf-8")
    return mini


@pytest.fixture
def reports(hostile_ws, tmp_path):
    assert api.check(api.load(str(hostile_ws))).ok
    paths = api.write_reports(["NLD", "FRA"], out=str(tmp_path / "out"), as_of="2012-06-30", data=str(hostile_ws), draws=20)
    return {Path(p).suffix: Path(p) for p in paths}


def test_html_has_no_live_markup_or_unsafe_links(reports):
    html = reports[".html"].read_text(encoding="utf-8")
    assert "window.__pwned" in html  # the text is there, escaped
    assert "<script>window" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert not re.search(r"href\s*=\s*[\"']?\s*(javascript|data|vbscript):", html, re.I)
    assert not re.search(r"src\s*=\s*[\"']?\s*(javascript|data:text)", html, re.I)
    assert " onerror=" not in html.replace("&#34;", '"').split("<body", 1)[0]  # nothing in the head


def test_html_in_chromium_with_javascript_on(reports):
    pw = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium")
    dialogs, console = [], []
    with pw.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(java_script_enabled=True)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: console.append(m.text))
        page.goto(reports[".html"].as_uri())
        page.wait_for_timeout(300)
        page.mouse.move(10, 10)
        for el in page.query_selector_all("td, th, li, span, a")[:120]:
            try:
                el.hover(timeout=20)
            except Exception:
                pass
        pwned = page.evaluate("() => window.__pwned")
        injected = page.evaluate("""() => [
            ...document.querySelectorAll('img[onerror], svg[onload], [onmouseover]'),
            ...[...document.scripts].filter(s => s.textContent.includes('__pwned')),
        ].length""")
        bad_links = page.evaluate("""() => [...document.querySelectorAll('a[href]')]
            .map(a => a.getAttribute('href').trim().toLowerCase())
            .filter(h => !(h.startsWith('http://') || h.startsWith('https://') || h.startsWith('#')))""")
        body = page.inner_text("body")
        browser.close()
    assert dialogs == []
    assert not any("PWNED" in m for m in console), console
    assert pwned is None and injected == 0 and bad_links == []
    assert "<script>window.__pwned=1" in body  # shown as text


def test_xlsx_has_no_formulas_and_keeps_the_text(reports):
    from openpyxl import load_workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    path = reports[".xlsx"]
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name
        rels = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".rels"))
    assert "javascript:" not in rels.lower() and "data:text" not in rels.lower()
    wb = load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    for formula in FORMULAS + ["=2+2", "=1+2"]:
        hits = [c for c in cells if c.value == formula]
        assert hits, f"{formula!r} is not a cell of its own"
        assert all(c.data_type == "s" for c in hits)
    for payload in PAYLOADS.values():
        assert any(payload + " quote" == t for t in texts), payload
    quote = "=1+3 bell\a escape\x1b[31m nul\x00 end"
    assert ILLEGAL_CHARACTERS_RE.sub("", quote) in texts
    for c in cells:
        if c.hyperlink is not None:
            assert c.hyperlink.target.lower().startswith(("http://", "https://")), c.hyperlink.target
