"""The date finder and resolver on real corpus sentences, traps and edge cases."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from app.dates import DateHit, dedupe, find_dates, find_durations
from app.paths import CORPUS_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "dates"


def one(text: str, ref: datetime | None = None, lang: str | None = None) -> DateHit:
    hits = find_dates(text, ref=ref, lang=lang)
    assert len(hits) == 1, hits
    return hits[0]


def values(text: str, ref: datetime | None = None, lang: str | None = None) -> list[str]:
    return [h.value for h in find_dates(text, ref=ref, lang=lang)]


# --- absolute dates ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value", "precision"), [
    ("It happened on 10.11.2020 in Moscow.", "2020-11-10", "day"),
    ("The file is dated 2022-09-13.", "2022-09-13", "day"),
    ("signed on 10 November 2020 by the three leaders", "2020-11-10", "day"),
    ("signed on November 10, 2020 by the three leaders", "2020-11-10", "day"),
    ("Die Erklärung vom 10. November 2020 gilt weiter.", "2020-11-10", "day"),
    ("La déclaration du 10 novembre 2020 reste en vigueur.", "2020-11-10", "day"),
    ("Publishing date: Mar 27, 2022 • 4 hours ago", "2022-03-27", "day"),
    ("visit to liberated Fuzuli region in October 2021, President", "2021-10", "month"),
    ("Ottawa announced in October 2019 a freeze", "2019-10", "month"),
])
def test_absolute_dates_resolve_without_a_reference(text, value, precision):
    hit = find_dates(text)[0]
    assert (hit.value, hit.precision, hit.kind) == (value, precision, "absolute")
    assert hit.year_inferred is False
    assert hit.start is not None and hit.end > hit.start


def test_publication_line_keeps_minute_and_stated_zone():
    hit = one("27 March 2022 19:16 (UTC+04:00)")
    assert hit.start == datetime(2022, 3, 27, 19, 16)
    assert hit.end == datetime(2022, 3, 27, 19, 17)
    assert hit.precision == "minute"
    assert hit.tz == "UTC+04:00"
    assert hit.value == "2022-03-27T19:16"
    assert hit.evidence == "27 March 2022 19:16 (UTC+04:00)"


def test_archive_header_is_one_hit_at_minute_precision():
    hit = one("10.11.2020 - 16:21 [ TASS ]")
    assert hit.evidence == "10.11.2020 - 16:21"
    assert hit.start == datetime(2020, 11, 10, 16, 21)


def test_time_before_its_day_joins_it():
    text = "to establish a ceasefire from 13:00 on 20 September.[89] Under the terms"
    hit = one(text, ref=datetime(2023, 10, 2, 12, 21))
    assert hit.evidence == "13:00 on 20 September"
    assert hit.start == datetime(2023, 9, 20, 13, 0)
    assert hit.precision == "minute"
    assert hit.year_inferred is True


def test_martial_law_start_keeps_written_year():
    text = "martial law is being declared throughout the country starting from 00:00 on " \
           "28 September 2020."
    hit = one(text)
    assert hit.start == datetime(2020, 9, 28, 0, 0)
    assert (hit.kind, hit.year_inferred) == ("absolute", False)


def test_day_interval_end_is_exclusive_next_midnight():
    hit = one("on 10 November 2020")
    assert (hit.start, hit.end) == (datetime(2020, 11, 10), datetime(2020, 11, 11))


# --- partial dates -------------------------------------------------------------------------

def test_partial_date_takes_year_from_reference():
    text = "On November 20th, Azerbaijani President Ilham Aliyev said that he is ready"
    hit = one(text, ref=datetime(2020, 11, 21, 9, 0))
    assert hit.evidence == "November 20th"
    assert hit.start == datetime(2020, 11, 20)
    assert (hit.kind, hit.year_inferred, hit.precision) == ("partial", True, "day")


def test_partial_date_prefers_the_past_when_reference_is_early_in_the_year():
    hit = one("On November 19, the newly appointed Minister", ref=datetime(2021, 1, 15))
    assert hit.value == "2020-11-19"


def test_partial_date_without_reference_stays_unresolved():
    hit = one("Since November 14, about 4,000 people have returned")
    assert hit.start is None and hit.end is None
    assert hit.value == "XXXX-11-14"
    assert hit.kind == "partial"


def test_since_points_to_the_past():
    hit = one("Since November 14, about 4,000 people have returned", ref=datetime(2020, 11, 21))
    assert hit.value == "2020-11-14"


def test_month_name_with_preposition_is_month_precision_not_a_day():
    hit = one("The alliance was agreed in February.", ref=datetime(2022, 3, 27))
    assert (hit.value, hit.precision) == ("2022-02", "month")
    assert hit.end == datetime(2022, 3, 1)


def test_this_february_is_the_current_year():
    text = "the alliance agreement signed with the Russian Federation this February was"
    hit = one(text, ref=datetime(2022, 3, 27))
    assert (hit.evidence, hit.value) == ("this February", "2022-02")


def test_modifier_before_a_month_is_kept_in_the_evidence():
    hit = one("Fighting resumed in mid-October.", ref=datetime(2021, 1, 5))
    assert (hit.evidence, hit.value) == ("mid-October", "2020-10")


def test_date_inside_a_noun_phrase_is_found():
    text = "the practical implementation of the November 10 trilateral statement"
    hit = one(text, ref=datetime(2020, 11, 21))
    assert (hit.evidence, hit.value) == ("November 10", "2020-11-10")


def test_partial_date_takes_the_year_written_elsewhere_in_the_text():
    text = ("a trilateral statement signed on November 10, 2020, and the alliance pact. "
            "Peacekeepers deployed under the November 10 agreement.")
    hits = find_dates(text, ref=datetime(2022, 3, 27))
    assert [h.value for h in hits] == ["2020-11-10", "2020-11-10"]
    assert hits[1].year_inferred is True


def test_future_cue_moves_a_partial_date_forward():
    hit = one("The talks will resume on April 7.", ref=datetime(2013, 3, 22))
    assert hit.value == "2013-04-07"


def test_german_and_french_partial_dates():
    ref = datetime(2020, 10, 1)
    assert values("Die Waffenruhe gilt seit dem 27. September.", ref) == ["2020-09-27"]
    assert values("L'offensive a commencé le 27 septembre.", ref) == ["2020-09-27"]
    assert values("Bis 1er octobre rien ne change", ref) == ["2020-10-01"]


# --- relative dates ------------------------------------------------------------------------

def test_yesterday_is_the_day_before_the_reference():
    text = "the meeting with the OSCE Minsk Group Co-Chairs held in Moscow yesterday."
    hit = one(text, ref=datetime(2020, 11, 21, 10, 0))
    assert (hit.value, hit.kind, hit.year_inferred) == ("2020-11-20", "relative", False)


def test_relative_expression_without_reference_is_unresolved():
    hit = one("the meeting held in Moscow yesterday")
    assert hit.start is None and hit.kind == "relative"


def test_hours_ago_is_hour_precision():
    hit = find_dates("Mar 27, 2022 • 4 hours ago • 1 minute read",
                     ref=datetime(2022, 3, 27, 12, 30))[1]
    assert (hit.evidence, hit.value, hit.precision) == ("4 hours ago", "2022-03-27T08", "hour")


def test_weekday_resolves_to_the_last_one_before_the_report():
    ref = datetime(2022, 3, 27)  # a Sunday
    text = "Russia said on Saturday it was deeply concerned. Azerbaijan on Sunday denied it."
    assert values(text, ref) == ["2022-03-26", "2022-03-27"]


def test_this_week_is_an_iso_week():
    hit = one("Meanwhile, Armenia this week called on the West", ref=datetime(2022, 3, 27))
    assert (hit.value, hit.precision) == ("2022-W12", "week")
    assert (hit.start, hit.end) == (datetime(2022, 3, 21), datetime(2022, 3, 28))


def test_german_relative_words():
    ref = datetime(2020, 10, 1)
    assert values("Das Militär habe Stepanakert heute erneut beschossen.", ref) == [
        "2020-10-01"]
    assert values("Gestern sprach Lawrow mit Baku.", ref) == ["2020-09-30"]
    assert values("Am Sonntag begannen die Kämpfe.", ref) == ["2020-09-27"]
    assert values("Die Lage ist vor 3 Tagen eskaliert.", ref) == ["2020-09-28"]
    assert values("am vergangenen Donnerstag landeten zwei Frachtflugzeuge", ref) == [
        "2020-09-24"]


def test_french_relative_words():
    ref = datetime(2020, 10, 1)
    assert values("Le ministre a parlé hier avec ses homologues.", ref) == ["2020-09-30"]
    assert values("Les combats ont repris samedi dernier.", ref) == ["2020-09-26"]
    assert values("Il y a 2 jours, la ville a été bombardée.", ref) == ["2020-09-29"]
    assert values("La réunion a eu lieu la semaine dernière.", ref) == ["2020-W39"]


def test_now_is_present_ref_even_without_reference():
    assert values("Russia is now in total control") == ["PRESENT_REF"]


def test_years_ago_is_year_precision():
    hit = one("The data showed this four years ago.", ref=datetime(2013, 3, 21))
    assert (hit.value, hit.precision) == ("2009", "year")


# --- ranges and years ----------------------------------------------------------------------

def test_range_of_two_partial_dates():
    text = "From the first day of the war until today – from September 27 to December 1, I"
    hits = find_dates(text, ref=datetime(2020, 12, 2))
    rng = [h for h in hits if h.kind == "range"][0]
    assert rng.evidence == "September 27 to December 1"
    assert (rng.start, rng.end) == (datetime(2020, 9, 27), datetime(2020, 12, 2))
    assert rng.value == "2020-09-27/2020-12-01"


def test_day_range_inside_one_month():
    hit = one("Heavy fighting on 27–29 September 2020 near Fuzuli.")
    assert (hit.start, hit.end) == (datetime(2020, 9, 27), datetime(2020, 9, 30))
    assert hit.kind == "range" and hit.precision == "day"


def test_year_range_is_background_history_at_year_precision():
    text = "territory it had lost in an earlier war, from 1991 to 1994, sparked after"
    hit = one(text)
    assert (hit.evidence, hit.value) == ("1991 to 1994", "1991/1994")
    assert (hit.start, hit.end) == (datetime(1991, 1, 1), datetime(1995, 1, 1))


def test_between_and_makes_a_range_only_after_between():
    assert values("between 2006 and 2019") == ["2006/2019"]
    assert values("On November 19 and November 20 there were talks.",
                  ref=datetime(2020, 11, 21)) == ["2020-11-19", "2020-11-20"]


def test_bare_year_after_preposition_is_year_precision():
    hit = one("In 1921, Armenia and Georgia were also taken over by the Bolsheviks")
    assert (hit.value, hit.precision, hit.kind) == ("1921", "year", "absolute")


def test_adjectival_year_is_a_year():
    assert values("as part of the 2020 cease-fire deal") == ["2020"]


def test_decade_covers_ten_years():
    hit = one("territory they had controlled since the 1990s in and around")
    assert (hit.evidence, hit.value) == ("the 1990s", "199")
    assert (hit.start, hit.end) == (datetime(1990, 1, 1), datetime(2000, 1, 1))


# --- traps ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_trap_fixture_yields_no_date(name):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert find_dates(text, ref=datetime(2020, 11, 21)) == []


def test_year_next_to_a_trap_is_still_found():
    text = "rose from $700 million in 2007 to $3.7 billion in 2013, with 1,235 refugees"
    assert values(text) == ["2007", "2013"]


def test_french_hier_is_yesterday_only_in_french():
    ref = datetime(2020, 10, 1)
    assert values("Wir bleiben hier und warten.", ref) == []
    assert values("Les troupes sont arrivées hier à Stepanakert.", ref) == ["2020-09-30"]
    assert values("Wir bleiben hier.", ref, lang="de") == []


# --- corpus documents ----------------------------------------------------------------------

def corpus(prefix: str) -> str:
    path = next(CORPUS_DIR.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def test_corpus_article_000_dates_the_aghdam_entry():
    text = corpus("000")
    body = text[:text.index("Mr T")]
    hits = find_dates(body, ref=datetime(2020, 11, 21))
    found = {(h.evidence, h.value) for h in hits}
    assert ("November 20th", "2020-11-20") in found
    assert ("November 19", "2020-11-19") in found
    assert ("November 14", "2020-11-14") in found
    assert ("yesterday", "2020-11-20") in found
    assert not any(h.evidence in ("1,235", "18", "Il-76", "An-124") for h in hits)


def test_corpus_forum_thread_002_publication_lines():
    text = corpus("002")
    hits = find_dates(text, ref=datetime(2022, 3, 27))
    found = {(h.evidence, h.value) for h in hits}
    assert ("27 March 2022 19:16 (UTC+04:00)", "2022-03-27T19:16") in found
    assert ("March 26", "2022-03-26") in found
    assert ("1991 to 1994", "1991/1994") in found
    assert ("October 2021", "2021-10") in found
    assert ("this February", "2022-02") in found
    assert not any("6,500" in h.evidence or "2,000" in h.evidence for h in hits)


def test_corpus_archive_004_headers_are_all_found():
    text = corpus("004")
    headers = [h for h in find_dates(text) if " - " in h.evidence]
    assert len(headers) == 63
    assert all(h.precision == "minute" for h in headers)


def test_offsets_slice_out_the_evidence_in_every_corpus_document():
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for h in find_dates(text, ref=datetime(2020, 11, 21)):
            assert text[h.char_start:h.char_end] == h.evidence


# --- dedupe and serialisation --------------------------------------------------------------

def test_dedupe_keeps_one_hit_per_interval_and_prefers_the_written_year():
    text = "The deal of 10 November 2020 was signed late. The November 10 deal holds."
    hits = find_dates(text, ref=datetime(2020, 11, 21))
    assert len(hits) == 2
    kept = dedupe(hits)
    assert len(kept) == 1 and kept[0].kind == "absolute"


def test_dedupe_keeps_distinct_unresolved_expressions():
    hits = find_dates("On November 19 and on November 20 they met.")
    assert len(dedupe(hits)) == 2


def test_to_dict_is_json_ready():
    d = one("on 10 November 2020").to_dict()
    assert d["start"] == "2020-11-10T00:00:00" and d["end"] == "2020-11-11T00:00:00"
    assert d["evidence"] == "10 November 2020" and d["char_start"] == 3


def test_language_hint_limits_the_names_and_still_reads_other_cldr_languages():
    assert values("el 10 de noviembre de 2020", lang="es") == ["2020-11-10"]
    assert values("10 novembre 2020", lang="de") == ["2020"]  # the year alone


def test_finder_hits_equal_hits_built_by_the_constructor():
    hit = one("on 10 November 2020")
    rebuilt = DateHit(**{k: getattr(hit, k) for k in hit.__dataclass_fields__})
    assert hit == rebuilt and hash(hit) == hash(rebuilt)


# --- durations and sets --------------------------------------------------------------------

def durations(text: str, lang: str | None = None) -> list[tuple[str, str, str]]:
    return [(h.evidence, h.value, h.kind) for h in find_durations(text, lang=lang)]


@pytest.mark.parametrize(("text", "expected"), [
    ("The blockade lasted two months.", [("two months", "P2M", "duration")]),
    ("after the 44-day war", [("44-day", "P44D", "duration")]),
    ("He was held for three years and six weeks.",
     [("three years", "P3Y", "duration"), ("six weeks", "P6W", "duration")]),
    ("Die Kämpfe dauerten zwei Monate.", [("zwei Monate", "P2M", "duration")]),
    ("Seit drei Tagen und seit Jahren", [("drei Tagen", "P3D", "duration"),
                                        ("Jahren", "PXY", "duration")]),
    ("La guerre a duré deux ans et quelques semaines.",
     [("deux ans", "P2Y", "duration"), ("quelques semaines", "PXW", "duration")]),
    ("a 24-hour ceasefire, 1.5 hours, twenty-five years, several months",
     [("24-hour", "PT24H", "duration"), ("1.5 hours", "PT1.5H", "duration"),
      ("twenty-five years", "P25Y", "duration"), ("several months", "PXM", "duration")]),
])
def test_durations_take_numbers_in_digits_or_words_and_adjectival_compounds(text, expected):
    assert durations(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The report is published every year.", [("every year", "P1Y", "set")]),
    ("with daily and weekly updates", [("daily", "P1D", "set"), ("weekly", "P1W", "set")]),
    ("5 million per year, 2 Millionen pro Jahr", [("per year", "P1Y", "set"),
                                                 ("pro Jahr", "P1Y", "set")]),
    ("every two weeks, alle zwei Wochen, tous les deux ans",
     [("every two weeks", "P2W", "set"), ("alle zwei Wochen", "P2W", "set"),
      ("tous les deux ans", "P2Y", "set")]),
    ("every Monday, jeden Tag, chaque année, jährlich",
     [("every Monday", "XXXX-WXX-1", "set"), ("jeden Tag", "P1D", "set"),
      ("chaque année", "P1Y", "set"), ("jährlich", "P1Y", "set")]),
])
def test_sets_take_every_words_adverbs_and_per_phrases(text, expected):
    assert durations(text) == expected


def test_an_amount_of_time_inside_a_date_expression_is_left_to_find_dates():
    text = "Two years ago, vor drei Tagen, il y a deux jours, this week, the 1990s."
    assert find_durations(text) == []
    assert len(find_dates(text)) == 5


def test_durations_are_not_dates_and_have_no_interval():
    text = "Talks went on for three years."
    assert find_dates(text) == []
    (hit,) = find_durations(text)
    assert hit.start is None and hit.end is None and hit.precision == "year"
    assert text[hit.char_start:hit.char_end] == hit.evidence == "three years"


def test_a_day_span_and_an_ordinal_second_are_not_durations():
    assert durations((FIXTURES / "day_span_10_15.txt").read_text(encoding="utf-8")) == []
    assert durations("a second round of talks") == []
