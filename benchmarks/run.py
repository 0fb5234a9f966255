"""Time `assess` at world scale against floors measured in the same run.

    python benchmarks/run.py [--quick] [--repeat N]

Generates a synthetic world workspace (benchmarks/generate.py: 200 countries,
20 with --quick) into a temporary folder, then runs each case as a whole
process (wall clock, median of N runs: 5 by default, 3 with --quick) next to
its floor, the cheapest process that does the unavoidable part of the same
work. Prints a table and `targets met: N/M`; exits 1 if any target is missed.
Needs no network. See benchmarks/README.md for what each floor means.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

PY = sys.executable
GIB = 1024 ** 3

HELP_APP = textwrap.dedent('''
    import typer

    app = typer.Typer(add_completion=False, no_args_is_help=True)


    @app.command()
    def one(name: str = typer.Argument(...)):
        """The first command."""


    @app.command()
    def two(count: int = typer.Option(1, "--count")):
        """The second command."""


    @app.command()
    def three(flag: bool = typer.Option(False, "--flag")):
        """The third command."""


    if __name__ == "__main__":
        app()
''')

PARSE_ALL = textwrap.dedent('''
    import os, sys
    import yaml
    {extra}
    root = os.path.join(sys.argv[1], "evidence")
    n = 0
    for country in sorted(os.listdir(root)):
        folder = os.path.join(root, country)
        for name in sorted(os.listdir(folder)):
            if name.endswith((".yaml", ".yml")):
                with open(os.path.join(folder, name), "rb") as fh:
                    yaml.load(fh.read().decode("utf-8-sig"), Loader=yaml.CSafeLoader)
                n += 1
    print(n)
''')


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)  # bytes
    failed: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def peak(self) -> int | None:
        return max(self.rss) if self.rss else None


def run_once(cmd: list[str], cwd: str, timeout: float) -> tuple[float, int, int, str]:
    """Runs one process; returns (wall seconds, peak RSS bytes, exit code, stderr tail).

    The peak RSS is the child's own ru_maxrss from wait4() (Linux: KiB), i.e.
    what getrusage(RUSAGE_CHILDREN) would give in a fresh helper process that
    ran only this child."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                return time.perf_counter() - start, usage.ru_maxrss * 1024, -9, f"timed out after {timeout:.0f} s"
            time.sleep(0.002)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode("utf-8", "replace").strip().splitlines()[-3:]
    return wall, usage.ru_maxrss * 1024, proc.returncode, " | ".join(tail)


def measure(cmd: list[str], cwd: str, repeat: int, budget: float, timeout: float, runs: Runs | None = None) -> Runs:
    """Runs `cmd` up to `repeat` times; stops early (after at least one run) once
    the runs so far took more than `budget` seconds in all."""
    runs = runs or Runs()
    for _ in range(repeat):
        wall, rss, rc, tail = run_once(cmd, cwd, timeout)
        if rc != 0:
            runs.failed = f"exit {rc}: {tail}"
            break
        runs.seconds.append(wall)
        runs.rss.append(rss)
        if sum(runs.seconds) > budget:
            break
    return runs


@dataclass
class Case:
    name: str
    cmd: list[str] | None
    floor_cmd: list[str] | None = None
    floor_of: str | None = None  # the floor is another case's median
    max_ratio: float | None = None
    max_seconds: float | None = None
    max_rss: int | None = None
    result: Runs | None = None
    floor: Runs | None = None

    def floor_seconds(self, cases: dict[str, "Case"]) -> float | None:
        if self.floor_of:
            other = cases[self.floor_of].result
            return other.median if other else None
        return self.floor.median if self.floor else None

    def verdict(self, cases: dict[str, "Case"]) -> tuple[str, str, str, bool]:
        """(floor, ratio, target, met) as printed."""
        med = self.result.median if self.result else None
        if self.max_ratio is not None:
            floor = self.floor_seconds(cases)
            target = f"ratio <= {self.max_ratio:g}"
            if med is None or floor is None or self.result.failed or (self.floor and self.floor.failed):
                return "-" if floor is None else f"{floor:.3f}", "-", target, False
            ratio = med / floor
            return f"{floor:.3f}", f"{ratio:.2f}", target, ratio <= self.max_ratio
        target = f"<= {self.max_seconds:g} s, <= {self.max_rss / GIB:g} GiB"
        if med is None or self.result.failed:
            return "-", "-", target, False
        return "(absolute)", "-", target, med <= self.max_seconds and self.result.peak <= self.max_rss


def table(rows: list[list[str]], header: list[str], right: set[int]) -> str:
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    fmt = lambda r: "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
    return "\n".join([fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows])


def assess_cmd() -> list[str]:
    exe = Path(PY).parent / "assess"
    return [str(exe)] if exe.exists() else [PY, "-m", "assess"]


