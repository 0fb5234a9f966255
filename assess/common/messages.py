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
        if values and "#" in text:
            text = _PLURAL.sub(lambda m: self.word(m.group(2), values.get(m.group(1))), text)
        return text.format(**values) if values else text

    def word(self, word: str, n) -> str:
        """The form of a counted word (catalogue key `word_<word>`, one form
        per CLDR plural category) that goes with the number `n`: in Russian
        1 критерий, 2 критерия, 5 критериев; in Kazakh one form. A template
        writes it `{n} {n#criterion}`."""
        entry = self.table.get(f"word_{word}") or {}
        forms = entry.get(self.lang) or entry.get("en") or {}
        if isinstance(forms, str):
            return forms
        return forms.get(plural_category(n, self.lang)) or forms.get("other") or word

    def count(self, n, word: str) -> str:
        """`n` and its word in the right form: count(5, "criterion") -> '5 критериев' in Russian."""
        return f"{n} {self.word(word, n)}"


def load_messages(templates_dir: str, lang: str) -> Messages:
    """The one loader of the catalogue: messages.yaml of a templates folder
    (the shipped one: `catalogue`), read once per file version.

    Returns: `Messages` in `lang`. Raises: OSError, yaml.YAMLError for a broken file.

    Example:
        >>> load_messages("reports/templates", "ru")("country")
    """
    path = os.path.join(templates_dir, "messages.yaml")
    stat = os.stat(path)
    key = (os.path.realpath(path), stat.st_mtime_ns, stat.st_size)
    table = _TABLES.get(key)
    if table is None:
        with open(path, "rb") as fh:
            raw = fh.read()
        table = _cached_table(raw)
        if table is None:
            import yaml

            table = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
            _store_table(raw, table)
        _TABLES[key] = table
    return Messages(table, lang)


_TABLES: dict[tuple, dict] = {}


def _table_cache_file(raw: bytes) -> str:
    """Where the catalogue read from `raw` is kept between runs: the user's
    cache folder ($XDG_CACHE_HOME/assess/messages, else ~/.cache/...), one
    file per content (SHA-256 of the file's bytes) and Python version."""
    import hashlib
    import marshal
    import sys

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    name = f"{hashlib.sha256(raw).hexdigest()[:32]}-py{sys.version_info[0]}{sys.version_info[1]}-m{marshal.version}.marshal"
    return os.path.join(base, "assess", "messages", name)


def _cached_table(raw: bytes) -> dict | None:
    """The catalogue as read before from the same bytes (reading the YAML
    takes 0.06 s of every command that speaks), or None: no cache, or one
    that cannot be read (it is then read from the YAML again)."""
    import marshal

    try:
        with open(_table_cache_file(raw), "rb") as fh:
            table = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return table if isinstance(table, dict) else None


def _store_table(raw: bytes, table: dict) -> None:
    """Keeps the catalogue for the next run (atomically; safe to delete; a
    folder that cannot be written is no error)."""
    import marshal
    import tempfile

    path = _table_cache_file(raw)
    try:
        data = marshal.dumps(table)
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):
        pass


import re as _re

_PLURAL = _re.compile(r"\{(\w+)#(\w+)\}")


