"""The page-structure layer: post headers, profiles, stamps, link lists, citations and
comment threads give no event and are counted per kind in the ingest report."""

from pathlib import Path

import pytest

from app.ingest.structure import find_structure, mask
from app.pipeline import load_corpus

STYLES = Path(__file__).parent / "fixtures" / "styles"
KINDS = {
    "forum_phpbb_en": {"post_header", "profile", "edit_stamp", "page_stamp"},
    "forum_vbulletin_en": {"post_header", "profile"},
    "forum_xenforo_en": {"post_header", "profile"},
    "forum_discourse_en": {"post_header", "profile"},
    "forum_reddit_en": {"post_header", "comment_thread"},
    "comments_wordpress_en": {"related_links", "comment_thread"},
    "comments_disqus_en": {"comment_thread"},
    "kommentare_de": {"related_links", "page_stamp", "comment_thread"},
    "commentaires_fr": {"related_links", "page_stamp", "comment_thread"},
    "wiki_timeline_en": {"contents", "page_stamp", "citations"},
}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_kind_is_found_counted_and_gives_no_event(name):
    path = STYLES / f"{name}.txt"
    c = load_corpus([path])
    doc = c.report["documents"][0]
    assert KINDS[name] <= set(doc["metadata"])
    assert doc["metadata_skipped"] == sum(doc["metadata"].values())
    text = path.read_text(encoding="utf-8")
    spans = [(s.char_start, s.char_end) for s in find_structure(text)]
    for ev in c.events[c.events.kind == "mention"].itertuples():
        assert not any(a < ev.char_end and ev.char_start < b for a, b in spans), ev.evidence


def test_mask_keeps_length_and_newlines():
    text = "Title\n\nJoined: Dec 25, 2019\nPosts: 12\n\nBody on 3 May 2021."
    segs = find_structure(text)
    assert [s.kind for s in segs] == ["profile", "profile"]
    masked = mask(text, segs)
    assert len(masked) == len(text)
    assert [i for i, ch in enumerate(masked) if ch == "\n"] == [
        i for i, ch in enumerate(text) if ch == "\n"]
    assert "2019" not in masked and "3 May 2021" in masked


def test_a_dated_publication_line_is_never_taken_for_a_comment_stamp():
    assert find_structure("Mar 27, 2022 • 5 hours ago") == []
    assert [s.kind for s in find_structure("Gevorg • 2 years ago")] == ["post_header"]


def test_year_only_back_references_are_background_never_a_year_band():
    c = load_corpus([STYLES / "article_backrefs_en.txt"])
    m = c.events[c.events.kind == "mention"]
    assert (m[m.precision == "year"].background).all()
    assert len(m[m.precision == "year"]) >= 2
    shown = m[~m.background]
    assert list(shown.evidence) == ["Saturday"]


def test_a_wire_dateline_dates_the_quoted_story_with_the_year_of_its_post():
    c = load_corpus([STYLES / "wire_dateline_en.txt"])
    reports = c.events[c.events.kind == "report"]
    assert list(zip(reports.start.astype(str), reports.precision.astype(str),
                    reports.evidence, strict=True)) == [("2023-09-24", "day", "Sept 24")]
    assert not reports.year_inferred.any()


def test_an_undated_post_takes_its_year_from_the_post_stamp_not_an_event():
    c = load_corpus([STYLES / "forum_phpbb_en.txt"])
    assert [i["method"] for i in c.report["inferred"]] == ["same-document"]
    m = c.events[c.events.kind == "mention"]
    assert "September 26" in set(m.evidence)
    assert not (m.start.dt.year == 2019).any()


def test_a_liveblog_gives_one_report_per_timed_update_under_its_day_heading():
    c = load_corpus([STYLES / "liveblog_en.txt"])
    assert c.report["documents"][0]["reader"] == "liveblog"
    reports = c.events[c.events.kind == "report"].sort_values("start")
    assert [str(t) for t in reports.start] == ["2023-09-24 13:30:00", "2023-09-24 19:45:00"]
    assert reports.title.iloc[1] == "The first buses arrived in Goris, local officials said."


def test_a_timeline_section_heading_is_not_a_mention():
    c = load_corpus([STYLES])
    ev = c.events[c.events.doc == "wiki_timeline_en.txt"]
    m = ev[(ev.kind == "mention") & ~ev.background]
    assert sorted(m.evidence) == ["10 October", "27 September", "9 October"]


