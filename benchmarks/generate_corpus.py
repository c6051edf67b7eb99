"""Write a deterministic synthetic news corpus in the shapes of the bundled one.

    .venv/bin/python benchmarks/generate_corpus.py --size-mb 50 --seed 1 --out SYNTH_DIR

Three document styles, mixed by bytes (archive 50 %, forum 25 %, article 25 %), in English,
German and French:
- dated archives: ``DD.MM.YYYY - HH:MM [ Source ]`` headers (some with an empty ``[ ]``),
  a headline line, excerpt paragraphs; newest first;
- articles: title, maybe an author line, a publication line in one of the corpus's shapes
  (or none), body text with partial and relative dates, site furniture, reader comments;
- forum threads: posts opening with a user name and a join date, quoting articles.

``--shape dense`` writes wire copies instead: the bundled archive's entries repeated word
for word under new dates (the densest shape for duplicate grouping and memory).

Sentences carry date expressions (absolute, partial, relative, ranges, bare years) and the
traps of the corpus (1,235 refugees, S-300, Il-76, 2,500 $, 10-15 days...). Files are about
``file_kb`` each and written as they are produced, so memory stays flat at any size. The
same seed gives byte-identical output; each file has its own seed, so files can be
produced in any order or in parallel.

Import and call ``generate(out_dir, size_mb, seed)`` from other benchmarks.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from babel.dates import get_day_names, get_month_names

CORPUS_DIR = Path(__file__).resolve().parent.parent / "data" / "corpus"

LANGS = ("en", "de", "fr")
MONTHS = {lang: [get_month_names("wide", locale=lang)[i] for i in range(1, 13)]
          for lang in LANGS}
SHORT = [get_month_names("abbreviated", locale="en")[i] for i in range(1, 13)]
WEEKDAYS = {lang: [get_day_names("wide", locale=lang)[i] for i in range(7)] for lang in LANGS}
START = datetime(2020, 9, 27)
SPAN_DAYS = 3 * 365

ACTORS = ["Ilham Aliyev", "Nikol Pashinyan", "Vladimir Putin", "Sergey Lavrov",
          "Recep Tayyip Erdogan", "Emmanuel Macron", "the OSCE Minsk Group", "Ara Ayvazyan",
          "Jeyhun Bayramov", "Artsrun Hovhannisyan", "the Russian Defense Ministry"]
PLACES = ["Stepanakert", "Shusha", "Lachin", "Aghdam", "Kalbajar", "Ganja", "Baku", "Yerevan",
          "Moscow", "Fuzuli", "Hadrut", "Martakert", "Farrukh"]
SOURCES = ["TASS", "Reuters", "Al Jazeera", "ZDF", "ORF", "Haaretz", "France24", "Kreml",
           "Jerusalem Post", "Xinhuanet", "Informationsstelle Militarisierung (IMI)", "",
           "", "Auswärtiges Amt / German Foreign Office", "ISCResearch / Twitter"]
NAMES = ["Mr T", "Random Dude", "Harry Smith", "Rhodium 10", "John Brown", "Zionism = EVIL",
         "Abdul Rehman Majeed", "Ryan Glantz", "Caucasus Watcher", "Lena K."]

EN = [
    "On {M} {d}{th}, {a} said that the situation around {p} remained tense.",
    "On {M} {d}, {a} had a phone conversation with {b}.",
    "{a} met {b} in {p} on {d} {M} {y} to discuss the ceasefire.",
    "Since {M} {d}, about {n} people who had left their homes have returned to {p}.",
    "{n} refugees returned to {p} during the day, officials said yesterday.",
    "{a} said on {W} that the troops would stay in {p}.",
    "The ceasefire was to take effect from {hh}:00 on {d} {M}.",
    "From {M2} {d2} to {M} {d}, {a} addressed the nation {k} times.",
    "The earlier war, from 1991 to 1994, displaced hundreds of thousands of people.",
    "Another {k} Il-76 aircraft and two An-124 transport planes landed in {p}.",
    "The army said it destroyed an S-300 system and {k} units of armour near {p}.",
    "Soldiers were trained for {k}-{k2} days before they were sent to {p}.",
    "The corridor near {p} is {k} kilometers wide.",
    "{a} signed the statement of {M} {d}, {y}, in {p}.",
    "Talks are scheduled to resume on {W}, {a} said this week.",
    "In {y}, the region was hit by {k} drone strikes, {a} said {r} hours ago.",
    "The conflict has killed more than {n} people since the 1990s.",
    "Israel provided Azerbaijan with some ${k}25 million in weapons between 2006 and 2019.",
    "{a} arrived in {p} late last year and returned in {M}.",
]
DE = [
    "Am {d}. {M} {y} teilte {a} mit, dass die Waffenruhe in {p} gelte.",
    "Gestern telefonierte {a} mit {b} über die Lage in {p}.",
    "Seit dem {d}. {M} sind {n} Menschen nach {p} zurückgekehrt.",
    "Am {W} wurden in {p} {k} Zivilisten verletzt.",
    "Die Lage in {p} ist vor {k} Tagen eskaliert, sagte {a} heute.",
    "In der {n} Einwohner zählenden Stadt {p} wurden Häuser zerstört.",
    "Ersten Berichten zufolge testete die Türkei das S-400-System am vergangenen {W}.",
    "{a} will am {d}. {M} nach {p} reisen.",
    "Zwischen 2013 und 2017 stammten {k}0 Prozent der Waffen aus Russland.",
]
FR = [
    "Le {d} {M} {y}, {a} a déclaré que la situation à {p} restait tendue.",
    "Hier, {a} a rencontré {b} à {p}.",
    "Depuis le {d} {M}, {n} personnes sont revenues à {p}.",
    "Les combats ont repris {W} dernier près de {p}.",
    "Il y a {k} jours, la ville de {p} a été bombardée.",
    "Nous déplorons la perte de vies humaines à {p}, a déclaré {a}.",
    "Du {d} au {d2} {M}, {k} villages ont été touchés.",
    "La réunion de {a} et {b} aura lieu la semaine prochaine à {p}.",
]
SENTENCES = {"en": EN, "de": DE, "fr": FR}
HEADLINES = {
    "en": ["{a} says peacekeepers welcome in {p}", "Fighting flares near {p}",
           "Russia urges ceasefire between Armenia, Azerbaijan",
           "\u201cThe war is over,\u201d {a} says"],
    "de": ["Bergkarabach: Neuer Anlauf für Waffenruhe", "{a} fordert Stopp der Kämpfe um {p}",
           "Armenien: Aserbaidschan griff {p} an"],
    "fr": ["Déclaration sur le Haut-Karabagh", "{a} appelle à un cessez-le-feu à {p}"],
}
COMMENTS = ["Russia is the only winner.", "Turkish flag on AZ Turk tank… lol :)",
            "Haha, nobody believes this.", "Pretty simple. One won, another one lost.",
            "Agreed, of all nations this one is the most corrupt!", "WRONG … read the map.",
            "Look at the map and see the size of Russia and Turkey, then tell me!"]
FURNITURE = ["Click to see full-size image", "Do you like this content? Consider helping us!",
             "0 $\n2,500 $\n5,000 $\n1,850 $", "Users Who Are Viewing This Thread "
             "(Total: 1, Members: 0, Guests: 1)", "Top Bottom", "What's new"]


class _Writer:
    """A file written in chunks; the whole corpus is never in memory."""

    def __init__(self, path: Path) -> None:
        self.fh = path.open("w", encoding="utf-8", newline="\n")
        self.buf: list[str] = []
        self.size = 0
        self.pending = 0

    def add(self, text: str) -> None:
        self.buf.append(text)
        n = len(text.encode("utf-8")) if not text.isascii() else len(text)
        self.size += n
        self.pending += n
        if self.pending > 1 << 16:
            self.flush()

    def flush(self) -> None:
        self.fh.write("".join(self.buf))
        self.buf.clear()
        self.pending = 0

    def close(self) -> None:
        self.flush()
        self.fh.close()


def _sentence(rng: random.Random, lang: str, day: datetime) -> str:
    tpl = rng.choice(SENTENCES[lang])
    months = MONTHS[lang]
    other = day - timedelta(days=rng.randint(1, 60))
    d2 = other.day if "{M2}" in tpl else min(28, day.day + rng.randint(1, 5))
    weekday = WEEKDAYS[lang][day.weekday()]
    return tpl.format(
        M=months[day.month - 1], M2=months[other.month - 1], d=day.day, d2=d2,
        th=rng.choice(("", "th")), y=day.year,
        W=weekday.lower() if lang == "fr" else weekday,
        a=rng.choice(ACTORS), b=rng.choice(ACTORS), p=rng.choice(PLACES),
        n=f"{rng.randint(1000, 9999):,}" if lang == "en" else f"{rng.randint(1, 300)}.000",
        k=rng.randint(2, 40), k2=rng.randint(41, 60), hh=f"{rng.randint(0, 23):02d}",
        r=rng.randint(1, 9))


def _paragraph(rng: random.Random, lang: str, day: datetime) -> str:
    return " ".join(_sentence(rng, lang, day - timedelta(days=rng.randint(0, 20)))
                    for _ in range(rng.randint(1, 4)))


def _day(rng: random.Random) -> datetime:
    return START + timedelta(days=rng.randint(0, SPAN_DAYS), minutes=rng.randint(0, 1439))


def _archive(w: _Writer, rng: random.Random, target: int) -> None:
    w.add("Archiv: Invasion of Nagorno-Karabakh / Invasion von Berg-Karabach\n\n")
    when = START + timedelta(days=SPAN_DAYS)
    while w.size < target:
        when -= timedelta(minutes=rng.randint(3, 2000))
        lang = rng.choice(LANGS)
        src = rng.choice(SOURCES)
        w.add(f"{when:%d.%m.%Y - %H:%M} [ {src} ]\n\n" if src else
              f"{when:%d.%m.%Y - %H:%M} [ ]\n\n")
        head = rng.choice(HEADLINES[lang]).format(a=rng.choice(ACTORS), p=rng.choice(PLACES))
        w.add(head + "\n\n")
        for _ in range(rng.randint(1, 3)):
            w.add(_paragraph(rng, lang, when) + "\n\n")


def _publication(rng: random.Random, when: datetime) -> str:
    shape = rng.randrange(4)
    if shape == 0:
        return (f"Author of the article:\n\n\nPublishing date:\n{SHORT[when.month - 1]} "
                f"{when.day}, {when.year} • {rng.randint(1, 9)} hours ago • 1 minute read • "
                "Join the conversation\n\n")
    if shape == 1:
        return f"{when.day} {MONTHS['en'][when.month - 1]} {when.year} {when:%H:%M} (UTC+04:00)\n\n"
    if shape == 2:
        return f"By {rng.choice(NAMES)}\n\n"
    return ""


def _article(w: _Writer, rng: random.Random, target: int) -> None:
    while w.size < target:
        when = _day(rng)
        lang = rng.choice(LANGS)
        head = rng.choice(HEADLINES[lang]).format(a=rng.choice(ACTORS), p=rng.choice(PLACES))
        w.add(head + "\n\n" + _publication(rng, when))
        for _ in range(rng.randint(3, 10)):
            w.add(_paragraph(rng, lang, when) + "\n\n")
            if rng.random() < 0.2:
                w.add(FURNITURE[0] + "\n\n")
        for _ in range(rng.randint(0, 12)):
            w.add(f"{rng.choice(NAMES)}\n\n{rng.choice(COMMENTS)}\n\n\n")
        w.add(rng.choice(FURNITURE[:3]) + "\n\n")


def _forum(w: _Writer, rng: random.Random, target: int) -> None:
    w.add("What's new\n\n")
    while w.size < target:
        when = _day(rng)
        lang = rng.choice(LANGS)
        head = rng.choice(HEADLINES[lang]).format(a=rng.choice(ACTORS), p=rng.choice(PLACES))
        w.add(head + "\n\n")
        for _ in range(rng.randint(1, 4)):
            joined = datetime(2012, 1, 1) + timedelta(days=rng.randint(0, 2900))
            w.add(f"{rng.choice(NAMES)}\n\n{SHORT[joined.month - 1]} {joined.day}, "
                  f"{joined.year}\n\n{head}\n\n{_publication(rng, when)}")
            for _ in range(rng.randint(2, 6)):
                w.add(_paragraph(rng, lang, when) + "\n")
            w.add("\n" + ("Last edited:\n\n" if rng.random() < 0.3 else ""))
        w.add(FURNITURE[3] + "\n\nTop Bottom\n\n")


STYLES = (("archive", _archive, 2), ("forum", _forum, 1), ("article", _article, 1))


def plan(size_mb: float, file_kb: int = 1024) -> Iterator[tuple[int, str, int]]:
    """(file index, style, target bytes) for a corpus of ``size_mb`` megabytes."""
    total = int(size_mb * 1_000_000)
    weights = [w for _, _, w in STYLES]
    index = 0
    written = 0
    while written < total:
        style = [s for s, _, w in STYLES for _ in range(w)][index % sum(weights)]
        target = min(file_kb * 1024, total - written)
        if style == "article":
            target = min(target, 48 * 1024)
        yield index, style, target
        written += target
        index += 1


def write_file(out_dir: Path, index: int, style: str, target: int, seed: int) -> Path:
    rng = random.Random(f"{seed}:{index}")
    path = out_dir / f"{index:06d}_{style}.txt"
    writer = _Writer(path)
    dict((s, f) for s, f, _ in STYLES)[style](writer, rng, target)
    writer.close()
    return path


def generate(out_dir: str | Path, size_mb: float, seed: int = 0, file_kb: int = 1024) -> dict:
    """Write about ``size_mb`` MB of documents into ``out_dir``; returns a summary."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = 0
    size = 0
    for index, style, target in plan(size_mb, file_kb):
        path = write_file(out, index, style, target, seed)
        files += 1
        size += path.stat().st_size
    return {"files": files, "bytes": size, "out_dir": str(out)}