def plural_category(n, lang: str) -> str:
    """The CLDR plural category ("one", "few", "many", "other"...) of a number
    in a language, from Babel's copy of the CLDR rules; a number written with
    a decimal comma or spaces is read too, and anything unreadable is "other".

    Returns: `str`.
    Raises: Babel's `UnknownLocaleError` for a language it does not know.

    Example:
        >>> plural_category(3, "ru"), plural_category(5, "ru")
        ('few', 'many')
    """
    from babel import Locale

    try:
        number = float(str(n).replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except (TypeError, ValueError):
        return "other"
    return Locale.parse(lang).plural_form(int(number) if number.is_integer() else number)


_CATALOGUES: dict[str, Messages] = {}


def catalogue(lang: str) -> Messages:
    """The shipped catalogue (reports/templates/messages.yaml) in one language,
    read once per process.

    Returns: `Messages` (call it with a key and values).
    Raises: `OSError` or `yaml.YAMLError` for a missing or broken catalogue
    (load_messages); an unknown language is not refused here.

    Example:
        >>> catalogue("ru").lang
        'ru'
    """
    if lang not in _CATALOGUES:
        from .paths import shipped_root

        _CATALOGUES[lang] = load_messages(shipped_root()[2], lang)
    return _CATALOGUES[lang]



def said(parts, lang: str, fallback: str = "") -> str:
    """A sentence kept as catalogue entries, `parts` = ((key, values), ...),
    joined in `lang`; `fallback` (the library's English) in English or when
    there are no parts. The library keeps its English sentence beside, for
    JSON and records.

    Returns: `str`.
    Raises: `KeyError` when a part's template names a value not given.

    Example:
        >>> said((), "ru", fallback="no source text")
        'no source text'
    """
    if lang == "en":
        return fallback
    if not parts:  # a message made with `say` (an error from a register) is said again
        return in_lang(fallback, lang)
    t = catalogue(lang)
    return "".join(t(key, **{k: in_lang(v, lang) for k, v in values.items()}) if values else t(key)
                   for key, values in parts)


class Said(str):
    """A message in English that remembers its catalogue key and values, so it
    can be said again in another language (`in_lang`). It *is* the English
    text (a `str`), so the library's problems, exceptions and JSON keep their
    English words, while the command line prints them in `--lang`.

    A value may itself be a `Said` (a hint such as " (did you mean 'x'?)"):
    it is put in the same language. Any other value is put in as it is (file
    names, ids, numbers and the input's own words are data, not text).

    Example:
        >>> s = say("p_expected_mapping", what="a finding", got=say("p_kind_list"))
        >>> str(s), s.in_lang("ru")
        ('expected a mapping of fields for a finding, got a list', 'ожидалось отображение полей для a finding, получено: список')
    """

    key: str
    values: dict

    def __new__(cls, key: str, values: dict, text: str):
        obj = super().__new__(cls, text)
        obj.key = key
        obj.values = values
        return obj

    def in_lang(self, lang: str) -> str:
        """The message in `lang` (the catalogue's words; English where the
        catalogue has no entry in that language).

        Returns: `str`. Raises: `KeyError` when the catalogue entry names a value not given."""
        if lang == "en":
            return str.__str__(self)
        values = {k: in_lang(v, lang) for k, v in self.values.items()}
        return catalogue(lang)(self.key, **values) if values else catalogue(lang)(self.key)

    def mapped(self, change) -> "Said":
        """The same message with `change` applied to every value that is plain
        text (nested messages too), such as escaping control characters.

        Returns: `Said`. Raises: what `change` raises."""
        values = {k: (v.mapped(change) if isinstance(v, Said) else change(v) if isinstance(v, str) else v)
                  for k, v in self.values.items()}
        return say(self.key, **values)

    def replace(self, old, new, count=-1):
        """str.replace, kept sayable when `old` occurs only in the values (a
        scratch folder's path renamed to the real one): the same message with
        its values changed; a plain `str` otherwise.

        Returns: `Said` or `str`. Raises: what str.replace raises."""
        plain = str.replace(self, old, new, count)
        if count != -1 or not isinstance(old, str) or not isinstance(new, str) or plain == self:
            return plain
        again = self.mapped(lambda v: v.replace(old, new))
        return again if again == plain else plain

    def __reduce__(self):
        return (_said_again, (self.key, self.values))


def _said_again(key, values):
    return say(key, **values)


def say(key: str, **values: Any) -> Said:
    """A message from the catalogue, in English, that can be said again in
    another language: `say("p_did_you_mean", word="laws")`.

    Returns: `Said` (a `str`). Raises: `KeyError` when the entry names a value not given.

    Example:
        >>> say("p_kind_list")
        'a list'
    """
    en = catalogue("en")
    if key not in en.table:
        raise KeyError(f"no catalogue entry '{key}'")
    text = en(key, **values) if values else en(key)
    return Said(key, values, text)


def in_lang(text: Any, lang: str) -> Any:
    """`text` in `lang` when it is a `Said` (or any text that says itself
    again: an `in_lang(lang)` method, such as a verify result's detail kept as
    catalogue parts); anything else as it is.

    Returns: the text in `lang`, or `text` unchanged. Raises: nothing the catalogue does not.

    Example:
        >>> in_lang("plain", "ru")
        'plain'
    """
    if isinstance(text, Said):
        return text.in_lang(lang)
    again = getattr(text, "in_lang", None) if isinstance(text, str) and type(text) is not str else None
    return again(lang) if again is not None else text


class Formats:
    """Numbers, percents and dates in a language, by the CLDR (Babel): its
    decimal sign, its percent pattern (ru "88\u00a0%", kk "88%") and, outside
    English, its short date with the year written in full (30.06.2021).
    Rounding stays Python's, so a figure reads the same digits in every
    language. English keeps the catalogue's date (the reports' day month
    year; the terminal writes ISO dates)."""

    def __init__(self, messages: Messages):
        lang = messages.lang
        self.lang = lang
        self.decimal, self.percent, cldr_date = _cldr(lang)
        fallback = messages("_date_format") if messages.table.get("_date_format") else "%Y-%m-%d"
        self.date_format = fallback
        self._cldr_date = cldr_date if lang != "en" else None

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
        if self._cldr_date:
            return _format_date(value, self._cldr_date, self.lang)
        return value.strftime(self.date_format)

    def time(self, value) -> str:
        """A moment: its date in the report's format and the time of day in UTC."""
        if value is None:
            return "–"
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc)
        return f"{self.date(value.date())} {value:%H:%M} UTC"

    def pct(self, share, digits: int = 0) -> str:
        if share is None:
            return "–"
        return self.percent.format(value=self.num(100 * share, digits))


_CLDR: dict[str, tuple[str, str, str]] = {}


def _cldr(lang: str) -> tuple[str, str, str]:
    """(decimal sign, percent pattern as '{value}...', short date pattern with
    a four-digit year) of a language, from the CLDR via Babel."""
    if lang not in _CLDR:
        from babel import Locale
        from babel.numbers import get_decimal_symbol, parse_pattern

        locale = Locale.parse(lang)
        pattern = parse_pattern(locale.percent_formats[None].pattern)
        symbols = locale.number_symbols
        symbols = symbols.get("latn", symbols) if isinstance(symbols.get("latn"), dict) else symbols
        sign = symbols.get("percentSign", "%")
        prefix, suffix = (pattern.prefix[0].replace("%", sign), pattern.suffix[0].replace("%", sign))
        date = locale.date_formats["short"].pattern
        date = _re.sub(r"y+", "y", date)  # the year in full: documents from 1815 must not read as 15
        _CLDR[lang] = (get_decimal_symbol(locale), prefix + "{value}" + suffix, date)
    return _CLDR[lang]


def _format_date(value: dt.date, pattern: str, lang: str) -> str:
    from babel.dates import format_date

    return format_date(value, pattern, locale=lang)
