"""The official registers of legal texts, as data (criteria/registers.yaml).

A register says how its identifiers look, where a document's text is
published in each language (URL patterns with `{id}` and `{edition}`), and how
to find the legal text and its edition on the page (extraction hints). A
document names its identifier in a register:

    register: {name: adilet, id: K950001000_, edition: 2022-09-19}

Adding a register is an edit of the data file, never of the code. Nothing
here touches the network.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..common.messages import say
from ..data.model import LANGUAGES, Problem, RegisterId, Source, Text

URL_FIELDS = ("id", "edition")


@dataclass(frozen=True)
class TextHints:
    """Where the legal text is on a register's page, and how its edition reads."""

    xpath: str | None = None  # the element that holds the text (default: the page's body)
    drop: tuple[str, ...] = ()  # elements removed before the text is read (notes, menus)
    edition_pattern: str | None = None  # a regular expression whose first group is the edition's date
    edition_format: str = "%Y-%m-%d"  # how that date is written (strptime)
    min_provisions: int = 1  # fewer provisions than this: the layout has changed, not the law


@dataclass(frozen=True)
class Register:
    id: str
    title: Text | None
    pattern: re.Pattern
    example: str
    source: Source
    country: str | None = None
    editions: bool = False
    languages: tuple[str, ...] = ()  # fetched unless a document or the command names others
    url: dict = field(default_factory=dict)  # lang -> URL pattern of the current text
    edition_url: dict = field(default_factory=dict)  # lang -> URL pattern of a given edition
    hosts: tuple[str, ...] = ()  # a document's plain `url` on one of these hosts is read with this register's hints
    text: TextHints = TextHints()
    note: str | None = None

    def check_id(self, identifier: str) -> str | None:
        """What is wrong with an identifier for this register, or None."""
        if self.pattern.fullmatch(identifier):
            return None
        return say("e_reg_bad_id", identifier=identifier, register=self.id, form=self.pattern.pattern, example=self.example)

    def url_for(self, identifier: str, lang: str, edition: dt.date | None = None) -> str | None:
        """The URL of the text in this language (of this edition, where the
        register publishes editions at their own address), or None."""
        pattern = self.edition_url.get(lang) if edition is not None and self.edition_url.get(lang) else self.url.get(lang)
        if pattern is None:
            return None
        return pattern.format(id=identifier, edition=edition or dt.date.today())

    def langs(self, doc_langs: tuple[str, ...] = ()) -> tuple[str, ...]:
        return tuple(x for x in (doc_langs or self.languages or tuple(self.url)) if x in self.url)


def _fields(pattern: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]


