"""Language detection: repeated samples are detected once, with the same answers."""

from app.enrich import language

TEXTS = ["Die Waffenruhe wurde gebrochen, berichten Beobachter aus Stepanakert.",
         "Le cessez-le-feu a été rompu, selon des observateurs à Stepanakert.",
         "The ceasefire was broken, observers in Stepanakert reported.", "12:00", ""]


def test_repeated_texts_are_asked_of_lingua_once_and_answered_alike(monkeypatch):
    language._seen.clear()
    fresh = language.detect_many(TEXTS)
    assert fresh == ["de", "fr", "en", "", ""]
    asked: list[list[str]] = []
    detector = language._detector()
    real = detector.detect_languages_in_parallel_of

    class Spy:
        def detect_languages_in_parallel_of(self, samples):
            asked.append(list(samples))
            return real(samples)

    monkeypatch.setattr(language, "_detector", lambda: Spy())
    assert language.detect_many(TEXTS * 50) == fresh * 50
    assert asked == []  # every sample was seen before
    new = "Russische Friedenstruppen sind in Latschin eingetroffen, meldet das Ministerium."
    assert language.detect_many([new, new, TEXTS[0]]) == ["de", "de", "de"]
    assert asked == [[language._sample(new)]]


def test_the_cache_is_bounded(monkeypatch):
    language._seen.clear()
    monkeypatch.setattr(language, "SEEN_MAX", 2)
    language.detect_many(TEXTS[:3])
    assert len(language._seen) <= 3
    language.detect_many(["Noch ein deutscher Satz über die Lage in Goris und Kapan."])
    assert len(language._seen) <= 2
