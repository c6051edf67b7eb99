"""The explorer as a new reader finds it: large views drawn under the strict policy, layouts
that hold (a group open, a document, a phone), keys that keep the reader's work, and a
corpus served from Parquet that still opens its documents."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import FIXTURE, Page, Server
from large import write_large_fixture

pytestmark = pytest.mark.browser

CSP_LISTENER = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '')));"""
LARGE_EVENTS = 3000


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def box(page: Page, selector: str) -> dict:
    """The element's box in page coordinates (not the viewport's)."""
    return page.page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
          return {x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width,
                  height: r.height}; }""", selector)


def overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def plot_area(page: Page, graph: str = "#timeline") -> dict:
    return box(page, f"{graph} .nsewdrag")


@pytest.fixture(scope="module")
def large_server(tmp_path_factory) -> Iterator[Server]:
    path = write_large_fixture(tmp_path_factory.mktemp("large") / "large.json", FIXTURE,
                               n=LARGE_EVENTS)
    server = Server(str(path))
    yield server
    server.stop()


@pytest.fixture
def watched(context) -> Iterator:
    """A page that records Content-Security-Policy violations from its first script on."""
    page = context.new_page()
    page.add_init_script(CSP_LISTENER)
    yield page
    page.close()


def violations(page: Page) -> list[str]:
    return page.page.evaluate("window.__csp || []")


# --- 1. large views are drawn, with no policy violation ---------------------------------------

def test_a_large_corpus_draws_its_density_view_with_no_policy_violation(watched, large_server):
    page = Page(watched, large_server.url)
    page.open("/")
    assert page.page.get_attribute("#status-text", "data-count") == str(LARGE_EVENTS)
    assert "too many to draw" in page.page.inner_text("#timeline-status")
    # the circles are in the page (SVG), not a grey box saying WebGL is missing
    page.page.wait_for_function("""() => document.querySelectorAll(
        '#timeline .scatterlayer .trace path.point').length > 20""")
    assert page.page.locator("#timeline .gl-container canvas").count() == 0
    assert "WebGL" not in page.page.inner_text("#timeline")
    counted = page.page.evaluate("""() => document.querySelector('#timeline .js-plotly-plot')
        ._fullData.filter(t => t.meta && t.meta.role === 'bins')
        .reduce((a, t) => a + t.customdata.reduce((b, r) => b + r[2], 0), 0)""")
    assert counted == LARGE_EVENTS
    # one lane: fewer events than the threshold, single markers again
    page.open("/?from=2020-10-10&to=2020-10-12")
    page.page.wait_for_function("""() => document.querySelectorAll(
        '#timeline .scatterlayer .trace path.point').length > 0""")
    assert page.marker_ids()
    assert violations(page) == []
    assert not [e for e in page.errors if "Content Security Policy" in e]


# --- 2. a group open keeps every chart its height ----------------------------------------------

CHARTS = ("#overview", "#map", "#timeline")


def assert_charts_stand_apart(page: Page) -> None:
    boxes = {c: box(page, c) for c in CHARTS}
    for chart, b in boxes.items():
        assert b["height"] > 150, (chart, b)
    for i, a in enumerate(CHARTS):
        for b in CHARTS[i + 1:]:
            assert not overlap(boxes[a], boxes[b]), (a, b, boxes)
    table = box(page, "#table-card")
    assert all(not overlap(boxes[c], table) for c in CHARTS)


@pytest.mark.parametrize("width", [1440, 1400, 1200])
def test_a_shared_link_with_a_group_open_keeps_the_charts_their_height(browser, fixture_server,
                                                                       width):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    try:
        page = Page(context.new_page(), fixture_server.url)
        page.open("/?collapse=1&event=r1")
        page.page.locator("#group-members article.version").nth(2).wait_for()
        page.page.wait_for_function(
            "() => document.getElementById('explorer-page').classList.contains('wide-detail')")
        assert_charts_stand_apart(page)
        assert page.errors == []
    finally:
        context.close()


def test_opening_a_group_by_a_click_keeps_the_charts_their_height(page):
    page.open("/?collapse=1")
    from conftest import click_point

    click_point(page, "#timeline", "groups", "r1")
    page.wait_url(lambda url: query_of(url).get("event") == ["r1"])
    page.page.locator("#group-members article.version").nth(2).wait_for()
    page.page.wait_for_function(
        "() => document.getElementById('explorer-page').classList.contains('wide-detail')")
    assert_charts_stand_apart(page)


# --- 3. the document and the report open at the top of the page -------------------------------

def test_the_document_and_the_report_are_drawn_at_the_top_of_the_page(page):
    page.open("/?event=r5")
    page.page.click("#doc-link")
    page.page.locator("#doc-page .doc-title").wait_for()
    assert page.page.locator("#explorer-page").is_hidden()
    assert box(page, "#doc-page")["y"] < 200
    page.page.goto(page.base + "/report")
    page.page.locator("#report-page h2").wait_for()
    assert page.page.locator("#explorer-page").is_hidden()
    assert box(page, "#report-page")["y"] < 200
    assert page.page.evaluate("window.scrollY") == 0
    # from a scrolled explorer, the header's link opens the report at its top
    page.open("/")
    page.page.evaluate("window.scrollTo(0, 600)")
    page.page.get_by_role("link", name="Ingest report").click()
    page.page.locator("#report-page h2").wait_for()
    page.page.wait_for_function("() => window.scrollY === 0")


# --- 4. Escape keeps the reader's work ---------------------------------------------------------

def test_escape_in_the_search_box_keeps_the_search(page):
    page.open("/")
    search = page.page.locator("#search input, input#search").first
    search.fill("ceasefire")
    page.wait_url(lambda url: query_of(url).get("q") == ["ceasefire"])
    page.wait_rendered()
    search.focus()
    page.page.keyboard.press("Escape")
    # the field is left, the words stay, in the box and in the URL
    page.page.wait_for_function("() => !document.activeElement.matches('input')")
    assert search.input_value() == "ceasefire"
    page.wait_rendered()
    assert query_of(page.page.url).get("q") == ["ceasefire"]
    # a second Escape, outside any field, clears the filters
    page.page.keyboard.press("Escape")
    page.wait_url(lambda url: "q=" not in url)
    assert page.errors == []


def test_escape_closing_the_date_picker_keeps_the_filters(page):
    page.open("/?language=en")
    for attempt in range(4):  # the issue saw it clear the filters two times in four
        page.page.locator("input#date-range").click()
        page.page.locator(".dash-datepicker-content, .dash-datepicker-calendar").first.wait_for()
        if attempt % 2:  # focus inside the calendar (a day or its month buttons), not the field
            page.page.locator(".dash-datepicker-content button").first.focus()
        page.page.keyboard.press("Escape")
        page.page.wait_for_function("() => !document.querySelector("
                                    "'.dash-datepicker-content, .dash-datepicker-calendar')")
        page.wait_rendered()
        assert query_of(page.page.url).get("language") == ["en"]


def test_the_date_picker_opens_on_the_corpus_not_on_today(page):
    page.open("/")
    page.page.locator("input#date-range").click()
    calendar = page.page.locator(".dash-datepicker-content, .dash-datepicker-calendar").first
    calendar.wait_for()
    text = calendar.inner_text()
    assert "2020" in text and str(__import__("datetime").date.today().year) not in text
    # drawn above the charts: the calendar's centre is the calendar, not the overview
    hit = page.page.evaluate("""() => { const c = document.querySelector(
        '.dash-datepicker-content, .dash-datepicker-calendar').getBoundingClientRect();
      const el = document.elementFromPoint(c.x + c.width / 2, c.y + c.height / 2);
      return !!el.closest('.dash-datepicker-content, .dash-datepicker-calendar,'
                          + ' .dash-datepicker-portal'); }""")
    assert hit
    page.page.keyboard.press("Escape")


# --- 5. day and hour views ----------------------------------------------------------------------

SPAN_IDS = """() => document.querySelector('#timeline .js-plotly-plot')._fullData
    .filter(t => t.meta && t.meta.role === 'events' && t.meta.span)
    .flatMap(t => t.customdata.map(r => r[0]))"""


def test_a_one_day_view_draws_a_month_as_a_span_and_reads_the_precise_events_first(page):
    page.open("/?from=2020-11-10&to=2020-11-11")
    # r1, r2, r3 that day; the November mention m3 and the autumn range m5 overlap it
    page.wait_markers(5)
    assert sorted(page.page.evaluate(SPAN_IDS)) == ["m3", "m5"]
    # drawn as a bar across the view, not a point at its middle
    page.page.wait_for_function(
        "() => document.querySelectorAll('#timeline .barlayer .point path').length > 0")
    bar = page.page.locator("#timeline .barlayer .point path").first.bounding_box()
    assert bar["width"] > 0.8 * plot_area(page)["width"]
    page.page.wait_for_function("""() => [0, 1, 2, 3, 4].every(i => { const r =
        document.querySelector(`.ag-center-cols-container .ag-row[row-index='${i}']`);
        return r && r.innerText.includes('2020'); })""")
    rows = page.page.evaluate("""() => [0, 1, 2, 3, 4].map(i => document.querySelector(
        `.ag-center-cols-container .ag-row[row-index='${i}']`).innerText.trim())""")
    for row, time in zip(rows, ("01:30", "09:15", "12:00"), strict=False):
        assert f"10 Nov 2020, {time}" in row
    assert rows[3].startswith("Nov 2020")  # the month, then the longer range
    assert rows[4].startswith("27 Sep")
    # j reads the same order: the first precise event, not the month
    page.page.keyboard.press("j")
    page.wait_url(lambda url: query_of(url).get("event") == ["r1"])


def test_an_hour_view_shows_every_event_it_counts(page):
    page.open("/?from=2020-11-19T10:00&to=2020-11-19T11:00")
    page.wait_rendered()
    count = int(page.page.get_attribute("#status-text", "data-count"))
    assert count >= 2  # the day of m2, the month of m3
    assert sorted(page.marker_ids()) == sorted(page.page.evaluate(SPAN_IDS))
    assert len(page.marker_ids()) == count
    page.page.wait_for_function(
        f"() => document.querySelectorAll('#timeline .barlayer .point path').length >= {count}")


# --- 6. lanes follow the selection -------------------------------------------------------------

def test_lanes_are_only_those_of_the_events_in_view(page):
    page.open("/?language=de")
    page.wait_markers(2)
    lanes = page.page.evaluate("""() => document.querySelector('#timeline .js-plotly-plot')
        ._fullLayout.yaxis.ticktext""")
    # the two German sources, not every source of the corpus
    assert len(lanes) == 2
    assert plot_area(page)["width"] > 500


def test_headline_labels_stay_inside_the_plot(page):
    page.open("/")
    page.page.wait_for_function(
        "() => document.querySelectorAll('#timeline .annotation-text-g').length > 0")
    outside = page.page.evaluate("""() => {
      const plot = document.querySelector('#timeline .main-svg').getBoundingClientRect();
      return [...document.querySelectorAll('#timeline .annotation-text-g')].map(
        a => a.getBoundingClientRect()).filter(r => r.width > 0 &&
          (r.left < plot.left - 1 || r.right > plot.right + 1)).length; }""")
    assert outside == 0


# --- 7. a phone ----------------------------------------------------------------------------------

def test_on_a_phone_the_filters_never_cover_the_plot_and_a_tapped_event_is_in_view(
        browser, fixture_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    try:
        page = Page(context.new_page(), fixture_server.url)
        page.open("/")
        plot = plot_area(page)
        assert plot["width"] > 330  # was about 120 px: lane names are inside the plot
        # scrolled to the timeline, the filter panel is not drawn over it
        page.page.locator("#timeline").scroll_into_view_if_needed()
        facets = box(page, ".facets")
        assert not overlap(facets, box(page, "#timeline-card"))
        top = page.page.evaluate("""() => { const r = document.querySelector('#timeline .nsewdrag')
            .getBoundingClientRect(); const el = document.elementFromPoint(r.x + r.width / 2,
            r.y + 10); return !!el && !el.closest('.facets'); }""")
        assert top
        # nothing wider than the screen
        assert page.page.evaluate("document.documentElement.scrollWidth") <= 392
        # a tapped marker's detail is brought into view
        from conftest import POINT_CENTRE

        page.page.wait_for_function(f"(a) => ({POINT_CENTRE})(a) !== null",
                                    arg=["#timeline", "events", "r5"])
        x, y = page.page.evaluate(POINT_CENTRE, ["#timeline", "events", "r5"])
        page.page.touchscreen.tap(x, y)
        page.wait_url(lambda url: query_of(url).get("event") == ["r5"])
        page.page.locator("#detail h3").wait_for()
        page.page.wait_for_function("""() => { const r = document.querySelector('#detail h3')
            .getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }""")
        assert page.errors == []
    finally:
        context.close()


# --- 8. facet values keep their place ----------------------------------------------------------

def facet_order(page: Page, title: str) -> list[str]:
    box_ = page.page.locator("fieldset.facet", has=page.page.locator("legend", has_text=title))
    return box_.locator("input").evaluate_all("els => els.map(e => e.value)")


def test_facet_values_keep_their_place_after_a_click(page):
    page.open("/")
    before = {t: facet_order(page, t) for t in ("Source", "Language", "Actor")}
    facet = page.page.locator("fieldset.facet", has=page.page.locator("legend",
                                                                       has_text="Source"))
    facet.locator('input[value="Tagesschau"]').click()
    page.wait_url(lambda url: query_of(url).get("source") == ["Tagesschau"])
    page.wait_rendered()
    after = {t: facet_order(page, t) for t in before}
    assert after == before
    # the pointer is still on the value it clicked: a second click there drops it
    facet.locator('input[value="Tagesschau"]').click()
    page.wait_url(lambda url: "source" not in query_of(url))


def test_placeholders_are_readable_in_the_dark_theme(page):
    page.open("/")
    # the theme is remembered across pages of the session: switch only if it is light
    page.page.wait_for_function("() => !!document.documentElement.dataset.theme")
    was = page.page.evaluate("document.documentElement.dataset.theme")
    if was != "dark":
        page.page.click("#theme-toggle")
    page.page.wait_for_function("() => document.documentElement.dataset.theme === 'dark'")
    colour = page.page.evaluate("""() => getComputedStyle(
        document.querySelector('#search input, input#search'), '::placeholder').color""")
    # the muted text colour of the dark theme, not a dark grey on a dark field
    assert colour == "rgb(157, 167, 179)"
    if was != "dark":
        page.page.click("#theme-toggle")
        page.page.wait_for_function("() => document.documentElement.dataset.theme === 'light'")


# --- 9. the keyboard ---------------------------------------------------------------------------

def test_j_walks_the_events_while_a_checkbox_has_focus(page):
    page.open("/?language=de&language=fr")
    page.wait_markers(4)
    page.page.locator('#lag-toggle input').focus()
    page.page.keyboard.press("j")
    page.wait_url(lambda url: "event=" in url)


def test_the_first_tab_stops_skip_to_the_views(page):
    page.open("/")
    page.page.locator("body").focus()
    page.page.keyboard.press("Tab")
    assert page.page.evaluate("document.activeElement.textContent") == "Skip to the periods"
    page.page.keyboard.press("Enter")
    page.page.keyboard.press("Tab")
    assert page.page.evaluate("document.activeElement.textContent") == "Whole span"


def test_the_charts_are_tab_stops_that_pan_zoom_walk_and_filter_by_keyboard(page):
    page.open("/?from=2020-10-01&to=2020-11-01")
    for chart in ("overview", "map", "timeline"):
        assert page.page.get_attribute(f"#{chart}", "tabindex") == "0"
        assert page.page.get_attribute(f"#{chart}", "aria-label")
    # the timeline: Right pans the window a quarter later, + halves it, 0 shows everything
    page.page.focus("#timeline")
    page.page.keyboard.press("ArrowRight")
    page.wait_url(lambda url: "from=2020-10-08T18" in url and "to=2020-11-08T18" in url)
    page.wait_rendered()
    page.page.keyboard.press("+")
    page.wait_url(lambda url: "from=2020-10-16T12" in url and "to=2020-11-01" in url)
    page.wait_rendered()
    page.page.keyboard.press("0")
    page.wait_url(lambda url: "from=" not in url)
    page.wait_rendered()
    # Down walks to an event, as j does
    page.page.focus("#timeline")
    page.page.keyboard.press("ArrowDown")
    page.wait_url(lambda url: "event=" in url)
    page.wait_rendered()
    # the overview moves the same window
    page.open("/?from=2020-10-01&to=2020-11-01")
    page.page.focus("#overview")
    page.page.keyboard.press("ArrowLeft")
    page.wait_url(lambda url: "from=2020-09-2" in url)
    page.wait_rendered()
    # the map: Right names the first place, Enter filters by it, Enter again drops it
    page.page.focus("#map")
    page.page.keyboard.press("ArrowRight")
    note = page.page.locator("#map-key-note")
    note.wait_for()
    name = note.inner_text().split(": ", 1)[1].split(" (Enter")[0]
    page.page.keyboard.press("Enter")
    page.wait_url(lambda url: "places=" in url)
    assert page.page.evaluate("new URLSearchParams(location.search).getAll('places')") == [name]
    page.wait_rendered()
    page.page.focus("#map")
    page.page.keyboard.press("Enter")
    page.wait_url(lambda url: "places=" not in url)
    assert page.errors == []


def test_copy_link_puts_the_view_on_the_clipboard(browser, fixture_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=fixture_server.url)
    try:
        page = Page(context.new_page(), fixture_server.url)
        page.open("/?language=de")
        page.page.get_by_title("Copy a link to this view").click()
        page.page.wait_for_function(
            "async () => (await navigator.clipboard.readText()).includes('language=de')")
    finally:
        context.close()


# --- 10. a corpus served from Parquet still opens its documents --------------------------------

@pytest.fixture(scope="module")
def parquet_server(tmp_path_factory) -> Iterator[Server]:
    out = tmp_path_factory.mktemp("parquet") / "events.parquet"
    subprocess.run([sys.executable, "-m", "app", "parse", "--out", str(out), "--no-cache"],
                   check=False, capture_output=True, timeout=300)
    assert out.exists()
    server = Server(command=[sys.executable, "-m", "app", "serve", str(out), "--port",
                             "{port}", "--no-cache"])
    yield server
    server.stop()


def test_a_parquet_served_corpus_opens_its_documents_and_its_report(context, parquet_server):
    page = Page(context.new_page(), parquet_server.url)
    page.open("/")
    page.page.keyboard.press("j")
    page.page.locator("#detail h3").wait_for()
    page.page.click("#doc-link")
    page.page.locator("#doc-page .doc-text").wait_for()
    assert len(page.page.inner_text("#doc-page .doc-text")) > 200
    page.page.goto(parquet_server.url + "/report")
    page.page.locator("#report-page h2").wait_for()
    report = page.page.inner_text("#report-page")
    assert "documents" in report and len(report) > 200
    assert page.errors == []
    page.page.close()


# --- 12. search across languages; compressed scripts -------------------------------------------

def test_search_finds_the_tagged_names_in_other_spellings(page):
    page.open("/?q=Alijew")
    page.wait_rendered()
    # the fixture's event tagged Ilham Aliyev is English: the German spelling finds it
    assert int(page.page.get_attribute("#status-text", "data-count")) >= 1
    page.open("/?q=Latschin")
    page.wait_rendered()
    assert int(page.page.get_attribute("#status-text", "data-count")) >= 1


def test_scripts_are_sent_compressed(fixture_server):
    conn = http.client.HTTPConnection("127.0.0.1", fixture_server.port, timeout=10)
    try:
        conn.request("GET", "/")
        index = conn.getresponse().read().decode()
    finally:
        conn.close()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', index)
    grid = next(s for s in scripts if "ag_grid" in s)  # the largest script of the page
    for encoding in ("gzip", "br"):
        conn = http.client.HTTPConnection("127.0.0.1", fixture_server.port, timeout=10)
        try:
            conn.request("GET", grid, headers={"Accept-Encoding": encoding})
            response = conn.getresponse()
            body = response.read()
            assert response.getheader("Content-Encoding") == encoding
            assert len(body) < 600_000  # 1.3 MB as it is
        finally:
            conn.close()


def test_a_page_load_sends_its_scripts_compressed(context, fixture_server):
    page = Page(context.new_page(), fixture_server.url)
    encodings: dict[str, str] = {}
    page.page.on("response", lambda r: encodings.__setitem__(
        r.url, r.headers.get("content-encoding", "")) if r.url.endswith(".js") else None)
    page.open("/")
    assert encodings and all(encodings[u] in ("gzip", "br", "zstd") for u in encodings
                             if "plotly" in u or "ag_grid" in u)
    page.page.close()


def test_the_generated_fixture_is_past_the_threshold():
    from app.web.figures import DEFAULT_MAX_POINTS

    assert LARGE_EVENTS > DEFAULT_MAX_POINTS
    assert Path(FIXTURE).exists()
