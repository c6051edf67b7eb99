"""The whole view state <-> the URL query string, so a reload or a shared link restores a view.

Parameters (all optional; an empty query string is the default view):
  source, language, kind, actors, places   facet values, repeated for several values
                                           (``language=de&language=fr``)
  bg=1                                     show background events
  from, to                                 the time window (``2020-11-09`` or ``2020-11-09T21:30``)
  q                                        free-text search
  lane                                     the facet the timeline's lanes follow (default source)
  lag=0                                    hide the mention-to-report lag lines
  collapse=1                               one timeline marker per duplicate group
  event                                    the selected event's id
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlencode

import pandas as pd

from app.query import FACET_COLUMNS, Filters

DEFAULT_LANE = "source"


@dataclass
class ViewState:
    filters: Filters = field(default_factory=Filters)
    lane: str = DEFAULT_LANE
    lag: bool = True
    event: str = ""
    collapse: bool = False

    def with_filters(self, **changes: object) -> ViewState:
        return replace(self, filters=replace(self.filters, **changes))


def format_time(ts: pd.Timestamp) -> str:
    """Shortest ISO form that keeps the value: a date, or date and minutes, or seconds."""
    if ts == ts.normalize():
        return ts.strftime("%Y-%m-%d")
    if ts.second == 0 and ts.microsecond == 0 and ts.nanosecond == 0:
        return ts.strftime("%Y-%m-%dT%H:%M")
    return ts.strftime("%Y-%m-%dT%H:%M:%S")


def parse_time(value: str | None) -> pd.Timestamp | None:
    if not value:
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return None
    if pd.isna(ts):
        return None
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.floor("s")


def normalize(state: ViewState) -> ViewState:
    """Canonical form: sorted unique facet values, no empty facets, window in order, to seconds."""
    f = state.filters
    facets = {c: tuple(sorted(set(v))) for c, v in f.facets.items() if v and c in FACET_COLUMNS}
    start = f.start.floor("s") if f.start is not None else None
    end = f.end.floor("s") if f.end is not None else None
    if start is not None and end is not None and end < start:
        start, end = end, start
    filters = Filters(facets={c: facets[c] for c in FACET_COLUMNS if c in facets},
                      background=bool(f.background), start=start, end=end,
                      text=" ".join(f.text.split()))
    lane = state.lane if state.lane in FACET_COLUMNS else DEFAULT_LANE
    return ViewState(filters=filters, lane=lane, lag=bool(state.lag), event=state.event or "",
                     collapse=bool(state.collapse))


def encode(state: ViewState) -> str:
    """The query string for a state, without the leading '?' ('' for the default view)."""
    s = normalize(state)
    f = s.filters
    pairs: list[tuple[str, str]] = []
    for column in FACET_COLUMNS:
        pairs.extend((column, v) for v in f.facets.get(column, ()))
    if f.background:
        pairs.append(("bg", "1"))
    if f.start is not None:
        pairs.append(("from", format_time(f.start)))
    if f.end is not None:
        pairs.append(("to", format_time(f.end)))
    if f.text:
        pairs.append(("q", f.text))
    if s.lane != DEFAULT_LANE:
        pairs.append(("lane", s.lane))
    if not s.lag:
        pairs.append(("lag", "0"))
    if s.collapse:
        pairs.append(("collapse", "1"))
    if s.event:
        pairs.append(("event", s.event))
    return urlencode(pairs)


def decode(query: str | None) -> ViewState:
    """The state a query string describes; unknown or malformed parameters are ignored."""
    params = parse_qs((query or "").lstrip("?"), keep_blank_values=True)

    def first(name: str) -> str:
        return params.get(name, [""])[0]

    facets = {c: tuple(params[c]) for c in FACET_COLUMNS if c in params}
    filters = Filters(
        facets=facets,
        background=first("bg") in ("1", "true", "yes"),
        start=parse_time(first("from")),
        end=parse_time(first("to")),
        text=first("q"),
    )
    return normalize(ViewState(filters=filters, lane=first("lane") or DEFAULT_LANE,
                               lag=first("lag") not in ("0", "false", "no"),
                               event=first("event"),
                               collapse=first("collapse") in ("1", "true", "yes")))


def search(state: ViewState) -> str:
    """``location.search`` for a state: '?'-prefixed, or '' for the default view."""
    query = encode(state)
    return f"?{query}" if query else ""
