"""Read a YAML file into plain Python data plus the line of every key.

PyYAML's composer (its C version where available) builds a node tree that
carries line marks; we turn it into dicts and lists ourselves so that every
later error can name the line of the field it is about. Aliases are refused
(evidence never needs them, and refusing them defuses "billion laughs"), and
so are duplicate keys, which plain YAML loading would silently drop.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

try:  # the C composer is several times faster; fall back where libyaml is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 500_000

Path_ = tuple  # a key path: ("findings", 3, "level")


class YamlError(Exception):
    """The file cannot be read as YAML at all; carries a line where known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class YamlDoc:
    path: str
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[tuple, int]] = field(default_factory=list)
    bad_scalars: dict[tuple, str] = field(default_factory=dict)  # e.g. 2021-02-30

    def line(self, keypath: tuple) -> int | None:
        # the nearest recorded ancestor gives a line when the key itself is missing
        while keypath:
            if keypath in self.lines:
                return self.lines[keypath]
            keypath = keypath[:-1]
        return self.lines.get((), 1)


_constructor = SafeConstructor()

# the tags plain YAML data resolves to; anything else (!!python/..., !!binary,
# a local !tag) is refused rather than silently read as text or ignored
_STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "value")}


def read_text(path: str) -> str:
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise YamlError(f"cannot read the file: {exc.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise YamlError(
            f"the file is {size / 1048576:.1f} MiB; evidence and rubric files are limited to "
            f"{MAX_FILE_BYTES // 1048576} MiB (split it into several files)"
        )
    with open(path, "rb") as fh:
        raw = fh.read()
    if b"\x00" in raw:
        raise YamlError("the file holds binary data (NUL bytes), not YAML text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 (a Windows-1251 export is a common cause)",
            line,
        ) from None


def parse(text: str, path: str) -> YamlDoc:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line]:
            problem += " (the line holds a tab: indent with spaces)"
        raise YamlError(f"YAML syntax: {problem}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML syntax: {exc}") from None
    finally:
        loader.dispose()
    doc = YamlDoc(path=path, data=None)
    if node is None:
        return doc
    doc.lines[()] = node.start_mark.line + 1
    doc.data = _build(node, (), doc, set(), 0, [0])
    return doc


def load(path: str) -> YamlDoc:
    return parse(read_text(path), path)


def _build(node, keypath: tuple, doc: YamlDoc, seen: set[int], depth: int, count: list[int]) -> Any:
    count[0] += 1
    if count[0] > MAX_NODES:
        raise YamlError(f"the file has more than {MAX_NODES:,} values; split it into several files")
    if depth > MAX_DEPTH:
        raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", node.start_mark.line + 1)
    if id(node) in seen:
        # the composer hands back the same node object wherever an alias points
        raise YamlError("a YAML anchor (&) defined here is reused by an alias (*); aliases are not supported, write the value out", node.start_mark.line + 1)
    if node.tag not in _STANDARD_TAGS and not (isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:merge"):
        raise YamlError(f"the YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not supported; write plain values", node.start_mark.line + 1)
    if isinstance(node, ScalarNode):
        if node.tag == "tag:yaml.org,2002:value":  # a lone '=' is text here, not YAML's "value" key
            return node.value
        try:
            return _constructor.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError):
            doc.bad_scalars[keypath] = node.value
            return node.value
    seen.add(id(node))  # never removed: a second visit can only come from an alias
    if isinstance(node, SequenceNode):
        out_list = []
        for i, item in enumerate(node.value):
            doc.lines[keypath + (i,)] = item.start_mark.line + 1
            out_list.append(_build(item, keypath + (i,), doc, seen, depth + 1, count))
        return out_list
    if isinstance(node, MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlError("a mapping key must be a plain value", key_node.start_mark.line + 1)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError("YAML merge keys (<<) are not supported; write the fields out", key_node.start_mark.line + 1)
            if key_node.tag not in _STANDARD_TAGS:
                raise YamlError(f"the YAML tag {key_node.tag.replace('tag:yaml.org,2002:', '!!')} is not supported; write plain values", key_node.start_mark.line + 1)
            try:
                key = _constructor.construct_object(key_node)
            except (ValueError, yaml.constructor.ConstructorError):  # a key such as 2001-02-30
                key = key_node.value
            if not isinstance(key, (str, int)):
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in out:
                doc.duplicate_keys.append((keypath + (key,), line))
            doc.lines[keypath + (key,)] = line
            out[key] = _build(value_node, keypath + (key,), doc, seen, depth + 1, count)
        return out
    raise YamlError(f"unsupported YAML node {type(node).__name__}", node.start_mark.line + 1)  # pragma: no cover
