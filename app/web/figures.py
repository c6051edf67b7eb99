"""Pure functions from event frames to Plotly figures: the overview strip and the timeline.

Marker traces carry ``meta={"role": "events"}`` and the event id as ``customdata[0]``, so a
test (or a reader's script) can count what is plotted from the figure alone.
"""

from __future__ import annotations

import copy
import html
from functools import cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app import query
from app.query import NONE_VALUE
from app.web import groups

# Okabe & Ito (2008), a palette readable with every common colour-vision deficiency.
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "grey": "#999999",
}
THEMES = {
    "light": {"font": "#1f2328", "muted": "#57606a", "grid": "rgba(31,35,40,0.12)",
              "report": OKABE_ITO["blue"], "mention": OKABE_ITO["vermillion"],
              "period": "rgba(204,121,167,0.14)", "window": "rgba(0,114,178,0.16)",
              "lag": "rgba(87,96,106,0.55)", "selected": "#1f2328",
              "coverage": [[0, "#eaf3fa"], [1, OKABE_ITO["blue"]]],
              "label_bg": "rgba(255,255,255,0.85)"},
    "dark": {"font": "#e6edf3", "muted": "#9da7b3", "grid": "rgba(230,237,243,0.12)",
             "report": OKABE_ITO["sky_blue"], "mention": OKABE_ITO["orange"],
             "period": "rgba(204,121,167,0.22)", "window": "rgba(86,180,233,0.20)",
             "lag": "rgba(157,167,179,0.6)", "selected": "#ffffff",
             "coverage": [[0, "#17324a"], [1, OKABE_ITO["sky_blue"]]],
             "label_bg": "rgba(13,17,23,0.85)"},
}
SYMBOLS = {"report": "circle", "mention": "diamond"}
BACKGROUND_COLOUR = OKABE_ITO["grey"]
DEFAULT_MAX_POINTS = 1500  # above this many events the timeline shows counts per bin
LANE_LABEL_CHARS = 20  # longer lane names would take the plot's width; hover shows them whole
_FREQ = {"minute": "min", "hour": "h", "day": "D", "week": "W-MON", "month": "MS", "year": "YS"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def theme_colours(theme: str) -> dict:
    return THEMES.get(theme, THEMES["light"])


# --- labels ------------------------------------------------------------------------------------

def when_label(start: pd.Timestamp, end: pd.Timestamp | None, precision: str,
               tz: str = "", year_inferred: bool = False) -> str:
    """A date as precise as it is known: '10 Nov 2020, 01:30', 'Nov 2020', '27 Sep – 1 Dec 2020'."""
    if start is None or pd.isna(start):
        return "undated"
    start = pd.Timestamp(start)
    label = _one_date(start, precision)
    if end is not None and not pd.isna(end):
        # ``end`` is exclusive: a day-precision event on 10 Nov ends at 11 Nov 00:00
        last = pd.Timestamp(end) - pd.Timedelta(1, "ns")
        if last > start and _one_date(last, precision) != label:
            label = f"{label} – {_one_date(last, precision)}"
    if tz:
        label = f"{label} ({tz})"
    if year_inferred:
        label = f"{label}, year inferred"
    return label


def utc_label(start: pd.Timestamp, precision: str, utc_offset: str) -> str:
    """The same moment in UTC ('26 Nov 2020, 10:05 UTC') for a time written with a known
    zone; '' for a date without a time or a zone without a known offset."""
    if precision not in ("minute", "hour") or not utc_offset or start is None or pd.isna(start):
        return ""
    sign = -1 if utc_offset.startswith(("-", "−")) else 1
    hours, _, minutes = utc_offset.lstrip("+-−").partition(":")
    try:
        offset = pd.Timedelta(hours=int(hours), minutes=int(minutes or 0)) * sign
    except ValueError:
        return ""
    return f"{_one_date(pd.Timestamp(start) - offset, precision)} UTC"


def _one_date(ts: pd.Timestamp, precision: str) -> str:
    day = f"{ts.day} {ts.strftime('%b %Y')}"
    return {
        "minute": f"{day}, {ts.strftime('%H:%M')}",
        "hour": f"{day}, {ts.strftime('%H')}h",
        "day": day,
        "week": f"week of {day}",
        "month": ts.strftime("%b %Y"),
        "year": ts.strftime("%Y"),
    }.get(precision, day)


PRECISION_WORDS = {"minute": "to the minute", "hour": "to the hour", "day": "to the day",
                   "week": "to the week", "month": "to the month", "year": "to the year"}


def lane_label(value: str, column: str) -> str:
    if value != NONE_VALUE:
        return value
    return {"source": "(no source)", "actors": "(no actor)", "places": "(no place)"}.get(
        column, "(none)")


def _plain(text: str, limit: int = 90) -> str:
    """Text for Plotly hover/labels: shortened and escaped, since Plotly reads a little HTML."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return html.escape(text, quote=False)


# --- shared layout -----------------------------------------------------------------------------

def _base_layout(theme: str, height: int, grid: dict | None = None) -> dict:
    """Layout properties every figure here shares, for the axes of ``grid`` (one plot when
    None). Figures are built from one layout dict: each ``update_layout`` or
    ``update_xaxes`` call costs Plotly milliseconds of path parsing and validation."""
    c = theme_colours(theme)
    layout = copy.deepcopy(grid) if grid else {"xaxis": {}, "yaxis": {}}
    layout.update(
        height=height, margin={"l": 10, "r": 10, "t": 8, "b": 24},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        font={"family": FONT, "color": c["font"], "size": 12},
        hoverlabel={"font": {"family": FONT}, "align": "left"},
        showlegend=False, uirevision="keep",
    )
    for name, axis in layout.items():
        if name.startswith("xaxis"):
            axis.update(type="date", gridcolor=c["grid"], zeroline=False, linecolor=c["grid"],
                        tickfont={"color": c["muted"]})
        elif name.startswith("yaxis"):
            axis.update(gridcolor=c["grid"], zeroline=False, tickfont={"color": c["muted"]})
    return layout


def _period_shapes(periods: pd.DataFrame, theme: str, *, labels: bool,
                   span: tuple | None = None) -> tuple[list[dict], list[dict]]:
    """The known periods as bands behind the first subplot (and labels, if asked): the
    layout's shapes and annotations."""
    c = theme_colours(theme)
    # label only periods wide enough for their name; the chips above name them all
    min_width = (span[1] - span[0]) * 0.025 if span else pd.Timedelta(0)
    # plain dicts: add_vrect on a subplot figure costs milliseconds per period
    shapes = [{"type": "rect", "xref": "x", "yref": "y domain", "y0": 0, "y1": 1,
               "x0": p.start, "x1": p.end + pd.Timedelta(days=1), "fillcolor": c["period"],
               "opacity": 1 if labels else 0.6, "line": {"width": 0}, "layer": "below"}
              for p in periods.itertuples()]
    notes = [{"x": p.start, "y": 1, "xref": "x", "yref": "paper", "text": _plain(p.label, 40),
              "showarrow": False, "xanchor": "left", "yanchor": "top",
              "font": {"size": 10, "color": c["muted"]}}
             for p in periods.itertuples() if labels and (p.end - p.start) >= min_width]
    return shapes, notes


# --- overview ----------------------------------------------------------------------------------

def overview_figure(events: pd.DataFrame, *, periods: pd.DataFrame,
                    window: tuple[pd.Timestamp | None, pd.Timestamp | None] = (None, None),
                    theme: str = "light", rows: np.ndarray | None = None) -> go.Figure:
    """Events per bin across the whole span, stacked by kind, over the known periods; below it
    the coverage strip (distinct sources per language per bin). Brushing selects a window.

    ``rows``: draw only the events at these positions of the prepared ``events`` (the same
    figure as for ``events.take(rows)``, without copying a million rows).
    """
    c = theme_colours(theme)
    if rows is None:
        events = query.prepare(events)
    bounds = query.span(events, rows=rows)
    languages = sorted(str(v) for v in query.column_at(events, "language", rows).unique())
    layout = _base_layout(theme, height=150 + 14 * max(len(languages), 1),
                          grid=_overview_grid())
    if bounds is None:
        return go.Figure(layout=layout)
    size = query.choose_bin(*bounds)
    counts = query.counts_per_bin(events, size, by="kind", rows=rows)
    data: list = []
    for kind in ("report", "mention"):
        part = counts[counts["kind"] == kind]
        data.append(go.Bar(
            x=part["bin"], y=part["count"], name=kind, marker_color=c[kind],
            marker_line_width=0, meta={"role": "overview"},
            hovertemplate=f"%{{x}}<br>%{{y}} {kind}s<extra></extra>", xaxis="x", yaxis="y",
        ))
    layout.update(barmode="stack", bargap=0.05)
    cov = query.coverage(events, size, rows=rows)
    if not cov.empty:
        # every bin gets a column, so a day nobody covered is an empty cell, not a wide one
        grid = cov.pivot(index="language", columns="bin", values="sources")
        all_bins = query.bin_floor(pd.Series(pd.date_range(
            query.bin_floor(pd.Series([bounds[0]]), size).iloc[0], bounds[1],
            freq=_FREQ[size])), size).drop_duplicates()
        grid = grid.reindex(columns=all_bins)
        data.append(go.Heatmap(
            x=list(grid.columns), y=list(grid.index),
            z=[[None if pd.isna(v) else int(v) for v in row] for row in grid.to_numpy()],
            colorscale=c["coverage"], zmin=0,
            showscale=False, xgap=0, ygap=1, meta={"role": "coverage"},
            hovertemplate="%{x}<br>%{y}: %{z} source(s)<extra></extra>", xaxis="x2",
            yaxis="y2",
        ))
    shapes, notes = _period_shapes(periods, theme, labels=True, span=bounds)
    lo, hi = bounds
    pad = max((hi - lo) * 0.01, pd.Timedelta(hours=1))
    for name in ("xaxis", "xaxis2"):
        layout[name].update(range=[lo - pad, hi + pad], fixedrange=True)
    for name in ("yaxis", "yaxis2"):
        layout[name].update(fixedrange=True)
    layout["yaxis"].update(title={"text": f"per {size}",
                                  "font": {"size": 10, "color": c["muted"]}}, nticks=3)
    layout["yaxis2"].update(type="category", categoryorder="array", categoryarray=languages,
                            showgrid=False)
    shape = window_shape(window, (lo - pad, hi + pad), theme)
    layout.update(shapes=[*shapes, *([shape] if shape else [])], annotations=notes,
                  dragmode="select", selectdirection="h", hovermode="closest")
    return go.Figure(data=data, layout=layout)


@cache
def _overview_grid() -> dict:
    """The overview's two rows sharing one time axis, as make_subplots lays them out (asked
    once: make_subplots itself costs milliseconds)."""
    grid = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.06,
                         row_heights=[0.68, 0.32]).layout.to_plotly_json()
    return {k: v for k, v in grid.items() if k.startswith(("xaxis", "yaxis"))}


