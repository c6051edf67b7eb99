"""Duplicate groups (reports of one happening across outlets and languages) and disputes.

Evidence for two reports telling the same happening, all of it language-independent:
  * time: published close together (blocking window ``WINDOW``; tighter bars when far apart);
  * shared actors and places, weighted by how specific they are (a minister or a village
    says more than "Azerbaijan");
  * shared numbers ("3.5 km" = "3,5 Kilometer"), read digits-only so they work in any language;
  * shared names that no vocabulary lists, compared by a spelling skeleton
    ("Iljuschin" = "Ilyushin", "Haaretz" = "Haaretz").
Against: headlines of different kinds of happening (a phone call is not a declaration),
and reports that each name a town but no town in common.

Pairs that pass join by average linkage: a report joins a group only when it is close to
the group as a whole, so one ambiguous neighbour cannot chain two happenings together.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import deque
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from app.enrich import vocab
from app.enrich.entities import Matcher, Tag, actor_types

WINDOW = pd.Timedelta(hours=24)
# A happening retold by more reports than this in one day is split into several groups;
# it bounds the cost of each merge (quadratic in group size).
MAX_GROUP = 64
# A chain of linked reports still growing this long after its first report is cut there
# (see GroupStream): it bounds the memory of grouping.
HORIZON = pd.Timedelta(days=7)
# Grouping starts afresh at the turn of each period of this many days (counted from
# 1970-01-01): periods are independent, so an engine may group them in parallel.
EPOCH_DAYS = 91
DAY_NS = pd.Timedelta(days=1).value
SIX_HOURS_NS = pd.Timedelta(hours=6).value
CLOSE = pd.Timedelta(hours=1)
NEAR = pd.Timedelta(hours=6)
MAX_NEIGHBOURS = 100
# Reports compared with each new one at most: those sharing the most specific evidence.
# A group holds MAX_GROUP reports at most, so a report needs no more partners than that; it
# bounds the work per report on days when hundreds of reports name the same town.
MAX_CANDIDATES = MAX_GROUP
# How much specific shared evidence a pair needs, by how far apart it was published.
BAR_CLOSE, BAR_NEAR, BAR_FAR = 3.0, 4.0, 6.0

# Weight of a shared entity by how much it narrows the happening down. States and
# regions are named by nearly every report of a conflict and weigh little; a capital
# often stands for its government ("Moscow said") and weighs less than a town.
TYPE_WEIGHT = {"person": 3.0, "organisation": 2.0, "state": 0.0}
PLACE_WEIGHT = {"region": 0.0, "capital": 1.0}
SETTLEMENT_WEIGHT = 3.0
SIDE_TYPES = frozenset({"state", "organisation"})
COARSE_PRECISIONS = frozenset({"day", "week", "month", "year"})
NUMBER_WEIGHT = 1.5
NAME_WEIGHT = 1.0

# Digits with optional thousands or decimal separators, not glued to letters or hyphens:
# "1,235" and "3,5" count, "S-300", "Il-76" and "F-16" (model names) do not.
NUMBER = re.compile(r"(?<![\w\-.,])(\d{1,3}(?:[.,  ]\d{3})+|\d+(?:[.,]\d+)?)(?![\w\-])")
NAME = re.compile(r"\b[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]{3,}")
YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class Profile:
    """What one report offers as evidence."""

    start: pd.Timestamp
    day_only: bool
    entities: dict[str, float]
    settlements: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]
    happening: frozenset[str]
    denies: bool
    sides: frozenset[str]  # states and organisations named: the parties to a dispute


@dataclass(frozen=True)
class Evidence:
    gap: int  # nanoseconds apart
    coarse: bool  # one of the two is dated to the day only
    specific: float  # weight of shared people, organisations, towns, numbers and names
    shared: int  # shared actors and places of any kind
    numbers: int
    names: int
    conflict: str


@cache
def _cue_matcher() -> Matcher:
    cues = vocab.cues()
    entries = [(w, Tag("denial", "denial")) for w in cues.denial]
    for kind, words in cues.happenings.items():
        entries += [(w, Tag("happening", kind)) for w in words]
    return Matcher(entries)


@cache
def _known_name_keys() -> frozenset[str]:
    """Skeletons of every alias word: names the entity matcher already weighs."""
    words = [w for a in vocab.actors() for alias in a.aliases for w in re.split(r"[\s'-]+", alias)]
    words += [w for p in vocab.places() for alias in p.aliases for w in re.split(r"[\s'-]+", alias)]
    return frozenset(name_key(w) for w in words if w)


@lru_cache(maxsize=1 << 16)
def name_key(word: str) -> str:
    """A spelling skeleton that German, French and English transliterations share."""
    key = vocab.fold(word).strip("'’-")
    for old, new in (("tsch", "ch"), ("dsch", "j"), ("sch", "sh"), ("kh", "h"), ("dj", "j"),
                     ("zh", "j"), ("ou", "u"), ("w", "v"), ("j", "y"), ("ck", "k"), ("ph", "f")):
        key = key.replace(old, new)
    key = re.sub(r"(.)\1", r"\1", key)  # doubled letters: "Hassanow" = "Hasanov"
    return key.removesuffix("'s").removesuffix("s")


def _numbers(text: str) -> frozenset[str]:
    out = set()
    for raw in NUMBER.findall(text):
        digits = raw.replace(" ", "").replace(" ", "")
        # "1,235" / "1.235" (thousands) -> 1235; "3,5" / "3.5" (decimal) -> 3.5
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+", digits):
            digits = re.sub(r"[.,]", "", digits)
        value = digits.replace(",", ".")
        if YEAR.match(value) or value in {"0", "1"}:
            continue  # years and "one" are in every other report
        out.add(value.rstrip("0").rstrip(".") if "." in value else value)
    return frozenset(out)


def _names(title: str, text: str) -> frozenset[str]:
    known = _known_name_keys()
    out = set()
    for chunk in (title, text):
        for sentence in re.split(r"(?<=[.!?:])\s+|\n+", chunk):
            # The first word of a sentence is capitalised in every language: not a name.
            for m in NAME.finditer(sentence):
                if m.start() == 0 or not sentence[:m.start()].strip(" \"“„‚'‘«"):
                    continue
                key = name_key(m.group())
                if len(key) >= 4 and key not in known:
                    out.add(key)
    return frozenset(out)


def profile(row: pd.Series | dict) -> Profile:
    """Evidence of one report (row with title, text, start, precision, actors, places)."""
    kinds = _place_kinds()
    types = actor_types()
    entities: dict[str, float] = {}
    for actor in row["actors"]:
        entities[f"a:{actor}"] = TYPE_WEIGHT.get(types.get(actor, ""), 1.0)
    settlements = set()
    for place in row["places"]:
        kind = kinds.get(place, "")
        entities[f"p:{place}"] = PLACE_WEIGHT.get(kind, SETTLEMENT_WEIGHT)
        if kind not in PLACE_WEIGHT:
            settlements.add(place)
    numbers, names, happening, denies = _text_evidence(str(row["title"]), str(row["text"]))
    return Profile(
        start=pd.Timestamp(row["start"]),
        day_only=str(row.get("precision")) in COARSE_PRECISIONS,
        entities=entities,
        settlements=frozenset(settlements),
        numbers=numbers,
        names=names,
        happening=happening,
        denies=denies,
        sides=frozenset(a for a in row["actors"] if types.get(a) in SIDE_TYPES),
    )


# Wire copies and syndicated reports repeat a text word for word, usually close together:
# a small cache reads each once. Bounded, so memory stays flat.
@lru_cache(maxsize=4096)
def _text_evidence(title: str, text: str) -> tuple[frozenset[str], frozenset[str],
                                                   frozenset[str], bool]:
    """(numbers, names, happenings told, denies) of a report's title and text."""
    matcher = _cue_matcher()
    tags = [t for m in matcher.find(f"{title}\n{text}") for t in m.tags]
    kinds_told = _happenings(matcher, title) or _happenings(matcher, _first_sentence(text))
    return (_numbers(f"{title}\n{text}"), _names(title, text), kinds_told,
            any(t.role == "denial" for t in tags))


