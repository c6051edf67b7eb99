"""The explorer in a real browser, on a small fixture corpus with every edge the UI must show."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.browser

FOREGROUND = {"r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11",
              "m1", "m2", "m3", "m5"}

MARKER_CENTRE = """(id) => {
  const g = document.querySelector('#timeline .js-plotly-plot');
  for (const layer of g.querySelectorAll('.scatterlayer .trace')) {
    const cd = layer.__data__;
    if (!cd || !cd[0] || !cd[0].trace.meta || cd[0].trace.meta.role !== 'events') continue;
    const trace = cd[0].trace;
    for (const point of layer.querySelectorAll('path.point')) {
      if (trace.customdata[point.__data__.i][0] === id) {
        const r = point.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2];
      }
    }
  }
  return null;
}"""


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def facet_box(page, title: str):
    return page.page.locator("fieldset.facet", has=page.page.locator("legend", has_text=title))


def tick(page, facet: str, value: str) -> None:
    facet_box(page, facet).locator(f'input[value="{value}"]').click()


def test_page_loads_without_console_errors_and_plots_one_marker_per_visible_event(page):
    page.open("/")
    assert sorted(page.marker_ids()) == sorted(FOREGROUND)
    assert page.page.get_attribute("#status-text", "data-count") == str(len(FOREGROUND))
    assert "16 events" in page.page.inner_text("#corpus-summary")
    assert page.errors == []


def test_clicking_a_marker_fills_the_detail_panel(page):
    page.open("/?from=2020-11-15&to=2020-11-25")
    x, y = page.page.evaluate(MARKER_CENTRE, "m2")
    page.page.mouse.click(x, y)
    detail = page.page.locator("#detail")
    detail.locator("h3").wait_for()
    assert detail.locator("h3").inner_text().startswith("On November 19")
    assert "year inferred" in detail.inner_text()
    assert detail.locator("mark").inner_text() == "On November 19"
    # a mention names its report
    assert "Forces Entered Aghdam" in detail.locator(".related").first.inner_text()
    assert query_of(page.page.url)["event"] == ["m2"]
    assert page.errors == []


def test_a_language_filter_changes_the_marker_count_to_the_right_number(page):
    page.open("/")
    tick(page, "Language", "de")
    page.wait_markers(2)
    assert sorted(page.marker_ids()) == ["r2", "r8"]
    assert query_of(page.page.url)["language"] == ["de"]
    tick(page, "Language", "fr")
    page.wait_markers(4)
    assert sorted(page.marker_ids()) == ["r2", "r3", "r8", "r9"]
    assert page.errors == []


def test_a_reload_restores_a_filtered_zoomed_view_and_back_undoes_it(page):
    page.open("/")
    tick(page, "Language", "en")
    page.wait_markers(11)
    page.page.get_by_role("button", name="44-day war").click()
    page.wait_url(lambda url: "from=2020-09-27" in url)
    page.wait_markers(4)
    # zoom further by dragging across the timeline
    box = page.page.locator("#timeline .nsewdrag").first.bounding_box()
    y = box["y"] + box["height"] / 2
    page.page.mouse.move(box["x"] + box["width"] * 0.05, y)
    page.page.mouse.down()
    page.page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
    page.page.mouse.up()
    page.wait_url(lambda url: "from=2020-09-27" not in url and "from=" in url)
    page.wait_rendered()
    zoomed = page.page.url
    shown = sorted(page.marker_ids())
    window = query_of(zoomed)["from"][0], query_of(zoomed)["to"][0]

    page.page.reload()
    page.wait_ready()
    page.wait_markers(len(shown))
    assert sorted(page.marker_ids()) == shown
    assert page.page.url == zoomed
    x_range = page.page.evaluate(
        "() => document.querySelector('#timeline .js-plotly-plot')._fullLayout.xaxis.range")
    assert [datetime.fromisoformat(v.replace(" ", "T")) for v in x_range] == [
        datetime.fromisoformat(v) for v in window]
    assert facet_box(page, "Language").locator("input:checked").count() == 1

    page.page.go_back()
    page.wait_url(lambda url: "from=2020-09-27" in url)
    page.wait_markers(4)
    page.page.go_back()
    page.wait_url(lambda url: "from=" not in url and "language=en" in url)
    page.wait_markers(11)
    assert page.errors == []


def test_export_returns_exactly_the_rows_shown(page):
    page.open("/?language=de&language=fr&from=2020-10-01&to=2020-11-10T10:00")
    page.wait_markers(3)
    shown = sorted(page.marker_ids())
    assert shown == ["r2", "r8", "r9"]
    with page.page.expect_download() as info:
        page.page.get_by_role("button", name="Export CSV").click()
    with open(info.value.path(), encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["event_id"] for r in rows) == shown
    with page.page.expect_download() as info:
        page.page.get_by_role("button", name="Export JSON").click()
    with open(info.value.path(), encoding="utf-8") as fh:
        assert sorted(r["event_id"] for r in json.load(fh)) == shown
    assert page.page.inner_text("#table-count") == "3 rows"
    page.page.locator(".ag-row").nth(2).wait_for()
    assert page.page.locator(".ag-center-cols-container .ag-row").count() == 3
    assert page.errors == []


HOSTILE_TITLE = "<script>alert(1)</script> headline with <img src=x onerror=alert(1)>"
HOSTILE_SOURCE = ('<b>Evil</b> Source <script>alert(1)</script> '
                  '<a href="javascript:alert(1)">x</a>')
INJECTED = """() => ({
    img: document.querySelectorAll('img').length,
    onerror: document.querySelectorAll('[onerror]').length,
    js: document.querySelectorAll('a[href^="javascript"], [href*="javascript:"]').length,
    inline: [...document.querySelectorAll('script')].filter(
        s => /alert\\(/.test(s.textContent)).length,
    bold: document.querySelectorAll('#timeline b, #detail b, .ag-root b, .facets b').length})"""
CLEAN = {"img": 0, "onerror": 0, "js": 0, "inline": 0, "bold": 0}


def test_document_markup_is_shown_as_text_not_run(page):
    """Title, source, excerpt, actor and place of r6 carry <script>, <img onerror> and a
    javascript: link: every view shows them as text and none of them runs."""
    page.open("/?event=r6&q=headline")
    detail = page.page.locator("#detail")
    detail.locator("h3").wait_for()
    assert detail.locator("h3").inner_text() == HOSTILE_TITLE
    assert HOSTILE_SOURCE in detail.inner_text()
    assert "<img src=x onerror=alert(4)>" in detail.inner_text()  # the actor
    assert 'href="javascript:alert(1)"' in detail.locator(".excerpt").inner_text()
    # the facet boxes list the hostile actor and place as text
    assert "<img src=x onerror=alert(4)>" in page.page.inner_text("fieldset.facet >> nth=3")
    assert "<script>alert(3)</script>" in page.page.inner_text(".facets")
    # the table
    page.page.locator(".ag-center-cols-container .ag-row").first.wait_for()
    table = page.page.inner_text(".ag-center-cols-container")
    assert HOSTILE_TITLE in table and HOSTILE_SOURCE.split(" <a")[0] in table
    # the hover label
    x, y = page.page.evaluate(MARKER_CENTRE, "r6")
    page.page.mouse.move(x, y)
    page.page.locator("#timeline .hoverlayer .hovertext").wait_for()
    assert "<script>" in page.page.locator("#timeline .hoverlayer").text_content()
    assert page.page.evaluate(INJECTED) == CLEAN
    # the export writes the text as it is, for a spreadsheet to show, not a browser to run
    with page.page.expect_download() as info:
        page.page.get_by_role("button", name="Export CSV").click()
    with open(info.value.path(), encoding="utf-8-sig") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["title"], row["source"]) == (HOSTILE_TITLE, HOSTILE_SOURCE)
    # the document view
    page.page.click("#doc-link")
    page.page.locator("#doc-page .doc-entry").wait_for()
    assert 'href="javascript:alert(1)"' in page.page.inner_text("#doc-page")
    assert page.page.evaluate(INJECTED) == CLEAN
    assert page.dialogs == []
    assert page.errors == []


def test_document_view_marks_the_entry_and_folds_the_comments(page):
    page.open("/?event=m1")
    page.page.click("#doc-link")
    entry = page.page.locator("#doc-page .doc-entry")
    entry.wait_for()
    assert entry.inner_text() == "On November 20th, Azerbaijani units entered Aghdam."
    comments = page.page.locator("#doc-page details.comments")
    assert comments.get_attribute("open") is None
    assert not page.page.get_by_text("Great news, finally!").is_visible()
    page.page.get_by_role("link", name="← Back to the timeline").click()
    page.wait_url(lambda url: urlparse(url).path == "/" and "event=m1" in url)
    page.page.locator("#explorer-page").wait_for(state="visible")
    assert page.errors == []


def test_a_document_is_served_only_by_its_name_in_the_corpus(page):
    response = page.page.goto(page.base + "/doc/..%2F..%2F..%2Fetc%2Fpasswd")
    assert response.status == 404
    assert "root:x:0" not in page.page.inner_text("body")
    # a name the corpus holds, under a view the app does not know: the page says so
    page.page.goto(page.base + "/doc/archive.txt?event=nope")
    page.page.locator("#doc-page h2").wait_for()
    assert page.page.inner_text("#doc-page h2") == "archive.txt"


def test_keys_walk_the_events_and_escape_clears_the_filters(page):
    page.open("/?language=de&language=fr")
    page.wait_markers(4)
    page.page.keyboard.press("j")
    page.wait_url(lambda url: "event=r9" in url)
    page.page.keyboard.press("j")
    page.wait_url(lambda url: "event=r8" in url)
    page.page.keyboard.press("k")
    page.wait_url(lambda url: "event=r9" in url)
    page.page.keyboard.press("Escape")
    page.wait_url(lambda url: "language" not in url)
    page.wait_markers(len(FOREGROUND))
    assert page.errors == []


def test_the_ingest_report_is_one_click_from_the_header(page):
    page.open("/")
    page.page.get_by_role("link", name="Ingest report").click()
    page.page.locator("#report-page h2").wait_for()
    assert "reader comment" in page.page.inner_text("#report-page")


def test_the_theme_toggle_switches_page_and_figures_to_dark(page):
    page.open("/")
    before = page.page.evaluate(
        "() => document.querySelector('#timeline .js-plotly-plot')._fullLayout.font.color")
    page.page.get_by_role("button", name=re.compile("theme")).click()
    page.page.wait_for_function(
        f"() => document.documentElement.dataset.theme === 'dark' && document.querySelector("
        f"'#timeline .js-plotly-plot')._fullLayout.font.color !== '{before}'")
    assert page.errors == []


def test_background_history_appears_only_when_asked_for(page):
    page.open("/")
    page.page.get_by_text(re.compile(r"Show background history \(1\)")).click()
    page.wait_markers(len(FOREGROUND) + 1)
    assert "m4" in page.marker_ids()


@pytest.fixture(scope="module")
def dense_server():
    from conftest import FIXTURE, Server

    server = Server(str(FIXTURE), "--max-points", "5")
    yield server
    server.stop()


def test_a_view_above_the_threshold_draws_counts_and_zooms_on_click(
        context, dense_server):
    from conftest import Page

    page = Page(context.new_page(), dense_server.url)
    page.open("/?lane=language")
    assert page.marker_ids() == []
    bins = page.page.evaluate("""() => document.querySelector('#timeline .js-plotly-plot')
        ._fullData.filter(t => t.meta && t.meta.role === 'bins')
        .map(t => [t.type, t.customdata.reduce((a, r) => a + r[2], 0)])""")
    assert bins == [["scatter", len(FOREGROUND)]]  # SVG: WebGL would need 'unsafe-eval'
    assert "too many to draw" in page.page.inner_text("#timeline-status")
    # filtering below the threshold brings single markers back
    tick(page, "Language", "de")
    page.wait_markers(2)
    assert page.errors == []
    page.page.close()


def test_double_clicking_the_timeline_shows_the_whole_span_again(page):
    page.open("/?language=de&from=2020-10-01&to=2020-10-10")
    page.wait_markers(1)
    page.double_click_timeline(lambda url: "from=" not in url and "language=de" in url)
    page.wait_markers(2)
    assert page.errors == []
