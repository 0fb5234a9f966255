"""Cross-record checks over what the loaders built.

load.py has already checked each record's shape; here we check that records
fit together: references resolve, ids are unique, dates are in order, levels
sit on the scale, and each finding's document is of a type its tier accepts.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import lru_cache

from ..data.load import Loaded, printable, suggest
from ..data.model import CountryEvidence, Problem, Source
from ..data.spans import finding_window  # the span the scorer gives a finding


@lru_cache(maxsize=1)
def iso3_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-3 codes with their English short names."""
    path = os.path.join(os.path.dirname(__file__), "iso3166.csv")
    with open(path, encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {row["iso3"]: row["name"] for row in rows}


# Codes outside ISO 3166-1 that analysts use. ISO 3166-1 leaves four alpha-3
# ranges to its users (AAA-AAZ, QMA-QZZ, XAA-XZZ, ZZA-ZZZ: entities, fictional
# test countries); inside XAA-XZZ, XKX is the code the European Commission, the
# IMF and the World Bank use for Kosovo. They are accepted with a warning.
USER_ASSIGNED = (("AAA", "AAZ"), ("QMA", "QZZ"), ("XAA", "XZZ"), ("ZZA", "ZZZ"))
KNOWN_USER_CODES = {"XKX": "Kosovo"}
USER_RANGES_TEXT = ("a code of your own goes in a user-assigned range: "
                    + ", ".join(f"{lo}-{hi}" for lo, hi in USER_ASSIGNED) + " (XKX for Kosovo)")


def user_assigned_range(code: str) -> str | None:
    """The user-assigned range of ISO 3166-1 alpha-3 that holds `code`
    ('QMA-QZZ'), or None (also for anything that is not three capital
    letters).

    Returns: `str` or None.
    Raises: nothing.

    Example:
        >>> user_assigned_range("QZZ"), user_assigned_range("KAZ")
        ('QMA-QZZ', None)
    """
    if not (isinstance(code, str) and len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()):
        return None
    return next((f"{lo}-{hi}" for lo, hi in USER_ASSIGNED if lo <= code <= hi), None)


def country_code_note(code: str) -> str | None:
    """The warning for a country code that is not in ISO 3166-1 but in one of
    its user-assigned ranges, naming the range (and, for a known one such as
    XKX, what it is widely used for); None for an ISO code or a code that is
    neither (an error wherever it is checked).

    Returns: `str` or None.
    Raises: nothing.

    Example:
        >>> country_code_note("KAZ") is None
        True
    """
    span = user_assigned_range(code)
    if span is None or code in iso3_codes():
        return None
    if code in KNOWN_USER_CODES:
        return (f"'{code}' is not an ISO 3166-1 code: it is in the user-assigned range {span}, where {code} is the "
                f"code widely used for {KNOWN_USER_CODES[code]} (European Commission, IMF, World Bank); "
                "other tools and data sets may not know it")
    return (f"'{code}' is not an ISO 3166-1 code: it is in the user-assigned range {span}, which ISO leaves to "
            "users (entities, fictional test countries); other tools and data sets may not know it")


def country_code_name(code: str) -> str | None:
    """The English short name of an ISO 3166-1 code or a known user-assigned
    one (XKX: Kosovo); the code itself for another user-assigned code; None
    for anything else.

    Returns: `str` or None.
    Raises: nothing.

    Example:
        >>> country_code_name("KAZ"), country_code_name("XKX"), country_code_name("QZZ")
        ('Kazakhstan', 'Kosovo', 'QZZ')
    """
    codes = iso3_codes()
    if code in codes:
        return codes[code]
    if user_assigned_range(code):
        return KNOWN_USER_CODES.get(code, code)
    return None


@dataclass
class ValidationReport:
    problems: list[Problem]
    files: list[str]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(loaded: Loaded) -> ValidationReport:
    """All problems of a loaded workspace: those found while loading, and
    cross-record ones (check_country, check_translations, check_traced,
    check_confidence, check_registers), each reported once, in file and
    line order, with the files checked.

    Returns: `ValidationReport` (``.problems``, ``.files``, ``.ok``).
    Raises: nothing (problems are returned).

    Example:
        >>> validate(assess.load_data()).ok
        True
    """
    problems = list(loaded.problems)
    criteria = loaded.criterion_index()
    files: list[str] = [r.path for r in loaded.rubrics.values()] + [loaded.workspace.document_types_file]
    for evidence in loaded.countries.values():
        files.extend(evidence.files)
        problems.extend(check_country(evidence, criteria, loaded.document_types))
    for rubric in loaded.rubrics.values():
        problems.extend(check_translations(rubric))
    tiers = {t.id for r in loaded.rubrics.values() for t in r.tiers}
    for evidence in loaded.countries.values():
        problems.extend(check_traced(evidence, tiers))
    problems.extend(check_confidence(loaded, criteria))
    problems.extend(check_registers(loaded, files))
    # one problem reported once, in file and line order
    unique = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.severity, p.field, p.message))
    return ValidationReport(unique, sorted(set(files)))


