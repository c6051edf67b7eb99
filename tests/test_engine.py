"""The streaming engines write the rows the in-memory pipeline loads, whatever the layout."""

import json
import tracemalloc

import pandas as pd
import pytest
from typer.testing import CliRunner

from app import engine, pipeline
from app.cli import cli
from app.paths import CORPUS_DIR
from app.report import IngestReport
from app.store import ItemLog, iter_frames, read_events


def same_rows(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(pipeline.sort_events(left), pipeline.sort_events(right))


@pytest.fixture(scope="module")
def generated(tmp_path_factory, generate_corpus):
    """A small generated corpus (archives, forum threads, articles with undated entries)
    and what the in-memory pipeline makes of it."""
    docs = tmp_path_factory.mktemp("generated") / "docs"
    generate_corpus(docs, 0.3, seed=7)
    return docs, pipeline.load_corpus([docs])


def test_the_local_engine_writes_what_the_pipeline_loads(bundled, tmp_path):
    run = engine.parse_local([CORPUS_DIR], tmp_path / "e.parquet")
    same_rows(read_events(tmp_path / "e.parquet"), bundled.events)
    assert run.report == bundled.report
    assert run.rows == len(bundled.events)


def test_small_row_groups_give_the_same_rows_each_group_in_canonical_order(bundled, tmp_path):
    engine.parse_local([CORPUS_DIR], tmp_path / "e.parquet", rows_per_group=1)
    frames = list(iter_frames(tmp_path / "e.parquet"))
    assert len(frames) >= 5  # a row group per document at least
    for frame in frames:
        pd.testing.assert_frame_equal(frame, pipeline.sort_events(frame))
    same_rows(pd.concat(frames, ignore_index=True), bundled.events)


@pytest.mark.parametrize("name", ["e.csv", "e.json"])
def test_csv_and_json_outputs_are_streamed_with_the_same_rows(bundled, tmp_path, name):
    engine.parse_local([CORPUS_DIR], tmp_path / name, rows_per_group=40)
    same_rows(read_events(tmp_path / name), bundled.events)


def test_a_partitioned_local_run_holds_the_same_rows(bundled, tmp_path):
    engine.parse_local([CORPUS_DIR], tmp_path / "p.parquet", partitioned=True, rows_per_group=1)
    assert len(list((tmp_path / "p.parquet").glob("part-*.parquet"))) >= 5
    assert not list((tmp_path / "p.parquet").glob("*.jsonl"))
    assert not list((tmp_path / "p.parquet").glob("*profiles*"))
    same_rows(read_events(tmp_path / "p.parquet"), bundled.events)


def test_dask_on_two_workers_matches_the_pipeline_on_the_bundled_corpus(bundled, tmp_path):
    run = engine.parse_dask([CORPUS_DIR], tmp_path / "d.parquet", workers=2, processes=False,
                            batch_bytes=20_000)
    assert (tmp_path / "d.parquet").is_dir()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    same_rows(read_events(tmp_path / "d.parquet"), bundled.events)
    assert run.report == bundled.report


def test_the_local_engine_matches_the_pipeline_on_a_generated_corpus(generated, tmp_path):
    docs, expected = generated
    run = engine.parse_local([docs], tmp_path / "l.parquet", rows_per_group=500)
    assert run.pending > 0 and expected.report["inferred"]
    same_rows(read_events(tmp_path / "l.parquet"), expected.events)
    assert run.report == expected.report


def test_dask_matches_the_pipeline_on_a_generated_corpus(generated, tmp_path, monkeypatch):
    docs, expected = generated
    monkeypatch.setattr(ItemLog, "LIMIT", 1)  # the driver's report lists go to disk
    run = engine.parse_dask([docs], tmp_path / "d.parquet", workers=2, processes=False,
                            batch_bytes=50_000)
    assert run.rows == len(expected.events) > 0
    same_rows(read_events(tmp_path / "d.parquet"), expected.events)
    assert run.report == expected.report


def test_a_report_held_on_disk_is_the_report_held_in_memory(generated, tmp_path, monkeypatch):
    docs, expected = generated
    monkeypatch.setattr(ItemLog, "LIMIT", 1)
    run = engine.parse_local([docs], tmp_path / "l.parquet")
    undated, inferred = run.report["undated"], run.report["inferred"]
    assert isinstance(undated, ItemLog) and isinstance(inferred, ItemLog)
    assert len(inferred) > 1 and inferred._file is not None and len(undated) == 0
    assert run.report == expected.report

    out, rep = tmp_path / "c.parquet", tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["parse", str(docs), "--out", str(out), "--report",
                                      str(rep), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert json.loads(rep.read_text("utf-8")) == json.loads(json.dumps(expected.report,
                                                                       default=str))
    lines = IngestReport(expected.report["documents"], expected.report["rejections"],
                         expected.report["undated"], expected.report["inferred"]).summary_lines()
    printed = result.stderr.splitlines()
    assert printed[:len(lines)] == lines


def test_undated_entries_held_on_disk_are_reported_in_full(tmp_path, fixture_path, monkeypatch):
    # nothing in these gives a year: each article stays undated
    text = fixture_path("article_with_comments.txt").read_text("utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"a{i}.txt").write_text(text.replace("president says", f"president says {i}"),
                                        "utf-8")
    expected = pipeline.load_corpus([docs])
    monkeypatch.setattr(ItemLog, "LIMIT", 1)
    run = engine.parse_local([docs], tmp_path / "e.parquet")
    assert isinstance(run.report["undated"], ItemLog) and run.report["undated"]._file is not None
    assert [u["doc"] for u in run.report["undated"]] == ["a0.txt", "a1.txt", "a2.txt"]
    assert run.report == expected.report


def test_loading_through_the_cache_gives_the_pipelines_corpus(bundled, tmp_path):
    for _ in range(2):
        corpus = engine.load_corpus([CORPUS_DIR], cache_dir=tmp_path / "cache")
        pd.testing.assert_frame_equal(corpus.events, bundled.events)
        assert corpus.texts == bundled.texts
        assert corpus.report == bundled.report


def test_strict_with_rejections_writes_nothing(tmp_path, fixture_path):
    run = engine.parse_local([fixture_path("impossible_date_header.txt")],
                             tmp_path / "e.parquet", strict=True)
    assert not run.written and list(tmp_path.iterdir()) == []


def _peak_of_parse(docs, out) -> int:
    tracemalloc.start()
    try:
        engine.parse_local([docs], out, rows_per_group=200)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_twice_the_corpus_does_not_need_twice_the_memory(tmp_path, generate_corpus):
    # documents of 64 KB: a corpus twice as large has twice as many of them
    small, large = tmp_path / "small", tmp_path / "large"
    generate_corpus(small, 0.2, seed=5, file_kb=64)
    generate_corpus(large, 0.4, seed=5, file_kb=64)
    engine.parse_local([CORPUS_DIR], tmp_path / "warm.parquet")  # load models and caches
    peak_small = _peak_of_parse(small, tmp_path / "s.parquet")
    peak_large = _peak_of_parse(large, tmp_path / "l.parquet")
    assert read_events(tmp_path / "l.parquet").shape[0] > 1.8 * read_events(
        tmp_path / "s.parquet").shape[0]
    assert peak_large < 1.3 * peak_small, (peak_small, peak_large)


@pytest.mark.slow
def test_dask_with_worker_processes_matches_one_process(tmp_path, generate_corpus):
    generate_corpus(tmp_path / "docs", 2, seed=2, file_kb=256)
    engine.parse_local([tmp_path / "docs"], tmp_path / "l.parquet")
    engine.parse_dask([tmp_path / "docs"], tmp_path / "d.parquet", workers=2)
    same_rows(read_events(tmp_path / "d.parquet"), read_events(tmp_path / "l.parquet"))
