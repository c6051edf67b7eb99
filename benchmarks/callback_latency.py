"""Server-side latency of the explorer's render callback at 10k, 100k and 1M events.

Synthetic events (five years, a dense war period, 40 sources, 3 languages, actors and places,
headlines drawn from a word list) are loaded into the explorer exactly as ``create_app`` does
(``query.prepare``, ``query.available_facets``, ``Explorer``). Each timed call is what one
URL change costs the server: ``callbacks.render_views`` (selection, facet counts, overview,
timeline, aggregation) plus encoding its outputs to JSON with Dash's own encoder.

Every repeat starts cold: the explorer's caches (masks, row positions, selections, overview)
and the query index's remembered search words and filter masks are emptied, the view before
the change is rendered (untimed), then the change is timed, each repeat with a different facet
value, search word or window, so no result is reused from an earlier repeat. What describes
the table itself stays, as in a running server: facet codes, the word index and whole-table
counts per bin size (computed by the first view that needs them). Cases:

- facet:  the default view -> one language ticked
- search: the default view -> one search word
- zoom:   the default view -> a one-week window
- day:    the default view -> a one-day window (single markers up to 1,500 events)
- clear:  a language and a search word -> the default view
- detail: the detail callback for one event (its report, mentions, same day, same group)

Prints median and p95 milliseconds, events in view and the JSON size (largest over repeats),
then the explorer's build time and resident memory.

    python benchmarks/callback_latency.py [--sizes 10000 100000 1000000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib.util
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
from dash._utils import to_json

from app import query
from app.corpus import Corpus
from app.query import Filters
from app.schema import conform
from app.web import callbacks, figures, layout
from app.web.periods import load_periods
from app.web.url_state import ViewState

LANGUAGES = ("en", "de", "fr")
SOURCES = tuple(f"Source {i}" for i in range(40))
ACTORS = tuple(f"Actor {i}" for i in range(30))
PLACES = tuple(f"Place {i}" for i in range(60))
WAR = (pd.Timestamp("2020-09-27"), pd.Timestamp("2020-11-10"))


def vocabulary(size: int = 3000, seed: int = 7) -> list[str]:
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    return sorted({"".join(rng.choice(letters, rng.integers(4, 10))) for _ in range(size)})


def _lists(rng: np.random.Generator, names: tuple[str, ...], n: int) -> list[list[str]]:
    # a third of events name nothing, the rest one or two (a few names far commoner)
    k = rng.choice([0, 1, 2], n, p=[0.35, 0.45, 0.2])
    picks = rng.zipf(1.6, (n, 2)) % len(names)
    return [[names[j] for j in dict.fromkeys(row[:m])] for row, m in zip(picks, k, strict=True)]


def synthetic(n: int, seed: int = 1) -> pd.DataFrame:
    """``n`` schema-conformant events, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    words = np.array(vocabulary())
    five_years = 5 * 365 * 24 * 60
    minutes = rng.integers(0, five_years, n)
    # a fifth of the events fall in the 44 days of war
    war = rng.random(n) < 0.2
    war_minutes = int((WAR[1] - WAR[0]) / pd.Timedelta(minutes=1))
    base = np.where(war, rng.integers(0, war_minutes, n), minutes)
    origin = np.where(war, WAR[0].value, pd.Timestamp("2019-01-01").value)
    start = pd.to_datetime(origin + base * 60_000_000_000)
    precision = rng.choice(["minute", "hour", "day", "month"], n, p=[0.6, 0.05, 0.3, 0.05])
    kind = rng.choice(["report", "mention"], n, p=[0.7, 0.3])
    title_words = words[rng.zipf(1.3, (n, 6)) % len(words)]
    text_words = words[rng.integers(0, len(words), (n, 12))]
    ids = [f"e{i:08d}" for i in range(n)]
    report_ids = np.where(kind == "mention", np.array(ids, dtype=object)[
        np.maximum(np.arange(n) - 1, 0)], "")
    df = pd.DataFrame({
        "event_id": ids, "kind": kind, "start": start, "precision": precision,
        "title": [" ".join(r) for r in title_words],
        "text": [" ".join(r) for r in text_words],
        "evidence": "on that day",
        "source": np.array(SOURCES)[rng.zipf(1.5, n) % len(SOURCES)],
        "language": rng.choice(LANGUAGES, n, p=[0.5, 0.3, 0.2]),
        "doc": "doc.txt", "report_id": report_ids,
        "background": rng.random(n) < 0.02, "year_inferred": rng.random(n) < 0.03,
        "actors": _lists(rng, ACTORS, n), "places": _lists(rng, PLACES, n),
    })
    return conform(df)


