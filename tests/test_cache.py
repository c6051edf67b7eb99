"""The per-document cache: only changed documents are parsed again; damage is never trusted."""

import json
import shutil

import pandas as pd
import pytest

from app import engine
from app.paths import CORPUS_DIR
from app.store import FORMAT_VERSION, DocCache, content_key, read_events


def _copy_corpus(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(CORPUS_DIR, docs)
    for f in docs.iterdir():
        f.chmod(0o644)
    return docs


def _parse(docs, tmp_path, name="e.parquet"):
    return engine.parse_local([docs], tmp_path / name, cache_dir=tmp_path / "cache")


def test_a_second_parse_of_an_unchanged_corpus_parses_nothing(tmp_path, monkeypatch):
    docs = _copy_corpus(tmp_path)
    first = _parse(docs, tmp_path, "a.parquet")
    assert first.parsed == 5 and first.cached == 0
    assert first.pending > 0  # undated articles, which the cache must carry too
    parsed = []
    monkeypatch.setattr(engine.pipeline, "process", lambda doc: parsed.append(doc.name))
    second = _parse(docs, tmp_path, "b.parquet")
    assert parsed == [] and second.parsed == 0
    assert second.cached == 5 and second.rebuilt == 0 and second.pending == first.pending
    assert second.report == first.report
    pd.testing.assert_frame_equal(read_events(tmp_path / "b.parquet"),
                                  read_events(tmp_path / "a.parquet"))


def test_a_warm_start_loads_the_same_corpus_as_the_pipeline(bundled, tmp_path, monkeypatch):
    engine.load_corpus([CORPUS_DIR], cache_dir=tmp_path / "cache")
    monkeypatch.setattr(engine.pipeline, "process", lambda doc: pytest.fail(doc.name))
    warm = engine.load_corpus([CORPUS_DIR], cache_dir=tmp_path / "cache")
    pd.testing.assert_frame_equal(warm.events, bundled.events)
    assert warm.report == bundled.report


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
    assert len(data) == 5
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


def test_an_edited_pending_entry_in_a_sidecar_is_detected_and_rebuilt(tmp_path):
    docs = _copy_corpus(tmp_path)
    _parse(docs, tmp_path, "a.parquet")
    edited = 0
    for meta in (tmp_path / "cache").glob("??/*.json"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        for p in data["extra"]["pending"]:
            p["language"] = "xx"  # still valid JSON: only the checksum can tell
            edited += 1
        meta.write_text(json.dumps(data), encoding="utf-8")
    assert edited
    again = _parse(docs, tmp_path, "b.parquet")
    assert again.rebuilt >= 1 and again.parsed == again.rebuilt
    pd.testing.assert_frame_equal(read_events(tmp_path / "b.parquet"),
                                  read_events(tmp_path / "a.parquet"))


def test_an_entry_from_another_format_version_is_stale(bundled, tmp_path):
    cache = DocCache(tmp_path)
    key = content_key("a.txt", "text")
    cache.put(key, bundled.events.head(3), {"read": {}})
    assert cache.get(key) is not None
    meta = next(tmp_path.glob("??/*.json"))
    meta.write_text(meta.read_text().replace(f'"format_version": {FORMAT_VERSION}',
                                             '"format_version": 0'))
    assert cache.get(key) is None
    assert cache.rebuilt == [key]


def test_the_cache_key_changes_with_the_text_the_name_and_the_parser(tmp_path):
    base = content_key("a.txt", "text", "v1")
    assert base == content_key("a.txt", "text", "v1")
    assert len({base, content_key("a.txt", "text!", "v1"), content_key("b.txt", "text", "v1"),
                content_key("a.txt", "text", "v2")}) == 4
