"""Publication lines: a line that is nothing but a date, maybe a time and a zone.

Shapes seen in the wild: ``Mar 27, 2022 • 4 hours ago • 1 minute read``,
``27 March 2022 19:16 (UTC+04:00)``, ``Published: 12.03.2022 10:15``,
``2022-03-27T10:15:00+04:00``, ``Sunday, 27 March 2022``. The whole line must be a date
(trailing ``•``-separated furniture allowed), so a date inside a sentence never matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from app.ingest.archive import MAX_YEAR, MIN_YEAR
from app.ingest.months import alternation, month_lookup, weekday_names


@dataclass(frozen=True)
class PubDate:
    when: datetime
    precision: str  # 'minute' or 'day'
    tz: str
    evidence: str  # the date part of the line, as written
    offset: int  # where the evidence starts in the line


class ImpossibleDate(ValueError):
    """The line has the shape of a date but names no real calendar moment."""


_DIGIT = re.compile(r"\d")
_TIME = (
    r"(?:,?\s*(?:at|um|à|-)?\s*(?P<H>\d{1,2})[:h.](?P<M>\d{2})(?::\d{2})?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?(?:\s*(?:Uhr|h)\b)?)"
)
_ZONE = (
    r"(?:\s*\(?(?P<tz>(?:UTC|GMT)\s*[+\-−]\s*\d{1,2}(?::?\d{2})?|UTC|GMT|Z"
    r"|[+\-]\d{2}:?\d{2}|[A-Z]{3,4})\)?)"
)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    mon = alternation(month_lookup())
    day = alternation(weekday_names())
    prefix = (
        # a byline before the date: "By Anna Smith | ", "Von Jana Weber, ", "Par X — "
        r"(?:(?:by|von|par)\s+[^|•·,–—\d]{2,60}?\s*[|•·,–—-]\s*)?"
        r"(?:(?:published|updated|posted|veröffentlicht|aktualisiert|publié|mis à jour)"
        r"(?:\s+(?:on|am|le|at))?\s*:?\s*)?"
        rf"(?:(?:{day})\.?,?\s+)?"
    )
    shapes = [
        rf"(?P<mon1>{mon})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})",
        rf"(?P<d2>\d{{1,2}})(?:\.|st|nd|rd|th|er)?\s+(?P<mon2>{mon})\.?,?\s+(?P<y2>\d{{4}})",
        r"(?P<d3>\d{1,2})\.(?P<m3>\d{1,2})\.(?P<y3>\d{4})",
        r"(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})(?=[T\s]|$)T?",
    ]
    date = "(?:" + "|".join(shapes) + ")"
    return re.compile(
        rf"^\s*{prefix}(?P<date>{date}{_TIME}?{_ZONE}?)\s*(?:[•·|].*)?$", re.IGNORECASE
    )


def parse_publication_line(line: str) -> PubDate | None:
    """The publication date of a line that is only a date, else None.

    Raises ImpossibleDate for a line shaped like a date that names no real day or time.
    """
    if len(line) > 200 or not _DIGIT.search(line):
        return None
    m = _pattern().match(line)
    if not m:
        return None
    g = m.groupdict()
    months = month_lookup()
    if g["y1"]:
        y, mo, d = int(g["y1"]), months[g["mon1"].lower()], int(g["d1"])
    elif g["y2"]:
        y, mo, d = int(g["y2"]), months[g["mon2"].lower()], int(g["d2"])
    elif g["y3"]:
        y, mo, d = int(g["y3"]), int(g["m3"]), int(g["d3"])
    else:
        y, mo, d = int(g["y4"]), int(g["m4"]), int(g["d4"])
    hour = minute = 0
    precision = "day"
    if g["H"] is not None:
        hour, minute, precision = int(g["H"]), int(g["M"]), "minute"
        ampm = (g["ampm"] or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ImpossibleDate(f"implausible year {y} in {m.group('date').strip()!r}")
    try:
        when = datetime(y, mo, d, hour, minute)
    except ValueError as exc:
        raise ImpossibleDate(f"impossible date {m.group('date').strip()!r}: {exc}") from None
    tz = (g["tz"] or "").replace("−", "-").replace(" ", "")
    return PubDate(when, precision, tz, m.group("date").strip(), m.start("date"))
