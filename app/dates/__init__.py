"""Date expressions in running text: find them, and place them on the calendar.

    >>> from datetime import datetime
    >>> [h.value for h in find_dates("On November 20th troops entered Aghdam.",
    ...                              ref=datetime(2020, 11, 21))]
    ['2020-11-20']

Month and weekday names and the "N days ago" patterns come from CLDR (Babel); the few words
CLDR lacks (yesterday, gestern, hier...) are in lexicon.yaml.
"""

from __future__ import annotations

from datetime import datetime

from app.dates.durations import find_durations
from app.dates.finder import scan
from app.dates.hit import DateHit, dedupe
from app.dates.lexicon import SUPPORTED
from app.dates.patterns import grammar
from app.dates.resolve import resolve

__all__ = ["DateHit", "dedupe", "find_dates", "find_durations", "SUPPORTED"]


def find_dates(text: str, ref: datetime | None = None, lang: str | None = None) -> list[DateHit]:
    """Every date expression in ``text``, in order, resolved against ``ref`` where needed.

    ``lang`` is an ISO 639-1 hint; None tries English, German and French together. Any
    other language CLDR knows works for names, numeric dates and 'N days ago'. Without
    ``ref``, partial and relative expressions come back with ``start`` None.
    """
    langs = (lang.lower(),) if lang else SUPPORTED
    g = grammar(langs)
    if ref is not None and ref.tzinfo is not None:
        ref = ref.replace(tzinfo=None)
    pieces = scan(text, g)
    known = {(p.m, p.d): p.y for p in pieces if p.form == "date" and p.y is not None}
    hits = []
    memo: dict[tuple, tuple] = {}
    for p in pieces:
        try:
            hits.append(resolve(p, text, ref, g, known, memo))
        except (OverflowError, ValueError):
            # A reference at the edge of the calendar (year 1 or 9999) cannot be shifted.
            hits.append(resolve(p, text, None, g, known, memo))
    return hits
