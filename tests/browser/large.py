"""A generated fixture corpus past the timeline's density threshold: deterministic events in
the shape the explorer reads (reports and mentions, several precisions, 24 sources, three
languages, duplicate groups), with the two fixture documents they point into."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

SOURCES = [f"Source {chr(65 + i)}" for i in range(24)]
LANGUAGES = ("en", "de", "fr")
PLACES = ("Stepanakert", "Shusha", "Lachin", "Aghdam", "Nagorno-Karabakh")
ACTORS = ("Armenia", "Azerbaijan", "Russia")
WORDS = ["ceasefire", "talks", "shelling", "convoy", "corridor", "statement", "border",
         "village", "refugees", "peacekeepers", "ministry", "agreement", "drones", "offensive",
         "withdrawal"]


def write_large_fixture(path: Path, base: Path, n: int = 3000, seed: int = 1) -> Path:
    """Write ``n`` events (over 2020-2022, a third of them in the 44-day war) with ``base``'s
    documents, texts and report to ``path``; returns ``path``."""
    rng = random.Random(seed)
    fixture = json.loads(base.read_text(encoding="utf-8"))
    docs = list(fixture["texts"])
    events = []
    start = datetime(2020, 1, 1)
    for i in range(n):
        if i % 3 == 0:
            at = datetime(2020, 9, 27) + timedelta(minutes=rng.randrange(44 * 24 * 60))
        else:
            at = start + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        kind = "mention" if i % 4 == 0 else "report"
        precision = "minute" if kind == "report" else rng.choice(("day", "day", "month"))
        if precision == "day":
            at = at.replace(hour=0, minute=0)
        elif precision == "month":
            at = at.replace(day=1, hour=0, minute=0)
        title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
        events.append({
            "event_id": f"e{i}", "kind": kind, "start": at.strftime("%Y-%m-%dT%H:%M"),
            "precision": precision, "title": title,
            "text": title + ". " + " ".join(rng.choice(WORDS) for _ in range(14)) + ".",
            "evidence": "", "source": SOURCES[min(int(rng.paretovariate(1.2)) - 1, 23)],
            "language": rng.choice(LANGUAGES), "doc": rng.choice(docs),
            "char_start": -1, "char_end": -1,
            "reported_at": at.strftime("%Y-%m-%dT%H:%M"),
            "group_id": f"lg{i // 3}" if kind == "report" and i % 7 == 1 else "",
            "places": [rng.choice(PLACES)] if rng.random() < 0.6 else [],
            "actors": [rng.choice(ACTORS)] if rng.random() < 0.5 else [],
            "disputed": False,
        })
    fixture["events"] = events
    fixture["report"] = {**fixture.get("report", {}), "events": n}
    path.write_text(json.dumps(fixture, ensure_ascii=False), encoding="utf-8")
    return path
