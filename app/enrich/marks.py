"""Duplicate-group marks of a whole corpus in a compact table.

A streaming run learns the groups of millions of reports before it writes any of them; a
dict of event ids to group ids would grow by a few hundred bytes per grouped report. The
table keeps a 64-bit hash of each marked event id (sorted, searched with numpy), its group
id as a number and its disputed flag: 17 bytes a report.

Two ids with one hash would share a mark. Among the marked ids that is detected when the
table is built; between a marked and an unmarked id it is left to chance (about 1 in 10^6
for ten million events), which is why the in-memory path keeps exact ids.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

NO_GROUP = -1
CHUNK = 100_000


def id_hashes(ids: Sequence[str] | pd.Series) -> np.ndarray:
    """A stable 64-bit hash per id (pandas' SipHash with its fixed key: the same in every
    process, whatever the hash seed)."""
    return pd.util.hash_array(np.asarray(ids, dtype=object))


def _group_number(group_id: str) -> int:
    return int(group_id[1:], 16) if group_id else NO_GROUP


class MarkTable:
    """event id -> (group id, disputed) for the marked reports of a corpus."""

    def __init__(self, keys: np.ndarray, groups: np.ndarray, disputed: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys, self.groups, self.disputed = keys[order], groups[order], disputed[order]
        if len(self.keys) > 1 and (self.keys[1:] == self.keys[:-1]).any():
            raise ValueError("two marked event ids share a hash")

    @classmethod
    def build(cls, marks: Iterable[tuple[str, str, bool]]) -> MarkTable:
        """From (event_id, group_id, disputed) triples, ids hashed a chunk at a time."""
        keys, groups, disputed = array("Q"), array("q"), array("b")
        ids: list[str] = []

        def flush() -> None:
            keys.extend(id_hashes(ids).tolist())
            ids.clear()

        for event_id, group, flag in marks:
            ids.append(event_id)
            groups.append(_group_number(group))
            disputed.append(bool(flag))
            if len(ids) >= CHUNK:
                flush()
        flush()
        return cls(np.frombuffer(keys, dtype=np.uint64).copy(),
                   np.frombuffer(groups, dtype=np.int64).copy(),
                   np.frombuffer(disputed, dtype=np.int8).astype(bool))

    @classmethod
    def concat(cls, tables: Iterable[MarkTable]) -> MarkTable:
        """One table from several (of disjoint sets of reports)."""
        tables = list(tables)
        if not tables:
            return cls.build([])
        return cls(np.concatenate([t.keys for t in tables]),
                   np.concatenate([t.groups for t in tables]),
                   np.concatenate([t.disputed for t in tables]))

    def __len__(self) -> int:
        return len(self.keys)

    def lookup(self, event_ids: Sequence[str] | pd.Series) -> tuple[list[str], np.ndarray]:
        """(group_id, disputed) for each id: '' and False where it carries no mark."""
        wanted = id_hashes(event_ids)
        if not len(self.keys):
            return [""] * len(wanted), np.zeros(len(wanted), dtype=bool)
        at = np.searchsorted(self.keys, wanted).clip(max=len(self.keys) - 1)
        found = self.keys[at] == wanted
        groups = np.where(found, self.groups[at], NO_GROUP)
        disputed = found & self.disputed[at]
        return [f"g{g:012x}" if g != NO_GROUP else "" for g in groups.tolist()], disputed
