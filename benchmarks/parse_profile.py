"""Where pass 1 of ingest spends its time: the per-document parse, stage by stage.

    .venv/bin/python benchmarks/parse_profile.py CORPUS_DIR [--repeat 3]
    .venv/bin/python benchmarks/parse_profile.py CORPUS_DIR --cprofile 30

Runs ``pipeline.process``, ``pipeline.document_events``, ``Pending.to_dict`` and
``CorpusSummary.add_frame`` on every document of the corpus (what the engines do per
document in pass 1, less the cache and the writing; no grouping, no inference)
and prints a table: wall and CPU seconds of each stage, and the throughput of the whole
pass. Stages are timed by wrapping the functions the pipeline calls; a stage's time
excludes the stages it calls (finding dates inside the mention scan is counted as "dates").
Each repeat parses the whole corpus; the table shows the fastest repeat of each stage.
CPU time counts every thread (lingua detects languages on all cores), so a stage's CPU time
may exceed its wall time. The stages are timed with languages detected in line (where the
pipeline detects them on a helper thread, a chunk ahead, that is switched off); the last
row then times the pass as it runs, without the timers. On a shared machine CPU time is
the steadier figure; compare two versions of the code by running this script on both,
interleaved, and reading ratios.

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
from app.enrich import language  # noqa: E402
from app.infer import CorpusSummary  # noqa: E402
from app.ingest.loader import discover, load  # noqa: E402

# (stage, module, function name): the names the pipeline looks up at call time. A name
# missing from a version of the code is skipped, so one script times old and new code.
STAGES = [
    ("read + segment", "app.pipeline", "read_document"),
    ("language", "app.pipeline", "detect_many"),
    ("language", "app.enrich.language", "detect_many"),  # called by detect_stream
    ("dates", "app.mentions", "find_dates"),
    ("mention scan", "app.pipeline", "scan"),
    ("mention scan", "app.pipeline", "scan_entry"),
    ("mention records", "app.pipeline", "mention_records"),
    ("pending", "app.pipeline", "_pending"),
    ("frame", "app.pipeline", "from_records"),
    ("frame", "app.pipeline", "event_frame"),
    ("entities", "app.pipeline", "tag_entities"),
    ("entities", "app.pipeline", "entities_of"),
    ("pending", "app.infer", "Pending.to_dict"),
    ("summary", "app.infer", "CorpusSummary.add_frame"),
]


class Timer:
    """Exclusive time per stage, wall and CPU: a stage's clocks pause while a nested stage
    runs."""

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        self._stack: list[list] = []  # [wall at start, cpu at start, nested wall, nested cpu]

    def wrap(self, stage: str, fn: Callable) -> Callable:
        def timed(*args, **kwargs):
            self._stack.append([time.perf_counter(), time.process_time(), 0.0, 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                wall0, cpu0, nested_wall, nested_cpu = self._stack.pop()
                wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
                spent = self.spent[stage]
                spent[0] += wall - nested_wall
                spent[1] += cpu - nested_cpu
                if self._stack:
                    self._stack[-1][2] += wall
                    self._stack[-1][3] += cpu
        return timed


def install(timer: Timer) -> tuple[list[str], Callable[[], None]]:
    """Wrap every stage function found; returns their names and a function undoing it."""
    found, undo = [], []
    for stage, module, name in STAGES:
        owner = importlib.import_module(module)
        *path, attr = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        fn = getattr(owner, attr, None)
        if fn is None:
            continue
        setattr(owner, attr, timer.wrap(stage, fn))
        undo.append((owner, attr, fn))
        found.append(f"{module}.{name}")
    # Stages are timed on one thread: languages are detected in line, not a chunk ahead.
    language = importlib.import_module("app.enrich.language")
    if hasattr(language, "AHEAD_MIN"):
        undo.append((language, "AHEAD_MIN", language.AHEAD_MIN))
        language.AHEAD_MIN = sys.maxsize

    def restore() -> None:
        for owner, attr, fn in undo:
            setattr(owner, attr, fn)
    return found, restore


def timed_runs(docs: list, repeat: int) -> tuple[float, float, float]:
    """Fastest (wall, CPU, CPU of the calling thread) seconds of ``repeat`` parses."""
    runs = []
    for _ in range(repeat):
        wall0, cpu0, own0 = time.perf_counter(), time.process_time(), time.thread_time()
        parse_all(docs)
        runs.append((time.perf_counter() - wall0, time.process_time() - cpu0,
                     time.thread_time() - own0))
    return tuple(min(run[i] for run in runs) for i in range(3))


def parse_all(docs: list) -> None:
    """What an engine does with each document in pass 1, less the cache and the writing.
    Every call starts as a fresh process would: no language remembered from a former run."""
    language._seen.clear()
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
    wrapped, restore = install(timer)
    best: dict[str, list[float]] = {}
    totals = []
    for _ in range(args.repeat):
        timer.spent.clear()
        wall0, cpu0 = time.perf_counter(), time.process_time()
        parse_all(docs)
        total = [time.perf_counter() - wall0, time.process_time() - cpu0]
        totals.append(total)
        timer.spent["other"] = [t - sum(s[i] for s in timer.spent.values())
                                for i, t in enumerate(total)]
        for stage, spent in timer.spent.items():
            have = best.setdefault(stage, list(spent))
            best[stage] = [min(a, b) for a, b in zip(have, spent, strict=True)]
    restore()
    wall, cpu = (min(t[i] for t in totals) for i in (0, 1))
    print(f"{len(docs)} documents, {mib:.2f} MiB; timed: {', '.join(wrapped)}")
    print(f"{'stage':<16} {'wall s':>7} {'CPU s':>7} {'CPU s/MiB':>9} {'CPU share':>9}")
    for stage in sorted(best, key=lambda s: best[s][1], reverse=True):
        w, c = best[stage]
        print(f"{stage:<16} {w:7.2f} {c:7.2f} {c / mib:9.3f} {c / cpu:9.0%}")
    print(f"{'all, in line':<16} {wall:7.2f} {cpu:7.2f} {cpu / mib:9.3f}")
    wall, cpu, own = timed_runs(docs, args.repeat)
    print(f"{'pass 1 as run':<16} {wall:7.2f} {cpu:7.2f} {cpu / mib:9.3f}")
    print(f"pass 1: {mib / wall:.2f} MiB/s wall, {mib / cpu:.2f} MiB per CPU second "
          f"(fastest of {args.repeat} repeats, no stage timers)")
    # Lingua detects on threads of its own: what is left on the calling thread bounds the
    # wall time where a core is free to run them beside it.
    print(f"calling thread: {own:.2f} CPU s, other threads (lingua): {cpu - own:.2f} CPU s")

if __name__ == "__main__":
    main()
