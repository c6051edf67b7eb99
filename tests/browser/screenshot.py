"""Write docs/screenshot.png: the explorer on the bundled corpus, zoomed to the 44-day war,
lanes by language, duplicates collapsed, with the event that dates the most happenings open in
the detail panel. ``--large`` writes docs/screenshot-large.png instead (a generated corpus of
20,000 events: the density view), ``--mobile`` docs/screenshot-mobile.png (the bundled corpus
on a 390x844 phone).

    python tests/browser/screenshot.py [--dark] [--large | --mobile]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]

import pandas as pd  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS, Page, Server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from app import query  # noqa: E402
from app.pipeline import load_corpus  # noqa: E402
from app.web.periods import load_periods  # noqa: E402
from app.web.url_state import ViewState, search  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--large", action="store_true")
    parser.add_argument("--mobile", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if args.large:
        large(args.out or ROOT / "docs" / "screenshot-large.png", args.dark)
        return
    if args.mobile:
        mobile(args.out or ROOT / "docs" / "screenshot-mobile.png", args.dark)
        return
    args.out = args.out or ROOT / "docs" / "screenshot.png"

    war = load_periods().iloc[0]
    filters = query.Filters(start=war["start"], end=war["end"] + pd.Timedelta(days=1))
    events = query.prepare(load_corpus().events)
    shown = query.select(events, filters)
    cited = shown["event_id"].map(shown["report_id"].value_counts()).fillna(0)
    event = shown.loc[cited.idxmax(), "event_id"] if cited.max() else shown["event_id"].iloc[0]
    url = search(ViewState(filters=filters, lane="language", event=event, collapse=True))

    server = Server("--bundled")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1440, "height": 1000},
                                          color_scheme="dark" if args.dark else "light",
                                          device_scale_factor=1)
            page = Page(context.new_page(), server.url)
            page.open("/" + url)
            page.page.locator("#detail h3").wait_for()
            page.page.wait_for_function(
                "() => document.querySelectorAll('#map path.point').length > 0")
            page.page.screenshot(path=str(args.out))
            browser.close()
    finally:
        server.stop()
    print(f"wrote {args.out.name}")


def shoot(server: Server, path: str, out: Path, *, dark: bool, viewport: dict,
          mobile: bool = False, full_page: bool = False) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light",
                                      device_scale_factor=1, is_mobile=mobile, has_touch=mobile)
        page = Page(context.new_page(), server.url)
        page.open(path)
        page.page.wait_for_function(
            "() => document.querySelectorAll('#timeline .scatterlayer path.point').length > 0")
        if full_page:  # down to the end of the timeline: the table below is long
            bottom = page.page.evaluate("""() => document.getElementById('timeline-card')
                .getBoundingClientRect().bottom + window.scrollY + 8""")
            page.page.screenshot(path=str(out), full_page=True,
                                 clip={"x": 0, "y": 0, "width": viewport["width"],
                                       "height": bottom})
        else:
            page.page.screenshot(path=str(out))
        browser.close()
    print(f"wrote {out.name}")


def large(out: Path, dark: bool) -> None:
    """The density view of a corpus far past the threshold (no WebGL: SVG circles)."""
    import tempfile

    from conftest import FIXTURE
    from large import write_large_fixture

    with tempfile.TemporaryDirectory() as tmp:
        fixture = write_large_fixture(Path(tmp) / "large.json", FIXTURE, n=20_000)
        server = Server(str(fixture))
        try:
            shoot(server, "/", out, dark=dark, viewport={"width": 1440, "height": 1000})
        finally:
            server.stop()


def mobile(out: Path, dark: bool) -> None:
    """The bundled corpus on a phone, the 44-day war, scrolled to the timeline."""
    war = load_periods().iloc[0]
    filters = query.Filters(start=war["start"], end=war["end"] + pd.Timedelta(days=1))
    server = Server("--bundled")
    try:
        shoot(server, "/" + search(ViewState(filters=filters)), out, dark=dark,
              viewport={"width": 390, "height": 844}, mobile=True, full_page=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
