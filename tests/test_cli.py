"""The timeline command, run as a user runs it."""

import json
import os
import subprocess
import sys

import pandas as pd

from app.paths import CORPUS_DIR


def timeline(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], capture_output=True,
                          text=True, input=stdin, timeout=120)


def test_parse_writes_json_records_with_iso_times_and_a_report(tmp_path):
    out, rep = tmp_path / "events.json", tmp_path / "report.json"
    run = timeline("parse", "--out", out, "--report", rep)
    assert run.returncode == 0, run.stderr
    records = json.loads(out.read_text())
    assert isinstance(records, list) and len(records) >= 66
    first = next(r for r in records if r["start"] == "2020-09-27T16:05:00")
    assert first["source"] == "Basler Zeitung" and first["language"] == "de"
    report = json.loads(rep.read_text())
    assert report["totals"]["documents"] == 5
    assert "entries seen" in run.stderr and "comment blocks" in run.stderr


def test_parse_picks_the_format_from_the_extension(tmp_path):
    for ext in ("parquet", "csv"):
        run = timeline("parse", CORPUS_DIR, "--out", tmp_path / f"e.{ext}")
        assert run.returncode == 0, run.stderr
    pq = pd.read_parquet(tmp_path / "e.parquet")
    csv = pd.read_csv(tmp_path / "e.csv")
    assert len(pq) == len(csv) >= 66
    run = timeline("parse", "--out", tmp_path / "e.xlsx")
    assert run.returncode == 2 and "unknown output format" in run.stderr


def test_rejections_name_file_and_line_and_set_the_exit_code(tmp_path, fixture_path):
    bad = fixture_path("impossible_date_header.txt")
    run = timeline("parse", bad, "--out", tmp_path / "e.json")
    assert run.returncode == 3
    assert "impossible_date_header.txt:7: impossible date in archive header" in run.stderr
    assert (tmp_path / "e.json").exists()
    strict = timeline("parse", bad, "--strict", "--out", tmp_path / "s.json")
    assert strict.returncode == 1
    assert not (tmp_path / "s.json").exists()


def test_stats_prints_counts_by_kind_source_language_and_month():
    run = timeline("stats")
    assert run.returncode == 0, run.stderr
    for heading in ("events by kind", "events by source", "events by language", "events by month"):
        assert heading in run.stdout
    assert "2020-09" in run.stdout and "Basler Zeitung" in run.stdout


def test_serve_with_workers_runs_the_same_app_under_gunicorn_on_loopback():
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--workers", "2",
                             "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                resp = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "server did not answer"
                time.sleep(0.3)
        assert resp.status == 200
        assert resp.headers["Server"].startswith("gunicorn")
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
        assert b"Chronology explorer" in resp.read()
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert f"Listening at: http://127.0.0.1:{port}" in out
    assert out.count("Booting worker") == 2


def test_serve_refuses_debug_with_workers():
    run = timeline("serve", "--workers", "2", "--debug")
    assert run.returncode == 2 and "--debug is only for the one-reader server" in run.stderr


def test_dates_prints_each_expression_with_offsets_and_normal_form():
    text = "On November 20th, yesterday, and 10.11.2020 - 16:21; 1,235 refugees returned."
    run = timeline("dates", "--ref", "2020-11-21", text)
    assert run.returncode == 0, run.stderr
    hits = json.loads(run.stdout)
    assert [(h["evidence"], h["value"], h["precision"]) for h in hits] == [
        ("November 20th", "2020-11-20", "day"),
        ("yesterday", "2020-11-20", "day"),
        ("10.11.2020 - 16:21", "2020-11-10T16:21", "minute"),
    ]
    for h in hits:
        assert text[h["char_start"]:h["char_end"]] == h["evidence"]
    assert hits[0]["year_inferred"] is True


def test_dates_without_a_reference_leaves_partial_and_relative_unresolved():
    run = timeline("dates", "-", stdin="On Saturday, and on 19 November, and 10 November 2020")
    hits = json.loads(run.stdout)
    assert [(h["evidence"], h["start"]) for h in hits[:2]] == [
        ("Saturday", None), ("19 November", None)]
    assert hits[2]["start"] == "2020-11-10T00:00:00"
    bad = timeline("dates", "--ref", "yesterday", "x")
    assert bad.returncode == 2 and "--ref" in bad.stderr


def test_dask_engine_without_dask_prints_one_line_naming_the_install_and_exits_2(tmp_path):
    # a dask package that cannot be imported shadows the installed one, as if it were absent
    (tmp_path / "dask").mkdir()
    (tmp_path / "dask" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'dask'\")\n")
    run = subprocess.run([sys.executable, "-m", "app", "parse", "--engine", "dask", "--out",
                          tmp_path / "e.parquet"], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "error: --engine dask needs Dask, an optional extra; install it with: "
        ".venv/bin/pip install -e '.[scale]'"]
    assert "Traceback" not in run.stderr and not (tmp_path / "e.parquet").exists()
