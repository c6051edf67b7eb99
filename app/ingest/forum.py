"""Forum threads: posts that open with a user name line and that user's join date.

The join date is furniture about the user, not an event. Each post's content is read
with the article logic, since posts usually quote articles with their own dates.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from app.ingest.article import read_articles
from app.ingest.base import Document, ReadResult, Segment
from app.ingest.publine import ImpossibleDate, parse_publication_line
from app.paths import DATA_DIR
from app.segment import is_furniture, is_masked, is_publication_label, looks_like_name


@lru_cache(maxsize=1)
def _markers() -> re.Pattern[str]:
    raw = yaml.safe_load((DATA_DIR / "furniture.yaml").read_text(encoding="utf-8"))
    return re.compile(
        "^\\s*(?:" + "|".join(f"(?:{p})" for p in raw["forum_markers"]) + ")\\s*$", re.IGNORECASE
    )


def join_dates(text: str) -> list[tuple[int, int, int]]:
    """(name line start, date line start, date line end) for each post header."""
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, line))
        pos += len(line) + 1
    found = []
    for k in range(1, len(lines)):
        pos, line = lines[k]
        try:
            pub = parse_publication_line(line)
        except ImpossibleDate:
            continue
        if pub is None or pub.precision != "day" or pub.offset != 0:
            continue
        name_pos, name = lines[k - 1]
        if is_publication_label(name) or is_furniture(name) or not looks_like_name(name.strip()):
            continue
        found.append((name_pos, pos, pos + len(line)))
    return found


class ForumReader:
    NAME = "forum"
    BEST_SNIFF = 0.95  # the highest score sniff gives

    def __init__(self) -> None:
        # (text, its post headers) from the last sniff: read() then need not parse every
        # line of a long thread again. Compared by identity, so a reader shared by threads
        # at worst parses twice.
        self._sniffed: tuple[str, list[tuple[int, int, int]]] | None = None

    def _headers(self, text: str) -> list[tuple[int, int, int]]:
        sniffed = self._sniffed
        if sniffed is not None and sniffed[0] is text:
            return sniffed[1]
        return join_dates(text)

    def sniff(self, text: str) -> float:
        headers = join_dates(text)
        self._sniffed = (text, headers) if headers else None
        if not headers:
            return 0.0
        names = {text[a:b].split("\n")[0].strip() for a, b, _ in headers}
        marked = any(_markers().match(line) for line in text.split("\n"))
        return 0.95 if marked or len(names) < len(headers) else 0.4

    def read(self, doc: Document) -> ReadResult:
        text = doc.text
        result = ReadResult(self.NAME)
        headers = self._headers(text)
        self._sniffed = None
        pos = 0
        for line in text.split("\n"):
            if line.strip() and is_furniture(line) and not is_masked(line):
                note = line.strip()[:80]
                result.segments.append(Segment("furniture", pos, pos + len(line), note))
            pos += len(line) + 1
        if headers and text[: headers[0][0]].strip():
            result.segments.append(Segment("preamble", 0, headers[0][0]))
        for i, (name_pos, date_pos, date_end) in enumerate(headers):
            name = text[name_pos:date_pos].strip()
            result.segments.append(Segment("join_date", name_pos, date_end, name))
            stop = headers[i + 1][0] if i + 1 < len(headers) else len(text)
            result.segments.append(Segment("body", date_end, stop, f"post by {name}"))
            read_articles(doc, date_end, stop, result)
        return result
