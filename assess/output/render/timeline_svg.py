"""The HTML timeline chart's geometry, in SVG user units: true steps that
change on the change dates, a marker on the step at each change of the
overall index, and number labels placed so that none overlaps another label,
a marker, an axis label or a country's end label (issue 17 §2).

Plain data for the template (report.html draws it); no markup here."""

from __future__ import annotations

# the drawing area (user units of the SVG's viewBox)
LEFT, PLOT_W, TOP, PLOT_H = 46, 620, 30, 220
RIGHT = 60  # room for the country labels at the lines' ends
FONT = 11  # the smallest text of the chart; the stylesheet keeps it >= 10 px on a phone
CHAR_W = 6.6  # advance of a digit or capital at FONT (Arial-like), a little generous
MARK_R = 4.5
DIRECT_MAX = 14  # the longest tier title a direct label carries
NEAR = 6  # the places next to a marker (offsets[:NEAR]): a direct label goes there or not at all


def x_of(t: float) -> float:
    """The chart's x coordinate of `t`, a fraction of the time axis (0 start,
    1 end), rounded to a tenth.

    Returns: `float`.
    Raises: nothing.

    Example:
        >>> x_of(0.5)
        356.0
    """
    return round(LEFT + PLOT_W * t, 1)


def y_of(v: float) -> float:
    """The chart's y coordinate of an index value `v` (0 to 100, 100 at the
    top), rounded to a tenth.

    Returns: `float`.
    Raises: nothing.

    Example:
        >>> y_of(100)
        30.0
    """
    return round(TOP + PLOT_H * (100 - v) / 100, 1)


def _overlaps(a, b, pad: float = 1.0) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def _text_box(x: float, y: float, text: str, anchor: str = "middle") -> tuple:
    """The box of a text whose baseline starts at (x, y)."""
    w = CHAR_W * len(text) + 2
    x0 = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
    return (x0, y - FONT * 0.8, x0 + w, y + FONT * 0.25)


def _crosses(box, segments) -> bool:
    for (x1, y1, x2, y2) in segments:
        seg = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        if _overlaps(box, seg, pad=0.5):
            return True
    return False


def _fraction(day, start, end) -> float:
    span = (end - start).days
    return 0.0 if span <= 0 else min(1.0, max(0.0, (day - start).days / span))


def _thin_on(day, spans) -> bool:
    return any((s["start"] is None or s["start"] <= day) and (s["end"] is None or day <= s["end"]) for s in spans)


