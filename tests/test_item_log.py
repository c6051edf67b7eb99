"""The report's on-disk lists (ItemLog) and the streamed JSON they are written into."""

import json
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from app.store import ItemLog, json_chunks, write_json

ITEMS = [{"doc": f"d{i}.txt", "line": i, "reason": "no date", "title": "Ü" * (i % 3)}
         for i in range(25)]


def test_items_past_the_limit_go_to_disk_and_come_back_in_order():
    log = ItemLog(ITEMS[:3], limit=4)
    log.extend(ITEMS[3:])
    assert len(log) == 25
    assert len(log._head) == 4 and log._file is not None
    assert list(log) == ITEMS
    assert log == ITEMS and ITEMS == log and log != ITEMS[:-1]  # noqa: SIM300 (list on the left)


def test_appending_after_reading_keeps_every_item_once():
    log = ItemLog(limit=2)
    for item in ITEMS[:10]:
        log.append(item)
        assert list(log) == ITEMS[: len(log)]  # reading does not move the write position
    log.append(ITEMS[10])
    assert list(log) == ITEMS[:11]


def test_a_log_within_its_limit_never_opens_a_file():
    log = ItemLog(ITEMS, limit=100)
    assert log._file is None and list(log) == ITEMS


def test_tuples_come_back_as_json_gives_them():
    log = ItemLog([("a", 1)], limit=0)
    assert list(log) == [["a", 1]]


def test_a_pickled_log_travels_as_its_items():
    log = ItemLog(ITEMS, limit=5)
    back = pickle.loads(pickle.dumps(log))
    assert isinstance(back, ItemLog) and back.limit == 5
    assert back == ITEMS and back is not log
    back.append({"doc": "late"})
    assert len(back) == 26 and len(log) == 25


def test_many_items_stay_off_the_heap():
    log = ItemLog(({"doc": "x" * 200, "line": i} for i in range(20_000)), limit=10)
    assert len(log._head) == 10
    assert sum(1 for _ in log) == 20_000


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_streamed_json_is_the_text_json_dumps_gives(value):
    assert "".join(json_chunks(value)) == json.dumps(value, ensure_ascii=False, indent=1)


def test_a_report_with_logs_is_written_as_the_report_with_lists(tmp_path):
    report = {"totals": {"undated": 25}, "undated": ItemLog(ITEMS, limit=3),
              "inferred": ItemLog(limit=0), "when": object.__name__}
    write_json(report, tmp_path / "r.json")
    expected = {**report, "undated": ITEMS, "inferred": []}
    assert (tmp_path / "r.json").read_text("utf-8") == json.dumps(expected, ensure_ascii=False,
                                                                  indent=1)
