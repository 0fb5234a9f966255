"""A legal text -> addressable provisions.

A source text is a plain-text (or HTML) copy of a document, one provision
heading or numbered unit per line as the official publications print them:

    Раздел IV / Section IV / IV бөлім            section
    Глава 2 / Chapter 2 / 2-тарау                 chapter
    Статья 54 / Article 54 / 54-бап (and 6-1)     article
    1. / 3-1. / 3.14.                             paragraph (пункт, часть, тармақ)
    7) / 27-13)                                   item (подпункт, тармақша)
    а) / a) / д.1)                                letter item (a sub-item under a numbered item)

Every provision gets a canonical locator (`Art. 54(1)(7)`, `Ch. 1, para. 9`)
and keeps its text and the line it starts on. Lines that open no provision
belong to the provision above them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

SECTION, CHAPTER, ARTICLE, PARAGRAPH, ITEM, SUBITEM = "section", "chapter", "article", "paragraph", "item", "subitem"
DEPTH = {SECTION: 0, CHAPTER: 1, ARTICLE: 2, PARAGRAPH: 3, ITEM: 4, SUBITEM: 5}

_NUM = r"\d+(?:-\d+)*"
_ROMAN = r"[IVXLCDM]+"
_HEADINGS = [
    (SECTION, re.compile(rf"^(?:Раздел|Section|Part|Бөлім)\s+({_ROMAN}|{_NUM})\b\.?\s*(.*)$", re.I)),
    (SECTION, re.compile(rf"^({_ROMAN}|{_NUM})(?:-|\s+)бөлім\b\.?\s*(.*)$", re.I)),
    (CHAPTER, re.compile(rf"^(?:Глава|Chapter|Тарау)\s+({_ROMAN}|{_NUM})\b\.?\s*(.*)$", re.I)),
    (CHAPTER, re.compile(rf"^({_ROMAN}|{_NUM})(?:-|\s+)тарау\b\.?\s*(.*)$", re.I)),
    (ARTICLE, re.compile(rf"^(?:Статья|Article|Art\.)\s*({_NUM})\b\.?\s*(.*)$", re.I)),
    (ARTICLE, re.compile(rf"^({_NUM})-бап\b\.?\s*(.*)$", re.I)),
]
_PARAGRAPH = re.compile(r"^(?:(\d+(?:-\d+)*)\.|(\d+(?:\.\d+)+)\.?)(?=\s|$)\s*(.*)$")
_ITEM = re.compile(rf"^({_NUM})\)\s*(.*)$")
_LETTER = re.compile(r"^([a-zа-яёәғқңөұүһі](?:\.?\d+)?)\)\s*(.*)$", re.I)

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
# Latin letters that look like Cyrillic ones: an analyst may type either
_HOMOGLYPHS = str.maketrans("аесорхуАЕСОРХУ", "aecopxyAECOPXY")


def roman_to_int(text: str) -> int | None:
    """The value of a Roman numeral (any case), or None for text that is not
    made of Roman digits.

    Returns: `int` or None.
    Raises: nothing.

    Example:
        >>> roman_to_int("xiv")
        14
    """
    text = text.upper()
    if not text or any(ch not in _ROMAN_VALUES for ch in text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        if i + 1 < len(text) and _ROMAN_VALUES[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def number_key(number: str, roman: bool = False) -> str:
    """A provision number in a form that compares across spellings: «г» == г,
    Latin a == Cyrillic а, and with `roman` (section and chapter numbers) IV == 4.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> number_key("«IV»", roman=True)
        '4'
    """
    text = number.strip().strip("«»\"'“”()").strip().rstrip(".").lower().replace("ё", "е")
    if roman:
        value = roman_to_int(text)
        if value is not None:
            return str(value)
    return text.translate(_HOMOGLYPHS)


def _key(kind: str, number: str) -> str:
    return number_key(number, roman=kind in (SECTION, CHAPTER))


@dataclass(eq=False)
class Provision:
    kind: str
    number: str
    line: int  # 1-based line in the source file
    lines: list[str] = field(default_factory=list)  # its own text, the heading line first
    children: list["Provision"] = field(default_factory=list)
    parent: "Provision | None" = None
    locator: str = ""

    @property
    def key(self) -> str:
        return _key(self.kind, self.number)

    @property
    def depth(self) -> int:
        return DEPTH[self.kind]

    @property
    def own_text(self) -> str:
        return " ".join(self.lines)

    @property
    def text(self) -> str:
        """Its own text and every sub-provision's, in order."""
        return " ".join([self.own_text] + [c.text for c in self.children]).strip()

    def ancestors(self) -> list["Provision"]:
        out, node = [], self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out[::-1]

    @property
    def context(self) -> str:
        """What a quote from this provision may span: the lead-in text of the
        provisions it sits in (an article's heading, "Parliament shall: ..."),
        then its own full text."""
        lead = [a.own_text for a in self.ancestors() if a.kind not in (SECTION, CHAPTER)]
        return " ".join(lead + [self.text]).strip()

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def render(self, indent: str = "  ") -> str:
        """The provision and its sub-provisions, indented by level."""
        out = []

        def emit(p: Provision, level: int) -> None:
            out.extend(indent * level + line for line in p.lines)
            for c in p.children:
                emit(c, level + 1)

        emit(self, 0)
        return "\n".join(out)


