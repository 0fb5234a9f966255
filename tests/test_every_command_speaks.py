"""Every command that takes --lang speaks Russian and Kazakh (issue #18 §1):
run in ru and kk, no English label the tool wrote is left. What the input
files say (ids, titles, evidence text: every string in the rubric, document
types and evidence files) is taken out first, and so are paths, option
names and commands in backquotes; what remains must hold no Latin word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from assess.cli import app

from conftest import REPO

runner = CliRunner()
AS_OF = ["--as-of", "2021-06-30"]

COMMANDS = {
    "score": ["score", "KAZ", "RUS", *AS_OF],
    "score-json-free": ["score", *AS_OF],
    "explain": ["explain", "KAZ", "int-strategy", *AS_OF],
    "explain-scored": ["explain", "RUS", "con-treaties", *AS_OF],
    "countries": ["countries"],
    "rubrics": ["rubrics"],
    "timeline": ["timeline", "KAZ", "--from", "2012", "--to", "2021-06-30"],
    "sensitivity": ["sensitivity", "KAZ", "RUS", "--draws", "200", *AS_OF],
    "agreement": ["agreement", *AS_OF],
}


def _input_strings() -> set[str]:
    """Every string (and every word of it) the input files hold: data, not the tool's words."""
    out: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                out.add(str(k))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif node is not None:
            out.add(str(node))

    for folder in ("criteria", "evidence"):
        for path in (REPO / folder).rglob("*.y*ml"):
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return out


DATA_STRINGS = sorted(_input_strings(), key=len, reverse=True)
DATA_WORDS = {w.lower() for s in DATA_STRINGS for w in re.findall(r"[A-Za-z]+", s)}
# not labels: file paths, commands and options in backquotes, command names, units and codes
NOT_LABELS = [
    re.compile(r"`[^`]*`"), re.compile(r"\bassess(?: [a-z]+)?"), re.compile(r"\b[0-9a-f]{16,}\b"), re.compile(r"(?<![\w-])--?[a-z][\w-]*"), re.compile(r"\S*/\S*"),
    re.compile(r"\b[\w.-]+\.(ya?ml|txt|json|xlsx|html|toml)\b"), re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b"),
]
ALLOWED = {"assess", "ISO3", "UTC", "json", "csv", "alpha", "shipped_countries"}


def english_left(text: str) -> list[str]:
    for pattern in NOT_LABELS:
        text = pattern.sub(" ", text)
    words = re.findall(r"[A-Za-z]{3,}", text)
    return sorted({w for w in words if w not in ALLOWED and w.lower() not in DATA_WORDS and not w.isupper()})


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_english_label_in_ru_and_kk(name, lang):
    r = runner.invoke(app, [*COMMANDS[name], "--lang", lang])
    assert r.exit_code == 0, r.output
    assert english_left(r.output) == [], r.output


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_html_report_in_ru_and_kk(lang, tmp_path):
    import html

    r = runner.invoke(app, ["report", "KAZ", "RUS", *AS_OF, "--draws", "100", "--format", "html", "--out", str(tmp_path),
                            "--lang", lang])
    assert r.exit_code == 0, r.output
    page = Path(r.stdout.strip()).read_text(encoding="utf-8")
    page = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", page)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert english_left(text) == []


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_report_workbook_cells_in_ru_and_kk(lang, tmp_path):
    """Every text cell of the report workbook. (Its sheet names are translated
    on another branch, with the workbook glossary; they are not checked here.)"""
    import openpyxl

    r = runner.invoke(app, ["report", "KAZ", "RUS", *AS_OF, "--draws", "100", "--format", "xlsx", "--out", str(tmp_path),
                            "--lang", lang])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(r.stdout.strip())
    texts = [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert len(texts) > 100
    assert english_left("\n".join(texts)) == []


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_new_and_template_in_ru_and_kk(lang, tmp_path):
    import shutil

    from conftest import MINI

    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    r = runner.invoke(app, ["new", "DEU", "--data", str(ws), "--lang", lang])
    assert r.exit_code == 0, r.output
    assert english_left(r.stdout) == [], r.stdout
    r = runner.invoke(app, ["template", "NLD", "--out", str(tmp_path / "nld.xlsx"), "--data", str(ws), "--lang", lang])
    assert r.exit_code == 0 and english_left(r.stdout) == [], r.output


def test_the_check_finds_english():
    """The test above can fail: English output has words it flags."""
    r = runner.invoke(app, [*COMMANDS["agreement"], "--lang", "en"])
    assert {"coders", "compare"} <= set(english_left(r.output))


def test_plural_forms_follow_the_cldr():
    from assess.common.messages import catalogue

    ru, kk = catalogue("ru"), catalogue("kk")
    assert [ru.count(n, "criterion") for n in (1, 2, 5, 21, 22, 11)] == [
        "1 критерий", "2 критерия", "5 критериев", "21 критерий", "22 критерия", "11 критериев"]
    assert [kk.count(n, "criterion") for n in (1, 2, 5)] == ["1 критерий", "2 критерий", "5 критерий"]
    assert catalogue("en").count(1, "criterion") == "1 criterion" and catalogue("en").count(2, "criterion") == "2 criteria"
    # in a command's output: the agreement line counts its units (none here: no finding has two coders)
    r = runner.invoke(app, [*COMMANDS["agreement"], "--lang", "ru"])
    assert "; 0 единиц «страна × критерий»" in r.stdout
    assert ru("cli_agree_line", id="r", version="1", date="d", coders="a", n=1).endswith(
        "1 единица «страна × критерий» с двумя или более кодировщиками")
    assert ru("cli_agree_line", id="r", version="1", date="d", coders="a", n=3).endswith("3 единицы «страна × критерий» "
                                                                                        "с двумя или более кодировщиками")


def test_numbers_and_dates_come_from_the_cldr():
    import datetime as dt

    from assess.common.messages import Formats, catalogue

    ru, kk, en = (Formats(catalogue(lang)) for lang in ("ru", "kk", "en"))
    assert (ru.num(72.9167), ru.pct(0.875)) == ("72,9", "88\u00a0%")  # CLDR ru: decimal comma, no-break space before %
    assert (kk.num(72.9167), kk.pct(0.875)) == ("72,9", "88%")
    assert (en.num(72.9167), en.pct(0.875)) == ("72.9", "88%")
    # the CLDR short date, with the year in full: an 1815 act does not read as 15
    assert ru.date(dt.date(1815, 3, 1)) == "01.03.1815" and kk.date(dt.date(1815, 3, 1)) == "01.03.1815"
