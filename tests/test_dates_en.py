"""English cases of issue 21, one table row each: (reference, text, [(evidence, value)])."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.dates.timeml import timeml_hits

CASES = [
    # TempEval-3 writes an English clock hour T20, German and French T20:00
    ("2013-06-14", "The polls close at 8 pm.", [("8 pm", "2013-06-14T20")]),
    ("2013-06-12", "Ministers plan to meet on Friday.", [("Friday", "2013-06-14")]),
    ("2013-06-12", "He said the board would decide on Thursday.", [("Thursday", "2013-06-13")]),
    ("2013-06-12", "Police arrested him on Monday.", [("Monday", "2013-06-10")]),
    ("2013-06-12", "MARKET DAY: SATURDAY", [("SATURDAY", "2013-06-15")]),
    ("2013-06-12", "Shots were heard last night.", [("last night", "2013-06-11TNI")]),
    ("2013-06-12", "She will speak this afternoon.", [("this afternoon", "2013-06-12TAF")]),
    ("2013-06-12", "Prices fell last fall.", [("last fall", "2012-FA")]),
    ("2013-06-12", "in the winter of 2009", [("the winter of 2009", "2009-WI")]),
    ("2013-06-12", "Rome was founded in 753 BC.", [("753 BC", "BC0753")]),
    ("2013-06-12", "The 2012 season was short.", [("2012", "2012")]),
    ("2013-06-12", "The class of '89 met.", [("'89", "1989")]),
    ("2013-06-12", "between 1990 and 1995", [("1990", "1990"), ("1995", "1995")]),
    ("2013-12-02", "Shops opened on Thanksgiving Day.", [("Thanksgiving Day", "2013-11-28")]),
    ("2013-06-12", "on Memorial Day 2012", [("Memorial Day 2012", "2012-05-28")]),
    ("2013-06-12", "The Good Friday Agreement holds.", []),
    ("2013-06-12", "The build took three years.", [("three years", "P3Y")]),
    ("2013-06-12", "The paper appears daily.", [("daily", "P1D")]),
    ("2013-06-12", "1,235 refugees, S-300 systems, 7 units and 2000 soldiers.", []),
    ("2013-06-12", "Easter egg hunts are fun.", []),
    ("2013-06-12", "It opened two years later than planned.", [("two years", "P2Y")]),
]


@pytest.mark.parametrize(("ref", "text", "expected"), CASES)
def test_english_case(ref, text, expected):
    hits = timeml_hits(text, ref=datetime.fromisoformat(ref), lang="en", all_types=True)
    assert [(h.evidence, h.value) for h in hits] == expected


@pytest.mark.parametrize(("text", "value"), [
    ("Refugees have returned after November 14.", "2013-11-14"),
    ("The talks will resume after Easter.", "2014-04-20"),
    ("Since November 14 the road is open.", "2013-11-14"),
])
def test_after_looks_back_unless_the_clause_looks_ahead(text, value):
    hits = timeml_hits(text, ref=datetime(2013, 12, 2), lang="en")
    assert [h.value for h in hits] == [value]
