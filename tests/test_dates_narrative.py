"""The narrative anchor: partial dates in a history take the story's year, news keeps the
report's; offsets count from the story's time; 'heute' is the present only in a story."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.dates import find_dates, narrative_ref

WIKI = datetime(2011, 5, 3)  # when the article was written
NEWS = datetime(2020, 11, 21)


def test_narrative_ref_is_the_story_only_when_it_lies_years_away():
    assert narrative_ref(datetime(1942, 6, 1), WIKI) == datetime(1942, 6, 1)
    assert narrative_ref(datetime(2010, 12, 1), WIKI) is None  # news of last year
    assert narrative_ref(datetime(2025, 11, 10), WIKI) is None  # a deadline, not a story
    assert narrative_ref(None, WIKI) is None
    assert narrative_ref(datetime(1942, 6, 1), None) is None


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("de", "Am 1. Juni 1942 begann der Angriff. Am 2. Juni fiel die Stadt.",
     ["1942-06-01", "1942-06-02"]),
    ("de", "Am 20. Dezember 1942 stockte der Vormarsch. Am 3. Januar zog man ab.",
     ["1942-12-20", "1943-01-03"]),
    ("en", "On 6 June 1944 the Allies landed. In August they took Paris.",
     ["1944-06-06", "1944-08"]),
    ("fr", "Le 21 février 1916 commence la bataille. Fin juin, les armées sont épuisées.",
     ["1916-02-21", "1916-06"]),
    ("de", "Im Mai 1945 endete der Krieg. Im Herbst kehrten die Gefangenen heim.",
     ["1945-05", "1945-FA"]),
])
def test_partial_dates_take_the_story_year(lang, text, expected):
    assert [h.value for h in find_dates(text, ref=WIKI, lang=lang)] == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("de", "Am 22. Juni 1941 griff die Wehrmacht an. Drei Monate später stand sie vor Moskau.",
     ["1941-06-22", "1941-09"]),
    ("en", "The treaty was signed on 3 March 1918. Two days later it came into force.",
     ["1918-03-03", "1918-03-05"]),
    ("fr", "La guerre commence le 1er septembre 1939. Le lendemain, le Parlement se réunit.",
     ["1939-09-01", "1939-09-02"]),
])
def test_offsets_count_from_the_story(lang, text, expected):
    assert [h.value for h in find_dates(text, ref=WIKI, lang=lang)] == expected


def test_offsets_without_a_story_count_from_the_report():
    assert [h.value for h in find_dates("Zwei Tage später kam die Antwort.", ref=NEWS,
                                        lang="de")] == ["2020-11-23"]


@pytest.mark.parametrize(("lang", "text"), [
    ("de", "Am 8. Mai 1945 kapitulierte die Wehrmacht. Die Stadt gehört heute zu Polen."),
    ("fr", "Le 8 mai 1945, l'Allemagne capitule. Aujourd'hui, la ville est polonaise."),
    ("en", "On 2 September 1945 Japan surrendered. Today the bay is a museum."),
])
def test_today_after_a_story_is_the_present(lang, text):
    assert find_dates(text, ref=WIKI, lang=lang)[-1].value == "PRESENT_REF"


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # news: relative words and partial dates stay on the report date
    ("de", "Die Erklärung vom 10. November 2020 gilt. Heute tagt der Rat.",
     ["2020-11-10", "2020-11-21"]),
    ("en", "The 1994 ceasefire of 12 May 1994 held. Yesterday shelling resumed.",
     ["1994", "1994-05-12", "2020-11-20"]),
    ("fr", "Le cessez-le-feu du 12 mai 1994 a tenu. Hier, les tirs ont repris.",
     ["1994-05-12", "2020-11-20"]),
    ("en", "Shelling began before 12 May 1994. On Saturday talks resumed.",
     ["1994-05-12", "2020-11-21"]),
])
def test_news_keeps_the_report_date(lang, text, expected):
    assert [h.value for h in find_dates(text, ref=NEWS, lang=lang)] == expected
