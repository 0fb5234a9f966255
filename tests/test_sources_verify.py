"""assess verify: findings checked against the source texts."""

import json
import os
import shutil
import subprocess
import sys

import pytest

import assess
from assess import api
from assess.sources import (
    ELSEWHERE, NO_LOCATOR, NO_QUOTE, NO_SOURCE, VERIFIED, parse_text, verify_countries, verify_summary,
)
from assess.sources.verify import fragments, normalize, occurs, verify_finding
from assess.data.model import Finding, Source
from assess.sources.texts import SourceText, split_name

HERE = os.path.dirname(__file__)
WORKSPACE = os.path.join(HERE, "data", "sources", "workspace")


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "assess", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONHASHSEED": "0"})


@pytest.fixture(scope="module")
def results():
    loaded = assess.load_data(WORKSPACE)
    problems = []
    out = {r.finding: r for r in verify_countries(loaded, ["FRE"], problems)}
    assert problems == []
    return out


def test_correct_finding_verifies(results):
    r = results["fre-treaties-right"]
    assert r.kind == VERIFIED and r.resolved == "Art. 7(1)(3)" and not r.error
    assert r.source.endswith("fre-constitution.en.txt")


def test_wrong_item_is_caught_and_the_right_item_named(results):
    r = results["fre-treaties-wrong-item"]
    assert r.kind == ELSEWHERE
    assert r.canonical == "Art. 7(1)(2)" and r.found_at == "Art. 7(1)(3)"
    assert r.error  # it is marked verified
    problem = r.problem()
    assert problem.severity == "error" and problem.field == "quote"
    assert problem.path.endswith(os.path.join("FRE", "constitution.yaml"))
    with open(problem.path, encoding="utf-8") as fh:
        assert "Ratify and denounce" in fh.read().splitlines()[problem.line - 1]


def test_russian_and_kazakh_quotes_verify_against_their_texts(results):
    assert results["fre-status-ru"].kind == VERIFIED and results["fre-status-ru"].source.endswith(".ru.txt")
    assert results["fre-agreements-kk"].kind == VERIFIED and results["fre-agreements-kk"].resolved == "Art. 6-1"
    assert results["fre-posts-letter"].resolved == "Art. 9(б)"
    assert results["fre-war-subitem"].kind == VERIFIED


def test_close_quote_reports_similarity(results):
    r = results["fre-war-close"]
    assert r.kind == NO_QUOTE and 0.8 < r.similarity < 1
    assert "decide questions of war and peace" in r.closest
    assert not r.error  # not marked verified: informational


def test_unknown_locator_says_where_the_quote_is(results):
    r = results["fre-missing-article"]
    assert r.kind == NO_LOCATOR and r.found_at == "Art. 7(1)(2)"


def test_no_source_text(results):
    assert results["fre-law-no-text"].kind == NO_SOURCE


def test_summary_counts_and_share(results):
    s = verify_summary(list(results.values()))
    assert s.findings == 9 and s.with_source == 8 and s.verified == 5 and s.errors == 1
    assert s.counts == {VERIFIED: 5, ELSEWHERE: 1, NO_LOCATOR: 1, NO_QUOTE: 1, NO_SOURCE: 1}
    assert s.share == pytest.approx(5 / 9) and s.share_checked == pytest.approx(5 / 8)
    assert s.to_dict()["share_verified"] == 0.5556


def test_normalisation_of_quotes():
    assert normalize("«Ратифицирует»  и\nДЕНОНСИРУЕТ — договоры") == normalize('"ратифицирует" и денонсирует - договоры')
    assert normalize("ёлка") == "елка"
    assert fragments("Parliament shall: ... 7) ratify (...) treaties…") == ["parliament shall", "7) ratify", "treaties"]
    assert occurs(["a b", "c"], "x a b y c") and not occurs(["c", "a b"], "x a b y c")


def _finding(locator, quote, verified=False):
    return Finding(id="f", criterion="c", document="d", locator=locator, quote=quote, level=2, not_applicable=False,
                   verified=verified, coder=None, note=None, reason=None, in_force_from=None, in_force_to=None,
                   legislature=None, source=Source("x.yaml", 3, {"locator": 4, "quote": 5}))


def test_quote_spanning_a_parent_is_found_at_the_parent():
    text = SourceText("FRE", "d", "en", None, "d.en.txt", parse_text(
        "Article 1\n1. Treaties:\n1) are signed by the President;\n2) are ratified by the Assembly.\n2. Other."))
    r = verify_finding("FRE", _finding("Art. 1(1)(2)", "are signed by the President; 2) are ratified", True), [text])
    assert r.kind == ELSEWHERE and r.found_at == "Art. 1(1)" and r.error and r.line == 5


