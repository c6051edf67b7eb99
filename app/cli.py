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

EXIT_REJECTED = 3  # output written, but some inputs or entries were rejected (see the report)


def _err(line: str) -> None:
    typer.echo(line, err=True)


def _load(paths: list[Path] | None, max_file_mb: float):
    from app.pipeline import load_corpus

    return load_corpus(paths or None, max_bytes=int(max_file_mb * 1024 * 1024))


@cli.command()
def parse(
    paths: PathsArg = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Events file: .parquet, .csv or .json")]
    = Path("events.parquet"),
    report: Annotated[Path | None, typer.Option(help="Write the ingest report as JSON.")] = None,
    strict: Annotated[bool, typer.Option(help="Any rejection is fatal: write nothing.")] = False,
    max_file_mb: MaxMb = DEFAULT_MAX_BYTES / 1024 / 1024,
) -> None:
    """Parse documents into an event table.

    Exit status: 0 all read; 3 written but something was rejected; 1 --strict and something
    was rejected (nothing written); 2 usage error.
    """
    from app.store import StoreError, format_of, write_events, write_json

    try:
        format_of(out)
    except StoreError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(2) from None
    corpus = _load(paths, max_file_mb)
    rep = corpus.report
    from app.report import IngestReport

    summary = IngestReport(rep["documents"], rep["rejections"], rep["undated"]).summary_lines()
    for line in summary:
        _err(line)
    rejected = len(rep["rejections"])
    if strict and rejected:
        _err(f"error: {rejected} item(s) rejected and --strict given: nothing written")
        raise typer.Exit(1)
    write_events(corpus.events, out)
    if report is not None:
        write_json(rep, report)
    _err(f"wrote {len(corpus.events)} events to {out}")
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


@cli.command()
def stats(paths: PathsArg = None, max_file_mb: MaxMb = DEFAULT_MAX_BYTES / 1024 / 1024) -> None:
    """Print counts by kind, source, language and month."""
    from rich.console import Console
    from rich.table import Table

    events = _load(paths, max_file_mb).events
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
) -> None:
    """Print, as JSON, every date expression found in TEXT and what it resolves to."""
    from app.dates import find_dates

    if text == "-":
        text = sys.stdin.read()
    ref_dt = None
    if ref:
        try:
            ref_dt = datetime.fromisoformat(ref)
        except ValueError:
            _err(f"error: --ref {ref!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM")
            raise typer.Exit(2) from None
    hits = find_dates(text, ref=ref_dt, lang=lang)
    typer.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=1))


@cli.command()
def serve(
    paths: PathsArg = None,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8050,
    debug: Annotated[bool, typer.Option(help="Dash debug mode (never on a shared machine).")]
    = False,
    max_file_mb: MaxMb = DEFAULT_MAX_BYTES / 1024 / 1024,
) -> None:
    """Open the explorer on the documents (default: the bundled corpus)."""
    from app.web.server import run

    if host not in ("127.0.0.1", "localhost", "::1"):
        _err(f"warning: listening on {host}: anyone who can reach it can read the corpus")
    corpus = _load(paths, max_file_mb)
    _err(f"{len(corpus.events)} events from {len(corpus.texts)} documents")
    run(corpus, host=host, port=port, debug=debug)


def main() -> None:
    cli()
