"""Saved web pages and RSS/Atom feeds: read by their markup, in a folder beside plain text."""

from pathlib import Path

import pandas as pd
import pytest

from app.ingest.loader import Source, load
from app.ingest.markup import sniff
from app.ingest.page import parse_stamp
from app.pipeline import load_corpus

MARKUP = Path(__file__).parent / "fixtures" / "markup"
INGEST = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus([str(MARKUP)])


def events_of(corpus, doc: str) -> pd.DataFrame:
    return corpus.events[corpus.events.doc == doc]


def test_a_web_page_is_one_report_at_its_stated_minute_and_zone(corpus):
    ev = events_of(corpus, "article_wordpress_comments.html")
    (report,) = ev[ev.kind == "report"].itertuples()
    assert report.title == "Russian peacekeepers enter Lachin corridor"
    assert report.start == pd.Timestamp("2020-11-26T14:05") and report.precision == "minute"
    assert report.tz == "UTC+04:00" and report.source == "Caucasus Daily"
    assert report.language == "en" and not report.year_inferred
    # the byline, the menu, the related-news list and the footer are not the article
    assert "By Anna" not in report.text and "Related news" not in report.text
    assert "Home" not in report.text and "©" not in report.text
    # offsets point at the date as the rendering shows it
    text = corpus.texts["article_wordpress_comments.html"]
    assert text[report.char_start:].startswith(report.title)


def test_the_pages_dates_are_resolved_against_its_publication_and_comments_give_none(corpus):
    ev = events_of(corpus, "article_wordpress_comments.html")
    mentions = dict(zip(ev[ev.kind == "mention"].evidence, ev[ev.kind == "mention"].start,
                        strict=True))
    assert mentions["Wednesday"] == pd.Timestamp("2020-11-25")
    assert mentions["November 20"] == pd.Timestamp("2020-11-20")
    assert mentions["December 1"] == pd.Timestamp("2020-12-01")
    # the commenters' 25.12.2019, 5 May 2021 and the comment time stamps are not events
    assert not ev.start.dt.year.isin([2019, 2021]).any()
    doc = next(d for d in corpus.report["documents"]
               if d["doc"] == "article_wordpress_comments.html")
    assert doc["reader"] == "html" and doc["comments_skipped"] == 2


def test_a_german_page_with_a_day_only_date_and_disqus_comments(corpus):
    ev = events_of(corpus, "artikel_de_nur_tag.htm")
    (report,) = ev[ev.kind == "report"].itertuples()
    assert (report.start, report.precision, report.tz) == (pd.Timestamp("2022-03-27"), "day", "")
    assert report.language == "de" and report.source == "Tagesblatt"
    assert "Friedenstruppen" in report.text and "Impressum" not in report.text
    assert set(ev[ev.kind == "mention"].start) >= {pd.Timestamp("2022-03-26"),
                                                  pd.Timestamp("2020-11-10")}
    # the comment's 3 January 2019 and the footer's page stamp give nothing
    assert not ev.start.dt.year.isin([2019, 2023]).any()


def test_html_is_known_by_its_content_whatever_the_file_is_called(corpus):
    (report,) = events_of(corpus, "saved_page_named_txt.txt").query("kind == 'report'") \
        .itertuples()
    assert report.start == pd.Timestamp("2021-01-11T09:30") and report.tz == "UTC"
    assert report.title == "Ceasefire talks resume in Moscow"
    assert "<p>" not in corpus.texts["saved_page_named_txt.txt"]


def test_a_page_without_a_date_is_undated_and_inferred_never_dropped(corpus):
    (report,) = events_of(corpus, "undated_page.html").query("kind == 'report'").itertuples()
    assert report.year_inferred and report.title == "Shusha after the war"
    assert any(i["doc"] == "undated_page.html" for i in corpus.report["inferred"])


def test_a_page_with_no_main_text_is_rejected_with_the_reason(corpus):
    assert {"doc": "no_main_text.html", "line": 0,
            "reason": "web page: no main text found in its markup"}.items() <= next(
        r for r in corpus.report["rejections"] if r["doc"] == "no_main_text.html").items()
    assert events_of(corpus, "no_main_text.html").empty