def window_shape(window: tuple, bounds: tuple, theme: str) -> dict | None:
    """The outline of the time window on the overview (None when the whole span is shown)."""
    w0, w1 = window
    if w0 is None and w1 is None:
        return None
    c = theme_colours(theme)
    return {"type": "rect", "xref": "x", "yref": "paper", "y0": 0, "y1": 1,
            "x0": w0 if w0 is not None else bounds[0], "x1": w1 if w1 is not None else bounds[1],
            "fillcolor": c["window"], "line": {"width": 1, "color": c["report"]},
            "layer": "above"}


# --- timeline ----------------------------------------------------------------------------------

def timeline_figure(selection: pd.DataFrame, *, lane: str, context: pd.DataFrame | None = None,
                    window: tuple[pd.Timestamp | None, pd.Timestamp | None] = (None, None),
                    periods: pd.DataFrame | None = None, lag: bool = True, selected: str = "",
                    max_points: int = DEFAULT_MAX_POINTS, labels: int = 4,
                    collapse: bool = False, theme: str = "light",
                    rows: np.ndarray | None = None,
                    context_rows: np.ndarray | None = None,
                    narrow: bool = False) -> go.Figure:
    """The main view: one marker per event in lanes by ``lane``, uncertainty as bands.

    ``narrow`` (a phone-sized screen): lane names are written inside the plot above their
    lanes, so that the plot keeps the screen's width instead of giving a third to labels.

    ``context`` is the filtered table before the time window: it supplies reports outside
    the window for lag lines (and the time range when nothing is in view). The lanes are
    those of the events in view. Above
    ``max_points`` events the view shows counts per (lane, bin) instead (SVG, see
    ``_add_aggregate``). With
    ``collapse`` each duplicate group is one marker (its earliest report's place, lane and
    id, labelled with how many reports and languages it holds).

    ``rows`` / ``context_rows``: the events at these positions (ascending, as
    ``query.select_rows`` gives them) of the prepared ``selection`` / ``context``: the same
    figure as for ``selection.take(rows)``, but a dense view is counted from a few gathered
    columns instead of copied rows.
    """
    c = theme_colours(theme)
    if rows is not None and len(rows) <= max_points:
        selection, rows = selection.take(rows), None  # few rows: a frame is cheap
    if rows is None:
        selection = query.prepare(selection)
    if context is None:
        context, context_rows = selection, rows
    elif context_rows is None:
        context = query.prepare(context)
    n_selected = len(selection) if rows is None else len(rows)
    # lanes of the events in view only: a filter that leaves three events leaves their lanes
    lanes = (query.lane_order(selection, lane, rows=rows) if n_selected else []) or [NONE_VALUE]
    # Plotly reads a little HTML in tick labels: escape what came from documents
    labels_by_lane = {v: _plain(lane_label(v, lane), LANE_LABEL_CHARS) for v in lanes}
    labels_at = ({"ticklabelposition": "inside top", "automargin": False} if narrow
                 else {"automargin": True})
    n_lanes = len(lanes)
    # few lanes get room to breathe; many lanes stay compact
    layout = _base_layout(theme, height=min(max(300, 120 + 28 * n_lanes), 760))
    x_range = (_x_range(selection, window, rows) if n_selected and len(selection.columns)
               else _x_range(context, window, context_rows))
    if periods is not None and not periods.empty:
        layout["shapes"], layout["annotations"] = _period_shapes(periods, theme, labels=False)
    # lanes at whole numbers, top lane highest: overlapping markers of a lane can then sit
    # apart on sub-rows between them (a category axis has no room between its values)
    pos_by_lane = {v: float(n_lanes - 1 - i) for i, v in enumerate(lanes)}
    layout["yaxis"].update(type="linear", tickmode="array",
                           tickvals=[pos_by_lane[v] for v in lanes],
                           ticktext=[labels_by_lane[v] for v in lanes], showgrid=True,
                           range=[-0.7, n_lanes - 0.3], fixedrange=True, **labels_at)
    layout["xaxis"].update(range=x_range, automargin=True)
    layout["margin"]["t"] = 28
    if narrow:
        layout["margin"]["l"] = 4
    layout.update(hovermode="closest", dragmode="zoom", barmode="overlay")
    fig = go.Figure(layout=layout)

    meta: dict = {"events": n_selected, "mode": "events",
                  "lanes": [labels_by_lane[v] for v in lanes]}
    if n_selected > max_points:
        meta.update(mode="bins", bin=_add_aggregate(fig, selection, lane, x_range,
                                                    labels_by_lane, pos_by_lane, c, rows))
    else:
        shown = groups.collapse(selection) if collapse else selection
        # a collapsed member answers to its group's marker
        alias = ({m: head for head, ms in zip(shown["event_id"], shown["members"], strict=True)
                  for m in ms} if collapse else {})
        rows = query.lane_frame(shown, lane)
        # an event known only to a span wide in this view ("2020" in a one-day view) is drawn
        # as that span, not as a point in its middle
        vague = query.vague_mask(rows, *x_range)
        if collapse:
            vague &= rows["group_size"].to_numpy() <= 1
        rows["y"] = rows["lane"].map(pos_by_lane).to_numpy(dtype=float) + sub_rows(
            rows, vague, x_range)
        _add_bands(fig, rows[~vague], c)
        if lag:
            _add_lag_lines(fig, rows, _cited_reports(context, rows, lane, alias, context_rows),
                           pos_by_lane, c, alias)
        _add_spans(fig, rows[vague], c)
        if collapse:
            many = rows["group_size"].to_numpy() > 1
            _add_markers(fig, rows[~many & ~vague], c)
            _add_group_markers(fig, rows[many], c)
            meta.update(groups=int(shown["group_size"].gt(1).sum()),
                        markers=int(len(shown)))
        else:
            _add_markers(fig, rows[~vague], c)
        _add_selected(fig, rows, alias.get(selected, selected), c)
        if labels:
            _add_labels(fig, rows, query.headline_picks(shown, labels), c, x_range)

    fig.layout.meta = meta
    return fig