def _happenings(matcher: Matcher, text: str) -> frozenset[str]:
    return frozenset(t.name for m in matcher.find(text) for t in m.tags if t.role == "happening")


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]


@cache
def _place_kinds() -> dict[str, str]:
    return {p.canonical: p.kind for p in vocab.places()}


def evidence(a: Profile, b: Profile) -> Evidence:
    ta, tb = a.start.value, b.start.value  # nanoseconds: Timestamp arithmetic is slow here
    gap = abs(ta - tb)
    coarse = a.day_only or b.day_only
    if coarse and ta // DAY_NS == tb // DAY_NS:
        gap = 0  # the same day; how close within it, nobody knows
    shared = a.entities.keys() & b.entities.keys()
    numbers, names = len(a.numbers & b.numbers), len(a.names & b.names)
    specific = sum(a.entities[k] for k in shared) + NUMBER_WEIGHT * numbers + NAME_WEIGHT * names
    conflict = ""
    if a.happening and b.happening and not a.happening & b.happening:
        conflict = "happening"
    elif a.settlements and b.settlements and not a.settlements & b.settlements:
        conflict = "places"
    return Evidence(gap, coarse, specific, len(shared), numbers, names, conflict)


def _conflicting(a: Profile, b: Profile) -> bool:
    """``evidence(a, b).conflict``, without the rest of the evidence."""
    return bool((a.happening and b.happening and a.happening.isdisjoint(b.happening))
                or (a.settlements and b.settlements and a.settlements.isdisjoint(b.settlements)))


