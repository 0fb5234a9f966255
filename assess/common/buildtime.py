"""The time written into outputs: SOURCE_DATE_EPOCH when it is set.

SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/)
is a number of seconds since 1970-01-01 UTC. When it is set, every timestamp
the tool writes into a file (the report's "generated" line in HTML and in the
workbook, the workbooks' docProps/core.xml) is that moment, so two runs give
the same bytes. Unset, the report says when it was made, and the data-entry
workbook carries a fixed date.
"""

from __future__ import annotations

import datetime as dt
import os

from .errors import UsageError
from .messages import say

VARIABLE = "SOURCE_DATE_EPOCH"


def source_date(environ: dict | None = None) -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as an aware UTC datetime, or None when unset or empty.

    Returns: `datetime.datetime` (UTC) or None.
    Raises: `UsageError` for a value that is not a whole number of seconds.

    Example:
        >>> source_date({"SOURCE_DATE_EPOCH": "1700000000"})
        datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)
    """
    value = (os.environ if environ is None else environ).get(VARIABLE, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise UsageError(say("e_epoch_not_time", variable=VARIABLE, value=repr(value)))
    try:
        return dt.datetime.fromtimestamp(int(value), dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise UsageError(say("e_epoch_range", variable=VARIABLE, value=value)) from None


def now() -> dt.datetime:
    """SOURCE_DATE_EPOCH if set, else the current time; UTC, whole seconds.

    Returns: `datetime.datetime` (UTC). Raises: `UsageError` (see `source_date`).

    Example:
        >>> stamp = now()
    """
    return source_date() or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
