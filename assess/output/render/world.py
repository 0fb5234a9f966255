"""The world layout: what the HTML report shows for more than six countries.

Two hundred countries side by side are unreadable (a 200-column tier table,
200 open detail blocks, gap cells listing 60 codes). With more than
SIDE_BY_SIDE_MAX countries the report is instead

- a ranking table: rank, the index (or, for an unranked country, its possible
  range), the 5-95% interval of the sensitivity draws where they were run,
  coverage and band;
- one dot strip per tier: a dot per country on a 0-100 axis, equal scores
  stacked, the countries chosen with `highlight` drawn large and named;
- a criterion x country matrix of level cells, countries in ranking order;
- a pointer to the per-country reports, which hold the findings, documents,
  timeline and gaps.

Everything here is plain data computed from the report context (no
evidence file is opened); reports/templates/world.html lays it out.
"""

from __future__ import annotations

from .context import SIDE_BY_SIDE_MAX
from .palette import level_colours

# the dot strip's drawing box (SVG user units; the SVG scales to the page width)
STRIP_WIDTH = 1000
STRIP_LEFT, STRIP_RIGHT = 40, 20
STRIP_DOT = 3.2  # radius of a country's dot
STRIP_HL_DOT = 6.0  # radius of a highlighted country's dot
STRIP_BIN = 1.0  # scores within one point are stacked in one column
STRIP_MAX_STACK_PX = 120  # the tallest stack, however many countries share a score


def is_world(context: dict) -> bool:
    """Whether the report of `context` takes the world layout: more countries
    than SIDE_BY_SIDE_MAX.

    Returns: `bool`.
    Raises: `KeyError` for a context without "countries".

    Example:
        >>> is_world({"countries": [{"iso3": "KAZ"}, {"iso3": "RUS"}]})
        False
    """
    return len(context["countries"]) > SIDE_BY_SIDE_MAX


def world_context(context: dict, highlight: list[str] | None = None) -> dict:
    """The world layout's data: ranking rows (with the sensitivity interval
    where the context has one), dot strips per tier, the level matrix (a row
    per country in ranking order, a column per criterion), the countries
    `highlight` names (codes, any case), and the level colours as CSS rules.

    Returns: `dict`.
    Raises: `KeyError` for a context that is not a report context
    (build_context).

    Example:
        >>> world = world_context(context, ["KAZ"])
        >>> world["highlight"][0]["iso3"]
        'KAZ'
    """
    highlight = [code.upper() for code in (highlight or [])]
    chosen = set(highlight)
    names = {c["iso3"]: c["name"] or c["iso3"] for c in context["countries"]}
    intervals = {}
    if context.get("sensitivity"):
        intervals = {c["iso3"]: (c["low"], c["high"]) for c in context["sensitivity"]["countries"]}

    ranking = []
    for c in context["ranking"]:
        low, high = intervals.get(c["iso3"], (None, None))
        ranking.append({
            "iso3": c["iso3"], "name": names[c["iso3"]], "rank": c["rank"] if c["ranked"] else None,
            "ranked": c["ranked"], "overall": c["overall"], "low": c["overall_min"], "high": c["overall_max"],
            "interval_low": low, "interval_high": high, "coverage": c["coverage"], "assessed": c["assessed"],
            "total": c["criteria_total"], "band": c["band"], "band_withheld": c["band_withheld"],
            "highlight": c["iso3"] in chosen,
        })

    strips = [_strip(context, k, tier, chosen, names) for k, tier in enumerate(context["rubric"]["tiers"])]

    # the matrix: one row per country (ranking order), one column per criterion (tier order)
    position = {c["iso3"]: i for i, c in enumerate(context["countries"])}
    columns = [{"tier": tier["title"], "id": cr["id"], "title": cr["title"]}
               for tier in context["tiers"] for cr in tier["criteria"]]
    groups = [{"title": tier["title"], "span": len(tier["criteria"])} for tier in context["tiers"] if tier["criteria"]]
    cells_of = [cr["cells"] for tier in context["tiers"] for cr in tier["criteria"]]
    rows = []
    for r in ranking:
        k = position[r["iso3"]]
        rows.append({"iso3": r["iso3"], "name": r["name"], "rank": r["rank"], "highlight": r["highlight"],
                     "cells": [_matrix_cell(cells[k]) for cells in cells_of]})
    example = highlight[0] if highlight else (ranking[0]["iso3"] if ranking else "")
    pair = " ".join(highlight[:2]) if len(highlight) >= 2 else " ".join(r["iso3"] for r in ranking[:2])
    return {
        "highlight": [{"iso3": code, "name": names.get(code, code)} for code in highlight],
        "ranking": ranking, "strips": strips, "columns": columns, "groups": groups, "rows": rows,
        "has_intervals": bool(intervals), "example": example, "pair": pair,
        # the level cells' colours: the reports' one scale (palette.py), as CSS rules
        "level_css": "\n".join(f".lv-{c['level']} {{ background: {c['fill']}; color: {c['ink']}; }}"
                               for c in level_colours(context["rubric"]["max_level"])),
    }


