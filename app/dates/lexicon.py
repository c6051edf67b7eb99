"""The per-language word lists of lexicon.yaml, loaded once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")
SUPPORTED = ("en", "de", "fr")

_EMPTY: dict[str, Any] = {
    "preps": [], "between": [], "and": [], "range_to": [], "mods": [], "days": {},
    "periods": {}, "now": [], "shift_before": {}, "shift_after": {}, "parts_of_day": {},
    "numbers": {}, "future": [], "past": [], "past_suffix": [], "since": [], "stopwords": [],
    "ambiguous": [], "exact_case": [], "unit_forms": {}, "vague": [], "every": [], "sets": {},
    "for": [], "seasons": {}, "holidays": {}, "not_days": [], "bc": [], "later": [],
    "next_day": {}, "present": [], "clock": [],
    "hour_minutes": False, "year_before": [], "year_after": [],
    "counted": [], "season_cues": {}, "after": [],
    "comparative": [], "not_clock": [], "year_words": [],
}


@lru_cache(maxsize=1)
def _all() -> dict[str, dict[str, Any]]:
    with LEXICON_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def lexicon(lang: str) -> dict[str, Any]:
    """Word lists for ``lang``; a language without an entry gets empty lists (CLDR names
    and patterns still work for it)."""
    entry = _all().get(lang) or {}
    return {key: entry.get(key, default) for key, default in _EMPTY.items()}
