"""Properties of the date finder on arbitrary and on date-like generated text."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from app.dates import find_dates, find_durations

REF = datetime(2020, 11, 21, 12, 0)
PRECISIONS = {"minute", "hour", "day", "week", "month", "year"}
KINDS = {"absolute", "partial", "relative", "range"}

# Pieces that tend to form (or nearly form) dates, to reach the deeper branches.
FRAGMENTS = st.sampled_from([
    "on", "in", "since", "between", "and", "to", "from", "am", "le", "vor", "il y a", "ago",
    "November", "Nov.", "März", "février", "Sonntag", "samedi", "Friday", "last", "next",
    "yesterday", "gestern", "hier", "heute", "this week", "the", "early", "mid-", "–", "-",
    ",", ".", ":", "(UTC+04:00)", "GMT", "Uhr", "pm", "th", "er", "1990s", "1921", "2020",
    "29", "31", "30", "02", "13", "00", "10.11.2020", "2022-09-13", "2,500", "S-300", "$",
    "4 hours", "days", "Tagen", "jours", "\n", " ", "  ",
])
DATEISH = st.lists(FRAGMENTS, max_size=14).map(" ".join)
REFS = st.one_of(st.none(), st.datetimes(min_value=datetime(1900, 1, 1),
                                         max_value=datetime(2090, 12, 31)), st.datetimes())


def check(text: str, ref: datetime | None) -> None:
    hits = find_dates(text, ref=ref)
    last_end = 0
    for h in hits:
        assert text[h.char_start:h.char_end] == h.evidence
        assert h.evidence and h.evidence == h.evidence.strip()
        assert h.char_start >= last_end  # in order, not overlapping
        last_end = h.char_end
        assert h.precision in PRECISIONS and h.kind in KINDS
        assert (h.start is None) == (h.end is None)
        if h.start is not None:
            assert h.end > h.start
            if ref is None or 1900 <= ref.year <= 2090:
                assert 1000 <= h.start.year <= 2200
        if ref is None and h.kind == "partial":
            assert h.start is None
        h.to_dict()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), REFS)
def test_finder_never_raises_on_arbitrary_text(text, ref):
    check(text, ref)


@settings(max_examples=400, deadline=None)
@given(DATEISH, REFS)
def test_offsets_slice_out_the_evidence_and_intervals_are_valid(text, ref):
    check(text, ref)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=datetime(1900, 1, 1).date(), max_value=datetime(2099, 12, 31).date()),
       st.sampled_from(["{d}.{m}.{y}", "{y}-{m:02d}-{d:02d}", "{d} {M} {y}", "{M} {d}, {y}"]))
def test_written_dates_resolve_to_themselves(day, shape):
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    text = "It was signed on " + shape.format(d=day.day, m=day.month, y=day.year,
                                              M=months[day.month - 1]) + " in Moscow."
    hits = find_dates(text)
    assert len(hits) == 1
    assert hits[0].start == datetime(day.year, day.month, day.day)
    assert hits[0].precision == "day"


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=datetime(1950, 1, 1).date(), max_value=datetime(2080, 12, 31).date()),
       st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=28))
def test_partial_date_lands_within_a_year_of_the_reference(ref_day, month, day):
    ref = datetime(ref_day.year, ref_day.month, ref_day.day)
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    hits = find_dates(f"On {months[month - 1]} {day}, talks began.", ref=ref)
    assert len(hits) == 1
    delta = (hits[0].start - ref).days
    assert -366 <= delta <= 366
    assert hits[0].year_inferred is True


DURATIONISH = st.lists(st.sampled_from([
    "two", "zwei", "deux", "twenty-five", "a", "few", "several", "44", "1.5", "-", "10-15",
    "days", "day", "Monate", "ans", "hours", "every", "jeden", "tous les", "Monday", "lundis",
    "daily", "per", "year", "pro Jahr", "ago", "vor", "for", "seit", "Jahren", " ", "\n",
]), max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), DURATIONISH))
def test_durations_never_raise_and_slice_out_their_evidence(text):
    last_end = 0
    for h in find_durations(text):
        assert text[h.char_start:h.char_end] == h.evidence
        assert h.char_start >= last_end
        last_end = h.char_end
        assert h.kind in {"duration", "set"} and h.start is None and h.end is None
        assert h.value.startswith(("P", "XXXX-WXX-"))
