"""`assess sources fetch`: a document's text from its register (or its `url`)
into evidence/<ISO3>/sources/<document>.<lang>.txt.

The only module, with watch, that opens network connections, and only when
called. HTTP goes through urllib, so the usual proxy settings (http_proxy,
https_proxy, no_proxy) apply; every request has a timeout, names the tool and
its version as its user agent, and is retried with exponential back-off after
a timeout, a refused connection or a 429/5xx answer. A page larger than the
maximum size is refused before it is read whole. The page's charset is the one
its headers declare, else its <meta> declares (windows-1251 still occurs), else
UTF-8.

The legal text is read from the HTML with lxml (where the register's hints in
criteria/registers.yaml say it is), one block of the page a line, so the
provision parser (parse.py) finds the articles, paragraphs and items. A page
that does not hold what the hints expect (no element where the text should be,
fewer provisions than expected) is an error, never a stored text of menus.

A stored text starts with its provenance:

    # source: https://adilet.zan.kz/rus/docs/K950001000_     (the address answered, after redirects)
    # register: adilet K950001000_
    # edition: 2022-09-19                                     (or: unknown)
    # retrieved: 2026-12-01T03:00:00Z
    # sha256: ...                                             (of the text below the header, UTF-8)
    # fetched-by: assess 0.1.0
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import os
import re
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..common.messages import say
from .parse import parse_text
from .registers import Register, TextHints, register_for_url

MAX_BYTES = 20 * 1024 * 1024  # as texts.MAX_BYTES: a stored text must be readable
RETRY_STATUS = (429, 500, 502, 503, 504)


class FetchError(Exception):
    """A page that could not be fetched or read, in words for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class LayoutError(FetchError):
    """The page answered, but does not hold what the register's hints expect."""


@dataclass(frozen=True)
class Settings:
    timeout: float = 30.0  # seconds, per attempt
    retries: int = 3  # attempts after the first
    backoff: float = 2.0  # seconds before the first retry, doubled for each next one
    max_bytes: int = MAX_BYTES
    max_redirects: int = 5
    sleep: object = time.sleep  # tests pass a recorder


def user_agent() -> str:
    """The User-Agent assess sends: its name and version, the distribution, and
    what the texts are fetched for.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> user_agent().startswith("assess/")
        True
    """
    from .._version import __version__

    return f"assess/{__version__} (parliamentary-assess; source texts for a study of legislation; python-urllib)"


@dataclass(frozen=True)
class Page:
    url: str  # the address that answered, after redirects
    requested: str
    body: bytes
    content_type: str
    charset: str | None  # declared by the headers


