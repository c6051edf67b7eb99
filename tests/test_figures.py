import html
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app import query
from app.query import Filters
from app.schema import from_records
from app.web import figures, geo, groups
from app.web.periods import load_periods

FIXTURE = Path(__file__).parent / "fixtures" / "web" / "enriched_corpus.json"


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return query.prepare(from_records(json.loads(FIXTURE.read_text(encoding="utf-8"))["events"]))


def traces(fig, role):
    return [t for t in fig.data if (t.meta or {}).get("role") == role]


def plotted_ids(fig) -> list[str]:
    return [row[0] for t in traces(fig, "events") for row in t.customdata]


def test_timeline_plots_one_marker_per_selected_event(events):
    sel = query.select(events, Filters())
    fig = figures.timeline_figure(sel, lane="source")
    assert sorted(plotted_ids(fig)) == sorted(sel["event_id"])
    assert fig.layout.meta["events"] == len(sel)


def test_lanes_follow_the_chosen_facet_and_name_the_unnamed_source(events):
    sel = query.select(events, Filters())
    fig = figures.timeline_figure(sel, lane="language")
    assert set(fig.layout.yaxis.ticktext) == {"de", "en", "fr"}
    fig = figures.timeline_figure(sel, lane="source")
    assert "(no source)" in fig.layout.yaxis.ticktext


def test_year_inferred_events_get_open_markers_and_dotted_bands(events):
    fig = figures.timeline_figure(query.select(events, Filters()), lane="source")
    inferred = [t for t in traces(fig, "events") if t.meta["year_inferred"]]
    assert [row[0] for t in inferred for row in t.customdata] == ["m2"]
    assert inferred[0].marker.symbol.endswith("-open")
    assert any(t.line.dash == "dot" for t in traces(fig, "bands"))


def test_day_and_month_precision_are_drawn_as_bands_over_their_span(events):
    fig = figures.timeline_figure(query.select(events, Filters()), lane="source")
    segments = [(t.x[i], t.x[i + 1]) for t in traces(fig, "bands")
                for i in range(0, len(t.x), 3)]
    spans = {(pd.Timestamp(a), pd.Timestamp(b)) for a, b in segments}
    assert (pd.Timestamp("2020-11-20"), pd.Timestamp("2020-11-21")) in spans
    assert (pd.Timestamp("2020-11-01"), pd.Timestamp("2020-12-01")) in spans
    assert len(spans) == 4  # m1, m2, m3, m5; minute-precision reports are points


def test_lag_lines_join_each_mention_to_its_report_and_can_be_switched_off(events):
    sel = query.select(events, Filters())
    fig = figures.timeline_figure(sel, lane="source")
    (lag,) = traces(fig, "lag")
    assert len(lag.x) == 3 * 4  # four foreground mentions, each a segment and a gap
    assert pd.Timestamp(lag.x[1]) == pd.Timestamp("2020-11-21T14:00")  # ends at the report
    assert not traces(figures.timeline_figure(sel, lane="source", lag=False), "lag")


def test_hover_text_escapes_markup_from_documents(events):
    fig = figures.timeline_figure(query.select(events, Filters()), lane="source")
    row = next(r for t in traces(fig, "events") for r in t.customdata if r[0] == "r6")
    assert "<script>" not in row[3] and "&lt;script&gt;" in row[3]
    assert "<b>" not in row[2]


def test_a_dense_view_is_aggregated_as_svg_above_the_threshold(events):
    sel = query.select(events, Filters())
    fig = figures.timeline_figure(sel, lane="language", max_points=5)
    assert not traces(fig, "events")
    (bins,) = traces(fig, "bins")
    # no WebGL anywhere: its shaders are compiled with eval, which the policy forbids
    assert bins.type == "scatter"
    assert not [t for t in fig.data if t.type.endswith("gl")]
    assert sum(row[2] for row in bins.customdata) == len(sel)
    assert fig.layout.meta["mode"] == "bins"


def test_window_sets_the_visible_range(events):
    w = (pd.Timestamp("2020-11-09"), pd.Timestamp("2020-11-11"))
    sel = query.select(events, Filters(start=w[0], end=w[1]))
    fig = figures.timeline_figure(sel, lane="source", window=w,
                                  context=query.select(events, Filters()))
    assert [pd.Timestamp(x) for x in fig.layout.xaxis.range] == list(w)
    assert sorted(plotted_ids(fig)) == ["m3", "m5", "r1", "r2", "r3"]  # m3: November