def _matrix_cell(cell: dict) -> dict:
    """A level cell: the level, or why there is none (n/a, not assessed)."""
    return {"level": cell["level"], "status": cell["status"], "unverified": cell["verified"] is False}


def _x(score: float) -> float:
    return STRIP_LEFT + (STRIP_WIDTH - STRIP_LEFT - STRIP_RIGHT) * score / 100.0


def _strip(context: dict, k: int, tier: dict, chosen: set, names: dict) -> dict:
    """One tier's dots: each country with a score, equal scores (within
    STRIP_BIN) stacked upwards from the axis; highlighted countries drawn last,
    large, with their code as a label; the highest score and who holds it."""
    scored = [(c["iso3"], c["tiers"][k]["score"]) for c in context["ranking"] if c["tiers"][k]["score"] is not None]
    stacks: dict[int, int] = {}
    placed = []
    # highlighted countries first in their stack: they sit on the axis, where the eye finds them
    for code, score in sorted(scored, key=lambda p: (p[1], p[0] not in chosen, p[0])):
        column = round(score / STRIP_BIN)
        placed.append((code, score, column, stacks.get(column, 0)))
        stacks[column] = stacks.get(column, 0) + 1
    tallest = max(stacks.values(), default=1)
    step = min(2 * STRIP_DOT + 0.6, STRIP_MAX_STACK_PX / max(1, tallest))
    height = 34 + step * tallest + 24  # room for labels above, the stacks, the axis below
    axis_y = height - 24
    dots, marked = [], []
    for code, score, column, level in placed:
        dot = {"iso3": code, "name": names[code], "score": score, "x": round(_x(score), 1),
               "y": round(axis_y - STRIP_DOT - 1 - level * step, 1) if code not in chosen else round(axis_y - STRIP_HL_DOT - 1, 1)}
        (marked if code in chosen else dots).append(dot)
    # one label per score among the highlighted (KAZ, RUS 100), alternating in height so that
    # neighbours do not collide, anchored inwards at the ends of the axis
    labels: dict[float, list] = {}
    for d in sorted(marked, key=lambda d: (d["x"], d["iso3"])):
        labels.setdefault(d["x"], []).append(d)
    label_list = []
    for i, (x, group) in enumerate(sorted(labels.items())):
        anchor = "start" if x < STRIP_LEFT + 60 else "end" if x > STRIP_WIDTH - STRIP_RIGHT - 60 else "middle"
        label_list.append({"x": x, "y": round(14 + 13 * (i % 2), 1), "anchor": anchor, "top": min(d["y"] for d in group),
                           "codes": ", ".join(d["iso3"] for d in group), "score": group[0]["score"]})
    missing = [names[c] for c in sorted(chosen) if c in names and c not in {code for code, _ in scored}]
    top = max((s for _, s in scored), default=None)
    leaders = [names[code] for code, s in scored if top is not None and abs(s - top) < 1e-9]
    return {
        "id": tier["id"], "title": tier["title"], "dots": dots, "marked": marked, "labels": label_list,
        "unscored_highlighted": missing, "height": round(height, 1),
        "axis_y": round(axis_y, 1), "ticks": [{"x": round(_x(v), 1), "label": v} for v in (0, 25, 50, 75, 100)],
        "scored": len(scored), "unscored": len(context["ranking"]) - len(scored), "top": top,
        "leaders": leaders[:3], "more_leaders": max(0, len(leaders) - 3), "dot_r": STRIP_DOT, "hl_r": STRIP_HL_DOT,
        "left": STRIP_LEFT, "right": STRIP_WIDTH - STRIP_RIGHT, "width": STRIP_WIDTH,
    }