def load_registers(path: str, problems: list[Problem], check_xpath: bool = True) -> dict[str, Register]:
    """Reads criteria/registers.yaml: the official registers of texts, their
    identifier forms, URL patterns and extraction hints; every problem names
    the file, line and field, and a register with errors is left out.
    `check_xpath` compiles the extraction hints' XPaths (it imports lxml:
    validate skips it for the shipped file, which the tests check).

    Returns: `dict[str, Register]` by id (empty when the file does not exist).
    Raises: nothing (problems go to the list).

    Example:
        >>> problems = []
        >>> list(load_registers("criteria/registers.yaml", problems))
        ['adilet', 'pravo-ips', 'pravo-publication', 'eli']
    """
    import os

    from ..data.load import RecordReader, Spec, read_yaml, report_duplicate_keys

    if not os.path.exists(path):
        return {}
    doc = read_yaml(path, problems)
    if doc is None:
        return {}
    report_duplicate_keys(doc, problems)
    reader = RecordReader(doc, problems)
    top = reader.record(doc.data, (), {"registers": Spec("list", True)}, "e_what_register_list")
    spec = {"id": Spec("id", True), "title": Spec("text"), "country": Spec("str"), "identifier": Spec("map", True),
            "editions": Spec("bool"), "languages": Spec("strlist"), "url": Spec("map", True), "edition_url": Spec("map"),
            "hosts": Spec("strlist"), "text": Spec("map"), "note": Spec("str")}
    ident_spec = {"pattern": Spec("str", True), "example": Spec("str", True)}
    text_spec = {"xpath": Spec("str"), "drop": Spec("strlist"), "edition": Spec("map"), "min_provisions": Spec("int")}
    edition_spec = {"pattern": Spec("str", True), "format": Spec("str")}
    out: dict[str, Register] = {}
    for i, item in enumerate((top or {}).get("registers") or []):
        kp = ("registers", i)
        rec = reader.record(item, kp, spec, "e_what_register")
        if rec is None:
            continue
        ident = reader.record(rec["identifier"], kp + ("identifier",), ident_spec, "e_what_identifier_form")
        if ident is None:
            continue
        try:
            pattern = re.compile(ident["pattern"])
        except re.error as exc:
            reader.problem(kp + ("identifier", "pattern"), "pattern", say("e_reg_not_regex", why=str(exc)))
            continue
        if not pattern.fullmatch(ident["example"]):
            reader.problem(kp + ("identifier", "example"), "example", say("e_reg_example", example=ident["example"], form=pattern.pattern))
        urls: dict[str, dict] = {}
        ok = True
        for name in ("url", "edition_url"):
            urls[name] = {}
            for lang, pat in (rec[name] or {}).items():
                if lang not in LANGUAGES:
                    reader.problem(kp + (name, lang), str(lang), say("e_reg_unknown_lang", langs=", ".join(LANGUAGES)))
                    ok = False
                    continue
                if not isinstance(pat, str) or not (re.match(r"https?://", pat) or pat.strip() == "{id}"):
                    reader.problem(kp + (name, lang), str(lang), say("e_reg_url_expected", id="{id}", edition="{edition}"))
                    ok = False
                    continue
                try:
                    names = _fields(pat)
                except ValueError as exc:
                    reader.problem(kp + (name, lang), str(lang), say("e_reg_not_url", why=str(exc)))
                    ok = False
                    continue
                unknown = [n for n in names if n.split(":")[0] not in URL_FIELDS]
                if unknown or "id" not in names:
                    got = ", ".join("{" + n + "}" for n in unknown) or say("e_reg_no_id", id="{id}")
                    reader.problem(kp + (name, lang), str(lang), say("e_reg_url_fields", id="{id}", edition="{edition}",
                                                                     example="{edition:%Y%m%d}", got=got))
                    ok = False
                    continue
                urls[name][lang] = pat
        langs = tuple(rec["languages"] or ())
        for lang in langs:
            if lang not in urls["url"]:
                reader.problem(kp + ("languages",), "languages", say("e_reg_lang_no_url", lang=lang))
                ok = False
        hints = TextHints()
        if rec["text"] is not None:
            t = reader.record(rec["text"], kp + ("text",), text_spec, "e_what_text_hints")
            if t is not None:
                ed_pat, ed_fmt = None, "%Y-%m-%d"
                if t["edition"] is not None:
                    e = reader.record(t["edition"], kp + ("text", "edition"), edition_spec, "e_what_edition_form")
                    if e is not None:
                        try:
                            if re.compile(e["pattern"]).groups < 1:
                                raise re.error(say("e_reg_needs_group"))
                            ed_pat = e["pattern"]
                        except re.error as exc:
                            why = exc.msg if isinstance(exc.msg, str) and hasattr(exc.msg, "in_lang") else str(exc)
                            reader.problem(kp + ("text", "edition", "pattern"), "pattern", say("e_reg_unusable_regex", why=why))
                        ed_fmt = e["format"] or ed_fmt
                for xp_key, xps in (("xpath", [t["xpath"]] if t["xpath"] else []), ("drop", t["drop"] or [])):
                    for xp in xps if check_xpath else ():
                        why = xpath_problem(xp)
                        if why:
                            reader.problem(kp + ("text", xp_key), xp_key, why)
                            ok = False
                hints = TextHints(t["xpath"], tuple(t["drop"] or ()), ed_pat, ed_fmt,
                                  t["min_provisions"] if t["min_provisions"] is not None else 1)
        if not ok:
            continue
        if rec["id"] in out:
            reader.problem(kp + ("id",), "id", say("e_reg_twice", register=rec["id"]))
            continue
        out[rec["id"]] = Register(
            id=rec["id"], title=rec["title"], pattern=pattern, example=ident["example"], source=reader.source(kp, item),
            country=rec["country"], editions=bool(rec["editions"]), languages=langs, url=urls["url"],
            edition_url=urls["edition_url"], hosts=tuple(h.lower() for h in rec["hosts"] or ()), text=hints, note=rec["note"])
    return out


