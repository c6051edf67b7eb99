"""Figures drawn from row positions of the prepared table are the figures drawn from copies of
those rows: the render callback counts a dense view without copying it."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import query
from app.query import Filters
from app.schema import from_records
from app.web import figures
from app.web.periods import load_periods

FIXTURE = Path(__file__).parent / "fixtures" / "web" / "enriched_corpus.json"
FILTERS = [
    Filters(),
    Filters(background=True),
    Filters(facets={"language": ("en",)}),
    Filters(facets={"places": ("Lachin", "Shusha")}),
    Filters(start=pd.Timestamp("2020-11-09"), end=pd.Timestamp("2020-11-12")),
    Filters(text="stepanakert"),
]


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return query.prepare(from_records(json.loads(FIXTURE.read_text(encoding="utf-8"))["events"]))


def same_figure(a, b) -> bool:
    return a.to_json() == b.to_json()


@pytest.mark.parametrize("f", FILTERS)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_overview_from_row_positions_is_the_overview_of_the_copied_rows(events, f, theme):
    rows = query.select_rows(events, f.without_window())
    window = (f.start, f.end)
    from_rows = figures.overview_figure(events, rows=rows, periods=load_periods(), window=window,
                                        theme=theme)
    copied = figures.overview_figure(events.take(rows), periods=load_periods(), window=window,
                                     theme=theme)
    assert same_figure(from_rows, copied)


@pytest.mark.parametrize("f", FILTERS)
@pytest.mark.parametrize("lane", ["source", "language", "places"])
@pytest.mark.parametrize("max_points", [3, 1500])
def test_the_timeline_from_row_positions_is_the_timeline_of_the_copied_rows(
        events, f, lane, max_points):
    rows = query.select_rows(events, f)
    context_rows = query.select_rows(events, f.without_window())
    options = {"lane": lane, "window": (f.start, f.end), "periods": load_periods(),
               "max_points": max_points, "selected": "r2"}
    from_rows = figures.timeline_figure(events, rows=rows, context=events,
                                        context_rows=context_rows, **options)
    copied = figures.timeline_figure(events.take(rows), context=events.take(context_rows),
                                     **options)
    assert same_figure(from_rows, copied)
    assert from_rows.layout.meta["mode"] == ("bins" if len(rows) > max_points else "events")


def test_a_dense_timeline_colours_each_bin_by_its_commonest_kind(events):
    sel = query.select(events, Filters())
    fig = figures.timeline_figure(sel, lane="language", max_points=3, theme="dark")
    (trace,) = [t for t in fig.data if (t.meta or {}).get("role") == "bins"]
    bins = query.aggregate_lanes(sel, "language", fig.layout.meta["bin"])
    colours = dict(trace.marker.colorscale)
    shown = [colours[float(v)] for v in trace.marker.color]
    assert shown == [figures.THEMES["dark"][k] for k in bins["kind"]]
    assert trace.marker.cmin == 0 and trace.marker.cmax == 1


@given(starts=st.lists(st.integers(-10**6, 10**7), min_size=0, max_size=20),
       size=st.sampled_from(["minute", "hour", "day", "week", "month", "year"]))
@settings(max_examples=40, deadline=None)
def test_bin_customdata_writes_times_as_timestamps_print_them(starts, size):
    times = pd.Series(np.datetime64("2000-01-01", "ns")
                      + np.array(starts, dtype="timedelta64[m]").astype("timedelta64[ns]"))
    bin_start = query.bin_floor(times, size)
    bins = pd.DataFrame({"bin": bin_start, "bin_end": query.bin_end(bin_start, size),
                         "count": np.arange(len(times), dtype=np.int64)})
    got = figures.bin_customdata(bins).tolist()
    want = [[str(b), str(e), int(n)] for b, e, n in
            zip(bins["bin"], bins["bin_end"], bins["count"], strict=True)]
    assert got == want
    assert all(type(row[2]) is int for row in got)