class _Redirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, limit: int):
        super().__init__()
        self.max_redirections = limit
        self.max_repeats = min(self.max_repeats, limit)

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        scheme = urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):  # urllib would follow ftp:// too
            raise FetchError(say("e_fetch_bad_redirect", url=req.full_url, to=newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def get(url: str, settings: Settings = Settings()) -> Page:
    """One page, with retries (as `settings` says: timeout, retries with
    backoff on a timeout, a broken connection or a retryable HTTP status,
    redirects and size limits), through any proxy the environment names.

    Returns: `Page` (the URL that answered, the body, content type, charset).
    Raises: `FetchError` with one line saying why not.

    Example:
        >>> page = get("https://adilet.zan.kz/rus/docs/K950001000_")
        >>> page.url, page.content_type, len(page.body)
    """
    opener = urllib.request.build_opener(_Redirects(settings.max_redirects))  # ProxyHandler from the environment
    host = urlsplit(url).hostname or url
    last = ""
    for attempt in range(settings.retries + 1):
        if attempt:
            settings.sleep(settings.backoff * 2 ** (attempt - 1))
        request = urllib.request.Request(url, headers={
            "User-Agent": user_agent(), "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"})
        try:
            with opener.open(request, timeout=settings.timeout) as resp:
                length = resp.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > settings.max_bytes:
                    raise FetchError(say("e_fetch_too_big", url=url, size=f"{int(length) / 2**20:.1f}",
                                         limit=f"{settings.max_bytes / 2**20:.1f}"))
                body = resp.read(settings.max_bytes + 1)
                if len(body) > settings.max_bytes:
                    raise FetchError(say("e_fetch_over_limit", url=url, limit=f"{settings.max_bytes / 2**20:.1f}"))
                ctype = resp.headers.get_content_type() or ""
                return Page(resp.geturl(), url, body, ctype, resp.headers.get_content_charset())
        except urllib.error.HTTPError as exc:
            if exc.code in (301, 302, 303, 307, 308):
                raise FetchError(say("e_fetch_redirects", url=url, n=settings.max_redirects,
                                     to=exc.headers.get("Location", "?"))) from None
            if exc.code in RETRY_STATUS:
                last = say("e_fetch_http_after", url=url, code=exc.code, reason=exc.reason, n=attempt + 1)
                continue
            raise FetchError(say("e_fetch_http", url=url, code=exc.code, reason=exc.reason,
                                 hint=say("e_fetch_no_such_document") if exc.code in (404, 410) else "")) from None
        except FetchError:
            raise
        except (socket.timeout, TimeoutError):
            last = say("e_fetch_timeout", url=url, seconds=f"{settings.timeout:g}", n=attempt + 1)
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                last = say("e_fetch_timeout", url=url, seconds=f"{settings.timeout:g}", n=attempt + 1)
            else:
                why = getattr(reason, "strerror", None) or str(reason)
                last = say("e_fetch_unreachable", host=host, why=why, url=url, n=attempt + 1)
        except http.client.HTTPException as exc:  # a connection cut mid-answer, a malformed answer
            last = say("e_fetch_broke_off", url=url, error=type(exc).__name__, n=attempt + 1)
        except (ConnectionError, OSError) as exc:
            last = say("e_fetch_unreachable", host=host, why=exc.strerror or str(exc), url=url, n=attempt + 1)
        except ValueError as exc:  # an address urllib cannot use
            raise FetchError(say("e_fetch_url_problem", url=url, why=str(exc))) from None
    raise FetchError(last)


# ---------------------------------------------------------------- the page -> the legal text

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article",
          "blockquote", "pre", "dt", "dd", "dl", "center", "hr", "main", "aside", "header", "footer", "nav", "form",
          "tbody", "thead", "body", "title"}


def decode(page: Page) -> tuple[str, str]:
    """The page as text, and the charset it was read in: a byte-order mark,
    else the charset of the HTTP answer, else a <meta charset> in its first
    8 KiB, else UTF-8.

    Returns: `tuple[str, str]`.
    Raises: `FetchError` for an unknown charset or bytes that are not in it.

    Example:
        >>> text, charset = decode(page)
    """
    body = page.body
    charset = page.charset
    if body.startswith(b"\xef\xbb\xbf"):
        charset, body = "utf-8", body[3:]
    if not charset:
        m = _META_CHARSET.search(body[:8192])
        charset = m.group(1).decode("ascii") if m else "utf-8"
    try:
        return body.decode(charset), charset
    except LookupError:
        raise FetchError(say("e_fetch_charset", url=page.url, charset=charset)) from None
    except UnicodeDecodeError as exc:
        raise FetchError(say("e_fetch_not_charset", url=page.url, charset=charset, byte=exc.start)) from None


def _lines(root) -> list[str]:
    parts: list[str] = []

    def walk(e, pre: bool) -> None:
        tag = e.tag.lower() if isinstance(e.tag, str) else None
        block = tag in _BLOCK
        if block:
            parts.append("\n")
        if tag is not None and e.text:
            parts.append(e.text if pre or tag == "pre" else e.text.replace("\n", " "))
        for child in e:
            walk(child, pre or tag == "pre")
            if child.tail:
                parts.append(child.tail if pre else child.tail.replace("\n", " "))
        if tag in ("td", "th"):
            parts.append(" ")
        if block:
            parts.append("\n")

    walk(root, False)
    out = []
    for line in "".join(parts).split("\n"):
        line = " ".join(line.replace("\u00a0", " ").split())
        if line:
            out.append(line)
    return out


def extract(html_text: str, hints: TextHints, where: str) -> tuple[str, dt.date | None, str | None]:
    """(the legal text, one provision or paragraph a line; the edition the
    page states, if the hints say how; a note when they say how and it is not
    there). `where` names the page in messages. Elements the hints drop are
    removed first; the text is taken from the hints' XPath (else the body).

    Returns: `tuple[str, date | None, str | None]`.
    Raises: `LayoutError` (a FetchError) when the page is not HTML or not what
    the hints expect (no element at the XPath, fewer provisions than
    min_provisions); `ImportError` without lxml.

    Example:
        >>> body, edition, note = extract(html_text, registers["adilet"].text, url)
    """
    from lxml import etree, html as lhtml

    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", html_text)  # lxml refuses an encoding declaration in a str
    try:
        doc = lhtml.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise LayoutError(say("e_fetch_not_html", url=where, why=str(exc))) from None
    for xp in hints.drop:
        for el in doc.xpath(xp):
            if isinstance(el, etree._Element) and el.getparent() is not None:
                el.drop_tree()
    if hints.xpath:
        found = [e for e in doc.xpath(hints.xpath) if isinstance(e, etree._Element)]
        if not found:
            raise LayoutError(say("e_fetch_no_element", url=where, xpath=hints.xpath))
    else:
        found = doc.xpath("//body") or [doc]
    lines: list[str] = []
    for el in found:
        lines.extend(_lines(el))
    body = "\n".join(lines)
    edition, note = None, None
    if hints.edition_pattern:
        whole = " ".join(doc.text_content().split())
        m = re.search(hints.edition_pattern, whole)
        if m is None:
            note = say("e_fetch_no_edition")
        else:
            try:
                edition = dt.datetime.strptime(m.group(1), hints.edition_format).date()
            except ValueError:
                note = say("e_fetch_edition_unread", edition=m.group(1), format=hints.edition_format)
    provisions = sum(1 for _ in parse_text(body).walk())
    if provisions < hints.min_provisions:
        raise LayoutError(say("e_fetch_few_provisions", url=where, n=provisions, least=hints.min_provisions))
    return body, edition, note


def read_page(page: Page, hints: TextHints) -> tuple[str, dt.date | None, str | None, str]:
    """(text, edition, note, charset) of a fetched page: plain text as it is
    (whitespace collapsed per line), HTML through `extract`.

    Returns: `tuple[str, date | None, str | None, str]`.
    Raises: `LayoutError` for a PDF, a plain text without provisions or an
    HTML page not laid out as the hints expect; `FetchError` from decode.

    Example:
        >>> text, edition, note, charset = read_page(get(url), registers["adilet"].text)
    """
    if page.content_type in ("application/pdf",) or page.body[:5] == b"%PDF-":
        raise LayoutError(say("e_fetch_pdf", url=page.url))
    text, charset = decode(page)
    if page.content_type == "text/plain":
        body = "\n".join(" ".join(x.split()) for x in text.splitlines() if x.strip())
        provisions = sum(1 for _ in parse_text(body).walk())
        if provisions < hints.min_provisions:
            raise LayoutError(say("e_fetch_no_provisions", url=page.url))
        return body, None, None, charset
    body, edition, note = extract(text, hints, page.url)
    return body, edition, note, charset


# ---------------------------------------------------------------- documents -> targets


@dataclass(frozen=True)
class Target:
    """One text to fetch: a document in one language, from this address."""

    country: str
    document: str
    lang: str
    url: str
    register: Register | None
    identifier: str | None
    edition: dt.date | None  # the edition the document names (fetched where the register has its address)
    hints: TextHints


_LANG_ATTR = re.compile(rb"""<html[^>]*\blang\s*=\s*["']?([A-Za-z]{2})""", re.I)


def targets(country: str, document, registers: dict[str, Register], langs: tuple[str, ...] = ()) -> tuple[list[Target], str | None]:
    """The texts to fetch for one document, or ([], why not): by its register
    identifier, one per language (`langs`, else the languages the document
    names that the register publishes), pinned to the identifier's edition
    where the register keeps editions; else its `url`.

    Returns: `tuple[list[Target], str | None]`.
    Raises: nothing.

    Example:
        >>> found, why = targets("KAZ", evidence.documents["kaz-constitution"], registers, ("ru",))
    """
    rid = document.register
    if rid is not None:
        reg = registers.get(rid.register)
        if reg is None:
            return [], say("e_fetch_unknown_register", register=rid.register)
        if reg.check_id(rid.id):
            return [], reg.check_id(rid.id)
        chosen = tuple(x for x in langs if x in reg.url) if langs else reg.langs(rid.langs)
        if not chosen:
            return [], say("e_fetch_register_no_lang", register=reg.id, langs="/".join(langs), known=", ".join(reg.url))
        return [Target(country, document.id, lang, reg.url_for(rid.id, lang, rid.edition if reg.editions else None), reg, rid.id,
                       rid.edition, reg.text) for lang in chosen], None
    if document.url and re.match(r"https?://", document.url):
        reg = register_for_url(registers, document.url)
        lang = langs[0] if len(langs) == 1 else None
        return [Target(country, document.id, lang or "", document.url, reg, None, None, reg.text if reg else TextHints())], None
    return [], say("e_fetch_no_address")


# ---------------------------------------------------------------- storing


def header(t: Target, url: str, edition: dt.date | None, retrieved: dt.datetime, sha: str, page_sha: str, charset: str) -> str:
    """The `# key: value` header a stored source text starts with: source URL,
    the URL requested when redirected, register and identifier, edition,
    retrieval time (UTC), SHA-256 of the text and of the page (with its
    charset), and the assess version; a blank line ends it.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> print(header(target, page.url, None, now(), sha256(text), page_sha, "utf-8"))
    """
    from .._version import __version__

    lines = [f"# source: {url}"]
    if url != t.url:
        lines.append(f"# requested: {t.url}")
    if t.register is not None and t.identifier:
        lines.append(f"# register: {t.register.id} {t.identifier}")
    lines.append(f"# edition: {edition.isoformat() if edition else 'unknown'}")
    lines.append(f"# retrieved: {retrieved.strftime('%Y-%m-%dT%H:%M:%SZ')}")
    lines.append(f"# sha256: {sha}")
    lines.append(f"# page-sha256: {page_sha} ({charset})")
    lines.append(f"# fetched-by: assess {__version__}")
    return "\n".join(lines) + "\n\n"


def body_of(text: str) -> str:
    r"""The text of a stored source below its `# ...` header lines (and the blank
    lines among them), without final newlines.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> body_of("# source: https://adilet.zan.kz/x\n\nСтатья 1.\n")
        'Статья 1.'
    """
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().lstrip("\ufeff").startswith("#")):
        i += 1
    return "\n".join(lines[i:]).rstrip("\n")


