"""Languages of a document's entries, detected a chunk ahead of the pipeline."""

import pytest

from app.enrich import language
from app.enrich.language import detect_many, detect_stream

SENTENCES = [
    "Russian peacekeepers entered the Lachin corridor on Saturday, officials said.",
    "Die Waffenruhe in Bergkarabach wurde am Dienstag erneut gebrochen.",
    "Le ministre a déclaré que les négociations reprendraient la semaine prochaine.",
    "12:40",
]


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(language, "FIRST_CHUNK", 3)
    monkeypatch.setattr(language, "CHUNK", 7)
    monkeypatch.setattr(language, "AHEAD_MIN", 10)


def test_languages_detected_ahead_are_those_detected_in_one_batch(small_chunks):
    texts = [f"{SENTENCES[i % 4]} ({i})" for i in range(41)]
    found = list(detect_stream(texts))
    assert found == detect_many(texts)
    assert found[:4] == ["en", "de", "fr", ""]


def test_a_few_texts_are_detected_in_line(small_chunks):
    assert list(detect_stream(SENTENCES)) == ["en", "de", "fr", ""]
    assert list(detect_stream([])) == []


def test_a_failure_on_the_helper_thread_reaches_the_caller(small_chunks, monkeypatch):
    def broken(texts):
        raise RuntimeError("no models")

    monkeypatch.setattr(language, "detect_many", broken)
    with pytest.raises(RuntimeError, match="no models"):
        list(detect_stream(SENTENCES * 5))


def test_no_helper_thread_outlives_the_texts_read_or_abandoned(small_chunks):
    import threading

    def helpers():
        return [t for t in threading.enumerate() if t.name == "lingua-ahead"]

    texts = SENTENCES * 10
    assert len(list(detect_stream(texts))) == len(texts)
    assert helpers() == []
    stream = detect_stream(texts)
    assert next(stream) == "en"
    stream.close()
    assert helpers() == []
