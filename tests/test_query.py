import csv
import io
import json
import os
import signal
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    text = query.to_csv(sel)
    assert text.startswith("\ufeff")  # so that Excel reads it as UTF-8
    table = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["event_id"] for r in table] == ["r8", "r2"]
    assert table[0]["start"] == "2020-10-05T18:00:00"


def test_a_minute_with_its_exclusive_end_is_a_point_at_its_start():
    start = pd.Timestamp("2020-11-10T01:30")
    df = query.prepare(from_records([{"event_id": "a", "kind": "report", "start": start,
                                      "end": start + pd.Timedelta(minutes=1),
                                      "precision": "minute"}]))
    assert df["at"].iloc[0] == start
    assert df["span_end"].iloc[0] - df["span_start"].iloc[0] <= query.POINT


# --- the index agrees with the straightforward pandas computation ---------------------------

WORDS = ["Lachin", "lachin-road", "Shusha", "cease", "ceasefire", "Ära", "naïve", "s-300", ""]
SOURCES = ["", "Le Monde", "BBC", "Tagesschau"]
PLACES = ["Lachin", "Shusha", "Aghdam"]


def random_events(seed: int, n: int) -> pd.DataFrame:
    import numpy as np

    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2020-09-20") + pd.to_timedelta(
        rng.integers(0, 90 * 24 * 60, n), unit="min")
    records = []
    for i in range(n):
        words = rng.choice(WORDS, rng.integers(0, 5))
        records.append({
            "event_id": f"e{i:03d}",
            "kind": "report" if rng.random() < 0.6 else "mention",
            "start": start[i] if rng.random() > 0.05 else pd.NaT,
            "precision": rng.choice(["minute", "hour", "day", "week", "month"]),
            "title": rng.choice(["\t", " ", "\n", "  "]).join(words),
            "text": " ".join(rng.choice(WORDS, 2)), "evidence": "",
            "source": rng.choice(SOURCES), "language": rng.choice(["en", "de", "fr"]),
            "background": bool(rng.random() < 0.1),
            "places": list(dict.fromkeys(rng.choice(PLACES, rng.integers(0, 3)))),
            "report_id": f"e{rng.integers(0, 5):03d}" if rng.random() < 0.4 else "",
            "group_id": rng.choice(["", "g1", "g2"]),
        })
    return from_records(records)


def reference_mask(df: pd.DataFrame, f: Filters) -> pd.Series:
    """The filters spelled out with plain pandas, one row at a time where that is clearest."""
    keep = df["start"].notna()
    for column, values in f.facets.items():
        if column in ("actors", "places"):
            keep &= df[column].map(lambda v, w=set(values): bool(w & set(v)) if len(v)
                                   else "" in w)
        else:
            keep &= df[column].astype("str").isin(values)
    if not f.background:
        keep &= ~df["background"]
    if f.start is not None:
        keep &= df["span_end"] >= f.start
    if f.end is not None:
        keep &= df["span_start"] <= f.end
    hay = (df["title"] + "\n" + df["text"] + "\n" + df["evidence"]).str.lower()
    for word in f.text.lower().split():
        # or a tagged actor or place one of whose spellings that word begins
        named = query.alias_names(word)
        tagged = pd.Series(False, index=df.index)
        for column in ("actors", "places"):
            if column in df.columns:
                names = set(named.get(column, ()))
                tagged |= df[column].map(lambda v, n=names: bool(n & set(v)))
        keep &= hay.map(lambda h, w=word: w in h) | tagged
    return keep.fillna(False).astype(bool)


filters_strategy = st.builds(
    Filters,
    facets=st.dictionaries(st.sampled_from(["source", "language", "kind", "places"]),
                           st.lists(st.sampled_from([*SOURCES, "en", "de", "report",
                                                     "mention", *PLACES]),
                                    min_size=1, max_size=3).map(tuple), max_size=3),
    background=st.booleans(),
    start=st.none() | st.integers(0, 90).map(lambda d: pd.Timestamp("2020-09-20")
                                              + pd.Timedelta(days=d)),
    end=st.none() | st.integers(0, 90).map(lambda d: pd.Timestamp("2020-09-25")
                                            + pd.Timedelta(days=d)),
    text=st.lists(st.sampled_from(["lachin", "LACHIN-", "cease", "ära", "Ï", "-3", "e s",
                                   "zz"]), max_size=2).map(" ".join),
)


