"""Timeline pages: entries dated by their headings, mentions with no report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from app.ingest import pick_reader
from app.ingest.base import Document
from app.ingest.timeline import NO_HEADING, TimelineReader
from app.pipeline import load_corpus
from app.schema import SchemaError, from_records, validate

STYLES = Path(__file__).parent / "fixtures" / "styles"
WIKI = ["wiki_timeline_en", "wiki_timeline_de", "wiki_timeline_fr", "wiki_timeline_markup_en"]


@pytest.mark.parametrize("name", WIKI)
def test_a_timeline_alone_gives_mentions_and_no_report(name):
    c = load_corpus([STYLES / f"{name}.txt"])
    ev = c.events
    assert len(ev) >= 2 and (ev.kind == "mention").all()
    assert (ev.report_id == "").all() and ev.reported_at.isna().all()
    assert c.report["documents"][0]["reader"] == "timeline"
    assert not list(c.report["undated"]) and not list(c.report["inferred"])
    validate(ev)


def test_days_take_year_and_month_from_their_sections():
    ev = load_corpus([STYLES / "wiki_timeline_en.txt"]).events
    got = dict(zip(ev.evidence, ev.start, strict=True))
    assert got["27 September"] == pd.Timestamp("2020-09-27")
    assert got["9 October"] == pd.Timestamp("2020-10-09")


def test_a_year_section_gives_a_background_year_event():
    ev = load_corpus([STYLES / "wiki_timeline_markup_en.txt"]).events
    year = ev[ev.precision.astype(str) == "year"]
    assert len(year) == 1 and year.background.all()


@pytest.mark.parametrize("name", ["archive_fr", "article_byline_en", "liveblog_en",
                                  "forum_phpbb_en", "forum_xenforo_de", "wire_dateline_en"])
def test_sniff_leaves_other_styles_alone(name):
    text = (STYLES / f"{name}.txt").read_text("utf-8")
    assert TimelineReader().sniff(text) == 0.0
    assert pick_reader(text).NAME != "timeline"


def test_an_entry_under_no_dated_heading_is_reported():
    text = ("Timeline\n\nSeptember\n\n27 September\n\nFighting began.\n\n"
            "October 2020\n\n10 October\n\nA ceasefire.\n\n11 October\n\nTalks.\n")
    res = TimelineReader().read(Document("t.txt", text))
    assert [r.reason for r in res.rejections] == [NO_HEADING]
    assert [e.evidence for e in res.entries] == ["10 October", "11 October"]


def test_schema_accepts_reportless_mentions_but_not_orphans():
    ok = from_records([{"event_id": "a", "kind": "mention", "report_id": ""}])
    validate(ok)
    bad = from_records([{"event_id": "a", "kind": "mention", "report_id": "missing"}])
    with pytest.raises(SchemaError, match="point at no report"):
        validate(bad)


def test_local_and_dask_engines_agree_on_a_timeline_beside_an_archive(tmp_path):
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    from app import engine
    from app.pipeline import sort_events
    from app.store import read_events

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("wiki_timeline_en", "wiki_timeline_markup_en", "archive_fr"):
        (docs / f"{name}.txt").write_text((STYLES / f"{name}.txt").read_text("utf-8"), "utf-8")
    local = engine.parse_local([docs], tmp_path / "l.parquet")
    dask = engine.parse_dask([docs], tmp_path / "d.parquet", workers=2, processes=False)
    pd.testing.assert_frame_equal(sort_events(read_events(tmp_path / "l.parquet")),
                                  sort_events(read_events(tmp_path / "d.parquet")))
    assert local.report == dask.report
    events = load_corpus([docs]).events
    assert (events[events.doc.str.startswith("wiki")].report_id == "").all()
    assert (events[events.doc == "archive_fr.txt"].kind == "report").any()