def test_unreadable_locator_and_missing_quote():
    text = SourceText("FRE", "d", "en", None, "d.en.txt", parse_text("Article 1\nSomething."))
    r = verify_finding("FRE", _finding("Whole document", "Something"), [text])
    assert r.kind == NO_LOCATOR and "names no article" in r.detail and r.found_at == "Art. 1"
    r = verify_finding("FRE", _finding("Art. 1", None), [text])
    assert r.kind == NO_QUOTE and "no quote" in r.detail


def test_source_file_names():
    assert split_name("kaz-constitution-1995.ru.txt") == ("kaz-constitution-1995", "ru", None)
    assert split_name("kaz-constitution-1995.en.2007.txt") == ("kaz-constitution-1995", "en", "2007")
    assert split_name("doc.v1.kk.html") == ("doc.v1", "kk", None)
    assert split_name("doc.de.txt") is None and split_name("notes.md") is None


# ---------------------------------------------------------------- the command


def test_cli_verify_table_names_the_right_item_and_fails_on_a_verified_finding():
    res = run("verify", "FRE", "--data", WORKSPACE)
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    row = next(line for line in res.stdout.splitlines() if "fre-treaties-wrong-item" in line)
    assert "quote elsewhere" in row and "Art. 7(1)(3)" in row
    assert "  verified  " in next(line for line in res.stdout.splitlines() if "fre-treaties-right" in line)
    assert "constitution.yaml:34: quote: finding 'fre-treaties-wrong-item' is marked verified" in res.stderr
    assert "5 of 9 findings (56%) verified against source texts; 8 have a source text" in res.stdout


def test_cli_verify_json_is_deterministic():
    a = run("verify", "--format", "json", "--data", WORKSPACE)
    b = run("verify", "--format", "json", "--data", WORKSPACE)
    assert a.stdout == b.stdout and a.returncode == 1
    doc = json.loads(a.stdout)
    assert doc["summary"]["counts"]["verified"] == 5
    wrong = next(r for r in doc["results"] if r["finding"] == "fre-treaties-wrong-item")
    assert wrong["result"] == "quote elsewhere" and wrong["found_at"] == "Art. 7(1)(3)" and wrong["error"]


def test_cli_verify_exits_0_when_nothing_marked_verified_fails(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(WORKSPACE, ws)
    path = ws / "evidence" / "FRE" / "constitution.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: fre-treaties-wrong-item")
    end = text.index("  - id: fre-status-ru")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    res = run("verify", "--data", str(ws))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "quote not found" in res.stdout  # informational rows are still shown


def test_cli_verify_bad_source_files_are_messages_not_tracebacks(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(WORKSPACE, ws)
    sources = ws / "evidence" / "FRE" / "sources"
    (sources / "fre-constitution.en.txt").write_bytes("Article 1\nТекст".encode("cp1251"))
    (sources / "fre-nothing.en.txt").write_text("# source: https://example.org\nArticle 1\n", encoding="utf-8")
    res = run("verify", "--data", str(ws))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "fre-constitution.en.txt: not UTF-8 text (line 2); save it as UTF-8" in res.stderr
    assert "fre-nothing.en.txt: warning: no document 'fre-nothing' in the evidence of FRE" in res.stderr


def test_cli_verify_unknown_country_is_a_usage_error():
    res = run("verify", "XYZ", "--data", WORKSPACE)
    assert res.returncode == 2 and "Traceback" not in res.stderr and "error:" in res.stderr


def test_shipped_data_verifies_without_errors():
    report = api.verify()
    assert not report.failed
    assert report.summary.findings == sum(len(ev.findings) for ev in assess.load_data().countries.values())


def test_cli_verify_refuses_binary_and_linked_source_files(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(WORKSPACE, ws)
    sources = ws / "evidence" / "FRE" / "sources"
    (sources / "fre-constitution.ru.txt").write_bytes(b"Article 1\x00\x01\x02")
    outside = tmp_path / "outside.txt"
    outside.write_text("Article 1\nText.\n", encoding="utf-8")
    (sources / "fre-constitution.kk.txt").unlink()
    (sources / "fre-constitution.kk.txt").symlink_to(outside)
    (sources / "fre-law-treaties.en.txt").mkdir()  # a folder with a source text's name is skipped
    res = run("verify", "--format", "json", "--data", str(ws))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    problems = json.loads(res.stdout)["problems"]
    assert any("fre-constitution.ru.txt: the file holds NUL bytes" in p for p in problems)
    assert any("fre-constitution.kk.txt: a link to" in p and "outside the sources folder" in p for p in problems)
