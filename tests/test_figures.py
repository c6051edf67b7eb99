import json
from pathlib import Path

import pandas as pd
import pytest

from app import query
from app.query import Filters
from app.schema import from_records
from app.web import figures
from app.web.periods import load_periods

FIXTURE = Path(__file__).parent / "fixtures" / "web" / "corpus.json"


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
    assert set(fig.layout.yaxis.categoryarray) == {"de", "en", "fr"}
    fig = figures.timeline_figure(sel, lane="source")
    assert "(no source)" in fig.layout.yaxis.categoryarray


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


def test_a_dense_view_is_aggregated_with_webgl_above_the_threshold(events):
    sel = query.select(events, Filters())
    fig = figures.timeline_figure(sel, lane="language", max_points=5)
    assert not traces(fig, "events")
    (bins,) = traces(fig, "bins")
    assert bins.type == "scattergl"
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
