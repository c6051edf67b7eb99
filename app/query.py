"""Pure filters and aggregations over the event table: what the explorer shows, never how.

Every function takes a dataframe conforming to ``app.schema`` (optionally ``prepare``d, which
adds the derived columns ``span_start``, ``span_end``, ``at`` and ``haystack`` once) and returns
plain pandas objects. Nothing here knows about Dash or Plotly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from app.schema import COLUMNS, LIST_COLUMNS

# Columns a reader can facet on or lay out lanes by, in the order they are offered.
FACET_COLUMNS = ("source", "language", "kind", "actors", "places")
NONE_VALUE = ""  # the facet value of an event with no source / no actor / ...

# Precision -> numpy unit its uncertainty span is floored to (minute is treated as a point).
_PRECISION_UNIT = {"hour": "h", "day": "D", "week": "W", "month": "M", "year": "Y"}
# Bin sizes for counts, from fine to coarse: (pandas-ish name, approximate length).
BIN_SIZES = (
    ("minute", pd.Timedelta(minutes=1)),
    ("hour", pd.Timedelta(hours=1)),
    ("day", pd.Timedelta(days=1)),
    ("week", pd.Timedelta(days=7)),
    ("month", pd.Timedelta(days=30.44)),
    ("year", pd.Timedelta(days=365.25)),
)
DERIVED = ("span_start", "span_end", "at", "haystack")
POINT = pd.Timedelta(minutes=1)  # spans up to this long are drawn as points, not bands


@dataclass
class Filters:
    """What the reader narrowed the table to. An empty facet selection means "all values".

    ``start``/``end`` is the time window in view; an event is in it when its uncertainty span
    overlaps the window.
    """

    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    background: bool = False
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    text: str = ""

    def without_window(self) -> Filters:
        return Filters(dict(self.facets), self.background, None, None, self.text)

    def is_default(self) -> bool:
        return self == Filters()


# --- derived columns ---------------------------------------------------------------------------

def prepare(df: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns the explorer needs, once per corpus (cheap to query afterwards)."""
    if all(c in df.columns for c in ("span_start", "span_end", "at")):
        return df  # prepared (a slim prepared frame may lack the search text)
    out = df.copy()
    # facet columns as categories: filtering and counting a million rows stays cheap
    for col in ("source", "language"):
        out[col] = out[col].astype("category")
    lo, hi = uncertainty_span(out)
    out["span_start"] = lo
    out["span_end"] = hi
    # a marker sits in the middle of what it could be; a minute is a point
    out["at"] = (lo + (hi - lo) / 2).where(hi - lo > POINT, lo)
    out["haystack"] = (out["title"] + "\n" + out["text"] + "\n" + out["evidence"]).str.lower()
    # kept in time order, so a selection (a boolean mask) needs no sort
    return sort_events(out).reset_index(drop=True)


