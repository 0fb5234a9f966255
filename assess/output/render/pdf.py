"""The HTML report printed to PDF by a headless Chromium that is already
installed, driven by the `playwright` package (issue 17 §8).

The browser is never downloaded: ASSESS_CHROMIUM names it, else the first of
chromium, chromium-browser, google-chrome-stable, google-chrome on PATH. The
page is printed with its own print stylesheet (A4, page numbers and the running
header from report.css / report.html); no request leaves the machine."""

from __future__ import annotations

import os
import re
import shutil

from ...common.errors import AssessError
from ...common.messages import say

BROWSER_ENV = "ASSESS_CHROMIUM"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")
# the flags of a browser run as a printer: no sandbox (it is often run as root in containers), nothing fetched
BROWSER_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage")


class NoBrowser(AssessError):
    """PDF asked for, but no Chromium or no playwright package (exit 1)."""

    exit_code = 1


def find_browser() -> str | None:
    """The Chromium to print with: $ASSESS_CHROMIUM if it names an executable
    (None if it names none), else the first of BROWSER_NAMES on PATH.

    Returns: `str` (the executable's path) or None.
    Raises: nothing.

    Example:
        >>> find_browser()
        '/usr/bin/chromium'
    """
    named = os.environ.get(BROWSER_ENV)
    if named:
        found = shutil.which(named)
        return found if found else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def check_available() -> str:
    """The browser's path, when PDF can be made: the playwright package is
    installed and a Chromium found (find_browser).

    Returns: `str`.
    Raises: `NoBrowser` saying in one line what to install (assess never
    downloads a browser).

    Example:
        >>> check_available()
        '/usr/bin/chromium'
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise NoBrowser(say("e_pdf_no_playwright")) from None
    browser = find_browser()
    if browser is None:
        where = (say("e_pdf_not_executable", variable=BROWSER_ENV, value=os.environ[BROWSER_ENV])
                 if os.environ.get(BROWSER_ENV) else "")
        raise NoBrowser(say("e_pdf_no_chromium", where=where, variable=BROWSER_ENV))
    return browser


def stamp_dates(pdf: bytes, when) -> bytes:
    """The PDF's CreationDate and ModDate set to `when` (the report's own
    generation time) instead of the moment of printing: the same report gives
    the same bytes. Same length, so the cross-reference offsets stay right.
    `when` None leaves the PDF as it is.

    Returns: `bytes`.
    Raises: nothing.

    Example:
        >>> stamp_dates(b"/CreationDate (D:20260101120000Z)", dt.datetime(2026, 11, 1, 9, 30))
        b'/CreationDate (D:20261101093000Z)'
    """
    if when is None:
        return pdf
    stamp = when.strftime("D:%Y%m%d%H%M%S").encode("ascii")
    return re.sub(rb"(/(?:CreationDate|ModDate) \()D:\d{14}", lambda m: m.group(1) + stamp, pdf)


def html_to_pdf(html: str, browser: str | None = None, when=None) -> bytes:
    """The PDF of one self-contained HTML page, A4 as its print stylesheet says,
    printed by Chromium through playwright with JavaScript off and every
    fetch but data: and about: refused; dated `when` (a datetime in UTC) if given. `browser`: the
    executable (default: check_available()).

    Returns: `bytes`.
    Raises: `NoBrowser` when playwright or a browser is missing, or the
    browser cannot print the page.

    Example:
        >>> pdf = html_to_pdf(render_html(context, templates_dir))
    """
    browser = browser or check_available()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=browser, args=list(BROWSER_ARGS))
            try:
                page = chromium.new_page(java_script_enabled=False)
                # the report is self-contained: anything it would fetch is refused, not fetched
                page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(("data:", "about:"))
                           else route.continue_())
                page.set_content(html, wait_until="load")
                page.emulate_media(media="print")
                return stamp_dates(page.pdf(prefer_css_page_size=True, print_background=True), when)
            finally:
                chromium.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NoBrowser(say("e_pdf_failed", browser=browser, why=first)) from None
