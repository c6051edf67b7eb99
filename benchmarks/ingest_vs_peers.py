"""The whole ``timeline parse`` against dateparser's ``search_dates`` and datefinder's
``find_dates``, on the same generated text, in one run, as ratios; the accuracy of the three
on the labelled set beside it; and, with ``--rss-mb``, peak memory of the parse as the
corpus grows.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/ingest_vs_peers.py --mb 4
    .venv/bin/python benchmarks/ingest_vs_peers.py --mb 4 --shape mixed
    .venv/bin/python benchmarks/ingest_vs_peers.py --mb 4 --rss-mb 10 80

1. A corpus of ``--mb`` MB is generated (``generate_corpus.py``; ``--shape dense``, the
   default, repeats the bundled archive's entries under new dates: wire copies).
2. ``python -m app parse DIR --no-cache`` runs as a subprocess: the whole parse (reading,
   segmenting, dates, languages, actors and places, duplicate groups, inference, writing
   Parquet), timed by the wall clock, peak RSS sampled over the process.
3. The peers run in this process on the text of the same files (dateparser on
   paragraph-aligned pieces of 20 kB, as it needs; datefinder on each file whole): finding
   dates only, nothing else, so the ratio flatters them. They are far slower, so with
   ``--peer-mb`` they read only the first files up to that size, and their MB/s is compared.
4. Accuracy: ``app.dates.find_dates``, dateparser and datefinder on ``labelled_dates.jsonl``
   (the scorer of ``dates_vs_dateparser.py``: a gold date counts when an output overlaps it
   and agrees at the gold's precision).
5. ``--rss-mb A B ...``: the parse on dense corpora of each size, peak RSS and its ratio to
   the first size.

Wall-clock times: the parse detects languages on a second thread, the peers use one. On a
shared machine compare ratios from one run, not figures from two.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import warnings
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from dates_vs_dateparser import LABELLED, chunks, dateparser_search, score, spans_of  # noqa: E402
from generate_corpus import CORPUS_DIR, generate, generate_dense  # noqa: E402
from ingest_scale import run  # noqa: E402
from table import print_table  # noqa: E402

from app.dates import find_dates  # noqa: E402

REF = datetime(2021, 6, 1)
LANGS = ["en", "de", "fr"]


def make_corpus(folder: Path, mb: float, shape: str, seed: int) -> None:
    if shape == "dense":
        generate_dense(folder, mb, CORPUS_DIR)
    else:
        generate(folder, mb, seed)


def parse(folder: Path, scratch: Path) -> tuple[float, float]:
    """(seconds, peak RSS MiB) of the whole ``timeline parse`` of ``folder``."""
    secs, peak, _ = run(["parse", str(folder), "--out", str(scratch / "events.parquet"),
                         "--no-cache"])
    return secs, peak


def datefinder_search():
    import datefinder

    def search(text: str, ref: datetime, _langs: list[str]) -> list[tuple[str, datetime]]:
        try:
            return [(src, dt) for dt, src in
                    datefinder.find_dates(text, source=True, base_date=ref)]
        except Exception:  # datefinder raises on some inputs; count them as no output
            return []
    return search


def peer_seconds(search, texts: list[str], pieces: bool) -> float:
    t0 = time.perf_counter()
    for text in texts:
        for piece in (chunks(text) if pieces else [text]):
            search(piece, REF, LANGS)
    return time.perf_counter() - t0


def peer_texts(folder: Path, limit_mb: float | None) -> list[str]:
    texts, size = [], 0
    for path in sorted(folder.glob("*.txt")):
        if limit_mb is not None and size >= limit_mb * 1e6:
            break
        text = path.read_text(encoding="utf-8")
        if limit_mb is not None:
            text = text[:int(limit_mb * 1e6 - size)]
        texts.append(text)
        size += len(text.encode("utf-8"))
    return texts


def accuracy(searches: dict) -> dict[str, dict]:
    items = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    out = {}
    ours = []
    for item in items:
        hits = find_dates(item["text"], ref=datetime.fromisoformat(item["ref"]))
        ours.append([(h.char_start, h.char_end, h.start) for h in hits if h.start])
    out["timeline (find_dates)"] = score(items, ours)
    for name, search in searches.items():
        outs = [spans_of(item["text"], search(item["text"], datetime.fromisoformat(item["ref"]),
                                              [item["lang"]])) for item in items]
        out[name] = score(items, outs)
    return out


def mib(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=4, help="size of the compared corpus")
    ap.add_argument("--shape", choices=["dense", "mixed"], default="dense")
    ap.add_argument("--peer-mb", type=float, default=None,
                    help="the peers read only this much of the corpus (default: all)")
    ap.add_argument("--rss-mb", type=float, nargs="*", default=[],
                    help="dense corpus sizes for the memory table")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    searches = {"dateparser search_dates": dateparser_search(),
                "datefinder find_dates": datefinder_search()}
    for search in searches.values():
        search("warm up on 1 May 2020", REF, LANGS)

    with tempfile.TemporaryDirectory() as tmp:
        folder, scratch = Path(tmp) / "corpus", Path(tmp) / "out"
        make_corpus(folder, args.mb, args.shape, args.seed)
        whole = peer_texts(folder, None)
        secs, peak = parse(folder, scratch)
        ours = mib(whole) / secs
        rows = [["timeline parse (whole ingest)", f"{mib(whole):.2f}", f"{secs:.1f}",
                 f"{ours:.3f}", "1.0x", f"{peak:,.0f}"]]
        texts = peer_texts(folder, args.peer_mb)
        for name, search in searches.items():
            s = peer_seconds(search, texts, pieces=name.startswith("dateparser"))
            speed = mib(texts) / s
            rows.append([name + " (dates only)", f"{mib(texts):.2f}", f"{s:.1f}",
                         f"{speed:.3f}", f"{ours / speed:.1f}x", ""])
    print(f"Throughput on a {args.shape} corpus of {args.mb:g} MB "
          f"(ratio: timeline parse MiB/s over the tool's)")
    print_table(["tool", "MiB", "seconds", "MiB/s", "timeline faster by", "peak RSS MiB"],
                rows, left=1)
    print()
    print("Accuracy on the labelled set (resolved dates)")
    acc = accuracy(searches)
    print_table(["tool", "gold", "output", "correct", "P %", "R %", "F1 %"],
                [[name, a["gold"], a["sys"], a["tp"], f"{100 * a['P']:.1f}",
                  f"{100 * a['R']:.1f}", f"{100 * a['F1']:.1f}"] for name, a in acc.items()],
                left=1)
    if args.rss_mb:
        print()
        print("Peak RSS of timeline parse on dense corpora")
        rows, first = [], None
        for size in args.rss_mb:
            with tempfile.TemporaryDirectory() as tmp:
                folder, scratch = Path(tmp) / "corpus", Path(tmp) / "out"
                generate_dense(folder, size, CORPUS_DIR)
                text_mib = sum(p.stat().st_size for p in folder.glob("*.txt")) / 2**20
                secs, peak = parse(folder, scratch)
            first = first or peak
            rows.append([f"{size:g}", f"{text_mib:.1f}", f"{secs:.1f}",
                         f"{text_mib / secs:.3f}", f"{peak:,.0f}", f"{peak / first:.2f}x"])
        print_table(["MB asked", "MiB text", "seconds", "MiB/s", "peak RSS MiB",
                     "vs first"], rows)


if __name__ == "__main__":
    main()
