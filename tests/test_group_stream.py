"""Grouping as a stream: components settle once a window has passed, memory follows the
window, and the streaming engines' spools and mark table give back what went in."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.enrich import groups
from app.enrich.groups import GroupStream, Profile, assignments, item_from_json, item_to_json
from app.enrich.marks import MarkTable
from app.store import BucketSpool, read_buckets

T0 = pd.Timestamp("2021-03-01 08:00")


def report(n: int, hours: float, *, town: str = "", number: str = "", person: str = "",
           denies: bool = False, sides: tuple[str, ...] = ()) -> groups.Item:
    """A keyed report profile: what grouping reads of a report."""
    start = T0 + pd.Timedelta(hours=hours)
    entities = {"a:Azerbaijan": 0.0}
    if town:
        entities[f"p:{town}"] = groups.SETTLEMENT_WEIGHT
    if person:
        entities[f"a:{person}"] = groups.TYPE_WEIGHT["person"]
    p = Profile(start=start, day_only=False, entities=entities,
                settlements=frozenset({town} if town else ()),
                numbers=frozenset({number} if number else ()), names=frozenset(),
                happening=frozenset(), denies=denies, sides=frozenset(sides))
    return (start, "doc.txt", n), f"r{n:05d}", p


def story(day: int, n: int) -> list[groups.Item]:
    """Three reports of one happening (same town, person and number) within two hours."""
    town, number = f"Town{day}", f"{100 + day}"
    return [report(n + k, 24 * day + k, town=town, number=number, person=f"Person{day}")
            for k in range(3)]


def test_reports_of_one_happening_share_a_group_and_other_days_do_not():
    items = story(0, 0) + story(3, 10)
    marks = assignments(items)
    assert len(marks) == 6
    assert len({marks[i][0] for _, i, _ in items[:3]}) == 1
    assert {marks[i][0] for _, i, _ in items[:3]}.isdisjoint({marks[i][0] for _, i, _ in items[3:]})


def test_a_component_settles_once_a_report_arrives_a_window_after_its_newest():
    stream = GroupStream()
    for item in story(0, 0):
        assert stream.add(item) == []
    # 20 hours after the last: still within the window of it, nothing settles
    assert stream.add(report(5, 22)) == []
    # beyond the window of both: the story and the lone report settle
    settled = stream.add(report(6, 50))
    assert sorted(i for i, _, _ in settled) == ["r00000", "r00001", "r00002"]
    assert stream.settled == 2
    assert [i for i, _, _ in stream.close()] == []


def test_memory_follows_the_window_not_the_stream():
    stream = GroupStream()
    most_open = 0
    for day in range(60):
        for item in story(day, 10 * day):
            stream.add(item)
            most_open = max(most_open, len(stream._items))
    stream.close()
    assert stream.settled == 60
    # at most the reports of about two days are held, whatever the length of the stream
    assert most_open <= 6


def test_a_chain_longer_than_the_horizon_is_cut_the_same_way_every_time():
    # one report every 20 hours naming the same town and number: each links to the next
    chain = [report(n, 20 * n, town="Shusha", number="42", person="Someone") for n in range(20)]
    first = GroupStream()
    marks = [m for item in chain for m in first.add(item)] + first.close()
    assert first.cut >= 1
    again = assignments(list(reversed(chain)))
    assert {i: (g, d) for i, g, d in marks} == again


def test_reports_must_come_in_canonical_order():
    stream = GroupStream()
    stream.add(report(1, 5))
    with pytest.raises(ValueError, match="canonical order"):
        stream.add(report(0, 1))


def test_a_denial_in_a_group_naming_two_sides_marks_the_group_disputed():
    items = [report(0, 0, town="Farrukh", number="7", person="Someone",
                    sides=("Armenia", "Russia")),
             report(1, 1, town="Farrukh", number="7", person="Someone", denies=True,
                    sides=("Azerbaijan",))]
    marks = assignments(items)
    assert all(d for _, d in marks.values()) and len(marks) == 2


def test_a_keyed_profile_comes_back_from_its_json_unchanged():
    item = report(3, 7.5, town="Hadrut", number="3.5", person="Someone", denies=True,
                  sides=("Armenia",))
    assert item_from_json(item_to_json(item)) == item


def test_buckets_come_back_in_order_folder_by_folder(tmp_path):
    first, second = BucketSpool(tmp_path / "a", buffer=2), BucketSpool(tmp_path / "b")
    for bucket, value in [(5, "a5"), (-3, "a-3"), (5, "a5b"), (18000, "a18000")]:
        first.append(bucket, value)
    second.append(5, "b5")
    first.close()
    second.close()
    got = list(read_buckets([tmp_path / "a", tmp_path / "b", tmp_path / "missing"]))
    assert got == [(-3, ["a-3"]), (5, ["a5", "a5b", "b5"]), (18000, ["a18000"])]


def test_a_spool_written_again_replaces_the_first_attempt(tmp_path):
    for value in ("first", "second"):
        spool = BucketSpool(tmp_path / "p")
        spool.append(1, value)
        spool.close()
    assert list(read_buckets([tmp_path / "p"])) == [(1, ["second"])]
    assert [p.name for p in tmp_path.iterdir()] == ["p"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=12),
                          st.one_of(st.just(""), st.integers(0, 2**48 - 1).map(
                              lambda v: f"g{v:012x}")),
                          st.booleans()),
                unique_by=lambda t: t[0], max_size=40),
       st.lists(st.text(min_size=1, max_size=12), max_size=10))
def test_the_mark_table_gives_back_each_mark_and_nothing_for_other_ids(marks, others):
    table = MarkTable.build(marks)
    ids = [i for i, _, _ in marks] + [o for o in others if o not in {i for i, _, _ in marks}]
    groups_found, disputed = table.lookup(ids)
    expected = [(g, d) for _, g, d in marks] + [("", False)] * (len(ids) - len(marks))
    assert list(zip(groups_found, disputed.tolist(), strict=True)) == expected


def test_the_stream_agrees_with_the_batch_clustering_when_nothing_is_cut():
    rng = random.Random(3)
    towns = ["Hadrut", "Shusha", "Lachin", "Aghdam"]
    items = []
    for n in range(300):  # bursts of ten reports, two days apart
        hours = (n // 10) * 48 + (n % 10) * 0.5 + rng.random() / 4
        items.append(report(n, hours, town=rng.choice(towns), number=str(rng.randint(1, 9)),
                            person=rng.choice(["", "Someone", "Other"])))
    profiles = [p for _, _, p in items]
    links = {}
    for i, j in groups.candidate_pairs(profiles):
        ev = groups.evidence(profiles[i], profiles[j])
        if groups.same_happening(ev):
            links[(i, j)] = groups._score(ev)
    stream = GroupStream()
    marks = {i: (g, d) for it in items for i, g, d in stream.add(it)}
    marks.update({i: (g, d) for i, g, d in stream.close()})
    assert stream.cut == 0 and links
    batch = {i: (g, d) for i, g, d in groups._marks([i for _, i, _ in items], profiles, links)}
    assert marks == batch


def test_grouping_starts_afresh_at_the_turn_of_a_period():
    # the last hour of one period and the first of the next: linked, but never grouped
    last_day = (groups.epoch_of(T0.value // groups.DAY_NS) + 1) * groups.EPOCH_DAYS - 1
    hours = (last_day * groups.DAY_NS - T0.value) / 3.6e12 + 23.5
    across = [report(0, hours, town="Lachin", number="9", person="Someone"),
              report(1, hours + 1, town="Lachin", number="9", person="Someone")]
    within = [report(2, hours - 2, town="Lachin", number="9", person="Someone"), across[0]]
    assert assignments(across) == {}
    assert len(assignments(within)) == 2


def test_periods_grouped_apart_give_the_marks_of_one_pass(tmp_path):
    from app.engine import Profiles, group_marks, grouping_periods

    rng = random.Random(5)
    rows = []
    for n in range(450):  # bursts of three, two days apart: ten months, several periods
        start = T0 + pd.Timedelta(hours=n // 3 * 48 + n % 3 + rng.random())
        town = ["Hadrut", "Shusha", "Lachin"][n // 3 % 3]
        rows.append({"kind": "report", "event_id": f"r{n}", "doc": "d.txt", "char_start": n,
                     "title": f"Shelling near {town}", "text": f"{n // 3 + 2} killed.",
                     "start": start, "precision": "minute", "actors": ["Azerbaijan"],
                     "places": [town]})
    evidence = Profiles(tmp_path / "p")
    evidence.add(pd.DataFrame(rows))
    evidence.spool.close()
    folders = [tmp_path / "p"]
    periods = grouping_periods(folders)
    assert len(periods) >= 3
    whole = group_marks(folders)
    from app.enrich.marks import MarkTable
    joined = MarkTable.concat(group_marks(folders, days) for days in periods)
    ids = [r["event_id"] for r in rows]
    assert len(whole) > 0
    assert whole.lookup(ids)[0] == joined.lookup(ids)[0]
    assert (whole.lookup(ids)[1] == joined.lookup(ids)[1]).all()


def test_a_busy_turn_of_a_period_groups_alike_in_one_pass_and_period_by_period():
    # a hundred reports naming one town and number just before the turn, then reports that
    # share the town and, every other one, the number: the closed period's reports weigh
    # more than half of the new ones, but must not take their places among the candidates
    last_day = (groups.epoch_of(T0.value // groups.DAY_NS) + 1) * groups.EPOCH_DAYS - 1
    turn = (last_day + 1) * groups.DAY_NS
    items = []
    for n in range(160):
        start = pd.Timestamp(turn + (n - 100) * 30_000_000_000)  # half a minute apart
        number = "7" if n < 100 or n % 2 else "8"
        p = report(n, 0, town="Lachin", number=number, person="Someone")[2]
        items.append(((start, "doc.txt", n), f"r{n:05d}",
                      Profile(start, False, p.entities, p.settlements, p.numbers, p.names,
                              p.happening, False, frozenset())))
    whole = assignments(items)
    apart = {**assignments(items[:100]), **assignments(items[100:])}
    assert whole and whole == apart
