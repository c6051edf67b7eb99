"""Date finding side by side: app.dates.find_dates against dateparser's search_dates.

    .venv/bin/python benchmarks/dates_vs_dateparser.py [--synth-mb 50] [--synth DIR]
        [--dp-sample-kb 300] [--seed 1]

In one run:
1. throughput (MB of UTF-8 text per second) on the bundled corpus, both tools on all of it;
2. throughput on a synthetic corpus of --synth-mb MB (written by generate_corpus.py into a
   temporary folder unless --synth names one): find_dates reads every file; dateparser is
   far slower, so it is timed on a sample of --dp-sample-kb KB cut from the same files
   (the table says so), and find_dates is timed on that same sample too, so that one row
   compares the two tools on identical text;
3. precision and recall of resolved dates on the hand-labelled set labelled_dates.jsonl:
   a gold expression counts as found when an output overlaps it and its date agrees with
   the gold value at the gold's precision (day, month, ISO week, year, hour, minute; a
   range by its first day). Outputs without a date are not counted.
dateparser runs with languages en/de/fr, RELATIVE_BASE = the reference date and
PREFER_DATES_FROM = past, which is the closest setting to find_dates' rules.

Times are CPU time of this process (time.process_time): both tools run on one thread, and
on a shared machine wall-clock time mostly measures the other jobs.
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

from generate_corpus import generate  # noqa: E402

from app.dates import find_dates  # noqa: E402
from app.paths import CORPUS_DIR  # noqa: E402

LABELLED = ROOT / "benchmarks" / "labelled_dates.jsonl"
REF = datetime(2021, 6, 1)
LANGS = ["en", "de", "fr"]


def dateparser_search():
    warnings.filterwarnings("ignore")
    from dateparser.search import search_dates

    def run(text: str, ref: datetime, langs: list[str]):
        settings = {"RELATIVE_BASE": ref, "PREFER_DATES_FROM": "past",
                    "RETURN_AS_TIMEZONE_AWARE": False}
        try:
            return search_dates(text, languages=langs, settings=settings) or []
        except Exception:  # dateparser raises on some inputs; count them as no output
            return []
    return run


def chunks(text: str, size: int = 20_000):
    """Paragraph-aligned pieces, so dateparser sees texts of a sane length."""
    start = 0
    while start < len(text):
        end = text.find("\n\n", start + size)
        end = len(text) if end < 0 else end + 2
        yield text[start:end]
        start = end


def mb(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def time_ours(texts: list[str], min_seconds: float = 1.0) -> tuple[float, int]:
    rounds, hits, t0 = 0, 0, time.process_time()
    while True:
        hits = sum(len(find_dates(t, ref=REF)) for t in texts)
        rounds += 1
        elapsed = time.process_time() - t0
        if elapsed >= min_seconds:
            return mb(texts) * rounds / elapsed, hits


def time_dp(texts: list[str], run) -> tuple[float, int]:
    t0 = time.process_time()
    hits = sum(len(run(piece, REF, LANGS)) for t in texts for piece in chunks(t))
    return mb(texts) / (time.process_time() - t0), hits


def synthetic(args) -> tuple[list[Path], float, float, str]:
    """(files, our MB/s over all files, MB read, sample text for dateparser)."""
    folder = args.synth
    tmp = None
    if folder is None:
        tmp = tempfile.TemporaryDirectory()
        folder = Path(tmp.name)
        generate(folder, args.synth_mb, args.seed)
    files = sorted(folder.glob("*.txt"))
    size, busy, sample = 0, 0.0, []
    per_file = max(1, args.dp_sample_kb * 1000 // max(1, min(len(files), 6)))
    for i, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        size += len(text.encode("utf-8"))
        t0 = time.process_time()
        find_dates(text, ref=REF)
        busy += time.process_time() - t0
        if i < 6:
            cut = text.find("\n\n", per_file)
            sample.append(text[:cut if cut > 0 else per_file])
    if tmp is not None:
        tmp.cleanup()
    return files, size / 1e6 / busy, size / 1e6, "".join(sample)


# --- accuracy ------------------------------------------------------------------------------

def agrees(gold_value: str, dt: datetime, ref: datetime) -> bool:
    v = gold_value.split("/")[0]
    if v == "PRESENT_REF":
        return dt.date() == ref.date()
    if "-W" in v:
        y, w = v.split("-W")
        return tuple(dt.isocalendar())[:2] == (int(y), int(w))
    if "T" in v:
        day, clock = v.split("T")
        parts = clock.split(":")
        ok = dt.strftime("%Y-%m-%d") == day and dt.hour == int(parts[0])
        return ok and (len(parts) == 1 or dt.minute == int(parts[1]))
    fmt = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}.get(len(v))
    return fmt is not None and dt.strftime(fmt) == v


def spans_of(text: str, found: list[tuple[str, datetime]]) -> list[tuple[int, int, datetime]]:
    out, pos = [], 0
    for sub, dt in found:
        i = text.find(sub, pos)
        if i < 0:
            i = text.find(sub)
        if i >= 0:
            out.append((i, i + len(sub), dt))
            pos = i + len(sub)
    return out


def score(items: list[dict], outputs: list[list[tuple[int, int, datetime]]]) -> dict:
    tp = n_sys = n_gold = 0
    for item, outs in zip(items, outputs, strict=True):
        ref = datetime.fromisoformat(item["ref"])
        text = item["text"]
        n_sys += len(outs)
        n_gold += len(item["gold"])
        used = set()
        for g in item["gold"]:
            gs = text.index(g["evidence"])
            ge = gs + len(g["evidence"])
            for k, (s, e, dt) in enumerate(outs):
                if k in used or e <= gs or s >= ge:
                    continue
                used.add(k)
                if agrees(g["value"], dt, ref):
                    tp += 1
                break
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp,
            "sys": n_sys, "gold": n_gold}


def accuracy(run) -> tuple[dict, dict]:
    items = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    ours, theirs = [], []
    for item in items:
        ref = datetime.fromisoformat(item["ref"])
        hits = find_dates(item["text"], ref=ref)
        ours.append([(h.char_start, h.char_end, h.start) for h in hits if h.start])
        found = run(item["text"], ref, [item["lang"]])
        theirs.append(spans_of(item["text"], found))
    return score(items, ours), score(items, theirs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synth-mb", type=float, default=50)
    ap.add_argument("--synth", type=Path, default=None, help="reuse a generated corpus")
    ap.add_argument("--dp-sample-kb", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    run = dateparser_search()
    run("warm up on 1 May 2020", REF, LANGS)
    find_dates("warm up on 1 May 2020")

    bundled = [p.read_text(encoding="utf-8") for p in sorted(CORPUS_DIR.glob("*.txt"))]
    ours_b, _ = time_ours(bundled)
    dp_b, _ = time_dp(bundled, run)
    files, ours_s, synth_mb, sample = synthetic(args)
    dp_s, _ = time_dp([sample], run)
    ours_sample, _ = time_ours([sample])
    ours_acc, dp_acc = accuracy(run)

    print(f"{'measure':<44} {'find_dates':>12} {'dateparser':>12} {'ratio':>8}")
    print("-" * 79)
    print(f"{f'bundled corpus, {mb(bundled):.2f} MB: MB/s':<44} {ours_b:>12.3f} {dp_b:>12.4f} "
          f"{ours_b / dp_b:>7.0f}x")
    label = f"synthetic {synth_mb:.0f} MB ({len(files)} files): MB/s"
    print(f"{label:<44} {ours_s:>12.3f} {dp_s:>12.4f} {ours_s / dp_s:>7.0f}x")
    print(f"{'  (dateparser timed on a sample of':<44} {'':>12} {mb([sample]) * 1000:>9.0f} KB)")
    label = f"same {mb([sample]) * 1000:.0f} KB sample, both tools: MB/s"
    print(f"{label:<44} {ours_sample:>12.3f} {dp_s:>12.4f} {ours_sample / dp_s:>7.0f}x")
    n = ours_acc["gold"]
    for key in ("P", "R", "F1"):
        name = f"labelled set ({n} gold dates): {key}"
        print(f"{name:<44} {100 * ours_acc[key]:>12.1f} {100 * dp_acc[key]:>12.1f}")
    print(f"{'  correct / output':<44} {ours_acc['tp']:>7}/{ours_acc['sys']:<4} "
          f"{dp_acc['tp']:>7}/{dp_acc['sys']:<4}")


if __name__ == "__main__":
    main()
