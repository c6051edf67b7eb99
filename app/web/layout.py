"""The page: header, facets, overview, timeline, detail panel, table; plus the document and
ingest-report views. Everything is built from Dash components, so document text is always
escaped by React; no raw HTML is ever injected.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import dash_ag_grid as dag
import pandas as pd
from dash import dcc, html

from app import query
from app.ingest.base import Segment
from app.web import groups, ids
from app.web.figures import MAP_HEIGHT, PRECISION_WORDS, lane_label, utc_label, when_label
from app.web.url_state import ViewState, search

FACET_TITLES = {"source": "Source", "language": "Language", "kind": "Kind",
                "actors": "Actor", "places": "Place"}
KEYS = [("j", "next event"), ("k", "previous event"), ("Esc", "clear filters"),
        ("/", "search"), ("t", "light / dark theme"),
        ("← →", "on a focused chart: pan (map: next place)"),
        ("+ −", "on a focused chart: zoom in, out"), ("0", "on a focused chart: whole span"),
        ("Enter", "on the focused map: filter by the place")]
EXCERPT_CHARS = 700


# --- the explorer page -------------------------------------------------------------------------

def explorer_layout(events: pd.DataFrame, periods: pd.DataFrame, facets: list[str],
                    topojson_url: str = "/assets/topojson/") -> html.Div:
    return html.Div(className="app", children=[
        dcc.Location(id=ids.LOCATION, refresh="callback-nav"),
        dcc.Store(id=ids.THEME, storage_type="local"),
        dcc.Store(id=ids.NARROW, data=False),
        dcc.Store(id="scroll-done"),
        dcc.Store(id="table-refreshed"),
        dcc.Store(id="detail-shown"),
        dcc.Download(id=ids.DOWNLOAD),
        skip_links(),
        header(events),
        html.Div(id=ids.EXPLORER, className="explorer", children=[
            facet_panel(facets, picker_bounds(events)),
            html.Main(className="main", children=[
                html.Div(className="where-when" if "places" in facets else "", children=[
                    overview_section(periods),
                    map_section(topojson_url, hidden="places" not in facets),
                ]),
                timeline_section(facets),
                table_section(),
            ]),
            detail_section(),
        ]),
        html.Div(id=ids.DOC_PAGE, className="page", hidden=True),
        html.Div(id=ids.REPORT_PAGE, className="page", hidden=True),
    ])


SKIPS = [("periods", "Skip to the periods"), ("timeline-card", "Skip to the timeline"),
         ("detail-card", "Skip to the event"), ("table-card", "Skip to the table")]


def skip_links() -> html.Nav:
    """The first stops of Tab: past the long filter panel to each view (shown when focused)."""
    return html.Nav(className="skip-links", **{"aria-label": "Skip links"}, children=[
        html.A(text, href=f"#{target}", className="skip-link") for target, text in SKIPS])


def header(events: pd.DataFrame) -> html.Header:
    s = query.summary(events)
    span = (f"{when_label(s['start'], None, 'day')} – {when_label(s['end'], None, 'day')}"
            if s["start"] is not None else "no dated events")
    languages = ", ".join(s["languages"]) or "none"
    parts: list[Any] = [
        html.Strong(f"{s['events']:,} events"),
        html.Span(span),
        html.Span(f"{s['sources']} sources"),
        html.Span(f"{len(s['languages'])} languages ({languages})"),
    ]
    if s["background"]:
        parts.append(html.Span(f"{s['background']} background"))
    parts.append(dcc.Link("Ingest report", href="/report", id="report-link"))
    return html.Header(className="topbar", children=[
        html.Div(className="brand", children=[
            html.H1(dcc.Link("Chronology explorer", href="/")),
            html.P(id=ids.SUMMARY, className="summary", children=_join(parts, " · ")),
        ]),
        html.Div(className="topbar-tools", children=[
            # the whole view is in the URL: this is how a reader shares it
            dcc.Clipboard(id=ids.COPY_LINK, children="Copy link", copied_children="Link copied",
                          title="Copy a link to this view", className="button ghost copy-link"),
            html.Details(className="keys", children=[
                html.Summary("Keys"),
                html.Dl([item for key, what in KEYS for item in (html.Dt(html.Kbd(key)),
                                                                  html.Dd(what))]),
            ]),
            html.Button("Dark theme", id=ids.THEME_TOGGLE, className="button ghost",
                        title="Switch light / dark theme (t)", n_clicks=0),
        ]),
    ])


def _join(parts: list[Any], sep: str) -> list[Any]:
    out: list[Any] = []
    for i, p in enumerate(parts):
        if i:
            out.append(html.Span(sep, className="sep", **{"aria-hidden": "true"}))
        out.append(p)
    return out


def picker_bounds(events: pd.DataFrame) -> dict[str, str]:
    """The date picker's range and the month it opens on: the corpus's own days (background
    history included), opening where the foreground begins, not on today's month."""
    dated = events["start"].dropna()
    if dated.empty:
        return {}
    s = query.summary(events)
    first = s["start"] if s["start"] is not None else dated.min()
    return {"min_date_allowed": dated.min().strftime("%Y-%m-%d"),
            "max_date_allowed": dated.max().strftime("%Y-%m-%d"),
            "initial_visible_month": pd.Timestamp(first).strftime("%Y-%m-01")}


