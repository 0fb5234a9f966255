"""Check findings against the source texts: does the locator name a provision,
and does the quote occur in it?

Quotes are compared after normalising case, whitespace, quote characters
(«»“”"') and dashes; an ellipsis (`...`, `…`, `(...)`) splits a quote into
fragments that must occur in order. A provision's text for this purpose
includes the lead-in of the provisions it sits in, so "Parliament shall: ...
7) ratify" matches item 7 of a paragraph that opens "Parliament shall:".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..data.model import CLAIMED, PUBLICATION, SOURCE_TEXT, UNCHECKED, VERIFICATION_STATES, CountryEvidence, Finding, Problem
from .locators import parse_locator, resolve
from .parse import ParsedText, Provision
from .texts import SourceText, country_sources

VERIFIED = "verified"
ELSEWHERE = "quote elsewhere"
NO_LOCATOR = "locator not found"
NO_QUOTE = "quote not found"
NO_SOURCE = "no source text"
KINDS = (VERIFIED, ELSEWHERE, NO_LOCATOR, NO_QUOTE, NO_SOURCE)
CLOSE = 0.85  # a similarity at or above this is reported as a close match

_QUOTE_CHARS = dict.fromkeys(map(ord, "«»“”„‟\"'’‘‚`´"), None)
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad"), "-")
_ELLIPSIS = re.compile(r"[(\[]\s*(?:\.\s*){3}[)\]]|[(\[]\s*…\s*[)\]]|(?:\.\s*){3}|…")


def normalize(text: str) -> str:
    r"""Text as quotes are compared: case, whitespace, quote characters and dashes
    folded (a dash between spaces joins its words); soft hyphens dropped; ё
    read as е.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> normalize("Парламент  РАТИФИЦИРУЕТ\nдоговоры")
        'парламент ратифицирует договоры'
    """
    t = text.translate(_QUOTE_CHARS).translate(_DASHES).replace("\u00ad", "").casefold().replace("ё", "е")
    t = re.sub(r"\s*-\s*", "-", t)
    return " ".join(t.split())


def fragments(quote: str) -> list[str]:
    """The parts of a quote between ellipses, normalised, without edge
    punctuation; parts shorter than two characters dropped.

    Returns: `list[str]`.
    Raises: nothing.

    Example:
        >>> fragments("The Parliament ... ratifies treaties.")
        ['the parliament', 'ratifies treaties']
    """
    out = []
    for part in _ELLIPSIS.split(quote):
        frag = normalize(part).strip(" ,.;:")
        if len(frag) >= 2:
            out.append(frag)
    return out


def occurs(frags: list[str], text: str) -> bool:
    """Every fragment occurs in the (normalised) text, in order; False for no
    fragments.

    Returns: `bool`.
    Raises: nothing.

    Example:
        >>> occurs(["a b", "d"], "a b c d"), occurs(["d", "a"], "a b c d")
        (True, False)
    """
    if not frags:
        return False
    pos = 0
    for f in frags:
        i = text.find(f, pos)
        if i < 0:
            return False
        pos = i + len(f)
    return True


def best_window(fragment: str, text: str) -> tuple[float, str]:
    """The highest difflib ratio of the fragment against a window of the text
    with as many words (give or take one), and that window.

    Returns: `tuple[float, str]` ((0.0, "") for an empty text).
    Raises: nothing.

    Example:
        >>> ratio, window = best_window("ratifies treaties", "the parliament ratifies the treaties today")
        >>> window
        'ratifies the treaties'
    """
    words = text.split()
    n = len(fragment.split())
    if not words:
        return 0.0, ""
    if len(words) <= n:
        return difflib.SequenceMatcher(None, fragment, text, autojunk=False).ratio(), text
    best, where = 0.0, ""
    sm = difflib.SequenceMatcher(None, autojunk=False)
    sm.set_seq2(fragment)
    for size in sorted({max(1, n - 1), n, n + 1}):
        for i in range(0, len(words) - size + 1):
            window = " ".join(words[i:i + size])
            sm.set_seq1(window)
            if sm.real_quick_ratio() <= best or sm.quick_ratio() <= best:
                continue
            r = sm.ratio()
            if r > best:
                best, where = r, window
    return best, where


def similarity(frags: list[str], text: str) -> tuple[float, str]:
    """The weakest fragment's best window: a quote is as close as its worst
    part (fragments found as they are count as 1.0).

    Returns: `tuple[float, str]` (ratio, the window of the weakest fragment).
    Raises: nothing.

    Example:
        >>> similarity(["ratifies treaties"], "the parliament ratifies the treaties today")[1]
        'ratifies the treaties'
    """
    worst, shown = 1.0, ""
    for f in frags:
        if f in text:
            continue
        r, w = best_window(f, text)
        if r < worst:
            worst, shown = r, w
    return worst, shown


def _lead_context(p: Provision) -> str:
    lead = [a.own_text for a in p.ancestors() if a.kind not in ("section", "chapter")]
    return " ".join(lead + [p.own_text])


def locate(frags: list[str], parsed: ParsedText) -> Provision | None:
    r"""The narrowest provision whose text holds the whole quote (first in the
    document when several do), or None.

    Returns: `Provision` or None.
    Raises: nothing.

    Example:
        >>> text = parse_text("Статья 1. Title\n1. Парламент ратифицирует договоры.\n2. second\n")
        >>> locate(fragments("ратифицирует договоры"), text).locator
        'Art. 1(1)'
    """
    def descend(p: Provision) -> Provision:
        if occurs(frags, normalize(_lead_context(p))):
            return p
        for c in p.children:
            if occurs(frags, normalize(c.context)):
                return descend(c)
        return p

    for top in parsed.provisions:
        if occurs(frags, normalize(top.context)):
            return descend(top)
    return None


@dataclass(frozen=True)
class VerifyResult:
    country: str
    finding: str
    criterion: str
    document: str | None
    locator: str | None
    canonical: str | None  # the locator in canonical form, if it could be read
    kind: str  # one of KINDS
    detail: str
    source: str | None = None  # the source text decided on (file path)
    resolved: str | None = None  # the provision the locator reached
    found_at: str | None = None  # where the quote is, when not where the locator says
    similarity: float | None = None  # best similarity when the quote was not found
    closest: str | None = None  # the best-matching window of the text
    claimed_verified: bool = False  # the finding claims a check: a check record that backs it, or verified: true
    path: str = ""
    line: int | None = None
    field: str = ""
    recorded: str = UNCHECKED  # what the evidence says of the check (Finding.verification, before this run)
    partial: bool = False  # a check record against an unofficial copy, or with a quote not verbatim
    source_url: str | None = None  # the `# source:` URL of the source text decided on
    quote_kind: str | None = None  # the finding's quote: verbatim | translation | paraphrase (Finding.kind_of_quote)
    # the edition of the text decided on, when it is an earlier one kept beside the
    # current text (<document>.<lang>.<edition>.txt, as `assess sources fetch` keeps them)
    older_edition: str | None = None
    source_edition: str | None = None  # the edition the text decided on states (its `# edition:` header), if known
    checked_edition: str | None = None  # the edition the finding's check record names
    current_edition: str | None = None  # the edition of the document's current text, if known
    # `detail` as catalogue entries (key, values): the same sentence in another language (detail_in)
    parts: tuple = ()

    def detail_in(self, lang: str) -> str:
        """`detail` in `lang`, from the catalogue (messages.yaml, keys verify_*)."""
        if lang == "en" or not self.parts:
            return self.detail
        return _said(self.parts, lang)

    @property
    def checked_older(self) -> bool:
        """The finding's check names an edition other than the current text's
        (a newer edition was fetched since it was checked)."""
        return bool(self.checked_edition and self.current_edition and self.checked_edition != self.current_edition)

    @property
    def error(self) -> bool:
        """A finding marked verified that the source text contradicts."""
        return self.claimed_verified and self.kind not in (VERIFIED, NO_SOURCE)

    @property
    def unbacked(self) -> bool:
        """A finding that says verified: true with no check record that backs
        it, which no source text of the workspace confirms either: a claim."""
        return self.recorded == CLAIMED and self.kind != VERIFIED and not self.error

    @property
    def state(self) -> str:
        """How the finding is checked after this run: its quote found at its
        locator in a source text, else what the evidence records."""
        return SOURCE_TEXT if self.kind == VERIFIED else self.recorded

    @property
    def unrecorded(self) -> bool:
        """Found at its locator in a source text now, with no check record
        that the scores read: `assess verify --record` writes one."""
        return self.kind == VERIFIED and self.recorded not in (SOURCE_TEXT, PUBLICATION)

    def problem(self) -> Problem:
        """The result as a problem of `assess verify`: its message a catalogue
        message (p_verify_*) whose detail is said in the same language."""
        from ..common.messages import say

        detail = _Detail(self.detail, self.parts)
        if self.error and self.recorded == SOURCE_TEXT:
            return Problem(self.path, self.line, self.field, say("p_verify_recorded_but", id=self.finding, detail=detail))
        if self.unbacked:
            return Problem(self.path, self.line, "verified", say("p_verify_unbacked", id=self.finding, detail=detail,
                                                                 check="{by, date, against, official: true, verbatim: true}"),
                           "warning")
        return Problem(self.path, self.line, self.field, say("p_verify_marked_but", id=self.finding, detail=detail),
                       "error" if self.error else "warning")

    def to_dict(self) -> dict:
        return {
            "country": self.country, "finding": self.finding, "criterion": self.criterion, "document": self.document,
            "locator": self.locator, "canonical": self.canonical, "result": self.kind, "detail": self.detail,
            "source": self.source, "resolved": self.resolved, "found_at": self.found_at,
            "similarity": None if self.similarity is None else round(self.similarity, 3),
            "closest": self.closest, "marked_verified": self.claimed_verified, "error": self.error,
            "recorded": self.recorded, "state": self.state, "partial": self.partial, "unbacked": self.unbacked,
            "unrecorded": self.unrecorded, "source_url": self.source_url, "older_edition": self.older_edition,
            "source_edition": self.source_edition, "checked_edition": self.checked_edition,
            "current_edition": self.current_edition, "checked_older_edition": self.checked_older,
            "file": self.path, "line": self.line,
        }


_RANK = {VERIFIED: 0, ELSEWHERE: 1, NO_QUOTE: 2, NO_LOCATOR: 3, NO_SOURCE: 4}


def verify_finding(country: str, finding: Finding, texts: list[SourceText], rel=lambda p: p) -> VerifyResult:
    """Checks one finding against its document's source texts (the best outcome
    over the texts, so an English quote is checked against the English text):
    verified where the locator's provision holds the quote, else the quote
    found elsewhere, the locator not found, the quote not found (with the
    closest words), or no source text; what the evidence claims of the check
    is kept beside, so a claim the text contradicts shows. `rel` shows paths.

    Returns: `VerifyResult` (``.kind``, one of KINDS; ``.detail``).
    Raises: nothing.

    Example:
        >>> verify_finding("KAZ", finding, texts.get(finding.document, [])).kind
    """
    loc = parse_locator(finding.locator)
    base = dict(
        country=country, finding=finding.id, criterion=finding.criterion, document=finding.document,
        locator=finding.locator, canonical=loc.canonical if loc else None,
        # a claim the text can contradict: a coder's check record, a record of an earlier
        # `assess verify --record` (method: source-text), or a bare verified: true
        claimed_verified=finding.verification in (SOURCE_TEXT, PUBLICATION, CLAIMED),
        path=finding.source.path, line=finding.source.line, recorded=finding.verification,
        partial=finding.check is not None and not finding.check.backs, quote_kind=finding.kind_of_quote,
    )
    if not finding.document:
        return VerifyResult(kind=NO_SOURCE, detail="the finding names no document", parts=(("verify_no_document", {}),), **base)
    if not texts:
        return VerifyResult(kind=NO_SOURCE, detail=f"no source text for {finding.document}",
                            parts=(("verify_no_text", {"document": finding.document}),), **base)
    frags = fragments(finding.quote or "")
    paraphrase = finding.kind_of_quote == "paraphrase"
    outcomes = []
    has_current = any(st.edition is None for st in texts)
    for st in texts:
        o = _against(st, loc, frags, paraphrase, finding, rel)
        o["older_edition"] = st.edition if has_current else None
        o["source_edition"] = _stated_edition(st)
        outcomes.append(o)
    current_edition = next((e for e in (_stated_edition(st) for st in texts if st.edition is None) if e), None)
    checked_edition = finding.check.edition if finding.check is not None else None
    # at the same outcome, the current text before an earlier edition
    outcomes.sort(key=lambda o: (_RANK[o["kind"]], o["older_edition"] is not None, -(o.get("similarity") or 0.0)))
    best = outcomes[0]
    if best["older_edition"] is not None:
        now = next(o for o in outcomes if o["older_edition"] is None)
        best = {**best, "detail": f"{best['detail']}, in the earlier edition {best['older_edition']} only; "
                                  f"against the current text: {now['detail']}",
                "parts": (*best["parts"], ("verify_older_only", {"edition": best['older_edition']}), *now["parts"])}
    if checked_edition and current_edition and checked_edition != current_edition:
        best = {**best, "detail": f"{best['detail']}; its check names edition {checked_edition}, the current text is "
                                  f"edition {current_edition}",
                "parts": (*best["parts"], ("verify_check_edition", {"checked": checked_edition, "current": current_edition}))}
    best = {**best, "checked_edition": checked_edition, "current_edition": current_edition}
    field = "quote" if best["kind"] in (NO_QUOTE, ELSEWHERE) else "locator"
    if best["kind"] in (VERIFIED, NO_SOURCE):
        field = "locator"
    return VerifyResult(**best, field=field, **{**base, "line": finding.source.line_of(field)})


class _Detail(str):
    """A result's detail in English (a `str`) that can be said in another
    language from its catalogue parts: a value of a catalogue message, said
    in the message's language (messages.in_lang)."""

    def __new__(cls, text: str, parts: tuple = ()):
        obj = super().__new__(cls, text)
        obj.parts = parts
        return obj

    def in_lang(self, lang: str) -> str:
        return str.__str__(self) if lang == "en" or not self.parts else _said(self.parts, lang)


