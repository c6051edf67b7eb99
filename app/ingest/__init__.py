"""Readers, one per document style, and the registry that picks one by sniffing content."""

from __future__ import annotations

from app.ingest.archive import ArchiveReader
from app.ingest.article import ArticleReader
from app.ingest.base import Document, Reader, ReadResult
from app.ingest.forum import ForumReader

READERS: list[Reader] = [ArchiveReader(), ForumReader(), ArticleReader()]


def pick_reader(text: str) -> Reader:
    """The reader whose sniff scores highest; ties go to the earlier, stricter reader."""
    return max(READERS, key=lambda r: r.sniff(text))


def read_document(doc: Document) -> ReadResult:
    return pick_reader(doc.text).read(doc)


__all__ = ["READERS", "Document", "ReadResult", "pick_reader", "read_document"]