def test_stated_zones_are_kept_as_written_and_as_an_offset():
    c = load_corpus([STYLES / "article_zones_en.txt"])
    m = c.events[c.events.tz != ""]
    assert sorted(zip(m.tz, m.utc_offset, strict=True)) == [
        ("AMT", "+04:00"), ("Moscow time", "+03:00"), ("local time (UTC+4)", "+04:00")]


@pytest.mark.parametrize(("written", "offset"), [
    ("AMT", "+04:00"), ("MSK", "+03:00"), ("Moscow time", "+03:00"), ("GMT+4", "+04:00"),
    ("local time (UTC+4)", "+04:00"), ("CEST", "+02:00"), ("MEZ", "+01:00"),
    ("UTC+04:00", "+04:00"), ("nowhere", "")])
def test_zone_offsets(written, offset):
    from app.dates.zones import offset_of

    assert offset_of(written) == offset


@pytest.mark.parametrize(("name", "start"), [
    ("article_byline_inline_en.txt", "2023-09-28 10:15:00"),
    ("artikel_byline_de.txt", "2023-09-25 18:30:00")])
def test_a_byline_with_its_date_on_one_line_dates_the_article(name, start):
    c = load_corpus([STYLES / name])
    reports = c.events[c.events.kind == "report"]
    assert [str(t) for t in reports.start] == [start]
    assert (reports.tz == "").all()  # "Uhr" is not a zone
    assert c.report["documents"][0]["metadata"] == {"page_stamp": 1}


def test_news_text_is_not_taken_for_page_structure():
    text = ("Kommentar\n\nDie Waffenruhe vom 10. November 2020 hält nicht.\n\n"
            "Protests continue for day #3\n\nPublished: 12.03.2022 10:15\n\n"
            "Commentaire\n\nLe 27 septembre 2020, les combats ont repris.\n")
    assert find_structure(text) == []


def test_timeline_day_headings_take_their_year_from_the_section_heading():
    # the archive beside it makes 2023 the corpus's dense year; the sections say 2020
    c = load_corpus([STYLES / "wiki_timeline_de.txt", STYLES / "archive_newest_first.txt"])
    m = c.events[(c.events.doc == "wiki_timeline_de.txt") & (c.events.kind == "mention")]
    assert sorted(str(t.date()) for t in m.start) == ["2020-09-27", "2020-10-10"]
    assert not m.year_inferred.any()


ARTICLE = ("Ceasefire holds in Karabakh\n\nPublished: 21.09.2023 10:00\n\n"
           "The ceasefire took effect on 20 September 2023, the ministry said.\n\n")
# One small document per kind the layer knows: (tail after the article, kind, items)
PER_KIND = {
    "post_header": ("Post by gevorg » Sun Sep 24, 2023 7:12 pm\n\nhayk • 2 years ago\n",
                    2),
    "profile": ("Joined: Dec 25, 2019\nMember since 04/11/2020\nLocation: Yerevan\n", 3),
    "edit_stamp": ("Last edited by gevorg on Sun Sep 24, 2023 8:00 pm, edited 1 time in total.\n",
                   1),
    "page_stamp": ("This page was last edited on 2 October 2023, at 10:12.\n"
                   "© 2023 Example News\n", 2),
    "citation": ("^ \"Ceasefire\". Example News. 20 September 2023. Retrieved 1 October 2023.\n",
                 1),
    "comment_thread": ("3 Comments\n\nAni: it began on 19 September 2023.\n\n"
                       "Levon: no, on 18 September 2023.\n", 1),
    "related_links": ("Related news\nTalks in Yevlakh on 21 September 2023\n"
                      "Convoy reaches Goris, 25 September 2023\n", 1),
    "citations": ("References\n\n1. Example News, 20 September 2023.\n"
                  "2. Example Post, 22 September 2023.\n", 1),
    "contents": ("Contents\n1 Background 2020\n2 Ceasefire 2023\n", 1),
}


def test_every_kind_of_the_data_file_has_a_document_of_its_own():
    from app.ingest.structure import kinds

    assert set(kinds()) <= set(PER_KIND)


@pytest.mark.parametrize("kind", sorted(PER_KIND))
def test_each_kind_alone_is_counted_exactly_and_gives_no_event(kind, tmp_path):
    tail, items = PER_KIND[kind]
    path = tmp_path / f"{kind}.txt"
    path.write_text(ARTICLE + tail, encoding="utf-8")
    c = load_corpus([path])
    doc = c.report["documents"][0]
    assert doc["metadata"] == {kind: items}
    assert doc["metadata_skipped"] == items
    mentions = c.events[c.events.kind == "mention"]
    assert list(mentions.evidence) == ["20 September 2023"]
    assert (c.events.char_start < len(ARTICLE)).all()
