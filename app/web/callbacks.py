"""Callbacks: thin glue from the URL (the one source of view state) to query and figure functions.

Flow: a control changes -> ``sync_url`` turns it into a new state and writes the query string
(one history entry per change) -> the render callbacks read the query string and draw. A
reload, a shared link or back/forward only changes the query string, so they restore views
through the same path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import dash
import numpy as np
import pandas as pd
from dash import ALL, Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from app import query
from app.corpus import Corpus
from app.query import Filters
from app.web import figures, geo, ids, layout
from app.web.url_state import ViewState, decode, encode, parse_time, search

SORTABLE = {"when": "at", "kind": "kind", "source": "source", "language": "language",
            "title": "title", "precision": "precision", "doc": "doc"}


@dataclass
class Explorer:
    """What the callbacks read: the prepared events and everything around them (read-only)."""

    corpus: Corpus
    events: pd.DataFrame
    periods: pd.DataFrame
    facets: list[str]
    max_points: int = figures.DEFAULT_MAX_POINTS
    places: pd.DataFrame | None = None  # canonical, lat, lon of every known place

    def __post_init__(self) -> None:
        # events outside background history: the header's total when background is hidden
        self.foreground = int((~self.events["background"]).sum())
        # per-process caches keyed by the canonical filter query string
        self._mask = lru_cache(maxsize=64)(self._compute_mask)
        self._rows = lru_cache(maxsize=16)(self._compute_rows)
        self._full = lru_cache(maxsize=16)(self._compute_full)
        self._overview = lru_cache(maxsize=16)(self._compute_overview)

    def _compute_mask(self, key: str) -> Any:
        return query.filter_mask(self.events, decode(key).filters)

    def _compute_rows(self, key: str) -> np.ndarray:
        rows = np.flatnonzero(self._mask(key))
        rows.flags.writeable = False  # shared by every caller
        return rows

    def _compute_full(self, key: str) -> pd.DataFrame:
        return self.events[self._mask(key)]

    def _compute_overview(self, key: str, theme: str) -> dict:
        fig = figures.overview_figure(self.events, rows=self._rows(key), periods=self.periods,
                                      theme=theme)
        return fig.to_plotly_json()

    def overview(self, filters: Filters, theme: str) -> dict:
        """The overview for these filters; zooming only moves the window outline on it."""
        base = self._overview(_key(filters.without_window()), theme)
        x_range = base["layout"].get("xaxis", {}).get("range")
        shape = figures.window_shape((filters.start, filters.end), x_range or (None, None),
                                     theme)
        if not shape:
            return base
        shapes = [*base["layout"].get("shapes", []), shape]
        return {**base, "layout": {**base["layout"], "shapes": shapes}}

    def mask(self, filters: Filters) -> Any:
        """The selected rows as a boolean array over ``events`` (cached)."""
        return self._mask(_key(filters))

    def count(self, filters: Filters) -> int:
        return int(self._mask(_key(filters)).sum())

    def selection(self, filters: Filters) -> pd.DataFrame:
        """Every column of the selected events, in time order."""
        return self._full(_key(filters))

    def rows(self, filters: Filters) -> np.ndarray:
        """Positions of the selected rows in ``events`` (in time order; cached, no copy): what
        the overview and dense views count from, gathering only the columns they need."""
        return self._rows(_key(filters))


def _key(filters: Filters) -> str:
    return encode(ViewState(filters=filters))


def register(app: dash.Dash, ex: Explorer) -> None:
    facet_all = {"type": ids.FACET, "index": ALL}

    @app.callback(
        Output(ids.LOCATION, "search"),
        Output(facet_all, "value"),
        Output(ids.BACKGROUND, "value"),
        Output(ids.DATES, "start_date"),
        Output(ids.DATES, "end_date"),
        Output(ids.SEARCH, "value"),
        Output(ids.LANE, "value"),
        Output(ids.LAG, "value"),
        Output(ids.COLLAPSE, "value"),
        Input(ids.LOCATION, "search"),
        Input(facet_all, "value"),
        Input(ids.BACKGROUND, "value"),
        Input(ids.DATES, "start_date"),
        Input(ids.DATES, "end_date"),
        Input(ids.SEARCH, "value"),
        Input(ids.LANE, "value"),
        Input(ids.LAG, "value"),
        Input(ids.COLLAPSE, "value"),
        Input(ids.MAP, "clickData"),
        Input(ids.OVERVIEW, "selectedData"),
        Input(ids.TIMELINE, "relayoutData"),
        Input(ids.TIMELINE, "clickData"),
        Input(ids.NEXT, "n_clicks"),
        Input(ids.PREV, "n_clicks"),
        Input(ids.CLEAR, "n_clicks"),
        Input({"type": ids.PERIOD_BUTTON, "index": ALL}, "n_clicks"),
        Input(ids.TABLE, "cellClicked"),
    )
    def sync_url(current: str, facet_values: list, background: list, start_date: str | None,
                 end_date: str | None, text: str | None, lane: str, lag: list,
                 collapse: list, map_click: dict | None, overview_sel: dict | None,
                 relayout: dict | None, click: dict | None, *_clicks: Any) -> tuple:
        state = decode(current)
        trigger = ctx.triggered_id
        if trigger is not None and trigger != ids.LOCATION:
            state = apply_input(ex, state, trigger, {
                "facets": {i["id"]["index"]: v for i, v in
                           zip(ctx.inputs_list[1], facet_values, strict=True)},
                "background": background, "start_date": start_date, "end_date": end_date,
                "text": text, "lane": lane, "lag": lag, "collapse": collapse,
                "map": map_click, "overview": overview_sel,
                "relayout": relayout, "click": click,
                "cell": ctx.inputs.get(f"{ids.TABLE}.cellClicked"),
                "prop": ctx.triggered[0]["prop_id"].rsplit(".", 1)[-1] if ctx.triggered else "",
            })
        new_search = search(state)
        f = state.filters
        start_value, end_value = picker_dates(f.start, f.end)
        return (
            new_search if new_search != (current or "") else no_update,
            [list(f.facets.get(c, ())) for c in ex.facets],
            ["on"] if f.background else [],
            start_value, end_value,
            f.text,
            state.lane if state.lane in ex.facets else ex.facets[0],
            ["on"] if state.lag else [],
            ["on"] if state.collapse else [],
        )

    @app.callback(
        Output(ids.OVERVIEW, "figure"),
        Output(ids.TIMELINE, "figure"),
        Output(ids.TIMELINE_STATUS, "children"),
        Output(ids.SELECTION_COUNT, "children"),
        Output(facet_all, "options"),
        Output(ids.BACKGROUND, "options"),
        Output("table-count", "children"),
        Output(ids.MAP, "figure"),
        Output(ids.MAP_NOTE, "children"),
        Output(ids.OVERVIEW, "style"),
        Output(ids.TIMELINE, "style"),
        Input(ids.LOCATION, "search"),
        Input(ids.THEME, "data"),
        Input(ids.NARROW, "data"),
    )
    def render(current: str, theme: str | None, narrow: bool | None) -> tuple:
        views = render_views(ex, decode(current), theme or "light", narrow=bool(narrow))
        return (*views, graph_style(views[0]), graph_style(views[1]))

    @app.callback(Output(ids.DETAIL, "children"), Output(ids.EXPLORER, "className"),
                  Input(ids.LOCATION, "search"))
    def render_detail(current: str) -> tuple:
        panel = layout.detail_panel(ex.events, decode(current), ex.corpus.texts)
        # a group's reports need room to stand side by side
        wide = any(getattr(c, "id", None) == "group-members" for c in panel)
        return panel, "explorer wide-detail" if wide else "explorer"

    @app.callback(
        Output(ids.TABLE, "getRowsResponse"),
        Input(ids.TABLE, "getRowsRequest"),
        State(ids.LOCATION, "search"),
    )
    def table_rows(request: dict | None, current: str) -> dict:
        if not request:
            raise PreventUpdate
        return table_page(ex, decode(current), request)

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.EXPORT_CSV, "n_clicks"),
        Input(ids.EXPORT_JSON, "n_clicks"),
        State(ids.LOCATION, "search"),
        prevent_initial_call=True,
    )
    def export(_csv: int, _json: int, current: str) -> dict:
        filters = decode(current).filters
        selection = ex.selection(filters)
        if ctx.triggered_id == ids.EXPORT_JSON:
            return dcc.send_string(query.to_json(selection),
                                   query.export_name(selection, filters, "json"),
                                   type="application/json")
        return dcc.send_string(query.to_csv(selection),
                               query.export_name(selection, filters, "csv"),
                               type="text/csv")

    @app.callback(
        Output(ids.EXPLORER, "hidden"),
        Output(ids.DOC_PAGE, "hidden"),
        Output(ids.DOC_PAGE, "children"),
        Output(ids.REPORT_PAGE, "hidden"),
        Output(ids.REPORT_PAGE, "children"),
        Input(ids.LOCATION, "pathname"),
        State(ids.LOCATION, "search"),
    )
    def route(pathname: str | None, current: str) -> tuple:
        return route_page(ex, app.strip_relative_path(pathname or "/") or "", current)

    # the screen's width at load (keys.js updates it when the window is resized)
    app.clientside_callback(
        "function () { return window.innerWidth < 600; }",
        Output(ids.NARROW, "data"),
        Input(ids.LOCATION, "pathname"),
    )

    app.clientside_callback(
        """function (n, stored) {
            if (n) { return stored === 'dark' ? 'light' : 'dark'; }
            if (stored === 'dark' || stored === 'light') { return stored; }
            return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches
                ? 'dark' : 'light';
        }""",
        Output(ids.THEME, "data"),
        Input(ids.THEME_TOGGLE, "n_clicks"),
        State(ids.THEME, "data"),
    )
    app.clientside_callback(
        "function (n) { return window.location.href; }",
        Output(ids.COPY_LINK, "content"),
        Input(ids.COPY_LINK, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        """function (theme) {
            document.documentElement.dataset.theme = theme;
            document.body.dataset.agThemeMode = theme;
            return theme === 'dark' ? 'Light theme' : 'Dark theme';
        }""",
        Output(ids.THEME_TOGGLE, "children"),
        Input(ids.THEME, "data"),
    )
    # the infinite table caches pages; a new selection must drop them
    app.clientside_callback(
        """function (search) {
            if (window.dash_ag_grid && window.dash_ag_grid.getApiAsync) {
                window.dash_ag_grid.getApiAsync('TABLE_ID').then(function (api) {
                    api.purgeInfiniteCache();
                });
            }
            return search || '';
        }""".replace("TABLE_ID", ids.TABLE),
        Output("table-refreshed", "data"),
        Input(ids.LOCATION, "search"),
    )
    # on a phone the detail panel is below everything else: bring a newly chosen event to it
    app.clientside_callback(
        """function (children, last) {
            var event = new URLSearchParams(window.location.search).get('event') || '';
            if (event && event !== last && window.matchMedia('(max-width: 760px)').matches) {
                window.requestAnimationFrame(function () {
                    var card = document.getElementById('detail-card');
                    if (card) { card.scrollIntoView({block: 'start'}); }
                });
            }
            return event;
        }""",
        Output("detail-shown", "data"),
        Input(ids.DETAIL, "children"),
        State("detail-shown", "data"),
    )
    # a document or the report opens at its top (or at the entry), not where the explorer
    # was scrolled to
    app.clientside_callback(
        """function (doc, report) {
            window.requestAnimationFrame(function () {
                var el = document.getElementById('doc-entry');
                var page = document.getElementById('DOC_ID');
                if (el && page && !page.hidden) { el.scrollIntoView({block: 'center'}); }
                else if (!document.getElementById('EXPLORER_ID').hidden || !doc && !report) {
                    return;
                } else { window.scrollTo(0, 0); }
            });
            return null;
        }""".replace("DOC_ID", ids.DOC_PAGE).replace("EXPLORER_ID", ids.EXPLORER),
        Output("scroll-done", "data"),
        Input(ids.DOC_PAGE, "children"),
        Input(ids.REPORT_PAGE, "children"),
    )


# --- pure-ish helpers the callbacks call (unit-testable without a browser) -------------------

def apply_input(ex: Explorer, state: ViewState, trigger: Any, values: dict) -> ViewState:
    """The state after one control changed. ``trigger`` is the Dash id of that control."""
    f = state.filters
    if isinstance(trigger, dict) and trigger.get("type") == ids.FACET:
        facets = {c: tuple(v or ()) for c, v in values["facets"].items()}
        return state.with_filters(facets=facets)
    if isinstance(trigger, dict) and trigger.get("type") == ids.PERIOD_BUTTON:
        i = int(trigger["index"])
        if i < 0 or i >= len(ex.periods):
            return state.with_filters(start=None, end=None)
        p = ex.periods.iloc[i]
        return state.with_filters(start=p["start"], end=p["end"] + pd.Timedelta(days=1))
    if trigger == ids.BACKGROUND:
        return state.with_filters(background="on" in (values["background"] or []))
    if trigger == ids.DATES:
        if values["prop"] == "start_date":
            return state.with_filters(start=_day(values["start_date"]))
        end = _day(values["end_date"])
        return state.with_filters(end=end + pd.Timedelta(days=1) if end is not None else None)
    if trigger == ids.SEARCH:
        return state.with_filters(text=values["text"] or "")
    if trigger == ids.LANE:
        return replace(state, lane=values["lane"] or state.lane)
    if trigger == ids.LAG:
        return replace(state, lag="on" in (values["lag"] or []))
    if trigger == ids.COLLAPSE:
        return replace(state, collapse="on" in (values["collapse"] or []))
    if trigger == ids.MAP:
        place = clicked_place(values["map"])
        if place is None:
            raise PreventUpdate
        return state.with_filters(facets={**f.facets, "places": toggle(
            f.facets.get("places", ()), place)})
    if trigger == ids.OVERVIEW:
        window = selected_range(values["overview"])
        if window is None:
            raise PreventUpdate
        return state.with_filters(start=window[0], end=window[1])
    if trigger == ids.TIMELINE and values["prop"] == "relayoutData":
        change = relayout_window(values["relayout"])
        if change is None:
            raise PreventUpdate
        return state.with_filters(start=change[0], end=change[1])
    if trigger == ids.TIMELINE and values["prop"] == "clickData":
        return clicked(state, values["click"])
    if trigger in (ids.NEXT, ids.PREV):
        step = 1 if trigger == ids.NEXT else -1
        return replace(state, event=query.neighbour(ex.selection(f), state.event, step,
                                                    (f.start, f.end)))
    if trigger == ids.CLEAR:
        return replace(state, filters=Filters())
    if trigger == ids.TABLE:
        cell = values.get("cell") or {}
        if cell.get("rowId"):
            return replace(state, event=str(cell["rowId"]))
    return state


def _day(value: str | None) -> pd.Timestamp | None:
    ts = parse_time(value)
    return ts.normalize() if ts is not None else None


def picker_dates(start: pd.Timestamp | None, end: pd.Timestamp | None
                 ) -> tuple[str | None, str | None]:
    """The date picker shows the days the window touches (its end is exclusive)."""
    s = start.strftime("%Y-%m-%d") if start is not None else None
    e = (end - pd.Timedelta(1, "ns")).strftime("%Y-%m-%d") if end is not None else None
    return s, e


def selected_range(selected: dict | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The time range brushed on the overview (any x axis of its subplots)."""
    if not selected or not selected.get("range"):
        return None
    for key, bounds in selected["range"].items():
        if key.startswith("x") and len(bounds) == 2:
            a, b = parse_time(str(bounds[0])), parse_time(str(bounds[1]))
            if a is not None and b is not None:
                return (a, b) if a <= b else (b, a)
    return None


