"""Messages the library makes with `messages.say`: English in the library's
problems and exceptions, said again in ru and kk on the command line (#18 §1)."""

from __future__ import annotations

import pickle
import re
import string
from pathlib import Path

import pytest
import yaml

from assess.common.errors import UsageError
from assess.common.messages import Said, catalogue, in_lang, say
from assess.data.load import printable, suggest
from assess.data.model import Problem

REPO = Path(__file__).resolve().parents[1]
CATALOGUE = yaml.safe_load((REPO / "reports/templates/messages.yaml").read_text(encoding="utf-8"))


def test_said_is_the_english_text_and_says_it_again():
    message = say("p_expected_mapping", what="finding 'x'", got=say("p_kind_list"))
    assert isinstance(message, str) and isinstance(message, Said)
    assert message == "expected a mapping of fields for finding 'x', got a list"
    # the nested kind is put in the same language; the input's words ('x') stay
    assert message.in_lang("ru") == "ожидалось отображение полей для finding 'x', получено: список"
    assert message.in_lang("kk").endswith("алынғаны: тізім")
    assert in_lang("plain text", "ru") == "plain text"
    assert pickle.loads(pickle.dumps(message)).in_lang("ru") == message.in_lang("ru")


def test_an_unknown_key_is_a_programming_error():
    with pytest.raises(KeyError):
        say("p_no_such_message")


def test_printable_escapes_the_values_and_keeps_the_message_sayable():
    hint = printable(suggest("lwas", ["laws"]))
    assert hint == " (did you mean 'laws'?)" and hint.in_lang("ru") == " (возможно, имелось в виду 'laws'?)"
    escaped = printable(say("p_did_you_mean", word="a\x1b[31mb"))
    assert "\x1b" not in escaped and "\x1b" not in escaped.in_lang("kk") and "\\x1b" in escaped.in_lang("kk")


def test_a_problem_line_in_each_language():
    p = Problem("ev/KAZ/a.yaml", 4, "findings", say("p_expected_mapping", what="finding", got=say("p_kind_nothing")))
    assert str(p) == "ev/KAZ/a.yaml:4: findings: expected a mapping of fields for finding, got nothing"
    assert p.said("ru") == "ev/KAZ/a.yaml:4: findings: ожидалось отображение полей для finding, получено: пустое значение"
    w = Problem("a.yaml", None, "", say("p_kind_list"), "warning")
    assert w.said("kk") == "a.yaml: ескерту: тізім" and str(w) == "a.yaml: warning: a list"


def test_a_usage_error_is_said_in_the_language_with_the_option_put_in():
    err = UsageError(say("p_did_you_mean", word="{draws}"), params=("draws",))
    assert err.worded({"draws": "--draws"}, "ru") == " (возможно, имелось в виду '--draws'?)"
    assert str(err) == " (did you mean 'draws'?)"


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("key", sorted(k for k in CATALOGUE if re.match(r"(p|e|i)_", k)))
def test_every_problem_and_error_message_has_three_languages_with_the_same_values(key):
    entry = CATALOGUE[key]
    assert set(entry) >= {"en", "ru", "kk"}, f"{key}: en, ru and kk expected"
    fields = {lang: {f.split("#")[0] for f in _fields(entry[lang])} for lang in ("en", "ru", "kk")}
    assert fields["ru"] == fields["en"] == fields["kk"], f"{key}: the languages name different values: {fields}"
    assert entry["ru"] != entry["en"] or not re.search(r"[a-z]{4}", re.sub(r"\{[^}]*\}", "", entry["en"])), key


def test_every_key_the_code_says_is_in_the_catalogue():
    said = set()
    for path in (REPO / "assess").rglob("*.py"):
        said |= set(re.findall(r"""\bsay\(\s*["']([a-z_0-9]+)["']""", path.read_text(encoding="utf-8")))
    assert said, "no say() call found: the scan is broken"
    missing = sorted(k for k in said if k not in CATALOGUE)
    assert not missing, f"said but not in reports/templates/messages.yaml: {missing}"


def test_validate_in_russian_says_the_loader_problem_in_russian(tmp_path):
    from typer.testing import CliRunner

    from assess.cli import app

    ws = tmp_path / "ws"
    (ws / "evidence" / "FRA").mkdir(parents=True)
    import shutil

    shutil.copytree(REPO / "criteria", ws / "criteria")
    (ws / "evidence" / "FRA" / "country.yaml").write_text(
        "country: {iso3: FRA, name: France}\nfindings:\n  - [1, 2]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--data", str(ws), "--lang", "ru"])
    assert result.exit_code == 1
    out = result.output
    assert "ожидалось отображение полей" in out and "получено: список" in out, out
    assert "expected a mapping" not in out
    en = CliRunner().invoke(app, ["validate", "--data", str(ws)]).output
    assert "expected a mapping of fields for" in en and "got a list" in en


