"""Ingest at scale: throughput, peak RSS, cache warm start, Dask vs one process.

Each run is a ``python -m app parse`` subprocess whose peak RSS (with its children, so Dask
workers count, sampled every 50 ms with psutil) is recorded. The corpus comes from
generate_corpus.py (archives, forum threads and articles in en/de/fr, with traps). After the
runs, every output's rows are compared with the first one's (a hash per row, all columns):
"same rows" says whether they are identical as sets. Prints one table.

    python benchmarks/ingest_scale.py --mb 10 100 [--dask [--dask-first]] [--workers 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
from generate_corpus import generate
from table import print_table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from app.store import iter_frames  # noqa: E402

# ``timeline`` with duplicate grouping switched off: isolates the streaming passes, whose
# memory should not grow, from grouping (docs/scale.md)
NO_GROUPS = ("import sys; import app.engine as e; "
             "e.group_marks = lambda folders: e.MarkTable.build([]); "
             "from app.cli import main; sys.argv[0] = 'timeline'; main()")


def run(args: list[str], groups: bool = True) -> tuple[float, float, str]:
    """(seconds, peak RSS in MiB over the process tree, stderr)."""
    # stderr to a file, not a pipe: the report lines of a large corpus would fill a pipe
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
        t0 = time.perf_counter()
        env = dict(os.environ)  # any hash seed: "same rows" also checks grouping is stable
        # this checkout's ``app`` first, not whichever one the venv's editable install names
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        head = ["-m", "app"] if groups else ["-c", NO_GROUPS]
        proc = subprocess.Popen([sys.executable, *head, *args], stderr=log,
                                stdout=subprocess.DEVNULL, text=True, env=env)
        ps = psutil.Process(proc.pid)
        peak = 0
        while proc.poll() is None:
            try:
                procs = [ps, *ps.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs))
            except psutil.Error:
                pass
            time.sleep(0.05)
        secs = time.perf_counter() - t0
        log.seek(0)
        err = log.read()
    if proc.returncode not in (0, 3):
        raise SystemExit(f"parse failed ({proc.returncode}): {err[-2000:]}")
    return secs, peak / 2**20, err


def rows_of(stderr: str) -> str:
    line = next((ln for ln in stderr.splitlines() if ln.startswith("wrote ")), "")
    return line.split()[1] if line else "?"


def row_hashes(path: Path) -> np.ndarray:
    """One hash per row over every column, sorted: equal arrays mean the same rows."""
    out = []
    for frame in iter_frames(path):
        for col in ("actors", "places"):
            frame[col] = frame[col].map("|".join)
        out.append(pd.util.hash_pandas_object(frame, index=False).to_numpy())
    return np.sort(np.concatenate(out)) if out else np.array([], dtype=np.uint64)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, nargs="+", default=[10, 100])
    ap.add_argument("--dask", action="store_true", help="also run --engine dask")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only-local", action="store_true", help="only the no-cache local run")
    ap.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    ap.add_argument("--dask-first", action="store_true",
                    help="run --engine dask before the local runs (it becomes the reference)")
    ap.add_argument("--skip-groups", action="store_true",
                    help="switch duplicate grouping off (measures the streaming passes alone)")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        for mb in args.mb:
            docs = root / f"docs{mb:g}"
            if not docs.is_dir():
                generate(docs, mb, args.seed)
            size = sum(f.stat().st_size for f in docs.iterdir()) / 2**20
            cache = Path(tmp) / f"cache{mb:g}"
            runs = [("local, no cache", ["--no-cache"])]
            note = ", no groups" if args.skip_groups else ""
            if not args.only_local:
                runs += [("local, cold cache", ["--cache", cache]),
                         ("local, warm cache", ["--cache", cache])]
            if args.dask:
                runs.append((f"dask x{args.workers}, no cache",
                             ["--no-cache", "--engine", "dask", "--workers", str(args.workers)]))
                if args.dask_first:
                    runs.insert(0, runs.pop())
            first: np.ndarray | None = None
            for n, (label, extra) in enumerate(runs):
                target = Path(tmp) / f"out{mb:g}-{n}.parquet"
                secs, rss, err = run(["parse", str(docs), "--out", str(target),
                                      *map(str, extra)], groups=not args.skip_groups)
                label += note
                hashes = row_hashes(target)
                first = hashes if first is None else first
                same = "yes" if np.array_equal(hashes, first) else "NO"
                rows.append((f"{size:.1f}", label, rows_of(err), f"{secs:.1f}",
                             f"{size / secs:.2f}", f"{rss:.0f}", same))
                print("  ".join(rows[-1]), file=sys.stderr, flush=True)
    head = ("MiB text", "run", "events", "seconds", "MiB/s", "peak RSS MiB", "same rows")
    print_table(head, rows)


if __name__ == "__main__":
    main()
