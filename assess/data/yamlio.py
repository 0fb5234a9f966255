"""Read a YAML file into plain Python data plus the line of every key.

PyYAML's composer (its C version where available) builds a node tree that
carries line marks; we turn it into dicts and lists ourselves so that every
later error can name the line of the field it is about. Aliases are refused
(evidence never needs them, and refusing them defuses "billion laughs"), and
so are duplicate keys, which plain YAML loading would silently drop.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..common import files
from ..common.messages import say

try:  # the C composer is several times faster; fall back where libyaml is missing
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader


def _implicit_table() -> dict:
    # first character -> the (tag, pattern) pairs to try, wildcard ones appended,
    # exactly the lists BaseResolver.resolve walks
    table = _BaseLoader.yaml_implicit_resolvers
    wild = list(table.get(None, []))
    return {first: tuple(pairs + wild) for first, pairs in table.items() if first is not None}


class _Loader(_BaseLoader):
    """The safe loader with a leaner resolve(): the composer calls it once per
    scalar (200,000 times for a world workspace). Same answers as
    BaseResolver.resolve for a loader without path resolvers."""

    _implicit = _implicit_table()
    _wild = tuple(_BaseLoader.yaml_implicit_resolvers.get(None, []))

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in self._implicit.get(value[:1], self._wild):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        if kind is SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG

    # The composer also calls descend_resolver(parent, index) and
    # ascend_resolver() around every node; they do nothing without path
    # resolvers. Builtins that take the same arguments and do nothing useful
    # cost a C call each instead of a Python frame.
    descend_resolver = slice
    ascend_resolver = tuple


assert not _BaseLoader.yaml_path_resolvers  # resolve() above does not handle them

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
    # the text of every number not written in plain decimal digits (010 is octal 8
    # to YAML, 0x3 is 3, 1_000 is 1000, 1:30 is 90) and of every float, so that
    # the loader can refuse such a level or id and keep a text field as typed
    numbers: dict[tuple, str] = field(default_factory=dict)
    # each mapping's keys with their lines, by the mapping's id(): (key path, the
    # mapping itself, {key: line}); the same lines as `lines`, so that a record's
    # Source (load.RecordReader.source) needs no key path built per field
    key_lines: dict[int, tuple[tuple, dict, dict]] = field(default_factory=dict, repr=False, compare=False)

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
    """The text of the YAML file at `path`: a regular file within the size
    limit, UTF-8 (a byte-order mark dropped), not UTF-16/32 and without NUL
    bytes.

    Returns: `str`.
    Raises: `YamlError` saying what is wrong (with the line of a byte that is
    not UTF-8).

    Example:
        >>> read_text("evidence/KAZ/country.yaml").splitlines()[0]
        '# Kazakhstan: who the legislature is, and when.'
    """
    try:  # only a regular file is opened: a folder, a pipe or a link loop named *.yaml is an error
        raw = files.read_bytes(path, MAX_FILE_BYTES, "p_yaml_too_big")
    except files.FileProblem as exc:
        raise YamlError(exc.message) from None
    wrong = files.encoding_problem(raw)
    if wrong:
        raise YamlError(wrong)
    if b"\x00" in raw:
        raise YamlError(say("p_yaml_binary"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(say("p_not_utf8", byte=f"{raw[exc.start]:02x}", offset=exc.start), line) from None


# YAML counts NEL, U+2028 and U+2029 as line breaks, and so do PyYAML's marks;
# editors do not. Lines are reported as an editor shows them.
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")
_YAML_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def editor_lines(text: str) -> list[int] | None:
    r"""For each line as YAML counts them (0-based), the line an editor shows
    (1-based); None when the two agree, as they do unless the text holds NEL,
    U+2028 or U+2029.

    Returns: `list[int]` or None.
    Raises: nothing.

    Example:
        >>> editor_lines("a: 1\u2028b\n")
        [1, 1, 2]
    """
    if not any(c in text for c in _YAML_ONLY_BREAKS):
        return None
    out, line = [1], 1
    for m in _YAML_BREAK.finditer(text):
        if m.group() not in _YAML_ONLY_BREAKS:
            line += 1
        out.append(line)
    return out


def yaml_lines(text: str) -> list[str]:
    r"""The text's lines as YAML (and so every node mark) counts them: split at
    \r\n, \n, \r, NEL, U+2028 and U+2029, without a last empty line.

    Returns: `list[str]`.
    Raises: nothing.

    Example:
        >>> yaml_lines("a: 1\nb: 2\n")
        ['a: 1', 'b: 2']
    """
    lines = _YAML_BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines if text else []


def parse(text: str, path: str) -> YamlDoc:
    r"""The YAML `text` parsed as the file `path` (plain data only: other tags
    are refused), with each node's line as an editor shows it and the keys
    that appear twice in a mapping.

    Returns: `YamlDoc` (``.data`` None for an empty text).
    Raises: `YamlError` for a syntax error or a tag that is not plain data,
    with its line where known.

    Example:
        >>> parse("a: 1\n", "x.yaml").data
        {'a': 1}
    """
    try:
        doc = _parse(text, path)
    except YamlError as exc:
        shown = editor_lines(text) if exc.line else None
        if shown:
            exc.line = shown[min(exc.line, len(shown)) - 1]
        raise
    shown = editor_lines(text)
    if shown:
        doc.lines = {k: shown[v - 1] for k, v in doc.lines.items()}
        for _, _, key_lines in doc.key_lines.values():
            for k, v in key_lines.items():
                key_lines[k] = shown[v - 1]
        doc.duplicate_keys = [(k, shown[v - 1]) for k, v in doc.duplicate_keys]
    return doc


# The syntax errors libyaml and PyYAML name most often (an indentation, a bracket or a quote left open),
# each with its catalogue key (and values): their English is the parser's text, word for word.
_YAML_PROBLEMS = {
    "found character that cannot start any token": "p_yamlerr_cannot_start_token",
    "mapping values are not allowed here": "p_yamlerr_mapping_values",
    "mapping values are not allowed in this context": "p_yamlerr_mapping_values_context",
    "block sequence entries are not allowed in this context": "p_yamlerr_sequence_entries",
    "did not find expected key": "p_yamlerr_expected_key",
    "did not find expected '-' indicator": "p_yamlerr_expected_dash",
    "did not find expected ',' or ']'": ("p_yamlerr_expected_closing", {"closing": "']'"}),
    "did not find expected ',' or '}'": ("p_yamlerr_expected_closing", {"closing": "'}'"}),
    "did not find expected node content": "p_yamlerr_expected_content",
    "could not find expected ':'": "p_yamlerr_expected_colon",
    "found unexpected end of stream": "p_yamlerr_end_of_stream",
    "found unknown escape character": "p_yamlerr_unknown_escape",
    "found invalid Unicode character escape code": "p_yamlerr_unicode_escape",
    "found a tab character that violates indentation": "p_yamlerr_tab_indentation",
    "found a tab character where an indentation space is expected": "p_yamlerr_tab_space",
    "but found another document": "p_yamlerr_another_document",
}


def _parse(text: str, path: str) -> YamlDoc:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # PyYAML's (libyaml's) own words: the common ones said from the catalogue, any other in English
        known = _YAML_PROBLEMS.get(exc.problem) if exc.problem else "p_yaml_invalid"
        key, values = known if isinstance(known, tuple) else (known, {})
        problem = say(key, **values) if key else exc.problem
        lines = yaml_lines(text)
        tab = mark and mark.line < len(lines) and "\t" in lines[mark.line]
        raise YamlError(say("p_yaml_syntax", problem=problem, hint=say("p_yaml_tab_hint") if tab else ""),
                        mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise YamlError(say("p_yaml_syntax", problem=str(exc), hint="")) from None
    finally:
        loader.dispose()
    doc = YamlDoc(path=path, data=None)
    if node is None:
        return doc
    doc.lines[()] = node.start_mark.line + 1
    doc.data = _Builder(doc).build(node, (), 0)
    return doc


def load(path: str) -> YamlDoc:
    """The YAML file at `path` read (read_text) and parsed (parse).

    Returns: `YamlDoc`.
    Raises: `YamlError` (the file cannot be read, is not UTF-8 text, or is
    not valid YAML).

    Example:
        >>> load("evidence/KAZ/country.yaml").path
        'evidence/KAZ/country.yaml'
    """
    return parse(read_text(path), path)


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_VALUE = "tag:yaml.org,2002:value"
_MERGE = "tag:yaml.org,2002:merge"
_BOOL_VALUES = SafeConstructor.bool_values
_PLAIN_INT = re.compile(r"^-?(0|[1-9][0-9]*)$")


def _construct(node) -> Any:
    """A scalar through PyYAML's own constructor (the rare tags and forms the
    fast paths of _Builder leave to it). Forgets the node afterwards: the
    shared constructor would otherwise keep every node it saw alive."""
    try:
        return _constructor.construct_object(node, deep=True)
    finally:
        _constructor.constructed_objects.pop(node, None)
        _constructor.recursive_objects.pop(node, None)


def _scalar(node) -> Any:
    """The value of a scalar node whose tag is standard: the common forms
    directly, the same values SafeConstructor gives; the rest through it.
    Raises what SafeConstructor raises for a value it cannot read."""
    tag = node.tag
    value = node.value
    if tag == _STR:
        return value
    if tag == _INT:
        if value.isascii() and value.isdigit() and (value[0] != "0" or len(value) == 1):
            return int(value)
    elif tag == _TIMESTAMP:
        if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii() \
                and value[:4].isdigit() and value[5:7].isdigit() and value[8:].isdigit():
            return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))  # ValueError for 2021-02-30, as PyYAML
    elif tag == _BOOL:
        return _BOOL_VALUES[value.lower()]
    elif tag == _NULL:
        return None
    elif tag == _VALUE:  # a lone '=' is text here, not YAML's "value" key
        return value
    return _construct(node)


class _Builder:
    """Turns a composed node tree into plain data, recording the line of every
    key and list item, refusing aliases, merge keys and non-standard tags.

    The common case (a plain or quoted text value under a text key) is handled
    inline, without a call per node; everything else takes the general path,
    so the errors and their lines are those of a node-by-node walk."""

    __slots__ = ("doc", "lines", "key_lines", "seen", "count")

    def __init__(self, doc: YamlDoc):
        self.doc = doc
        self.lines = doc.lines
        self.key_lines = doc.key_lines
        self.seen: set[int] = set()
        self.count = 0

    def build(self, node, keypath: tuple, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(say("p_yaml_too_many_values", n=f"{MAX_NODES:,}"))
        if depth > MAX_DEPTH:
            raise YamlError(say("p_yaml_too_deep", n=MAX_DEPTH), node.start_mark.line + 1)
        cls = node.__class__
        if cls is ScalarNode or isinstance(node, ScalarNode):
            # a scalar node is never in `seen` (only collections are added), so an
            # alias to a scalar reads as its value, as before
            tag = node.tag
            if tag not in _STANDARD_TAGS and tag != _MERGE:
                raise YamlError(say("p_yaml_tag", tag=tag.replace('tag:yaml.org,2002:', '!!')), node.start_mark.line + 1)
            try:
                value = _scalar(node)
            except (ValueError, yaml.constructor.ConstructorError):
                self.doc.bad_scalars[keypath] = node.value
                return node.value
            cls = value.__class__
            if cls is float or cls is int and not _PLAIN_INT.match(node.value):
                self.doc.numbers[keypath] = node.value
            return value
        if id(node) in self.seen:
            # the composer hands back the same node object wherever an alias points
            raise YamlError(say("p_yaml_alias"), node.start_mark.line + 1)
        if node.tag not in _STANDARD_TAGS:
            raise YamlError(say("p_yaml_tag", tag=node.tag.replace('tag:yaml.org,2002:', '!!')), node.start_mark.line + 1)
        self.seen.add(id(node))  # never removed: a second visit can only come from an alias
        lines = self.lines
        inline = depth + 1 <= MAX_DEPTH  # a text child needs no depth check of its own
        if isinstance(node, SequenceNode):
            out_list = []
            append = out_list.append
            for i, item in enumerate(node.value):
                kp = keypath + (i,)
                lines[kp] = item.start_mark.line + 1
                if inline and item.__class__ is ScalarNode and item.tag == _STR:
                    self.count += 1
                    if self.count > MAX_NODES:
                        raise YamlError(say("p_yaml_too_many_values", n=f"{MAX_NODES:,}"))
                    append(item.value)
                else:
                    append(self.build(item, kp, depth + 1))
            return out_list
        if isinstance(node, MappingNode):
            out: dict = {}
            key_lines: dict = {}
            self.key_lines[id(out)] = (keypath, out, key_lines)  # holding `out` keeps its id its own
            for key_node, value_node in node.value:
                if key_node.__class__ is ScalarNode and key_node.tag == _STR:
                    key = key_node.value
                else:
                    key = self.key(key_node)
                line = key_node.start_mark.line + 1
                kp = keypath + (key,)
                if key in out:
                    self.doc.duplicate_keys.append((kp, line))
                lines[kp] = line
                key_lines[key] = line
                if inline and value_node.__class__ is ScalarNode and value_node.tag == _STR:
                    self.count += 1
                    if self.count > MAX_NODES:
                        raise YamlError(say("p_yaml_too_many_values", n=f"{MAX_NODES:,}"))
                    out[key] = value_node.value
                else:
                    out[key] = self.build(value_node, kp, depth + 1)
            return out
        raise YamlError(say("e_yaml_node", node=type(node).__name__), node.start_mark.line + 1)  # pragma: no cover

    @staticmethod
    def key(key_node) -> Any:
        if not isinstance(key_node, ScalarNode):
            raise YamlError(say("p_yaml_complex_key"), key_node.start_mark.line + 1)
        if key_node.tag == _MERGE:
            raise YamlError(say("p_yaml_merge_key"), key_node.start_mark.line + 1)
        if key_node.tag not in _STANDARD_TAGS:
            raise YamlError(say("p_yaml_tag", tag=key_node.tag.replace('tag:yaml.org,2002:', '!!')), key_node.start_mark.line + 1)
        try:
            key = _scalar(key_node)
        except (ValueError, yaml.constructor.ConstructorError):  # a key such as 2001-02-30
            key = key_node.value
        if not isinstance(key, (str, int)):
            key = str(key)
        return key
