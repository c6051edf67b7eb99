"""Server-side latency of the explorer's filter and zoom work at 10k, 100k and 1M events.

Synthetic events (random times over four years, 40 sources, 3 languages) go through the
explorer's pure functions: ``query.select`` + ``figures.timeline_figure`` + JSON encoding.
Prints median and p95 milliseconds and the figure JSON size.

    python benchmarks/callback_latency.py [--sizes 10000 100000 1000000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from app import query
from app.schema import conform
from app.web import figures


def synthetic(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2019-01-01") + pd.to_timedelta(
        rng.integers(0, 4 * 365 * 24 * 60, n), unit="min")
    df = pd.DataFrame({
        "event_id": [f"e{i:08d}" for i in range(n)],
        "kind": rng.choice(["report", "mention"], n),
        "start": start, "end": start + pd.Timedelta(minutes=1), "precision": "minute",
        "title": "headline", "text": "excerpt", "source": rng.choice(
            [f"source {i}" for i in range(40)], n),
        "language": rng.choice(["en", "de", "fr"], n), "doc": "doc.txt",
    })
    return query.prepare(conform(df))


def timed(fn, repeat: int) -> tuple[float, float, int]:
    times, size = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        size = len(fn())
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1) + 0.5)], size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    print(f"{'events':>9}  {'callback':<8}  {'in view':>8}  {'median ms':>9}  {'p95 ms':>7}  "
          f"{'JSON KiB':>8}")
    for n in args.sizes:
        df = synthetic(n)
        lo = df["start"].min() + pd.Timedelta(days=300)
        cases = {
            "filter": query.Filters(facets={"language": ("de",)}),
            "zoom": query.Filters(start=lo, end=lo + pd.Timedelta(days=3)),
        }
        for name, filt in cases.items():
            def callback(filt=filt, df=df):
                sel = query.select(df, filt)
                ctx = df[query.filter_mask(df, filt.without_window())]
                fig = figures.timeline_figure(sel, lane="source", context=ctx,
                                              window=(filt.start, filt.end))
                return fig.to_json()
            in_view = int(query.filter_mask(df, filt).sum())
            med, p95, size = timed(callback, args.repeat)
            print(f"{n:>9}  {name:<8}  {in_view:>8}  {med:>9.0f}  {p95:>7.0f}  "
                  f"{size / 1024:>8.0f}")


if __name__ == "__main__":
    main()
