"""What the timeline's CPU over the score case is made of, part by part.

    python benchmarks/timeline_parts.py [--countries 200] [--rounds 7] [--markdown]

The timeline target of issue #19 is `timeline --all --from 1991 --format json`
at most 0.15 s of CPU over `score --all --format json` at 200 countries. This
script measures, in one process on the same loaded workspace (garbage
collector paused, as the commands pause it), the part of each command that
differs: scoring as of today and its JSON, against the timeline's sweep and
its JSON, and then the sweep again with parts of its output left out, to say
what meeting the target would take away:

- without the causes in words (every cause an empty text: the sweep still
  finds them, but puts none into words, and the JSON carries empty texts);
- without the like-with-like figures of coverage changes as well;
- steps only: no change point at all (the yearly states alone).

Those variants exist only here: they replace functions of
`assess.analyses.timeline` in this process (the library has no switch for
them). Figures are CPU seconds (time.process_time), the median of the
rounds, each round running every variant once, so a change in the machine's
speed hits them alike. Nothing is written but the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--countries", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args(argv)

    import assess.analyses.timeline as T
    from assess import api
    from assess.output import export
    from assess.scoring.score import score_countries

    with tempfile.TemporaryDirectory(prefix="assess-tl-") as tmp:
        ws = str(Path(tmp) / "world")
        generate.generate(ws, args.countries, args.seed)
        loaded = api.load_data(ws, None)
        p = api.prepare(None, None, ws, loaded=loaded)
    today = dt.date(2026, 12, 1)  # fixed: the same work on every day the script is run
    first = dt.date(1991, 1, 1)
    dates = T.step_dates(first, today)
    real = {name: getattr(T, name) for name in ("_describe", "_like_with_like", "_change", "ChangePoint")}

    def no_words():
        T._describe = lambda *a, **k: ""

    def no_like():
        no_words()
        T._like_with_like = lambda rubric, *a: ((None, None, 0), {t.id: (None, None, 0) for t in rubric.tiers})

    def steps_only():
        no_like()
        T._change = T.ChangePoint = lambda *a, **k: None

    def score():
        return export.scores_to_json(score_countries(p.rubric, p.evidence, today))

    def timeline(prepare=None):
        def run():
            if prepare:
                prepare()
            try:
                timelines = [T.country_timeline(p.rubric, ev, dates, "en") for ev in p.evidence]
                for tl in timelines:  # the change points inside the window, as the command keeps them
                    tl.changes = [c for c in tl.changes if c is not None and first <= c.date <= today]
                return export.timeline_to_json(p.rubric, timelines)
            finally:
                for name, value in real.items():
                    setattr(T, name, value)
        return run

    whole = timeline()
    texts: list[str] = []
    variants = [
        ("score as of today + its JSON (the score case's own part)", score),
        ("timeline: sweep + its JSON (the timeline case's own part)", whole),
        ("  without causes in words", timeline(no_words)),
        ("  without causes in words or like-with-like figures", timeline(no_like)),
        ("  steps only: no change points", timeline(steps_only)),
    ]
    times: dict[str, list[float]] = {label: [] for label, _ in variants}
    sizes: dict[str, int] = {}
    gc.disable()
    try:
        for _ in range(args.rounds):
            for label, fn in variants:
                start = time.process_time()
                text = fn()
                times[label].append(time.process_time() - start)
                sizes[label] = len(text.encode("utf-8"))
                if fn is whole:  # the variants must leave the library as they found it
                    if texts and text != texts[0]:
                        print("error: the timeline's JSON changed after a variant ran", file=sys.stderr)
                        return 1
                    texts.append(text)
    finally:
        gc.enable()
    base = statistics.median(times[variants[0][0]])
    rows = [(label, statistics.median(times[label]), statistics.median(times[label]) - base, sizes[label])
            for label, _ in variants]
    head = ("part", "CPU s", "over score s", "JSON bytes")
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|---|---:|---:|---:|")
        for label, cpu, over, size in rows:
            print(f"| {label.strip()} | {cpu:.3f} | {over:+.3f} | {size:,} |")
    else:
        print(f"{head[0]:<60} {head[1]:>7} {head[2]:>13} {head[3]:>12}")
        for label, cpu, over, size in rows:
            print(f"{label:<60} {cpu:7.3f} {over:+13.3f} {size:12,}")
    print(f"\n{args.countries} countries, {len(dates)} yearly steps from 1991, median of {args.rounds} rounds "
          f"(CPU s, in one process, garbage collector paused)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
