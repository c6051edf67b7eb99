"""Actors and places named in each event's headline and excerpt, as canonical names.

One Aho-Corasick automaton over every alias (actors, places, stop phrases) finds all
candidates in a single pass; a candidate counts when it starts at a word boundary and ends
at one or in a short inflection ("Aserbaidschans", "Putins", "Azeris"). Overlaps resolve
leftmost-longest, so "Russian peacekeepers" wins over "Russian" and "Jerusalem Post" (a
stop phrase) hides "Jerusalem". Matching runs on accent-folded, lowercased text; aliases
written in capitals only (UN, US, OSZE) are matched against case-kept text instead, so
"us" and the French article "un" stay unmatched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import ahocorasick
import pandas as pd

from app.enrich import vocab

# Endings a name may carry and still be that name: English plural/possessive-less
# forms and German/French inflections. Kept short: "Iranian" is listed as an alias,
# not reached by a suffix rule.
SUFFIXES = frozenset({"", "s", "es", "n", "en", "e", "er", "em", "ern", "ns"})
ACRONYM_MAX = 5
_NO_SUFFIX = frozenset({""})
# The rest of a word after a match: str.isalnum characters (\w less the underscore).
_WORD_TAIL = re.compile(r"[^\W_]*")


@dataclass(frozen=True)
class Tag:
    """What an alias stands for: role is 'actor', 'place', 'stop' or any cue role."""

    role: str
    name: str


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    tags: tuple[Tag, ...]


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and len(alias) <= ACRONYM_MAX and all(c.isupper() for c in letters)


class Matcher:
    """Multi-pattern matcher over folded text with word-boundary and inflection checks."""

    def __init__(self, entries: Iterable[tuple[str, Tag]], suffixes: frozenset[str] = SUFFIXES):
        self.suffixes = suffixes
        folded: dict[str, list[Tag]] = {}
        exact: dict[str, list[Tag]] = {}
        for alias, tag in entries:
            alias = " ".join(alias.split())
            if not alias:
                continue
            if _is_acronym(alias):
                exact.setdefault(vocab.fold(alias, lower=False), []).append(tag)
            else:
                folded.setdefault(vocab.fold(alias), []).append(tag)
        self._folded = self._build(folded)
        self._exact = self._build(exact)
        # Most texts hold no acronym at all: one C-level search says so before the
        # automaton walks the text in Python's iteration.
        self._exact_any = re.compile("|".join(
            re.escape(k) for k in sorted(exact, key=len, reverse=True))) if exact else None

    @staticmethod
    def _build(table: dict[str, list[Tag]]) -> ahocorasick.Automaton | None:
        if not table:
            return None
        auto = ahocorasick.Automaton()
        for key, tags in table.items():
            auto.add_word(key, (len(key), tuple(dict.fromkeys(tags))))
        auto.make_automaton()
        return auto

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches, leftmost-longest, in text order."""
        return [Match(start, stop, tags) for start, stop, tags in self._spans(text)]

    def _spans(self, text: str) -> list[tuple[int, int, tuple[Tag, ...]]]:
        """``find`` as (start, end, tags) tuples: a text has a handful of candidates, a
        corpus millions, and tuples sort and build faster than dataclasses."""
        candidates: list[tuple[int, int, int, int, tuple[Tag, ...]]] = []
        # Acronyms get no inflection: "UNO" is its own alias, not "UN" + "O".
        for auto, folded_text, suffixes in (
            (self._folded, vocab.fold(text), self.suffixes),
            (self._exact, vocab.fold(text, lower=False), _NO_SUFFIX),
        ):
            if auto is None:
                continue
            if auto is self._exact and not self._exact_any.search(folded_text):
                continue
            tail = _WORD_TAIL.match
            for end, (length, tags) in auto.iter(folded_text):
                start = end - length + 1
                if start > 0 and folded_text[start - 1].isalnum():
                    continue
                stop = end + 1
                if folded_text[stop:stop + 1].isalnum():  # a longer word: an inflection?
                    stop = tail(folded_text, stop).end()
                    if folded_text[end + 1:stop] not in suffixes:
                        continue
                # sorted by start, longest first, then in the order found (a stable sort)
                candidates.append((start, start - stop, len(candidates), stop, tags))
        # Both texts fold the same characters, so offsets agree closely enough to
        # resolve overlaps (folding only shortens text around rare letters like "İ").
        candidates.sort()
        chosen: list[tuple[int, int, tuple[Tag, ...]]] = []
        reach = -1
        for start, _, _, stop, tags in candidates:
            if start >= reach:
                chosen.append((start, stop, tags))
                reach = stop
        return chosen


