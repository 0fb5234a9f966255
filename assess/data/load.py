"""Files -> model objects.

Each loader checks the shape of what it reads (known keys, required fields,
types, real dates) and records every problem with its file and line, so a file
with five mistakes is reported once with five lines. Records too broken to
use are left out of the model; cross-record checks (references, duplicates,
date order) live in validate.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..common import files, gcpause
from . import yamlio
from .model import (
    CHECK_METHODS,
    CONFIDENCE,
    QUOTE_KINDS,
    QuoteCheck,
    Check,
    DATE_FIELDS,
    LANGUAGES,
    NOT_APPLICABLE,
    Band,
    Chamber,
    Country,
    CountryEvidence,
    Criterion,
    Document,
    DocumentType,
    Finding,
    Legislature,
    Problem,
    RegisterId,
    Rubric,
    Rule,
    ScaleLevel,
    Source,
    Text,
    Tier,
    Traced,
)
from .quotes import script_lang
from ..common.messages import Said, say
from ..common.terminal import visible
from .workspace import Workspace

# Ids name files (baselines/<rubric>.json, reports, sources/<document>.<lang>.txt),
# so every id allowed is a valid file name on Linux, macOS and Windows: short,
# lower-case ASCII, and none of the names Windows reserves for devices (con, nul,
# com1..., with or without an extension).
MAX_ID_LENGTH = 64
WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)", re.IGNORECASE)
ID_PATTERN = re.compile(r"^(?!(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$))[a-z0-9][a-z0-9._-]{0,%d}$" % (MAX_ID_LENGTH - 1))
ISO3_PATTERN = re.compile(r"^[A-Z]{3}$")
YAML_SUFFIXES = (".yaml", ".yml")


# ---------------------------------------------------------------- field specs


@dataclass(frozen=True)
class Spec:
    kind: str  # str | id | text | date | number | int | bool | level | list | strlist | map | version | any
    required: bool = False


_PLAIN_NUMBER = re.compile(r"^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")


def id_problem(value: str) -> str:
    """Why `value` is not a valid id (ID_PATTERN does not match it): too long
    (ids become file names), a name Windows reserves for a device, or
    characters an id may not hold.

    Returns: `str`, the message.
    Raises: nothing.

    Example:
        >>> id_problem("Bad Id")
        "'Bad Id' is not a valid id: use lower-case letters, digits, '-', '_' and '.', starting with a letter or digit"
    """
    if len(value) > MAX_ID_LENGTH:
        return say("p_id_too_long", start=value[:20], n=len(value), max=MAX_ID_LENGTH)
    if WINDOWS_RESERVED.match(value):
        return say("p_id_windows_reserved", value=value, device=value.split('.')[0].upper())
    return say("p_id_invalid", value=value)


def printable(text: str) -> str:
    r"""A message safe to print on one terminal line: control characters and
    bidirectional overrides from the input (a NUL or an escape sequence in a
    quoted YAML string) are shown as escapes (\x1b, <U+202E>) instead of
    being written raw (textout.visible).

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> printable("a\x1bb")
        'a\\x1bb'
    """
    if isinstance(text, Said):  # a catalogue message: its values are the input's words
        return text.mapped(lambda v: visible(v, lines=False))
    return visible(text, lines=False)


def suggest(word: str, choices: Iterable[str]) -> str:
    """A hint naming the choice closest to `word` (difflib, cutoff 0.6), to end a
    message with; empty when none is close.

    Returns: `str` (" (did you mean '...'?)" or "").
    Raises: nothing.

    Example:
        >>> suggest("lwas", ["laws", "concept"])
        " (did you mean 'laws'?)"
    """
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return say("p_did_you_mean", word=close[0]) if close else ""


def _taken_as_is(cls: type, kind: str) -> bool:
    """Whether a value of this class is, for a field of this kind, what convert() would return
    unchanged (a whole number for a level or int, a bool, a date): both record readers' fast case."""
    return cls is int and (kind == "level" or kind == "int") or cls is bool and kind == "bool" or cls is dt.date and kind == "date"


