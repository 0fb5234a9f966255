"""Source texts -> provisions, and locators as analysts write them -> canonical form."""

import os

import pytest

from assess.sources import normalize_locator, parse_locator, parse_text, resolve
from assess.sources.parse import html_to_text

HERE = os.path.dirname(__file__)
TEXTS = os.path.join(HERE, "data", "sources", "texts")
SOURCES = os.path.join(HERE, "data", "sources", "workspace", "evidence", "FRE", "sources")


def parsed(folder, name):
    with open(os.path.join(folder, name), encoding="utf-8") as fh:
        return parse_text(fh.read())


def locators(p):
    return [x.locator for x in p.walk()]


def test_english_constitution_nesting():
    p = parsed(SOURCES, "fre-constitution.en.txt")
    assert p.header["source"] == "https://example.org/freedonia/constitution"
    assert p.preamble[0] == "CONSTITUTION OF THE REPUBLIC OF FREEDONIA"
    ls = locators(p)
    for want in ["Sec. I", "Art. 1", "Art. 1(2)", "Art. 4(2)", "Art. 6-1", "Art. 7(1)(3)", "Art. 7(2)",
                 "Art. 8(2)", "Art. 8(3)(a)", "Art. 8(3)(b)", "Art. 9(c)", "Art. 27(1)(27-13)"]:
        assert want in ls, want
    art7 = resolve(p, "Art. 7")
    assert art7.line == 28
    assert art7.own_text == "Article 7 Ratification of international treaties"
    assert [c.locator for c in art7.children] == ["Art. 7(1)", "Art. 7(2)"]
    item = resolve(p, "Art. 7(1)(3)")
    assert item.text == "3) ratify and denounce international treaties of the Republic."
    # the lead-in of the paragraph belongs to what a quote of the item may span
    assert item.context.startswith("Article 7 Ratification of international treaties 1. The Grand Assembly")


def test_letter_items_are_subitems_under_numbered_items_and_items_under_articles():
    p = parsed(SOURCES, "fre-constitution.en.txt")
    assert resolve(p, "Art. 8(3)(b)").kind == "subitem"
    assert resolve(p, "Art. 9(b)").kind == "item"
    ru = parsed(SOURCES, "fre-constitution.ru.txt")
    assert resolve(ru, "Art. 9, item «б»").own_text.startswith("б) назначает и отзывает")
    assert resolve(ru, "Art. 8(3)(б)").own_text == "б) для выполнения международных обязательств Республики."


def test_kazakh_number_first_headings():
    p = parsed(SOURCES, "fre-constitution.kk.txt")
    assert locators(p)[:3] == ["Sec. I", "Art. 4", "Art. 4(1)"]
    assert resolve(p, "6-1-бап").own_text.startswith("6-1-бап Ұлы Ассамблея")
    assert resolve(p, "7-баптың 1-тармағының 3) тармақшасы").own_text.startswith("3) Республиканың")
    assert resolve(p, "Sec. II").number == "II"


def test_russian_law_with_chapters_inserted_articles_and_hyphenated_items():
    p = parsed(TEXTS, "freedonia-diplomatic-service.ru.txt")
    ls = locators(p)
    assert "Ch. 1" in ls and "Ch. 2" in ls
    assert "Art. 1(2)" in ls  # items straight under an article
    assert "Art. 6(1)(27-13)" in ls
    assert "Art. 6-1" in ls
    assert "Art. 9(2)(а)" in ls
    assert resolve(p, "подпункт 27-13) пункта 1 статьи 6").own_text.startswith("27-13) содействует делегациям")
    assert resolve(p, "п. 14 ст. 6").locator == "Art. 6(1)(14)"  # the only item 14: found under paragraph 1
    assert resolve(p, "Статья 6-1").own_text.startswith("Статья 6-1. Консульские учреждения")
    assert resolve(p, "Art. 6(1)(2)") is None  # there is no item 2 in this fictional article


def test_kazakh_law_and_hyphenated_items():
    p = parsed(TEXTS, "freedonia-diplomatic-service.kk.txt")
    assert resolve(p, "6-бап 1-тармақ 27-13) тармақша").locator == "Art. 6(1)(27-13)"
    assert resolve(p, "6-1-бап").kind == "article"
    assert resolve(p, "1-тарау").kind == "chapter"


def test_concept_with_chapters_and_dotted_items():
    p = parsed(TEXTS, "freedonia-concept.en.txt")
    assert locators(p) == ["Ch. 1", "Ch. 1, para. 1", "Ch. 1, para. 9", "Ch. 5", "Ch. 5, para. 3.13", "Ch. 5, para. 3.14"]
    assert resolve(p, "Chapter 5, item 3.14 (as cited by the source article)").own_text.startswith("3.14 Harnessing")
    assert resolve(p, "Chapter 1, item 9").own_text.startswith("9. Freedonia will continue")
    assert resolve(p, "Chapter 1, item 3.14") is None


