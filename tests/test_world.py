"""The world layout (more than six countries): a ranking table, one dot strip
per tier with chosen countries highlighted, a criterion x country matrix of
level cells and a pointer to per-country reports (reports/templates/world.html,
assess/output/render/world.py). The benchmark's generator makes the workspace."""

from __future__ import annotations

import datetime as dt
import re
import sys
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

import assess.api as api
from assess.cli import app
from assess.common.errors import UsageError
from assess.common.messages import load_messages
from assess.output.render.world import STRIP_LEFT, STRIP_RIGHT, STRIP_WIDTH, world_context

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402

GENERATED = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
runner = CliRunner()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    out = tmp_path_factory.mktemp("world") / "ws"
    generate.generate(str(out), 9, 5)  # KAZ, RUS and seven generated countries
    return out


@pytest.fixture(scope="module")
def context(world):
    return api.report_context(None, as_of="2026-01-01", data=str(world), generated=GENERATED, draws=100,
                              highlight=["kaz", "RUS"])


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.sections = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "section":
            self.sections.append(a.get("id"))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


def test_more_than_six_countries_take_the_world_layout(context):
    html = api.render_html(context)
    doc = parse(html)
    assert doc.sections == ["ranking", "strips", "matrix", "detail", "methodology"]
    # the subtitle counts the countries instead of listing them
    assert "9 countries" in html and "Kazakhstan · Russia" not in html

    # the ranking: one row per country in ranking order, the index where ranked, else the possible range
    rows = [a for t, a in doc.tags if t == "tr" and a.get("class") is not None and "hl" in (a.get("class") or "")]
    overall = [a["data-country"] for t, a in doc.tags if t == "td" and a.get("data-field") in ("overall", "range")]
    assert overall == [c["iso3"] for c in context["ranking"]]
    for c in context["ranking"]:
        field = "overall" if c["ranked"] else "range"
        cell = re.search(rf'data-country="{c["iso3"]}" data-field="{field}">([^<]*)<', html).group(1)
        expected = f"{c['overall']:.1f}" if c["ranked"] else f"{c['overall_min']:.1f}–{c['overall_max']:.1f}"
        assert cell == expected
    # the two highlighted countries' rows, in the ranking and in the matrix
    assert len(rows) == 4

    # the matrix: a level cell per country and criterion
    n_criteria = sum(len(t["criteria"]) for t in context["tiers"])
    cells = [a for t, a in doc.tags if t == "td" and (a.get("class") or "").startswith("lv")]
    assert len(cells) == 9 * n_criteria
    # the pointer to per-country reports, with a command that works
    assert "assess report KAZ\nassess report KAZ RUS" in html


def test_dot_strips_put_each_country_at_its_score(context):
    w = world_context(context, context["highlight"])
    for k, strip in enumerate(w["strips"]):
        scores = {c["iso3"]: c["tiers"][k]["score"] for c in context["countries"]}
        drawn = strip["dots"] + strip["marked"]
        assert sorted(d["iso3"] for d in drawn) == sorted(code for code, s in scores.items() if s is not None)
        assert strip["unscored"] == sum(1 for s in scores.values() if s is None)
        for d in drawn:
            # x = left + (right - left) * score / 100 on the 1000-unit axis: 40 + 940 * score / 100
            assert d["x"] == pytest.approx(STRIP_LEFT + (STRIP_WIDTH - STRIP_LEFT - STRIP_RIGHT) * scores[d["iso3"]] / 100, abs=0.05)
            assert d["y"] < strip["axis_y"]
        assert {d["iso3"] for d in strip["marked"]} == {"KAZ", "RUS"} & {code for code, s in scores.items() if s is not None}
        # one label per score among the highlighted: no two labels at the same place
        assert len({(lab["x"], lab["y"]) for lab in strip["labels"]}) == len(strip["labels"])
        # dots of one score are stacked, never drawn on top of one another
        spots = [(d["x"], d["y"]) for d in strip["dots"]]
        assert len(spots) == len(set(spots))


def test_highlight_must_name_a_country_of_the_report(world):
    with pytest.raises(UsageError, match="cannot highlight FRA"):
        api.report_context(None, as_of="2026-01-01", data=str(world), draws=0, highlight=["FRA"])
    r = runner.invoke(app, ["report", "--all", "--data", str(world), "--as-of", "2026-01-01", "--draws", "0",
                            "--highlight", "KAZ,XXX", "--format", "html", "--out", str(world / "out")])
    assert r.exit_code != 0 and "cannot highlight XXX" in r.output


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_world_layout_speaks_the_language(world, lang):
    ctx = api.report_context(None, as_of="2026-01-01", data=str(world), lang=lang, generated=GENERATED, draws=0,
                             highlight=["KAZ"])
    html = api.render_html(ctx)
    msg = load_messages(api.templates_dir(), lang)
    for key in ("world_strips", "world_matrix", "world_detail", "ranking", "methodology"):
        assert msg(key) in html
    assert f'lang="{lang}"' in html and "Tier scores" not in html


def test_six_countries_keep_the_side_by_side_report(world):
    ctx = api.report_context(["KAZ", "RUS"], as_of="2026-01-01", data=str(world), generated=GENERATED, draws=0)
    html = api.render_html(ctx)
    assert 'id="matrix"' not in html and 'id="criteria"' in html


def test_a_gap_names_at_most_five_countries_above_it_and_counts_the_rest(tmp_path):
    """At world scale a gap's list of the countries at the level above it would
    grow with the square of the number of countries (22,000 gaps x 550 codes
    at 2,000 countries): it names the first five and says how many more. Worked
    out from the context itself: the countries at `best_other` on the
    criterion, the gap's own country excluded (it is below that level)."""
    from assess.output.render.context import LEADERS_SHOWN
    from assess.output.render.xlsx import _gap_text

    generate.generate(str(tmp_path / "ws"), 30, 5)  # thirty countries: several share each top level
    context = api.report_context(None, as_of="2026-01-01", data=str(tmp_path / "ws"), generated=GENERATED, draws=0)

    levels = {(c["iso3"], crit["id"]): cell["level"]
              for tier in context["tiers"] for crit in tier["criteria"] for c, cell in zip(context["countries"], crit["cells"])}
    below = [g for g in context["gaps"] if g["kind"] == "below_other"]
    assert below
    msg = load_messages(str(REPO / "reports" / "templates"), "en")
    for g in below:
        at = [iso for (iso, cid), lv in levels.items() if cid == g["criterion"] and lv == g["best_other"]]
        assert g["leaders"] == [iso for iso in [c["iso3"] for c in context["countries"]] if iso in at][:LEADERS_SHOWN]
        assert g["more_leaders"] == max(0, len(at) - LEADERS_SHOWN)
        text = _gap_text(msg, g)
        assert text.endswith(f" and {g['more_leaders']} more ({g['best_other']}/{g['max_level']})") == (g["more_leaders"] > 0)
    assert any(g["more_leaders"] for g in below), "the thirty-country world should have a gap with more than five above it"
