"""One tiny document per trap; the rest of a corpus still parses around bad input."""

import os
import shutil

import pandas as pd
import pytest

from app.pipeline import load_corpus


def load(*paths):
    """Load the files; only report events, since these tests are about reading entries."""
    corpus = load_corpus([str(p) for p in paths])
    corpus.events = corpus.events[corpus.events.kind == "report"].reset_index(drop=True)
    return corpus


def test_impossible_header_dates_are_rejected_with_file_and_line(fixture_path):
    c = load(fixture_path("impossible_date_header.txt"))
    assert sorted(c.events.title) == ["A headline with no source", "A valid headline"]
    rejections = {(r["line"], r["reason"].split(":")[0]) for r in c.report["rejections"]}
    assert rejections == {(7, "impossible date in archive header"),
                          (13, "impossible date in archive header")}
    assert any("31.02.2021" in r["reason"] for r in c.report["rejections"])
    assert any("25:61" in r["reason"] for r in c.report["rejections"])
    doc = c.report["documents"][0]
    assert doc["entries_seen"] == 4 and doc["rejected"] == 2 and doc["reports"] == 2


def test_empty_and_whitespace_files_are_rejected_by_name(fixture_path):
    c = load(fixture_path("empty.txt"), fixture_path("whitespace_only.txt"))
    assert c.events.empty
    assert {(r["doc"], r["reason"]) for r in c.report["rejections"]} == {
        ("empty.txt", "empty file"), ("whitespace_only.txt", "empty file")}


def test_cp1252_text_is_decoded_not_rejected(fixture_path):
    c = load(fixture_path("cp1252_archive.txt"))
    assert c.events.iloc[0].title == "Kämpfe in Bergkarabach gehen weiter"
    assert c.events.iloc[0].source == "Süddeutsche"
    assert c.events.iloc[0].language == "de"


def test_utf16_with_bom_is_decoded(fixture_path):
    c = load(fixture_path("utf16_bom_archive.txt"))
    assert c.events.iloc[0].title == "Le cessez-le-feu est rompu au Haut-Karabakh"
    assert c.events.iloc[0].language == "fr"
    assert c.report["documents"][0]["encoding"] == "utf-16"


def test_mixed_line_endings_still_split_entries(fixture_path):
    c = load(fixture_path("mixed_line_endings.txt"))
    assert list(c.events.sort_values("start").title) == ["First headline", "Second headline"]
    assert list(c.events.sort_values("start").source) == ["A", "B"]


def test_article_publication_line_with_utc_offset_keeps_zone_and_minute(fixture_path):
    c = load(fixture_path("article_utc_offset.txt"))
    ev = c.events.iloc[0]
    assert (ev.title, ev.start, ev.tz, ev.precision) == (
        "New chapter in the story of a village", pd.Timestamp("2022-03-27 19:16"),
        "UTC+04:00", "minute")
    assert "By Jane Writer" not in ev.text


def test_publishing_date_label_on_its_own_line_dates_the_article(fixture_path):
    c = load(fixture_path("article_publishing_date_label.txt"))
    ev = c.events.iloc[0]
    assert (ev.title, ev.start, ev.precision) == (
        "Russia and Azerbaijan trade barbs", pd.Timestamp("2022-03-27"), "day")
    assert ev.text.startswith("Russia and Azerbaijan on Sunday")


def test_forum_join_dates_are_skipped_and_quoted_articles_read(fixture_path):
    c = load(fixture_path("forum_join_date.txt"))
    assert c.report["documents"][0]["reader"] == "forum"
    stated = c.events[~c.events.year_inferred]
    assert sorted(stated.title) == ["Another post's headline", "Quoted headline of a dated article"]
    assert not (c.events.start.dt.year == 2019).any()
    assert c.report["documents"][0]["join_dates_skipped"] == 2
    # the undated quoted article is dated by its dated neighbour in the same post
    assert [(i["line"], i["method"], i["date"]) for i in c.report["inferred"]] == [
        (9, "same-document", "2022-03-27")]


def test_comments_under_an_article_yield_no_event_and_are_counted(fixture_path):
    c = load_corpus([fixture_path("article_with_comments.txt")])
    # "On November 20th" has no year and nothing else in this one-file corpus gives one;
    # the comments' full dates (25.12.2019, 01.01.2020, 5 May 2021) must not be used.
    assert c.events.empty
    assert c.report["undated"][0]["title"] == "Forces entered a district, the president says"
    doc = c.report["documents"][0]
    assert doc["comments_skipped"] == 6
    assert doc["furniture_lines"] == 2
    comments = next(s for s in c.segments["article_with_comments.txt"] if s.kind == "comments")
    assert c.texts["article_with_comments.txt"][comments.char_start:].startswith("Mr T")


