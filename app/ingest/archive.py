"""Dated archives: entries that open with a ``DD.MM.YYYY - HH:MM [ Source ]`` header line,
then a headline line, then excerpt paragraphs until the next header."""

from __future__ import annotations

import re
from datetime import datetime

from app.ingest.base import Document, Entry, ReadResult, Rejection, Segment
from app.segment import is_masked

# Loose on purpose: anything shaped like a header is an entry the report must account for,
# even when its date is impossible (31.02.2021) or its time is (25:61).
# A header may lack its time (``25.03.2022 [ Outlet ]``: a day-precision report) or its
# source (``12.12.2022 - 10:30``), not both: a bare date line is an article's dateline.
HEADER = re.compile(
    r"^[ \t]*(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})[ \t]*"
    r"(?:[-–—][ \t]*(?P<H>\d{1,2}):(?P<M>\d{2})[ \t]*(?:\[(?P<source>[^\]\n]*)\])?"
    r"|\[(?P<source2>[^\]\n]*)\])[ \t]*$",
    re.MULTILINE,
)
MIN_YEAR, MAX_YEAR = 1800, 2200  # outside this an archive header is a typo, not history


class ArchiveReader:
    NAME = "archive"
    BEST_SNIFF = 1.0  # the highest score sniff gives

    def sniff(self, text: str) -> float:
        headers = sum(1 for _ in zip(range(3), HEADER.finditer(text), strict=False))
        # any header means archive entries to account for: archives outrank other styles
        return {0: 0.0, 1: 0.96, 2: 0.98}.get(headers, 1.0)

    def read(self, doc: Document) -> ReadResult:
        text = doc.text
        result = ReadResult(self.NAME)
        headers = list(HEADER.finditer(text))
        if headers and headers[0].start() > 0 and text[: headers[0].start()].strip():
            result.segments.append(Segment("preamble", 0, headers[0].start()))
        seen: dict[tuple[str, str], int] = {}  # (header, body) -> line of its first copy
        for i, m in enumerate(headers):
            end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
            line = doc.line_of(m.start())
            header = m.group(0).strip()
            # an archive that lists the same entry twice (a copy-paste, a re-run scraper)
            # reports one happening once; the copy is counted, not an event
            key = (" ".join(header.split()), " ".join(text[m.end():end].split()))
            if key in seen:
                result.segments.append(
                    Segment("repeated", m.start(), end, f"repeat of the entry at line {seen[key]}"))
                continue
            seen[key] = line
            try:
                when = _header_time(m)
            except ValueError as exc:
                result.rejections.append(
                    Rejection(doc.name, line, f"impossible date in archive header: {exc}", header)
                )
                result.segments.append(Segment("rejected", m.start(), end, str(exc)))
                continue
            body = text[m.end() : end]
            lines = [ln.strip() for ln in body.split("\n")]
            content = [ln for ln in lines if ln and not is_masked(ln)]
            title = content[0] if content else ""
            excerpt = "\n\n".join(content[1:])
            result.entries.append(
                Entry(
                    style=self.NAME,
                    char_start=m.start(),
                    char_end=_rstrip_end(text, m.start(), end),
                    title=title,
                    text=excerpt,
                    published=when,
                    precision="minute" if m["H"] is not None else "day",
                    source=_clean_source(m["source"] or m["source2"] or ""),
                    evidence=header.split("[", 1)[0].strip(),
                    evidence_start=m.start() + (len(m.group(0)) - len(m.group(0).lstrip())),
                    line=line,
                )
            )
            result.segments.append(Segment("body", m.start(), end))
        return result


def _header_time(m: re.Match[str]) -> datetime:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    hh, mm = (int(m["H"]), int(m["M"])) if m["H"] is not None else (0, 0)
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ValueError(f"year {y} outside {MIN_YEAR}-{MAX_YEAR}")
    if hh > 23 or mm > 59:
        raise ValueError(f"time {hh:02d}:{mm:02d} does not exist")
    try:
        return datetime(y, mo, d, hh, mm)
    except ValueError as exc:
        raise ValueError(f"{d:02d}.{mo:02d}.{y} does not exist ({exc})") from None


def _clean_source(raw: str) -> str:
    # "Rick Rozoff / " and "Verteidigungsministerium ... - " end in a dangling separator.
    return re.sub(r"[\s/\-–|]+$", "", raw.strip()).strip()


def _rstrip_end(text: str, start: int, end: int) -> int:
    return start + len(text[start:end].rstrip())
