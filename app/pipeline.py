"""From paths to events: read -> segment -> date -> enrich, one document at a time.

``iter_documents`` yields one DocResult per input so callers can stream (write each
document's events as they come); ``load_corpus`` gathers everything into a Corpus.
"""

from __future__ import annotations

import bisect
import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import pairwise
from typing import Any

import pandas as pd

from app.corpus import Corpus
from app.dates.zones import offset_of
from app.enrich.entities import entities_of
from app.enrich.groups import assign_groups
from app.enrich.language import detect_stream
from app.infer import CorpusSummary, Pending, flag_background, infer_date, partial_month_days
from app.ingest import read_document
from app.ingest.base import Document, Entry, ReadResult
from app.ingest.loader import DEFAULT_MAX_BYTES, LoadError, discover, load
from app.ingest.structure import find_structure, mask, stamps
from app.mentions import mention_records, scan, sentence_around
from app.paths import CORPUS_DIR
from app.report import IngestReport
from app.schema import COLUMNS, conform, from_records


@dataclass
class DocResult:
    """One input file: its document (if readable), what the reader made of it, its events."""

    name: str
    document: Document | None = None
    read: ReadResult | None = None
    error: str = ""
    records: list[dict[str, Any]] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)  # undated entries, for finalize


def event_id(doc: str, kind: str, char_start: int, evidence: str) -> str:
    """Stable id: the same document text yields the same ids, run after run."""
    key = f"{doc}\x00{kind}\x00{char_start}\x00{evidence}".encode()
    return hashlib.sha1(key).hexdigest()[:16]


_MINUTE, _DAY = pd.Timedelta(minutes=1), pd.Timedelta(days=1)