def test_selected_event_is_ringed(events):
    fig = figures.timeline_figure(query.select(events, Filters()), lane="source", selected="r2")
    (ring,) = traces(fig, "selected")
    assert pd.Timestamp(ring.x[0]) == pd.Timestamp("2020-11-10T09:15")


def test_overview_stacks_kinds_shows_coverage_and_period_bands(events):
    sel = query.select(events, Filters())
    periods = load_periods()
    fig = figures.overview_figure(sel, periods=periods)
    bars = traces(fig, "overview")
    assert sum(sum(t.y) for t in bars) == len(sel)
    (cov,) = traces(fig, "coverage")
    assert set(cov.y) == {"de", "en", "fr"}
    labels = {a.text for a in fig.layout.annotations}
    assert "44-day war" in labels
    assert fig.layout.dragmode == "select"


def test_overview_marks_the_window(events):
    w = (pd.Timestamp("2020-11-09"), pd.Timestamp("2020-11-11"))
    fig = figures.overview_figure(events, periods=load_periods(), window=w)
    assert any(pd.Timestamp(s.x0) == w[0] and pd.Timestamp(s.x1) == w[1]
               for s in fig.layout.shapes)


def test_when_label_says_as_much_as_the_precision_knows():
    ts = pd.Timestamp("2020-11-10T01:30")
    assert figures.when_label(ts, None, "minute") == "10 Nov 2020, 01:30"
    assert figures.when_label(ts, None, "month") == "Nov 2020"
    assert figures.when_label(ts, None, "day", tz="UTC+04:00", year_inferred=True) == (
        "10 Nov 2020 (UTC+04:00), year inferred")
    assert figures.when_label(pd.Timestamp("2020-09-27"), pd.Timestamp("2020-12-02"), "day") == (
        "27 Sep 2020 – 1 Dec 2020")
    # an exclusive end one unit later is no range
    assert figures.when_label(pd.Timestamp("2020-11-10"), pd.Timestamp("2020-11-11"), "day") == (
        "10 Nov 2020")
    assert figures.when_label(pd.Timestamp("2020-01-01"), pd.Timestamp("2021-01-01"), "year") == (
        "2020")


def test_figures_accept_an_empty_selection(events):
    empty = events.iloc[0:0]
    assert not plotted_ids(figures.timeline_figure(empty, lane="source"))
    figures.overview_figure(empty, periods=load_periods())


def test_theme_changes_marker_colours_but_keeps_okabe_ito(events):
    sel = query.select(events, Filters())
    light = figures.timeline_figure(sel, lane="kind", theme="light")
    dark = figures.timeline_figure(sel, lane="kind", theme="dark")
    colours = {t.marker.color for f in (light, dark) for t in traces(f, "events")}
    assert colours <= set(figures.OKABE_ITO.values())
    assert light.layout.font.color != dark.layout.font.color


# --- map of places -----------------------------------------------------------------------------

PLACES = pd.DataFrame({"canonical": ["Stepanakert", "Aghdam", "Lachin", "Farrukh",
                                     "Nagorno-Karabakh", "Moscow", "Nowhere"],
                       "lat": [39.82, 39.99, 39.64, 39.97, 39.85, 55.75, float("nan")],
                       "lon": [46.75, 46.93, 46.55, 46.86, 46.75, 37.62, float("nan")]})


def test_place_points_count_events_per_mapped_place_and_drop_the_unmapped(events):
    counts = query.facet_counts(events, Filters(), "places")
    points = geo.place_points(counts, PLACES)
    assert dict(zip(points["place"], points["count"], strict=True)) == {
        "Nagorno-Karabakh": 3, "Stepanakert": 3, "Aghdam": 2, "Farrukh": 2, "Lachin": 1}
    # the hostile place name has no coordinates and the empty value is no place
    assert "" not in set(points["place"]) and len(points) == 5


def test_the_map_follows_every_filter_but_its_own(events):
    f = Filters(facets={"language": ("de",), "places": ("Stepanakert",)})
    points = geo.place_points(query.facet_counts(events, f, "places"), PLACES)
    assert dict(zip(points["place"], points["count"], strict=True)) == {
        "Nagorno-Karabakh": 1, "Stepanakert": 1}


def test_the_view_frames_the_cluster_and_names_the_far_places():
    points = pd.DataFrame({"place": ["Stepanakert", "Lachin", "Moscow"], "lat": [39.82, 39.64,
                                                                                   55.75],
                           "lon": [46.75, 46.55, 37.62], "count": [10, 5, 2]})
    (lon0, lon1), (lat0, lat1) = geo.view_bounds(points)
    assert lon0 < 46.55 < 46.75 < lon1 and lat0 < 39.64 < 39.82 < lat1
    assert lat1 < 55.75
    assert list(geo.outside(points)["place"]) == ["Moscow"]
    # spread over the world: every place is in view
    spread = points.assign(count=[2, 1, 3])
    assert geo.outside(spread).empty
    assert geo.view_bounds(spread)[1][1] > 55.75


