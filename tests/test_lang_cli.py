"""`--lang ru` and `--lang kk` on the terminal commands: every label, number
and date in the language (ids, codes and the evidence's own text aside)."""

import re

import pytest
from typer.testing import CliRunner

from assess.cli import app

runner = CliRunner()

# the English labels of the three views; none may survive in another language
ENGLISH = ["Country", "Overall index", "band", "range if unassessed", "coverage", "(incomplete)", "not assessed",
           "as of", "levels:", "decided by", "question:", "rule:", "tier accepts", "RESULT", "locator:", "quote:",
           "file:", "in force", "change points", "incomplete (some", " w 1)", "withheld"]


def run(*args):
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.output


@pytest.mark.parametrize("lang, word, date", [("ru", "Страна", "30.06.2021"), ("kk", "Ел", "30.06.2021")])
def test_score_speaks_the_language(lang, word, date):
    from conftest import FROZEN  # KAZ 77.9 as of 2021 on the shipped data frozen on 2026-11-30

    out = run("score", "KAZ", "RUS", "--as-of", "2021-06-30", "--lang", lang, "--data", str(FROZEN))
    english = run("score", "KAZ", "RUS", "--as-of", "2021-06-30", "--data", str(FROZEN))
    assert "77.9" in english and "Overall index (0-100)" in english
    # the dates shown are the language's; the next step printed as a command repeats the
    # option as it is typed (`... --as-of 2021-06-30 ...`, #16), so it is left out of this check
    shown = re.sub(r"`assess [^`]*`", "", out)
    assert word in out and date in out and "2021-06-30" not in shown
    assert "--as-of 2021-06-30 --lang " + lang in out
    assert "77,9" in out and "77.9" not in out  # KAZ's overall index, decimal comma
    assert not [w for w in ENGLISH if w in out]
    # nothing in Latin letters but ids, codes, the rubric id and the command hint
    import assess

    rubric = assess.pick_rubric(assess.load_data(None))
    for ident in sorted([c.id for c in rubric.criteria] + [t.id for t in rubric.tiers] + [rubric.id], key=len, reverse=True):
        out = out.replace(ident, "")
    # the command hint keeps its options as typed (--as-of, --lang, --data and its path)
    out = re.sub(r"`assess explain (\S+ \S+)[^`]*`", r"`assess explain \1`", out)
    latin = set(re.findall(r"\b[A-Za-z][A-Za-z]+\b", out))
    # ... and the star's footnote, which names the command that records a check (`assess verify --record`)
    assert latin <= {"KAZ", "RUS", "assess", "explain", "verify", "record"}, latin


def test_explain_and_timeline_labels_in_russian():
    out = run("explain", "KAZ", "int-strategy", "--as-of", "2021-06-30", "--lang", "ru")
    assert "ИТОГ: уровень 0 из 3" in out and "по состоянию на 30.06.2021" in out
    for label in ("вопрос:", "правило:", "блок принимает:", "файл:", "ОПРЕДЕЛЯЕТ", "не проверено"):
        assert label in out, label
    # the labels are Russian; the rule and the reasons a finding was set aside come from the scorer, in English
    assert not [w for w in ("question:", "rule:", "tier accepts", "RESULT", "file:", "DECIDES") if w in out]
    out = run("timeline", "KAZ", "--from", "2013", "--to", "2021-06-30", "--lang", "ru")
    assert "точки изменения:" in out and "01.01.2016" in out and "дата" in out
    assert "change points" not in out and "2016-01-01" not in out


def test_the_russian_report_gives_reasons_and_change_points_in_russian():
    """What the tool itself writes into a report is in the report's language;
    only the evidence's own text (quotes, notes, locators) stays as entered."""
    import assess

    context = assess.report_context(["KAZ", "RUS"], as_of="2021-06-30", lang="ru", draws=0)
    from html import unescape

    html = unescape(assess.render_html(context))
    assert "не учитывается" in html or "не учтено" in html.lower()
    # the document by its title in Russian quotation marks, never by its raw id (issue 17 §6: no raw ids in prose)
    assert ("на 30.06.2021 уже не действует: документ «Дорожная карта развития парламентской дипломатии Республики"
            " Казахстан на 2013-2015 годы» действовал по 31.12.2015") in html
    assert "'kaz-pd-roadmap-2013'" not in html
    assert "Дорожная карта развития парламентской дипломатии Республики Казахстан на 2013-2015 годы: утрачивает силу" in html
    for english in ("no longer in force", "not yet in force", " in force;", "finding kaz-"):
        assert english not in html, english
    # the English report names the document by its title too (the terminal and JSON keep the scorer's ids)
    english = unescape(assess.render_html(assess.report_context(["KAZ"], as_of="2021-06-30", draws=0)))
    assert ("no longer in force on 30 Jun 2021: document “Roadmap for the Development of Parliamentary Diplomacy of the"
            " Republic of Kazakhstan for 2013-2015” in force to 31 Dec 2015") in english
    assert "'kaz-pd-roadmap-2013'" not in english


