"""Properties of loading and scoring, over generated evidence (hypothesis).

The rubric is the mini one (tests/data/mini): two tiers, `highest` for c1, c2
and l1, `distinct-documents` (to-date) for l2.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assess
from assess import api
from assess.common.errors import AssessError
from assess.data.load import load_workspace
from assess.scoring.score import commonly_assessed, restrict_to, score_country
from assess.analyses.timeline import country_timeline
from assess.data.workspace import open_workspace
from conftest import MINI

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

COUNTRY = {"country": {"iso3": "NLD", "name": "Netherlands"}}
CRITERIA = {"c1": "constitution", "c2": "constitution", "l1": "law", "l2": "law"}


def make_ws(root: Path, files: dict[str, object]) -> Path:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(MINI / "criteria", root / "criteria")
    folder = root / "evidence/NLD"
    folder.mkdir(parents=True)
    for name, data in files.items():
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / name).write_text(text, encoding="utf-8")
    return root


# ---------------------------------------------------------------- anything at all

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10), st.floats(allow_nan=True),
                    st.text(max_size=12), st.dates(), st.sampled_from(["c1", "l2", "n/a", "nld-d0", "2001-02-30", "<<"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.sampled_from(["id", "criterion", "document", "level", "quote", "locator", "type", "title", "in_force_from", "x"]) | st.text(max_size=5), inner, max_size=5)),
                      max_leaves=25)
top = st.fixed_dictionaries({}, optional={"country": values, "documents": values, "findings": values, "extra": values})


@SETTINGS
@given(data=top)
def test_any_evidence_loads_or_gives_user_errors(data, tmp_path_factory):
    root = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    ws = make_ws(root / "ws", {"a.yaml": COUNTRY, "b.yaml": data})
    loaded = assess.load_data(str(ws))
    report = assess.check(loaded)
    assert all(p.severity in ("error", "warning") and p.path for p in report.problems)
    try:
        api.score(["NLD"], as_of="2012-06-30", data=str(ws))
    except AssessError:
        assert report.errors or not loaded.rubrics
    shutil.rmtree(root)


@SETTINGS
@given(text=st.lists(st.sampled_from(list("ab:-[]{}&*!|>'\"#\n\t %@`,?") + ["- ", ": ", "\n  ", "!!binary ", "2001-02-30"]), max_size=40).map("".join))
def test_any_text_loads_or_gives_user_errors(text, tmp_path_factory):
    root = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    ws = make_ws(root / "ws", {"a.yaml": COUNTRY, "b.yaml": text})
    report = assess.check(assess.load_data(str(ws)))
    assert all(p.severity in ("error", "warning") for p in report.problems)
    shutil.rmtree(root)


# ---------------------------------------------------------------- valid evidence


@st.composite
def evidence(draw, open_ended: bool = False, coders: bool = True):
    docs, findings = [], []
    for i in range(draw(st.integers(1, 5))):
        start = draw(st.dates(dt.date(1990, 1, 1), dt.date(2020, 1, 1)))
        doc = {"id": f"nld-d{i}", "type": draw(st.sampled_from(["constitution", "law"])), "title": f"Document {i}",
               "in_force_from": start, "url": "https://example.org/d"}
        if not open_ended and draw(st.booleans()):
            doc["in_force_to"] = start + dt.timedelta(days=draw(st.integers(0, 4000)))
        docs.append(doc)
    for j in range(draw(st.integers(0, 10))):
        doc = draw(st.sampled_from(docs))
        criterion = draw(st.sampled_from([c for c, t in CRITERIA.items() if t == doc["type"]]))
        f = {"id": f"f{j}", "criterion": criterion, "document": doc["id"], "locator": f"Art. {j}", "quote": "q",
             "level": draw(st.integers(0, 3)), "verified": draw(st.booleans())}
        if coders:
            f["coder"] = draw(st.sampled_from(["a", "b"]))
        findings.append(f)
    return docs, findings


def score_of(ws: Path, as_of: dt.date):
    loaded = load_workspace(open_workspace(str(ws)))
    assert assess.check(loaded).ok, [str(p) for p in assess.check(loaded).errors]
    return score_country(loaded.rubrics["mini"], loaded.countries["NLD"], as_of)


def levels(cs) -> dict:
    return {r.criterion.id: (r.status, r.level) for r in cs.criteria}


@SETTINGS
@given(ev=evidence(), as_of=st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)))
def test_scores_are_within_0_and_100(ev, as_of, tmp_path_factory):
    docs, findings = ev
    ws = make_ws(Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp())) / "ws", {"a.yaml": {**COUNTRY, "documents": docs, "findings": findings}})
    cs = score_of(ws, as_of)
    for agg in [cs.overall, *cs.tiers.values()]:
        for value in (agg.score, agg.score_min, agg.score_max):
            assert value is None or 0 <= value <= 100
        if agg.score is not None:
            assert agg.score_min <= agg.score <= agg.score_max


@SETTINGS
@given(ev=evidence(coders=False), extra=st.integers(0, 3), which=st.sampled_from(["c1", "c2", "l1"]),
       as_of=st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)))
def test_a_counting_finding_never_lowers_a_highest_criterion(ev, extra, which, as_of, tmp_path_factory):
    """c1, c2 and l1 use `highest`; the extra finding cites a document of the
    tier's type in force on the as-of date (one is added if none is)."""
    docs, findings = ev
    wanted = CRITERIA[which]
    docs = docs + [{"id": "nld-extra", "type": wanted, "title": "Extra", "in_force_from": dt.date(1900, 1, 1), "url": "https://example.org/x"}]
    base = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    before = score_of(make_ws(base / "a", {"a.yaml": {**COUNTRY, "documents": docs, "findings": findings}}), as_of)
    more = findings + [{"id": "f-extra", "criterion": which, "document": "nld-extra", "locator": "Art. 99", "quote": "q", "level": extra}]
    after = score_of(make_ws(base / "b", {"a.yaml": {**COUNTRY, "documents": docs, "findings": more}}), as_of)
    old = {r.criterion.id: r for r in before.criteria}[which]
    new = {r.criterion.id: r for r in after.criteria}[which]
    assert new.status == "scored"
    assert new.level >= (old.level if old.level is not None else 0)
    assert new.level >= extra


