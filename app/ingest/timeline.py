"""Timeline pages (Wikipedia's "Timeline of ..."): year and month section headings, day
headings under them (``27 September``, ``September 27, 2020``, ``27. September``,
``27 septembre``), or one-line entries (``* 27 September – text``). Each dated entry is a
*mention* dated by its heading, with no report: a timeline is nobody's report at a time.

A day heading takes the year and month its heading does not state from the section
headings above it (or the last heading that stated them). The heading shapes are data
(``data/timeline.yaml``); month names come from CLDR (``app/ingest/months.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import yaml

from app.ingest.base import Document, Entry, ReadResult, Rejection, Segment
from app.ingest.liveblog import STAMP
from app.ingest.months import alternation, month_lookup
from app.paths import DATA_DIR

BLANKS = " \t\u2063"  # with the mark app.ingest.structure leaves on a line it blanked
MIN_DAYS = 2  # day headings or one-line entries a timeline has at least
NO_HEADING = "timeline entry under no dated heading (no year or month above it)"


@dataclass(frozen=True)
class _Patterns:
    markup: re.Pattern[str]
    year: list[re.Pattern[str]]
    month: list[re.Pattern[str]]
    day: list[re.Pattern[str]]
    bullet: list[re.Pattern[str]]


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    raw = yaml.safe_load((DATA_DIR / "timeline.yaml").read_text(encoding="utf-8"))
    subs = {
        "{month}": rf"(?P<month>{alternation(month_lookup())})\.?",
        "{day}": r"(?P<day>[0-3]?\d)(?:\.|er|st|nd|rd|th)?",
        "{year}": r"(?P<year>1\d{3}|20\d{2})",
    }

    def compile_all(key: str) -> list[re.Pattern[str]]:
        out = []
        for pat in raw[key]:
            for k, v in subs.items():
                pat = pat.replace(k, v)
            out.append(re.compile(pat, re.IGNORECASE))
        return out

    return _Patterns(re.compile(raw["markup"]), compile_all("year"), compile_all("month"),
                     compile_all("day"), compile_all("bullet"))


def _first(pats: list[re.Pattern[str]], text: str) -> re.Match[str] | None:
    for p in pats:
        m = p.match(text)
        if m:
            return m
    return None


@dataclass
class _Line:
    start: int  # offset of the stripped text in the document
    text: str  # stripped, wiki markup taken off
    kind: str  # year, month, day, bullet, text
    match: re.Match[str] | None = None
    alone: bool = True  # a blank line, a heading or the start of the text above it


def _classify(text: str) -> list[_Line]:
    p = patterns()
    out: list[_Line] = []
    pos = 0
    prev_blank = True
    for raw in text.split("\n"):
        stripped = raw.strip(BLANKS)
        if not stripped:
            pos += len(raw) + 1
            prev_blank = True
            continue
        start = pos + raw.index(stripped[0])
        body = stripped
        mk = p.markup.match(stripped)
        if mk and mk["body"]:
            body = mk["body"]
            start += stripped.index(body)
        line = _Line(start, body, "text", alone=prev_blank or bool(out and out[-1].kind
                                                                   in ("year", "month", "day")))
        for kind in ("year", "month", "day", "bullet"):
            m = _first(getattr(p, kind), body)
            if m and (kind != "month" or _month(m)) and (kind not in ("day", "bullet")
                                                          or 1 <= int(m["day"]) <= 31):
                line.kind, line.match = kind, m
                break
        out.append(line)
        prev_blank = False
        pos += len(raw) + 1
    return out


def _month(m: re.Match[str]) -> int:
    return month_lookup().get(m["month"].lower().rstrip("."), 0)


def _year(m: re.Match[str]) -> int | None:
    y = m.groupdict().get("year")
    return int(y) if y else None


def timeline_shape(text: str) -> bool:
    """Several day headings or one-line entries below a year or month section heading,
    every heading on a line of its own (a forum's date line sits under a user name)."""
    if len(list(zip(range(2), STAMP.finditer(text), strict=False))) >= 2:
        return False  # times alone on a line: a liveblog's updates
    sections = days = 0
    for line in _classify(text):
        if line.kind in ("year", "month") and line.alone:
            sections += 1
        elif sections and ((line.kind == "day" and line.alone) or line.kind == "bullet"):
            days += 1
            if days >= MIN_DAYS:
                return True
    return False


@dataclass
class _Block:
    head: _Line
    when: datetime | None
    precision: str
    evidence: str
    body: list[_Line] = field(default_factory=list)


class TimelineReader:
    NAME = "timeline"
    BEST_SNIFF = 0.9  # the highest score sniff gives

    def sniff(self, text: str) -> float:
        return 0.9 if timeline_shape(text) else 0.0

    def read(self, doc: Document) -> ReadResult:
        result = ReadResult(self.NAME)
        year: int | None = None
        month: int | None = None
        blocks: list[_Block] = []
        preamble_end = -1
        for line in _classify(doc.text):
            m = line.match
            if line.kind == "text" or (line.kind in ("year", "month", "day") and not line.alone):
                if blocks:
                    blocks[-1].body.append(line)
                else:
                    preamble_end = line.start + len(line.text)
                continue
            assert m is not None
            when, precision = None, "day"
            if line.kind == "year":
                year, month = int(m["year"]), None
                when, precision = datetime(year, 1, 1), "year"
            elif line.kind == "month":
                year, month = _year(m) or year, _month(m)
                when = datetime(year, month, 1) if year else None
                precision = "month"
            else:
                mon = _month(m) or month
                y = _year(m) or year
                if _year(m):
                    year = y
                if mon:
                    month = mon
                try:
                    when = datetime(y, mon, int(m["day"])) if y and mon else None
                except ValueError:
                    when = None
            evidence = m["head"] if line.kind == "bullet" else line.text
            block = _Block(line, when, precision, evidence)
            if line.kind == "bullet":
                block.body.append(_Line(line.start + m.start("rest"), m["rest"], "text"))
            blocks.append(block)
        if preamble_end > 0:
            result.segments.append(Segment("preamble", 0, preamble_end))
        for block in blocks:
            self._entry(doc, block, result)
        return result

    def _entry(self, doc: Document, block: _Block, result: ReadResult) -> None:
        if not block.body:
            return  # a section heading: it dates what follows, it is no entry
        head = block.head
        start = head.start
        end = block.body[-1].start + len(block.body[-1].text)
        line_no = doc.line_of(start)
        if block.when is None:
            result.rejections.append(Rejection(doc.name, line_no, NO_HEADING, head.text[:200]))
            result.segments.append(Segment("rejected", start, end, NO_HEADING))
            return
        body = [ln.text for ln in block.body]
        ev_start = head.start + (head.match.start("head") if head.kind == "bullet"
                                 and head.match else 0)
        # a mention's offsets are its evidence (the heading), as for any dated phrase
        result.entries.append(Entry(
            style=self.NAME, char_start=start, char_end=end,
            title=_first_sentence(body[0]), text="\n\n".join(body),
            published=block.when, precision=block.precision, evidence=block.evidence,
            evidence_start=ev_start, line=line_no, kind="mention"))
        result.segments.append(Segment("body", start, end))


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ\"“„«])")
_CITE = re.compile(r"\[\d+\]")


def _first_sentence(text: str, limit: int = 160) -> str:
    sentence = _SENTENCE.split(_CITE.sub("", text).strip(), maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
