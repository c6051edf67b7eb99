"""Start the explorer as a subprocess on a free port and drive it with headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

HERE = Path(__file__).parent
FIXTURE = HERE.parent / "fixtures" / "web" / "enriched_corpus.json"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

DEBUG_ENV = {"DASH_DEBUG": "true", "FLASK_DEBUG": "1"}

sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``serve.py PORT *args`` (or ``command`` with ``{port}`` filled in) until it answers."""

    def __init__(self, *args: str, env: dict[str, str] | None = None,
                 command: list[str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = [sys.executable, str(HERE / "serve.py"), str(self.port), *args] \
            if command is None else [a.replace("{port}", str(self.port)) for a in command]
        self.proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, **(env or {})})
        self.log: list[str] = []
        ready = threading.Event()

        def drain() -> None:
            # keep reading so the server never blocks on a full pipe
            for line in self.proc.stdout:
                self.log.append(line)
                if "Running on" in line:
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(timeout=60) or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError("explorer did not start:\n" + "".join(self.log))
        with urllib.request.urlopen(self.url, timeout=10) as response:
            assert response.status == 200

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def fixture_server() -> Iterator[Server]:
    # the environment asks for debug mode: the app must ignore it (see test_security)
    server = Server(str(FIXTURE), env=DEBUG_ENV)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def fixture_events() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["events"]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A Playwright page that records console errors, page errors and dialogs."""

    def __init__(self, page, base: str) -> None:
        self.page = page
        self.base = base
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def dismiss(dialog) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)

    def open(self, path: str = "/") -> None:
        self.page.goto(self.base + path)
        self.wait_ready()
        self.wait_rendered()

    def wait_ready(self) -> None:
        self.page.wait_for_function(
            "() => { const g = document.querySelector('#timeline .js-plotly-plot');"
            " return g && g._fullData && document.querySelector('#status-text'); }")

    def wait_rendered(self) -> None:
        """Until the figures show the view the URL describes."""
        self.page.wait_for_function(
            "() => { const s = document.querySelector('#status-text');"
            " return s && s.dataset.search === window.location.search; }")

    def marker_ids(self) -> list[str]:
        return self.page.evaluate(MARKER_IDS)

    def wait_markers(self, count: int) -> None:
        self.page.wait_for_function(f"() => ({MARKER_IDS})().length === {count}")

    def wait_url(self, predicate: Callable[[str], bool]) -> None:
        self.page.wait_for_url(lambda url: predicate(url))

    def double_click_timeline(self, predicate: Callable[[str], bool]) -> None:
        """Double-click the timeline until the URL satisfies ``predicate``.

        Plotly counts two clicks as a double click only when its handlers see them
        within 300 ms; a busy CI main thread can stretch that gap, which a reader
        would answer by double-clicking again, so the test does too (three tries).
        """
        self.wait_rendered()
        plot = self.page.locator("#timeline .nsewdrag").first
        box = plot.bounding_box()
        for attempt in range(3):
            # on empty plot, near its top: the centre may hold a marker (a single lane)
            plot.dblclick(position={"x": box["width"] * 0.5, "y": 6})
            try:
                self.page.wait_for_url(lambda url: predicate(url), timeout=4_000)
                return
            except PlaywrightTimeout:
                if attempt == 2:
                    raise


MARKER_IDS = """() => {
  const g = document.querySelector('#timeline .js-plotly-plot');
  if (!g || !g._fullData) { return []; }
  return g._fullData.filter(t => t.meta && t.meta.role === 'events')
    .flatMap(t => (t.customdata || []).map(row => row[0]));
}"""


@pytest.fixture(scope="session")
def context(browser) -> Iterator:
    # one context for all tests so the browser caches the scripts between pages
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, fixture_server) -> Iterator[Page]:
    p = Page(context.new_page(), fixture_server.url)
    yield p
    p.page.close()


POINT_CENTRE = """([graph, role, key]) => {
  const g = document.querySelector(graph + ' .js-plotly-plot');
  for (const layer of g.querySelectorAll('.scatterlayer .trace')) {
    const cd = layer.__data__;
    if (!cd || !cd[0] || !cd[0].trace.meta || cd[0].trace.meta.role !== role) continue;
    const trace = cd[0].trace;
    for (const point of layer.querySelectorAll('path.point')) {
      if (trace.customdata[point.__data__.i][0] === key) {
        const r = point.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2];
      }
    }
  }
  return null;
}"""


def trace_keys(page, graph: str, role: str) -> list[str]:
    """customdata[0] of every point of the traces with this role in a graph."""
    return page.page.evaluate(
        """([graph, role]) => {
          const g = document.querySelector(graph + ' .js-plotly-plot');
          if (!g || !g._fullData) { return []; }
          return g._fullData.filter(t => t.meta && t.meta.role === role)
            .flatMap(t => (t.customdata || []).map(row => row[0]));
        }""", [graph, role])


def click_point(page, graph: str, role: str, key: str) -> None:
    """Click the centre of the point whose customdata[0] is ``key``."""
    page.page.wait_for_function(f"(args) => ({POINT_CENTRE})(args) !== null",
                                arg=[graph, role, key])
    x, y = page.page.evaluate(POINT_CENTRE, [graph, role, key])
    page.page.mouse.click(x, y)
