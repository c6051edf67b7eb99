"""Writing and reading event tables: Parquet, CSV, JSON. The only module that touches Parquet.

Every write goes to a temporary file in the target folder and is renamed into place, so a
killed process never leaves a half-written file under the real name. Three Parquet shapes:

- one file (``write_events``, or ``EventWriter`` appending one row group per document so that
  memory stays flat however large the corpus);
- a partitioned folder of ``part-NNNNNN.parquet`` files (``PartitionedWriter``), as the Dask
  engine writes it; it becomes visible under its real name only once complete;
- the per-document cache (``DocCache``): one Parquet file per document key plus a JSON sidecar
  holding a checksum, the row count and the format version, so a corrupt or stale entry is
  detected and rebuilt rather than trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from app.export import restore, to_spreadsheet_csv
from app.schema import COLUMNS, LIST_COLUMNS, STR_COLUMNS, conform

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".json": "json"}
LIST_SEP = "|"  # how list columns (actors, places) are joined in CSV
CSV_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


class StoreError(ValueError):
    """A file that cannot be read or written as an event table."""


def format_of(path: str | os.PathLike[str]) -> str:
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise StoreError(f"{path}: unknown output format {ext!r} (use .parquet, .csv or .json)")
    return FORMATS[ext]


@contextmanager
def atomic_write(path: str | os.PathLike[str]):
    """Yield a binary file handle; the file appears at path only if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def to_json_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Records with times in ISO 8601 (None for missing) and lists kept as lists."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = [t.isoformat() if pd.notna(t) else None for t in out[col]]
        elif isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(object)
    records = out.to_dict(orient="records")
    for rec in records:
        for col in LIST_COLUMNS:
            if col in rec:
                rec[col] = list(rec[col])
    return records


def to_csv_text(df: pd.DataFrame, bom: bool = True) -> bytes:
    """CSV for a spreadsheet: formula-like cells made inert, fields quoted (``app.export``)."""
    return to_spreadsheet_csv(df, LIST_SEP, CSV_DATE_FORMAT, bom=bom).encode("utf-8")


