"""Actors and places: matching on the bundled documents, spellings, and coordinates."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import pytest

from app.enrich import vocab
from app.enrich.entities import _is_acronym, find_entities, tag_entities
from app.enrich.gazetteer import CURATED, GEONAMES, SETTLEMENT_KINDS, geonames_lookup, place_table
from app.schema import from_records

# A box around the South Caucasus: coordinates of the conflict's places must land in it.
CAUCASUS = {"lat": (38.3, 42.0), "lon": (43.0, 50.5)}


@pytest.fixture(scope="module")
def tagged(bundled) -> pd.DataFrame:
    return tag_entities(bundled.events)


def row(events: pd.DataFrame, title_start: str) -> pd.Series:
    hits = events[events["title"].str.startswith(title_start)]
    assert len(hits) == 1, title_start
    return hits.iloc[0]


def test_german_archive_entry_names_the_minister_and_both_states(tagged):
    entry = row(tagged, "Außenminister Maas zu den erneuten")
    assert entry["language"] == "de"
    assert {"Heiko Maas", "Armenia", "Azerbaijan"} <= set(entry["actors"])


def test_french_declaration_names_the_co_chairs_and_haut_karabagh(tagged):
    entry = row(tagged, "Déclaration des Présidents")
    assert entry["language"] == "fr"
    assert {"Russia", "United States", "France", "OSCE Minsk Group"} <= set(entry["actors"])
    assert entry["places"] == ["Nagorno-Karabakh"]


def test_german_spellings_of_people_and_towns_resolve_to_canonical_names(tagged):
    assert "Nikol Pashinyan" in row(tagged, "Armenien: Mordanschlag")["actors"]  # Paschinian
    assert "Sergey Lavrov" in row(tagged, "Bergkarabach: Neuer Anlauf")["actors"]  # Lawrow
    assert row(tagged, "Aserbaidschan: Zwölf Tote")["places"] == ["Ganja"]  # Gandscha
    assert "Yerevan" in row(tagged, "Armenien: Aserbaidschan griff")["places"]  # Eriwan


def test_farrukh_reports_of_the_forum_thread_name_the_village(tagged):
    entry = row(tagged, "Azerbaijan denies troops pullout")
    assert "Farrukh" in entry["places"]
    assert {"Azerbaijan", "Russia", "Russian peacekeepers"} <= set(entry["actors"])


def test_every_bundled_report_names_at_least_one_actor_or_place(tagged):
    reports = tagged[tagged["kind"] == "report"]
    bare = reports[[not (a or p) for a, p in zip(reports["actors"], reports["places"],
                                                  strict=True)]]
    assert bare.empty, list(bare["title"])


@pytest.mark.parametrize(("text", "actor"), [
    ("Aliyev's speech", "Ilham Aliyev"),
    ("die Truppen Aserbaidschans", "Azerbaijan"),
    ("le président d'Azerbaïdjan", "Azerbaijan"),
    ("l’armée d’Azerbaïdjan", "Azerbaijan"),
    ("Premier Paschinjan", "Nikol Pashinyan"),
    ("Prime Minister Pashinian", "Nikol Pashinyan"),
    ("Putins Sprecher", "Vladimir Putin"),
    ("President İlham Aliyev", "Ilham Aliyev"),
    ("Erdoğan said", "Recep Tayyip Erdogan"),
    ("die aserbaidschanische Armee", "Azerbaijan"),
])
def test_possessives_inflections_and_accents_resolve_to_the_canonical_actor(text, actor):
    assert actor in find_entities(text)[0]


@pytest.mark.parametrize(("text", "place"), [
    ("Kämpfe in Bergkarabach", "Nagorno-Karabakh"),
    ("der Berg-Karabach-Konflikt", "Nagorno-Karabakh"),
    ("le Haut-Karabakh", "Nagorno-Karabakh"),
    ("the Artsakh capital", "Nagorno-Karabakh"),
    ("near the village of Parukh", "Farrukh"),
    ("Khankendi city", "Stepanakert"),
    ("the Lachinsky corridor", "Lachin"),
    ("Fizuli-Hadrut-Jabrayil direction", "Hadrut"),
])
def test_place_spellings_resolve_to_the_canonical_place(text, place):
    assert place in find_entities(text)[1]


@pytest.mark.parametrize("text", [
    "Rasputin and Maastricht",  # names inside longer words
    "un accord est signé",  # French article, not the UN
    "let us talk",  # pronoun, not the US
    "Bakunin wrote",
])
def test_names_inside_other_words_and_lowercase_acronyms_are_not_matched(text):
    assert find_entities(text) == ([], [])


def test_longest_alias_wins_and_implies_its_state():
    actors, places = find_entities("The Russian peacekeepers met the OSCE Minsk Group.")
    assert actors == ["Russian peacekeepers", "Russia", "OSCE Minsk Group"]
    assert places == []  # Minsk inside the group's name is no place


def test_newspaper_name_is_not_a_place():
    assert find_entities("the Jerusalem Post reported")[1] == []
    assert find_entities("talks in Jerusalem")[1] == ["Jerusalem"]


def test_capitalised_acronyms_match_in_capitals_only():
    assert _is_acronym("UNSC") and _is_acronym("U.S.") and not _is_acronym("Baku")
    assert find_entities("the UN and the US")[0] == ["United Nations", "United States"]


def test_tag_entities_returns_a_new_frame_and_leaves_the_input_alone():
    events = from_records([{"event_id": "a", "kind": "report", "title": "Lawrow in Eriwan",
                            "text": "", "start": pd.Timestamp("2020-10-10")}])
    tagged = tag_entities(events)
    assert tagged.loc[0, "actors"] == ["Sergey Lavrov", "Russia"]
    assert tagged.loc[0, "places"] == ["Yerevan"]
    assert events.loc[0, "actors"] == []


def test_no_alias_names_two_different_things():
    owners: dict[str, set[str]] = defaultdict(set)
    for actor in vocab.actors():
        for alias in actor.aliases:
            owners[vocab.fold(alias)].add(actor.name)
    for place in vocab.places():
        for alias in place.aliases:
            owners[vocab.fold(alias)].add(place.canonical)
    clashes = {alias: names for alias, names in owners.items() if len(names) > 1}
    assert clashes == {}


def test_place_missing_from_the_package_is_resolved_from_the_curated_file():
    farrukh = next(p for p in vocab.places() if p.canonical == "Farrukh")
    assert geonames_lookup(farrukh) is None
    table = place_table().set_index("canonical")
    assert table.loc["Farrukh", "source"] == CURATED
    assert CAUCASUS["lat"][0] < table.loc["Farrukh", "lat"] < CAUCASUS["lat"][1]
    assert CAUCASUS["lon"][0] < table.loc["Farrukh", "lon"] < CAUCASUS["lon"][1]


def test_package_finds_stepanakert_under_its_azerbaijani_name():
    table = place_table().set_index("canonical")
    assert table.loc["Stepanakert", "source"] == GEONAMES
    assert abs(table.loc["Stepanakert", "lat"] - 39.82) < 0.05


def test_curated_coordinates_are_given_only_where_the_package_lacks_the_place():
    redundant = [p.canonical for p in vocab.places()
                 if p.kind in SETTLEMENT_KINDS and p.lat is not None and geonames_lookup(p)]
    assert redundant == []


def test_every_known_place_has_coordinates():
    table = place_table()
    assert len(table) == len(vocab.places())
    assert table[["lat", "lon"]].notna().all().all()
    assert set(table["source"]) == {GEONAMES, CURATED}


def test_a_text_repeated_after_a_line_break_names_what_it_names_once(bundled):
    # tag_entities matches a mention whose title is its whole sentence once, not twice
    sentences = bundled.events.loc[bundled.events["kind"] == "mention", "text"]
    assert len(sentences) > 50
    for s in [*sentences, "Aliyev’s troops; Ильхам Алиев; UN/OSZE — Putins Şuşa-"]:
        assert find_entities(f"{s}\n{s}") == find_entities(s)


def test_mentions_of_one_sentence_get_equal_but_separate_lists():
    sentence = "On 9 November Putin, Aliyev and Pashinyan signed in Moscow."
    events = from_records([
        {"event_id": str(i), "kind": "mention", "title": sentence, "text": sentence}
        for i in range(2)])
    out = tag_entities(events)
    assert out["actors"][0] == out["actors"][1] == ["Vladimir Putin", "Russia",
                                                    "Ilham Aliyev", "Azerbaijan",
                                                    "Nikol Pashinyan", "Armenia"]
    assert out["actors"][0] is not out["actors"][1]


def walk_implied(text):
    """The definition of find_entities: tags in text order, each new actor followed at once
    by what it implies (depth first); an actor seen before adds nothing."""
    from app.enrich.entities import _entity_matcher, _implied

    actors, places = {}, {}
    pending = [tag for m in _entity_matcher().find(text) for tag in m.tags]
    while pending:
        tag = pending.pop(0)
        if tag.role == "actor" and tag.name not in actors:
            actors[tag.name] = None
            pending[:0] = _implied().get(tag.name, ())
        elif tag.role == "place":
            places.setdefault(tag.name, None)
    return list(actors), list(places)


def test_implied_names_come_right_after_the_actor_that_implies_them(bundled):
    texts = [f"{t}\n{x}" for t, x in zip(bundled.events["title"], bundled.events["text"],
                                          strict=True)]
    texts.append("Putin met Lavrov; Russia and the Kremlin, then Aliyev in Baku and Putin.")
    for text in texts:
        assert find_entities(text) == walk_implied(text)
    assert find_entities(texts[-1])[0][:2] == ["Vladimir Putin", "Russia"]
