"""German cases of issue 21, one table row each: (reference, text, [(evidence, value)])."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.dates import find_dates
from app.dates.timeml import timeml_hits

CASES = [
    # clock hours alone, valued T20:00 as German TimeML writes them
    ("2013-06-14", "Beginn 20 Uhr im Kulturhaus.", [("20 Uhr", "2013-06-14T20:00")]),
    ("2013-06-14", "Treffpunkt ist 17 Uhr am Bahnhof.", [("17 Uhr", "2013-06-14T17:00")]),
    ("2013-06-14", "um 9.30 Uhr", [("9.30 Uhr", "2013-06-14T09:30")]),
    # weekdays in capitals announce what is to come
    ("2013-06-12", "Flohmarkt am SAMSTAG auf dem Dorfplatz.", [("SAMSTAG", "2013-06-15")]),
    ("2013-06-12", "Die Feier findet am Sonntag statt.", [("Sonntag", "2013-06-16")]),
    ("2013-06-12", "Am Montag war die Straße gesperrt.", [("Montag", "2013-06-10")]),
    # parts of day
    ("2013-06-12", "Heute Nacht zog ein Gewitter durch.", [("Heute Nacht", "2013-06-12TNI")]),
    ("2013-06-12", "Gestern Nachmittag stürzte ein Wanderer.", [("Gestern Nachmittag",
                                                               "2013-06-11TAF")]),
    # seasons
    ("2013-06-12", "Im Herbst 2009 schloss die Fabrik.", [("Herbst 2009", "2009-FA")]),
    ("2013-06-12", "Im letzten Winter lag wenig Schnee.", [("letzten Winter", "2012-WI")]),
    # heuer, BC, bare years
    ("2013-06-12", "Heuer blüht der Apfel früh.", [("Heuer", "2013")]),
    ("2013-06-12", "Die Stadt wurde 753 v. Chr. gegründet.", [("753 v. Chr.", "BC0753")]),
    ("2013-06-12", "2010 wurde die Schule erweitert.", [("2010", "2010")]),
    ("2013-06-12", "Die Saison 2011 endete früh.", [("2011", "2011")]),
    ("2013-06-12", "Im Jahr 97 kam die Wende.", [("Jahr 97", "1997")]),
    ("2013-06-12", "Das Jahr 12 Monate lang.", [("12 Monate", "P12M")]),
    # between as two dates; named days; a name that is no day
    ("2013-06-12", "zwischen 1990 und 1995", [("1990", "1990"), ("1995", "1995")]),
    ("2013-06-12", "Zu Pfingsten kamen viele Gäste.", [("Pfingsten", "2013-05-19")]),
    ("2013-06-12", "Am Tag der Deutschen Einheit 2012 regnete es.",
     [("Tag der Deutschen Einheit 2012", "2012-10-03")]),
    ("2013-06-12", "Das Karfreitag-Abkommen gilt.", []),
    # durations and sets come with --all-types
    ("2013-06-12", "Der Bau dauerte drei Jahre.", [("drei Jahre", "P3Y")]),
    ("2013-06-12", "Die Zeitung erscheint täglich.", [("täglich", "P1D")]),
    # traps
    ("2013-06-12", "1.235 Flüchtlinge, S-300, 7 Einheiten und 2000 Soldaten.", []),
    ("2013-06-12", "Die Ostern-Aktion lief gut.", []),
    ("2013-06-12", "Er kam zwei Tage später als geplant.", [("zwei Tage", "P2D")]),
]


@pytest.mark.parametrize(("ref", "text", "expected"), CASES)
def test_german_case(ref, text, expected):
    hits = timeml_hits(text, ref=datetime.fromisoformat(ref), lang="de", all_types=True)
    assert [(h.evidence, h.value) for h in hits] == expected


def test_a_season_spans_its_three_months():
    (hit,) = find_dates("Im Herbst 1998 kam es zu Kämpfen.", ref=datetime(2011, 5, 1), lang="de")
    assert (hit.start, hit.end) == (datetime(1998, 9, 1), datetime(1998, 12, 1))
    (hit,) = find_dates("Im Winter 2009 fiel Schnee.", ref=datetime(2011, 5, 1), lang="de")
    assert (hit.start, hit.end) == (datetime(2009, 12, 1), datetime(2010, 3, 1))
