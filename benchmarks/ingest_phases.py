"""Where a one-process ingest's memory goes: ``timeline parse`` run in this process with its
RSS sampled (every 50 ms, psutil) and each phase of the engine marked. Prints one table:
per phase its start and end (seconds from the start), RSS when it started and its peak.

The phases are the engine's own steps, wrapped here so that the engine carries no
instrumentation: pass 1 (``run_documents``), dating the pending entries
(``infer_pending``), grouping (``group_marks``), the final pass (``finished``) and what
the CLI does after it (report, summary lines).

    python benchmarks/generate_corpus.py --size-mb 10 --seed 1 --out DOCS
    python benchmarks/ingest_phases.py DOCS
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
from table import print_table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import app.engine as engine  # noqa: E402
from app.cli import cli  # noqa: E402

PHASES = (("run_documents", "pass 1: parse, stage, spool"),
          ("infer_pending", "dating pending entries"),
          ("group_marks", "grouping"),
          ("finished", "final pass: marks, background, write"))


class Trace:
    """RSS samples filed under the phase running when each was taken."""

    def __init__(self, every: float) -> None:
        self.every = every
        self.phase = "start"
        self.t0 = time.perf_counter()
        self.rows: dict[str, list[float]] = {}  # phase -> [start, end, rss at start, peak]
        self._proc = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def rss(self) -> float:
        return self._proc.memory_info().rss / 2**20

    def enter(self, phase: str) -> None:
        now, rss = time.perf_counter() - self.t0, self.rss()
        if self.phase in self.rows:
            self.rows[self.phase][1] = now
        self.phase = phase
        self.rows.setdefault(phase, [now, now, rss, rss])

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            row = self.rows.get(self.phase)
            if row is not None:
                row[1] = time.perf_counter() - self.t0
                row[3] = max(row[3], self.rss())

    def __enter__(self) -> Trace:
        self.enter("start")
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.enter("end")


def wrap(trace: Trace, name: str, label: str) -> None:
    """Replace ``engine.NAME`` by a version that marks its phase (generators included)."""
    original: Callable[..., Any] = getattr(engine, name)

    if name == "finished":
        @functools.wraps(original)
        def marked_gen(*args: Any, **kwargs: Any) -> Iterator[Any]:
            trace.enter(label)
            yield from original(*args, **kwargs)
            trace.enter("after: report, summary lines")
        setattr(engine, name, marked_gen)
        return

    @functools.wraps(original)
    def marked(*args: Any, **kwargs: Any) -> Any:
        trace.enter(label)
        return original(*args, **kwargs)
    setattr(engine, name, marked)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs", type=Path, help="a corpus folder (generate_corpus.py)")
    ap.add_argument("--every", type=float, default=0.05, help="seconds between samples")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Trace(args.every) as trace:
        for name, label in PHASES:
            wrap(trace, name, label)
        out = Path(tmp) / "events.parquet"
        try:
            cli(["parse", str(args.docs), "--out", str(out), "--no-cache"],
                standalone_mode=False)
        except SystemExit as exc:  # exit 3: written, something rejected
            if exc.code not in (0, 3, None):
                raise
    head = ("phase", "from s", "to s", "RSS at start MiB", "peak RSS MiB")
    rows = [(phase, f"{a:.1f}", f"{b:.1f}", f"{r:.0f}", f"{p:.0f}")
            for phase, (a, b, r, p) in trace.rows.items() if phase != "end"]
    overall = max(p for _, _, _, p in trace.rows.values())
    rows.append(("whole run", "", f"{trace.rows['end'][0]:.1f}", "", f"{overall:.0f}"))
    print_table(head, rows, left=1)


if __name__ == "__main__":
    main()
