"""The Dask engine writes the same rows, in the same order, as the single-process engine."""

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from app import engine
from app.paths import CORPUS_DIR
from app.store import read_events


def generate(out_dir, size_mb, seed):
    """The benchmarks' corpus generator (benchmarks/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "scale_corpus", Path(__file__).parent.parent / "benchmarks" / "scale_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(out_dir, size_mb, seed)


def test_the_local_engine_writes_what_the_pipeline_loads(bundled, tmp_path):
    run = engine.parse_local([CORPUS_DIR], tmp_path / "e.parquet")
    pd.testing.assert_frame_equal(read_events(tmp_path / "e.parquet"), bundled.events)
    assert run.report == bundled.report


def test_dask_on_two_workers_matches_one_process_on_the_bundled_corpus(bundled, tmp_path):
    run = engine.parse_dask([CORPUS_DIR], tmp_path / "d.parquet", workers=2, processes=False,
                            batch_bytes=20_000)
    assert (tmp_path / "d.parquet").is_dir()
    pd.testing.assert_frame_equal(read_events(tmp_path / "d.parquet"), bundled.events)
    assert run.report == bundled.report


def test_dask_matches_one_process_on_a_generated_corpus(tmp_path):
    generate(tmp_path / "docs", 0.4, seed=7)
    local = engine.parse_local([tmp_path / "docs"], tmp_path / "l.parquet")
    dask = engine.parse_dask([tmp_path / "docs"], tmp_path / "d.parquet", workers=2,
                             processes=False, batch_bytes=50_000)
    assert local.rows == dask.rows > 0
    pd.testing.assert_frame_equal(read_events(tmp_path / "d.parquet"),
                                  read_events(tmp_path / "l.parquet"))


def test_loading_through_the_cache_gives_the_pipelines_corpus(bundled, tmp_path):
    for _ in range(2):
        corpus = engine.load_corpus([CORPUS_DIR], cache_dir=tmp_path / "cache")
        pd.testing.assert_frame_equal(corpus.events, bundled.events)
        assert corpus.texts == bundled.texts


def test_strict_with_rejections_writes_nothing(tmp_path, fixture_path):
    run = engine.parse_local([fixture_path("impossible_date_header.txt")],
                             tmp_path / "e.parquet", strict=True)
    assert not run.written and not (tmp_path / "e.parquet").exists()


@pytest.mark.slow
def test_dask_with_worker_processes_matches_one_process(tmp_path):
    generate(tmp_path / "docs", 2, seed=2)
    engine.parse_local([tmp_path / "docs"], tmp_path / "l.parquet")
    engine.parse_dask([tmp_path / "docs"], tmp_path / "d.parquet", workers=2)
    pd.testing.assert_frame_equal(read_events(tmp_path / "d.parquet"),
                                  read_events(tmp_path / "l.parquet"))