def _said(parts, lang: str) -> str:
    """Catalogue entries (key, values) joined into one sentence in `lang`."""
    from ..common.messages import Formats, catalogue

    t = catalogue(lang)
    decimal = Formats(t).decimal

    def shown(values: dict) -> dict:  # a similarity with the language's decimal sign
        return {k: (v.replace(".", decimal) if k == "sim" else v) for k, v in values.items()}

    return "".join(t(key, **shown(values)) if values else t(key) for key, values in parts)


def _stated_edition(st: SourceText) -> str | None:
    """The edition a text's header states (`# edition: 2024-05-01`), or None when unknown."""
    ed = (st.parsed.header.get("edition") or "").strip()
    return ed if ed and ed.lower() != "unknown" else None


def _against(st: SourceText, loc, frags: list[str], paraphrase: bool, finding: Finding, rel) -> dict:
    name = rel(st.path)
    parsed = st.parsed
    provision = resolve(parsed, loc) if loc else None
    if not frags:
        where = f"{provision.locator} found" if provision else "the locator was not found"
        return {"kind": NO_QUOTE if provision else NO_LOCATOR, "source": name,
                "resolved": provision.locator if provision else None,
                "detail": f"the finding has no quote to check ({where} in {name})",
                "parts": (("verify_no_quote_found" if provision else "verify_no_quote_lost",
                           {"locator": provision.locator if provision else "", "name": name}),)}
    if provision is not None and occurs(frags, normalize(provision.context)):
        return {"kind": VERIFIED, "source": name, "resolved": provision.locator, "source_url": st.url,
                "detail": f"the quote is in {provision.locator} ({name}:{provision.line})",
                "parts": (("verify_in", {"locator": provision.locator, "at": f"{name}:{provision.line}"}),)}
    elsewhere = locate(frags, parsed)
    if provision is None:
        if loc is None:
            what = f"the locator '{finding.locator}' names no article, chapter, section or paragraph"
            said = ("verify_unreadable", {"locator": finding.locator})
        else:
            what = f"{loc.canonical} is not in {name}"
            said = ("verify_not_in_text", {"locator": loc.canonical, "name": name})
        if elsewhere is not None:
            return {"kind": NO_LOCATOR, "source": name, "found_at": elsewhere.locator,
                    "detail": f"{what}; the quote is in {elsewhere.locator} ({name}:{elsewhere.line})",
                    "parts": (said, ("verify_but_in", {"locator": elsewhere.locator, "at": f"{name}:{elsewhere.line}"}))}
        return {"kind": NO_LOCATOR, "source": name, "detail": what, "parts": (said,)}
    if elsewhere is not None:
        return {"kind": ELSEWHERE, "source": name, "resolved": provision.locator, "found_at": elsewhere.locator,
                "detail": f"the quote is not in {provision.locator}; it is in {elsewhere.locator} ({name}:{elsewhere.line})",
                "parts": (("verify_elsewhere", {"locator": provision.locator, "found": elsewhere.locator,
                                                "at": f"{name}:{elsewhere.line}"}),)}
    sim, window = similarity(frags, normalize(provision.context))
    detail = f"the quote is not in {provision.locator} ({name}:{provision.line}); best similarity {sim:.2f}"
    parts = [("verify_not_found", {"locator": provision.locator, "at": f"{name}:{provision.line}", "sim": f"{sim:.2f}"})]
    if sim >= CLOSE:
        detail += f", close to: \"{window}\""
        parts.append(("verify_close_to", {"window": window}))
    if paraphrase:
        detail += " (the quote is marked as a paraphrase)"
        parts.append(("verify_paraphrase", {}))
    return {"kind": NO_QUOTE, "source": name, "resolved": provision.locator, "similarity": sim, "closest": window,
            "detail": detail, "parts": tuple(parts)}


