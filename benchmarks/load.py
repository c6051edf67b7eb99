"""Load: concurrent clients issuing the explorer's real filter and zoom callbacks.

    python benchmarks/load.py [--workers 2] [--clients 1 8 32] [--requests 200]
                              [--seconds 60] [--events 1000000]

Starts ``timeline serve --workers N`` on 127.0.0.1 (the bundled corpus, then N synthetic
events from Parquet), records the callback request a browser sends when the URL changes
(headless Chromium, once), then replays it with varied view states (facet filters,
searches, zoom windows) from concurrent clients. Each level stops after ``--requests``
requests or ``--seconds``, whichever comes first. Only loopback is ever addressed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from first_chart import CHROMIUM_ARGS, DRAWN, free_port, serve_cases, start_server  # noqa: E402

VIEWS = [
    "", "?language=de", "?language=en&kind=report", "?q=peacekeepers", "?kind=mention",
    "?from=2020-09-27&to=2020-11-10", "?from=2020-10-01&to=2020-10-02",
    "?from=2020-10-17T12:00&to=2020-10-17T18:00&language=en", "?lane=language",
    "?source=TASS", "?q=drone&lane=kind",
]


def record_callback(port: int) -> tuple[str, dict]:
    """The render request (path and body) the page sends when the URL's query string
    changes."""
    seen: list[tuple[str, dict]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()

        def keep(request):
            path = request.url.split(f":{port}", 1)[-1]
            if path.startswith("/_dash-update-component") and request.post_data:
                body = json.loads(request.post_data)
                if "timeline.figure" in body.get("output", ""):
                    seen.append((path, body))

        page.on("request", keep)
        page.goto(f"http://127.0.0.1:{port}/?language=en")
        page.wait_for_function(DRAWN, timeout=300_000)
        page.wait_for_load_state("networkidle")
        for _ in range(100):  # the render request may follow the first drawing
            if seen:
                break
            page.wait_for_timeout(100)
        browser.close()
    if not seen:
        raise RuntimeError("the page sent no timeline render callback")
    return seen[0]


def with_search(body: dict, search: str) -> bytes:
    out = json.loads(json.dumps(body))
    for group in ("inputs", "state"):
        for item in _flat(out.get(group, [])):
            if item.get("property") == "search" and item.get("id") == "url":
                item["value"] = search
    return json.dumps(out).encode()


def _flat(items: list) -> list[dict]:
    """Callback inputs, with pattern-matching groups (nested lists) flattened."""
    out: list[dict] = []
    for item in items:
        out.extend(_flat(item) if isinstance(item, list) else [item])
    return out


def run_level(port: int, path: str, bodies: list[bytes], clients: int, requests: int,
              seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    counter = iter(range(requests))

    def client(n: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for i in counter:
            if time.perf_counter() > deadline:
                break
            body = bodies[(i + n) % len(bodies)]
            t0 = time.perf_counter()
            try:
                conn.request("POST", path, body,
                             {"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                errors += not ok
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    return {
        "clients": clients, "requests": len(lat), "errors": errors,
        "throughput": len(lat) / wall if wall else 0.0,
        "median_ms": 1000 * statistics.median(lat) if lat else float("nan"),
        "p95_ms": 1000 * lat[int(0.95 * (len(lat) - 1))] if lat else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--events", type=int, nargs="*", default=[1_000_000])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, serve_args in serve_cases(tmp, args.events):
            port = free_port()
            proc, _ = start_server([*serve_args, "--workers", str(args.workers)], port)
            try:
                path, template = record_callback(port)
                bodies = [with_search(template, v) for v in VIEWS]
                for clients in args.clients:
                    rows.append((label, run_level(port, path, bodies, clients, args.requests,
                                                  args.seconds)))
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    print(f"workers: {args.workers}")
    print(f"{'data':<20}{'clients':>8}{'requests':>10}{'req/s':>8}{'median ms':>11}"
          f"{'p95 ms':>9}{'errors':>8}")
    for label, r in rows:
        print(f"{label:<20}{r['clients']:>8}{r['requests']:>10}{r['throughput']:>8.1f}"
              f"{r['median_ms']:>11.0f}{r['p95_ms']:>9.0f}{r['errors']:>8}")


if __name__ == "__main__":
    main()