def same_happening(ev: Evidence) -> bool:
    """The pair rule: no conflict, and enough specific evidence for the time apart."""
    if ev.conflict or ev.gap > WINDOW.value:
        return False
    if ev.coarse:
        return ev.specific >= BAR_FAR  # a report dated to the day could be hours away
    if ev.gap <= CLOSE.value:
        return ev.specific >= BAR_CLOSE
    if ev.gap <= NEAR.value:
        return ev.specific >= BAR_NEAR
    return ev.specific >= BAR_FAR


def _keys(p: Profile) -> dict[str, float]:
    """The evidence keys a pair must share to reach any bar (weightless entities aside),
    each with what it adds to ``Evidence.specific``."""
    keys = {k: w for k, w in p.entities.items() if w > 0}
    keys.update((f"n:{n}", NUMBER_WEIGHT) for n in p.numbers)
    keys.update((f"m:{m}", NAME_WEIGHT) for m in p.names)
    return keys


class Blocker:
    """Candidate partners of each new report among the earlier ones (reports come in time
    order): those within ``window`` that share a specific key with it.

    Blocking on shared keys loses no linked pair (every bar needs shared specific evidence)
    and keeps the work near-linear where a plain time window would not: on a busy day every
    report is within a day of every other. A key that hundreds of reports share within a day
    (a town on a day of heavy fighting) offers only its last MAX_NEIGHBOURS holders, and of
    all candidates only the MAX_CANDIDATES sharing the most evidence are kept (the most
    recent first on a tie).
    Memory is what the window holds: ``sweep`` drops keys nobody has used within it.
    """

    def __init__(self, window: pd.Timedelta = WINDOW) -> None:
        self.window = window.value
        self._postings: dict[str, deque[tuple[int, int]]] = {}

    def add(self, pos: int, p: Profile, alive: Container[int] | None = None) -> list[int]:
        """Earlier positions to compare with ``pos`` (ascending; only those in ``alive``, when
        given); then ``pos`` is posted."""
        now = p.start.value
        found: list[int] = []
        weights: list[float] = []
        for key, weight in _keys(p).items():
            holders = self._postings.get(key)
            if holders is None:
                holders = self._postings[key] = deque(maxlen=MAX_NEIGHBOURS)
            while holders and now - holders[0][1] > self.window:
                holders.popleft()
            if holders:
                found.extend(i for i, _ in holders)
                weights.extend([weight] * len(holders))
            holders.append((pos, now))
        if not found:
            return []
        # weights are multiples of 0.5: sums are exact whatever the order of adding
        held, weight = np.array(found, dtype=np.int64), np.array(weights)
        if alive is not None:  # settled reports take no candidate's place
            keep = np.fromiter((i in alive for i in found), bool, len(found))
            held, weight = held[keep], weight[keep]
        candidates, at = np.unique(held, return_inverse=True)
        if len(candidates) > MAX_CANDIDATES:
            shared = np.bincount(at, weights=weight)
            best = np.lexsort((-candidates, -shared))[:MAX_CANDIDATES]
            candidates = np.sort(candidates[best])
        return candidates.tolist()

    def sweep(self, now: pd.Timestamp) -> None:
        """Forget keys whose last holder is out of the window of ``now``."""
        limit = now.value - self.window
        for key in [k for k, h in self._postings.items() if h[-1][1] < limit]:
            del self._postings[key]