def facet_panel(facets: list[str], dates: dict[str, str] | None = None) -> html.Aside:
    boxes = [
        html.Fieldset(className="facet", children=[
            html.Legend(FACET_TITLES.get(col, col)),
            dcc.Checklist(id={"type": ids.FACET, "index": col}, options=[], value=[],
                          className="checklist", inputClassName="check",
                          labelClassName="check-label"),
        ]) for col in facets
    ]
    return html.Aside(className="facets", **{"aria-label": "Filters"}, children=[
        html.Label("Search headlines and excerpts", htmlFor=ids.SEARCH, className="label"),
        dcc.Input(id=ids.SEARCH, type="search", placeholder="e.g. peacekeepers", debounce=0.4,
                  value="", className="search", autoComplete="off"),
        html.Label("Dates", className="label", htmlFor=ids.DATES),
        dcc.DatePickerRange(id=ids.DATES, display_format="D MMM YYYY", clearable=True,
                            start_date_placeholder_text="from", end_date_placeholder_text="to",
                            first_day_of_week=1, className="dates", **(dates or {})),
        html.P(id=ids.SELECTION_COUNT, className="selection-count", **{"aria-live": "polite"}),
        *boxes,
        dcc.Checklist(id=ids.BACKGROUND, options=[{"label": "Show background history",
                                                  "value": "on"}],
                      value=[], className="checklist toggle"),
        html.Button("Clear filters (Esc)", id=ids.CLEAR, className="button", n_clicks=0),
    ])


def overview_section(periods: pd.DataFrame) -> html.Section:
    chips = [html.Button("Whole span", id={"type": ids.PERIOD_BUTTON, "index": -1},
                         className="chip", n_clicks=0)]
    chips += [html.Button(p.label, id={"type": ids.PERIOD_BUTTON, "index": i}, className="chip",
                          title=f"{p.description}", n_clicks=0)
              for i, p in enumerate(periods.itertuples())]
    return html.Section(className="card overview", **{"aria-label": "Overview"}, children=[
        html.Div(className="card-head", children=[
            html.H2("Overview"),
            html.P("Events per period, stacked by kind; below, sources per language. "
                   "Drag across it to zoom the timeline.", className="hint"),
        ]),
        html.Div(className="chips", id="periods", tabIndex=-1, children=chips),
        dcc.Graph(id=ids.OVERVIEW, config={"displayModeBar": False, "responsive": True},
                  className="graph overview-graph"),
    ])


