"""Score the date finder on the TempEval-3 platinum test set (TIMEX3, 20 English news docs).

    .venv/bin/python benchmarks/timex_eval.py [--data ../shared/benchmarks/timex] [--per-doc]

Each document is read with ``find_dates(text, ref=dct, lang='en')``; every hit becomes a
system timex (type TIME when it carries a clock time, else DATE) and is scored with the
scorer shipped beside the data (score.py: TE3 pairing, strict/relaxed span F1, value F1).
For the ALL row, ``find_durations(text, lang='en')`` adds durations and sets (types
DURATION and SET); a date inside a set ('Monday' in 'every Monday') gives way to the set.
The DATE+TIME row scores find_dates alone; the published TE3 figures are for ALL.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.dates import find_dates, find_durations  # noqa: E402

# UzZaman et al. 2013, SemEval-2013 Task 1, Table 3 (platinum, all timex types).
PUBLISHED = {
    "HeidelTime-t": {"strict_F1": 81.34, "relaxed_F1": 90.30, "value_F1": 77.61},
    "HeidelTime-1.2": {"strict_F1": 78.07, "relaxed_F1": 86.99, "value_F1": 72.12},
    "SUTime": {"strict_F1": 79.57, "relaxed_F1": 90.32, "value_F1": 67.38},
}


def load_scorer(data: Path):
    spec = importlib.util.spec_from_file_location("timex_score", data / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def system_doc(rec: dict, durations: bool = False) -> dict:
    dct = datetime.fromisoformat(rec["dct"])
    out = []
    extra = find_durations(rec["text"], lang="en") if durations else []
    for h in find_dates(rec["text"], ref=dct, lang="en"):
        if any(d.char_start <= h.char_start and h.char_end <= d.char_end for d in extra):
            continue
        kind = "TIME" if h.precision in ("minute", "hour") or "T" in h.value.split("-")[-1] \
            else "DATE"
        out.append({"start": h.char_start, "end": h.char_end, "text": h.evidence,
                    "type": kind, "value": h.value})
    for d in extra:
        out.append({"start": d.char_start, "end": d.char_end, "text": d.evidence,
                    "type": "SET" if d.kind == "set" else "DURATION", "value": d.value})
    out.sort(key=lambda t: t["start"])
    return {"doc": rec["doc"], "timexes": out}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/benchmarks/timex",
                    help="folder with timex_gold.jsonl and score.py")
    ap.add_argument("--per-doc", action="store_true", help="list misses and wrong values")
    args = ap.parse_args()
    scorer = load_scorer(args.data)
    gold = scorer.load(str(args.data / "timex_gold.jsonl"))
    rows_spec = [("find_dates ALL", False, "ALL"),
                 ("find_dates + find_durations ALL", True, "ALL"),
                 ("find_dates DATE+TIME", False, "DATE+TIME")]
    total = {name: scorer.Counts() for name, _, _ in rows_spec}
    for name in sorted(gold):
        rec = gold[name]
        docs = {flag: system_doc(rec, flag) for flag in (False, True)}
        for row, flag, scope in rows_spec:
            total[row].add(scorer.score_doc(rec, docs[flag])[scope])
        if args.per_doc:
            show_doc(rec, docs[True])
    rows = []
    for row, counts in total.items():
        r = counts.report()
        rows.append((row, r["gold"], r["system"], 100 * r["strict_F1"],
                     100 * r["relaxed_F1"], 100 * r["value_acc"], 100 * r["value_F1"]))
    print(f"TempEval-3 platinum, {len(gold)} documents, anchored on each document's DCT")
    head = f"{'system':<32} {'gold':>5} {'sys':>5} {'strict F1':>9} {'relax F1':>9} " \
           f"{'val acc':>8} {'value F1':>9}"
    print(head)
    print("-" * len(head))
    for name, g, s, sf, rf, va, vf in rows:
        print(f"{name:<32} {g:>5} {s:>5} {sf:>9.2f} {rf:>9.2f} {va:>8.2f} {vf:>9.2f}")
    for name, r in PUBLISHED.items():
        va = 100 * r["value_F1"] / r["relaxed_F1"]
        print(f"{name + ' ALL (published)':<32} {138:>5} {'-':>5} {r['strict_F1']:>9.2f} "
              f"{r['relaxed_F1']:>9.2f} {va:>8.2f} {r['value_F1']:>9.2f}")


def show_doc(rec: dict, sys_doc: dict) -> None:
    print(f"== {rec['doc']} (dct {rec['dct']})")
    for t in rec["timexes"]:
        match = [s for s in sys_doc["timexes"] if s["start"] < t["end"] and t["start"] < s["end"]]
        got = json.dumps([(s["text"], s["value"]) for s in match], ensure_ascii=False)
        flag = "ok " if match and match[0]["value"] == t["value"] else "-- "
        print(f"  {flag}{t['type']:<8} {t['text']!r:30} {t['value']:<14} {got}")
    for s in sys_doc["timexes"]:
        if not any(s["start"] < t["end"] and t["start"] < s["end"] for t in rec["timexes"]):
            print(f"  FP          {s['text']!r:30} {s['value']}")


if __name__ == "__main__":
    main()
