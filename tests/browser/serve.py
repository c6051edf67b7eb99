"""Serve the explorer for browser tests: ``python tests/browser/serve.py PORT [FIXTURE]
[--bundled] [--max-points N]``. A fixture is a JSON file with events, texts, segments and report."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.corpus import Corpus  # noqa: E402
from app.ingest.base import Segment  # noqa: E402
from app.schema import from_records  # noqa: E402


def fixture_corpus(path: Path) -> Corpus:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Corpus(
        events=from_records(data["events"]),
        report=data.get("report", {}),
        texts=data.get("texts", {}),
        segments={doc: [Segment(*s) for s in segs]
                  for doc, segs in data.get("segments", {}).items()},
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("fixture", nargs="?", help="fixture JSON (default: the bundled corpus)")
    parser.add_argument("--bundled", action="store_true", help="serve the bundled corpus")
    parser.add_argument("--max-points", type=int, default=None,
                        help="timeline threshold (default: the app's own)")
    args = parser.parse_args()
    if args.bundled or not args.fixture:
        from app.pipeline import load_corpus

        corpus = load_corpus()
    else:
        corpus = fixture_corpus(Path(args.fixture))
    from app.web import create_app
    from app.web.server import serve

    options = {"max_points": args.max_points} if args.max_points else {}
    serve(create_app(corpus, **options), host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
