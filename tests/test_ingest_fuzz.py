"""Documents built from the real grammar with random corruption: the parser holds up."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.ingest import read_document
from app.ingest.archive import HEADER
from app.ingest.base import Document

sources = st.sampled_from(["", "Reuters", "TASS / ", "Auswärtiges Amt", "ISCResearch / Twitter"])
words = st.sampled_from([
    "Aliyev", "said", "troops", "entered", "Lachin", "on", "November", "20th", "1,235",
    "refugees", "S-300", "Il-76", "2,500 $", "gestern", "am", "Samstag", "le", "27", "septembre",
    "Click to see full-size image", "Dec 25, 2019", "\n", "\n\n", "\n\n\n", "“quoted”", "[", "]",
])
paragraph = st.lists(words, min_size=1, max_size=25).map(" ".join)


@st.composite
def headers(draw):
    d, m = draw(st.integers(0, 35)), draw(st.integers(0, 14))
    y = draw(st.sampled_from([1021, 1999, 2020, 2021, 2023, 2999]))
    hh, mm = draw(st.integers(0, 26)), draw(st.integers(0, 62))
    return f"{d:02d}.{m:02d}.{y} - {hh:02d}:{mm:02d} [ {draw(sources)} ]"


@st.composite
def archive_documents(draw):
    parts = [draw(st.sampled_from(["", "Archiv: a title line\n\n"]))]
    for _ in range(draw(st.integers(0, 8))):
        parts.append(f"{draw(headers())}\n\n{draw(paragraph)}\n\n{draw(paragraph)}\n\n")
    text = "".join(parts)
    # random corruption: cut, duplicate or splice characters
    for _ in range(draw(st.integers(0, 3))):
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        op = draw(st.sampled_from(["cut", "dup", "junk"]))
        if op == "cut":
            text = text[:i] + text[i + draw(st.integers(1, 5)):]
        elif op == "dup":
            text = text[:i] + text[i:i + 20] + text[i:]
        else:
            text = text[:i] + draw(st.text(max_size=5)) + text[i:]
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(archive_documents())
def test_every_header_the_parser_can_see_becomes_an_entry_or_a_rejection(text):
    doc = Document("fuzz.txt", text)
    result = read_document(doc)
    seen = len(HEADER.findall(text))
    if seen:
        assert result.reader == "archive"
        assert len(result.entries) + len(result.rejections) + result.count("repeated") == seen
    for entry in result.entries:
        if entry.evidence_start >= 0:
            assert text[entry.evidence_start:].startswith(entry.evidence)
        assert 0 <= entry.char_start <= entry.char_end <= len(text)
    for rej in result.rejections:
        assert 1 <= rej.line <= text.count("\n") + 1


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_the_readers_never_raise_on_arbitrary_text(text):
    doc = Document("any.txt", re.sub("\r\n?", "\n", text))
    result = read_document(doc)
    for entry in result.entries:
        assert 0 <= entry.char_start <= entry.char_end <= len(doc.text)
