from __future__ import annotations

from pathlib import Path

import pytest
from _corpus import SEED


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_doc():
    from convert.readers.news import read_news_file

    return read_news_file(SEED)
