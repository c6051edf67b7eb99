"""Web pages and feeds: entries from the layout their markup stated (``app.ingest.markup``).

A page is one article (one report at its publication date; undated when the page gives
none); a feed gives one report per item. Reader comments are kept apart as comment
segments. Dates are read as the markup wrote them: ISO 8601 (pages, Atom) or RFC 822
(RSS), wall-clock time as written with its zone kept in ``tz``.
"""

from __future__ import annotations

import email.utils
from datetime import datetime, timedelta

from app.ingest.archive import MAX_YEAR, MIN_YEAR
from app.ingest.base import Document, Entry, ReadResult, Rejection, Segment
from app.segment import paragraphs


class PageReader:
    """Reads documents whose markup stated their layout; never chosen by sniffing."""

    NAME = "page"

    def sniff(self, text: str) -> float:
        return 0.0  # plain text is never a page: the loader decides from the markup

    def read(self, doc: Document) -> ReadResult:
        layout = doc.layout
        result = ReadResult(layout.kind if layout else self.NAME)
        if layout is None:
            return result
        for part in layout.parts:
            result.segments.append(Segment("body", part.body_start, part.body_end))
            line = doc.line_of(part.char_start)
            when, precision, tz = None, "", ""
            if part.published:
                try:
                    when, precision, tz = parse_stamp(part.published)
                except ValueError as exc:
                    result.rejections.append(Rejection(
                        doc.name, doc.line_of(part.published_start),
                        f"impossible date {part.published!r}: {exc}", part.title[:200]))
                    continue
            body = doc.text[part.body_start:part.body_end]
            result.entries.append(Entry(
                style=layout.kind, char_start=part.char_start, char_end=part.char_end,
                title=part.title, text="\n\n".join(p.text for p in paragraphs(body)),
                published=when, precision=precision, tz=tz, source=part.source,
                evidence=part.published if when else "",
                evidence_start=part.published_start if when else -1, line=line))
        for start, end in layout.comments:
            n = len(paragraphs(doc.text, start, end))
            result.segments.append(Segment("comments", start, end, f"{n} blocks"))
        result.segments.sort(key=lambda s: s.char_start)
        return result


def parse_stamp(stamp: str) -> tuple[datetime, str, str]:
    """(wall-clock time as written, precision, zone) of an ISO 8601 or RFC 822 stamp.

    Raises ValueError for anything else or an implausible year.
    """
    text = stamp.strip()
    try:
        when = datetime.fromisoformat(text)
        precision = "day" if len(text) <= 10 else "minute"
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            raise ValueError("neither ISO 8601 nor RFC 822") from None
        precision = "minute"
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        raise ValueError(f"implausible year {when.year}")
    offset = when.utcoffset()
    return when.replace(tzinfo=None), precision, "" if offset is None else zone_name(offset)


def zone_name(offset: timedelta) -> str:
    """``UTC`` or ``UTC+04:00``, the shape the other readers keep a stated zone in."""
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes > 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"
