"""Month and weekday names, and "N days ago" patterns, from CLDR through Babel.

Everything here is built once per language and cached. Names are keyed by their folded form
(lower case, no trailing dot) so that the finder can look up whatever casing the text used.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import get_day_names, get_month_names
from babel.localedata import exists

# Regional variants add spellings the base locale lacks (en_GB "Sept", de_AT "Jänner").
_VARIANTS = ("GB", "AT", "CH", "CA", "BE")
# Languages that capitalise month and weekday names: a lower-case "may" or "march" is a word.
CAPITALISED = frozenset({"en", "de", "nl", "lb"})
UNITS = ("year", "month", "week", "day", "hour", "minute")


@lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """Case- and accent-insensitive key of a name: 'Févr.' -> 'fevr'."""
    word = word.strip().rstrip(".").casefold()
    return "".join(
        c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@dataclass(frozen=True)
class Names:
    """The CLDR names of one language."""

    lang: str
    months_wide: dict[str, int]
    months_abbr: dict[str, int]
    weekdays: dict[str, int]
    ago: tuple[tuple[str, str, str], ...]  # (text before the number, after it, unit)


def _locales(lang: str) -> list[Locale]:
    found = []
    for tag in [lang] + [f"{lang}_{v}" for v in _VARIANTS]:
        if exists(tag):
            try:
                found.append(Locale.parse(tag))
            except (UnknownLocaleError, ValueError):
                continue
    return found


@lru_cache(maxsize=64)
def names_for(lang: str) -> Names:
    """CLDR names for ``lang``; raises ValueError for a language CLDR does not know."""
    locales = _locales(lang)
    if not locales:
        raise ValueError(f"CLDR has no locale {lang!r}")
    wide: dict[str, int] = {}
    abbr: dict[str, int] = {}
    days: dict[str, int] = {}
    ago: set[tuple[str, str, str]] = set()
    for loc in locales:
        for ctx in ("format", "stand-alone"):
            for num, name in get_month_names("wide", ctx, loc).items():
                wide.setdefault(name.strip(), num)
            for num, name in get_month_names("abbreviated", ctx, loc).items():
                short = name.strip().rstrip(".")
                if fold(short) not in {fold(w) for w in wide} or len(short) < 3:
                    abbr.setdefault(short, num)
            for num, name in get_day_names("wide", ctx, loc).items():
                days.setdefault(name.strip(), num)
        fields = loc._data.get("date_fields", {})
        for unit in UNITS:
            past = fields.get(unit, {}).get("past", {})
            for pattern in past.values():
                if "{0}" in pattern:
                    before, after = pattern.split("{0}", 1)
                    ago.add((before.strip(), after.strip(), unit))
    # A short form equal to a full name (May, Mai, juin) is a full name.
    abbr = {k: v for k, v in abbr.items() if k not in wide and len(k) >= 3}
    return Names(lang, wide, abbr, days, tuple(sorted(ago)))


def casings(word: str, lang: str) -> list[str]:
    """The spellings of a name worth matching: as in CLDR, Capitalised, UPPER, and for
    languages that write names in lower case, lower case too."""
    cap = word[:1].upper() + word[1:]
    forms = {cap, word.upper()}
    if lang not in CAPITALISED:
        forms.add(word.lower())
    return sorted(forms)


@lru_cache(maxsize=64)
def unit_words(lang: str) -> dict[str, str]:
    """CLDR unit spellings ('{0} Monate' -> Monate) -> unit, for 'drei Monate später'."""
    out: dict[str, str] = {}
    try:
        patterns = Locale.parse(lang)._data.get("unit_patterns", {})
    except (UnknownLocaleError, ValueError):
        return out
    for unit in UNITS:
        for count, pattern in patterns.get(f"duration-{unit}", {}).get("long", {}).items():
            words = " ".join(pattern.replace("{0}", " ").split())
            if words and count != "per" and " " not in words:
                out[words] = unit
    return out