def sha256(text: str) -> str:
    """The SHA-256 of a text encoded as UTF-8, in hexadecimal.

    Returns: `str` (64 hexadecimal digits).
    Raises: nothing.

    Example:
        >>> sha256("")[:16]
        'e3b0c44298fc1c14'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> dt.datetime:
    """The retrieval time: SOURCE_DATE_EPOCH when set (reproducible output), else
    the clock, in UTC to the second.

    Returns: `datetime` (aware, UTC).
    Raises: nothing.

    Example:
        >>> os.environ["SOURCE_DATE_EPOCH"] = "1780000000"
        >>> now()
        datetime.datetime(2026, 5, 28, 20, 26, 40, tzinfo=datetime.timezone.utc)
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


@dataclass
class Fetched:
    """What fetch did for one document in one language."""

    country: str
    document: str
    lang: str
    url: str
    action: str  # new | unchanged | updated | new edition | failed
    detail: str
    path: str | None = None
    edition: dt.date | None = None
    writes: list = field(default_factory=list)  # (path, bytes)
    parts: tuple = ()  # `detail` as catalogue entries (messages.said)

    def detail_in(self, lang: str) -> str:
        from ..common.messages import said

        return said(self.parts, lang, self.detail)

    @property
    def failed(self) -> bool:
        return self.action == "failed"

    def to_dict(self) -> dict:
        return {"country": self.country, "document": self.document, "lang": self.lang, "url": self.url,
                "action": self.action, "detail": self.detail, "file": self.path,
                "edition": self.edition.isoformat() if self.edition else None}


