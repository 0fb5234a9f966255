"""Tier, level and band are three different things and get three different
words in every language (the glossary in reports/templates/messages.yaml,
issue 17 §6): «Уровень» once meant all three in Russian, and the Russian
Criteria sheet had a tier column "Уровень" beside "KAZ Уровень", the level."""

from __future__ import annotations

import re

import openpyxl
import pytest
import yaml

import assess.api as api
from assess.common.messages import load_messages
from assess.output.render.xlsx import workbook_bytes

from conftest import FROZEN, REPO

CATALOGUE = yaml.safe_load((REPO / "reports" / "templates" / "messages.yaml").read_text(encoding="utf-8"))
GLOSSARY = CATALOGUE["_glossary"]
TERMS = ("tier", "level", "band")
LANGS = ("en", "ru", "kk")
# the stem of each language's word for level: a message about tiers or bands only must not use it
LEVEL_STEM = {"en": r"\blevels?\b", "ru": r"уров", "kk": r"деңгей"}


@pytest.mark.parametrize("lang", LANGS)
def test_three_terms_three_words_each_with_its_reason(lang):
    words = [GLOSSARY[term][lang] for term in TERMS]
    assert len({w.lower() for w in words}) == 3, words
    for term in TERMS:
        assert GLOSSARY[term]["why"][lang].strip(), (term, lang)
        # the catalogue's labels are the glossary's words
        assert load_messages(api.templates_dir(), lang)(term) == GLOSSARY[term][lang]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_tier_and_band_texts_never_use_the_word_for_level(lang):
    offenders = []
    for key, entry in CATALOGUE.items():
        if key.startswith("_") or not isinstance(entry, dict) or not isinstance(entry.get("en"), str):
            continue
        en, text = entry["en"], entry.get(lang) or ""
        about_tier_or_band = re.search(r"\b(tiers?|bands?)\b", en, re.I)
        about_level = re.search(LEVEL_STEM["en"], en, re.I)
        if about_tier_or_band and not about_level and re.search(LEVEL_STEM[lang], text, re.I):
            offenders.append(key)
    assert not offenders


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_criteria_sheet_headers_do_not_collide(lang):
    """The tier column and the countries' level columns of the Criteria sheet share no word."""
    import io

    ctx = api.report_context(["KAZ", "RUS"], as_of="2026-11-28", data=str(FROZEN), lang=lang, draws=0)
    msg = load_messages(api.templates_dir(), lang)
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(ctx, msg)))
    header = [c.value for c in wb.worksheets[1][1]]
    tier, levels = header[0], [h for h in header if h.startswith(("KAZ ", "RUS ")) and h.endswith(msg("level"))]
    assert tier == GLOSSARY["tier"][lang] and len(levels) == 2
    assert not set(tier.lower().split()) & {w.lower() for h in levels for w in h.split()}
    # and the document types are shown by their titles in the language, never as ids like rules-of-procedure
    types = {r[2] for r in wb.worksheets[4].iter_rows(min_row=2, values_only=True) if r[2]}
    assert types and not any(re.fullmatch(r"[a-z]+(-[a-z]+)*", t) for t in types), types


def test_titles_in_the_report_language_else_the_original_never_a_third():
    """tests/data/shipped-2026-11: the 1995 constitutional law on Parliament has an English and a Russian
    title only. The Kazakh report shows it in Russian (its own language), not in English; the Russian
    report in Russian; the English report in English. A title in English only stays English."""
    from assess.data.model import Text
    from assess.output.render.context import title_text

    law = Text({"en": "Constitutional Law on the Parliament", "ru": "Конституционный закон о Парламенте"})
    assert title_text(law, "kk") == "Конституционный закон о Парламенте"
    assert title_text(law, "ru") == "Конституционный закон о Парламенте" and title_text(law, "en") == law.get("en")
    assert title_text(Text({"en": "An article"}), "kk") == "An article"
    ctx = api.report_context(["KAZ"], as_of="2026-11-28", data=str(FROZEN), lang="kk", draws=0)
    titles = {d["id"]: d["title"] for g in ctx["documents"] for d in g["documents"]}
    assert titles["kaz-constitutional-law-parliament-1995"].startswith("Конституционный закон Республики Казахстан")
