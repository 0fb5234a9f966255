"""The one catalogue of user-facing text (reports/templates/messages.yaml, in
en, ru and kk) and the number, date and percent formats it declares.

Below every layer that speaks to people: the scorer's analyses (timeline,
sensitivity), the terminal views and the report renderers all read their words
here, so none of them imports a layer above it."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any


@dataclass
class Messages:
    """The interface texts of reports, from reports/templates/messages.yaml."""

    table: dict[str, dict[str, str]]
    lang: str

    def __call__(self, key: str, **values: Any) -> str:
        entry = self.table.get(key)
        if entry is None:
            return key
        text = entry.get(self.lang) or entry.get("en") or key
        return text.format(**values) if values else text


def load_messages(templates_dir: str, lang: str) -> Messages:
    import yaml

    path = os.path.join(templates_dir, "messages.yaml")
    with open(path, encoding="utf-8") as fh:
        table = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return Messages(table, lang)


_CATALOGUES: dict[str, Messages] = {}


def catalogue(lang: str) -> Messages:
    """The shipped catalogue in one language, read once per process."""
    if lang not in _CATALOGUES:
        from .workspace import shipped_root

        _CATALOGUES[lang] = load_messages(shipped_root()[2], lang)
    return _CATALOGUES[lang]



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
