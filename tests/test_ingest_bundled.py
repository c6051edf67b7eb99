"""The ingest against the real bundled documents."""

import re

import pandas as pd

from app.paths import CORPUS_DIR
from app.schema import validate

ARCHIVE = "004_e5507aabea805f5b.txt"
FORUM = "002_74ca31117742919c.txt"
HEADER = re.compile(r"^(\d\d)\.(\d\d)\.(\d{4}) - (\d\d):(\d\d) \[(.*)\]$", re.MULTILINE)


def archive_headers():
    return HEADER.findall((CORPUS_DIR / ARCHIVE).read_text(encoding="utf-8"))


def test_bundled_events_conform_to_the_schema(bundled):
    validate(bundled.events)


def test_every_archive_header_becomes_exactly_one_report_with_its_minute(bundled):
    archive = bundled.events[(bundled.events.doc == ARCHIVE) & (bundled.events.kind == "report")]
    headers = archive_headers()
    assert len(headers) == 63
    assert len(archive) == len(headers)
    expected = sorted(pd.Timestamp(int(y), int(m), int(d), int(H), int(M))
                      for d, m, y, H, M, _ in headers)
    assert sorted(archive.start) == expected
    assert (archive.precision == "minute").all()


def test_archive_sources_are_kept_and_empty_brackets_give_an_empty_source(bundled):
    archive = bundled.events[(bundled.events.doc == ARCHIVE) & (bundled.events.kind == "report")]
    archive = archive.sort_values("char_start")
    raw = [s.strip() for *_, s in archive_headers()]
    assert raw.count("") == (archive.source == "").sum() == 35
    assert list(archive.source[:4]) == [
        "Wikipedia", "Rick Rozoff", "Informationsstelle Militarisierung (IMI)",
        "Informationsstelle Militarisierung (IMI)",
    ]


def test_archive_headline_is_the_line_after_the_header(bundled):
    archive = bundled.events[(bundled.events.doc == ARCHIVE) & (bundled.events.kind == "report")]
    archive = archive.set_index("start")
    assert archive.loc[pd.Timestamp("2020-09-27 16:05"), "title"] == (
        "Schwere Gefechte in Berg-Karabach: Armenien ruft Kriegszustand aus"
    )
    assert archive.loc[pd.Timestamp("2020-09-27 16:05"), "text"].startswith("Nach Kämpfen")


def test_german_and_french_archive_entries_get_their_language(bundled):
    archive = bundled.events[(bundled.events.doc == ARCHIVE) & (bundled.events.kind == "report")]
    archive = archive.set_index("start")
    assert archive.loc[pd.Timestamp("2020-09-27 16:05"), "language"] == "de"
    assert archive.loc[pd.Timestamp("2020-10-01 15:53"), "language"] == "fr"
    assert archive.loc[pd.Timestamp("2020-10-01 15:49"), "language"] == "en"
    assert set(bundled.events.language) == {"en", "de", "fr"}


def test_provenance_offsets_point_at_the_entry_in_the_document(bundled):
    for ev in bundled.events[bundled.events.kind == "report"].itertuples():
        span = bundled.texts[ev.doc][ev.char_start : ev.char_end]
        assert ev.evidence in span
        assert ev.title in span


def test_event_ids_are_stable_across_runs(bundled):
    from app.pipeline import load_corpus

    again = load_corpus([CORPUS_DIR])
    assert list(again.events.event_id) == list(bundled.events.event_id)
    assert bundled.events.event_id.is_unique


def test_the_article_with_a_utc_offset_keeps_its_zone(bundled):
    row = bundled.events[bundled.events.title == "New chapter in Azerbaijan’s history of victories"]
    assert len(row) == 1
    assert row.iloc[0].tz == "UTC+04:00"
    assert row.iloc[0].start == pd.Timestamp("2022-03-27 19:16")


def test_forum_articles_with_publishing_date_lines_become_day_reports(bundled):
    forum = bundled.events[(bundled.events.doc == FORUM) & (bundled.events.kind == "report")]
    days = forum[(forum.precision == "day") & ~forum.year_inferred]
    assert sorted(days.title) == [
        "Azerbaijan denies troops pullout from peacekeepers' zone in Nagorno-Karabakh",
        "Russia and Azerbaijan trade barbs over Nagorno-Karabakh",
    ]
    assert (days.start == pd.Timestamp("2022-03-27")).all()


def test_forum_join_dates_produce_no_event(bundled):
    assert not bundled.events.evidence.str.contains("Dec 25, 2019").any()
    assert not (bundled.events[bundled.events.kind == "report"].start.dt.year == 2019).any()
    forum_doc = next(d for d in bundled.report["documents"] if d["doc"] == FORUM)
    assert forum_doc["reader"] == "forum"
    assert forum_doc["join_dates_skipped"] == 2


def test_no_event_comes_from_a_reader_comment(bundled):
    for doc, segments in bundled.segments.items():
        for seg in (s for s in segments if s.kind == "comments"):
            inside = bundled.events[
                (bundled.events.doc == doc)
                & (bundled.events.char_start < seg.char_end)
                & (bundled.events.char_end > seg.char_start)
            ]
            assert inside.empty, f"{doc}: events inside comments"


def test_comments_are_found_where_the_articles_end(bundled):
    def comment_start(doc):
        seg = next(s for s in bundled.segments[doc] if s.kind == "comments")
        return bundled.texts[doc][seg.char_start:].split("\n")[0]

    assert comment_start("000_327cd4b1e0478202.txt") == "Mr T"
    assert comment_start("001_059ed330d120c15f.txt").startswith("Ιs it true that Mikhail Sakharov")
    assert not any(s.kind == "comments" for s in bundled.segments["003_94f0a57f607f5fa3.txt"])


def test_articles_without_a_publication_line_get_an_inferred_explained_date(bundled):
    inferred = {i["doc"]: i for i in bundled.report["inferred"]}
    assert {d: inferred[d]["date"] for d in inferred} == {
        "000_327cd4b1e0478202.txt": "2020-11-20",  # latest of "November 19", "November 20th"
        "001_059ed330d120c15f.txt": "2020-12-01",  # "from September 27 to December 1"
        "002_74ca31117742919c.txt": "2022-03-27",  # quoted beside the dated articles
        "003_94f0a57f607f5fa3.txt": "2020-10-23",  # "on the night of October 23"
    }
    assert all(i["method"] and i["explanation"] for i in inferred.values())
    assert bundled.report["undated"] == []
    reports = bundled.events[bundled.events.kind == "report"]
    guessed = reports[reports.doc.isin(inferred) & reports.year_inferred]
    assert len(guessed) == 4
    assert (guessed.confidence < 1).all()


def test_the_report_accounts_for_every_entry_seen(bundled):
    for d in bundled.report["documents"]:
        assert d["entries_seen"] == (d["reports"] + d["undated"] + d["rejected"]
                                     + d["repeated"]), d["doc"]
    totals = bundled.report["totals"]
    assert totals["reports"] == (bundled.events.kind == "report").sum()
    assert totals["comments_skipped"] > 50
    assert totals["furniture_lines"] > 10
