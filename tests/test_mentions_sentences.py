"""The sentence around a mention's date: where it starts and ends."""

from hypothesis import given
from hypothesis import strategies as st

from app.mentions import _SENTENCE_END, _last_cut, sentence_around


def last_match_end(left: str) -> int:
    """The definition: the end of the last sentence end found reading left to right."""
    cuts = list(_SENTENCE_END.finditer(left))
    return cuts[-1].end() if cuts else 0


@given(st.text(alphabet=". !?…\n\t\xa0\u2028aZ1\"“É,", max_size=30))
def test_the_last_sentence_end_read_from_the_right_is_the_last_one_read_from_the_left(left):
    assert _last_cut(left) == last_match_end(left)


def test_a_sentence_starts_after_a_full_stop_before_a_capital_and_ends_at_the_next():
    text = "Talks failed. On November 20th units entered Aghdam. Then they left."
    start = text.index("November")
    assert sentence_around(text, start, start + 15) == "On November 20th units entered Aghdam."


def test_a_full_stop_before_a_lower_case_word_does_not_end_a_sentence():
    text = "Units of the 3rd Corps etc. entered Aghdam on Nov. 20 at dawn."
    start = text.index("Nov.")
    assert sentence_around(text, start, start + 7) == text


def test_a_line_break_ends_a_sentence_even_without_a_full_stop():
    text = "Headline without a stop\nOn Saturday troops withdrew"
    start = text.index("Saturday")
    assert sentence_around(text, start, start + 8) == "On Saturday troops withdrew"


def test_blanks_after_a_full_stop_are_one_break_even_across_lines():
    text = "It ended.  \n  \"We left\" on Monday, he said."
    start = text.index("Monday")
    assert sentence_around(text, start, start + 6) == '"We left" on Monday, he said.'


def test_a_long_mention_headline_ends_at_a_word_with_an_ellipsis():
    from app.mentions import TITLE_CHARS, shorten

    sentence = "On 10 November the leaders signed a statement " + "ending the war " * 20
    title = shorten(sentence, TITLE_CHARS)
    assert len(title) <= TITLE_CHARS and title.endswith("…")
    assert sentence.startswith(title[:-1]) and sentence[len(title) - 1] == " "
    assert shorten("A short sentence.", TITLE_CHARS) == "A short sentence."
