"""Text made safe to write to a terminal (every layer that prints data uses it)."""

from __future__ import annotations

import re

# Characters that act on a terminal instead of showing: C0 controls (escape
# sequences start with ESC; BEL, backspace, NUL, CR), DEL, C1 controls (\x9b
# is a one-byte CSI), and the invisible marks that reorder text: bidirectional
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), LRM, RLM,
# the Arabic letter mark, and the line and paragraph separators.
_MARKS = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_HIDDEN_RE = re.compile(f"[\x00-\x1f\x7f-\x9f{_MARKS}]")
_HIDDEN_BUT_LINES_RE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_MARKS}]")  # keeps \t and \n
_C_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _shown(char: str) -> str:
    code = ord(char)
    if code < 0xA0:  # C0, DEL, C1: as Python writes them
        return _C_ESCAPES.get(char, f"\\x{code:02x}")
    return f"<U+{code:04X}>"


def visible(text: str, lines: bool = True, json: bool = False) -> str:
    r"""`text` safe to write to a terminal: every character that would act on
    it (control characters, escape sequences, bidirectional overrides) is
    shown as an escape, e.g. `\x1b` or `<U+202E>`; everything else, box
    drawing, Cyrillic and Kazakh letters, right-to-left letters, emoji, is
    left alone. With `lines` newlines and tabs are kept (output made of
    lines); without, they are shown too (one line of a message). With `json`
    the escapes are JSON's own (`\u001b`), so JSON output reads back the same
    data. Every piece of terminal output from data or from user input goes
    through here (the CLI's echo; Problem messages through load.printable).

    Returns: `str`.
    Raises: nothing.

    Example:
        >>> visible("a\x1bb")
        'a\\x1bb'
        >>> visible("a\tb", lines=False)
        'a\\tb'
    """
    pattern = _HIDDEN_BUT_LINES_RE if lines else _HIDDEN_RE
    if not pattern.search(text):
        return text
    if json:
        return pattern.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return pattern.sub(lambda m: _shown(m.group()), text)
