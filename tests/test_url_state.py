import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from app.query import FACET_COLUMNS, Filters
from app.web.url_state import ViewState, decode, encode, normalize, search

values = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
times = st.datetimes(min_value=pd.Timestamp("1900-01-01").to_pydatetime(),
                     max_value=pd.Timestamp("2100-01-01").to_pydatetime()).map(
    lambda d: pd.Timestamp(d).floor("s"))
states = st.builds(
    ViewState,
    filters=st.builds(
        Filters,
        facets=st.dictionaries(st.sampled_from(FACET_COLUMNS),
                               st.lists(values, max_size=3).map(tuple), max_size=3),
        background=st.booleans(),
        start=st.none() | times,
        end=st.none() | times,
        text=values,
    ),
    lane=st.sampled_from(FACET_COLUMNS),
    lag=st.booleans(),
    event=values,
    collapse=st.booleans(),
)


@given(states)
def test_decoding_an_encoded_state_gives_the_same_state(state):
    assert decode(encode(state)) == normalize(state)


def test_the_default_view_has_an_empty_query_string():
    assert encode(ViewState()) == ""
    assert search(ViewState()) == ""
    assert decode("") == ViewState()
    assert decode(None) == ViewState()


def test_a_shared_link_restores_filters_window_lane_and_event():
    state = decode("?language=de&language=fr&from=2020-11-09&to=2020-11-10T21:30"
                   "&q=peacekeepers&lane=language&lag=0&event=r2")
    assert state.filters.facets == {"language": ("de", "fr")}
    assert state.filters.start == pd.Timestamp("2020-11-09")
    assert state.filters.end == pd.Timestamp("2020-11-10T21:30")
    assert state.filters.text == "peacekeepers"
    assert (state.lane, state.lag, state.event) == ("language", False, "r2")


def test_times_are_written_as_short_as_their_precision_allows():
    state = ViewState(filters=Filters(start=pd.Timestamp("2020-11-09"),
                                      end=pd.Timestamp("2020-11-10T21:30")))
    assert encode(state) == "from=2020-11-09&to=2020-11-10T21%3A30"


def test_malformed_parameters_are_ignored_not_fatal():
    state = decode("from=yesterday&to=2020-13-45&lane=nonsense&bg=maybe&colour=red")
    assert state == ViewState()


def test_a_reversed_window_is_put_in_order():
    state = decode("from=2021-01-01&to=2020-01-01")
    assert state.filters.start < state.filters.end


def test_facet_values_with_commas_ampersands_and_empty_source_survive():
    state = ViewState(filters=Filters(facets={"source": ("", "A, B & C")}))
    assert decode(encode(state)).filters.facets == {"source": ("", "A, B & C")}


def test_the_collapse_toggle_lives_in_the_url():
    state = decode("?collapse=1&places=Lachin")
    assert state.collapse and state.filters.facets == {"places": ("Lachin",)}
    assert encode(state) == "places=Lachin&collapse=1"
    assert not decode("?collapse=0").collapse
