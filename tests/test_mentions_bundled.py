"""Mention events on the bundled corpus: dated happenings inside the reports."""

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def mentions(bundled):
    return bundled.events[bundled.events.kind == "mention"]


def day(s):
    return pd.Timestamp(s)


def find(mentions, doc_prefix, evidence):
    rows = mentions[mentions.doc.str.startswith(doc_prefix) & (mentions.evidence == evidence)]
    assert len(rows) >= 1, f"no mention {evidence!r} in {doc_prefix}"
    return rows.iloc[0]


def test_mention_offsets_slice_out_the_evidence(bundled, mentions):
    for m in mentions.itertuples():
        assert bundled.texts[m.doc][m.char_start:m.char_end] == m.evidence


def test_every_mention_links_to_a_report_of_the_same_document(bundled, mentions):
    reports = bundled.events[bundled.events.kind == "report"].set_index("event_id")
    for m in mentions.itertuples():
        assert reports.loc[m.report_id, "doc"] == m.doc
        assert reports.loc[m.report_id, "start"] == m.reported_at


def test_every_bundled_document_yields_mentions(mentions):
    assert mentions.doc.str[:3].nunique() == 5


@pytest.mark.parametrize(("doc", "evidence", "start", "precision", "year_inferred"), [
    ("000", "November 20th", "2020-11-20", "day", True),
    ("000", "November 19", "2020-11-19", "day", True),
    ("000", "November 14", "2020-11-14", "day", True),
    ("001", "November 10", "2020-11-10", "day", True),
    ("002", "March 26", "2022-03-26", "day", True),
    ("002", "October 2021", "2021-10-01", "month", False),
    ("003", "October 22nd", "2020-10-22", "day", True),
    ("004", "13:00 on 20 September", "2023-09-20 13:00", "minute", True),
    ("004", "heute", "2020-10-04", "day", False),
])
def test_partial_and_relative_dates_resolve_to_the_right_day(
        mentions, doc, evidence, start, precision, year_inferred):
    m = find(mentions, doc, evidence)
    assert m.start == day(start)
    assert m.precision == precision
    assert bool(m.year_inferred) == year_inferred


def test_a_range_keeps_its_start_and_end(mentions):
    m = find(mentions, "001", "September 27 to December 1")
    assert (m.start, m.end) == (day("2020-09-27"), day("2020-12-02"))


def test_yesterday_in_an_undated_article_follows_its_inferred_date(mentions):
    m = find(mentions, "000", "yesterday")
    assert m.start == day("2020-11-19")
    assert m.confidence < 1


def test_saturday_in_the_quoted_article_is_the_day_before_its_neighbours(mentions):
    m = find(mentions, "002", "Saturday")
    assert m.start == day("2022-03-26")


def test_background_history_is_kept_and_flagged(mentions):
    old = mentions[mentions.start.dt.year < 2020]
    assert {"1921", "1923"} <= set(old.evidence)
    assert old.background.all()
    in_war = mentions[(mentions.start >= day("2020-09-27")) & (mentions.start < day("2020-11-11"))]
    assert len(in_war) > 10 and not in_war.background.any()


def test_traps_never_become_mentions(bundled, mentions):
    for trap in ("1,235", "S-300", "Il-76", "2,500", "An-124", "7 units", "Dec 25, 2019"):
        assert not mentions.evidence.str.contains(trap, regex=False).any(), trap


def test_now_and_currently_add_no_mention_of_their_own(mentions):
    assert not mentions.evidence.str.lower().isin(["now", "currently", "jetzt"]).any()
