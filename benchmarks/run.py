"""Time `assess` at world scale against honest floors measured in the same run.

    python benchmarks/run.py [--quick] [--repeat N] [--markdown]
    python benchmarks/run.py --scale 50,200,800,2000 [--repeat N]

Generates a synthetic world workspace (benchmarks/generate.py: 200 countries,
20 with --quick) into a temporary folder, then runs each case as a whole
process next to its floor: a process that does exactly the unavoidable part
of the same job (the same imports, the same files at the same loader stage,
the same library data loaded, the garbage collector handled as the tool
does). The primary figure is CPU time (user + sys of the child, from
os.wait4), median of N runs (5 by default, 3 with --quick); every case runs
right after its floor and once per round, so a change in the machine's speed
hits them alike. Ratios and differences are medians over those pairs, with
their middle half (quartiles); a target whose middle half straddles its
limit is said to be within the rounds' spread. Wall time is a second column.
Prints the table and `targets met: N/M`; exits 1 if a target is missed and
3 if any tool/floor ratio is below 0.95 (the floor does more than the tool:
it is wrong).

--scale N1,N2,... instead times the world-sized cases at each size (1 run
each by default) and prints CPU seconds, peak memory and the growth factors.

Needs no network. See benchmarks/README.md for what each floor means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
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
MIB = 2 ** 20
GIB = 2 ** 30
FLOOR_MIN = 0.95  # a tool/floor ratio below this means the floor does more than the tool

# The floor app: a typer app set up like assess's (three commands, no rich
# help, the same Typer settings). `--help` is the help floor; `work PLAN`
# does what PLAN lists: import modules, compose YAML files with the C
# composer (what assess's loader hands to its own value builder), load
# files with yaml.load (what assess does with a YAML file outside the
# workspace), unmarshal cached ones (the message catalogue), unpickle a
# library's data (Babel's CLDR files), load jinja2's compiled template, read files,
# with the garbage collector paused around the parsing as assess's loader
# pauses it. `--build` loads the composed files with yaml.load too:
# the value-building floor of the second column.
FLOOR_APP = textwrap.dedent('''
    import gc
    import importlib
    import os

    # as assess's command line does before anything can import numpy (assess/common/threads.py)
    for name, value in BLAS_THREADS.items():
        os.environ.setdefault(name, value)

    import typer

    app = typer.Typer(help="A floor: the unavoidable part of a job of assess.", no_args_is_help=True,
                      add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


    @app.command()
    def work(plan: str = typer.Argument(..., metavar="PLAN"),
             build: bool = typer.Option(False, "--build", help="Build values (yaml.load) instead of composing nodes.")):
        """Do what PLAN lists: import, compose, load, unmarshal, unpickle, read."""
        with open(plan, encoding="utf-8") as fh:
            steps = [line.rstrip("\\n").split(" ", 1) for line in fh if line.strip()]
        for kind, arg in steps:
            if kind == "import":
                importlib.import_module(arg)
        import yaml

        enabled = gc.isenabled()
        gc.disable()
        try:
            for kind, arg in steps:
                if kind == "read":
                    with open(arg, "rb") as fh:
                        fh.read()
                elif kind == "unmarshal":
                    import marshal

                    with open(arg, "rb") as fh:
                        marshal.load(fh)
                elif kind == "unpickle":  # a library's pickled data (Babel's CLDR locale data)
                    import pickle

                    with open(arg, "rb") as fh:
                        pickle.load(fh)
                elif kind == "bytecode":  # jinja2's compiled template: its magic, checksum and code
                    import marshal
                    import pickle

                    from jinja2.bccache import bc_magic

                    with open(arg, "rb") as fh:
                        if fh.read(len(bc_magic)) == bc_magic:
                            pickle.load(fh)
                            marshal.load(fh)
                elif kind in ("compose", "load"):
                    with open(arg, "rb") as fh:
                        text = fh.read().decode("utf-8-sig")
                    if kind == "load" or build:
                        yaml.load(text, Loader=yaml.CSafeLoader)
                    else:
                        loader = yaml.CSafeLoader(text)
                        try:
                            loader.get_single_node()
                        finally:
                            loader.dispose()
        finally:
            if enabled:
                gc.enable()


    @app.command()
    def two(count: int = typer.Option(1, "--count", help="A count.")):
        """The second command."""


    @app.command()
    def three(flag: bool = typer.Option(False, "--flag", help="A flag.")):
        """The third command."""


    if __name__ == "__main__":
        app()
''')

# Run once per case before timing: records the files the tool opens (an audit
# hook) and the modules it imported (sys.modules at exit, in import order).
PROFILE = textwrap.dedent('''
    import sys
    opened = []
    def hook(event, args):
        if event == "open" and isinstance(args[0], str):
            opened.append(args[0])
    sys.addaudithook(hook)
    import atexit
    def report():
        with open(OUT, "w", encoding="utf-8") as fh:
            fh.write("\\n".join(dict.fromkeys(opened)))
        with open(OUT + ".modules", "w", encoding="utf-8") as fh:
            fh.write("\\n".join(name for name, m in list(sys.modules.items()) if m is not None))
    atexit.register(report)
    sys.argv = ["assess"] + sys.argv[2:]
    from assess.cli import main  # what the assess script runs
    main()
''')

# modules of the interpreter's own start-up, not of the job (the floor's interpreter has them too)
NOT_LIBRARIES = {"sitecustomize", "usercustomize", "_distutils_hack", "site", "encodings"}


@dataclass
class Sample:
    cpu: float  # user + sys seconds of the child
    wall: float
    rss: int  # bytes, the child's ru_maxrss


@dataclass
class Runs:
    samples: list[Sample] = field(default_factory=list)
    failed: str | None = None

    def median(self, what: str = "cpu") -> float | None:
        return statistics.median(getattr(s, what) for s in self.samples) if self.samples else None

    def paired(self, other: "Runs", op) -> list[float] | None:
        """op(this run's CPU, the other's) for each pair of runs made side by
        side (a case's run i right after its floor's run i; a case's round r
        beside another case's round r); None when the counts differ (a run
        failed)."""
        if not self.samples or len(self.samples) != len(other.samples):
            return None
        return [op(a.cpu, b.cpu) for a, b in zip(self.samples, other.samples)]

    @property
    def peak(self) -> int | None:
        return max(s.rss for s in self.samples) if self.samples else None


def run_once(cmd: list[str], cwd: str, timeout: float, env: dict | None = None) -> tuple[Sample, int, str]:
    """Runs one process; returns its Sample, exit code and stderr tail. CPU and
    peak RSS are the child's own, from wait4() (what getrusage(RUSAGE_CHILDREN)
    gives for a helper that ran only this child)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL, env=env)
        deadline = start + timeout
        code = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                code = -9
                break
            time.sleep(0.002)
        proc.returncode = code
        wall = time.perf_counter() - start
        err.seek(0)
        tail = err.read().decode("utf-8", "replace").strip().splitlines()[-3:]
    if code == -9:
        tail = [f"timed out after {timeout:.0f} s"]
    return Sample(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss * 1024), code, " | ".join(tail)


