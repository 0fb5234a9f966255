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

from ..common.messages import say
from ..data.load import Loaded, printable, suggest
from ..data.model import CountryEvidence, Problem, Source, says_paraphrase
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


def _user_ranges():
    """USER_RANGES_TEXT as a catalogue message (the ranges are data)."""
    return say("p_user_ranges", ranges=", ".join(f"{lo}-{hi}" for lo, hi in USER_ASSIGNED))


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
        # the name said in the message's language (catalogue p_user_code_name_<code>)
        return say("p_code_user_known", code=code, span=span, name=say(f"p_user_code_name_{code.lower()}"))
    return say("p_code_user_assigned", code=code, span=span)


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
                say("p_confidence_required", id=f.id, rubric=rubric.id, choices=", ".join(CONFIDENCE)))))
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
            out.append(_p(src, "traced_from", say("p_no_such_tier", tier=t.tier, hint=suggest(t.tier, sorted(tiers)),
                                                  choices=", ".join(sorted(tiers)))))
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
                               say("p_criterion_missing_languages", id=c.id, langs="/".join(missing)), "warning"))
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
            out.append(_p(country.source, "iso3", say("p_iso3_not_folder", code=country.iso3, folder=folder_code)))
        note = country_code_note(country.iso3)
        if note:
            out.append(_p(country.source, "iso3", note, "warning"))
        elif country.iso3 not in codes:
            hint = suggest(country.iso3.upper(), codes) if country.iso3.upper() not in codes else say("p_write_in_capitals", code=country.iso3.upper())
            out.append(_p(country.source, "iso3", say("p_not_iso3", code=country.iso3, hint=hint, ranges=_user_ranges())))
    legislatures = {x.id for x in country.legislatures}
    chambers = {c.id for x in country.legislatures for c in x.chambers}
    for leg in country.legislatures:
        if leg.start and leg.end and leg.end < leg.start:
            out.append(_p(country.source, "legislatures", say("p_legislature_ends_before", id=leg.id, end=str(leg.end), start=str(leg.start))))
        for ch in leg.chambers:
            if ch.start and ch.end and ch.end < ch.start:
                out.append(_p(country.source, "chambers", say("p_chamber_ends_before", id=ch.id, end=str(ch.end), start=str(ch.start))))

    for d in evidence.documents.values():
        if d.type is not None and d.type not in document_types:  # a missing type is reported by the loader
            out.append(_p(d.source, "type", say("p_unknown_doctype", type=d.type, hint=suggest(d.type, document_types))))
        if d.in_force_from and d.in_force_to and d.in_force_to < d.in_force_from:
            out.append(_p(d.source, "in_force_to", say("p_in_force_to_before_from", end=str(d.in_force_to), start=str(d.in_force_from))))
        if d.adopted and d.in_force_from and d.in_force_from < d.adopted:
            out.append(_p(d.source, "in_force_from", say("p_in_force_before_adoption", start=str(d.in_force_from), adopted=str(d.adopted)), "warning"))
        if not d.url and d.register is None:  # a register identifier says where the text is
            out.append(_p(d.source, "url", say("p_no_source_url", id=d.id), "warning"))
        if d.legislature and d.legislature not in legislatures:
            out.append(_p(d.source, "legislature", say("p_unknown_legislature_listed", id=d.legislature, hint=suggest(d.legislature, legislatures))))
        if d.chamber and d.chamber not in chambers:
            out.append(_p(d.source, "chamber", say("p_unknown_chamber", id=d.chamber, hint=suggest(d.chamber, chambers))))

    seen: dict[str, Source] = {}
    # per criterion: its rubric's lowest and highest level, and its tier (two
    # properties and a search, worked out again for every finding otherwise)
    scales: dict[str, tuple[int, int]] = {}
    tiers: dict[str, object] = {}
    for f in evidence.findings:
        if f.id in seen:
            first = seen[f.id]
            out.append(_p(f.source, "id", say("p_duplicate_finding", id=f.id, where=f"{first.path}:{first.line}")))
        else:
            seen[f.id] = f.source
        doc = evidence.documents.get(f.document) if f.document else None
        if f.document and doc is None:
            out.append(_p(f.source, "document", say("p_unknown_document", id=f.document, hint=suggest(f.document, evidence.documents))))
        elif doc is not None and doc.not_adopted_as_of is not None:
            out.append(_p(f.source, "document", say("p_cites_not_adopted", id=doc.id, date=str(doc.not_adopted_as_of))))
        found = criteria.get(f.criterion)
        if found is None:
            out.append(_p(f.source, "criterion", say("p_unknown_criterion", id=f.criterion, hint=suggest(f.criterion, criteria))))
        else:
            rubric, criterion = found
            if not f.not_applicable and f.level is not None:
                bounds = scales.get(f.criterion)
                if bounds is None:
                    bounds = scales[f.criterion] = (rubric.min_level, rubric.max_level)
                low, high = bounds
                if not low <= f.level <= high:
                    out.append(_p(f.source, "level", say("p_level_outside_scale", level=f.level, low=low, high=high, rubric=rubric.id)))
            if f.criterion in tiers:
                tier = tiers[f.criterion]
            else:
                tier = tiers[f.criterion] = rubric.tier(criterion.tier)
            if doc is not None and tier is not None and doc.type not in tier.accepts:
                out.append(_p(f.source, "document", say("p_tier_does_not_accept", id=doc.id, type=doc.type, tier=tier.id, rubric=rubric.id,
                                                    accepts=", ".join(tier.accepts))))
        if f.document is None:
            if f.not_applicable or f.level == 0:
                if not f.reason:
                    what = say("p_says_not_applicable") if f.not_applicable else say("p_says_level_0")
                    out.append(_p(f.source, "reason", say("p_needs_reason", what=what)))
            elif f.level is not None:  # an unreadable level is reported as such, once
                out.append(_p(f.source, "document", say("p_needs_document", level=f.level)))
        elif not f.locator:
            out.append(_p(f.source, "locator", say("p_needs_locator")))
        if f.document is not None and f.not_applicable and not f.reason:
            out.append(_p(f.source, "reason", say("p_needs_reason", what=say("p_says_not_applicable"))))
        if doc is not None and not f.quote and not f.not_applicable and f.level:
            out.append(_p(f.source, "quote", say("p_no_quote"), "warning"))
        out.extend(_quote_and_check(f))
        if f.in_force_from and f.in_force_to and f.in_force_to < f.in_force_from:
            out.append(_p(f.source, "in_force_to", say("p_in_force_to_before_from", end=str(f.in_force_to), start=str(f.in_force_from))))
        if doc is not None:
            if f.in_force_from and doc.in_force_to and f.in_force_from > doc.in_force_to:
                out.append(_p(f.source, "in_force_from", say("p_provision_after_document", start=str(f.in_force_from), end=str(doc.in_force_to)), "warning"))
        if f.legislature and f.legislature not in legislatures:
            out.append(_p(f.source, "legislature", say("p_unknown_legislature", id=f.legislature, hint=suggest(f.legislature, legislatures))))
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
    paraphrased = bool(f.quote) and says_paraphrase(f.quote)
    if f.quote_kind == "verbatim" and paraphrased:
        out.append(_p(f.source, "quote_kind", say("p_verbatim_but_paraphrase", id=f.id)))
    elif f.quote_kind is None and paraphrased:
        out.append(_p(f.source, "quote", say("p_quote_says_paraphrase", id=f.id), "warning"))
    if f.check is not None and f.check.verbatim and (kind := f.kind_of_quote) in ("paraphrase", "translation"):
        out.append(_p(f.source, "check", say("p_check_verbatim_but_kind", id=f.id, kind=kind)))
    if f.check is not None and f.check.verbatim and not f.quote:
        out.append(_p(f.source, "check", say("p_check_verbatim_no_quote", id=f.id)))
    if f.check is not None and f.verified is False and f.check.backs and f.source.line_of("verified") != f.source.line:
        out.append(_p(f.source, "verified", say("p_verified_false_but_backed", id=f.id), "warning"))
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

    # each bound in a phrase of its own: "document 'x' starts on D", "legislature 'y' ended on D"
    opening = say(f"p_bound_{opens[0]}_starts", id=opens[1], date=str(opens[2]))
    closing = say(f"p_bound_{closes[0]}_ends", id=closes[1], date=str(closes[3]))
    # the finding's own field that brings in a clashing bound: its legislature, else its document
    own_legislature = f.legislature and ("legislature", f.legislature) in {b[:2] for b in (opens, closes)}
    field = "legislature" if own_legislature else "document" if doc is not None else "in_force_from"
    return field, say("p_never_counts", id=f.id, opens=opening, closes=closing)


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
            out.append(_p(last.source, "level", say("p_coders_disagree", criterion=criterion, document=document, views=views), "warning"))
    return out
