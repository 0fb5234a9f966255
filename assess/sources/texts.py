"""Where source texts live and how they are read.

    evidence/<ISO3>/sources/<document-id>.<lang>.txt
    evidence/<ISO3>/sources/<document-id>.<lang>.<edition>.txt   (another edition)

lang is en, ru or kk; `.html`/`.htm` files, and `.txt` files holding HTML, are
read as HTML. A text starts with comment lines, at least `# source: URL`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..common.files import FileProblem, encoding_problem, listdir, not_a_file, os_reason, read_bytes
from ..common.messages import say
from ..data.model import LANGUAGES, CountryEvidence, Problem
from .parse import ParsedText, parse_text

SOURCES_DIR = "sources"
SUFFIXES = (".txt", ".html", ".htm")
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class SourceText:
    country: str
    document: str
    lang: str
    edition: str | None
    path: str
    parsed: ParsedText

    @property
    def url(self) -> str | None:
        return self.parsed.header.get("source") or self.parsed.header.get("url")

    @property
    def label(self) -> str:
        return os.path.basename(self.path)


_CACHE: dict[tuple[str, int, int], ParsedText] = {}


def split_name(name: str) -> tuple[str, str, str | None] | None:
    """A source text's file name split into (document id, language, edition):
    `doc.ru.txt` -> (doc, ru, None); `doc.ru.2007.txt` -> (doc, ru, 2007);
    None for a name that is not a source text's.

    Returns: `tuple[str, str, str | None]` or None.
    Raises: nothing.

    Example:
        >>> split_name("kaz-constitution.ru.2007.txt")
        ('kaz-constitution', 'ru', '2007')
    """
    stem = next((name[: -len(s)] for s in SUFFIXES if name.lower().endswith(s)), None)
    if not stem:
        return None
    parts = stem.split(".")
    if len(parts) >= 2 and parts[-1] in LANGUAGES:
        return ".".join(parts[:-1]), parts[-1], None
    if len(parts) >= 3 and parts[-2] in LANGUAGES:
        return ".".join(parts[:-2]), parts[-2], parts[-1]
    return None


def read_source(path: str) -> ParsedText:
    """Reads and parses one source text (a regular UTF-8 file within the size
    limit), cached while the file is unchanged.

    Returns: `ParsedText`.
    Raises: `ValueError` with a message for a person (cannot be read, too
    large, UTF-16, NUL bytes, not UTF-8).

    Example:
        >>> read_source("evidence/FRE/sources/fre-constitution.ru.txt").header.get("source")
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ValueError(os_reason(exc, path)) from None
    key = (os.path.realpath(path), st.st_mtime_ns, st.st_size)
    if key in _CACHE:
        return _CACHE[key]
    try:  # only a regular file is opened (a pipe named *.txt would wait forever)
        raw = read_bytes(path, MAX_BYTES, "e_source_too_big")
    except FileProblem as exc:
        raise ValueError(exc.message) from None
    wrong = encoding_problem(raw)
    if wrong:
        raise ValueError(wrong)
    if b"\x00" in raw:
        raise ValueError(say("e_source_nul"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValueError(say("e_source_not_utf8", line=line)) from None
    parsed = parse_text(text)
    _CACHE[key] = parsed
    return parsed


def country_sources(evidence_dir: str, evidence: CountryEvidence, problems: list[Problem] | None = None) -> dict[str, list[SourceText]]:
    """The source texts of one country (evidence_dir/<ISO3>/sources/) by
    document id, each document's texts sorted by file name. Problems
    (unreadable files, badly named files, links out of the folder, unknown
    documents) go to `problems` and the file is left out.

    Returns: `dict[str, list[SourceText]]` (empty without a sources folder).
    Raises: nothing (problems go to the list).

    Example:
        >>> texts = country_sources("evidence", evidence, problems)
        >>> sorted(texts)[:1]
    """
    problems = problems if problems is not None else []
    folder = os.path.join(evidence_dir, evidence.iso3, SOURCES_DIR)
    out: dict[str, list[SourceText]] = {}
    if not os.path.isdir(folder):
        return out
    real_folder = os.path.realpath(folder)
    try:
        names = listdir(folder)
    except FileProblem as exc:
        problems.append(Problem(folder, None, "", exc.message))
        return out
    for name in names:
        path = os.path.join(folder, name)
        if name.startswith("."):
            continue
        if not os.path.isfile(path):
            if name.lower().endswith(SUFFIXES):  # a folder, a pipe, a link loop named like a source text: said, not skipped
                try:
                    what = not_a_file(os.stat(path).st_mode)
                    why = say("e_source_not_file", what=what) if what else None
                except OSError as exc:
                    why = os_reason(exc, path)
                if why:
                    problems.append(Problem(path, None, "", why))
            continue
        parts = split_name(name)
        if parts is None:
            if name.lower().endswith(SUFFIXES):
                problems.append(Problem(path, None, "", say("e_source_name", langs=", ".join(LANGUAGES)), "warning"))
            continue
        doc_id, lang, edition = parts
        real = os.path.realpath(path)
        if os.path.commonpath([real, real_folder]) != real_folder:
            problems.append(Problem(path, None, "", say("e_source_link_out", target=real)))
            continue
        if doc_id not in evidence.documents:
            known = sorted(evidence.documents)
            from ..data.load import suggest

            problems.append(Problem(path, None, "", say("e_source_no_document", document=doc_id, code=evidence.iso3,
                                                        hint=suggest(doc_id, known)), "warning"))
            continue
        try:
            parsed = read_source(path)
        except (OSError, ValueError) as exc:
            problems.append(Problem(path, None, "", exc.args[0] if isinstance(exc, ValueError) and exc.args else str(exc)))
            continue
        if not re.match(r"https?://", parsed.header.get("source", "") or parsed.header.get("url", "") or ""):
            problems.append(Problem(path, 1, "source", say("e_source_no_url"), "warning"))
        out.setdefault(doc_id, []).append(SourceText(evidence.iso3, doc_id, lang, edition, path, parsed))
    return out