def build_explorer(events: pd.DataFrame, max_points: int | None = None) -> callbacks.Explorer:
    """The explorer as ``app.web.create_app`` builds it, without a Dash app around it."""
    q = CB.query  # the query module in use (see ``implementation``)
    prepared = q.prepare(events)
    ex = CB.Explorer(corpus=Corpus(events=events), events=prepared,
                            periods=load_periods(), facets=q.available_facets(prepared))
    if max_points is not None:
        ex.max_points = max_points
    return ex


LANE = "source"  # the lane the timeline is laid out by (``--lane``)


def load_module(name: str, source: str, path: str) -> ModuleType:
    spec = importlib.util.spec_from_loader(name, loader=None, origin=path)
    module = importlib.util.module_from_spec(spec)
    module.__file__ = path
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    exec(compile(source, path, "exec"), module.__dict__)  # noqa: S102 (our own source)
    return module


def module_at(rev: str, path: str) -> ModuleType:
    """The module at ``path`` (e.g. ``app/query.py``) as it was at git revision ``rev``, loaded
    as a separate module."""
    root = Path(__file__).resolve().parent.parent
    source = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=root, check=True,
                            capture_output=True, text=True).stdout
    return load_module(f"{Path(path).stem}_{rev}", source, f"{rev}:{path}")


def query_at(rev: str) -> ModuleType:
    """``app/query.py`` as it was at git revision ``rev``, as a separate module."""
    return module_at(rev, "app/query.py")


CB: ModuleType = callbacks  # the callbacks module being timed (see ``implementation``)


@contextmanager
def implementation(query_module: ModuleType, figures_module: ModuleType,
                   callbacks_module: ModuleType = callbacks) -> Iterator[None]:
    """Run these callbacks with these query and figure modules (the callbacks look both up
    as module globals on every call)."""
    global CB
    saved = (CB, callbacks_module.query, callbacks_module.figures, figures_module.query,
             layout.query)
    CB = callbacks_module
    CB.query, CB.figures = query_module, figures_module
    figures_module.query = layout.query = query_module
    try:
        yield
    finally:
        (CB, callbacks_module.query, callbacks_module.figures, figures_module.query,
         layout.query) = saved


def clear_caches(ex: callbacks.Explorer) -> None:
    for name in ("_mask", "_rows", "_full", "_slim", "_overview"):
        cached = getattr(ex, name, None)
        if cached is not None and hasattr(cached, "cache_clear"):
            cached.cache_clear()
    if hasattr(CB.query, "clear_caches"):
        CB.query.clear_caches(ex.events)


def render(ex: callbacks.Explorer, filters: Filters) -> int:
    """One render callback, encoded as Dash would send it; returns the JSON size in bytes."""
    out = CB.render_views(ex, ViewState(filters=filters, lane=LANE), "light")
    return len(to_json(list(out)))


def cases(ex: callbacks.Explorer, repeat: int, words: list[str]
          ) -> dict[str, list[tuple[Filters, Filters]]]:
    """(before, after) filter pairs per case, a different value in each repeat."""
    rng = np.random.default_rng(3)
    lo, hi = ex.events["start"].min(), ex.events["start"].max() - pd.Timedelta(days=7)
    starts = [lo + (hi - lo) * float(x) for x in rng.random(repeat)]
    # common enough words to find something at every size
    common = words[:repeat]
    return {
        "facet": [(Filters(), Filters(facets={"language": (LANGUAGES[i % 3],)}))
                  for i in range(repeat)],
        "search": [(Filters(), Filters(text=common[i])) for i in range(repeat)],
        "zoom": [(Filters(), Filters(start=s.floor("h"), end=s.floor("h") + pd.Timedelta(days=7)))
                 for s in starts],
        "day": [(Filters(), Filters(start=s.floor("D"), end=s.floor("D") + pd.Timedelta(days=1)))
                for s in starts],
        "clear": [(Filters(facets={"language": (LANGUAGES[i % 3],)}, text=common[i]), Filters())
                  for i in range(repeat)],
    }


