"""Write docs/screenshot.png: the explorer on the bundled corpus, zoomed to the 44-day war,
lanes by language, duplicates collapsed, with the event that dates the most happenings open in
the detail panel.

    python tests/browser/screenshot.py [--dark]
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
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    args = parser.parse_args()

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


if __name__ == "__main__":
    main()
