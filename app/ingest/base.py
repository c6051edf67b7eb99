"""The reader interface: one reader per document style, each turning a document into entries.

A reader never touches pandas or the web; it yields plain records that the pipeline turns
into events. Everything a reader sees ends up either as an Entry or as a Rejection, so the
ingest report can account for every item.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import ClassVar, Protocol

# Segment lives with the segmenter, which readers call; importing it from there keeps
# app.segment importable on its own (it must not pull in the readers).
from app.segment import Segment


@dataclass(frozen=True)
class Part:
    """One dated unit whose bounds a document's markup states (a web page's article, a feed
    item): offsets into the rendered text, the date as the markup wrote it."""

    title: str
    char_start: int
    char_end: int
    body_start: int
    body_end: int
    published: str = ""
    published_start: int = -1
    source: str = ""
    author: str = ""


@dataclass(frozen=True)
class Layout:
    """What a web page's or feed's markup says of its rendered text (``app.ingest.markup``):
    ``kind`` is ``html`` or ``feed``; ``comments`` are spans of reader comments."""

    kind: str
    parts: tuple[Part, ...]
    comments: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Document:
    """A decoded text file. ``name`` is the file name used as ``doc`` in events. A web page
    or a feed carries the ``layout`` its markup gave; its ``text`` is then the rendering."""

    name: str
    text: str
    path: str = ""
    encoding: str = "utf-8"
    layout: Layout | None = None
    # (offset, moment) of the page's own stamps (post headers): anchors for a year a
    # dateline leaves out, never events themselves (see app.ingest.structure)
    stamps: tuple[tuple[int, datetime], ...] = ()

    def stamp_before(self, offset: int) -> datetime | None:
        """The latest stamp at or before offset, else the first one after it."""
        if not self.stamps:
            return None
        i = bisect.bisect_right(self.stamps, offset, key=lambda s: s[0])
        return self.stamps[i - 1][1] if i else self.stamps[0][1]

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return bisect.bisect_right(self._line_starts, max(0, offset))


@dataclass(frozen=True)
class Entry:
    """One dated (or datable) unit a reader found: an archive entry or an article.

    ``published`` is None for an article with no publication line (an "undated" entry).
    ``char_start``/``char_end`` cover the whole entry in the document; ``evidence_start``
    points at the date expression that dated it.
    """

    style: str
    char_start: int
    char_end: int
    title: str
    text: str
    published: datetime | None
    precision: str = "minute"
    tz: str = ""
    source: str = ""
    evidence: str = ""
    evidence_start: int = -1
    line: int = 0
    # "report": the entry is a report by its source at its date; "mention": a happening a
    # page dates with no report of its own (a timeline's entry, dated by its heading)
    kind: str = "report"


@dataclass(frozen=True)
class Rejection:
    """Something a reader saw but could not turn into an entry, with the reason."""

    doc: str
    line: int
    reason: str
    excerpt: str = ""


@dataclass
class ReadResult:
    """What one reader made of one document."""

    reader: str
    entries: list[Entry] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for s in self.segments if s.kind == kind)


class Reader(Protocol):
    """A document style. ``sniff`` scores how well the text fits (0..1), ``read`` parses it."""

    NAME: ClassVar[str]

    def sniff(self, text: str) -> float: ...

    def read(self, doc: Document) -> ReadResult: ...

