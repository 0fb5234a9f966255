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
    return _shown(value)


def _shown(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.0f}"
    return str(value).replace("_", " ")


def _signed(d: float | None) -> str:
    return "" if d is None else f"{d:+.2f}".rstrip("0").rstrip(".")


def _delta(change: Change) -> str:
    return _signed(change.delta)


def _what(change: Change, lang: str = "en") -> str:
    if lang != "en" and change.scope in ("tier", "overall", "coverage"):
        from ..common.messages import catalogue

        t = catalogue(lang)
        return {"tier": lambda: t("cli_drift_tier", id=change.id), "overall": lambda: t("cli_overall_short"),
                "coverage": lambda: t("cli_coverage")}[change.scope]()
    if change.scope in ("criterion", "overall", "coverage"):
        return change.id
    return f"{change.scope} {change.id}"


def _like(change: Change, lang: str = "en") -> str:
    """How a tier or index change was compared: on which criteria, and the raw move if coverage moved."""
    from ..common.messages import catalogue

    t = catalogue(lang)
    of = t("cli_drift_of_tier") if change.scope == "tier" else ""
    if change.common:
        text = t("cli_drift_like", n=change.common, of=of)
    else:
        text = t("cli_drift_like_none", of=of)
    if change.coverage_moved:
        text += t("cli_drift_raw", before=_show(change.raw_before), after=_show(change.raw_after),
                  delta=f" ({_signed(change.raw_delta)})" if change.raw_delta is not None else "",
                  assessed_before=change.assessed_before, assessed_after=change.assessed_after)
    return text


def _why(change: Change, table: bool = False, lang: str = "en") -> list[str]:
    if change.scope in ("tier", "overall") and change.common is not None:
        return [_like(change, lang)] + change.why
    if change.scope == "coverage" and table:
        # a table row under the summary, which names the criteria and why
        from ..common.messages import catalogue

        t = catalogue(lang)
        counts = [t("cli_drift_counts_left", n=len(change.left))] if change.left else []
        counts += [t("cli_drift_counts_joined", n=len(change.joined))] if change.joined else []
        return [", ".join(counts) + t("cli_drift_see_above")]
    return change.why


def _summary(drift: Drift, lang: str = "en") -> list[str]:
    """Per country, the coverage move and the index like with like: the lines to read first."""
    from ..common.messages import catalogue

    t = catalogue(lang)
    lines = []
    for country in sorted({c.country for c in drift.changes}):
        coverage = drift.find(country, "coverage", "coverage")
        overall = drift.find(country, "overall", "overall")
        if coverage is not None:
            parts = []
            if coverage.left:
                parts.append(t("cli_drift_no_longer", ids=", ".join(coverage.left)))
            if coverage.joined:
                parts.append(t("cli_drift_newly", ids=", ".join(coverage.joined)))
            lines.append(t("cli_drift_coverage", country=country, before=coverage.before, after=coverage.after, parts="; ".join(parts)))
            lines.extend(f"  {', '.join(ids)}: {reason}" for _, ids, reason in coverage.groups)
        if overall is not None and overall.common is not None:
            if overall.common:
                lines.append(t("cli_drift_index", country=country, before=_show(overall.before), after=_show(overall.after),
                               delta=_signed(overall.delta), n=overall.common))
            else:
                lines.append(t("cli_drift_index_none", country=country))
            if overall.coverage_moved:
                raw_delta = f" ({_signed(overall.raw_delta)})" if overall.raw_delta is not None else ""
                lines.append(t("cli_drift_raw_index", before=_show(overall.raw_before), after=_show(overall.raw_after), delta=raw_delta,
                               assessed_before=overall.assessed_before, assessed_after=overall.assessed_after))
    return lines


def _footer(drift: Drift, lang: str = "en") -> str:
    from ..common.messages import catalogue

    t = catalogue(lang)
    n = len(drift.failures)
    text = t("cli_drift_footer", n=n, fails="fails" if n == 1 else "fail")
    if drift.tolerance:
        text += t("cli_drift_tolerance", tolerance=_show(float(drift.tolerance)))
    return text + t("cli_drift_accept")


def _covers(drift: Drift, lang: str = "en") -> str:
    """', countries checked: UZB (this workspace); KAZ, RUS (shipped with assess, read-only)'."""
    if not drift.countries:
        return ""
    from ..common.messages import catalogue

    t = catalogue(lang)
    mine = [c for c in drift.countries if c not in drift.shipped]
    theirs = [c for c in drift.countries if c in drift.shipped]
    parts = ([t("cli_codes_mine", codes=", ".join(mine))] if mine else []) + \
            ([t("cli_codes_shipped", codes=", ".join(theirs))] if theirs else [])
    return t("cli_drift_covers", parts="; ".join(parts))