def check_registers(loaded: Loaded, files: list[str]) -> list[Problem]:
    """The registers file (criteria/registers.yaml) and, for each document
    that names a register identifier, its form (assess.sources.registers);
    nothing to check when no document names one and the workspace has no
    registers file. The registers file read is added to `files`.

    Returns: `list[Problem]`.
    Raises: nothing.

    Example:
        >>> files = []
        >>> check_registers(assess.load_data(), files)
        []
    """
    if not any(d.register for e in loaded.countries.values() for d in e.documents.values()) \
            and not os.path.exists(os.path.join(loaded.workspace.criteria_dir, "registers.yaml")):
        return []
    from ..sources.registers import check_identifiers, load_registers

    problems: list[Problem] = []
    path = loaded.workspace.registers_file
    own = os.path.dirname(os.path.abspath(path)) == os.path.abspath(loaded.workspace.criteria_dir)
    registers = load_registers(path, problems, check_xpath=own)
    if os.path.exists(path):
        files.append(path)
    for evidence in loaded.countries.values():
        problems.extend(check_identifiers(evidence, registers))
    return problems


def check_confidence(loaded: Loaded, criteria: dict) -> list[Problem]:
    """An error for each finding without a confidence on a criterion of a
    rubric that requires one (scoring.require_confidence); a confidence the
    loader already refused (not high, medium or low) is reported once, there.
    `criteria` is loaded.criterion_index().

    Returns: `list[Problem]`.
    Raises: nothing.

    Example:
        >>> loaded = assess.load_data()
        >>> check_confidence(loaded, loaded.criterion_index())
        []
    """
    from ..data.model import CONFIDENCE

    refused = {(p.path, p.line) for p in loaded.problems if p.field == "confidence"}
    out = []
    for evidence in loaded.countries.values():
        for f in evidence.findings:
            found = criteria.get(f.criterion)
            if found is None or f.confidence is not None or not found[0].require_confidence:
                continue
            rubric = found[0]
            line = f.source.line_of("confidence")
            if (f.source.path, line) in refused:
                continue
            out.append(Problem(f.source.path, line, "confidence", printable(
                f"finding '{f.id}' has no confidence; rubric '{rubric.id}' requires one on every finding of its "
                f"criteria (require_confidence): expected one of {', '.join(CONFIDENCE)}, as the analyst rates the finding")))
    return out


def check_traced(evidence: CountryEvidence, tiers: set[str]) -> list[Problem]:
    """An error for each tier a country's trace (traced_from) names that no
    rubric of the workspace has, with the nearest one.

    Returns: `list[Problem]`.
    Raises: nothing.

    Example:
        >>> check_traced(loaded.countries["KAZ"], {t.id for r in loaded.rubrics.values() for t in r.tiers})
        []
    """
    out = []
    src = evidence.country.source
    for t in evidence.country.traced:
        if t.tier is not None and t.tier not in tiers:
            out.append(_p(src, "traced_from", f"no rubric has a tier '{t.tier}'{suggest(t.tier, sorted(tiers))}; "
                                              f"expected one of {', '.join(sorted(tiers))}"))
    return out


