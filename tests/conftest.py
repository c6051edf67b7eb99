from pathlib import Path

import pytest

from app.paths import CORPUS_DIR

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def bundled():
    """The bundled corpus, loaded once for the whole test session."""
    from app.pipeline import load_corpus

    return load_corpus([CORPUS_DIR])


@pytest.fixture
def fixture_path():
    def get(name: str) -> Path:
        return FIXTURES / "ingest" / name

    return get
