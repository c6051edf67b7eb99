"""The curated vocabularies of enrichment, read once from data/: actors, places, cues.

``data/aliases.yaml`` names actors (people, states, organisations) and stop phrases,
``data/places.csv`` names places with their spellings and, where the gazetteer package
lacks them, coordinates; ``data/cues.yaml`` holds the words that signal a denial and the
kind of happening a headline reports.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from app.paths import DATA_DIR

ALIASES_FILE = DATA_DIR / "aliases.yaml"
PLACES_FILE = DATA_DIR / "places.csv"
CUES_FILE = DATA_DIR / "cues.yaml"

ACTOR_TYPES = ("person", "state", "organisation")

# Letters that Unicode does not decompose but that writers drop all the same (Azerbaijani
# dotless i and schwa, typographic apostrophes): folded so that spellings meet.
_SPECIAL = {"ı": "i", "ə": "e", "Ə": "E", "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"}


class _FoldTable(dict):
    """str.translate table filled on first sight of each character: accents stripped."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in _SPECIAL:
            folded = _SPECIAL[char]
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str, lower: bool = True) -> str:
    """Text with accents stripped (and lowercased unless ``lower`` is False).

    Used on both the aliases and the text they are searched in, so Erdoğan meets Erdogan
    and Azerbaïdjan meets Azerbaidjan; the result may differ in length from the input.
    """
    if lower:
        text = text.lower()
    if text.isascii() and "`" not in text:
        return text
    return text.translate(_TABLE)


@dataclass(frozen=True)
class Actor:
    name: str
    type: str
    aliases: tuple[str, ...]
    implies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    canonical: str
    aliases: tuple[str, ...]
    lat: float | None
    lon: float | None
    kind: str
    country: str


@dataclass(frozen=True)
class Cues:
    """Word lists by role: denial cues, and happening types with their cue words."""

    denial: tuple[str, ...]
    happenings: dict[str, tuple[str, ...]]


@cache
def actors(path: Path = ALIASES_FILE) -> tuple[Actor, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for item in data.get("actors", []):
        kind = item.get("type", "")
        if kind not in ACTOR_TYPES:
            raise ValueError(f"{path.name}: actor {item.get('name')!r} has type {kind!r}")
        aliases = tuple(dict.fromkeys([item["name"], *item.get("aliases", [])]))
        out.append(Actor(item["name"], kind, aliases, tuple(item.get("implies", []))))
    return tuple(out)


@cache
def stop_phrases(path: Path = ALIASES_FILE) -> tuple[str, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(data.get("stop_phrases", []))


@cache
def places(path: Path = PLACES_FILE) -> tuple[Place, ...]:
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            aliases = [a.strip() for a in row["aliases"].split("|") if a.strip()]
            out.append(Place(
                canonical=row["canonical"].strip(),
                aliases=tuple(dict.fromkeys([row["canonical"].strip(), *aliases])),
                lat=float(row["lat"]) if row["lat"].strip() else None,
                lon=float(row["lon"]) if row["lon"].strip() else None,
                kind=row["kind"].strip(),
                country=row["country"].strip().upper(),
            ))
    return tuple(out)


@cache
def cues(path: Path = CUES_FILE) -> Cues:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    happenings = {k: tuple(v) for k, v in (data.get("happenings") or {}).items()}
    return Cues(denial=tuple(data.get("denial", [])), happenings=happenings)
