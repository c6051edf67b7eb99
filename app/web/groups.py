"""Duplicate groups for the explorer: one row per group when the reader collapses them, and
the members of a group for the detail panel. Pure pandas; no Dash."""

from __future__ import annotations

import pandas as pd

from app import query


def collapse(selection: pd.DataFrame) -> pd.DataFrame:
    """The selection with every group of two or more selected events reduced to one row.

    The row kept is the group's earliest member (its place in time and in the lanes). Added
    columns: ``group_size`` (selected members; 1 for a singleton), ``group_languages`` (their
    languages, sorted, space-separated), ``group_disputed`` and ``members`` (their event ids in
    time order). A group whose other members are filtered away shows as a singleton.
    """
    sel = query.sort_events(selection) if "at" not in selection.columns else selection
    gid = sel["group_id"].astype("str")
    grouped = gid != ""
    sizes = gid[grouped].value_counts()
    in_group = grouped & gid.map(sizes).fillna(0).gt(1)
    singles = sel[~in_group]
    out_single = singles.assign(
        group_size=1, group_languages=singles["language"].astype("str"),
        group_disputed=singles["disputed"].astype(bool),
        members=[[e] for e in singles["event_id"]])
    members = sel[in_group]
    if members.empty:
        return out_single
    keys = gid[in_group]
    first = members.groupby(keys, sort=False).head(1)
    by_group = members.groupby(keys, sort=False)
    info = pd.DataFrame({
        "group_size": by_group.size(),
        "group_languages": by_group["language"].agg(
            lambda s: " ".join(sorted({str(v) for v in s if str(v)}))),
        "group_disputed": by_group["disputed"].agg(lambda s: bool(s.any())),
        "members": by_group["event_id"].agg(list),
    })
    heads = first.join(info, on="group_id")
    out = pd.concat([out_single, heads])
    return query.sort_events(out) if "at" in out.columns else out


def badge(size: int, languages: str, disputed: bool = False) -> str:
    """The label of a collapsed group: '3 reports · de en fr', with '· disputed' if so."""
    label = f"{size} reports · {languages}" if languages else f"{size} reports"
    return f"{label} · disputed" if disputed else label


def members(events: pd.DataFrame, event_id: str) -> pd.DataFrame:
    """Every event of ``event_id``'s group in time order (just the event when it has none)."""
    row = query.event_row(events, event_id)
    if row is None:
        return events.iloc[0:0]
    if not row["group_id"]:
        return events[events["event_id"] == event_id]
    return query.sort_events(events[events["group_id"] == row["group_id"]])