def measure_into(runs: Runs, cmd: list[str], cwd: str, timeout: float, env: dict | None = None) -> None:
    if runs.failed:
        return
    sample, code, tail = run_once(cmd, cwd, timeout, env)
    if code != 0:
        runs.failed = f"exit {code}: {tail}"
    else:
        runs.samples.append(sample)


def profile(args: list[str], cwd: str, tmp: str, env: dict) -> tuple[list[str], list[str]]:
    """The files a run of the tool opens and the modules it imports but its
    own, libraries' and the standard library's (in the order they were imported)."""
    script = os.path.join(tmp, "profile.py")
    out = os.path.join(tmp, "opened.txt")
    Path(script).write_text(f"OUT = {out!r}\n" + PROFILE, encoding="utf-8")
    proc = subprocess.run([PY, script, "--"] + args, cwd=cwd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"profiling {' '.join(args)} failed: {proc.stderr.strip()[-800:]}")
    opened = Path(out).read_text(encoding="utf-8").splitlines()
    modules = []
    for name in Path(out + ".modules").read_text(encoding="utf-8").splitlines():
        top = name.split(".")[0]
        # every module the run imported but the tool's own: the libraries and the standard library's
        # modules alike (tomllib, difflib, html...: the job's import set, whoever asked for them)
        if top in NOT_LIBRARIES or top == "assess" or top.startswith("_"):
            continue
        modules.append(name)
    return opened, modules