def uncertainty_span(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The interval each event could lie in: its precision unit (a day, a month...) or its range.

    A minute-precision event is a point; an hour/day/week/month/year one spans that unit; an
    explicit range (``end`` after the span of ``start``) reaches to ``end``.
    """
    start = df["start"]
    lo = start.copy()
    hi = start.copy()
    precision = df["precision"].astype("str")
    values = start.to_numpy(dtype="datetime64[ns]")
    for name, unit in _PRECISION_UNIT.items():
        sel = (precision == name).to_numpy()
        if not sel.any():
            continue
        v = values[sel]
        if unit == "W":
            # numpy weeks start on Thursday; a stated week starts on its own first day
            floor = v.astype("datetime64[D]")
            upper = floor + np.timedelta64(7, "D")
        else:
            floor = v.astype(f"datetime64[{unit}]")
            upper = floor + np.timedelta64(1, unit)
        lo.iloc[np.flatnonzero(sel)] = floor.astype("datetime64[ns]")
        hi.iloc[np.flatnonzero(sel)] = upper.astype("datetime64[ns]")
    end = df["end"]
    longer = end.notna() & (end > hi)
    hi = hi.where(~longer, end)
    return lo, hi


# --- filtering ---------------------------------------------------------------------------------

def available_facets(df: pd.DataFrame) -> list[str]:
    """Facet columns that hold something: list columns only once some event has a value."""
    out = []
    for col in FACET_COLUMNS:
        if col not in df.columns:
            continue
        if col in LIST_COLUMNS and not df[col].map(len).gt(0).any():
            continue
        out.append(col)
    return out


def facet_values(df: pd.DataFrame, column: str) -> pd.Series:
    """One value per (event, value): list columns are exploded, empty lists become ''."""
    if column in LIST_COLUMNS:
        col = df[column].map(lambda v: list(v) if len(v) else [NONE_VALUE])
        return col.explode().astype("str")
    if isinstance(df[column].dtype, pd.CategoricalDtype):
        return df[column]
    return df[column].astype("str")


def _facet_mask(df: pd.DataFrame, column: str, values: Sequence[str]) -> np.ndarray:
    wanted = set(values)
    if column in LIST_COLUMNS:
        return df[column].map(
            lambda v: bool(wanted.intersection(v)) if len(v) else NONE_VALUE in wanted
        ).to_numpy(dtype=bool)
    return df[column].isin(wanted).to_numpy(dtype=bool)


def _text_mask(df: pd.DataFrame, text: str) -> np.ndarray:
    hay = df["haystack"] if "haystack" in df.columns else prepare(df)["haystack"]
    mask = np.ones(len(df), dtype=bool)
    for word in text.lower().split():
        mask &= hay.str.contains(word, regex=False).to_numpy(dtype=bool)
    return mask


def _masks(df: pd.DataFrame, filters: Filters) -> dict[str, np.ndarray]:
    """One boolean mask per active filter, keyed by what it filters (facet column or a name)."""
    masks: dict[str, np.ndarray] = {"dated": df["start"].notna().to_numpy()}
    for column, values in filters.facets.items():
        if values and column in df.columns:
            masks[column] = _facet_mask(df, column, values)
    if not filters.background:
        masks["background"] = ~df["background"].to_numpy(dtype=bool)
    if filters.start is not None or filters.end is not None:
        lo = df["span_start"] if "span_start" in df.columns else uncertainty_span(df)[0]
        hi = df["span_end"] if "span_end" in df.columns else uncertainty_span(df)[1]
        m = np.ones(len(df), dtype=bool)
        if filters.start is not None:
            m &= (hi >= filters.start).to_numpy(dtype=bool)
        if filters.end is not None:
            m &= (lo <= filters.end).to_numpy(dtype=bool)
        masks["window"] = m
    if filters.text.strip():
        masks["text"] = _text_mask(df, filters.text)
    return masks


def filter_mask(df: pd.DataFrame, filters: Filters, *, skip: Iterable[str] = ()) -> np.ndarray:
    """Rows passing every filter except those named in ``skip`` (a facet column, 'window'...)."""
    skip = set(skip)
    mask = np.ones(len(df), dtype=bool)
    for name, m in _masks(df, filters).items():
        if name not in skip:
            mask &= m
    return mask


def select(df: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The selection in time order: what the timeline plots, the table lists, export writes."""
    chosen = df[filter_mask(df, filters)]
    return chosen if "at" in df.columns else sort_events(chosen)


def sort_events(df: pd.DataFrame) -> pd.DataFrame:
    key = "at" if "at" in df.columns else "start"
    return df.sort_values([key, "event_id"], kind="stable")


def facet_counts(df: pd.DataFrame, filters: Filters, column: str) -> pd.Series:
    """Count per value of ``column`` under every other filter: what ticking that value would give.

    Every value present in the whole table is listed (zero when filtered away), most frequent
    first, so a facet list does not jump around while the reader narrows it.
    """
    return facet_counts_many(df, filters, [column])[column]


def facet_counts_many(df: pd.DataFrame, filters: Filters, columns: Sequence[str]
                      ) -> dict[str, pd.Series]:
    """``facet_counts`` for several columns, computing each filter's mask only once."""
    masks = _masks(df, filters)
    out = {}
    for column in columns:
        mask = np.ones(len(df), dtype=bool)
        for name, m in masks.items():
            if name != column:
                mask &= m
        out[column] = _counts(df, column, mask)
    return out


def _counts(df: pd.DataFrame, column: str, mask: np.ndarray) -> pd.Series:
    values = facet_values(df, column)
    everything = values.value_counts()
    kept = values[np.repeat(mask, _repeat_counts(df, column))] if column in LIST_COLUMNS else (
        values[mask])
    counts = kept.value_counts().reindex(everything.index, fill_value=0)
    order = sorted(counts.index, key=lambda v: (-counts[v], -everything[v], v))
    return counts.reindex(order).astype("int64")


def _repeat_counts(df: pd.DataFrame, column: str) -> np.ndarray:
    return df[column].map(lambda v: max(1, len(v))).to_numpy(dtype=int)


def background_count(df: pd.DataFrame, filters: Filters) -> int:
    """How many background events the other filters would let through."""
    mask = filter_mask(df, filters, skip=("background",))
    return int((mask & df["background"].to_numpy(dtype=bool)).sum())


# --- lanes, bins and aggregates ----------------------------------------------------------------

def lane_frame(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """The events with a ``lane`` column holding their value of ``column``; list columns give
    one row per value, so an event with two places sits in both lanes."""
    out = df.copy()
    if column in LIST_COLUMNS:
        out["lane"] = out[column].map(lambda v: list(v) if len(v) else [NONE_VALUE])
        out = out.explode("lane")
        out["lane"] = out["lane"].astype("str")
    elif isinstance(out[column].dtype, pd.CategoricalDtype):
        out["lane"] = out[column].cat.rename_categories(
            [str(c) for c in out[column].cat.categories])
    else:
        out["lane"] = out[column].astype("str")
    return out


def lane_order(df: pd.DataFrame, column: str) -> list[str]:
    """Lanes most populated first; the empty value last."""
    counts = facet_values(df, column).value_counts()
    order = sorted(counts.index, key=lambda v: (v == NONE_VALUE, -counts[v], v))
    return list(order)


def choose_bin(start: pd.Timestamp, end: pd.Timestamp, max_bins: int = 200) -> str:
    """The finest bin size that keeps the interval under ``max_bins`` bins."""
    length = max(pd.Timedelta(end - start), pd.Timedelta(minutes=1))
    for name, size in BIN_SIZES:
        if length / size <= max_bins:
            return name
    return "year"


def bin_floor(values: pd.Series, size: str) -> pd.Series:
    """Floor timestamps to the start of their bin (weeks start on Monday)."""
    v = values.to_numpy(dtype="datetime64[ns]")
    if size == "week":
        days = v.astype("datetime64[D]")
        weekday = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday
        floored = days - weekday.astype("timedelta64[D]")
    else:
        unit = {"minute": "m", "hour": "h", "day": "D", "month": "M", "year": "Y"}[size]
        floored = v.astype(f"datetime64[{unit}]")
    return pd.Series(floored.astype("datetime64[ns]"), index=values.index)


def bin_end(starts: pd.Series, size: str) -> pd.Series:
    v = starts.to_numpy(dtype="datetime64[ns]")
    if size == "week":
        out = v + np.timedelta64(7, "D")
    else:
        unit = {"minute": "m", "hour": "h", "day": "D", "month": "M", "year": "Y"}[size]
        out = (v.astype(f"datetime64[{unit}]") + np.timedelta64(1, unit)).astype("datetime64[ns]")
    return pd.Series(out.astype("datetime64[ns]"), index=starts.index)


def counts_per_bin(df: pd.DataFrame, size: str, by: str = "kind") -> pd.DataFrame:
    """Events per bin, split by ``by``: columns bin, <by>, count (bins with no events omitted)."""
    if df.empty:
        return pd.DataFrame({"bin": pd.Series(dtype="datetime64[ns]"), by: pd.Series(dtype="str"),
                             "count": pd.Series(dtype="int64")})
    at = df["at"] if "at" in df.columns else df["start"]
    # group on the column as it is (often categorical: cheap); make it str on the small result
    frame = pd.DataFrame({"bin": bin_floor(at, size), by: df[by].array})
    out = frame.groupby(["bin", by], observed=True).size().rename("count").reset_index()
    out[by] = out[by].astype("str")
    return out.sort_values(["bin", by]).reset_index(drop=True)


def coverage(df: pd.DataFrame, size: str) -> pd.DataFrame:
    """Distinct sources per language per bin, from reports only: a zero is a gap in coverage.

    An unnamed source counts as one source. Columns: bin, language, sources.
    """
    reports = df.loc[(df["kind"] == "report").to_numpy(), ["start", "language", "source"]]
    if reports.empty:
        return pd.DataFrame({"bin": pd.Series(dtype="datetime64[ns]"),
                             "language": pd.Series(dtype="str"),
                             "sources": pd.Series(dtype="int64")})
    frame = pd.DataFrame({"bin": bin_floor(reports["start"], size),
                          "language": reports["language"].array,
                          "source": reports["source"].array})
    out = (frame.groupby(["bin", "language"], observed=True).source.nunique()
           .rename("sources").reset_index())
    out["language"] = out["language"].astype("str")
    return out.sort_values(["bin", "language"]).reset_index(drop=True)


def aggregate_lanes(df: pd.DataFrame, column: str, size: str) -> pd.DataFrame:
    """Events per (lane, bin) for a view too dense to draw one marker per event.

    Columns: lane, bin, bin_end, count, kind (the commonest kind in the bin).
    """
    time = "at" if "at" in df.columns else "start"
    lanes = lane_frame(df[list(dict.fromkeys([column, time, "kind"]))], column)
    lanes = lanes.assign(bin=bin_floor(lanes[time], size),
                         kind=lanes["kind"].cat.codes if isinstance(
                             lanes["kind"].dtype, pd.CategoricalDtype) else lanes["kind"])
    per_kind = lanes.groupby(["lane", "bin", "kind"], observed=True).size().rename("n")
    per_kind = per_kind.reset_index().sort_values("n", ascending=False, kind="stable")
    commonest = per_kind.drop_duplicates(["lane", "bin"]).set_index(["lane", "bin"])["kind"]
    out = per_kind.groupby(["lane", "bin"], observed=True)["n"].sum().rename("count").to_frame()
    out["kind"] = commonest.reindex(out.index)
    if isinstance(df["kind"].dtype, pd.CategoricalDtype):
        out["kind"] = df["kind"].cat.categories[out["kind"].to_numpy()]
    out = out.reset_index()
    out["bin_end"] = bin_end(out["bin"], size)
    return out[["lane", "bin", "bin_end", "count", "kind"]]


def span(df: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last moment any event could lie in, or None for an empty table."""
    dated = df[df["start"].notna()]
    if dated.empty:
        return None
    lo = dated["span_start"] if "span_start" in dated.columns else dated["start"]
    hi = dated["span_end"] if "span_end" in dated.columns else dated["start"]
    return pd.Timestamp(lo.min()), pd.Timestamp(hi.max())


# --- single events and their neighbours --------------------------------------------------------

def neighbour(selection: pd.DataFrame, event_id: str, step: int) -> str:
    """The event ``step`` places after (or before, if negative) ``event_id`` in time order.

    With no current event, +1 gives the first and -1 the last; the ends do not wrap.
    """
    if selection.empty:
        return ""
    ids = sort_events(selection)["event_id"].tolist()
    if event_id not in ids:
        return ids[0] if step >= 0 else ids[-1]
    i = min(max(ids.index(event_id) + step, 0), len(ids) - 1)
    return ids[i]


def event_row(df: pd.DataFrame, event_id: str) -> pd.Series | None:
    hit = df[df["event_id"] == event_id]
    return None if hit.empty else hit.iloc[0]


def related(df: pd.DataFrame, event_id: str) -> dict[str, pd.DataFrame]:
    """Events to show beside one event: its report, its mentions, same day, same group.

    "Same day" is the calendar day of the event's start, among events dated at least to the day.
    Each frame excludes the event itself and is in time order.
    """
    row = event_row(df, event_id)
    empty = df.iloc[0:0]
    if row is None:
        return {"report": empty, "mentions": empty, "same_day": empty, "same_group": empty}
    others = df[df["event_id"] != event_id]
    report = others[others["event_id"] == row["report_id"]] if row["report_id"] else empty
    mentions = others[others["report_id"] == event_id]
    fine = others["precision"].astype("str").isin(("minute", "hour", "day"))
    if pd.isna(row["start"]) or str(row["precision"]) not in ("minute", "hour", "day"):
        same_day = empty
    else:
        day = pd.Timestamp(row["start"]).normalize()
        same_day = others[fine & (others["start"].dt.normalize() == day)]
    same_group = others[others["group_id"] == row["group_id"]] if row["group_id"] else empty
    return {k: sort_events(v) for k, v in
            {"report": report, "mentions": mentions, "same_day": same_day,
             "same_group": same_group}.items()}


def headline_picks(selection: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """Up to ``n`` events worth a text label, spread out in time so labels do not collide.

    Importance: the size of the event's group, then how many mentions cite it, then reports
    before mentions. Picks are at least 1/n of the visible span apart.
    """
    if selection.empty or n <= 0:
        return selection.iloc[0:0]
    sel = selection[selection["title"].str.len() > 0]
    if sel.empty:
        return sel
    group_size = sel["group_id"].map(sel["group_id"].value_counts()).where(
        sel["group_id"] != "", 1)
    cited = sel["event_id"].map(selection["report_id"].value_counts()).fillna(0)
    score = group_size.astype(float) * 10 + cited + (sel["kind"].astype("str") == "report")
    ranked = sel.assign(_score=score.to_numpy()).sort_values(
        ["_score", "at", "event_id"], ascending=[False, True, True])
    lo, hi = ranked["at"].min(), ranked["at"].max()
    gap = (hi - lo) / n if hi > lo else pd.Timedelta(0)
    chosen: list[pd.Timestamp] = []
    keep = []
    for idx, at in zip(ranked.index, ranked["at"], strict=True):
        if all(abs(at - c) >= gap for c in chosen) and (gap > pd.Timedelta(0) or not chosen):
            chosen.append(at)
            keep.append(idx)
        if len(keep) >= n:
            break
    return sort_events(ranked.loc[keep].drop(columns="_score"))


# --- summary and export ------------------------------------------------------------------------

def summary(df: pd.DataFrame) -> dict[str, object]:
    """Corpus header figures: events, background events, span, sources, languages."""
    foreground = df[~df["background"]]
    # the span a reader cares about: events dated to the day or finer, not a year-wide "2020"
    fine = foreground[foreground["precision"].astype("str").isin(("minute", "hour", "day"))]
    bounds = _start_span(fine) or _start_span(foreground) or _start_span(df)
    return {
        "events": int(len(df)),
        "background": int(df["background"].sum()),
        "start": bounds[0] if bounds else None,
        "end": bounds[1] if bounds else None,
        "sources": int(df.loc[df["source"] != "", "source"].nunique()),
        "languages": sorted(v for v in df["language"].unique() if v),
    }


def _start_span(df: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    starts = df["start"].dropna()
    return (pd.Timestamp(starts.min()), pd.Timestamp(starts.max())) if len(starts) else None


def export_frame(selection: pd.DataFrame) -> pd.DataFrame:
    """The selection with exactly the schema's columns, in time order."""
    return selection[list(COLUMNS)].reset_index(drop=True)


def to_csv(selection: pd.DataFrame) -> str:
    out = export_frame(selection).copy()
    for col in LIST_COLUMNS:
        out[col] = out[col].map(lambda v: "; ".join(v))
    return out.to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%S")


def to_json(selection: pd.DataFrame) -> str:
    out = export_frame(selection).copy()
    for col in LIST_COLUMNS:
        out[col] = out[col].map(list)
    return out.to_json(orient="records", date_format="iso", force_ascii=False, indent=1)