def fetch_one(t: Target, folder: str, settings: Settings = Settings(), retrieved: dt.datetime | None = None) -> Fetched:
    """Fetches one text and plans what to write (nothing is written here): a
    new text; "unchanged" when the stored one is the register's; else the
    new text with the earlier one kept beside it as
    <document>.<lang>.<edition>.txt. A page that cannot be fetched or read
    is a "failed" result saying why.

    Returns: `Fetched` (``.action``, ``.detail``, ``.writes`` as (path, bytes)).
    Raises: nothing (failures are results).

    Example:
        >>> f = fetch_one(found[0], "evidence/KAZ/sources")
        >>> f.action, f.detail
    """
    try:
        page = get(t.url, settings)
        text, edition, note, charset = read_page(page, t.hints)
    except FetchError as exc:
        return Fetched(t.country, t.document, t.lang, t.url, "failed", exc.message)
    lang = t.lang
    if not lang:
        m = _LANG_ATTR.search(page.body[:8192])
        lang = m.group(1).decode().lower() if m else ""
        from ..data.model import LANGUAGES

        if lang not in LANGUAGES:
            return Fetched(t.country, t.document, "?", t.url, "failed",
                           say("e_fetch_no_language", url=page.url, langs=", ".join(LANGUAGES)))
    edition = edition or t.edition
    sha = sha256(text)
    retrieved = retrieved or now()
    path = os.path.join(folder, f"{t.document}.{lang}.txt")
    stored = header(t, page.url, edition, retrieved, sha, hashlib.sha256(page.body).hexdigest(), charset) + text + "\n"
    base = Fetched(t.country, t.document, lang, page.url, "new", "", path, edition)
    note = f"; {note}" if note else ""
    redirected = f" (redirected from {t.url})" if page.url != t.url else ""
    ed_text = edition.isoformat() if edition else "edition unknown"
    ed_part = ("fetch_edition", {"edition": edition.isoformat()}) if edition else ("fetch_edition_unknown", {})
    note_parts = ((("fetch_note", {"note": note[2:]}),) if note else ())
    if not os.path.exists(path):
        base.detail = f"stored {ed_text}{redirected}{note}"
        base.parts = (("fetch_stored", {}), ed_part, *((("fetch_redirected", {"url": t.url}),) if redirected else ()), *note_parts)
        base.writes = [(path, stored.encode("utf-8"))]
        return base
    try:
        with open(path, encoding="utf-8-sig") as fh:
            old = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        return Fetched(t.country, t.document, lang, t.url, "failed", say("e_fetch_stored_unreadable", path=path, why=str(exc)))
    from .parse import parse_text as _parse

    old_header = _parse(old[:4000]).header
    old_edition = old_header.get("edition")
    if sha256(body_of(old)) == sha:
        base.action, base.detail = "unchanged", f"the stored text is the register's ({ed_text}){note}"
        base.parts = (("fetch_same_open", {}), ed_part, ("fetch_close", {}), *note_parts)
        return base
    # never replace a text without keeping it: the earlier one goes to <document>.<lang>.<edition>.txt
    label = old_edition if old_edition and old_edition != "unknown" else (old_header.get("retrieved", "")[:10] or "earlier")
    label = re.sub(r"[^A-Za-z0-9_-]+", "-", label).strip("-")[:40] or "earlier"  # a header is text: never a path
    keep = os.path.join(folder, f"{t.document}.{lang}.{label}.txt")
    n = 2
    while os.path.exists(keep):
        keep = os.path.join(folder, f"{t.document}.{lang}.{label}-{n}.txt")
        n += 1
    base.writes = [(keep, old.encode("utf-8")), (path, stored.encode("utf-8"))]
    if edition and old_edition and old_edition != "unknown" and edition.isoformat() != old_edition:
        base.action = "new edition"
        base.detail = f"edition {ed_text} replaces {old_edition}; the earlier text kept as {os.path.basename(keep)}{note}"
        base.parts = (("fetch_replaces", {"edition": ed_text, "old": old_edition, "kept": os.path.basename(keep)}), *note_parts)
    else:
        base.action = "updated"
        base.detail = (f"the register's text ({ed_text}) differs from the stored one ({old_edition or 'edition unknown'}); "
                       f"the earlier text kept as {os.path.basename(keep)}{note}")
        old_part = ("fetch_edition", {"edition": old_edition}) if old_edition else ("fetch_edition_unknown", {})
        base.parts = (("fetch_differs_open", {}), ed_part, ("fetch_differs_mid", {}), old_part,
                      ("fetch_kept", {"kept": os.path.basename(keep)}), *note_parts)
    return base