def test_the_map_sizes_bubbles_by_count_and_marks_the_chosen_place(events):
    points = geo.place_points(query.facet_counts(events, Filters(), "places"), PLACES)
    fig = figures.map_figure(points, selected=("Lachin",), bounds=geo.view_bounds(points))
    (trace,) = traces(fig, "places")
    assert trace.type == "scattergeo"
    sizes = dict(zip((row[0] for row in trace.customdata), trace.marker.size, strict=True))
    assert sizes["Stepanakert"] > sizes["Aghdam"] > sizes["Lachin"]
    colours = dict(zip((row[0] for row in trace.customdata), trace.marker.color, strict=True))
    assert colours["Lachin"] != colours["Aghdam"]
    # offline: a plain geo subplot (no tile server) framed on the places
    assert fig.layout.geo.lonaxis.range is not None
    assert {t.type for t in fig.data} == {"scattergeo"}


def test_map_hover_escapes_place_names():
    points = pd.DataFrame({"place": ["<b>x</b>"], "lat": [40.0], "lon": [45.0], "count": [1]})
    (trace,) = traces(figures.map_figure(points), "places")
    assert trace.customdata[0][0] == "<b>x</b>"  # the value a click filters by
    assert trace.customdata[0][2] == "&lt;b&gt;x&lt;/b&gt;"
    assert "customdata[0]" not in trace.hovertemplate


# --- duplicate groups --------------------------------------------------------------------------

def test_collapsing_keeps_one_row_per_group_with_its_size_and_languages(events):
    sel = query.select(events, Filters())
    shown = groups.collapse(sel)
    assert len(shown) == len(sel) - 2 - 1  # g1: three reports, g2: two
    g1 = shown[shown["group_id"] == "g1"].iloc[0]
    assert (g1["event_id"], g1["group_size"], g1["group_languages"]) == ("r1", 3, "de en fr")
    assert g1["members"] == ["r1", "r2", "r3"]
    assert bool(shown.loc[shown["group_id"] == "g2", "group_disputed"].iloc[0])
    assert groups.badge(3, "de en fr") == "3 reports · de en fr"
    assert groups.badge(2, "en", disputed=True) == "2 reports · en · disputed"


def test_a_group_filtered_down_to_one_member_is_a_singleton(events):
    sel = query.select(events, Filters(facets={"language": ("de",)}))
    shown = groups.collapse(sel)
    assert sorted(shown["event_id"]) == ["r2", "r8"] and set(shown["group_size"]) == {1}


def test_collapsed_timeline_draws_one_labelled_marker_per_group(events):
    sel = query.select(events, Filters())
    fig = figures.timeline_figure(sel, lane="source", collapse=True, selected="r2")
    (grouped,) = traces(fig, "groups")
    assert sorted(row[0] for row in grouped.customdata) == ["r1", "r10"]
    assert "3 reports · de en fr" in grouped.text
    assert "2 reports · en · disputed" in grouped.text
    assert len(plotted_ids(fig)) + len(grouped.customdata) == len(sel) - 3
    assert fig.layout.meta["markers"] == len(sel) - 3
    # the selected member r2 rings its group's marker (r1's place)
    (ring,) = traces(fig, "selected")
    assert pd.Timestamp(ring.x[0]) == pd.Timestamp("2020-11-10T01:30")


def test_group_members_lists_every_report_of_the_group_in_time_order(events):
    assert list(groups.members(events, "r3")["event_id"]) == ["r1", "r2", "r3"]
    assert list(groups.members(events, "r4")["event_id"]) == ["r4"]
    assert groups.members(events, "nope").empty


def test_regions_are_rings_drawn_under_the_towns_and_wider_at_equal_counts():
    points = pd.DataFrame({"place": ["Nagorno-Karabakh", "Stepanakert"], "lat": [39.85, 39.82],
                           "lon": [46.75, 46.75], "count": [3, 3], "kind": ["region", "town"]})
    rings, towns = traces(figures.map_figure(points), "places")
    assert rings.meta["regions"] and not towns.meta["regions"]
    assert rings.marker.symbol == "circle-open" and towns.marker.symbol == "circle"
    assert rings.marker.size[0] > towns.marker.size[0]