class RecordReader:
    """Checks records of one YAML file against field specs and converts values."""

    def __init__(self, doc: yamlio.YamlDoc, problems: list[Problem]):
        self.doc = doc
        self.problems = problems
        self.last_complete = True  # whether the last record() had every required field

    def problem(self, keypath: tuple, field_name: str, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.doc.path, self.doc.line(keypath), printable(field_name), printable(message), severity))

    def source(self, keypath: tuple, record: dict) -> Source:
        entry = self.doc.key_lines.get(id(record))
        if entry is not None and entry[1] is record and entry[0] == keypath and entry[2].keys() == record.keys():
            # the mapping read at `keypath`, as read: the builder's lines of its keys, in its order
            # (shared, not copied: neither a Source nor the document changes them)
            lines = entry[2]
        else:
            lines = {k: self.doc.lines[keypath + (k,)] for k in record if keypath + (k,) in self.doc.lines}
        return Source(self.doc.path, self.doc.line(keypath), lines)

    def record(self, data: Any, keypath: tuple, spec: dict[str, Spec], what: str, partial: bool = False) -> dict | None:
        """Returns the converted fields, or None when a required field is unusable
        (with `partial`, the fields that could be read, so checking can go on).
        `what` names the record in messages: a catalogue key (p_what_*), said
        only when a problem is reported, or a caller's own text."""
        if data.__class__ is dict and not (self.doc.bad_scalars or self.doc.numbers):
            plan = _FAST_PLANS.get(id(spec))
            if plan is not None and plan.spec is spec and len(plan.template) == len(spec):
                out = self.record_fast(data, keypath, plan)
                if out is not None:
                    self.last_complete = True
                    return out
        return self.record_general(data, keypath, spec, what, partial)

    def record_fast(self, data: dict, keypath: tuple, plan: "_FastPlan") -> dict | None:
        """record() of a well-formed record: walks the fields present (a record
        names a few of its spec's twenty), not every field of the spec. None,
        having reported nothing, as soon as anything is unusual (an unknown
        field, a value that is not of its kind's common form, a required field
        missing, a text's language the reports do not have): record_general
        then reads the record and reports its problems in its own order.
        tests/test_record_fast.py compares the two on every record read."""
        kinds = plan.kinds
        out = plan.template.copy()  # every field None, in the spec's order (as record_general gives them)
        for key, value in data.items():
            kind = kinds.get(key)
            if kind is None:
                return None  # an unknown field
            if value is None:
                continue
            cls = value.__class__
            if cls is str:
                if kind == "str":
                    out[key] = value.strip()
                    continue
                if kind == "id":
                    if not ID_PATTERN.match(value):
                        return None
                    out[key] = value
                    continue
                if kind == "text":
                    value = value.strip()
                    if not value:
                        return None
                    out[key] = Text({"en": value})
                    continue
            elif cls is dict:
                if kind == "text":  # {en: ..., ru: ...}: every language one of the reports', English among them
                    values = {}
                    for lang, text in value.items():
                        if lang not in _LANGUAGE_SET or text.__class__ is not str:
                            return None
                        values[lang] = text.strip()
                    if "en" not in values:
                        return None
                    out[key] = Text(values)
                    continue
                if kind == "versions":  # {ru: ..., kk: ...}: non-empty texts in the reports' languages
                    if not value:
                        return None
                    values = {}
                    for lang, text in value.items():
                        if lang not in _LANGUAGE_SET or text.__class__ is not str:
                            return None
                        text = text.strip()
                        if not text:
                            return None
                        values[lang] = text
                    out[key] = values
                    continue
            elif _taken_as_is(cls, kind):
                out[key] = value
                continue
            if kind == "text" or kind == "versions":
                return None  # their readers report problems of their own: record_general's order
            value, error = self.convert(value, kind, keypath + (key,))  # reports nothing itself for the other kinds
            if error:
                return None
            out[key] = value
        for name in plan.required:
            if out[name] is None:
                return None
        return out

    def record_general(self, data: Any, keypath: tuple, spec: dict[str, Spec], what: str, partial: bool = False) -> dict | None:
        """record() of any record, field by field of the spec, reporting every problem."""
        if not isinstance(data, dict):
            self.problem(keypath, _name(keypath), say("p_expected_mapping", what=_what(what), got=_kind(data)))
            return None
        out: dict[str, Any] = {}
        usable = True
        misspelt = set()
        for key in data:
            if key not in spec:
                hint = suggest(key, spec)
                self.problem(keypath + (key,), str(key), say("p_unknown_field", what=_what(what), hint=hint))
                if hint:
                    misspelt.add(hint.split("'")[1])
        # an unreadable date, or a number not in plain digits (010, 0x3), must go through convert() for its message
        fast = not (self.doc.bad_scalars or self.doc.numbers)
        for name, s in spec.items():
            value = data.get(name)
            if value is None:
                if s.required:
                    if name not in misspelt:  # a typo'd key is one mistake, reported once
                        self.problem(keypath, name, say("p_required_missing", what=_what(what)))
                    usable = False
                out[name] = None
                continue
            if fast:  # the common well-formed values, exactly as convert() gives them
                kind, cls = s.kind, value.__class__
                if cls is str:
                    if kind == "str":
                        out[name] = value.strip()
                        continue
                    if kind == "id" and ID_PATTERN.match(value):
                        out[name] = value
                        continue
                elif _taken_as_is(cls, kind):
                    out[name] = value
                    continue
            value, error = self.convert(value, s.kind, keypath + (name,))
            if error:
                self.problem(keypath + (name,), name, error)
                if s.required:
                    usable = False
                value = None
            out[name] = value
        self.last_complete = usable
        return out if usable or partial else None

    def convert(self, value: Any, kind: str, keypath: tuple) -> tuple[Any, str | None]:
        typed = self.doc.numbers.get(keypath)  # a number as it was typed, when YAML reads it otherwise
        if kind == "str":
            if typed is not None:
                return typed.strip(), None  # number: 010 stays '010', not 8
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                return None, say("p_expected_text", got=_kind(value))
            return str(value).strip(), None
        if kind == "id":
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                return None, say("p_expected_id", got=_kind(value))
            if typed is not None:
                return None, say("p_id_reads_as_number", typed=typed, value=value)
            value = str(value)
            if not ID_PATTERN.match(value):
                return None, id_problem(value)
            return value, None
        if kind == "text":
            return self.text(value, keypath)
        if kind == "versions":
            return self.versions(value, keypath)
        if kind == "date":
            if keypath in self.doc.bad_scalars:
                return None, say("p_not_a_real_date", value=self.doc.bad_scalars[keypath])
            if isinstance(value, dt.datetime):
                return value.date(), None
            if isinstance(value, dt.date):
                return value, None
            return None, say("p_expected_date", got=_show(value))
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return None, say("p_expected_number", got=_show(value))
            if typed is not None and not _PLAIN_NUMBER.match(typed):
                return None, say("p_expected_plain_number", typed=typed)
            if value < 0:
                return None, say("p_expected_nonnegative", value=value)
            return float(value), None
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                return None, say("p_expected_whole", got=_show(value))
            if typed is not None:
                return None, say("p_expected_whole_plain", typed=typed, value=value)
            return value, None
        if kind == "bool":
            if not isinstance(value, bool):
                return None, say("p_expected_bool", got=_show(value))
            return value, None
        if kind == "level":
            if isinstance(value, str) and value.strip().lower() in (NOT_APPLICABLE, "na", "n.a."):
                return NOT_APPLICABLE, None
            if isinstance(value, bool) or not isinstance(value, int):
                return None, say("p_expected_level", got=_show(value))
            if typed is not None:
                return None, say("p_expected_level_plain", typed=typed, value=value)
            return value, None
        if kind == "version":
            if not isinstance(value, str) or not re.match(r"^\d+\.\d+\.\d+([-+].+)?$", value):
                return None, say("p_expected_version", got=_show(value))
            return value, None
        if kind == "list":
            if not isinstance(value, list):
                return None, say("p_expected_list", got=_kind(value))
            return value, None
        if kind == "strlist":
            if isinstance(value, str):
                return [value], None
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return None, say("p_expected_text_list", got=_kind(value))
            return value, None
        if kind in ("any", "datemap", "fieldlist", "check", "register", "quotecheck"):  # checked by their own readers (_traced, _approximate, _check, _register_id, _quotes_check)
            return value, None
        if kind == "map":
            if not isinstance(value, dict):
                return None, say("p_expected_map", got=_kind(value))
            return value, None
        raise AssertionError(kind)  # pragma: no cover - a spec typo

    def text(self, value: Any, keypath: tuple) -> tuple[Text | None, str | None]:
        if isinstance(value, str):
            return (Text({"en": value.strip()}), None) if value.strip() else (None, say("p_expected_nonempty_text"))
        if not isinstance(value, dict) or not value:
            return None, say("p_expected_text_or_languages", languages=", ".join(LANGUAGES), got=_kind(value))
        values = {}
        for lang, text in value.items():
            if lang not in LANGUAGES:
                self.problem(keypath + (lang,), str(lang), say("p_unknown_language", hint=suggest(lang, LANGUAGES), languages=", ".join(LANGUAGES)), "warning")
            if not isinstance(text, str):
                return None, say("p_lang_text_not_text", lang=lang, got=_kind(text))
            values[str(lang)] = text.strip()
        if "en" not in values:
            self.problem(keypath, _name(keypath), say("p_no_english_text"), "warning")
        return Text(values), None


    def versions(self, value: Any, keypath: tuple) -> tuple[dict | None, str | None]:
        """A finding's further language versions of its quote, `quotes: {ru: ..., kk: ...}`:
        a mapping of the reports' languages to non-empty texts (no English needed)."""
        if not isinstance(value, dict) or not value:
            return None, say("p_expected_quote_versions", languages=", ".join(LANGUAGES), got=_kind(value))
        values = {}
        for lang, text in value.items():
            if lang not in LANGUAGES:
                self.problem(keypath + (lang,), str(lang), say("p_unknown_language", hint=suggest(str(lang), LANGUAGES), languages=", ".join(LANGUAGES)))
                continue
            if not isinstance(text, str) or not text.strip():
                self.problem(keypath + (lang,), str(lang), say("p_expected_quote_in_lang", lang=lang, got=_kind(text)))
                continue
            values[str(lang)] = text.strip()
        return values or None, None


def _name(keypath: tuple) -> str:
    for k in reversed(keypath):
        if isinstance(k, str):
            return k
    return ""


_KINDS = {dict: "p_kind_mapping", list: "p_kind_list", str: "p_kind_text", bool: "p_kind_bool", int: "p_kind_number",
          float: "p_kind_number"}


def _kind(value: Any) -> str:
    if value is None:
        return say("p_kind_nothing")
    key = _KINDS.get(type(value))
    return say(key) if key else type(value).__name__