def candidate_pairs(profiles: Sequence[Profile], window: pd.Timedelta = WINDOW):
    """Index pairs (i < j) within window that share a specific key (see ``Blocker``)."""
    order = sorted(range(len(profiles)), key=lambda i: profiles[i].start)
    blocker = Blocker(window)
    for pos, j in enumerate(order):
        for earlier in blocker.add(pos, profiles[j]):
            i = order[earlier]
            yield (i, j) if i < j else (j, i)


def _cluster(n: int, links: dict[tuple[int, int], float],
             conflict: Callable[[int, int], bool]) -> list[int]:
    """Average-linkage agglomeration over linked pairs; returns a cluster label per item.

    Two clusters merge, strongest link first, when at least half of their cross pairs are
    links and no cross pair is a conflict: a chain A-B, B-C with A and C unrelated cannot
    pull A and C into one group.
    """
    label = list(range(n))
    members = {i: [i] for i in range(n)}
    # links between two clusters, kept up to date as they merge: the half-links test then
    # costs one lookup, not a pass over every cross pair
    between: dict[int, dict[int, int]] = {i: {} for i in range(n)}
    for i, j in links:
        between[i][j] = between[j][i] = 1
    # ties broken by position, never by set or dict order: the same input groups the same
    # way whatever the hash seed
    for (i, j), _ in sorted(links.items(), key=lambda kv: (-kv[1], kv[0])):
        a, b = label[i], label[j]
        if a == b or len(members[a]) + len(members[b]) > MAX_GROUP:
            continue
        if between[a].get(b, 0) * 2 < len(members[a]) * len(members[b]):
            continue
        # a linked pair is never a conflict, so every cross pair can be asked
        if any(conflict(x, y) for x in members[a] for y in members[b]):
            continue
        for x in members[b]:
            label[x] = a
        members[a] += members.pop(b)
        to_a, to_b = between[a], between.pop(b)
        del to_a[b], to_b[a]
        for c, count in to_b.items():
            to_a[c] = to_a.get(c, 0) + count
            to_c = between[c]
            to_c[a] = to_c.get(a, 0) + to_c.pop(b)
    return label


def _score(ev: Evidence) -> float:
    """Merge order: the strongest, closest pairs first."""
    return ev.specific + 0.1 * ev.shared - ev.gap / SIX_HOURS_NS


def group_id(member_ids: Sequence[str]) -> str:
    """Stable id of a group: the same members give the same id, run after run."""
    return "g" + hashlib.sha1("\x00".join(sorted(member_ids)).encode()).hexdigest()[:12]


Marks = dict[str, tuple[str, bool]]  # event_id -> (group_id, disputed)
Item = tuple[tuple, str, "Profile"]  # (canonical order key, event_id, evidence profile)
Mark = tuple[str, str, bool]  # (event_id, group_id, disputed)


REPORT_COLUMNS = ["event_id", "doc", "char_start", "title", "text", "start", "precision",
                  "actors", "places"]


def keyed_profiles(reports: pd.DataFrame) -> list[Item]:
    """(canonical order key, event_id, evidence profile) per report row: all that grouping
    keeps of a report, so streaming engines need not hold its text."""
    return [((r["start"], r["doc"], r["char_start"]), r["event_id"], profile(r))
            for r in reports[REPORT_COLUMNS].to_dict("records")]


def item_to_json(item: Item) -> list:
    """A keyed profile as plain JSON values, for a spool between two passes."""
    (start, doc, char_start), event_id, p = item
    return [int(start.value), doc, int(char_start), event_id, p.day_only, p.entities,
            sorted(p.settlements), sorted(p.numbers), sorted(p.names), sorted(p.happening),
            p.denies, sorted(p.sides)]


def item_from_json(v: list) -> Item:
    start = pd.Timestamp(v[0])
    profile = Profile(start, v[4], v[5], frozenset(v[6]), frozenset(v[7]), frozenset(v[8]),
                      frozenset(v[9]), v[10], frozenset(v[11]))
    return (start, v[1], v[2]), v[3], profile


def assignments(items: Iterable[Item]) -> Marks:
    """Group ids and disputed flags from keyed profiles; reports without duplicates are left
    out. Items are taken in canonical order, so ties break the same way in every engine,
    whatever order the rows arrived in."""
    stream = GroupStream()
    marks: Marks = {}
    for item in sorted(items, key=lambda t: t[0]):
        marks.update((i, (g, d)) for i, g, d in stream.add(item))
    marks.update((i, (g, d)) for i, g, d in stream.close())
    return marks


