"""Web safety over HTTP: headers, request limits, the document route, static files and the
debugger. Raw paths go through http.client so nothing normalises them on the way."""

from __future__ import annotations

import http.client
import json

import pytest
from conftest import Server

pytestmark = pytest.mark.browser

SECRET_BITS = (b"root:x:0", b"[project]", b"[tool.", b"def install", b"import ")


def fetch(server: Server, path: str, method: str = "GET", body: bytes | None = None,
          headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_every_response_carries_the_security_headers(fixture_server):
    for path in ("/", "/assets/style.css", "/_dash-layout", "/no/such/page", "/doc/nope.txt"):
        status, headers, _ = fetch(fixture_server, path)
        assert status in (200, 404), path
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "'unsafe-eval'" not in csp
        script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'sha256-" in script_src
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path", [
    "/doc/../../etc/passwd",
    "/doc/%2e%2e%2fpyproject.toml",
    "/doc/..%2F..%2Fpyproject.toml",
    "/doc//etc/passwd",
    "/doc/%2Fetc%2Fpasswd",
    "/doc/not-in-the-corpus.txt",
])
def test_the_document_route_answers_404_for_anything_but_a_corpus_name(fixture_server, path):
    status, _, body = fetch(fixture_server, path)
    assert status == 404
    assert not any(bit in body for bit in SECRET_BITS)


def test_a_corpus_document_is_served_by_its_name(fixture_server):
    status, _, body = fetch(fixture_server, "/doc/archive.txt")
    assert status == 200 and b"_dash-config" in body


@pytest.mark.parametrize("path", [
    "/assets/../security.py",
    "/assets/%2e%2e/security.py",
    "/assets/..%2f__init__.py",
    "/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/../../pyproject.toml",
    "/_dash-component-suites/dash/../../../pyproject.toml",
    "/_dash-component-suites/dash/%2e%2e/__init__.py",
])
def test_files_outside_the_assets_folder_are_never_served(fixture_server, path):
    status, _, body = fetch(fixture_server, path)
    assert not any(bit in body for bit in SECRET_BITS), path
    assert status == 404 or b"_dash-config" in body  # 404, or the page itself


def test_a_request_over_the_size_limit_gets_413(fixture_server):
    body = json.dumps({"output": "x", "inputs": [], "pad": "x" * 1_100_000}).encode()
    status, _, _ = fetch(fixture_server, "/_dash-update-component", "POST", body,
                         {"Content-Type": "application/json"})
    assert status == 413


def test_a_failing_callback_shows_no_debugger_even_if_the_environment_asks_for_one(
        fixture_server):
    # the fixture server runs with DASH_DEBUG and FLASK_DEBUG set: only debug=True may count
    # a well-formed request for an output no callback has: the callback machinery raises
    body = json.dumps({"output": "nothing.children", "outputs": {"id": "nothing",
                       "property": "children"}, "inputs": [], "changedPropIds": []})
    status, _, page = fetch(fixture_server, "/_dash-update-component", "POST", body.encode(),
                            {"Content-Type": "application/json"})
    assert status == 500
    assert page == b"Internal server error.\n"
    assert any("Traceback" in line for line in fixture_server.log)  # it did fail, server-side
    status, _, page = fetch(fixture_server, "/?__debugger__=yes&cmd=resource&f=debugger.js")
    assert b"Werkzeug" not in page and b"CONSOLE_MODE" not in page
    # Dash's dev tools are off too: the page config says so
    _, _, index = fetch(fixture_server, "/")
    assert b'"ui": false' in index.replace(b'"ui":false', b'"ui": false')


def test_the_policy_blocks_an_injected_inline_script(page):
    page.open("/")
    ran = page.page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__injected = 1;'; document.body.appendChild(s);
        return window.__injected === 1; }""")
    assert ran is False
    assert any("Content Security Policy" in e for e in page.errors)
