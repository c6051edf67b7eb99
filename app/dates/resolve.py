"""From pieces to DateHits: place each expression on the calendar against a reference.

Rules, in order of strength:
- a written year is never changed;
- 'last'/'next' (and 'dernier', 'vergangenen'...) point strictly back or forward;
- 'since' (seit, depuis) points back;
- a future cue in the sentence (will, wird, sera...) points forward;
- otherwise the nearest candidate wins, with a bias to the past (news reports mostly look
  back): a later candidate is taken only when it is less than half as far as the earlier.
In a narrative (a story years before the report, see app.dates.narrative_ref) find_dates
gives partial dates the story's year before they get here.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateutil.easter import easter

from app.dates.finder import WORDS, Piece
from app.dates.hit import DateHit, make_hit
from app.dates.patterns import Grammar


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


@lru_cache(maxsize=8192)
def _end(start: datetime, precision: str, years: int = 1) -> datetime:
    if precision == "minute":
        return start + timedelta(minutes=1)
    if precision == "hour":
        return start + timedelta(hours=1)
    if precision == "day":
        return start + timedelta(days=1)
    if precision == "week":
        return start + timedelta(days=7)
    if precision == "month":
        y, m = _add_months(start.year, start.month, 1)
        return datetime(y, m, 1)
    return datetime(start.year + years, 1, 1)


def _value(start: datetime, precision: str, pod: str = "") -> str:
    if precision == "week":
        iso = start.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if precision == "year":
        return f"{start.year:04d}"
    value = f"{start.year:04d}-{start.month:02d}"
    if precision == "month":
        return value
    value = f"{value}-{start.day:02d}"
    if precision == "day":
        return f"{value}T{pod}" if pod else value
    if precision == "hour":
        return f"{value}T{start.hour:02d}"
    return f"{value}T{start.hour:02d}:{start.minute:02d}"


def _direction(p: Piece, text: str, g: Grammar) -> int:
    """-1 past only, 1 future only, 0 nearest with a past bias."""
    if p.shift in (-1, 1):
        return p.shift
    first = p.pre.split(" ")[0]
    soft = 0  # what a clause without a future cue means
    if p.pre in g.since or first in g.since:
        if not (p.pre in g.after or first in g.after):
            return -1
        soft = -1  # 'after November 14' looks back, 'will resume after Easter' ahead
    if p.form == "weekday" and text[p.start:p.end].isupper():
        return 1  # 'am FREITAG', 'DIMANCHE': a listing of what is to come
    if g.future_rx is None:
        return soft
    # The clause around the expression: back to the sentence start, on to the next comma.
    left = text[max(0, p.start - 120):p.start]
    cut = max(left.rfind(". "), left.rfind("\n"), left.rfind("? "), left.rfind("! "))
    left = left[cut + 1:]
    right = text[p.end:p.end + 60]
    stops = [i for i in (right.find(","), right.find("."), right.find("\n")) if i >= 0]
    right = right[:min(stops)] if stops else right
    # Searching the clause for a future cue is the costly part: first ask whether any word
    # of the clause can open one (a necessary condition, checked on a set).
    if g.future_first.isdisjoint(WORDS.findall(f"{left} {right}".lower())):
        return soft
    if not (g.future_rx.search(left) or g.future_rx.search(right)):
        return soft
    # 'signed on November 10, they will see': a past verb right before wins.
    if g.past_rx is not None:
        near = left[-40:]
        past = [m.end() for m in g.past_rx.finditer(near)]
        # ... unless the future cue follows it: 'said the board would decide on Thursday'
        if past and not any(m.start() >= past[-1] for m in g.future_rx.finditer(near)):
            return soft
    return 1


def _pick(before: int | None, after: int | None, direction: int):
    """Choose between the nearest candidate not after (``before``, a distance >= 0) and the
    nearest after (``after`` > 0); returns -1 for before, 1 for after."""
    if direction == -1 or after is None:
        return -1
    if direction == 1 or before is None:
        return 1
    return 1 if after * 2 < before else -1


def _year_for_day(m: int, d: int, ref: date, direction: int, same_ok: bool = True) -> int:
    cands = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        if m == 2 and d == 29 and not calendar.isleap(y):
            continue
        cands.append(date(y, m, d))
    past = [c for c in cands if c <= ref and (same_ok or c < ref)]
    fut = [c for c in cands if c > ref]
    b = (ref - max(past)).days if past else None
    a = (min(fut) - ref).days if fut else None
    if direction == 1 and past and max(past) == ref:
        return ref.year
    return (max(past) if _pick(b, a, direction) == -1 else min(fut)).year


def _year_for_month(m: int, ref: date, direction: int, shift: int | None) -> int:
    here = ref.year * 12 + ref.month - 1
    cands = [y * 12 + m - 1 for y in (ref.year - 1, ref.year, ref.year + 1)]
    if shift == 0:
        return ref.year
    strict = shift in (-1, 1)
    past = [c for c in cands if c < here or (c == here and not strict)]
    fut = [c for c in cands if c > here]
    b = here - max(past) if past else None
    a = min(fut) - here if fut else None
    return (max(past) if _pick(b, a, direction) == -1 else min(fut)) // 12


# TimeML season codes -> first month (meteorological seasons; winter opens in December).
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _year_for_season(code: str, ref: date, direction: int, shift: int | None) -> int:
    m = SEASON_START[code]
    if shift == -1:  # 'last fall': the latest one already over
        y = ref.year
        while _add_months(y, m, 3) > (ref.year, ref.month):
            y -= 1
        return y
    if shift == 1:
        return ref.year if (ref.year, ref.month) < (ref.year, m) else ref.year + 1
    return _year_for_month(m, ref, direction, shift)


_WD = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


def holiday(rule: str, y: int) -> date | None:
    """The day a lexicon rule names in year ``y``: 'MM-DD', 'easter+N', 'N-WD-MM'."""
    try:
        if rule.startswith("easter"):
            return easter(y) + timedelta(days=int(rule[6:] or 0))
        parts = rule.rsplit("-", 2)
        if len(parts) == 3 and parts[1] in _WD:
            n, wd, m = int(parts[0]), _WD[parts[1]], int(parts[2])
            if n > 0:
                first = date(y, m, 1)
                return first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
            last = date(y, m, calendar.monthrange(y, m)[1])
            return last - timedelta(days=(last.weekday() - wd) % 7 + 7 * (-n - 1))
        m, d = rule.split("-")
        return date(y, int(m), int(d))
    except ValueError:
        return None


def _holiday_near(rule: str, ref: date, direction: int) -> date | None:
    cands = [c for c in (holiday(rule, y) for y in (ref.year - 1, ref.year, ref.year + 1)) if c]
    past = [c for c in cands if c <= ref]
    fut = [c for c in cands if c > ref]
    if not cands:
        return None
    b = (ref - max(past)).days if past else None
    a = (min(fut) - ref).days if fut else None
    return max(past) if _pick(b, a, direction) == -1 else min(fut)


def _weekday(p: Piece, ref: date, direction: int) -> date:
    delta = p.wd - ref.weekday()
    if p.shift == 0:  # 'this Friday': the one in the reference week
        return ref + timedelta(days=delta)
    if direction == 1:
        ahead = delta % 7
        return ref + timedelta(days=ahead or (7 if p.shift == 1 else 0))
    back = (-delta) % 7
    return ref - timedelta(days=back or (7 if p.shift == -1 else 0))


def _place(p: Piece, ref: datetime | None, text: str, g: Grammar, known: dict | None = None,
           direction: int | None = None):
    """(start, precision, value, year_inferred) for a non-range piece; start None if the
    piece cannot be placed without a reference."""
    rd = ref.date() if ref else None
    known = known or {}
    if p.form in ("date", "month") and p.y is None:
        if rd is None:
            if p.form == "month":
                return None, "month", f"XXXX-{p.m:02d}", False
            val = f"XXXX-{p.m:02d}-{p.d:02d}"
            return None, _time_precision(p, "day"), val + _time_suffix(p), False
        if direction is None:
            direction = _direction(p, text, g)
        if p.form == "month":
            y = _year_for_month(p.m, rd, direction, p.shift)
            return datetime(y, p.m, 1), "month", f"{y:04d}-{p.m:02d}", True
        y = known.get((p.m, p.d)) or _year_for_day(p.m, p.d, rd, direction)
        return _with_time(p, date(y, p.m, p.d), g) + (True,)
    if p.form == "date":
        return _with_time(p, date(p.y, p.m, p.d), g) + (False,)
    if p.form == "month":
        return datetime(p.y, p.m, 1), "month", f"{p.y:04d}-{p.m:02d}", False
    if p.form == "year":
        return datetime(p.y, 1, 1), "year", f"{p.y:04d}", False
    if p.form == "decade":
        return datetime(p.y, 1, 1), "year", f"{p.y // 10:03d}", False
    if p.form == "bc":
        return None, "year", f"BC{p.y:04d}", False
    if p.form == "season" and p.y is not None:
        return datetime(p.y, SEASON_START[p.unit], 1), "month", f"{p.y:04d}-{p.unit}", False
    if p.form == "holiday" and p.y is not None:
        day = holiday(p.unit, p.y)
        return (None, "day", "", False) if day is None else _with_time(p, day, g) + (False,)
    if p.form == "now":
        if ref is None:
            return None, "day", "PRESENT_REF", False
        return datetime.combine(rd, datetime.min.time()), "day", "PRESENT_REF", False
    if rd is None:
        return None, *_unresolved(p), False
    if p.form == "weekday":
        if direction is None:
            direction = _direction(p, text, g)
        day = _weekday(p, rd, direction)
        return _with_time(p, day, g) + (False,)
    if p.form == "season":
        if direction is None:
            direction = _direction(p, text, g)
        y = _year_for_season(p.unit, rd, direction, p.shift)
        return datetime(y, SEASON_START[p.unit], 1), "month", f"{y:04d}-{p.unit}", True
    if p.form == "holiday":
        if direction is None:
            direction = _direction(p, text, g)
        day = _holiday_near(p.unit, rd, direction)
        if day is None:
            return None, "day", "", False
        return _with_time(p, day, g) + (True,)
    if p.form == "later":
        return _shifted(p.unit, p.offset, ref, rd, True) + (False,)
    if p.form == "day":
        return _with_time(p, rd + timedelta(days=p.offset), g) + (False,)
    if p.form == "time":
        return _with_time(p, rd, g) + (False,)
    if p.form in ("period", "ago"):
        return _shifted(p.unit, p.offset, ref, rd, p.form == "ago") + (False,)
    return None, "day", "", False


def _shifted(unit: str, n: int, ref: datetime, rd: date, exact: bool):
    if unit == "now":
        return datetime.combine(rd, datetime.min.time()), "day", "PRESENT_REF"
    if unit in ("minute", "hour"):
        t = ref + timedelta(**{unit + "s": n})
        t = t.replace(second=0, microsecond=0) if unit == "minute" else t.replace(
            minute=0, second=0, microsecond=0)
        return t, unit, _value(t, unit)
    if unit == "day":
        t = datetime.combine(rd + timedelta(days=n), datetime.min.time())
        return t, "day", _value(t, "day")
    if unit == "week":
        monday = rd - timedelta(days=rd.weekday()) + timedelta(weeks=n)
        t = datetime.combine(monday, datetime.min.time())
        return t, "week", _value(t, "week")
    if unit == "month":
        y, m = _add_months(rd.year, rd.month, n)
        t = datetime(y, m, 1)
        return t, "month", _value(t, "month")
    t = datetime(rd.year + n, 1, 1)
    return t, "year", _value(t, "year")


def _time_precision(p: Piece, default: str) -> str:
    if p.hour is None:
        return default
    return "minute" if p.minute is not None else "hour"


def _time_suffix(p: Piece) -> str:
    if p.hour is None:
        return f"T{p.pod}" if p.pod else ""
    return f"T{p.hour:02d}" + (f":{p.minute:02d}" if p.minute is not None else "")


def _with_time(p: Piece, day: date, g: Grammar | None = None):
    return _on_day(day.year, day.month, day.day, p.hour, p.minute, p.pod,
                   g is not None and g.hour_minutes)


@lru_cache(maxsize=8192)
def _on_day(y: int, m: int, d: int, hour: int | None, minute: int | None, pod: str,
            hour_minutes: bool = False):
    """(start, precision, value) of a day and its time; news repeats the same days."""
    precision = "day" if hour is None else "hour" if minute is None else "minute"
    start = datetime(y, m, d, hour or 0, minute or 0)
    # German and French TimeML write a clock hour T20:00 ('20 Uhr'), TempEval-3 T20.
    value = _value(start, "minute" if precision == "hour" and hour_minutes else precision, pod)
    return start, precision, value


def _unresolved(p: Piece) -> tuple[str, str]:
    if p.form == "weekday":
        return "day", f"XXXX-WXX-{p.wd + 1}" + (f"T{p.pod}" if p.pod else "")
    if p.form == "time":
        return _time_precision(p, "day"), "XXXX-XX-XX" + _time_suffix(p)
    if p.form in ("season", "holiday"):
        return ("month", f"XXXX-{p.unit}") if p.form == "season" else ("day", "XXXX-XX-XX")
    unit = p.unit if p.form in ("period", "ago", "later") else "day"
    if unit in ("minute", "hour"):
        return unit, "XXXX-XX-XXTXX"
    return {"day": ("day", "XXXX-XX-XX"), "week": ("week", "XXXX-WXX"),
            "month": ("month", "XXXX-XX"), "year": ("year", "XXXX")}.get(unit, ("day", ""))


def _range_years(p: Piece, ref: datetime | None, text: str, g: Grammar,
                 direction: int | None = None) -> bool | None:
    """Fill in missing years of a range's ends; True if a year came from ``ref``, None if
    the range cannot be placed."""
    a, b = p.first, p.last
    inferred = False
    if b.y is None and a.y is None:
        if ref is None:
            return None
        if direction is None:
            direction = _direction(p, text, g)
        if b.form == "month":
            b.y = _year_for_month(b.m, ref.date(), direction, None)
        else:
            b.y = _year_for_day(b.m, b.d, ref.date(), direction)
        inferred = True
    if a.y is None:
        a.y = b.y if (a.m, a.d or 0) <= (b.m, b.d or 0) else b.y - 1
    if b.y is None:
        b.y = a.y if (b.m, b.d or 0) >= (a.m, a.d or 0) else a.y + 1
    for end in (a, b):
        if end.d is not None and end.d > calendar.monthrange(end.y, end.m)[1]:
            return None  # '29 February' in a year that has none
    return inferred


def resolve(p: Piece, text: str, ref: datetime | None, g: Grammar,
            known: dict[tuple[int, int], int] | None = None,
            memo: dict[tuple, tuple] | None = None) -> DateHit:
    """The hit for one piece. ``known`` maps (month, day) to a year the same text writes
    out elsewhere ('November 10, 2020' ... 'the November 10 statement'): a partial date
    takes that year before any guess from ``ref``. ``memo``, one per text, remembers
    placements by what they depend on (the piece's fields, the reference and, where read,
    the clause's direction): a text repeats the same expressions."""
    if p.form == "range":
        a, b = p.first, p.last
        direction = 0
        if ref is not None and a.y is None and b.y is None:
            direction = _direction(p, text, g)
        sig = ("range", a.form, a.y, a.m, a.d, b.form, b.y, b.m, b.d, ref, direction)
        compute = _placed_range
    else:
        direction = ky = None
        if ref is not None and (p.form == "weekday" or (p.y is None and p.form in _PARTIAL)):
            ky = known.get((p.m, p.d)) if known and p.form == "date" else None
            direction = 0 if ky else _direction(p, text, g)
        sig = (p.form, p.y, p.m, p.d, p.hour, p.minute, p.pod, p.unit, p.offset, p.wd,
               p.shift, ref, direction, ky)
        compute = _placed
    placed = memo.get(sig) if memo is not None else None
    if placed is None:
        placed = compute(p, ref, text, g, known, direction)
        if memo is not None:
            memo[sig] = placed
    start, end, precision, value, inferred, kind = placed
    return make_hit(text[p.start:p.end], p.start, p.end, start, end, precision, value, inferred,
                    p.tz, kind)


def _placed_range(p: Piece, ref: datetime | None, text: str, g: Grammar, known: dict | None,
                  direction: int | None):
    """(start, end, precision, value, year_inferred, 'range') of a range."""
    written = p.first.y is not None or p.last.y is not None
    filled = p.copy()
    filled.first, filled.last = p.first.copy(), p.last.copy()
    inferred = _range_years(filled, ref, text, g, direction)
    if inferred is None:
        fa = _unresolved_part(p.first)
        fb = _unresolved_part(p.last)
        precision = "day" if p.last.d is not None else "month"
        return None, None, precision, f"{fa}/{fb}", False, "range"
    sa, _, va, _ = _place(filled.first, ref, text, g)
    sb, prec_b, vb, _ = _place(filled.last, ref, text, g)
    return sa, _end(sb, prec_b), prec_b, f"{va}/{vb}", bool(inferred) and not written, "range"


_PARTIAL = ("date", "month", "season", "holiday")


def _placed(p: Piece, ref: datetime | None, text: str, g: Grammar, known: dict | None,
            direction: int | None):
    """(start, end, precision, value, year_inferred, kind) of a piece that is not a range."""
    start, precision, value, inferred = _place(p, ref, text, g, known, direction)
    end = None
    if start is not None:
        end = _end(start, precision, 10 if p.form == "decade" else 1)
        if p.form == "season":  # a season is three months, written at month precision
            end = datetime(*_add_months(start.year, start.month, 3), 1)
    if p.form in _PARTIAL or p.form in ("year", "decade", "bc"):
        kind = "absolute" if p.y is not None else "partial"
    else:
        kind = "relative"
    return start, end, precision, value, inferred, kind


def _unresolved_part(p: Piece) -> str:
    year = f"{p.y:04d}" if p.y is not None else "XXXX"
    if p.d is None:
        return f"{year}-{p.m:02d}"
    return f"{year}-{p.m:02d}-{p.d:02d}"
