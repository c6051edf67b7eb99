"""The ``timeline`` command: parse, stats, dates, serve."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from app.ingest.loader import DEFAULT_MAX_BYTES

cli = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Find the dated events in news documents and explore them as a timeline.",
)

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Files or folders to read (default: the bundled corpus)."),
]
MaxMb = Annotated[
    float, typer.Option("--max-file-mb", help="Refuse files larger than this many MB.")
]

DEFAULT_CACHE = Path(".cache") / "timeline"  # under the current folder, like other tools
EXIT_REJECTED = 3  # output written, but some inputs or entries were rejected (see the report)


def _err(line: str) -> None:
    typer.echo(line, err=True)


CacheDir = Annotated[
    Path, typer.Option("--cache", help="Cache folder: parsed documents keyed by content hash.")
]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Parse everything; touch no cache.")]


def _progress():
    """A rich progress bar over bytes on stderr, or nothing when stderr is not a terminal."""
    from contextlib import nullcontext

    if not sys.stderr.isatty():
        return nullcontext((None, None))
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    bar = Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                   TransferSpeedColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)

    class _Ctx:
        def __enter__(self):
            bar.__enter__()
            task = bar.add_task("parsing", total=None)
            return (lambda n: bar.advance(task, n), lambda t: bar.update(task, total=t))

        def __exit__(self, *exc):
            return bar.__exit__(*exc)

    return _Ctx()


def _load(paths: list[Path] | None, max_file_mb: float, cache: Path | None = None):
    """The corpus: read from an event table written by parse, or parsed (via the cache)."""
    from app.engine import open_corpus

    with _progress() as (advance, _total):
        return open_corpus(paths, int(max_file_mb * 1024 * 1024), cache, progress=advance)


DASK_INSTALL = ".venv/bin/pip install -e '.[scale]'"


def _dask_available() -> bool:
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        return False
    return True


@cli.command()
def parse(
    paths: PathsArg = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Events file: .parquet, .csv or .json")]
    = Path("events.parquet"),
    report: Annotated[Path | None, typer.Option(help="Write the ingest report as JSON.")] = None,
    strict: Annotated[bool, typer.Option(help="Any rejection is fatal: write nothing.")] = False,
    max_file_mb: MaxMb = DEFAULT_MAX_BYTES / 1024 / 1024,
    engine: Annotated[str, typer.Option(help="local (one process) or dask (a cluster).")]
    = "local",
    scheduler: Annotated[str | None, typer.Option(
        help="Address of a dask.distributed scheduler (default: start a local cluster).")]
    = None,
    workers: Annotated[int | None, typer.Option(
        help="Workers of the local Dask cluster (default: one per core).")] = None,
    cache: CacheDir = DEFAULT_CACHE,
    no_cache: NoCache = False,
) -> None:
    """Parse documents into an event table.

    Both engines stream: documents are parsed one at a time (Dask: a batch per task) and
    written at once, so memory does not grow with the corpus. With --engine dask the output
    is a partitioned Parquet folder (OUT names the folder) holding the same rows as the
    single-process engine writes; both are in document order, each row group sorted by time.

    Exit status: 0 all read; 3 written but something was rejected; 1 --strict and something
    was rejected (nothing written); 2 usage error.
    """
    from app.engine import ENGINES, parse_dask, parse_local
    from app.report import IngestReport
    from app.store import StoreError, format_of, write_json

    try:
        format_of(out)
    except StoreError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(2) from None
    if engine not in ENGINES:
        _err(f"error: --engine must be one of {', '.join(ENGINES)}")
        raise typer.Exit(2)
    if engine == "dask" and format_of(out) != "parquet":
        _err("error: --engine dask writes partitioned Parquet: give --out a .parquet name")
        raise typer.Exit(2)
    if engine == "dask" and not _dask_available():
        _err(f"error: --engine dask needs Dask, an optional extra; install it with: {DASK_INSTALL}")
        raise typer.Exit(2)
    kwargs = {"max_bytes": int(max_file_mb * 1024 * 1024), "strict": strict,
              "cache_dir": None if no_cache else cache}
    with _progress() as (advance, total):
        if engine == "dask":
            run = parse_dask(paths or None, out, scheduler=scheduler, workers=workers,
                             progress=advance, on_total=total, **kwargs)
        else:
            run = parse_local(paths or None, out, progress=advance, on_total=total, **kwargs)
    rep = run.report
    summary = IngestReport(
        rep["documents"], rep["rejections"], rep["undated"], rep.get("inferred", [])
    ).iter_summary_lines()
    for line in summary:
        _err(line)
    if not no_cache:
        _err(f"cache: {run.cached} document(s) from the cache, {run.parsed} parsed"
             + (f", {run.rebuilt} corrupt or stale entries rebuilt" if run.rebuilt else ""))
    rejected = len(rep["rejections"])
    if not run.written:
        _err(f"error: {rejected} item(s) rejected and --strict given: nothing written")
        raise typer.Exit(1)
    if report is not None:
        write_json(rep, report)
    _err(f"wrote {run.rows} events to {out}")
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


@cli.command()
def stats(
    paths: PathsArg = None,
    max_file_mb: MaxMb = DEFAULT_MAX_BYTES / 1024 / 1024,
    cache: CacheDir = DEFAULT_CACHE,
    no_cache: NoCache = False,
) -> None:
    """Print counts by kind, source, language and month (documents, or a parse output)."""
    from rich.console import Console
    from rich.table import Table

    events = _load(paths, max_file_mb, None if no_cache else cache).events
    console = Console()
    month = events["start"].dt.strftime("%Y-%m").fillna("undated")
    source = events["source"].replace("", "(no source)")
    for title, series in (
        ("kind", events["kind"].astype(str)),
        ("source", source),
        ("language", events["language"].replace("", "(unknown)")),
        ("month", month),
    ):
        table = Table(title=f"events by {title}")
        table.add_column(title)
        table.add_column("events", justify="right")
        counts = series.value_counts()
        counts = counts.sort_index() if title == "month" else counts
        for key, n in counts.items():
            table.add_row(str(key), str(n))
        console.print(table)
    console.print(f"total: {len(events)} events")


@cli.command()
def dates(
    text: Annotated[str, typer.Argument(help="Text to scan, or - to read standard input.")] = "-",
    ref: Annotated[
        str | None, typer.Option(help="Reference time YYYY-MM-DD[THH:MM] for partial dates.")
    ] = None,
    lang: Annotated[str | None, typer.Option(help="Language hint (ISO 639-1).")] = None,
    all_types: Annotated[bool, typer.Option(
        "--all-types", help="Durations and sets too, with their TimeML values.")] = False,
) -> None:
    """Print, as JSON, every date expression found in TEXT and what it resolves to, as
    TimeML annotates it ('between 1982 and 1992' is two dates)."""
    from app.dates.timeml import timeml_hits

    if text == "-":
        text = sys.stdin.read()
    ref_dt = None
    if ref:
        try:
            ref_dt = datetime.fromisoformat(ref)
        except ValueError:
            _err(f"error: --ref {ref!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM")
            raise typer.Exit(2) from None
    hits = timeml_hits(text, ref=ref_dt, lang=lang, all_types=all_types)
    typer.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=1))


@cli.command()
def serve(
    paths: PathsArg = None,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8050,
    debug: Annotated[bool, typer.Option(help="Dash debug mode (never on a shared machine).")]
    = False,
    max_file_mb: MaxMb = DEFAULT_MAX_BYTES / 1024 / 1024,
    cache: CacheDir = DEFAULT_CACHE,
    no_cache: NoCache = False,
    workers: Annotated[int, typer.Option(
        help="Serve with gunicorn and this many worker processes (0: one-reader server).",
        min=0)] = 0,
) -> None:
    """Open the explorer on the documents (default: the bundled corpus) or on a parse output
    (a .parquet file or partitioned folder; the documents it came from may follow it, so the
    document view and the ingest report have them)."""
    from app.web.server import run

    if workers:
        from app.web.security import warn_if_exposed
        from app.web.wsgi import exec_gunicorn

        warn_if_exposed(host)
        if debug:
            _err("error: --debug is only for the one-reader server (--workers 0)")
            raise typer.Exit(2)
        exec_gunicorn(paths, host=host, port=port, workers=workers,
                      max_bytes=int(max_file_mb * 1024 * 1024),
                      cache=None if no_cache else cache)
    corpus = _load(paths, max_file_mb, None if no_cache else cache)
    _err(f"{len(corpus.events)} events from {len(corpus.texts)} documents")
    run(corpus, host=host, port=port, debug=debug)


def main() -> None:
    cli()
