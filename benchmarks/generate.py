"""Generate a synthetic world workspace for benchmarking `assess`.

    python benchmarks/generate.py OUT_DIR [--countries N] [--seed S]

Writes OUT_DIR/criteria/ (a copy of the repository's rubrics) and
OUT_DIR/evidence/<ISO3>/ for N countries (default 200) with real ISO 3166
alpha-3 codes; beyond the 249 of them, the codes of ISO's user-assigned
ranges (AAA-AAZ, QMA-QZZ, XAA-XZZ, ZZA-ZZZ: 1,092 more, which `assess`
accepts with a warning each), and beyond those (more than 1,341 countries)
other three-letter codes that `assess` rejects unless its code table is
patched: benchmarks/patched_assess.py runs `assess` with them added
(synthetic_codes() lists them). Each country gets about 15 documents and 40 findings over the
four tiers of the `four-tier` rubric, dated 1991-2026, with document types
each tier accepts, some findings coded twice by different coders and
multi-line Cyrillic quotes. KAZ and RUS are always included, as copies of the
shipped evidence, so `assess report KAZ RUS` works on the result.

The output depends only on N and the seed (no clock, no network), and passes
`assess validate --data OUT_DIR` with 0 errors.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
ISO_CSV = REPO / "assess" / "checking" / "iso3166.csv"
CRITERIA = REPO / "criteria"
SHIPPED = REPO / "evidence"
ALWAYS = ("KAZ", "RUS")

# tier id -> (file name, accepted document types used here, criteria, number of documents)
TIERS = {
    "constitution": ("constitution.yaml", ["constitution", "constitutional-amendment"],
                     ["con-treaties", "con-war-peace", "con-diplomatic-posts", "con-treaty-status"]),
    "laws": ("laws.yaml", ["constitutional-law", "law", "decree-law", "treaty"],
             ["law-treaties", "law-mfa-support", "law-parliament-status", "law-assemblies"]),
    "concept": ("concept.yaml", ["foreign-policy-concept"],
                ["fpc-mention", "fpc-continuity", "fpc-scope"]),
    "internal": ("internal.yaml", ["rules-of-procedure", "chamber-resolution", "chamber-order", "roadmap", "memorandum",
                                   "administrative-regulation"],
                 ["int-foreign-agreements", "int-chamber-procedures", "int-bodies", "int-strategy", "int-code"]),
}

WORDS = (
    "парламент палата международный договор ратификация денонсация закон комитет делегация сотрудничество "
    "межпарламентский ассамблея полномочия порядок рассмотрение внешняя политика государство соглашение "
    "регламент постановление председатель депутат сенат представительство посол назначение консультации "
    "дипломатия концепция стратегия дорожная карта меры сроки ответственные органы согласие приоритет"
).split()
CODERS = ("aa", "bk", "cm", "dn", "ep")


def iso_codes() -> list[tuple[str, str]]:
    with open(ISO_CSV, encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return [(r["iso3"], r["name"]) for r in rows]


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(path: Path, data: dict, comment: str) -> None:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    path.write_text(f"# {comment}\n" + text, encoding="utf-8")


def rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def cyrillic_quote(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(2, 4)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 11))]
        words[0] = words[0].capitalize()
        lines.append(" ".join(words) + rng.choice([",", ";", "."]))
    lines[-1] = lines[-1][:-1] + "."
    return "\n".join(lines) + "\n"


FIRST = dt.date(1991, 1, 1)
LAST = dt.date(2026, 6, 30)


def tier_documents(rng: random.Random, code: str, tier: str, types: list[str], legislature: str, chambers: list[str]) -> list[dict]:
    low = code.lower()
    docs: list[dict] = []

    def doc(kind: str, i: int, start: dt.date, end: dt.date | None, title_en: str, title_ru: str) -> dict:
        adopted = start - dt.timedelta(days=rng.randint(0, 60))
        d = {
            "id": f"{low}-{tier}-{i}",
            "type": kind,
            "title": {"en": title_en, "ru": title_ru},
            "number": f"{rng.randint(1, 999)}-{rng.choice(['I', 'II', 'III', 'IV', 'V'])}",
            "adopted": max(adopted, dt.date(1990, 1, 1)),
            "in_force_from": start,
        }
        if end is not None:
            d["in_force_to"] = end
        d["url"] = f"https://example.org/{low}/{tier}/{i}"
        return d

    if tier == "constitution":
        start = rand_date(rng, FIRST, dt.date(1997, 12, 31))
        docs.append(doc("constitution", 1, start, None, f"Constitution of {code}", f"Конституция {code}"))
        for i in range(2, 2 + rng.randint(1, 2)):
            s = rand_date(rng, start + dt.timedelta(days=365), LAST)
            docs.append(doc("constitutional-amendment", i, s, None, f"Constitutional amendment {i - 1} of {code}",
                            f"Закон о поправке к Конституции {code} № {i - 1}"))
    elif tier == "laws":
        for i in range(1, 1 + rng.randint(4, 5)):
            kind = rng.choice(types)
            s = rand_date(rng, FIRST, LAST)
            end = rand_date(rng, s + dt.timedelta(days=400), dt.date(2030, 1, 1)) if rng.random() < 0.3 else None
            docs.append(doc(kind, i, s, end, f"Law {i} of {code} on international affairs",
                            f"Закон {code} № {i} о международных делах"))
    elif tier == "concept":
        # successive concepts: each in force until the day before the next
        n = 3
        starts = sorted(rand_date(rng, FIRST, LAST) for _ in range(n))
        for i, s in enumerate(starts, 1):
            end = starts[i] - dt.timedelta(days=1) if i < n else None
            if end is not None and end < s:
                end = s
            docs.append(doc("foreign-policy-concept", i, s, end, f"Foreign Policy Concept {i} of {code}",
                            f"Концепция внешней политики {code} № {i}"))
    else:
        for i in range(1, 1 + rng.randint(5, 6)):
            kind = types[(i - 1) % len(types)] if i <= len(types) else rng.choice(types)
            s = rand_date(rng, FIRST, LAST)
            end = rand_date(rng, s + dt.timedelta(days=365), dt.date(2030, 1, 1)) if kind == "roadmap" else None
            d = doc(kind, i, s, end, f"Internal document {i} of the legislature of {code}",
                    f"Внутренний документ парламента {code} № {i}")
            d["legislature"] = legislature
            if rng.random() < 0.5:
                d["chamber"] = rng.choice(chambers)
            docs.append(d)
    return docs


def country_files(rng: random.Random, code: str, name: str) -> dict[str, dict]:
    low = code.lower()
    legislature = f"{low}-parliament"
    chambers = [f"{low}-upper", f"{low}-lower"]
    files: dict[str, dict] = {
        "country.yaml": {
            "country": {
                "iso3": code,
                "name": {"en": name, "ru": f"Государство {code}"},
                "legislatures": [{
                    "id": legislature,
                    "name": {"en": f"Parliament of {name}", "ru": f"Парламент {code}"},
                    "from": dt.date(1990, 1, 1),
                    "chambers": [
                        {"id": chambers[0], "name": {"en": "Upper chamber", "ru": "Верхняя палата"}, "from": dt.date(1990, 1, 1)},
                        {"id": chambers[1], "name": {"en": "Lower chamber", "ru": "Нижняя палата"}, "from": dt.date(1990, 1, 1)},
                    ],
                }],
            }
        }
    }
    serial = 0
    for tier, (fname, types, criteria) in TIERS.items():
        docs = tier_documents(rng, code, tier, types, legislature, chambers)
        findings = []
        for crit in criteria:
            for d in rng.sample(docs, min(len(docs), rng.choice([2, 2, 3]))):
                serial += 1
                level = rng.choice([0, 1, 2, 2, 3, 3])
                f = {
                    "id": f"{low}-f{serial}",
                    "criterion": crit,
                    "document": d["id"],
                    "locator": f"Art. {rng.randint(1, 150)}({rng.randint(1, 9)})",
                    "quote": cyrillic_quote(rng),
                    "level": level,
                    "verified": rng.random() < 0.4,
                    "coder": rng.choice(CODERS[:2]),
                }
                if rng.random() < 0.25:
                    f["note"] = "Synthetic finding for benchmarking; wording generated."
                if rng.random() < 0.1:  # a provision younger than its document
                    end = d.get("in_force_to") or LAST
                    if end > d["in_force_from"]:
                        f["in_force_from"] = rand_date(rng, d["in_force_from"], end)
                findings.append(f)
                if rng.random() < 0.15:  # a second coder on the same criterion and document
                    serial += 1
                    second = dict(f, id=f"{low}-f{serial}", coder=rng.choice(CODERS[2:]),
                                  level=min(3, max(0, level + rng.choice([-1, 0, 0, 1]))), quote=cyrillic_quote(rng))
                    second.pop("note", None)
                    if rng.random() < 0.3:
                        second["reconciled"] = True
                    findings.append(second)
        files[fname] = {"documents": docs, "findings": findings}
    return files


# ISO 3166-1 leaves these alpha-3 ranges to its users; `assess` accepts them with a warning
USER_ASSIGNED = (("AAA", "AAZ"), ("QMA", "QZZ"), ("XAA", "XZZ"), ("ZZA", "ZZZ"))
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _all_codes():
    return (a + b + c for a in LETTERS for b in LETTERS for c in LETTERS)


def user_assigned_codes() -> list[str]:
    return [c for c in _all_codes() if any(lo <= c <= hi for lo, hi in USER_ASSIGNED)]


def synthetic_codes(iso: set[str] | None = None) -> list[str]:
    """Three-letter codes neither in ISO 3166-1 nor user-assigned, in order:
    what a world of more than 1,341 countries takes beyond the valid ones."""
    iso = iso if iso is not None else {c for c, _ in iso_codes()}
    taken = iso | set(user_assigned_codes())
    return [c for c in _all_codes() if c not in taken]


def world_codes(countries: int, seed: int = 0) -> list[str]:
    """The codes of a world of `countries` (at least KAZ and RUS), sorted: up
    to 249, a seeded sample of the ISO codes (the same as before larger worlds
    were possible); then every ISO code, user-assigned codes in order and,
    beyond those, synthetic_codes() in order."""
    rng = random.Random(seed)
    codes = [c for c, _ in iso_codes()]
    n = max(len(ALWAYS), countries)
    others = [c for c in codes if c not in ALWAYS]
    if n <= len(codes):
        return sorted(list(ALWAYS) + rng.sample(others, n - len(ALWAYS)))
    extra = user_assigned_codes() + synthetic_codes(set(codes))
    return sorted(codes + extra[:n - len(codes)])


def generate(out: str | os.PathLike, countries: int = 200, seed: int = 0) -> list[str]:
    """Writes the workspace into `out` (created; an existing evidence/ is replaced). Returns the codes."""
    out = Path(out)
    names = dict(iso_codes())
    chosen = world_codes(countries, seed)

    out.mkdir(parents=True, exist_ok=True)
    if (out / "criteria").exists():
        shutil.rmtree(out / "criteria")
    shutil.copytree(CRITERIA, out / "criteria")
    evidence = out / "evidence"
    if evidence.exists():
        shutil.rmtree(evidence)
    evidence.mkdir()
    for code in chosen:
        folder = evidence / code
        if code in ALWAYS and (SHIPPED / code).is_dir():
            shutil.copytree(SHIPPED / code, folder)
            continue
        folder.mkdir()
        crng = random.Random(f"{seed}-{code}")  # per country, so N does not change a country's data
        for fname, data in country_files(crng, code, names.get(code, f"Synthetic country {code}")).items():
            dump(folder / fname, data, f"Synthetic benchmark evidence for {code} ({fname[:-5]}), seed {seed}.")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", metavar="OUT_DIR")
    parser.add_argument("--countries", type=int, default=200, metavar="N", help="number of countries (default 200; beyond 1,341 see patched_assess.py)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.countries < 1:
        parser.error("--countries must be 1 or more")
    codes = generate(args.out, args.countries, args.seed)
    print(f"wrote {len(codes)} countries to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