def _what(what: str) -> str:
    """What a record is, said in a message: `what` is a catalogue key (p_what_*),
    said only when there is a problem to report, or plain text from a caller
    that names its records itself."""
    return say(what) if what.startswith(("p_what_", "e_what_")) else what


def _one_of(value: str, choices: Iterable[str], word: str | None = None) -> Said:
    """ "expected one of a, b, c, got 'x' (did you mean 'a'?)": `word` is the
    form of `value` compared with the choices (lower-cased), when not `value`."""
    choices = tuple(choices)
    return say("p_expected_one_of", choices=", ".join(choices), value=value,
               hint=suggest(value if word is None else word, choices))


def _or(names) -> str:
    """Names as alternatives in a message: 'country, documents or findings'
    (the names stay as they are; the 'or' is said in the message's language)."""
    names = [str(n) for n in names]
    return names[0] if len(names) == 1 else say("p_or", first=", ".join(names[:-1]), last=names[-1])


def _either(names) -> str:
    """Names as alternatives, each joined by 'or': 'adopted or observed or in_force_from'."""
    out = str(names[0])
    for n in names[1:]:
        out = say("p_or", first=out, last=str(n))
    return out


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    return _kind(value) if isinstance(value, (dict, list)) or value is None else f"{value!r}"


def read_yaml(path: str, problems: list[Problem]) -> yamlio.YamlDoc | None:
    """The YAML file at `path` read (yamlio.load), or None with a problem (file,
    line where known, message) added to `problems` when it cannot be read as
    YAML at all.

    Returns: `yamlio.YamlDoc` or None.
    Raises: nothing (problems go to the list).

    Example:
        >>> problems = []
        >>> doc = read_yaml("evidence/KAZ/country.yaml", problems)
    """
    try:
        return yamlio.load(path)
    except yamlio.YamlError as exc:
        problems.append(Problem(path, exc.line, "", exc.message))
        return None


def report_duplicate_keys(doc: yamlio.YamlDoc, problems: list[Problem]) -> None:
    """Adds to `problems` one problem per key that appears twice in the same
    mapping of the document (with its line), since the second would silently
    win.

    Returns: None.
    Raises: nothing.

    Example:
        >>> report_duplicate_keys(read_yaml("evidence/KAZ/laws.yaml", problems), problems)
    """
    for keypath, line in doc.duplicate_keys:
        problems.append(Problem(doc.path, line, printable(_name(keypath)), say("p_duplicate_key")))


# ---------------------------------------------------------------- rubrics

DOCUMENT_TYPES_FILE = "document-types.yaml"
REGISTERS_FILE = "registers.yaml"  # the official registers of texts (assess.sources.registers)

RUBRIC_SPEC = {
    "id": Spec("id", True),
    "version": Spec("version", True),
    "title": Spec("text", True),
    "description": Spec("text"),
    "source": Spec("strlist"),
    "scale": Spec("list", True),
    "scoring": Spec("map"),
    "tiers": Spec("list", True),
    "default": Spec("bool"),
}
SCALE_SPEC = {"level": Spec("int", True), "label": Spec("text", True), "descriptor": Spec("text")}
SCORING_SPEC = {"rule": Spec("any"), "unverified": Spec("str"), "bands": Spec("list"), "disagreement": Spec("str"),
                "band_min_coverage": Spec("number"), "before_first_finding": Spec("any"),
                "require_confidence": Spec("bool"), "uncertainty": Spec("map")}
UNCERTAINTY_SPEC = {"unassessed": Spec("any"), "findings": Spec("strlist")}
UNCERTAIN_FINDINGS = ("unverified", "low-confidence", "medium-confidence")
DISAGREEMENT_RULES = ("lowest", "median", "highest")
BAND_SPEC = {"min": Spec("number", True), "label": Spec("text", True)}
TIER_SPEC = {
    "id": Spec("id", True),
    "title": Spec("text", True),
    "weight": Spec("number"),
    "accepts": Spec("strlist", True),
    "criteria": Spec("list", True),
}
CRITERION_SPEC = {
    "id": Spec("id", True),
    "title": Spec("text", True),
    "question": Spec("text", True),
    "levels": Spec("map", True),
    "weight": Spec("number"),
    "recommendation": Spec("text"),
    "rule": Spec("any"),
    "terms": Spec("strlist"),
}
RULE_SPEC = {"type": Spec("str"), "window": Spec("str"), "min_level": Spec("int"), "thresholds": Spec("map")}
RULE_TYPES = ("highest", "distinct-documents")
RULE_WINDOWS = ("in-force", "to-date")
UNVERIFIED_POLICIES = ("count", "exclude")
DOCTYPE_SPEC = {"id": Spec("id", True), "title": Spec("text", True)}


def load_document_types(path: str, problems: list[Problem]) -> dict[str, DocumentType]:
    """The document types defined in the file at `path` (criteria/
    document-types.yaml), by id. Problems (unreadable YAML, duplicate keys,
    records with wrong or missing fields, an id defined twice) are added to
    `problems`; a record with errors is left out.

    Returns: `dict[str, DocumentType]` (empty when the file cannot be read).
    Raises: nothing (problems go to the list).

    Example:
        >>> problems = []
        >>> list(load_document_types("criteria/document-types.yaml", problems))[:2]
        ['constitution', 'constitutional-amendment']
    """
    doc = read_yaml(path, problems)
    if doc is None:
        return {}
    report_duplicate_keys(doc, problems)
    reader = RecordReader(doc, problems)
    top = reader.record(doc.data, (), {"document_types": Spec("list", True)}, "p_what_doctype_list")
    out: dict[str, DocumentType] = {}
    for i, item in enumerate((top or {}).get("document_types") or []):
        rec = reader.record(item, ("document_types", i), DOCTYPE_SPEC, "p_what_doctype")
        if rec is None:
            continue
        if rec["id"] in out:
            reader.problem(("document_types", i, "id"), "id", say("p_doctype_twice", id=rec["id"]))
            continue
        out[rec["id"]] = DocumentType(rec["id"], rec["title"])
    return out


