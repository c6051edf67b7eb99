"""Where pass 1 of ingest spends its time: the per-document parse, stage by stage.

    .venv/bin/python benchmarks/parse_profile.py CORPUS_DIR [--repeat 3]
    .venv/bin/python benchmarks/parse_profile.py CORPUS_DIR --cprofile 30

Runs ``pipeline.process``, ``pipeline.document_events``, ``Pending.to_dict`` and
``CorpusSummary.add_frame`` on every document of the corpus (what the engines do per
document in pass 1, less the cache and the writing; no grouping, no inference)
and prints a table: seconds and seconds per MiB of each stage, and the throughput of the
whole pass. Stages are timed by wrapping the functions the pipeline calls; a stage's time
excludes the stages it calls (finding dates inside the mention scan is counted as "dates").
Each repeat parses the whole corpus; the table shows the fastest repeat of each stage.
Times are wall-clock: lingua detects languages on every core. On a shared machine, compare
two versions of the code by running this script on both, interleaved, and reading ratios.

``--cprofile N`` instead prints cProfile's top N functions, by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import pipeline  # noqa: E402
from app.infer import CorpusSummary  # noqa: E402
from app.ingest.loader import discover, load  # noqa: E402

# (stage, module, function name): the names the pipeline looks up at call time. A name
# missing from a version of the code is skipped, so one script times old and new code.
STAGES = [
    ("read + segment", "app.pipeline", "read_document"),
    ("language", "app.pipeline", "detect_many"),
    ("language", "app.pipeline", "detect_languages"),
    ("dates", "app.mentions", "find_dates"),
    ("mention scan", "app.pipeline", "scan"),
    ("mention scan", "app.pipeline", "scan_entry"),
    ("mention records", "app.pipeline", "mention_records"),
    ("pending", "app.pipeline", "_pending"),
    ("frame", "app.pipeline", "from_records"),
    ("frame", "app.pipeline", "event_frame"),
    ("entities", "app.pipeline", "tag_entities"),
    ("pending", "app.infer", "Pending.to_dict"),
    ("summary", "app.infer", "CorpusSummary.add_frame"),
]


class Timer:
    """Exclusive wall time per stage: a stage's clock pauses while a nested stage runs."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self._stack: list[list] = []  # [stage, started, paused total]

    def wrap(self, stage: str, fn: Callable) -> Callable:
        def timed(*args, **kwargs):
            start = time.perf_counter()
            self._stack.append([stage, start, 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                _, started, nested = self._stack.pop()
                took = time.perf_counter() - started
                self.spent[stage] += took - nested
                if self._stack:
                    self._stack[-1][2] += took
        return timed


def install(timer: Timer) -> list[str]:
    found = []
    for stage, module, name in STAGES:
        owner = importlib.import_module(module)
        *path, attr = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        fn = getattr(owner, attr, None)
        if fn is None:
            continue
        setattr(owner, attr, timer.wrap(stage, fn))
        found.append(f"{module}.{name}")
    return found


def parse_all(docs: list) -> None:
    """What an engine does with each document in pass 1, less the cache and the writing."""
    summary = CorpusSummary()
    for doc in docs:
        res = pipeline.process(doc)
        events = pipeline.document_events(res)
        [p.to_dict() for p in res.pending]
        summary.add_frame(events)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="folder (or file) of documents")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cprofile", type=int, default=0, metavar="N")
    args = ap.parse_args()
    sources, _ = discover([args.corpus])
    docs = [load(s) for s in sources]
    mib = sum(len(d.text.encode("utf-8")) for d in docs) / 2**20
    parse_all(docs[:1])  # builds the grammar, the automata and lingua's models
    if args.cprofile:
        prof = cProfile.Profile()
        prof.runcall(parse_all, docs)
        stats = pstats.Stats(prof)
        for order in ("cumulative", "tottime"):
            stats.sort_stats(order).print_stats(args.cprofile)
        return
    timer = Timer()
    wrapped = install(timer)
    best: dict[str, float] = {}
    totals = []
    for _ in range(args.repeat):
        timer.spent.clear()
        start = time.perf_counter()
        parse_all(docs)
        total = time.perf_counter() - start
        totals.append(total)
        timer.spent["other"] = total - sum(timer.spent.values())
        for stage, secs in timer.spent.items():
            best[stage] = min(best.get(stage, secs), secs)
    total = min(totals)
    print(f"{len(docs)} documents, {mib:.2f} MiB; timed: {', '.join(wrapped)}")
    print(f"{'stage':<16} {'seconds':>8} {'s/MiB':>7} {'share':>6}")
    for stage in sorted(best, key=best.get, reverse=True):
        secs = best[stage]
        print(f"{stage:<16} {secs:8.2f} {secs / mib:7.3f} {secs / total:6.0%}")
    print(f"{'pass 1':<16} {total:8.2f} {total / mib:7.3f}   {mib / total:.2f} MiB/s "
          f"(fastest of {args.repeat})")


if __name__ == "__main__":
    main()
