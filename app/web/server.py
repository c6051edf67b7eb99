"""Run the explorer on a local address (Dash's development server; fine for one reader)."""

from __future__ import annotations

import dash

from app.corpus import Corpus
from app.web import create_app
from app.web.security import warn_if_exposed


def run(corpus: Corpus, host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    serve(create_app(corpus, debug=debug), host=host, port=port, debug=debug)


def serve(app: dash.Dash, host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    """Serve ``app``. Debug mode, Dash's dev tools and the reloader are on only when ``debug``
    is True: passed explicitly, so DASH_DEBUG or FLASK_DEBUG in the environment cannot turn
    them on."""
    warn_if_exposed(host)
    debug = debug is True
    app.run(host=host, port=port, debug=debug, dev_tools_ui=debug, dev_tools_hot_reload=debug,
            use_reloader=debug)
