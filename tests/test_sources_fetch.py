"""assess sources fetch / watch against a local server shaped like the registers.

The server (127.0.0.1, started here) serves fictional pages written for these
tests (tests/data/registers/pages): rt-codex is shaped like adilet.zan.kz
(UTF-8, editions at their own address), rt-portal like pravo.gov.ru's IPS
(windows-1251 declared in a <meta>). The second edition of the constitution
amends Art. 5(2), inserts a paragraph in Art. 7 so that 7(2) becomes 7(3), and
leaves Art. 1, 3 and 9 alone; so of the five findings exactly
xrt-ratification (amended) and xrt-friendship-groups (moved) are affected.
"""

import http.server
import json
import os
import shutil
import socket
import threading
import time

import pytest
from typer.testing import CliRunner

from assess import api
from assess.cli import app
from assess.sources.fetch import FetchError, Settings, get, read_page
from assess.sources.registers import TextHints
from assess.sources.watch import AMENDED, MOVED, UNCHANGED, word_diff

HERE = os.path.dirname(__file__)
DATA = os.path.join(HERE, "data", "registers")
PAGES = os.path.join(DATA, "pages")
runner = CliRunner()
FAST = Settings(timeout=2.0, retries=2, backoff=0.0, max_bytes=1024 * 1024, sleep=lambda s: None)


def page(name: str) -> bytes:
    with open(os.path.join(PAGES, name), "rb") as fh:
        return fh.read()


class Server:
    """Routes: path -> (status, headers, body) or a callable; `hits` counts requests per path."""

    def __init__(self):
        self.routes: dict = {}
        self.hits: dict = {}
        self.agents: list = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                server.agents.append(self.headers.get("User-Agent"))
                route = server.routes.get(self.path)
                if callable(route):
                    route = route(self)
                    if route is None:
                        return
                if route is None:
                    route = (404, {}, b"<html><body>Not found</body></html>")
                status, headers, body = route
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


HTML = {"Content-Type": "text/html; charset=utf-8"}


def edition(server: Server, year: int) -> None:
    body = page(f"codex-constitution-{year}.html")
    server.routes["/codex/eng/docs/K930000001_"] = (200, HTML, body)
    server.routes[f"/codex/eng/docs/K930000001_/{year}0301" if year == 2020 else "/codex/eng/docs/K930000001_/20260615"] = (200, HTML, body)
    # the portal declares its charset only in the page's <meta>
    server.routes["/portal/ips/?doc_itself=&nd=100000001"] = (200, {"Content-Type": "text/html"}, page("portal-law-treaties.cp1251.html"))


