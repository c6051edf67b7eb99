"""What the finder returns: one DateHit per date expression, and deduplication."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

PRECISIONS = ("minute", "hour", "day", "week", "month", "year")
KINDS = ("absolute", "partial", "relative", "range", "duration", "set")


@dataclass(frozen=True, slots=True)
class DateHit:
    """A date expression found in a text and, when possible, the interval it names.

    ``evidence == text[char_start:char_end]``. ``start``/``end`` are naive wall-clock
    datetimes; ``end`` is exclusive (a day ends at the next midnight). They are None when
    the expression cannot be placed without a reference date. ``value`` is the TimeML
    normal form ('2020-11-10', '2020-W46', 'PRESENT_REF', 'XXXX-11-20' when unresolved;
    ranges as 'start/end'). ``year_inferred`` is True when the year was not written but
    chosen from the reference date (partial dates); relative expressions such as
    'yesterday' are exact given the reference and are not flagged.
    """

    evidence: str
    char_start: int
    char_end: int
    start: datetime | None
    end: datetime | None
    precision: str
    value: str
    year_inferred: bool
    tz: str
    kind: str

    def to_dict(self) -> dict:
        out = asdict(self)
        out["start"] = self.start.isoformat() if self.start else None
        out["end"] = self.end.isoformat() if self.end else None
        return out


_new = object.__new__
# The slots' own setters: the frozen dataclass blocks setattr, not these.
(_evidence, _char_start, _char_end, _start, _end, _precision, _value, _year_inferred, _tz,
 _kind) = (getattr(DateHit, name).__set__ for name in DateHit.__slots__)


def make_hit(evidence: str, char_start: int, char_end: int, start: datetime | None,
             end: datetime | None, precision: str, value: str, year_inferred: bool, tz: str,
             kind: str) -> DateHit:
    """``DateHit(...)`` for the finder, which makes one per expression: the frozen
    dataclass __init__ goes through object.__setattr__ for each field, the slot setters
    are faster."""
    hit = _new(DateHit)
    _evidence(hit, evidence)
    _char_start(hit, char_start)
    _char_end(hit, char_end)
    _start(hit, start)
    _end(hit, end)
    _precision(hit, precision)
    _value(hit, value)
    _year_inferred(hit, year_inferred)
    _tz(hit, tz)
    _kind(hit, kind)
    return hit


_RANK = {"absolute": 0, "range": 1, "partial": 2, "relative": 3, "duration": 4, "set": 5}


def dedupe(hits: list[DateHit]) -> list[DateHit]:
    """One hit per interval (start, end, precision), in text order.

    Where several expressions name the same interval, the one whose year is written wins
    (an absolute date over a partial or relative one). Unresolved hits are kept once per
    normal form and wording, since without a reference they cannot be compared.
    """
    best: dict[tuple, DateHit] = {}
    for hit in hits:
        if hit.start is not None:
            k: tuple = (hit.start, hit.end, hit.precision)
        else:
            k = (hit.value, hit.precision, hit.evidence.casefold())
        have = best.get(k)
        if have is None or (_RANK[hit.kind], hit.year_inferred) < (
                _RANK[have.kind], have.year_inferred):
            best[k] = hit
    return sorted(best.values(), key=lambda h: (h.char_start, h.char_end))
