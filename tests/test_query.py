import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from app import query
from app.query import Filters
from app.schema import from_records, validate

FIXTURE = Path(__file__).parent / "fixtures" / "web" / "corpus.json"


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    df = from_records(json.loads(FIXTURE.read_text(encoding="utf-8"))["events"])
    validate(df)
    return query.prepare(df)


def ids(df: pd.DataFrame) -> set[str]:
    return set(df["event_id"])


def test_background_events_are_hidden_by_default_and_shown_on_request(events):
    assert "m4" not in ids(query.select(events, Filters()))
    assert "m4" in ids(query.select(events, Filters(background=True)))


def test_language_facet_keeps_only_the_chosen_languages(events):
    chosen = query.select(events, Filters(facets={"language": ("de", "fr")}))
    assert ids(chosen) == {"r2", "r3", "r8", "r9"}


def test_facet_count_ignores_its_own_selection_but_respects_the_others(events):
    f = Filters(facets={"language": ("de",), "source": ("Le Monde",)})
    languages = query.facet_counts(events, f, "language")
    # Le Monde wrote in French only; ticking "fr" would give its two reports
    assert languages["fr"] == 2 and languages["de"] == 0 and languages["en"] == 0
    sources = query.facet_counts(events, f, "source")
    assert sources["Tagesschau"] == 1 and sources["Le Monde"] == 0
    assert "" in sources.index  # the unnamed source is a facet value too


def test_window_keeps_events_whose_uncertainty_span_overlaps_it(events):
    f = Filters(start=pd.Timestamp("2020-11-25"), end=pd.Timestamp("2020-11-26"))
    # the month-precision mention (November 2020) and the range to 1 December overlap the window
    assert ids(query.select(events, f)) == {"m3", "m5"}


def test_free_text_search_needs_every_word_case_insensitively(events):
    assert ids(query.select(events, Filters(text="STEPANAKERT shelled"))) == {"r4"}
    assert ids(query.select(events, Filters(text="stepanakert"))) == {"r4", "r8", "r9"}


def test_day_precision_spans_its_day_and_month_precision_its_month(events):
    row = events.set_index("event_id")
    assert row.loc["m1", "span_start"] == pd.Timestamp("2020-11-20")
    assert row.loc["m1", "span_end"] == pd.Timestamp("2020-11-21")
    assert row.loc["m3", "span_end"] == pd.Timestamp("2020-12-01")
    assert row.loc["m3", "at"] == pd.Timestamp("2020-11-16")
    assert row.loc["r1", "span_start"] == row.loc["r1", "span_end"]


def test_a_stated_range_spans_to_its_end(events):
    row = events.set_index("event_id").loc["m5"]
    assert row["span_start"] == pd.Timestamp("2020-09-27")
    assert row["span_end"] == pd.Timestamp("2020-12-02")


def test_list_facets_explode_so_an_event_sits_in_every_lane_it_names():
    df = query.prepare(from_records([
        {"event_id": "a", "kind": "report", "start": pd.Timestamp("2020-01-01"),
         "precision": "day", "places": ["Shusha", "Lachin"]},
        {"event_id": "b", "kind": "report", "start": pd.Timestamp("2020-01-02"),
         "precision": "day", "places": []},
    ]))
    assert query.available_facets(df) == ["source", "language", "kind", "places"]
    lanes = query.lane_frame(df, "places")
    assert sorted(lanes["lane"]) == ["", "Lachin", "Shusha"]
    assert ids(query.select(df, Filters(facets={"places": ("Lachin",)}))) == {"a"}
    assert query.facet_counts(df, Filters(), "places").to_dict() == {
        "": 1, "Lachin": 1, "Shusha": 1}


def test_list_facets_are_not_offered_while_every_list_is_empty(events):
    assert "actors" not in query.available_facets(events)


def test_coverage_counts_distinct_sources_per_language_and_day(events):
    cov = query.coverage(events, "day")
    day = cov[cov["bin"] == pd.Timestamp("2020-11-10")].set_index("language")["sources"]
    assert day.to_dict() == {"de": 1, "en": 1, "fr": 1}
    # mentions are not coverage: 20 November has a mention but no report
    assert pd.Timestamp("2020-11-20") not in set(cov["bin"])