@pytest.fixture
def server(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    s = Server()
    edition(s, 2020)
    yield s
    s.close()


@pytest.fixture
def workspace(tmp_path, server):
    ws = tmp_path / "ws"
    shutil.copytree(os.path.join(DATA, "workspace"), ws)
    for path in (ws / "criteria" / "registers.yaml", ws / "evidence" / "XRT" / "constitution.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("127.0.0.1:PORT", f"127.0.0.1:{server.port}"), encoding="utf-8")
    return ws


def fetch(ws, *args):
    return runner.invoke(app, ["sources", "fetch", "XRT", "--data", str(ws), "--retries", "1", "--timeout", "2", *args])


def sources(ws):
    folder = ws / "evidence" / "XRT" / "sources"
    return sorted(os.listdir(folder)) if folder.is_dir() else []


# ---------------------------------------------------------------- what it must show


def test_fetch_stores_texts_then_verify_checks_every_finding_and_the_report_states_the_share(workspace, server, tmp_path):
    r = fetch(workspace)
    assert r.exit_code == 0, r.output
    assert sources(workspace) == ["xrt-constitution.en.txt", "xrt-law-treaties.ru.txt"]
    text = (workspace / "evidence" / "XRT" / "sources" / "xrt-constitution.en.txt").read_text(encoding="utf-8")
    head = dict(line[2:].split(": ", 1) for line in text.splitlines()[:8] if line.startswith("# "))
    assert head["source"] == f"{server.base}/codex/eng/docs/K930000001_"
    assert head["register"] == "rt-codex K930000001_"
    assert head["edition"] == "2020-03-01"  # read from "Edition of 01.03.2020" by the register's hint
    assert head["fetched-by"].startswith("assess ")
    import hashlib

    body = text.split("\n\n", 1)[1].rstrip("\n")
    assert head["sha256"] == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert "Footnote" not in text and "Article 99" not in text and "Home" not in text  # dropped: note, script, menu
    assert "Article 9. Joint sittings" in text and "2) decide questions of war and peace." in text
    ru = (workspace / "evidence" / "XRT" / "sources" / "xrt-law-treaties.ru.txt").read_text(encoding="utf-8")
    assert "1. Ратификация международных договоров осуществляется в форме закона." in ru  # cp1251 read as declared
    assert "# edition: 2021-01-10" in ru
    assert all(a.startswith("assess/") for a in server.agents)

    report = api.verify(["XRT"], data=str(workspace))
    kinds = {x.finding: x.kind for x in report.results}
    assert kinds == dict.fromkeys(["xrt-treaty-status", "xrt-ratification", "xrt-friendship-groups", "xrt-war-peace",
                                   "xrt-law-ratification"], "verified")
    assert report.summary.share == 1.0
    html = runner.invoke(app, ["report", "XRT", "--data", str(workspace), "--out", str(tmp_path / "out"), "--format", "html"])
    assert html.exit_code == 0, html.output
    out = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    # 5 of 5 findings have their quote at their locator in a fetched text
    assert "Verified against source texts (assess verify): 5 of 5 findings (100%)" in out
    assert "Checked against the current edition of their texts: 5 of 5 findings (100%); 0 only against an earlier edition" in out

    again = fetch(workspace)  # nothing changed at the register: nothing rewritten
    assert again.exit_code == 0 and "0 texts stored, 2 unchanged, 0 failed" in again.output


def test_watch_after_the_second_edition_names_exactly_the_amended_and_the_renumbered_findings(workspace, server):
    assert fetch(workspace).exit_code == 0
    quiet = runner.invoke(app, ["sources", "watch", "XRT", "--data", str(workspace), "--retries", "0"])
    assert quiet.exit_code == 0, quiet.output
    recorded = api.verify(["XRT"], data=str(workspace), record=True)
    assert len([a for a in recorded.recorded if a.action == "added"]) == 5
    assert "edition: 2020-03-01" in (workspace / "evidence" / "XRT" / "constitution.yaml").read_text(encoding="utf-8")
    edition(server, 2026)
    r = runner.invoke(app, ["sources", "watch", "XRT", "--data", str(workspace), "--format", "json", "--retries", "0"])
    assert r.exit_code == 3, r.output
    data = json.loads(r.output)
    changed = {f["finding"]: f for f in data["findings"] if f["result"] != UNCHANGED}
    assert sorted(changed) == ["xrt-friendship-groups", "xrt-ratification"]
    assert changed["xrt-ratification"]["result"] == AMENDED
    assert "{+, except treaties on the state border, which are ratified by referendum.+}" in changed["xrt-ratification"]["diff"] \
        or "{+Kingdom, except treaties on the state border, which are ratified by referendum.+}" in changed["xrt-ratification"]["diff"]
    assert changed["xrt-friendship-groups"]["result"] == MOVED
    assert changed["xrt-friendship-groups"]["moved_to"] == "Art. 7(3)"
    docs = {(d["document"], d["status"]) for d in data["documents"]}
    assert docs == {("xrt-constitution", "new edition"), ("xrt-law-treaties", "unchanged")}
    assert {d["current_edition"] for d in data["documents"] if d["document"] == "xrt-constitution"} == {"2026-06-15"}
    unchanged = sorted(f["finding"] for f in data["findings"] if f["result"] == UNCHANGED)
    assert unchanged == ["xrt-treaty-status", "xrt-war-peace"]  # the portal's text did not change: not compared

    md = runner.invoke(app, ["sources", "watch", "XRT", "--data", str(workspace), "--format", "markdown", "--retries", "0"])
    assert md.exit_code == 3
    assert "`xrt-ratification`" in md.output and "`xrt-friendship-groups`" in md.output and "```diff" in md.output
    assert "xrt-war-peace" not in md.output

    # fetch then keeps the 2020 text and stores the 2026 one, saying so
    f = fetch(workspace)
    assert f.exit_code == 0, f.output
    assert "new edition: XRT xrt-constitution (en)" in f.output and "edition 2026-06-15 replaces 2020-03-01" in f.output
    assert sources(workspace) == ["xrt-constitution.en.2020-03-01.txt", "xrt-constitution.en.txt", "xrt-law-treaties.ru.txt"]
    report = api.verify(["XRT"], data=str(workspace))
    by = {x.finding: x for x in report.results}
    # the renumbered finding is found only in the earlier edition: verify says so
    assert by["xrt-friendship-groups"].older_edition == "2020-03-01"
    assert "earlier edition" in by["xrt-friendship-groups"].detail
    assert report.summary.current == 4
    # the four constitution findings were checked against the 2020 edition; the current text is the 2026 one
    assert sorted(x.finding for x in report.results if x.checked_older) == [
        "xrt-friendship-groups", "xrt-ratification", "xrt-treaty-status", "xrt-war-peace"]
    assert "its check names edition 2020-03-01, the current text is edition 2026-06-15" in by["xrt-ratification"].detail
    assert report.summary.checked_older == 4 and not report.failed
    quiet = runner.invoke(app, ["sources", "watch", "XRT", "--data", str(workspace), "--retries", "0"])
    assert quiet.exit_code == 0, quiet.output


def test_with_the_network_unreachable_fetch_fails_one_line_per_document_and_writes_nothing(workspace, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    r = fetch(workspace)
    assert r.exit_code == 1
    errors = [line for line in r.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 2, r.output
    assert errors[0].startswith("error: XRT xrt-constitution (en): cannot reach 127.0.0.1: Network is unreachable")
    assert errors[1].startswith("error: XRT xrt-law-treaties (ru): cannot reach 127.0.0.1")
    assert "nothing written" in r.output
    assert sources(workspace) == []
    assert not (workspace / "evidence" / "XRT" / "sources").exists()


def test_every_other_command_stays_offline(workspace, monkeypatch, tmp_path):
    """Sockets blocked: every command but fetch and watch runs as usual."""
    opened = []

    def refuse(self, *args, **kwargs):
        opened.append(args)
        raise OSError(101, "Network is unreachable (blocked by the test)")

    assert fetch(workspace).exit_code == 0  # texts to work on (sockets still open here)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, *a))
    ws = str(workspace)
    out = tmp_path / "out"
    commands = [
        ["validate", "--data", ws], ["countries", "--data", ws], ["rubrics", "--data", ws], ["score", "XRT", "--data", ws],
        ["explain", "XRT", "con-treaties", "--data", ws], ["verify", "XRT", "--data", ws],
        ["sources", "list", "XRT", "--data", ws], ["sources", "show", "XRT", "xrt-constitution", "Art. 5", "--data", ws],
        ["suggest", "XRT", "xrt-constitution", "--data", ws, "--top", "1"], ["timeline", "XRT", "--data", ws],
        ["agreement", "XRT", "--data", ws], ["sensitivity", "XRT", "--data", ws, "--draws", "50"],
        ["report", "XRT", "--data", ws, "--out", str(out)], ["baseline", "--data", ws], ["check", "--data", ws],
        ["template", "XRT", "--data", ws, "--out", str(tmp_path / "entry.xlsx")],
        ["new", "XRU", "--data", ws, "--name", "Ruritania Two"],
        ["whatif", "KAZ", "--scenario", "kaz-constitution-2026-draft", "--draws", "20"],  # the shipped scenario
    ]
    ran = []
    for args in commands:
        r = runner.invoke(app, args)
        assert r.exit_code in (0, 1, 3), (args, r.output, r.exception)
        assert r.exception is None or isinstance(r.exception, SystemExit), (args, r.exception)
        ran.append(args[0] if args[0] != "sources" else "sources " + args[1])
    r = runner.invoke(app, ["import", str(tmp_path / "entry.xlsx"), "--data", ws, "--dry-run"])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.output
    ran.append("import")
    assert opened == []
    from typer.main import get_command

    root = get_command(app)
    every = {n for n in root.commands if n != "sources"} | {"sources " + n for n in root.commands["sources"].commands}
    assert every - set(ran) == {"sources fetch", "sources watch"}


# ---------------------------------------------------------------- the client, one failure at a time


def test_redirects_are_followed_and_the_final_address_recorded(server):
    server.routes["/r1"] = (302, {"Location": "/r2"}, b"")
    server.routes["/r2"] = (301, {"Location": "/codex/eng/docs/K930000001_"}, b"")
    p = get(server.base + "/r1", FAST)
    assert p.url == server.base + "/codex/eng/docs/K930000001_" and p.requested == server.base + "/r1"
    server.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchError, match="redirect"):
        get(server.base + "/loop", FAST)


def test_404_is_not_retried_and_says_so(server):
    with pytest.raises(FetchError, match=r"HTTP 404 .*check its identifier"):
        get(server.base + "/nothing", FAST)
    assert server.hits["/nothing"] == 1


def test_500_is_retried_with_back_off_then_fails(server):
    waits = []
    server.routes["/broken"] = (500, {}, b"oops")
    with pytest.raises(FetchError, match=r"HTTP 500 .* after 3 attempts"):
        get(server.base + "/broken", Settings(retries=2, backoff=0.5, sleep=waits.append))
    assert server.hits["/broken"] == 3 and waits == [0.5, 1.0]  # back-off doubles
    answers = iter([(503, {}, b"busy"), (200, HTML, b"<html><body><p>ok</p></body></html>")])
    server.routes["/flaky"] = lambda handler: next(answers)
    assert get(server.base + "/flaky", FAST).body.endswith(b"</html>")


def test_a_timeout_is_retried_then_reported(server):
    def slow(handler):
        time.sleep(1.0)
        return (200, HTML, b"<html></html>")

    server.routes["/slow"] = slow
    with pytest.raises(FetchError, match=r"no answer within 0.2 s after 2 attempts"):
        get(server.base + "/slow", Settings(timeout=0.2, retries=1, backoff=0.0, sleep=lambda s: None))


def test_an_oversized_page_is_refused(server):
    big = b"<html><body>" + b"x" * 300_000 + b"</body></html>"
    server.routes["/huge"] = (200, HTML, big)
    with pytest.raises(FetchError, match="limit of 0.1 MiB|the limit is 0.1 MiB"):
        get(server.base + "/huge", Settings(max_bytes=100_000, sleep=lambda s: None))

    def no_length(handler):  # no Content-Length: the body itself is cut at the limit
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        handler.wfile.write(big)
        handler.close_connection = True
        return None

    server.routes["/huge2"] = no_length
    with pytest.raises(FetchError, match="larger than the limit of 0.1 MiB"):
        get(server.base + "/huge2", Settings(max_bytes=100_000, sleep=lambda s: None))


def test_a_cp1251_page_declared_in_the_header_or_the_meta_is_read(server):
    body = page("portal-law-treaties.cp1251.html")
    server.routes["/h"] = (200, {"Content-Type": "text/html; charset=windows-1251"}, body.replace(b"charset=windows-1251", b""))
    server.routes["/m"] = (200, {"Content-Type": "text/html"}, body)
    hints = TextHints(xpath="//div[@id='text']", edition_pattern=r"Редакция от (\d{2}\.\d{2}\.\d{4})", edition_format="%d.%m.%Y")
    for path in ("/h", "/m"):
        text, ed, note, charset = read_page(get(server.base + path, FAST), hints)
        assert "Статья 2. Ратификация" in text and ed.isoformat() == "2021-01-10" and charset.lower() in ("windows-1251", "cp1251")
    server.routes["/u"] = (200, {"Content-Type": "text/html; charset=utf-8"}, body)  # mislabelled as UTF-8
    with pytest.raises(FetchError, match="not valid utf-8"):
        read_page(get(server.base + "/u", FAST), hints)


def test_a_changed_layout_is_a_clear_error_not_garbage(workspace, server):
    server.routes["/codex/eng/docs/K930000001_"] = (200, HTML, page("codex-layout-changed.html"))
    r = fetch(workspace, "--document", "xrt-constitution")
    assert r.exit_code == 1
    assert "has no element at //div[@class='act-text']" in r.output and "layout may have changed" in r.output
    server.routes["/codex/eng/docs/K930000001_"] = (200, HTML, page("codex-menus-only.html"))
    r = fetch(workspace, "--document", "xrt-constitution")
    assert r.exit_code == 1 and "has 0 provisions" in r.output and "expected at least 3" in r.output
    assert sources(workspace) == []


def test_the_pinned_edition_is_fetched_from_its_own_address(workspace, server):
    path = workspace / "evidence" / "XRT" / "constitution.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: K930000001_}", "id: K930000001_, edition: 2026-06-15}"), encoding="utf-8")
    server.routes["/codex/eng/docs/K930000001_/20260615"] = (200, HTML, page("codex-constitution-2026.html"))
    r = fetch(workspace, "--document", "xrt-constitution")
    assert r.exit_code == 0, r.output
    assert server.hits.get("/codex/eng/docs/K930000001_/20260615") == 1
    assert "# edition: 2026-06-15" in (workspace / "evidence" / "XRT" / "sources" / "xrt-constitution.en.txt").read_text(encoding="utf-8")


def test_a_proxy_from_the_environment_is_used(server, monkeypatch):
    proxy = Server()
    try:
        proxy.routes["http://register.invalid/doc"] = (200, HTML, b"<html><body><p>via proxy</p></body></html>")
        monkeypatch.setenv("http_proxy", proxy.base)
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        p = get("http://register.invalid/doc", FAST)
        assert b"via proxy" in p.body and proxy.hits == {"http://register.invalid/doc": 1}
    finally:
        proxy.close()


def test_word_diff():
    assert word_diff("a b c d", "a x c d e") == "a [-b-] {+x+} c d {+e+}"


# ---------------------------------------------------------------- identifiers as data


def test_validate_checks_identifier_forms_and_registers(workspace):
    path = workspace / "evidence" / "XRT" / "constitution.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: K930000001_}", "id: K93-1}").replace("name: rt-portal", "name: rt-portl"), encoding="utf-8")
    r = runner.invoke(app, ["validate", "--data", str(workspace)])
    assert r.exit_code == 1
    lines = text.splitlines()
    line_codex = next(i for i, x in enumerate(lines, 1) if "K930000001_" in x and "register" in x)
    line_portal = next(i for i, x in enumerate(lines, 1) if "rt-portal" in x)
    assert (f"constitution.yaml:{line_codex}: register: document 'xrt-constitution': 'K93-1' is not an identifier of "
            "rt-codex: expected the form [A-Z][0-9]{2}[0-9A-Z]{7}[0-9A-Z_] (e.g. K930000001_)") in r.output
    assert f"constitution.yaml:{line_portal}: register: document 'xrt-law-treaties' names an unknown register 'rt-portl' (did you mean 'rt-portal'?)" in r.output


