"""Locators as analysts write them -> one canonical form, and back to a provision.

    Art. 54(1)(7) (2007 edition)      -> Art. 54(1)(7)
    Article 54, paragraph 1, item 7   -> Art. 54(1)(7)
    п. 7 ст. 54, пп. 7 п. 1 ст. 54    -> Art. 54(7), Art. 54(1)(7)
    подпункт 7) пункта 1 статьи 54    -> Art. 54(1)(7)
    54-баптың 1-тармағының 7) тармақшасы -> Art. 54(1)(7)
    Art. 106, item «г»                -> Art. 106(г)
    Chapter 1, item 9                 -> Ch. 1, para. 9
    Section VIII, item 125            -> Sec. VIII, para. 125

Only the first reference of a locator is read ("Art. 83 «д.1», with Art. 102(1)"
reads Art. 83(д.1)); words in parentheses that are not numbers ("(2007
edition)") are ignored. A locator with no article, chapter or section in it
("Whole document") has no canonical form.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .parse import ARTICLE, CHAPTER, PARAGRAPH, SECTION, ParsedText, Provision, number_key

_NUM = r"\d+(?:-\d+)*(?:\.\d+)*"
_LETTER = r"[a-zа-яёәғқңөұүһі](?:\.?\d+)?"
_ROMAN = r"[IVXLCDM]+"
_Q = r"[«\"“'(]?"
_QE = r"[»\"”']?"

# (kind, pattern); group "n" is the number. Order matters: at one place in
# the text the first alternative that matches wins.
_END = r"(?!\w)"
_WORDS = [
    # Kazakh: the number comes first ("54-бап", "1-тармағының", "7) тармақшасы")
    (ARTICLE, rf"(?P<n>{_NUM})\s*-?\s*ба[пб]\w*"),
    ("item", rf"(?P<n>{_NUM}|{_LETTER})\)?\s*-?\s*тарма[қғ]ша\w*"),
    (PARAGRAPH, rf"(?P<n>{_NUM})\s*-?\s*тарма[қғ]\w*"),
    (CHAPTER, rf"(?P<n>{_ROMAN}|{_NUM})\s*-?\s*тара[уy]\w*"),
    (SECTION, rf"(?P<n>{_ROMAN}|{_NUM})\s*-?\s*бөлім\w*"),
    # Russian and English: the word first
    (SECTION, rf"(?:section|sec\.|раздел\w*|разд\.)\s*(?P<n>{_ROMAN}|{_NUM}){_END}"),
    (SECTION, rf"part\s+(?P<n>{_ROMAN}){_END}"),
    (CHAPTER, rf"(?:chapter|chap\.|ch\.|глав\w*|гл\.)\s*(?P<n>{_ROMAN}|{_NUM}){_END}"),
    (ARTICLE, rf"(?:articles?|arts?\.?|стать\w*|ст\.)\s*(?P<n>{_NUM}){_END}"),
    ("item", rf"(?:sub-?items?|sub-?paragraphs?|sub-?paras?\.?|subpara\.|подпункт\w*|подп\.|пп\.)\s*{_Q}(?P<n>{_NUM}|{_LETTER}){_QE}\)?{_END}"),
    ("item", rf"(?:items?|lines?|letters?|литер\w*)\s*{_Q}(?P<n>{_NUM}|{_LETTER}){_QE}\)?{_END}"),
    (PARAGRAPH, rf"(?:paragraphs?|paras?\.?|пункт\w*|п\.|parts?|част\w*|ч\.|clauses?|§)\s*{_Q}(?P<n>{_NUM}|{_LETTER}){_QE}\)?{_END}"),
]
_COMBINED = re.compile(
    "|".join(f"(?P<k{i}>(?<!\\w){p.replace('(?P<n>', f'(?P<n{i}>')})" for i, (_, p) in enumerate(_WORDS)), re.I)
# numbered parts written right after an article: (1)(7), («г»)
_PART = rf"\(\s*{_Q}(?:{_NUM}|{_LETTER}){_QE}\s*\)"
_PARENS = re.compile(rf"\(\s*{_Q}({_NUM}|{_LETTER}){_QE}\s*\)", re.I)
_LEADING_PARENS = re.compile(rf"^(?:\s*{_PART})+", re.I)
_STOP = re.compile(r";|\bwith\b|\band\s+(?:art|article|chapter|section)\b|\bсм\.|\bи\s+ст", re.I)


@dataclass(frozen=True)
class Locator:
    """A locator read into its parts. `parts` are the numbered units below the
    article (or below the chapter/section when there is no article)."""

    section: str | None = None
    chapter: str | None = None
    article: str | None = None
    parts: tuple[str, ...] = ()

    @property
    def canonical(self) -> str:
        if self.article:
            return f"Art. {self.article}" + "".join(f"({p})" for p in self.parts)
        head = ", ".join(x for x in (self.section and f"Sec. {self.section}", self.chapter and f"Ch. {self.chapter}") if x)
        if not self.parts:
            return head
        para = f"para. {self.parts[0]}" + "".join(f"({p})" for p in self.parts[1:])
        return f"{head}, {para}" if head else para


def _clean_number(n: str) -> str:
    return n.strip().strip("«»\"“”'").rstrip(".)")


def parse_locator(text: str | None) -> Locator | None:
    """The first reference in a free-form locator ("ст. 54 п. 1 пп. 7",
    "Art. 54(1)(7)"), or None if it names no article, chapter, section or
    paragraph.

    Returns: `Locator` (section, chapter, article, parts) or None.
    Raises: nothing.

    Example:
        >>> parse_locator("ст. 54 п. 1 пп. 7")
        Locator(section=None, chapter=None, article='54', parts=('1', '7'))
    """
    if not text:
        return None
    return _parse_text(str(text))


@functools.lru_cache(maxsize=8192)  # a Locator is frozen; a world of countries repeats "Art. 4" thousands of times
def _parse_text(text: str) -> Locator | None:
    s = " ".join(text.replace("\u00a0", " ").split())
    # several references ("Art. 83 «д.1», with Art. 102(1)"): the first that reads
    pieces, start = [], 0
    for stop in _STOP.finditer(s):
        pieces.append(s[start:stop.start()])
        start = stop.start() if stop.group(0).lower().startswith("and") else stop.end()
    pieces.append(s[start:])
    for piece in pieces:
        found = _parse_one(piece)
        if found is not None:
            return found
    return None


def _parse_one(s: str) -> Locator | None:
    section = chapter = article = None
    units: list[tuple[int, str]] = []  # (0 paragraph | 1 item, number), in the order written
    parens: list[str] = []
    for m in _COMBINED.finditer(s):
        i = next(int(k[1:]) for k, v in m.groupdict().items() if v is not None and k.startswith("k"))
        kind, n = _WORDS[i][0], _clean_number(m.group(f"n{i}"))
        if kind == SECTION:
            section = section or n
        elif kind == CHAPTER:
            chapter = chapter or n
        elif kind == ARTICLE:
            if "-" in n and re.match(r"(?i)(arts|articles)\b", m.group(0)):
                continue  # "Arts 3-19": a range, not an inserted article
            if article is None:
                article = n
                lead = _LEADING_PARENS.match(s[m.end():])  # Art. 54(1)(7)
                if lead:
                    parens = [_clean_number(x) for x in _PARENS.findall(lead.group(0))]
        else:
            units.append((0 if kind == PARAGRAPH else 1, n))
    if article is None and not (section or chapter or units):
        bare = re.match(rf"^\s*({_NUM})((?:\s*{_PART})+)", s, re.I)
        if not bare:
            return None
        article = bare.group(1)  # "54(1)(7)": a number with parts reads as an article
        parens = [_clean_number(x) for x in _PARENS.findall(bare.group(2))]
    # paragraphs before items ("пп. 7 п. 1 ст. 54"), each kind in the order written
    parts = tuple(parens) + tuple(n for _, n in sorted(units, key=lambda u: u[0]))
    return Locator(section, chapter, article, parts)


def normalize_locator(text: str | None) -> str | None:
    """The canonical spelling of a locator (`Art. 54(1)(7)`), or None when it
    names no provision.

    Returns: `str` or None.
    Raises: nothing.

    Example:
        >>> normalize_locator("ст. 54 п. 1 пп. 7")
        'Art. 54(1)(7)'
    """
    loc = parse_locator(text)
    return loc.canonical if loc else None


def _matches(p: Provision, number: str, roman: bool = False) -> bool:
    return p.key == number_key(number, roman=roman)


def _descend(node_children: list[Provision], parts: tuple[str, ...]) -> list[Provision]:
    """Provisions reached by `parts` from these children: each part names a
    child, or, when that fails, a unique descendant deeper down (so `Art. 54(7)`
    finds item 7 of paragraph 1 when no other item 7 exists)."""
    if not parts:
        return []
    first, rest = parts[0], parts[1:]
    direct = [c for c in node_children if _matches(c, first)]
    if not direct:
        direct = [d for c in node_children for d in c.walk() if d is not c and _matches(d, first)]
    out = []
    for d in direct:
        if rest:
            out.extend(_descend(d.children, rest))
        else:
            out.append(d)
    return out


def resolve(parsed: ParsedText, locator: Locator | str | None) -> Provision | None:
    r"""The provision of a parsed text a locator (a Locator or its text) points
    to, or None: also when it names nothing or is ambiguous (several
    provisions match).

    Returns: `Provision` or None.
    Raises: nothing.

    Example:
        >>> text = parse_text("Статья 1. Title\n1. first\n2. second\n")
        >>> resolve(text, "Art. 1(2)").lines
        ['2. second']
    """
    if isinstance(locator, str) or locator is None:
        locator = parse_locator(locator)
    if locator is None:
        return None
    everything = list(parsed.walk())
    if locator.article:
        anchors = [p for p in everything if p.kind == ARTICLE and _matches(p, locator.article)]
        if locator.chapter and len(anchors) > 1:
            anchors = [a for a in anchors if any(x.kind == CHAPTER and _matches(x, locator.chapter, True) for x in a.ancestors())] or anchors
    else:
        anchors = everything
        if locator.section:
            anchors = [p for p in anchors if p.kind == SECTION and _matches(p, locator.section, True)]
        if locator.chapter:
            scope = anchors if locator.section else everything
            if locator.section:
                scope = [d for a in anchors for d in a.walk()]
            anchors = [p for p in scope if p.kind == CHAPTER and _matches(p, locator.chapter, True)]
        if not locator.section and not locator.chapter:
            # "para. 9" alone: a top-level numbered unit anywhere
            found = [p for p in everything if p.kind not in (SECTION, CHAPTER, ARTICLE) and p.parent is None or
                     (p.parent is not None and p.parent.kind in (SECTION, CHAPTER) and p.kind not in (SECTION, CHAPTER))]
            hits = []
            for p in found:
                if _matches(p, locator.parts[0]):
                    hits.extend([p] if len(locator.parts) == 1 else _descend(p.children, locator.parts[1:]))
            return hits[0] if len(hits) == 1 else None
    if not anchors:
        return None
    if not locator.parts:
        return anchors[0] if len(anchors) == 1 else None
    hits = [h for a in anchors for h in _descend(a.children, locator.parts)]
    unique = list(dict.fromkeys(hits))
    return unique[0] if len(unique) == 1 else None