def timeline_section(facets: list[str]) -> html.Section:
    return html.Section(className="card timeline", id="timeline-card", tabIndex=-1,
                        **{"aria-label": "Timeline"}, children=[
        html.Div(className="card-head", children=[
            html.H2("Timeline"),
            html.Div(className="controls", children=[
                html.Span("Lanes by", className="label inline"),
                dcc.RadioItems(id=ids.LANE, value="source", className="radio", inline=True,
                               options=[{"label": FACET_TITLES.get(c, c), "value": c}
                                        for c in facets]),
                dcc.Checklist(id=ids.LAG, options=[{"label": "Reporting lag", "value": "on"}],
                              value=["on"], className="checklist toggle", inline=True),
                dcc.Checklist(id=ids.COLLAPSE,
                              options=[{"label": "Collapse duplicates", "value": "on"}],
                              value=[], className="checklist toggle", inline=True),
            ]),
        ]),
        html.P(id=ids.TIMELINE_STATUS, className="hint status", **{"aria-live": "polite"}),
        dcc.Graph(id=ids.TIMELINE, className="graph timeline-graph",
                  config={"displaylogo": False, "responsive": True, "scrollZoom": True,
                          "modeBarButtonsToRemove": ["lasso2d", "select2d", "toImage"]}),
        html.P(className="legend", children=[
            html.Span("● report", className="key-report"),
            html.Span("◆ mention", className="key-mention"),
            html.Span("○ ◇ year inferred", className="key-inferred"),
            html.Span("▬ could be anywhere in this span", className="key-band"),
            html.Span("┄ from happening to report", className="key-lag"),
            html.Span("◉ duplicate group (⊗ disputed)", className="key-group"),
        ]),
    ])


def map_section(topojson_url: str, hidden: bool = False) -> html.Section:
    return html.Section(className="card map", hidden=hidden, **{"aria-label": "Map"}, children=[
        html.Div(className="card-head", children=[
            html.H2("Places"),
            html.P("Click a place to filter by it; again to drop it.", className="hint"),
        ]),
        # the base map is served from the app's own assets: no tiles, no network
        dcc.Graph(id=ids.MAP, className="graph map-graph", style={"height": f"{MAP_HEIGHT}px"},
                  config={"displayModeBar": False, "responsive": True, "scrollZoom": True,
                          "topojsonURL": topojson_url}),
        html.P(id=ids.MAP_NOTE, className="hint map-note"),
    ])


def detail_section() -> html.Aside:
    return html.Aside(className="card detail", id="detail-card", tabIndex=-1,
                      **{"aria-label": "Event details"}, children=[
        html.Div(className="card-head", children=[
            html.H2("Event"),
            html.Div(className="detail-nav", children=[
                html.Button("← Previous (k)", id=ids.PREV, className="button", n_clicks=0),
                html.Button("Next (j) →", id=ids.NEXT, className="button", n_clicks=0),
            ]),
        ]),
        html.Div(id=ids.DETAIL, **{"aria-live": "polite"}),
    ])


TABLE_COLUMNS = [
    {"field": "when", "headerName": "Date", "sort": "asc", "minWidth": 190},
    {"field": "kind", "headerName": "Kind", "maxWidth": 100},
    {"field": "source", "headerName": "Source"},
    {"field": "language", "headerName": "Lang.", "maxWidth": 90},
    {"field": "title", "headerName": "Headline", "flex": 3, "minWidth": 260},
    {"field": "precision", "headerName": "Precision", "maxWidth": 120},
    {"field": "doc", "headerName": "Document"},
]


def table_section() -> html.Section:
    return html.Section(className="card table", id="table-card", tabIndex=-1,
                        **{"aria-label": "Table"}, children=[
        html.Div(className="card-head", children=[
            html.H2("Table"),
            html.Div(className="controls", children=[
                html.Span(id="table-count", className="hint"),
                html.Button("Export CSV", id=ids.EXPORT_CSV, className="button", n_clicks=0),
                html.Button("Export JSON", id=ids.EXPORT_JSON, className="button", n_clicks=0),
            ]),
        ]),
        dag.AgGrid(
            id=ids.TABLE, rowModelType="infinite", columnDefs=TABLE_COLUMNS,
            defaultColDef={"sortable": True, "resizable": True, "flex": 1, "minWidth": 90},
            getRowId="params.data.event_id",
            dashGridOptions={"pagination": True, "paginationPageSize": 20,
                             "cacheBlockSize": 20, "maxBlocksInCache": 20,
                             "paginationPageSizeSelector": False, "domLayout": "autoHeight",
                             "suppressCellFocus": False},
            className="grid", style={"width": "100%"},
        ),
    ])


