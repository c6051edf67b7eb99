"""The ingest report: every input and every entry accounted for, with reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.segment import paragraphs

if TYPE_CHECKING:
    from app.pipeline import DocResult


@dataclass
class IngestReport:
    documents: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[dict[str, Any]] = field(default_factory=list)
    undated: list[dict[str, Any]] = field(default_factory=list)

    def add(self, res: DocResult) -> None:
        if res.error:
            self.rejections.append({"doc": res.name, "line": 0, "reason": res.error, "excerpt": ""})
            self.documents.append({"doc": res.name, "status": "rejected", "reason": res.error})
            return
        assert res.read is not None and res.document is not None
        read, text = res.read, res.document.text
        undated = [e for e in read.entries if e.published is None]
        for e in undated:
            self.undated.append(
                {"doc": res.name, "line": e.line, "title": e.title[:120],
                 "reason": "no publication line: date not stated"}
            )
        for r in read.rejections:
            self.rejections.append(
                {"doc": r.doc, "line": r.line, "reason": r.reason, "excerpt": r.excerpt[:200]}
            )
        comments = sum(
            len(paragraphs(text, s.char_start, s.char_end))
            for s in read.segments if s.kind == "comments"
        )
        kinds = [rec["kind"] for rec in res.records]
        self.documents.append({
            "doc": res.name,
            "status": "read",
            "reader": read.reader,
            "encoding": res.document.encoding,
            "chars": len(text),
            "entries_seen": len(read.entries) + len(read.rejections),
            "reports": kinds.count("report"),
            "mentions": kinds.count("mention"),
            "undated": len(undated),
            "rejected": len(read.rejections),
            "comments_skipped": comments,
            "furniture_lines": read.count("furniture"),
            "join_dates_skipped": read.count("join_date"),
        })

    def totals(self) -> dict[str, int]:
        read = [d for d in self.documents if d["status"] == "read"]
        keys = ("entries_seen", "reports", "mentions", "undated", "rejected",
                "comments_skipped", "furniture_lines", "join_dates_skipped")
        out = {"documents": len(read), "documents_rejected": len(self.documents) - len(read)}
        out.update({k: sum(d[k] for d in read) for k in keys})
        out["events"] = out["reports"] + out["mentions"]
        return out

    @property
    def rejected_count(self) -> int:
        return len(self.rejections)

    def to_dict(self) -> dict[str, Any]:
        return {
            "totals": self.totals(),
            "documents": self.documents,
            "rejections": self.rejections,
            "undated": self.undated,
        }

    def summary_lines(self) -> list[str]:
        t = self.totals()
        lines = [
            f"documents: {t['documents']} read, {t['documents_rejected']} rejected",
            f"entries seen: {t['entries_seen']} -> {t['reports']} reports, "
            f"{t['undated']} undated, {t['rejected']} rejected",
            f"events: {t['events']} ({t['reports']} reports, {t['mentions']} mentions)",
            f"skipped: {t['comments_skipped']} comment blocks, {t['furniture_lines']} furniture "
            f"lines, {t['join_dates_skipped']} forum join dates",
        ]
        for r in self.rejections:
            where = f"{r['doc']}:{r['line']}" if r["line"] else r["doc"]
            lines.append(f"rejected: {where}: {r['reason']}")
        for u in self.undated:
            lines.append(f"undated: {u['doc']}:{u['line']}: {u['reason']} ({u['title'][:50]})")
        return lines
