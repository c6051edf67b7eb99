"""Duplicate grouping at growing density: the reports of a parsed corpus with their times
squeezed together, fed to ``groups.GroupStream`` in canonical order. Prints one table.

A factor of 10 puts ten times as many reports in each day: what a ten times larger corpus of
the generator looks like (it spreads any size over the same years).

    python -m app parse DOCS10 --out events.parquet
    python benchmarks/group_density.py events.parquet --factors 1 10 100
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

from table import print_table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app.enrich import groups  # noqa: E402
from app.store import read_events  # noqa: E402


def squeezed(items: list[groups.Item], factor: float) -> list[groups.Item]:
    """The items with their start's distance from the first divided by ``factor``."""
    t0 = items[0][0][0]
    out = []
    for (start, doc, char_start), event_id, p in items:
        at = t0 + (start - t0) / factor
        out.append(((at, doc, char_start), event_id, dataclasses.replace(p, start=at)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("events", type=Path, help="an event table written by timeline parse")
    ap.add_argument("--factors", type=float, nargs="+", default=[1, 10, 100])
    args = ap.parse_args()
    events = read_events(args.events)
    reports = events[(events["kind"].astype(str) == "report") & events["start"].notna()]
    items = sorted(groups.keyed_profiles(reports), key=lambda t: t[0])
    rows = []
    for factor in args.factors:
        stream, held, marks = groups.GroupStream(), 0, 0
        t = time.perf_counter()
        for item in squeezed(items, factor):
            marks += len(stream.add(item))
            held = max(held, len(stream._items))
        marks += len(stream.close())
        secs = time.perf_counter() - t
        rows.append((f"{factor:g}x", f"{len(items):,}", f"{secs:.1f}",
                     f"{secs / len(items) * 1e6:.0f}", f"{marks:,}", f"{stream.cut:,}",
                     f"{held:,}"))
    head = ("density", "reports", "seconds", "µs/report", "marked", "cut at horizon",
            "most held")
    print_table(head, rows)


if __name__ == "__main__":
    main()
