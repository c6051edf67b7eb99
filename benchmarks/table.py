"""The plain-text table every benchmark prints: columns as wide as their widest cell."""

from __future__ import annotations

from collections.abc import Sequence


def print_table(head: Sequence[object], rows: Sequence[Sequence[object]], *,
                left: int = 0) -> None:
    """Print ``head`` and ``rows``; the first ``left`` columns flush left, the rest right."""
    cells = [[str(v) for v in r] for r in [head, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(head))]
    for r in cells:
        print("  ".join(v.ljust(w) if i < left else v.rjust(w)
                        for i, (v, w) in enumerate(zip(r, widths, strict=True))))
