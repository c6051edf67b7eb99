"""Saved web pages and news feeds, turned into plain text and the layout their markup states.

The markup already says what is what: a page's title, author, site, publication date, its
main text and its reader comments; a feed's items with their own dates. So these inputs are
not sniffed line by line like plain text: trafilatura extracts a page's main text, comments
(kept apart) and metadata, htmldate its publication date (with the time and zone where the
page states them), feedparser reads RSS and Atom. The result is a readable text (what the
document view shows and event offsets point into) and a ``Layout`` that
``app.ingest.page`` turns into entries.

Content decides, not the file name: a page saved as ``.txt`` is still a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.ingest.base import Layout, Part

_HEAD = 4096  # how much of a file the sniffers look at
MIN_MAIN_CHARS = 40  # less main text than this is a page of links, not an article
_HTML = re.compile(r"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_FEED = re.compile(r"<rss[\s>]|<feed[\s>][^>]*xmlns=[\"']http://www\.w3\.org/2005/Atom|"
                   r"<rdf:RDF[\s>]", re.IGNORECASE)
_LEADING = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*", re.DOTALL)


class MarkupError(ValueError):
    """Markup that yields nothing to read; the message names the reason."""


def sniff(text: str) -> str:
    """``"feed"``, ``"html"`` or ``""`` (plain text) from what the text starts with."""
    head = text[:_HEAD]
    start = _LEADING.match(head).end()
    opening = head[start:start + 400]
    if _FEED.match(opening) or (start and _FEED.search(head)):
        return "feed"
    if _HTML.match(opening) or (_HTML.search(head) and "<body" in text[:65536].lower()):
        return "html"
    return ""


@dataclass
class _Builder:
    """Plain text written piece by piece, with the offsets of what was written."""

    pieces: list[str] = field(default_factory=list)
    size: int = 0

    def add(self, text: str) -> int:
        """Append ``text``; return its offset."""
        at = self.size
        self.pieces.append(text)
        self.size += len(text)
        return at

    def heading(self, title: str, author: str, stamp: str) -> tuple[int, int]:
        """Title line, ``By`` line, ``Published:`` line, blank line; the offsets of the
        title and of the stamp (-1 without one)."""
        start = self.add(title)
        self.add("\n")
        if author:
            self.add(f"By {author}\n")
        at = -1
        if stamp:
            self.add("Published: ")
            at = self.add(stamp)
            self.add("\n")
        self.add("\n")
        return start, at

    def paragraphs(self, paras: list[str]) -> tuple[int, int]:
        """Paragraphs separated by blank lines; their (start, end)."""
        start = self.size
        self.add("\n\n".join(paras))
        return start, self.size

    def text(self) -> str:
        return "".join(self.pieces)


def _paras(text: str | None) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").split("\n") if line.strip()]


def render_html(html: str) -> tuple[str, Layout]:
    """A saved web page as text (title, byline, date, main text, comments) and its layout."""
    import htmldate
    import trafilatura

    meta = trafilatura.bare_extraction(html, include_comments=True, with_metadata=True,
                                       favor_precision=True)
    body = _paras(meta.text if meta else "")
    title = " ".join((meta.title or "").split()) if meta else ""
    if body and title and body[0] == title:
        body = body[1:]  # the page's own heading repeats its title
    if sum(len(p) for p in body) < MIN_MAIN_CHARS:  # link labels of a menu, not an article
        raise MarkupError("web page: no main text found in its markup")
    # the time and zone where the page states them, else the day
    stamp = htmldate.find_date(html, outputformat="%Y-%m-%dT%H:%M:%S%z", original_date=True)
    if stamp and stamp.endswith("T00:00:00"):
        stamp = stamp[:10]
    out = _Builder()
    start, at = out.heading(title or body[0], meta.author or "", stamp or "")
    body_start, body_end = out.paragraphs(body)
    comments: tuple[tuple[int, int], ...] = ()
    remarks = _paras(meta.comments)
    if remarks:
        out.add("\n\n\nComments\n\n")
        comments = (out.paragraphs(remarks),)
    out.add("\n")
    part = Part(title=title or body[0], char_start=start, char_end=body_end,
                body_start=body_start, body_end=body_end, published=stamp or "",
                published_start=at, source=meta.sitename or meta.hostname or "",
                author=meta.author or "")
    return out.text(), Layout("html", (part,), comments)


def render_feed(xml: str) -> tuple[str, Layout]:
    """An RSS or Atom feed as text, one block per item, and its layout (one part an item)."""
    import feedparser

    feed = feedparser.parse(xml)
    if not feed.entries:
        reason = f": {feed.bozo_exception}" if feed.get("bozo") else ""
        raise MarkupError(f"feed: no items{reason}")
    source = " ".join(feed.feed.get("title", "").split())
    out = _Builder()
    if source:
        out.add(f"{source}\n\n")
    parts = []
    for item in feed.entries:
        title = " ".join(item.get("title", "").split())
        stamp = item.get("published") or item.get("updated") or ""
        start, at = out.heading(title or "(no title)", "", stamp)
        summary = item.get("summary") or ""
        if item.get("content"):
            summary = max((c.get("value", "") for c in item.content), key=len) or summary
        body_start, body_end = out.paragraphs(_paras(_html_text(summary)))
        parts.append(Part(title=title, char_start=start, char_end=body_end,
                          body_start=body_start, body_end=body_end, published=stamp,
                          published_start=at, source=source, author=item.get("author", "")))
        out.add("\n\n")
    return out.text(), Layout("feed", tuple(parts))


def _html_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed item's summary), paragraphs on their own lines."""
    if "<" not in fragment:
        return fragment
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return fragment
    for block in root.iter("p", "br", "div", "li", "h1", "h2", "h3", "h4"):
        block.tail = "\n" + (block.tail or "")
    return root.text_content()


def render(text: str) -> tuple[str, Layout] | None:
    """Text and layout for a page or a feed; None for plain text. Raises MarkupError."""
    kind = sniff(text)
    if kind == "feed":
        return render_feed(text)
    if kind == "html":
        return render_html(text)
    return None
