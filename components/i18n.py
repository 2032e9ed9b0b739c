"""The message catalogue: Bahasa Indonesia is the source language, English a translation.

Every UI string is written in Indonesian and wrapped in `_()`; `pybabel extract` (babel.cfg)
collects them into locale/messages.pot and locale/en/LC_MESSAGES/messages.po holds the English.
The .po file is compiled in memory on first use (no .mo file is checked in or built), so a fresh
clone serves English with nothing to run first.

The language of the text being built is a context variable: the web layer sets it once per
request (web/lang.py), builders read it through `_()`, `language()` and `pick()`. Pure code stays
pure: a test sets it with `use_language("en")`.
"""
from __future__ import annotations

import contextlib
import contextvars
import gettext
import io
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("id", "en")
DEFAULT = "id"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("dtsen_language", default=DEFAULT)


def language() -> str:
    """The language the text being built is in ('id' or 'en')."""
    return _current.get()


def set_language(lang: str) -> contextvars.Token:
    return _current.set(lang if lang in LANGUAGES else DEFAULT)


def reset_language(token: contextvars.Token) -> None:
    _current.reset(token)


@contextlib.contextmanager
def use_language(lang: str):
    token = set_language(lang)
    try:
        yield
    finally:
        _current.reset(token)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of `lang` (the .po read and compiled once per process). Fuzzy
    entries are not used: a translation a person has not confirmed is no translation."""
    path = po_path(lang)
    if lang == DEFAULT or not path.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def _(message: str) -> str:
    """`message` (Indonesian) in the current language. Write it as a literal so pybabel finds it;
    a text with values uses named fields: `_("Tren {place}").format(place=...)`."""
    lang = _current.get()
    return message if lang == DEFAULT else translations(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    lang = _current.get()
    if lang == DEFAULT:
        return plural if n != 1 else singular  # Indonesian does not inflect; both forms are the same text
    return translations(lang).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a literal for the catalogue without translating it now (a table of names built at
    import time): translate where it is shown, `_(NAMES[key])`."""
    return message


def pick(indonesian: str, english: str | None) -> str:
    """A text the data carries in both languages (the catalogue's nama_id / nama_en)."""
    return english if _current.get() == "en" and english else indonesian


def pgettext(context: str, message: str) -> str:
    """A word whose English depends on use (`pgettext("jamak", "provinsi")` → 'provinces')."""
    lang = _current.get()
    return message if lang == DEFAULT else translations(lang).pgettext(context, message)


class Names(Mapping):
    """A table of names written once (each marked N_ for the catalogue) and read in the current
    language: `LEVEL_NAMES["kecamatan"]` is 'kecamatan' or 'district' at the time it is read."""

    def __init__(self, names: dict[str, str]):
        self._names = dict(names)

    def __getitem__(self, key: str) -> str:
        return _(self._names[key])

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)
