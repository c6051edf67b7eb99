"""Language of an event's text, by lingua (never guessed from the source)."""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# Languages the detector chooses among: news of this kind, plus the region's own.
# More languages cost memory and accuracy on short headlines; extend when a corpus needs it.
LANGUAGES = (
    Language.ENGLISH, Language.GERMAN, Language.FRENCH, Language.SPANISH, Language.ITALIAN,
    Language.DUTCH, Language.PORTUGUESE, Language.RUSSIAN, Language.TURKISH,
    Language.ARMENIAN, Language.AZERBAIJANI, Language.ARABIC, Language.PERSIAN,
)


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


def detect_many(texts: list[str]) -> list[str]:
    """Batch form of detect: lingua spreads the work over the cores."""
    samples = [_sample(t) for t in texts]
    found = _detector().detect_languages_in_parallel_of(samples)
    return [
        lang.iso_code_639_1.name.lower() if lang and _enough(s) else ""
        for s, lang in zip(samples, found, strict=True)
    ]
