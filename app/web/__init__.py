"""The explorer: a Dash app over one corpus, built by ``create_app`` so tests can start it on
any data. Only this package imports Dash."""

from __future__ import annotations

from pathlib import Path

import dash
import flask

from app import query
from app.corpus import Corpus
from app.enrich.gazetteer import place_table
from app.web import figures
from app.web.callbacks import Explorer, register
from app.web.layout import explorer_layout
from app.web.periods import load_periods
from app.web.security import install

ASSETS = Path(__file__).parent / "assets"


def create_app(corpus: Corpus, *, debug: bool = False,
               max_points: int = figures.DEFAULT_MAX_POINTS) -> dash.Dash:
    """A Dash app exploring ``corpus``. Above ``max_points`` events in view the timeline shows
    counts per bin instead of single markers. ``debug`` must be True for Flask's debug mode
    (see ``security.install`` for what else every app gets)."""
    events = query.prepare(corpus.events)
    facets = query.available_facets(events)
    places = place_table() if "places" in facets else None
    ex = Explorer(corpus=corpus, events=events, periods=load_periods(), facets=facets,
                  max_points=max_points, places=places)
    # no Flask static route: files are served only from the assets folder
    server = flask.Flask(__name__, static_folder=None)
    app = dash.Dash(
        __name__, server=server, title="Chronology explorer", assets_folder=str(ASSETS),
        update_title=None, suppress_callback_exceptions=False, serve_locally=True,
        # several MB of scripts: sent compressed (flask-compress; Brotli or gzip)
        compress=True,
    )
    app.layout = explorer_layout(events, ex.periods, facets,
                                 topojson_url=app.get_asset_url("topojson/"))
    register(app, ex)
    install(app, documents=corpus.texts.keys(), debug=debug)
    return app


__all__ = ["create_app"]