def test_binary_files_are_rejected_and_the_rest_still_parsed(tmp_path, fixture_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "blob.bin").write_bytes(b"abc\x00\x01\x02" * 100)
    shutil.copy(fixture_path("article_utc_offset.txt"), tmp_path / "good.txt")
    c = load(tmp_path)
    reasons = {r["doc"]: r["reason"] for r in c.report["rejections"]}
    assert reasons["image.txt"] == "binary file: looks like a PNG image"
    assert reasons["blob.bin"] == "binary file: contains NUL bytes"
    assert list(c.events.doc) == ["good.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_files_are_rejected(tmp_path, fixture_path):
    target = tmp_path / "secret.txt"
    shutil.copy(fixture_path("article_utc_offset.txt"), target)
    target.chmod(0)
    c = load(tmp_path)
    assert c.report["rejections"][0]["reason"] == "permission denied"


def test_missing_paths_and_symlink_loops_are_reported(tmp_path, fixture_path):
    shutil.copy(fixture_path("article_utc_offset.txt"), tmp_path / "good.txt")
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    c = load(tmp_path, tmp_path / "missing")
    reasons = [r["reason"] for r in c.report["rejections"]]
    assert "path does not exist" in reasons
    assert any(r.startswith("symlink loop") for r in reasons)
    assert any(r.startswith("broken or looping symlink") for r in reasons)
    assert len(c.events) == 1


def test_files_over_the_size_limit_are_refused_clearly(tmp_path):
    (tmp_path / "huge.txt").write_text("x" * 5000)
    c = load_corpus([tmp_path], max_bytes=1000)
    assert c.report["rejections"][0]["reason"].startswith("file is 0.0 MB, over the")


def test_an_empty_folder_gives_an_empty_table_not_an_error(tmp_path):
    c = load(tmp_path)
    assert c.events.empty and c.report["totals"]["documents"] == 0


def test_unreadable_files_are_rejected_even_when_running_as_root(tmp_path, monkeypatch):
    from pathlib import Path

    (tmp_path / "locked.txt").write_text("02.03.2021 - 10:00 [ A ]\n\nHeadline\n")
    (tmp_path / "open.txt").write_text("02.03.2021 - 11:00 [ B ]\n\nOther headline\n")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    c = load(tmp_path)
    assert [(r["doc"], r["reason"]) for r in c.report["rejections"]] == [
        ("locked.txt", "permission denied")]
    assert list(c.events.title) == ["Other headline"]


def test_a_200_mb_single_line_file_is_refused_without_being_read(tmp_path, monkeypatch):
    from pathlib import Path

    huge = tmp_path / "one_line.txt"
    with huge.open("wb") as fh:  # sparse: takes no disk space
        fh.truncate(200 * 1024 * 1024)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("file was read"))
    c = load(tmp_path)
    reason = c.report["rejections"][0]["reason"]
    assert reason.startswith("file is 209.7 MB, over the 67 MB limit")
    assert "--max-file-mb" in reason


def test_a_long_single_line_under_the_limit_is_parsed_in_bounded_time(tmp_path):
    text = ("Aliyev said on 10 November 2020 that troops entered Lachin. " * 40000)
    (tmp_path / "long.txt").write_text("A title\n\n" + text)
    c = load_corpus([tmp_path])
    assert c.report["totals"]["documents"] == 1
    assert len(c.events) >= 1


def test_implausible_years_in_publication_lines_are_rejected_with_the_line(tmp_path):
    (tmp_path / "far.txt").write_text("A title\n\n27 March 3022 19:16 (UTC+04:00)\n\nBody.\n")
    c = load(tmp_path)
    assert c.events.empty
    rej = c.report["rejections"][0]
    assert (rej["doc"], rej["line"]) == ("far.txt", 3)
    assert "implausible year 3022" in rej["reason"]


def test_ten_thousand_entries_with_the_same_timestamp_are_all_kept(tmp_path):
    entries = "".join(f"01.10.2020 - 12:00 [ S{i % 7} ]\n\nHeadline {i}\n\nText {i}.\n\n"
                      for i in range(10_000))
    (tmp_path / "same_minute.txt").write_text(entries)
    c = load(tmp_path)
    assert len(c.events) == 10_000
    assert c.events.event_id.is_unique
    assert (c.events.start == pd.Timestamp("2020-10-01 12:00")).all()
    assert c.report["documents"][0]["entries_seen"] == 10_000


def test_the_reader_picked_is_the_one_whose_sniff_scores_highest(fixture_path):
    from app.ingest import READERS, pick_reader
    from app.ingest.loader import LoadError, discover, load
    from app.paths import CORPUS_DIR

    sources, _ = discover([fixture_path("empty.txt").parent, CORPUS_DIR])
    texts = []
    for source in sources:
        try:
            texts.append(load(source).text)
        except LoadError:  # empty and blank files
            continue
    assert len(texts) > 10
    for text in texts:
        assert pick_reader(text) is max(READERS, key=lambda r: r.sniff(text))