def load_rubric(path: str, problems: list[Problem], document_types: dict[str, DocumentType] | None = None) -> Rubric | None:
    """Reads one rubric file, appending every problem found to `problems`.

    Returns: `Rubric`, or None if it is too broken to score with.
    Raises: nothing for a bad file (its problems are recorded).

    Example:
        >>> problems = []
        >>> rubric = load_rubric("criteria/four-tier.yaml", problems)
    """
    doc = read_yaml(path, problems)
    if doc is None:
        return None
    report_duplicate_keys(doc, problems)
    before = len([p for p in problems if p.severity == "error"])
    reader = RecordReader(doc, problems)
    top = reader.record(doc.data, (), RUBRIC_SPEC, "p_what_rubric", partial=True)
    if top is None:
        return None

    scale: list[ScaleLevel] = []
    for i, item in enumerate(top["scale"] or []):
        rec = reader.record(item, ("scale", i), SCALE_SPEC, "p_what_scale_level")
        if rec:
            scale.append(ScaleLevel(rec["level"], rec["label"], rec["descriptor"] or rec["label"]))
    levels = sorted(s.level for s in scale)
    if not levels:
        reader.problem(("scale",), "scale", say("p_scale_too_short"))
    elif levels != list(range(levels[0], levels[0] + len(levels))) or levels[0] != 0 or len(levels) < 2:
        reader.problem(("scale",), "scale", say("p_scale_levels", levels=str(levels)))

    scoring = reader.record(top["scoring"] or {}, ("scoring",), SCORING_SPEC, "p_what_scoring") or {}
    default_rule = _rule(reader, scoring.get("rule"), ("scoring", "rule"), Rule(), max(levels, default=0))
    unverified = scoring.get("unverified") or "count"
    if unverified not in UNVERIFIED_POLICIES:
        reader.problem(("scoring", "unverified"), "unverified", _one_of(unverified, UNVERIFIED_POLICIES))
    disagreement = scoring.get("disagreement") or "lowest"
    if disagreement not in DISAGREEMENT_RULES:
        reader.problem(("scoring", "disagreement"), "disagreement", _one_of(disagreement, DISAGREEMENT_RULES))
    if scoring.get("before_first_finding") is not None:
        # it called a criterion absent from the first document of the evidence on,
        # whether or not the documents in force then had been read
        reader.problem(("scoring", "before_first_finding"), "before_first_finding",
                       say("p_before_first_finding_gone"))
    prior, uncertain = _uncertainty(reader, scoring.get("uncertainty"), levels)
    min_coverage = scoring.get("band_min_coverage")
    if min_coverage is None:
        min_coverage = 0.0
    elif isinstance(min_coverage, bool) or not isinstance(min_coverage, (int, float)) or not 0 <= min_coverage <= 1:
        reader.problem(("scoring", "band_min_coverage"), "band_min_coverage", say("p_expected_share", value=repr(min_coverage)))
        min_coverage = 0.0
    bands = []
    for i, item in enumerate(scoring.get("bands") or []):
        rec = reader.record(item, ("scoring", "bands", i), BAND_SPEC, "p_what_band")
        if rec:
            if rec["min"] > 100:
                reader.problem(("scoring", "bands", i, "min"), "min", say("p_band_min_range", value=f"{rec['min']:g}"))
            bands.append(Band(rec["min"], rec["label"]))

    tiers: list[Tier] = []
    seen_criteria: dict[str, int] = {}
    seen_tiers: set[str] = set()
    for ti, titem in enumerate(top["tiers"] or []):
        trec = reader.record(titem, ("tiers", ti), TIER_SPEC, "p_what_tier")
        if trec is None:
            continue
        if trec["id"] in seen_tiers:
            reader.problem(("tiers", ti, "id"), "id", say("p_tier_twice", id=trec["id"]))
        seen_tiers.add(trec["id"])
        for ai, accepted in enumerate(trec["accepts"]):
            if document_types is not None and accepted not in document_types:
                reader.problem(("tiers", ti, "accepts", ai), "accepts", say("p_unknown_doctype", type=accepted, hint=suggest(accepted, document_types)))
        criteria = []
        for ci, citem in enumerate(trec["criteria"] or []):
            kp = ("tiers", ti, "criteria", ci)
            crec = reader.record(citem, kp, CRITERION_SPEC, "p_what_criterion")
            if crec is None:
                continue
            if crec["id"] in seen_criteria:
                reader.problem(kp + ("id",), "id", say("p_criterion_twice", id=crec["id"], line=seen_criteria[crec["id"]]))
                continue
            seen_criteria[crec["id"]] = doc.line(kp + ("id",)) or 0
            level_texts: dict[int, Text] = {}
            for key, value in (crec["levels"] or {}).items():
                if not isinstance(key, int) or key not in levels:
                    reader.problem(kp + ("levels", key), "levels", say("p_level_not_on_scale", level=repr(key), low=levels[0] if levels else 0,
                                                                       high=levels[-1] if levels else 0))
                    continue
                text, error = reader.text(value, kp + ("levels", key))
                if error:
                    reader.problem(kp + ("levels", key), "levels", error)
                else:
                    level_texts[key] = text
            missing = [lv for lv in levels if lv not in level_texts]
            if missing and not any(p.path == doc.path and p.field == "levels" for p in problems):
                reader.problem(kp + ("levels",), "levels", say("p_no_descriptor", levels=", ".join(map(str, missing))), "warning")
            rule = _rule(reader, crec["rule"], kp + ("rule",), default_rule, max(levels, default=0))
            criteria.append(
                Criterion(
                    id=crec["id"],
                    tier=trec["id"],
                    title=crec["title"],
                    question=crec["question"],
                    levels=level_texts,
                    weight=1.0 if crec["weight"] is None else crec["weight"],
                    recommendation=crec["recommendation"] or Text({"en": ""}),
                    rule=rule,
                    source=reader.source(kp, citem),
                    terms=tuple(t.strip() for t in (crec["terms"] or ()) if t.strip()),
                )
            )
        if not criteria:
            reader.problem(("tiers", ti, "criteria"), "criteria", say("p_tier_no_criteria"))
        tiers.append(
            Tier(
                id=trec["id"],
                title=trec["title"],
                weight=1.0 if trec["weight"] is None else trec["weight"],
                accepts=tuple(trec["accepts"]),
                criteria=tuple(criteria),
            )
        )
    if not tiers:
        reader.problem(("tiers",), "tiers", say("p_rubric_no_tiers"))
    if len([p for p in problems if p.severity == "error"]) > before:
        return None
    try:
        digest = hashlib.sha256(files.read_bytes(path)).hexdigest()
    except files.FileProblem as exc:  # pragma: no cover - it was just read
        problems.append(Problem(path, None, "", exc.message))
        return None
    return Rubric(
        id=top["id"],
        version=top["version"],
        title=top["title"],
        description=top["description"] or Text({"en": ""}),
        sources=tuple(top["source"] or ()),
        scale=tuple(sorted(scale, key=lambda s: s.level)),
        tiers=tuple(tiers),
        unverified=unverified,
        bands=tuple(bands),
        path=path,
        sha256=digest,
        default=bool(top["default"]),
        disagreement=disagreement,
        band_min_coverage=min_coverage,
        require_confidence=bool(scoring.get("require_confidence")),
        unassessed_prior=prior,
        uncertain_findings=uncertain,
    )


def _uncertainty(reader: RecordReader, data: Any, levels: list[int]) -> tuple[dict[int, float] | None, tuple[str, ...]]:
    """The rubric's `scoring.uncertainty`: a prior over the scale for unassessed
    criteria (default uniform) and the kinds of finding whose level is uncertain."""
    default = ("unverified", "low-confidence")
    if data is None:
        return None, default
    kp = ("scoring", "uncertainty")
    rec = reader.record(data, kp, UNCERTAINTY_SPEC, "p_what_uncertainty")
    if rec is None:
        return None, default
    prior = None
    raw = rec["unassessed"]
    if raw is not None and raw != "uniform":
        if not isinstance(raw, dict) or not raw:
            reader.problem(kp + ("unassessed",), "unassessed", say("p_expected_prior", got=_show(raw)))
        else:
            prior = {}
            for key, value in raw.items():
                if not isinstance(key, int) or isinstance(key, bool) or key not in levels:
                    reader.problem(kp + ("unassessed", key), "unassessed", say("p_level_not_on_scale", level=repr(key), low=levels[0] if levels else 0,
                                                                                   high=levels[-1] if levels else 0))
                elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                    reader.problem(kp + ("unassessed", key), "unassessed", say("p_expected_weight", got=_show(value)))
                else:
                    prior[key] = float(value)
            total = sum(prior.values())
            if prior and total <= 0:
                reader.problem(kp + ("unassessed",), "unassessed", say("p_weights_zero"))
            prior = {lv: w / total for lv, w in sorted(prior.items())} if total > 0 else None
    kinds = default
    if rec["findings"] is not None:
        kinds = []
        for i, kind in enumerate(rec["findings"]):
            if kind not in UNCERTAIN_FINDINGS:
                reader.problem(kp + ("findings", i), "findings", _one_of(kind, UNCERTAIN_FINDINGS))
            else:
                kinds.append(kind)
        kinds = tuple(kinds)
    return prior, kinds


