"""The resolver's output as TimeML annotates it: every timex type, one timex per date.

The pipeline keeps 'between 1982 and 1992' as one range (one event on the timeline);
TimeML annotates its two ends as two DATE timexes, and durations and sets as timexes of
their own. ``timeml_hits`` gives that view, for ``timeline dates`` and the benchmarks.
"""

from __future__ import annotations

import re
from datetime import datetime

from app.dates import find_dates, find_durations
from app.dates.hit import DateHit, make_hit
from app.dates.lexicon import SUPPORTED, lexicon
from app.dates.patterns import key
from app.dates.resolve import _end

_WORD_BEFORE = re.compile(r"(\w+)\s+$")


def _between_words(langs: tuple[str, ...]) -> tuple[frozenset[str], re.Pattern[str]]:
    opens = {key(w) for lang in langs for w in lexicon(lang)["between"]}
    ands = sorted({w for lang in langs for w in lexicon(lang)["and"]}, key=len, reverse=True)
    closer = re.compile(r"\s+(?:" + "|".join(map(re.escape, ands or ["and"])) + r")\s+",
                        re.IGNORECASE)
    return frozenset(opens), closer


def _placed(value: str) -> tuple[datetime | None, str]:
    """Start and precision of one end of a range from its value ('1982', '2020-05-03')."""
    for fmt, precision in (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year")):
        try:
            return datetime.strptime(value, fmt), precision
        except ValueError:
            continue
    return None, "day"


def _split_between(text: str, hit: DateHit, opens: frozenset[str],
                   closer: re.Pattern[str]) -> list[DateHit]:
    before = _WORD_BEFORE.search(text, max(0, hit.char_start - 20), hit.char_start)
    m = closer.search(hit.evidence)
    if hit.kind != "range" or before is None or key(before.group(1)) not in opens or not m:
        return [hit]
    out = []
    values = hit.value.split("/")
    for (a, b), value in zip(((0, m.start()), (m.end(), len(hit.evidence))), values,
                             strict=False):
        start, precision = _placed(value)
        end = _end(start, precision) if start is not None else None
        kind = "absolute" if not hit.year_inferred else "partial"
        out.append(make_hit(hit.evidence[a:b], hit.char_start + a, hit.char_start + b, start,
                            end, precision, value, hit.year_inferred, hit.tz, kind))
    return out


def timeml_hits(text: str, ref: datetime | None = None, lang: str | None = None,
                all_types: bool = False) -> list[DateHit]:
    """Dates and times of ``text`` as TimeML timexes; with ``all_types`` durations and sets
    too (a date inside a set, 'Monday' in 'every Monday', gives way to the set)."""
    langs = (lang.lower(),) if lang else SUPPORTED
    opens, closer = _between_words(langs)
    hits = [h for hit in find_dates(text, ref=ref, lang=lang)
            for h in _split_between(text, hit, opens, closer)]
    if not all_types:
        return hits
    extra = find_durations(text, lang=lang)
    kept = [h for h in hits if not any(
        d.char_start <= h.char_start and h.char_end <= d.char_end for d in extra)]
    return sorted(kept + extra, key=lambda h: (h.char_start, h.char_end))
