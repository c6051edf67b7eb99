"""Liveblogs: a day heading (``Sunday, 24 September 2023``), then updates that open with a
time alone on a line (``13:45``, ``13.45 Uhr``, ``13h45``, ``17:31 AMT``): one report per
update at that day and minute, its zone kept as written."""

from __future__ import annotations

import re
from datetime import datetime

from app.ingest.base import Document, Entry, ReadResult, Rejection, Segment
from app.ingest.publine import ImpossibleDate, parse_publication_line
from app.segment import is_furniture

STAMP = re.compile(
    r"^[ \t]*(?P<H>\d{1,2})[:.h](?P<M>\d{2})(?:[ \t]*(?P<ampm>[ap]\.?m\.?))?"
    r"(?:[ \t]*(?:Uhr|h))?(?:[ \t]*\(?(?P<tz>(?:UTC|GMT)[ \t]*[+\-−][ \t]*\d{1,2}(?::?\d{2})?"
    r"|[A-Z]{2,5})\)?)?[ \t]*$",
    re.MULTILINE,
)
MIN_STAMPS = 2  # one time alone on a line is a caption; two under a day heading, a liveblog


def _day_headings(text: str) -> list[tuple[int, datetime]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            try:
                pub = parse_publication_line(line)
            except ImpossibleDate:
                pub = None
            if pub is not None:
                out.append((pos, pub.when.replace(hour=0, minute=0)))
        pos += len(line) + 1
    return out


class LiveblogReader:
    NAME = "liveblog"
    BEST_SNIFF = 0.7  # the highest score sniff gives

    def sniff(self, text: str) -> float:
        stamps = [m.start() for _, m in zip(range(MIN_STAMPS), STAMP.finditer(text),
                                            strict=False)]
        if len(stamps) < MIN_STAMPS:
            return 0.0
        days = _day_headings(text[: stamps[0]])
        return 0.7 if days else 0.0

    def read(self, doc: Document) -> ReadResult:
        text = doc.text
        result = ReadResult(self.NAME)
        days = _day_headings(text)
        stamps = list(STAMP.finditer(text))
        cuts = sorted([p for p, _ in days] + [m.start() for m in stamps])
        if cuts and text[: cuts[0]].strip():
            result.segments.append(Segment("preamble", 0, cuts[0]))
        di = 0
        day: datetime | None = None
        for m in stamps:
            while di < len(days) and days[di][0] < m.start():
                day = days[di][1]
                di += 1
            nxt = next((c for c in cuts if c > m.start()), len(text))
            line = doc.line_of(m.start())
            evidence = m.group(0).strip()
            hh, mm = int(m["H"]), int(m["M"])
            ampm = (m["ampm"] or "").lower().replace(".", "")
            hh += 12 if ampm == "pm" and hh < 12 else 0
            hh = 0 if ampm == "am" and hh == 12 else hh
            if day is None or hh > 23 or mm > 59:
                reason = ("liveblog time with no day heading above it" if day is None
                          else f"time {evidence} does not exist")
                result.rejections.append(Rejection(doc.name, line, reason, evidence))
                result.segments.append(Segment("rejected", m.start(), nxt, reason))
                continue
            body = [ln.strip() for ln in text[m.end():nxt].split("\n")
                    if ln.strip() and not is_furniture(ln)]
            result.entries.append(Entry(
                style=self.NAME, char_start=m.start(),
                char_end=m.start() + len(text[m.start():nxt].rstrip()),
                title=body[0] if body else "", text="\n\n".join(body[1:]),
                published=day.replace(hour=hh, minute=mm), precision="minute",
                tz=(m["tz"] or "").replace(" ", "").replace("−", "-"),
                evidence=evidence, evidence_start=m.start() + m.group(0).index(evidence[0]),
                line=line))
            result.segments.append(Segment("body", m.start(), nxt))
        return result