def table_rows(selection: pd.DataFrame) -> list[dict[str, Any]]:
    return [{"event_id": r.event_id,
             "when": when_label(r.start, r.end, str(r.precision), r.tz, r.year_inferred),
             "kind": str(r.kind), "source": r.source, "language": r.language,
             "title": r.title or r.text[:120], "precision": str(r.precision), "doc": r.doc}
            for r in selection.itertuples()]


# --- controls <- state -------------------------------------------------------------------------

def facet_options(counts: pd.Series, column: str) -> list[dict[str, Any]]:
    return [{"label": html.Span([html.Span(lane_label(v, column), className="name"),
                                 html.Span(f"{n:,}", className="count")],
                                className="zero" if n == 0 else ""),
             "value": v} for v, n in counts.items()]


# --- detail panel ------------------------------------------------------------------------------

def detail_panel(events: pd.DataFrame, state: ViewState, texts: dict[str, str]) -> list[Any]:
    row = query.event_row(events, state.event) if state.event else None
    if row is None:
        return [html.P("Click a marker, or press j, to read an event here.", className="hint")]
    if state.collapse and row["group_id"]:
        members = groups.members(events, state.event)
        if len(members) > 1:
            return group_panel(members, state, texts)
    when = when_label(row["start"], row["end"], str(row["precision"]), row["tz"])
    badges = [html.Span(str(row["kind"]), className=f"badge {row['kind']}")]
    if row["year_inferred"]:
        badges.append(html.Span("year inferred", className="badge inferred",
                                title="The text gives no year; it was inferred from context."))
    if row["background"]:
        badges.append(html.Span("background", className="badge"))
    if row["disputed"]:
        badges.append(html.Span("disputed", className="badge disputed",
                                title="Other reports of this happening contradict it."))
    out: list[Any] = [
        html.H3(row["title"] or "(no headline)", className="detail-title"),
        html.P(className="badges", children=badges),
        html.Dl(className="facts", children=[
            html.Dt("When"), html.Dd([when, html.Span(
                f" ({PRECISION_WORDS.get(str(row['precision']), '')})", className="muted"),
                *([html.Br(), html.Span(f"= {utc}", className="muted", id="detail-utc")]
                  if (utc := utc_label(row["start"], str(row["precision"]),
                                       str(row.get("utc_offset", "")))) else [])]),
            html.Dt("Source"), html.Dd(row["source"] or "(no source)"),
            html.Dt("Language"), html.Dd(row["language"] or "unknown"),
            *[item for label, col in (("Actors", "actors"), ("Places", "places"))
              if len(row[col]) for item in (html.Dt(label), html.Dd(", ".join(row[col])))],
        ]),
        excerpt(row["text"], row["evidence"]),
    ]
    if row["kind"] == "mention" and not row["report_id"]:
        # dated by a timeline page's heading: nobody's report, so no "Reported in"
        out.append(html.P(f"From the timeline {row['doc']}", className="muted",
                          id="detail-timeline"))
    if row["doc"] in texts:
        href = f"/doc/{quote(row['doc'], safe='')}{search(state)}"
        out.append(html.P(dcc.Link(f"Read it in {row['doc']}", href=href, id="doc-link")))
    rel = query.related(events, state.event)
    for key, title in (("report", "Reported in"), ("mentions", "Happenings this report dates"),
                       ("same_group", "Same happening, other reports"),
                       ("same_day", "Same day")):
        if len(rel[key]):
            out.append(related_list(title, rel[key], state))
    return out


GROUP_EXCERPT_CHARS = 320


