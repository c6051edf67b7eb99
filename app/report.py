"""The ingest report: every input and every entry accounted for, with reasons."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from app.ingest.structure import COMMENT_THREAD, kinds
from app.segment import paragraphs
from app.store import ItemLog

if TYPE_CHECKING:
    from app.infer import Inference, Pending
    from app.pipeline import DocResult


METADATA_KINDS = frozenset(kinds())


@dataclass
class IngestReport:
    documents: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[dict[str, Any]] = field(default_factory=list)
    # lists, or ItemLogs (on disk past their first items) in a streaming run: see spool_items
    undated: list[dict[str, Any]] | ItemLog = field(default_factory=list)
    inferred: list[dict[str, Any]] | ItemLog = field(default_factory=list)

    def spool_items(self) -> None:
        """Keep the undated and inferred entries on disk past their first few: a streaming
        run lists one per undated article, which grows with the corpus while all else it
        holds does not. ``to_dict`` then hands out the ItemLogs (``store.write_json`` and
        ``iter_summary_lines`` stream them)."""
        if not isinstance(self.undated, ItemLog):
            self.undated = ItemLog(self.undated)
        if not isinstance(self.inferred, ItemLog):
            self.inferred = ItemLog(self.inferred)

    def add(self, res: DocResult) -> None:
        if res.error:
            self.rejections.append({"doc": res.name, "line": 0, "reason": res.error, "excerpt": ""})
            self.documents.append({"doc": res.name, "status": "rejected", "reason": res.error})
            return
        assert res.read is not None and res.document is not None
        read, text = res.read, res.document.text
        undated = [e for e in read.entries if e.published is None]
        for r in read.rejections:
            self.rejections.append(
                {"doc": r.doc, "line": r.line, "reason": r.reason, "excerpt": r.excerpt[:200]}
            )
        comments = sum(
            len(paragraphs(text, s.char_start, s.char_end))
            for s in read.segments if s.kind == "comments"
        )
        kinds = [rec["kind"] for rec in res.records]
        metadata = Counter(
            COMMENT_THREAD if s.note == COMMENT_THREAD else s.kind
            for s in read.segments if s.kind in METADATA_KINDS or s.note == COMMENT_THREAD
        )
        self.documents.append({
            "doc": res.name,
            "status": "read",
            "reader": read.reader,
            "encoding": res.document.encoding,
            "chars": len(text),
            "entries_seen": len(read.entries) + len(read.rejections) + read.count("repeated"),
            "repeated": read.count("repeated"),
            # report-less entries (a timeline's), each a mention dated by its heading
            "headed": sum(1 for e in read.entries if e.kind == "mention"),
            "reports": kinds.count("report"),
            "mentions": kinds.count("mention"),
            "undated": len(undated),
            "rejected": len(read.rejections),
            "comments_skipped": comments,
            "furniture_lines": read.count("furniture"),
            "join_dates_skipped": read.count("join_date"),
            "metadata_skipped": sum(metadata.values()),
            "metadata": dict(sorted(metadata.items())),
        })

    def add_inference(self, pending: Pending, inference: Inference | None) -> None:
        """Record how an undated entry got its date, or why it stays undated."""
        e = pending.entry
        item = {"doc": pending.doc.name, "line": e.line, "title": e.title[:120]}
        if inference is None:
            item["reason"] = "no publication line, and no date in the text to infer one from"
            self.undated.append(item)
        else:
            item.update(date=inference.when.date().isoformat(), method=inference.method,
                        evidence=inference.evidence, explanation=inference.explanation)
            self.inferred.append(item)

    def count_events(self, events: pd.DataFrame) -> None:
        """Final per-document counts, once corpus-level inference has added its events."""
        by_doc = events.groupby(["doc", events["kind"].astype(str)]).size()
        undated = Counter(u["doc"] for u in self.undated)
        for d in self.documents:
            if d["status"] == "read":
                d["reports"] = int(by_doc.get((d["doc"], "report"), 0))
                d["mentions"] = int(by_doc.get((d["doc"], "mention"), 0))
                d["undated"] = undated[d["doc"]]
                d["background"] = int(events.loc[events["doc"] == d["doc"], "background"].sum())

    def totals(self) -> dict[str, int]:
        read = [d for d in self.documents if d["status"] == "read"]
        keys = ("entries_seen", "reports", "headed", "mentions", "undated", "rejected", "repeated",
                "comments_skipped", "furniture_lines", "join_dates_skipped", "metadata_skipped")
        out = {"documents": len(read), "documents_rejected": len(self.documents) - len(read)}
        out.update({k: sum(d.get(k, 0) for d in read) for k in keys})
        out["events"] = out["reports"] + out["mentions"]
        return out

    def metadata_totals(self) -> dict[str, int]:
        """Page-structure items skipped, per kind, over all documents."""
        out: Counter[str] = Counter()
        for d in self.documents:
            out.update(d.get("metadata", {}))
        return dict(out)

    @property
    def rejected_count(self) -> int:
        return len(self.rejections)

    def to_dict(self) -> dict[str, Any]:
        return {
            "totals": self.totals(),
            "metadata": self.metadata_totals(),
            "documents": self.documents,
            "rejections": self.rejections,
            "undated": self.undated,
            "inferred": self.inferred,
        }

    def summary_lines(self) -> list[str]:
        return list(self.iter_summary_lines())

    def iter_summary_lines(self) -> Iterator[str]:
        """The summary a run prints, a line at a time (one per rejected, inferred and undated
        entry after the totals)."""
        t = self.totals()
        yield f"documents: {t['documents']} read, {t['documents_rejected']} rejected"
        yield (f"entries seen: {t['entries_seen']} -> {t['reports']} reports, "
               f"{t['headed']} headed mentions, {t['undated']} undated, {t['rejected']} rejected, "
               f"{t['repeated']} repeated")
        yield f"events: {t['events']} ({t['reports']} reports, {t['mentions']} mentions)"
        yield (f"skipped: {t['comments_skipped']} comment blocks, {t['furniture_lines']} "
               f"furniture lines, {t['join_dates_skipped']} forum join dates, "
               f"{t['metadata_skipped']} page-structure items")
        yield from (f"page structure skipped: {kind}: {n}"
                    for kind, n in sorted(self.metadata_totals().items()))
        for r in self.rejections:
            where = f"{r['doc']}:{r['line']}" if r["line"] else r["doc"]
            yield f"rejected: {where}: {r['reason']}"
        for i in self.inferred:
            yield (f"inferred: {i['doc']}:{i['line']}: dated {i['date']} by {i['method']}: "
                   f"{i['explanation']}")
        for u in self.undated:
            yield f"undated: {u['doc']}:{u['line']}: {u['reason']} ({u['title'][:50]})"
