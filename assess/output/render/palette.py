"""The level colours of every report, in one place: the HTML stylesheet and the
workbook read them from here.

One sequential scale, a single blue hue ordered by lightness: the lowest level
is the lightest, the highest the darkest. It reads the same in greyscale and
to a reader with deuteranopia or protanopia (only lightness differs, never
red against green), and each fill carries the ink (text colour) that gives at
least the WCAG AA contrast of 4.5:1 on it (tests/test_palette.py checks).

Levels run 0..max_level; a rubric with another number of levels than four gets
evenly spaced steps of SCALE (level_fills).
"""

from __future__ import annotations

# lightest to darkest (ColorBrewer "Blues", 9 classes; CIE L* about 97 to 28)
SCALE = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
# the four levels of the shipped rubrics (0 none ... 3 operational): L* about 97, 81, 57, 29
LEVELS_4 = ("#f7fbff", "#c6dbef", "#6baed6", "#08519c")
INK_DARK = "#1d2330"   # the report's ink
INK_LIGHT = "#ffffff"
NOT_APPLICABLE = "#e6e8ec"  # neutral grey, outside the scale
BORDER = "#5b6475"     # badge outline: the lightest level still shows its edge on white paper


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of #rrggbb (0 for black to 1 for white).

    Returns: `float`.
    Raises: `ValueError` for a colour that is not #rrggbb hexadecimal.

    Example:
        >>> luminance("#ffffff")
        1.0
    """
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21), in either order.

    Returns: `float`.
    Raises: `ValueError` for a colour that is not #rrggbb hexadecimal.

    Example:
        >>> round(contrast("#000000", "#ffffff"), 1)
        21.0
    """
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(fill: str) -> str:
    """The ink (INK_DARK or INK_LIGHT, white) with the higher contrast on `fill`.

    Returns: `str` (#rrggbb).
    Raises: `ValueError` for a colour that is not #rrggbb hexadecimal.

    Example:
        >>> ink_on("#ffffff") == INK_DARK
        True
    """
    return INK_DARK if contrast(fill, INK_DARK) >= contrast(fill, INK_LIGHT) else INK_LIGHT


def level_fills(max_level: int) -> list[str]:
    """Fill colours for levels 0..max_level, lightest first: the fixed
    four-colour scale for a 0-3 rubric, else colours taken evenly from SCALE.

    Returns: `list[str]` (max_level + 1 colours; one for max_level <= 0).
    Raises: nothing.

    Example:
        >>> level_fills(3)
        ['#f7fbff', '#c6dbef', '#6baed6', '#08519c']
    """
    if max_level == 3:
        return list(LEVELS_4)
    if max_level <= 0:
        return [SCALE[0]]
    last = len(SCALE) - 1
    return [SCALE[round(i * last / max_level)] for i in range(max_level + 1)]


def level_colours(max_level: int) -> list[dict]:
    """[{level, fill, ink}] for levels 0..max_level: what the stylesheet and the
    workbook use (level_fills, each with ink_on).

    Returns: `list[dict]`.
    Raises: nothing.

    Example:
        >>> level_colours(3)[0]
        {'level': 0, 'fill': '#f7fbff', 'ink': '#1d2330'}
    """
    return [{"level": i, "fill": fill, "ink": ink_on(fill)} for i, fill in enumerate(level_fills(max_level))]
