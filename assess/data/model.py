"""The typed, immutable objects that the loaders build and the scorer reads.

Nothing here knows a criterion, a tier or a country by name: all of that is
data under criteria/ and evidence/.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

LANGUAGES = ("en", "ru", "kk")


@dataclass(frozen=True, slots=True)
class Text:
    """A text in several languages; English is the fallback."""

    values: Mapping[str, str]

    def get(self, lang: str = "en") -> str:
        return self.values.get(lang) or self.values.get("en") or next(iter(self.values.values()), "")

    def has(self, lang: str) -> bool:
        return bool(self.values.get(lang))

    def __str__(self) -> str:
        return self.get("en")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was written: a file and the line it starts on."""

    path: str
    line: int | None = None
    # line of each field of the record, to point errors at the field itself
    fields: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)

    def line_of(self, name: str) -> int | None:
        return self.fields.get(name, self.line)


# ---------------------------------------------------------------- rubric


@dataclass(frozen=True, slots=True)
class ScaleLevel:
    level: int
    label: Text
    descriptor: Text


@dataclass(frozen=True, slots=True)
class Band:
    """A label for a score range (a score >= min, below the next band's min)."""

    min: float
    label: Text


@dataclass(frozen=True, slots=True)
class Rule:
    """How a criterion's level follows from the findings that count.

    highest            the highest level among counting findings
    distinct-documents the number of distinct documents with a counting finding
                       at min_level or above, mapped to a level by thresholds
    window: in-force   a finding counts if its document is in force on the date
            to-date    ... or was in force at any time up to the date
    """

    type: str = "highest"
    window: str = "in-force"
    min_level: int = 1
    thresholds: Mapping[int, int] = field(default_factory=dict)

    def describe(self) -> str:
        if self.type == "highest":
            text = "highest level among the findings that count"
        else:
            steps = ", ".join(f"{n}+ documents -> level {lvl}" for lvl, n in sorted(self.thresholds.items()))
            text = f"number of distinct documents with a finding at level {self.min_level} or above ({steps})"
        if self.window == "to-date":
            text += "; documents in force at any time up to the as-of date count"
        else:
            text += "; only documents in force on the as-of date count"
        return text


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    tier: str
    title: Text
    question: Text
    levels: Mapping[int, Text]
    weight: float
    recommendation: Text
    rule: Rule
    source: Source
    # stems and words (any language) that point to provisions on the criterion;
    # used by `assess suggest`, never by the scorer
    terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Tier:
    id: str
    title: Text
    weight: float
    accepts: tuple[str, ...]
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class DocumentType:
    id: str
    title: Text


@dataclass(frozen=True, slots=True)
class Rubric:
    id: str
    version: str
    title: Text
    description: Text
    sources: tuple[str, ...]
    scale: tuple[ScaleLevel, ...]
    tiers: tuple[Tier, ...]
    unverified: str  # count | exclude
    bands: tuple[Band, ...]
    path: str
    sha256: str
    default: bool = False  # the rubric used when a command names none
    disagreement: str = "lowest"  # how unreconciled coders combine: lowest | median | highest
    # A band names a level of institutionalization; below this share of
    # criteria assessed, a high mean over a few criteria would mislabel the
    # country, so the band is withheld (the score itself is still shown).
    band_min_coverage: float = 0.0
    # Whether `validate` requires a `confidence` on every finding.
    require_confidence: bool = False
    # What `sensitivity` draws besides the weights (see assess.sensitivity):
    # the chance of each level for a criterion nobody has assessed (None: uniform
    # on the scale), and which findings' levels are uncertain.
    unassessed_prior: Mapping[int, float] | None = None
    uncertain_findings: tuple[str, ...] = ("unverified", "low-confidence")

    @property
    def max_level(self) -> int:
        return max(s.level for s in self.scale)

    @property
    def min_level(self) -> int:
        return min(s.level for s in self.scale)

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for t in self.tiers for c in t.criteria)

    def criterion(self, criterion_id: str) -> Criterion | None:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        return None

    def tier(self, tier_id: str) -> Tier | None:
        return next((t for t in self.tiers if t.id == tier_id), None)

    def level_label(self, level: int, lang: str = "en") -> str:
        for s in self.scale:
            if s.level == level:
                return s.label.get(lang)
        return str(level)

    def band(self, score: float | None, lang: str = "en", coverage: float | None = None) -> str | None:
        if score is None or score != score:  # None or NaN
            return None
        if coverage is not None and coverage < self.band_min_coverage:
            return None
        chosen = None
        for b in sorted(self.bands, key=lambda b: b.min):
            if score >= b.min:
                chosen = b
        return chosen.label.get(lang) if chosen else None


