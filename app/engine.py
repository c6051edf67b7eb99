"""Running the pipeline over a whole corpus: one process, or Dask across workers.

Both engines do the same thing, so their outputs are identical row for row:

1. per document (``run_batch``): load it, look it up in the cache by its content key, and
   otherwise run ``pipeline.process`` on it (and store the result in the cache). The Dask
   engine runs this on its workers, one batch of documents per task.
2. corpus level: ``pipeline.finalize`` turns all per-document results into the final event
   table (year inference, background flags, entity tags, stable sort order), which is then
   written in row groups (one file) or parts (a partitioned folder).

Per-document work is streamed (only one document's text is held at a time on a worker); the
corpus-level step holds the event table, not the texts. See docs/scale.md for the figures.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from app import pipeline
from app.corpus import Corpus
from app.ingest.base import Entry, ReadResult, Rejection, Segment
from app.ingest.loader import DEFAULT_MAX_BYTES, LoadError, Source, discover, load
from app.paths import CORPUS_DIR
from app.report import IngestReport
from app.schema import from_records
from app.store import (
    DocCache,
    EventWriter,
    PartitionedWriter,
    content_key,
    format_of,
    write_events,
)

ENGINES = ("local", "dask")
DEFAULT_CACHE = Path(".cache") / "timeline"
BATCH_BYTES = 4 * 1024 * 1024  # text per Dask task: enough to amortise the task overhead
ROWS_PER_GROUP = 50_000  # rows per Parquet row group / part
Progress = Callable[[int], None]  # called with the bytes just done


# --- the parser version: part of every cache key ------------------------------------------------

_APP = Path(__file__).resolve().parent
_PARSER_PARTS = ("ingest", "dates", "enrich", "pipeline.py", "infer.py", "mentions.py",
                 "schema.py", "segment.py")


def parser_version() -> str:
    """A digest of the parser's code and curated data: editing either makes the cache stale."""
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


# --- what one batch of documents gives back -----------------------------------------------------

@dataclass
class BatchOut:
    """What pass 1 made of some documents: picklable, without the documents' texts (unless
    ``keep_texts``), ready for ``pipeline.finalize``."""

    report: IngestReport = field(default_factory=IngestReport)
    results: list[pipeline.DocResult] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    segments: dict[str, list[Segment]] = field(default_factory=dict)
    parsed: int = 0
    cached: int = 0
    rebuilt: int = 0
    bytes: int = 0

    def merge(self, other: BatchOut) -> None:
        for name in ("documents", "rejections", "undated"):
            getattr(self.report, name).extend(getattr(other.report, name))
        self.results += other.results
        self.keys.update(other.keys)
        self.texts.update(other.texts)
        self.segments.update(other.segments)
        for name in ("parsed", "cached", "rebuilt", "bytes"):
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


def run_batch(sources: Iterable[Source], max_bytes: int, cache_dir: str | None, salt: str,
              *, keep_texts: bool = False, progress: Progress | None = None) -> BatchOut:
    """Pass 1 over some documents, in order: from the cache where it holds a sound entry."""
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
            records = events.to_dict(orient="records")
            res = pipeline.DocResult(doc.name, document=doc, read=read_from_json(extra["read"]),
                                     records=records)
            out.cached += 1
        else:
            res = pipeline.process(doc)
            out.parsed += 1
            if cache is not None and not getattr(res, "pending", None):
                # undated entries wait for the corpus-level step and hold document text:
                # such documents are parsed again each run rather than cached
                cache.put(key, from_records(res.records), {"read": read_to_json(res.read)})
        out.report.add(res)
        out.keys[doc.name] = key
        if keep_texts:
            out.texts[doc.name] = doc.text
            out.segments[doc.name] = res.read.segments
        # only what finalize needs travels on: records and pending entries, not the text
        stub = pipeline.DocResult(doc.name, records=res.records)
        if getattr(res, "pending", None):
            stub.pending = res.pending
        out.results.append(stub)
        if progress:
            progress(size)
    if cache is not None:
        out.rebuilt += len(cache.rebuilt)
    return out


def _size(src: Source) -> int:
    try:
        return src.path.stat().st_size
    except OSError:
        return 0


def finalize(state: BatchOut) -> pd.DataFrame:
    """The corpus-level step: ``pipeline.finalize`` when the pipeline has one."""
    step = getattr(pipeline, "finalize", None)
    if step is not None:
        return step(state.results, state.report)
    return from_records([r for res in state.results for r in res.records])


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


def plan(paths: Iterable[str | os.PathLike[str]] | None) -> tuple[list[Source], IngestReport]:
    """The documents to read, in the stable order, and a report holding the rejected paths."""
    sources, rejected = discover(paths or [CORPUS_DIR])
    report = IngestReport()
    for rej in rejected:
        report.add(pipeline.DocResult(rej.doc, error=rej.reason))
    return sources, report


def total_bytes(sources: Iterable[Source]) -> int:
    return sum(_size(s) for s in sources)