def test_a_broken_registers_file_names_file_line_and_field(workspace):
    path = workspace / "criteria" / "registers.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("pattern: '[0-9]{9}'", "pattern: '[0-9'")
                    .replace("en: http://127.0.0.1", "en: ftp://127.0.0.1", 1), encoding="utf-8")
    r = runner.invoke(app, ["validate", "--data", str(workspace)])
    assert r.exit_code == 1
    assert "registers.yaml:" in r.output and "pattern: not a regular expression" in r.output
    assert "en: expected a URL pattern starting http:// or https://" in r.output


def test_the_shipped_registers_accept_the_shipped_identifiers():
    loaded = api.load(None)
    regs = api.registers(loaded)
    assert {"adilet", "pravo-ips", "pravo-publication", "eli"} <= set(regs)
    named = [(e.iso3, d.id, d.register) for e in loaded.countries.values() for d in e.documents.values() if d.register]
    assert named, "the shipped KAZ and RUS documents name register identifiers"
    for code, doc, rid in named:
        assert regs[rid.register].check_id(rid.id) is None, (code, doc, rid)


def test_a_document_with_only_a_url_is_fetched_through_redirects_in_the_language_the_page_names(workspace, server):
    path = workspace / "evidence" / "XRT" / "constitution.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nfindings:\n", f"""  - id: xrt-old-constitution
    type: constitution
    title: {{en: Constitution of Ruritania (as published)}}
    adopted: 1920-01-01
    in_force_from: 1920-01-01
    url: {server.base}/r1

findings:
""", 1), encoding="utf-8")
    server.routes["/r1"] = (302, {"Location": "/r2"}, b"")
    server.routes["/r2"] = (301, {"Location": "/codex/eng/docs/K930000001_"}, b"")
    r = fetch(workspace, "--document", "xrt-old-constitution")
    assert r.exit_code == 0, r.output
    assert "(redirected from " in r.output
    text = (workspace / "evidence" / "XRT" / "sources" / "xrt-old-constitution.en.txt").read_text(encoding="utf-8")
    assert f"# source: {server.base}/codex/eng/docs/K930000001_\n# requested: {server.base}/r1\n" in text
    assert "# register:" not in text and "# edition: 2020-03-01" in text  # the host's register hints read the page