def test_lanes_are_only_the_values_in_view(events):
    sel = query.select(events, Filters(facets={"language": ("de",)}))
    fig = figures.timeline_figure(sel, lane="source", context=query.select(events, Filters()))
    lanes = set(fig.layout.yaxis.ticktext)
    assert lanes == {figures._plain(s, figures.LANE_LABEL_CHARS) for s in sel["source"]}


def test_long_lane_names_are_shortened_so_the_plot_keeps_its_width(events):
    fig = figures.timeline_figure(query.select(events, Filters()), lane="source")
    longest = max(len(html.unescape(v)) for v in fig.layout.yaxis.ticktext)
    assert longest <= figures.LANE_LABEL_CHARS


def _one(event_id: str, start: str, precision: str, source: str = "A") -> dict:
    return {"event_id": event_id, "kind": "mention" if precision != "minute" else "report",
            "start": pd.Timestamp(start), "precision": precision, "title": event_id,
            "source": source, "language": "en"}


def test_an_event_vague_in_the_view_is_drawn_as_its_span_and_read_after_the_precise_ones():
    df = query.prepare(from_records([
        _one("year", "2020-01-01", "year"), _one("minute", "2020-11-10T09:15", "minute"),
        _one("day", "2020-11-10", "day")]))
    window = (pd.Timestamp("2020-11-10"), pd.Timestamp("2020-11-11"))
    sel = query.select(df, Filters(start=window[0], end=window[1]))
    fig = figures.timeline_figure(sel, lane="source", window=window)
    spans = [t for t in traces(fig, "events") if t.meta.get("span")]
    assert sorted(r[0] for t in spans for r in t.customdata) == ["day", "year"]
    assert all(t.type == "bar" for t in spans)
    markers = [t for t in traces(fig, "events") if not t.meta.get("span")]
    assert [r[0] for t in markers for r in t.customdata] == ["minute"]
    # the table and j read the precise event first, the year last
    rows = query.precise_first(sel, np.arange(len(sel)), *window)
    assert sel["event_id"].to_numpy()[rows].tolist()[0] == "minute"
    assert sel["event_id"].to_numpy()[rows].tolist()[-1] == "year"
    assert query.neighbour(sel, "", 1, window) == "minute"


def test_markers_that_would_cover_each_other_sit_on_sub_rows():
    df = query.prepare(from_records([_one(f"d{i}", "2020-11-10", "day") for i in range(3)]
                                    + [_one("far", "2020-11-14", "day")]))
    window = (pd.Timestamp("2020-11-01"), pd.Timestamp("2020-11-30"))
    fig = figures.timeline_figure(query.select(df, Filters(start=window[0], end=window[1])),
                                  lane="source", window=window)
    ys = {r[0]: y for t in traces(fig, "events") for r, y in zip(t.customdata, t.y,
                                                                    strict=True)}
    assert len({ys["d0"], ys["d1"], ys["d2"]}) == 3  # one day, three sub-rows
    assert ys["far"] == 0.0  # alone where it is: on the lane itself
    assert all(abs(y) < 0.5 for y in ys.values())  # within its lane


def test_labels_near_an_edge_run_inwards(events):
    fig = figures.timeline_figure(query.select(events, Filters()), lane="source")
    x0, x1 = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    labels = [a for a in fig.layout.annotations if a.showarrow]
    assert labels
    for a in labels:
        share = (pd.Timestamp(a.x) - x0) / (x1 - x0)
        want = "left" if share < 0.2 else "right" if share > 0.8 else "center"
        assert a.xanchor == want
    assert {a.xanchor for a in labels} & {"left", "right"}


def test_dense_circles_are_no_wider_than_their_period(events):
    sel = query.select(events, Filters())
    fig = figures.timeline_figure(sel, lane="language", max_points=5)
    (bins,) = traces(fig, "bins")
    periods = len({row[0] for row in bins.customdata})
    # on a plot some 700 px wide: neighbouring periods never merge into one bar
    assert max(bins.marker.size) <= max(700 / periods, 8) + 1e-9


def test_a_time_with_a_known_zone_is_also_given_in_utc():
    from app.web.figures import utc_label

    start = pd.Timestamp("2020-11-26T14:05")
    assert utc_label(start, "minute", "+04:00") == "26 Nov 2020, 10:05 UTC"
    assert utc_label(start, "minute", "-03:30") == "26 Nov 2020, 17:35 UTC"
    assert utc_label(pd.Timestamp("2020-11-26T01:00"), "hour", "+04:00") == "25 Nov 2020, 21h UTC"
    assert utc_label(start, "day", "+04:00") == ""  # a day has no time to convert
    assert utc_label(start, "minute", "") == ""  # no known offset: nothing invented
