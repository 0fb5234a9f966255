"""Numbers written out the same on every run."""

from __future__ import annotations

import math
from typing import Any

DECIMALS = 4


def rounded(value: Any) -> Any:
    """A float rounded for stable output (DECIMALS places); None for a missing
    value (None or NaN); booleans, integers and non-numbers unchanged.

    Returns: `float`, the value unchanged, or None.
    Raises: nothing.

    Example:
        >>> rounded(2 / 3), rounded(float("nan"))
        (0.6667, None)
    """
    if value.__class__ is float:  # the common case, as below: NaN is None, else rounded
        return None if value != value else round(value, DECIMALS)
    if value is None:
        return None
    try:
        if math.isnan(value):
            return None
    except TypeError:
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    return round(float(value), DECIMALS)
