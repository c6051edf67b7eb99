"""Language of an event's text, by lingua (never guessed from the source)."""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# Languages the detector chooses among: news of this kind, plus the region's own.
# More languages cost memory and accuracy on short headlines; extend when a corpus needs it.
LANGUAGES = (
    Language.ENGLISH, Language.GERMAN, Language.FRENCH, Language.SPANISH, Language.ITALIAN,
    Language.DUTCH, Language.PORTUGUESE, Language.RUSSIAN, Language.TURKISH,
    Language.ARMENIAN, Language.AZERBAIJANI, Language.ARABIC, Language.PERSIAN,
)


# detect_stream: the caller waits for a first small chunk, the helper then keeps a chunk
# ahead. Below AHEAD_MIN texts a helper thread is not worth starting.
FIRST_CHUNK, CHUNK, AHEAD_MIN = 32, 256, 64

SAMPLE_CHARS = 300  # lingua is as accurate on 300 characters here, and its cost grows with them
_LETTERS = re.compile(r"[^\W\d_]")


def _sample(text: str) -> str:
    return " ".join(text[: SAMPLE_CHARS * 2].split())[:SAMPLE_CHARS]


def _enough(sample: str) -> bool:
    return len(_LETTERS.findall(sample, 0, 40)) >= 3


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    builder = LanguageDetectorBuilder.from_languages(*LANGUAGES)
    return builder.with_preloaded_language_models().build()


# Wire copies, syndicated stories and repeated headlines give the same sample again and
# again: lingua is asked once per distinct sample. Bounded, and emptied when full, so memory
# stays flat on any corpus; dict reads and writes are atomic, so threads may share it.
SEEN_MAX = 200_000
_seen: dict[str, str] = {}


def detect_many(texts: list[str]) -> list[str]:
    """Batch form of detect: lingua spreads the work over the cores."""
    samples = [_sample(t) for t in texts]
    out = [_seen.get(s) for s in samples]
    # a sample with too few letters gets no language whatever lingua says: not asked
    todo: dict[str, list[int]] = {}
    for i, s in enumerate(samples):
        if out[i] is None:
            if _enough(s):
                todo.setdefault(s, []).append(i)
            else:
                out[i] = ""
    asked = list(todo)
    found = _detector().detect_languages_in_parallel_of(asked) if asked else []
    if len(_seen) + len(asked) > SEEN_MAX:
        _seen.clear()
    for sample, lang in zip(asked, found, strict=True):
        code = lang.iso_code_639_1.name.lower() if lang else ""
        _seen[sample] = code
        for i in todo[sample]:
            out[i] = code
    return out


def detect_stream(texts: list[str]) -> Iterator[str]:
    """detect_many's results, in order, while the caller works on the ones it has.

    Lingua releases the GIL while it detects, so a helper thread detecting the next chunk
    runs beside the caller's own work on another core (reading dates from the entries
    already detected). The results are those of detect_many.
    """
    if len(texts) < AHEAD_MIN:
        yield from detect_many(texts)
        return
    bounds = [0, FIRST_CHUNK, *range(FIRST_CHUNK + CHUNK, len(texts), CHUNK), len(texts)]
    chunks: queue.Queue[list[str] | BaseException] = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            for lo, hi in pairwise(bounds):
                if stop.is_set():
                    return
                chunks.put(detect_many(texts[lo:hi]))
        except BaseException as exc:  # handed to the caller, who raises it
            chunks.put(exc)

    helper = threading.Thread(target=work, name="lingua-ahead", daemon=True)
    helper.start()
    try:
        for _ in range(len(bounds) - 1):
            got = chunks.get()
            if isinstance(got, BaseException):
                raise got
            yield from got
    finally:
        stop.set()
        helper.join()  # no thread outlives the document (a forking server stays safe)