@given(seed=st.integers(0, 10_000), f=filters_strategy)
@settings(max_examples=30, deadline=None)
def test_filter_mask_equals_the_plain_pandas_filters(seed, f):
    df = query.prepare(random_events(seed, 40))
    assert query.filter_mask(df, f).tolist() == reference_mask(df, f).tolist()
    assert query.select_rows(df, f).tolist() == list(
        reference_mask(df, f).to_numpy().nonzero()[0])


@given(seed=st.integers(0, 10_000), f=filters_strategy)
@settings(max_examples=25, deadline=None)
def test_facet_counts_equal_value_counts_under_the_other_filters(seed, f):
    df = query.prepare(random_events(seed, 40))
    for column in ("source", "language", "kind", "places"):
        others = Filters({c: v for c, v in f.facets.items() if c != column}, f.background,
                         f.start, f.end, f.text)
        kept = df[reference_mask(df, others)]
        values = query.facet_values(df, column).astype("str")
        everything = values.value_counts()
        got = query.facet_counts(df, f, column)
        want = query.facet_values(kept, column).astype("str").value_counts().reindex(
            everything.index, fill_value=0)
        assert got.to_dict() == want.to_dict()
        # a fixed order whatever the filters: most frequent overall first, then by value
        keys = [(-everything[v], v) for v in got.index]
        assert keys == sorted(keys)


def test_a_search_word_never_matches_across_two_events():
    df = query.prepare(from_records([
        {"event_id": "a", "kind": "report", "start": pd.Timestamp("2020-01-01"),
         "precision": "day", "title": "cease"},
        {"event_id": "b", "kind": "report", "start": pd.Timestamp("2020-01-02"),
         "precision": "day", "title": "fire"},
    ]))
    assert query.select(df, Filters(text="ceasefire")).empty
    assert ids(query.select(df, Filters(text="easefi"))) == set()
    assert ids(query.select(df, Filters(text="EASE"))) == {"a"}


def test_a_repeated_search_gives_the_same_events_from_the_remembered_result(events):
    first = ids(query.select(events, Filters(text="stepanakert")))
    again = ids(query.select(events, Filters(text="stepanakert")))
    query.clear_caches(events)
    assert first == again == ids(query.select(events, Filters(text="stepanakert")))


def reference_counts_per_bin(df: pd.DataFrame, size: str, by: str) -> pd.DataFrame:
    frame = pd.DataFrame({"bin": query.bin_floor(df["at"], size), by: df[by].astype("str")})
    out = frame.dropna().groupby(["bin", by]).size().rename("count").reset_index()
    return out.sort_values(["bin", by]).reset_index(drop=True)


def reference_aggregate(df: pd.DataFrame, column: str, size: str) -> dict:
    lanes = df.assign(lane=query.facet_values(df, column).astype("str") if column != "places"
                      else df["places"].map(lambda v: list(v) or [""])).explode("lane")
    lanes = lanes[lanes["at"].notna()]
    lanes["bin"] = query.bin_floor(lanes["at"], size)
    out = {}
    for (lane, b), part in lanes.groupby(["lane", "bin"]):
        kinds = part["kind"].astype("str").value_counts()
        top = max(kinds.index, key=lambda k: (kinds[k], k == "report"))
        out[(str(lane), b)] = (len(part), top)
    return out


@given(seed=st.integers(0, 10_000),
       size=st.sampled_from(["minute", "hour", "day", "week", "month", "year"]))
@settings(max_examples=12, deadline=None)
def test_bins_and_aggregates_equal_a_pandas_groupby(seed, size):
    df = query.prepare(random_events(seed, 30))
    got = query.counts_per_bin(df, size, by="kind")
    want = reference_counts_per_bin(df, size, "kind")
    assert got.astype({"kind": "str"}).to_dict("list") == want.astype(
        {"kind": "str"}).to_dict("list")
    for column in ("source", "places"):
        agg = query.aggregate_lanes(df, column, size)
        assert {(lane, b): (c, k) for lane, b, c, k in zip(
            agg["lane"], agg["bin"], agg["count"], agg["kind"], strict=True)} == (
            reference_aggregate(df, column, size))
        assert (agg["bin_end"] > agg["bin"]).all()
        assert list(zip(agg["lane"], agg["bin"], strict=True)) == sorted(
            zip(agg["lane"], agg["bin"], strict=True))
    reports = df[(df["kind"] == "report") & df["start"].notna()]
    want_cov = (reports.assign(bin=query.bin_floor(reports["start"], size))
                .groupby(["bin", reports["language"].astype("str")], observed=True)["source"]
                .nunique().rename("sources").reset_index())
    got_cov = query.coverage(df, size)
    assert got_cov.astype({"language": "str"}).to_dict("list") == want_cov.astype(
        {"language": "str"}).to_dict("list")