def layout(series: list[dict], start, end, ticks: list[dict]) -> dict:
    """Adds to each series `step_runs` (polylines of true steps, each with
    `thin`), `markers` (one per change of the overall index, on its step) and
    `end_label`; returns the chart's size and the axis labels.

    Returns: `dict` (width, height, y_axis, x_axis; with a `start`, also the
    plot's left, plot_w, top and plot_h).
    Raises: nothing.

    Example:
        >>> chart = layout(series, dt.date(2015, 1, 1), dt.date(2021, 6, 30), ticks)
        >>> chart["width"], chart["height"]
    """
    if start is None:
        return {"width": LEFT + PLOT_W + RIGHT, "height": TOP + PLOT_H + 30, "y_axis": [], "x_axis": []}
    obstacles = []  # boxes nothing may overlap
    y_axis = [{"v": v, "y": y_of(v), "label": str(v)} for v in (0, 25, 50, 75, 100)]
    for a in y_axis:
        a["x"] = LEFT - 8
        obstacles.append(_text_box(a["x"], a["y"] + 4, a["label"], "end"))
    x_axis = [{"x": x_of(tk["t"]), "y": TOP + PLOT_H + 18, "label": tk["label"]} for tk in ticks]
    for a in x_axis:
        obstacles.append(_text_box(a["x"], a["y"], a["label"]))
    segments = []  # every piece of every line: labels avoid them where they can
    markers = []
    for si, ser in enumerate(series):
        steps = ser["steps"]
        changes = sorted((c for c in ser["changes"] if c["scope"] == "overall" and c["date"] <= end), key=lambda c: c["date"])
        # the index the day the chart starts: before its first change, else as the first step has it
        value = changes[0]["before"] if changes and changes[0]["date"] > start else (steps[0]["overall"] if steps else None)
        # the breakpoints: the start, every change, the end; the index holds between them
        pieces = []  # (day0, day1, value)
        day = start
        for c in changes:
            if c["date"] <= start:
                value = c["after"]
                continue
            pieces.append((day, c["date"], value))
            day, value = c["date"], c["after"]
        pieces.append((day, end, value))
        runs, current = [], None
        for d0, d1, v in pieces:
            if v is None:
                current = None
                continue
            thin = _thin_on(d0, ser["thin"]) if d0 < d1 else _thin_on(d0, ser["thin"])
            p0, p1 = (x_of(_fraction(d0, start, end)), y_of(v)), (x_of(_fraction(d1, start, end)), y_of(v))
            if current is not None and current["thin"] == thin and current["end_day"] == d0:
                current["points"] += [p0, p1]
            else:
                # the riser from the previous value is part of this run
                first = [current["points"][-1]] if current is not None and current["end_day"] == d0 else []
                current = {"points": first + [p0, p1], "thin": thin}
                runs.append(current)
            current["end_day"] = d1
        for run in runs:
            run.pop("end_day", None)
            pts = run["points"]
            segments.extend((a[0], a[1], b[0], b[1]) for a, b in zip(pts, pts[1:]))
        ser["step_runs"] = runs
        ser["markers"] = []
        for c in ser["changes"]:
            if c["scope"] != "overall" or c.get("number") is None or c["after"] is None or not (start <= c["date"] <= end):
                continue
            m = {"number": c["number"], "x": x_of(_fraction(c["date"], start, end)), "y": y_of(c["after"]),
                 "ring": c["kind"] == "coverage", "series": si, "change": c}
            ser["markers"].append(m)
            markers.append(m)
            obstacles.append((m["x"] - MARK_R, m["y"] - MARK_R, m["x"] + MARK_R, m["y"] + MARK_R))
    # the country labels at the lines' ends, pushed apart when the lines end close together
    ends = []
    for si, ser in enumerate(series):
        last = ser["step_runs"][-1]["points"][-1] if ser["step_runs"] else None
        ser["end_label"] = None
        if last is not None:
            ends.append([last[1] + 4, si, last[0] + 6])
    ends.sort()
    for k in range(1, len(ends)):
        ends[k][0] = max(ends[k][0], ends[k - 1][0] + FONT + 2)
    for y, si, x in ends:
        series[si]["end_label"] = {"x": x, "y": round(y, 1), "label": series[si]["iso3"]}
        obstacles.append(_text_box(x, y, series[si]["iso3"], "start"))
    # number labels, one per marker, greedily: the nearest free place, off the lines where one is free
    bounds = (LEFT - 30, 2, LEFT + PLOT_W + RIGHT - 2, TOP + PLOT_H - 2)
    offsets = [(0, -9), (0, 17), (-12, -7), (12, -7), (-12, 14), (12, 14)]
    offsets += [(dx, dy) for step in range(2, 12) for dy in (-9 - 12 * (step - 1), 17 + 12 * (step - 1)) for dx in (0, -14, 14, -28, 28)]
    placed = []
    # a short direct label ("7 Laws") where exactly one tier moved, its title is short, and it fits without
    # touching anything, a line included; else the number alone
    moved = {}
    for ser in series:
        for c in ser["changes"]:
            if c["scope"] != "overall" and c.get("scope_title"):
                moved.setdefault((ser["iso3"], c["date"]), []).append(c["scope_title"])
    for m in sorted(markers, key=lambda m: (m["x"], m["y"])):
        tiers = moved.get((series[m["series"]]["iso3"], m["change"]["date"]), [])
        long = f"{m['number']} {tiers[0]}" if len(tiers) == 1 and len(tiers[0]) <= DIRECT_MAX else None
        choice = None
        for text, strict in ((long, True), (str(m["number"]), True), (str(m["number"]), False)):
            if text is None:
                continue
            for dx, dy in (offsets[:NEAR] if text == long else offsets):  # a direct label sits by its marker
                x, y = m["x"] + dx, m["y"] + dy
                box = _text_box(x, y, text, "start" if text == long and dx > 0 else "end" if text == long and dx < 0 else "middle")
                if box[0] < bounds[0] or box[2] > bounds[2] or box[1] < bounds[1] or box[3] > bounds[3]:
                    continue
                if any(_overlaps(box, o) for o in obstacles) or any(_overlaps(box, p) for p in placed):
                    continue
                if strict and _crosses(box, segments):
                    continue
                # a direct label only where no other marker is close enough to claim it
                if text == long and any(o is not m and _overlaps(box, (o["x"], o["y"], o["x"], o["y"]), pad=14) for o in markers):
                    continue
                choice = (x, y, box, text)
                break
            if choice:
                break
        if choice is None:  # no room anywhere near: the number stays in the marker's tooltip and the table
            m["label"] = None
            continue
        x, y, box, text = choice
        placed.append(box)
        far = abs(x - m["x"]) > 14 or abs(y - m["y"]) > 18
        anchor = "middle" if text != long or abs(x - m["x"]) < 1 else "start" if x > m["x"] else "end"
        m["label"] = {"x": round(x, 1), "y": round(y, 1), "text": text, "box": box, "anchor": anchor,
                      "leader": {"x2": round(x, 1), "y2": round(box[3] if y < m["y"] else box[1], 1)} if far else None}
    return {"width": LEFT + PLOT_W + RIGHT, "height": TOP + PLOT_H + 30, "y_axis": y_axis, "x_axis": x_axis,
            "left": LEFT, "plot_w": PLOT_W, "top": TOP, "plot_h": PLOT_H}