def drift_text(drift: Drift, lang: str = "en") -> str:
    """The terminal view of a check against the baseline: the baseline's rubric
    and date (and the countries checked); without drift, that every score
    matches (or the moves within the tolerance, as a table) and any rubric
    change to record; with drift, a summary, a table of every change
    (country, what, before, after, delta, why) and what to do next.

    Texts are written in `lang` (en, ru, kk; the catalogue's words).

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> print(drift_text(assess.check_baseline(data="my-workspace")))
    """
    from ..common.messages import catalogue

    t = catalogue(lang)
    heads = [t(f"cli_drift_head_{k}") for k in ("country", "what", "before", "after", "delta", "why")]
    statuses = {"not_assessed": t("cli_not_assessed"), "not_applicable": t("cli_na")}

    def _show(value) -> str:  # a criterion's status in the catalogue's words
        return statuses[value] if isinstance(value, str) and value in statuses else _shown(value)

    base = drift.baseline
    head = t("cli_drift_head", id=base['rubric']['id'], version=base['rubric']['version'], date=base['as_of']) + _covers(drift, lang)
    if not drift.drifted:
        if drift.changes:
            # only score moves within the tolerance: shown, not failing
            rows = [[c.country, _what(c, lang), _show(c.before), _show(c.after), _delta(c), "; ".join(_why(c, lang=lang))]
                    for c in drift.changes]
            text = (head + "\n" + t("cli_drift_within", tolerance=_show(float(drift.tolerance))) + "\n"
                    + table(rows, heads, right=(2, 3, 4)))
        else:
            text = head + "\n" + t("cli_drift_none")
        if drift.rubric_notes:
            # nothing moved, so CI passes, but the analyst should know the baseline is stale
            text += "\n" + t("cli_drift_rubric_changed", notes="; ".join(drift.rubric_notes))
            text += "\n" + t("cli_drift_rubric_record")
        return text
    rows = [[c.country, _what(c, lang), _show(c.before), _show(c.after), _delta(c),
             ("" if c.failing else t("cli_drift_shown")) + "; ".join(_why(c, table=True, lang=lang))]
            for c in drift.changes]
    lines = [head, ""] + _summary(drift, lang) + ["", table(rows, heads, right=(2, 3, 4))]
    lines.append("\n" + _footer(drift, lang))
    return "\n".join(lines)


def drift_markdown(drift: Drift, lang: str = "en") -> str:
    """The check against the baseline as Markdown for a pull-request comment:
    a heading naming the baseline, then "no drift" (with the moves within
    the tolerance), or a summary and a table of every change, and the rubric
    changes.

    Texts are written in `lang` (en, ru, kk; the catalogue's words).

    Returns: `str` (ending in a newline).
    Raises: nothing.

    Example:
        >>> comment = drift_markdown(assess.check_baseline(data="my-workspace"))
    """
    if lang != "en":
        return _drift_markdown_in(drift, lang)
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


def _drift_markdown_in(drift: Drift, lang: str) -> str:
    """drift_markdown in another language: the text report's lines, as Markdown."""
    from ..common.messages import catalogue

    t = catalogue(lang)
    statuses = {"not_assessed": t("cli_not_assessed"), "not_applicable": t("cli_na")}

    def _show(value) -> str:  # a criterion's status in the catalogue's words
        return statuses[value] if isinstance(value, str) and value in statuses else _shown(value)

    text = drift_text(drift, lang)
    head, _, rest = text.partition("\n")
    out = [f"### assess: {_md(head)}", ""]
    if not drift.drifted:
        out += [_md(line) for line in rest.splitlines()]
        return "\n".join(out) + "\n"
    out.append(f"**{_md(_footer(drift, lang))}**")
    out.append("")
    out.extend(f"- {_md(line.strip())}" if not line.startswith("  ") else f"  - {_md(line.strip())}" for line in _summary(drift, lang))
    out.append("")
    out.append("| " + " | ".join(t(f"cli_drift_head_{k}") for k in ("country", "what", "before", "after", "delta", "why")) + " |")
    out.append("|---|---|---:|---:|---:|---|")
    for c in drift.changes:
        why = "<br>".join(_md(w) for w in ([] if c.failing else [t("cli_drift_shown").strip()]) + _why(c, table=True, lang=lang))
        out.append(f"| {c.country} | {_md(_what(c, lang))} | {_show(c.before)} | {_show(c.after)} | {_delta(c)} | {why} |")
    if drift.rubric_notes:
        out.extend(["", t("cli_drift_rubric_changed", notes=""), ""] + [f"- {_md(n)}" for n in drift.rubric_notes])
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


def drift_github(drift: Drift, lang: str = "en") -> str:
    """GitHub Actions workflow commands: one `::error` per failing change, at
    the evidence line (up to five places for a criterion; the first for a
    tier or index), with what moved and why.

    Texts are written in `lang` (en, ru, kk; the catalogue's words).

    Returns: `str` (empty without failures; else ending in a newline).
    Raises: nothing.

    Example:
        >>> print(drift_github(drift), end="")
    """
    from ..common.messages import catalogue

    t = catalogue(lang)
    statuses = {"not_assessed": t("cli_not_assessed"), "not_applicable": t("cli_na")} if lang != "en" else {}

    def _show(value) -> str:  # a criterion's status in the catalogue's words
        return statuses[value] if isinstance(value, str) and value in statuses else _shown(value)

    lines = []
    for c in drift.failures:
        message = f"{c.country} {_what(c, lang)}: {_show(c.before)} -> {_show(c.after)}. " + "; ".join(_why(c, lang=lang))
        title = t("cli_drift_github_title", country=c.country, what=_what(c, lang))
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
