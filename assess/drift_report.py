"""Drift -> what CI systems and people read: a text table, JUnit XML, a
pull-request comment in Markdown, and GitHub workflow annotations."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr, escape

from .baseline import Change, Drift
from .textout import table


def _show(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.0f}"
    return str(value).replace("_", " ")


def _delta(change: Change) -> str:
    d = change.delta
    return "" if d is None else f"{d:+.2f}".rstrip("0").rstrip(".")


def _what(change: Change) -> str:
    return change.id if change.scope in ("criterion", "overall") else f"{change.scope} {change.id}"


def drift_text(drift: Drift) -> str:
    base = drift.baseline
    head = f"baseline: rubric {base['rubric']['id']} {base['rubric']['version']}, as of {base['as_of']}"
    if not drift.drifted:
        text = head + "\nno drift: every score matches the baseline"
        if drift.rubric_notes:
            # nothing moved, so CI passes, but the analyst should know the baseline is stale
            text += "\nbut the rubric changed: " + "; ".join(drift.rubric_notes)
            text += "\nrecord it with `assess baseline --update` so the baseline names the rubric scores are checked against"
        return text
    rows = [[c.country, _what(c), _show(c.before), _show(c.after), _delta(c), "; ".join(c.why)] for c in drift.changes]
    lines = [head, table(rows, ["country", "what", "before", "after", "delta", "why"], right=(2, 3, 4))]
    lines.append(f"\n{len(drift.changes)} score(s) moved. If the change is intended, accept it with `assess baseline --update` and commit the baseline.")
    return "\n".join(lines)


def drift_markdown(drift: Drift) -> str:
    base = drift.baseline
    out = [f"### assess: score check against the baseline ({base['rubric']['id']} {base['rubric']['version']}, as of {base['as_of']})", ""]
    if not drift.drifted:
        out.append("No drift: every score matches the baseline.")
        return "\n".join(out) + "\n"
    out.append(f"**{len(drift.changes)} score(s) moved.** If intended, run `assess baseline --update` and commit the baseline.")
    out.append("")
    out.append("| country | what | before | after | delta | why |")
    out.append("|---|---|---:|---:|---:|---|")
    for c in drift.changes:
        why = "<br>".join(_md(w) for w in c.why)
        out.append(f"| {c.country} | {_md(_what(c))} | {_show(c.before)} | {_show(c.after)} | {_delta(c)} | {why} |")
    if drift.rubric_notes:
        out.extend(["", "Rubric changes:", ""] + [f"- {_md(n)}" for n in drift.rubric_notes])
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def drift_junit(drift: Drift) -> str:
    """One test case per country x criterion; tiers and the overall index in a second suite."""
    current = drift.current["countries"]
    baseline = drift.baseline["countries"]
    suites = []
    for suite_name, scope_of in (("criteria", lambda: "criterion"), ("scores", None)):
        cases = []
        for country in sorted(set(current) | set(baseline)):
            data = current.get(country) or baseline.get(country)
            if suite_name == "criteria":
                ids = list(data["criteria"]) + [x for x in (baseline.get(country) or {}).get("criteria", {}) if x not in data["criteria"]]
                keys = [("criterion", i) for i in ids]
            else:
                keys = [("tier", t) for t in data["tiers"]] + [("overall", "overall")]
            for scope, id_ in keys:
                change = drift.failing(country, scope, id_) or drift.failing(country, "country", country)
                name = id_ if scope != "tier" else f"tier {id_}"
                case = f'    <testcase classname={quoteattr(f"assess.{country}")} name={quoteattr(name)}'
                if change:
                    message = f"{_show(change.before)} -> {_show(change.after)}"
                    body = escape("\n".join(change.why))
                    case += f">\n      <failure message={quoteattr(message)} type=\"drift\">{body}</failure>\n    </testcase>"
                else:
                    case += " />"
                cases.append((case, change is not None))
        failures = sum(1 for _, failed in cases if failed)
        suites.append(
            f'  <testsuite name={quoteattr("assess." + suite_name)} tests="{len(cases)}" failures="{failures}" errors="0" skipped="0">\n'
            + "\n".join(c for c, _ in cases)
            + "\n  </testsuite>"
        )
    return '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="assess check">\n' + "\n".join(suites) + "\n</testsuites>\n"


def drift_github(drift: Drift) -> str:
    """GitHub Actions workflow commands: one error per moved criterion, at the evidence line."""
    lines = []
    for c in drift.changes:
        message = f"{c.country} {_what(c)}: {_show(c.before)} -> {_show(c.after)}. " + "; ".join(c.why)
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