def test_counts_per_bin_add_up_to_the_events(events):
    sel = query.select(events, Filters())
    counts = query.counts_per_bin(sel, "week", by="kind")
    assert counts["count"].sum() == len(sel)
    assert set(counts["bin"].dt.day_of_week) == {0}  # weeks start on Monday


def test_choose_bin_gets_finer_as_the_window_narrows():
    day = pd.Timestamp("2020-11-10")
    assert query.choose_bin(day, day + pd.Timedelta(hours=2)) == "minute"
    assert query.choose_bin(day, day + pd.Timedelta(days=3)) == "hour"
    assert query.choose_bin(day, day + pd.Timedelta(days=100)) == "day"
    assert query.choose_bin(day, day + pd.Timedelta(days=1000)) == "week"


def test_aggregate_lanes_counts_every_event_once_per_lane(events):
    sel = query.select(events, Filters())
    agg = query.aggregate_lanes(sel, "language", "month")
    assert agg["count"].sum() == len(sel)
    nov = agg[(agg["lane"] == "en") & (agg["bin"] == pd.Timestamp("2020-11-01"))]
    assert int(nov["count"].iloc[0]) == 5  # r1, r7, m1, m2, m3
    assert (agg["bin_end"] > agg["bin"]).all()


def test_neighbour_walks_the_selection_in_time_order_without_wrapping(events):
    sel = query.select(events, Filters(facets={"language": ("de", "fr")}))
    assert query.neighbour(sel, "", 1) == "r9"
    assert query.neighbour(sel, "r9", 1) == "r8"
    assert query.neighbour(sel, "r3", 1) == "r3"
    assert query.neighbour(sel, "", -1) == "r3"
    assert query.neighbour(sel, "r8", -1) == "r9"


def test_related_finds_report_mentions_same_day_and_group(events):
    rel = query.related(events, "r1")
    assert ids(rel["same_day"]) == {"r2", "r3"}
    assert ids(rel["same_group"]) == {"r2", "r3"}
    assert ids(query.related(events, "r7")["mentions"]) == {"m1", "m2", "m3", "m4", "m5"}
    assert ids(query.related(events, "m2")["report"]) == {"r7"}
    # a month-precision mention has no "same day"
    assert query.related(events, "m3")["same_day"].empty


def test_headline_picks_prefer_grouped_events_and_stay_apart(events):
    picks = query.headline_picks(query.select(events, Filters()), 3)
    assert "r1" in ids(picks)  # first of a group of three
    assert picks["at"].is_monotonic_increasing
    assert 1 <= len(picks) <= 3


def test_summary_counts_events_sources_and_languages(events):
    s = query.summary(events)
    assert s["events"] == 14 and s["background"] == 1
    assert s["sources"] == 6 and s["languages"] == ["de", "en", "fr"]
    assert s["start"] == pd.Timestamp("2020-09-27")  # the background event of 1921 is not the span


def test_export_writes_exactly_the_selection_with_schema_columns(events):
    sel = query.select(events, Filters(facets={"language": ("de",)}))
    rows = json.loads(query.to_json(sel))
    assert [r["event_id"] for r in rows] == ["r8", "r2"]
    assert "haystack" not in rows[0] and "places" in rows[0]
    table = list(csv.DictReader(io.StringIO(query.to_csv(sel))))
    assert [r["event_id"] for r in table] == ["r8", "r2"]
    assert table[0]["start"] == "2020-10-05T18:00:00"


def test_a_minute_with_its_exclusive_end_is_a_point_at_its_start():
    start = pd.Timestamp("2020-11-10T01:30")
    df = query.prepare(from_records([{"event_id": "a", "kind": "report", "start": start,
                                      "end": start + pd.Timedelta(minutes=1),
                                      "precision": "minute"}]))
    assert df["at"].iloc[0] == start
    assert df["span_end"].iloc[0] - df["span_start"].iloc[0] <= query.POINT
