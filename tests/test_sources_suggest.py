"""assess suggest: provisions ranked for each criterion by the rubric's terms."""

import hashlib
import os
import shutil
import subprocess
import sys

import yaml

import assess
from assess import api
from assess.sources import VERIFIED, parse_text, suggest_for, verify_finding
from assess.sources.suggest import distinct_terms, excerpt, match_terms
from assess.sources.texts import SourceText
from assess.data.model import Finding, Source

HERE = os.path.dirname(__file__)
WORKSPACE = os.path.join(HERE, "data", "sources", "workspace")


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "assess", *args], capture_output=True, text=True, cwd=cwd)


def tree_digest(folder):
    h = hashlib.sha256()
    for root, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            with open(os.path.join(root, name), "rb") as fh:
                h.update(name.encode() + fh.read())
    return h.hexdigest()


def test_rubric_terms_are_loaded():
    loaded = assess.load_data(WORKSPACE, countries=[])
    rubric = loaded.rubrics["fre-rubric"]
    assert rubric.criterion("con-treaties").terms[:2] == ("ratif", "denounc")
    assert rubric.criterion("con-agreements").terms == ()


def test_shipped_rubric_has_terms_for_every_criterion():
    rubric = api.pick_rubric(assess.load_data(countries=[]), "four-tier")
    assert all(c.terms for c in rubric.criteria)


def test_stems_match_word_starts_and_count_once():
    words = "ратификация ратификациялайды и денонсации договоров".split()
    hits = match_terms(("ратификац", "ратификациял", "денонсац", "war and peace"), words)
    assert hits == {"ратификац": {0, 1}, "ратификациял": {1}, "денонсац": {3}}
    assert distinct_terms(hits) == ["денонсац", "ратификац"]  # two spellings of one stem count once
    assert match_terms(("war and peace",), "questions of War and Peace".lower().split()) == {"war and peace": {2}}


def test_ratification_article_comes_first():
    ev, rubric, results = api.suggest_findings("FRE", "fre-constitution", criterion="con-treaties", data=WORKSPACE)
    (criterion, suggestions), = results
    assert criterion.id == "con-treaties"
    assert suggestions[0].locator.startswith("Art. 7")
    assert set(suggestions[0].terms) & {"ratif", "ратификац", "ратификациял"}
    assert len(suggestions) <= 3
    # no candidate holds or sits in another
    locs = [s.locator for s in suggestions]
    assert not any(a != b and b.startswith(a + "(") for a in locs for b in locs)


def test_suggested_quotes_verify_at_their_locators():
    ev, rubric, results = api.suggest_findings("FRE", "fre-constitution", top=5, data=WORKSPACE)
    _, texts = api.source_texts("FRE", "fre-constitution", data=WORKSPACE)
    for _, suggestions in results:
        for s in suggestions:
            f = Finding(id="x", criterion=s.criterion, document="fre-constitution", locator=s.locator, quote=s.quote,
                        level=1, not_applicable=False, verified=True, coder=None, note=None, reason=None,
                        in_force_from=None, in_force_to=None, legislature=None, source=Source("x", 1))
            assert verify_finding("FRE", f, texts).kind == VERIFIED, s


def test_excerpt_is_verbatim_with_gaps_marked():
    text = " ".join(f"word{i}" for i in range(100)) + " ratification " + " ".join(f"more{i}" for i in range(100))
    piece = excerpt(text, ("ratif",), limit=120)
    assert piece.startswith("... ") and piece.endswith(" ...") and "ratification" in piece
    assert piece[4:-4] in text


def test_precision_over_recall_when_nothing_matches():
    st = SourceText("FRE", "d", "en", None, "d.en.txt", parse_text("Article 1\nThe flag is green."))
    rubric = assess.load_data(WORKSPACE, countries=[]).rubrics["fre-rubric"]
    assert suggest_for(rubric.criterion("con-treaties"), "d", [st]) == []


def test_cli_suggest_prints_pasteable_yaml():
    res = run("suggest", "FRE", "fre-constitution", "--criterion", "con-treaties", "--top", "2", "--data", WORKSPACE)
    assert res.returncode == 0, res.stderr
    records = yaml.safe_load(res.stdout)
    assert len(records) == 2
    first = records[0]
    assert first["criterion"] == "con-treaties" and first["document"] == "fre-constitution"
    assert first["locator"].startswith("Art. 7") and first["verified"] is False
    assert "level" not in first and "# level: ?" in res.stdout
    assert "# candidate 1: Art. 7" in res.stdout


def test_cli_suggest_all_criteria_and_one_without_terms():
    res = run("suggest", "FRE", "fre-constitution", "--data", WORKSPACE)
    assert res.returncode == 0
    assert "# con-agreements: Agreements with foreign parliaments\n#   no `terms:`" in res.stdout
    assert res.stdout.index("# con-treaties") < res.stdout.index("# law-treaties")


def test_cli_suggest_out_writes_a_review_file_and_never_touches_evidence(tmp_path):
    before = tree_digest(os.path.join(WORKSPACE, "evidence"))
    out = tmp_path / "review.yaml"
    res = run("suggest", "FRE", "fre-constitution", "--out", str(out), "--data", WORKSPACE)
    assert res.returncode == 0 and res.stdout.strip() == str(out)
    assert yaml.safe_load(out.read_text(encoding="utf-8"))
    assert tree_digest(os.path.join(WORKSPACE, "evidence")) == before


def test_cli_suggest_refuses_to_write_into_evidence(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(WORKSPACE, ws)
    target = ws / "evidence" / "FRE" / "constitution.yaml"
    before = target.read_bytes()
    res = run("suggest", "FRE", "fre-constitution", "--out", str(target), "--data", str(ws))
    assert res.returncode == 2 and "inside the evidence folder" in res.stderr
    assert target.read_bytes() == before


def test_cli_errors_are_messages():
    cases = [
        (["suggest", "FRE", "nope"], "no document 'nope' in the evidence of FRE"),
        (["suggest", "FRE", "fre-law-treaties"], "no source text for fre-law-treaties"),
        (["suggest", "FRE", "fre-constitution", "--criterion", "con-treatise"], "no criterion 'con-treatise'"),
        (["suggest", "FRE", "fre-constitution", "--top", "0"], "--top must be 1 or more"),
        (["sources", "show", "FRE", "fre-constitution", "Art. 99"], "Art. 99 is not in"),
        (["sources", "show", "FRE", "fre-constitution", "the whole thing"], "cannot read the locator"),
        (["sources", "show", "XYZ", "fre-constitution", "Art. 1"], "error:"),
    ]
    for args, message in cases:
        res = run(*args, "--data", WORKSPACE)
        assert res.returncode == 2, (args, res.stdout, res.stderr)
        assert message in res.stderr and "Traceback" not in res.stderr, (args, res.stderr)


def test_cli_sources_show_prints_the_provision_with_sub_provisions():
    res = run("sources", "show", "FRE", "fre-constitution", "Article 7", "--lang", "en", "--data", WORKSPACE)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith("Art. 7  (") and lines[0].endswith("fre-constitution.en.txt:28)")
    assert lines[1] == "Article 7"
    assert "    3) ratify and denounce international treaties of the Republic." in lines
    res = run("sources", "show", "FRE", "fre-constitution", "7-бап 1-тармақ 3) тармақша", "--lang", "kk", "--data", WORKSPACE)
    assert res.returncode == 0 and "ратификациялайды" in res.stdout


def test_cli_sources_list():
    res = run("sources", "list", "--data", WORKSPACE)
    assert res.returncode == 0
    assert "https://example.org/freedonia/constitution/kk" in res.stdout
