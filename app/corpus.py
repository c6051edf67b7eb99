"""A loaded corpus: the event table plus what the explorer needs to show provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from app.ingest.base import Segment
from app.schema import empty_events


@dataclass
class Corpus:
    """Events, the ingest report (a JSON-able dict), each document's text and segments.

    ``texts`` maps a document name (the ``doc`` column) to its decoded text; the document
    view serves only these, never a path taken from a request. ``segments`` tells which
    spans are body, comments, furniture or forum join dates.
    """

    events: pd.DataFrame = field(default_factory=empty_events)
    report: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    segments: dict[str, list[Segment]] = field(default_factory=dict)