def test_the_russian_rank_statement_needs_no_declension():
    """Country names are stored in the nominative; "A выше B" would need B in
    the genitive ("выше Казахстана"), so the sentence compares with "чем",
    which takes the nominative: grammatical for any name."""
    import assess

    context = assess.report_context(["KAZ", "RUS"], as_of="2021-06-30", lang="ru", draws=200)
    from html import unescape

    html = unescape(assess.render_html(context))
    assert "Россия выше, чем Казахстан, в" in html or "Казахстан выше, чем Россия, в" in html
    assert "выше Казахстан " not in html and "выше Россия " not in html


def test_explain_says_the_rule_and_the_reasons_in_the_language(mini):
    """The scorer writes its rule and its reasons in English and hands over
    message keys with them; `explain --lang ru` says both in Russian."""
    findings = mini / "evidence" / "NLD" / "findings.yaml"
    findings.write_text(findings.read_text(encoding="utf-8") + "  - {id: n-l1-a2, criterion: l1, document: nld-law-a, locator: Art. 2, "
                        "quote: A says so, level: 1, verified: true, coder: t2}\n", encoding="utf-8")
    out = run("explain", "NLD", "l1", "--as-of", "2012-06-30", "--lang", "ru", "--data", str(mini))
    assert ("правило: наивысший уровень среди учитываемых данных; учитываются только документы, действующие на дату оценки"
            in out)
    assert "на 30.06.2012 уже не действует: документ 'nld-law-a' действовал по 31.12.2010" in out
    out = run("explain", "NLD", "l1", "--as-of", "2008-06-30", "--lang", "ru", "--data", str(mini))
    assert "; кодировщики расходятся (t1: 3, t2: 1), согласования нет: учитывается наименьший уровень" in out
    for english in ("highest level", "no longer in force", "coders disagree", "lowest"):
        assert english not in out, english
    # English keeps the scorer's own words, unchanged
    out = run("explain", "NLD", "l1", "--as-of", "2008-06-30", "--data", str(mini))
    assert "rule: highest level among the findings that count; only documents in force on the as-of date count; " \
           "coders disagree (t1: 3, t2: 1), unreconciled: the lowest level counts" in out


def test_the_catalogue_says_in_english_exactly_what_the_scorer_says():
    """rule_* and note_* in messages.yaml are translations of the scorer's
    English (Rule.describe(), score.NOTES): the English entries must match it
    word for word, or the languages would drift apart."""
    import assess
    from assess.common.messages import load_messages
    from assess.output.render.context import compose_rule_text
    from assess.scoring.score import NOTES

    from conftest import MINI, REPO

    english = load_messages(str(REPO / "reports" / "templates"), "en")
    for key, text in NOTES.items():
        assert english.table[key]["en"] == text, key
    rules = [c.rule for data in (None, str(MINI)) for r in assess.load_data(data).rubrics.values() for c in r.criteria]
    assert {r.type for r in rules} == {"highest", "distinct-documents"} and {r.window for r in rules} >= {"to-date", "in-force"}
    for rule in rules:
        assert compose_rule_text(rule, english) == rule.describe()


def test_the_workbook_states_each_criterions_rule_in_the_report_language():
    import assess

    rules = {lang: {c["id"]: c["rule"] for t in assess.report_context(["KAZ"], as_of="2021-06-30", lang=lang, draws=0)["tiers"]
                    for c in t["criteria"]} for lang in ("en", "kk")}
    assert rules["en"]["con-treaties"] == "highest level among the findings that count; only documents in force on the as-of date count"
    assert rules["kk"]["con-treaties"] == "есептелетін деректер арасындағы ең жоғары деңгей; тек бағалау күні күшіндегі құжаттар есептеледі"


def test_the_generation_time_reads_as_a_date_of_the_language_and_a_utc_time():
    import datetime as dt
    from html import unescape

    import assess

    almaty = dt.timezone(dt.timedelta(hours=5))
    for lang, expected in (("ru", "Сформировано 28.11.2026 20:30 UTC"), ("en", "Generated 28 Nov 2026 20:30 UTC")):
        context = assess.report_context(["KAZ"], as_of="2021-06-30", lang=lang, draws=0,
                                        generated=dt.datetime(2026, 11, 29, 1, 30, tzinfo=almaty))
        assert expected in unescape(assess.render_html(context)), lang