class GroupStream:
    """Duplicate groups and disputes over reports fed in canonical (time) order, settled as
    soon as nothing later can change them.

    A report links only to reports within WINDOW of it, and a disputed set joins only
    reports of one day, so a *component* (reports connected by links or by a shared town on
    one day) is final once a report arrives more than WINDOW after its newest member: it is
    then clustered, its marks handed out and its reports forgotten. Memory follows what one
    window holds, not the corpus. A component still open HORIZON after its first report (a
    chain of linked happenings, day after day) is settled then, and later reports start
    afresh; so is everything open at the turn of a period of EPOCH_DAYS, which makes the
    periods independent of each other. The cuts depend on the reports only, so every engine
    makes the same ones.
    """

    def __init__(self) -> None:
        self._blocker = Blocker()
        self._items: dict[int, Item] = {}  # open reports by position
        self._parent: dict[int, int] = {}
        self._members: dict[int, list[int]] = {}  # component root -> positions
        self._first: dict[int, int] = {}  # root -> start of its first report (ns)
        self._last: dict[int, int] = {}  # root -> start of its newest report (ns)
        self._links: dict[int, list[tuple[int, float]]] = {}  # i -> [(later j, score)]
        self._due: list[tuple[int, int]] = []  # heap of (last, root), stale entries skipped
        self._old: list[tuple[int, int]] = []  # heap of (first, root)
        self._same_day: dict[tuple[int, str], int] = {}
        self._previous: tuple | None = None
        self._day: int | None = None
        self._next = 0
        self.settled = 0  # components settled
        self.cut = 0  # of them, settled at the horizon while still open

    def add(self, item: Item) -> list[Mark]:
        """Take the next report; returns the marks of the components it made final."""
        key, _, p = item
        if self._previous is not None and key < self._previous:
            raise ValueError("reports must come in canonical order (start, doc, char_start)")
        self._previous = key
        now = p.start.value
        out = self._settle_due(now)
        day = now // DAY_NS
        if day != self._day:
            if self._day is not None and epoch_of(day) != epoch_of(self._day):
                # a new period starts as a new stream would: nothing of the last one left
                out += self.close()
                self._blocker = Blocker()
            self._day = day
            self._blocker.sweep(p.start)
            self._same_day = {k: v for k, v in self._same_day.items() if k[0] == day}
        pos = self._next
        self._next += 1
        self._items[pos] = item
        self._parent[pos] = pos
        self._members[pos] = [pos]
        self._first[pos] = self._last[pos] = now
        heapq.heappush(self._old, (now, pos))
        for i in self._blocker.add(pos, p, self._items):  # open reports only
            ev = evidence(self._items[i][2], p)
            if same_happening(ev):
                self._links.setdefault(i, []).append((pos, _score(ev)))
                self._union(i, pos)
        kinds = _place_kinds()
        for place in sorted(p.settlements):
            if kinds.get(place) == "capital":
                continue
            other = self._same_day.get((day, place))
            if other is None or other not in self._items:
                self._same_day[(day, place)] = pos
            else:
                self._union(other, pos)
        heapq.heappush(self._due, (now, self._find(pos)))
        return out

    def close(self) -> list[Mark]:
        """Settle every open component: the end of the reports, or of a period."""
        out: list[Mark] = []
        for root in sorted(self._members, key=lambda r: min(self._members[r])):
            out += self._settle(root)
        self._due.clear()
        self._old.clear()
        return out

    def _find(self, x: int) -> int:
        parent = self._parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def _union(self, x: int, y: int) -> None:
        a, b = self._find(x), self._find(y)
        if a == b:
            return
        if len(self._members[a]) < len(self._members[b]):
            a, b = b, a
        self._parent[b] = a
        self._members[a] += self._members.pop(b)
        self._last[a] = max(self._last[a], self._last.pop(b))
        first = self._first.pop(b)
        if first < self._first[a]:  # else a's entry in the heap still holds
            self._first[a] = first
            heapq.heappush(self._old, (first, a))

    def _settle_due(self, now: int) -> list[Mark]:
        out: list[Mark] = []
        while self._due and self._due[0][0] < now - WINDOW.value:
            last, root = heapq.heappop(self._due)
            if self._last.get(root) == last:  # a root still open, not since grown
                out += self._settle(root)
        while self._old and self._old[0][0] < now - HORIZON.value:
            first, root = heapq.heappop(self._old)
            if self._first.get(root) == first:
                self.cut += 1
                out += self._settle(root)
        return out

    def _settle(self, root: int) -> list[Mark]:
        """Cluster one component and forget it."""
        positions = sorted(self._members.pop(root))
        del self._first[root], self._last[root]
        local = {pos: n for n, pos in enumerate(positions)}
        links: dict[tuple[int, int], float] = {}
        for pos in positions:
            for j, score in self._links.pop(pos, ()):
                links[(local[pos], local[j])] = score
            del self._parent[pos]
        items = [self._items.pop(pos) for pos in positions]
        self.settled += 1
        if len(items) < 2:
            return []
        return _marks([i for _, i, _ in items], [p for _, _, p in items], links)