@cache
def _entity_matcher() -> Matcher:
    entries: list[tuple[str, Tag]] = []
    for actor in vocab.actors():
        entries += [(alias, Tag("actor", actor.name)) for alias in actor.aliases]
    for place in vocab.places():
        entries += [(alias, Tag("place", place.canonical)) for alias in place.aliases]
    entries += [(phrase, Tag("stop", phrase)) for phrase in vocab.stop_phrases()]
    return Matcher(entries)


@cache
def _implied() -> dict[str, tuple[Tag, ...]]:
    """Canonical actor -> the tags it brings along (Putin -> Russia)."""
    actor_names = {a.name for a in vocab.actors()}
    place_names = {p.canonical for p in vocab.places()}
    out: dict[str, tuple[Tag, ...]] = {}
    for actor in vocab.actors():
        tags = []
        for name in actor.implies:
            if name in actor_names:
                tags.append(Tag("actor", name))
            elif name in place_names:
                tags.append(Tag("place", name))
            else:
                raise ValueError(f"actor {actor.name!r} implies unknown name {name!r}")
        out[actor.name] = tuple(tags)
    return out


def find_entities(text: str) -> tuple[list[str], list[str]]:
    """(actors, places) named in text, canonical, each once, in order of first mention."""
    actors: dict[str, None] = {}
    places: dict[str, None] = {}
    expand = _expanded()
    for _, _, tags in _entity_matcher()._spans(text):
        for tag in tags:
            for is_actor, name in expand.get(tag, ()):
                (actors if is_actor else places).setdefault(name, None)
    return list(actors), list(places)


@cache
def _expanded() -> dict[Tag, tuple[tuple[bool, str], ...]]:
    """Each actor or place tag -> the names it adds, in order: itself, then what it implies
    (depth first, each actor once). Adding these in order, keeping first occurrences, is
    the walk over implied actors done per text: an actor seen before brings nothing new,
    since everything it implies came with it the first time."""
    implied = _implied()
    out: dict[Tag, tuple[tuple[bool, str], ...]] = {}
    for tag in [t for m in _entity_tags() for t in m]:
        if tag.role == "place":
            out[tag] = ((False, tag.name),)
        elif tag.role == "actor":
            seen: set[str] = set()
            names: list[tuple[bool, str]] = []
            pending = [tag]
            while pending:
                t = pending.pop(0)
                if t.role == "actor" and t.name not in seen:
                    seen.add(t.name)
                    names.append((True, t.name))
                    pending[:0] = implied.get(t.name, ())
                elif t.role == "place":
                    names.append((False, t.name))
            out[tag] = tuple(names)
    return out


def _entity_tags() -> list[tuple[Tag, ...]]:
    """The tag tuples the entity matcher can return."""
    matcher = _entity_matcher()
    return [tags for auto in (matcher._folded, matcher._exact) if auto is not None
            for _, tags in auto.values()]


def tag_entities(events: pd.DataFrame) -> pd.DataFrame:
    """A copy of events with ``actors`` and ``places`` filled from title and text."""
    out = events.copy()
    actors, places = entities_of(out["title"].tolist(), out["text"].tolist())
    out["actors"] = pd.Series(actors, index=out.index, dtype=object)
    out["places"] = pd.Series(places, index=out.index, dtype=object)
    return out


def entities_of(titles: list[str], texts: list[str]) -> tuple[list[list[str]], list[list[str]]]:
    """Actors and places of each (title, text) pair: the columns tag_entities fills."""
    # a sentence holding several dates is the text of several mentions: match it once
    seen: dict[str, tuple[list[str], list[str]]] = {}
    actors, places = [], []
    for title, text in zip(titles, texts, strict=True):
        # A mention's title is its sentence when that is short: "S\nS" names what S names,
        # in the same order (no alias spans a line break), at half the matching.
        key = text if title == text else f"{title}\n{text}"
        hit = seen.get(key)
        if hit is None:
            hit = seen[key] = find_entities(key)
        actors.append(list(hit[0]))  # no list shared between rows
        places.append(list(hit[1]))
    return actors, places


def actor_types() -> dict[str, str]:
    """Canonical actor name -> person | state | organisation (for facets and lanes)."""
    return {a.name: a.type for a in vocab.actors()}
