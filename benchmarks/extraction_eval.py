"""Extraction on documents of many layouts: reports and mentions against gold, per style.

Each ``tests/fixtures/styles/NAME.txt`` has a ``NAME.gold.yaml``: ``reports`` (start and
precision), ``mentions`` (evidence as written), ``metadata`` (text whose dates must give
no event) and ``background`` (evidence that may only appear flagged background). The
folder is parsed as one corpus, as a new user would point at it. Reports match on start
and precision; mentions on evidence (one containing the other, case-folded), one to one, among the
mentions the main view shows (not background). Prints precision and recall per style and
the events taken from metadata.

    python benchmarks/extraction_eval.py [--docs]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
try:
    import app  # noqa: F401  (another checkout's app, when PYTHONPATH names one)
except ImportError:
    sys.path.insert(0, str(ROOT))

from app.pipeline import load_corpus  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from table import print_table  # noqa: E402

STYLES = ROOT / "tests" / "fixtures" / "styles"
ALIASES = {"kommentare": "comments", "commentaires": "comments", "artikel": "article"}


def style_of(name: str) -> str:
    head = name.split("_")[0]
    return ALIASES.get(head, head)


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append((at, at + len(needle)))
        at = text.find(needle, at + 1)
    return out


def _same(a: str, b: str) -> bool:
    a, b = a.casefold().strip(), b.casefold().strip()
    return bool(a and b) and (a in b or b in a)


def evaluate(path: Path, events: pd.DataFrame) -> dict[str, int]:
    gold = yaml.safe_load(path.with_suffix("").with_suffix(".gold.yaml").read_text("utf-8"))
    ev, text = events[events.doc == path.name], path.read_text(encoding="utf-8")
    counts: dict[str, int] = defaultdict(int)

    meta = [s for m in gold.get("metadata") or [] for s in _spans(text, m)]
    # a mention's offsets are its evidence; a report's cover its entry, so its evidence
    # is compared instead
    in_meta = [any(a < e.char_end and e.char_start < b for a, b in meta) if e.kind == "mention"
               else not e.year_inferred and any(_same(e.evidence, m)
                                                for m in gold.get("metadata") or [])
               for e in ev.itertuples()]
    counts["meta_events"] = sum(in_meta)

    # a report dated by inference is listed in the ingest report with its method; only
    # stated dates are judged here
    reports = ev[(ev.kind == "report") & ~ev.year_inferred]
    want = [(pd.Timestamp(r["start"]), r["precision"]) for r in gold.get("reports") or []]
    got = list(zip(reports.start, reports.precision.astype(str), strict=True))
    counts["rep_gold"], counts["rep_pred"] = len(want), len(got)
    if not want:  # a page that is nobody's report (a timeline): any report is a false one
        counts["rep_none_docs"] += 1
        counts["rep_unexpected"] += len(got)
    for w in want:
        if w in got:
            got.remove(w)
            counts["rep_tp"] += 1

    shown = ev[(ev.kind == "mention") & ~ev.background]
    pred = list(shown.evidence)
    gold_m = list(gold.get("mentions") or [])
    counts["men_gold"], counts["men_pred"] = len(gold_m), len(pred)
    for g in gold_m:
        hit = next((p for p in pred if _same(p, g)), None)
        if hit is not None:
            pred.remove(hit)
            counts["men_tp"] += 1
    return counts


def pct(num: int, den: int) -> str:
    return f"{100 * num / den:.0f}%" if den else "-"


def report_precision(c: dict[str, int]) -> str:
    """Reports' precision; documents that expect none count too (no report there: 100%)."""
    return "100%" if not c["rep_pred"] and c["rep_none_docs"] else pct(c["rep_tp"], c["rep_pred"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", action="store_true", help="one row per document too")
    args = ap.parse_args()
    by_style: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = []
    events = load_corpus([STYLES]).events  # one folder, as a user would point at it
    for path in sorted(STYLES.glob("*.txt")):
        c = evaluate(path, events)
        rows.append((path.stem, c))
        for k, v in c.items():
            by_style[style_of(path.stem)][k] += v
            by_style["all"][k] += v
    head = ["style", "docs", "reports P", "reports R", "unexpected reports", "mentions P",
            "mentions R", "metadata events"]
    n_docs = defaultdict(int)
    for name, _ in rows:
        n_docs[style_of(name)] += 1
        n_docs["all"] += 1
    table = []
    for style in sorted(by_style, key=lambda s: (s == "all", s)):
        c = by_style[style]
        table.append([style, n_docs[style], report_precision(c),
                      pct(c["rep_tp"], c["rep_gold"]), c["rep_unexpected"],
                      pct(c["men_tp"], c["men_pred"]),
                      pct(c["men_tp"], c["men_gold"]), c["meta_events"]])
    print_table(head, table, left=1)
    if args.docs:
        print()
        print_table(["document", "rep tp/pred/gold", "men tp/pred/gold", "meta"],
                    [[n, f"{c['rep_tp']}/{c['rep_pred']}/{c['rep_gold']}",
                      f"{c['men_tp']}/{c['men_pred']}/{c['men_gold']}", c["meta_events"]]
                     for n, c in rows], left=1)


if __name__ == "__main__":
    main()
