"""Rank the provisions of a source text for each criterion of a rubric, by the
terms the criterion declares (`terms:` in the rubric: stems in any language).

A term matches a word that starts with it (`ратификац` matches
`ратификации`, `ратификациялайды`); a term of several words matches them in a
row. Precision over recall: a provision ranks by how many different terms it
holds, then by how dense they are, so the narrowest provision that says the
thing comes first, and a provision is not suggested together with one it
contains or sits in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..data.model import Criterion, Rubric
from .parse import ARTICLE, CHAPTER, SECTION, Provision
from .texts import SourceText

EXCERPT_CHARS = 240
_WORD = re.compile(r"\w+")


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


def match_terms(terms: tuple[str, ...], words: list[str]) -> dict[str, set[int]]:
    """Term -> the positions of the words it matches (prefix match per word; a
    term of several words matches consecutive words, its position the
    first's). `words` are folded tokens (lower case, ё as е); terms that
    match nothing are left out.

    Returns: `dict[str, set[int]]`.
    Raises: nothing.

    Example:
        >>> match_terms(("ратификац", "международн договор"), ["о", "ратификации", "международного", "договора"])
        {'ратификац': {1}, 'международн договор': {2}}
    """
    out: dict[str, set[int]] = {}
    for term in terms:
        parts = _tokens(term)
        if not parts:
            continue
        n = len(parts)
        hits = {i for i in range(len(words) - n + 1) if all(words[i + j].startswith(parts[j]) for j in range(n))}
        if hits:
            out[term] = hits
    return out


def distinct_terms(hits: dict[str, set[int]]) -> list[str]:
    """The matched terms, one per stem: a term that starts another matched term
    (`ратификац` and `ратификациял`, two spellings of one stem) counts once,
    as the shorter; shortest first.

    Returns: `list[str]`.
    Raises: nothing.

    Example:
        >>> distinct_terms({"ратификац": {1}, "ратификациял": {3}, "договор": {2}})
        ['договор', 'ратификац']
    """
    out: list[str] = []
    for term in sorted(hits, key=lambda t: (len(t), t)):
        if not any(_fold(term).startswith(_fold(kept)) or _fold(kept).startswith(_fold(term)) for kept in out):
            out.append(term)
    return out


def _related(a: str, b: str) -> bool:
    """One locator is the other or contains it (Art. 7 and Art. 7(1)(3))."""
    return a == b or any(x.startswith(y + sep) for x, y in ((a, b), (b, a)) for sep in ("(", ", "))


@dataclass(frozen=True)
class Suggestion:
    criterion: str
    document: str
    locator: str
    quote: str
    terms: tuple[str, ...]  # the terms that matched
    score: int  # number of different terms
    source: str  # path of the source text
    line: int

    def to_dict(self) -> dict:
        return {"criterion": self.criterion, "document": self.document, "locator": self.locator, "quote": self.quote,
                "terms": list(self.terms), "score": self.score, "source": self.source, "line": self.line}


def excerpt(text: str, terms: tuple[str, ...], limit: int = EXCERPT_CHARS) -> str:
    """A verbatim piece of the provision (its spaces collapsed) around its first
    matching term, at most `limit` characters, cut at words, with `...` where
    it was cut (verification reads `...` as a gap); the whole text when it is
    short enough.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> excerpt("Parliament ratifies international treaties.", ("ratif",))
        'Parliament ratifies international treaties.'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    first = len(text)
    for term in terms:
        head = _tokens(term)[:1]
        if not head:
            continue
        m = re.search(rf"(?<!\w){re.escape(head[0])}", _fold(text))
        if m:
            first = min(first, m.start())
    if first == len(text):
        first = 0
    start = max(0, first - limit // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + limit)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    piece = text[start:end].strip(" ,;:")
    return ("... " if start else "") + piece + (" ..." if end < len(text) else "")


def _candidates(criterion: Criterion, st: SourceText) -> list[tuple[tuple, Provision, dict[str, int]]]:
    has_articles = any(p.kind == ARTICLE for p in st.parsed.walk())
    out = []
    for order, p in enumerate(st.parsed.walk()):
        if has_articles and p.kind in (SECTION, CHAPTER):
            continue  # too broad to cite when the text has articles
        words = _tokens(p.text)
        hits = match_terms(criterion.terms, words)
        if not hits:
            continue
        terms = distinct_terms(hits)
        matched_words = len(set().union(*hits.values()))
        density = matched_words / max(len(words), 12)
        out.append(((-len(terms), -density, order), p, hits))
    out.sort(key=lambda x: x[0])
    return out


def suggest_for(criterion: Criterion, document: str, texts: list[SourceText], top: int = 3) -> list[Suggestion]:
    """The `top` best provisions for one criterion over a document's source
    texts, by the criterion's `terms` (none without terms); never the same
    provision twice (in another language) nor one that holds or sits in a
    provision already chosen.

    Returns: `list[Suggestion]` (locator, excerpt, terms matched, score, file, line).
    Raises: nothing.

    Example:
        >>> suggest_for(p.rubric.criterion("int-strategy"), "kaz-fpc-2020", texts["kaz-fpc-2020"])
    """
    if not criterion.terms:
        return []
    ranked = []
    for ti, st in enumerate(texts):
        for key, p, hits in _candidates(criterion, st):
            ranked.append((key + (ti,), p, hits, st))
    ranked.sort(key=lambda x: x[0])
    chosen: list[tuple[Provision, dict, SourceText]] = []
    for _, p, hits, st in ranked:
        if len(chosen) >= top:
            break
        # not the same provision again (in another language), nor one it holds or sits in
        if any(_related(c.locator, p.locator) for c, _, _ in chosen):
            continue
        chosen.append((p, hits, st))
    out = []
    for p, hits, st in chosen:
        terms = tuple(t for t in criterion.terms if t in hits)
        score = len(distinct_terms(hits))
        out.append(Suggestion(criterion.id, document, p.locator, excerpt(p.text, terms), terms, score, st.path, p.line))
    return out


def suggest_document(rubric: Rubric, document: str, texts: list[SourceText], criterion: str | None = None,
                     top: int = 3) -> list[tuple[Criterion, list[Suggestion]]]:
    """suggest_for() for every criterion of the rubric (or only `criterion`, an
    id) over one document's source texts, in the rubric's order.

    Returns: `list[tuple[Criterion, list[Suggestion]]]`.
    Raises: nothing.

    Example:
        >>> results = suggest_document(p.rubric, "fre-constitution", texts["fre-constitution"])
    """
    criteria = [c for c in rubric.criteria if criterion is None or c.id == criterion]
    return [(c, suggest_for(c, document, texts, top)) for c in criteria]


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def suggestions_yaml(country: str, document: str, results: list[tuple[Criterion, list[Suggestion]]], rubric: Rubric,
                     rel=lambda p: p, lang: str = "en") -> str:
    """Candidate findings in the evidence format, for an analyst to review and
    paste under `findings:`. The level is left for the analyst; each is
    `verified: false`; a criterion without terms or without a match says so
    in a comment. `rel` shows the source file's path. The comments are in
    `lang`; the keys are the evidence format's.

    Returns: `str` (YAML text with comments, ending in a newline).
    Raises: nothing.

    Example:
        >>> print(suggestions_yaml("FRE", "fre-constitution", results, p.rubric))
    """
    from ..common.messages import catalogue

    t = catalogue(lang)
    lines = [
        t("cli_suggest_head", country=country, document=document, id=rubric.id, version=rubric.version),
        t("cli_suggest_only"),
        "",
    ]
    for criterion, suggestions in results:
        lines.append(f"# {criterion.id}: {criterion.title.get(lang)}")
        if not criterion.terms:
            lines.append(t("cli_suggest_no_terms"))
            lines.append("")
            continue
        if not suggestions:
            lines.append(t("cli_suggest_no_match"))
            lines.append("")
            continue
        for n, s in enumerate(suggestions, 1):
            slug = re.sub(r"[^a-z0-9]+", "-", s.locator.lower()).strip("-") or "text"
            lines += [
                t("cli_suggest_candidate", n=n, locator=s.locator, where=f"{rel(s.source)}:{s.line}", terms=", ".join(s.terms)),
                f"- id: {country.lower()}-{criterion.id}-{slug}",
                f"  criterion: {criterion.id}",
                f"  document: {document}",
                f"  locator: {_q(s.locator)}",
                f"  quote: {_q(s.quote)}",
                t("cli_suggest_level"),
                "  verified: false",
                "",
            ]
    return "\n".join(lines).rstrip("\n") + "\n"
