import importlib.util
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


@pytest.fixture(scope="session")
def generate_corpus():
    """The benchmarks' deterministic corpus generator (benchmarks/ holds scripts, not a
    package): ``generate_corpus(out_dir, size_mb, seed, file_kb=32)``."""
    path = Path(__file__).parent.parent / "benchmarks" / "generate_corpus.py"
    spec = importlib.util.spec_from_file_location("generate_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def generate(out_dir, size_mb, seed, file_kb=32):
        return module.generate(out_dir, size_mb, seed, file_kb=file_kb)

    return generate
