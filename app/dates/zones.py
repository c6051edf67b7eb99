"""Time zones as written (``AMT``, ``MSK``, ``Moscow time``, ``local time (UTC+4)``,
``GMT+4``, ``CEST``, ``MEZ``) and their UTC offsets, from ``data/zones.yaml``.

The event table keeps a zone as written in ``tz`` and its offset in ``utc_offset``, so a
reader can see both the time the document states and the same moment in UTC.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from app.paths import DATA_DIR

_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[str, str], re.Pattern[str]]:
    raw = yaml.safe_load((DATA_DIR / "zones.yaml").read_text(encoding="utf-8"))
    abbr = {str(k): str(v) for k, v in raw["abbreviations"].items()}
    phrases = {str(k).casefold(): str(v) for k, v in raw["phrases"].items()}
    names = sorted((n for n in abbr if len(n) >= 3), key=len, reverse=True)  # not "Z"
    words = sorted(raw["phrases"], key=len, reverse=True)
    # what may follow a time: "(UTC+4)", "local time (UTC+4)", "Moscow time", "AMT", "GMT+4"
    after = re.compile(
        r"[ \t]*(?:\(\s*)?(?P<tz>"
        r"(?:local time\s*\(\s*)?(?:UTC|GMT)\s*[+\-−]\s*\d{1,2}(?::?\d{2})?\)?"
        r"|(?i:" + "|".join(re.escape(w) for w in words) + r")"
        r"|(?:" + "|".join(re.escape(n) for n in names) + r")\b)\)?",
    )
    return abbr, phrases, after


@lru_cache(maxsize=512)
def offset_of(tz: str) -> str:
    """The UTC offset (``+04:00``) of a zone as written, or "" when it names none known."""
    tz = tz.strip().strip("()").strip()
    if not tz:
        return ""
    if tz.casefold().startswith("local time"):
        tz = tz[len("local time"):].strip(" ()")
    m = _OFFSET.search(tz)
    if m and (m.start() == 0 or tz[: m.start()].strip().upper() in ("", "UTC", "GMT")):
        sign = "-" if m.group(1) in "-−" else "+"
        return f"{sign}{int(m.group(2)):02d}:{m.group(3) or '00'}"
    abbr, phrases, _ = _table()
    return abbr.get(tz) or phrases.get(tz.casefold(), "")


def zone_after(text: str, end: int) -> str:
    """The zone written right after a time ending at ``end`` (as written), else ""."""
    m = _table()[2].match(text, end, min(len(text), end + 40))
    return m.group("tz").strip() if m else ""