def relayout_window(relayout: dict | None
                    ) -> tuple[pd.Timestamp | None, pd.Timestamp | None] | None:
    """A zoom or pan of the timeline as a new window; (None, None) for a reset; None otherwise."""
    if not relayout:
        return None
    if relayout.get("xaxis.autorange"):
        return (None, None)
    if "xaxis.range[0]" in relayout and "xaxis.range[1]" in relayout:
        a, b = relayout["xaxis.range[0]"], relayout["xaxis.range[1]"]
    elif isinstance(relayout.get("xaxis.range"), list):
        a, b = relayout["xaxis.range"]
    else:
        return None
    start, end = parse_time(str(a)), parse_time(str(b))
    if start is None or end is None:
        return None
    return start, end


def clicked(state: ViewState, click: dict | None) -> ViewState:
    """A click on an event marker selects it; a click on a count bin zooms into the bin."""
    points = (click or {}).get("points") or []
    if not points or not points[0].get("customdata"):
        raise PreventUpdate
    data = points[0]["customdata"]
    if len(data) == 3:  # an aggregate bin: start, end, count
        return state.with_filters(start=parse_time(data[0]), end=parse_time(data[1]))
    return replace(state, event=str(data[0]))


def clicked_place(click: dict | None) -> str | None:
    """The place name of a clicked map bubble."""
    points = (click or {}).get("points") or []
    if not points or not points[0].get("customdata"):
        return None
    return str(points[0]["customdata"][0])