def _x_range(df: pd.DataFrame, window: tuple, rows: np.ndarray | None = None
             ) -> list[pd.Timestamp]:
    bounds = query.span(df, rows=rows) if (len(df) if rows is None else len(rows)) else None
    w0, w1 = window
    lo = w0 if w0 is not None else (bounds[0] if bounds else pd.Timestamp("2000-01-01"))
    hi = w1 if w1 is not None else (bounds[1] if bounds else lo + pd.Timedelta(days=1))
    if w0 is None or w1 is None:
        pad = max((hi - lo) * 0.02, pd.Timedelta(minutes=30))
        lo, hi = (lo - pad if w0 is None else lo), (hi + pad if w1 is None else hi)
    return [lo, hi]


def _customdata(rows: pd.DataFrame) -> np.ndarray:
    # a numpy array: Plotly validates it in one go instead of cell by cell; the columns as
    # lists, since itertuples over every column of the rows costs more than the labels
    columns = [rows[c].tolist() for c in ("event_id", "start", "end", "precision", "tz",
                                          "year_inferred", "source", "title", "text")]
    return np.array([
        [event_id, when_label(start, end, str(precision), tz, inferred),
         _plain(source or "(no source)", 40), _plain(title or text, 90),
         PRECISION_WORDS.get(str(precision), "")]
        for event_id, start, end, precision, tz, inferred, source, title, text
        in zip(*columns, strict=True)
    ], dtype=object).reshape(-1, 5)


