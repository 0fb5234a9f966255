"""Edit evidence files record by record, keeping everything else byte for byte.

`assess import` turns a data-entry workbook back into evidence files. An
analyst's files carry comments, blank lines and folded notes that a plain
dump would lose, so the importer never regenerates a whole file: it finds
the text span of each record (a document, a finding, the country block) from
PyYAML's node marks and replaces, removes or appends only the records that
changed. A file whose records all match is not touched at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

_BREAK = re.compile("(\r\n|[\n\r\x85\u2028\u2029])")  # the line breaks of YAML

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


# ---------------------------------------------------------------- rendering


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, multi-line text as | blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_block(data: dict) -> list[str]:
    r"""`data` as block-style YAML lines (no trailing newlines): keys in their
    order, lists indented under their key, multi-line text as | blocks,
    Unicode as it is.

    Returns: `list[str]`.
    Raises: `yaml.representer.RepresenterError` for a value YAML cannot hold.

    Example:
        >>> dump_block({"id": "a", "note": "x\ny"})
        ['id: a', 'note: |-', '  x', '  y']
    """
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100, indent=2)
    return text.splitlines()


def render_item(record: dict, dash_col: int) -> list[str]:
    """One list item: '- key: value' at `dash_col`, the rest indented under it.

    Returns: `list[str]`.
    Raises: as dump_block.

    Example:
        >>> render_item({"id": "a", "level": 2}, 2)
        ['  - id: a', '    level: 2']
    """
    lines = dump_block(record)
    pad = " " * dash_col
    return [pad + "- " + lines[0]] + [pad + "  " + line if line else "" for line in lines[1:]]


def render_item_keeping(record: dict, span: Span, lines: list[str], unchanged: set[str]) -> list[str]:
    """A changed list item, written field by field: a field whose value did not
    change (named in `unchanged`) keeps its original lines (folded notes,
    quoting, inline comments), the others are written afresh. The fields come
    in the new record's order. `span` is the item's place in `lines` (see
    layout); an item without fields (flow style) is written afresh whole.

    Returns: `list[str]`.
    Raises: as dump_block.

    Example:
        >>> lines = split_lines(text)[0]
        >>> render_item_keeping(record, layout(text)["findings"].items[0], lines, {"id", "note"})
    """
    if not span.fields:
        return render_item(record, span.dash_col)
    key_col = min(col for _, _, col in span.fields.values())
    first_prefix = " " * span.dash_col + "-" + " " * (key_col - span.dash_col - 1)
    out: list[str] = []
    for key, value in record.items():
        prefix = first_prefix if not out else " " * key_col
        if key in unchanged and key in span.fields:
            first, last, col = span.fields[key]
            out += [prefix + lines[first][col:]] + lines[first + 1 : last + 1]  # the rest is already at its column
        else:
            block = dump_block({key: value})
            out += [prefix + block[0]] + [" " * key_col + line if line else "" for line in block[1:]]
    return out


def render_key(key: str, value: Any) -> list[str]:
    """A whole top-level key: `key: []` for an empty list, each item under it
    for a list, else a block.

    Returns: `list[str]`.
    Raises: as dump_block.

    Example:
        >>> render_key("findings", [])
        ['findings: []']
    """
    if isinstance(value, list) and not value:
        return [f"{key}: []"]
    if isinstance(value, list):
        out = [f"{key}:"]
        for item in value:
            out += render_item(item, 2)
        return out
    return dump_block({key: value})


def render_file(blocks: list[tuple[str, Any]], header: str | None = None) -> str:
    r"""A new evidence file from scratch: an optional comment header (each line
    as a # comment), then each (key, value) block, a blank line between.

    Returns: `str` (ending in a newline).
    Raises: as dump_block.

    Example:
        >>> render_file([("documents", [])], "KAZ")
        '# KAZ\n\ndocuments: []\n'
    """
    out: list[str] = []
    if header:
        out += ["# " + line if line else "#" for line in header.splitlines()]
    for key, value in blocks:
        if out:
            out.append("")
        out += render_key(key, value)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- layout


@dataclass
class Span:
    """Lines first..last (0-based, inclusive) of one record or one top-level key."""

    first: int
    last: int
    dash_col: int = 0
    fields: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # key -> (first line, last line, key column)


@dataclass
class KeyLayout:
    span: Span
    block_list: bool  # a non-empty block-style list whose items can be edited one by one
    items: list[Span] = field(default_factory=list)


def compose(text: str) -> Any:
    r"""The node tree of `text` (PyYAML's compose, with the fast loader when
    the build has it): the marks every span here is measured from, for a
    caller that walks the nodes itself (the importer maps lines to workbook
    rows with it).

    Returns: `yaml.Node` (a `yaml.MappingNode` for an evidence file), or None
    for an empty text.
    Raises: `yaml.YAMLError` for text that is not YAML.

    Example:
        >>> compose("a: 1\n").value[0][0].value
        'a'
    """
    return yaml.compose(text, Loader=_Loader)


def last_line(node, lines: list[str]) -> int:
    r"""The last line (0-based) holding any of the node's text; `lines` are
    the text's lines as split_lines counts them. A block scalar's mark runs
    past the blank lines after it: they are not its text.

    Returns: `int`.
    Raises: nothing.

    Example:
        >>> text = "a: |\n  x\n\nb: 1\n"
        >>> last_line(compose(text).value[0][1], split_lines(text)[0])
        1
    """
    return _last_line(node, lines)


def _last_line(node, lines: list[str]) -> int:
    """The last line holding any of the node's text."""
    if isinstance(node, yaml.ScalarNode):
        mark = node.end_mark
        last = mark.line if mark.column > 0 else mark.line - 1
    elif isinstance(node, yaml.SequenceNode) and node.flow_style or isinstance(node, yaml.MappingNode) and node.flow_style:
        mark = node.end_mark
        last = mark.line if mark.column > 0 else mark.line - 1
    else:
        children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
        last = max((_last_line(c, lines) for c in children), default=node.start_mark.line)
    # a block scalar's mark runs past the blank lines after it; they are not its text
    while last > node.start_mark.line and not lines[last].strip():
        last -= 1
    return last


def split_lines(text: str) -> tuple[list[str], list[str]]:
    r"""The lines of `text` as YAML, and so every node mark, counts them (a
    U+2028 or NEL inside a value ends a line too), and the break after each
    ('' after a last line without one), so that untouched lines are written
    back byte for byte.

    Returns: `tuple[list[str], list[str]]` (lines, breaks).
    Raises: nothing.

    Example:
        >>> split_lines("a: 1\r\nb: 2")
        (['a: 1', 'b: 2'], ['\r\n', ''])
    """
    pieces = _BREAK.split(text)
    lines, ends = pieces[0::2], pieces[1::2] + [""]
    if len(lines) > 1 and lines[-1] == "":  # the text ends with a break
        lines.pop()
        ends.pop()
    return (lines, ends) if text else ([], [])


def layout(text: str) -> dict[str, KeyLayout]:
    r"""Where each top-level key and each item of its list sits in `text`: the
    lines of the key, whether its list is a non-empty block list (editable
    item by item), and for each item its lines, dash column and fields (each
    field's first and last line and key column). Empty for a text whose top
    is not a mapping.

    Returns: `dict[str, KeyLayout]`.
    Raises: `yaml.YAMLError` for text that is not YAML.

    Example:
        >>> layout("findings:\n  - id: a\n    level: 1\n")["findings"].items[0].fields
        {'id': (1, 1, 4), 'level': (2, 2, 4)}
    """
    lines = split_lines(text)[0]
    root = yaml.compose(text, Loader=_Loader)
    out: dict[str, KeyLayout] = {}
    if not isinstance(root, yaml.MappingNode):
        return out
    for key, value in root.value:
        span = Span(key.start_mark.line, max(_last_line(value, lines), key.start_mark.line))
        block = isinstance(value, yaml.SequenceNode) and not value.flow_style and bool(value.value)
        kl = KeyLayout(span, block)
        if block:
            for item in value.value:
                first = item.start_mark.line
                dash = lines[first].rfind("-", 0, item.start_mark.column)
                span = Span(first, _last_line(item, lines), max(dash, 0))
                if isinstance(item, yaml.MappingNode) and not item.flow_style:
                    for k, v in item.value:
                        span.fields[str(k.value)] = (k.start_mark.line, max(_last_line(v, lines), k.start_mark.line), k.start_mark.column)
                kl.items.append(span)
        out[str(key.value)] = kl
    return out


# ---------------------------------------------------------------- edits


@dataclass
class Edit:
    first: int  # replace lines first..last (inclusive); last = first - 1 inserts before `first`
    last: int
    lines: list[str]


def apply_edits(text: str, edits: list[Edit]) -> str:
    r"""`text` with the edits made (each replaces lines first..last, or inserts
    before `first` when last = first - 1); every line no edit touches keeps
    its bytes, line break included. New lines end like the file's first line.

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> apply_edits("a: 1\nb: 2\n", [Edit(1, 1, ["b: 3"])])
        'a: 1\nb: 3\n'
    """
    lines, ends = split_lines(text)
    newline = "\r\n" if ends and ends[0] == "\r\n" else "\n"
    pairs = list(zip(lines, ends))
    for e in sorted(edits, key=lambda e: (e.first, e.last), reverse=True):
        pairs[e.first : e.last + 1] = [(line, newline) for line in e.lines]
    return "".join(line + (end or newline) for line, end in pairs)


def set_item_field(text: str, key: str, item_id: str, name: str, value: Any) -> str | None:
    r"""`text` with one field of one list item (the item of top-level `key`
    whose id is `item_id`) set to `value`, or removed when `value` is None.
    Every other line keeps its bytes. None when the item cannot be edited
    field by field (not found, written in flow style, or the field shares the
    item's first line and would be removed).

    Returns: `str` or None.
    Raises: `yaml.YAMLError` for text that is not YAML.

    Example:
        >>> set_item_field("findings:\n  - id: a\n    level: 1\n", "findings", "a", "level", 2)
        'findings:\n  - id: a\n    level: 2\n'
    """
    data = yaml.load(text, Loader=_Loader)
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    index = next((i for i, item in enumerate(items) if isinstance(item, dict) and item.get("id") == item_id), None)
    kl = layout(text).get(key)
    if index is None or kl is None or not kl.block_list or index >= len(kl.items):
        return None
    span = kl.items[index]
    if not span.fields:  # a flow-style item: {id: x, ...}
        return None
    lines = split_lines(text)[0]
    key_col = min(col for _, _, col in span.fields.values())
    if name in span.fields:
        first, last, col = span.fields[name]
        if value is None:
            if first == span.first:
                return None
            return apply_edits(text, [Edit(first, last, [])])
        block = dump_block({name: value})
        new = [lines[first][:col] + block[0]] + [" " * col + line if line else "" for line in block[1:]]
        return apply_edits(text, [Edit(first, last, new)])
    if value is None:
        return text
    block = dump_block({name: value})
    new = [" " * key_col + line if line else "" for line in block]
    return apply_edits(text, [Edit(span.last + 1, span.last, new)])
