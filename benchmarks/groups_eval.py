"""Pair precision and recall of duplicate groups against hand-labelled pairs.

    .venv/bin/python benchmarks/groups_eval.py [--verbose] [--scale N]

Labelled pairs (tests/fixtures/groups/labelled_pairs.csv) name events by document,
start minute and headline, not by id. Every positive pair of the labelled documents is
listed, so evaluation is closed-world: any other pair of reports from those documents that
lands in one group counts as a false positive. ``--scale N`` also times assign_groups on N
reports (the archive's war-period reports repeated on successive spans), and
tag_entities on the same reports.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.enrich.entities import tag_entities  # noqa: E402
from app.enrich.groups import assign_groups, evidence, profile  # noqa: E402
from app.paths import CORPUS_DIR  # noqa: E402
from app.pipeline import load_corpus  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "groups"
WAR = (pd.Timestamp("2020-09-27"), pd.Timestamp("2020-11-10"))
LABELS = FIXTURES / "labelled_pairs.csv"
DOCUMENTS = [
    *sorted(CORPUS_DIR.glob("002_*.txt")),
    *sorted(CORPUS_DIR.glob("004_*.txt")),
    FIXTURES / "synthetic_archive.txt",
]


def labelled_events() -> pd.DataFrame:
    """Events of the labelled documents, with actors, places and groups assigned."""
    events = load_corpus(DOCUMENTS).events
    return assign_groups(tag_entities(events))


def find_event(events: pd.DataFrame, doc: str, start: str, title: str) -> str:
    """event_id of the one report of doc (by name prefix) whose title begins so, at start
    when given (left empty for a report whose date the corpus must infer)."""
    hit = events[(events["kind"] == "report") & events["doc"].str.startswith(doc)
                 & events["title"].str.startswith(title)]
    if start:
        hit = hit[hit["start"] == pd.Timestamp(start)]
    if len(hit) != 1:
        raise LookupError(f"{len(hit)} reports match {doc} {start} {title!r}")
    return str(hit["event_id"].iloc[0])


def read_labels(events: pd.DataFrame) -> dict[frozenset[str], tuple[bool, str]]:
    labels = {}
    with LABELS.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            a = find_event(events, row["doc_a"], row["start_a"], row["title_a"])
            b = find_event(events, row["doc_b"], row["start_b"], row["title_b"])
            labels[frozenset((a, b))] = (row["same"] == "1", row["note"])
    return labels


def pair_counts(events: pd.DataFrame, labels: dict[frozenset[str], tuple[bool, str]]):
    """(true positives, false positives, false negatives) as lists of pairs, closed world."""
    reports = events[events["kind"] == "report"]
    group = dict(zip(reports["event_id"], reports["group_id"], strict=True))
    predicted = {frozenset((a, b)) for a, b in itertools.combinations(reports["event_id"], 2)
                 if group[a] and group[a] == group[b]}
    positive = {pair for pair, (same, _) in labels.items() if same}
    return (sorted(predicted & positive, key=sorted), sorted(predicted - positive, key=sorted),
            sorted(positive - predicted, key=sorted))


def describe(events: pd.DataFrame, pair: frozenset[str]) -> str:
    a, b = (events.set_index("event_id").loc[i] for i in sorted(pair))
    ev = evidence(profile(a), profile(b))
    return (f"  {a['start']:%Y-%m-%d %H:%M} {a['title'][:45]!r}\n"
            f"  {b['start']:%Y-%m-%d %H:%M} {b['title'][:45]!r}\n"
            f"    gap={pd.Timedelta(ev.gap)} specific={ev.specific:g} shared={ev.shared} "
            f"numbers={ev.numbers} names={ev.names} conflict={ev.conflict or '-'}")


def scaled(events: pd.DataFrame, n: int) -> pd.DataFrame:
    """n reports: the war-period reports of the archive, copied onto successive 45-day
    spans, so the density of reports per day stays that of the archive's busiest weeks."""
    reports = events[(events["kind"] == "report") & events["start"].between(WAR[0], WAR[1])]
    span = pd.Timedelta(days=45)
    copies = []
    for k in range(n // len(reports) + 1):
        copy = reports.copy()
        copy["event_id"] = copy["event_id"] + f"-{k}"
        copy["start"] = copy["start"] + k * span
        copies.append(copy)
    return pd.concat(copies, ignore_index=True).head(n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show the evidence of errors")
    parser.add_argument("--scale", type=int, default=0, help="also time N reports")
    args = parser.parse_args()

    events = labelled_events()
    labels = read_labels(events)
    tp, fp, fn = pair_counts(events, labels)
    positives = sum(same for same, _ in labels.values())
    precision = len(tp) / (len(tp) + len(fp)) if tp or fp else 1.0
    recall = len(tp) / positives if positives else 1.0
    reports = events[events["kind"] == "report"]
    groups = reports.loc[reports["group_id"] != "", "group_id"].nunique()
    disputed = reports.loc[reports["disputed"], "group_id"].nunique()

    print(f"{'measure':<38}{'value':>10}")
    for name, value in [
        ("reports in labelled documents", len(reports)),
        ("labelled pairs (positive)", f"{len(labels)} ({positives})"),
        ("groups found (disputed)", f"{groups} ({disputed})"),
        ("pairs predicted same", len(tp) + len(fp)),
        ("true positive pairs", len(tp)),
        ("false positive pairs", len(fp)),
        ("false negative pairs", len(fn)),
        ("pair precision", f"{precision:.3f}"),
        ("pair recall", f"{recall:.3f}"),
    ]:
        print(f"{name:<38}{value!s:>10}")
    if args.verbose:
        for title, pairs in (("false positives", fp), ("false negatives", fn)):
            print(f"\n{title}:")
            for pair in pairs:
                print(describe(events, pair))
    if args.scale:
        big = scaled(events, args.scale)
        print()
        for name, step in (("tag_entities", tag_entities), ("assign_groups", assign_groups)):
            t0 = time.perf_counter()
            step(big)
            took = time.perf_counter() - t0
            print(f"{name + ' on ' + str(len(big)) + ' reports':<38}{took:>9.2f}s "
                  f"({len(big) / took:,.0f} reports/s)")


if __name__ == "__main__":
    main()
