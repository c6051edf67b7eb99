"""Corpus-level inference: dates of undated articles, and background (out-of-focus) events.

An undated article's year (and report date) comes, in this order, from
1. the latest full date its own text states;
1b. the nearest dated entry of the same document (an undated article quoted in a forum
    post beside dated ones), with the day from its own latest month-day where it has one;
2. other events of the corpus dated on the same month and day whose text shares names
   with the sentence around that month-day (the same happening, dated elsewhere);
3. the corpus's dense period: the year most of its reports fall in.
Every inference is marked ``year_inferred`` and listed in the ingest report with its method.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import pandas as pd

from app.ingest.base import Document, Entry
from app.ingest.months import month_lookup, weekday_names

FOCUS_PAD = timedelta(days=30)
MAX_NAMES_PER_DAY = 500  # bounds the summary's memory on huge corpora
PENDING_CONTEXT = 2000  # text a Pending keeps before its entry (sentences read 400)
MIN_SHARED_NAMES = 2  # names a sentence must share with an event to be "the same happening"
CONFIDENCE = {"own-dates": 0.7, "same-document": 0.5, "corpus-match": 0.6, "dense-period": 0.4}

_NAME = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w’'-]{3,}")
_POSSESSIVE = re.compile(r"[’']s?$", re.MULTILINE)
_PARTIAL = re.compile(r"^XXXX-(\d\d)-(\d\d)")


@dataclass
class Pending:
    """An undated entry waiting for corpus-level inference.

    Inference reads only the dates and names gathered here, never the document; the events
    of a dated entry need the entry's text and the sentences around its dates. So a Pending
    keeps its document's text from a line start ``PENDING_CONTEXT`` characters before the
    entry up to the entry's end (``offset`` says where that window starts), not a copy of
    the document: a long forum thread with many undated posts would hold one copy each.
    ``document()`` gives the text back at its offsets (the part before the window blank).
    """

    doc: Document  # the window of the entry's document (see offset)
    entry: Entry
    language: str
    # (month, day, evidence, sentence around it) of each month-day without a year
    partials: list[tuple[int, int, str, str]] = field(default_factory=list)
    explicit: list[tuple[datetime, str]] = field(default_factory=list)  # full dates, evidence
    # the dated entry of the same document nearest to this one: (date, its title)
    neighbour: tuple[datetime, str] | None = None
    offset: int = 0  # where doc.text starts in the document: 0, or just after a newline

    def __post_init__(self) -> None:
        if self.offset:
            return  # already a window
        text = self.doc.text
        lo = max(0, self.entry.char_start - PENDING_CONTEXT)
        lo = text.rfind("\n", 0, lo) + 1 if lo else 0
        if lo or len(text) > self.entry.char_end:
            self.doc = replace(self.doc, text=text[lo:self.entry.char_end])
            self.offset = lo

    def document(self) -> Document:
        """The entry's document with every offset in place: text before the window comes
        back as blanks (the newline that opens the window is kept, so a line start found
        by searching back from the entry is where it was)."""
        if not self.offset:
            return self.doc
        head = " " * (self.offset - 1) + "\n"
        return replace(self.doc, text=head + self.doc.text)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form (datetimes as ISO strings), for caches and spool files."""
        entry = asdict(self.entry)
        entry["published"] = _iso(self.entry.published)
        return {
            "doc": {"name": self.doc.name, "path": self.doc.path,
                    "encoding": self.doc.encoding, "offset": self.offset,
                    "text": self.doc.text},
            "entry": entry,
            "language": self.language,
            "partials": [list(p) for p in self.partials],
            "explicit": [[when.isoformat(), evidence] for when, evidence in self.explicit],
            "neighbour": ([self.neighbour[0].isoformat(), self.neighbour[1]]
                          if self.neighbour is not None else None),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pending:
        """The Pending that ``to_dict`` described."""
        d = data["doc"]
        doc = Document(d["name"], d["text"], d["path"], d["encoding"])
        e = dict(data["entry"])
        e["published"] = datetime.fromisoformat(e["published"]) if e["published"] else None
        neighbour = data.get("neighbour")
        return cls(
            doc, Entry(**e), data["language"],
            partials=[(int(m), int(day), ev, sentence)
                      for m, day, ev, sentence in data["partials"]],
            explicit=[(datetime.fromisoformat(w), ev) for w, ev in data["explicit"]],
            neighbour=(datetime.fromisoformat(neighbour[0]), neighbour[1])
            if neighbour else None,
            offset=int(d["offset"]),
        )


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


@dataclass(frozen=True)
class Inference:
    when: datetime
    method: str
    evidence: str
    explanation: str

    @property
    def confidence(self) -> float:
        return CONFIDENCE[self.method]


def names(text: str) -> set[str]:
    """Capitalised words: the names that let two texts in two languages be matched.

    Month and weekday names are capitalised too, but say nothing about the happening.
    """
    words = set(_NAME.findall(text))  # names repeat within a text
    if not words:
        return set()
    # one string, one line per word: a single sub and lower for all of them
    joined = "\n".join(words)
    if "'" in joined or "’" in joined:
        joined = _POSSESSIVE.sub("", joined)
    return set(joined.lower().split("\n")) - _calendar_words()


@lru_cache(maxsize=1)
def _calendar_words() -> frozenset[str]:
    return frozenset(month_lookup()) | weekday_names()


def partial_month_days(value: str) -> list[tuple[int, int]]:
    """Month-days of a yearless normal form: 'XXXX-11-20', or both ends of a range."""
    out = []
    for part in value.split("/"):
        m = _PARTIAL.match(part)
        if m:
            out.append((int(m[1]), int(m[2])))
    return out


def _named_text(title: str, text: str) -> str:
    """The text an event's names are read from. A mention's title is often its whole
    sentence: names("S S") are names("S"), read at half the cost."""
    text = text[:2000]
    return text if title == text else f"{title} {text}"


def _names_of(text: str, seen: dict[str, set[str]]) -> set[str]:
    """names(text), remembered in ``seen`` (read only: callers merge it into their sets)."""
    found = seen.get(text)
    if found is None:
        found = seen[text] = names(text)
    return found


@dataclass
class CorpusSummary:
    """What corpus-level inference needs, gathered while documents stream past.

    Small and mergeable (one per Dask partition): the span of the reports, a histogram of
    their years, and per month-day and year the names of what was dated on that day.
    """

    first: datetime | None = None
    last: datetime | None = None
    years: Counter[int] = field(default_factory=Counter)
    by_day: dict[tuple[int, int], dict[int, tuple[set[str], str]]] = field(default_factory=dict)

    def add(self, records: list[dict]) -> None:
        seen: dict[str, set[str]] = {}  # the mentions of one sentence share its text
        for r in records:
            if r["kind"] == "report":
                start, end = pd.Timestamp(r["start"]), pd.Timestamp(r["end"])
                self.first = start if self.first is None else min(self.first, start)
                self.last = end if self.last is None else max(self.last, end)
                if not r.get("year_inferred"):
                    self.years[start.year] += 1
            if r.get("year_inferred") or r["precision"] not in ("day", "hour", "minute"):
                continue
            start = pd.Timestamp(r["start"])
            per_year = self.by_day.setdefault((start.month, start.day), {})
            have, title = per_year.get(start.year, (set(), r["title"]))
            if len(have) < MAX_NAMES_PER_DAY:
                have |= _names_of(_named_text(r["title"], r["text"]), seen)
            per_year[start.year] = (have, title)

    def add_frame(self, events: pd.DataFrame) -> None:
        """``add`` over an event frame's rows, in row order (a cached document's events).

        Needs the columns kind, start, end, precision, year_inferred, title and text.
        """
        if events.empty:
            return
        kind = events["kind"].astype(str).to_numpy()
        inferred = events["year_inferred"].astype(bool).to_numpy()
        starts = pd.to_datetime(events["start"])
        reports = kind == "report"
        if reports.any():
            first = pd.Timestamp(starts[reports].min())
            last = pd.Timestamp(pd.to_datetime(events["end"])[reports].max())
            self.first = first if self.first is None else min(self.first, first)
            self.last = last if self.last is None else max(self.last, last)
            years = starts[reports & ~inferred].dt.year
            self.years.update({int(y): int(n) for y, n in years.value_counts().items()})
        dated = (~inferred & events["precision"].astype(str).isin(["day", "hour", "minute"])
                 .to_numpy() & starts.notna().to_numpy())
        if not dated.any():
            return
        when = starts[dated]
        seen: dict[str, set[str]] = {}
        # lists, not Series: iterating Arrow-backed strings one by one is slow
        for month, day, year, title, text in zip(
                when.dt.month.tolist(), when.dt.day.tolist(), when.dt.year.tolist(),
                events["title"][dated].tolist(), events["text"][dated].tolist(), strict=True):
            per_year = self.by_day.setdefault((int(month), int(day)), {})
            have, first_title = per_year.get(int(year), (set(), title))
            if len(have) < MAX_NAMES_PER_DAY:
                have |= _names_of(_named_text(title, text), seen)
            per_year[int(year)] = (have, first_title)

    def merge(self, other: CorpusSummary) -> CorpusSummary:
        out = CorpusSummary(self.first, self.last, self.years + other.years, dict(self.by_day))
        if other.first is not None:
            out.first = other.first if out.first is None else min(out.first, other.first)
            out.last = other.last if out.last is None else max(out.last, other.last)
        for md, per_year in other.by_day.items():
            mine = out.by_day.setdefault(md, {})
            for year, (found, title) in per_year.items():
                have, have_title = mine.get(year, (set(), title))
                if len(have) < MAX_NAMES_PER_DAY:  # the same cap as add, so merges agree
                    have = have | found
                mine[year] = (have, have_title)
        return out

    def focus(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        if self.first is None or self.last is None:
            return None
        return (pd.Timestamp(self.first) - FOCUS_PAD, pd.Timestamp(self.last) + FOCUS_PAD)


def infer_date(p: Pending, summary: CorpusSummary) -> Inference | None:
    """The report date of an undated entry, or None when nothing supports one."""
    if p.explicit:
        when, evidence = max(p.explicit)
        return Inference(when, "own-dates", evidence,
                         f"latest full date stated in its own text ({evidence})")
    if p.neighbour is not None:
        year_of, title = p.neighbour
        year = year_of.year
        if p.partials:
            month, day, evidence, _ = max(p.partials, key=lambda t: (t[0], t[1]))
            when = _safe_date(year, month, day)
            if when is not None:
                return Inference(when, "same-document", evidence, (
                    f"year of {title[:60]!r}, dated {year_of:%Y-%m-%d} in the same document"))
        return Inference(year_of, "same-document", "", (
            f"published beside {title[:60]!r}, dated {year_of:%Y-%m-%d} in the same document"))
    if not p.partials:
        return None
    votes: Counter[int] = Counter()
    why: dict[int, str] = {}
    for month, day, evidence, sentence in p.partials:
        mine = names(sentence)
        for year, (theirs, title) in summary.by_day.get((month, day), {}).items():
            shared = mine & theirs
            if len(shared) >= MIN_SHARED_NAMES:
                votes[year] += len(shared)
                why.setdefault(year, (
                    f"{evidence!r} matches {title[:60]!r} of {year}-{month:02d}-{day:02d} "
                    f"(shared: {', '.join(sorted(shared)[:4])})"))
    if votes:
        year, method = votes.most_common(1)[0][0], "corpus-match"
        explanation = why[year]
    elif summary.years:
        year, method = summary.years.most_common(1)[0][0], "dense-period"
        explanation = f"{year} is the year most of the corpus's reports fall in"
    else:
        return None
    month, day, evidence, _ = max(p.partials, key=lambda t: (t[0], t[1]))
    when = _safe_date(year, month, day)
    return Inference(when, method, evidence, explanation) if when else None


def _safe_date(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day)
    except ValueError:  # 29 February in a year without one
        return None


def flag_background(
    events: pd.DataFrame, focus: tuple[pd.Timestamp, pd.Timestamp] | None = None
) -> pd.DataFrame:
    """Mark events wholly outside the focus period (default: the reports' span, padded),
    and mentions dated only to a year (``in late 2020``, ``the 2020 cease-fire deal``,
    ``a year ago``): a back-reference, not a happening of its own; a year-long band would
    hide the days the corpus is about."""
    out = events.copy()
    if out.empty:
        return out
    vague = (out["kind"] == "mention") & (out["precision"] == "year")
    if focus is None:
        reports = out[out["kind"] == "report"]
        if reports.empty:
            out["background"] = out["background"] | vague
            return out
        focus = (reports["start"].min() - FOCUS_PAD, reports["end"].max() + FOCUS_PAD)
    lo, hi = focus
    out["background"] = (out["end"] <= lo) | (out["start"] > hi) | vague
    return out
