"""Where a Dask ingest's time goes: ``engine.parse_dask`` on a LocalCluster started here, with
Dask's task stream recorded. Prints one table: per phase its span (seconds from the start of
the parse), the task-seconds its tasks computed and their mean parallelism (task-seconds
over span; the workers' count is the ceiling). The spans between task phases are the
driver's own serial steps.

The cluster is started before the parse (its start is timed apart and shown first), so
that a client here can record the tasks; ``timeline parse --engine dask`` starts one inside.

    python benchmarks/generate_corpus.py --size-mb 100 --seed 1 --out DOCS
    python benchmarks/dask_phases.py DOCS --workers 2 --local

With ``--local`` the single-process engine then parses the same corpus in the same run, so
that the ratio of the two comes from one machine state (rows compared by hash).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ingest_scale import row_hashes  # noqa: E402
from table import print_table  # noqa: E402

from app import engine  # noqa: E402

# task functions of parse_dask, in the order they run, and what the driver does before each
TASKS = (("run_batch", "pass 1: parse, stage, spool", "submit"),
         ("group_marks", "grouping, one task per period", "merge summaries, date pending"),
         ("finish_part", "final pass, one task per part", "join and scatter marks"))


def task_spans(records: list[dict[str, Any]], t0: float) -> dict[str, list[tuple[float, float]]]:
    """(start, stop) of each task's compute, seconds from ``t0``, by task function."""
    spans: dict[str, list[tuple[float, float]]] = {}
    for rec in records:
        key = rec["key"] if isinstance(rec["key"], str) else rec["key"][0]
        name = key.split("-", 1)[0]
        for ss in rec["startstops"]:
            if ss["action"] == "compute":
                spans.setdefault(name, []).append((ss["start"] - t0, ss["stop"] - t0))
    return spans


def phase_rows(spans: dict[str, list[tuple[float, float]]], total: float,
               ) -> list[tuple[str, float, float, float | None]]:
    """(phase, start, end, task-seconds or None for the driver's steps)."""
    rows: list[tuple[str, float, float, float | None]] = []
    at = 0.0
    for name, label, before in TASKS:
        xs = spans.get(name, [])
        if not xs:
            continue
        first, last = min(a for a, _ in xs), max(b for _, b in xs)
        rows.append((f"driver: {before}", at, first, None))
        rows.append((f"{label} ({len(xs)} tasks)", first, last, sum(b - a for a, b in xs)))
        at = last
    rows.append(("driver: close, publish", at, total, None))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--local", action="store_true",
                    help="then parse the same corpus with the single-process engine, in this "
                         "run, and compare its time and rows")
    args = ap.parse_args()

    from dask.distributed import Client, LocalCluster, get_task_stream

    t = time.perf_counter()
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                           dashboard_address=None)
    client = Client(cluster)
    started = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        try:
            with get_task_stream(client) as stream:
                t0 = time.time()
                result = engine.parse_dask([args.docs], Path(tmp) / "dask",
                                           scheduler=cluster.scheduler_address,
                                           workers=args.workers)
                total = time.time() - t0
            records = stream.data
        finally:
            client.close()
            cluster.close()
        rows = phase_rows(task_spans(records, t0), total)
        tasks_only = sum(b - a for label, a, b, work in rows if work is not None)
        table = [(label, f"{a:.1f}", f"{b:.1f}", f"{b - a:.1f}",
                  "-" if work is None else f"{work:.1f}",
                  f"{work / (b - a):.2f}" if work is not None and b > a else "-")
                 for label, a, b, work in rows]
        table.append(("whole parse", "0.0", f"{total:.1f}", f"{total:.1f}", "", ""))
        table.append(("task phases alone", "", "", f"{tasks_only:.1f}", "", ""))
        ratios = ""
        if args.local:
            t = time.perf_counter()
            engine.parse_local([args.docs], Path(tmp) / "local.parquet")
            secs = time.perf_counter() - t
            same = np.array_equal(row_hashes(Path(tmp) / "dask"),
                                  row_hashes(Path(tmp) / "local.parquet"))
            table.append((f"single process (same rows: {'yes' if same else 'NO'})", "",
                          "", f"{secs:.1f}", "", ""))
            ratios = (f"; single process / Dask: {secs / total:.2f}x whole, "
                      f"{secs / tasks_only:.2f}x against the task phases alone")

    print(f"{result.rows:,} events, {args.workers} workers; cluster start {started:.1f} s "
          f"(before the parse){ratios}")
    print_table(("phase", "from s", "to s", "span s", "task s", "parallel"), table, left=1)


if __name__ == "__main__":
    main()
