"""News articles: a title line, maybe an author line, maybe a publication line, then body.

Also used on the parts of other documents that hold articles (forum posts quoting them).
An article with no publication line becomes an undated entry (``published`` is None):
the pipeline infers its date or reports it, never drops it.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from app.ingest.base import Document, Entry, ReadResult, Rejection
from app.ingest.months import alternation, month_lookup
from app.ingest.publine import ImpossibleDate, PubDate, parse_publication_line
from app.segment import is_furniture, is_publication_label, segment_article

AUTHOR = re.compile(r"^\s*(?:by|von|par|por|di|door)\s+\S.{0,60}$", re.IGNORECASE)
MIN_UNDATED_CHARS = 200  # less text than this before a dated article is a heading, not a piece


class ArticleReader:
    NAME = "article"
    BEST_SNIFF = 0.6  # the highest score sniff gives

    def sniff(self, text: str) -> float:
        for line in text.split("\n", 400)[:400]:
            try:
                if parse_publication_line(line):
                    return 0.6
            except ImpossibleDate:
                return 0.6
        return 0.2  # any prose can be read as one undated article

    def read(self, doc: Document) -> ReadResult:
        result = ReadResult(self.NAME)
        segments = segment_article(doc.text)
        result.segments.extend(segments)
        for seg in segments:
            if seg.kind == "body":
                read_articles(doc, seg.char_start, seg.char_end, result)
        return result


def read_articles(doc: Document, start: int, end: int, result: ReadResult) -> None:
    """Find the articles in doc.text[start:end]; append entries/rejections to result."""
    text = doc.text
    lines = _lines(text, start, end)
    dated: list[tuple[int, int, PubDate]] = []  # (line index, title line index, date)
    in_body: set[int] = set()  # datelines: the line opens the story's first paragraph
    for i, (pos, line) in enumerate(lines):
        try:
            pub = parse_publication_line(line)
        except ImpossibleDate as exc:
            result.rejections.append(Rejection(doc.name, doc.line_of(pos), str(exc), line.strip()))
            continue
        if pub is None:
            pub = _dateline(doc, pos, line)
            if pub is None:
                continue
            in_body.add(i)
        floor = dated[-1][0] + 1 if dated else 0
        title_i = _title_before(lines, i, floor)
        dated.append((i, title_i, pub))
    if not dated:
        _undated(doc, lines, 0, len(lines), result)
        return
    first_title = dated[0][1] if dated[0][1] >= 0 else dated[0][0]
    if sum(len(ln.strip()) for _, ln in _content(lines[:first_title])) >= MIN_UNDATED_CHARS:
        _undated(doc, lines, 0, first_title, result)
    for n, (i, title_i, pub) in enumerate(dated):
        begin = title_i if title_i >= 0 else i
        if n + 1 < len(dated):
            nxt_i, nxt_title, _ = dated[n + 1]
            stop = nxt_title if nxt_title >= 0 else nxt_i
        else:
            stop = len(lines)
        first = i if i in in_body else i + 1
        body = [ln.strip() for _, ln in _content(lines[first:stop]) if not AUTHOR.match(ln)]
        pos = lines[i][0]
        result.entries.append(
            Entry(
                style="article",
                char_start=lines[begin][0],
                char_end=_end_of(lines, stop, end),
                title=lines[title_i][1].strip() if title_i >= 0 else "",
                text="\n\n".join(body),
                published=pub.when,
                precision=pub.precision,
                tz=pub.tz,
                evidence=pub.evidence,
                evidence_start=pos + pub.offset,
                line=doc.line_of(pos),
            )
        )


@lru_cache(maxsize=1)
def _dateline_re() -> re.Pattern[str]:
    mon = alternation(month_lookup())
    # "STEPANAKERT, Sept 24 (Reuters) -", "BAKU, Azerbaijan, Oct. 3, 2020 (AP) —"
    return re.compile(
        r"^\s*[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’-]{2,30}(?:,\s*[A-Z][\w .]{1,30})?,\s+"
        rf"(?P<date>(?P<mon>(?i:{mon}))\.?\s+(?P<d>\d{{1,2}})(?:,\s*(?P<y>\d{{4}}))?)"
        r"\s*(?:\([^)\n]{2,40}\)\s*)?[-–—]\s+\S")


def _dateline(doc: Document, pos: int, line: str) -> PubDate | None:
    """A wire story's dateline: the story's day; a year it leaves out comes from the post
    (or page stamp) it sits under, and without one the story stays undated."""
    m = _dateline_re().match(line)
    if not m:
        return None
    year = int(m["y"]) if m["y"] else None
    if year is None:
        stamp = doc.stamp_before(pos)
        if stamp is None:
            return None
        year = stamp.year
    try:
        when = datetime(year, month_lookup()[m["mon"].lower()], int(m["d"]))
    except ValueError:
        return None
    return PubDate(when, "day", "", m["date"], m.start("date"))


def _undated(
    doc: Document, lines: list[tuple[int, str]], lo: int, hi: int, result: ReadResult
) -> None:
    content = [(p, ln.strip()) for p, ln in _content(lines[lo:hi])]
    if not content:
        return
    title_pos, title = content[0]
    result.entries.append(
        Entry(
            style="article",
            char_start=title_pos,
            char_end=_end_of(lines, hi, len(doc.text)),
            title=title,
            text="\n\n".join(ln for _, ln in content[1:] if not AUTHOR.match(ln)),
            published=None,
            precision="",
            line=doc.line_of(title_pos),
        )
    )


def _lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    out = []
    pos = start
    for line in text[start:end].split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _content(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return [
        (p, ln)
        for p, ln in lines
        if ln.strip() and not is_furniture(ln) and not is_publication_label(ln)
    ]


def _title_before(lines: list[tuple[int, str]], i: int, floor: int) -> int:
    """Index of the article title above a publication line at i, or -1."""
    for j in range(i - 1, floor - 1, -1):
        line = lines[j][1]
        if not line.strip() or is_furniture(line) or is_publication_label(line):
            continue
        if AUTHOR.match(line):
            continue
        return j
    return -1


def _end_of(lines: list[tuple[int, str]], stop: int, end: int) -> int:
    """Character offset just after the last non-blank line before index stop."""
    for j in range(stop - 1, -1, -1):
        pos, line = lines[j]
        if line.strip():
            return pos + len(line.rstrip())
    return end