def write_events(df: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    fmt = format_of(path)
    writers: dict[str, Callable[[BinaryIO], None]] = {
        "parquet": lambda fh: pq.write_table(pa.Table.from_pandas(df, preserve_index=False), fh),
        "csv": lambda fh: fh.write(to_csv_text(df)),
        "json": lambda fh: fh.write(
            json.dumps(to_json_records(df), ensure_ascii=False, indent=1).encode("utf-8")
        ),
    }
    with atomic_write(path) as fh:
        writers[fmt](fh)


def read_events(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read an event table written by write_events, EventWriter or PartitionedWriter (a folder
    of parts), conformed to the schema."""
    if is_event_dataset(path) and Path(path).is_dir():
        parts = dataset_parts(path)
        tables = [_read_table(p) for p in parts]
        return conform(_to_pandas(pa.concat_tables(tables)) if tables else pd.DataFrame())
    fmt = format_of(path)
    try:
        if fmt == "parquet":
            df = _to_pandas(_read_table(path))
        elif fmt == "csv":
            df = pd.read_csv(path, keep_default_na=False, dtype=str, encoding="utf-8-sig")
            df = df.map(restore)  # the text as written, not as guarded for spreadsheets
            for col in LIST_COLUMNS:
                if col in df.columns:
                    df[col] = [v.split(LIST_SEP) if v else [] for v in df[col]]
            for col in ("char_start", "char_end"):
                df[col] = pd.to_numeric(df[col])
            for col in ("year_inferred", "background", "disputed"):
                if col in df.columns:
                    df[col] = df[col].str.lower().eq("true")
            df["confidence"] = pd.to_numeric(df["confidence"])
            for col in ("start", "end", "reported_at"):
                df[col] = pd.to_datetime(df[col].replace("", None), format="ISO8601")
        else:
            df = pd.DataFrame.from_records(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise StoreError(f"{path}: cannot read event table: {exc}") from exc
    return conform(df)


def write_json(obj: Any, path: str | os.PathLike[str]) -> None:
    """``obj`` as indented JSON, written a piece at a time: a list held on disk
    (``ItemLog``) is streamed into the file, never built in memory."""
    with atomic_write(path) as fh:
        for chunk in json_chunks(obj):
            fh.write(chunk.encode("utf-8"))


def json_chunks(obj: Any, level: int = 0) -> Iterator[str]:
    """The text ``json.dumps(obj, indent=1)`` gives, in pieces, with any iterable that is not
    a string or a mapping written as an array (so ``ItemLog`` needs no list)."""
    inner, outer = "\n" + " " * (level + 1), "\n" + " " * level
    if isinstance(obj, dict):
        opening, closing = "{", "}"
        pieces: Iterable[tuple[str, Any]] = (
            (json.dumps(k if isinstance(k, str) else str(k), ensure_ascii=False) + ": ", v)
            for k, v in obj.items())
    elif isinstance(obj, Iterable) and not isinstance(obj, (str, bytes, bytearray)):
        opening, closing = "[", "]"
        pieces = (("", v) for v in obj)
    else:
        yield json.dumps(obj, ensure_ascii=False, default=str)
        return
    empty = True
    for key, value in pieces:
        yield (opening + inner if empty else "," + inner) + key
        yield from json_chunks(value, level + 1)
        empty = False
    yield opening + closing if empty else outer + closing


class ItemLog:
    """A list of JSON-able items (the ingest report's undated and inferred entries) that
    keeps its first ``limit`` items in memory and the rest on disk, in an anonymous
    temporary file, one JSON line each: a large corpus lists hundreds of thousands of them,
    and they are only ever appended, counted and read through in order.

    Items read back are what JSON gives (tuples become lists). Pickled, it travels as a list.
    """

    LIMIT = 1000

    def __init__(self, items: Iterable[Any] = (), limit: int | None = None) -> None:
        self.limit = self.LIMIT if limit is None else limit
        self._head: list[Any] = []
        self._file: Any = None
        self._count = 0
        self.extend(items)

    def append(self, item: Any) -> None:
        if self._file is None and len(self._head) < self.limit:
            self._head.append(item)
        else:
            if self._file is None:
                # lives as long as the log (closed and gone with it): no context manager
                self._file = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115
            self._file.write(json.dumps(item, ensure_ascii=False, default=str).encode("utf-8")
                             + b"\n")
        self._count += 1

    def extend(self, items: Iterable[Any]) -> None:
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Any]:
        yield from self._head[:]
        if self._file is None:
            return
        self._file.flush()
        # positional reads: the file's own offset stays at its end for later appends
        fd, pos, end, rest = self._file.fileno(), 0, os.fstat(self._file.fileno()).st_size, b""
        while pos < end:
            chunk = os.pread(fd, min(1 << 20, end - pos), pos)
            if not chunk:
                break
            pos += len(chunk)
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            for line in lines:
                yield json.loads(line)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (ItemLog, list)) or len(self) != len(other):
            return NotImplemented if not isinstance(other, (ItemLog, list)) else False
        return all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ItemLog({len(self)} items, {len(self._head)} in memory)"

    def __getstate__(self) -> dict[str, Any]:
        return {"items": list(self), "limit": self.limit}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["items"], state["limit"])  # type: ignore[misc]


# --- Parquet with a fixed schema ---------------------------------------------------------------

# Bump when the stored layout or the meaning of a column changes: older cache entries are stale.
FORMAT_VERSION = 2
PART_GLOB = "part-*.parquet"
DATASET_MARKER = "_dataset.json"


def arrow_schema() -> pa.Schema:
    """The on-disk event schema. Categories are stored as plain strings so that row groups and
    partitions written separately always share one schema; ``conform`` restores the dtypes."""
    fields = []
    for col, dtype in COLUMNS.items():
        if col in STR_COLUMNS or col in ("kind", "precision"):
            typ = pa.large_string()
        elif col in LIST_COLUMNS:
            typ = pa.list_(pa.large_string())
        elif str(dtype) == "bool":
            typ = pa.bool_()
        elif str(dtype).startswith("datetime64"):
            typ = pa.timestamp("ns")
        elif col in ("char_start", "char_end"):
            typ = pa.int64()
        else:
            typ = pa.float64()
        fields.append(pa.field(col, typ))
    return pa.schema(fields)


SCHEMA = arrow_schema()


def to_table(df: pd.DataFrame) -> pa.Table:
    """An event frame as an Arrow table in the fixed schema."""
    df = conform(df)
    arrays = []
    for fld in SCHEMA:
        col = df[fld.name]
        if fld.name in LIST_COLUMNS:
            arrays.append(pa.array([list(v) for v in col], type=fld.type))
        elif fld.name in ("kind", "precision"):
            arrays.append(pa.array(col.astype(object).where(col.notna(), None), type=fld.type))
        elif pa.types.is_timestamp(fld.type):
            arrays.append(pa.array(col.to_numpy(dtype="datetime64[ns]"), type=fld.type))
        elif pa.types.is_large_string(fld.type):
            arrays.append(pa.array(col.astype(object).tolist(), type=fld.type))
        else:
            arrays.append(pa.array(col.to_numpy(), type=fld.type))
    return pa.Table.from_arrays(arrays, schema=SCHEMA)


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas()


def _read_table(path: str | os.PathLike[str]) -> pa.Table:
    return pq.read_table(path)


def events_to_bytes(df: pd.DataFrame) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(to_table(df), sink)
    return sink.getvalue().to_pybytes()


class EventWriter:
    """Append event frames to one Parquet file, one row group per call; flat memory.

    The file is written under a temporary name and renamed into place by ``close``; ``abort``
    (or an exception inside a ``with`` block) removes it, so a reader never sees a partial file.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                   dir=self.path.parent)
        os.close(fd)
        self._tmp = Path(tmp)
        self._writer: pq.ParquetWriter | None = pq.ParquetWriter(str(self._tmp), SCHEMA)
        self.rows = 0

    def write(self, df: pd.DataFrame) -> None:
        if self._writer is None:
            raise StoreError(f"{self.path}: writer already closed")
        if len(df):
            self._writer.write_table(to_table(df))
            self.rows += len(df)

    def close(self) -> None:
        if self._writer is None:
            return
        self._writer.close()
        self._writer = None
        with open(self._tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> EventWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class PartitionedWriter:
    """Write a folder of ``part-NNNNNN.parquet`` files, visible under its name only when done.

    Parts go to a hidden sibling folder (``staging``), which workers on other machines may
    write into directly when it is on a shared file system; ``close`` writes a marker listing
    the parts and renames the folder into place, replacing an older dataset of the same name.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                             dir=self.path.parent))

    def part_path(self, index: int) -> Path:
        return self.staging / f"part-{index:06d}.parquet"

    def write_part(self, index: int, df: pd.DataFrame) -> int:
        return write_part(self.part_path(index), df)

    def close(self) -> None:
        parts = sorted(p.name for p in self.staging.glob(PART_GLOB))
        rows = sum(pq.ParquetFile(self.staging / p).metadata.num_rows for p in parts)
        marker = {"format_version": FORMAT_VERSION, "parts": parts, "rows": rows}
        write_json(marker, self.staging / DATASET_MARKER)
        if self.path.is_dir():
            old = self.path.with_name(f".{self.path.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(self.path, old)
            os.replace(self.staging, self.path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            if self.path.exists():
                self.path.unlink()
            os.replace(self.staging, self.path)

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def write_part(path: str | os.PathLike[str], df: pd.DataFrame) -> int:
    """Write one partition atomically (always, even when empty, so part numbers stay dense)."""
    data = events_to_bytes(df)
    with atomic_write(path) as fh:
        fh.write(data)
    return len(df)


def is_event_dataset(path: str | os.PathLike[str]) -> bool:
    """True for a Parquet file or a complete partitioned folder: input for serve and stats."""
    p = Path(path)
    if p.is_dir():
        return (p / DATASET_MARKER).is_file()
    return p.is_file() and p.suffix.lower() in (".parquet", ".pq")


def dataset_parts(path: str | os.PathLike[str]) -> list[Path]:
    """The parts of a partitioned folder, checked against its marker."""
    folder = Path(path)
    try:
        marker = json.loads((folder / DATASET_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"{folder}: not a complete event dataset: {exc}") from exc
    parts = [folder / name for name in marker.get("parts", [])]
    missing = [p.name for p in parts if not p.is_file()]
    if missing:
        raise StoreError(f"{folder}: missing parts {', '.join(missing[:3])}")
    return parts


# --- the per-document cache --------------------------------------------------------------------

def content_key(name: str, text: str, salt: str = "") -> str:
    """The cache key of one document: its name and text (events carry the name) plus a salt
    naming the parser version, so a parser change makes every entry stale."""
    h = hashlib.sha256()
    for part in (f"v{FORMAT_VERSION}", salt, name, text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


class DocCache:
    """One Parquet file per document key, a JSON sidecar per entry, and a small manifest.

    ``get`` returns None (and removes the entry) whenever anything does not add up: missing
    sidecar, other format version, checksum or row count mismatch, unreadable Parquet, other
    schema. Entries are written atomically, data first and sidecar last, so an entry without
    its sidecar is never read; several processes may fill the cache at once.
    """

    MANIFEST = "manifest.json"

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.rebuilt: list[str] = []  # keys found corrupt or stale and dropped

    def _data(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.parquet"

    def _meta(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[pd.DataFrame, dict[str, Any]] | None:
        """(events, extra) stored under key, or None when absent, corrupt or stale."""
        meta_path, data_path = self._meta(key), self._data(key)
        if not meta_path.is_file():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            data = data_path.read_bytes()
            ok = (meta.get("format_version") == FORMAT_VERSION and meta.get("key") == key
                  and meta.get("sha256") == hashlib.sha256(data).hexdigest()
                  and meta.get("extra_sha256") == _digest_json(meta.get("extra", {})))
            if ok:
                table = pq.read_table(pa.BufferReader(data))
                ok = table.schema.remove_metadata().equals(SCHEMA) and (
                    table.num_rows == meta.get("rows"))
        except (OSError, ValueError, pa.ArrowException):
            ok = False
        if not ok:
            self.drop(key)
            return None
        return conform(_to_pandas(table)), meta.get("extra", {})

    def put(self, key: str, events: pd.DataFrame, extra: dict[str, Any] | None = None) -> None:
        data = events_to_bytes(events)
        with atomic_write(self._data(key)) as fh:
            fh.write(data)
        extra = extra or {}
        meta = {"format_version": FORMAT_VERSION, "key": key, "rows": len(events),
                "sha256": hashlib.sha256(data).hexdigest(), "extra_sha256": _digest_json(extra),
                "extra": extra}
        write_json(meta, self._meta(key))

    def drop(self, key: str) -> None:
        self.rebuilt.append(key)
        self._meta(key).unlink(missing_ok=True)
        self._data(key).unlink(missing_ok=True)

    def entries(self) -> Iterator[str]:
        for meta in sorted(self.folder.glob("??/*.json")):
            yield meta.stem

    def write_manifest(self, names_to_keys: dict[str, str]) -> None:
        """Record which key each document of the last run had (for humans and pruning)."""
        write_json({"format_version": FORMAT_VERSION, "documents": names_to_keys},
                   self.folder / self.MANIFEST)

    def read_manifest(self) -> dict[str, str]:
        try:
            data = json.loads((self.folder / self.MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if data.get("format_version") != FORMAT_VERSION:
            return {}
        return dict(data.get("documents", {}))

    def prune(self, keep: set[str]) -> int:
        """Remove entries not in ``keep``; returns how many went."""
        gone = 0
        for key in list(self.entries()):
            if key not in keep:
                self._meta(key).unlink(missing_ok=True)
                self._data(key).unlink(missing_ok=True)
                gone += 1
        return gone


def _digest_json(obj: Any) -> str:
    """A checksum of a JSON value that does not depend on how the file was indented."""
    canon = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8", "surrogatepass")).hexdigest()


class Spool:
    """JSON values written to a file one per line and read back in order: a list that does not
    live in memory (pending entries between the two passes of a streaming run).

    Lines go to a hidden temporary file that ``close`` renames into place, so a task that is
    run again (a Dask worker lost) never leaves a half-written or doubled spool.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                   dir=self.path.parent)
        self._tmp = Path(tmp)
        self._fh: Any = os.fdopen(fd, "w", encoding="utf-8")
        self.count = 0

    def append(self, obj: Any) -> None:
        self._fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
        self.count += 1

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()
            os.replace(self._tmp, self.path)

    def __iter__(self) -> Iterator[Any]:
        self.close()
        return read_spool(self.path)

    def remove(self) -> None:
        if not self._fh.closed:
            self._fh.close()
        self._tmp.unlink(missing_ok=True)
        self.path.unlink(missing_ok=True)


def read_spool(path: str | os.PathLike[str]) -> Iterator[Any]:
    """The values a closed ``Spool`` holds, one at a time (nothing when there is no file)."""
    if not Path(path).is_file():
        return
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


class BucketSpool:
    """JSON values filed under an integer bucket (a day) and read back bucket by bucket in
    bucket order: the sort of values too many to hold, when each bucket fits in memory.

    Each bucket is a JSON-lines file in a hidden folder that ``close`` renames into place
    (replacing a folder an earlier, lost attempt left), so a rerun task never doubles one.
    Appends are buffered, ``buffer`` values at most, and written a bucket at a time.
    """

    OFFSET = 1_000_000  # file names sort as the buckets do, before 1970 too

    def __init__(self, folder: str | os.PathLike[str], buffer: int = 50_000) -> None:
        self.folder = Path(folder)
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}.", suffix=".tmp",
                                          dir=self.folder.parent))
        self._buffer = buffer
        self._held: dict[int, list[str]] = {}
        self._n = 0
        self.count = 0
        self.closed = False

    def append(self, bucket: int, obj: Any) -> None:
        self._held.setdefault(bucket, []).append(json.dumps(obj, ensure_ascii=False))
        self._n += 1
        self.count += 1
        if self._n >= self._buffer:
            self.flush()

    def flush(self) -> None:
        for bucket, lines in self._held.items():
            with (self._tmp / f"{bucket + self.OFFSET:08d}.jsonl").open(
                    "a", encoding="utf-8") as fh:
                fh.write("\n".join(lines) + "\n")
        self._held, self._n = {}, 0

    def close(self) -> None:
        if not self.closed:
            self.flush()
            shutil.rmtree(self.folder, ignore_errors=True)
            os.replace(self._tmp, self.folder)
            self.closed = True

    def remove(self) -> None:
        self._held, self._n = {}, 0
        shutil.rmtree(self._tmp, ignore_errors=True)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.closed = True


