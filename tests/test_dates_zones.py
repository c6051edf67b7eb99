"""A stated zone between a time and its day keeps them one hit, in en/de/fr."""
from datetime import datetime

import pytest

from app.dates import find_dates
from app.dates.zones import offset_of

REF = datetime(2020, 9, 21)

CASES = [
    ("The ceasefire takes effect at 13:00 local time (UTC+4) on 20 September.",
     "2020-09-20T13:00", "minute", "local time (UTC+4)", "+04:00"),
    ("They met at 9 a.m. Moscow time on Tuesday.", "2020-09-15T09", "hour", "Moscow time",
     "+03:00"),
    ("Shelling resumed 20 September at 13:00 (UTC+4).", "2020-09-20T13:00", "minute",
     "UTC+04:00", "+04:00"),
    ("Die Waffenruhe gilt am 20. September um 13 Uhr MESZ.", "2020-09-20T13", "hour", "MESZ",
     "+02:00"),
    ("Le cessez-le-feu entre en vigueur le 20 septembre à 13 h (heure de Moscou).",
     "2020-09-20T13", "hour", "heure de Moscou", "+03:00"),
    ("Sirens were heard at 17:31 AMT on 24 September.", "2020-09-24T17:31", "minute", "AMT",
     "+04:00"),
    ("Talks began at 10:30 Baku time on 19 September.", "2020-09-19T10:30", "minute", "Baku time",
     "+04:00"),
    ("Talks start on 21 September from 9 a.m. Moscow time.", "2020-09-21T09", "hour",
     "Moscow time", "+03:00"),
    ("Die Gespräche beginnen am 21. September ab 9 Uhr MESZ.", "2020-09-21T09", "hour", "MESZ",
     "+02:00"),
]


@pytest.mark.parametrize(("text", "value", "precision", "tz", "offset"), CASES)
def test_zone_keeps_time_and_day_together(text, value, precision, tz, offset):
    hits = find_dates(text, ref=REF)
    assert len(hits) == 1, [(h.evidence, h.value) for h in hits]
    h = hits[0]
    assert (h.value, h.precision, h.tz) == (value, precision, tz)
    assert offset_of(h.tz) == offset
    assert text[h.char_start:h.char_end] == h.evidence
