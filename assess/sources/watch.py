"""`assess sources watch`: have the texts the findings cite changed at the register?

For every stored source text (evidence/<ISO3>/sources/<document>.<lang>.txt,
the current one, not an archived edition) the register's current text is
fetched (fetch.get / fetch.read_page) and compared, provision by provision,
with the stored one. Per finding of the document:

- unchanged: the provision it cites reads the same;
- amended: the provision it cites reads otherwise (with a word diff), the quote still in it;
- quote gone: the provision reads otherwise and the quote is nowhere in the new text;
- moved: the quote is no longer at the locator, but is in another provision (renumbered);
- not checked: its locator or quote could not be read in the stored text to begin with.

Nothing is written: `assess sources fetch` stores the new edition when the
analyst has read what changed.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field

from .fetch import FetchError, Settings, get, read_page, sha256, body_of
from .locators import parse_locator, resolve
from .parse import parse_text
from .registers import Register, TextHints, register_for_url
from .texts import SourceText
from .verify import fragments, locate, normalize, occurs

UNCHANGED, AMENDED, QUOTE_GONE, MOVED, NOT_CHECKED = "unchanged", "amended", "quote gone", "moved", "not checked"
CHANGED = (AMENDED, QUOTE_GONE, MOVED)


def word_diff(old: str, new: str) -> str:
    """`[-removed words-]{+added words+}` between two texts, word by word
    (whitespace collapsed), the rest as it was.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> word_diff("the chamber ratifies treaties", "the chamber denounces treaties")
        'the chamber [-ratifies-] {+denounces+} treaties'
    """
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(" ".join(a[i1:i2]))
        if op in ("replace", "delete"):
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if op in ("replace", "insert"):
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


@dataclass(frozen=True)
class FindingChange:
    country: str
    finding: str
    document: str
    locator: str | None
    canonical: str | None
    kind: str  # UNCHANGED | AMENDED | QUOTE_GONE | MOVED | NOT_CHECKED
    detail: str
    lang: str | None = None
    moved_to: str | None = None
    diff: str | None = None
    path: str = ""
    line: int | None = None
    parts: tuple = ()  # `detail` as catalogue entries (messages.said)

    def detail_in(self, lang: str) -> str:
        from ..common.messages import said

        return said(self.parts, lang, self.detail)

    @property
    def changed(self) -> bool:
        return self.kind in CHANGED

    def to_dict(self) -> dict:
        return {"country": self.country, "finding": self.finding, "document": self.document, "locator": self.locator,
                "canonical": self.canonical, "result": self.kind, "detail": self.detail, "lang": self.lang,
                "moved_to": self.moved_to, "diff": self.diff, "file": self.path, "line": self.line}


@dataclass
class DocumentWatch:
    country: str
    document: str
    lang: str
    url: str
    stored_edition: str | None
    current_edition: str | None = None
    status: str = "unchanged"  # unchanged | new edition | changed | failed
    detail: str = ""
    parts: tuple = ()  # `detail` as catalogue entries (messages.said)

    def detail_in(self, lang: str) -> str:
        from ..common.messages import said

        return said(self.parts, lang, self.detail)

    def to_dict(self) -> dict:
        return {"country": self.country, "document": self.document, "lang": self.lang, "url": self.url,
                "stored_edition": self.stored_edition, "current_edition": self.current_edition, "status": self.status,
                "detail": self.detail}


@dataclass
class WatchReport:
    documents: list[DocumentWatch] = field(default_factory=list)
    findings: list[FindingChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Something a finding cites has changed: exit 3."""
        return any(f.changed for f in self.findings)

    @property
    def failed(self) -> list[DocumentWatch]:
        return [d for d in self.documents if d.status == "failed"]

    def to_dict(self) -> dict:
        return {"changed": self.changed, "documents": [d.to_dict() for d in self.documents],
                "findings": [f.to_dict() for f in self.findings],
                "counts": {k: sum(f.kind == k for f in self.findings) for k in (UNCHANGED, *CHANGED, NOT_CHECKED)}}


def current_url(st: SourceText, doc, registers: dict[str, Register]) -> tuple[str | None, TextHints]:
    """Where the register publishes the current text of a stored one, and how to
    read it: the register the document's identifier names (the current
    edition, never the pinned one), else the URL the text's header gives
    with the hints of the register whose host it is on.

    Returns: `tuple[str | None, TextHints]` (None: no URL known).
    Raises: nothing.

    Example:
        >>> url, hints = current_url(st, evidence.documents[st.document], registers)
    """
    rid = getattr(doc, "register", None)
    if rid is not None and rid.register in registers:
        reg = registers[rid.register]
        url = reg.url_for(rid.id, st.lang)  # the current edition, never the pinned one
        if url:
            return url, reg.text
    url = st.parsed.header.get("requested") or st.url
    reg = register_for_url(registers, url) if url else None
    return url, reg.text if reg else TextHints()