def epoch_of(day: int) -> int:
    """The grouping period of a day (days since 1970-01-01)."""
    return day // EPOCH_DAYS


def _marks(ids: Sequence[str], profiles: Sequence[Profile],
           links: dict[tuple[int, int], float]) -> list[Mark]:
    """Marks of one settled component: its groups (average linkage over its links) and its
    disputed sets."""

    def conflict(i: int, j: int) -> bool:
        return _conflicting(profiles[i], profiles[j])

    by_label: dict[int, list[int]] = {}
    for pos, lab in enumerate(_cluster(len(profiles), links, conflict)):
        by_label.setdefault(lab, []).append(pos)
    groups = [positions for positions in by_label.values() if len(positions) > 1]
    marks: dict[str, tuple[str, bool]] = {}
    for positions in groups:
        gid = group_id([ids[p] for p in positions])
        marks.update({ids[p]: (gid, False) for p in positions})
    for positions in disputed_sets(profiles, groups):
        marks.update({ids[p]: (marks.get(ids[p], ("", False))[0], True) for p in positions})
    return [(i, g, d) for i, (g, d) in marks.items()]


def assign_groups(events: pd.DataFrame) -> pd.DataFrame:
    """A copy of events with ``group_id`` and ``disputed`` filled.

    Reports of one happening share a group id; a report with no duplicate, and every
    mention, keeps ''. ``disputed`` marks reports whose happening is contested (see
    ``disputed_sets``).
    """
    out = events.copy()
    is_report = (out["kind"] == "report") & out["start"].notna()
    marks = assignments(keyed_profiles(out[is_report]))
    found = [marks.get(i, ("", False)) for i in out["event_id"]]
    out["group_id"] = pd.Series([g for g, _ in found], index=out.index, dtype="str")
    out["disputed"] = pd.Series([d for _, d in found], index=out.index, dtype="bool")
    return out


def disputed_sets(profiles: Sequence[Profile], groups: Sequence[Sequence[int]]) -> list[list[int]]:
    """Sets of reports (positions) that tell one happening in contradicting versions.

    A set is a duplicate group, or reports of the same day naming the same town (not a
    capital, not a region), joined together. It is disputed when a member reports a
    denial ("refuted", "dementiert", "démenti", "does not reflect the truth") and the set
    names at least two sides (states or organisations). Outside a duplicate group the
    denial must also stand beside a report that carries none: the other version.
    """
    parent = list(range(len(profiles)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: int, y: int) -> None:
        parent[find(x)] = find(y)

    in_group = [-1] * len(profiles)
    for g, positions in enumerate(groups):
        for p in positions:
            in_group[p] = g
            union(p, positions[0])
    kinds = _place_kinds()
    same_day: dict[tuple[pd.Timestamp, str], int] = {}
    for i, p in enumerate(profiles):
        for place in p.settlements:
            if kinds.get(place) == "capital":
                continue
            key = (p.start.normalize(), place)
            if key in same_day:
                union(i, same_day[key])
            else:
                same_day[key] = i
    sets: dict[int, list[int]] = {}
    for i in range(len(profiles)):
        sets.setdefault(find(i), []).append(i)
    out = []
    for members in sets.values():
        if len(members) < 2:
            continue
        one_group = len({in_group[m] for m in members}) == 1 and in_group[members[0]] >= 0
        if is_disputed([profiles[m] for m in members], one_group):
            out.append(members)
    return out


def is_disputed(members: Sequence[Profile], one_group: bool = True) -> bool:
    """A denial among members that name two sides; outside one group, also a non-denial."""
    if not any(p.denies for p in members):
        return False
    if len(set().union(*(p.sides for p in members))) < 2:
        return False
    return one_group or any(not p.denies for p in members)
