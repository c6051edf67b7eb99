"""Production serving: the same app factory under gunicorn, several worker processes.

``timeline serve --workers N`` puts the corpus options in the environment and replaces
itself with gunicorn. Gunicorn runs with ``--preload``: the corpus is loaded (and the
parse cache read or written) once, in the master, before the workers fork, so workers
share its memory (the table and its search index) copy-on-write and never race on the
cache.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Flask

ENV_PATHS = "TIMELINE_PATHS"
ENV_CACHE = "TIMELINE_CACHE"
ENV_MAX_BYTES = "TIMELINE_MAX_BYTES"


def create_server() -> Flask:
    """The explorer's Flask server for a WSGI host, on the corpus the environment names."""
    from app import query
    from app.engine import open_corpus
    from app.ingest.loader import DEFAULT_MAX_BYTES
    from app.web import create_app

    raw = os.environ.get(ENV_PATHS, "")
    paths = [Path(p) for p in raw.split(os.pathsep) if p] or None
    cache = os.environ.get(ENV_CACHE) or None
    max_bytes = int(os.environ.get(ENV_MAX_BYTES, DEFAULT_MAX_BYTES))
    corpus = open_corpus(paths, max_bytes, Path(cache) if cache else None)
    server = create_app(corpus).server
    query.build_indexes()  # before the fork: workers share the index, none rebuilds it
    return server


def gunicorn_argv(host: str, port: int, workers: int) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        sys.executable, "-m", "gunicorn", "--preload", "--workers", str(workers),
        "--bind", bind, "--timeout", "120", "--graceful-timeout", "10",
        "--limit-request-line", "8190", "--limit-request-fields", "100",
        "--access-logfile", "-", "app.web.wsgi:create_server()",
    ]


def exec_gunicorn(paths: list[Path] | None, *, host: str, port: int, workers: int,
                  max_bytes: int, cache: Path | None) -> None:
    """Replace this process with gunicorn serving the explorer (never returns)."""
    os.environ[ENV_PATHS] = os.pathsep.join(str(Path(p).resolve()) for p in paths or [])
    os.environ[ENV_CACHE] = str(Path(cache).resolve()) if cache else ""
    os.environ[ENV_MAX_BYTES] = str(max_bytes)
    argv = gunicorn_argv(host, port, workers)
    os.execv(argv[0], argv)
