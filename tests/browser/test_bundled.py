"""The explorer on the bundled corpus: what a newcomer sees after ``timeline serve``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import Page, Server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bundled_server() -> Iterator[Server]:
    server = Server("--bundled")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def bundled_events():
    from app import query
    from app.pipeline import load_corpus

    events = query.prepare(load_corpus().events)
    return query.select(events, query.Filters())


def test_the_bundled_corpus_plots_every_foreground_event_without_errors(
        context, bundled_server, bundled_events):
    page = Page(context.new_page(), bundled_server.url)
    page.open("/")
    assert sorted(page.marker_ids()) == sorted(bundled_events["event_id"])
    assert page.errors == []
    for lane in ("Language", "Kind", "Actor", "Place"):
        page.page.locator(f"#lane-facet label:has-text('{lane}')").click()
        page.wait_url(lambda url, lane=lane: "lane=" in url)
        page.wait_rendered()
    page.page.get_by_role("button", name="44-day war").click()
    page.wait_url(lambda url: "from=2020-09-27" in url)
    page.wait_rendered()
    page.page.keyboard.press("j")
    page.page.locator("#detail h3").wait_for()
    page.page.click("#doc-link")
    page.page.locator("#doc-page .doc-entry").wait_for()
    assert page.errors == []
    page.page.close()
