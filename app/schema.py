"""The event table: its columns, their dtypes, and a validator.

One row per event. ``kind`` is ``report`` (source S published this at time T) or
``mention`` (a happening that a text dates, linked to its report by ``report_id``).
Times are wall-clock as written in the document (naive); a stated zone is kept in ``tz``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

KINDS = ("report", "mention")
PRECISIONS = ("minute", "hour", "day", "week", "month", "year")

# Column -> dtype. Lists (actors, places) are object columns holding lists of str.
COLUMNS: dict[str, Any] = {
    "event_id": "str",
    "kind": pd.CategoricalDtype(KINDS),
    "start": "datetime64[ns]",
    "end": "datetime64[ns]",
    "precision": pd.CategoricalDtype(PRECISIONS, ordered=True),
    "tz": "str",
    "utc_offset": "str",  # the offset tz names ("+04:00"), "" when none: start - offset is UTC
    "year_inferred": "bool",
    "background": "bool",
    "title": "str",
    "text": "str",
    "evidence": "str",
    "source": "str",
    "language": "str",
    "doc": "str",
    "char_start": "int64",
    "char_end": "int64",
    "report_id": "str",
    "reported_at": "datetime64[ns]",
    "actors": "object",
    "places": "object",
    "group_id": "str",
    "disputed": "bool",
    "confidence": "float64",
}

STR_COLUMNS = [c for c, t in COLUMNS.items() if t == "str"]
LIST_COLUMNS = ["actors", "places"]
BOOL_COLUMNS = [c for c, t in COLUMNS.items() if t == "bool"]


class SchemaError(ValueError):
    """A dataframe does not match the event schema."""


def empty_events() -> pd.DataFrame:
    return from_records([])


def from_records(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Build a schema-conformant event table from dicts; missing columns get defaults."""
    df = pd.DataFrame.from_records(list(records), columns=list(COLUMNS))
    return conform(df)


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Coerce a dataframe that has (a subset of) the event columns to the schema's dtypes."""
    df = df.copy()
    n = len(df)
    for col, dtype in COLUMNS.items():
        if col not in df.columns:
            df[col] = _default(col, n)
        if col in STR_COLUMNS:
            df[col] = df[col].astype(object).fillna("").astype("str")
        elif col in LIST_COLUMNS:
            # lists pass as they are (the usual case, checked first because it is cheap)
            df[col] = pd.Series(
                [v if type(v) is list else list(v) if isinstance(v, tuple) or _is_array(v)
                 else [] for v in df[col]], index=df.index, dtype=object)
        elif col in BOOL_COLUMNS:
            df[col] = df[col].astype(object).fillna(False).astype("bool")
        elif col == "confidence":
            df[col] = pd.to_numeric(df[col]).fillna(1.0).astype("float64")
        elif col in ("char_start", "char_end"):
            df[col] = pd.to_numeric(df[col]).fillna(-1).astype("int64")
        elif str(dtype).startswith("datetime64"):
            df[col] = pd.to_datetime(df[col]).astype(dtype)
        else:
            df[col] = df[col].astype(dtype)
    return df[list(COLUMNS)].reset_index(drop=True)


def _is_array(v: object) -> bool:
    return hasattr(v, "__array__") and not isinstance(v, str)


def _default(col: str, n: int) -> object:
    if col in LIST_COLUMNS:
        return [[] for _ in range(n)]
    if col in BOOL_COLUMNS:
        return False
    if col == "confidence":
        return 1.0
    if col in ("char_start", "char_end"):
        return -1
    if str(COLUMNS[col]).startswith("datetime64"):
        return pd.NaT
    if col in STR_COLUMNS:
        return ""
    return None


def validate(df: pd.DataFrame) -> None:
    """Raise SchemaError naming every problem: missing columns, wrong dtypes, bad values."""
    problems: list[str] = []
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    for col, dtype in COLUMNS.items():
        if col in missing:
            continue
        have = df[col].dtype
        if col in STR_COLUMNS:
            ok = pd.api.types.is_string_dtype(have)
        elif col in LIST_COLUMNS:
            ok = pd.api.types.is_object_dtype(have)
        else:
            ok = str(have) == str(dtype) or have == dtype
        if not ok:
            problems.append(f"column {col!r} has dtype {have}, expected {dtype}")
    if not missing:
        if df["event_id"].duplicated().any():
            dup = df.loc[df["event_id"].duplicated(), "event_id"].iloc[0]
            problems.append(f"duplicate event_id {dup!r}")
        if df["kind"].isna().any():
            problems.append("kind must be 'report' or 'mention'")
        bad_range = df["end"].notna() & df["start"].notna() & (df["end"] < df["start"])
        if bad_range.any():
            problems.append(f"{int(bad_range.sum())} events end before they start")
        mentions = df["kind"] == "mention"
        # a mention with no report ("" report_id: a timeline's entry) is no orphan
        orphan = mentions & (df["report_id"] != "") & ~df["report_id"].isin(df["event_id"])
        if orphan.any():
            problems.append(f"{int(orphan.sum())} mentions point at no report")
    if problems:
        raise SchemaError("; ".join(problems))
