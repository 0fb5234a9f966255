"""Which language version of a title or a quote a report shows.

One rule for the HTML report, the workbook and `assess explain`: the text in
the report's language where the evidence has it; else in the document's
original language (its `lang`); else, when only a translation into a third
language is recorded, that translation marked as one, with its language named
("English translation; the original text not recorded"). A third language is
never shown without saying so.

A finding's quote is written as `quote` (in `quote_lang`, by default read from
its script: Latin is English, Cyrillic with Kazakh letters is Kazakh, other
Cyrillic is Russian) with further versions under `quotes: {ru: ..., kk: ...}`.
A version in one of the document's original languages is the original text; a
version in any other language is a translation. The versions of a paraphrase
are the coder's summary in each language: paraphrases all, never the text. A document that declares no
`lang` is taken as titles are: a quote the coder wrote verbatim is its
original, and a translation or paraphrase in a language other than the
report's is a third language.
"""

from __future__ import annotations

from dataclasses import dataclass

_KAZAKH = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def script_lang(text: str | None) -> str | None:
    """The language of a text, read from its letters, among the reports'
    languages: Kazakh letters -> kk, other Cyrillic -> ru, Latin -> en (the
    script with more letters wins); None when it has no letters of either
    script.

    Returns: `str` or None.
    Raises: nothing.

    Example:
        >>> script_lang("Қазақстан"), script_lang("Парламент"), script_lang("123")
        ('kk', 'ru', None)
    """
    if not text:
        return None
    cyrillic = latin = 0
    for ch in text:
        if ch in _KAZAKH:
            return "kk"
        if "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
        elif "a" <= ch.lower() <= "z":
            latin += 1
    if cyrillic or latin:
        return "ru" if cyrillic >= latin else "en"
    return None


def pick(values: dict[str, str], lang: str, originals: tuple[str, ...] = ()) -> str | None:
    """The language to show of `values` (language -> text): the report's
    language; else an original language (in the order the document declares
    them); without declared originals, a language other than English (English
    is the evidence's working language, so another language is the document's
    own); else English; else any. None when there is no text.

    Returns: `str` (a language code) or None.
    Raises: nothing.

    Example:
        >>> pick({"en": "Constitution", "ru": "Конституция"}, "kk")
        'ru'
    """
    present = [k for k, v in values.items() if v]
    if not present:
        return None
    if lang in present:
        return lang
    for code in originals:
        if code in present:
            return code
    if not originals:
        other = [k for k in present if k != "en"]
        if other:
            return other[0]
    return "en" if "en" in present else present[0]


@dataclass(frozen=True, slots=True)
class ShownQuote:
    """The version of a finding's quote a report in `lang` shows."""

    text: str
    lang: str | None  # its language (None: unknown)
    kind: str  # verbatim | translation | paraphrase: what this version is
    coder: bool  # the coder's own words (a translation or paraphrase written as `quote`)
    foreign: bool  # in a third language: neither the report's nor the document's original
    checked_by: object = None  # the check record of this version, when it is a further version with one


def versions(finding, document=None) -> dict[str, tuple[str, str, bool]]:
    """A finding's quote in each language it is recorded in: lang -> (text,
    kind, the coder's own words). The quote as written first (its language
    from quote_lang or its letters, "und" when neither says; a verbatim quote
    in a language that is not one of the document's is a translation), then
    the further versions in `quotes`.

    Returns: `dict[str, tuple[str, str, bool]]` (empty without a quote).
    Raises: nothing.

    Example:
        >>> list(versions(finding, evidence.documents[finding.document]))
        ['en']
    """
    originals = tuple(getattr(document, "langs", ()) or ())
    out: dict[str, tuple[str, str, bool]] = {}
    if finding.quote:
        kind = finding.kind_of_quote
        qlang = finding.quote_lang or script_lang(finding.quote) or "und"
        coder = kind in ("translation", "paraphrase")
        if kind == "verbatim" and originals and qlang not in originals:
            kind = "translation"  # the words of a translation (a copy checked word for word), not the original's
        out[qlang] = (finding.quote, kind, coder)
    paraphrase = finding.quote is not None and finding.kind_of_quote == "paraphrase"
    for code, text in finding.quotes:
        if code in out or not text:
            continue
        if paraphrase:  # the coder's summary said in another language: still the coder's words, never the text's
            out[code] = (text, "paraphrase", True)
            continue
        out[code] = (text, "verbatim" if not originals or code in originals else "translation", False)
    return out


def shown_quote(finding, document, lang: str) -> ShownQuote | None:
    """The quote a report in `lang` shows (see the module's rule): the version
    picked (pick), its kind, whether it is in a third language, and the
    check record of a further version where that is what is shown; None
    without a quote.

    Returns: `ShownQuote` or None.
    Raises: nothing.

    Example:
        >>> shown_quote(finding, document, "ru").kind
    """
    recorded = versions(finding, document)
    if not recorded:
        return None
    originals = tuple(getattr(document, "langs", ()) or ())
    code = pick({k: v[0] for k, v in recorded.items()}, lang, originals)
    text, kind, coder = recorded[code]
    if code == lang or code in originals:
        foreign = False
    elif originals:
        foreign = True
    else:  # no declared original: a verbatim quote is taken as the original, as titles are
        foreign = kind != "verbatim"
    qc = getattr(finding, "quotes_check", None)
    checked = qc.check if qc is not None and qc.lang == code and code != (finding.quote_lang or script_lang(finding.quote)) else None
    return ShownQuote(text=text, lang=None if code == "und" else code, kind=kind, coder=coder, foreign=foreign, checked_by=checked)


def language_name(code: str | None, lang: str, t=None) -> str:
    """A language's name for the marks, in the report's language: the
    catalogue's word (language_<code>, `t` the catalogue) where it has one,
    else Babel's; the code itself when neither knows it, "?" for None.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> language_name("ru", "en")
        'Russian'
    """
    if code is None:
        return "?"
    if t is not None:
        key = f"language_{code}"
        try:
            text = t(key)
        except Exception:  # a language the catalogue does not name
            text = None
        if text and text != key:
            return text
    try:
        from babel import Locale

        return Locale.parse(lang).languages.get(code, code)
    except Exception:  # an unknown locale or code: the code itself
        return code


def quote_mark(shown: ShownQuote | None, lang: str, t) -> str | None:
    """The label shown beside a quote, in the report's language (`t` is the
    catalogue): a third-language version names its language; otherwise the
    quote's kind (paraphrase, the coder's translation, a translation); None
    for the original text.

    Returns: `str` or None.
    Raises: nothing for a shipped catalogue.

    Example:
        >>> quote_mark(shown_quote(finding, document, "en"), "en", catalogue("en"))
        "the coder's translation"
    """
    if shown is None:
        return None
    if shown.foreign:
        key = "quote_foreign_paraphrase" if shown.kind == "paraphrase" else "quote_foreign_translation"
        return t(key, language=language_name(shown.lang, lang, t))
    if shown.kind == "paraphrase":
        return t("quote_kind_paraphrase")
    if shown.kind == "translation":
        return t("quote_kind_translation") if shown.coder else t("quote_kind_version_translation")
    return None
