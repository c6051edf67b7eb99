"""Web safety for the explorer's server: what a browser may load, how big a request may be,
which paths may name a document, and no debugger unless asked for.

``install`` is called by ``create_app``; every response then carries the headers below.
"""

from __future__ import annotations

import html
import ipaddress
import logging
from collections.abc import Collection
from urllib.parse import unquote

import dash
import flask
from dash.exceptions import DependencyException

MAX_REQUEST_BYTES = 1_000_000  # Dash's callback requests are a few kB; uploads do not exist
DOC_PREFIX = "doc/"
PAGES = frozenset({"", "report"})  # the explorer's own views besides doc/<name>
CATCH_ALL = "<path:path>"  # Dash's rule that answers any path with the app's page
LOG = logging.getLogger("app.web")


def content_security_policy(script_hashes: Collection[str]) -> str:
    """The policy: everything from this origin only, inline scripts only by hash.

    Dash injects its renderer start-up and clientside callbacks as inline scripts, so those are
    allowed by their hashes (``Dash.csp_hashes``). Plotly and React set element styles and
    Plotly adds <style> rules at run time, hence 'unsafe-inline' for styles only. Images and
    fonts may be data: URIs (the grid's icons), and downloads are blob: URLs. No 'unsafe-eval':
    Plotly's WebGL traces would need it (their library builds code with ``new Function``), so
    the explorer draws no WebGL trace; its dense view is SVG (``figures.py``).
    """
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{k} {' '.join(v)}" for k, v in directives.items())


def security_headers(policy: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
    }


def document_name(path: str, prefix: str = "/") -> str | None:
    """The document a request path names (``/doc/<name>``), or None for other paths."""
    if not path.startswith(prefix + DOC_PREFIX):
        return None
    return unquote(path[len(prefix + DOC_PREFIX):])


def install(app: dash.Dash, documents: Collection[str], *, debug: bool = False,
            max_request_bytes: int = MAX_REQUEST_BYTES) -> None:
    """Harden ``app``'s Flask server.

    - every response gets the security headers (a strict Content-Security-Policy, nosniff,
      no framing, no referrer);
    - requests larger than ``max_request_bytes`` are refused with 413;
    - ``/doc/<name>`` answers 404 unless ``name`` is one of ``documents``: a path from the URL
      is compared with the corpus's names, never opened;
    - any other path that is not one of the explorer's views (``PAGES``) or Dash's own routes
      answers 404 with a short page and a link home, instead of the app's page: a mistyped
      link or a scanner's probe is told so;
    - other errors answer with a short plain-text page; Flask's debug mode (and with it the
      Werkzeug debugger) stays off unless ``debug`` is True.
    """
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = max_request_bytes
    server.config["MAX_FORM_MEMORY_SIZE"] = max_request_bytes
    server.debug = bool(debug)
    server.config["PROPAGATE_EXCEPTIONS"] = bool(debug)
    names = frozenset(documents)
    prefix = app.config.requests_pathname_prefix or "/"
    policy: list[str] = []  # computed on the first response, once every callback exists

    @server.before_request
    def only_known_pages() -> flask.Response | None:
        path = flask.request.path
        name = document_name(path, prefix)
        if name is not None:
            return None if name in names else not_found(prefix, "No such document in this corpus.")
        rule = flask.request.url_rule
        if rule is not None and rule.rule == prefix + CATCH_ALL \
                and path[len(prefix):].strip("/") not in PAGES:
            return not_found(prefix)
        return None

    @server.after_request
    def add_headers(response: flask.Response) -> flask.Response:
        if not policy:
            policy.append(content_security_policy(app.csp_hashes()))
        for key, value in security_headers(policy[0]).items():
            response.headers.setdefault(key, value)
        return response

    # Dash raises this for a script path it does not know: that is a 404, not a crash
    server.register_error_handler(DependencyException, lambda _e: not_found(prefix))
    server.register_error_handler(404, lambda _e: not_found(prefix))
    for status, text in ((405, "Method not allowed."), (413, "Request too large."),
                         (500, "Internal server error.")):
        server.register_error_handler(status, lambda _e, s=status, t=text: plain(s, t))


NOT_FOUND_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not found · Chronology explorer</title>
<link rel="stylesheet" href="{home}assets/style.css">
<link rel="icon" href="{home}_favicon.ico">
</head><body>
<header class="topbar"><h1><a href="{home}">Chronology explorer</a></h1></header>
<main id="not-found" style="max-width: 40rem; margin: 48px auto; padding: 0 20px">
<h2>Page not found</h2>
<p class="muted">{message} Nothing is at <code>{path}</code>.</p>
<p><a id="not-found-home" href="{home}">Back to the explorer</a></p>
</main></body></html>
"""


def not_found(home: str, message: str = "There is no such page in the explorer.") -> flask.Response:
    """The 404 page: the app's stylesheet, what was asked for (escaped), a link home."""
    page = NOT_FOUND_PAGE.format(home=html.escape(home), message=html.escape(message),
                                 path=html.escape(flask.request.path))
    return flask.Response(page, status=404, mimetype="text/html")


def plain(status: int, text: str) -> flask.Response:
    return flask.Response(text + "\n", status=status, mimetype="text/plain")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def warn_if_exposed(host: str) -> bool:
    """Log a warning when the server listens beyond this machine; True if it does."""
    if is_loopback(host):
        return False
    LOG.warning("serving on %s: anyone who can reach this address can read the corpus", host)
    return True
