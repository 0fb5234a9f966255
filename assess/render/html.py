"""Context -> one self-contained HTML file (styles inline, charts as SVG)."""

from __future__ import annotations

import jinja2

from .. import gcpause
from .context import load_messages
from .formats import Formats

TEMPLATE = "report.html"


def render_html(context: dict, templates_dir: str) -> str:
    messages = load_messages(templates_dir, context["lang"])
    formats = Formats(messages)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        # on for every template whatever its name: evidence text is never markup
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.globals.update(t=messages, fmt_num=formats.num, fmt_date=formats.date, fmt_pct=formats.pct)
    with gcpause.paused():  # the page of 200 countries is a quarter of a million small strings
        return env.get_template(TEMPLATE).render(**context)
