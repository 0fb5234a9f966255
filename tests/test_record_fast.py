"""The loader's fast paths give what its general paths give.

RecordReader.record takes record_fast for a well-formed record of an evidence
spec (the fields present walked, not every field of the spec) and falls back
to record_general for anything unusual; RecordReader.source takes the lines
of a record's keys from the YAML builder (YamlDoc.key_lines) instead of
building a key path per field. Here both are checked against their general
forms: on every record read from every workspace under the repository (the
shipped evidence and scenarios, the frozen copy, every tests/data case
including the bad ones) and a generated world, and on the shipped records
altered one field at a time (missing, null, of the wrong kind, misspelt,
unknown, in a language the reports do not have). evidence_files, which takes
a regular file after one lstat, is compared with the realpath walk it had
before on links of every kind, folders and a pipe.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from assess.data import load
from assess.data.load import RecordReader
from assess.data.model import Source

from conftest import REPO

BENCH = REPO / "benchmarks"
_RECORD, _SOURCE = RecordReader.record, RecordReader.source  # as shipped, before any test patches them


def _general_source(reader: RecordReader, keypath: tuple, record: dict) -> Source:
    lines = reader.doc.lines
    fields = {k: lines[keypath + (k,)] for k in record if keypath + (k,) in lines}
    return Source(reader.doc.path, reader.doc.line(keypath), fields)


def _said(reader: RecordReader) -> list:
    return [(p.path, p.line, str(p.field), str(p.message), p.severity) for p in reader.problems]


def _same_record(doc, data, keypath, spec, what, partial=False):
    """record() and record_general() on the same input, each with a reader of
    its own: the same fields (values, types, order), the same problems in the
    same order, the same completeness. True when the fast path was taken."""
    fast_reader, general_reader = RecordReader(doc, []), RecordReader(doc, [])
    got = _RECORD(fast_reader, data, keypath, spec, what, partial)
    want = general_reader.record_general(data, keypath, spec, what, partial)
    assert repr(got) == repr(want), (doc.path, keypath)
    assert (got is None) == (want is None) and list(got or ()) == list(want or ())
    assert _said(fast_reader) == _said(general_reader), (doc.path, keypath)
    assert fast_reader.last_complete == general_reader.last_complete, (doc.path, keypath)
    plan = load._FAST_PLANS.get(id(spec))
    return plan is not None and got is not None and fast_reader.record_fast(data, keypath, plan) is not None \
        and not (doc.bad_scalars or doc.numbers) and isinstance(data, dict)


class _Spy:
    """Every record() and source() call of a load checked against the general paths."""

    def __init__(self, monkeypatch):
        self.fast = self.records = self.sources = 0
        record, source = _RECORD, _SOURCE
        spy = self

        def checked_record(reader, data, keypath, spec, what, partial=False):
            spy.records += 1
            spy.fast += _same_record(reader.doc, data, keypath, spec, what, partial)
            return record(reader, data, keypath, spec, what, partial)

        def checked_source(reader, keypath, record_data):
            spy.sources += 1
            got = source(reader, keypath, record_data)
            want = _general_source(reader, keypath, record_data)
            assert (got.path, got.line) == (want.path, want.line)
            assert list(got.fields.items()) == list(want.fields.items()), (reader.doc.path, keypath)
            return got

        monkeypatch.setattr(RecordReader, "record", checked_record)
        monkeypatch.setattr(RecordReader, "source", checked_source)


def _workspaces() -> list[Path]:
    """Every folder of the repository that holds an evidence/ or a criteria/ folder."""
    roots = {p.parent for name in ("evidence", "criteria") for p in REPO.glob(f"**/{name}")
             if p.is_dir() and ".git" not in p.parts and "node_modules" not in p.parts}
    return sorted(roots)


def test_every_record_of_every_workspace(monkeypatch):
    import assess
    from assess.analyses.scenario import check_scenarios

    spy = _Spy(monkeypatch)
    for root in _workspaces():
        problems: list = []
        for folder in sorted((root / "evidence").glob("*")):
            if folder.is_dir():
                load.load_country(str(folder), problems)
        if (root / "criteria").is_dir():
            for path in load.rubric_files(str(root / "criteria")):
                load.load_rubric(path, problems)
    loaded = assess.load_data(str(REPO))
    check_scenarios(loaded)  # the shipped scenarios: documents and findings read as evidence is
    assert len(_workspaces()) > 50 and spy.records > 800 and spy.sources > 500
    assert spy.fast > spy.records / 2  # the shipped evidence is well formed: mostly the fast path


def test_every_record_of_a_generated_world(monkeypatch, tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        import generate
    finally:
        sys.path.remove(str(BENCH))
    generate.generate(str(tmp_path / "w"), 4, 3)
    spy = _Spy(monkeypatch)
    problems: list = []
    for folder in sorted((tmp_path / "w" / "evidence").glob("*")):
        load.load_country(str(folder), problems)
    assert spy.records > 200 and spy.fast == spy.records  # every record of the world is well formed


# values put in place of one field of a shipped record: each kind's common
# form, the forms convert() reads otherwise, and forms it refuses
ODD_VALUES = [
    None, "", "   ", " text ", "Bad Id", "ok-id", "n/a", "NA", "1.2.3", 0, 3, -1, 7, True, False, 1.5,
    dt.date(2021, 6, 30), dt.datetime(2021, 6, 30, 10, 0), [], ["a", "b"], ["a", 1], [1], {}, {"en": " x "},
    {"ru": "x"}, {"en": "x", "ru": " y "}, {"en": "x", "fr": "y"}, {"en": 1}, {"en": ""}, {"ru": " "},
    {"en": "x", "ru": None}, {1: "x"}, {"name": "adilet", "id": "K95"}, {"by": "aa", "date": dt.date(2021, 1, 1), "against": "x"},
]


def _shipped_records():
    """(doc, record, keypath, spec, what) of the shipped evidence: country, legislatures,
    chambers, documents, findings and their check records."""
    from assess.data import yamlio

    for path in sorted((REPO / "evidence").glob("*/*.yaml")):
        doc = yamlio.load(str(path))
        data = doc.data or {}
        yield doc, data, (), load.EVIDENCE_FILE_SPEC, "p_what_evidence_file"
        country = data.get("country")
        if isinstance(country, dict):
            yield doc, country, ("country",), load.COUNTRY_SPEC, "p_what_country"
            for i, leg in enumerate(country.get("legislatures") or []):
                yield doc, leg, ("country", "legislatures", i), load.LEGISLATURE_SPEC, "p_what_legislature"
                for j, ch in enumerate(leg.get("chambers") or []):
                    yield doc, ch, ("country", "legislatures", i, "chambers", j), load.CHAMBER_SPEC, "p_what_chamber"
        for i, item in enumerate(data.get("documents") or []):
            yield doc, item, ("documents", i), load.DOCUMENT_SPEC, "p_what_document"
            if isinstance(item.get("register"), dict):
                yield doc, item["register"], ("documents", i, "register"), load.REGISTER_ID_SPEC, "p_what_register_id"
        for i, item in enumerate(data.get("findings") or []):
            yield doc, item, ("findings", i), load.FINDING_SPEC, "p_what_finding"
            if isinstance(item.get("check"), dict):
                yield doc, item["check"], ("findings", i, "check"), load.CHECK_SPEC, "p_what_check"
            if isinstance(item.get("quotes_check"), dict):
                yield doc, item["quotes_check"], ("findings", i, "quotes_check"), load.QUOTES_CHECK_SPEC, "p_what_quotes_check"


def test_altered_records_read_the_same_both_ways():
    seen_kinds: dict = {}
    fast = total = 0
    for doc, data, keypath, spec, what in _shipped_records():
        kind = id(spec)
        if seen_kinds.get(kind, 0) >= 6:  # a few records of each kind: every field of the spec is altered in each
            continue
        seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
        variants = [dict(data), {**data, "lvel": 2}, {**data, "zzz": "x"}, {**data, 7: "x"}, ["not", "a", "record"], None, "text"]
        for name in spec:
            variants.append({k: v for k, v in data.items() if k != name})  # the field missing
            misspelt = {k: v for k, v in data.items() if k != name}
            misspelt[name[:-1] or "x"] = data.get(name, "x")  # the field under a misspelt name
            variants.append(misspelt)
            for value in ODD_VALUES:
                variants.append({**data, name: value})
        for variant in variants:
            for partial in (False, True):
                total += 1
                fast += _same_record(doc, variant, keypath, spec, what, partial)
    assert total > 5000 and fast > 100  # both paths were taken, many times each


def test_source_of_a_record_not_as_read():
    """A mapping the builder did not make, or one read at another key path, or
    one changed since, gets its lines the general way."""
    from assess.data import yamlio

    doc = yamlio.parse("findings:\n- id: a\n  level: 2\n  quote: x\n", "t.yaml")
    reader = RecordReader(doc, [])
    item = doc.data["findings"][0]
    for keypath, record in [(("findings", 0), item), (("findings", 0), dict(item)), (("findings", 1), item),
                            (("findings", 0), {"id": "a", "level": 2}), (("findings",), item)]:
        got, want = reader.source(keypath, record), _general_source(reader, keypath, record)
        assert (got.line, list(got.fields.items())) == (want.line, list(want.fields.items()))
    del item["quote"]
    got, want = reader.source(("findings", 0), item), _general_source(reader, ("findings", 0), item)
    assert list(got.fields.items()) == list(want.fields.items()) == [("id", 2), ("level", 3)]


@pytest.mark.parametrize("text", [
    "a: 1\u2028b: 2\nc:\n  d: 3\u0085  e: 4\n",  # line breaks YAML counts and editors do not
    "x:\n  y: 1\n  y: 2\n  z: {p: 1, q: 2}\n",  # a duplicate key: its last line, its first place
])
def test_key_lines_are_the_lines_of_the_keys(text):
    from assess.data import yamlio

    doc = yamlio.parse(text, "t.yaml")
    assert doc.key_lines
    for keypath, mapping, key_lines in doc.key_lines.values():
        assert list(key_lines) == list(mapping)
        assert key_lines == {k: doc.lines[keypath + (k,)] for k in mapping}


def _evidence_files_general(folder: str, problems: list, refused: list) -> list[str]:
    """evidence_files as it was before its one-lstat path: every file through
    realpath, commonpath and os.stat."""
    import os

    from assess.common import files
    from assess.common.messages import say

    real_folder = os.path.realpath(folder)
    found = []
    for name in files.listdir(folder):
        path = os.path.join(folder, name)
        if not name.endswith(load.YAML_SUFFIXES) or name.startswith("."):
            continue
        real = os.path.realpath(path)
        if os.path.commonpath([real, real_folder]) != real_folder:
            problems.append(load.Problem(path, None, "", say("p_link_outside_country", target=real)))
            refused.append(path)
            continue
        try:
            what = files.not_a_file(os.stat(path).st_mode)
            why = say("p_not_an_evidence_file", what=what) if what else None
        except OSError as exc:
            why = files.os_reason(exc, path)
        if why:
            problems.append(load.Problem(path, None, "", why))
            refused.append(path)
            continue
        found.append(path)
    return found


def test_evidence_files_finds_what_the_general_walk_finds(tmp_path):
    import os

    outside = tmp_path / "outside.yaml"
    outside.write_text("findings: []\n", encoding="utf-8")
    real = tmp_path / "real"
    (real / "NLD").mkdir(parents=True)
    folder = tmp_path / "evidence" / "NLD"
    folder.parent.mkdir()
    folder.symlink_to(real / "NLD")  # the country folder itself a link
    for name in ("a.yaml", "b.yml", ".hidden.yaml", "notes.txt"):
        (folder / name).write_text("findings: []\n", encoding="utf-8")
    (folder / "dir.yaml").mkdir()
    (folder / "inside-link.yaml").symlink_to("a.yaml")
    (folder / "outside-link.yaml").symlink_to(outside)
    (folder / "dangling.yaml").symlink_to("nowhere.yaml")
    (folder / "loop.yaml").symlink_to("loop.yaml")
    (folder / "link-to-dir.yaml").symlink_to("dir.yaml")
    os.mkfifo(folder / "pipe.yaml")
    for path in (str(folder), str(real / "NLD")):
        got_problems, got_refused, want_problems, want_refused = [], [], [], []
        got = load.evidence_files(path, got_problems, got_refused)
        want = _evidence_files_general(path, want_problems, want_refused)
        assert got == want and len(got) == 3  # a.yaml, b.yml and the link to a.yaml
        assert got_refused == want_refused and len(want_refused) == 6
        assert [(p.path, str(p.message)) for p in got_problems] == [(p.path, str(p.message)) for p in want_problems]