# ---------------------------------------------------------------- evidence


@dataclass(frozen=True, slots=True)
class Chamber:
    id: str
    name: Text
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True, slots=True)
class Legislature:
    id: str
    name: Text
    start: dt.date | None
    end: dt.date | None
    chambers: tuple[Chamber, ...]


@dataclass(frozen=True, slots=True)
class Traced:
    """The span over which the analyst has read every document of a tier (or,
    with tier None, of every tier): on a day inside it, a criterion that no
    finding answers is absent (level 0); outside it, it is not assessed."""

    tier: str | None
    start: dt.date | None
    end: dt.date | None  # the last day the trace covers, inclusive; None: open

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    name: Text
    legislatures: tuple[Legislature, ...]
    source: Source
    # what the analyst declares read in full (country.yaml traced_from / traced_to)
    traced: tuple[Traced, ...] = ()

    def traced_span(self, tier_id: str) -> Traced | None:
        """The trace that holds for a tier: its own, else the country's."""
        own = next((t for t in self.traced if t.tier == tier_id), None)
        return own if own is not None else next((t for t in self.traced if t.tier is None), None)

    def legislature(self, legislature_id: str) -> Legislature | None:
        return next((x for x in self.legislatures if x.id == legislature_id), None)

    def chamber(self, chamber_id: str) -> Chamber | None:
        return next((c for x in self.legislatures for c in x.chambers if c.id == chamber_id), None)


@dataclass(frozen=True, slots=True)
class RegisterId:
    """Where a document is published officially: a register (an id from
    criteria/registers.yaml), the document's identifier there and, where the
    register keeps editions, the edition the evidence cites (a date)."""

    register: str
    id: str
    edition: dt.date | None = None
    langs: tuple[str, ...] = ()  # the languages to fetch (default: the register's)


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    type: str
    title: Text
    number: str | None
    adopted: dt.date | None
    in_force_from: dt.date | None
    in_force_to: dt.date | None  # last day in force, inclusive
    edition: str | None
    url: str | None
    legislature: str | None
    chamber: str | None
    cited_in: str | None
    note: str | None
    source: Source
    complete: bool = True  # False when a required field is missing or invalid
    confidence: str | None = None  # high | medium | low, as the analyst rates the record
    approximate: tuple[str, ...] = ()  # the date fields that are approximate (adopted, in_force_from, in_force_to, observed)
    # An observation (a secondary source, an official record) is not in force:
    # it reports a state of affairs as seen on a day. Its findings count from
    # that day (while the legislature the record belongs to exists), never before.
    observed: dt.date | None = None
    # A document that is expected but does not exist yet (the rules of procedure
    # of a new legislature): recorded with the last day on which the analyst
    # found it not adopted. It has no dates in force, no finding may cite it, and
    # the scorer never counts it; `explain` and the report's "code these next"
    # list name it as the reason a criterion of its tier is not assessed.
    not_adopted_as_of: dt.date | None = None
    # its identifier in an official register (adilet, pravo.gov.ru, an ELI), if known
    register: RegisterId | None = None
    # the language(s) of its original text (`lang: [ru, kk]`); () when not declared
    langs: tuple[str, ...] = ()

    @property
    def awaited(self) -> bool:
        """Recorded as expected, not adopted yet (not_adopted_as_of)."""
        return self.not_adopted_as_of is not None

    @property
    def starts(self) -> dt.date | None:
        """The first day the document can count: in force from, or observed on."""
        return self.in_force_from if self.observed is None else self.observed


