"""Date expressions in running text: find them, and place them on the calendar.

    >>> from datetime import datetime
    >>> [h.value for h in find_dates("On November 20th troops entered Aghdam.",
    ...                              ref=datetime(2020, 11, 21))]
    ['2020-11-20']

Month and weekday names and the "N days ago" patterns come from CLDR (Babel); the few words
CLDR lacks (yesterday, gestern, hier...) are in lexicon.yaml.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.dates.durations import find_durations
from app.dates.finder import Piece, _from_template, _template, scan
from app.dates.hit import DateHit, dedupe, make_hit
from app.dates.lexicon import SUPPORTED
from app.dates.patterns import grammar
from app.dates.resolve import resolve

__all__ = ["DateHit", "dedupe", "find_dates", "find_durations", "narrative_ref", "SUPPORTED"]

# A written date this many years before the report's opens a narrative (a history section):
# partial dates after it take its year, not the report's.
NARRATIVE_YEARS = 2
# Pieces placed on the story's time when a narrative is open; relative words (yesterday,
# gestern, hier) and weekdays ('on Friday' after a paragraph of history) stay on the
# report date, as a reader of the news takes them.
_STORY_FORMS = frozenset({"date", "month", "season", "holiday"})
_ANCHOR_PRECISIONS = frozenset({"day", "hour", "minute", "month"})
_WRITTEN = frozenset({"absolute", "range"})


# Wire copies and syndicated stories repeat a text word for word under new dates and
# headers: the pieces of a paragraph depend on its text and the languages only (the
# reference is applied after), so each distinct paragraph is scanned once. No date runs
# across a blank line, so scanning by paragraph finds what scanning the whole text does.
# Kept as templates, because resolving fills in a range's years on its pieces. Bounded and
# emptied when full: memory stays flat.
SCANNED_MAX = 8192
_scanned: dict[tuple[str, tuple[str, ...]], list[tuple]] = {}


def _pieces(text: str, g) -> list[Piece]:
    out: list[Piece] = []
    base, n = 0, len(text)
    while base < n:
        cut = text.find("\n\n", base)
        end = n if cut < 0 else cut
        if end > base:
            para = text[base:end]
            key = (para, g.langs)
            got = _scanned.get(key)
            if got is None:
                got = [_template(p, 0) for p in scan(para, g)]
                if len(_scanned) >= SCANNED_MAX:
                    _scanned.clear()
                _scanned[key] = got
            out.extend(_from_template(t, base) for t in got)
        base = end + 2
    return out


def _in_story(p, text: str, story: datetime, g, memo: dict) -> DateHit:
    """A partial date in a narrative: the story's year, or the next one when that would put
    it half a year or more before the story ('20. Dezember 1942 ... 3. Januar')."""
    q = p.copy()
    q.y = story.year
    hit = resolve(q, text, story, g, None, memo)
    if hit.start is not None and hit.start < story - timedelta(days=180):
        q.y = story.year + 1
        hit = resolve(q, text, story, g, None, memo)
    return make_hit(hit.evidence, hit.char_start, hit.char_end, hit.start, hit.end,
                    hit.precision, hit.value, True, hit.tz, "partial")


def narrative_ref(story: datetime | None, ref: datetime | None) -> datetime | None:
    """The story's time to place a partial date against, or None to use ``ref``: the latest
    full date written before it, when that lies NARRATIVE_YEARS or more before ``ref`` (a
    date years ahead is a plan or a deadline, not a story: 'the mandate ends in 2025')."""
    if story is None or ref is None or ref.year - story.year < NARRATIVE_YEARS:
        return None
    return story


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
    pieces = _pieces(text, g)
    known = {(p.m, p.d): p.y for p in pieces if p.form == "date" and p.y is not None}
    hits = []
    memo: dict[tuple, tuple] = {}
    story: datetime | None = None  # the latest full date written so far
    narrative: datetime | None = None  # the story, when it is to place partial dates
    last: datetime | None = None  # the latest placed day, for 'drei Monate später'
    for p in pieces:
        at = ref
        if p.form == "later":
            at = last or ref
        elif narrative is not None and p.y is None and p.form in _STORY_FORMS:
            hits.append(_in_story(p, text, narrative, g, memo))
            continue
        elif narrative is not None and p.unit == "present" and p.hour is None:
            day = ref.replace(hour=0, minute=0, second=0, microsecond=0)
            hits.append(make_hit(text[p.start:p.end], p.start, p.end, day,
                                 day + timedelta(days=1), "day", "PRESENT_REF", False, p.tz,
                                 "relative"))
            continue
        try:
            hit = resolve(p, text, at, g, known, memo)
        except (OverflowError, ValueError):
            # A reference at the edge of the calendar (year 1 or 9999) cannot be shifted.
            hit = resolve(p, text, None, g, known, memo)
        hits.append(hit)
        start = hit.start
        if start is not None and hit.precision in _ANCHOR_PRECISIONS:
            last = start
            if start != story and hit.kind in _WRITTEN and not hit.year_inferred:
                story = start
                narrative = narrative_ref(story, ref)
    return hits