@SETTINGS
@given(ev=evidence(), seed=st.integers(0, 2**32 - 1), as_of=st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)))
def test_order_of_files_documents_and_findings_changes_nothing(ev, seed, as_of, tmp_path_factory):
    docs, findings = ev
    base = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    one = score_of(make_ws(base / "a", {"a.yaml": {**COUNTRY, "documents": docs, "findings": findings}}), as_of)
    rng = random.Random(seed)
    docs2, findings2 = docs[:], findings[:]
    rng.shuffle(docs2)
    rng.shuffle(findings2)
    # and spread over files whose names sort in another order
    files = {"z.yaml": {**COUNTRY, "documents": docs2[: len(docs2) // 2]}, "m.yaml": {"documents": docs2[len(docs2) // 2:]}}
    cut = rng.randint(0, len(findings2))
    files["b.yaml"] = {"findings": findings2[:cut]}
    files["a.yml"] = {"findings": findings2[cut:]}
    two = score_of(make_ws(base / "b", files), as_of)
    assert levels(one) == levels(two)
    assert (one.overall.score, one.overall.score_min, one.overall.score_max) == (two.overall.score, two.overall.score_min, two.overall.score_max)
    assert {k: v.score for k, v in one.tiers.items()} == {k: v.score for k, v in two.tiers.items()}


@FEW
@given(ev=evidence(open_ended=True, coders=False), dates=st.lists(st.dates(dt.date(1985, 1, 1), dt.date(2030, 1, 1)), min_size=2, max_size=6))
def test_index_never_falls_as_the_date_moves_forward(ev, dates, tmp_path_factory):
    """Documents without end dates, one coder, and every tier traced from
    1980-01-01 with no end (country.yaml `traced_from`), before any date drawn.

    Then, on a criterion assessed on two dates, the level never falls: a
    finding that counts once counts for good (no document lapses), `highest`
    takes the maximum over a growing set, `distinct-documents` counts a
    growing number of documents, and a criterion no finding answers is absent
    (0), below anything a finding can give it. So the index like with like,
    on the criteria assessed on both dates (restrict_to over
    commonly_assessed, as a timeline's change point computes it), never
    falls, and neither does the headline delta of any change point of the
    sweep. Two coders would break it: a coder appearing later with a lower
    level lowers the `lowest` combination.

    The raw index can fall: a document recorded without findings (uncoded)
    makes the unanswered criteria of its tier not assessed, taking zeros out
    of the mean (a rise), and a later finding at 0 brings one back (a fall).
    With every document coded, every criterion is assessed on every date
    from 1980 on, coverage never moves, and the raw index never falls either.
    """
    docs, findings = ev
    base = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    traced = {"country": {**COUNTRY["country"], "traced_from": dt.date(1980, 1, 1)}}
    days = sorted(set(dates))
    cited = {f["document"] for f in findings}
    for name, documents in (("all", docs), ("coded", [d for d in docs if d["id"] in cited])):
        ws = make_ws(base / name, {"a.yaml": {**traced, "documents": documents, "findings": findings}})
        loaded = load_workspace(open_workspace(str(ws)))
        assert assess.check(loaded).ok, [str(p) for p in assess.check(loaded).errors]
        rubric, country = loaded.rubrics["mini"], loaded.countries["NLD"]
        scored = [score_country(rubric, country, day) for day in days]
        for i, early in enumerate(scored):
            for j in range(i + 1, len(scored)):
                late = scored[j]
                common = commonly_assessed([early, late])
                a, b = (restrict_to(cs, rubric, common).overall.score for cs in (early, late))
                if a is not None:
                    assert b is not None and b >= a - 1e-9, (name, days[i], days[j], a, b)
                if name == "coded":
                    assert early.overall.coverage == late.overall.coverage == 1.0
                    assert late.overall.score >= early.overall.score - 1e-9, (days[i], days[j])
        for change in country_timeline(rubric, country, days).changes:
            if change.scope == "overall" and change.delta is not None:
                assert change.delta >= -1e-9, (name, change)
            if change.scope == "overall" and change.kind == "score" and change.raw_delta is not None:
                assert change.raw_delta >= -1e-9, (name, change)
    shutil.rmtree(base)


def test_the_raw_index_falls_where_coverage_moves_and_like_with_like_does_not(tmp_path):
    """Why the property above is stated like with like. Traced from 1980 on;
    law A (1990) coded, l1 at 3; law B (2000) recorded without findings; law C
    (2005) coded, l2 at 0. By hand (t-const weight 2, c1 and c2 absent, 0;
    t-law weight 1, l1 weight 2, l2 weight 1; levels out of 3):
      1995: l2 absent, t-law (2*3/3 + 0)/3 = 66.7, index (0*2 + 66.7)/3 = 22.2
      2001: law B uncoded, l2 not assessed: t-law 100, index 33.3
      2006: law C's finding: l2 = 0 again: t-law 66.7, index 22.2, a fall of 11.1,
    on c1, c2 and l1 (assessed on both 2001 and 2006): 33.3 and 33.3, no fall."""
    docs = [{"id": f"nld-{k}", "type": "law", "title": f"Law {k}", "in_force_from": dt.date(y, 1, 1), "url": "https://example.org/d"}
            for k, y in (("a", 1990), ("b", 2000), ("c", 2005))]
    findings = [{"id": "f-a", "criterion": "l1", "document": "nld-a", "locator": "Art. 1", "quote": "q", "level": 3},
                {"id": "f-c", "criterion": "l2", "document": "nld-c", "locator": "Art. 2", "quote": "q", "level": 0}]
    ws = make_ws(tmp_path / "ws", {"a.yaml": {"country": {**COUNTRY["country"], "traced_from": dt.date(1980, 1, 1)},
                                              "documents": docs, "findings": findings}})
    scored = [score_of(ws, dt.date(y, 1, 1)) for y in (1995, 2001, 2006)]
    assert [cs.overall.score for cs in scored] == [pytest.approx(200 / 9), pytest.approx(100 / 3), pytest.approx(200 / 9)]
    common = commonly_assessed(scored[1:])
    assert common == ["c1", "c2", "l1"]
    rubric = load_workspace(open_workspace(str(ws))).rubrics["mini"]
    assert [restrict_to(cs, rubric, common).overall.score for cs in scored[1:]] == [pytest.approx(100 / 3)] * 2
