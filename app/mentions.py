"""Mention events: the happenings an entry's text dates, linked back to the entry's report."""

from __future__ import annotations

import bisect
import re
from datetime import datetime
from typing import Any

import pandas as pd

from app.dates import DateHit, dedupe, find_dates
from app.dates.hit import make_hit
from app.dates.zones import offset_of, zone_after
from app.ingest.base import Document, Entry

# Confidence of a mention by how its date was obtained.
CONFIDENCE = {"absolute": 1.0, "range": 0.95, "partial": 0.85, "relative": 0.8}
INFERRED_REF_FACTOR = 0.6  # the reference date itself was inferred, not stated

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_OPENER = "[\"“„«‚A-ZÀ-ÖØ-Þ0-9]"
_SENTENCE_END = re.compile(rf"(?<=[.!?…])\s+(?={_OPENER})|\n")
# The last sentence end before a point, found from the right: the same cut as the last
# match of _SENTENCE_END, read in the reversed text (an opener, blanks, a full stop).
_SENTENCE_END_REV = re.compile(rf"{_OPENER}\s+[.!?…]")
TITLE_CHARS = 160  # a mention's headline: its sentence, shortened


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis when
    anything was cut (a headline that stops mid-word reads as complete)."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def scan(doc: Document, entry: Entry, ref: datetime | None, lang: str | None) -> list[DateHit]:
    """Date expressions in the entry's body, with offsets made absolute in the document.

    The entry's own dating evidence (archive header, publication line) is left out.
    """
    text = doc.text[entry.char_start : entry.char_end]
    own = (entry.evidence_start, entry.evidence_start + len(entry.evidence))
    hits = []
    section_year = 0
    # the entry's own dating evidence goes before the same-day dedupe: "STEPANAKERT, Sept 24
    # (Reuters) - ... on Sunday" keeps "on Sunday", not the dateline it would fold into
    lo, hi = own[0] - entry.char_start, own[1] - entry.char_start
    if entry.evidence and 0 <= lo < hi <= len(text):
        # blanked, not cut: offsets hold, and the body of a wire copy under a new header is
        # the text already scanned (app.dates caches pieces per paragraph)
        text = f"{text[:lo]}{' ' * (hi - lo)}{text[hi:]}"
    found = [h for h in find_dates(text, ref=ref, lang=lang)
             if not (entry.evidence and h.char_start < hi and h.char_end > lo)]
    for hit in _dedupe_per_paragraph(text, found):
        start, end = entry.char_start + hit.char_start, entry.char_start + hit.char_end
        line_start = doc.text.rfind("\n", 0, start) + 1
        if doc.text[line_start:start].lstrip().startswith(entry.evidence or "\0"):
            continue  # the rest of the header line (e.g. "4 hours ago" after the date)
        if hit.precision in ("month", "year") and _whole_line(doc.text, line_start, start, end):
            # a section heading ("September 2020"), not a happening: it gives its year to
            # the day headings under it ("27 September"), as a timeline page reads
            section_year = hit.start.year if hit.start is not None else section_year
            continue
        if section_year and hit.year_inferred and hit.kind == "partial" and hit.start:
            hit = _in_year(hit, section_year)
        tz = hit.tz
        if not tz and hit.precision in ("minute", "hour"):
            tz = zone_after(doc.text, end)  # "13:00 local time (UTC+4)", "9 a.m. Moscow time"
        hits.append(_shift(hit, entry.char_start, tz))
    return hits


def _in_year(hit: DateHit, year: int) -> DateHit:
    """A month-day without a year, placed in the year its section heading states."""
    assert hit.start is not None
    try:
        start = hit.start.replace(year=year)
    except ValueError:  # 29 February
        return hit
    end = start + (hit.end - hit.start) if hit.end else None
    return make_hit(hit.evidence, hit.char_start, hit.char_end, start, end, hit.precision,
                    f"{year:04d}{hit.value[4:]}", False, hit.tz, hit.kind)


def _whole_line(text: str, line_start: int, start: int, end: int) -> bool:
    """Whether text[start:end] is all its line holds."""
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    return not text[line_start:start].strip() and not text[end:line_end].strip()


def _dedupe_per_paragraph(text: str, hits: list[DateHit]) -> list[DateHit]:
    """The same day named twice in one paragraph is one happening; across paragraphs, two.

    ("On November 19 ... the meeting held yesterday" in separate paragraphs are two events.)
    """
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)]
    groups: dict[int, list[DateHit]] = {}
    for hit in hits:
        groups.setdefault(bisect.bisect(breaks, hit.char_start), []).append(hit)
    kept = [h for group in groups.values() for h in dedupe(group)]
    return sorted(kept, key=lambda h: h.char_start)


def _shift(hit: DateHit, by: int, tz: str) -> DateHit:
    # make_hit, not dataclasses.replace: one per mention, and replace is slow
    return make_hit(hit.evidence, hit.char_start + by, hit.char_end + by, hit.start, hit.end,
                    hit.precision, hit.value, hit.year_inferred, tz, hit.kind)


def sentence_around(text: str, start: int, end: int, limit: int = 400) -> str:
    """The sentence holding text[start:end], trimmed to about ``limit`` characters."""
    lo = max(0, start - limit)
    s = _last_cut(text[lo:start]) + lo
    m = _SENTENCE_END.search(text, end, min(len(text), end + limit))
    e = m.start() if m else min(len(text), end + limit)
    return " ".join(text[s:e].split())


def _last_cut(left: str) -> int:
    """Where the last _SENTENCE_END match in ``left`` ends (0 if none).

    A blank run after a full stop is one match, and a newline inside it no match of its
    own; so the last match ends at the later of the last such run's end and the last
    newline plus one. Read from the right, which is cheaper than matching the whole
    stretch from the left (this runs once per mention).
    """
    m = _SENTENCE_END_REV.search(left[::-1])
    return max(len(left) - m.start() - 1 if m else 0, left.rfind("\n") + 1)


def mention_records(
    doc: Document, report: dict[str, Any], hits: list[DateHit], ref_inferred: bool
) -> list[dict[str, Any]]:
    from app.pipeline import event_id

    out = []
    for hit in hits:
        if hit.start is None:
            continue  # unresolved: no reference date to anchor it
        if hit.value == "PRESENT_REF":
            continue  # "now", "currently": the report itself, not a happening of its own
        sentence = sentence_around(doc.text, hit.char_start, hit.char_end)
        confidence = CONFIDENCE.get(hit.kind, 0.8)
        if ref_inferred and hit.kind != "absolute":
            confidence *= INFERRED_REF_FACTOR
        out.append({
            "event_id": event_id(doc.name, "mention", hit.char_start, hit.evidence),
            "kind": "mention",
            "start": pd.Timestamp(hit.start),
            "end": pd.Timestamp(hit.end) if hit.end else pd.Timestamp(hit.start),
            "precision": hit.precision,
            "tz": hit.tz,
            "utc_offset": offset_of(hit.tz),
            "year_inferred": bool(hit.year_inferred),
            "title": shorten(sentence, TITLE_CHARS),
            "text": sentence,
            "evidence": hit.evidence,
            "source": report["source"],
            "language": report.get("language", ""),
            "doc": doc.name,
            "char_start": hit.char_start,
            "char_end": hit.char_end,
            "report_id": report["event_id"],
            "reported_at": report["start"],
            "confidence": round(confidence, 3),
        })
    return out
