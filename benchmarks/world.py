"""The world report against its targets: `assess report --all` on the synthetic world workspace
(200 countries by default; the world layout is used for more than six), in each language, with the
size of its HTML and its workbook and the HTML's load time in headless Chromium.

    python benchmarks/world.py                    # 200 countries, en ru kk, 5 loads each
    python benchmarks/world.py --markdown         # the same, table in Markdown (benchmarks/README.md)
    python benchmarks/world.py --countries 800 --langs en --loads 0   # sizes and memory only

Targets (issue #17, section 7), at 200 countries: HTML at most 2 MB, loading in Chromium in under
1 s; workbook at most 2 MB. The load time is the navigation's `loadEventEnd` (milliseconds from the
start of the navigation to the end of the `load` event), each time in a new page, median of
--loads. The browser is Chromium from $ASSESS_CHROMIUM, else /usr/bin/chromium, driven by the
`playwright` package, with `--no-sandbox`; no browser is ever downloaded. Without either, the load
column is left out with a note, and only the size targets are judged.

Exit codes: 0 every judged target met, 1 a target missed or a report failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from run import MIB, PY, machine, run_once, table, tool_cmd  # noqa: E402

HTML_MAX = 2_000_000  # bytes (2 MB)
XLSX_MAX = 2_000_000
LOAD_MAX_MS = 1000.0
LANGS = ("en", "ru", "kk")


def chromium_path() -> str | None:
    """$ASSESS_CHROMIUM if it is set (None when it names no executable: as
    `assess report --format pdf` reads it), else /usr/bin/chromium, else
    chromium or chromium-browser on PATH."""
    named = os.environ.get("ASSESS_CHROMIUM")
    if named:
        return shutil.which(named)
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """Headless Chromium through playwright, or the reason it is not there."""

    def __init__(self):
        self.reason = None
        self._pw = self._browser = None
        exe = chromium_path()
        if exe is None:
            self.reason = "no Chromium (set ASSESS_CHROMIUM or install Debian's chromium)"
            return
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            self.reason = "the playwright package is not installed (pip install playwright; no browser download needed)"
            return
        try:
            self._pw = sync_playwright().start()
            self._browser = self._pw.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        except Exception as exc:  # noqa: BLE001 - any launch failure means: no load column
            self.close()
            self.reason = f"Chromium at {exe} did not start ({str(exc).splitlines()[0][:120]})"

    @property
    def available(self) -> bool:
        return self._browser is not None

    def load_ms(self, path: Path) -> tuple[float, int]:
        """One load in a new page: loadEventEnd in ms, and the number of elements."""
        page = self._browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            page.goto(path.resolve().as_uri(), wait_until="load")
            ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
            elements = page.evaluate("document.getElementsByTagName('*').length")
        finally:
            page.close()
        return float(ms), int(elements)

    def close(self):
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._pw is not None:
            self._pw.stop()
            self._pw = None


def met(ok: bool | None) -> str:
    return "-" if ok is None else ("yes" if ok else "NO")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--countries", type=int, default=200, metavar="N", help="countries in the world (default 200; 7 or more)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="generator seed (default 0)")
    parser.add_argument("--langs", default=",".join(LANGS), metavar="L,...", help="report languages (default en,ru,kk)")
    parser.add_argument("--loads", type=int, default=5, metavar="N", help="Chromium loads per report, median taken (default 5; 0: none)")
    parser.add_argument("--highlight", default="KAZ,RUS", metavar="ISO3,...", help="countries highlighted (default KAZ,RUS)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--timeout", type=float, default=900.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    langs = [x.strip() for x in args.langs.split(",") if x.strip()]
    if args.countries < 7:
        parser.error("--countries must be 7 or more (the world layout is for more than six countries)")
    if not langs or any(lang not in LANGS for lang in langs):
        parser.error("--langs takes a comma list of en, ru, kk")
    if args.loads < 0:
        parser.error("--loads must be 0 or more")
    valid = len(generate.iso_codes()) + len(generate.user_assigned_codes())
    if args.countries > valid:
        parser.error(f"--countries at most {valid} (beyond that, codes assess rejects: see run.py --scale)")

    started = time.perf_counter()
    start_machine = machine()
    browser = Browser() if args.loads else None
    rows, judged, passed, failures = [], 0, 0, []
    try:
        with tempfile.TemporaryDirectory(prefix="assess-world-") as tmp:
            env = {k: v for k, v in os.environ.items() if k not in ("ASSESS_DATA", "PYTHONPROFILEIMPORTTIME")}
            env["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")
            cwd = os.path.join(tmp, "cwd")
            os.makedirs(cwd)
            ws = os.path.join(tmp, "world")
            generate.generate(ws, args.countries, args.seed)
            for lang in langs:
                out = Path(tmp) / f"out-{lang}"
                cmd = tool_cmd() + ["report", "--all", "--data", ws, "--out", str(out), "--lang", lang,
                                    "--highlight", args.highlight]
                sample, code, tail = run_once(cmd, cwd, args.timeout, env)
                if code != 0:
                    failures.append(f"report --all --lang {lang}: exit {code}: {tail}")
                    continue
                html = sorted(out.glob("*.html"))
                xlsx = sorted(out.glob("*.xlsx"))
                if len(html) != 1 or len(xlsx) != 1:
                    failures.append(f"report --all --lang {lang}: expected one .html and one .xlsx in {out}, "
                                    f"found {[p.name for p in html + xlsx]}")
                    continue
                h, x = html[0].stat().st_size, xlsx[0].stat().st_size
                ok_h, ok_x = h <= HTML_MAX, x <= XLSX_MAX
                load = elements = ok_l = None
                runs: list[float] = []
                if browser is not None and browser.available:
                    for _ in range(args.loads):
                        ms, elements = browser.load_ms(html[0])
                        runs.append(ms)
                    load = statistics.median(runs)
                    ok_l = load < LOAD_MAX_MS
                for ok in (ok_h, ok_x, ok_l):
                    if ok is not None:
                        judged += 1
                        passed += ok
                rows.append([lang, f"{h:,}", met(ok_h), f"{x:,}", met(ok_x),
                             "-" if load is None else f"{load:.0f}", met(ok_l),
                             "-" if not runs else " ".join(f"{r:.0f}" for r in runs),
                             "-" if elements is None else f"{elements:,}",
                             f"{sample.cpu:.2f}", f"{sample.wall:.2f}", f"{sample.rss / MIB:.0f}"])
                print(f"  {lang}: HTML {h:,} B, workbook {x:,} B"
                      + ("" if load is None else f", load {load:.0f} ms") + f", {sample.cpu:.1f} s CPU", file=sys.stderr)
    finally:
        if browser is not None:
            browser.close()

    header = ["lang", "HTML bytes", "<= 2 MB", "workbook bytes", "<= 2 MB", "load ms (median)", "< 1 s",
              "load ms (each)", "elements", "report CPU s", "report wall s", "peak MiB"]
    print(table(rows, header, {1, 3, 5, 8, 9, 10, 11}, args.markdown))
    print(f"\n`assess report --all --highlight {args.highlight}` on {args.countries:,} countries (seed {args.seed}); "
          f"load: Chromium loadEventEnd, a new page each time, "
          + (f"median of {args.loads}" if browser is not None and not browser.reason else "not measured")
          + f"; total {time.perf_counter() - started:.0f} s; {dt.date.today().isoformat()}")
    print(f"machine: {start_machine}")
    if browser is not None and browser.reason:
        print(f"load time not measured: {browser.reason}; only the size targets are judged")
    print("targets: HTML <= 2 MB and loading in under 1 s; workbook <= 2 MB (set for 200 countries)")
    for f in failures:
        print(f"failed: {f}")
    print(f"targets met: {passed}/{judged}")
    return 0 if passed == judged and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
