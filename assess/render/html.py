"""Context -> one self-contained HTML file (styles inline, charts as SVG)."""

from __future__ import annotations

import os

import jinja2
import markupsafe

from .. import gcpause
from ..messages import load_messages
from ..messages import Formats
from .palette import BORDER, NOT_APPLICABLE, level_colours

TEMPLATE = "report.html"
WORLD_TEMPLATE = "world.html"  # more than six countries (render.world)


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """jinja2's cache of compiled templates, which never fails a report: a
    cache that cannot be read or written is as good as none."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or foreign file: compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiling report.html takes longer than rendering it for two countries.
    The compiled template is kept in the user's cache folder
    ($XDG_CACHE_HOME/assess/templates, else ~/.cache/assess/templates),
    checked against the SHA-1 of the template's text on every use (so an
    edited template is compiled again), and safe to delete."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "assess", "templates")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        return None
    return _QuietBytecodeCache(folder)


def css_string(text: str) -> markupsafe.Markup:
    """`text` as a CSS string in a <style> element (raw text, never HTML-escaped):
    quotes, backslashes, angle brackets and control characters as CSS escapes."""
    out = []
    for ch in str(text):
        out.append(f"\\{ord(ch):x} " if ch in "\"'\\<>&" or ord(ch) < 0x20 or ord(ch) == 0x7f else ch)
    return markupsafe.Markup('"' + "".join(out) + '"')


def render_html(context: dict, templates_dir: str) -> str:
    messages = load_messages(templates_dir, context["lang"])
    formats = Formats(messages)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        bytecode_cache=_bytecode_cache(),
        # on for every template whatever its name: evidence text is never markup
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    # the level scale (assess/render/palette.py), shared with the workbook
    env.globals.update(level_colours=level_colours, level_border=BORDER, level_na=NOT_APPLICABLE)
    env.filters["css_string"] = css_string
    env.globals.update(t=messages, fmt_num=formats.num, fmt_date=formats.date, fmt_time=formats.time, fmt_pct=formats.pct)
    from .world import is_world, world_context

    if is_world(context):  # a ranking, dot strips and a level matrix; the detail is in per-country reports
        return env.get_template(WORLD_TEMPLATE).render(**context, world=world_context(context, context.get("highlight")))
    with gcpause.paused():  # the page of 200 countries is a quarter of a million small strings
        return env.get_template(TEMPLATE).render(**context)
