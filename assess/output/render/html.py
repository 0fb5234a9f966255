"""Context -> one self-contained HTML file (styles inline, charts as SVG)."""

from __future__ import annotations

import os

import jinja2
import markupsafe

from ...common import gcpause
from ...common.messages import load_messages
from ...common.messages import Formats
from .palette import BORDER, NOT_APPLICABLE, level_colours

TEMPLATE = "report.html"
WORLD_TEMPLATE = "world.html"  # more than six countries (render.world)


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """jinja2's cache of compiled templates, which never fails a report: a
    cache file that cannot be read is compiled afresh and replaced, and says
    so on stderr (logging, logger "assess"); a cache that cannot be written is
    as good as none.

    A compiled template is keyed by everything that shapes its code: the
    template's name, its text (jinja2's checksum), the Environment's
    settings (autoescape, whitespace control, delimiters, extensions,
    optimisation, async), and the jinja2 and Python versions. A changed
    setting compiles afresh even on a machine whose cache is warm."""

    def get_bucket(self, environment, name, filename, source):
        key = self.get_cache_key(name, filename) + "-" + _environment_key(environment)
        checksum = self.get_source_checksum(source)
        bucket = jinja2.bccache.Bucket(environment, key, checksum)
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception as exc:  # a truncated or foreign file: compile afresh, and say so
            import logging

            logging.getLogger("assess").warning(
                "assess: the compiled-template cache %s could not be read (%s: %s); compiled afresh",
                self._get_cache_filename(bucket), type(exc).__name__, exc)
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _environment_key(env: jinja2.Environment) -> str:
    """A digest of every Environment setting that changes the compiled code."""
    import hashlib
    import sys

    autoescape = env.autoescape
    if callable(autoescape):
        autoescape = f"{getattr(autoescape, '__module__', '')}.{getattr(autoescape, '__qualname__', repr(autoescape))}"
    settings = [
        jinja2.__version__, sys.version, type(env).__module__ + "." + type(env).__qualname__, autoescape,
        env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
        env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        sorted(env.extensions), env.optimized, env.is_async,
    ]
    return hashlib.sha256(repr(settings).encode("utf-8")).hexdigest()[:16]


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
    r"""`text` as a CSS string in a <style> element (raw text, never HTML-escaped):
    quotes, backslashes, angle brackets, ampersands and control characters as
    CSS escapes; the report's template filter `css_string`.

    Returns: `markupsafe.Markup` (the quoted string).
    Raises: nothing.

    Example:
        >>> css_string('a"<b')
        Markup('"a\\22 \\3c b"')
    """
    out = []
    for ch in str(text):
        out.append(f"\\{ord(ch):x} " if ch in "\"'\\<>&" or ord(ch) < 0x20 or ord(ch) == 0x7f else ch)
    return markupsafe.Markup('"' + "".join(out) + '"')


def render_html(context: dict, templates_dir: str) -> str:
    """The report page for a report context (build_context), in the context's
    language, from the templates in `templates_dir`, autoescaped: the
    side-by-side report, or the world layout (world_context) for more
    countries than a side-by-side page holds.

    Returns: `str` (the HTML page).
    Raises: `jinja2.TemplateError` for a template that is missing or broken
    (or uses a name the context lacks).

    Example:
        >>> html = render_html(build_context(...), assess.templates_dir())
    """
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
