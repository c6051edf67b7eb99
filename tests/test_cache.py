"""The per-document cache: only changed documents are parsed again; damage is never trusted."""

import shutil

import pandas as pd

from app import engine
from app.paths import CORPUS_DIR
from app.store import DocCache, content_key, read_events


def _copy_corpus(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(CORPUS_DIR, docs)
    for f in docs.iterdir():
        f.chmod(0o644)
    return docs


def _parse(docs, tmp_path, name="e.parquet"):
    return engine.parse_local([docs], tmp_path / name, cache_dir=tmp_path / "cache")


def test_a_second_parse_of_an_unchanged_corpus_comes_from_the_cache(tmp_path):
    docs = _copy_corpus(tmp_path)
    first = _parse(docs, tmp_path, "a.parquet")
    second = _parse(docs, tmp_path, "b.parquet")
    assert second.cached == first.cached + first.parsed - second.parsed
    assert second.cached >= 1 and second.rebuilt == 0
    pd.testing.assert_frame_equal(read_events(tmp_path / "b.parquet"),
                                  read_events(tmp_path / "a.parquet"))


def test_editing_one_document_parses_only_that_one_again(tmp_path):
    docs = _copy_corpus(tmp_path)
    archive = next(docs.glob("004_*.txt"))
    _parse(docs, tmp_path)
    first = _parse(docs, tmp_path)  # warm: what an unchanged corpus takes from the cache
    assert first.cached >= 1
    text = archive.read_text(encoding="utf-8")
    archive.write_text(text.replace("Wikipedia", "Encyclopaedia", 1), encoding="utf-8")
    second = _parse(docs, tmp_path)
    assert second.cached == first.cached - 1
    assert second.parsed == first.parsed + 1
    events = read_events(tmp_path / "e.parquet")
    assert "Encyclopaedia" in set(events["source"])


def test_adding_a_document_parses_it_and_keeps_the_rest_cached(tmp_path):
    docs = _copy_corpus(tmp_path)
    _parse(docs, tmp_path)
    first = _parse(docs, tmp_path)
    archive = next(docs.glob("004_*.txt"))
    shutil.copy(archive, docs / "005_copy.txt")
    second = _parse(docs, tmp_path)
    assert second.cached == first.cached
    assert second.parsed == first.parsed + 1
    assert (read_events(tmp_path / "e.parquet")["doc"] == "005_copy.txt").sum() >= 63


def test_a_corrupt_cache_file_is_detected_and_rebuilt(tmp_path):
    docs = _copy_corpus(tmp_path)
    _parse(docs, tmp_path, "a.parquet")
    data = sorted((tmp_path / "cache").glob("??/*.parquet"))
    assert data
    for f in data:
        raw = bytearray(f.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        f.write_bytes(bytes(raw))
    again = _parse(docs, tmp_path, "b.parquet")
    assert again.rebuilt == len(data)
    pd.testing.assert_frame_equal(read_events(tmp_path / "b.parquet"),
                                  read_events(tmp_path / "a.parquet"))
    third = _parse(docs, tmp_path, "c.parquet")
    assert third.rebuilt == 0 and third.cached == len(data)


def test_an_entry_from_another_format_version_is_stale(bundled, tmp_path):
    cache = DocCache(tmp_path)
    key = content_key("a.txt", "text")
    cache.put(key, bundled.events.head(3), {"read": {}})
    meta = next(tmp_path.glob("??/*.json"))
    meta.write_text(meta.read_text().replace('"format_version": 1', '"format_version": 0'))
    assert cache.get(key) is None
    assert cache.rebuilt == [key]


def test_the_cache_key_changes_with_the_text_the_name_and_the_parser(tmp_path):
    base = content_key("a.txt", "text", "v1")
    assert base == content_key("a.txt", "text", "v1")
    assert len({base, content_key("a.txt", "text!", "v1"), content_key("b.txt", "text", "v1"),
                content_key("a.txt", "text", "v2")}) == 4