def test_bins_start_where_pandas_periods_start():
    times = pd.Series(pd.to_datetime(["1969-12-31T23:59", "2020-11-10T01:30", "2021-01-03",
                                      "2021-01-04T00:00", "2024-02-29T12:00"], format="ISO8601")
                      .astype("datetime64[ns]"))
    assert query.bin_floor(times, "hour").tolist() == times.dt.floor("h").tolist()
    assert query.bin_floor(times, "day").tolist() == times.dt.floor("D").tolist()
    assert query.bin_floor(times, "week").tolist() == times.dt.to_period("W-SUN").dt.start_time \
        .tolist()
    assert query.bin_floor(times, "month").tolist() == times.dt.to_period("M").dt.start_time \
        .tolist()
    ends = query.bin_end(query.bin_floor(times, "month"), "month")
    assert ends.tolist() == (times.dt.to_period("M") + 1).dt.start_time.tolist()


def test_span_and_lane_order_ignore_undated_events():
    df = query.prepare(random_events(3, 30))
    dated = df[df["start"].notna()]
    assert query.span(df) == (dated["span_start"].min(), dated["span_end"].max())
    counts = query.facet_values(df, "places").astype("str").value_counts()
    assert query.lane_order(df, "places") == sorted(
        counts.index, key=lambda v: (v == "", -counts[v], v))


def reference_related(df: pd.DataFrame, event_id: str) -> dict[str, set[str]]:
    row = df[df["event_id"] == event_id].iloc[0]
    others = df[df["event_id"] != event_id]
    fine = others["precision"].astype("str").isin(("minute", "hour", "day"))
    same_day = set()
    if pd.notna(row["start"]) and str(row["precision"]) in ("minute", "hour", "day"):
        same_day = ids(others[fine & (others["start"].dt.normalize()
                                      == pd.Timestamp(row["start"]).normalize())])
    return {"report": ids(others[others["event_id"] == row["report_id"]]),
            "mentions": ids(others[others["report_id"] == event_id]),
            "same_day": same_day,
            "same_group": ids(others[others["group_id"] == row["group_id"]])
            if row["group_id"] else set()}


@given(seed=st.integers(0, 10_000), pick=st.integers(0, 29))
@settings(max_examples=20, deadline=None)
def test_related_equals_the_plain_pandas_lookup(seed, pick):
    df = query.prepare(random_events(seed, 30))
    event_id = f"e{pick:03d}"
    got = query.related(df, event_id)
    assert {k: ids(v) for k, v in got.items()} == reference_related(df, event_id)
    assert all(v["at"].dropna().is_monotonic_increasing for v in got.values())
    assert query.event_row(df, event_id)["event_id"] == event_id
    assert query.event_row(df, "no such event") is None


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_a_selection_reuses_the_tables_list_codes_and_notices_a_replaced_column(seed):
    df = query.prepare(random_events(seed, 40))
    sel = df[query.filter_mask(df, Filters(facets={"language": ("en", "de")}))]
    plain = sel.copy()
    plain.attrs.clear()  # no way back to the prepared table: codes built from the column
    assert query.lane_order(sel, "places") == query.lane_order(plain, "places")
    assert query.aggregate_lanes(sel, "places", "day").equals(
        query.aggregate_lanes(plain, "places", "day"))
    assert query.lane_frame(sel, "places")[["event_id", "lane"]].equals(
        query.lane_frame(plain, "places")[["event_id", "lane"]])
    assert query.aggregate_lanes(sel, "places", "day")["count"].sum() == sum(
        max(1, len(v)) for v in sel["places"])
    changed = sel.assign(places=[["Elsewhere"] for _ in range(len(sel))])
    assert query.lane_order(changed, "places") == ["Elsewhere"]
    assert set(query.lane_frame(changed, "places")["lane"]) == {"Elsewhere"}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_worker_can_search_while_its_parent_is_still_building_the_word_index():
    df = query.prepare(random_events(11, 30))
    f = Filters(text="lachin")
    expected = reference_mask(df, f).tolist()
    index = query.event_index(df)
    index.text_index()
    built = index._text
    # as if the background thread were half-way through when a preloading server forks
    index._text = None
    index._text_lock.acquire()
    pid = os.fork()
    if pid == 0:
        ok = query.filter_mask(df, f).tolist() == expected
        os._exit(0 if ok else 1)
    index._text = built
    index._text_lock.release()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail("the forked worker's search never finished (an inherited lock)")