def _rule(reader: RecordReader, data: Any, keypath: tuple, default: Rule, max_level: int) -> Rule:
    if data is None:
        return default
    if isinstance(data, str):  # shorthand: rule: highest
        data = {"type": data}
    rec = reader.record(data, keypath, RULE_SPEC, "p_what_rule")
    if rec is None:
        return default
    rtype = rec["type"] or default.type
    window = rec["window"] or default.window
    if rtype not in RULE_TYPES:
        reader.problem(keypath + ("type",), "type", say("p_unknown_rule", value=rtype, hint=suggest(rtype, RULE_TYPES), choices=", ".join(RULE_TYPES)))
        return default
    if window not in RULE_WINDOWS:
        reader.problem(keypath + ("window",), "window", say("p_unknown_window", value=window, hint=suggest(window, RULE_WINDOWS), choices=", ".join(RULE_WINDOWS)))
        return default
    thresholds: dict[int, int] = {}
    for key, value in (rec["thresholds"] or {}).items():
        if not isinstance(key, int) or not 0 < key <= max_level or isinstance(value, bool) or not isinstance(value, int) or value < 1:
            reader.problem(keypath + ("thresholds", key), "thresholds", say("p_expected_threshold", max=max_level, level=repr(key), value=repr(value)))
            continue
        thresholds[key] = value
    if rtype == "distinct-documents" and not thresholds:
        reader.problem(keypath, "thresholds", say("p_thresholds_needed", example="{1: 1, 2: 2, 3: 3}"))
    return Rule(type=rtype, window=window, min_level=rec["min_level"] if rec["min_level"] is not None else default.min_level, thresholds=thresholds)


def rubric_files(criteria_dir: str, problems: list[Problem] | None = None) -> list[str]:
    """The rubric files of the criteria folder: its .yaml/.yml files, sorted,
    except document-types.yaml, registers.yaml and hidden files (a folder that
    cannot be listed is a problem, when `problems` is given). Each is read
    with files.read_bytes, which names a folder, a pipe or a link loop posing
    as one.

    Returns: `list[str]` (paths; empty when the folder does not exist).
    Raises: nothing.

    Example:
        >>> rubric_files("criteria")
        ['criteria/four-tier.yaml', 'criteria/implementation.yaml']
    """
    if not os.path.isdir(criteria_dir):
        return []
    try:
        names = files.listdir(criteria_dir)
    except files.FileProblem as exc:
        if problems is not None:
            problems.append(Problem(criteria_dir, None, "", exc.message))
        return []
    return [os.path.join(criteria_dir, name) for name in names
            if name.endswith(YAML_SUFFIXES) and name not in (DOCUMENT_TYPES_FILE, REGISTERS_FILE) and not name.startswith(".")]


# ---------------------------------------------------------------- evidence

COUNTRY_SPEC = {"iso3": Spec("str", True), "name": Spec("text", True), "legislatures": Spec("list"),
                "traced_from": Spec("datemap"), "traced_to": Spec("datemap")}
LEGISLATURE_SPEC = {"id": Spec("id", True), "name": Spec("text", True), "from": Spec("date"), "to": Spec("date"), "chambers": Spec("list")}
CHAMBER_SPEC = {"id": Spec("id", True), "name": Spec("text", True), "from": Spec("date"), "to": Spec("date")}
DOCUMENT_SPEC = {
    "id": Spec("id", True),
    "type": Spec("str", True),
    "title": Spec("text", True),
    "number": Spec("str"),
    "adopted": Spec("date"),
    # required, unless the record is an observation (observed) or a document not
    # adopted yet (not_adopted_as_of): checked by _document_dates()
    "in_force_from": Spec("date"),
    "in_force_to": Spec("date"),
    "observed": Spec("date"),
    "not_adopted_as_of": Spec("date"),
    "edition": Spec("str"),
    "url": Spec("str"),
    "legislature": Spec("id"),
    "chamber": Spec("id"),
    "cited_in": Spec("str"),
    "note": Spec("str"),
    "confidence": Spec("str"),
    "approximate": Spec("fieldlist"),
    "register": Spec("register"),
    # the language(s) of the document's original text ([ru, kk]): quotes and titles in
    # these languages are the original; any other is a translation (assess.data.quotes)
    "lang": Spec("strlist"),
}
# a document's `register: {name, id, edition, lang}`: its identifier in an official register
REGISTER_ID_SPEC = {"name": Spec("id", True), "id": Spec("str", True), "edition": Spec("date"), "lang": Spec("strlist")}
FINDING_SPEC = {
    "id": Spec("id", True),
    "criterion": Spec("id", True),
    "document": Spec("id"),
    "locator": Spec("str"),
    "quote": Spec("str"),
    "quote_kind": Spec("str"),
    "quote_lang": Spec("str"),  # the language of `quote` (default: read from its script, assess.data.quotes.script_lang)
    "quotes": Spec("versions"),  # the quote in further languages: {ru: ..., kk: ..., en: ...}
    "quotes_check": Spec("quotecheck"),  # a check record of one further version: {lang, by, date, against, ...}
    "level": Spec("level", True),
    "verified": Spec("bool"),
    "check": Spec("check"),
    "coder": Spec("str"),
    "note": Spec("str"),
    "reason": Spec("str"),
    "in_force_from": Spec("date"),
    "in_force_to": Spec("date"),
    "legislature": Spec("id"),
    "reconciled": Spec("bool"),
    "confidence": Spec("str"),
}
# a finding's `check`: who checked it against which publication, when, and how it compares
CHECK_SPEC = {
    "by": Spec("str", True),
    "date": Spec("date", True),  # not "on": YAML 1.1 reads a bare on as true
    "against": Spec("str", True),
    "official": Spec("bool"),
    "verbatim": Spec("bool"),
    "method": Spec("str"),  # publication (a coder's check; the default) | source-text (assess verify --record)
    "edition": Spec("date"),  # the edition checked against: its date (assess sources fetch reads it from the register)
}
# a finding's `quotes_check`: a check record (CHECK_SPEC) of the version in `lang` of its `quotes`
QUOTES_CHECK_SPEC = {"lang": Spec("str", True), **CHECK_SPEC}
EVIDENCE_FILE_SPEC = {"country": Spec("map"), "documents": Spec("list"), "findings": Spec("list")}


class _FastPlan:
    """What RecordReader.record_fast needs of a spec, worked out once: each
    field's kind, a record with every field None, in the spec's order, and
    the required fields."""

    __slots__ = ("spec", "kinds", "template", "required")

    def __init__(self, spec: dict[str, Spec]):
        self.spec = spec
        self.kinds = {name: s.kind for name, s in spec.items()}
        self.template = dict.fromkeys(spec)
        self.required = tuple(name for name, s in spec.items() if s.required)


_LANGUAGE_SET = frozenset(LANGUAGES)
# record() takes its fast path for the specs read once per record of every
# evidence file; they are module constants, so a plan is found by the spec's
# identity (record() also checks it is that dict, of the same size)
_FAST_PLANS = {id(s): _FastPlan(s) for s in (
    EVIDENCE_FILE_SPEC, COUNTRY_SPEC, LEGISLATURE_SPEC, CHAMBER_SPEC, DOCUMENT_SPEC, REGISTER_ID_SPEC,
    FINDING_SPEC, CHECK_SPEC, QUOTES_CHECK_SPEC)}