def report_record(doc: Document, entry: Entry) -> dict[str, Any]:
    when = pd.Timestamp(entry.published)
    step = _MINUTE if entry.precision == "minute" else _DAY
    return {
        "event_id": event_id(doc.name, "report", entry.char_start, entry.evidence),
        "kind": "report",
        "start": when,
        "end": when + step,
        "precision": entry.precision,
        "tz": entry.tz,
        "utc_offset": offset_of(entry.tz),
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


def headed_records(doc: Document, entry: Entry, lang: str) -> list[dict[str, Any]]:
    """A report-less entry (a timeline's): one mention dated by its heading, and the dates
    its text names, resolved against that heading's date. ``report_id`` is ""."""
    rec = report_record(doc, entry)
    step = {"day": _DAY, "month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1)}
    rec.update(event_id=event_id(doc.name, "mention", entry.char_start, entry.evidence),
               kind="mention", end=rec["start"] + step.get(entry.precision, _DAY),
               report_id="", reported_at=pd.NaT, language=lang,
               char_start=entry.evidence_start,  # a mention's offsets are its evidence
               char_end=entry.evidence_start + len(entry.evidence))
    anchor = {"event_id": "", "start": pd.NaT, "source": entry.source, "language": lang}
    hits = scan(doc, entry, ref=entry.published, lang=lang or None)
    return [rec, *mention_records(doc, anchor, hits, ref_inferred=False)]


def process(doc: Document) -> DocResult:
    """Everything that can be done with one document alone (no cross-document inference)."""
    result = DocResult(doc.name, document=doc)
    # readers and the date finder see the text with page structure blanked (same offsets);
    # the document kept for display is the text as written
    structure = find_structure(doc.text)
    view = (replace(doc, text=mask(doc.text, structure), stamps=stamps(doc.text, structure))
            if structure else doc)
    result.read = read_document(view)
    if structure:
        result.read.segments = sorted(result.read.segments + structure,
                                      key=lambda s: s.char_start)
    entries = result.read.entries
    # languages come from a helper thread a chunk ahead: lingua runs beside the date finder
    langs = detect_stream([f"{e.title}\n{e.text}" for e in entries])
    dated = _Dated([e for e in entries if e.published is not None])
    for entry, lang in zip(entries, langs, strict=True):
        if entry.published is None:
            near = dated.nearest(entry)
            stamp = view.stamp_before(entry.char_start)
            if near is None and stamp is not None:
                near = (stamp, "the post it was written in")  # the page's own stamp
            result.pending.append(_pending(view, entry, lang, near))
            continue
        if entry.kind == "mention":  # a timeline's entry: dated by its heading, no report
            result.records.extend(headed_records(view, entry, lang))
            continue
        report = report_record(view, entry)
        report["language"] = lang
        result.records.append(report)
        hits = scan(view, entry, ref=entry.published, lang=lang or None)
        result.records.extend(mention_records(view, report, hits, ref_inferred=False))
    return result


class _Dated:
    """The dated entries of a document, to find the one nearest an undated entry."""

    def __init__(self, dated: list[Entry]) -> None:
        self.dated = dated
        self.starts = [e.char_start for e in dated]
        self.ordered = all(a <= b for a, b in pairwise(self.starts))

    def nearest(self, entry: Entry) -> tuple[datetime, str] | None:
        """The dated entry nearest to entry, as (date, title); of two as near, the first.

        Readers list entries in document order, so a bisection finds it; min() is the
        definition, kept for any other order.
        """
        if not self.dated:
            return None
        at = entry.char_start
        if not self.ordered:
            near = min(self.dated, key=lambda e: abs(e.char_start - at))
            return near.published, near.title
        i = bisect.bisect_left(self.starts, at)
        if i == len(self.starts) or (i and at - self.starts[i - 1] <= self.starts[i] - at):
            i = bisect.bisect_left(self.starts, self.starts[i - 1])  # first of equal starts
        near = self.dated[i]
        return near.published, near.title


def _pending(
    doc: Document, entry: Entry, lang: str, neighbour: tuple[datetime, str] | None
) -> Pending:
    p = Pending(doc, entry, lang, neighbour=neighbour)  # keeps only the entry's window
    for hit in scan(doc, entry, ref=None, lang=lang or None):
        days = partial_month_days(hit.value)
        if days:
            sentence = sentence_around(doc.text, hit.char_start, hit.char_end)
            p.partials.extend((m, d, hit.evidence, sentence) for m, d in days)
        elif hit.start is not None and hit.precision in ("day", "hour", "minute"):
            p.explicit.append((hit.start, hit.evidence))
    return p


def document_events(res: DocResult) -> pd.DataFrame:
    """One document's events, enriched, before corpus-level steps (streamable)."""
    return event_frame(res.records)


def event_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """``tag_entities(from_records(records))``, built from column lists: actors and places
    are read from the records' own strings, not from the frame's Arrow-backed columns."""
    columns = {col: [r.get(col) for r in records] for col in COLUMNS}
    titles = ["" if t is None else t for t in columns["title"]]
    texts = ["" if t is None else t for t in columns["text"]]
    columns["actors"], columns["places"] = entities_of(titles, texts)
    return conform(pd.DataFrame(columns))


def inferred_records(
    pending: Iterable[Pending], summary: CorpusSummary, report: IngestReport | None = None
) -> list[dict[str, Any]]:
    """Reports and mentions of undated entries, dated from the corpus summary.

    Inferences (or why none was possible) go to ``report``.
    """
    records: list[dict[str, Any]] = []
    for p in pending:
        inference = infer_date(p, summary)
        if report is not None:
            report.add_inference(p, inference)
        if inference is None:
            continue
        entry = replace(p.entry, published=inference.when, precision="day",
                        evidence=inference.evidence, evidence_start=-1)
        doc = p.document()  # one document-sized string at a time, dropped after the entry
        rec = report_record(doc, entry)
        rec.update(language=p.language, year_inferred=True, confidence=inference.confidence)
        records.append(rec)
        hits = scan(doc, p.entry, ref=inference.when, lang=p.language or None)
        records.extend(mention_records(doc, rec, hits, ref_inferred=True))
    return records


def finish(events: pd.DataFrame, summary: CorpusSummary) -> pd.DataFrame:
    """Last corpus-level step on any slice of the table: background flags."""
    return flag_background(events, summary.focus())


def sort_events(events: pd.DataFrame) -> pd.DataFrame:
    """The table's canonical order: by time, then document position (stable across engines)."""
    return events.sort_values(
        ["start", "doc", "char_start", "kind"], kind="stable", ignore_index=True
    )


def finalize(results: Iterable[DocResult], report: IngestReport | None = None) -> pd.DataFrame:
    """Corpus-level step over per-document results held in memory: the final event table.

    Streaming engines do the same in pieces: ``summary.add`` and ``document_events`` per
    document, then ``inferred_records`` for the pending entries, then ``finish``, then
    ``assign_groups`` over the reports (groups span documents).
    """
    results = list(results)
    summary = CorpusSummary()
    frames = []
    for res in results:
        summary.add(res.records)
        frames.append(document_events(res))
    pending = [p for res in results for p in res.pending]
    extra = inferred_records(pending, summary, report)
    summary.add(extra)
    frames.append(event_frame(extra))
    frames = [f for f in frames if not f.empty] or [from_records([])]
    events = sort_events(assign_groups(finish(pd.concat(frames, ignore_index=True), summary)))
    if report is not None:
        report.count_events(events)
    return events


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
    results: list[DocResult] = []
    texts: dict[str, str] = {}
    segments = {}
    for res in iter_documents(paths, max_bytes):
        report.add(res)
        results.append(res)
        if res.document is not None and res.read is not None:
            texts[res.name] = res.document.text
            segments[res.name] = res.read.segments
    events = finalize(results, report)
    return Corpus(events=events, report=report.to_dict(), texts=texts, segments=segments)


__all__ = [
    "CorpusSummary", "DocResult", "document_events", "event_frame", "event_id", "finalize",
    "finish", "inferred_records", "iter_documents", "load_corpus", "process", "sort_events",
]