CONFIDENCE = ("high", "medium", "low")
DATE_FIELDS = ("adopted", "in_force_from", "in_force_to", "observed")

# What a finding's `quote` is: the words of the text (verbatim), the coder's
# own translation of them, or the coder's summary (paraphrase).
QUOTE_KINDS = ("verbatim", "translation", "paraphrase")

# How a finding is checked, kept apart (see Finding.verification):
SOURCE_TEXT = "source-text"  # its quote found at its locator in a source text of the workspace (`assess verify`, recorded by --record)
PUBLICATION = "publication"  # a coder's check record: official publication, edition named, quote verbatim
CLAIMED = "claimed"  # `verified: true` with no check record that backs it (old files): a claim, not a check
UNCHECKED = "unchecked"
VERIFICATION_STATES = (SOURCE_TEXT, PUBLICATION, CLAIMED, UNCHECKED)


# How a check record was made (its `method`): by a coder against a publication
# (the default), or by `assess verify --record` against a source text of the workspace.
CHECK_METHODS = ("publication", "source-text")


@dataclass(frozen=True, slots=True)
class Check:
    """A record of checking a finding against a text of its document: who,
    when, against what (the publication and its edition, or the source text
    file and provision), how (method), whether that publication is an official
    one, and whether the quote is word for word its text."""

    by: str | None
    date: dt.date | None
    against: str | None
    official: bool | None = None
    verbatim: bool | None = None
    method: str | None = None  # publication (None: the same) | source-text
    edition: str | None = None  # the edition of the text checked against (a date, YYYY-MM-DD), when known

    @property
    def complete(self) -> bool:
        return bool(self.by and self.date and self.against)

    @property
    def source_text(self) -> bool:
        """Recorded by `assess verify --record`: the quote found at its locator
        in a source text of the workspace."""
        return self.method == "source-text"

    @property
    def backs(self) -> bool:
        """Whether the record backs a verified finding: complete, with the
        quote verbatim, and either against an official publication (a coder's
        check) or found in a workspace source text (assess verify --record)."""
        return self.complete and self.verbatim is True and (self.source_text or self.official is True)

    def describe(self) -> str:
        if self.source_text:
            return (f"found by {self.by or '?'} on {self.date.isoformat() if self.date else '?'} in {self.against or '?'} "
                    + (f"(edition {self.edition}) " if self.edition else "")
                    + f"(source text of the workspace; quote {'verbatim' if self.verbatim else 'not verbatim'})")
        what = []
        what.append("official publication" if self.official else "unofficial copy" if self.official is False else "publication not rated official")
        what.append("quote verbatim" if self.verbatim else "quote not verbatim" if self.verbatim is False else "verbatim not stated")
        return f"checked by {self.by or '?'} on {self.date.isoformat() if self.date else '?'} against {self.against or '?'} ({'; '.join(what)})"

NOT_APPLICABLE = "n/a"


