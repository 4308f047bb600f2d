from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = next((ROOT / "seeds").glob("*.txt"))
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
CORPUS_FILES = sorted(CORPUS.glob("*.txt"))


def corpus_cases() -> list[tuple[Path, dict]]:
    return [(p.with_name(p.name.replace(".expected.json", ".txt")), json.loads(p.read_text("utf-8")))
            for p in sorted(CORPUS.glob("*.expected.json"))]


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_doc():
    from convert.readers.news import read_news_file

    return read_news_file(SEED)