def file_records(files: list[str], problems: list[Problem], spec: dict, what: str, expected: str):
    """Each readable file's YAML document, its RecordReader and its top-level
    record read against `spec` (`what`, a catalogue key p_what_*, names it in
    messages). A file that cannot be read, holds duplicate keys or has a top
    level of the wrong shape adds its problems and is skipped; an empty file
    is a warning that names what was `expected` (the top-level fields, a
    tuple said as alternatives). Evidence folders and scenario folders are
    read this way.

    Returns: an iterator of `(YamlDoc, RecordReader, dict)`.
    Raises: nothing: every problem goes to `problems`.

    Example:
        >>> for doc, reader, top in file_records(files, problems, EVIDENCE_FILE_SPEC, "p_what_evidence_file", ("country", "documents", "findings")):
        ...     print(doc.path, sorted(k for k, v in top.items() if v is not None))
    """
    for path in files:
        doc = read_yaml(path, problems)
        if doc is None:
            continue
        report_duplicate_keys(doc, problems)
        reader = RecordReader(doc, problems)
        if doc.data is None:
            reader.problem((), "", say("p_file_empty", expected=_or(expected) if isinstance(expected, tuple) else expected), "warning")
            continue
        top = reader.record(doc.data, (), spec, what)
        if top is None:
            continue
        yield doc, reader, top


def evidence_files(folder: str, problems: list[Problem], refused: list[str] | None = None) -> list[str]:
    """The YAML files of one country folder, sorted, refusing links that leave
    it and anything that is not a regular file (each a problem in `problems`,
    and its path in `refused`, when given); a folder that cannot be listed is
    a problem too.

    Returns: `list[str]` (paths).
    Raises: nothing (problems go to the list).

    Example:
        >>> evidence_files("evidence/KAZ", [])[:2]
        ['evidence/KAZ/concept.yaml', 'evidence/KAZ/constitution.yaml']
    """
    real_folder = None
    found = []
    try:
        names = files.listdir(folder)
    except files.FileProblem as exc:
        problems.append(Problem(folder, None, "", exc.message))
        if refused is not None:
            refused.append(folder)
        return found
    for name in names:
        path = os.path.join(folder, name)
        if not name.endswith(YAML_SUFFIXES) or name.startswith("."):
            continue
        try:
            regular = stat.S_ISREG(os.lstat(path).st_mode)
        except OSError:
            regular = False
        if regular:
            # a regular file that is not a link: inside the folder (its real path is the
            # folder's, then its name) and a file to os.stat too; one lstat, no realpath
            found.append(path)
            continue
        if real_folder is None:
            real_folder = os.path.realpath(folder)
        real = os.path.realpath(path)
        if os.path.commonpath([real, real_folder]) != real_folder:
            problems.append(Problem(path, None, "", say("p_link_outside_country", target=real)))
            if refused is not None:
                refused.append(path)
            continue
        try:
            what = files.not_a_file(os.stat(path).st_mode)
            why = say("p_not_an_evidence_file", what=what) if what else None
        except OSError as exc:  # a link loop, a dangling link, a folder that may not be searched
            why = files.os_reason(exc, path)
        if why:  # never skipped in silence: its evidence would be missing from the scores
            problems.append(Problem(path, None, "", why))
            if refused is not None:
                refused.append(path)
            continue
        found.append(path)
    return found


def load_country(folder: str, problems: list[Problem]) -> CountryEvidence | None:
    """Reads every evidence file of one country folder into one CountryEvidence,
    appending every problem found to `problems`.

    Returns: `CountryEvidence`, or None when the folder has no usable country record.
    Raises: nothing for bad files (their problems are recorded).

    Example:
        >>> problems = []
        >>> ev = load_country("evidence/KAZ", problems)
    """
    code = os.path.basename(os.path.normpath(folder))
    country: Country | None = None
    documents: dict[str, Document] = {}
    findings: list[Finding] = []
    refused: list[str] = []
    files = evidence_files(folder, problems, refused)
    for doc, reader, top in file_records(files, problems, EVIDENCE_FILE_SPEC, "p_what_evidence_file",
                                         ("country", "documents", "findings")):
        if top["country"] is not None:
            found = _country(reader, doc.data["country"])
            if found and country is not None:
                reader.problem(("country",), "country", say("p_country_twice", where=f"{country.source.path}:{country.source.line}"))
            elif found:
                country = found
        for i, item in enumerate(top["documents"] or []):
            # a record with errors is kept (marked incomplete) so that its other
            # fields are still checked; the scorer sets incomplete records aside
            d = read_document(reader, item, ("documents", i))
            if d is None:
                continue
            if d.id in documents:
                first = documents[d.id].source
                reader.problem(("documents", i, "id"), "id", say("p_duplicate_document", id=d.id, where=f"{first.path}:{first.line}"))
                continue
            documents[d.id] = d
        for i, item in enumerate(top["findings"] or []):
            f = read_finding(reader, item, ("findings", i))
            if f is not None:
                findings.append(f)
    if country is None:
        if files:
            problems.append(Problem(files[0] if files else folder, None, "country", say("p_no_country_record", folder=folder)))
        elif folder not in refused:  # (a folder that cannot be listed is an error already)
            problems.append(Problem(folder, None, "", say("p_country_folder_empty"), "warning"))
        country = Country(code, Text({"en": code}), (), Source(folder))
    # a refused link is listed with the country's files (it is never read), so that
    # its error stops scoring this country instead of silently leaving evidence out
    return CountryEvidence(country=country, documents=documents, findings=tuple(findings), files=tuple(sorted(files + refused)))


def read_document(reader: RecordReader, item: Any, kp: tuple) -> Document | None:
    """One document record at keypath `kp` of a file (None without an id);
    a record with errors is kept, marked incomplete, so its other fields are
    checked. Problems go to the reader's list.

    Returns: `Document` or None.
    Raises: nothing.

    Example:
        >>> reader = RecordReader(doc, problems)
        >>> document = read_document(reader, doc.data["documents"][0], ("documents", 0))
    """
    rec = reader.record(item, kp, DOCUMENT_SPEC, "p_what_document", partial=True)
    if rec is None or rec["id"] is None:
        return None
    return Document(
        id=rec["id"], type=rec["type"], title=rec["title"], number=rec["number"], adopted=rec["adopted"],
        in_force_from=rec["in_force_from"], in_force_to=rec["in_force_to"], edition=rec["edition"],
        url=rec["url"], legislature=rec["legislature"], chamber=rec["chamber"], cited_in=rec["cited_in"],
        note=rec["note"], source=reader.source(kp, item),
        complete=_document_dates(reader, item, rec, kp) and reader.last_complete,
        confidence=_choice(reader, rec["confidence"], kp + ("confidence",), CONFIDENCE),
        approximate=_approximate(reader, rec["approximate"], kp + ("approximate",)),
        observed=rec["observed"], not_adopted_as_of=rec["not_adopted_as_of"],
        register=_register_id(reader, rec["register"], kp + ("register",)),
        langs=_langs(reader, rec["lang"], kp + ("lang",)),
    )


