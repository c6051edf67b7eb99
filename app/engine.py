"""Running the pipeline over a whole corpus, streaming: one process, or Dask across workers.

Two passes keep memory flat however large the corpus (one document, one row group, the
corpus summary; never the whole table):

1. per document (``run_documents``): load it, look it up in the cache by its content key, or
   else run ``pipeline.process`` and ``pipeline.document_events`` on it (and cache the events,
   the reader's result and the pending entries). Its events go at once to a staging file (they
   are not final: background flags need the whole corpus's span), its pending (undated)
   entries to a spool file, and its dated events into a small ``CorpusSummary``. The Dask
   engine runs this on its workers, one batch of documents per task, each writing its own
   part and spool and returning its summary and report.
2. corpus level: the pending entries are dated from the (merged) summary with
   ``pipeline.inferred_records`` and written as one more slice; then every slice is read back
   one row group at a time, given its background flags by ``pipeline.finish`` and written to
   the output, which appears under its name only when complete. Duplicate groups span
   documents: each report's grouping evidence is filed by day in pass 1 (``Profiles``), and
   between the two reads ``group_marks`` takes it day by day in time order.

The rows equal ``pipeline.load_corpus``'s after ``pipeline.sort_events``. Files hold them in
document order (inferred reports last), each row group in the canonical order.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import hashlib
import os
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from app import pipeline
from app.corpus import Corpus
from app.enrich import groups as dup
from app.enrich.marks import MarkTable
from app.infer import CorpusSummary, Pending
from app.ingest.base import Document, Entry, ReadResult, Rejection, Segment
from app.ingest.loader import DEFAULT_MAX_BYTES, LoadError, Source, discover, load
from app.paths import CORPUS_DIR
from app.report import IngestReport
from app.schema import empty_events
from app.store import (
    BucketSpool,
    DocCache,
    EventWriter,
    PartitionedWriter,
    Spool,
    bucket_names,
    content_key,
    format_of,
    is_event_dataset,
    iter_frames,
    read_buckets,
    read_events,
    read_spool,
    write_part,
    write_stream,
)

ENGINES = ("local", "dask")
DEFAULT_CACHE = Path(".cache") / "timeline"
BATCH_BYTES = 4 * 1024 * 1024  # text per Dask task: enough to amortise the task overhead
ROWS_PER_GROUP = 10_000  # rows per Parquet row group / part: what one step holds in memory
INFERRED_ROWS = 5_000  # inferred events gathered before they are tagged and written
Progress = Callable[[int], None]  # called with the bytes just done
FrameSink = Callable[[pd.DataFrame], None]


# --- the parser version: part of every cache key ------------------------------------------------

_APP = Path(__file__).resolve().parent
_PARSER_PARTS = ("ingest", "dates", "enrich", "pipeline.py", "infer.py", "mentions.py",
                 "schema.py", "segment.py")


@functools.cache
def parser_version() -> str:
    """A digest of the parser's code and curated data: editing either makes the cache stale.

    Taken once per process: a run sees one parser, even while its files are being edited."""
    h = hashlib.sha256()
    files: list[Path] = []
    for part in _PARSER_PARTS:
        p = _APP / part
        files += sorted(p.rglob("*.py")) + sorted(p.rglob("*.yaml")) if p.is_dir() else [p]
    data = _APP.parent / "data"
    files += sorted(data.glob("*.csv")) + sorted(data.glob("*.yaml"))
    for f in files:
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


# --- pass 1: documents to staged events, pending entries and a summary ---------------------------

@dataclass
class BatchOut:
    """What pass 1 made of some documents: small and picklable (no texts, no events)."""

    report: IngestReport = field(default_factory=IngestReport)
    summary: CorpusSummary = field(default_factory=CorpusSummary)
    keys: dict[str, str] = field(default_factory=dict)
    parsed: int = 0
    cached: int = 0
    rebuilt: int = 0
    bytes: int = 0
    rows: int = 0
    pending: int = 0

    def merge(self, other: BatchOut) -> None:
        """Append a later batch (in document order)."""
        for name in ("documents", "rejections", "undated", "inferred"):
            getattr(self.report, name).extend(getattr(other.report, name))
        self.summary = self.summary.merge(other.summary)
        self.keys.update(other.keys)
        for name in ("parsed", "cached", "rebuilt", "bytes", "rows", "pending"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def read_to_json(read: ReadResult) -> dict[str, Any]:
    out = asdict(read)
    for e in out["entries"]:
        e["published"] = e["published"].isoformat() if e["published"] else None
    return out


def read_from_json(data: dict[str, Any]) -> ReadResult:
    entries = [Entry(**{**e, "published": datetime.fromisoformat(e["published"])
                        if e["published"] else None}) for e in data["entries"]]
    return ReadResult(data["reader"], entries,
                      [Rejection(**r) for r in data["rejections"]],
                      [Segment(**s) for s in data["segments"]])


def run_documents(sources: Iterable[Source], max_bytes: int, cache_dir: str | None, salt: str,
                  emit: FrameSink, emit_pending: Callable[[dict[str, Any]], None], *,
                  on_document: Callable[[Document, ReadResult], None] | None = None,
                  progress: Progress | None = None) -> BatchOut:
    """Pass 1 over some documents, in order, from the cache where it holds a sound entry.

    Each document's events go to ``emit`` and its pending entries (as ``Pending.to_dict``)
    to ``emit_pending`` as soon as it is done; nothing of it is kept here.
    """
    out = BatchOut()
    cache = DocCache(cache_dir) if cache_dir else None
    for src in sources:
        size = _size(src)
        out.bytes += size
        try:
            doc = load(src, max_bytes=max_bytes)
        except LoadError as exc:
            out.report.add(pipeline.DocResult(src.name, error=str(exc)))
            if progress:
                progress(size)
            continue
        key = content_key(doc.name, doc.text, salt)
        hit = cache.get(key) if cache else None
        if hit is not None:
            events, extra = hit
            read, pending = read_from_json(extra["read"]), extra["pending"]
            # the report counts kinds only; the final counts come from pass 2
            kinds = [{"kind": k} for k in events["kind"].astype(str)]
            res = pipeline.DocResult(doc.name, document=doc, read=read, records=kinds)
            out.cached += 1
        else:
            res = pipeline.process(doc)
            events = pipeline.document_events(res)
            pending = [p.to_dict() for p in res.pending]
            out.parsed += 1
            if cache is not None:
                cache.put(key, events, {"read": read_to_json(res.read), "pending": pending})
        assert res.read is not None
        out.report.add(res)
        out.summary.add_frame(events)
        emit(events)
        out.rows += len(events)
        for p in pending:
            emit_pending(p)
        out.pending += len(pending)
        out.keys[doc.name] = key
        if on_document:
            on_document(doc, res.read)
        del res, events, pending  # the next document should not share the peak with this one
        if progress:
            progress(size)
    if cache is not None:
        out.rebuilt += len(cache.rebuilt)
    return out


class _RowGroups:
    """Event frames gathered into groups of about ``rows`` rows, each handed to ``write``."""

    def __init__(self, write: FrameSink, rows: int = ROWS_PER_GROUP) -> None:
        self._write = write
        self._rows = rows
        self._frames: list[pd.DataFrame] = []
        self._n = 0

    def add(self, df: pd.DataFrame) -> None:
        if df.empty:
            return
        self._frames.append(df)
        self._n += len(df)
        if self._n >= self._rows:
            self.flush()

    def flush(self) -> None:
        if self._frames:
            self._write(pd.concat(self._frames, ignore_index=True))
        self._frames, self._n = [], 0


class Profiles:
    """Each report's grouping evidence, filed by day for the grouping pass (``group_marks``):
    computed where the events are made (on the workers, for Dask), so that pass only reads."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.spool = BucketSpool(folder)

    def add(self, events: pd.DataFrame) -> None:
        keep = (events["kind"].astype(str) == "report") & events["start"].notna()
        if keep.any():
            for item in dup.keyed_profiles(events[keep]):
                self.spool.append(item[0][0].value // dup.DAY_NS, dup.item_to_json(item))


def _tee(*sinks: FrameSink) -> FrameSink:
    def emit(frame: pd.DataFrame) -> None:
        for sink in sinks:
            sink(frame)
    return emit


def run_batch(sources: list[Source], max_bytes: int, cache_dir: str | None, salt: str,
              part: str, spool: str, profiles: str,
              rows_per_group: int = ROWS_PER_GROUP) -> BatchOut:
    """A Dask task: pass 1 over a batch, its events written to the Parquet file ``part`` (row
    groups), its pending entries to the spool file ``spool`` and its reports' grouping
    evidence to the folder ``profiles``; all appear atomically."""
    pending = Spool(spool)
    evidence = Profiles(profiles)
    try:
        with EventWriter(part) as writer:
            groups = _RowGroups(writer.write, rows_per_group)
            out = run_documents(sources, max_bytes, cache_dir, salt,
                                _tee(groups.add, evidence.add), pending.append)
            groups.flush()
        pending.close()
        evidence.spool.close()
    except BaseException:
        pending.remove()
        evidence.spool.remove()
        raise
    return out


# --- pass 2: dating pending entries, background flags -------------------------------------------

def infer_pending(pending: Iterable[dict[str, Any]], summary: CorpusSummary,
                  report: IngestReport, emit: FrameSink,
                  rows: int = INFERRED_ROWS) -> CorpusSummary:
    """Date spooled pending entries from the summary; their events go to ``emit`` in frames of
    about ``rows`` rows. Returns the summary with the inferred reports' span added, which is
    what ``finish`` needs (one Pending at a time: a long document's head is rebuilt as blanks).
    """
    added = CorpusSummary()
    records: list[dict[str, Any]] = []

    def flush() -> None:
        if records:
            # the same enrichment as any document's events
            emit(pipeline.document_events(pipeline.DocResult("", records=records)))
            records.clear()

    for data in pending:
        more = pipeline.inferred_records([Pending.from_dict(data)], summary, report)
        added.add(more)
        records.extend(more)
        if len(records) >= rows:
            flush()
    flush()
    return summary.merge(added)


@dataclass
class Tally:
    """Per-document counts of the final rows, for the ingest report (streamed, not a table)."""

    by_kind: Counter[tuple[str, str]] = field(default_factory=Counter)
    background: Counter[str] = field(default_factory=Counter)
    rows: int = 0

    def add(self, events: pd.DataFrame) -> None:
        if events.empty:
            return
        kinds = events.groupby(["doc", events["kind"].astype(str)], observed=True).size()
        self.by_kind.update({k: int(v) for k, v in kinds.items()})
        bg = events.groupby("doc")["background"].sum()
        self.background.update({k: int(v) for k, v in bg.items()})
        self.rows += len(events)

    def merge(self, other: Tally) -> None:
        self.by_kind.update(other.by_kind)
        self.background.update(other.background)
        self.rows += other.rows

    def apply(self, report: IngestReport) -> None:
        """What ``IngestReport.count_events`` does over the whole table."""
        undated = Counter(u["doc"] for u in report.undated)
        for d in report.documents:
            if d["status"] == "read":
                d["reports"] = self.by_kind[(d["doc"], "report")]
                d["mentions"] = self.by_kind[(d["doc"], "mention")]
                d["undated"] = undated[d["doc"]]
                d["background"] = self.background[d["doc"]]


def span_of(summary: CorpusSummary) -> CorpusSummary:
    """All of the summary that ``pipeline.finish`` reads: cheap to send to workers."""
    return CorpusSummary(first=summary.first, last=summary.last)


def group_marks(folders: Iterable[str | os.PathLike[str]],
                days: Iterable[int] | None = None) -> MarkTable:
    """Duplicate groups and disputes over every report (of ``days``, when given), from the
    evidence ``Profiles`` filed.

    Days are read in order and each day's reports sorted, so the reports reach the same
    ``groups.GroupStream`` as the in-memory path in the same canonical order; it holds only
    the reports of its open window, and the marks go to a compact table.
    """
    stream = dup.GroupStream()

    def marks() -> Iterator[dup.Mark]:
        for _, values in read_buckets(folders, days):
            for item in sorted((dup.item_from_json(v) for v in values), key=lambda t: t[0]):
                yield from stream.add(item)
        yield from stream.close()

    return MarkTable.build(marks())


def release_memory() -> None:
    """Hand the heap that grouping's window left free back to the system (glibc keeps freed
    small blocks for reuse; after the densest days that is a few hundred MiB a streaming run
    would carry to its end). Elsewhere a no-op."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL(None).malloc_trim(0)


def grouping_periods(folders: Iterable[str | os.PathLike[str]]) -> list[list[int]]:
    """The days of the filed evidence, split into the grouping periods (``groups.epoch_of``):
    each can be grouped on its own, in parallel."""
    periods: dict[int, list[int]] = {}
    for day in bucket_names(folders):
        periods.setdefault(dup.epoch_of(day), []).append(day)
    return list(periods.values())


def _apply_marks(events: pd.DataFrame, marks: MarkTable) -> pd.DataFrame:
    out = events.copy()
    groups, disputed = marks.lookup(out["event_id"])
    out["group_id"] = pd.Series(groups, index=out.index, dtype="str")
    out["disputed"] = pd.Series(disputed, index=out.index, dtype="bool")
    return out


def finished(frames: Iterable[pd.DataFrame], span: CorpusSummary, marks: MarkTable,
             tally: Tally) -> Iterator[pd.DataFrame]:
    """Frames with their background flags and groups, each in the canonical order, counted
    on the way."""
    for frame in frames:
        done = pipeline.sort_events(_apply_marks(pipeline.finish(frame, span), marks))
        tally.add(done)
        yield done


def finish_part(path: str, span: CorpusSummary, marks: MarkTable) -> Tally:
    """Pass 2 over one Parquet file, row group by row group, rewritten in place atomically
    (a Dask task, or a local step)."""
    tally = Tally()
    with EventWriter(path) as writer:
        for frame in finished(iter_frames(path), span, marks, tally):
            writer.write(frame)
    return tally


# --- results ------------------------------------------------------------------------------------

@dataclass
class RunResult:
    """What a parse run did: the ingest report, rows written, documents parsed or cached."""

    report: dict[str, Any]
    rows: int
    parsed: int
    cached: int
    rebuilt: int
    bytes: int
    written: bool
    pending: int = 0


def plan(paths: Iterable[str | os.PathLike[str]] | None) -> tuple[list[Source], IngestReport]:
    """The documents to read, in the stable order, and a report holding the rejected paths."""
    sources, rejected = discover(paths or [CORPUS_DIR])
    report = IngestReport()
    for rej in rejected:
        report.add(pipeline.DocResult(rej.doc, error=rej.reason))
    return sources, report


def _size(src: Source) -> int:
    try:
        return src.path.stat().st_size
    except OSError:
        return 0


def total_bytes(sources: Iterable[Source]) -> int:
    return sum(_size(s) for s in sources)


def _cache_args(cache_dir: str | os.PathLike[str] | None) -> tuple[str | None, str]:
    return (str(Path(cache_dir).resolve()) if cache_dir else None,
            parser_version() if cache_dir else "")


def _publish(writer, refused: bool) -> bool:
    """Move a partitioned output into place, or drop it when --strict refuses it."""
    if refused:
        writer.abort()
        return False
    writer.close()
    return True


def _result(state: BatchOut, tally: Tally, cache: str | None, written: bool) -> RunResult:
    tally.apply(state.report)
    if cache:
        DocCache(cache).write_manifest(state.keys)
    return RunResult(state.report.to_dict(), tally.rows, state.parsed, state.cached,
                     state.rebuilt, state.bytes, written, state.pending)


class _Parts:
    """Frames written as numbered parts of about ``rows`` rows into a staging folder."""

    def __init__(self, writer: PartitionedWriter, first: int, rows: int) -> None:
        self.writer = writer
        self.next = first
        self.paths: list[str] = []
        self.groups = _RowGroups(self._write, rows)

    def _write(self, df: pd.DataFrame) -> None:
        path = self.writer.part_path(self.next)
        write_part(path, df)
        self.paths.append(str(path))
        self.next += 1


# --- the single-process engine ------------------------------------------------------------------

def parse_local(paths: Iterable[str | os.PathLike[str]] | None, out: str | os.PathLike[str], *,
                max_bytes: int = DEFAULT_MAX_BYTES,
                cache_dir: str | os.PathLike[str] | None = None, strict: bool = False,
                partitioned: bool = False, progress: Progress | None = None,
                on_total: Callable[[int], None] | None = None,
                rows_per_group: int = ROWS_PER_GROUP) -> RunResult:
    """Parse every document in this process and write ``out`` (a file, or a folder of parts)
    in two streaming passes; nothing appears under ``out`` until the run is complete."""
    sources, report = plan(paths)
    if on_total:
        on_total(total_bytes(sources))
    cache, salt = _cache_args(cache_dir)
    out = Path(out)
    if partitioned:
        return _local_parts(sources, report, out, max_bytes, cache, salt, strict, progress,
                            rows_per_group)
    format_of(out)
    stage = out.with_name(f".{out.name}.{os.getpid()}.stage.parquet")
    spool = Spool(out.with_name(f".{out.name}.{os.getpid()}.pending.jsonl"))
    evidence = Profiles(out.with_name(f".{out.name}.{os.getpid()}.profiles"))
    try:
        with EventWriter(stage) as writer:
            groups = _RowGroups(writer.write, rows_per_group)
            emit = _tee(groups.add, evidence.add)
            state = run_documents(sources, max_bytes, cache, salt, emit, spool.append,
                                  progress=progress)
            state.report = _prepend(report, state.report)
            state.report.spool_items()
            span = span_of(infer_pending(spool, state.summary, state.report, emit,
                                         rows_per_group))
            groups.flush()
        evidence.spool.close()
        spool.remove()
        marks = group_marks([evidence.spool.folder])
        evidence.spool.remove()
        release_memory()
        tally = Tally()
        written = not (strict and state.report.rejections)
        if written:
            frames = finished(iter_frames(stage), span, marks, tally)
            write_stream(_at_least_one(frames), out)
        else:
            for frame in finished(iter_frames(stage), span, marks, tally):
                del frame
    finally:
        stage.unlink(missing_ok=True)
        spool.remove()
        evidence.spool.remove()
    return _result(state, tally, cache, written)


def _local_parts(sources: list[Source], report: IngestReport, out: Path, max_bytes: int,
                 cache: str | None, salt: str, strict: bool, progress: Progress | None,
                 rows: int) -> RunResult:
    writer = PartitionedWriter(out)
    spool = Spool(writer.staging / "pending.jsonl")
    evidence = Profiles(writer.staging / "profiles")
    try:
        parts = _Parts(writer, 0, rows)
        emit = _tee(parts.groups.add, evidence.add)
        state = run_documents(sources, max_bytes, cache, salt, emit, spool.append,
                              progress=progress)
        state.report = _prepend(report, state.report)
        state.report.spool_items()
        span = span_of(infer_pending(spool, state.summary, state.report, emit, rows))
        parts.groups.flush()
        spool.remove()
        evidence.spool.close()
        marks = group_marks([evidence.spool.folder])
        evidence.spool.remove()
        release_memory()
        tally = Tally()
        for path in parts.paths:
            tally.merge(finish_part(path, span, marks))
        written = _publish(writer, strict and bool(state.report.rejections))
    except BaseException:
        spool.remove()
        evidence.spool.remove()
        writer.abort()
        raise
    return _result(state, tally, cache, written)


def _prepend(first: IngestReport, then: IngestReport) -> IngestReport:
    """Rejected paths (found while planning) come first in the report, as in the pipeline."""
    merged = BatchOut(report=first)
    merged.merge(BatchOut(report=then))
    return merged.report


def _at_least_one(frames: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """The frames, or one empty frame: an empty corpus still gets a file with the schema."""
    empty = True
    for f in frames:
        empty = False
        yield f
    if empty:
        yield empty_events()


# --- the Dask engine ----------------------------------------------------------------------------

def batches(sources: list[Source], limit: int = BATCH_BYTES) -> list[list[Source]]:
    """Consecutive runs of documents of about ``limit`` bytes: order is kept across batches."""
    out: list[list[Source]] = []
    size = limit
    for src in sources:
        if size >= limit:
            out.append([])
            size = 0
        out[-1].append(src)
        size += _size(src)
    return out


def parse_dask(paths: Iterable[str | os.PathLike[str]] | None, out: str | os.PathLike[str], *,
               scheduler: str | None = None, workers: int | None = None,
               processes: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
               cache_dir: str | os.PathLike[str] | None = None, strict: bool = False,
               progress: Progress | None = None, on_total: Callable[[int], None] | None = None,
               batch_bytes: int = BATCH_BYTES,
               rows_per_group: int = ROWS_PER_GROUP) -> RunResult:
    """Both passes as Dask tasks; ``out`` becomes a partitioned Parquet folder.

    Each pass-1 task parses a batch of documents and writes its part, pending spool and
    reports' grouping evidence into the output's staging folder; the driver merges the
    summaries in document order and dates the pending entries (one more part); duplicate
    groups are found as one task per grouping period, and the background pass as one task
    per part.
    Without ``scheduler`` a LocalCluster is started (``workers`` processes, one thread each);
    with one, the workers must see the inputs, the cache and the output folder under the
    same paths (a shared file system).
    """
    from dask.distributed import Client, LocalCluster, as_completed

    sources, report = plan(paths)
    if on_total:
        on_total(total_bytes(sources))
    cache, salt = _cache_args(cache_dir)
    n_workers = workers or os.cpu_count() or 1
    # at least a few tasks per worker, so that none sits idle while another finishes
    groups = batches(sources, max(1, min(batch_bytes, total_bytes(sources) // (4 * n_workers))))
    writer = PartitionedWriter(Path(out))
    spools = [str(writer.staging / f"pending-{i:06d}.jsonl") for i in range(len(groups))]
    evidence = [str(writer.staging / f"profiles-{i:06d}") for i in range(len(groups))]
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1,
                                   processes=processes, dashboard_address=None)
            client = Client(cluster)
        try:
            state = BatchOut(report=report)
            futures = [client.submit(run_batch, g, max_bytes, cache, salt,
                                     str(writer.part_path(i)), spools[i], evidence[i],
                                     rows_per_group, pure=False)
                       for i, g in enumerate(groups)]
            index = {f.key: i for i, f in enumerate(futures)}
            done: dict[int, BatchOut] = {}
            upto = 0
            for fut in as_completed(futures):
                i = index[fut.key]
                done[i] = fut.result()
                fut.release()
                if progress:
                    progress(total_bytes(groups[i]))
                while upto in done:  # merge in document order, holding only what is early
                    state.merge(done.pop(upto))
                    upto += 1
            state.report.spool_items()
            extra = _Parts(writer, len(groups), rows_per_group)
            inferred = Profiles(writer.staging / "profiles-inferred")
            pending = (p for path in spools for p in read_spool(path))
            span = span_of(infer_pending(pending, state.summary, state.report,
                                         _tee(extra.groups.add, inferred.add),
                                         rows_per_group))
            extra.groups.flush()
            inferred.spool.close()
            for path in spools:
                Path(path).unlink(missing_ok=True)
            parts = [str(writer.part_path(i)) for i in range(len(groups))] + extra.paths
            folders = [*evidence, str(inferred.spool.folder)]
            # grouping periods are independent: a task each, their marks joined here
            marks = MarkTable.concat(client.gather(client.map(
                functools.partial(group_marks, folders), grouping_periods(folders),
                pure=False)))
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)
            # in a list: a dict given to scatter becomes one future per key
            [shared] = client.scatter([marks], broadcast=True)
            tally = Tally()
            for t in client.gather(client.map(finish_part, parts, span=span, marks=shared,
                                              pure=False)):
                tally.merge(t)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        written = _publish(writer, strict and bool(state.report.rejections))
    except BaseException:
        writer.abort()
        raise
    return _result(state, tally, cache, written)


# --- a whole corpus in memory, for serve and stats ----------------------------------------------

def load_corpus(paths: Iterable[str | os.PathLike[str]] | None = None, *,
                max_bytes: int = DEFAULT_MAX_BYTES,
                cache_dir: str | os.PathLike[str] | None = None,
                progress: Progress | None = None) -> Corpus:
    """Like ``pipeline.load_corpus`` (same events, same order) but starting from the cache.

    The explorer holds the table and the texts anyway, so this keeps them in memory."""
    sources, report = plan(paths)
    cache, salt = _cache_args(cache_dir)
    frames: list[pd.DataFrame] = []
    pending: list[dict[str, Any]] = []
    texts: dict[str, str] = {}
    segments: dict[str, list[Segment]] = {}

    def keep(doc: Document, read: ReadResult) -> None:
        texts[doc.name] = doc.text
        segments[doc.name] = read.segments

    state = run_documents(sources, max_bytes, cache, salt, frames.append, pending.append,
                          on_document=keep, progress=progress)
    state.report = _prepend(report, state.report)
    span = span_of(infer_pending(pending, state.summary, state.report, frames.append))
    frames = [f for f in frames if not f.empty] or [empty_events()]
    events = pd.concat(frames, ignore_index=True)
    events = pipeline.sort_events(dup.assign_groups(pipeline.finish(events, span)))
    state.report.count_events(events)
    if cache:
        DocCache(cache).write_manifest(state.keys)
    return Corpus(events=events, report=state.report.to_dict(), texts=texts, segments=segments)


def open_corpus(paths: list[str | os.PathLike[str]] | None, max_bytes: int,
                cache_dir: str | os.PathLike[str] | None = None,
                progress: Progress | None = None) -> Corpus:
    """The corpus to explore: an event table written by parse (a .parquet file or partitioned
    folder) is read as it is; documents are parsed through the cache.

    A table brings no document text: its documents and ingest report are read again from the
    paths given after it, or from the bundled corpus when that holds every document the
    table names (what ``timeline parse`` without paths read)."""
    if paths and is_event_dataset(paths[0]):
        # parse output is in document order (streamed); the explorer wants time order
        events = pipeline.sort_events(read_events(paths[0]))
        sources = list(paths[1:])
        if not sources and _bundled_holds(events):
            sources = [CORPUS_DIR]
        if not sources:
            return Corpus(events=events)
        docs = load_corpus(sources, max_bytes=max_bytes, cache_dir=cache_dir,
                           progress=progress)
        return Corpus(events=events, report=docs.report, texts=docs.texts,
                      segments=docs.segments)
    return load_corpus(paths or None, max_bytes=max_bytes, cache_dir=cache_dir,
                       progress=progress)


def _bundled_holds(events: pd.DataFrame) -> bool:
    names = {str(v) for v in events["doc"].unique() if str(v)}
    return bool(names) and names <= {p.name for p in CORPUS_DIR.iterdir() if p.is_file()}


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


__all__ = ["DEFAULT_CACHE", "ENGINES", "BatchOut", "RunResult", "Tally", "finish_part",
           "infer_pending", "load_corpus", "open_corpus", "parse_dask", "parse_local",
           "parser_version", "release_memory", "run_batch", "run_documents"]