def _segments(starts: list, ends: list) -> np.ndarray:
    """[start0, end0, None, start1, end1, None, ...]: line segments with gaps between them,
    as an object array (Plotly checks a list item by item, an array at once)."""
    out = np.full(3 * len(starts), None, dtype=object)
    out[0::3] = starts
    out[1::3] = ends
    return out


def _iso(times: pd.Series) -> list:
    """Times as the ISO text the JSON encoder would write for them (NaT as None): a string
    is copied and encoded for free, a Timestamp through Python calls each time."""
    return [None if t is pd.NaT else t.isoformat() for t in times.tolist()]


HOVER = ("<b>%{customdata[3]}</b><br>%{customdata[1]} · %{customdata[4]}<br>"
         "%{customdata[2]}<extra></extra>")


def _colour(kind: str, background: bool, c: dict) -> str:
    return BACKGROUND_COLOUR if background else c[kind]


def _add_markers(fig: go.Figure, rows: pd.DataFrame, c: dict) -> None:
    kinds = rows["kind"].astype("str")
    for (kind, inferred, background), part in rows.groupby(
            [kinds, rows["year_inferred"], rows["background"]], sort=True):
        symbol = SYMBOLS[kind] + ("-open" if inferred else "")
        name = kind + (" (year inferred)" if inferred else "") + (" (background)" if background
                                                                    else "")
        fig.add_trace(go.Scatter(
            x=part["at"], y=part["y"], mode="markers", name=name,
            marker={"symbol": symbol, "size": 11 if kind == "report" else 10,
                    "color": _colour(kind, background, c),
                    "line": {"width": 2 if inferred else 1,
                             "color": _colour(kind, background, c) if inferred
                             else "rgba(255,255,255,0.7)"}},
            customdata=_customdata(part), hovertemplate=HOVER,
            meta={"role": "events", "kind": kind, "year_inferred": bool(inferred)},
        ))


