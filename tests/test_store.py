"""Atomic, schema-checked Parquet: single files, row-group streaming, partitioned folders."""

import os
import re
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from app.store import (
    EventWriter,
    PartitionedWriter,
    atomic_write,
    is_event_dataset,
    iter_frames,
    read_events,
)


def test_row_groups_written_one_at_a_time_read_back_as_the_whole_table(bundled, tmp_path):
    events = bundled.events
    with EventWriter(tmp_path / "e.parquet") as writer:
        for start in range(0, len(events), 10):
            writer.write(events.iloc[start:start + 10])
    pd.testing.assert_frame_equal(read_events(tmp_path / "e.parquet"), events)
    frames = list(iter_frames(tmp_path / "e.parquet"))
    assert len(frames) == -(-len(events) // 10)


def test_a_partitioned_folder_holds_the_same_rows_as_one_file(bundled, tmp_path):
    writer = PartitionedWriter(tmp_path / "parts.parquet")
    writer.write_part(0, bundled.events.iloc[:50])
    writer.write_part(1, bundled.events.iloc[50:])
    assert not (tmp_path / "parts.parquet").exists()  # not visible until complete
    writer.close()
    assert is_event_dataset(tmp_path / "parts.parquet")
    pd.testing.assert_frame_equal(read_events(tmp_path / "parts.parquet"), bundled.events)


def test_a_crash_inside_an_atomic_write_leaves_no_file_under_the_real_name(tmp_path):
    target = tmp_path / "out.parquet"
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write(b"PAR1 half")
        raise RuntimeError("killed")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_an_aborted_streaming_writer_leaves_nothing_behind(bundled, tmp_path):
    with pytest.raises(RuntimeError), EventWriter(tmp_path / "e.parquet") as writer:
        writer.write(bundled.events)
        raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []


def test_sigkill_mid_parse_leaves_no_output_that_is_later_trusted(tmp_path, generate_corpus):
    generate_corpus(tmp_path / "docs", 0.2, seed=3)
    out = tmp_path / "events.parquet"
    env = dict(os.environ)  # hash seeds differ between the runs: groups must not care
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "parse", tmp_path / "docs", "--out", out,
         "--cache", tmp_path / "cache"], stderr=subprocess.DEVNULL, env=env)
    # kill as soon as the first cache entry exists: the parse is under way, output unwritten
    deadline = time.time() + 60
    while time.time() < deadline and not list((tmp_path / "cache").glob("??/*.json")):
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    # what the killed run left (its staging and spool files) is hidden and never read
    assert all(p.name.startswith(".") for p in tmp_path.iterdir() if p.name not in
               ("docs", "cache"))
    rerun = subprocess.run([sys.executable, "-m", "app", "parse", tmp_path / "docs", "--out", out,
                            "--cache", tmp_path / "cache"], capture_output=True, text=True,
                           timeout=120, env=env)
    assert rerun.returncode == 0, rerun.stderr
    # what the killed run put in the cache is sound, so it is used
    assert re.search(r"cache: [1-9]\d* document\(s\) from the cache", rerun.stderr)
    fresh = subprocess.run([sys.executable, "-m", "app", "parse", tmp_path / "docs", "--out",
                            tmp_path / "fresh.parquet", "--no-cache"], capture_output=True,
                           text=True, timeout=120, env=env)
    assert fresh.returncode == 0, fresh.stderr
    pd.testing.assert_frame_equal(read_events(out), read_events(tmp_path / "fresh.parquet"))