def read_finding(reader: RecordReader, item: Any, kp: tuple) -> Finding | None:
    """One finding record at keypath `kp` of a file (None without an id); a
    record with errors is kept, marked incomplete. A version in `quotes` in
    the quote's own language is warned of (it would never be shown).
    Problems go to the reader's list.

    Returns: `Finding` or None.
    Raises: nothing.

    Example:
        >>> finding = read_finding(reader, doc.data["findings"][0], ("findings", 0))
    """
    rec = reader.record(item, kp, FINDING_SPEC, "p_what_finding", partial=True)
    if rec is None or rec["id"] is None:
        return None
    na = rec["level"] == NOT_APPLICABLE
    if rec["quotes"] and rec["quote"]:  # a version in the language of `quote` itself would never be shown
        own = rec["quote_lang"] or script_lang(rec["quote"])
        if own in rec["quotes"]:
            reader.problem(kp + ("quotes", own), own, say("p_quote_version_own_lang", lang=own), "warning")
    return Finding(
        id=rec["id"], criterion=rec["criterion"], document=rec["document"], locator=rec["locator"],
        quote=rec["quote"], level=None if na else rec["level"], not_applicable=na,
        verified=bool(rec["verified"]), coder=rec["coder"], note=rec["note"], reason=rec["reason"],
        in_force_from=rec["in_force_from"], in_force_to=rec["in_force_to"],
        legislature=rec["legislature"], source=reader.source(kp, item),
        complete=reader.last_complete, reconciled=bool(rec["reconciled"]),
        confidence=_choice(reader, rec["confidence"], kp + ("confidence",), CONFIDENCE),
        quote_kind=_choice(reader, rec["quote_kind"], kp + ("quote_kind",), QUOTE_KINDS),
        check=_check(reader, rec["check"], kp + ("check",)),
        quote_lang=_quote_lang(reader, rec["quote_lang"], kp + ("quote_lang",)),
        quotes=tuple(sorted((rec["quotes"] or {}).items())),
        quotes_check=_quotes_check(reader, rec["quotes_check"], rec["quotes"] or {}, kp + ("quotes_check",)),
    )


def _country(reader: RecordReader, data: Any) -> Country | None:
    rec = reader.record(data, ("country",), COUNTRY_SPEC, "p_what_country")
    if rec is None:
        return None
    legislatures = []
    for i, item in enumerate(rec["legislatures"] or []):
        kp = ("country", "legislatures", i)
        lrec = reader.record(item, kp, LEGISLATURE_SPEC, "p_what_legislature")
        if lrec is None:
            continue
        chambers = []
        for j, citem in enumerate(lrec["chambers"] or []):
            crec = reader.record(citem, kp + ("chambers", j), CHAMBER_SPEC, "p_what_chamber")
            if crec:
                chambers.append(Chamber(crec["id"], crec["name"], crec["from"], crec["to"]))
        legislatures.append(Legislature(lrec["id"], lrec["name"], lrec["from"], lrec["to"], tuple(chambers)))
    return Country(rec["iso3"], rec["name"], tuple(legislatures), reader.source(("country",), data),
                   _traced(reader, rec["traced_from"], rec["traced_to"]))


def _choice(reader: RecordReader, value: str | None, keypath: tuple, choices: tuple[str, ...]) -> str | None:
    """A word from a fixed list (case ignored); anything else is a problem at the field."""
    if value is None:
        return None
    word = value.lower()
    if word not in choices:
        reader.problem(keypath, keypath[-1], _one_of(value, choices, word))
        return None
    return word


def _check(reader: RecordReader, value: Any, keypath: tuple) -> Check | None:
    """A finding's `check: {by, date, against, official, verbatim, method}`."""
    if value is None:
        return None
    rec = reader.record(value, keypath, CHECK_SPEC, "p_what_check", partial=True)
    if rec is None:
        return None
    return _check_of(reader, rec, keypath)


def _check_of(reader: RecordReader, rec: dict, keypath: tuple) -> Check:
    method = rec["method"]
    if method is not None and method.lower() not in CHECK_METHODS:
        reader.problem(keypath + ("method",), "method",
                       _one_of(method, CHECK_METHODS, method.lower()))
        method = None
    edition = rec["edition"].isoformat() if rec["edition"] is not None else None
    return Check(by=rec["by"], date=rec["date"], against=rec["against"], official=rec["official"], verbatim=rec["verbatim"],
                 method=method.lower() if method else None, edition=edition)


LANG_CODE = re.compile(r"^[a-z]{2,3}$")  # an ISO 639 language code: ru, kk, en, fr, kaz


def _langs(reader: RecordReader, value: Any, keypath: tuple) -> tuple[str, ...]:
    """A document's `lang: [ru, kk]` (a workbook cell: "ru, kk"): ISO 639 codes."""
    langs = tuple(x.strip() for v in value or () for x in str(v).split(",") if x.strip())
    for x in langs:
        if not LANG_CODE.match(x):
            reader.problem(keypath, "lang", say("p_not_language_codes", value=x, languages=", ".join(LANGUAGES)))
    return tuple(x for x in langs if LANG_CODE.match(x))


def _quote_lang(reader: RecordReader, value: Any, keypath: tuple) -> str | None:
    if value is None:
        return None
    if not LANG_CODE.match(value):
        reader.problem(keypath, "quote_lang", say("p_not_language_code", value=value, languages=", ".join(LANGUAGES)))
        return None
    return value


def _quotes_check(reader: RecordReader, value: Any, quotes: dict, keypath: tuple) -> QuoteCheck | None:
    """A finding's `quotes_check: {lang, by, date, against, official, verbatim}`:
    who read the version in `lang` of its `quotes`, and in which copy."""
    if value is None:
        return None
    rec = reader.record(value, keypath, QUOTES_CHECK_SPEC, "p_what_quotes_check", partial=True)
    if rec is None or rec["lang"] is None:
        return None
    if rec["lang"] not in quotes:
        reader.problem(keypath + ("lang",), "lang", say("p_quotes_no_version_have", lang=rec["lang"], have=", ".join(sorted(quotes)))
                       if quotes else say("p_quotes_no_version_add", lang=rec["lang"]))
        return None
    if rec["by"] is None or rec["date"] is None or rec["against"] is None:
        return None
    return QuoteCheck(lang=rec["lang"], check=_check_of(reader, rec, keypath))


def _register_id(reader: RecordReader, value: Any, keypath: tuple) -> RegisterId | None:
    """A document's `register: {name, id, edition, lang}`; the id's form is
    checked by `validate` against criteria/registers.yaml."""
    if value is None:
        return None
    rec = reader.record(value, keypath, REGISTER_ID_SPEC, "p_what_register_id")
    if rec is None or rec["name"] is None or rec["id"] is None:
        return None
    langs = tuple(x.strip() for v in rec["lang"] or () for x in str(v).split(",") if x.strip())  # a workbook cell: "ru, kk"
    bad = [x for x in langs if x not in LANGUAGES]
    if bad:
        reader.problem(keypath + ("lang",), "lang", say("p_unknown_language_some", value=bad[0], languages=", ".join(LANGUAGES)))
        langs = tuple(x for x in langs if x in LANGUAGES)
    return RegisterId(register=rec["name"], id=str(rec["id"]).strip(), edition=rec["edition"], langs=langs)