def toggle(values: tuple[str, ...], value: str) -> tuple[str, ...]:
    """``values`` with ``value`` added, or removed when it is there already."""
    return tuple(v for v in values if v != value) if value in values else (*values, value)


def map_view(ex: Explorer, state: ViewState, counts: pd.Series | None, theme: str
             ) -> tuple[dict, str]:
    """The map figure and the note under it, for events per place under every other filter."""
    if counts is None or ex.places is None:
        return figures.map_figure(geo.place_points(pd.Series(dtype="int64"),
                                                   pd.DataFrame()), theme=theme), ""
    points = geo.place_points(counts, ex.places)
    bounds = geo.view_bounds(points)
    selected = state.filters.facets.get("places", ())
    fig = figures.map_figure(points, selected=selected, bounds=bounds, theme=theme)
    away = geo.outside(points)
    unmapped = [p for p, n in counts.items() if n and p and p not in set(points["place"])]
    notes = []
    if len(away):
        shown = ", ".join(f"{p} ({n})" for p, n in zip(away["place"].head(4),
                                                       away["count"].head(4), strict=True))
        more = f" and {len(away) - 4} more" if len(away) > 4 else ""
        notes.append(f"Outside this view: {shown}{more}. Scroll to zoom out.")
    if unmapped:
        notes.append(f"{len(unmapped)} place{'s' if len(unmapped) != 1 else ''} without "
                     "coordinates (see the Place filter).")
    return fig, " ".join(notes)


