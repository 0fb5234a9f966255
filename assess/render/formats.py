"""Numbers, dates and percentages in the report's language, by the formats
that messages.yaml declares."""

from __future__ import annotations

import datetime as dt

from .context import Messages


class Formats:
    def __init__(self, messages: Messages):
        self.decimal = messages("_decimal") if messages.table.get("_decimal") else "."
        self.date_format = messages("_date_format") if messages.table.get("_date_format") else "%Y-%m-%d"
        self.percent = messages.table.get("_percent", {}).get(messages.lang) or "{value}%"

    def num(self, value, digits: int = 1) -> str:
        if value is None:
            return "–"
        text = f"{float(value):.{digits}f}"
        return text.replace(".", self.decimal)

    def date(self, value) -> str:
        if value is None:
            return "–"
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.strftime(self.date_format)

    def time(self, value) -> str:
        """A moment: its date in the report's format and the time of day in UTC."""
        if value is None:
            return "–"
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc)
        return f"{value.strftime(self.date_format)} {value:%H:%M} UTC"

    def pct(self, share, digits: int = 0) -> str:
        if share is None:
            return "–"
        return self.percent.format(value=self.num(100 * share, digits))
