"""Score the date resolver per language on hand-written sentences (benchmarks/dates_lang/).

    .venv/bin/python benchmarks/dates_lang_eval.py [--cases] [--code DIR]

Each file (en.jsonl, de.jsonl, fr.jsonl) holds sentences written for this benchmark, one
per line: a reference date, the text, the gold timexes (evidence and TimeML value) and the
case it tests (narrative, clock, season, bc, offset, named-day, trap...). Every sentence is
read the way ``timeline dates --ref REF --lang xx --all-types`` reads it. A gold timex is
found when a system timex overlaps it (relaxed span), and right when the value is also
equal. Precision counts system timexes that overlap some gold one; traps have no gold, so
anything found in them costs precision. ``--cases`` adds a table of right values per case;
``--code DIR`` scores the ``app`` package of another checkout (a before/after figure).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "dates_lang"
LANGS = ("en", "de", "fr")


def load_system(code: Path):
    sys.path.insert(0, str(code))
    try:
        from app.dates.timeml import timeml_hits
    except ImportError:  # a checkout from before the TimeML view: dates, durations, sets
        from app.dates import find_dates, find_durations

        def timeml_hits(text, ref=None, lang=None, all_types=False):
            extra = find_durations(text, lang=lang) if all_types else []
            kept = [h for h in find_dates(text, ref=ref, lang=lang) if not any(
                d.char_start <= h.char_start and h.char_end <= d.char_end for d in extra)]
            return sorted(kept + extra, key=lambda h: h.char_start)
    return timeml_hits


def spans(text: str, gold: list[dict]) -> list[tuple[int, int, str]]:
    out, at = [], 0
    for g in gold:
        start = text.find(g["evidence"], at)
        if start < 0:
            raise ValueError(f"gold evidence {g['evidence']!r} not in {text!r}")
        out.append((start, start + len(g["evidence"]), g["value"]))
        at = start + 1
    return out


def score(items: list[dict], lang: str, run) -> tuple[dict, dict]:
    tot = {"gold": 0, "sys": 0, "sys_ok": 0, "found": 0, "right": 0}
    cases: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item in items:
        ref = datetime.fromisoformat(item["ref"])
        gold = spans(item["text"], item["gold"])
        hits = run(item["text"], ref=ref, lang=lang, all_types=True)
        tot["gold"] += len(gold)
        tot["sys"] += len(hits)
        tot["sys_ok"] += sum(any(h.char_start < e and s < h.char_end for s, e, _ in gold)
                             for h in hits)
        case = cases[item["case"]]
        if not gold:  # a trap: right when nothing is found
            case[0] += 1
            case[1] += not hits
        for s, e, value in gold:
            over = [h for h in hits if h.char_start < e and s < h.char_end]
            right = any(h.value == value for h in over)
            tot["found"] += bool(over)
            tot["right"] += right
            case[0] += 1
            case[1] += right
    return tot, cases


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--code", type=Path, default=ROOT, help="checkout whose app/ to score")
    ap.add_argument("--cases", action="store_true", help="right values per case")
    args = ap.parse_args()
    run = load_system(args.code)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from table import print_table

    rows, per_case = [], {}
    for lang in LANGS:
        path = args.data / f"{lang}.jsonl"
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
        t, cases = score(items, lang, run)
        per_case[lang] = cases
        p = t["sys_ok"] / t["sys"] if t["sys"] else 0.0
        r = t["found"] / t["gold"] if t["gold"] else 0.0
        vp = t["right"] / t["sys"] if t["sys"] else 0.0
        vr = t["right"] / t["gold"] if t["gold"] else 0.0
        rows.append([lang, len(items), t["gold"], t["sys"], f"{100 * p:.1f}",
                     f"{100 * r:.1f}", f"{100 * f1(p, r):.1f}", f"{100 * vr:.1f}",
                     f"{100 * f1(vp, vr):.1f}"])
    print("Hand-written sentences per language, read as timeline dates --all-types reads them")
    print_table(["lang", "items", "gold", "sys", "P", "R", "relax F1", "value R", "value F1"],
                rows, left=1)
    if args.cases:
        print()
        names = sorted({c for cases in per_case.values() for c in cases})
        case_rows = []
        for name in names:
            row: list[object] = [name]
            for lang in LANGS:
                n, right = per_case[lang].get(name, [0, 0])
                row.append(f"{right}/{n}" if n else "-")
            case_rows.append(row)
        print("right values / gold timexes per case (traps: items with nothing found)")
        print_table(["case", *LANGS], case_rows, left=1)


if __name__ == "__main__":
    main()