def graph_style(figure: dict | Any) -> dict[str, str]:
    """The graph's box as tall as its figure. A responsive graph is drawn to fill its box; a
    box sized by its own content measures 0 px while the columns around it change (a group
    opening the wide detail column) and the chart collapses."""
    layout = figure.get("layout", {}) if isinstance(figure, dict) else figure.layout
    height = layout.get("height") if isinstance(layout, dict) else layout.height
    return {"height": f"{int(height)}px"} if height else {}


def render_views(ex: Explorer, state: ViewState, theme: str, narrow: bool = False) -> tuple:
    f = state.filters
    n = ex.count(f)
    # a dense view is counted from row positions: its rows' columns are never copied
    dense = n > ex.max_points
    window = (f.start, f.end)
    lane = state.lane if state.lane in ex.facets else ex.facets[0]
    overview = ex.overview(f, theme)
    timeline = figures.timeline_figure(
        ex.events if dense else ex.selection(f), rows=ex.rows(f) if dense else None,
        lane=lane, context=ex.events, context_rows=ex.rows(f.without_window()), window=window,
        periods=ex.periods, lag=state.lag, selected=state.event, max_points=ex.max_points,
        collapse=state.collapse, theme=theme, narrow=narrow)
    total = len(ex.events) if f.background else ex.foreground
    if dense:
        status = (f"{n:,} events in view: too many to draw one by one, so each circle counts "
                  f"the events of one {timeline.layout.meta['bin']}. Zoom in or filter for "
                  "single events.")
    else:
        status = f"{n:,} event{'s' if n != 1 else ''} in view."
        groups_shown = timeline.layout.meta.get("groups", 0)
        if groups_shown:
            status += (f" Duplicates collapsed: {timeline.layout.meta['markers']:,} markers, "
                       f"{groups_shown:,} of them group{'s' if groups_shown != 1 else ''}.")
    # data-search tells a script (or a test) which view the figures now show
    status_el = dash.html.Span(status, id="status-text",
                               **{"data-count": str(n), "data-search": search(state)})
    counts = query.facet_counts_many(ex.events, f, ex.facets)
    options = [layout.facet_options(counts[c], c) for c in ex.facets]
    bg = query.background_count(ex.events, f)
    bg_options = [{"label": f"Show background history ({bg:,})", "value": "on"}]
    count = f"Showing {n:,} of {total:,} events"
    map_fig, map_note = map_view(ex, state, counts.get("places"), theme)
    return (overview, timeline, status_el, count, options, bg_options,
            f"{n:,} row{'s' if n != 1 else ''}", map_fig, map_note)


