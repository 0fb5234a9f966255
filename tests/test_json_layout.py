"""The JSON writers lay out JSON themselves, for speed (assess/output/export.py:
json_indented, json_rows and the one-value _encode they share). Each must give
exactly the bytes of the json module's own functions, on the shipped outputs
and on values chosen to trip a hand-written writer: subclasses of str, int and
float (which json writes by their parent type's rules), NaN and infinities,
non-string keys, tuples, empty containers, escapes, and values JSON cannot
hold (the same exception as json.dumps)."""

from __future__ import annotations

import datetime as dt
import enum
import json
import math

import pytest

from assess.output import export


class _Str(str):
    pass


class _Int(enum.IntEnum):
    ONE = 1


class _Float(float):
    pass


ODD = [
    "", "plain", "ж\n\t\"q\" \\ \u2028 \x00 \x1b[31m", "\ud800",  # a lone surrogate, as json.dumps writes it
    0, -1, 10**30, True, False, None, _Int.ONE, _Str("sub"), _Float(2.5),
    0.1, -0.0, 1e300, 2.5e-7, 100.0, math.nan, math.inf, -math.inf, 1 / 3,
    [], {}, (), [1, [2, [3, []]], {}], (1, "a"),
    {"a": 1, "b": [1.5, None], "c": {"d": {}}},
    {3: "int key", 2.5: "float key", True: "bool key", None: "none key", "s": 0},
    [{"date": "2020-01-01", "x": 1.5, "tiers": {"t": None}}, {"k": [{"z": 1}]}],
]


@pytest.mark.parametrize("value", ODD, ids=range(len(ODD)))
def test_one_value_is_written_as_json_dumps_writes_it(value):
    assert export._encode(value) == json.dumps(value, ensure_ascii=False)


@pytest.mark.parametrize("value", ODD, ids=range(len(ODD)))
def test_indented_is_json_dumps_indent_2(value):
    assert export.json_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)
    tree = {"outer": [value, {"inner": value}], "n": 1}
    assert export.json_indented(tree) == json.dumps(tree, ensure_ascii=False, indent=2)


def test_values_json_cannot_hold_raise_what_json_dumps_raises():
    for bad in (dt.date(2020, 1, 1), {"a": {1, 2}}, [object()]):
        with pytest.raises(TypeError) as ours:
            export._encode(bad)
        with pytest.raises(TypeError) as theirs:
            json.dumps(bad, ensure_ascii=False)
        assert str(ours.value) == str(theirs.value)
        with pytest.raises(TypeError):
            export.json_indented({"x": bad})
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        export._encode(loop)


def test_rows_read_back_as_the_data_and_sit_one_per_line():
    rows = {"rows": [v for v in ODD if isinstance(v, dict)] + [{"f": math.inf}]}
    text = export.json_rows(rows)
    assert json.loads(text) == json.loads(json.dumps(rows))
    lines = [line.rstrip(",") for line in text.splitlines()]
    for row in rows["rows"]:
        assert export._is_row(row)
        assert "    " + json.dumps(row, ensure_ascii=False) in lines


def test_the_shipped_scores_are_the_bytes_of_json_dumps_indent_2():
    import assess
    from tests.test_benchmarks import REPO

    for day in ("1995-01-01", "2021-06-30", "2026-11-30"):
        scores = assess.compute_scores(None, as_of=day, data=str(REPO))
        for lang in ("en", "ru", "kk"):
            d = export.scores_to_dict(scores, lang)
            assert export.scores_to_json(scores, lang) == json.dumps(d, ensure_ascii=False, indent=2) + "\n"
