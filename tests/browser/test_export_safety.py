"""Exports a spreadsheet can open safely, and a server that answers only what it serves: the
explorer run as a user runs it (``timeline serve FILE``) on a document whose headlines,
sources and excerpts start with formula characters."""

from __future__ import annotations

import csv
import http.client
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Page, Server

pytestmark = pytest.mark.browser

FORMULA_DOC = Path(__file__).parents[1] / "fixtures" / "ingest" / "formula_cells.txt"
FORMULA_CHARS = "=+-@\t\r"
SOURCES = {"=cmd|' /C calc'!A0", "+Wire", "-Agency", "@Desk"}


@pytest.fixture(scope="module")
def formula_server() -> Iterator[Server]:
    # the app as a user runs it: ``timeline serve FILE``
    server = Server(command=[sys.executable, "-m", "app", "serve", str(FORMULA_DOC),
                             "--port", "{port}", "--no-cache"])
    yield server
    server.stop()


@pytest.fixture
def formula_page(context, formula_server) -> Iterator[Page]:
    p = Page(context.new_page(), formula_server.url)
    yield p
    p.page.close()


def fetch(url: str, path: str) -> tuple[int, dict, bytes]:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def download(page: Page, button: str) -> tuple[str, bytes]:
    with page.page.expect_download() as info:
        page.page.get_by_role("button", name=button).click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def test_the_browsers_csv_export_has_no_cell_a_spreadsheet_would_run(formula_page):
    formula_page.open("/")
    formula_page.wait_markers(8)
    name, raw = download(formula_page, "Export CSV")
    assert name.startswith("chronology_2020-10-09_2020-10-12") and name.endswith(".csv")
    assert raw.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 8
    for row in rows:
        for col in ("title", "source", "text", "evidence", "actors", "places"):
            assert not (row[col] and row[col][0] in FORMULA_CHARS), (col, row[col])
    reports = [r for r in rows if r["kind"] == "report"]
    assert {r["source"] for r in reports} == {"'" + s for s in SOURCES}
    assert any(r["title"] == "'" + '=HYPERLINK("http://example.invalid/x","click here")'
               for r in reports)
    # JSON keeps the text exactly as the document has it
    name, raw = download(formula_page, "Export JSON")
    assert name.endswith("_8-events.json")
    records = json.loads(raw)
    assert {r["source"] for r in records if r["kind"] == "report"} == SOURCES
    assert formula_page.errors == []


def test_an_unknown_path_answers_404_with_a_page_that_links_home(formula_page, formula_server):
    page = formula_page.page
    response = page.goto(formula_server.url + "/console")
    assert response.status == 404
    assert page.locator("h2").inner_text() == "Page not found"
    assert "/console" in page.locator("#not-found").inner_text()
    # styled by the app's own stylesheet
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    page.click("#not-found-home")
    formula_page.wait_ready()
    assert page.url == formula_server.url + "/"
    # the explorer's own routes and its URL state keep working
    formula_page.open("/report?language=en")
    page.locator("#report-page").wait_for()
    assert fetch(formula_server.url, "/report")[0] == 200
    assert fetch(formula_server.url, "/?source=%2BWire&event=x")[0] == 200
    assert fetch(formula_server.url, "/doc/formula_cells.txt")[0] == 200
    # the one failed load the console reports is the 404 asked for (no favicon or style miss)
    assert formula_page.errors == [
        "Failed to load resource: the server responded with a status of 404 (NOT FOUND)"]


@pytest.mark.parametrize("path", ["/console", "/anything/else", "/doc/not-here.txt",
                                  "/assets/no-such.css", "/_dash-component-suites/dash/x.js"])
def test_errors_and_assets_carry_the_same_security_headers(formula_server, path):
    status, headers, body = fetch(formula_server.url, path)
    assert status == 404
    assert b"_dash-config" not in body  # not the app's page
    _, asset_headers, _ = fetch(formula_server.url, "/assets/style.css")
    _, page_headers, _ = fetch(formula_server.url, "/")
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
                 "Referrer-Policy", "Cross-Origin-Opener-Policy", "Permissions-Policy"):
        assert headers[name] == asset_headers[name] == page_headers[name], name