@pytest.mark.parametrize("lang, expected", [
    ("ru", ["формула (=1+1); в ячейках данных хранятся значения", "неизвестный столбец 'lvel' (возможно, имелось в виду 'level'?)",
            "ничего не записано"]),
    ("kk", ["формула (=1+1); дерек ұяшықтарында мәндер сақталады", "белгісіз 'lvel' бағаны ('level' деген болар?)",
            "ештеңе жазылмады"]),
])
def test_the_importer_says_its_problems_in_the_language(tmp_path, lang, expected):
    """A data-entry workbook with a formula in an evidence cell and a misspelt
    column: `import --lang` names each cell and says what is wrong in the
    language; the English words of the message are gone."""
    import shutil

    import openpyxl
    from typer.testing import CliRunner

    from assess.cli import app

    ws = tmp_path / "ws"
    shutil.copytree(REPO / "criteria", ws / "criteria")
    runner = CliRunner()
    assert runner.invoke(app, ["new", "FRA", "--name", "France", "--data", str(ws)]).exit_code == 0
    book = tmp_path / "fra.xlsx"
    assert runner.invoke(app, ["template", "FRA", "--out", str(book), "--data", str(ws)]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    sheet = wb["Findings"]
    head = [c.value for c in sheet[1]]
    sheet.cell(row=1, column=head.index("level") + 1, value="lvel")
    sheet.cell(row=2, column=head.index("locator") + 1, value="=1+1")
    wb.save(book)
    result = runner.invoke(app, ["import", str(book), "--data", str(ws), "--lang", lang])
    assert result.exit_code == 1
    for text in expected:
        assert text in result.output, result.output
    for english in ("a formula", "unknown column", "nothing written", "did you mean"):
        assert english not in result.output, english


def test_a_clean_workspace_reads_no_catalogue():
    """say() is called only for a problem: loading and checking the repository's
    own (clean) data reads no catalogue, so the problems cost nothing when there are none."""
    import subprocess
    import sys

    code = ("import assess; from assess.common import messages; from assess.checking.validate import validate; "
            "r = validate(assess.load_data()); print(len(r.problems), len(messages._TABLES))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True).stdout.split()
    assert out == ["0", "0"], out


@pytest.mark.parametrize("kind", ["document", "observation", "provision", "legislature"])
def test_every_bound_of_a_finding_has_its_phrases(kind):
    """validate._never_in_force names a bound's phrase by its kind (spans.finding_window): p_bound_<kind>_starts/_ends."""
    assert {f"p_bound_{kind}_starts", f"p_bound_{kind}_ends"} <= set(CATALOGUE)


def _problems_of(ws):
    import assess
    from assess.checking.validate import validate

    return validate(assess.load_data(str(ws))).problems


@pytest.mark.parametrize("case", sorted(p.name for p in (REPO / "tests/data/bad").iterdir() if p.is_dir()))
def test_every_problem_of_the_bad_inputs_can_be_said_again(case, tmp_path):
    """Every problem the loader and the checker find in the bad-input corpus
    (tests/data/bad, prepared as test_bad_inputs does: links, a pipe, a 50 MiB
    file) is a catalogue message (a Said), so --lang says it; none is left as a
    plain English str."""
    from test_bad_inputs import prepare

    ws = prepare(case, tmp_path)
    (ws / "expected.txt").unlink(missing_ok=True)
    problems = _problems_of(ws)
    assert problems, "a bad input with no problem: the case is broken"
    plain = [str(p) for p in problems if not isinstance(p.message, Said)]
    assert plain == []
    for p in problems:  # and each is said in Russian, the English words gone from the message's own text
        assert p.said("ru") != str(p) or not re.search(r"[a-z]{4}", p.message), str(p)


def test_the_yaml_parsers_words_are_the_catalogues_english():
    """The YAML syntax errors said from the catalogue (yamlio._YAML_PROBLEMS): the
    catalogue's English is the parser's text word for word, so English output is unchanged."""
    from assess.data.yamlio import _YAML_PROBLEMS

    for text, known in _YAML_PROBLEMS.items():
        key, values = known if isinstance(known, tuple) else (known, {})
        assert say(key, **values) == text and say(key, **values).in_lang("ru") != text, key


def test_a_path_renamed_in_a_message_keeps_it_sayable():
    """The importer renames its scratch folder in the problems it maps back
    (str.replace): the message stays a catalogue message when only a value changes."""
    m = say("p_no_country_record", folder="/tmp/scratch/evidence/FRA")
    moved = m.replace("/tmp/scratch/evidence/FRA", "evidence/FRA")
    assert isinstance(moved, Said) and moved == str.replace(m, "/tmp/scratch/evidence/FRA", "evidence/FRA")
    assert moved.in_lang("ru").startswith("ни один файл в evidence/FRA ")
    # a change in the message's own words gives the plain text
    assert type(m.replace("describes", "names")) is str and "names the country" in m.replace("describes", "names")