ARCHIVE_HEADER = re.compile(r"^(\d\d)\.(\d\d)\.(\d{4}) - (\d\d:\d\d) (\[.*\])[ \t]*$", re.M)


def archive_entries(corpus_dir: Path) -> list[tuple[str, str]]:
    """(header tail ``HH:MM [ Source ]``, the entry's text after its header line) of every
    archive entry in ``corpus_dir``'s documents."""
    out = []
    for path in sorted(corpus_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        heads = list(ARCHIVE_HEADER.finditer(text))
        if not heads:
            continue
        for m, nxt in zip(heads, [*heads[1:], None], strict=True):
            body = text[m.end():nxt.start() if nxt else len(text)]
            out.append((f"{m.group(4)} {m.group(5)}", body.strip("\n") + "\n\n"))
    return out


def generate_dense(out_dir: str | Path, size_mb: float, corpus_dir: Path,
                   file_kb: int = 1024) -> dict:
    """A corpus of wire copies: the archive entries of ``corpus_dir`` repeated, word for
    word, under new dates (one day earlier per round, newest first), in archive files of
    about ``file_kb``. Every entry's text is a real one, so the same happenings, actors and
    places come back again and again: the densest shape for grouping."""
    entries = archive_entries(Path(corpus_dir))
    if not entries:
        raise SystemExit(f"{corpus_dir}: no archive entries to repeat")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    total, limit = 0, int(size_mb * 1_000_000)
    day, files = datetime(2023, 12, 31), 0
    while total < limit:
        writer = _Writer(out / f"{files:06d}_dense_archive.txt")
        while writer.size < file_kb * 1024 and total + writer.size < limit:
            for tail, body in entries:
                writer.add(f"{day:%d.%m.%Y} - {tail}\n\n{body}")
            day -= timedelta(days=1)
        total += writer.size
        writer.close()
        files += 1
    size = sum(p.stat().st_size for p in out.glob("*_dense_archive.txt"))
    return {"files": files, "bytes": size, "out_dir": str(out)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--file-kb", type=int, default=1024, help="target size of one file")
    ap.add_argument("--shape", choices=["mixed", "dense"], default="mixed",
                    help="mixed styles (default) or dense: the bundled archive's entries "
                         "repeated under new dates")
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.shape == "dense":
        summary = generate_dense(args.out, args.size_mb, CORPUS_DIR, args.file_kb)
    else:
        summary = generate(args.out, args.size_mb, args.seed, args.file_kb)
    dt = time.perf_counter() - t0
    print(f"{'files':>8} {'MB':>10} {'seconds':>9} {'MB/s':>7}")
    mb = summary["bytes"] / 1e6
    print(f"{summary['files']:>8} {mb:>10.1f} {dt:>9.1f} {mb / dt:>7.1f}")


if __name__ == "__main__":
    main()