def country_codes(assess: list[str], workspace: str, cwd: str) -> list[str]:
    # every code that `assess countries` lists: the cases pass --all, this counts them
    out = subprocess.run(assess + ["countries", "--data", workspace], cwd=cwd, capture_output=True, text=True, check=True).stdout
    codes = []
    for line in out.splitlines():
        first = line.split(" ", 1)[0]
        if len(first) == 3 and first.isalpha() and first.isupper():
            codes.append(first)
    return codes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 countries, 3 runs per case (under a minute)")
    parser.add_argument("--repeat", type=int, default=None, metavar="N", help="runs per case (default 5; 3 with --quick)")
    parser.add_argument("--budget", type=float, default=None, metavar="SECONDS",
                        help="stop repeating a case once its runs took this long in all (default 300; 20 with --quick)")
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--countries", type=int, default=None, help=argparse.SUPPRESS)  # tests: a tiny workspace
    parser.add_argument("--timeout", type=float, default=900.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 5)
    countries = args.countries or (20 if args.quick else 200)
    budget = args.budget if args.budget is not None else (20.0 if args.quick else 300.0)
    if repeat < 1:
        parser.error("--repeat must be 1 or more")

    assess = assess_cmd()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="assess-bench-") as tmp:
        ws = os.path.join(tmp, "world")
        generate.generate(ws, countries, args.seed)
        cwd = os.path.join(tmp, "cwd")  # no assess.toml around, nothing written into the repository
        os.makedirs(cwd)
        env_clean = os.environ.pop("ASSESS_DATA", None)
        # the compiled report template is cached in the user's cache folder: keep the
        # benchmark's own in the temporary folder (its first report run fills it)
        cache_env = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")
        help_app = os.path.join(tmp, "help_app.py")
        Path(help_app).write_text(HELP_APP, encoding="utf-8")
        parse_only = os.path.join(tmp, "parse_only.py")
        Path(parse_only).write_text(PARSE_ALL.format(extra=""), encoding="utf-8")
        parse_pandas = os.path.join(tmp, "parse_pandas.py")
        Path(parse_pandas).write_text(PARSE_ALL.format(extra="import pandas"), encoding="utf-8")
        codes = country_codes(assess, ws, cwd)
        out_dir = os.path.join(tmp, "out")
        data = ["--data", ws]

        cases = [
            Case("assess --help", assess + ["--help"], [PY, help_app, "--help"], max_ratio=1.3),
            Case("validate", assess + ["validate"] + data, [PY, parse_only, ws], max_ratio=1.5),
            Case(f"score all ({len(codes)}) json", assess + ["score", "--all", "--format", "json"] + data,
                 [PY, parse_pandas, ws], max_ratio=1.5),
            Case("report KAZ RUS", assess + ["report", "KAZ", "RUS", "--out", out_dir] + data,
                 [PY, "-c", "import pandas, openpyxl, jinja2, typer, yaml"], max_ratio=1.5),
            Case("timeline all --from 1991 json", assess + ["timeline", "--all", "--from", "1991", "--format", "json"] + data,
                 floor_of=f"score all ({len(codes)}) json", max_ratio=1.2),
            Case("sensitivity all 10k json", assess + ["sensitivity", "--all", "--draws", "10000", "--format", "json"] + data,
                 floor_of=f"score all ({len(codes)}) json", max_ratio=2.0),
            Case(f"report all ({len(codes)})", assess + ["report", "--all", "--out", out_dir] + data,
                 max_seconds=5.0, max_rss=GIB),
        ]
        by_name = {c.name: c for c in cases}
        print(f"workspace: {countries} countries, {sum(len(f) for _, _, f in os.walk(os.path.join(ws, 'evidence')))} evidence files; "
              f"{repeat} run(s) per case", file=sys.stderr)
        for case in cases:
            case.result, case.floor = Runs(), (Runs() if case.floor_cmd else None)
            # alternate case and floor so that drift in the machine's speed hits both
            for _ in range(repeat):
                if case.floor is not None and not case.floor.failed:
                    measure(case.floor_cmd, cwd, 1, float("inf"), args.timeout, case.floor)
                measure(case.cmd, cwd, 1, float("inf"), args.timeout, case.result)
                if case.result.failed or sum(case.result.seconds) > budget:
                    break
            med = case.result.median
            print(f"  {case.name}: {'-' if med is None else f'{med:.3f} s'}"
                  + (f" ({case.result.failed})" if case.result.failed else ""), file=sys.stderr)
        if env_clean is not None:
            os.environ["ASSESS_DATA"] = env_clean
        if cache_env is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = cache_env

    rows, met = [], 0
    for case in cases:
        floor, ratio, target, ok = case.verdict(by_name)
        met += ok
        med = case.result.median
        peak = case.result.peak
        rows.append([case.name, "FAILED" if med is None else f"{med:.3f}", floor, ratio, target, "yes" if ok else "NO",
                     str(len(case.result.seconds)), "-" if peak is None else f"{peak / 2**20:.0f}"])
    print(table(rows, ["case", "median s", "floor s", "ratio", "target", "met", "runs", "peak RSS MiB"], {1, 2, 3, 6, 7}))
    for case in cases:
        if case.result.failed:
            print(f"{case.name} failed: {case.result.failed}")
        if case.floor and case.floor.failed:
            print(f"{case.name} floor failed: {case.floor.failed}")
    print(f"\n{countries} countries; score/timeline/sensitivity/report-all pass --all; total {time.perf_counter() - started:.0f} s")
    print(f"targets met: {met}/{len(cases)}")
    return 0 if met == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
