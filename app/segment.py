"""Segmentation of article-style text: body vs reader comments vs site furniture.

Site furniture is recognised line by line from ``data/furniture.yaml``. Reader comments
are found by layout, not by words: on the sites this tool meets, an article's paragraphs
are separated by one blank line while comment blocks are separated by two or more. The
comments start at the change point where double gaps take over for good. This is written
by hand because no library segments scraped pages that have lost their HTML.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from app.paths import DATA_DIR


@dataclass(frozen=True)
class Segment:
    """A classified span of a document: body, comments, furniture or join_date."""

    kind: str
    char_start: int
    char_end: int
    note: str = ""


# Opens every line the page-structure layer blanked (app.ingest.structure.mask): such a
# line is furniture to every reader, not a blank line, so paragraph gaps stay as written.
MASK = "\u2063"

MIN_COMMENT_GAPS = 3  # double gaps needed after the change point to call it comments
SPLIT_PENALTY = 2.0  # nats a split must gain over "no comments": guards short articles


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    gap_before: int  # blank lines right before it (furniture lines reset the count)
    text: str


@lru_cache(maxsize=1)
def _vocab() -> tuple[re.Pattern[str], re.Pattern[str]]:
    raw = yaml.safe_load((DATA_DIR / "furniture.yaml").read_text(encoding="utf-8"))
    lines = "|".join(f"(?:{p})" for p in raw["lines"])
    labels = "|".join(f"(?:{p})" for p in raw["publication_labels"])
    return (
        re.compile(rf"^\s*(?:{lines})\s*$", re.IGNORECASE),
        re.compile(rf"^\s*(?:{labels})\s*$", re.IGNORECASE),
    )


def is_furniture(line: str) -> bool:
    return is_masked(line) or bool(_vocab()[0].match(line))


def is_masked(line: str) -> bool:
    """A line the page-structure layer blanked (counted there, not as furniture)."""
    return line.lstrip(" \t").startswith(MASK)


def is_publication_label(line: str) -> bool:
    return bool(_vocab()[1].match(line))


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Paragraph]:
    """Content paragraphs of text[start:end]; furniture lines are left out."""
    end = len(text) if end is None else end
    out: list[Paragraph] = []
    gap = 0
    para_start = -1
    para_end = -1
    pos = start
    for line in text[start:end].split("\n"):
        line_end = pos + len(line)
        blank = not line.strip()
        if blank or is_furniture(line):
            if para_start >= 0:
                out.append(Paragraph(para_start, para_end, gap, text[para_start:para_end]))
                para_start, gap = -1, 0
            # the gap that counts is the one right before the next paragraph
            gap = gap + 1 if blank else 0
        else:
            if para_start < 0:
                para_start = pos
            para_end = line_end
        pos = line_end + 1
    if para_start >= 0:
        out.append(Paragraph(para_start, para_end, gap, text[para_start:para_end]))
    return out


def comments_start(paras: list[Paragraph]) -> int | None:
    """Index of the first comment paragraph, or None when there are no comments.

    A two-segment Bernoulli change point over "is the gap before this paragraph double":
    the split that best explains the gaps as "rarely double" then "often double".
    """
    gaps = [p.gap_before >= 2 for p in paras]
    n = len(paras)
    doubles_upto = [0] * (n + 1)  # doubles among gaps[1..i-1]; gap 0 has no paragraph before
    for i in range(1, n):
        doubles_upto[i + 1] = doubles_upto[i] + gaps[i]
    total = doubles_upto[n]
    best, best_k = _loglik(total, n - 1), None  # no split at all
    for k in range(2, n):
        if not gaps[k]:
            continue
        before, d_before = k - 1, doubles_upto[k]
        after, d_after = n - k, total - d_before
        if d_after < MIN_COMMENT_GAPS or d_after / after <= 2 * d_before / before:
            continue
        # comments open with a commenter's name line or a burst of double gaps
        if sum(gaps[k : k + 3]) < 2 and not looks_like_name(paras[k].text):
            continue
        score = _loglik(d_before, before) + _loglik(d_after, after) - SPLIT_PENALTY
        if score > best:
            best, best_k = score, k
    return best_k


def looks_like_name(text: str) -> bool:
    """A commenter's handle: one short line, a few words, no sentence punctuation."""
    words = text.split()
    return (
        "\n" not in text
        and 0 < len(words) <= 4
        and len(text) <= 32
        and not text.rstrip().endswith((".", ":", "?", "!", ",", ";"))
    )


def _loglik(k: int, n: int) -> float:
    if n == 0 or k in (0, n):
        return 0.0
    p = k / n
    return k * math.log(p) + (n - k) * math.log(1 - p)


def segment_article(text: str, start: int = 0, end: int | None = None) -> list[Segment]:
    """Body, comments and furniture segments covering text[start:end]."""
    end = len(text) if end is None else end
    segs: list[Segment] = []
    pos = start
    for line in text[start:end].split("\n"):
        if line.strip() and is_furniture(line) and not is_masked(line):
            segs.append(Segment("furniture", pos, pos + len(line), line.strip()[:80]))
        pos += len(line) + 1
    paras = paragraphs(text, start, end)
    k = comments_start(paras)
    body_end = paras[k].start if k is not None else end
    if paras:
        segs.append(Segment("body", paras[0].start, min(body_end, end)))
    if k is not None:
        segs.append(Segment("comments", paras[k].start, end, f"{len(paras) - k} blocks"))
    return sorted(segs, key=lambda s: s.char_start)