def xpath_problem(xpath: str) -> str | None:
    """Why an XPath expression cannot be used, or None (compiled by lxml).

    Returns: `str` or None.
    Raises: `ImportError` without lxml.

    Example:
        >>> xpath_problem("//[")
        "not an XPath expression (Invalid expression): '//['"
    """
    from lxml import etree

    try:
        etree.XPath(xpath)
    except etree.XPathSyntaxError as exc:
        return say("e_reg_not_xpath", why=str(exc), xpath=xpath)
    return None


def original_text_url(registers: dict[str, "Register"], document, lang: str) -> tuple[str | None, str | None]:
    """The address of a document's text in one of its original languages, from
    the register it names: in `lang` when that is one of the document's own
    languages, else in the first of them the register publishes. The
    document's plain `url` is not used: its language is not recorded.

    Returns: (URL, its language), or (None, None) when the document names no
    register, no original language, or none the register has an address for.
    Raises: nothing.

    Example:
        >>> original_text_url(registers, kaz_constitution, "kk")
        ('https://adilet.zan.kz/kaz/docs/K950001000_', 'kk')
    """
    reg_id = getattr(document, "register", None)
    originals = tuple(getattr(document, "langs", ()) or ())
    register = registers.get(reg_id.register) if reg_id is not None else None
    if register is None or not originals:
        return None, None
    for code in ((lang,) if lang in originals else ()) + originals:
        url = register.url_for(reg_id.id, code)
        if url:
            return url, code
    return None, None


def register_for_url(registers: dict[str, Register], url: str) -> Register | None:
    """The register whose hosts include this URL's host (or a subdomain of
    one): its hints read the page.

    Returns: `Register` or None.
    Raises: nothing.

    Example:
        >>> register_for_url(registers, "https://adilet.zan.kz/rus/docs/K950001000_").id
        'adilet'
    """
    host = (urlsplit(url).hostname or "").lower()
    for reg in registers.values():
        if any(host == h or host.endswith("." + h) for h in reg.hosts):
            return reg
    return None


def check_identifiers(evidence, registers: dict[str, Register]) -> list[Problem]:
    """A problem for each document whose register is unknown or whose
    identifier does not have its register's form, that names an edition
    in a register that keeps none (a warning), or a language its register
    does not publish (validate).

    Returns: `list[Problem]`.
    Raises: nothing.

    Example:
        >>> check_identifiers(evidence, load_registers("criteria/registers.yaml", []))
        []
    """
    from ..data.load import suggest

    out = []
    for d in evidence.documents.values():
        rid: RegisterId | None = d.register
        if rid is None:
            continue
        line = d.source.line_of("register")
        reg = registers.get(rid.register)
        if reg is None:
            known = ", ".join(sorted(registers)) or say("e_none")
            out.append(Problem(d.source.path, line, "register", say("e_reg_unknown", document=d.id, register=rid.register,
                                                                    hint=suggest(rid.register, registers), known=known)))
            continue
        why = reg.check_id(rid.id)
        if why:
            out.append(Problem(d.source.path, line, "register", say("e_reg_document", document=d.id, why=why)))
        if rid.edition is not None and not reg.editions:
            out.append(Problem(d.source.path, line, "register", say("e_reg_no_editions", document=d.id, register=reg.id),
                               "warning"))
        missing = [x for x in rid.langs if x not in reg.url]
        if missing:
            out.append(Problem(d.source.path, line, "register", say("e_reg_no_lang", document=d.id, register=reg.id,
                                                                    langs="/".join(missing), known=", ".join(reg.url))))
    return out
