"""Run the explorer on a local address (Dash's development server; fine for one reader)."""

from __future__ import annotations

from app.corpus import Corpus
from app.web import create_app


def run(corpus: Corpus, host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    app = create_app(corpus, debug=debug)
    app.run(host=host, port=port, debug=debug)
