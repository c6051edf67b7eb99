"""Pure filters and aggregations over the event table: what the explorer shows, never how.

Every function takes a dataframe conforming to ``app.schema`` (optionally ``prepare``d, which
adds the derived columns ``span_start``, ``span_end`` and ``at`` once, and builds an index of
facet codes and search words for it) and returns plain pandas objects. Nothing here knows about
Dash or Plotly.
"""

from __future__ import annotations

import os
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, count

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from app.export import to_spreadsheet_csv
from app.schema import COLUMNS, LIST_COLUMNS

# Columns a reader can facet on or lay out lanes by, in the order they are offered.
FACET_COLUMNS = ("source", "language", "kind", "actors", "places")
NONE_VALUE = ""  # the facet value of an event with no source / no actor / ...

# Precision -> numpy unit its uncertainty span is floored to (minute is treated as a point).
_PRECISION_UNIT = {"hour": "h", "day": "D", "week": "W", "month": "M", "year": "Y"}
# Bin sizes for counts, from fine to coarse: (pandas-ish name, approximate length).
BIN_SIZES = (
    ("minute", pd.Timedelta(minutes=1)),
    ("hour", pd.Timedelta(hours=1)),
    ("day", pd.Timedelta(days=1)),
    ("week", pd.Timedelta(days=7)),
    ("month", pd.Timedelta(days=30.44)),
    ("year", pd.Timedelta(days=365.25)),
)
DERIVED = ("span_start", "span_end", "at")
POINT = pd.Timedelta(minutes=1)  # spans up to this long are drawn as points, not bands


@dataclass
class Filters:
    """What the reader narrowed the table to. An empty facet selection means "all values".

    ``start``/``end`` is the time window in view; an event is in it when its uncertainty span
    overlaps the window.
    """

    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    background: bool = False
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    text: str = ""

    def without_window(self) -> Filters:
        return Filters(dict(self.facets), self.background, None, None, self.text)

    def is_default(self) -> bool:
        return self == Filters()


# --- derived columns ---------------------------------------------------------------------------

