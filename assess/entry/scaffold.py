"""Scaffold a new country: `assess new`.

Writes evidence/<ISO3>/country.yaml (who the legislature is) and
evidence/<ISO3>/checklist.yaml: every criterion of the rubric as a commented
block with its question and level descriptors, to be turned into findings.
The files validate clean as written, so an analyst can fill them in step by
step and run `assess validate` at any point. It never overwrites a country.
"""

from __future__ import annotations

import os

from ..common.atomic import write_text_atomic
from ..common.errors import InvalidInput, UsageError
from ..common.messages import say
from ..data.model import Rubric


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar: safe for any name the analyst gives."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _comment(text: str, indent: str = "# ") -> list[str]:
    return [indent + line if line else indent.rstrip() for line in text.splitlines()] or [indent.rstrip()]


def not_a_code(country) -> str:
    """The message for a name that is no ISO 3166-1 alpha-3 code, naming the
    user-assigned ranges a code of one's own goes in (a `Said`).

    Returns: `str` (a `messages.Said`). Raises: nothing.

    Example:
        >>> not_a_code("KZA").startswith("'KZA' is not an ISO 3166-1 alpha-3 country code")
        True
    """
    from ..checking.validate import USER_ASSIGNED

    ranges = say("e_user_ranges", ranges=", ".join(f"{lo}-{hi}" for lo, hi in USER_ASSIGNED))
    return say("e_not_iso3", country=country, ranges=ranges)


def country_file(iso3: str, name: str) -> str:
    """The text of a new country.yaml: the country's code and English name, an
    empty list of legislatures and of documents, and commented examples of
    every field to fill in (legislatures, chambers, traced_from, documents).

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> country_file("UZB", "Uzbekistan").splitlines()[0]
        '# Uzbekistan (UZB): who the legislature is, and when. Written by `assess new`;'
    """
    slug = iso3.lower()
    return "\n".join([
        f"# {name} ({iso3}): who the legislature is, and when. Written by `assess new`;",
        "# see the README section \"Evidence files\" for every field.",
        "country:",
        f"  iso3: {iso3}",
        f"  name: {{en: {_yaml_string(name)}}}        # add ru: and kk: names",
        "  legislatures: []",
        "  # legislatures:",
        f"  #   - id: {slug}-parliament",
        "  #     name: {en: ...}",
        "  #     from: YYYY-MM-DD            # first day it existed",
        "  #     to: YYYY-MM-DD              # last day; omit while it exists",
        "  #     chambers:",
        f"  #       - {{id: {slug}-upper, name: {{en: ...}}, from: YYYY-MM-DD}}",
        "  # Once every document of a tier in force from some day on is recorded and read,",
        "  # say so: only then does a criterion without a finding count as absent (level 0)",
        "  # rather than not assessed. One date for all tiers, or one per tier id.",
        "  # traced_from: YYYY-MM-DD",
        "",
        "documents: []",
        "# documents:",
        f"#   - id: {slug}-constitution",
        "#     type: constitution          # an id from criteria/document-types.yaml",
        "#     title: {en: ..., ru: ...}",
        "#     adopted: YYYY-MM-DD",
        "#     in_force_from: YYYY-MM-DD",
        "#     in_force_to: YYYY-MM-DD     # last day in force; omit while in force",
        "#     url: https://...",
        "#   # a report of what was seen (a study, a press report): `observed: YYYY-MM-DD` instead of",
        "#   # in_force_from; a document expected but not adopted yet: `not_adopted_as_of: YYYY-MM-DD`",
        "#   # (the day you last looked) and no dates in force",
        "",
    ])


def checklist_file(iso3: str, name: str, rubric: Rubric, lang: str = "en") -> str:
    """The text of a new checklist.yaml: `findings: []` and, per tier and
    criterion of the rubric, the question and the levels (in `lang`) and a
    commented finding to fill in and move under `findings:`.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> text = checklist_file("UZB", "Uzbekistan", rubric, "ru")
    """
    slug = iso3.lower()
    levels = ", ".join(f"{s.level} {s.label.get(lang)}" for s in rubric.scale)
    out = [
        f"# {name} ({iso3}): the checklist of rubric {rubric.id} {rubric.version}, one block per criterion.",
        "# For each criterion, find the provision that answers the question, then write a finding:",
        "# uncomment the block, fill it in, and move it under `findings:`. Three things can be said:",
        "#   a level with a document, locator and quote;  level 0 with a `reason` (assessed, nothing found);",
        "#   level n/a with a `reason` (not applicable). No finding at all means not assessed.",
        f"# Levels: {levels}.",
        "",
        "findings: []",
    ]
    for tier in rubric.tiers:
        out += ["", "# " + "=" * 76, f"# Tier: {tier.title.get(lang)} ({tier.id}); documents of type: {', '.join(tier.accepts)}", "# " + "=" * 76]
        for c in tier.criteria:
            out += ["", f"# --- {c.id}: {c.title.get(lang)}"]
            out += _comment(f"Question: {c.question.get(lang)}")
            for level in sorted(c.levels):
                out += _comment(f"  {level}: {c.levels[level].get(lang)}")
            out += [
                f"# - id: {slug}-{c.id}-1",
                f"#   criterion: {c.id}",
                "#   document: <document id>",
                "#   locator: Art. ...",
                "#   quote: ...",
                "#   level: <0-" + str(rubric.max_level) + " or n/a>",
                "#   verified: false",
                "#   coder: <your initials>",
            ]
    return "\n".join(out) + "\n"


def new_country(evidence_dir: str, iso3: str, rubric: Rubric, name: str | None = None, known: dict[str, str] | None = None,
                lang: str = "en") -> list[str]:
    """Creates evidence/<ISO3>/ with country.yaml and checklist.yaml (each
    written atomically). The name defaults to `known`'s for the code, else
    the ISO 3166-1 name (user-assigned codes such as XKX too).

    Returns: `list[str]`, the two paths.
    Raises: `UsageError` (not an ISO 3166-1 alpha-3 code; a name that is not
    one line), `InvalidInput` (the folder already exists: never
    overwritten), and the atomic write's errors.

    Example:
        >>> new_country("my-workspace/evidence", "UZB", rubric)
        ['my-workspace/evidence/UZB/country.yaml', 'my-workspace/evidence/UZB/checklist.yaml']
    """
    from ..checking.validate import country_code_name

    code = iso3.strip().upper()
    known = known or {}
    default_name = known.get(code) or country_code_name(code)  # an ISO code, or a user-assigned one (XKX, QZZ...)
    if default_name is None:
        raise UsageError(not_a_code(iso3))
    folder = os.path.join(evidence_dir, code)
    if os.path.lexists(folder):
        raise InvalidInput(say("e_country_exists", folder=folder))
    name = (name or default_name).strip()
    if not name or any(ch in name for ch in "\n\r\0"):
        raise UsageError(say("e_name_one_line", name="{name}"), params=("name",))
    os.makedirs(folder)
    return [
        write_text_atomic(os.path.join(folder, "country.yaml"), country_file(code, name)),
        write_text_atomic(os.path.join(folder, "checklist.yaml"), checklist_file(code, name, rubric, lang)),
    ]