@dataclass
class ParsedText:
    provisions: list[Provision]  # the top-level ones
    preamble: list[str]
    header: dict[str, str]  # `# key: value` comment lines at the top (source, retrieved, edition...)

    def walk(self):
        for p in self.provisions:
            yield from p.walk()

    def by_locator(self) -> dict[str, Provision]:
        out: dict[str, Provision] = {}
        for p in self.walk():
            out.setdefault(p.locator, p)
        return out


def canonical_locator(provision: Provision) -> str:
    r"""The canonical locator of a provision: `Art. 54(1)(7)`; outside articles
    `Sec. VIII, para. 125`, `Ch. 1, para. 9(2)`.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> canonical_locator(parse_text("Статья 1. Title\n1. first\n").provisions[0].children[0])
        'Art. 1(1)'
    """
    chain = provision.ancestors() + [provision]
    article = next((i for i, p in enumerate(chain) if p.kind == ARTICLE), None)
    if article is not None:
        head, rest = f"Art. {chain[article].number}", chain[article + 1:]
    else:
        parts, rest = [], []
        for p in chain:
            if p.kind == SECTION:
                parts.append(f"Sec. {p.number}")
            elif p.kind == CHAPTER:
                parts.append(f"Ch. {p.number}")
            else:
                rest.append(p)
        head = ", ".join(parts)
        if rest:
            first, rest = rest[0], rest[1:]
            head = f"{head}, para. {first.number}" if head else f"para. {first.number}"
    return head + "".join(f"({p.number})" for p in rest)


_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"(?i)<\s*(br|/p|/div|/li|/h\d|/tr|p|div|li|h\d|tr)\b[^>]*>")


def html_to_text(text: str) -> str:
    """The text of an HTML page: scripts and styles dropped, block elements as
    line breaks, other tags removed, entities decoded.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> html_to_text("<p>a &amp; b</p>").strip()
        'a & b'
    """
    text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", text)
    text = _BLOCK.sub("\n", text)
    text = _TAG.sub("", text)
    return html.unescape(text)


def looks_like_html(text: str) -> bool:
    """Whether a text is HTML: it starts with <!doctype html> or <html>, or has a
    <p>, <div>, <br> or <body> tag in its first 2,000 characters.

    Returns: `bool`.
    Raises: nothing.

    Example:
        >>> looks_like_html("<html><body>...</body></html>")
        True
    """
    head = text.lstrip()[:2000].lower()
    return head.startswith("<!doctype html") or head.startswith("<html") or bool(re.search(r"<(p|div|br|body)\b", head))


def _heading(line: str) -> tuple[str, str, str] | None:
    for kind, pattern in _HEADINGS:
        m = pattern.match(line)
        if m:
            return kind, m.group(1), m.group(2)
    return None


def parse_text(text: str) -> ParsedText:
    r"""Splits a legal text into provisions (sections, chapters, articles and
    their numbered parts), reading the `# key: value` header lines at the
    top; line numbers are those of the file (HTML is converted to text
    first). Never fails: a text with no headings is all preamble.

    Returns: `ParsedText` (``.provisions``, ``.preamble``, ``.header``).
    Raises: nothing.

    Example:
        >>> parse_text("Статья 1. Title\n1. first\n").provisions[0].locator
        'Art. 1'
    """
    header: dict[str, str] = {}
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # header comments: `# source: https://...` lines at the very top
    start = 0
    for start, line in enumerate(raw_lines):
        s = line.strip().lstrip("\ufeff")
        if not s:
            continue
        if s.startswith("#"):
            m = re.match(r"#\s*([\w -]+?)\s*:\s*(.+)$", s)
            if m:
                header.setdefault(m.group(1).strip().lower(), m.group(2).strip())
            continue
        break
    else:
        start = len(raw_lines)
    body = raw_lines[start:]
    offset = start  # line numbers stay those of the file
    if looks_like_html("\n".join(body)):
        # line numbers of an HTML file are not meaningful after conversion
        body = html_to_text("\n".join(body)).split("\n")

    roots: list[Provision] = []
    preamble: list[str] = []
    stack: list[Provision] = []  # the open provisions, outermost first

    def attach(p: Provision) -> None:
        while stack and stack[-1].depth >= p.depth:
            stack.pop()
        if stack:
            p.parent = stack[-1]
            stack[-1].children.append(p)
        else:
            roots.append(p)
        stack.append(p)

    for i, raw in enumerate(body):
        line = " ".join(raw.replace("\u00a0", " ").split())
        if not line:
            continue
        lineno = offset + i + 1
        found = _heading(line)
        if found:
            kind, number, _rest = found
            attach(Provision(kind, number, lineno, [line]))
            continue
        m = _PARAGRAPH.match(line)
        if m and stack:
            attach(Provision(PARAGRAPH, m.group(1) or m.group(2), lineno, [line]))
            continue
        m = _ITEM.match(line)
        if m and stack:
            attach(Provision(ITEM, m.group(1), lineno, [line]))
            continue
        m = _LETTER.match(line)
        if m and stack:
            # a letter under a numbered item is a sub-item; otherwise an item
            numbered_item = next((p for p in reversed(stack) if p.kind in (ITEM, SUBITEM)), None)
            if numbered_item is not None and (numbered_item.kind == SUBITEM or re.match(r"\d", numbered_item.number)):
                attach(Provision(SUBITEM, m.group(1), lineno, [line]))
            else:
                attach(Provision(ITEM, m.group(1), lineno, [line]))
            continue
        if stack:
            stack[-1].lines.append(line)
        else:
            preamble.append(line)

    parsed = ParsedText(roots, preamble, header)
    for p in parsed.walk():
        p.locator = canonical_locator(p)
    return parsed
