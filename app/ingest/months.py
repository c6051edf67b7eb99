"""Month and weekday names from Babel's CLDR data, and a regex alternation over them."""

from __future__ import annotations

import re
from functools import lru_cache

from babel.dates import get_day_names, get_month_names

# Languages whose names are recognised in publication lines; cheap to extend.
LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt")


@lru_cache(maxsize=1)
def month_lookup() -> dict[str, int]:
    """Lower-cased month name or abbreviation (with and without its dot) -> month number."""
    table: dict[str, int] = {}
    for lang in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, lang).items():
                    name = name.lower()
                    table[name] = number
                    table[name.rstrip(".")] = number
    table["sept"] = 9  # common English abbreviation CLDR does not list
    return table


@lru_cache(maxsize=1)
def weekday_names() -> frozenset[str]:
    names: set[str] = set()
    for lang in LANGUAGES:
        for width in ("wide", "abbreviated"):
            days = get_day_names(width, "format", lang).values()
            names.update(n.lower().rstrip(".") for n in days)
    return frozenset(names)


def alternation(names: set[str] | frozenset[str] | dict[str, int]) -> str:
    """A regex alternation, longest names first so 'September' wins over 'Sep'."""
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n)