def test_a_bad_xpath_in_a_workspace_registers_file_is_named(workspace):
    path = workspace / "criteria" / "registers.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("xpath: //div[@id='text']", "xpath: //div[@id='text'"), encoding="utf-8")
    r = runner.invoke(app, ["validate", "--data", str(workspace)])
    assert r.exit_code == 1 and "registers.yaml:" in r.output and "xpath: not an XPath expression" in r.output


def test_fetch_never_writes_into_the_shipped_data(tmp_path):
    r = runner.invoke(app, ["sources", "fetch", "KAZ"])
    assert r.exit_code == 2 and "the shipped data is read-only" in r.output


def test_a_document_with_two_failing_texts_is_one_line(workspace, monkeypatch):
    path = workspace / "evidence" / "XRT" / "constitution.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: K930000001_}", "id: K930000001_, lang: [en, ru]}"), encoding="utf-8")

    def refuse(*args, **kwargs):
        raise OSError(111, "Connection refused")

    monkeypatch.setattr(socket, "create_connection", refuse)
    r = fetch(workspace, "--document", "xrt-constitution")
    errors = [line for line in r.output.splitlines() if line.startswith("error:")]
    assert r.exit_code == 1 and len(errors) == 1
    assert errors[0].startswith("error: XRT xrt-constitution: en: cannot reach 127.0.0.1: Connection refused") and "; ru: cannot reach" in errors[0]
    assert sources(workspace) == []


def test_a_redirect_to_another_scheme_is_not_followed(server):
    server.routes["/ftp"] = (302, {"Location": "ftp://127.0.0.1/secret"}, b"")
    with pytest.raises(FetchError, match="not an http"):
        get(server.base + "/ftp", FAST)


def test_an_earlier_text_is_kept_under_a_safe_name_whatever_its_header_says(workspace, server):
    folder = workspace / "evidence" / "XRT" / "sources"
    folder.mkdir()
    (folder / "xrt-constitution.en.txt").write_text("# source: https://example.org/x\n# edition: ../../../escape\n\nArticle 1.\nOld.\n", encoding="utf-8")
    r = fetch(workspace, "--document", "xrt-constitution")
    assert r.exit_code == 0, r.output
    assert sorted(os.listdir(folder)) == ["xrt-constitution.en.escape.txt", "xrt-constitution.en.txt"]
    assert "new edition: XRT xrt-constitution (en)" in r.output and "the earlier text kept as xrt-constitution.en.escape.txt" in r.output
