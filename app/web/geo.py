"""Where the selected events happened: event counts per place joined to coordinates, and the
part of the world worth showing. Pure pandas; the map figure is drawn in ``figures``."""

from __future__ import annotations

import math

import pandas as pd

from app.query import NONE_VALUE

# A place belongs to the focus region when it lies this close to the busiest place.
FOCUS_KM = 500.0
# The focus region is shown (instead of every place) when it holds this share of the counts.
FOCUS_SHARE = 0.6
# Degrees of margin around the places in view, and the smallest span a view may have.
PAD_DEG = 0.6
MIN_SPAN_DEG = 1.5
MAP_ASPECT = 1.1  # width / height of the map beside the overview
MAP_COLUMNS = ["place", "lat", "lon", "count", "kind"]


def place_points(counts: pd.Series, places: pd.DataFrame) -> pd.DataFrame:
    """One row per place with events and known coordinates: place, lat, lon, count, kind.

    ``counts`` is events per place name (as ``query.facet_counts`` gives them); ``places`` has
    columns canonical, lat, lon and optionally kind (the gazetteer's table). Places without
    coordinates, the "no place" value and places with no events are left out; busiest first.
    """
    if counts.empty or places.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("lat", "lon") else
                                          "int64" if c == "count" else "str")
                             for c in MAP_COLUMNS})
    if "kind" not in places.columns:
        places = places.assign(kind="")
    coords = places.dropna(subset=["lat", "lon"]).drop_duplicates("canonical").set_index(
        "canonical")[["lat", "lon", "kind"]]
    frame = pd.DataFrame({"place": counts.index.astype("str"),
                          "count": counts.to_numpy(dtype="int64")})
    frame = frame[(frame["count"] > 0) & (frame["place"] != NONE_VALUE)]
    frame = frame.join(coords, on="place", how="inner")
    frame = frame.sort_values(["count", "place"], ascending=[False, True], kind="stable")
    return frame[MAP_COLUMNS].reset_index(drop=True)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine on a 6371 km sphere)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def focus(points: pd.DataFrame) -> pd.Series:
    """Which points make up the region the events cluster in (a boolean per row).

    The region is every place within ``FOCUS_KM`` of the busiest place. When it holds less
    than ``FOCUS_SHARE`` of the events (the events are spread over the world) every place is
    in focus.
    """
    if points.empty:
        return pd.Series([], dtype=bool)
    top = points.loc[points["count"].idxmax()]
    near = pd.Series([distance_km(top["lat"], top["lon"], la, lo) <= FOCUS_KM
                      for la, lo in zip(points["lat"], points["lon"], strict=True)],
                     index=points.index)
    if points.loc[near, "count"].sum() < FOCUS_SHARE * points["count"].sum():
        return pd.Series(True, index=points.index)
    return near


def view_bounds(points: pd.DataFrame, aspect: float = MAP_ASPECT
                ) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """(lon range, lat range) that frames the focus region with a margin; None if no points.

    The shorter side is widened so the region fills a map ``aspect`` times wider than high
    (on a Mercator map a degree of latitude is 1/cos(latitude) times a degree of longitude).
    """
    if points.empty:
        return None
    inside = points[focus(points)]
    lon = _span(inside["lon"].min(), inside["lon"].max(), -180.0, 180.0)
    lat = _span(inside["lat"].min(), inside["lat"].max(), -85.0, 85.0)
    stretch = 1 / max(math.cos(math.radians((lat[0] + lat[1]) / 2)), 0.2)
    lon_w, lat_h = lon[1] - lon[0], (lat[1] - lat[0]) * stretch
    if lon_w < aspect * lat_h:
        extra = (aspect * lat_h - lon_w) / 2
        lon = (max(-180.0, lon[0] - extra), min(180.0, lon[1] + extra))
    else:
        extra = (lon_w / aspect - lat_h) / stretch / 2
        lat = (max(-85.0, lat[0] - extra), min(85.0, lat[1] + extra))
    return lon, lat


def _span(lo: float, hi: float, floor: float, ceiling: float) -> tuple[float, float]:
    lo, hi = lo - PAD_DEG, hi + PAD_DEG
    if hi - lo < MIN_SPAN_DEG:
        mid = (lo + hi) / 2
        lo, hi = mid - MIN_SPAN_DEG / 2, mid + MIN_SPAN_DEG / 2
    return max(floor, lo), min(ceiling, hi)


def outside(points: pd.DataFrame) -> pd.DataFrame:
    """The points a focused view leaves out (busiest first)."""
    if points.empty:
        return points
    return points[~focus(points)]