def test_an_rss_feed_gives_one_report_per_item_with_its_zone(corpus):
    ev = events_of(corpus, "wire_rss.xml")
    reports = ev[ev.kind == "report"].sort_values("start")
    assert list(reports.title) == ["Background: the 1994 ceasefire", "Talks on prisoners continue",
                                   "Peacekeepers complete deployment in Lachin"]
    assert set(reports.source) == {"Caucasus Wire"}
    dated = reports[~reports.year_inferred]
    assert list(dated.start) == [pd.Timestamp("2020-11-30T07:10"),
                                 pd.Timestamp("2020-12-01T18:45")]
    assert list(dated.tz) == ["UTC", "UTC+04:00"]
    # the item without a date is kept, its date inferred and said so in the report
    assert any(i["doc"] == "wire_rss.xml" for i in corpus.report["inferred"])
    mentions = ev[ev.kind == "mention"]
    assert pd.Timestamp("2020-11-25") in set(mentions.start)  # from the item's HTML summary
    assert "<p>" not in corpus.texts["wire_rss.xml"]


def test_an_atom_feed_in_french_dates_items_by_published_else_updated(corpus):
    ev = events_of(corpus, "dernieres_atom.xml")
    reports = ev[ev.kind == "report"].sort_values("start")
    assert list(reports.start) == [pd.Timestamp("2023-09-20T16:20"),
                                   pd.Timestamp("2023-09-21T09:15")]
    assert set(reports.tz) == {"UTC+02:00"} and set(reports.language) == {"fr"}
    assert set(reports.source) == {"Actualités du Caucase"}
    mentions = dict(zip(ev[ev.kind == "mention"].evidence, ev[ev.kind == "mention"].start,
                        strict=True))
    assert mentions["hier"] == pd.Timestamp("2023-09-19")
    assert mentions["jeudi"] == pd.Timestamp("2023-09-21")


def test_a_folder_may_mix_text_pages_and_feeds(tmp_path):
    for src in (INGEST / "cp1252_archive.txt", MARKUP / "wire_rss.xml",
                MARKUP / "artikel_de_nur_tag.htm"):
        (tmp_path / src.name).write_bytes(src.read_bytes())
    c = load_corpus([str(tmp_path)])
    readers = {d["doc"]: d["reader"] for d in c.report["documents"]}
    assert readers == {"cp1252_archive.txt": "archive", "wire_rss.xml": "feed",
                       "artikel_de_nur_tag.htm": "html"}
    assert set(c.events[c.events.kind == "report"].doc) == set(readers)


@pytest.mark.parametrize(("head", "kind"), [
    ("<!DOCTYPE html><html><body>", "html"),
    ("\n  <html lang='fr'><head>", "html"),
    ("<?xml version='1.0'?>\n<rss version='2.0'><channel>", "feed"),
    ('<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
    ("12.10.2020 - 08:00 [ Source ]\n\nA headline about <html> tags", ""),
    ("An article that mentions <rss> feeds and <html> in passing.", ""),
])
def test_markup_is_sniffed_from_what_the_text_starts_with(head, kind):
    assert sniff(head) == kind


@pytest.mark.parametrize(("stamp", "expected"), [
    ("2020-11-26T14:05:00+0400", ("2020-11-26T14:05", "minute", "UTC+04:00")),
    ("2022-03-27", ("2022-03-27", "day", "")),
    ("Tue, 01 Dec 2020 18:45:00 +0400", ("2020-12-01T18:45", "minute", "UTC+04:00")),
    ("Mon, 30 Nov 2020 07:10:00 GMT", ("2020-11-30T07:10", "minute", "UTC")),
    ("2023-09-20T16:20:00-03:30", ("2023-09-20T16:20", "minute", "UTC-03:30")),
])
def test_stamps_keep_the_wall_clock_and_the_zone_as_stated(stamp, expected):
    when, precision, tz = parse_stamp(stamp)
    assert (when, precision, tz) == (pd.Timestamp(expected[0]).to_pydatetime(), *expected[1:])


def test_an_impossible_feed_date_is_rejected_with_file_and_line(tmp_path):
    feed = (MARKUP / "wire_rss.xml").read_text(encoding="utf-8").replace(
        "Mon, 30 Nov 2020 07:10:00 GMT", "Mon, 30 Nov 3020 07:10:00 GMT")
    (tmp_path / "bad.xml").write_text(feed, encoding="utf-8")
    c = load_corpus([str(tmp_path)])
    (rej,) = c.report["rejections"]
    assert rej["doc"] == "bad.xml" and "implausible year 3020" in rej["reason"]
    assert rej["line"] > 1
    assert len(c.events[c.events.kind == "report"]) == 2  # the other items are kept


def test_the_loader_keeps_the_layout_beside_the_rendered_text():
    doc = load(Source(MARKUP / "wire_rss.xml", "wire_rss.xml"))
    assert doc.layout.kind == "feed" and len(doc.layout.parts) == 3
    for part in doc.layout.parts:
        assert doc.text[part.char_start:].startswith(part.title)
        if part.published:
            assert doc.text[part.published_start:].startswith(part.published)