def verify_country(evidence_dir: str, evidence: CountryEvidence, problems: list[Problem] | None = None,
                   rel=lambda p: p) -> list[VerifyResult]:
    """Every finding of a country checked (verify_finding) against the source
    texts in evidence_dir/<ISO3>/sources/, in file and line order. Problems
    with the source files themselves go to `problems`.

    Returns: `list[VerifyResult]`.
    Raises: nothing (problems go to the list).

    Example:
        >>> results = verify_country("evidence", evidence, problems)
    """
    texts = country_sources(evidence_dir, evidence, problems)
    findings = sorted(evidence.findings, key=lambda f: (f.source.path, f.source.line or 0, f.id))
    return [verify_finding(evidence.iso3, f, texts.get(f.document or "", []), rel) for f in findings]


@dataclass(frozen=True)
class VerifySummary:
    findings: int
    with_source: int  # findings whose document has a source text
    counts: dict = field(default_factory=dict)  # kind -> number, every kind present
    errors: int = 0  # findings marked verified that fail
    states: dict = field(default_factory=dict)  # how each finding is checked (VERIFICATION_STATES) -> number
    partial: int = 0  # not checked, with a check record against an unofficial copy or with a quote not verbatim
    unbacked: int = 0  # marked verified with no check record and no source text that confirms it
    unrecorded: int = 0  # found in a source text now, without a check record the scores read (verify --record)
    current: int = 0  # verified against the current text of their document (not an earlier edition kept beside it)
    checked_older: int = 0  # whose check record names an edition other than the current text's

    @property
    def verified(self) -> int:
        return self.counts.get(VERIFIED, 0)

    @property
    def share(self) -> float | None:
        """Share of all findings verified against a source text."""
        return self.verified / self.findings if self.findings else None

    @property
    def share_checked(self) -> float | None:
        """Share of the findings with a source text that verified."""
        return self.verified / self.with_source if self.with_source else None

    def to_dict(self) -> dict:
        return {"findings": self.findings, "with_source_text": self.with_source, "counts": dict(self.counts),
                "errors": self.errors, "verified": self.verified, "states": dict(self.states),
                "source_text": self.states.get(SOURCE_TEXT, 0), "publication": self.states.get(PUBLICATION, 0),
                "claimed": self.states.get(CLAIMED, 0), "unchecked": self.states.get(UNCHECKED, 0),
                "partial": self.partial, "unbacked": self.unbacked, "unrecorded": self.unrecorded,
                "share_verified": None if self.share is None else round(self.share, 4),
                "share_verified_of_checked": None if self.share_checked is None else round(self.share_checked, 4),
                "verified_current_edition": self.current, "checked_older_edition": self.checked_older,
                "share_current_edition": round(self.current / self.findings, 4) if self.findings else None}

    def sentence(self, lang: str = "en") -> str:
        from ..common.messages import Formats, catalogue

        t = catalogue(lang)
        if not self.findings:
            return t("cli_verify_no_findings")
        pct = Formats(t).pct(self.share) if self.share is not None else "-"
        return t("cli_verify_sentence", verified=self.verified, findings=self.findings, pct=pct, with_source=self.with_source)

    def editions_sentence(self, lang: str = "en") -> str | None:
        """How many verified findings were found only in an earlier edition kept
        beside the current text (None when none were)."""
        from ..common.messages import catalogue

        t = catalogue(lang)
        older = self.verified - self.current
        parts = []
        if older:
            parts.append(t("cli_verify_older", older=older, verified=self.verified, current=self.current, findings=self.findings))
        if self.checked_older:
            parts.append(t("cli_verify_checked_older", n=self.checked_older))
        return "; ".join(parts) or None

    def states_sentence(self, lang: str = "en") -> str:
        """How many findings are checked, and by which means."""
        from ..common.messages import catalogue

        t = catalogue(lang)
        g = self.states.get
        checked = g(SOURCE_TEXT, 0) + g(PUBLICATION, 0)
        text = t("cli_verify_states", checked=checked, findings=self.findings, source_text=g(SOURCE_TEXT, 0),
                 publication=g(PUBLICATION, 0), claimed=g(CLAIMED, 0), unchecked=g(UNCHECKED, 0))
        if self.partial:
            text += t("cli_verify_partial", n=self.partial)
        if self.unrecorded:
            text += t("cli_verify_unrecorded", n=self.unrecorded)
        return text