@dataclass
class Timing:
    median: float
    p95: float
    cpu_median: float
    cpu_p95: float
    in_view: int
    size: int


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(np.ceil(0.95 * len(values))) - 1)]


def timed(ex: callbacks.Explorer, pairs: list[tuple[Filters, Filters]]) -> Timing:
    """Wall and CPU milliseconds of each change; CPU time is steadier on a busy machine."""
    wall, cpu, size, in_view = [], [], 0, []
    for before, after in pairs:
        clear_caches(ex)
        render(ex, before)
        t0, c0 = time.perf_counter(), time.process_time()
        size = max(size, render(ex, after))
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        in_view.append(ex.count(after))
    return Timing(statistics.median(wall), _p95(wall), statistics.median(cpu), _p95(cpu),
                  int(statistics.median(in_view)), size)


# Stages of one render, by function name: where a change's time goes (``--breakdown``).
STAGES = (
    ("mask + count", "callbacks", "count"),
    ("slim copies", "callbacks", "_compute_slim"),
    ("row positions", "callbacks", "_compute_rows"),
    ("full copy", "callbacks", "_compute_full"),
    ("overview", "figures", "overview_figure"),
    ("  counts per bin", "query", "counts_per_bin"),
    ("  coverage", "query", "coverage"),
    ("timeline", "figures", "timeline_figure"),
    ("  aggregate (plotly)", "figures", "_add_aggregate"),
    ("  aggregate_lanes", "query", "aggregate_lanes"),
    ("  markers", "figures", "_add_markers"),
    ("  bands", "figures", "_add_bands"),
    ("  lag lines", "figures", "_add_lag_lines"),
    ("map", "callbacks", "map_view"),
    ("facet counts", "query", "facet_counts_many"),
    ("background count", "query", "background_count"),
    ("JSON encoding", "_utils", "to_json"),
)


def breakdown(ex: callbacks.Explorer, before: Filters, after: Filters) -> dict[str, float]:
    """Cumulative milliseconds per stage of one cold change, from a profile (so inflated a
    little, evenly)."""
    clear_caches(ex)
    render(ex, before)
    profile = cProfile.Profile()
    profile.enable()
    t0 = time.perf_counter()
    render(ex, after)
    total = (time.perf_counter() - t0) * 1000
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    out = {"total": total}
    for label, module, func in STAGES:
        out[label] = sum(v[3] for (path, _line, name), v in stats.items()
                         if name == func and module in Path(path).stem) * 1000
    return out


def timed_detail(ex: callbacks.Explorer, repeat: int) -> Timing:
    """The detail callback for one event: its row, its report, mentions, day and group."""
    rng = np.random.default_rng(5)
    picks = ex.events["event_id"].to_numpy(dtype=object)[rng.integers(0, len(ex.events), repeat)]
    wall, cpu, size = [], [], 0
    for event_id in picks:
        t0, c0 = time.perf_counter(), time.process_time()
        panel = layout.detail_panel(ex.events, ViewState(event=str(event_id)), ex.corpus.texts)
        size = max(size, len(to_json(panel)))
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return Timing(statistics.median(wall), _p95(wall), statistics.median(cpu), _p95(cpu), 1,
                  size)