def floor_plan(opened: list[str], modules: list[str], workspace: str) -> list[str]:
    """The floor's steps for what a run of the tool opened and imported: the
    library modules; the YAML files of the workspace composed (the tool's
    loader composes nodes in C and builds the values itself), each once; other
    YAML files loaded as the tool loads them (the message catalogue: its
    bytes read and its cached table unmarshalled, as the tool does once the
    cache is warm), the template, stylesheet and code table read, the
    compiled template loaded from jinja2's cache (magic, checksum, code), and
    the pickled data a library loads (Babel's CLDR data) unpickled."""
    ws = os.path.realpath(workspace)
    steps = [f"import {m}" for m in modules]
    seen = set()
    # the message catalogue kept between runs (common/messages.py): the tool reads messages.yaml's
    # bytes (to hash them) and unmarshals the cached table instead of parsing the YAML; so does the floor
    cached_catalogue = any(p.endswith(".marshal") and os.path.basename(os.path.dirname(p)) == "messages" for p in opened)
    for path in opened:
        real = os.path.realpath(path)
        if real in seen or not os.path.isfile(real) or real.endswith((".py", ".pyc", ".so", ".pth")):
            continue
        if os.path.basename(os.path.dirname(real)) == "__pycache__":
            continue
        seen.add(real)
        if "site-packages" in real or "dist-packages" in real:
            # a library's own data, loaded by the library as it must be: Babel's CLDR data
            # (global.dat, locale-data/<locale>.dat) is unpickled; other library files are not loaded
            if real.endswith(".dat") and _pickled(real):
                steps.append("unpickle " + real)
            continue
        if os.path.basename(real).startswith("__jinja2_") and real.endswith(".cache"):
            steps.append("bytecode " + real)  # the compiled report template, from jinja2's cache
            continue
        if real.endswith((".yaml", ".yml")):
            if real.startswith(ws + os.sep):
                steps.append("compose " + real)
            else:
                steps.append(("read " if cached_catalogue and os.path.basename(real) == "messages.yaml" else "load ") + real)
        elif real.endswith(".marshal"):
            steps.append("unmarshal " + real)
        elif real.endswith((".html", ".css", ".csv", ".toml", ".txt")):
            steps.append("read " + real)
    return steps


def _pickled(path: str) -> bool:
    """Whether a file starts as a pickle of protocol 2 or later does (PROTO opcode)."""
    with open(path, "rb") as fh:
        return fh.read(1) == b"\x80"


def tool_cmd() -> list[str]:
    exe = Path(PY).parent / "assess"
    return [str(exe)] if exe.exists() else [PY, "-m", "assess"]


def table(rows: list[list[str]], header: list[str], right: set[int], markdown: bool = False) -> str:
    if markdown:
        line = lambda r: "| " + " | ".join(c.replace("|", "\\|") for c in r) + " |"
        return "\n".join([line(header), "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|"]
                         + [line(r) for r in rows])
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    fmt = lambda r: "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
    return "\n".join([fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows])


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in ("yaml", "typer", "jinja2", "openpyxl", "numpy"):
        try:
            module = __import__(name)
            versions.append(f"{name} {getattr(module, '__version__', '?')}")
        except ImportError:
            versions.append(f"{name} missing")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}, Python {platform.python_version()}; "
            f"{', '.join(versions)}; load average at the start {load:.1f}")