def group_panel(members: pd.DataFrame, state: ViewState, texts: dict[str, str]) -> list[Any]:
    """Every report of one duplicate group side by side: headline, source, language, time and
    excerpt; a disputed group says so above its versions."""
    languages = " ".join(sorted({str(v) for v in members["language"] if str(v)}))
    disputed = bool(members["disputed"].any())
    badges = [html.Span(f"{len(members)} reports", className="badge report"),
              html.Span(languages or "unknown language", className="badge")]
    if disputed:
        badges.append(html.Span("disputed", className="badge disputed",
                                title="These reports of the same happening contradict each "
                                      "other: one side states, the other denies."))
    intro = ("The reports below contradict each other: read the versions side by side."
             if disputed else "Reports of the same happening by different outlets or in "
                              "different languages.")
    cards = []
    for i, r in enumerate(members.itertuples(), start=1):
        doc_link = []
        if r.doc in texts:
            href = f"/doc/{quote(r.doc, safe='')}{search(replace(state, event=r.event_id))}"
            doc_link = [dcc.Link(f"Read it in {r.doc}", href=href, className="doc-link")]
        cards.append(html.Article(
            className="version" + (" selected" if r.event_id == state.event else ""),
            **{"data-event": r.event_id}, children=[
                html.P(f"Version {i}" if disputed else f"Report {i}", className="muted small"),
                html.H4(r.title or "(no headline)", className="version-title"),
                html.Dl(className="facts", children=[
                    html.Dt("When"), html.Dd(when_label(r.start, r.end, str(r.precision), r.tz)),
                    html.Dt("Source"), html.Dd(r.source or "(no source)"),
                    html.Dt("Language"), html.Dd(r.language or "unknown"),
                ]),
                excerpt(r.text, r.evidence, limit=GROUP_EXCERPT_CHARS),
                *doc_link,
            ]))
    return [
        html.H3("Same happening" + (" (disputed)" if disputed else ""),
                className="detail-title group-title"),
        html.P(className="badges", children=badges),
        html.P(intro, className="hint"),
        html.Div(cards, className="versions" + (" disputed" if disputed else ""),
                 id="group-members"),
    ]


def excerpt(text: str, evidence: str, limit: int = 0) -> html.Blockquote:
    """The excerpt with the date expression marked; long texts are cut around it."""
    limit = limit or EXCERPT_CHARS
    lowered = text.lower()
    pos = lowered.find(evidence.lower()) if evidence else -1
    if pos < 0:
        body = _shorten(text, 0, limit)
        parts: list[Any] = [body[1]]
        if evidence:
            parts = [html.Span("Dated by ", className="muted"), html.Mark(evidence),
                     html.Br(), *parts]
        return html.Blockquote(parts, className="excerpt")
    start, shown = _shorten(text, pos, limit)
    rel = pos - start
    end = rel + len(evidence)
    return html.Blockquote([shown[:rel], html.Mark(shown[rel:end]), shown[end:]],
                           className="excerpt")


