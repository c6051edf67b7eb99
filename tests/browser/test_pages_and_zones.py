"""A folder of saved web pages and feeds served as a user serves it: reports with their
stated zones, shown as written and in UTC."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Page, Server

pytestmark = pytest.mark.browser

MARKUP = Path(__file__).parents[1] / "fixtures" / "markup"


@pytest.fixture(scope="module")
def markup_server() -> Iterator[Server]:
    server = Server(command=[sys.executable, "-m", "app", "serve", str(MARKUP), "--port",
                             "{port}", "--no-cache"])
    yield server
    server.stop()


def test_a_web_pages_report_shows_its_written_time_and_the_same_moment_in_utc(
        context, markup_server):
    page = Page(context.new_page(), markup_server.url)
    try:
        page.open("/?kind=report&source=Caucasus+Daily")
        page.wait_markers(1)
        page.page.keyboard.press("j")
        page.wait_url(lambda url: "event=" in url)
        detail = page.page.locator("#detail")
        detail.locator("h3").wait_for()
        assert detail.locator("h3").inner_text() == "Russian peacekeepers enter Lachin corridor"
        assert "26 Nov 2020, 14:05 (UTC+04:00)" in detail.inner_text()
        assert page.page.inner_text("#detail-utc") == "= 26 Nov 2020, 10:05 UTC"
        # the document view shows the page as text, not as markup
        page.page.click("#doc-link")
        page.page.locator("#doc-page .doc-entry").wait_for()
        text = page.page.inner_text("#doc-page")
        assert "Published: 2020-11-26T14:05:00+0400" in text and "<article" not in text
        assert page.errors == []
    finally:
        page.page.close()
