"""Durations ('two months', '44-day war', 'zwei Monate') and sets ('every year', 'daily').

These are not points in time, so they stay out of find_dates (whose hits become events);
find_durations returns them as DateHits with ``start``/``end`` None and a TimeML value:
``P2M``, ``P44D``, ``PT4H``, ``P2DE`` (decades), ``PXY`` (years, count not given); a set
carries its period (``P1Y`` for 'every year', 'annually') or a weekday (``XXXX-WXX-1`` for
'every Monday'). Unit names and the 'per year' patterns come from CLDR (Babel); number
words, 'every' words and one-word sets are in lexicon.yaml. An expression that find_dates
reads as a date ('two years ago', 'this week') is left to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale

from app.dates.hit import DateHit, make_hit
from app.dates.lexicon import SUPPORTED, lexicon
from app.dates.names import names_for
from app.dates.patterns import _alt, key

# CLDR unit -> (TimeML designator, precision of one unit).
UNITS = {
    "century": ("CE", "year"), "decade": ("DE", "year"), "year": ("Y", "year"),
    "month": ("M", "month"), "week": ("W", "week"), "day": ("D", "day"),
    "hour": ("H", "hour"), "minute": ("M", "minute"),
}
# Seconds are left out: 'a second round' is an ordinal far more often than a duration.
CLOCK_UNITS = {"hour", "minute"}
END = r"(?![\w-])"


@dataclass(frozen=True)
class _Grammar:
    rx: re.Pattern[str]
    units: dict[str, str]  # folded spelling -> unit
    numbers: dict[str, int]
    vague: frozenset[str]
    sets: dict[str, str]
    weekdays: dict[str, int]


def _cldr_units(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """Unit spellings ('{0} years' -> years) and 'per' phrases ('{0} pro Jahr' -> pro Jahr)."""
    units: dict[str, str] = {}
    per: dict[str, str] = {}
    patterns = Locale.parse(lang)._data.get("unit_patterns", {})
    for unit in UNITS:
        forms = patterns.get(f"duration-{unit}", {}).get("long", {})
        for count, pattern in forms.items():
            words = " ".join(pattern.replace("{0}", " ").split())
            if not words:
                continue
            (per if count == "per" else units)[words] = unit
    return units, per


@lru_cache(maxsize=16)
def _grammar(langs: tuple[str, ...]) -> _Grammar:
    units: dict[str, str] = {}
    per: dict[str, str] = {}
    numbers: dict[str, int] = {}
    vague: set[str] = set()
    every: set[str] = set()
    sets: dict[str, str] = {}
    cues: set[str] = set()
    weekdays: dict[str, int] = {}
    for lang in langs:
        try:
            u, p = _cldr_units(lang)
            wd = names_for(lang).weekdays
        except (ValueError, LookupError):
            continue
        units.update(u)
        per.update(p)
        lex = lexicon(lang)
        units.update(lex["unit_forms"])
        numbers.update({w: int(n) for w, n in lex["numbers"].items()})
        vague.update(lex["vague"])
        every.update(lex["every"])
        sets.update(lex["sets"])
        cues.update(lex["for"])
        weekdays.update(wd)
    quantity = (r"(?:(?P<n>\d+(?:[.,]\d+)?(?!\d))|"
                rf"(?P<w>{_alt(numbers, exact=False)}(?:-{_alt(numbers, exact=False)})?)"
                rf"|(?P<v>{_alt(vague, exact=False)}))")
    unit = _alt(units, exact=False)
    forms = [
        # every year, every two weeks, jeden Montag, tous les deux ans
        rf"(?P<every>{_alt(every, exact=False)})\s+(?:(?P<eq>\d+|{_alt(numbers, exact=False)})"
        rf"\s+)?(?:(?P<eu>{unit})|(?P<ewd>{_alt(weekdays, exact=False)}s?)){END}",
        # per year, pro Jahr, par an
        rf"(?P<per>{_alt(per, exact=False)}){END}",
        # daily, jährlich, annuel
        rf"(?P<set>{_alt(sets, exact=False)}){END}",
        # two months, 44-day, zwei Monate, deux ans
        rf"{quantity}(?:\s+|-)(?P<u>{unit}){END}",
        # for years, seit Jahren, pendant des mois
        rf"(?:{_alt(cues, exact=False)})\s+(?:des\s+)?(?P<bare>{unit}){END}",
    ]
    lead = r"(?<![\w$€£#№/\\.,:–-])"
    rx = re.compile(lead + "(?:" + "|".join(forms) + ")")
    return _Grammar(rx, {key(w): u for w, u in units.items()},
                    {key(w): n for w, n in numbers.items()}, frozenset(key(w) for w in vague),
                    {key(w): u for w, u in sets.items()}, {key(w): n for w, n in weekdays.items()})


def _period(count: str, unit: str) -> str:
    designator = UNITS[unit][0]
    return f"PT{count}{designator}" if unit in CLOCK_UNITS else f"P{count}{designator}"


def _count(g: _Grammar, m: re.Match[str]) -> str | None:
    if m.group("n"):
        return m.group("n").replace(",", ".")
    if m.group("v"):
        return "X"
    words = key(m.group("w"))
    if words in g.vague:  # 'several' is also a number word (for 'several years ago')
        return "X"
    total = 0
    for part in words.split("-"):
        total += g.numbers.get(part, 0)
    return str(total) if total else None


def _read(g: _Grammar, m: re.Match[str]) -> tuple[int, str, str, str] | None:
    """(start of the evidence, value, precision, kind) of a match, or None."""
    if m.group("every"):
        if m.group("ewd"):
            name = key(m.group("ewd"))
            wd = g.weekdays.get(name, g.weekdays.get(name[:-1]))
            if wd is None or m.group("eq"):
                return None
            return m.start(), f"XXXX-WXX-{wd + 1}", "day", "set"
        unit = g.units[key(m.group("eu"))]
        raw = m.group("eq")
        n = 1 if not raw else int(raw) if raw.isdigit() else g.numbers.get(key(raw), 0)
        if not n:
            return None
        return m.start(), _period(str(n), unit), UNITS[unit][1], "set"
    if m.group("per"):
        unit = g.units.get(key(m.group("per")).split(" ")[-1])
        if unit is None:
            return None
        return m.start(), _period("1", unit), UNITS[unit][1], "set"
    if m.group("set"):
        unit = g.sets[key(m.group("set"))]
        return m.start(), _period("1", unit), UNITS[unit][1], "set"
    if m.group("bare"):
        unit = g.units[key(m.group("bare"))]
        return m.start("bare"), _period("X", unit), UNITS[unit][1], "duration"
    count = _count(g, m)
    if count is None:
        return None
    unit = g.units[key(m.group("u"))]
    return m.start(), _period(count, unit), UNITS[unit][1], "duration"


def find_durations(text: str, lang: str | None = None) -> list[DateHit]:
    """Every duration and set in ``text``, in order, not overlapping each other nor any
    date that find_dates reads ('two years ago' is a date, not a duration)."""
    from app.dates import find_dates

    langs = (lang.lower(),) if lang else SUPPORTED
    g = _grammar(langs)
    dates = [(h.char_start, h.char_end) for h in find_dates(text, lang=lang)]
    out: list[DateHit] = []
    i = 0
    for m in g.rx.finditer(text):
        read = _read(g, m)
        if read is None:
            continue
        start, value, precision, kind = read
        end = m.end()
        while i < len(dates) and dates[i][1] <= start:
            i += 1
        if i < len(dates) and dates[i][0] < end and not value.startswith("XXXX-WXX"):
            continue  # part of a date expression ('every Monday' is a set all the same)
        out.append(make_hit(text[start:end], start, end, None, None, precision, value, False,
                            "", kind))
    return out