def _add_group_markers(fig: go.Figure, rows: pd.DataFrame, c: dict) -> None:
    """One marker per collapsed group, labelled '3 reports · de en fr'."""
    if rows.empty:
        return
    badges = [groups.badge(int(n), str(langs), bool(d)) for n, langs, d in
              zip(rows["group_size"], rows["group_languages"], rows["group_disputed"],
                  strict=True)]
    data = _customdata(rows)
    data[:, 4] = [_plain(b, 60) for b in badges]
    fig.add_trace(go.Scatter(
        x=rows["at"], y=rows["y"], mode="markers+text", name="duplicate group",
        text=[_plain(b, 60) for b in badges], textposition=_staggered(rows),
        textfont={"size": 10.5, "color": c["font"]},
        marker={"symbol": ["circle-x" if d else "circle-dot" for d in rows["group_disputed"]],
                "size": 17, "color": c["report"],
                "line": {"width": 2, "color": c["selected"]}},
        customdata=data,
        hovertemplate=("<b>%{customdata[3]}</b><br>%{customdata[1]}<br>%{customdata[4]}<br>"
                       "first: %{customdata[2]}<br>click to compare the reports<extra></extra>"),
        meta={"role": "groups"},
    ))


def _staggered(rows: pd.DataFrame) -> list[str]:
    """Badges above and below their lane by turns, so neighbouring groups' labels and the
    lane's own markers do not overlap."""
    order = rows.groupby("y", sort=False).cumcount().to_numpy()
    return ["top right" if i % 2 == 0 else "bottom right" for i in order]


def _add_bands(fig: go.Figure, rows: pd.DataFrame, c: dict) -> None:
    """Day/week/month/year precision and ranges as translucent bars over their span."""
    spans = rows[(rows["span_end"] - rows["span_start"]) > query.POINT]
    for (kind, inferred), part in spans.groupby(
            [spans["kind"].astype("str"), spans["year_inferred"]], sort=True):
        y = part["y"].tolist()
        fig.add_trace(go.Scatter(
            x=_segments(_iso(part["span_start"]), _iso(part["span_end"])),
            y=_segments(y, y), mode="lines", hoverinfo="skip", name=f"{kind} span",
            line={"width": 7, "color": c[kind], "dash": "dot" if inferred else "solid"},
            opacity=0.22, meta={"role": "bands"},
        ))


SUB_ROWS = (0.0, 0.27, -0.27, 0.135, -0.135)  # offsets from the lane, in lanes
MARKER_SHARE = 1 / 70  # about a marker's width, as a share of the plot's time range


