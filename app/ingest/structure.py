"""Page structure: post headers, profile blocks, edit and page stamps, citation lines,
comment threads, related-link lists and contents lists, from ``data/page_structure.yaml``.

These are about the page, its users or its links, not news: their dates must never become
events. ``find_structure`` finds them line by line in one pass; ``mask`` blanks them in a
copy of the text of the same length (offsets unchanged), each masked line starting with
``MASK`` so the readers and the segmenter treat it as furniture, not as a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import yaml

from app.paths import DATA_DIR
from app.segment import MASK, Segment

MAX_LINE = 400  # longer lines are prose: no metadata pattern is tried on them
COMMENT_THREAD = "comment_thread"  # a comments segment this layer found, by its heading


@dataclass(frozen=True)
class _Block:
    kind: str
    until: str
    max_item: int
    heading: re.Pattern[str]


def _flatten(node: object) -> list[str]:
    if isinstance(node, dict):
        return [p for v in node.values() for p in _flatten(v)]
    if isinstance(node, list):
        return [str(p) for p in node]
    return [str(node)]


@lru_cache(maxsize=1)
def _raw() -> dict:
    return yaml.safe_load((DATA_DIR / "page_structure.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _vocab() -> tuple[re.Pattern[str], list[_Block], re.Pattern[str]]:
    from app.ingest.archive import HEADER

    raw = _raw()
    groups = "|".join(
        f"(?P<{kind}>" + "|".join(f"(?:{p})" for p in _flatten(pats)) + ")"
        for kind, pats in raw["lines"].items()
    )
    lines = re.compile(rf"\s*(?:{groups})\s*$", re.IGNORECASE)
    blocks = [
        _Block(kind, spec["until"], int(spec.get("max_item", 160)),
               re.compile(r"\s*(?:" + "|".join(f"(?:{p})" for p in _flatten(spec["headings"]))
                          + r")\s*$", re.IGNORECASE))
        for kind, spec in raw["blocks"].items()
    ]
    return lines, blocks, re.compile(HEADER.pattern, re.IGNORECASE)


def kinds() -> list[str]:
    """Every kind this layer reports, in the data file's order."""
    return [*_raw()["lines"], *_raw()["blocks"]]


def find_structure(text: str) -> list[Segment]:
    """The page-structure spans of text, in order. A comment thread is a ``comments``
    segment (noted ``comment_thread``); every other span's kind is its kind in the data."""
    lines_re, blocks, header = _vocab()
    out: list[Segment] = []
    open_block: _Block | None = None
    block_start = block_end = 0
    items = 0
    pos = 0

    def close() -> None:
        nonlocal open_block
        if open_block is not None:
            kind = "comments" if open_block.kind == COMMENT_THREAD else open_block.kind
            note = COMMENT_THREAD if open_block.kind == COMMENT_THREAD else ""
            out.append(Segment(kind, block_start, block_end, note))
            open_block = None

    for line in text.split("\n"):
        end = pos + len(line)
        stripped = line.strip()
        if header.match(line):
            close()  # an archive header ends any block and is never masked
        elif open_block is not None:
            if open_block.until != "end" and stripped and _starts_other(line, lines_re, blocks):
                close()  # a link list or contents list ends where other structure begins
            elif not stripped:
                if open_block.until == "blank" and items:
                    close()
            elif open_block.until == "prose" and len(stripped) > open_block.max_item:
                close()
            else:
                items += 1
                block_end = end
        if open_block is None and stripped and len(stripped) <= MAX_LINE \
                and not header.match(line):
            for block in blocks:
                if block.heading.match(line):
                    open_block, block_start, block_end, items = block, pos, end, 0
                    break
            else:
                m = lines_re.match(line)
                if m and m.lastgroup:
                    out.append(Segment(m.lastgroup, pos, end, stripped[:80]))
        pos = end + 1
    close()
    return out


def stamps(text: str, segments: list[Segment]) -> tuple[tuple[int, datetime], ...]:
    """(offset, moment) of each post header that states a full date: the page says when
    each post was written, which dates what a post leaves without a year."""
    from app.dates import find_dates

    out = []
    for seg in segments:
        if seg.kind != "post_header":
            continue
        for hit in find_dates(text[seg.char_start:seg.char_end]):
            if hit.start is not None and hit.kind == "absolute" and not hit.year_inferred:
                out.append((seg.char_start, hit.start))
                break
    return tuple(out)


def _starts_other(line: str, lines_re: re.Pattern[str], blocks: list[_Block]) -> bool:
    return bool(lines_re.match(line)) or any(b.heading.match(line) for b in blocks)


def mask(text: str, segments: list[Segment]) -> str:
    """text with every span blanked line by line: same length, same newlines, each masked
    non-blank line starting with MASK."""
    if not segments:
        return text
    parts: list[str] = []
    last = 0
    for seg in sorted(segments, key=lambda s: s.char_start):
        a, b = max(seg.char_start, last), seg.char_end
        if b <= a:
            continue
        parts.append(text[last:a])
        parts.append("\n".join(MASK + " " * (len(ln) - 1) if ln.strip() else ln
                               for ln in text[a:b].split("\n")))
        last = b
    parts.append(text[last:])
    return "".join(parts)