def verify_summary(results: list[VerifyResult]) -> VerifySummary:
    """The counts over verify results: findings, those with a source text, per
    kind and per verification state; errors (marked verified, contradicted by
    the text); partial checks; claims no check record or text backs; findings
    found at their locator without a check record the scores read; those
    verified on the current text; those whose check names an older edition.

    Returns: `VerifySummary`.
    Raises: nothing.

    Example:
        >>> verify_summary([]).findings
        0
    """
    counts = {k: 0 for k in KINDS}
    for r in results:
        counts[r.kind] += 1
    states = {k: 0 for k in VERIFICATION_STATES}
    for r in results:
        states[r.state] += 1
    return VerifySummary(
        findings=len(results), with_source=sum(r.kind != NO_SOURCE for r in results), counts=counts,
        errors=sum(r.error for r in results), states=states,
        partial=sum(r.partial and r.state == UNCHECKED for r in results), unbacked=sum(r.unbacked for r in results),
        unrecorded=sum(r.unrecorded for r in results),
        current=sum(r.kind == VERIFIED and r.older_edition is None for r in results),
        checked_older=sum(r.checked_older for r in results),
    )


@dataclass(frozen=True)
class VerifyReport:
    """What `assess verify` prints: every result, the counts, and the problems
    (findings marked verified that fail, and unreadable source files)."""

    results: list
    summary: VerifySummary
    source_problems: list = field(default_factory=list)
    # the countries verified, each with where it comes from: "workspace" or "shipped" (read-only)
    countries: dict = field(default_factory=dict)
    # with --record: what was written to the evidence (sources.record.Recorded), before this report's run
    recorded: list = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        mine = [r.problem() for r in self.results if r.error or r.unbacked]
        return sorted(self.source_problems + mine, key=lambda p: (p.path, p.line or 0, p.field, p.message))

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def to_dict(self) -> dict:
        return {"summary": self.summary.to_dict(), "countries": dict(self.countries), "results": [r.to_dict() for r in self.results],
                "recorded": [r.to_dict() for r in self.recorded], "problems": [str(p) for p in self.problems]}
