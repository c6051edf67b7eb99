"""From paths to events: read -> segment -> date -> enrich, one document at a time.

``iter_documents`` yields one DocResult per input so callers can stream (write each
document's events as they come); ``load_corpus`` gathers everything into a Corpus.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from app.corpus import Corpus
from app.enrich.language import detect_many
from app.ingest import read_document
from app.ingest.base import Document, Entry, ReadResult, Rejection
from app.ingest.loader import DEFAULT_MAX_BYTES, LoadError, discover, load
from app.paths import CORPUS_DIR
from app.report import IngestReport
from app.schema import from_records


@dataclass
class DocResult:
    """One input file: its document (if readable), what the reader made of it, its events."""

    name: str
    document: Document | None = None
    read: ReadResult | None = None
    error: str = ""
    records: list[dict[str, Any]] = field(default_factory=list)


def event_id(doc: str, kind: str, char_start: int, evidence: str) -> str:
    """Stable id: the same document text yields the same ids, run after run."""
    key = f"{doc}\x00{kind}\x00{char_start}\x00{evidence}".encode()
    return hashlib.sha1(key).hexdigest()[:16]


def report_record(doc: Document, entry: Entry) -> dict[str, Any]:
    when = pd.Timestamp(entry.published)
    step = pd.Timedelta(minutes=1) if entry.precision == "minute" else pd.Timedelta(days=1)
    return {
        "event_id": event_id(doc.name, "report", entry.char_start, entry.evidence),
        "kind": "report",
        "start": when,
        "end": when + step,
        "precision": entry.precision,
        "tz": entry.tz,
        "title": entry.title,
        "text": entry.text,
        "evidence": entry.evidence,
        "source": entry.source,
        "doc": doc.name,
        "char_start": entry.char_start,
        "char_end": entry.char_end,
        "reported_at": when,
        "confidence": 1.0,
    }


def process(doc: Document) -> DocResult:
    """Everything that can be done with one document alone (no cross-document inference)."""
    result = DocResult(doc.name, document=doc)
    result.read = read_document(doc)
    records = [report_record(doc, e) for e in result.read.entries if e.published is not None]
    langs = detect_many([f"{r['title']}\n{r['text']}" for r in records]) if records else []
    for rec, lang in zip(records, langs, strict=True):
        rec["language"] = lang
    result.records = records
    return result


def iter_documents(
    paths: Iterable[str | os.PathLike[str]] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[DocResult]:
    """Read, segment and date each input in turn; unreadable inputs come back with an error."""
    sources, rejected = discover(paths or [CORPUS_DIR])
    for rej in rejected:
        yield DocResult(rej.doc, error=rej.reason)
    for src in sources:
        try:
            doc = load(src, max_bytes=max_bytes)
        except LoadError as exc:
            yield DocResult(src.name, error=str(exc))
            continue
        yield process(doc)


def load_corpus(
    paths: Iterable[str | os.PathLike[str]] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Corpus:
    report = IngestReport()
    records: list[dict[str, Any]] = []
    texts: dict[str, str] = {}
    segments = {}
    for res in iter_documents(paths, max_bytes):
        report.add(res)
        records.extend(res.records)
        if res.document is not None and res.read is not None:
            texts[res.name] = res.document.text
            segments[res.name] = res.read.segments
    events = from_records(records)
    return Corpus(events=events, report=report.to_dict(), texts=texts, segments=segments)


__all__ = ["DocResult", "Rejection", "event_id", "iter_documents", "load_corpus", "process"]
