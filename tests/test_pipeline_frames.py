"""A document's event frame: built from column lists, equal to the frame-by-frame path."""

import pandas as pd

from app.enrich.entities import tag_entities
from app.paths import CORPUS_DIR
from app.pipeline import CorpusSummary, event_frame, inferred_records, iter_documents
from app.schema import from_records, validate


def test_an_event_frame_equals_the_records_tagged_after_framing():
    results = list(iter_documents([CORPUS_DIR]))
    summary = CorpusSummary()
    for res in results:
        summary.add(res.records)
    inferred = inferred_records([p for res in results for p in res.pending], summary)
    batches = [res.records for res in results if res.records] + [inferred]
    assert len(batches) >= 3 and inferred
    for records in batches:
        frame = event_frame(records)
        validate(frame)
        pd.testing.assert_frame_equal(frame, tag_entities(from_records(records)))
        assert frame["actors"].map(len).sum() > 0


def test_an_event_frame_of_no_records_is_an_empty_event_table():
    pd.testing.assert_frame_equal(event_frame([]), from_records([]))


def test_records_missing_optional_columns_get_the_schema_defaults():
    records = [{"event_id": "a", "kind": "report", "title": "Lavrov in Baku", "text": None}]
    frame = event_frame(records)
    pd.testing.assert_frame_equal(frame, tag_entities(from_records(records)))
    assert frame.loc[0, "places"] == ["Baku"] and frame.loc[0, "text"] == ""