def table_page(ex: Explorer, state: ViewState, request: dict) -> dict:
    """One block of table rows for the infinite grid, sorted as the grid asks.

    Works on row positions: only the sort column is gathered and only the block's rows are
    copied, so a page of a million-row selection stays cheap.
    """
    f = state.filters
    rows = ex.rows(f)  # the prepared table is in time order (shared: not changed)
    # by date, events vague in the window ("2020" in a one-day view) come after the rest
    rows = query.precise_first(ex.events, rows, f.start, f.end)
    for sort in reversed(request.get("sortModel") or []):
        column = SORTABLE.get(sort.get("colId", ""))
        if column:
            values = ex.events[column]
            keys = values.cat.codes if isinstance(values.dtype, pd.CategoricalDtype) else values
            order = pd.Series(keys.to_numpy()[rows]).sort_values(
                ascending=sort.get("sort") != "desc", kind="stable").index.to_numpy()
            rows = rows[order]
            if column == "at":
                rows = query.precise_first(ex.events, rows, f.start, f.end)
    start = int(request.get("startRow") or 0)
    end = int(request.get("endRow") or start + 100)
    return {"rowData": layout.table_rows(ex.events.take(rows[start:end])),
            "rowCount": len(rows)}


def route_page(ex: Explorer, path: str, current: str) -> tuple:
    """(explorer hidden, doc hidden, doc children, report hidden, report children)."""
    back = "/" + (current or "")
    if path.startswith("doc/"):
        name = unquote(path[len("doc/"):])
        state = decode(current)
        row = query.event_row(ex.events, state.event) if state.event else None
        entry = None
        if row is not None and row["doc"] == name and row["char_start"] >= 0:
            entry = (int(row["char_start"]), int(row["char_end"]))
        view = layout.document_view(name, ex.corpus.texts, ex.corpus.segments, entry, back)
        return True, False, view, True, no_update
    if path == "report":
        return True, True, no_update, False, layout.report_view(ex.corpus.report, back)
    return False, True, no_update, True, no_update
