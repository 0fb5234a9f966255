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

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assess
from assess import api
from assess.errors import AssessError
from assess.load import load_workspace
from assess.score import score_country
from assess.workspace import open_workspace
from conftest import MINI

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

COUNTRY = {"country": {"iso3": "NLD", "name": "Netherlands"}}
CRITERIA = {"c1": "constitution", "c2": "constitution", "l1": "law", "l2": "law"}


def make_ws(root: Path, files: dict[str, object], absent: bool = False) -> Path:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(MINI / "criteria", root / "criteria")
    if absent:
        rubric = root / "criteria/mini.yaml"
        rubric.write_text(rubric.read_text().replace("  rule: highest\n", "  rule: highest\n  before_first_finding: absent\n"))
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
    loaded = assess.load(str(ws))
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
    report = assess.check(assess.load(str(ws)))
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
    """Documents without end dates, one coder, and `before_first_finding: absent`.

    The property needs `absent`: with the mini rubric's default (`not_assessed`),
    a criterion is left out of the mean until its first finding counts, so c1
    at level 3 alone gives 100 and c2 entering later at level 0 drops the tier
    to 50. With `absent`, from the first document on every criterion that will
    ever be scored is scored (at 0 until its first finding), levels only rise
    (`highest` over a growing set, `distinct-documents` over a growing count),
    so the weighted means only rise. Two coders would break it too: a coder
    appearing later with a lower level lowers the `lowest` combination.
    """
    docs, findings = ev
    ws = make_ws(Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp())) / "ws", {"a.yaml": {**COUNTRY, "documents": docs, "findings": findings}}, absent=True)
    loaded = load_workspace(open_workspace(str(ws)))
    assert assess.check(loaded).ok
    rubric, country = loaded.rubrics["mini"], loaded.countries["NLD"]
    previous = None
    for day in sorted(dates):
        score = score_country(rubric, country, day).overall.score
        if previous is not None:
            assert score is not None and score >= previous - 1e-9, (day, previous, score)
        previous = score if score is not None else previous