def rss_mib() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MiB."""
    current = 0.0
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    current = int(line.split()[1]) / 1024
    except OSError:
        pass
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def common_words(events: pd.DataFrame, k: int) -> list[str]:
    """Words of middling frequency in the headlines (in a few percent of events)."""
    counts = pd.Series(" ".join(events["title"].head(20_000)).split()).value_counts()
    return list(counts.index[10:10 + k])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--cases", nargs="+",
                    default=["facet", "search", "zoom", "day", "clear", "detail"])
    ap.add_argument("--baseline", metavar="REV",
                    help="also time app/query.py as of this git revision, in the same run")
    ap.add_argument("--web-baseline", metavar="REV",
                    help="also time app/query.py, app/web/figures.py and app/web/callbacks.py "
                         "as of this git revision (the whole render path), in the same run")
    ap.add_argument("--baseline-repeat", type=int, default=5)
    ap.add_argument("--figures", metavar="PATH", type=Path,
                    help="also time with this variant of app/web/figures.py")
    ap.add_argument("--lane", default="source", help="the facet the timeline's lanes follow")
    ap.add_argument("--max-points", type=int,
                    help="events in view above which the timeline shows counts per bin "
                         "(default: the explorer's)")
    ap.add_argument("--breakdown", action="store_true",
                    help="also print where one cold change of each case spends its time")
    args = ap.parse_args(argv)
    global LANE
    LANE = args.lane
    variants: list[tuple[str, ModuleType, ModuleType, ModuleType, int]] = []
    if args.baseline:
        variants.append((f"query@{args.baseline}", query_at(args.baseline), figures, callbacks,
                         args.baseline_repeat))
    if args.web_baseline:
        rev = args.web_baseline
        variants.append((f"web@{rev}", query_at(rev), module_at(rev, "app/web/figures.py"),
                         module_at(rev, "app/web/callbacks.py"), args.baseline_repeat))
    variants.append(("current", query, figures, callbacks, args.repeat))
    if args.figures:
        alt = load_module("figures_variant", args.figures.read_text(encoding="utf-8"),
                          str(args.figures))
        variants.append(("figures variant", query, alt, callbacks, args.repeat))
    print(f"{'events':>9}  {'code':<16}  {'case':<7}  {'in view':>8}  {'median ms':>9}  "
          f"{'p95 ms':>7}  {'CPU med':>7}  {'CPU p95':>7}  {'JSON KiB':>8}")
    builds: list[str] = []
    stages: list[tuple[str, dict[str, float]]] = []
    for n in args.sizes:
        events = synthetic(n)
        for label, q, fig, cb, repeat in variants:
            with implementation(q, fig, cb):
                gc.collect()
                before, _ = rss_mib()
                t0 = time.perf_counter()
                ex = build_explorer(events, args.max_points)
                build_s = time.perf_counter() - t0
                if hasattr(q, "event_index"):
                    q.event_index(ex.events).text_index()  # search ready (built in a thread)
                if hasattr(q, "event_positions"):
                    q.event_positions(ex.events, [])  # so is the id lookup, right after it
                ready_s = time.perf_counter() - t0
                gc.collect()
                after, _ = rss_mib()
                words = common_words(ex.events, repeat)
                for name, pairs in cases(ex, repeat, words).items():
                    if name not in args.cases:
                        continue
                    r = timed(ex, pairs)
                    print(f"{n:>9,}  {label:<16}  {name:<7}  {r.in_view:>8,}  {r.median:>9.0f}  "
                          f"{r.p95:>7.0f}  {r.cpu_median:>7.0f}  {r.cpu_p95:>7.0f}  "
                          f"{r.size / 1024:>8.0f}", flush=True)
                    if args.breakdown:
                        stages.append((f"{n:,} {label} {name}", breakdown(ex, *pairs[0])))
                if "detail" in args.cases:
                    r = timed_detail(ex, repeat)
                    print(f"{n:>9,}  {label:<16}  {'detail':<7}  {r.in_view:>8,}  "
                          f"{r.median:>9.0f}  {r.p95:>7.0f}  {r.cpu_median:>7.0f}  "
                          f"{r.cpu_p95:>7.0f}  {r.size / 1024:>8.0f}", flush=True)
                builds.append(f"{n:>9,}  {label:<16}  prepare {build_s:5.1f} s, search ready "
                              f"{ready_s:5.1f} s  explorer "
                              f"+{after - before:5.0f} MiB RSS (process {after:5.0f} MiB)")
                del ex
                gc.collect()
        del events
    print()
    print("\n".join(builds))
    if stages:
        print("\nms per stage of one cold change (profiled):")
        print(f"{'stage':<22}" + "".join(f"{h.split()[-1]:>8}" for h, _ in stages))
        print(f"{'':<22}" + "".join(f"{h.split()[-2][:7]:>8}" for h, _ in stages))
        for label in ["total", *(s[0] for s in STAGES)]:
            print(f"{label:<22}" + "".join(f"{row[label]:>8.0f}" for _, row in stages))
    print(f"peak RSS {rss_mib()[1]:.0f} MiB")


if __name__ == "__main__":
    main()