@dataclass
class Case:
    key: str
    label: str
    args: list[str]
    floor: str | None = None  # a plan name, or "help"
    target: str | None = None  # how the target is judged (see judge)
    limit: float | None = None
    build: bool = False  # also time the value-building floor
    per_round: int = 1  # runs of the case and its floor in each round
    runs: Runs = field(default_factory=Runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 countries, 3 rounds (under a minute)")
    parser.add_argument("--repeat", type=int, default=None, metavar="N",
                        help="rounds: each case and floor runs once per round (default 5; 3 with --quick; 1 with --scale)")
    parser.add_argument("--scale", default=None, metavar="N1,N2,...",
                        help="time the world-sized cases at each number of countries and print the growth factors")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown (for the README)")
    parser.add_argument("--budget", type=float, default=None, metavar="SECONDS",
                        help="stop starting rounds once this many seconds have passed (default 600; 60 with --quick)")
    parser.add_argument("--cases", default=None, metavar="K1,K2,...",
                        help="time only these cases (help, validate, score, report2, timeline, sensitivity, reportall); "
                             "a target that compares with an absent case is not judged")
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--countries", type=int, default=None, help=argparse.SUPPRESS)  # tests: a tiny workspace
    parser.add_argument("--timeout", type=float, default=900.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    if args.scale is not None:
        try:
            sizes = [int(x) for x in args.scale.split(",") if x.strip()]
        except ValueError:
            parser.error("--scale takes a comma list of numbers of countries, e.g. 50,200,800,2000")
        if not sizes or min(sizes) < 2:
            parser.error("--scale takes numbers of countries of 2 or more")
        return scale(sorted(set(sizes)), args)
    return suite(args)


class Env:
    """A temporary folder with a cwd (no assess.toml around), the report's
    template cache and the floor app; restores the environment after."""

    def __enter__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="assess-bench-")
        self.tmp = self._tmp.name
        self.cwd = os.path.join(self.tmp, "cwd")
        os.makedirs(self.cwd)
        self.env = {k: v for k, v in os.environ.items() if k not in ("ASSESS_DATA", "PYTHONPROFILEIMPORTTIME")}
        # the compiled report template is cached in the user's cache folder: keep the
        # benchmark's own in the temporary folder (the profiling run fills it)
        self.env["XDG_CACHE_HOME"] = os.path.join(self.tmp, "cache")
        # An installed tool runs from compiled modules (pip compiles them; the libraries here
        # have theirs): with PYTHONDONTWRITEBYTECODE set, as in some sandboxes and CI images,
        # a source checkout would recompile its own modules on every run (about 0.03 s of
        # `--help` alone) while its floor's libraries load compiled. Compile the package once.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        # and the message catalogue's cache (in the temporary folder, see above) filled, so that the profiling run
        # records what every timed run does: read the cached catalogue
        subprocess.run([PY, "-c", "import assess, compileall, os; compileall.compile_dir(os.path.dirname(assess.__file__), quiet=2); "
                                  "from assess.common.messages import catalogue; catalogue('en')"],
                       cwd=self.cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        self.floor_app = os.path.join(self.tmp, "floor_app.py")
        Path(self.floor_app).write_text(FLOOR_APP.replace("BLAS_THREADS", repr(blas_threads())), encoding="utf-8")
        return self

    def __exit__(self, *exc):
        self._tmp.cleanup()


def suite(args) -> int:
    repeat = args.repeat or (3 if args.quick else 5)
    countries = args.countries or (20 if args.quick else 200)
    budget = args.budget if args.budget is not None else (60.0 if args.quick else 600.0)
    tool = tool_cmd()
    started = time.perf_counter()
    with Env() as e:
        ws = os.path.join(e.tmp, "world")
        codes = generate.generate(ws, countries, args.seed)
        out_dir = os.path.join(e.tmp, "out")
        data = ["--data", ws]
        n = len(codes)
        cases = [
            # --help takes 0.1 s: five runs a round, so that its median is as steady as the others'
            Case("help", "assess --help", ["--help"], "help", "ratio", 1.3, per_round=5),
            Case("validate", "validate", ["validate"] + data, "validate", "ratio", 1.8, build=True),
            Case("score", f"score --all ({n}) json", ["score", "--all", "--format", "json"] + data, "score", "of-validate", 1.15,
                 build=True),
            Case("report2", "report KAZ RUS", ["report", "KAZ", "RUS", "--out", out_dir] + data, "report2", "ratio", 1.5),
            Case("timeline", "timeline --all --from 1991 json", ["timeline", "--all", "--from", "1991", "--format", "json"] + data,
                 "timeline", "over-score", 0.15),
            Case("sensitivity", "sensitivity --all 10k json", ["sensitivity", "--all", "--draws", "10000", "--format", "json"] + data,
                 "sensitivity", "over-score", 0.7),
            Case("reportall", f"report --all ({n})", ["report", "--all", "--out", out_dir] + data, "reportall"),
        ]
        if args.cases:
            wanted = [k.strip() for k in args.cases.split(",") if k.strip()]
            unknown = [k for k in wanted if k not in {c.key for c in cases}]
            if unknown:
                raise SystemExit(f"--cases: unknown case {', '.join(unknown)} (cases: {', '.join(c.key for c in cases)})")
            cases = [c for c in cases if c.key in wanted]
        print(f"workspace: {n} countries, {sum(len(f) for _, _, f in os.walk(os.path.join(ws, 'evidence')))} evidence files; "
              f"{repeat} round(s); profiling each case once", file=sys.stderr)
        plans: dict[str, str] = {}
        for case in cases:
            if case.floor == "help":
                continue
            opened, modules = profile(case.args, e.cwd, e.tmp, e.env)
            path = os.path.join(e.tmp, f"plan-{case.key}.txt")
            Path(path).write_text("\n".join(floor_plan(opened, modules, ws)) + "\n", encoding="utf-8")
            plans[case.key] = path
        floor_cmds = {"help": [PY, e.floor_app, "--help"]}
        floor_cmds.update({k: [PY, e.floor_app, "work", p] for k, p in plans.items()})
        floors = {k: Runs() for k in floor_cmds}
        builds = {c.key: Runs() for c in cases if c.build}
        rounds = 0
        for rounds in range(1, repeat + 1):
            # one round: each case after its floor (and its value-building floor), in turn
            for case in cases:
                for _ in range(case.per_round):
                    if case.floor:
                        measure_into(floors[case.floor], floor_cmds[case.floor], e.cwd, args.timeout, e.env)
                    if case.build:
                        measure_into(builds[case.key], floor_cmds[case.floor] + ["--build"], e.cwd, args.timeout, e.env)
                    measure_into(case.runs, tool + case.args, e.cwd, args.timeout, e.env)
            print(f"  round {rounds}: " + ", ".join(f"{c.key} {c.runs.samples[-1].cpu:.2f}" for c in cases if c.runs.samples),
                  file=sys.stderr)
            if time.perf_counter() - started > budget:
                break
        plan_text = {k: Path(p).read_text(encoding="utf-8") for k, p in plans.items()}

    by_key = {c.key: c for c in cases}
    rows, met, total, wrong, unsettled = [], 0, 0, [], 0
    for case in cases:
        cpu, wall = case.runs.median("cpu"), case.runs.median("wall")
        fl = floors.get(case.floor)
        f_cpu, f_wall = (fl.median("cpu"), fl.median("wall")) if fl else (None, None)
        ratios = case.runs.paired(fl, _ratio) if fl else None
        # the median of the pairs' ratios (each run beside its floor's), and the rounds' middle half
        q1, ratio, q3 = quartiles(ratios) if ratios else (None, cpu / f_cpu if cpu is not None and f_cpu else None, None)
        spread = f" ({q1:.2f}-{q3:.2f})" if ratios and len(ratios) > 1 else ""
        wall_ratio = wall / f_wall if wall is not None and f_wall else None
        problem = floor_problem(case.label, ratio)
        if problem:
            wrong.append(problem)
        b = builds.get(case.key)
        b_cpu = b.median("cpu") if b else None
        target, ok, settled = judge(case, by_key, floors)
        if target:
            total += 1
            met += ok
            unsettled += not settled
        rows.append([case.label, fmt(cpu, 3), fmt(f_cpu, 3), fmt(ratio, 2) + spread, target or "-", ("yes" if ok else "NO") if target else "-",
                     fmt(b_cpu, 3), fmt(wall, 3), fmt(f_wall, 3), fmt(wall_ratio, 2), str(len(case.runs.samples)),
                     "-" if case.runs.peak is None else f"{case.runs.peak / MIB:.0f}"])
    header = ["case", "CPU s", "floor CPU s", "ratio (middle half)", "target", "met", "value-building floor CPU s", "wall s", "floor wall s",
              "wall ratio", "runs", "peak MiB"]
    if not args.markdown:
        header[6] = "build floor s"
    print(table(rows, header, {1, 2, 3, 6, 7, 8, 9, 10, 11}, args.markdown))
    for case in cases:
        for what, runs in (("", case.runs), (" floor", floors.get(case.floor)), (" value-building floor", builds.get(case.key))):
            if runs is not None and runs.failed:
                print(f"{case.label}{what} failed: {runs.failed}")
    print(f"\n{n} countries, {rounds} round(s), median CPU seconds (user+sys of the process); ratios and differences: "
          "the median over the pairs (each run beside its floor's run just before it, each round beside the same round "
          f"of score or validate), the middle half of the pairs in brackets; total {time.perf_counter() - started:.0f} s; "
          f"{dt.date.today().isoformat()}")
    print(f"machine: {machine()}")
    print(f"targets met: {met}/{total}")
    if unsettled:
        print(f"{unsettled} of the {total} judged within the rounds' spread (the middle half of the pairs straddles the limit): "
              "another run on this machine may judge them the other way")
    if args.markdown:
        print("\nFloor plans (what each floor imports, composes, loads and reads):")
        for key, text in plan_text.items():
            counts = {k: sum(1 for line in text.splitlines() if line.startswith(k + " "))
                      for k in ("import", "compose", "load", "unmarshal", "unpickle", "bytecode", "read")}
            print(f"- {by_key[key].label}: " + ", ".join(f"{v} {k}" for k, v in counts.items() if v))
    if wrong:
        print("\nFLOOR WRONG: " + "\nFLOOR WRONG: ".join(wrong), file=sys.stderr)
        print("\n".join("FLOOR WRONG: " + w for w in wrong))
        return 3
    failed = any(c.runs.failed for c in cases) or any(r.failed for r in floors.values())
    return 0 if met == total and not failed else 1


def blas_threads() -> dict:
    """What assess's command line sets before numpy is imported (the floors set
    the same): read from the installed assess, in a child as the tool runs."""
    out = subprocess.run([PY, "-c", "from assess.common.threads import BLAS_THREADS as b; print(repr(b))"],
                         capture_output=True, text=True, check=True).stdout
    import ast

    return ast.literal_eval(out.strip())


def floor_problem(label: str, ratio: float | None) -> str | None:
    """What is wrong with a floor that the tool beats by more than noise (a
    CPU ratio below FLOOR_MIN); None for a ratio at or above it, or none."""
    if ratio is None or ratio >= FLOOR_MIN:
        return None
    return f"{label}: CPU ratio {ratio:.2f} to its floor (below {FLOOR_MIN}): the floor does more than the tool"


def fmt(x: float | None, digits: int) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _ratio(a: float, b: float) -> float:
    """a over b; infinite when b is 0 (a run that took no measurable CPU)."""
    return a / b if b else float("inf")


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """(lower quartile, median, upper quartile) of `values` (at least one)."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def paired_figure(case: "Case", cases: dict[str, "Case"], floors: dict[str, Runs]) -> tuple[list[float] | None, str]:
    """The per-pair values a case is judged on, and their kind: its CPU over
    its floor's ("ratio"), over the validate case's ("of-validate"), or minus
    the score case's ("over-score"), pair by pair, so that a change in the
    machine's speed between rounds moves both sides of each pair alike."""
    if case.target == "over-score" and "score" in cases:
        return case.runs.paired(cases["score"].runs, lambda a, b: a - b), "over-score"
    if case.target == "of-validate" and "validate" in cases:
        return case.runs.paired(cases["validate"].runs, _ratio), "of-validate"
    if case.floor in floors:
        return case.runs.paired(floors[case.floor], _ratio), "ratio"
    return None, ""


def judge(case: Case, cases: dict[str, Case], floors: dict[str, Runs]) -> tuple[str | None, bool, bool]:
    """(the target as printed, met, settled) from the median of the paired
    values (paired_figure), falling back to the ratio or difference of the
    medians when the pairs do not line up. Settled: the rounds' middle half
    (lower to upper quartile) lies on one side of the limit; when it
    straddles the limit, another run on this machine may judge it the
    other way, and the printed target says so."""
    cpu = case.runs.median("cpu")
    values, kind = paired_figure(case, cases, floors)
    if case.target == "ratio":
        text = f"ratio <= {case.limit:g}"
        f = floors[case.floor].median("cpu")
        if cpu is None or not f:
            return text, False, True
        q1, mid, q3 = quartiles(values) if values else (cpu / f,) * 3
    elif case.target == "of-validate":
        if "validate" not in cases:
            return None, False, True
        v = cases["validate"].runs.median("cpu")
        text = f"<= {case.limit:g} x validate"
        if cpu is None or not v:
            return text, False, True
        q1, mid, q3 = quartiles(values) if values else (cpu / v,) * 3
        text += f" ({mid:.2f})"
    elif case.target == "over-score":
        if "score" not in cases:
            return None, False, True
        s = cases["score"].runs.median("cpu")
        text = f"<= +{case.limit:g} s over score"
        if cpu is None or s is None:
            return text, False, True
        q1, mid, q3 = quartiles(values) if values else (cpu - s,) * 3
        text += f" ({mid:+.2f} s, {cpu / s:.2f}x)"
    else:
        return None, False, True
    settled = (q3 <= case.limit) or (q1 > case.limit)
    if not settled:
        text += ", within the rounds' spread"
    return text, mid <= case.limit, settled


# ---------------------------------------------------------------- growth


SCALE_CASES = [
    ("validate", lambda ws, out: ["validate", "--data", ws]),
    ("score", lambda ws, out: ["score", "--all", "--format", "json", "--data", ws]),
    ("timeline", lambda ws, out: ["timeline", "--all", "--from", "1991", "--format", "json", "--data", ws]),
    ("sensitivity", lambda ws, out: ["sensitivity", "--all", "--draws", "10000", "--format", "json", "--data", ws]),
    ("report --all", lambda ws, out: ["report", "--all", "--out", out, "--data", ws]),
]
GROWTH_PER_TENFOLD = 12.0  # 200 -> 2,000 countries: at most 12x
REPORT_RSS = 1.5 * GIB
REPORT_HTML = 20 * 10 ** 6


def subset(world: str, out: str, codes: list[str]) -> None:
    """A workspace of some countries of `world`: its criteria copied, the
    countries' files hard-linked (copied where links are not possible)."""
    shutil.copytree(os.path.join(world, "criteria"), os.path.join(out, "criteria"))
    for code in codes:
        src, dst = os.path.join(world, "evidence", code), os.path.join(out, "evidence", code)
        shutil.copytree(src, dst, copy_function=_link)


def _link(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def scale(sizes: list[int], args) -> int:
    repeat = args.repeat or 1
    valid = len(generate.iso_codes()) + len(generate.user_assigned_codes())
    started = time.perf_counter()
    results: dict[tuple[str, int], Runs] = {}
    html: dict[int, int] = {}
    with Env() as e:
        # every smaller world is a subset of the largest (generate.world_codes), and a country's
        # files do not depend on the size of its world: generate the largest once, link the rest
        t0 = time.perf_counter()
        biggest = os.path.join(e.tmp, "world-all")
        generate.generate(biggest, sizes[-1], args.seed)
        print(f"{sizes[-1]} countries generated in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        for n in sizes:
            ws = os.path.join(e.tmp, f"world-{n}")
            subset(biggest, ws, generate.world_codes(n, args.seed))
            # beyond the ISO and user-assigned codes, assess needs its code table patched
            tool = tool_cmd() if n <= valid else [PY, str(HERE / "patched_assess.py")]
            print(f"{n} countries" + (" (patched code table)" if n > valid else ""), file=sys.stderr)
            out = os.path.join(e.tmp, f"out-{n}")
            for _ in range(repeat):
                for name, make in SCALE_CASES:
                    runs = results.setdefault((name, n), Runs())
                    measure_into(runs, tool + make(ws, out), e.cwd, args.timeout, e.env)
                    last = runs.samples[-1] if runs.samples and not runs.failed else None
                    print(f"  {name}: " + (f"{last.cpu:.2f} s CPU, {last.rss / MIB:.0f} MiB" if last else f"FAILED {runs.failed}"),
                          file=sys.stderr)
            pages = [p for p in Path(out).glob("*.html")]
            html[n] = max((p.stat().st_size for p in pages), default=0)
            shutil.rmtree(ws, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)

    ref = 200 if 200 in sizes and sizes[-1] > 200 else sizes[0]
    top = sizes[-1]
    allowed = GROWTH_PER_TENFOLD * (top / ref) / 10
    header = ["case"] + [f"{n:,}: CPU s" for n in sizes] + [f"CPU x ({ref:,}->{top:,})"] \
        + [f"{n:,}: MiB" for n in sizes] + [f"MiB x ({ref:,}->{top:,})"]
    rows, met, total = [], 0, 0
    for name, _ in SCALE_CASES:
        cpu = [results[(name, n)].median("cpu") for n in sizes]
        rss = [results[(name, n)].peak for n in sizes]
        c_ref, c_top = cpu[sizes.index(ref)], cpu[-1]
        m_ref, m_top = rss[sizes.index(ref)], rss[-1]
        growth = c_top / c_ref if c_top is not None and c_ref else None
        m_growth = m_top / m_ref if m_top is not None and m_ref else None
        if top > ref:
            total += 1
            met += growth is not None and growth <= allowed
        rows.append([name] + [fmt(c, 2) for c in cpu] + [fmt(growth, 1)] + ["-" if r is None else f"{r / MIB:.0f}" for r in rss]
                    + [fmt(m_growth, 1)])
    print(table(rows, header, set(range(1, len(header))), args.markdown))
    print(f"\nsizes {', '.join(f'{n:,}' for n in sizes)} countries"
          + (f" (above {valid:,}: codes beyond ISO's and the user-assigned ones, through benchmarks/patched_assess.py)"
             if top > valid else "")
          + f"; {repeat} run(s) each, median CPU seconds, peak RSS; total {time.perf_counter() - started:.0f} s; {dt.date.today().isoformat()}")
    print(f"machine: {machine()}")
    print("report --all HTML: " + ", ".join(f"{n:,}: {html[n] / 1e6:.1f} MB" for n in sizes))
    if top > ref:
        print(f"target: CPU grows at most {allowed:.1f}x from {ref:,} to {top:,} countries (12x per tenfold)")
    rep = results[("report --all", top)]
    if top >= 2000:
        total += 2
        ok_rss = rep.peak is not None and rep.peak <= REPORT_RSS
        ok_html = bool(html.get(top)) and html[top] <= REPORT_HTML
        met += ok_rss + ok_html
        print(f"target: report --all at {top:,} within 1.5 GiB ({fmt(rep.peak / GIB if rep.peak else None, 2)} GiB: "
              f"{'yes' if ok_rss else 'NO'}) and its HTML within 20 MB ({html.get(top, 0) / 1e6:.1f} MB: {'yes' if ok_html else 'NO'})")
    failed = [f"{name} at {n}: {r.failed}" for (name, n), r in results.items() if r.failed]
    for f in failed:
        print(f"failed: {f}")
    print(f"targets met: {met}/{total}")
    return 0 if met == total and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
