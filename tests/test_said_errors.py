"""The library's errors said in --lang (#18 §1): every command that fails
prints its error line in Russian or Kazakh, with the option that carries the
argument put in by the command line, and none of the English words of the
message; in English the line is the library's own message, word for word."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from assess.cli import app
from assess.common.errors import UsageError
from assess.common.messages import say

REPO = Path(__file__).resolve().parents[1]
CATALOGUE = yaml.safe_load((REPO / "reports/templates/messages.yaml").read_text(encoding="utf-8"))


def _english_words(*keys: str, lang: str) -> set[str]:
    """The English words of these messages (4 letters or more, outside the
    {values}) that the `lang` text does not keep itself (assess, evidence/...)."""
    words = set()
    for key in keys:
        en = re.sub(r"\{[^}]*\}", " ", CATALOGUE[key]["en"])
        kept = CATALOGUE[key][lang]
        words |= {w for w in re.findall(r"[A-Za-z]{4,}", en) if w not in kept}
    assert words, f"{keys}: no English words to look for: the check would be empty"
    return words


def _run(args):
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def _no_english(out: str, *keys: str, lang: str) -> None:
    """None of the English words of the messages in `out`, once the data is
    taken out: option names (--data) and paths (anything with a /)."""
    text = re.sub(r"--[\w-]+|\S*/\S*", " ", out)
    left = sorted(w for w in _english_words(*keys, lang=lang) if re.search(rf"\b{w}\b", text))
    assert not left, f"English words of {keys} left in the {lang} output: {left}\n{out}"


@pytest.mark.parametrize("lang, words", [
    ("ru", ["ошибка: ", "неизвестная страна 'KZA'", "(возможно, имелось в виду 'KAZ'?)", "страны с данными:"]),
    ("kk", ["қате: ", "белгісіз ел 'KZA'", "('KAZ' деген болар?)", "деректері бар елдер:"]),
])
def test_unknown_country_with_did_you_mean(lang, words):
    code, out = _run(["score", "KZA", "--lang", lang])
    assert code == 2, out
    for w in words:
        assert w in out, out
    _no_english(out, "e_unknown_country", "p_did_you_mean", lang=lang)
    code, en = _run(["score", "KZA"])
    assert "error: unknown country 'KZA' (did you mean 'KAZ'?); countries with evidence: " in en, en


@pytest.mark.parametrize("lang, said", [
    ("ru", "--draws должно быть от 1 до 1 000 000"),
    ("kk", "--draws 1 мен 1 000 000 аралығында болуы керек"),
])
def test_draws_zero_names_the_option(lang, said):
    code, out = _run(["sensitivity", "KAZ", "RUS", "--draws", "0", "--lang", lang])
    assert code == 2, out
    assert said in out, out
    assert "{draws}" not in out and " draws " not in out
    _no_english(out, "e_draws_range_1", lang=lang)
    code, en = _run(["sensitivity", "KAZ", "RUS", "--draws", "0"])
    assert "error: --draws must be between 1 and 1,000,000" in en, en


@pytest.mark.parametrize("lang, said", [
    ("ru", "ошибка: папка данных {file} (из --data) — файл, а не папка"),
    ("kk", "қате: {file} деректер қалтасы (--data бойынша) — қалта емес, файл"),
])
def test_data_pointing_at_a_file(tmp_path, lang, said):
    file = tmp_path / "notes.txt"
    file.write_text("not a workspace\n", encoding="utf-8")
    code, out = _run(["score", "KAZ", "--data", str(file), "--lang", lang])
    assert code == 2, out
    assert said.format(file=file) in out, out
    _no_english(out, "e_data_is_file", lang=lang)
    code, en = _run(["score", "KAZ", "--data", str(file)])
    assert f"error: the data folder {file} (from --data) is a file, not a folder" in en, en


@pytest.mark.parametrize("lang, words", [
    ("ru", ["ошибка: нет рабочей папки, чтобы записать в неё эталон", "укажите рабочую папку", "--data DIR"]),
    ("kk", ["қате: эталон жазатын жұмыс қалтасы жоқ", "жұмыс қалтасын көрсетіңіз", "--data DIR"]),
])
def test_a_missing_workspace(tmp_path, monkeypatch, lang, words):
    monkeypatch.chdir(tmp_path)  # no evidence/ or criteria/ here or above: only the shipped data
    monkeypatch.delenv("ASSESS_DATA", raising=False)
    code, out = _run(["baseline", "--lang", lang])
    assert code == 2, out  # NoWorkspace is a usage error
    for w in words:
        assert w in out, out
    _no_english(out, "e_no_workspace_for", "e_purpose_record_baseline", "cli_workspace_hint", lang=lang)
    code, en = _run(["baseline"])
    assert "error: no workspace to record a baseline in: no folder with evidence/ or criteria/" in en, en


@pytest.mark.parametrize("lang, said", [
    ("ru", "ошибка: не удаётся записать {out}: {above} — файл, а не папка"),
    ("kk", "қате: {out} жазу мүмкін емес: {above} — қалта емес, файл"),
])
def test_an_unwritable_out(tmp_path, lang, said):
    above = tmp_path / "a-file"
    above.write_text("x\n", encoding="utf-8")
    out_dir = above / "report"  # under a file: nothing can be written there
    code, out = _run(["report", "KAZ", "RUS", "--out", str(out_dir), "--lang", lang])
    assert code == 2, out
    assert said.format(out=out_dir, above=above) in out, out
    _no_english(out, "e_cannot_write", "e_write_above_file", lang=lang)
    assert not (tmp_path / "report").exists()
    code, en = _run(["report", "KAZ", "RUS", "--out", str(out_dir)])
    assert f"error: cannot write {out_dir}: {above} is a file, not a folder" in en, en


def test_an_unknown_format_in_russian():
    code, out = _run(["score", "KAZ", "-f", "JSN", "--lang", "ru"])
    assert code == 2, out
    assert "ошибка: неизвестный формат 'JSN' (возможно, имелось в виду 'json'?); ожидается " in out, out
    _no_english(out, "cli_unknown_format", lang="ru")


def test_a_broken_workspace_setting_in_kazakh(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(REPO / "criteria", ws / "criteria")
    (ws / "assess.toml").write_text("[workspace]\ndtaa = 'x'\n", encoding="utf-8")
    code, out = _run(["score", "--data", str(ws), "--lang", "kk"])
    assert code == 2, out
    assert "[workspace] ішінде белгісіз 'dtaa' баптауы ('data' деген болар?)" in out, out
    _no_english(out, "e_config_unknown_setting", lang="kk")


def test_a_scenario_problem_and_an_unknown_scenario_in_russian():
    code, out = _run(["whatif", "KAZ", "--scenario", "no-such-scenario", "--lang", "ru"])
    assert code == 2, out
    assert "ошибка: неизвестный сценарий 'no-such-scenario'" in out and "сценарии здесь:" in out, out
    _no_english(out, "e_unknown_scenario", lang="ru")


def test_a_usage_error_keeps_its_placeholder_in_every_language():
    """The catalogue text of an error about an argument keeps `{draws}` for
    the command line to fill in: passed as a value, so the library's English
    and each language name the Python argument until worded."""
    err = UsageError(say("e_seed_range", seed="{seed}"), params=("seed",))
    assert str(err) == "seed must be 0 or more"
    assert err.worded({"seed": "--seed"}, "ru") == "--seed должно быть 0 или больше"
    assert err.worded({"seed": "--seed"}, "kk") == "--seed 0 немесе одан көп болуы керек"


def test_nested_phrases_are_said_in_the_language():
    """A phrase built in Python and put into a message (a kind of file, "is
    shipped"/"are shipped", "none") is a message too, said in the same language."""
    from assess.common.files import not_a_file
    import stat

    what = not_a_file(stat.S_IFIFO)
    message = say("e_write_not_regular", path="/tmp/p", what=what, noun=say("e_noun_fifo"))
    assert message == "/tmp/p is a named pipe (FIFO), not a regular file; write to a file (replacing it would replace the FIFO)"
    assert message.in_lang("ru") == ("/tmp/p — именованный канал (FIFO), а не обычный файл; пишите в файл "
                                     "(замена затронула бы канал FIFO)")
    two = say("e_fetch_shipped", codes="KAZ, RUS", shipped=say("e_shipped_many"))
    assert two.startswith("KAZ, RUS are shipped with assess (read-only)")
    assert two.in_lang("ru").startswith("KAZ, RUS поставляются с assess")


def test_fetch_errors_count_attempts_in_the_language():
    # 1 попытки, 3 попыток, 5 попыток: after "после" the genitive, by the CLDR category of the number
    said = [say("e_fetch_timeout", url="u", seconds="30", n=n) for n in (1, 3, 5)]
    assert [s[len("u: no answer within 30 s after "):] for s in said] == ["1 attempt", "3 attempts", "5 attempts"]
    assert [s.in_lang("ru").rsplit("после ", 1)[1] for s in said] == ["1 попытки", "3 попыток", "5 попыток"]


FUNCTION_WORDS = {"the", "and", "not", "with", "is", "are", "of", "for", "in", "no", "or", "to", "has", "must", "be",
                  "cannot", "expected", "got", "unknown", "there", "here", "its", "this", "that", "file", "folder"}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_no_error_message_is_left_in_english(lang):
    """Each e_* message in ru and kk has none of the English words that make a
    sentence ("the", "is", "must", "unknown"...), once the technical words are
    taken out: code in `backticks`, quoted input, paths, options and field
    names (scoring.uncertainty.findings, in_force_to). A copied English entry fails here."""
    left = {}
    for key, entry in CATALOGUE.items():
        if not key.startswith("e_"):
            continue
        text = re.sub(r"\{[^}]*\}", " ", entry[lang])
        text = re.sub(r"`[^`]*`|'[^']*'|\S*/\S*|--[\w-]+|\S*\.\w+|\S*_\S*|\([a-z_, ]+\)", " ", text)
        words = {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in FUNCTION_WORDS}
        if words:
            left[key] = sorted(words)
    assert not left, f"English left in the {lang} error messages: {left}"