def _rows_strategy():
    return st.lists(st.integers(0, 39), max_size=40, unique=True).map(sorted)


@given(seed=st.integers(0, 10_000), rows=_rows_strategy(),
       size=st.sampled_from(["minute", "hour", "day", "week", "month", "year"]))
@settings(max_examples=30, deadline=None)
def test_aggregates_over_row_positions_equal_those_over_a_copy_of_the_rows(seed, rows, size):
    import numpy as np

    df = query.prepare(random_events(seed, 40))
    positions = np.array(rows, dtype=np.int64)
    copied = df.take(positions)
    plain = copied.copy()
    plain.attrs.clear()  # no way back to the prepared table: codes built from the columns
    for taken in (copied, plain):
        assert query.counts_per_bin(df, size, rows=positions).equals(
            query.counts_per_bin(taken, size))
        assert query.coverage(df, size, rows=positions).equals(query.coverage(taken, size))
        for column in ("source", "language", "kind", "places"):
            assert query.aggregate_lanes(df, column, size, rows=positions).equals(
                query.aggregate_lanes(taken, column, size))
            assert query.lane_order(df, column, rows=positions) == query.lane_order(
                taken, column)
        assert query.span(df, rows=positions) == query.span(taken)
        assert query.column_at(df, "source", positions).tolist() == taken["source"].tolist()


@given(days=st.lists(st.integers(-40_000, 40_000), min_size=1, max_size=30),
       minutes=st.integers(0, 24 * 60 - 1), size=st.sampled_from(["month", "year"]))
@settings(max_examples=40, deadline=None)
def test_month_and_year_bins_start_where_pandas_periods_start(days, minutes, size):
    times = pd.Series(pd.Timestamp("1970-01-01") + pd.to_timedelta(days, unit="D")
                      + pd.Timedelta(minutes=minutes)).astype("datetime64[ns]")
    period = "M" if size == "month" else "Y"
    assert query.bin_floor(times, size).tolist() == times.dt.to_period(period).dt.start_time \
        .tolist()


@given(seed=st.integers(0, 10_000), dropped=st.lists(st.integers(0, 59), max_size=25),
       size=st.sampled_from(["hour", "day", "week", "month"]))
@settings(max_examples=25, deadline=None)
def test_counting_most_of_the_table_as_the_whole_minus_the_rest_changes_no_count(
        seed, dropped, size):
    import numpy as np

    df = query.prepare(random_events(seed, 60))
    positions = np.setdiff1d(np.arange(60), dropped)  # more than half of the table
    plain = df.take(positions).copy()
    plain.attrs.clear()
    for _ in range(2):  # the second time from the remembered whole-table counts
        assert query.counts_per_bin(df, size, rows=positions).equals(
            query.counts_per_bin(plain, size))
        assert query.coverage(df, size, rows=positions).equals(query.coverage(plain, size))
        for column in ("source", "kind", "places"):
            assert query.aggregate_lanes(df, column, size, rows=positions).equals(
                query.aggregate_lanes(plain, column, size))
    # a position given twice counts twice, as in a copy of those rows
    twice = np.r_[positions, positions[:1]]
    assert query.counts_per_bin(df, size, rows=twice)["count"].sum() == query.counts_per_bin(
        df.take(twice), size)["count"].sum()


