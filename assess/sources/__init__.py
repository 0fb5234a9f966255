"""Evidence from the source texts themselves.

Source texts live at evidence/<ISO3>/sources/<document-id>.<lang>.txt. This
package splits them into addressable provisions (parse), reads locators as
analysts write them (locators), checks findings' locators and quotes against
the texts (verify) and suggests provisions for each criterion (suggest).
The official registers the texts come from are data (registers, from
criteria/registers.yaml); fetch downloads a document's text from its register
and watch compares the stored texts with the registers' current editions:
the only two modules that use the network, and only when called.
"""

from __future__ import annotations

import importlib
import os
from typing import Iterable

from ..data.model import Problem

# The names the package gives from its modules, each module imported when one
# of its names is first used: `assess validate` reads the registers only
# (assess.sources.registers), and importing this package then no longer loads
# the parser, the locators, the suggester and the verifier with it.
_FROM = {name: module for module, names in {
    "locators": ("Locator", "normalize_locator", "parse_locator", "resolve"),
    "parse": ("ParsedText", "Provision", "parse_text"),
    "suggest": ("Suggestion", "suggest_document", "suggest_for", "suggestions_yaml"),
    "texts": ("SourceText", "country_sources", "read_source"),
    "verify": ("ELSEWHERE", "KINDS", "NO_LOCATOR", "NO_QUOTE", "NO_SOURCE", "VERIFIED", "VerifyResult",
               "VerifySummary", "verify_country", "verify_finding", "verify_summary"),
}.items() for name in names}


def __getattr__(name: str):
    module = _FROM.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found directly from now on
    return value


def _rel(root: str):
    def rel(path: str) -> str:
        try:
            r = os.path.relpath(path, root)
        except ValueError:
            return path
        return path if r.startswith("..") else r

    return rel


def verify_countries(loaded, countries: Iterable[str] | None = None, problems: list[Problem] | None = None) -> list[VerifyResult]:
    """Every finding of these countries (ISO3 codes, any case; default all
    loaded; a code not loaded is skipped) checked against its document's
    source texts (evidence/<ISO3>/sources/), country by country in a fixed
    order. Problems with the source files themselves go to `problems`.

    Returns: `list[VerifyResult]` (one per finding, with its ``.kind``, one
    of KINDS).
    Raises: nothing (problems go to the list).

    Example:
        >>> problems = []
        >>> results = verify_countries(loaded, ["KAZ"], problems)
        >>> {r.kind for r in results}
    """
    codes = sorted(loaded.countries) if countries is None else [c.upper() for c in countries]
    rel = _rel(loaded.workspace.root) if getattr(loaded.workspace, "root", None) else (lambda p: p)
    out: list[VerifyResult] = []
    for code in codes:
        ev = loaded.countries.get(code)
        if ev is None:
            continue
        from ..data.workspace import evidence_dir_of  # a shipped country's texts sit in the shipped data
        from .verify import verify_country

        out.extend(verify_country(evidence_dir_of(loaded, code), ev, problems, rel))
    return out


__all__ = [
    "Locator", "normalize_locator", "parse_locator", "resolve",
    "ParsedText", "Provision", "parse_text",
    "SourceText", "country_sources", "read_source",
    "Suggestion", "suggest_document", "suggest_for", "suggestions_yaml",
    "VerifyResult", "VerifySummary", "verify_countries", "verify_country", "verify_finding", "verify_summary",
    "KINDS", "VERIFIED", "ELSEWHERE", "NO_LOCATOR", "NO_QUOTE", "NO_SOURCE",
]