def prepare(df: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns the explorer needs, once per corpus (cheap to query afterwards).

    The prepared frame also gets an index of arrays (facet codes, spans as integers, a word
    index for search) that filters and counts use; treat the frame as read-only afterwards.
    """
    if all(c in df.columns for c in ("span_start", "span_end", "at")):
        return df  # prepared (a slim prepared frame may lack the search text)
    out = df.copy()
    # facet columns as categories: filtering and counting a million rows stays cheap
    for col in ("source", "language"):
        out[col] = out[col].astype("category")
    lo, hi = uncertainty_span(out)
    out["span_start"] = lo
    out["span_end"] = hi
    # a marker sits in the middle of what it could be; a minute is a point
    out["at"] = (lo + (hi - lo) / 2).where(hi - lo > POINT, lo)
    # kept in time order, so a selection (a boolean mask) needs no sort
    out = sort_events(out).reset_index(drop=True)
    _register(out, EventIndex(out, text=True))
    # Arrow keeps freed buffers in its pool: hand what building the index used back
    pa.default_memory_pool().release_unused()
    return out


def uncertainty_span(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The interval each event could lie in: its precision unit (a day, a month...) or its range.

    A minute-precision event is a point; an hour/day/week/month/year one spans that unit; an
    explicit range (``end`` after the span of ``start``) reaches to ``end``.
    """
    start = df["start"]
    lo = start.copy()
    hi = start.copy()
    precision = df["precision"].astype("str")
    values = start.to_numpy(dtype="datetime64[ns]")
    for name, unit in _PRECISION_UNIT.items():
        sel = (precision == name).to_numpy()
        if not sel.any():
            continue
        v = values[sel]
        if unit == "W":
            # numpy weeks start on Thursday; a stated week starts on its own first day
            floor = v.astype("datetime64[D]")
            upper = floor + np.timedelta64(7, "D")
        else:
            floor = v.astype(f"datetime64[{unit}]")
            upper = floor + np.timedelta64(1, unit)
        lo.iloc[np.flatnonzero(sel)] = floor.astype("datetime64[ns]")
        hi.iloc[np.flatnonzero(sel)] = upper.astype("datetime64[ns]")
    end = df["end"]
    longer = end.notna() & (end > hi)
    hi = hi.where(~longer, end)
    return lo, hi


# --- the index: arrays derived once per prepared table -----------------------------------------

_NAT = np.iinfo(np.int64).min  # how numpy stores NaT in int64
_TEXT_CACHE = 256  # words whose matches a text index keeps (a packed bit per event each)
_WHOLE_CACHE = 64  # whole-table counts an index keeps (per function, bin size and column)
_WHOLE_SPACE = 1 << 20  # most combinations a whole-table count may have (8 MiB of counts)
_RECENT_MASKS = 4  # filter sets whose masks an index keeps


def _text_columns(df: pd.DataFrame) -> pd.Series:
    """What search looks in: headline, excerpt and date expression, lower-cased."""
    parts = [df[c].astype("str") for c in ("title", "text", "evidence") if c in df.columns]
    if not parts:
        return pd.Series([""] * len(df), index=df.index, dtype="str")
    hay = parts[0]
    for p in parts[1:]:
        hay = hay + "\n" + p
    return hay.str.lower()


class FacetCodes:
    """One facet column as integer codes: ``values[code]`` is the value.

    For a list column every (event, value) pair is one entry, ``rows`` naming its event; an
    empty list counts as the value ``NONE_VALUE``. ``total`` counts each value in the table.
    """

    def __init__(self, column: pd.Series) -> None:
        n = len(column)
        self.is_list = column.name in LIST_COLUMNS
        if self.is_list:
            lists = [v if len(v) else (NONE_VALUE,) for v in column.tolist()]
            lengths = np.fromiter(map(len, lists), dtype=np.int64, count=n)
            flat = np.empty(int(lengths.sum()), dtype=object)
            flat[:] = list(chain.from_iterable(lists))
            codes, uniques = pd.factorize(flat)
            self.rows: np.ndarray | None = np.repeat(np.arange(n, dtype=np.int64), lengths)
            self.starts = np.zeros(n + 1, dtype=np.int64)  # each event's first pair
            np.cumsum(lengths, out=self.starts[1:])
            self.values = np.asarray(uniques, dtype=object)
        elif isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.cat.codes.to_numpy()
            self.rows = None
            self.values = np.array([str(c) for c in column.cat.categories], dtype=object)
        else:
            codes, uniques = pd.factorize(column.astype("str").to_numpy(dtype=object))
            self.rows = None
            self.values = np.asarray(uniques, dtype=object)
        self.codes = np.asarray(codes).astype(np.int32, copy=False)
        self.total = np.bincount(self.codes[self.codes >= 0], minlength=len(self.values))
        # rank by value, for a stable tie-break when ordering counts
        self.alpha = np.argsort(np.argsort(self.values.astype(str), kind="stable"))
        self._lookup = {v: i for i, v in enumerate(self.values)}

    def take(self, positions: np.ndarray) -> FacetCodes:
        """The codes of the events at ``positions`` (a list column's pairs gathered, not
        exploded again); values and their order stay those of the whole table."""
        out = object.__new__(FacetCodes)
        out.is_list, out.values, out.alpha, out._lookup = (
            self.is_list, self.values, self.alpha, self._lookup)
        if self.rows is None:
            out.rows, out.codes = None, self.codes[positions]
        else:
            lo, hi = self.starts[positions], self.starts[positions + 1]
            out.codes = self.codes[_ranges(lo, hi)]
            out.rows = np.repeat(np.arange(len(positions), dtype=np.int64), hi - lo)
            out.starts = np.zeros(len(positions) + 1, dtype=np.int64)
            np.cumsum(hi - lo, out=out.starts[1:])
        out.total = np.bincount(out.codes[out.codes >= 0], minlength=len(out.values))
        return out

    def mask(self, wanted: Iterable[str], n: int) -> np.ndarray:
        """Events holding any of ``wanted``."""
        table = np.zeros(len(self.values) + 1, dtype=bool)  # the extra slot is code -1
        for v in wanted:
            i = self._lookup.get(v)
            if i is not None:
                table[i] = True
        hit = table[self.codes]
        if self.rows is None:
            return hit
        out = np.zeros(n, dtype=bool)
        out[self.rows[np.flatnonzero(hit)]] = True
        return out

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """Count per value among the events in ``mask``."""
        if 2 * np.count_nonzero(mask) > len(mask):
            # most events selected (the default view): count the few left out instead
            return self.total - self.counts(~mask)
        keep = mask[self.rows] if self.rows is not None else mask
        # positions, not the mask: indexing by a scattered boolean mask costs several times more
        codes = self.codes[np.flatnonzero(keep)]
        return np.bincount(codes[codes >= 0], minlength=len(self.values))

    def ordered(self, counts: np.ndarray) -> pd.Series:
        """Counts in a fixed order: most frequent in the table first, then by value. The
        order never follows the selection, so a value stays where the pointer found it."""
        order = np.lexsort((self.alpha, -self.total))
        return pd.Series(counts[order].astype("int64"), index=pd.Index(self.values[order],
                                                                       dtype=object))


class TextIndex:
    """Search over the lower-cased text, by way of its words.

    A query word holds no whitespace, so each place it occurs lies inside one run of
    non-whitespace characters (a token): the events containing it are the union of the
    postings of the tokens that contain it. Scanning the distinct tokens is far cheaper than
    scanning every event's text. Results are kept per word, packed to a bit per event.
    """

    def __init__(self, haystack: pd.Series) -> None:
        self.n = len(haystack)
        tokens = pc.utf8_split_whitespace(pa.array(haystack.astype("str").array))
        rows = pc.list_parent_indices(tokens).to_numpy()
        encoded = pc.dictionary_encode(pc.list_flatten(tokens))
        self.vocabulary = encoded.dictionary
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        order = np.argsort(codes)  # any order of rows within a token will do
        self.postings = rows[order].astype(np.int32 if self.n < 2**31 else np.int64)
        self.starts = np.zeros(len(self.vocabulary) + 1, dtype=np.int64)
        np.cumsum(np.bincount(codes, minlength=len(self.vocabulary)), out=self.starts[1:])
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def word_mask(self, word: str) -> np.ndarray:
        """Events whose text contains ``word`` (lower-cased already)."""
        with self._lock:  # callbacks run in threads
            packed = self._cache.get(word)
            if packed is not None:
                self._cache.move_to_end(word)
        if packed is not None:
            return np.unpackbits(packed, count=self.n).astype(bool)
        mask = np.zeros(self.n, dtype=bool)
        if len(self.vocabulary):
            hit = np.flatnonzero(pc.match_substring(self.vocabulary, word).to_numpy(
                zero_copy_only=False))
            if len(hit):
                mask[self.postings[_ranges(self.starts[hit], self.starts[hit + 1])]] = True
        with self._lock:
            self._cache[word] = np.packbits(mask)
            if len(self._cache) > _TEXT_CACHE:
                self._cache.popitem(last=False)
        return mask

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()


def _sorted_ids(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(the ids as fixed-width bytes in sorted order, the position of each): 16 bytes an
    event for 16-character ids, compared in C by numpy."""
    ids = pa.array(column.astype("str").array)
    if isinstance(ids, pa.ChunkedArray):
        ids = ids.combine_chunks()
    ids = ids.cast(pa.large_binary())
    n = len(ids)
    lengths = pc.binary_length(ids).to_numpy(zero_copy_only=False) if n else np.zeros(0)
    width = max(int(lengths.max()) if n else 1, 1)
    if n and ids.null_count == 0 and (lengths == width).all():
        # every id as long as the widest: the data buffer already is the fixed-width array
        offsets = np.frombuffer(ids.buffers()[1], dtype=np.int64)[ids.offset:ids.offset + n + 1]
        data = np.frombuffer(ids.buffers()[2], dtype=f"S{width}", count=n,
                             offset=int(offsets[0]))
    else:
        data = np.array([v or b"" for v in ids.to_pylist()], dtype=f"S{width}")
    order = np.argsort(data, kind="stable")
    return data[order], order.astype(np.int32 if n < 2**31 else np.int64)


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(start, stop)`` for each pair, without a Python loop."""
    lengths = stops - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    return np.arange(total, dtype=np.int64) - np.repeat(ends - lengths - starts, lengths)


class EventIndex:
    """Arrays derived from an event table, so a filter or a count is a few numpy operations.

    Built once by ``prepare`` for the table it returns (the word index in a background
    thread); for any other frame it is built when needed, each part on first use.
    """

    def __init__(self, df: pd.DataFrame, *, text: bool = False) -> None:
        self.n = len(df)
        self._df = weakref.ref(df)
        self.dated = df["start"].notna().to_numpy()
        self.background = df["background"].to_numpy(dtype=bool)
        lo, hi = ((df["span_start"], df["span_end"]) if "span_start" in df.columns
                  else uncertainty_span(df))
        self.lo = lo.to_numpy(dtype="datetime64[ns]").view(np.int64)
        self.hi = hi.to_numpy(dtype="datetime64[ns]").view(np.int64)
        self._facets: dict[str, FacetCodes] = {}
        self._text: TextIndex | None = None
        self._text_lock = threading.Lock()
        self._whole: dict[tuple, tuple | None] = {}
        self._whole_lock = threading.Lock()
        # the masks of the last few filter sets: one view asks for its mask, its facet counts
        # and its background count, each under the same filters
        self._recent: OrderedDict[tuple, dict[str, np.ndarray]] = OrderedDict()
        self._ids: tuple[np.ndarray, np.ndarray] | None = None  # sorted ids, their positions
        self._ids_lock = threading.Lock()
        if text:
            for column in FACET_COLUMNS:
                if column in df.columns:
                    self.facet(column)
            # the word index takes seconds at a million events: build it while the app
            # starts; the first search waits for it if it comes sooner
            threading.Thread(target=self._build_text, daemon=True).start()

    def _frame(self) -> pd.DataFrame:
        df = self._df()
        if df is None:
            raise RuntimeError("the indexed table is gone")
        return df

    def facet(self, column: str) -> FacetCodes:
        if column not in self._facets:
            self._facets[column] = FacetCodes(self._frame()[column])
        return self._facets[column]

    def text_index(self) -> TextIndex:
        with self._text_lock:
            if self._text is None:
                self._text = TextIndex(_text_columns(self._frame()))
            return self._text

    def _build_text(self) -> None:
        try:
            self.text_index()
            self.positions_of([])  # the id lookup too, while nobody waits
        except RuntimeError:
            return  # the table was dropped before its index was needed
        # Arrow keeps freed buffers in its pool: hand what the tokens used back
        pa.default_memory_pool().release_unused()

    def positions_of(self, ids: Sequence[str]) -> np.ndarray:
        """The position of each event id in the table, -1 where there is none (the first
        where an id repeats). A binary search in a sorted copy of the ids, made on first use:
        a scan of a million ids for a few hundred costs tens of milliseconds."""
        with self._ids_lock:
            if self._ids is None:
                self._ids = _sorted_ids(self._frame()["event_id"])
            ordered, positions = self._ids
        wanted = [str(i).encode() for i in ids]
        width = ordered.dtype.itemsize
        fits = np.array([len(w) <= width and not w.endswith(b"\0") for w in wanted], dtype=bool)
        keys = np.array([w if ok else b"" for w, ok in zip(wanted, fits, strict=True)],
                        dtype=ordered.dtype)
        at = np.searchsorted(ordered, keys)
        found = fits & (at < len(ordered))
        found[found] = ordered[at[found]] == keys[found]
        if not len(ordered):
            return np.full(len(wanted), -1, dtype=np.int64)
        return np.where(found, positions[np.minimum(at, len(ordered) - 1)], -1).astype(np.int64)

    def whole(self, key: tuple, compute: Callable[[], tuple | None]) -> tuple | None:
        """A count over the whole table, computed once (the table is read-only)."""
        with self._whole_lock:
            if key in self._whole:
                return self._whole[key]
        value = compute()  # outside the lock: two threads may both compute, both get the same
        with self._whole_lock:
            if len(self._whole) >= _WHOLE_CACHE:
                self._whole.clear()
            self._whole[key] = value
        return value

    def window(self, start: pd.Timestamp | None, end: pd.Timestamp | None) -> np.ndarray:
        """Events whose span overlaps [start, end] (both ends inclusive, as before)."""
        m = self.dated.copy()
        if start is not None:
            m &= self.hi >= pd.Timestamp(start).as_unit("ns").value
        if end is not None:
            m &= (self.lo <= pd.Timestamp(end).as_unit("ns").value) & (self.lo != _NAT)
        return m

    def text(self, text: str) -> np.ndarray:
        """Events holding every word, in their text or as a spelling of an actor or place
        they are tagged with (so ``Alijew`` finds the English reports tagged Ilham Aliyev)."""
        mask = np.ones(self.n, dtype=bool)
        df = self._frame()
        for word in text.lower().split():
            hit = self.text_index().word_mask(word)
            for column, names in alias_names(word).items():
                if names and column in df.columns:
                    hit = hit | self.facet(column).mask(names, self.n)
            mask &= hit
        return mask


ALIAS_MIN_CHARS = 4  # shorter words would name half the vocabulary by some alias


@lru_cache(maxsize=1024)
def alias_names(word: str) -> dict[str, tuple[str, ...]]:
    """The actors and places (canonical names, by column) one of whose spellings has a word
    starting with ``word``, accents and case folded: ``Friedenstruppen`` names Russian
    peacekeepers, ``Latschin`` Lachin."""
    from app.enrich import vocab

    key = vocab.fold(word)
    if len(key) < ALIAS_MIN_CHARS:
        return {}
    pattern = re.compile(r"(?<!\w)" + re.escape(key))

    def named(entries: Iterable[tuple[str, tuple[str, ...]]]) -> tuple[str, ...]:
        return tuple(name for name, aliases in entries
                     if any(pattern.search(vocab.fold(a)) for a in aliases))

    return {"actors": named((a.name, a.aliases) for a in vocab.actors()),
            "places": named((p.canonical, p.aliases) for p in vocab.places())}


# Prepared frames and their index. A prepared frame carries a token in ``attrs``, which
# pandas passes on to frames taken from it (``df[mask]``, ``df.loc[rows, cols]``), so a
# selection can find the index of the table it came from.
_TOKEN = "query.index"
_INDEXES: dict[str, tuple[weakref.ref, EventIndex]] = {}
_tokens = count()


def _register(df: pd.DataFrame, index: EventIndex) -> None:
    token = f"{next(_tokens)}"
    df.attrs[_TOKEN] = token
    _INDEXES[token] = (weakref.ref(df), index)
    weakref.finalize(df, _INDEXES.pop, token, None)


def _entry(df: pd.DataFrame) -> tuple[pd.DataFrame, EventIndex] | None:
    """The prepared table ``df`` is (or was taken from) and its index, if it still lives."""
    hit = _INDEXES.get(df.attrs.get(_TOKEN, ""))
    parent = hit[0]() if hit is not None else None
    return (parent, hit[1]) if parent is not None else None


def event_index(df: pd.DataFrame) -> EventIndex:
    """The index ``prepare`` built for ``df``, or a fresh one for any other frame."""
    hit = _entry(df)
    if hit is not None and hit[0] is df and hit[1].n == len(df):
        return hit[1]
    return EventIndex(df)


def event_positions(df: pd.DataFrame, ids: Sequence[str]) -> np.ndarray:
    """The position in ``df`` of each event id, -1 where it has none (the first where an id
    repeats). For a prepared table a binary search in its index, not a scan of every id."""
    hit = _entry(df)
    if hit is not None and hit[0] is df and hit[1].n == len(df):
        return hit[1].positions_of(ids)
    wanted = list(ids)
    found = np.flatnonzero(df["event_id"].isin(wanted).to_numpy(dtype=bool))
    first: dict[str, int] = {}
    for position, value in zip(found.tolist(), df["event_id"].take(found).tolist(),
                               strict=True):
        first.setdefault(value, position)
    return np.array([first.get(i, -1) for i in wanted], dtype=np.int64)


def facet_codes(df: pd.DataFrame, column: str) -> FacetCodes:
    """``column`` of ``df`` as codes, reusing the prepared table's codes where ``df`` is that
    table or rows taken from it (checked: same row labels, same list objects)."""
    hit = _entry(df)
    if hit is None or not len(df):
        return FacetCodes(df[column])
    parent, index = hit
    if parent is df:
        return index.facet(column)
    if column not in LIST_COLUMNS or not pd.api.types.is_integer_dtype(df.index.dtype):
        return FacetCodes(df[column])  # a scalar column's own codes are as cheap
    positions = df.index.to_numpy()
    if positions.min() < 0 or positions.max() >= index.n:
        return FacetCodes(df[column])
    mine, theirs = df[column], parent[column]
    sample = np.unique(np.r_[np.linspace(0, len(df) - 1, num=min(len(df), 32)).astype(np.int64),
                             np.random.default_rng(len(df)).integers(0, len(df), 32)])
    if any(mine.iloc[k] is not theirs.iloc[positions[k]] for k in sample):
        return FacetCodes(df[column])  # the column was replaced since
    return index.facet(column).take(positions)


def build_indexes() -> None:
    """Build every prepared table's word index and id lookup now, not in the background.

    A preloading server calls this before it forks: its workers then share one copy of the
    index (copy-on-write) instead of each building its own after the fork."""
    for ref, index in list(_INDEXES.values()):
        if ref() is not None:
            index._build_text()


def _after_fork_in_child() -> None:
    """A forked process (a preloading server's worker) keeps no threads and may inherit a
    held lock: give every index fresh locks and rebuild a word index left unfinished."""
    for _ref, index in list(_INDEXES.values()):
        index._text_lock = threading.Lock()
        index._whole_lock = threading.Lock()
        index._ids_lock = threading.Lock()
        if index._text is not None:
            index._text._lock = threading.Lock()
        elif index._df() is not None:
            threading.Thread(target=index._build_text, daemon=True).start()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def clear_caches(df: pd.DataFrame | None = None) -> None:
    """Forget remembered search results and filter masks (of ``df``'s index, or of every
    index). What describes the table itself (codes, words, whole-table counts) stays."""
    if df is not None:
        hit = _entry(df)
        indexes = [hit[1]] if hit is not None else []
    else:
        indexes = [entry[1] for entry in list(_INDEXES.values())]
    for index in indexes:
        if index._text is not None:
            index._text.clear()
        with index._whole_lock:
            index._recent.clear()


# --- filtering ---------------------------------------------------------------------------------

def available_facets(df: pd.DataFrame) -> list[str]:
    """Facet columns that hold something: list columns only once some event has a value."""
    out = []
    for col in FACET_COLUMNS:
        if col not in df.columns:
            continue
        if col in LIST_COLUMNS and not any(len(v) for v in df[col].tolist()):
            continue
        out.append(col)
    return out


def facet_values(df: pd.DataFrame, column: str) -> pd.Series:
    """One value per (event, value): list columns are exploded, empty lists become ''."""
    if column in LIST_COLUMNS:
        col = df[column].map(lambda v: list(v) if len(v) else [NONE_VALUE])
        return col.explode().astype("str")
    if isinstance(df[column].dtype, pd.CategoricalDtype):
        return df[column]
    return df[column].astype("str")


def _masks(df: pd.DataFrame, filters: Filters) -> dict[str, np.ndarray]:
    """One boolean mask per active filter, keyed by what it filters (facet column or a name).

    The masks are shared (remembered for the last few filter sets): do not modify them.
    """
    index = event_index(df)
    key = (tuple(sorted((c, tuple(v)) for c, v in filters.facets.items() if v)),
           filters.background, filters.start, filters.end, tuple(filters.text.lower().split()))
    with index._whole_lock:
        masks = index._recent.get(key)
        if masks is not None:
            index._recent.move_to_end(key)
            return masks
    masks = _compute_masks(df, index, filters)
    for mask in masks.values():
        mask.flags.writeable = False  # shared by every caller
    with index._whole_lock:
        index._recent[key] = masks
        if len(index._recent) > _RECENT_MASKS:
            index._recent.popitem(last=False)
    return masks


def _compute_masks(df: pd.DataFrame, index: EventIndex, filters: Filters
                   ) -> dict[str, np.ndarray]:
    masks: dict[str, np.ndarray] = {"dated": index.dated}
    for column, values in filters.facets.items():
        if values and column in df.columns:
            masks[column] = index.facet(column).mask(values, index.n)
    if not filters.background:
        masks["background"] = ~index.background
    if filters.start is not None or filters.end is not None:
        masks["window"] = index.window(filters.start, filters.end)
    if filters.text.strip():
        masks["text"] = index.text(filters.text)
    return masks


def _combine(masks: dict[str, np.ndarray], n: int, skip: Iterable[str] = ()) -> np.ndarray:
    skip = set(skip)
    mask = np.ones(n, dtype=bool)
    for name, m in masks.items():
        if name not in skip:
            mask &= m
    return mask


def filter_mask(df: pd.DataFrame, filters: Filters, *, skip: Iterable[str] = ()) -> np.ndarray:
    """Rows passing every filter except those named in ``skip`` (a facet column, 'window'...)."""
    return _combine(_masks(df, filters), len(df), skip)


def select_rows(df: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Positions of the selected rows, in time order for a prepared frame (no copying)."""
    rows = np.flatnonzero(filter_mask(df, filters))
    if "at" in df.columns:
        return rows
    return rows[np.lexsort((df["event_id"].to_numpy(dtype=object)[rows],
                            df["start"].to_numpy(dtype="datetime64[ns]")[rows]))]


def select(df: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The selection in time order: what the timeline plots, the table lists, export writes."""
    chosen = df[filter_mask(df, filters)]
    return chosen if "at" in df.columns else sort_events(chosen)


def sort_events(df: pd.DataFrame) -> pd.DataFrame:
    key = "at" if "at" in df.columns else "start"
    return df.sort_values([key, "event_id"], kind="stable")


def facet_counts(df: pd.DataFrame, filters: Filters, column: str) -> pd.Series:
    """Count per value of ``column`` under every other filter: what ticking that value would give.

    Every value present in the whole table is listed (zero when filtered away), in the
    table's order (most frequent in the whole table first), so a facet list does not jump
    around while the reader narrows it.
    """
    return facet_counts_many(df, filters, [column])[column]


def facet_counts_many(df: pd.DataFrame, filters: Filters, columns: Sequence[str]
                      ) -> dict[str, pd.Series]:
    """``facet_counts`` for several columns, computing each filter's mask only once."""
    index = event_index(df)
    masks = _masks(df, filters)
    everything = _combine(masks, index.n)  # the mask of every column not filtered itself
    out = {}
    for column in columns:
        codes = index.facet(column)
        mask = _combine(masks, index.n, skip=(column,)) if column in masks else everything
        out[column] = codes.ordered(codes.counts(mask))
    return out


def background_count(df: pd.DataFrame, filters: Filters) -> int:
    """How many background events the other filters would let through."""
    mask = filter_mask(df, filters, skip=("background",))
    return int((mask & event_index(df).background).sum())


# --- lanes, bins and aggregates ----------------------------------------------------------------

def lane_frame(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """The events with a ``lane`` column holding their value of ``column``; list columns give
    one row per value, so an event with two places sits in both lanes."""
    if column in LIST_COLUMNS:
        codes = facet_codes(df, column)
        out = df.take(codes.rows)
        return out.assign(lane=pd.array(codes.values[codes.codes], dtype="str"))
    if isinstance(df[column].dtype, pd.CategoricalDtype):
        return df.assign(lane=df[column].cat.rename_categories(
            [str(c) for c in df[column].cat.categories]))
    return df.assign(lane=df[column].astype("str"))


def lane_order(df: pd.DataFrame, column: str, *, rows: np.ndarray | None = None) -> list[str]:
    """Lanes most populated first; the empty value last; a value no event of ``df`` (or of
    ``rows``) has is no lane. ``rows``: count only the events at these positions of ``df``."""
    codes = facet_codes(df, column)
    counts = codes.total
    if rows is not None:
        chosen = np.zeros(len(df), dtype=bool)
        chosen[rows] = True
        # a mask counts the few rows left out when most are chosen; a repeated row needs take
        counts = codes.counts(chosen) if np.count_nonzero(chosen) == len(rows) else (
            codes.take(np.asarray(rows, dtype=np.int64)).total)
    # only values in the selection: 21 empty source lanes would squeeze three events
    shown = [i for i in range(len(codes.values)) if counts[i]]
    order = sorted(shown, key=lambda i: (codes.values[i] == NONE_VALUE, -counts[i],
                                         codes.values[i]))
    return [str(codes.values[i]) for i in order]


def choose_bin(start: pd.Timestamp, end: pd.Timestamp, max_bins: int = 200) -> str:
    """The finest bin size that keeps the interval under ``max_bins`` bins."""
    length = max(pd.Timedelta(end - start), pd.Timedelta(minutes=1))
    for name, size in BIN_SIZES:
        if length / size <= max_bins:
            return name
    return "year"


_FIXED_NS = {"minute": 60 * 10**9, "hour": 3600 * 10**9, "day": 86400 * 10**9}
_DAY_NS = 86400 * 10**9


def _bin_units(ns: np.ndarray, size: str) -> np.ndarray:
    """Which bin each time (int64 nanoseconds, no NaT) falls in, as a bin number since 1970."""
    if size in _FIXED_NS:
        return ns // _FIXED_NS[size]
    if size == "week":
        return (ns // _DAY_NS + 3) // 7  # 1970-01-01 was a Thursday; weeks start on Monday
    unit = {"month": "M", "year": "Y"}[size]
    if len(ns):
        days = ns // _DAY_NS
        lo, hi = int(days.min()), int(days.max())
        if hi - lo <= max(len(ns), 1 << 16):
            # a calendar of the days spanned, converted once: far cheaper than converting a
            # million times to months
            calendar = np.arange(lo, hi + 1, dtype=np.int64).view("datetime64[D]").astype(
                f"datetime64[{unit}]").view(np.int64)
            days -= lo
            return calendar[days]
    return ns.view("datetime64[ns]").astype(f"datetime64[{unit}]").view(np.int64)


def _unit_start(units: np.ndarray, size: str) -> np.ndarray:
    """The first moment of each bin number, as datetime64[ns]."""
    units = np.asarray(units, dtype=np.int64)
    if size in _FIXED_NS:
        return (units * _FIXED_NS[size]).view("datetime64[ns]")
    if size == "week":
        return ((units * 7 - 3) * _DAY_NS).view("datetime64[ns]")
    unit = {"month": "M", "year": "Y"}[size]
    return units.view(f"datetime64[{unit}]").astype("datetime64[ns]")


def bin_floor(values: pd.Series, size: str) -> pd.Series:
    """Floor timestamps to the start of their bin (weeks start on Monday)."""
    v = values.to_numpy(dtype="datetime64[ns]")
    ns = v.view(np.int64)
    out = np.full(len(v), np.datetime64("NaT", "ns"))
    ok = ~np.isnat(v)
    out[ok] = _unit_start(_bin_units(ns[ok], size), size)
    return pd.Series(out, index=values.index)


def bin_end(starts: pd.Series, size: str) -> pd.Series:
    v = starts.to_numpy(dtype="datetime64[ns]")
    out = np.full(len(v), np.datetime64("NaT", "ns"))
    ok = ~np.isnat(v)
    out[ok] = _unit_start(_bin_units(v[ok].view(np.int64), size) + 1, size)
    return pd.Series(out, index=starts.index)


def column_at(df: pd.DataFrame, column: str, rows: np.ndarray | None = None) -> pd.Series:
    """``df[column]`` at positions ``rows`` (every row when None), with a fresh RangeIndex.

    Gathers one column: what an aggregate over a million selected rows needs, without copying
    the rows' other columns (above all their strings and lists).
    """
    col = df[column]
    if rows is None:
        return col
    return pd.Series(col.array.take(np.asarray(rows, dtype=np.intp)), name=column, copy=False)


def _ns(df: pd.DataFrame, column: str, rows: np.ndarray | None = None) -> np.ndarray:
    """A datetime column (at ``rows``) as int64 nanoseconds, NaT as ``_NAT``; read-only."""
    values = df[column].to_numpy(dtype="datetime64[ns]").view(np.int64)
    return values if rows is None else values[rows]


def _times(df: pd.DataFrame, rows: np.ndarray | None = None) -> np.ndarray:
    """Where each event is drawn (``at``, else ``start``) as int64 nanoseconds; NaT stays."""
    return _ns(df, "at" if "at" in df.columns else "start", rows)


def _kept(keep: np.ndarray, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """``arrays`` at ``keep``; no copy when every row is kept (the usual case)."""
    if keep.all():
        return arrays
    positions = np.flatnonzero(keep)  # cheaper than indexing each array by a scattered mask
    return tuple(a[positions] for a in arrays)


def _sorted_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, values) with values in string order, codes -1 where the value is missing."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        names = np.array([str(c) for c in column.cat.categories], dtype=object)
        order = np.argsort(names.astype(str), kind="stable")
        codes = np.asarray(column.array.codes)
        if (order == np.arange(len(order))).all():
            return codes, names  # categories in string order already (as prepare makes them)
        rank = np.empty(len(order) + 1, dtype=np.int64)
        rank[order] = np.arange(len(order))
        rank[-1] = -1  # code -1 (missing) stays missing
        return rank[codes], names[order]
    codes, uniques = pd.factorize(column.astype("str").to_numpy(dtype=object), sort=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _group_counts(parts: list[tuple[np.ndarray, int]]) -> tuple[list[np.ndarray], np.ndarray]:
    """Rows per distinct combination of codes, in lexicographic order of the combination.

    ``parts`` is (codes, how many codes there are) per key; codes are 0 <= c < k. Returns the
    codes of each combination present and its count.
    """
    key = parts[0][0].astype(np.int64)  # a copy: updated in place below
    for codes, k in parts[1:]:
        key *= k
        key += codes
    space = int(np.prod([max(k, 1) for _, k in parts], dtype=np.float64))
    if space <= max(4 * len(key), 1 << 20):
        counts = np.bincount(key, minlength=space)
        present = np.flatnonzero(counts)
        counts = counts[present]
    else:
        present, counts = np.unique(key, return_counts=True)
    out = []
    for _, k in reversed(parts):
        out.append(present % k)
        present = present // k
    return out[::-1], counts.astype(np.int64)


def _dense(units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes 0..k-1, the distinct values in order) for int64 bin numbers."""
    if len(units) == 0:
        return units, units
    lo, hi = int(units.min()), int(units.max())
    if hi - lo <= max(4 * len(units), 1 << 20):
        return units - lo, np.arange(lo, hi + 1, dtype=np.int64)
    values, codes = np.unique(units, return_inverse=True)
    return codes, values


# Per key: (codes, the values they stand for), or (bin numbers, None).
Parts = list[tuple[np.ndarray, np.ndarray | None]]


def _grouped(df: pd.DataFrame, rows: np.ndarray | None, name: tuple,
             parts_of: Callable[[np.ndarray | None], Parts], *, table_wide: bool
             ) -> tuple[list[np.ndarray], np.ndarray, list[np.ndarray | None]]:
    """Events per distinct combination of keys among the events at ``rows`` (all when None):
    each key's code (or bin number) per combination present, the counts, in lexicographic
    order, and each key's values.

    ``parts_of(positions)`` gives the keys of the countable events at ``positions`` (None:
    every event). ``table_wide``: codes and values are the same whatever the positions, so
    when ``rows`` are most of a prepared table the counts are the whole table's (computed
    once, under ``name``) minus those of the few rows left out: "clear filters" then counts
    thousands of rows, not a million.
    """
    left_out = _left_out(df, rows) if table_wide else None
    whole = left_out[0].whole(name, lambda: _whole_counts(parts_of(None))) if left_out else None
    if whole is None:
        parts = parts_of(rows)
        dense, bin_values = [], np.zeros(0, dtype=np.int64)
        for codes, values in parts:
            if values is None:
                codes, bin_values = _dense(codes)
            dense.append((codes, len(bin_values) if values is None else len(values)))
        combos, counts = _group_counts(dense)
        return ([bin_values[c] if values is None else c
                 for c, (_, values) in zip(combos, parts, strict=True)], counts,
                [values for _, values in parts])
    origin, sizes, total = whole
    parts = parts_of(left_out[1])
    counts = total - np.bincount(_whole_key(parts, origin, sizes), minlength=len(total))
    present = np.flatnonzero(counts)
    counts = counts[present]
    out = []
    for (_, values), size in zip(reversed(parts), reversed(sizes), strict=True):
        out.append(present % size + (origin if values is None else 0))
        present = present // size
    return out[::-1], counts.astype(np.int64), [values for _, values in parts]


def _whole_key(parts: Parts, origin: int, sizes: list[int]) -> np.ndarray:
    """One int64 per event combining its keys (bin numbers counted from ``origin``)."""
    key = np.zeros(len(parts[0][0]) if parts else 0, dtype=np.int64)
    for (codes, values), size in zip(parts, sizes, strict=True):
        key *= size
        key += codes - origin if values is None else codes
    return key


def _left_out(df: pd.DataFrame, rows: np.ndarray | None
              ) -> tuple[EventIndex, np.ndarray] | None:
    """(the index, positions not in ``rows``) when ``df`` is a prepared table and ``rows``
    (distinct positions) cover more than half of it; None otherwise."""
    if rows is None or 2 * len(rows) <= len(df):
        return None
    hit = _entry(df)
    if hit is None or hit[0] is not df or hit[1].n != len(df):
        return None
    keep = np.ones(len(df), dtype=bool)
    keep[rows] = False
    if np.count_nonzero(keep) != len(df) - len(rows):
        return None  # a position given twice: count the rows themselves
    return hit[1], np.flatnonzero(keep)


def _whole_counts(parts: Parts) -> tuple | None:
    """(first bin number, size of each key, counts per combination) for a whole table, or
    None when there are too many combinations to keep."""
    origin, sizes = 0, []
    for codes, values in parts:
        if values is None:
            origin = int(codes.min()) if len(codes) else 0
            sizes.append(int(codes.max()) - origin + 1 if len(codes) else 0)
        else:
            sizes.append(len(values))
    space = int(np.prod(sizes, dtype=np.float64))
    if space > _WHOLE_SPACE:
        return None
    return origin, sizes, np.bincount(_whole_key(parts, origin, sizes), minlength=space)


def counts_per_bin(df: pd.DataFrame, size: str, by: str = "kind", *,
                   rows: np.ndarray | None = None) -> pd.DataFrame:
    """Events per bin, split by ``by``: columns bin, <by>, count (bins with no events omitted).

    ``rows``: count only the events at these positions of ``df`` (the same as passing
    ``df.take(rows)``, without copying the rows).
    """
    def parts_of(positions: np.ndarray | None) -> Parts:
        t = _times(df, positions)
        codes, values = _sorted_codes(column_at(df, by, positions))
        t, codes = _kept((t != _NAT) & (codes >= 0), t, codes)
        return [(_bin_units(t, size), None), (codes, values)]

    (b, v), n, (_, by_values) = _grouped(
        df, rows, ("counts_per_bin", size, by), parts_of,
        table_wide=isinstance(df[by].dtype, pd.CategoricalDtype))
    return pd.DataFrame({"bin": _unit_start(b, size),
                         by: pd.array(by_values[v], dtype="str"), "count": n})


def coverage(df: pd.DataFrame, size: str, *, rows: np.ndarray | None = None) -> pd.DataFrame:
    """Distinct sources per language per bin, from reports only: a zero is a gap in coverage.

    An unnamed source counts as one source. Columns: bin, language, sources. ``rows`` as for
    ``counts_per_bin``.
    """
    def parts_of(positions: np.ndarray | None) -> Parts:
        reports = (column_at(df, "kind", positions) == "report").to_numpy(dtype=bool)
        start = _ns(df, "start", positions)
        lang, lang_values = _sorted_codes(column_at(df, "language", positions))
        source, source_values = _sorted_codes(column_at(df, "source", positions))
        start, lang, source = _kept(reports & (start != _NAT) & (lang >= 0) & (source >= 0),
                                    start, lang, source)
        return [(_bin_units(start, size), None), (lang, lang_values), (source, source_values)]

    (b, g, _s), _n, (_, lang_values, _) = _grouped(
        df, rows, ("coverage", size), parts_of, table_wide=all(
            isinstance(df[c].dtype, pd.CategoricalDtype) for c in ("language", "source")))
    # each distinct (bin, language, source) once: count them per (bin, language)
    bins, bin_values = _dense(b)
    (b, g), sources = _group_counts([(bins, len(bin_values)), (g, len(lang_values))]) \
        if len(b) else ([b, g], np.zeros(0, dtype=np.int64))
    return pd.DataFrame({"bin": _unit_start(bin_values[b] if len(b) else b, size),
                         "language": pd.array(lang_values[g], dtype="str"), "sources": sources})


def aggregate_lanes(df: pd.DataFrame, column: str, size: str, *,
                    rows: np.ndarray | None = None) -> pd.DataFrame:
    """Events per (lane, bin) for a view too dense to draw one marker per event.

    Columns: lane, bin, bin_end, count, kind (the commonest kind in the bin). ``rows`` as for
    ``counts_per_bin``.
    """
    is_list = column in LIST_COLUMNS
    whole_codes = facet_codes(df, column) if is_list else None

    def parts_of(positions: np.ndarray | None) -> Parts:
        t = _times(df, positions)
        kind, kind_values = _kind_codes(column_at(df, "kind", positions))
        if whole_codes is not None:
            codes = whole_codes if positions is None else whole_codes.take(
                np.asarray(positions, dtype=np.int64))
            lane, lane_values = codes.codes.astype(np.int64), codes.values
            t, kind = t[codes.rows], kind[codes.rows]
        else:
            lane, lane_values = _sorted_codes(column_at(df, column, positions))
        t, lane, kind = _kept((t != _NAT) & (lane >= 0) & (kind >= 0), t, lane, kind)
        return [(lane, lane_values), (_bin_units(t, size), None), (kind, kind_values)]

    table_wide = (is_list or isinstance(df[column].dtype, pd.CategoricalDtype)) and \
        isinstance(df["kind"].dtype, pd.CategoricalDtype)
    (lane, units, k), n, (lane_values, _, kind_values) = _grouped(
        df, rows, ("aggregate_lanes", size, column), parts_of, table_wide=table_wide)
    # lanes in string order, as a sort of the lane names would give
    lane_rank = np.argsort(np.argsort(lane_values.astype(str), kind="stable"))
    lane_sorted = np.empty(len(lane_values), dtype=object)
    lane_sorted[lane_rank] = lane_values
    ln = lane_rank[lane]
    if len(ln):  # combinations were in the order of the lanes' codes; now of their names
        order = np.lexsort((k, units, ln))
        ln, units, k, n = ln[order], units[order], k[order], n[order]
    b, bin_values = _dense(units)
    # one row per (lane, bin): the total and the commonest kind (ties: the first kind)
    cell = ln * len(bin_values) + b
    first = np.r_[True, cell[1:] != cell[:-1]] if len(cell) else np.zeros(0, dtype=bool)
    starts = np.flatnonzero(first)
    total = np.add.reduceat(n, starts) if len(starts) else n[:0]
    group = np.cumsum(first) - 1
    order = np.lexsort((k, -n, group))  # per cell: most rows first, then the first kind
    best = k[order[np.r_[True, group[order][1:] != group[order][:-1]]]] if len(order) else k
    out_bins = bin_values[b[starts]] if len(starts) else bin_values[:0]
    return pd.DataFrame({
        "lane": pd.array(lane_sorted[ln[starts]] if len(starts) else [], dtype="str"),
        "bin": _unit_start(out_bins, size),
        "bin_end": _unit_start(out_bins + 1, size),
        "count": total.astype(np.int64),
        "kind": pd.array(kind_values[best] if len(best) else [], dtype="str"),
    })


def _kind_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Kind codes in the column's own category order (report before mention)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        names = np.array([str(c) for c in column.cat.categories], dtype=object)
        return column.cat.codes.to_numpy().astype(np.int64), names
    return _sorted_codes(column)


def span(df: pd.DataFrame, *, rows: np.ndarray | None = None
         ) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last moment any event could lie in, or None for an empty table.

    ``rows``: only the events at these positions of ``df``.
    """
    if "span_start" in df.columns and "span_end" in df.columns:
        # prepared: the span is NaT exactly where the start is
        lo, hi = _ns(df, "span_start", rows), _ns(df, "span_end", rows)
        dated = lo != _NAT
    else:
        dated = _ns(df, "start", rows) != _NAT
        lo = hi = _ns(df, "start", rows)
    if not dated.any():
        return None
    lo, hi = _kept(dated, lo, hi)
    return (pd.Timestamp(lo.min().view("datetime64[ns]")),
            pd.Timestamp(hi.max().view("datetime64[ns]")))


# --- single events and their neighbours --------------------------------------------------------

VAGUE_SHARE = 0.25  # an event whose span is wider than this share of the view is vague there


def vague_mask(df: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None, *,
               rows: np.ndarray | None = None) -> np.ndarray:
    """Events (of ``df``, or at ``rows`` of it) known only to a span wider than a quarter of
    the window [start, end): "2020" in a one-day view. All False without a window."""
    n = len(df) if rows is None else len(rows)
    if start is None or end is None or not n:
        return np.zeros(n, dtype=bool)
    lo, hi = _ns(df, "span_start", rows), _ns(df, "span_end", rows)
    return (hi - lo) > VAGUE_SHARE * (pd.Timestamp(end) - pd.Timestamp(start)).value


def precise_first(df: pd.DataFrame, rows: np.ndarray, start: pd.Timestamp | None,
                  end: pd.Timestamp | None) -> np.ndarray:
    """``rows`` (in time order) with the events vague in the window moved after the precise
    ones, the vague ones narrowest span first (a day before a month before a year), each in
    time order: what the table and ``j`` read first."""
    vague = vague_mask(df, start, end, rows=rows)
    if not vague.any():
        return rows
    later = rows[vague]
    width = _ns(df, "span_end", later) - _ns(df, "span_start", later)
    return np.concatenate([rows[~vague], later[np.argsort(width, kind="stable")]])


def neighbour(selection: pd.DataFrame, event_id: str, step: int,
              window: tuple[pd.Timestamp | None, pd.Timestamp | None] = (None, None)) -> str:
    """The event ``step`` places after (or before, if negative) ``event_id`` in time order,
    events vague in ``window`` after the precise ones (``precise_first``).

    With no current event, +1 gives the first and -1 the last; the ends do not wrap.
    """
    if selection.empty:
        return ""
    ordered = sort_events(selection)
    if "span_start" in ordered.columns:
        ordered = ordered.take(precise_first(ordered, np.arange(len(ordered)), *window))
    ids = ordered["event_id"].tolist()
    if event_id not in ids:
        return ids[0] if step >= 0 else ids[-1]
    i = min(max(ids.index(event_id) + step, 0), len(ids) - 1)
    return ids[i]


def event_row(df: pd.DataFrame, event_id: str) -> pd.Series | None:
    hit = np.flatnonzero((df["event_id"] == event_id).to_numpy(dtype=bool))
    return None if not len(hit) else df.iloc[int(hit[0])]


def related(df: pd.DataFrame, event_id: str) -> dict[str, pd.DataFrame]:
    """Events to show beside one event: its report, its mentions, same day, same group.

    "Same day" is the calendar day of the event's start, among events dated at least to the day.
    Each frame excludes the event itself and is in time order.
    """
    row = event_row(df, event_id)
    empty = df.iloc[0:0]
    if row is None:
        return {"report": empty, "mentions": empty, "same_day": empty, "same_group": empty}
    # masks over the whole table, rows taken only at the end: a million-row table is never
    # copied for one event
    others = (df["event_id"] != event_id).to_numpy(dtype=bool)

    def where(mask: np.ndarray) -> pd.DataFrame:
        return df.iloc[np.flatnonzero(mask & others)]

    report = where((df["event_id"] == row["report_id"]).to_numpy(dtype=bool)) if (
        row["report_id"]) else empty
    mentions = where((df["report_id"] == event_id).to_numpy(dtype=bool))
    if pd.isna(row["start"]) or str(row["precision"]) not in ("minute", "hour", "day"):
        same_day = empty
    else:
        day = pd.Timestamp(row["start"]).normalize().as_unit("ns").value // _DAY_NS
        start = df["start"].to_numpy(dtype="datetime64[ns]").view(np.int64)
        fine = df["precision"].isin(("minute", "hour", "day")).to_numpy(dtype=bool)
        same_day = where(fine & (start != _NAT) & (start // _DAY_NS == day))
    same_group = where((df["group_id"] == row["group_id"]).to_numpy(dtype=bool)) if (
        row["group_id"]) else empty
    return {k: sort_events(v) for k, v in
            {"report": report, "mentions": mentions, "same_day": same_day,
             "same_group": same_group}.items()}


def headline_picks(selection: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """Up to ``n`` events worth a text label, spread out in time so labels do not collide.

    Importance: the size of the event's group, then how many mentions cite it, then reports
    before mentions. Picks are at least 1/n of the visible span apart.
    """
    if selection.empty or n <= 0:
        return selection.iloc[0:0]
    sel = selection[selection["title"].str.len() > 0]
    if sel.empty:
        return sel
    group_size = sel["group_id"].map(sel["group_id"].value_counts()).where(
        sel["group_id"] != "", 1)
    cited = sel["event_id"].map(selection["report_id"].value_counts()).fillna(0)
    score = group_size.astype(float) * 10 + cited + (sel["kind"].astype("str") == "report")
    # rank by the three columns that decide, not a copy of every column of the selection
    ranked = sel[["at", "event_id"]].assign(_score=score.to_numpy()).sort_values(
        ["_score", "at", "event_id"], ascending=[False, True, True])
    lo, hi = ranked["at"].min(), ranked["at"].max()
    gap = ((hi - lo) / n if hi > lo else pd.Timedelta(0)).value
    # the distances in integer nanoseconds (NaT as None, which no distance reaches): the
    # loop may visit every event, and Timestamp arithmetic costs far more
    times = ranked["at"].to_numpy(dtype="datetime64[ns]").view(np.int64).tolist()
    chosen: list[int | None] = []
    keep = []
    for idx, at in zip(ranked.index, times, strict=True):
        at = None if at == _NAT else at
        if all(at is not None and c is not None and abs(at - c) >= gap for c in chosen) and (
                gap > 0 or not chosen):
            chosen.append(at)
            keep.append(idx)
        if len(keep) >= n:
            break
    return sort_events(sel.loc[keep])


# --- summary and export ------------------------------------------------------------------------

def summary(df: pd.DataFrame) -> dict[str, object]:
    """Corpus header figures: events, background events, span, sources, languages."""
    foreground = df[~df["background"]]
    # the span a reader cares about: events dated to the day or finer, not a year-wide "2020"
    fine = foreground[foreground["precision"].astype("str").isin(("minute", "hour", "day"))]
    bounds = _start_span(fine) or _start_span(foreground) or _start_span(df)
    return {
        "events": int(len(df)),
        "background": int(df["background"].sum()),
        "start": bounds[0] if bounds else None,
        "end": bounds[1] if bounds else None,
        "sources": int(df.loc[df["source"] != "", "source"].nunique()),
        "languages": sorted(v for v in df["language"].unique() if v),
    }


def _start_span(df: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    starts = df["start"].dropna()
    return (pd.Timestamp(starts.min()), pd.Timestamp(starts.max())) if len(starts) else None


def export_frame(selection: pd.DataFrame) -> pd.DataFrame:
    """The selection with exactly the schema's columns, in time order."""
    return selection[list(COLUMNS)].reset_index(drop=True)


def to_csv(selection: pd.DataFrame) -> str:
    """The selection as CSV for a spreadsheet: formula-like cells inert, BOM, all quoted."""
    return to_spreadsheet_csv(export_frame(selection), "; ", "%Y-%m-%dT%H:%M:%S")


def export_name(selection: pd.DataFrame, filters: Filters, ext: str) -> str:
    """A file name that says what was exported: the dates covered, the filters, the count
    (``chronology_2020-09-27_2020-11-10_language-de_42-events.csv``)."""
    parts = ["chronology"]
    start = filters.start
    end = filters.end
    span = _start_span(selection)
    if span is not None:
        start = start if start is not None else span[0]
        end = end if end is not None else span[1]
    parts += [t.strftime("%Y-%m-%d") for t in (start, end) if t is not None]
    for column, values in filters.facets.items():
        parts.append(f"{column}-" + "+".join(values))
    if filters.text:
        parts.append("q-" + filters.text)
    if filters.background:
        parts.append("with-background")
    parts.append(f"{len(selection)}-events")
    name = "_".join(_FILE_UNSAFE.sub("-", p).strip("-") for p in parts)
    return name[:150] + "." + ext


_FILE_UNSAFE = re.compile(r"[^\w+.-]+")


def to_json(selection: pd.DataFrame) -> str:
    out = export_frame(selection).copy()
    for col in LIST_COLUMNS:
        out[col] = out[col].map(list)
    return out.to_json(orient="records", date_format="iso", force_ascii=False, indent=1)