def test_render_indents_sub_provisions():
    p = parsed(SOURCES, "fre-constitution.en.txt")
    text = resolve(p, "Art. 8").render()
    assert text.splitlines()[0] == "Article 8"
    assert "\n    a) to keep the peace;" in text
    assert "\n  1) hear the annual address of the President;" in text


def test_html_source_is_read_as_text():
    html = ("<html><body><p>Article 1</p><p>1. The Republic is free &amp; sovereign.</p>"
            "<p>2. Treaties:<br>1) are ratified;</p><script>alert(1)</script></body></html>")
    p = parse_text(html)
    assert resolve(p, "Art. 1(1)").own_text == "1. The Republic is free & sovereign."
    assert resolve(p, "Art. 1(2)(1)").own_text == "1) are ratified;"
    assert "alert" not in html_to_text(html)


def test_text_without_headings_is_all_preamble():
    p = parse_text("Just a note.\nNothing numbered here.")
    assert p.provisions == [] and p.preamble == ["Just a note.", "Nothing numbered here."]
    assert resolve(p, "Art. 1") is None


@pytest.mark.parametrize("written, canonical", [
    ("Art. 54(1)(7)", "Art. 54(1)(7)"),
    ("Art. 54(1)(7) (2007 edition)", "Art. 54(1)(7)"),
    ("Article 54 item 7", "Art. 54(7)"),
    ("Article 54, paragraph 1, item 7", "Art. 54(1)(7)"),
    ("Art 54 para 1 subpara 7", "Art. 54(1)(7)"),
    ("art. 54 (1) (7)", "Art. 54(1)(7)"),
    ("54(1)(7)", "Art. 54(1)(7)"),
    ("п. 7 ст. 54", "Art. 54(7)"),
    ("пп. 7 п. 1 ст. 54", "Art. 54(1)(7)"),
    ("подпункт 7) пункта 1 статьи 54", "Art. 54(1)(7)"),
    ("ч. 4 ст. 15", "Art. 15(4)"),
    ("part 4 of Article 15", "Art. 15(4)"),
    ("54-баптың 1-тармағының 7) тармақшасы", "Art. 54(1)(7)"),
    ("54-бап", "Art. 54"),
    ("Article 6-1", "Art. 6-1"),
    ("Статья 6-1", "Art. 6-1"),
    ("6-1-бап", "Art. 6-1"),
    ("Art. 6(27-13)", "Art. 6(27-13)"),
    ("Article 6, subparagraph 27-13)", "Art. 6(27-13)"),
    ("Art. 53, item 4", "Art. 53(4)"),
    ("Art. 106, item «г»", "Art. 106(г)"),
    ("Art. 102(1), item «г»", "Art. 102(1)(г)"),
    ("article 102, paragraph 1, item (g)", "Art. 102(1)(g)"),
    ("Статья 83, пункт «л»", "Art. 83(л)"),
    ("Art. 83, item «д.1», with Art. 102(1) (2020 edition)", "Art. 83(д.1)"),
    ("Art. 54 (edition in force from 1 Jan 2023; item number not verified)", "Art. 54"),
    ("Chapter 24 \"Foreign policy and inter-parliamentary cooperation\", Art. 212", "Art. 212"),
    ("Chapter 26 (ratification), Art. 196; Chapter 27", "Art. 196"),
    ("Chapter 1, item 9 (as cited by the source article)", "Ch. 1, para. 9"),
    ("Chapter 5, item 3.14", "Ch. 5, para. 3.14"),
    ("Section VIII, item 125 (as cited by the source article)", "Sec. VIII, para. 125"),
    ("Part VIII, line 125", "Sec. VIII, para. 125"),
    ("Раздел VIII, пункт 125", "Sec. VIII, para. 125"),
    ("Chapter 2 (Arts 3-19), articles on ratification", "Ch. 2"),
    ("Title and Art. 1", "Art. 1"),
])
def test_normalize_locator(written, canonical):
    assert normalize_locator(written) == canonical


@pytest.mark.parametrize("written", [
    None, "", "Whole document (cited by the source article, ref. 45)", "Recommendations",
    "Provisions on committees (article not verified)", "Law of 10 Jun 1997 No. 117, sole article (ratification)",
])
def test_locators_without_an_address(written):
    assert parse_locator(written) is None


def test_section_numbers_compare_as_numbers():
    p = parse_text("Section IV\nArticle 1\nText.\nРаздел 5\nСтатья 2\nТекст.")
    assert resolve(p, "Section 4").locator == "Sec. IV"
    assert resolve(p, "Раздел V").locator == "Sec. 5"


def test_latin_and_cyrillic_letters_that_look_alike_match():
    p = parse_text("Статья 83\nПрезидент:\nа) первое;\nс) третье.")
    assert resolve(p, "Art. 83(a)").own_text == "а) первое;"  # Latin a in the locator
    assert resolve(p, "Art. 83(c)").own_text == "с) третье."
