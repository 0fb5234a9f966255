"""Drift -> what CI systems and people read: a text table, JUnit XML, a
pull-request comment in Markdown, and GitHub workflow annotations.

Each says the same: coverage moves (which criteria are no longer, or newly,
assessed, and why), each criterion's level or status move, and tier scores and
the index like with like (on the criteria assessed both in the baseline and
now), with the raw move beside, labelled, where coverage moved."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr, escape

from ..analyses.baseline import Change, Drift
from .textout import table


def _show(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.0f}"
    return str(value).replace("_", " ")


def _signed(d: float | None) -> str:
    return "" if d is None else f"{d:+.2f}".rstrip("0").rstrip(".")


def _delta(change: Change) -> str:
    return _signed(change.delta)


def _what(change: Change) -> str:
    return change.id if change.scope in ("criterion", "overall", "coverage") else f"{change.scope} {change.id}"


def _like(change: Change) -> str:
    """How a tier or index change was compared: on which criteria, and the raw move if coverage moved."""
    of = " of the tier" if change.scope == "tier" else ""
    if change.common:
        text = f"on the {change.common} criteri{'on' if change.common == 1 else 'a'}{of} assessed in both"
    else:
        text = f"no criterion{of} assessed in both"
    if change.coverage_moved:
        text += (f"; raw {_show(change.raw_before)} -> {_show(change.raw_after)}"
                 + (f" ({_signed(change.raw_delta)})" if change.raw_delta is not None else "")
                 + f" on {change.assessed_before} -> {change.assessed_after} assessed criteria: not like with like, not a move")
    return text


def _why(change: Change, table: bool = False) -> list[str]:
    if change.scope in ("tier", "overall") and change.common is not None:
        return [_like(change)] + change.why
    if change.scope == "coverage" and table:
        # a table row under the summary, which names the criteria and why
        counts = [f"{len(change.left)} no longer assessed"] if change.left else []
        counts += [f"{len(change.joined)} newly assessed"] if change.joined else []
        return [", ".join(counts) + ": see above"]
    return change.why


def _summary(drift: Drift) -> list[str]:
    """Per country, the coverage move and the index like with like: the lines to read first."""
    lines = []
    for country in sorted({c.country for c in drift.changes}):
        coverage = drift.find(country, "coverage", "coverage")
        overall = drift.find(country, "overall", "overall")
        if coverage is not None:
            parts = []
            if coverage.left:
                parts.append(f"{', '.join(coverage.left)} no longer assessed")
            if coverage.joined:
                parts.append(f"{', '.join(coverage.joined)} newly assessed")
            lines.append(f"{country} coverage {coverage.before} -> {coverage.after} criteria: {'; '.join(parts)}")
            lines.extend(f"  {', '.join(ids)}: {reason}" for _, ids, reason in coverage.groups)
        if overall is not None and overall.common is not None:
            if overall.common:
                lines.append(f"{country} index {_show(overall.before)} -> {_show(overall.after)} ({_signed(overall.delta)}) "
                             f"on the {overall.common} criteri{'on' if overall.common == 1 else 'a'} assessed in both")
            else:
                lines.append(f"{country} index: no criterion assessed in both")
            if overall.coverage_moved:
                raw_delta = f" ({_signed(overall.raw_delta)})" if overall.raw_delta is not None else ""
                lines.append(f"  raw index {_show(overall.raw_before)} -> {_show(overall.raw_after)}{raw_delta} "
                             f"on {overall.assessed_before} -> {overall.assessed_after} assessed criteria: "
                             "not like with like, do not read it as a move")
    return lines


def _footer(drift: Drift) -> str:
    n = len(drift.failures)
    text = f"{n} change{'s' * (n != 1)} fail{'s' * (n == 1)} the check"
    if drift.tolerance:
        text += (f" (tolerance {_show(float(drift.tolerance))} applies to tier scores and the index only; "
                 "coverage, level and status moves always fail)")
    return text + ". If the change is intended, accept it with `assess baseline --update` and commit the baseline."


def _covers(drift: Drift) -> str:
    """', countries checked: UZB (this workspace); KAZ, RUS (shipped with assess, read-only)'."""
    if not drift.countries:
        return ""
    mine = [c for c in drift.countries if c not in drift.shipped]
    theirs = [c for c in drift.countries if c in drift.shipped]
    parts = ([f"{', '.join(mine)} (this workspace)"] if mine else []) + \
            ([f"{', '.join(theirs)} (shipped with assess, read-only)"] if theirs else [])
    return ", countries checked: " + "; ".join(parts)


def drift_text(drift: Drift) -> str:
    """The terminal view of a check against the baseline: the baseline's rubric
    and date (and the countries checked); without drift, that every score
    matches (or the moves within the tolerance, as a table) and any rubric
    change to record; with drift, a summary, a table of every change
    (country, what, before, after, delta, why) and what to do next.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> print(drift_text(assess.check_baseline(data="my-workspace")))
    """
    base = drift.baseline
    head = f"baseline: rubric {base['rubric']['id']} {base['rubric']['version']}, as of {base['as_of']}" + _covers(drift)
    if not drift.drifted:
        if drift.changes:
            # only score moves within the tolerance: shown, not failing
            rows = [[c.country, _what(c), _show(c.before), _show(c.after), _delta(c), "; ".join(_why(c))] for c in drift.changes]
            text = (head + f"\nno drift beyond the tolerance of {_show(float(drift.tolerance))}: coverage, levels and statuses match; "
                    "these scores moved within it\n" + table(rows, ["country", "what", "before", "after", "delta", "why"], right=(2, 3, 4)))
        else:
            text = head + "\nno drift: every score matches the baseline"
        if drift.rubric_notes:
            # nothing moved, so CI passes, but the analyst should know the baseline is stale
            text += "\nbut the rubric changed: " + "; ".join(drift.rubric_notes)
            text += "\nrecord it with `assess baseline --update` so the baseline names the rubric scores are checked against"
        return text
    rows = [[c.country, _what(c), _show(c.before), _show(c.after), _delta(c), ("" if c.failing else "(shown, not failing) ") + "; ".join(_why(c, table=True))]
            for c in drift.changes]
    lines = [head, ""] + _summary(drift) + ["", table(rows, ["country", "what", "before", "after", "delta", "why"], right=(2, 3, 4))]
    lines.append("\n" + _footer(drift))
    return "\n".join(lines)


def drift_markdown(drift: Drift) -> str:
    """The check against the baseline as Markdown for a pull-request comment:
    a heading naming the baseline, then "no drift" (with the moves within
    the tolerance), or a summary and a table of every change, and the rubric
    changes.

    Returns: `str` (ending in a newline).
    Raises: nothing.

    Example:
        >>> comment = drift_markdown(assess.check_baseline(data="my-workspace"))
    """
    base = drift.baseline
    out = [f"### assess: score check against the baseline ({base['rubric']['id']} {base['rubric']['version']}, as of {base['as_of']})", ""]
    if drift.countries:
        out += [f"Countries checked{_covers(drift)[len(', countries checked'):]}", ""]
    if not drift.drifted:
        if drift.changes:
            out.append(f"No drift beyond the tolerance of {_show(float(drift.tolerance))}: coverage, levels and statuses match; "
                       + ", ".join(f"{c.country} {_what(c)} {_show(c.before)} -> {_show(c.after)}" for c in drift.changes)
                       + " moved within it.")
        else:
            out.append("No drift: every score matches the baseline.")
        return "\n".join(out) + "\n"
    out.append(f"**{_footer(drift)}**")
    out.append("")
    out.extend(f"- {_md(line.strip())}" if not line.startswith("  ") else f"  - {_md(line.strip())}" for line in _summary(drift))
    out.append("")
    out.append("| country | what | before | after | delta | why |")
    out.append("|---|---|---:|---:|---:|---|")
    for c in drift.changes:
        why = "<br>".join(_md(w) for w in ([] if c.failing else ["(shown, not failing)"]) + _why(c, table=True))
        out.append(f"| {c.country} | {_md(_what(c))} | {_show(c.before)} | {_show(c.after)} | {_delta(c)} | {why} |")
    if drift.rubric_notes:
        out.extend(["", "Rubric changes:", ""] + [f"- {_md(n)}" for n in drift.rubric_notes])
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def drift_junit(drift: Drift) -> str:
    """The check as JUnit XML: one test case per country x criterion; each
    country's coverage, tiers and overall index in a second suite. A tier or
    index row shown for information only (its raw value moved with coverage,
    its like-with-like value did not) passes, with the comparison in its
    system-out; a failing change is a failure with before -> after and why.

    Returns: `str` (an XML document).
    Raises: nothing.

    Example:
        >>> xml = drift_junit(drift)
        >>> xml.startswith("<?xml")
    """
    current = drift.current["countries"]
    baseline = drift.baseline["countries"]
    suites = []
    for suite_name in ("criteria", "scores"):
        cases = []
        for country in sorted(set(current) | set(baseline)):
            data = current.get(country) or baseline.get(country)
            if suite_name == "criteria":
                ids = list(data["criteria"]) + [x for x in (baseline.get(country) or {}).get("criteria", {}) if x not in data["criteria"]]
                keys = [("criterion", i) for i in ids]
            else:
                keys = [("coverage", "coverage")] + [("tier", t) for t in data["tiers"]] + [("overall", "overall")]
            for scope, id_ in keys:
                change = drift.find(country, scope, id_) or drift.find(country, "country", country)
                name = id_ if scope != "tier" else f"tier {id_}"
                case = f'    <testcase classname={quoteattr(f"assess.{country}")} name={quoteattr(name)}'
                failed = change is not None and change.failing
                if change is None:
                    case += " />"
                else:
                    message = f"{_show(change.before)} -> {_show(change.after)}"
                    if change.scope == "coverage":
                        message += " criteria assessed"
                    body = escape("\n".join(_why(change)))
                    if failed:
                        case += f">\n      <failure message={quoteattr(message)} type=\"drift\">{body}</failure>\n    </testcase>"
                    else:
                        case += f">\n      <system-out>{escape(message)}\n{body}</system-out>\n    </testcase>"
                cases.append((case, failed))
        failures = sum(1 for _, failed in cases if failed)
        suites.append(
            f'  <testsuite name={quoteattr("assess." + suite_name)} tests="{len(cases)}" failures="{failures}" errors="0" skipped="0">\n'
            + "\n".join(c for c, _ in cases)
            + "\n  </testsuite>"
        )
    return '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="assess check">\n' + "\n".join(suites) + "\n</testsuites>\n"


def drift_github(drift: Drift) -> str:
    """GitHub Actions workflow commands: one `::error` per failing change, at
    the evidence line (up to five places for a criterion; the first for a
    tier or index), with what moved and why.

    Returns: `str` (empty without failures; else ending in a newline).
    Raises: nothing.

    Example:
        >>> print(drift_github(drift), end="")
    """
    lines = []
    for c in drift.failures:
        message = f"{c.country} {_what(c)}: {_show(c.before)} -> {_show(c.after)}. " + "; ".join(_why(c))
        title = f"assess: {c.country} {_what(c)} moved"
        places = c.locations or [(f, None, "") for f in c.files] or [(None, None, "")]
        for path, line, _ in places[:5]:
            props = [f"title={_gh_prop(title)}"]
            if path:
                props.insert(0, f"file={_gh_prop(path)}")
            if line:
                props.insert(1, f"line={line}")
            lines.append(f"::error {','.join(props)}::{_gh_data(message)}")
            if c.scope != "criterion":
                break
    return "\n".join(lines) + ("\n" if lines else "")


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")