def _document_dates(reader: RecordReader, item: Any, rec: dict, keypath: tuple) -> bool:
    """A document needs `in_force_from`, unless it is an observation
    (`observed`: the day the state it reports was seen) or a document not
    adopted yet (`not_adopted_as_of`); those two have no days in force. False
    when the record cannot be scored."""
    observed, awaited = rec["observed"], rec["not_adopted_as_of"]
    given = {name for name in ("adopted", "in_force_from", "in_force_to", "observed") if isinstance(item, dict) and item.get(name) is not None}
    if awaited is not None:
        if given:
            reader.problem(keypath + (sorted(given)[0],), sorted(given)[0],
                           say("p_not_adopted_has_dates", fields=_either(sorted(given))))
            return False
        return True
    if observed is not None:
        if "in_force_from" in given or "in_force_to" in given:
            name = "in_force_from" if "in_force_from" in given else "in_force_to"
            reader.problem(keypath + (name,), name,
                           say("p_observation_in_force", field=name))
            return False
        return True
    if rec["in_force_from"] is not None:
        return True
    if isinstance(item, dict) and item.get("in_force_from") is None and item.get("observed") is None \
            and item.get("not_adopted_as_of") is None:
        # absent, as a required field is (a misspelt key is one mistake, reported once as unknown)
        typo = any(k not in DOCUMENT_SPEC and "'in_force_from'" in suggest(str(k), DOCUMENT_SPEC) for k in item)
        if not typo:
            reader.problem(keypath, "in_force_from", say("p_in_force_from_missing"))
    return False  # unreadable dates are reported where they are


def _approximate(reader: RecordReader, value: Any, keypath: tuple) -> tuple[str, ...]:
    """`approximate: true` (every date of the document) or a list of its date fields."""
    if value is None or value is False:
        return ()
    if value is True:
        return DATE_FIELDS
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        reader.problem(keypath, "approximate", say("p_expected_approximate", fields=", ".join(DATE_FIELDS), got=_show(value)))
        return ()
    out = []
    for n in names:
        if n not in DATE_FIELDS:
            reader.problem(keypath, "approximate", say("p_not_date_field", value=n, fields=", ".join(DATE_FIELDS), hint=suggest(n, DATE_FIELDS)))
        elif n not in out:
            out.append(n)
    return tuple(out)


def _traced(reader: RecordReader, start: Any, end: Any) -> tuple[Traced, ...]:
    """`traced_from` / `traced_to`: each a date (every tier) or a mapping of tier id
    to date; the two are paired by tier."""
    spans: dict[str | None, list] = {}
    for which, value in ((0, start), (1, end)):
        name = ("traced_from", "traced_to")[which]
        if value is None:
            continue
        items = value.items() if isinstance(value, dict) else ((None, value),)
        for tier, day in items:
            kp = ("country", name) + ((tier,) if tier is not None else ())
            if tier is not None and not (isinstance(tier, str) and ID_PATTERN.match(tier)):
                reader.problem(kp, name, say("p_expected_tier_key", got=_show(tier)))
                continue
            converted, error = reader.convert(day, "date", kp)
            if error:
                reader.problem(kp, name, say("p_or_tier_mapping", error=error) if tier is None else error)
                continue
            spans.setdefault(tier, [None, None])[which] = converted
    # a plain traced_to ends every tier's trace that names no end of its own
    common_end = spans.get(None, [None, None])[1]
    if common_end is not None and spans.get(None, [None])[0] is None and len(spans) > 1:
        del spans[None]
        for span in spans.values():
            span[1] = span[1] or common_end
    out = []
    for tier, (a, b) in spans.items():
        if a is None:
            reader.problem(("country", "traced_to") + ((tier,) if tier else ()), "traced_to",
                           say("p_trace_needs_start_tier", tier=tier) if tier else say("p_trace_needs_start"))
            continue
        if b < a if b else False:
            reader.problem(("country", "traced_to") + ((tier,) if tier else ()), "traced_to",
                           say("p_trace_ends_before", end=str(b), start=str(a)))
            continue
        out.append(Traced(tier, a, b))
    return tuple(sorted(out, key=lambda t: (t.tier is not None, t.tier or "")))


# ---------------------------------------------------------------- everything


@dataclass
class Loaded:
    """What a workspace holds, as model objects, with every problem found on the way."""

    workspace: Workspace
    document_types: dict[str, DocumentType] = field(default_factory=dict)
    rubrics: dict[str, Rubric] = field(default_factory=dict)
    countries: dict[str, CountryEvidence] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # the shipped countries beside the workspace's own (workspace.Shipped), set by
    # workspace.add_shipped_countries; None when only the workspace was read
    shipped: Any = None
    # the scenario applied over the evidence (scenario.Scenario), set by
    # scenario.apply_scenario; None: the evidence as it is
    scenario: Any = None

    def criterion_index(self) -> dict[str, tuple[Rubric, Criterion]]:
        return {c.id: (r, c) for r in self.rubrics.values() for c in r.criteria}


def load_workspace(workspace: Workspace, countries: Callable[[str], bool] | None = None) -> Loaded:
    """Loads the rubrics and the evidence of a workspace.

    `countries`, if given, selects evidence folders by their code, so a command
    about two countries does not read two hundred. Problems are recorded, not
    raised. `assess.load_data` adds the shipped countries.

    Returns: `Loaded`.
    Raises: nothing for bad files (see ``Loaded.problems``).

    Example:
        >>> loaded = load_workspace(assess.open_workspace("my-workspace"), {"KAZ"}.__contains__)
    """
    with gcpause.paused():  # hundreds of thousands of small objects, no cycles: see assess.gcpause
        return _load_workspace(workspace, countries)


def _load_workspace(workspace: Workspace, countries: Callable[[str], bool] | None) -> Loaded:
    loaded = Loaded(workspace)
    problems = loaded.problems
    loaded.document_types = load_document_types(workspace.document_types_file, problems)
    for path in rubric_files(workspace.criteria_dir, problems):
        rubric = load_rubric(path, problems, loaded.document_types)
        if rubric is None:
            continue
        if rubric.id in loaded.rubrics:
            problems.append(Problem(path, 1, "id", say("p_rubric_id_twice", id=rubric.id, path=loaded.rubrics[rubric.id].path)))
            continue
        loaded.rubrics[rubric.id] = rubric
    _check_criterion_ids_unique(loaded)
    for code, folder in country_folders(workspace.evidence_dir, problems):
        if countries is not None and not countries(code):
            continue
        loaded.countries[code] = load_country(folder, problems)
    return loaded


def _check_criterion_ids_unique(loaded: Loaded) -> None:
    # findings name a criterion without its rubric, so ids must be unique across rubrics
    owner: dict[str, Rubric] = {}
    for rubric in loaded.rubrics.values():
        for c in rubric.criteria:
            if c.id in owner:
                loaded.problems.append(Problem(rubric.path, c.source.line, "id", say("p_criterion_id_twice", id=c.id, rubric=owner[c.id].id)))
            else:
                owner[c.id] = rubric


def country_folders(evidence_dir: str, problems: list[Problem]) -> list[tuple[str, str]]:
    """The country folders of an evidence folder, as (code, path), sorted; a
    folder not named by an ISO 3166-1 alpha-3 code in capitals, or an
    evidence folder that cannot be listed, is a problem in `problems`. Hidden
    entries and files are skipped.

    Returns: `list[tuple[str, str]]` (empty when the folder does not exist).
    Raises: nothing (problems go to the list).

    Example:
        >>> country_folders("evidence", [])
        [('KAZ', 'evidence/KAZ'), ('RUS', 'evidence/RUS')]
    """
    if not os.path.isdir(evidence_dir):
        return []
    out = []
    try:
        names = files.listdir(evidence_dir)
    except files.FileProblem as exc:
        problems.append(Problem(evidence_dir, None, "", exc.message))
        return []
    for name in names:
        path = os.path.join(evidence_dir, name)
        if name.startswith(".") or not os.path.isdir(path):
            continue
        if not ISO3_PATTERN.match(name):
            problems.append(Problem(path, None, "", say("p_country_folder_name", name=name)))
            continue
        out.append((name, path))
    return out