def sub_rows(rows: pd.DataFrame, vague: np.ndarray, x_range: list) -> np.ndarray:
    """An offset from its lane for each row, so markers (and spans) of one lane that would
    cover each other sit on different sub-rows: the first free one, in time order."""
    width = (pd.Timestamp(x_range[1]) - pd.Timestamp(x_range[0])).value
    gap = width * MARKER_SHARE
    at = rows["at"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    lo = np.where(vague, rows["span_start"].to_numpy(dtype="datetime64[ns]").view(np.int64), at)
    hi = np.where(vague, rows["span_end"].to_numpy(dtype="datetime64[ns]").view(np.int64), at)
    lanes = pd.factorize(rows["lane"].astype("str"))[0]
    out = np.zeros(len(rows))
    ends: dict[tuple[int, bool], list[int]] = {}  # per lane and drawing: each sub-row's end
    for i in np.lexsort((lo, lanes)).tolist():
        slots = ends.setdefault((int(lanes[i]), bool(vague[i])), [])
        free = next((k for k, end in enumerate(slots) if end + gap <= lo[i]), None)
        if free is None:
            free = len(slots) if len(slots) < len(SUB_ROWS) else int(np.argmin(slots))
            if free == len(slots):
                slots.append(hi[i])
        slots[free] = max(hi[i], lo[i])
        out[i] = SUB_ROWS[free]
    return out


def _add_spans(fig: go.Figure, rows: pd.DataFrame, c: dict) -> None:
    """Events vague in this view as bars over the span they could lie in: hover and click
    them like markers."""
    if rows.empty:
        return
    kinds = rows["kind"].astype("str")
    for (kind, inferred, background), part in rows.groupby(
            [kinds, rows["year_inferred"], rows["background"]], sort=True):
        colour = _colour(kind, background, c)
        length = (part["span_end"] - part["span_start"]).to_numpy(dtype="timedelta64[ms]")
        fig.add_trace(go.Bar(
            orientation="h", base=_iso(part["span_start"]), x=length.astype(np.int64),
            y=part["y"].to_numpy(dtype=float), width=0.12,
            name=kind + " (span)" + (" (year inferred)" if inferred else ""),
            marker={"color": colour, "opacity": 0.35,
                    "line": {"width": 1.5, "color": colour},
                    "pattern": {"shape": "/" if inferred else ""}},
            customdata=_customdata(part), hovertemplate=HOVER,
            meta={"role": "events", "kind": kind, "year_inferred": bool(inferred),
                  "span": True},
        ))


def _cited_reports(context: pd.DataFrame, rows: pd.DataFrame, lane: str, alias: dict,
                   context_rows: np.ndarray | None = None) -> pd.DataFrame:
    """Lane rows of only the reports the plotted mentions cite: lane-framing the whole
    context (a million rows) on every zoom is what would cost."""
    mentions = rows.loc[(rows["kind"] == "mention").to_numpy() & (rows["report_id"] != ""),
                        "report_id"]
    cited = {alias.get(r, r) for r in mentions}
    if context_rows is not None:
        # looked up by id in the prepared table, not found by a scan of a million ids
        at = query.event_positions(context, sorted(cited))
        at = np.unique(at[at >= 0])
        reports = (query.column_at(context, "kind", at) == "report").to_numpy(dtype=bool)
        where = np.minimum(np.searchsorted(context_rows, at), max(len(context_rows) - 1, 0))
        in_view = (context_rows[where] == at) if len(context_rows) else reports & False
        return query.lane_frame(context.take(at[reports & in_view]), lane)
    keep = (context["kind"] == "report").to_numpy() & context["event_id"].isin(cited).to_numpy()
    return query.lane_frame(context[keep], lane)


def _add_lag_lines(fig: go.Figure, rows: pd.DataFrame, context_rows: pd.DataFrame,
                   pos_by_lane: dict, c: dict, alias: dict | None = None) -> None:
    """A thin line from each mention to the report that dates it: the reporting lag."""
    mentions = rows[(rows["kind"].astype("str") == "mention") & (rows["report_id"] != "")]
    if mentions.empty:
        return
    reports = context_rows[context_rows["kind"].astype("str") == "report"].drop_duplicates(
        "event_id").set_index("event_id")
    alias = alias or {}
    at = reports.index.get_indexer([alias.get(r, r) for r in mentions["report_id"].tolist()])
    found = at >= 0
    if not found.any():
        return
    mentions, cited = mentions[found], reports.iloc[at[found]]
    # a line ends at the report's own marker (its sub-row) when it is drawn
    keys = zip(rows["event_id"].tolist(), rows["lane"].astype("str").tolist(), strict=True)
    drawn = dict(zip(keys, rows["y"].tolist(), strict=True))
    ends = [drawn.get((e, str(v)), pos_by_lane.get(v, 0.0))
            for e, v in zip(cited.index.tolist(), cited["lane"].tolist(), strict=True)]
    fig.add_trace(go.Scatter(
        x=_segments(_iso(mentions["at"]), _iso(cited["at"])),
        y=_segments(mentions["y"].tolist(), ends),
        mode="lines", hoverinfo="skip", name="reporting lag",
        line={"width": 1, "color": c["lag"], "dash": "dot"}, meta={"role": "lag"}))


def _add_selected(fig: go.Figure, rows: pd.DataFrame, selected: str, c: dict) -> None:
    hit = rows[rows["event_id"] == selected]
    if selected and not hit.empty:
        fig.add_trace(go.Scatter(
            x=hit["at"], y=hit["y"], mode="markers", hoverinfo="skip", name="selected",
            marker={"symbol": "circle-open", "size": 22, "line": {"width": 2.5,
                                                                  "color": c["selected"]}},
            meta={"role": "selected"}))


def label_anchor(at: pd.Timestamp, x_range: list | None) -> str:
    """Which side of its text a label's arrow points from: near an edge of the plot the text
    runs inwards, so it is not cut off at the edge."""
    if x_range is None:
        return "center"
    lo, hi = pd.Timestamp(x_range[0]), pd.Timestamp(x_range[1])
    share = (pd.Timestamp(at) - lo) / (hi - lo) if hi > lo else 0.5
    return "left" if share < 0.2 else "right" if share > 0.8 else "center"


def _add_labels(fig: go.Figure, rows: pd.DataFrame, picks: pd.DataFrame, c: dict,
                x_range: list | None = None) -> None:
    first = rows.drop_duplicates("event_id").set_index("event_id")
    notes = []
    for event_id in picks["event_id"]:
        r = first.loc[event_id]
        notes.append({"x": r["at"], "y": r["y"], "text": _plain(r["title"], 30),
                      "xanchor": label_anchor(r["at"], x_range),
                      "showarrow": True, "arrowwidth": 1, "arrowcolor": c["muted"], "ax": 0,
                      "ay": -22, "font": {"size": 10, "color": c["font"]},
                      "bgcolor": c["label_bg"], "borderpad": 2})
    if notes:  # one layout update: add_annotation costs milliseconds each
        fig.update_layout(annotations=[*fig.layout.annotations, *notes])


def _add_aggregate(fig: go.Figure, selection: pd.DataFrame, lane: str, x_range: list,
                   labels_by_lane: dict, pos_by_lane: dict, c: dict,
                   rows: np.ndarray | None = None) -> str:
    """Counts per (lane, bin): a dense view stays small to send and draw.

    SVG, not WebGL: Plotly's WebGL traces (regl) compile code with ``new Function``, which the
    app's Content-Security-Policy forbids ('unsafe-eval'), and a few thousand cells draw fast
    enough as SVG."""
    size = query.choose_bin(pd.Timestamp(x_range[0]), pd.Timestamp(x_range[1]), max_bins=150)
    bins = query.aggregate_lanes(selection, lane, size, rows=rows)
    names = bins["lane"].astype("str")
    mention = (bins["kind"] == "mention").to_numpy(dtype=np.int8)  # a cell's commonest kind
    bins["y"] = names.map(pos_by_lane).astype(float)
    bins["name"] = names.map(labels_by_lane).fillna(names)
    top = max(int(bins["count"].max()), 1) if len(bins) else 1
    # circles no wider than their period on a plot some 700 px wide, so a busy lane stays a
    # row of circles instead of merging into one bar
    n_bins = max(int(bins["bin"].nunique()), 1)
    biggest = float(np.clip(700 / n_bins, 8, 24))
    # numpy arrays throughout: Plotly validates a list (of colours, of rows) item by item
    fig.add_trace(go.Scatter(
        x=bins["bin"] + (bins["bin_end"] - bins["bin"]) / 2, y=bins["y"], mode="markers",
        text=bins["name"].to_numpy(dtype=object),
        name=f"events per {size}",
        marker={"size": 4 + (biggest - 4) * (bins["count"] / top) ** 0.5,
                "color": mention,
                "colorscale": [[0, c["report"]], [1, c["mention"]]], "cmin": 0, "cmax": 1,
                "showscale": False, "opacity": 0.8},
        customdata=bin_customdata(bins),
        hovertemplate=f"%{{customdata[2]}} events this {size}<br>%{{text}}<br>"
                      "click to zoom in<extra></extra>",
        meta={"role": "bins", "bin": size},
    ))
    return size


def bin_customdata(bins: pd.DataFrame) -> np.ndarray:
    """[bin start, bin end, count] per row, the times written as ``str(pd.Timestamp)`` does
    ('2020-11-10 00:00:00'), what a click on a bin zooms to."""
    out = np.empty((len(bins), 3), dtype=object)
    if not len(bins):
        return out  # numpy's string replace fails on an empty array
    for j, column in enumerate(("bin", "bin_end")):
        # thousands of (lane, bin) cells share a few hundred bins: write each bin once
        times, which = np.unique(bins[column].to_numpy(dtype="datetime64[s]"),
                                 return_inverse=True)
        text = np.char.replace(np.datetime_as_string(times, unit="s"), "T", " ")
        out[:, j] = text.astype(object)[which]
    out[:, 2] = bins["count"].to_numpy(dtype=np.int64).tolist()
    return out


# --- map ---------------------------------------------------------------------------------------

MAP_HEIGHT = 260
MAP_LABELS = 6  # the busiest places are named on the map; the rest on hover


def map_figure(points: pd.DataFrame, *, selected: tuple[str, ...] = (),
               bounds: tuple[tuple[float, float], tuple[float, float]] | None = None,
               theme: str = "light") -> go.Figure:
    """Bubbles sized by event count over an offline base map (``points`` from
    ``geo.place_points``). Selected places are drawn in the second colour with a ring.

    ``customdata`` holds [place name, count, escaped name]; the name is what a click filters by.
    """
    c = theme_colours(theme)
    # one layout dict, not update_layout calls (milliseconds each)
    layout: dict = dict(
        height=MAP_HEIGHT, margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor="rgba(0,0,0,0)", font={"family": FONT, "color": c["font"], "size": 12},
        hoverlabel={"font": {"family": FONT}, "align": "left"}, showlegend=False,
        meta={"role": "map", "places": int(len(points))},
        # a new region re-frames the map; the same region keeps the reader's pan and zoom
        uirevision=str(bounds),
    )
    land = "#e9ecef" if theme != "dark" else "#2a3038"
    water = "#f6f8fa" if theme != "dark" else "#0d1117"
    geo: dict = {
        "projection": {"type": "mercator"}, "resolution": 110, "showframe": False,
        "showland": True, "landcolor": land, "showocean": True, "oceancolor": water,
        "showlakes": True, "lakecolor": water, "showcountries": True,
        "countrycolor": c["muted"], "countrywidth": 0.6, "showcoastlines": True,
        "coastlinecolor": c["muted"], "coastlinewidth": 0.6, "bgcolor": "rgba(0,0,0,0)",
    }
    if bounds is not None:
        geo["lonaxis"] = {"range": list(bounds[0])}
        geo["lataxis"] = {"range": list(bounds[1])}
    layout["geo"] = geo
    if points.empty:
        layout["annotations"] = [{"text": "No mapped places in this selection",
                                  "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper",
                                  "yref": "paper", "font": {"color": c["muted"]}}]
        return go.Figure(data=[go.Scattergeo(lon=[], lat=[], mode="markers",
                                             meta={"role": "places"})], layout=layout)
    fig = go.Figure(layout=layout)
    top = max(int(points["count"].max()), 1)
    chosen = set(selected)
    busiest = set(points["place"].head(MAP_LABELS))
    regions = points["kind"].astype("str").eq("region") if "kind" in points.columns else (
        pd.Series(False, index=points.index))
    # regions are rings under the towns, so a town inside a region stays visible and clickable
    for part, region in ((points[regions], True), (points[~regions], False)):
        if part.empty:
            continue
        names = [_plain(p, 40) for p in part["place"]]
        is_selected = part["place"].isin(chosen).to_numpy()
        colours = [c["mention"] if s else c["report"] for s in is_selected]
        fig.add_trace(go.Scattergeo(
            lon=part["lon"], lat=part["lat"], mode="markers+text",
            text=[n if p in busiest or p in chosen else "" for p, n in
                  zip(part["place"], names, strict=True)],
            textposition="bottom center" if region else "top center",
            textfont={"size": 10.5, "color": c["muted"] if region else c["font"]},
            # a ring is wider than a town bubble of the same count: inside both, the town is
            # the smaller marker and so the one a click picks
            marker={"size": (6 + 22 * (part["count"] / top) ** 0.5) * (1.4 if region else 1)
                    + (8 if region else 0), "sizemode": "diameter",
                    "symbol": "circle-open" if region else "circle",
                    "color": colours, "opacity": 0.9 if region else 0.78,
                    "line": {"width": [3 if s else (2 if region else 0.8) for s in is_selected],
                             "color": colours if region else
                             [c["selected"] if s else "rgba(255,255,255,0.8)"
                              for s in is_selected]}},
            customdata=np.array([[p, int(n), name] for p, n, name in
                                 zip(part["place"], part["count"], names, strict=True)],
                                dtype=object).reshape(-1, 3),
            hovertemplate="<b>%{customdata[2]}</b>" + (" (region)" if region else "") +
                          "<br>%{customdata[1]} events<br>click to filter by this place"
                          "<extra></extra>",
            meta={"role": "places", "regions": region},
        ))
    return fig
