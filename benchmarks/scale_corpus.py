"""A deterministic synthetic corpus of any size, made by copying and varying the bundled one.

Archive documents get fresh entries drawn from the bundled archive (English, German and
French mixed) with shifted dates and other sources; articles and forum threads are copied with
their years shifted, so comments, join dates and furniture traps come along.

    python benchmarks/scale_corpus.py OUT_DIR --mb 10 [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
from datetime import datetime, timedelta
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
HEADER = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4}) - (\d{2}):(\d{2}) \[ ?(.*?) ?\]$", re.M)
YEAR = re.compile(r"\b(20[12]\d)\b")
SOURCES = ("Reuters", "AFP", "Deutsche Welle", "Le Monde", "BBC", "TASS", "Der Spiegel",
           "France 24", "Al Jazeera", "Eurasianet", "")


def _templates() -> tuple[list[str], list[str]]:
    """(archive entry bodies, whole non-archive documents) from the bundled corpus."""
    entries: list[str] = []
    others: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        heads = list(HEADER.finditer(text))
        if len(heads) > 5:
            for a, b in zip(heads, [*heads[1:], None], strict=True):
                entries.append(text[a.end():b.start() if b else len(text)].strip("\n"))
        else:
            others.append(text)
    return entries, others


def archive(rng: random.Random, entries: list[str], n: int) -> str:
    when = datetime(2015, 1, 1) + timedelta(minutes=rng.randrange(9 * 365 * 24 * 60))
    parts = ["Archiv: synthetic chronology\n"]
    for _ in range(n):
        when -= timedelta(minutes=rng.randrange(30, 3 * 24 * 60))  # newest first
        src = rng.choice(SOURCES)
        parts.append(f"{when:%d.%m.%Y - %H:%M} [ {src} ]\n\n{rng.choice(entries)}\n")
    return "\n".join(parts)


def article(rng: random.Random, text: str) -> str:
    shift = rng.randrange(-4, 4)
    return YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)


def generate(out_dir: str | Path, size_mb: float, seed: int = 1) -> list[Path]:
    """Write about ``size_mb`` MB of documents into out_dir; the same seed gives the same files."""
    rng = random.Random(seed)
    entries, others = _templates()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    total, target, i = 0, int(size_mb * 1024 * 1024), 0
    while total < target:
        if rng.random() < 0.6:
            text = archive(rng, entries, rng.randrange(20, 120))
        else:
            text = article(rng, rng.choice(others))
        path = out / f"doc_{i:07d}.txt"
        data = text.encode("utf-8")
        path.write_bytes(data)
        written.append(path)
        total += len(data)
        i += 1
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--mb", type=float, default=10)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    files = generate(args.out_dir, args.mb, args.seed)
    print(f"wrote {len(files)} documents to {args.out_dir}")


if __name__ == "__main__":
    main()
