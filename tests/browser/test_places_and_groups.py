"""The map of places and the duplicate groups in a real browser (fixture corpus: Stepanakert
has three foreground events, g1 is three reports in en/de/fr, g2 a disputed pair)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from conftest import click_point, trace_keys

pytestmark = pytest.mark.browser

FOREGROUND = 15
STEPANAKERT = ["r4", "r8", "r9"]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def map_places(page) -> list[str]:
    return sorted(trace_keys(page, "#map", "places"))


def wait_map(page, places: list[str]) -> None:
    page.page.wait_for_function(
        """(want) => { const g = document.querySelector('#map .js-plotly-plot');
          if (!g || !g._fullData) return false;
          const got = g._fullData.filter(t => t.meta && t.meta.role === 'places')
            .flatMap(t => (t.customdata || []).map(r => r[0])).sort();
          return JSON.stringify(got) === JSON.stringify(want); }""", arg=sorted(places))


def test_clicking_a_place_filters_timeline_and_table_and_the_map_follows_other_filters(page):
    page.open("/")
    wait_map(page, ["Aghdam", "Farrukh", "Lachin", "Nagorno-Karabakh", "Stepanakert"])
    # the base map comes from the app itself: land is drawn, nothing was fetched elsewhere
    assert page.page.locator("#map .geo .layer.land path").count() == 1
    click_point(page, "#map", "places", "Stepanakert")
    page.wait_url(lambda url: query_of(url).get("places") == ["Stepanakert"])
    page.wait_rendered()
    page.wait_markers(len(STEPANAKERT))
    assert sorted(page.marker_ids()) == STEPANAKERT
    assert page.page.inner_text("#table-count") == "3 rows"
    page.page.locator(".ag-center-cols-container .ag-row").nth(2).wait_for()
    assert page.page.locator(".ag-center-cols-container .ag-row").count() == 3
    # the map still shows every place the other filters allow, the chosen one marked
    assert map_places(page) == ["Aghdam", "Farrukh", "Lachin", "Nagorno-Karabakh",
                                "Stepanakert"]
    assert facet_checked(page, "Place") == ["Stepanakert"]

    facet_box(page, "Language").locator('input[value="de"]').click()
    page.wait_markers(1)
    assert page.marker_ids() == ["r8"]
    wait_map(page, ["Nagorno-Karabakh", "Stepanakert"])
    # a second click on the chosen place drops it
    click_point(page, "#map", "places", "Stepanakert")
    page.wait_url(lambda url: "places" not in query_of(url))
    page.wait_markers(2)
    assert sorted(page.marker_ids()) == ["r2", "r8"]
    assert page.errors == []


def test_a_shared_link_with_a_place_restores_map_and_selection(page):
    page.open("/?places=Lachin&places=Aghdam")
    page.wait_markers(3)
    assert sorted(page.marker_ids()) == ["m1", "r5", "r7"]
    assert facet_checked(page, "Place") == ["Aghdam", "Lachin"]
    wait_map(page, ["Aghdam", "Farrukh", "Lachin", "Nagorno-Karabakh", "Stepanakert"])
    assert page.errors == []


def test_collapsing_duplicates_shows_one_marker_per_group_and_expanding_restores_them(page):
    page.open("/")
    page.wait_markers(FOREGROUND)
    # the map arrives with the same render; let it settle before clicking near it
    wait_map(page, ["Aghdam", "Farrukh", "Lachin", "Nagorno-Karabakh", "Stepanakert"])
    toggle_collapse(page)
    page.wait_url(lambda url: query_of(url).get("collapse") == ["1"])
    page.wait_rendered()
    # g1 (three reports) and g2 (two) become one marker each: 15 - 2 - 1
    page.wait_markers(FOREGROUND - 3 - 2)
    groups = sorted(trace_keys(page, "#timeline", "groups"))
    assert groups == ["r1", "r10"]
    assert len(page.marker_ids()) + len(groups) == FOREGROUND - 3
    labels = page.page.locator("#timeline .scatterlayer .textpoint").evaluate_all(
        "els => els.map(e => e.textContent)")
    assert "3 reports · de en fr" in labels and "2 reports · en · disputed" in labels
    # counts keep counting events
    assert page.page.get_attribute("#status-text", "data-count") == str(FOREGROUND)
    assert page.page.inner_text("#selection-count") == "Showing 15 of 15 events"

    click_point(page, "#timeline", "groups", "r1")
    page.wait_url(lambda url: query_of(url).get("event") == ["r1"])
    members = page.page.locator("#group-members article.version")
    members.nth(2).wait_for()
    assert [members.nth(i).get_attribute("data-event") for i in range(members.count())] == [
        "r1", "r2", "r3"]
    text = page.page.inner_text("#group-members")
    for headline in ("Ceasefire statement signed", "Waffenstillstand in Berg-Karabach",
                     "Cessez-le-feu au Haut-Karabakh", "Le Monde", "Wikipedia", "10 Nov 2020"):
        assert headline in text
    assert "disputed" not in page.page.inner_text("#detail")

    toggle_collapse(page)
    page.wait_url(lambda url: "collapse" not in query_of(url))
    page.wait_rendered()
    page.wait_markers(FOREGROUND)
    assert trace_keys(page, "#timeline", "groups") == []
    # expanded, the same event shows on its own again
    page.page.locator("#detail h3", has_text="Ceasefire statement signed").wait_for()
    assert page.errors == []


def test_a_disputed_group_shows_its_versions_side_by_side_with_a_disputed_label(page):
    page.open("/?collapse=1&event=r11")
    versions = page.page.locator("#group-members article.version")
    versions.nth(1).wait_for()
    assert versions.count() == 2
    assert page.page.locator("#detail .badge.disputed").inner_text() == "disputed"
    first, second = (versions.nth(i).bounding_box() for i in range(2))
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + first["width"] / 2
    assert "Russia says Azerbaijani troops entered Farrukh" in versions.nth(0).inner_text()
    assert "Azerbaijan denies" in versions.nth(1).inner_text()
    assert page.errors == []


def facet_box(page, title: str):
    return page.page.locator("fieldset.facet", has=page.page.locator("legend", has_text=title))


def facet_checked(page, title: str) -> list[str]:
    box = facet_box(page, title)
    return sorted(box.locator("input:checked").evaluate_all("els => els.map(e => e.value)"))


def toggle_collapse(page) -> None:
    # by keyboard, as a reader tabbing through the controls would
    page.page.locator("#collapse-toggle input").focus()
    page.page.keyboard.press("Space")