def _cache_args(cache_dir: str | os.PathLike[str] | None) -> tuple[str | None, str]:
    return (str(Path(cache_dir).resolve()) if cache_dir else None,
            parser_version() if cache_dir else "")


def _conclude(state: BatchOut, cache: str | None, out: Path, strict: bool,
              write: Callable[[pd.DataFrame], None]) -> RunResult:
    events = finalize(state)
    if cache:
        DocCache(cache).write_manifest(state.keys)
    written = not (strict and state.report.rejections)
    if written:
        write(events)
    return RunResult(state.report.to_dict(), len(events), state.parsed, state.cached,
                     state.rebuilt, state.bytes, written)


def _chunks(events: pd.DataFrame, rows: int = ROWS_PER_GROUP) -> list[pd.DataFrame]:
    return [events.iloc[i:i + rows] for i in range(0, max(len(events), 1), rows)]


def write_file(events: pd.DataFrame, out: Path) -> None:
    """One file; Parquet in row groups so that a reader can stream it back."""
    if format_of(out) == "parquet":
        with EventWriter(out) as writer:
            for chunk in _chunks(events):
                writer.write(chunk)
    else:
        write_events(events, out)


def write_partitioned(events: pd.DataFrame, out: Path) -> None:
    """A folder of parts in the same row order as ``write_file``; it appears when complete."""
    writer = PartitionedWriter(out)
    try:
        for i, chunk in enumerate(_chunks(events)):
            writer.write_part(i, chunk)
        writer.close()
    except BaseException:
        writer.abort()
        raise


# --- the single-process engine ------------------------------------------------------------------

def parse_local(paths: Iterable[str | os.PathLike[str]] | None, out: str | os.PathLike[str], *,
                max_bytes: int = DEFAULT_MAX_BYTES,
                cache_dir: str | os.PathLike[str] | None = None, strict: bool = False,
                partitioned: bool = False, progress: Progress | None = None,
                on_total: Callable[[int], None] | None = None) -> RunResult:
    """Parse every document in this process and write ``out`` (a file, or a folder of parts)."""
    sources, report = plan(paths)
    if on_total:
        on_total(total_bytes(sources))
    cache, salt = _cache_args(cache_dir)
    state = BatchOut(report=report)
    state.merge(run_batch(sources, max_bytes, cache, salt, progress=progress))
    out = Path(out)
    return _conclude(state, cache, out, strict, lambda ev: (
        write_partitioned(ev, out) if partitioned else write_file(ev, out)))


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
               batch_bytes: int = BATCH_BYTES) -> RunResult:
    """Run the per-document pass as Dask tasks; ``out`` becomes a partitioned Parquet folder.

    Without ``scheduler`` a LocalCluster is started (``workers`` processes, one thread each);
    with one, the workers must see the inputs and the cache folder under the same paths.
    """
    from dask.distributed import Client, LocalCluster, as_completed

    sources, report = plan(paths)
    if on_total:
        on_total(total_bytes(sources))
    cache, salt = _cache_args(cache_dir)
    n_workers = workers or os.cpu_count() or 1
    # at least a few tasks per worker, so that none sits idle while another finishes
    groups = batches(sources, max(1, min(batch_bytes, total_bytes(sources) // (4 * n_workers))))
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1,
                               processes=processes, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = [client.submit(run_batch, g, max_bytes, cache, salt, pure=False)
                   for g in groups]
        index = {f.key: i for i, f in enumerate(futures)}
        parts: list[BatchOut | None] = [None] * len(futures)
        for fut in as_completed(futures):
            i = index[fut.key]
            parts[i] = fut.result()
            if progress:
                progress(total_bytes(groups[i]))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    state = BatchOut(report=report)
    for part in parts:
        assert part is not None
        state.merge(part)
    out = Path(out)
    return _conclude(state, cache, out, strict, lambda ev: write_partitioned(ev, out))


# --- a whole corpus in memory, for serve and stats ----------------------------------------------

def load_corpus(paths: Iterable[str | os.PathLike[str]] | None = None, *,
                max_bytes: int = DEFAULT_MAX_BYTES,
                cache_dir: str | os.PathLike[str] | None = None,
                progress: Progress | None = None) -> Corpus:
    """Like ``pipeline.load_corpus`` (same events, same order) but starting from the cache."""
    sources, report = plan(paths)
    cache, salt = _cache_args(cache_dir)
    state = BatchOut(report=report)
    state.merge(run_batch(sources, max_bytes, cache, salt, keep_texts=True, progress=progress))
    events = finalize(state)
    if cache:
        DocCache(cache).write_manifest(state.keys)
    return Corpus(events=events, report=state.report.to_dict(), texts=state.texts,
                  segments=state.segments)


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


__all__ = ["DEFAULT_CACHE", "ENGINES", "BatchOut", "RunResult", "load_corpus", "parse_dask",
           "parse_local", "parser_version", "run_batch"]