def compare_finding(country: str, f, old, new, lang: str) -> FindingChange:
    """How one finding fares between the stored text (old) and the register's
    (new), both parsed: "unchanged" (its provision reads the same),
    "amended" (changed, the quote still in it, or no quote to follow),
    "moved" (the quote is now in another provision), "quote gone", or "not
    checked" (its locator names no provision of the stored text); with a word
    diff of the provision where it changed.

    Returns: `FindingChange`.
    Raises: nothing.

    Example:
        >>> compare_finding("KAZ", finding, parse_text(stored), parse_text(current), "ru").kind
        'unchanged'
    """
    loc = parse_locator(f.locator)
    base = dict(country=country, finding=f.id, document=f.document, locator=f.locator,
                canonical=loc.canonical if loc else None, lang=lang, path=f.source.path, line=f.source.line_of("locator"))
    before = resolve(old, loc) if loc else None
    if before is None:
        return FindingChange(kind=NOT_CHECKED, detail="its locator names no provision of the stored text",
                             parts=(("watch_no_provision", {}),), **base)
    frags = fragments(f.quote or "")
    after = resolve(new, loc)
    if after is not None and normalize(after.text) == normalize(before.text):
        return FindingChange(kind=UNCHANGED, detail=f"{before.locator} reads the same",
                             parts=(("watch_same", {"locator": before.locator}),), **base)
    if frags and after is not None and occurs(frags, normalize(after.context)):
        diff = word_diff(before.text, after.text)
        return FindingChange(kind=AMENDED, detail=f"{before.locator} is amended; the quote is still in it", diff=diff,
                             parts=(("watch_amended_kept", {"locator": before.locator}),), **base)
    elsewhere = locate(frags, new) if frags else None
    if elsewhere is not None:
        diff = word_diff(before.text, after.text) if after is not None else None
        return FindingChange(kind=MOVED, moved_to=elsewhere.locator,
                             detail=f"the quote is now in {elsewhere.locator}, not {before.locator}"
                                    + ("" if after is not None else f" ({before.locator} is no longer in the text)"),
                             parts=(("watch_moved", {"found": elsewhere.locator, "locator": before.locator}),
                                    *(() if after is not None else (("watch_moved_gone", {"locator": before.locator}),))),
                             diff=diff, **base)
    if after is None:
        return FindingChange(kind=QUOTE_GONE, detail=f"{before.locator} is no longer in the text, and the quote is nowhere in it",
                             parts=(("watch_gone", {"locator": before.locator}),), diff=word_diff(before.text, ""), **base)
    what = "the quote is no longer in it" if frags else "the finding has no quote to follow"
    return FindingChange(kind=QUOTE_GONE if frags else AMENDED, detail=f"{before.locator} is amended; {what}",
                         parts=(("watch_amended_lost" if frags else "watch_amended_no_quote", {"locator": before.locator}),),
                         diff=word_diff(before.text, after.text), **base)


