"""Time until the first chart is drawn, in headless Chromium, on the bundled corpus and on a
synthetic table of N events served from Parquet.

    python benchmarks/first_chart.py [--events 1000000] [--repeat 3]

Each row starts ``timeline serve`` as a user would, waits until it answers (server start),
then loads the page in a fresh browser and waits until the timeline figure holds data.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from callback_latency import synthetic  # noqa: E402

from app.schema import conform  # noqa: E402
from app.store import write_events  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DRAWN = """() => { const g = document.querySelector('#timeline .js-plotly-plot');
  return g && g._fullData && g._fullData.length > 0 && g.querySelector('.main-svg'); }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    args: list[str], port: int, timeout: float = 900
) -> tuple[subprocess.Popen, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", *args, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode()[-2000:])
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return proc, time.perf_counter() - t0
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise TimeoutError("server did not answer")


def serve_cases(tmp: str, sizes: list[int]) -> list[tuple[str, list[str]]]:
    """(label, `timeline serve` arguments): the bundled corpus, then each synthetic size
    written to Parquet in tmp."""
    cases = [("bundled corpus", [])]
    for n in sizes:
        path = Path(tmp) / f"events_{n}.parquet"
        write_events(conform(synthetic(n)), path)
        cases.append((f"{n:,} events", [str(path)]))
    return cases


def first_chart(port: int, repeat: int) -> list[float]:
    times = []
    with sync_playwright() as p:
        for _ in range(repeat):
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            t0 = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_function(DRAWN, timeout=300_000)
            times.append(time.perf_counter() - t0)
            browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, serve_args in serve_cases(tmp, args.events):
            port = free_port()
            proc, started = start_server(serve_args, port)
            try:
                times = first_chart(port, args.repeat)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            rows.append((label, started, statistics.median(times), max(times)))
    print(f"{'data':<28}{'server start s':>16}{'first chart median s':>22}{'max s':>8}")
    for label, started, med, worst in rows:
        print(f"{label:<28}{started:>16.1f}{med:>22.2f}{worst:>8.2f}")


if __name__ == "__main__":
    main()