def check_translations(rubric) -> list[Problem]:
    """A warning for each criterion whose texts (title, question, levels,
    recommendation) lack a language of the interface: reports in that
    language fall back to English there.

    Returns: `list[Problem]` (severity "warning").
    Raises: nothing.

    Example:
        >>> [p.message for r in loaded.rubrics.values() for p in check_translations(r)]
    """
    from ..data.model import LANGUAGES

    out = []
    for c in rubric.criteria:
        # texts left out altogether (an optional recommendation) are not missing a translation
        texts = [t for t in (c.title, c.question, c.recommendation, *c.levels.values()) if t is not None and any(t.values.values())]
        missing = [lang for lang in LANGUAGES if not all(t.has(lang) for t in texts)]
        if missing:
            out.append(Problem(c.source.path, c.source.line, "title",
                               f"criterion '{c.id}' has no {'/'.join(missing)} text in some of its title, question, levels "
                               "or recommendation; reports in that language show English there", "warning"))
    return out


def _p(source: Source, field: str, message: str, severity: str = "error") -> Problem:
    return Problem(source.path, source.line_of(field), field, printable(message), severity)


def check_country(evidence: CountryEvidence, criteria: dict, document_types: dict) -> list[Problem]:
    """The cross-record problems of one country's evidence: its code (matching
    its folder, an ISO 3166-1 code or a user-assigned one, a warning), its
    legislatures' and chambers' dates, each document (type, dates, source
    URL, legislature, chamber) and each finding (a unique id, its document,
    criterion, level on the rubric's scale, a document type the tier
    accepts, the reason or document a level needs, its dates and
    legislature, its quote kind and check record). `criteria` is
    loaded.criterion_index(); `document_types` loaded.document_types.

    Returns: `list[Problem]`.
    Raises: nothing.

    Example:
        >>> check_country(loaded.countries["KAZ"], loaded.criterion_index(), loaded.document_types)
        []
    """
    out: list[Problem] = []
    country = evidence.country
    folder_code = os.path.basename(os.path.dirname(country.source.path)) if country.source.line else None
    codes = iso3_codes()
    if country.source.line:  # described in a file
        if folder_code and country.iso3 != folder_code:
            out.append(_p(country.source, "iso3", f"'{country.iso3}' does not match its folder {folder_code}/; the folder name is the country code"))
        note = country_code_note(country.iso3)
        if note:
            out.append(_p(country.source, "iso3", note, "warning"))
        elif country.iso3 not in codes:
            hint = suggest(country.iso3.upper(), codes) if country.iso3.upper() not in codes else f" (write it in capitals: '{country.iso3.upper()}')"
            out.append(_p(country.source, "iso3", f"'{country.iso3}' is not an ISO 3166-1 alpha-3 country code{hint}; "
                                                  f"{USER_RANGES_TEXT}"))
    legislatures = {x.id for x in country.legislatures}
    chambers = {c.id for x in country.legislatures for c in x.chambers}
    for leg in country.legislatures:
        if leg.start and leg.end and leg.end < leg.start:
            out.append(_p(country.source, "legislatures", f"legislature '{leg.id}' ends ({leg.end}) before it begins ({leg.start})"))
        for ch in leg.chambers:
            if ch.start and ch.end and ch.end < ch.start:
                out.append(_p(country.source, "chambers", f"chamber '{ch.id}' ends ({ch.end}) before it begins ({ch.start})"))

    for d in evidence.documents.values():
        if d.type is not None and d.type not in document_types:  # a missing type is reported by the loader
            out.append(_p(d.source, "type", f"unknown document type '{d.type}'{suggest(d.type, document_types)}"))
        if d.in_force_from and d.in_force_to and d.in_force_to < d.in_force_from:
            out.append(_p(d.source, "in_force_to", f"in force to {d.in_force_to} is before in force from {d.in_force_from}"))
        if d.adopted and d.in_force_from and d.in_force_from < d.adopted:
            out.append(_p(d.source, "in_force_from", f"in force from {d.in_force_from} is before its adoption on {d.adopted}; check the dates (retroactive force is rare)", "warning"))
        if not d.url and d.register is None:  # a register identifier says where the text is
            out.append(_p(d.source, "url", f"document '{d.id}' has no source URL; readers cannot check it", "warning"))
        if d.legislature and d.legislature not in legislatures:
            out.append(_p(d.source, "legislature", f"unknown legislature '{d.legislature}'{suggest(d.legislature, legislatures)}; legislatures are listed under country"))
        if d.chamber and d.chamber not in chambers:
            out.append(_p(d.source, "chamber", f"unknown chamber '{d.chamber}'{suggest(d.chamber, chambers)}; chambers are listed under country.legislatures"))

    seen: dict[str, Source] = {}
    for f in evidence.findings:
        if f.id in seen:
            first = seen[f.id]
            out.append(_p(f.source, "id", f"duplicate finding id '{f.id}' (first defined at {first.path}:{first.line})"))
        else:
            seen[f.id] = f.source
        doc = evidence.documents.get(f.document) if f.document else None
        if f.document and doc is None:
            out.append(_p(f.source, "document", f"unknown document '{f.document}'{suggest(f.document, evidence.documents)}; documents are listed under 'documents:' in this country's files"))
        elif doc is not None and doc.not_adopted_as_of is not None:
            out.append(_p(f.source, "document", f"document '{doc.id}' is recorded as not adopted yet (not_adopted_as_of: "
                                                f"{doc.not_adopted_as_of}): no finding can cite it; once it is adopted, give its "
                                                "dates in place of not_adopted_as_of"))
        found = criteria.get(f.criterion)
        if found is None:
            out.append(_p(f.source, "criterion", f"unknown criterion '{f.criterion}'{suggest(f.criterion, criteria)}; see `assess rubrics` for the criteria"))
        else:
            rubric, criterion = found
            if not f.not_applicable and f.level is not None and not rubric.min_level <= f.level <= rubric.max_level:
                out.append(_p(f.source, "level", f"level {f.level} is outside the scale {rubric.min_level}-{rubric.max_level} of rubric '{rubric.id}'"))
            tier = rubric.tier(criterion.tier)
            if doc is not None and tier is not None and doc.type not in tier.accepts:
                out.append(_p(f.source, "document", f"document '{doc.id}' is a '{doc.type}', which tier '{tier.id}' of rubric '{rubric.id}' does not accept (it accepts {', '.join(tier.accepts)})"))
        if f.document is None:
            if f.not_applicable or f.level == 0:
                if not f.reason:
                    what = "not applicable" if f.not_applicable else "level 0 with no document (nothing found)"
                    out.append(_p(f.source, "reason", f"a finding that says {what} needs a reason"))
            elif f.level is not None:  # an unreadable level is reported as such, once
                out.append(_p(f.source, "document", f"a finding at level {f.level} needs the document that supports it"))
        elif not f.locator:
            out.append(_p(f.source, "locator", "a finding that cites a document needs a locator (article, paragraph, item)"))
        if f.document is not None and f.not_applicable and not f.reason:
            out.append(_p(f.source, "reason", "a finding that says not applicable needs a reason"))
        if doc is not None and not f.quote and not f.not_applicable and f.level:
            out.append(_p(f.source, "quote", "no quote or paraphrase: readers cannot see what the provision says", "warning"))
        out.extend(_quote_and_check(f))
        if f.in_force_from and f.in_force_to and f.in_force_to < f.in_force_from:
            out.append(_p(f.source, "in_force_to", f"in force to {f.in_force_to} is before in force from {f.in_force_from}"))
        if doc is not None:
            if f.in_force_from and doc.in_force_to and f.in_force_from > doc.in_force_to:
                out.append(_p(f.source, "in_force_from", f"the provision enters into force on {f.in_force_from}, after its document lost force on {doc.in_force_to}", "warning"))
        if f.legislature and f.legislature not in legislatures:
            out.append(_p(f.source, "legislature", f"unknown legislature '{f.legislature}'{suggest(f.legislature, legislatures)}"))
        never = _never_in_force(f, doc, evidence)
        if never:
            out.append(_p(f.source, never[0], never[1], "warning"))
    out.extend(_unreconciled(evidence))
    return out