def _shorten(text: str, around: int, limit: int = EXCERPT_CHARS) -> tuple[int, str]:
    """(offset of the shown text's first character in ``text``, the shown text with ellipses)."""
    if len(text) <= limit:
        return 0, text
    start = max(0, min(around - limit // 3, len(text) - limit))
    prefix = "…" if start else ""
    suffix = "…" if start + limit < len(text) else ""
    return start - len(prefix), prefix + text[start:start + limit] + suffix


def related_list(title: str, rows: pd.DataFrame, state: ViewState, limit: int = 12) -> html.Div:
    items = [
        html.Li(dcc.Link(href=search(replace(state, event=r.event_id)) or "?",
                         children=[html.Span(when_label(r.start, r.end, str(r.precision)),
                                             className="muted"), " ",
                                   r.title or r.text[:80],
                                   html.Span(f" · {r.source}" if r.source else "",
                                             className="muted")]))
        for r in rows.head(limit).itertuples()
    ]
    more = [html.Li(f"and {len(rows) - limit} more", className="muted")] if len(rows) > limit \
        else []
    return html.Div(className="related", children=[html.H4(title), html.Ul(items + more)])


# --- document view -----------------------------------------------------------------------------

SEGMENT_PRIORITY = {"comments": 5, "join_date": 4, "furniture": 3, "preamble": 2, "body": 1}


def document_view(name: str, texts: dict[str, str], segments: dict[str, list[Segment]],
                  entry: tuple[int, int] | None, back_href: str) -> list[Any]:
    """The whole document: the entry marked, comments folded away, furniture dimmed.

    ``name`` is only ever looked up in ``texts``; it is never used to open a file.
    """
    back = dcc.Link("← Back to the timeline", href=back_href, className="button")
    if name not in texts:
        return [back, html.H2("No such document"),
                html.P("This corpus holds no document by that name.", className="hint")]
    text = texts[name]
    pieces = _document_pieces(text, segments.get(name, []), entry)
    children: list[Any] = []
    comment_run: list[Any] = []

    def flush() -> None:
        if comment_run:
            children.append(html.Details(className="comments", children=[
                html.Summary("Reader comments (not events)"),
                html.Div(list(comment_run), className="doc-text"),
            ]))
            comment_run.clear()

    for kind, inside, chunk in pieces:
        node = html.Mark(chunk, className="doc-entry") if inside else chunk
        if kind == "comments":
            comment_run.append(node)
            continue
        flush()
        if kind in ("furniture", "join_date", "preamble"):
            children.append(html.Span(node, className=f"seg-{kind}",
                                      title={"furniture": "site furniture, not content",
                                             "join_date": "forum join date, not an event",
                                             "preamble": "document preamble"}[kind]))
        else:
            children.append(node)
    flush()
    # the first marked piece gets an id the page scrolls to
    for child in children:
        if isinstance(child, html.Mark):
            child.id = "doc-entry"
            break
    return [back, html.H2(name, className="doc-title"),
            html.Div(children, className="doc-text")]


def _document_pieces(text: str, segments: list[Segment], entry: tuple[int, int] | None
                     ) -> list[tuple[str, bool, str]]:
    """Split the text at every segment and entry edge: (segment kind, inside entry, text)."""
    n = len(text)
    cuts = {0, n}
    for s in segments:
        cuts.update((max(0, min(n, s.char_start)), max(0, min(n, s.char_end))))
    if entry:
        cuts.update((max(0, min(n, entry[0])), max(0, min(n, entry[1]))))
    edges = sorted(cuts)
    out: list[tuple[str, bool, str]] = []
    for a, b in zip(edges, edges[1:], strict=False):
        if a >= b:
            continue
        covering = [s.kind for s in segments if s.char_start <= a and b <= s.char_end]
        kind = max(covering, key=lambda k: SEGMENT_PRIORITY.get(k, 0), default="body")
        inside = bool(entry) and entry[0] <= a and b <= entry[1]
        if out and out[-1][0] == kind and out[-1][1] == inside:
            out[-1] = (kind, inside, out[-1][2] + text[a:b])
        else:
            out.append((kind, inside, text[a:b]))
    return out


# --- ingest report view ------------------------------------------------------------------------

def report_view(report: dict[str, Any], back_href: str) -> list[Any]:
    """The ingest report as nested lists and tables: what was read, skipped, and why."""
    return [dcc.Link("← Back to the timeline", href=back_href, className="button"),
            html.H2("Ingest report"),
            html.Div(_render_value(report), className="report")]


def _render_value(value: Any, depth: int = 0) -> Any:
    if isinstance(value, dict):
        if not value:
            return html.Span("none", className="muted")
        return html.Dl([item for k, v in value.items()
                        for item in (html.Dt(str(k).replace("_", " ")),
                                     html.Dd(_render_value(v, depth + 1)))])
    if isinstance(value, list):
        if not value:
            return html.Span("none", className="muted")
        if all(isinstance(v, dict) for v in value):
            keys = list(dict.fromkeys(k for v in value for k in v))
            return html.Div(className="table-wrap", children=html.Table([
                html.Thead(html.Tr([html.Th(k.replace("_", " ")) for k in keys])),
                html.Tbody([html.Tr([html.Td(_cell(v.get(k))) for k in keys]) for v in value]),
            ]))
        return html.Ul([html.Li(_render_value(v, depth + 1)) for v in value])
    return _cell(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
