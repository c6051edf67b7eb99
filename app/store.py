"""Writing and reading event tables: Parquet, CSV, JSON. The only module that touches Parquet.

Every write goes to a temporary file in the target folder and is renamed into place, so a
killed process never leaves a half-written file under the real name.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from app.schema import LIST_COLUMNS, conform

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".json": "json"}
LIST_SEP = "|"  # how list columns (actors, places) are joined in CSV


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


def to_csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in LIST_COLUMNS:
        if col in out.columns:
            out[col] = [LIST_SEP.join(v) for v in out[col]]
    return out


def write_events(df: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    fmt = format_of(path)
    writers: dict[str, Callable[[BinaryIO], None]] = {
        "parquet": lambda fh: pq.write_table(pa.Table.from_pandas(df, preserve_index=False), fh),
        "csv": lambda fh: fh.write(to_csv_frame(df).to_csv(index=False).encode("utf-8")),
        "json": lambda fh: fh.write(
            json.dumps(to_json_records(df), ensure_ascii=False, indent=1).encode("utf-8")
        ),
    }
    with atomic_write(path) as fh:
        writers[fmt](fh)


def read_events(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read an event table written by write_events, conformed to the schema."""
    fmt = format_of(path)
    try:
        if fmt == "parquet":
            df = pq.read_table(path).to_pandas()
        elif fmt == "csv":
            df = pd.read_csv(path, keep_default_na=False, dtype=str)
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
                df[col] = pd.to_datetime(df[col].replace("", None))
        else:
            df = pd.DataFrame.from_records(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise StoreError(f"{path}: cannot read event table: {exc}") from exc
    return conform(df)


def write_json(obj: Any, path: str | os.PathLike[str]) -> None:
    with atomic_write(path) as fh:
        fh.write(json.dumps(obj, ensure_ascii=False, indent=1, default=str).encode("utf-8"))
