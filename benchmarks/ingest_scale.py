"""Ingest at scale: throughput, peak RSS, cache warm start, Dask vs one process.

Each run is a ``python -m app parse`` subprocess whose peak RSS (with its children, sampled
every 50 ms with psutil) is recorded. Prints one table.

    python benchmarks/ingest_scale.py --mb 10 100 [--dask] [--workers 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from scale_corpus import generate


def run(args: list[str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MiB over the process tree, stderr)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "app", *args], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [ps, *ps.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in procs))
        except psutil.Error:
            pass
        time.sleep(0.05)
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode not in (0, 3):
        raise SystemExit(f"parse failed ({proc.returncode}): {err[-2000:]}")
    return time.perf_counter() - t0, peak / 2**20, err


def rows_of(stderr: str) -> str:
    line = next((ln for ln in stderr.splitlines() if ln.startswith("wrote ")), "")
    return line.split()[1] if line else "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, nargs="+", default=[10, 100])
    ap.add_argument("--dask", action="store_true", help="also run --engine dask")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.mb:
            docs = Path(tmp) / f"docs{mb}"
            generate(docs, mb, args.seed)
            size = sum(f.stat().st_size for f in docs.iterdir()) / 2**20
            cache = Path(tmp) / f"cache{mb}"
            out = Path(tmp) / f"e{mb}.parquet"
            runs = [("local, cold cache", ["--cache", cache]),
                    ("local, warm cache", ["--cache", cache]),
                    ("local, no cache", ["--no-cache"])]
            if args.dask:
                runs.append((f"dask x{args.workers}, no cache",
                             ["--no-cache", "--engine", "dask", "--workers", str(args.workers)]))
            for label, extra in runs:
                target = out.with_name(f"{label.split(',')[0]}-{mb}.parquet")
                secs, rss, err = run(["parse", docs, "--out", target, *map(str, extra)])
                rows.append((f"{size:.1f}", label, rows_of(err), f"{secs:.1f}",
                             f"{size / secs:.2f}", f"{rss:.0f}"))
    head = ("MiB text", "run", "events", "seconds", "MiB/s", "peak RSS MiB")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        print("  ".join(str(v).rjust(w) for v, w in zip(r, widths, strict=True)))


if __name__ == "__main__":
    main()
