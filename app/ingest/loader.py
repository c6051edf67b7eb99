"""Reading files into Documents: path expansion, size limits, binary sniffing, encodings.

Every path the loader is given ends up as a Document or as a Rejection with a reason:
nothing is dropped silently. Saved web pages and RSS/Atom feeds (known by their content)
are rendered to text with the layout their markup states (``app.ingest.markup``).
Offsets in the rest of the pipeline refer to the decoded (for markup: the rendered) text
with its line endings normalised to ``\\n``.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from app.ingest.base import Document, Rejection
from app.ingest.markup import MarkupError, render

DEFAULT_MAX_BYTES = 64 * 1024 * 1024

# Magic numbers of formats people commonly drop into a folder of texts by mistake.
_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Source:
    """A file to read and the name it will carry in events (relative to its input root)."""

    path: Path
    name: str


class LoadError(Exception):
    """A file that cannot become a Document; the message names the reason."""


def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Source], list[Rejection]]:
    """Expand files and folders into readable sources, sorted by name, plus rejections.

    Folders are walked recursively, hidden entries skipped, symlink loops detected.
    """
    sources: list[Source] = []
    rejections: list[Rejection] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            rejections.append(Rejection(str(path), 0, "path does not exist"))
        elif path.is_dir():
            sources.extend(_walk(path, seen, rejections))
        else:
            _add_file(path, path.name, seen, sources, rejections)
    names: dict[str, int] = {}
    unique: list[Source] = []
    for src in sorted(sources, key=lambda s: s.name):
        # Two inputs with the same relative name would collide as ``doc``: keep both, tagged.
        n = names.get(src.name, 0)
        names[src.name] = n + 1
        unique.append(src if n == 0 else Source(src.path, f"{src.name}#{n + 1}"))
    return unique, rejections


def _walk(root: Path, seen: set[Path], rejections: list[Rejection]) -> Iterator[Source]:
    visited_dirs: set[Path] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            real = folder.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            rejections.append(Rejection(str(folder), 0, f"cannot resolve folder: {exc}"))
            continue
        if real in visited_dirs:
            rejections.append(Rejection(str(folder), 0, "symlink loop: folder already visited"))
            continue
        visited_dirs.add(real)
        try:
            children = sorted(folder.iterdir())
        except OSError as exc:
            rejections.append(Rejection(str(folder), 0, f"cannot list folder: {exc.strerror}"))
            continue
        for child in children:
            if child.name.startswith("."):
                continue
            if child.is_dir():
                stack.append(child)
            else:
                out: list[Source] = []
                _add_file(child, child.relative_to(root).as_posix(), seen, out, rejections)
                yield from out


def _add_file(
    path: Path, name: str, seen: set[Path], out: list[Source], rejections: list[Rejection]
) -> None:
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        rejections.append(Rejection(name, 0, f"broken or looping symlink: {exc}"))
        return
    if real in seen:
        return  # the same file reached twice (e.g. via a symlink) is read once
    if not real.is_file():
        rejections.append(Rejection(name, 0, "not a regular file"))
        return
    seen.add(real)
    out.append(Source(path, name))


def load(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and decode one file. Raises LoadError with a one-line reason."""
    try:
        size = source.path.stat().st_size
        if size > max_bytes:
            raise LoadError(
                f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                "(raise it with --max-file-mb)"
            )
        data = source.path.read_bytes()
    except PermissionError as exc:
        raise LoadError("permission denied") from exc
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from exc
    text, encoding = decode(data)
    try:
        rendered = render(text)
    except MarkupError as exc:
        raise LoadError(str(exc)) from None
    if rendered is not None:
        text, layout = rendered
        return Document(name=source.name, text=text, path=str(source.path), encoding=encoding,
                        layout=layout)
    return Document(name=source.name, text=text, path=str(source.path), encoding=encoding)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text with normalised newlines; raise LoadError for non-text input."""
    if not data.strip():
        raise LoadError("empty file")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise LoadError(f"binary file: looks like {what}")
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        if b"\x00" in data[:8192]:
            raise LoadError("binary file: contains NUL bytes")
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            best = from_bytes(data[: 1024 * 1024]).best()
            if best is None or best.encoding is None:
                raise LoadError("binary file: no text encoding fits") from None
            encoding = best.encoding
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise LoadError(f"undecodable: looked like {encoding} but is not") from None
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise LoadError(f"undecodable despite a {encoding} byte-order mark") from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if _control_ratio(text) > 0.05:
        raise LoadError("binary file: too many control characters for text")
    if not text.strip():
        raise LoadError("empty file")
    return text, encoding


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _control_ratio(text: str) -> float:
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) / len(sample) if sample else 0.0