def reference_headline_picks(selection: pd.DataFrame, n: int) -> pd.DataFrame:
    """The picks with Timestamps and a full copy of the selection, one row at a time."""
    sel = selection[selection["title"].str.len() > 0]
    group_size = sel["group_id"].map(sel["group_id"].value_counts()).where(
        sel["group_id"] != "", 1)
    cited = sel["event_id"].map(selection["report_id"].value_counts()).fillna(0)
    score = group_size.astype(float) * 10 + cited + (sel["kind"].astype("str") == "report")
    ranked = sel.assign(_score=score.to_numpy()).sort_values(
        ["_score", "at", "event_id"], ascending=[False, True, True])
    lo, hi = ranked["at"].min(), ranked["at"].max()
    gap = (hi - lo) / n if hi > lo else pd.Timedelta(0)
    chosen, keep = [], []
    for idx, at in zip(ranked.index, ranked["at"], strict=True):
        if all(abs(at - c) >= gap for c in chosen) and (gap > pd.Timedelta(0) or not chosen):
            chosen.append(at)
            keep.append(idx)
        if len(keep) >= n:
            break
    return query.sort_events(ranked.loc[keep].drop(columns="_score"))


@given(seed=st.integers(0, 10_000), n=st.integers(1, 6), f=filters_strategy)
@settings(max_examples=30, deadline=None)
def test_headline_picks_equal_the_plain_timestamp_walk(seed, n, f):
    df = query.prepare(random_events(seed, 40))
    sel = df[query.filter_mask(df, Filters(f.facets, True, f.start, f.end, f.text))]
    got = query.headline_picks(sel, n)
    if len(sel) and (sel["title"].str.len() > 0).any():
        assert got.equals(reference_headline_picks(sel, n))
    else:
        assert got.empty
    # the walk above raises on an undated event (NaT): the picks still come back
    assert len(query.headline_picks(df, n)) <= n


@given(seed=st.integers(0, 10_000), asked=st.lists(st.sampled_from(
    ["e000", "e001", "e017", "e039", "", "e0", "e0000", "x\u00e9", "E001", "e01\x00"]),
    max_size=12), ragged=st.booleans())
@settings(max_examples=30, deadline=None)
def test_event_positions_find_each_id_where_a_scan_of_the_table_would(seed, asked, ragged):
    df = random_events(seed, 40)
    if ragged:  # ids of several lengths, one not ASCII, one empty
        df["event_id"] = [f"e{i}" if i % 3 else f"x\u00e9{i}" for i in range(40)]
        df.loc[5, "event_id"] = ""
    prepared = query.prepare(df)
    plain = prepared.copy()
    plain.attrs.clear()
    for table in (prepared, plain):
        first: dict[str, int] = {}
        for position, value in enumerate(table["event_id"]):
            first.setdefault(value, position)
        assert query.event_positions(table, asked).tolist() == [first.get(i, -1) for i in asked]


def test_building_the_indexes_before_a_fork_leaves_the_word_index_and_id_lookup_ready():
    df = query.prepare(from_records(json.loads(FIXTURE.read_text(encoding="utf-8"))["events"]))
    index = query.event_index(df)
    index.text_index()  # let the background build end, then undo it: as if still to come
    index._text, index._ids = None, None
    query.build_indexes()
    assert index._text is not None and index._ids is not None
    first = df["event_id"].iloc[3]
    assert list(query.event_positions(df, [first])) == [3]


def test_search_finds_events_by_the_spellings_of_their_tagged_names():
    df = query.prepare(from_records([
        {"event_id": "a", "kind": "report", "start": pd.Timestamp("2020-11-10"),
         "precision": "day", "title": "Peacekeepers deploy", "actors": ["Russian peacekeepers"],
         "places": ["Lachin"]},
        {"event_id": "b", "kind": "report", "start": pd.Timestamp("2020-11-11"),
         "precision": "day", "title": "The president spoke", "actors": ["Ilham Aliyev"]},
        {"event_id": "c", "kind": "report", "start": pd.Timestamp("2020-11-12"),
         "precision": "day", "title": "Nothing tagged"},
    ]))
    assert ids(query.select(df, Filters(text="Friedenstruppen"))) == {"a"}
    assert ids(query.select(df, Filters(text="latschin"))) == {"a"}
    assert ids(query.select(df, Filters(text="Alijew"))) == {"b"}
    assert ids(query.select(df, Filters(text="Alijew Latschin"))) == set()
    # a short word names no alias: it is only looked for in the text
    assert query.alias_names("ali") == {}