def _bucket_files(folders: Iterable[str | os.PathLike[str]]) -> dict[int, list[Path]]:
    files: dict[int, list[Path]] = {}
    for folder in map(Path, folders):
        for f in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
            files.setdefault(int(f.stem) - BucketSpool.OFFSET, []).append(f)
    return files


def bucket_names(folders: Iterable[str | os.PathLike[str]]) -> list[int]:
    """The buckets that closed ``BucketSpool`` folders hold, in order."""
    return sorted(_bucket_files(folders))


def read_buckets(folders: Iterable[str | os.PathLike[str]],
                 only: Iterable[int] | None = None) -> Iterator[tuple[int, list[Any]]]:
    """(bucket, values) in bucket order over closed ``BucketSpool`` folders (only the
    buckets in ``only``, when given); a bucket's values come folder by folder, each in the
    order appended."""
    files = _bucket_files(folders)
    wanted = set(files) if only is None else set(only) & set(files)
    for bucket in sorted(wanted):
        values = []
        for f in files[bucket]:
            with f.open(encoding="utf-8") as fh:
                values.extend(json.loads(line) for line in fh)
        yield bucket, values


def write_stream(frames: Iterable[pd.DataFrame], path: str | os.PathLike[str]) -> int:
    """Write event frames one after another to one file (Parquet row groups, CSV or JSON),
    atomically, without holding more than one frame; returns the rows written."""
    fmt = format_of(path)
    if fmt == "parquet":
        with EventWriter(path) as writer:
            for df in frames:
                writer.write(df)
        return writer.rows
    rows = 0
    header = fmt == "csv"  # still to write
    with atomic_write(path) as fh:
        fh.write(b"[" if fmt == "json" else b"")
        for df in frames:
            if fmt == "csv":
                # one date format for every chunk, whatever its first value looks like
                text = to_csv_text(conform(df), bom=header)
                fh.write(text if header else text.split(b"\n", 1)[1])
                header = False
                rows += len(df)
                continue
            for rec in to_json_records(conform(df)):
                fh.write((",\n" if rows else "\n").encode("utf-8"))
                fh.write(json.dumps(rec, ensure_ascii=False).encode("utf-8"))
                rows += 1
        if header:
            fh.write(to_csv_text(conform(pd.DataFrame())))
        fh.write(b"\n]\n" if fmt == "json" else b"")
    return rows


def read_part(path: str | os.PathLike[str]) -> pd.DataFrame:
    """One Parquet file (a part, or a staging file) as a schema-conformant frame."""
    return conform(_to_pandas(_read_table(path)))


def iter_frames(path: str | os.PathLike[str],
                columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
    """The event table at path (file or partitioned folder), one row group at a time.

    With ``columns`` the frames hold only those columns, as stored (not conformed)."""
    parts = dataset_parts(path) if Path(path).is_dir() else [Path(path)]
    for part in parts:
        pf = pq.ParquetFile(part)
        for i in range(pf.num_row_groups):
            frame = _to_pandas(pf.read_row_group(i, columns=columns))
            yield frame if columns else conform(frame)