def _quote_and_check(f) -> list[Problem]:
    """What a finding says about its quote and its check must agree: a
    paraphrase or the coder's translation is never verbatim, and a quote
    that calls itself a paraphrase is marked as one."""
    out = []
    says_paraphrase = bool(f.quote) and f.quote.strip().lower().startswith("paraphrase")
    kind = f.kind_of_quote
    if f.quote_kind == "verbatim" and says_paraphrase:
        out.append(_p(f.source, "quote_kind", f"finding '{f.id}' is marked quote_kind: verbatim, but its quote says it is a paraphrase; "
                                              "mark it quote_kind: paraphrase, or quote the text word for word"))
    elif f.quote_kind is None and says_paraphrase:
        out.append(_p(f.source, "quote", f"finding '{f.id}': the quote says it is a paraphrase; mark it quote_kind: paraphrase "
                                         "so that reports never show it in quotation marks", "warning"))
    if f.check is not None and f.check.verbatim and kind in ("paraphrase", "translation"):
        out.append(_p(f.source, "check", f"finding '{f.id}' is marked as a {kind} (quote_kind), so its check cannot say verbatim: true; "
                                         "set verbatim: false, or quote the publication word for word and mark it quote_kind: verbatim"))
    if f.check is not None and f.check.verbatim and not f.quote:
        out.append(_p(f.source, "check", f"finding '{f.id}': the check says the quote is verbatim, but the finding has no quote"))
    if f.check is not None and f.verified is False and f.check.backs and f.source.line_of("verified") != f.source.line:
        out.append(_p(f.source, "verified", f"finding '{f.id}' says verified: false, but its check record backs it "
                                            "(official publication, quote verbatim); remove verified: false", "warning"))
    return out