def says_paraphrase(quote: str) -> bool:
    """Whether a quote says it is a paraphrase: it opens with the word, in
    any case, after any spaces (`quote.strip().lower().startswith("paraphrase")`).

    Only its first ten characters are lower-cased, not the whole quote (a
    multi-line quote lower-cased twice per finding was a fifth of validate's
    cross-record checks). The answer is the same: lower-casing turns each
    character into one or more, so the first ten characters decide the first
    ten lower-cased ones; the one rule that looks further (a final sigma)
    only ever gives a sigma, not a letter of the word; and spaces stripped
    at the end never reach into a word that has none.

    Returns: `bool`.
    Raises: nothing.

    Example:
        >>> says_paraphrase("  Paraphrase: the chambers ratify treaties"), says_paraphrase("Article 5")
        (True, False)
    """
    return quote.lstrip()[:10].lower().startswith("paraphrase")


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    """Who read a further language version of a finding's quote (its
    `quotes_check`), and in which copy. It documents that version only: the
    finding's verification stays its `check`'s, of the quote as written."""

    lang: str
    check: Check


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    criterion: str
    document: str | None
    locator: str | None
    quote: str | None
    level: int | None  # None when not applicable
    not_applicable: bool
    verified: bool
    coder: str | None
    note: str | None
    reason: str | None
    in_force_from: dt.date | None
    in_force_to: dt.date | None
    legislature: str | None
    source: Source
    complete: bool = True  # False when a required field is missing or invalid
    reconciled: bool = False  # a reconciliation between coders: decides over their own findings
    confidence: str | None = None  # high | medium | low
    quote_kind: str | None = None  # verbatim | translation | paraphrase, as written (see kind_of_quote)
    check: Check | None = None  # a check record: a coder's against a publication, or assess verify --record's
    quote_lang: str | None = None  # the language of `quote` as written (None: read from its script, see assess.data.quotes)
    quotes: tuple[tuple[str, str], ...] = ()  # the quote in further languages, (lang, text), sorted by language
    quotes_check: "QuoteCheck | None" = None  # a check record of one of those versions

    @property
    def level_text(self) -> str:
        return NOT_APPLICABLE if self.not_applicable else str(self.level)

    @property
    def kind_of_quote(self) -> str | None:
        """What the quote is: the `quote_kind` written, else a paraphrase when
        the quote says so ("Paraphrase: ..."), else verbatim; None without a quote."""
        if not self.quote:
            return None
        if self.quote_kind in QUOTE_KINDS:
            return self.quote_kind
        return "paraphrase" if says_paraphrase(self.quote) else "verbatim"

    @property
    def verification(self) -> str:
        """How the finding is checked: against a source text in the workspace,
        by a coder against an official publication (a check record), only
        claimed (`verified: true` without a record that backs it), or not."""
        if self.check is not None and self.check.backs:
            return SOURCE_TEXT if self.check.source_text else PUBLICATION
        if self.verified:
            return CLAIMED
        return UNCHECKED

    @property
    def checked(self) -> bool:
        """Whether the finding counts as verified for scoring. A claim from an
        old file counts as before (so old workspaces score as they did), but
        `assess verify` warns about every one and reports count them apart."""
        return self.verification != UNCHECKED


@dataclass(frozen=True, slots=True)
class CountryEvidence:
    """Everything the evidence files of one country say."""

    country: Country
    documents: Mapping[str, Document]
    findings: tuple[Finding, ...]
    files: tuple[str, ...]

    @property
    def iso3(self) -> str:
        return self.country.iso3


# ---------------------------------------------------------------- problems


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong (error) or worth a look (warning) in an input file."""

    path: str
    line: int | None
    field: str
    message: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        return self.said("en")

    def said(self, lang: str) -> str:
        """The problem as one line, `path:line: field: message`, with the
        message (and the warning tag) in `lang` where the catalogue has it;
        paths, field names and the input's own words stay as they are.

        Returns: `str`. Raises: nothing for the shipped catalogue.

        Example:
            >>> Problem("a.yaml", 3, "level", "expected an integer").said("en")
            'a.yaml:3: level: expected an integer'
        """
        where = f"{self.path}:{self.line}" if self.line else self.path
        if lang == "en":
            tag, message = ("" if self.severity == "error" else "warning: "), self.message
        else:
            from ..common.messages import catalogue, in_lang

            tag = "" if self.severity == "error" else catalogue(lang)("cli_problem_warning")
            message = in_lang(self.message, lang)
        return f"{where}: {self.field}: {tag}{message}" if self.field else f"{where}: {tag}{message}"