def watch_country(evidence, texts: dict[str, list[SourceText]], registers: dict[str, Register],
                  settings: Settings = Settings(), documents: set[str] | None = None) -> WatchReport:
    """For each current stored source text of a country's documents (or only
    `documents`), fetches the register's current text (network, as
    `settings` says) and compares: the document's status (unchanged, changed,
    new edition, failed with why) and, where the text differs, how each
    finding citing the document fares (compare_finding; the language whose
    stored text holds the quote decides). Archived editions are not watched.

    Returns: `WatchReport` (``.documents``, ``.findings``).
    Raises: `OSError` for a stored text that cannot be read (a failed fetch
    is a document status, not an error).

    Example:
        >>> report = watch_country(evidence, country_sources("evidence", evidence), registers)
    """
    report = WatchReport()
    findings_by_doc: dict[str, list] = {}
    for f in sorted(evidence.findings, key=lambda f: (f.source.path, f.source.line or 0, f.id)):
        if f.document:
            findings_by_doc.setdefault(f.document, []).append(f)
    for doc_id in sorted(texts):
        if documents and doc_id not in documents:
            continue
        doc = evidence.documents.get(doc_id)
        current = [st for st in texts[doc_id] if st.edition is None]  # archived editions are not watched
        pairs = []  # (lang, stored parsed, register's parsed)
        for st in sorted(current, key=lambda s: s.lang):
            url, hints = current_url(st, doc, registers)
            stored_ed = st.parsed.header.get("edition")
            w = DocumentWatch(evidence.iso3, doc_id, st.lang, url or "-", stored_ed)
            report.documents.append(w)
            if not url:
                w.status, w.detail = "failed", f"{os.path.basename(st.path)} names no source URL and the document no register identifier"
                w.parts = (("watch_no_url", {"name": os.path.basename(st.path)}),)
                continue
            try:
                page = get(url, settings)
                text, edition, note, _ = read_page(page, hints)
            except FetchError as exc:
                w.status, w.detail = "failed", exc.message
                continue
            w.current_edition = edition.isoformat() if edition else None
            with open(st.path, encoding="utf-8-sig") as fh:
                stored_body = body_of(fh.read())
            if sha256(stored_body) == sha256(text):
                w.detail = "the stored text is the register's current one"
                w.parts = (("watch_doc_same", {}),)
                continue
            new_ed = w.current_edition
            w.status = "new edition" if new_ed and new_ed != stored_ed else "changed"
            w.detail = (f"edition {new_ed} at the register; stored: {stored_ed or 'unknown'}" if w.status == "new edition"
                        else "the register's text differs from the stored one") + (f" ({note})" if note else "")
            w.parts = ((("watch_doc_edition", {"new": new_ed, "stored": stored_ed}) if w.status == "new edition" and stored_ed
                        else ("watch_doc_edition_unknown", {"new": new_ed}) if w.status == "new edition"
                        else ("watch_doc_differs", {})),
                       *((("watch_note", {"note": note}),) if note else ()))
            pairs.append((st.lang, st.parsed, parse_text(text)))
        if not pairs:
            continue
        for f in findings_by_doc.get(doc_id, []):
            outcomes = [compare_finding(evidence.iso3, f, old, new, lang) for lang, old, new in pairs]
            # the language whose stored text holds the quote at the locator decides; else the first that reads it
            frags = fragments(f.quote or "")

            def holds(o, pair):
                before = resolve(pair[1], parse_locator(f.locator)) if f.locator else None
                return before is not None and bool(frags) and occurs(frags, normalize(before.context))

            chosen = next((o for o, p in zip(outcomes, pairs) if holds(o, p)), None) \
                or next((o for o in outcomes if o.kind != NOT_CHECKED), outcomes[0])
            report.findings.append(chosen)
    return report


def markdown(report: WatchReport, lang: str = "en") -> str:
    """The report as a pull-request comment (Markdown): a table of the documents
    whose status is not "unchanged", each finding whose provision changed
    (with its diff), and the count of findings whose provisions read the same.

    Texts are written in `lang` (en, ru, kk; the catalogue's words).

    Returns: `str` (ending in a newline).
    Raises: nothing.

    Example:
        >>> print(markdown(WatchReport()))
        ## assess sources watch
        <BLANKLINE>
        No provision cited by a finding has changed.
        <BLANKLINE>
        0 findings cite provisions that read the same.
        <BLANKLINE>
    """
    from ..common.messages import catalogue

    t = catalogue(lang)

    def said(word: str) -> str:
        key = "cli_watch_" + word.replace(" ", "_")
        return t(key) if t.table.get(key) else word

    changed = [f for f in report.findings if f.changed]
    out = ["## assess sources watch", ""]
    docs = [d for d in report.documents if d.status != "unchanged"]
    if docs:
        out += ["| " + " | ".join(t(f"cli_sources_head_{k}") for k in ("country", "document", "lang", "status", "detail")) + " |",
                "|---|---|---|---|---|"]
        out += [f"| {d.country} | {d.document} | {d.lang} | {said(d.status)} | {_md(d.detail_in(lang))} |" for d in docs]
        out.append("")
    if changed:
        out.append(t("watch_md_changed", n=len(changed), cite="cites" if len(changed) == 1 else "cite"))
        out.append("")
        for f in changed:
            out.append(f"- `{f.finding}` ({f.country}, {f.document}, {f.canonical or f.locator}): **{said(f.kind)}**: {_md(f.detail_in(lang))}")
            if f.diff:
                out += ["", "  ```diff", "  " + f.diff, "  ```"]
    else:
        out.append(t("watch_md_none"))
    unchanged = sum(f.kind == UNCHANGED for f in report.findings)
    out += ["", t("watch_md_same", n=unchanged, cite="cites" if unchanged == 1 else "cite")]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")
