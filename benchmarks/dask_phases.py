"""Where a Dask ingest's time goes: ``engine.parse_dask`` on a LocalCluster started here, with
Dask's task stream recorded. Prints one table: per phase its span (seconds from the start of
the parse), the task-seconds its tasks computed and their mean parallelism (task-seconds
over span; the workers' count is the ceiling). The spans between task phases are the
driver's own serial steps.

The cluster is started before the parse (its start is timed apart and shown first), so
that a client here can record the tasks; ``timeline parse --engine dask`` starts one inside.

    python benchmarks/generate_corpus.py --size-mb 100 --seed 1 --out DOCS
    python benchmarks/dask_phases.py DOCS --workers 2
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
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
    args = ap.parse_args()

    from dask.distributed import Client, LocalCluster, get_task_stream

    t = time.perf_counter()
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                           dashboard_address=None)
    client = Client(cluster)
    started = time.perf_counter() - t
    try:
        with tempfile.TemporaryDirectory() as tmp, get_task_stream(client) as stream:
            t0 = time.time()
            result = engine.parse_dask([args.docs], Path(tmp) / "events",
                                       scheduler=cluster.scheduler_address,
                                       workers=args.workers)
            total = time.time() - t0
        records = stream.data
    finally:
        client.close()
        cluster.close()

    rows = phase_rows(task_spans(records, t0), total)
    print(f"{result.rows:,} events, {args.workers} workers; cluster start {started:.1f} s "
          "(before the parse)")
    print(f"{'phase':45s} {'from s':>8s} {'to s':>8s} {'span s':>8s} {'task s':>8s} "
          f"{'parallel':>8s}")
    for label, a, b, work in rows:
        par = f"{work / (b - a):.2f}" if work is not None and b > a else "-"
        ws = f"{work:.1f}" if work is not None else "-"
        print(f"{label:45s} {a:8.1f} {b:8.1f} {b - a:8.1f} {ws:>8s} {par:>8s}")
    print(f"{'whole parse':45s} {0:8.1f} {total:8.1f} {total:8.1f}")


if __name__ == "__main__":
    main()
