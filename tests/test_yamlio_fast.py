"""The fast YAML reader gives what a node-by-node walk through PyYAML's
SafeConstructor gives: the same data, key lines, duplicate keys, unreadable
scalars and errors with their lines.

The reference below is the walk assess.yamlio used before its fast paths
(every scalar through SafeConstructor.construct_object, every resolve through
BaseResolver.resolve)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from assess import yamlio

_STANDARD = yamlio._STANDARD_TAGS
_ref_constructor = SafeConstructor()


class RefLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass  # BaseResolver.resolve, untouched


def reference(text: str):
    loader = RefLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return ("syntax", mark.line + 1 if mark else None)
    finally:
        loader.dispose()
    doc = yamlio.YamlDoc(path="t.yaml", data=None)
    if node is None:
        return ("ok", None, {}, [], {})
    doc.lines[()] = node.start_mark.line + 1
    try:
        doc.data = _build(node, (), doc, set(), 0, [0])
    except yamlio.YamlError as exc:
        return ("error", exc.message, exc.line)
    return ("ok", doc.data, doc.lines, doc.duplicate_keys, doc.bad_scalars)


def _build(node, keypath, doc, seen, depth, count):
    count[0] += 1
    if count[0] > yamlio.MAX_NODES:
        raise yamlio.YamlError(f"the file has more than {yamlio.MAX_NODES:,} values; split it into several files")
    if depth > yamlio.MAX_DEPTH:
        raise yamlio.YamlError(f"nesting deeper than {yamlio.MAX_DEPTH} levels", node.start_mark.line + 1)
    if id(node) in seen:
        raise yamlio.YamlError("a YAML anchor (&) defined here is reused by an alias (*); aliases are not supported, write the value out", node.start_mark.line + 1)
    if node.tag not in _STANDARD and not (isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:merge"):
        raise yamlio.YamlError(f"the YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not supported; write plain values", node.start_mark.line + 1)
    if isinstance(node, ScalarNode):
        if node.tag == "tag:yaml.org,2002:value":
            return node.value
        try:
            return _ref_constructor.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError):
            doc.bad_scalars[keypath] = node.value
            return node.value
    seen.add(id(node))
    if isinstance(node, SequenceNode):
        out_list = []
        for i, item in enumerate(node.value):
            doc.lines[keypath + (i,)] = item.start_mark.line + 1
            out_list.append(_build(item, keypath + (i,), doc, seen, depth + 1, count))
        return out_list
    out: dict = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise yamlio.YamlError("a mapping key must be a plain value", key_node.start_mark.line + 1)
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise yamlio.YamlError("YAML merge keys (<<) are not supported; write the fields out", key_node.start_mark.line + 1)
        if key_node.tag not in _STANDARD:
            raise yamlio.YamlError(f"the YAML tag {key_node.tag.replace('tag:yaml.org,2002:', '!!')} is not supported; write plain values", key_node.start_mark.line + 1)
        try:
            key = _ref_constructor.construct_object(key_node)
        except (ValueError, yaml.constructor.ConstructorError):
            key = key_node.value
        if not isinstance(key, (str, int)):
            key = str(key)
        line = key_node.start_mark.line + 1
        if key in out:
            doc.duplicate_keys.append((keypath + (key,), line))
        doc.lines[keypath + (key,)] = line
        out[key] = _build(value_node, keypath + (key,), doc, seen, depth + 1, count)
    return out


def fast(text: str):
    try:
        doc = yamlio.parse(text, "t.yaml")
    except yamlio.YamlError as exc:
        if exc.message.startswith("YAML syntax"):
            return ("syntax", exc.line)
        return ("error", exc.message, exc.line)
    return ("ok", doc.data, doc.lines, doc.duplicate_keys, doc.bad_scalars)


CASES = {
    "plain": "a: 1\nb: text\nc: 'quoted'\nd: \"dq\"\ne: |\n  block\n  text\nf: >\n  folded\n",
    "numbers": "a: 0\nb: 012\nc: 0x1F\nd: 1_000\ne: -5\nf: +7\ng: 1:30\nh: 1.5\ni: .inf\nj: -.nan\nk: 0b101\nl: 007\n",
    "dates": "a: 2021-06-30\nb: 2021-02-30\nc: 2021-13-01\nd: 0000-01-01\ne: 2021-6-3\nf: 2021-06-30T10:00:00Z\ng: '2021-06-30'\nh: 2021-06-30 10:00:00.5 +03:00\n",
    "bools-nulls": "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: ~\ng:\nh: null\ni: Null\nj: y\nk: n\n",
    "keys": "1: a\n2021-01-01: b\n2021-02-30: c\nyes: d\n~: e\n1.5: f\n012: g\n'2021-01-01': h\n=: i\n",
    "value-tag": "a: =\nb: [=, x]\n",
    "explicit-tags": "a: !!str 12\nb: !!int '7'\nc: !!int 'x'\nd: !!timestamp '2021-02-30'\ne: !!null 'x'\nf: !!float '1'\n",
    "bad-tag": "a: 1\nb: !!binary aGVsbG8=\n",
    "local-tag": "a:\n  - !thing x\n",
    "python-tag": "x: !!python/name:os.system\n",
    "bad-key-tag": "!!binary aGk=: 1\n",
    "merge": "base: {a: 1}\nother:\n  <<: {b: 2}\n",
    "merge-value": "a: <<\n",
    "alias-map": "a: &x {k: 1}\nb: *x\n",
    "alias-seq": "a: &x [1, 2]\nb: [*x]\n",
    "alias-scalar": "a: &x hello\nb: *x\nc: [*x, *x]\n",
    "duplicate": "a: 1\nb: 2\na: 3\nc: {d: 1, d: 2}\n",
    "complex-key": "? [a, b]\n: 1\n",
    "map-key": "? {a: 1}\n: 2\n",
    "nested": "findings:\n  - id: f1\n    level: 2\n    verified: true\n    quote: |\n      Text,\n      more.\n  - [1, [2, [3]]]\n  - {}\n  - []\n",
    "deep-ok": "a: " + "[" * 39 + "x" + "]" * 39 + "\n",
    "deep-text": "a: " + "[" * 40 + "x" + "]" * 40 + "\n",
    "deep-map": "a: " + "[" * 40 + "{k: v}" + "]" * 40 + "\n",
    "too-deep": "a: " + "[" * 45 + "]" * 45 + "\n",
    "empty": "",
    "comments": "# only a comment\n",
    "top-scalar": "just text\n",
    "top-list": "- 1\n- two\n",
    "syntax": "a: [1, 2\n",
    "unicode": "a: Конституция\nб: 'в'\n",
    "empty-strings": "a: ''\nb: \"\"\n'': x\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_reader_matches_the_reference(name):
    text = CASES[name]
    assert repr(fast(text)) == repr(reference(text))


def test_too_many_values_is_refused_the_same_way():
    text = "a: [" + ", ".join(["x"] * (yamlio.MAX_NODES + 5)) + "]\n"
    assert fast(text) == reference(text)
    assert fast(text)[0] == "error"


def test_fast_paths_give_python_types():
    doc = yamlio.parse("a: 2021-06-30\nb: 12\nc: yes\nd: ~\n", "t.yaml")
    assert doc.data == {"a": dt.date(2021, 6, 30), "b": 12, "c": True, "d": None}
    assert doc.lines == {(): 1, ("a",): 1, ("b",): 2, ("c",): 3, ("d",): 4}


def test_the_shared_constructor_keeps_no_nodes():
    yamlio.parse("a: 1.5\nb: 0x10\n", "t.yaml")
    assert not yamlio._constructor.constructed_objects