def _never_in_force(f, doc, evidence: CountryEvidence) -> tuple[str, str] | None:
    """The field and the message when a finding can never count because the
    things that bound it in time (its document, its provision, its legislature
    or its document's) leave no day between them; None if they do, or if
    another check already says so (dates that contradict each other, a
    provision after its document)."""
    if not (f.legislature or f.in_force_to or (doc is not None and doc.legislature)):
        return None  # a document alone, or a provision that only starts: the other checks cover those
    bounds, start, end = finding_window(f, doc, evidence)
    if not (start and end and end < start):
        return None
    opens = max((b for b in bounds if b[2]), key=lambda b: b[2])
    closes = min((b for b in bounds if b[3]), key=lambda b: b[3])
    if opens is closes or (opens[0], closes[0]) == ("provision", "document"):
        return None

    def name(b):
        return "the provision" if b[0] == "provision" else f"{b[0]} '{b[1]}'"

    verb = "ended" if closes[0] == "legislature" else "lost force"
    # the finding's own field that brings in a clashing bound: its legislature, else its document
    own_legislature = f.legislature and ("legislature", f.legislature) in {b[:2] for b in (opens, closes)}
    field = "legislature" if own_legislature else "document" if doc is not None else "in_force_from"
    return field, (f"finding '{f.id}' can never count: {name(opens)} starts on {opens[2]}, but {name(closes)} {verb} on {closes[3]}; "
                   "check the dates and the legislature")


def _unreconciled(evidence: CountryEvidence) -> list[Problem]:
    """Coders who gave one document different levels for one criterion, with no reconciled finding."""
    reconciled = {f.criterion for f in evidence.findings if f.reconciled}
    groups: dict[tuple, list] = {}
    for f in evidence.findings:
        if f.coder and f.document and not f.not_applicable and f.criterion not in reconciled:
            groups.setdefault((f.criterion, f.document), []).append(f)
    out = []
    for (criterion, document), items in sorted(groups.items()):
        if len({f.coder for f in items}) > 1 and len({f.level for f in items}) > 1:
            last = items[-1]
            views = ", ".join(f"{f.coder}: {f.level} ({f.id})" for f in items)
            out.append(_p(last.source, "level", f"coders disagree on {criterion} in {document} ({views}) and no finding is reconciled; `assess agreement` lists them", "warning"))
    return out
