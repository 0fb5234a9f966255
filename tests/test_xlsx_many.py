"""A workbook of many countries: the Sensitivity sheet lists neighbours in
the ranking only (as the HTML report), and says so; every other sheet keeps
every row."""

from __future__ import annotations

import datetime as dt
import sys

import openpyxl
import pytest

import assess.api as api
import assess.render.xlsx as xlsx
from assess.messages import load_messages

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402

GENERATED = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    out = tmp_path_factory.mktemp("world") / "ws"
    generate.generate(str(out), 8, 3)
    return out


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_sensitivity_sheet_of_many_countries_lists_neighbours(world, tmp_path, lang):
    context = api.report_context(None, as_of="2026-01-01", data=str(world), lang=lang, generated=GENERATED, draws=100)
    sens = context["sensitivity"]
    assert len(context["countries"]) == 8 and sens["pair_count"] == 28 and len(sens["pairs"]) == len(sens["adjacent"]) == 7
    path = tmp_path / "many.xlsx"
    xlsx.write_xlsx(context, str(path), api.templates_dir())
    ws = openpyxl.load_workbook(path)["Sensitivity"]
    msg = load_messages(api.templates_dir(), lang)
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    heading = next(i for i, r in enumerate(rows) if r[0] == msg("rank_pairs"))
    note = rows[heading + 1][0]
    assert "7" in note and "28" in note and "assess sensitivity --pairs all --format json" in note
    assert rows[heading + 2][:4] == [msg("statement"), msg("ranks_higher"), msg("ranks_lower"), msg("share_of_draws")]
    listed = [(r[1], r[2]) for r in rows[heading + 3:] if r[1] is not None and r[2] is not None and r[0] != msg("note")]
    assert listed == [(p["a"], p["b"]) for p in sens["adjacent"]]


def test_few_countries_keep_every_pair(tmp_path):
    context = api.report_context(["KAZ", "RUS"], as_of="2021-06-30", data=str(REPO), generated=GENERATED, draws=50)
    path = tmp_path / "two.xlsx"
    xlsx.write_xlsx(context, str(path), api.templates_dir())
    texts = [c.value for row in openpyxl.load_workbook(path)["Sensitivity"].iter_rows() for c in row]
    assert not any(isinstance(t, str) and "assess sensitivity --pairs all" in t for t in texts)
