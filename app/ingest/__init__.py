"""Readers, one per document style, and the registry that picks one by sniffing content."""

from __future__ import annotations

from app.ingest.archive import ArchiveReader
from app.ingest.article import ArticleReader
from app.ingest.base import Document, Reader, ReadResult
from app.ingest.forum import ForumReader
from app.ingest.liveblog import LiveblogReader
from app.ingest.page import PageReader
from app.ingest.timeline import TimelineReader

READERS: list[Reader] = [ArchiveReader(), ForumReader(), TimelineReader(), LiveblogReader(),
                         ArticleReader()]


def pick_reader(text: str) -> Reader:
    """The reader whose sniff scores highest; ties go to the earlier, stricter reader.

    A reader whose best possible score cannot beat the best so far is not asked (an
    archive rules out a forum without parsing every line as a join date).
    """
    best, best_score = READERS[0], READERS[0].sniff(text)
    for reader in READERS[1:]:
        if getattr(reader, "BEST_SNIFF", 1.0) <= best_score:
            continue
        score = reader.sniff(text)
        if score > best_score:
            best, best_score = reader, score
    return best


PAGE_READER = PageReader()


def read_document(doc: Document) -> ReadResult:
    # a web page or feed says its own layout; plain text is sniffed
    return (PAGE_READER if doc.layout is not None else pick_reader(doc.text)).read(doc)


__all__ = ["READERS", "Document", "ReadResult", "pick_reader", "read_document"]
